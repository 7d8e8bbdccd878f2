from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from retrieval.agencies import AgencyDirectory, ReportInfo, split_name
from retrieval.query import Condition, Measure
from retrieval.understand import parse_years, understand

REPORTS = [
    ReportInfo("a", "a.txt", "周口市信访局", 2021, "2021"),
    ReportInfo("b", "b.txt", "周口市行政服务中心", 2021, "2021"),
    ReportInfo("c", "c.txt", "川汇区信访局", 2021, "2021"),
    ReportInfo("d", "d.txt", "宿迁市", 2023, "2021"),
    ReportInfo("e", "e.txt", "宿迁市", 2024, "2021"),
    ReportInfo("f", "f.txt", "洪泽区人民政府", 2023, "2021"),
    ReportInfo("g", "g.txt", "淮安市洪泽区人民政府", 2024, "2021"),
    ReportInfo("h", "h.txt", "淮安市人民政府", 2024, "2021"),
]


@pytest.fixture(scope="module")
def directory() -> AgencyDirectory:
    return AgencyDirectory(REPORTS)


def test_split_name() -> None:
    assert split_name("淮安市洪泽区人民政府") == (("淮安", "洪泽"), ("淮安市", "洪泽区"), "人民政府")
    assert split_name("宿迁市") == (("宿迁",), ("宿迁市",), "")


def test_one_agency_with_two_printed_names(directory: AgencyDirectory) -> None:
    hongze = [a for a in directory.agencies if "洪泽" in a.name]
    assert len(hongze) == 1 and hongze[0].years == (2023, 2024)


@pytest.mark.parametrize(("text", "names"), [
    ("洪泽区政府2023年", ["淮安市洪泽区人民政府"]),
    ("淮安市洪泽区2024年", ["淮安市洪泽区人民政府"]),
    ("淮安市2024年全市", ["淮安市人民政府"]),
    ("宿迁全市", ["宿迁市"]),
    ("周口信访局21年", ["周口市信访局"]),
    ("周口市2021年", ["周口市信访局", "周口市行政服务中心"]),
    ("各信访局", ["周口市信访局", "川汇区信访局"]),
    ("宿迁市政府2024年", ["宿迁市"]),  # a whole region's report is its government's
    ("宿迁市2024年市政府门户网站", ["宿迁市"]),
])
def test_agency_aliases(directory: AgencyDirectory, text: str, names: list[str]) -> None:
    assert sorted(a.name for a in directory.resolve(text).agencies) == sorted(names)


@pytest.mark.parametrize(("text", "unknown"), [
    ("南京市信访局2021年收到多少申请", "南京市"), ("周口市公安局2021年", "周口市公安局"), ("平潭实验区", "平潭实验区"),
    ("淮安市清江浦区2024年新收申请多少件", "淮安市清江浦区"),  # a district of a known city is not the city
    ("宿迁市信访局", "宿迁市信访局"),
])
def test_unknown_agency_is_reported_not_guessed(directory: AgencyDirectory, text: str, unknown: str) -> None:
    match = directory.resolve(text)
    assert match.agencies == () and unknown in match.unknown


def test_years() -> None:
    assert parse_years("2023至2024年", (2023, 2024)) == ((2023, 2024), 0)
    assert parse_years("21年新收", (2021,)) == ((2021,), 0)
    assert parse_years("二〇二三年", (2023,))[0] == ()  # only after normalise_question
    assert parse_years("近两年", (2023, 2024)) == ((), 2)
    assert parse_years("上年结转多少", (2023, 2024)) == ((), 0)  # 上年结转 is a table row, not a year
    assert parse_years("去年", (2023, 2024)) == ((2023,), 0)
    assert parse_years("去年", (2023, 2024), this_year=2026) == ((2025,), 0)  # asked in 2026
    assert parse_years("前年呢", (2023, 2024), this_year=2024) == ((2022,), 0)


def test_relative_years_count_from_the_date_asked_or_the_year_in_play(directory: AgencyDirectory) -> None:
    assert understand("宿迁市去年行政复议多少件？", directory, today=date(2025, 3, 1)).years == (2024,)
    first = understand("宿迁市2024年行政复议多少件？", directory)
    assert understand("那去年呢？", directory, first, today=date(2026, 12, 6)).years == (2023,)


def test_two_measures_in_one_question(directory: AgencyDirectory) -> None:
    q = understand("宿迁市2023年行政复议总计多少件？其中纠正多少？", directory)
    assert q.measures == (Measure("四", "review", "total"), Measure("四", "review", "corrected"))
    assert q.agencies == ("宿迁市",) and q.years == (2023,) and q.op == "value"


@pytest.mark.parametrize(("text", "measure"), [
    ("淮安市2024年不予公开的一共多少件", Measure("三", "withheld", None)),
    ("法人或其他组织提出的申请有多少件", Measure("三", "new_applications", "organisations")),
    ("复议后起诉的案件总共多少件", Measure("四", "suit_after_review", None)),
    ("规章本年制发几件", Measure("二", "rules", "issued")),
    ("行政诉讼多少件", Measure("四", "suit", None)),
    ("结转下年度继续办理的申请", Measure("三", "carried_forward", None)),
])
def test_measures(directory: AgencyDirectory, text: str, measure: Measure) -> None:
    assert measure in understand(text, directory).measures


