"""Narrative answers: sums of quoted numbers, reports that say there was none, a figure only a parent report
states, percentages and ordinals."""

from __future__ import annotations

from decimal import Decimal

from retrieval.answerers.quotes import _says_none
from retrieval.assistant import Assistant


def test_numbers_quoted_from_two_reports_are_added_up_with_their_formula(real_assistant: Assistant) -> None:
    # 六、其他需要报告的事项: 2023 "收取了信息处理费2950元", 2024 "收取信息处理费2230元"
    a = real_assistant.ask("宿迁23、24两年信息处理费一共收了多少钱？")
    assert a.understood["years"] == [2023, 2024]
    total = [v for v in a.values if v.op == "sum"]
    assert [v.value for v in total] == [Decimal(5180)] and total[0].formula == "2950 + 2230"
    assert "5180元" in a.answer and {c.covers_year for c in a.citations} == {2023, 2024}


def test_a_report_that_says_it_collected_nothing_is_not_listed_as_collecting(real_assistant: Assistant) -> None:
    # 2025: 沭阳县 "收取信息处理费共计380元"; 平潭 "无收取信息处理费情况"; 上海市府办公厅 "未收取"
    a = real_assistant.ask("2025年都有哪些单位收过信息处理费？")
    assert [real_assistant.reports[r].source for r in a.matches] == ["shuyang_county_2025.txt"]
    assert "另有2份报告写明没有此类情况" in a.answer and "380元" in a.answer


def test_says_none() -> None:
    assert _says_none("2025年，无收取信息处理费情况。")
    assert _says_none("2025 年度本机关未收取信息公开处理费。")
    assert _says_none("2024 年，区政府严格落实《政府信息公开信息处理费管理办法》，全年收取政府信息公开信息处理费 0 元。")
    assert not _says_none("全年收取政府信息公开信息处理费 3940 元。")
    assert not _says_none("2025年共收取信息处理费380元。")
    assert not _says_none("严格执行信息处理费有关要求。")


def test_a_percentage_and_an_ordinal_are_numbers_a_sentence_can_state(real_assistant: Assistant) -> None:
    share = real_assistant.ask("上海市府办公厅2019年政务服务好差评里差评占多少？")
    assert share.kind == "passage" and "0.34%" in share.answer


def test_problems_are_quoted_from_where_they_begin(real_assistant: Assistant) -> None:
    # 上海市府办公厅2025 五 (heading lost): （一）last year's improvements, then （二）this year's problems
    a = real_assistant.ask("市府办公厅2025年报告里提到的主要问题有哪些")
    assert "政策信息分散于多个平台" in a.answer and "针对 2024 年" not in a.answer
    assert a.citations[0].section_no == 5


def test_a_phone_number_is_quoted_with_whom_to_call(real_assistant: Assistant) -> None:
    a = real_assistant.ask("平潭2020年的年报有疑问该找谁？电话多少？")
    quote = next(c.quote for c in a.citations if c.cell is None)
    assert "电话" in quote and "联系" in quote  # the whole sentence, not "电话：…；" alone


def test_all_upheld_in_the_text_against_pending_cases_in_the_table(real_assistant: Assistant) -> None:
    a = real_assistant.ask("19年市府办公厅报告说复议、诉讼都维持了，跟表四对得上吗？")
    assert "2 处不一致" in a.answer and "为7，表格为5" in a.answer and "为9，表格为8" in a.answer


def test_two_topics_asked_are_each_quoted_and_a_list_of_contents_answers_neither(real_assistant: Assistant) -> None:
    # 科委's web copy lost its 存在的主要问题 heading: the subsections （一）主要问题 and （二）改进情况 name the topics
    a = real_assistant.ask("科委2024年年报里自己说存在啥问题？后来咋整改的？")
    assert a.kind == "passage" and "机构改革" in a.answer and "张江高新区" in a.answer
    assert "等六部分" not in a.answer  # the preface lists the report's parts, 存在的主要问题 among them
    assert len(a.citations) == 2


def test_two_years_quoted_numbers_are_differenced_later_less_earlier(real_assistant: Assistant) -> None:
    a = real_assistant.ask("宿迁23年跟24年收的信息处理费差了多少钱？")
    (diff,) = [v for v in a.values if v.op == "difference"]
    assert diff.value == Decimal(2230 - 2950) and diff.unit == "元"
    assert "2024年比2023年减少 720元" in a.answer and len(a.citations) == 2


def test_who_really_collected_leaves_out_the_reports_that_say_zero(real_assistant: Assistant) -> None:
    a = real_assistant.ask("哪些单位年报里写了真收过信息处理费的？")
    listed = a.answer.split("另有")[0]
    assert "宿迁市2024年" in listed and "洪泽区人民政府2024年" not in listed  # "全年收取…信息处理费 0 元"


def test_the_number_of_the_clause_asked_is_singled_out_not_a_neighbour(real_assistant: Assistant) -> None:
    # 平潭2020: "组织开展19期《问政平潭之有事你说》，上线部门22家，收到群众诉求348件，…"
    a = real_assistant.ask("平潭2020年那个“有事你说”节目，一共收到老百姓多少诉求？")
    assert "其中所问的“收到群众诉求”为 348件[1]。" in a.answer
    assert a.values[0].value == Decimal(348)


def test_problems_begin_where_the_text_says_what_falls_short() -> None:
    from retrieval.answerers.own_section import _problems_start

    assert _problems_start(["2019年工作取得了明显进展。", "但仍存在一些不足和薄弱环节。", "一是…"]) == 1
    assert _problems_start(["针对2024年工作中存在的主要问题，重点采取如下改进措施。"]) is None


def test_the_items_a_passage_lists_are_counted() -> None:
    from retrieval.answerers.quoted_numbers import listed_items

    assert listed_items("主要表现在:一是力度有待加大,二是内容还不够全面,三是更新还不够及时。") == 3
    assert listed_items("（一）主要问题…（二）改进情况…") == 2
    assert listed_items("二是…三是…") == 0 and listed_items("一是只有一条。") == 0


def test_how_many_problems_a_report_lists_is_a_count_of_its_items(real_assistant: Assistant) -> None:
    # 上海市政府办公厅2025 五（二）: "一是政策信息分散于多个平台…；二是市政府门户网站的用户体验…；三是面对…申请量…" (3)
    a = real_assistant.ask("市府办公厅2025年报告里存在的问题一共列了几条？")
    counts = [v for v in a.values if v.op == "count"]
    assert len(counts) == 1 and counts[0].value == 3 and "上文共列出 3 条[" in a.answer
