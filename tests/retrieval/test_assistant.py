"""The assistant on the evaluation corpus (5 samples + 5 real reports), fake embeddings: behaviour, not the gold set."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from retrieval.assistant import Assistant

ROOT = Path(__file__).resolve().parents[2]


def _cells(answer, report: str) -> dict[tuple[str, str, str], Decimal | None]:
    return {(v.table, v.row, v.column): v.value for v in answer.values if v.op == "cell" and v.report == report}


def test_single_values_are_stored_cells_with_citations(assistant: Assistant) -> None:
    a = assistant.ask("宿迁市2023年行政复议总计多少件？其中纠正多少？")
    assert a.kind == "table"
    cells = _cells(a, "suqian_city_2023.txt")
    assert cells[("四", "cases", "review_total")] == 440 and cells[("四", "cases", "review_corrected")] == 17
    cited = {(c.report, c.cell.column) for c in a.citations if c.cell}
    assert {("suqian_city_2023.txt", "review_total"), ("suqian_city_2023.txt", "review_corrected")} <= cited
    assert "440" in a.answer and "17" in a.answer and "[1]" in a.answer


def test_design_card_question_none_of_the_2021_reports_received_any(assistant: Assistant) -> None:
    a = assistant.ask("2021年哪些机关收到了政府信息公开申请？")
    assert a.kind == "table" and a.matches == () and a.examined == 3
    cited = {c.report for c in a.citations if c.cell and c.cell.row == "new_applications"}
    assert cited == {"000_7061442731bc0513.txt", "002_27e23139f88dbf53.txt", "003_20272e85d49a1cc6.txt"}
    assert all(v.value == 0 for v in a.values if v.op == "cell")


def test_sum_shows_its_formula_and_cites_every_cell(assistant: Assistant) -> None:
    a = assistant.ask("2024年宿迁市和淮安市新收申请加起来一共多少件？")
    total = [v for v in a.values if v.op == "sum"]
    assert len(total) == 1 and total[0].value == 3525 + 3119 and total[0].formula == "3525 + 3119"
    assert len(total[0].of) == 2 and "6644" in a.answer


def test_year_over_year_is_signed_later_minus_earlier(assistant: Assistant) -> None:
    a = assistant.ask("宿迁市行政复议2024年比2023年减少了多少？")
    change = [v for v in a.values if v.op == "change"]
    assert change and change[0].value == 170 - 440 and "减少 270" in a.answer


def test_consistency_reports_the_finding_with_both_sides(assistant: Assistant) -> None:
    a = assistant.ask("宿迁市2024年报告正文说的行政复议案件数和表四一致吗？")
    assert "134" in a.answer and "170" in a.answer
    assert any(c.cell and c.cell.column == "review_total" for c in a.citations)
    assert any("134" in c.quote for c in a.citations if c.cell is None)


def test_warnings_name_findings_touching_used_cells(assistant: Assistant) -> None:
    a = assistant.ask("洪泽区2023年行政复议总计多少件？")
    assert any("表四" in w or "总计" in w for w in a.warnings)


def test_blank_cell_is_none_not_zero(assistant: Assistant) -> None:
    a = assistant.ask("青铜峡市信访局2020年行政复议结果纠正了多少件？")
    value = [v for v in a.values if v.op == "cell"][0]
    assert value.value is None and value.status == "missing" and "空白" in a.answer


def test_unknown_agency_and_year_answer_none_with_what_is_available(assistant: Assistant) -> None:
    a = assistant.ask("南京市2024年政府信息公开行政复议纠正了多少件？")
    assert a.kind == "none" and "南京市" in a.answer and not a.values
    b = assistant.ask("宿迁市2019年新收了多少件政府信息公开申请？")
    assert b.kind == "none" and "2023" in b.answer and "2024" in b.answer


def test_narrative_number_is_quoted_exactly(assistant: Assistant) -> None:
    a = assistant.ask("宿迁市2023年收取了多少信息处理费？")
    assert a.kind == "passage" and "2950" in a.answer
    assert a.citations and a.citations[0].report == "suqian_city_2023.txt" and "2950" in a.citations[0].quote


def test_followup_through_history_strings(assistant: Assistant) -> None:
    a = assistant.ask("那2023年呢？", ["宿迁市2024年行政复议总计多少件？", "其中维持多少？"])
    assert _cells(a, "suqian_city_2023.txt") == {("四", "cases", "review_upheld"): Decimal(309)}


def test_followup_through_previous_answer(assistant: Assistant) -> None:
    first = assistant.ask("宿迁市2024年新收政府信息公开申请多少件？")
    second = assistant.ask("淮安市的呢？", [first])
    assert _cells(second, "huaian_city_2024.pdf") == {("三", "new_applications", "total"): Decimal(3119)}


def test_empty_question(assistant: Assistant) -> None:
    assert assistant.ask("  ").kind == "none"


def test_cli_json_and_questions_file(corpus_dir: Path, tmp_path: Path) -> None:
    env = {"GOVQA_EMBEDDING_BACKEND": "fake", "PATH": "/usr/bin:/bin", "HF_HUB_OFFLINE": "1"}
    run = subprocess.run([sys.executable, "-m", "retrieval.ask", "淮安市2024年行政复议总计多少件？", "--json",
                          "--data-dir", str(corpus_dir)], cwd=ROOT, capture_output=True, text=True, env=env,
                         check=True)
    data = json.loads(run.stdout)
    assert {"question", "answer", "kind", "values", "citations", "warnings"} <= set(data)
    assert data["kind"] == "table" and data["citations"][0]["cell"]["table"] == "四"
    questions = tmp_path / "q.txt"
    questions.write_text("宿迁市2024年行政复议总计多少件？\n其中纠正多少？\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "retrieval.ask", "--questions", str(questions), "--data-dir",
                          str(corpus_dir)], cwd=ROOT, capture_output=True, text=True, env=env, check=True)
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(lines) == 2 and lines[0]["kind"] == "table"
    # no conversation between lines: "其中纠正多少？" alone is not read as 宿迁市 2024 行政复议 纠正
    assert [(v["report"], v["column"]) for v in lines[1]["values"]] != [("suqian_city_2024.txt", "review_corrected")]


def test_cli_without_store_says_so(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "retrieval.ask", "问题", "--data-dir", str(tmp_path / "none")],
                         cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 2 and "python -m ingest" in run.stderr