@pytest.mark.parametrize(("text", "op", "cond"), [
    ("2021年哪些机关收到了政府信息公开申请？", "list", (">", Decimal(0))),
    ("2024年哪些单位行政复议纠正超过10件？", "list", (">", Decimal(10))),
    ("2024年哪个单位新收的政府信息公开申请最多？", "list", ("max", None)),
    ("有几家单位新收申请超过1000件？", "count", (">", Decimal(1000))),
    ("2022年收到政府信息公开申请的单位有多少个？", "count", (">", Decimal(0))),
    ("2022年有多少单位收到了政府信息公开申请？", "count", (">", Decimal(0))),
    ("新收申请超过10件的单位一共有几家？", "count", (">", Decimal(10))),
    ("宿迁市2024年新收申请多少件？", "value", None),
    ("2024年宿迁市和淮安市新收申请加起来一共多少件？", "sum", None),
    ("2024年淮安市的行政复议案件比宿迁市多多少件？", "compare", None),
    ("宿迁市行政复议2024年比2023年减少了多少？", "change", None),
    ("宿迁市2024年正文说的行政复议案件数和表四一致吗？", "consistency", None),
])
def test_operations(directory: AgencyDirectory, text: str, op: str, cond: tuple | None) -> None:
    q = understand(text, directory)
    assert q.op == op
    if cond is not None:
        assert q.condition is not None and (q.condition.op, q.condition.threshold) == cond


def test_followups_replace_only_what_they_mention(directory: AgencyDirectory) -> None:
    first = understand("宿迁市2024年行政复议总计多少件？", directory)
    second = understand("其中维持多少？", directory, first)
    assert second.measures == (Measure("四", "review", "upheld"),) and second.years == (2024,)
    third = understand("那2023年呢？", directory, second)
    assert third.measures == second.measures and third.years == (2023,) and third.agencies == ("宿迁市",)
    fourth = understand("淮安市的呢？", directory, third)
    assert fourth.agencies == ("淮安市人民政府",) and fourth.years == (2023,)


def test_followup_keeps_topic_of_narrative_question(directory: AgencyDirectory) -> None:
    first = understand("宿迁市2023年存在的主要问题是什么？", directory)
    second = understand("那2024年呢？", directory, first)
    assert second.intent == "problems" and second.years == (2024,) and second.op == "passage"


def test_a_new_full_question_does_not_inherit(directory: AgencyDirectory) -> None:
    first = understand("宿迁市2023年存在的主要问题是什么？", directory)
    second = understand("淮安市新收申请多少件？", directory, first)
    assert second.years == () and not second.followup


@pytest.mark.parametrize("text", ["宿迁市2023年政务公开专区建设得怎么样？", "宿迁市2024年产业园区的信息公开", "宿迁市社区公开栏"])
def test_common_words_ending_in_qu_are_not_places(directory: AgencyDirectory, text: str) -> None:
    match = directory.resolve(text)
    assert match.unknown == () and [a.name for a in match.agencies] == ["宿迁市"]


@pytest.mark.parametrize(("text", "intent"), [
    ("洪泽区2023年主要通过什么平台主动公开政府信息？", "platforms"),  # the word after 什么 is what is asked
    ("淮安市2024年针对存在的问题准备怎么改进？", "improvements"),
    ("川汇区信访局针对问题采取了哪些改进措施？", "improvements"),
    ("宿迁市2023年存在的主要问题是什么？", "problems"),
    ("川汇区信访局收没收信息公开的费用？", "fees"),
])
def test_intent_is_what_the_question_asks_for(directory: AgencyDirectory, text: str, intent: str) -> None:
    assert understand(text, directory).intent == intent


def test_a_measure_named_twice_is_asked_once(directory: AgencyDirectory) -> None:
    q = understand("2021年规范性文件新制作（制发）数量最多的是哪个单位？", directory)
    assert q.measures == (Measure("二", "normative_documents", "issued"),)


def test_followup_to_another_agency_does_not_search_for_the_old_one(directory: AgencyDirectory) -> None:
    first = understand("周口市行政服务中心2021年存在哪些主要问题？", directory)
    second = understand("那周口市信访局呢？", directory, first)
    assert second.agencies == ("周口市信访局",) and "服务中心" not in second.search_text
    assert second.intent == "problems"


def test_receiving_other_things_is_not_an_application_count(directory: AgencyDirectory) -> None:
    assert understand("宿迁市2023年收到多少条公众意见？", directory).measures == ()
    assert understand("宿迁市2023年收到多少件申请？", directory).measures == (Measure("三", "new_applications", None),)
    assert understand("宿迁市2023年收到多少件？", directory).measures == (Measure("三", "new_applications", None),)


