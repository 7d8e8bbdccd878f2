"""The assistant on the evaluation corpus (5 samples + 5 real reports), fake embeddings: behaviour, not the gold set."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from core.settings import Settings
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
    stated = re.findall(r"(?<!\d)(\d+)件\[\d+\]", a.answer)  # each number as a whole, with its citation
    assert "440" in stated and "17" in stated


def test_design_card_question_none_of_the_2021_reports_received_any(assistant: Assistant) -> None:
    a = assistant.ask("2021年哪些机关收到了政府信息公开申请？")
    assert a.kind == "table" and a.matches == () and a.examined == 3
    cited = {c.report for c in a.citations if c.cell and c.cell.row == "new_applications"}
    assert cited == {"000_7061442731bc0513.txt", "002_27e23139f88dbf53.txt", "003_20272e85d49a1cc6.txt"}
    assert all(v.value == 0 for v in a.values if v.op == "cell")
    assert len([v for v in a.values if v.op == "cell"]) == 3


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
    assert re.search(r"(?<!\d)134(?!\d)", a.answer) and re.search(r"(?<!\d)170(?!\d)", a.answer)
    assert "1 处不一致" in a.answer and "未发现不一致" not in a.answer
    assert any(c.cell and c.cell.column == "review_total" for c in a.citations)
    assert any("134" in c.quote for c in a.citations if c.cell is None)


def test_warnings_name_findings_touching_used_cells(assistant: Assistant) -> None:
    a = assistant.ask("洪泽区2023年行政复议总计多少件？")
    assert any("表四" in w or "总计" in w for w in a.warnings)
    # 表四 行政复议: the printed total is 0, the four outcomes add up to 11 (hongze_district_2023.pdf)
    assert any("11" in w and "总计为0" in w for w in a.warnings)
    assert [v.value for v in a.values if v.op == "cell" and v.column == "review_total"] == [0]


def test_a_warning_cites_what_its_numbers_rest_on(assistant: Assistant) -> None:
    # 表四 复议后起诉 in hongze_district_2023.pdf: 维持 5, 纠正/其他/未审结 0, 总计 0 (the report's own slip)
    a = assistant.ask("洪泽区2023年复议后起诉总计多少件？")
    warning = next(w for w in a.warnings if "总计为0" in w)
    marks = [int(m) for m in re.findall(r"\[(\d+)\]", warning)]
    cited = {c.cell.column for c in a.citations if c.id in marks and c.cell is not None}
    assert {"suit_after_review_upheld", "suit_after_review_total"} <= cited
    parts = next(v for v in a.values if v.op == "sum" and v.value == 5)  # the 5 in the message is a recorded sum
    assert parts.formula == "5 + 0 + 0 + 0" and set(parts.of) <= set(marks)
    assert a.values[0].value == 0  # the answer itself is still the printed total


def test_a_narrative_warning_cites_the_sentence(assistant: Assistant) -> None:
    a = assistant.ask("宿迁市行政复议2024年比2023年减少了多少？")
    warning = next(w for w in a.warnings if "134" in w)
    marks = [int(m) for m in re.findall(r"\[(\d+)\]", warning)]
    assert any(c.id in marks and c.cell is None and "134" in c.quote for c in a.citations)


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
    assert lines[1]["kind"] == "none" and lines[1]["values"] == [] and "追问" in lines[1]["answer"]


def test_cli_without_store_says_so(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "retrieval.ask", "问题", "--data-dir", str(tmp_path / "none")],
                         cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 2 and "python -m ingest" in run.stderr


# ------------------------------------------------------------------------------- computed values and continuity


def test_max_list_states_the_maximum_as_a_computed_value(assistant: Assistant) -> None:
    a = assistant.ask("2020至2021年，规范性文件新制作数量最多的是哪个单位？")
    top = [v for v in a.values if v.op == "max"]
    assert len(top) == 1 and top[0].value == 2 and top[0].formula.endswith("= 2")
    assert [assistant.reports[m].agency for m in a.matches] == ["青铜峡市信访局"]
    assert "其余" in a.answer  # the others are shown for context


def test_narrative_finding_states_the_table_side_as_a_sum(assistant: Assistant) -> None:
    a = assistant.ask("宿迁市2024年的行政诉讼案件，正文和表格的数字一样吗？")
    sums = [v for v in a.values if v.op == "sum"]
    assert [(v.value, v.formula) for v in sums] == [(77, "25 + 52")]
    assert len(sums[0].of) == 2 and "25 + 52 = 77" in a.answer and "57" in a.answer


def test_consistent_cross_year_cell_shows_the_continuity_it_checked(assistant: Assistant) -> None:
    a = assistant.ask("洪泽区2024年行政规范性文件的现行有效件数和2023年能对上吗？")
    assert "未发现不一致" in a.answer and "处不一致" not in a.answer
    cited = {(c.report, c.cell.column) for c in a.citations if c.cell}
    assert {("hongze_district_2023.pdf", "in_force"), ("hongze_district_2024.pdf", "issued"),
            ("hongze_district_2024.pdf", "repealed"), ("hongze_district_2024.pdf", "in_force")} <= cited
    expected = [v for v in a.values if v.op == "sum"]
    assert expected and expected[0].value == 8 and expected[0].formula == "5 + 3 − 0"
    assert "一致。" in a.answer
    cells = [(v.report, v.column) for v in a.values if v.op == "cell"]
    assert len(cells) == len(set(cells)), "each cell is stated once"


# ---------------------------------------------------------------------------------------------- passages


def test_own_section_answers_from_section_five(assistant: Assistant) -> None:
    a = assistant.ask("洪泽区2024年存在哪些问题？")
    assert a.kind == "passage" and a.citations[0].section_no == 5
    assert "研判能力不足" in a.answer
    assert "切实抓好以下工作" not in a.answer  # the plans are not problems


def test_improvements_quote_starts_where_the_plans_start(assistant: Assistant) -> None:
    a = assistant.ask("宿迁市2024年下一步怎么改进？")
    quote = a.citations[0].quote
    assert a.citations[0].section_no == 5 and quote.startswith("针对上述问题")


def test_section_that_only_says_none_is_reported_as_such(assistant: Assistant) -> None:
    a = assistant.ask("周口市行政服务中心2021年存在的主要问题是什么？")
    assert a.kind == "passage" and a.citations[0].section_no == 5 and a.citations[0].quote == "无"
    assert "只写了“无”" in a.answer


def test_listing_by_own_section_leaves_out_reports_that_say_none(assistant: Assistant) -> None:
    a = assistant.ask("2020至2021年，哪些单位的年报写了工作中存在的问题？")
    named = {assistant.reports[m].source for m in a.matches}
    assert named == {"000_7061442731bc0513.txt", "001_e4e7f7e8537d2f9a.txt", "003_20272e85d49a1cc6.txt",
                     "004_94a4ded09c161d0d.txt"}
    assert a.examined == 5 and "只写了“无”" in a.answer


def test_plans_for_a_year_come_from_the_report_on_the_year_before(assistant: Assistant) -> None:
    a = assistant.ask("青铜峡市信访局2021年打算重点做好哪些工作？")
    assert a.kind == "passage" and a.citations[0].report == "001_e4e7f7e8537d2f9a.txt"
    assert "2020年度报告" in a.answer and "加强制度建设" in a.answer
    # a year with no report and no plans question is still unanswerable
    assert assistant.ask("青铜峡市信访局2021年存在哪些问题？").kind == "none"


def test_subsection_heading_quotes_its_body_across_chunks(assistant: Assistant) -> None:
    a = assistant.ask("宿迁市2024年依申请公开工作有哪些创新做法？")
    assert "如我申请" in a.answer and "府院联动" in a.answer
    first, rest = a.citations[0], a.citations[1]
    assert first.quote.startswith("（二）依申请公开方面") and first.section_no == rest.section_no == 1
    assert rest.quote.startswith("办案过程中")  # the next chunk, cited on its own


def test_item_title_and_enumeration_are_kept_with_the_quote(assistant: Assistant) -> None:
    a = assistant.ask("宿迁市2024年政务公开培训是怎么开展的？")
    assert "“请进来+走出去”培训机制" in a.answer
    b = assistant.ask("泉港区信访局主要通过哪几种形式公开政府信息？")
    assert "政府门户网站" in b.answer and "固定宣传栏" in b.answer


def test_question_asking_for_a_thing_needs_it_in_the_quote(assistant: Assistant) -> None:
    fax = assistant.ask("传真呢？", ["泉港区信访局的联系电话是多少？"])
    assert "87987136" in fax.citations[0].quote
    number = assistant.ask("泉港区信访局这份年报的文号是什么？")
    assert "泉港信〔2021〕1号" in number.answer and number.citations[0].section_no == 0
    assert assistant.ask("周口市信访局的电子邮箱是什么？").kind == "none"


def test_number_question_needs_a_number_in_the_asked_unit(assistant: Assistant) -> None:
    a = assistant.ask("宿迁市2023年全市主动公开了多少条政府信息？")
    assert "18万余条" in a.answer
    quoted = [v for v in a.values if v.op == "quote"]
    assert any(v.value == 18 and v.unit == "万余条" for v in quoted)
    fee = assistant.ask("宿迁市2024年信息处理费收了多少钱？")
    assert "2230元" in fee.answer and fee.citations[0].section_no == 6
    # the topic is there but no count of it is: the reports do not say
    assert assistant.ask("宿迁市2024年政务新媒体一共开设了多少个账号？").kind == "none"


def test_known_and_unknown_agency_answers_the_known_and_says_what_is_missing(assistant: Assistant) -> None:
    a = assistant.ask("宿迁市和南京市2023年新收申请多少件？")
    assert a.kind == "table" and "3511" in a.answer
    assert "没有“南京市”的年报" in a.answer and any("南京市" in w for w in a.warnings)


# ------------------------------------------------------------------------------- only like with like


def test_sum_never_adds_different_columns_or_units(assistant: Assistant) -> None:
    # 2019-template reports have 项目数量 (个), 2021-template reports 收费金额 (万元): summed separately
    a = assistant.ask("行政事业性收费合计多少？")
    sums = {(v.label, v.unit): v.value for v in a.values if v.op == "sum"}
    assert {unit for _, unit in sums} == {"个", "万元"}
    # 万元 amounts from tests/data/golden: 宿迁 59237.2449 + 72701.2578, 洪泽 7730.28 + 7545, 淮安 96171.6
    assert Decimal("243385.3827") in sums.values() and "分别合计" in a.answer


def test_threshold_is_not_a_year_and_two_years_is_not_a_sum(assistant: Assistant) -> None:
    a = assistant.ask("收到申请超过2010件的单位有哪些？")
    assert a.kind == "table" and a.understood["years"] == []
    assert sorted(assistant.reports[m].source for m in a.matches) == [
        "huaian_city_2024.pdf", "suqian_city_2023.txt", "suqian_city_2024.txt"]  # 3119, 3511, 3525
    assert not [v for v in assistant.ask("近两年各单位收到多少申请？").values if v.op == "sum"]


def test_change_needs_two_years_per_agency_and_cites_each_part(assistant: Assistant) -> None:
    a = assistant.ask("宿迁市行政规章2024年比2023年变化多少？")
    changes = {v.label.split("变化")[0]: v for v in a.values if v.op == "change"}
    cited = {c.id: (c.covers_year, c.cell.column) for c in a.citations if c.cell}
    for label, column in (("规章—本年废止件数", "repealed"), ("规章—现行有效件数", "in_force")):
        assert {cited[m] for m in changes[label].of} == {(2023, column), (2024, column)}
    assert changes["规章—现行有效件数"].value == 1  # 11 → 12
    ratio = [v for v in a.values if v.op == "ratio" and v.label.startswith("规章—现行有效件数")]
    assert ratio and ratio[0].value == Decimal("9.1") and "+9.1%" in a.answer
    b = assistant.ask("那洪泽区和淮安市呢？", ["洪泽区新收申请2024年比2023年变化多少？"])
    assert "淮安市人民政府：资料库中只有2024年的报告，无法计算变化" in b.answer
    assert [v.value for v in b.values if v.op == "change"] == [74]  # 95 − 21


def test_broken_carry_over_cites_both_reports_cells(tmp_path: Path) -> None:
    """宿迁市2024 printed with 上年结转 119 for 自然人 (the source says 118, = 2023's 结转下年度 118)."""


    real = ROOT / "tests" / "data" / "real"
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "suqian_city_2023.txt").write_bytes((real / "suqian_city_2023.txt").read_bytes())
    text = (real / "suqian_city_2024.txt").read_text(encoding="utf-8")
    line = "二、上年结转政府信息公开申请数量                  118      3     0   0    0     0   121"
    assert line in text
    (tmp_path / "in" / "suqian_city_2024.txt").write_text(text.replace(line, line.replace(" 118 ", " 119 ")),
                                                         encoding="utf-8")
    answer = _ask_new_store(tmp_path, [tmp_path / "in" / n for n in ("suqian_city_2023.txt", "suqian_city_2024.txt")],
                            "宿迁市2024年的上年结转和2023年的结转下年度能衔接上吗？")
    cited = {(c.report, c.cell.row, c.cell.column) for c in answer.citations if c.cell}
    assert ("suqian_city_2024.txt", "carried_over", "natural_person") in cited
    assert ("suqian_city_2023.txt", "carried_forward", "natural_person") in cited
    assert ("suqian_city_2023.txt", "carried_over", "natural_person") not in cited  # not part of the relation
    stated = {(v.report, v.row, v.column): v.value for v in answer.values if v.op == "cell"}
    assert stated[("suqian_city_2024.txt", "carried_over", "natural_person")] == 119
    assert stated[("suqian_city_2023.txt", "carried_forward", "natural_person")] == 118
    assert "119" in answer.answer and "118" in answer.answer


