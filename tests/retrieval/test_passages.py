"""Sentence choice for quotes: verbatim, contiguous spans that hold what the question asks for."""

from __future__ import annotations

from core.numbers import ASKED_UNIT, ASKS_NUMBER, NUMBER
from core.terms import query_terms
from retrieval.passages import best_sentences, body_start, heading_body


def _weights(*terms: str) -> dict[str, float]:
    return {t: 1.0 for t in terms}


def test_best_sentence_is_contiguous_and_verbatim() -> None:
    text = "一是加强领导。二是完善制度，建立台账。三是强化培训。"
    span = best_sentences(text, _weights("制度", "台账"))
    assert span == ("二是完善制度，建立台账。",) and "".join(span) in text


def test_item_title_is_kept_with_the_sentence_it_titles() -> None:
    text = "（五）监督保障方面。一是落实“请进来+走出去”培训机制。举办第七期专题培训班，课程设计坚持问题导向。二是完善考核。"
    span = best_sentences(text, _weights("培训班", "课程"))
    assert span[0] == "一是落实“请进来+走出去”培训机制。" and "举办第七期" in span[1]


def test_lead_in_with_a_colon_keeps_its_list() -> None:
    text = "主要通过三种形式公开：1、政府门户网站。与门户网站建立了链接。2、公共查阅点。3、固定宣传栏。其他工作。"
    span = "".join(best_sentences(text, _weights("形式"), limit=60))
    assert span.startswith("主要通过三种形式公开") and "固定宣传栏" in span


def test_topic_words_extend_to_a_neighbour_only_as_hints() -> None:
    text = "主要通过政府门户网站主动公开政府文件。2023年在网站平台主动公开信息1136条。开展培训。"
    span = best_sentences(text, _weights("平台", "主动"), hints={"门户": 1.0})
    assert span == ("主要通过政府门户网站主动公开政府文件。", "2023年在网站平台主动公开信息1136条。")
    assert best_sentences(text, _weights("平台", "主动")) == ("2023年在网站平台主动公开信息1136条。",)


def test_heading_body_stops_at_the_next_heading_and_says_if_it_runs_on() -> None:
    text = "（一）主动公开方面。公开信息12条。（二）依申请公开方面。严格办理登记。"
    body, open_end, covered = heading_body(text, _weights("依", "申请"), 400)
    assert body == ("（二）依申请公开方面。", "严格办理登记。") and open_end and covered == 1.0
    closed = heading_body(text, _weights("主动"), 400)
    assert closed is not None and closed[0] == ("（一）主动公开方面。", "公开信息12条。") and not closed[1]
    assert heading_body(text, _weights("培训"), 400) is None
    assert body_start("办案过程中了解诉求。二是探索联动。（三）政府信息管理方面。", 400) == (
        "办案过程中了解诉求。", "二是探索联动。")


def test_numbers_and_asked_units() -> None:
    assert [(m.group(1), m.group(2)) for m in NUMBER.finditer("共主动公开18万余条，收取2,950元，3646件")] == [
        ("18", "万余条"), ("2,950", "元"), ("3646", "件")]
    assert ASKS_NUMBER.search("主动公开信息几条") and not ASKS_NUMBER.search("通过哪几种形式公开")
    unit = ASKED_UNIT.search("政务新媒体有多少个")
    assert unit is not None and unit.group(1) == "个"


def test_question_words_are_not_search_terms() -> None:
    assert query_terms("泉港信访局去年主动公开信息几条？") == ["泉港", "信访", "信访局", "主动", "公开", "信息"]
    assert "做法" not in query_terms("依申请公开工作有哪些创新做法") and "申请" in query_terms("依申请公开工作有哪些创新做法")


def test_number_commas_are_thousands_separators_only() -> None:
    assert [m.group(1) for m in NUMBER.finditer("受理3,607件，编号1,2,3件，共12.5万元")] == ["3,607", "12.5"]  # "1,2,3件" is a list, not 123