def test_colloquial_outcome_words(directory: AgencyDirectory) -> None:
    assert understand("淮安24年复议还没审结的有几件？", directory).measures == (Measure("四", "review", "pending"),)


def test_a_followup_without_a_question_before_it_needs_context(directory: AgencyDirectory) -> None:
    assert understand("其中纠正多少？", directory).needs_context
    assert understand("那2020年呢？", directory).needs_context is False  # a year is enough to answer
    assert understand("周口市信访局呢？", directory).needs_context is False
    first = understand("宿迁市2024年行政复议总计多少件？", directory)
    assert understand("其中纠正多少？", directory, first).needs_context is False


def test_a_question_about_what_reports_mention_is_not_a_table_question(directory: AgencyDirectory) -> None:
    mention = understand("哪些单位提到依申请公开答复的规范性还需加强？", directory)
    assert mention.measures == () and mention.op == "passage_list"
    in_a_year = understand("2022年哪些单位提到依申请公开答复的规范性还需加强？", directory)
    assert in_a_year.measures == () and in_a_year.op == "passage_list" and in_a_year.years == (2022,)
    assert understand("哪些单位提到收到的申请超过100件？", directory).measures  # an amount is still a table question


def test_a_short_question_about_which_units_stands_alone(directory: AgencyDirectory) -> None:
    alone = understand("哪些单位召开了专题会议？", directory)
    assert not alone.needs_context and alone.op == "passage_list"
    first = understand("宿迁市2024年行政复议总计多少件？", directory)
    assert understand("哪些单位召开了专题会议？", directory, first).agencies == ()  # not 宿迁市's follow-up
    assert understand("哪些单位？", directory).needs_context  # names no topic: it continues a question


@pytest.mark.parametrize(("text", "op", "cond"), [
    ("洪泽区2024年新收的申请有没有过100件", "threshold", (">", Decimal(100))),
    ("宿迁市2025年转到下一年办的申请超过50件没有？", "threshold", (">", Decimal(50))),
    ("宿迁市去年的行政处罚决定过千了吗？", "threshold", (">", Decimal(1000))),
    ("24年申请件上三千的是哪几家？", "list", (">=", Decimal(3000))),
    ("洪泽区2023和2024哪一年新收的申请多？", "list", ("max", None)),
    ("宿迁市2023到2024年，有几年行政复议超过5件？", "count", (">", Decimal(5))),
    ("这几份年报里，哪些行政许可决定数不是0？", "list", (">", Decimal(0))),
    ("淮安24年行政处罚决定超没超五千个？", "threshold", (">", Decimal(5000))),
    ("宿迁市24年的规章现行有效的有没有到二十件？", "threshold", (">=", Decimal(20))),
])
def test_how_staff_put_thresholds_ranks_and_counts(directory: AgencyDirectory, text: str, op: str, cond) -> None:
    q = understand(text, directory, today=date(2025, 3, 1))
    assert q.op == op
    assert q.condition is not None and (q.condition.op, q.condition.threshold) == cond


def test_a_group_and_its_parts_are_summed_once(directory: AgencyDirectory) -> None:
    q = understand("宿迁市2024年行政诉讼一共几件？直接起诉和复议后起诉加一起", directory)
    assert q.op == "sum" and [m.row for m in q.measures] == ["suit"]


def test_follow_ups_that_ask_for_the_year_before(directory: AgencyDirectory) -> None:
    first = understand("宿迁市2024年行政处罚决定多少件？", directory)
    change = understand("比上一年少了多少？", directory, first)
    assert (change.op, change.years, [m.row for m in change.measures]) == ("change", (2023, 2024), ["penalty"])
    before = understand("那前一年呢？", directory, first)
    assert before.years == (2023,) and [m.row for m in before.measures] == ["penalty"]
    carried = understand("宿迁市2024年上一年结转的申请有多少？", directory)
    assert carried.years == (2024,) and [m.row for m in carried.measures] == ["carried_over"]


def test_short_forms_staff_use(directory: AgencyDirectory) -> None:
    q = understand("宿迁24年从上一年转过来的申请件有多少？", directory)
    assert [m.row for m in q.measures] == ["carried_over"] and q.unexplained == ()
    q = understand("宿迁24年没处理完的申请有多少？", directory)
    assert [m.row for m in q.measures] == ["carried_forward"]
    assert understand("宿迁19年到21年新收申请多少", directory).years == (2019, 2020, 2021)


def test_years_listed_with_a_count_of_years() -> None:
    assert parse_years("宿迁23、24两年信息处理费", (2023, 2024))[0] == (2023, 2024)
    assert parse_years("23和24年", (2023, 2024))[0] == (2023, 2024)


def test_a_question_on_the_text_and_the_table(directory: AgencyDirectory) -> None:
    q = understand("宿迁2023年正文说受理了多少申请？表三新收多少？", directory)
    assert q.op == "text_and_table" and q.measures == (Measure("三", "new_applications", None),)
    assert understand("宿迁2023年正文里的受理数和表三一致不？", directory).op == "consistency"


