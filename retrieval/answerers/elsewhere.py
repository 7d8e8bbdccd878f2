"""Answers found beside the question's own scope: a word no table cell names, quoted from the text (or said
unmatched); a year's plans, from the report on the year before; a county's figure, from its city's report."""

from __future__ import annotations

import re
from dataclasses import replace

from core.numbers import ASKS_NUMBER, NUMBER
from core.terms import query_terms, tokens
from retrieval.agencies import ReportInfo, split_name
from retrieval.answer import Answer
from retrieval.answerers.quoted_numbers import quote_numbers
from retrieval.answerers.quotes import answer_passages
from retrieval.compose import Composer, who
from retrieval.corpus import Stores
from retrieval.facts import measure_label
from retrieval.passages import LONG_QUOTE, sentences_of
from retrieval.query import Query

_PLAN = re.compile(r"打算|计划|下一步|将要|准备")


def answer_unmatched(q: Query, reports: list[ReportInfo], st: Stores) -> Answer:
    """A question whose words name something no table cell is (信息处理费, 政务新媒体): never answered from the cells
    found for its other words. The passages that state it are quoted; when none does, it says what it could not
    match and which table item it could answer instead."""
    words = "、".join(f"“{w}”" for w in q.unexplained)
    quoted = answer_passages(replace(q, measures=(), op="passage"), reports, st)
    if quoted.kind == "none" or not any(w in c.quote for c in quoted.citations for w in q.unexplained):
        # the words left over alone ("撤回"): the question's other words are the table's, not the text's
        alone = answer_passages(replace(q, measures=(), op="passage", intent=None,
                                        search_text=" ".join(q.unexplained)), reports, st)
        quoted = alone if alone.kind != "none" else quoted
    if quoted.kind != "none" and any(w in c.quote for c in quoted.citations for w in q.unexplained):
        return replace(quoted, answer=f"（年报表格中没有与{words}对应的栏目，以下引用报告正文。）\n{quoted.answer}")
    labels = "、".join(f"“{measure_label(m)}”" for m in q.measures)
    return Answer(q.text, f"没能把问题中的{words}对应到年报表格的栏目，报告正文中也没有找到相关表述，无法回答。"
                          f"表格中相近的项目是{labels}；如需查询，请直接问该项目。", "none", examined=len(reports),
                  passages=quoted.passages)


def plans_year_before(q: Query, st: Stores) -> Answer | None:
    """"2021年打算做什么": the plans for a year are written in the report on the year before; None when that report
    is not there either or says nothing."""
    if q.intent != "improvements" or not q.years or not _PLAN.search(q.text):
        return None
    earlier = replace(q, years=tuple(y - 1 for y in q.years))
    reports, missing = st.corpus.scope(earlier)
    if missing:
        return None
    answer = answer_passages(earlier, reports, st)
    if answer.kind == "none":
        return None
    note = "、".join(f"{y}年" for y in q.years)
    before = "、".join(f"{y - 1}年度" for y in q.years)
    return replace(answer, answer=f"（{note}的工作打算见{before}报告的改进计划部分。）\n{answer.answer}")


def from_parent_report(q: Query, st: Stores) -> Answer | None:
    """"沭阳县2023年收到多少申请" with no 沭阳县 report for 2023: the report of the place above it (宿迁市) for that
    year may state the county's figure ("…沭阳县477件…"); its sentence is quoted, said to come from the other
    report. None when there is no such report or sentence."""
    if len(q.agencies) != 1 or not q.years:
        return None
    child = st.corpus.directory.by_name.get(q.agencies[0])
    if child is None:
        return None
    names = [n for n in {*child.names, *split_name(child.name)[1][-1:]} if n]  # 沭阳县人民政府, 沭阳县
    parents = st.corpus.directory.above(child)
    reports = [r for a in parents for r in a.reports if r.covers_year in q.years]
    if not reports:
        return None
    hits = st.search.search(q.search_text, st.corpus.ids(reports), k=12, limit=LONG_QUOTE)
    c = composer = Composer()
    lines = []
    parent_words = " ".join(n for a in parents for n in (a.name, *a.names, *a.regions))
    terms = [t for t in query_terms(q.search_text, frozenset(tokens(" ".join(names) + " " + parent_words)))
             if len(t) > 1]
    # a sentence naming the topic itself first; in a follow-up ("那沭阳呢？" after the fees of 宿迁), one led by the
    # sentence before it ("其中，沭阳县民政局1件，收取880元"), whose topic the conversation has already set
    for with_context in (False, True) if q.followup else (False,):
        for hit in hits:
            said = sentences_of(hit.passage.text)
            for i, sentence in enumerate(said):
                if not any(n in sentence for n in names) or (
                        ASKS_NUMBER.search(q.text) and not NUMBER.search(sentence)):
                    continue
                # "…收取信息处理费2230元。其中，沭阳县民政局1件，收取880元": the topic is in the sentence before
                led = with_context and i > 0 and sentence.startswith(("其中", "分别", "包括"))
                around = (said[i - 1] if led else "") + sentence
                if terms and sum(t in around for t in terms) < max(1, len(terms) // 2):
                    continue
                mark = composer.cite_passage(hit.passage, sentence)
                quote_numbers(c, q, hit.passage, sentence, mark)
                parent = st.corpus.reports[hit.passage.report_id]
                lines.append(f"资料库中没有{child.name}{'、'.join(f'{y}年' for y in q.years)}的年报；"
                             f"{who(parent)}报告“{hit.passage.section_title}”中写到：“{sentence}”[{mark}]"
                             f"（这是{who(parent)}报告中的表述，不是{child.name}本级年报的数据）")
                return Answer(q.text, "\n".join(lines), "passage", tuple(c.values), tuple(c.citations),
                              tuple(c.warnings), (), len(reports), tuple(h.passage for h in hits))
    return None