def test_a_count_of_agencies_counts_an_agency_once_over_several_years(assistant: Assistant) -> None:
    # 表四 行政复议 结果纠正 > 0: 宿迁市 2023 (17) and 2024 (18), 洪泽区 2023 (1) and 2024 (1), 淮安市 2024 (64)
    a = assistant.ask("2023至2024年有几家单位存在行政复议被纠正的情况？")
    count = next(v for v in a.values if v.op == "count")
    assert count.value == 3 and "有 3 个（5 份报告）" in a.answer


def test_a_threshold_question_is_answered_yes_or_no_with_the_value(assistant: Assistant) -> None:
    yes = assistant.ask("宿迁市2024年新收申请超过3000件吗？")
    assert yes.answer.startswith("是。") and "3525件" in yes.answer and yes.understood["op"] == "threshold"
    no = assistant.ask("宿迁2024年新收申请超过5000件了吗")
    assert no.answer.startswith("否。") and "未超过5000件" in no.answer
    assert [v.value for v in no.values if v.op == "cell"] == [Decimal(3525)]


def test_which_template_a_report_uses_is_answered_with_its_evidence(assistant: Assistant) -> None:
    new = assistant.ask("宿迁市2023年的报告用的是哪一版模板？")
    assert "2021年修订版模板" in new.answer and new.citations and not [v for v in new.values if v.op == "cell"]
    old = assistant.ask("青铜峡市信访局2020年报告采用哪个版本的模板")
    assert "2019年试行版模板" in old.answer