def test_one_cell_against_its_own_other_cell(directory: AgencyDirectory) -> None:
    q = understand("哪几份报告行政规范性文件废止的比新发的还多？", directory)
    assert q.op == "list" and q.condition is not None and q.condition.versus_second and q.condition.op == ">"
    assert q.measures == (Measure("二", "normative_documents", "repealed"), Measure("二", "normative_documents", "issued"))
    fewer = understand("有几家单位行政复议纠正的比维持的少？", directory)
    assert fewer.op == "count" and fewer.condition is not None and fewer.condition.op == "<"


def test_is_there_any_asks_yes_or_no(directory: AgencyDirectory) -> None:
    q = understand("宿迁2024年的复议有被纠正的吗？", directory)
    assert q.op == "threshold" and q.condition is not None and q.condition.threshold == 0
    assert understand("宿迁2024年复议纠正了多少件？", directory).op == "value"


def test_a_part_named_with_its_group_is_the_part(directory: AgencyDirectory) -> None:
    q = understand("淮安那个“本机关不掌握”没法提供的，24年多少件来着", directory)
    assert q.measures == (Measure("三", "unavailable_not_held", None),) and not q.unexplained


def test_old_or_new_format_asks_for_the_template(directory: AgencyDirectory) -> None:
    assert understand("宿迁23年的报告是老格式还是新格式？", directory).op == "template"


def test_a_follow_up_on_what_a_passage_quoted_stays_on_the_passage(directory: AgencyDirectory) -> None:
    first = understand("宿迁市2024年信息处理费收了多少钱？", directory)
    q = understand("一共涉及几件申请？", directory, first)
    assert q.op == "passage" and not q.measures and q.agencies == first.agencies and q.years == (2024,)
    assert "信息处理费" in q.search_text


def test_both_agencies_of_the_last_two_turns(directory: AgencyDirectory) -> None:
    one = understand("宿迁2023年行政复议多少件？", directory)
    two = understand("淮安市2024年呢？", directory, one)
    both = understand("两家加起来多少？", directory, two)
    assert both.op == "sum" and [(x.agencies, x.years) for x in both.also] == [(("宿迁市",), (2023,))]
    assert both.agencies == ("淮安市人民政府",) and both.years == (2024,)


def test_colloquial_phrasings_of_lawsuits(directory: AgencyDirectory) -> None:
    after = understand("淮安2024年先复议、复议完再去法院告的有几件？", directory)
    assert after.measures == (Measure("四", "suit_after_review", None),) and not after.unexplained
    ordered = understand("宿迁24年那些先走了复议、后来又去法院告的，一共几件？", directory)
    assert ordered.measures == (Measure("四", "suit_after_review", None),) and not ordered.unexplained
    direct = understand("宿迁23年没经过复议、直接去法院告的有几件", directory)
    assert direct.measures == (Measure("四", "direct_suit", None),)
    results = understand("宿迁2024年复议结果怎么样", directory)
    assert {m.column for m in results.measures} == {"upheld", "corrected", "other", "pending"}
    assert "复议结果" in results.search_text  # passages are searched with the question's own words


def test_a_lead_in_to_a_suit_after_review_is_part_of_it(directory: AgencyDirectory) -> None:
    q = understand("淮安24年信息公开这块，先走了复议、复议完不服又去法院告的，一共几起？", directory)
    assert q.measures == (Measure("四", "suit_after_review", None),) and not q.unexplained and q.op == "value"


def test_bare_outcomes_in_a_follow_up_are_those_of_the_group_asked_before(directory: AgencyDirectory) -> None:
    first = understand("宿迁24年因为信息公开被申请复议的有几件？", directory)
    then = understand("那结果咋样，被纠错了没？", directory, first)
    assert {(m.row, m.column) for m in then.measures} == {("review", c) for c in ("upheld", "corrected", "other",
                                                                                    "pending")}
    suits = understand("那结果怎么样？", directory, understand("宿迁24年行政诉讼有几件？", directory))
    assert {m.row for m in suits.measures} == {"suit"} and len(suits.measures) == 4
    alone = understand("那结果咋样？", directory, understand("宿迁24年新收申请多少件？", directory))
    assert all(m.table != "四" for m in alone.measures)  # no group asked before: no outcomes made up


def test_a_number_the_text_states_is_asked_of_the_text_beside_the_cells(directory: AgencyDirectory) -> None:
    q = understand("宿迁24年正文说复议诉讼相关案件一共办了多少件？表四里光复议是几件？", directory)
    assert q.op == "text_and_table" and Measure("四", "review", None) in q.measures
    named = understand("宿迁24年正文里说全县办了多少件复议诉讼相关的案子？表里行政复议单算是几件？", directory)
    assert named.op == "text_and_table" and not named.text_part  # 表里… names cells: not the text's clause


def test_more_ways_to_ask_whether_numbers_agree(directory: AgencyDirectory) -> None:
    for text in ("洪泽区24年报告里有没有数字打架的地方？", "宿迁2024年表四加起来对吗？", "宿迁2023年正文和表格有出入吗"):
        assert understand(text, directory).op == "consistency", text


