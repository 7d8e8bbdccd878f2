"""Sentence choice for quotes: verbatim, contiguous spans that hold what the question asks for."""

from __future__ import annotations

from core.numbers import ASKED_UNIT, ASKS_NUMBER, NUMBER
from core.synonyms import synonyms
from core.terms import query_terms
from retrieval.passages import PassageSearch, _coverage, best_sentences, body_start, heading_body


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


class _Counts:
    """The two things PassageSearch asks the store about terms: how many chunks, and how many hold a term."""

    def __init__(self, df: dict[str, int], n: int = 100):
        self.df = df
        self.n = n

    def chunk_count(self) -> int:
        return self.n

    def term_docs(self, term: str) -> int:
        return self.df.get(term, 0)


def _search(df: dict[str, int]) -> PassageSearch:
    return PassageSearch(_Counts(df), None, {})  # type: ignore[arg-type]


def test_a_word_no_report_uses_stands_for_its_synonyms_that_some_do() -> None:
    search = _search({"人员": 24, "问题": 70, "信息": 90, "公开": 90})
    terms = search.terms("各单位管信息公开的人手有什么问题")
    assert "人手|人员" in terms and "人手" not in terms
    passage = "信息公开多由办公室人员兼职经办"
    weights = search.weights(terms)
    assert _coverage(passage, weights) > _coverage(passage, {t.split("|")[0]: w for t, w in weights.items()})


def test_a_word_some_report_uses_is_not_replaced() -> None:
    search = _search({"人手": 3, "人员": 24})
    terms = search.terms("人手够不够")
    assert "人手" in terms and not any("|" in t for t in terms)


def test_a_word_in_no_report_weighs_no_more_than_one_in_a_single_chunk() -> None:
    search = _search({"长期": 1, "账号": 4})
    weights = search.weights(search.terms("长期不用的账号怎么处理"))
    assert weights["不用"] == weights["长期"]
    assert weights["账号"] < weights["长期"]


def test_function_words_and_glued_pieces_are_not_terms() -> None:
    search = _search({"审批": 14, "信息": 90})
    terms = search.terms("往外发信息要走几道审批，都是谁把关？")
    assert not {"把", "谁", "都", "往外发"} & set(terms)
    assert "审批" in terms and "把关" in terms


def test_synonyms_are_same_meaning_groups_of_words_only() -> None:
    assert "人员" in synonyms("人手")
    assert "审计" not in synonyms("审批")  # a related group (#), not a synonym
    assert all(len(w) >= 2 for w in synonyms("人手"))
    assert synonyms("不存在的词语") == ()


def test_a_spoken_word_also_stands_for_the_reports_word() -> None:
    search = _search({"老百姓": 1, "群众": 40, "诉求": 9})
    terms = search.terms("收到老百姓多少诉求")
    assert "老百姓|群众" in terms and "诉求" in terms