def test_two_named_cells_of_one_report_are_added_up(assistant: Assistant) -> None:
    answer = assistant.ask("宿迁市2024年行政复议和行政诉讼合计多少件？")
    sums = [v for v in answer.values if v.op == "sum" and v.table is None and "合计" in v.label]
    assert [v.value for v in sums] == [Decimal(247)] and "170 + 77 = 247" in answer.answer


def test_a_quote_from_a_traditional_copy_shows_the_characters_it_printed(tmp_path: Path) -> None:
    import opencc

    text = (Path(__file__).resolve().parents[1] / "data" / "real" / "pingtan_2021.txt").read_text(encoding="utf-8")
    traditional = opencc.OpenCC("s2t").convert(text)
    source = tmp_path / "trad.txt"
    source.write_text(traditional, encoding="utf-8")
    answer = _ask_new_store(tmp_path, [source], "平潭2021年存在哪些问题？")
    passages = [c for c in answer.citations if c.cell is None]
    assert answer.kind == "passage" and passages
    published = "".join(traditional.split())
    for c in passages:
        assert c.original and c.original != c.quote and "".join(c.original.split()) in published
        assert opencc.OpenCC("t2s").convert(c.original) == c.quote
        assert c.to_json()["original"] == c.original


def _ask_new_store(tmp_path: Path, sources: list[Path], question: str):  # type: ignore[no-untyped-def]
    """Ingest ``sources`` into a new store (fake embeddings) and ask one question of it."""
    from ingest.pipeline import Ingestor

    settings = Settings.from_env(env={}, data_dir=tmp_path / "data", embedding_backend="fake")
    ingestor = Ingestor.open(settings)
    try:
        for source in sources:
            assert ingestor.ingest(source).status == "added"
    finally:
        ingestor.close()
    a = Assistant.open(settings)
    try:
        return a.ask(question)
    finally:
        a.close()