def test_the_year_before_is_not_a_carried_over_count(directory: AgencyDirectory) -> None:
    q = understand("宿迁24年表三里新收和上年结转各是多少？", directory)
    assert q.years == (2024,) and q.op != "change"


def test_a_count_in_a_unit_no_cell_uses_is_asked_of_the_text(directory: AgencyDirectory) -> None:
    q = understand("宿迁2023年公开了多少条政府采购项目信息？", directory)
    assert not q.measures and q.op == "passage"


def test_a_homophone_typed_for_a_statistic_is_read_as_it(directory: AgencyDirectory) -> None:
    q = understand("宿迁2024年废止了几件规范姓文件？", directory)
    assert q.measures == (Measure("二", "normative_documents", "repealed"),)
    assert q.respelled == (("规范姓文件", "规范性文件"),)
    assert understand("宿迁2024年行政复议多少件", directory).respelled == ()


def test_years_listed_before_this_two_years() -> None:
    assert parse_years("24、25这两年的报告里", (2024, 2025))[0] == (2024, 2025)


@pytest.mark.parametrize("text, year", [("洪泽区二三年新收申请多少件？", 2023), ("宿迁二四年行政复议多少件？", 2024)])
def test_two_digit_years_in_numerals(directory: AgencyDirectory, text: str, year: int) -> None:
    assert understand(text, directory).years == (year,)


@pytest.mark.parametrize("text, threshold, in_wan", [
    ("宿迁市2024年新收申请过三十件了吗？", Decimal(30), False),
    ("宿迁市2024年新收申请超过十件没有？", Decimal(10), False),
    ("宿迁市2024年行政事业性收费上亿了没有？", Decimal(100_000_000), True),
    ("宿迁市2024年行政处罚过四百万了没有？", Decimal(4_000_000), True),
])
def test_round_numbers_in_words(directory: AgencyDirectory, text: str, threshold: Decimal, in_wan: bool) -> None:
    q = understand(text, directory)
    assert q.condition is not None and (q.condition.threshold, q.condition.in_wan) == (threshold, in_wan)


def test_the_total_of_results_is_not_added_to_its_own_rows(directory: AgencyDirectory) -> None:
    q = understand("宿迁市2024年逾期不补正的加上逾期不交费的，一共不再处理了多少件？", directory)
    assert q.op == "sum"
    assert [m.row for m in q.measures] == ["other_overdue_correction", "other_unpaid_fee"]


def test_colloquial_words_around_a_cell_leave_nothing_unexplained(directory: AgencyDirectory) -> None:
    for text in ("淮安市2024年依申请里头不予公开的，各种理由合起来一共多少件？", "淮安市2024年信息公开方面的行政复议有几件？",
                 "宿迁市2024年没办完、转到下一年接着办的申请有多少？"):
        q = understand(text, directory)
        assert q.measures and not q.unexplained, text


def test_an_organ_typed_as_a_homophone_but_not_inside_a_statistic() -> None:
    d = AgencyDirectory([*REPORTS, ReportInfo("s", "s.txt", "上海市人民政府办公厅", 2025, "2021")])
    assert understand("市府办工厅2025年新收申请多少件？", d).agencies == ("上海市人民政府办公厅",)
    q = understand("宿迁市2024年信访举报投诉类申请不予处理的有多少？", d)
    assert q.agencies == ("宿迁市",) and not q.unknown_agencies
    assert [m.row for m in q.measures] == ["not_processed_petition"]


def test_put_off_to_next_year_is_carried_forward_not_a_year(directory: AgencyDirectory) -> None:
    q = understand("宿迁市2024年顺延到下一年再答复的有几件？", directory)
    assert q.years == (2024,) and [m.row for m in q.measures] == ["carried_forward"]


def test_a_template_named_by_its_year_is_not_a_year(directory: AgencyDirectory) -> None:
    q = understand("宿迁市哪几份报告用的2019年那版老模板？", directory)
    assert q.op == "template" and q.years == ()


def test_relative_years_after_a_relative_year_count_from_the_day_asked(directory: AgencyDirectory) -> None:
    first = understand("宿迁市去年行政复议多少件？", directory, today=date(2025, 3, 1))
    assert first.years == (2024,)
    assert understand("那前年呢？", directory, first, today=date(2025, 3, 1)).years == (2023,)


def test_a_two_character_homophone_and_connectives(directory: AgencyDirectory) -> None:
    q = understand("淮安市2024年被复意加上被起诉的，总共多少件？", directory)
    assert q.op == "sum" and {m.row for m in q.measures} == {"review", "suit"} and not q.unexplained
    q = understand("洪泽区2023年没有现成信息、要另外制作所以没法提供的有几件？", directory)
    assert [m.row for m in q.measures] == ["unavailable_needs_creation"] and not q.unexplained


def test_two_clauses_one_for_the_text_one_for_the_table(directory: AgencyDirectory) -> None:
    q = understand("洪泽区2023年政府网站上主动公开了多少条信息？依申请新收了几件？", directory)
    assert q.op == "text_and_table" and [m.row for m in q.measures] == ["new_applications"]
    assert "多少条" in q.text_part and not q.unexplained


