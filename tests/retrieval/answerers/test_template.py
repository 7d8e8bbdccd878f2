"""Which template: the table's evidence and the report's own sentence citing the notice."""

from __future__ import annotations

from retrieval.assistant import Assistant


def test_the_notice_the_report_cites_is_quoted_beside_the_table_evidence(real_assistant: Assistant) -> None:
    a = real_assistant.ask("平潭2020年的年报用的是哪版模板？")
    assert "2019年试行版" in a.answer and a.kind == "mixed"
    assert any("国办公开办函〔2019〕60号" in c.quote for c in a.citations if c.cell is None)


def test_old_or_new_format_asks_for_the_template(real_assistant: Assistant) -> None:
    a = real_assistant.ask("上海市府办公厅19年的报告是老格式还是新格式？")
    assert a.understood["op"] == "template" and "2019年试行版" in a.answer


def test_which_reports_use_the_template_named(real_assistant: Assistant) -> None:
    a = real_assistant.ask("平潭那几份年报，哪几份用的是2019年那版老模板？")
    assert {c.report for c in a.citations if c.report_id in set(a.matches)} == {"pingtan_2020.txt"}
    assert a.answer.startswith("查阅的2份报告中，使用2019年试行版模板的：平潭综合实验区2020年")