def test_a_count_of_documents_in_fen_is_the_texts_count_in_jian(assistant: Assistant) -> None:
    answer = assistant.ask("宿迁市2024年门户网站政策文件库一共归集了多少份文件？")
    assert answer.kind == "passage" and "10219件" in answer.answer  # "共归集政策文件10219件"
    assert any(v.op == "quote" and v.value == Decimal(10219) for v in answer.values)


def test_two_narrative_numbers_are_each_quoted(assistant: Assistant) -> None:
    answer = assistant.ask("宿迁市2024年政策文件库一共归集了多少份文件？其中县区级文件有几件？")
    assert answer.kind == "passage"
    assert "10219" in answer.answer and "2079" in answer.answer


def test_a_place_not_in_the_store_is_never_answered_with_other_agencies(assistant: Assistant) -> None:
    for question in ("南京2021年存在哪些问题？", "2021年南京收到多少申请"):
        answer = assistant.ask(question)
        assert answer.kind == "none" and "资料库中没有“南京”" in answer.answer and not answer.citations


def test_a_named_agency_without_the_year_asked_is_said_to_be_missing_not_dropped(assistant: Assistant) -> None:
    a = assistant.ask("宿迁市和淮安市2023年行政复议各多少件？")
    assert any("没有淮安市人民政府2023年的年报" in w and "现有：2024年" in w for w in a.warnings), a.warnings
    assert a.answer.startswith("（资料库中没有淮安市人民政府2023年")
    assert {v.report for v in a.values} == {"suqian_city_2023.txt"}  # nothing answered for 淮安
    assert not any("没有" in w and "年报" in w for w in assistant.ask("宿迁市2023年和2024年行政复议各多少件？").warnings)


def test_of_several_numbers_one_quote_states_the_one_asked_is_singled_out(assistant: Assistant) -> None:
    a = assistant.ask("宿迁市2024年信息处理费里沭阳县民政局收了多少钱？")
    quoted = [v for v in a.values if v.op == "quote"]
    assert a.kind == "passage" and quoted and quoted[0].value == Decimal(880), a.answer
    assert "其中所问的“沭阳县民政局1件，收取”为 880元[1]。" in a.answer
    fee = assistant.ask("宿迁市2023年收取了多少信息处理费？")  # the sum, not the 25 applications it was paid for
    assert [v.value for v in fee.values if v.op == "quote"][0] == Decimal(2950)