@pytest.mark.parametrize("text, row, column", [
    ("宿迁市2023年政府信息公开的复议，被复议机关改了的有几件？", "review", "corrected"),
    ("宿迁市2024年从前一年转过来接着办的申请有多少？", "carried_over", None),
    ("评估核一下，宿迁市2024年复议完了又去法院告的，一共几件？", "suit_after_review", None),
    ("宿迁市2023、2024两年的申请量（当年新收的）加起来多少件？", "new_applications", None),
])
def test_more_colloquial_words(directory: AgencyDirectory, text: str, row: str, column: str | None) -> None:
    q = understand(text, directory)
    assert [(m.row, m.column) for m in q.measures][:1] == [(row, column)] and not q.unexplained


def test_fee_notice_rows_exclusions_and_non_persons(directory: AgencyDirectory) -> None:
    q = understand("宿迁24年过期不补正的、收费通知了不交钱的，加起来多少件？", directory, today=date(2025, 3, 1))
    assert {m.row for m in q.measures} == {"other_overdue_correction", "other_unpaid_fee"}  # not 表二's 收费
    q = understand("淮安24年完全予以公开的有几件？不算部分公开的", directory, today=date(2025, 3, 1))
    assert [m.row for m in q.measures] == ["granted"]
    q = understand("淮安24年行政复议还没审完的有几件？", directory, today=date(2025, 3, 1))
    assert [(m.row, m.column) for m in q.measures] == [("review", "pending")]
    q = understand("淮安24年新收的申请里不是老百姓个人提的有几件？", directory, today=date(2025, 3, 1))
    assert {m.column for m in q.measures} == {"organisations"}


@pytest.mark.parametrize("text, op, threshold", [
    ("宿迁市2024年行政事业性收费到没到五个亿？", ">=", Decimal(500_000_000)),
    ("宿迁市2024年收费超过2亿了吗？", ">", Decimal(200_000_000)),
    ("宿迁市2024年行政复议纠正的上两位数了没有？", ">=", Decimal(10)),
    ("宿迁市2024年新收申请过没过三位数？", ">=", Decimal(100)),  # three digits: 100 or more
    ("宿迁24年行政许可决定数破没破一百五十万？", ">", Decimal(1_500_000)),
])
def test_thresholds_in_words_and_magnitudes(directory: AgencyDirectory, text: str, op: str,
                                            threshold: Decimal) -> None:
    q = understand(text, directory)
    assert q.op == "threshold" and q.condition is not None
    assert (q.condition.op, q.condition.threshold) == (op, threshold)


@pytest.mark.parametrize("text, row, column", [
    ("宿迁24年给了收费通知、对方过期没交钱、就不再处理的有几件？", "other_unpaid_fee", None),
    ("宿迁24年因为过了期限还不交费不再处理的有几件？", "other_unpaid_fee", None),
    ("宿迁24年复议完了还不服、又去法院告的，有几件？", "suit_after_review", None),
    ("宿迁24年直接起诉的到年底还没判的有几件？", "direct_suit", "pending"),
    ("宿迁24年补正以后还是说不清楚、没法提供的有几件？", "unavailable_unclear", None),
    ("宿迁24年让人家补材料、过了期也不补、最后就不管了的申请有几件？", "other_overdue_correction", None),
    ("宿迁24年因为“我们这儿压根没有这个信息”答复的有多少件？", "unavailable_not_held", None),
    ("宿迁24年规范性文件废掉了多少件？", "normative_documents", "repealed"),
    ("宿迁24年那份，规章现行有效那栏填的是几件？", "rules", "in_force"),
    ("宿迁24年没经复议直接被告上法庭的有几件？", "direct_suit", None),
    ("淮安去年那种重复提交、按重复申请不予处理的，一共几件？", "not_processed_repeated", None),
    ("周口市信访局21年有人来申请公开政府信息没有？收了几件？", "new_applications", None),
    ("宿迁24年回复人家“我们这儿没有这个信息”的，一共多少件？", "unavailable_not_held", None),
])
def test_everyday_words_for_rare_rows(directory: AgencyDirectory, text: str, row: str, column: str | None) -> None:
    q = understand(text, directory)
    assert [(m.row, m.column) for m in q.measures][:1] == [(row, column)] and not q.unexplained


def test_within_the_row_just_asked_an_applicant_column(directory: AgencyDirectory) -> None:
    first = understand("宿迁市2023年因为属于三类内部事务信息不予公开的有几件？", directory)
    q = understand("这里头有几件是法人或其他组织申请的？", directory, first)
    assert [(m.row, m.column) for m in q.measures] == [("withheld_internal_affairs", "organisations")]
    assert q.agencies == ("宿迁市",) and q.years == (2023,)


def test_a_total_asked_after_an_outcome_is_the_total(directory: AgencyDirectory) -> None:
    first = understand("宿迁市2023年行政复议结果纠正的有几件？", directory)
    q = understand("那直接起诉的呢，总共多少件？", directory, first)
    assert [(m.row, m.column) for m in q.measures] == [("direct_suit", None)] and q.op == "value"


