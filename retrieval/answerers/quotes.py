"""Narrative answers: the passages that answer a question, quoted verbatim with their section and cited; a topic
with a section of its own (problems, improvements) from that section of every report; one passage per report for
"哪些单位提到…"; the number a sentence states when the question asks for one."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from core.numbers import ASKED_UNIT, ASKS_NUMBER, NUMBER
from core.terms import tokens
from retrieval.agencies import ReportInfo
from retrieval.answer import Answer, Passage
from retrieval.compose import Composer, who
from retrieval.corpus import Stores
from retrieval.facts import measure_label
from retrieval.lexicon import INTENTS, Intent
from retrieval.passages import Hit, body_start, sentences_of
from retrieval.query import Query

_INTENT = {i.key: i for i in INTENTS}
MIN_COVERAGE = 0.5  # share of the question's distinctive words a passage must contain to be quoted
_PHONE = re.compile(r"\d{3,4}[-—－]?\d{6,8}|\d{7,8}")
_NEEDS = (  # (the question asks for…, what the quoted sentence must contain, a word that picks the sentence)
    (re.compile(r"传真"), _PHONE, "传真"),
    (re.compile(r"电话"), _PHONE, "电话"),
    (re.compile(r"邮编|邮政编码"), re.compile(r"(?<!\d)\d{6}(?!\d)"), "邮"),
    (re.compile(r"邮箱|电子邮件"), re.compile(r"[\w.-]+@[\w-]+(?:\.[\w-]+)+"), None),
    (re.compile(r"网址|链接|哪个网站|什么网站|哪个网页|在哪.{0,8}(?:公布|查阅|下载|查看)"),
     re.compile(r"https?://|www\.|\.gov\.cn"), None),
    (re.compile(r"文号|发文字号"), re.compile(r"[〔\[［(（]\d{4}[〕\]］)）]\s*\d+\s*号"), None),
)
_OWN_SECTION = frozenset({"problems", "improvements", "other_matters"})  # topics that are a section of their own
_EMPTY = re.compile(r"^[\s（）()一二三四五六七八九十、.．:：]*(?:无|暂无|没有|本年度无|无需要说明的其他事项|"
                    r"无其他需要报告的事项|无其他需要说明的事项)[。.；;]?$")
_PLURAL = re.compile(r"哪些|哪几|几种|做法|举措|措施|经验|亮点|特色|怎么|如何|怎样|内容|形式|方式|渠道|打算|计划")
_IMPROVE_START = ("改进", "下一步", "今后", "针对", "整改", "打算", "计划", "将进一步", "将从", "将继续", "重点做好",
                  "以下工作")
_PLANS_BEGIN = ("下一步", "针对上述", "针对以上", "针对存在", "针对这些", "今后", "改进措施", "整改措施", "将从以下",
                "将重点", "以下工作")
_PLAN = re.compile(r"打算|计划|下一步|将要|准备")
PASSAGE_LIST = 60  # passages a "哪些单位提到…" answer quotes at most (the best per report)
_SHORT, _LONG = 260, 420  # quote spans (characters): one fact / a list of things

def answer_unmatched(q: Query, reports: list[ReportInfo], st: Stores) -> Answer:
    """A question whose words name something no table cell is (信息处理费, 政务新媒体): never answered from the cells
    found for its other words. The passages that state it are quoted; when none does, it says what it could not
    match and which table item it could answer instead."""
    words = "、".join(f"“{w}”" for w in q.unexplained)
    quoted = answer_passages(replace(q, measures=(), op="passage"), reports, st)
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


def answer_passages(q: Query, reports: list[ReportInfo], st: Stores) -> Answer:
    """A narrative question: the passages that answer it, quoted verbatim and cited; or that the reports do not
    say."""
    intent = _INTENT.get(q.intent or "")
    sections = intent.sections if intent else ()
    drop = frozenset(_agency_terms(q))
    every = len(reports) >= len(st.corpus.in_order)
    many = not q.agency_words and (st.corpus.names if every else len({r.agency for r in reports})) > 1
    listing = many and (q.op == "passage_list" or (intent is not None and q.op != "passage"))
    if intent is not None and intent.key in _OWN_SECTION and not _needs(q):
        answer = _own_section(st, q, reports, intent, drop, listing)
        if answer is not None:
            return answer
    if listing:
        return _passage_list(st, q, reports, sections, drop)
    plural = bool(_PLURAL.search(q.text))
    hits = st.search.search(q.search_text, st.corpus.ids(reports), sections, k=8, drop=drop,
                              hints=intent.words if intent else (), limit=_LONG if plural else _SHORT)
    usable = [h for h in hits if _answers(q, h, intent)]
    if not usable:
        scope = "、".join(sorted({who(r) for r in reports})[:6])
        return Answer(q.text, f"在{scope}的报告中没有找到与问题相关的内容，报告未说明此事。", "none",
                      passages=tuple(h.passage for h in hits), examined=len(reports))
    c = Composer()
    lines = []
    best = usable[0]
    chosen = [best]
    if many and len({h.passage.report_id for h in usable}) > 1:
        chosen = _best_per_report(usable)[:4]
    elif plural and not _needs(q):
        chosen += [h for h in usable[1:] if h.passage.report_id == best.passage.report_id
                   and h.coverage >= 0.6 * best.coverage][:2]
    for hit in chosen:
        p = hit.passage
        quote = _quote(q, hit, plural)
        mark = c.cite_passage(p, quote)
        _quote_numbers(c, q, p, quote, mark)
        line = f"据{who(st.corpus.reports[p.report_id])}报告“{p.section_title}”：“{quote}”[{mark}]"
        rest = _continuation(st, hit) if hit.heading and hit.open_end else None
        if rest is not None:
            more = c.cite_passage(rest[0], rest[1])
            _quote_numbers(c, q, rest[0], rest[1], more)
            line += f"“{rest[1]}”[{more}]"
        lines.append(line)
    return Answer(q.text, "\n".join(lines), "passage", tuple(c.values), tuple(c.citations), tuple(c.warnings),
                  (), len(reports), tuple(h.passage for h in hits))

def _continuation(st: Stores, hit: Hit) -> tuple[Passage, str] | None:
    """The rest of a subsection whose heading ends a chunk: the start of the next chunk of the same section."""
    chunks = st.cells.chunks(hit.passage.report_id)
    ids = [cid for cid, _ in chunks]
    if hit.passage.chunk_id not in ids:
        return None
    i = ids.index(hit.passage.chunk_id)
    if i + 1 >= len(chunks) or chunks[i + 1][1].section_no != hit.passage.section_no:
        return None
    cid, chunk = chunks[i + 1]
    body = "".join(body_start(chunk.text, _LONG))
    if not body:
        return None
    info = st.corpus.reports[hit.passage.report_id]
    return Passage(cid, info.id, info.source, info.agency, info.covers_year, chunk.section_no,
                   chunk.section_title, chunk.text, chunk.page_start, chunk.line_start, hit.passage.score), body

def _own_section(st: Stores, q: Query, reports: list[ReportInfo], intent: Intent, drop: frozenset[str],
                 listing: bool) -> Answer | None:
    """Topics with their own section in the template (五、存在的主要问题及改进情况; 六、其他需要报告的事项) are
    answered from that section of every report in scope; a section that only says "无" is reported as such."""
    section_no = intent.sections[0]
    own = drop | {t for w in intent.words for t in tokens(w)}
    stated: list[Hit] = []
    empty: list[Hit] = []
    for report in reports:
        hits = st.search.in_section(q.search_text, report.id, section_no, own, intent.words, _LONG)
        if not hits:
            continue
        if all(_EMPTY.match(h.passage.text.strip()) for h in hits):
            empty.append(hits[0])
        elif hits[0].coverage >= MIN_COVERAGE:
            stated.append(hits[0])
    if not stated and not empty:
        return None
    c = Composer()
    title = stated[0].passage.section_title if stated else empty[0].passage.section_title
    lines = []
    if listing:
        lines.append(f"共查阅{len(reports)}份报告，{len(stated)}份在“{title}”中写了相关内容：")
    for hit in stated:
        p = hit.passage
        quote = _section_quote(p.text, intent)
        mark = c.cite_passage(p, quote)
        lines.append(f"· {who(st.corpus.reports[p.report_id])}：“{quote}”[{mark}]" if listing else
                     f"据{who(st.corpus.reports[p.report_id])}报告“{p.section_title}”：“{quote}”[{mark}]")
    for hit in empty:
        p = hit.passage
        mark = c.cite_passage(p, p.text.strip())
        lines.append(f"{'· ' if listing else ''}{who(st.corpus.reports[p.report_id])}报告“{p.section_title}”部分只写了"
                     f"“{p.text.strip()}”，未列出具体内容[{mark}]。")
    silent = len(reports) - len(stated) - len(empty)
    if listing and silent:
        lines.append(f"其余{silent}份报告的该部分未涉及此问题或未能识别该部分。")
    return Answer(q.text, "\n".join(lines), "passage", tuple(c.values), tuple(c.citations), tuple(c.warnings),
                  tuple(h.passage.report_id for h in stated), len(reports),
                  tuple(h.passage for h in stated + empty))

def _passage_list(st: Stores, q: Query, reports: list[ReportInfo], sections: Sequence[int],
                  drop: frozenset[str]) -> Answer:
    c = Composer()
    hits = st.search.search(q.search_text, st.corpus.ids(reports), sections, k=PASSAGE_LIST, drop=drop, depth=200,
                              hints=_INTENT[q.intent].words if q.intent in _INTENT else ())
    per_report = [h for h in _best_per_report(hits) if _answers(q, h, _INTENT.get(q.intent or ""))
                  and (not sections or h.passage.section_no in sections)]
    if len(hits) >= PASSAGE_LIST:  # the search stopped at its limit: more reports may say it
        lines = [f"共查阅{len(reports)}份报告，按相关度列出最相关的{len(per_report)}份（其他报告可能也有相关内容，"
                 "加上年份或单位可缩小范围）："]
    else:
        lines = [f"共查阅{len(reports)}份报告，{len(per_report)}份有相关内容："]
    for hit in per_report:
        p = hit.passage
        quote = _quote(q, hit, False)
        mark = c.cite_passage(p, quote)
        lines.append(f"· {who(st.corpus.reports[p.report_id])}（{p.section_title}）：“{quote}”[{mark}]")
    if not per_report:
        return Answer(q.text, f"共查阅{len(reports)}份报告，均未找到相关内容。", "none", examined=len(reports),
                      passages=tuple(h.passage for h in hits[:8]))
    return Answer(q.text, "\n".join(lines), "passage", tuple(c.values), tuple(c.citations), tuple(c.warnings),
                  tuple(h.passage.report_id for h in per_report), len(reports),
                  tuple(h.passage for h in hits[:8]))


def _agency_terms(q: Query) -> set[str]:
    words = set()
    for name in q.agencies or ():
        words.update(tokens(name))
    for w in q.agency_words:
        words.update(tokens(w))
    return words


def _needs(q: Query) -> list[tuple[re.Pattern[str], str | None]]:
    """What the question asks to be in the quoted sentence (a phone number for 电话, a URL for 哪个网站…); the
    question itself first, then the conversation it continues."""
    for text in (q.text, q.search_text):
        found = [(pattern, anchor) for asked, pattern, anchor in _NEEDS if asked.search(text)]
        if found:
            return found
    return []


def _answers(q: Query, hit: Hit, intent: Intent | None) -> bool:
    """Does the passage answer the question: what the question asks for (a phone number for 电话), or enough of its
    distinctive words, or the topic word of the question's topic, or the topic's own section?"""
    needs = _needs(q)
    if needs:
        return any(pattern.search(hit.passage.text) for pattern, _ in needs)
    if ASKS_NUMBER.search(q.text):  # "有多少个": the quoted sentences must state a number about the topic
        span = "".join(hit.sentences)
        unit = ASKED_UNIT.search(q.text)
        wanted = {"钱": "元"}.get(unit.group(1), unit.group(1)) if unit else ""
        if not any(m.group(2).endswith(wanted) for m in NUMBER.finditer(span)) or hit.span_coverage < MIN_COVERAGE:
            return False
    if hit.coverage >= MIN_COVERAGE:
        return True
    if intent is None:
        return False
    asked = [w for w in intent.words if w in q.search_text]
    if asked and any(w in hit.passage.text for w in asked) and hit.coverage >= 0.2:
        return True
    return hit.passage.section_no == intent.sections[0] and hit.coverage >= 0.25


def _quote(q: Query, hit: Hit, whole: bool) -> str:
    """The verbatim text to quote: the sentence holding what the question asks for, the whole chunk when short and
    the question asks for a list of things, otherwise the best sentences."""
    text = hit.passage.text
    needs = _needs(q)
    if needs:
        sentences = sentences_of(text)
        for pattern, anchor in needs:
            matching = [x for x in sentences if pattern.search(x)]
            preferred = [x for x in matching if anchor and anchor in x]
            if preferred or matching:
                return (preferred or matching)[0]
    if hit.heading:
        return "".join(hit.sentences)
    if whole and len(text) <= _LONG:
        return text.strip().replace("\n", "")
    return "".join(hit.sentences) or text[:200]


def _section_quote(text: str, intent: Intent) -> str:
    """A section's own wording from its start (problems) or from where the improvements begin, whole sentences up
    to ``_LONG`` characters: the list "一是…；二是…" is what the question asks for."""
    found = sentences_of(text)
    if not found:
        return text.strip()[:_LONG]
    start = 0
    if intent.key == "improvements":
        start = next((i for i, x in enumerate(found) if any(w in x for w in _IMPROVE_START)), 0)
    out = [found[start]]
    for x in found[start + 1:]:
        if sum(map(len, out)) + len(x) > _LONG or (intent.key == "problems" and any(w in x for w in _PLANS_BEGIN)):
            break
        out.append(x)
    return "".join(out)


def _quote_numbers(c: Composer, q: Query, p: Passage, quote: str, mark: int) -> None:
    if not ASKS_NUMBER.search(q.text):
        return
    for m in NUMBER.finditer(quote):
        before = re.split(r"[，。；、：:,;（）()]", quote[:m.start()])[-1][-16:]  # the words of its own clause
        c.quoted_number(p, before.strip(), Decimal(m.group(1).replace(",", "")),
                        re.sub(r"\s", "", m.group(2)), mark)


def _best_per_report(hits: list[Hit]) -> list[Hit]:
    seen: dict[str, Hit] = {}
    for hit in hits:
        seen.setdefault(hit.passage.report_id, hit)
    return list(seen.values())
