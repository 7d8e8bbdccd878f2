"""正文说…，表格里…: a question that asks what the narrative states and what the table holds gets both, each cited,
and whether they agree. The narrative's counts are those ingestion read (:mod:`ingest.narrative`); a number it did
not read is looked for in the passages and quoted; the comparison is arithmetic over cited cells."""

from __future__ import annotations

import re
from dataclasses import replace

from core.numbers import ASKS_NUMBER, SHARE_ASKED
from retrieval.agencies import ReportInfo
from retrieval.answer import Answer
from retrieval.answerers.consistency import finding_support
from retrieval.answerers.quotes import answer_passages
from retrieval.answerers.stated import stated_lines
from retrieval.answerers.values import answer_values
from retrieval.compose import Composer, asked_part, who
from retrieval.corpus import Stores
from retrieval.facts import measure_label
from retrieval.lexicon import TEXT_REF, find_intent
from retrieval.query import Query


def answer_text_and_table(q: Query, reports: list[ReportInfo], st: Stores) -> Answer:
    """The cells asked for, then per report what the narrative states about them and whether the two agree."""
    if SHARE_ASKED.search(q.text) and not q.text_part:  # "占比多少": the sentence that states the share answers it, not a cell
        # the cells' own names beside the question's words: "给不了人家的" is written 无法提供 in the text
        named = " ".join(re.sub(r"（.*?）", "", measure_label(m)).split("—")[-1] for m in q.measures)
        share = answer_passages(replace(q, measures=(), op="passage", intent=None,
                                        search_text=f"{SHARE_ASKED.sub('', q.search_text)} {named}"), reports, st)
        if share.kind != "none" and "%" in share.answer:
            return share
    c = Composer(explain=lambda report, finding: finding_support(st, c, report, finding))
    table = answer_values(replace(q, op="each" if len(reports) > 1 else "value"), reports, st, c)
    lines = [table.answer]
    quoted = False
    for report in reports:
        if q.text_part:  # "网站上公开了多少条？": that clause is the text's, quoted beside the cells of the others
            # the clause's own topic (信息处理费: its section), not the question's
            told = answer_passages(replace(q, text=q.text_part, measures=(), op="passage",
                                           intent=find_intent(q.text_part), search_text=SHARE_ASKED.sub("", q.text_part)),
                                   [report], st, c)
            quoted = quoted or told.kind != "none"
            lines.append(f"正文：{told.answer}" if told.kind != "none" else
                         f"{who(report)}报告正文中没有找到“{asked_part(q.text_part, q.agency_words)}”所问的数字。")
            continue
        stated = stated_lines(st, c, report, q.measures)
        if stated:
            quoted = True
            lines += stated
            continue
        # the share asked is what the sentence states, not a word it uses ("不予公开 20 件（1.68%）")
        search = SHARE_ASKED.sub("", _text_clause(q.text) or q.search_text)
        found = answer_passages(replace(q, measures=(), op="passage", intent=None, search_text=search), [report], st, c)
        if found.kind != "none":
            quoted = True
            lines.append(f"正文：{found.answer}（正文的表述与表格栏目口径未必相同，请对照原文）")
        else:
            lines.append(f"{who(report)}报告正文中没有找到写明这些数字的句子。")
    return Answer(q.text, "\n".join(lines), "mixed" if quoted else "table", tuple(c.values), tuple(c.citations),
                  tuple(c.warnings), (), len(reports))


def _text_clause(text: str) -> str:
    """Of a question in two or more clauses, the one that asks a number of the text ("正文说一共办了多少件？表四里…")."""
    clauses = [c for c in re.split(r"[？?；;。]", text) if c.strip()]
    said = [c for c in clauses if TEXT_REF.search(c) and ASKS_NUMBER.search(c)]
    return said[0] if len(clauses) >= 2 and len(said) == 1 else ""