def test_words_of_a_topic_no_table_counts_are_not_a_cell(directory: AgencyDirectory) -> None:
    q = understand("宿迁市2024年办理了多少件人大代表建议和政协提案？", directory)
    assert not q.measures or q.unexplained  # never 表三's 办理结果总计


def test_a_bare_office_name_is_the_government_office() -> None:
    reports = [*REPORTS, ReportInfo("s", "s.txt", "上海市人民政府办公厅", 2025, "2021")]
    match = AgencyDirectory(reports).resolve("办公厅2025年被起诉了几件")
    assert [a.name for a in match.agencies] == ["上海市人民政府办公厅"]


def test_how_many_documents_is_not_how_many_reports(directory: AgencyDirectory) -> None:
    assert understand("宿迁市2024年政策文件库归集了多少份文件？", directory).op != "count"
    assert understand("2024年新收申请超过100件的有多少份报告？", directory).op == "count"


def test_each_agency_with_its_own_year(directory: AgencyDirectory) -> None:
    q = understand("宿迁23年跟淮安24年的行政复议，两家加起来一共多少件？", directory)
    assert (q.agencies, q.years) == (("宿迁市",), (2023,))
    assert [(x.agencies, x.years) for x in q.also] == [(("淮安市人民政府",), (2024,))]
    q = understand("宿迁23、洪泽24这两份里头，哪家新收申请最多？", directory)
    assert [(q.agencies, q.years)] + [(x.agencies, x.years) for x in q.also] == \
        [(("宿迁市",), (2023,)), (("淮安市洪泽区人民政府",), (2024,))]
    q = understand("宿迁2023年和2024年新收申请各多少件？", directory)  # one agency, two years: no pairs
    assert q.years == (2023, 2024) and not q.also


def test_a_government_word_inside_a_statistic_is_not_an_agency(directory: AgencyDirectory) -> None:
    q = understand("淮安市2024年公开了多少期政府常务会议？", directory)
    assert q.agencies == ("淮安市人民政府",)


def test_years_listed_in_numerals_and_a_pointing_word_before_an_organ(directory: AgencyDirectory) -> None:
    q = understand("宿迁二三、二四这两年新收申请加起来多少件？", directory)
    assert q.years == (2023, 2024) and q.agencies == ("宿迁市",)
    q = understand("周口那个行政服务中心21年新收申请多少件？", directory)
    assert q.agencies == ("周口市行政服务中心",) and q.years == (2021,)
    assert understand("淮安24年的年报里自己承认有啥毛病？", directory).intent == "problems"


def test_a_homophone_repair_never_turns_yes_into_no(directory: AgencyDirectory) -> None:
    for text in ("宿迁2024年全部公开的申请多少件", "宿迁2024年那些申请，全部给公开的是多少件？"):
        q = understand(text, directory)
        assert [m.row for m in q.measures] == ["granted"] and not q.respelled
    q = understand("宿迁2024年复义完了还不服、又去法院告的，一共几起？", directory)  # 复议 typed 复义
    assert [m.row for m in q.measures] == ["suit_after_review"] and q.respelled == (("复义", "复议"),)
    q = understand("宿迁24年新收的申情多少件", directory)
    assert [m.row for m in q.measures] == ["new_applications"] and not q.unexplained


def test_left_over_words_that_name_another_row_of_the_table(directory: AgencyDirectory) -> None:
    q = understand("宿迁前年那种没现成信息、得另外制作的申请，最后算了几件？", directory, today=date(2025, 4, 1))
    assert [(m.table, m.row) for m in q.measures] == [("三", "unavailable_needs_creation")] and not q.unexplained


def test_which_office_is_not_which_agencies(directory: AgencyDirectory) -> None:
    assert understand("宿迁市的信息查阅点设在哪个科室？", directory).op == "passage"
    assert understand("2021年哪些单位收到了申请？", directory).op == "list"


def test_a_sum_asked_against_a_threshold_over_both_years(directory: AgencyDirectory) -> None:
    q = understand("洪泽两年的申请量加一块儿，过一百件了没？", directory)
    assert q.op == "sum" and q.recent == 2 and q.condition == Condition(">", Decimal(100))
    assert understand("宿迁23、24这两年新收申请加起来多少件？", directory).years == (2023, 2024)  # named years win
    q = understand("去年沭阳的行政处罚决订够不够七十万件？", directory, today=date(2025, 4, 1))
    assert q.condition is not None and (q.condition.op, q.condition.threshold) == (">=", Decimal(700000))
    assert "决订" not in q.unexplained and "七十" not in q.unexplained


def test_follow_ups_that_count_years_from_the_one_in_play(directory: AgencyDirectory) -> None:
    first = understand("宿迁去年因为信息公开被申请复议的，一共几件？", directory, today=date(2025, 4, 2))
    assert understand("那前一年呢？", directory, first, today=date(2025, 4, 2)).years == (2023,)
    first = understand("洪泽二三年一共收了多少件公开申请？", directory)
    q = understand("第二年呢，比头一年多出来多少？", directory, first)
    assert q.years == (2023, 2024) and q.op == "change" and q.agencies == ("淮安市洪泽区人民政府",)
    first = understand("宿迁24年商业企业交了几件公开申请？", directory)
    q = understand("这几件里头最后转到下一年接着办的有几个？", directory, first)
    assert q.op == "value" and [(m.row, m.column) for m in q.measures] == [("carried_forward", "commercial_enterprise")]


def test_who_has_more_and_by_how_much_is_a_comparison(directory: AgencyDirectory) -> None:
    assert understand("24年新收的申请，宿迁跟淮安谁多，多几件？", directory).op == "compare"


def test_a_share_of_something_no_word_names_is_not_answered_from_a_cell(directory: AgencyDirectory) -> None:
    q = understand("洪泽24年那些申请里，网上提交的占几成？", directory)
    assert q.op != "text_and_table" and q.unexplained


def test_whether_the_table_tells_is_not_a_statistic(directory: AgencyDirectory) -> None:
    q = understand("宿迁2024年行政复议到底多少件，表里能看得出来吗？", directory)
    assert [m.row for m in q.measures] == ["review"] and not q.unexplained


def test_applications_and_cases_asked_together_are_both_read(directory: AgencyDirectory) -> None:
    q = understand("淮安市24年报告正文里说的申请数、复议诉讼数跟表格一致吗？表自己勾稽有没有毛病？", directory)
    assert q.op == "consistency" and not q.unexplained
    assert q.measures == (Measure("三", "new_applications", None), Measure("四", "review", None),
                          Measure("四", "suit", None))
    assert understand("沭阳2025年依申请那张表自己加得平吗？", directory).op == "consistency"


@pytest.mark.parametrize(("text", "measures"), [
    ("淮安去年复议完了又跑去法院告的，一共几件？", [Measure("四", "suit_after_review", None)]),
    ("宿迁23年直接告法院的有几件？", [Measure("四", "direct_suit", None)]),
    ("宿迁23年没经过复议、直接去法院告的有几件？", [Measure("四", "direct_suit", None)]),
    ("宿迁23年表三（六）一共多少？", [Measure("三", "other_handling", None)]),
    ("宿迁23年表三（六）里头那个“其他”一栏是多少？", [Measure("三", "other_other", None)]),
    ("宿迁23年那种没正当理由反复大量申请的有几件？", [Measure("三", "not_processed_excessive", None)]),
])
def test_spoken_names_of_cells(directory: AgencyDirectory, text: str, measures: list[Measure]) -> None:
    q = understand(text, directory, today=date(2025, 3, 1))
    assert list(q.measures) == measures and q.unexplained == ()


def test_whether_all_were_upheld_asks_for_every_outcome(directory: AgencyDirectory) -> None:
    q = understand("宿迁23年复议都维持了吗？", directory)
    assert [m.column for m in q.measures] == ["upheld", "corrected", "other", "pending", "total"]


def test_how_many_more_one_cell_than_another_of_one_report(directory: AgencyDirectory) -> None:
    q = understand("淮安24年全部公开的比部分公开的多出几件？", directory)
    assert q.op == "compare" and [m.row for m in q.measures] == ["granted", "partially_granted"]


def test_a_share_word_is_accounted_for(directory: AgencyDirectory) -> None:
    q = understand("宿迁23年不掌握信息没法提供的占了百分之多少？", directory)
    assert q.unexplained == () and q.op == "text_and_table"


@pytest.mark.parametrize(("text", "row"), [
    ("淮安24年那些申请里，人家要的信息咱们压根就没有的，一共几件？", "unavailable_not_held"),
    ("洪泽23年那些申请里头，得另外加工制作才能给人家的有几件？", "unavailable_needs_creation"),
    ("洪泽23年让人家补正材料，补完了还是看不明白要啥的，有几件？", "unavailable_unclear"),
])
def test_a_cell_described_by_what_it_means(directory: AgencyDirectory, text: str, row: str) -> None:
    q = understand(text, directory)
    assert [m.row for m in q.measures] == [row] and q.unexplained == ()


def test_which_of_two_cells_is_more_and_by_how_much(directory: AgencyDirectory) -> None:
    q = understand("淮安24年，给了人家信息的和跟人家说我们这没这个信息的，哪个多？多几件？", directory)
    assert q.op == "compare" and [m.row for m in q.measures] == ["granted", "unavailable_not_held"]


def test_a_follow_up_year_against_the_year_before_it_is_a_change(directory: AgencyDirectory) -> None:
    first = understand("洪泽区23年依申请新收了多少件？", directory)
    q = understand("那二四年比它多了几件？", directory, first)
    assert q.op == "change" and q.years == (2023, 2024) and [m.row for m in q.measures] == ["new_applications"]
    only = understand("那二四年呢？光算本年新收的。", directory, first)
    assert only.years == (2024,) and only.unexplained == ()
