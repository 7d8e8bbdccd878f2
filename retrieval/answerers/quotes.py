"""Narrative answers: the passages that answer a question, quoted verbatim with their section and cited; a topic
with a section of its own (problems, improvements) from that section of every report; one passage per report for
"哪些单位提到…"; the number a sentence states when the question asks for one."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from core.numbers import ASKED_UNIT, ASKS_NUMBER, SHARE_ASKED
from core.template import names_sections
from core.terms import tokens
from retrieval.agencies import ReportInfo
from retrieval.answer import Answer, Passage
from retrieval.answerers.own_section import OWN_SECTION, own_section
from retrieval.answerers.quoted_numbers import (
    SAME_UNITS,
    added_up,
    counted_items,
    quote_numbers,
    singled_out,
    stated_units,
)
from retrieval.compose import Composer, asked_part, who
from retrieval.corpus import Stores
from retrieval.lexicon import INTENTS, Intent, find_intent
from retrieval.passages import LONG_QUOTE, MIN_COVERAGE, SHORT_QUOTE, TABLE_ROW, Hit, body_start, sentences_of
from retrieval.query import Query

_INTENT = {i.key: i for i in INTENTS}
# a sentence saying there was none of it: answers "收了多少" as well as a number would
_STATES_NONE = re.compile(r"(?:无|未|没有|不存在)(?:收取|发生|产生|出现|收到|开展)|均为0|均为零|为零(?!星)")
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
_PLURAL = re.compile(r"哪些|哪几|几种|做法|举措|措施|经验|亮点|特色|怎么|如何|怎样|内容|形式|方式|渠道|打算|计划")
PASSAGE_LIST = 60  # passages a "哪些单位提到…" answer quotes at most (the best per report)


def answer_passages(q: Query, reports: list[ReportInfo], st: Stores, composer: Composer | None = None) -> Answer:
    """A narrative question: the passages that answer it, quoted verbatim and cited; or that the reports do not
    say. ``composer`` when the answer is part of a larger one."""
    clauses = _number_clauses(q.text) if composer is None and q.op == "passage" else []
    if len(clauses) >= 2:  # "季度检查搞了几回？督促整改又推了几轮？": each number quoted from its own sentence
        return _each_clause(q, clauses, reports, st)
    topics = _topic_clauses(q.text) if composer is None and q.op == "passage" else []
    if len(topics) >= 2:  # "存在什么问题？后来怎么整改的？": each topic quoted from its own passage
        return _each_clause(q, [c for c, _ in topics], reports, st, [i for _, i in topics])
    intent = _INTENT.get(q.intent or "")
    sections = intent.sections if intent else ()
    drop = frozenset(_agency_terms(q))
    every = len(reports) >= len(st.corpus.in_order)
    many = not q.agency_words and (st.corpus.names if every else len({r.agency for r in reports})) > 1
    listing = many and (q.op == "passage_list" or (intent is not None and q.op != "passage"))
    if intent is not None and intent.key in OWN_SECTION and not _needs(q):
        answer = own_section(st, q, reports, intent, drop, listing, composer or Composer())
        if answer is not None:
            return answer
    if listing:
        return _passage_list(st, q, reports, sections, drop, composer or Composer())
    plural = bool(_PLURAL.search(q.text)) and not ASKS_NUMBER.search(q.text)  # "多少": the sentence stating it
    own = intent is not None and intent.key in OWN_SECTION
    hits = st.search.search(q.search_text, st.corpus.ids(reports), sections, k=8, drop=drop,
                              hints=intent.words if intent else (), limit=LONG_QUOTE if plural else SHORT_QUOTE,
                              headings=intent.words if intent and own else ())
    usable = [h for h in hits if _answers(q, h, intent)]
    if not usable:
        scope = "、".join(sorted({who(r) for r in reports})[:6])
        return Answer(q.text, f"在{scope}的报告中没有找到与问题相关的内容，报告未说明此事。", "none",
                      passages=tuple(h.passage for h in hits), examined=len(reports))
    c = composer or Composer()
    lines = []
    best = usable[0]
    chosen = [best]
    if (many or len(q.years) > 1) and len({h.passage.report_id for h in usable}) > 1:  # one per report (year)
        chosen = _best_per_report(usable)[:4]
        if not many:  # one agency over several years: in year order
            chosen.sort(key=lambda h: h.passage.covers_year or 0)
    elif plural and not _needs(q):
        chosen += [h for h in usable[1:] if h.passage.report_id == best.passage.report_id
                   and h.coverage >= 0.6 * best.coverage][:2]
    for hit in chosen:
        p = hit.passage
        quote = _quote(q, hit, plural)
        mark = c.cite_passage(p, quote)
        start = len(c.values)
        quote_numbers(c, q, p, quote, mark)
        line = f"据{who(st.corpus.reports[p.report_id])}报告“{p.section_title}”：“{quote}”[{mark}]"
        picked = singled_out(c, q, start, quote) or counted_items(c, q, quote, mark, st.corpus.reports[p.report_id])
        rest = _continuation(st, hit) if hit.heading and hit.open_end else None
        if rest is not None:
            more = c.cite_passage(rest[0], rest[1])
            quote_numbers(c, q, rest[0], rest[1], more)
            line += f"“{rest[1]}”[{more}]"
        lines.append(line + (f"\n{picked}" if picked else ""))
    lines += added_up(q, c)
    return Answer(q.text, "\n".join(lines), "passage", tuple(c.values), tuple(c.citations), tuple(c.warnings),
                  (), len(reports), tuple(h.passage for h in hits))

_CLAUSE_END = re.compile(r"[？?；;]|[，,](?=另外|还有|以及|同时)")


def _number_clauses(text: str) -> list[str]:
    """The clauses of a question that each ask for a number, when there are two or more of them."""
    clauses = [c.strip() for c in _CLAUSE_END.split(text) if c.strip()]
    asking = [c for c in clauses if ASKS_NUMBER.search(c)]
    return asking if len(asking) >= 2 and len(asking) == len(clauses) else []


def _topic_clauses(text: str) -> list[tuple[str, str]]:
    """The clauses of a question with their topics, when each clause asks about a different one."""
    clauses = [c.strip() for c in _CLAUSE_END.split(text) if c.strip()]
    topics = [find_intent(c) for c in clauses]
    if len(clauses) < 2 or None in topics or len(set(topics)) < len(topics):
        return []
    return [(c, t) for c, t in zip(clauses, topics, strict=True) if t is not None]


def _each_clause(q: Query, clauses: list[str], reports: list[ReportInfo], st: Stores,
                 topics: Sequence[str | None] = ()) -> Answer:
    """Each clause answered on its own (with its own topic, when given), in one answer."""
    c = Composer()
    lines: list[str] = []
    passages: list[Passage] = []
    found = 0
    for n, clause in enumerate(clauses):
        topic = topics[n] if topics else None
        part = answer_passages(replace(q, text=clause, search_text=clause, intent=topic), reports, st, c)
        passages += part.passages
        if part.kind == "none":
            lines.append(f"“{asked_part(clause, q.agency_words)}”：报告中没有找到" + ("相关内容。" if topic else "写明这个数字的句子。"))
        else:
            found += 1
            lines.append(part.answer)
    if not found:
        scope = "、".join(sorted({who(r) for r in reports})[:6])
        return Answer(q.text, f"在{scope}的报告中没有找到与问题相关的内容，报告未说明此事。", "none",
                      passages=tuple(passages), examined=len(reports))
    return Answer(q.text, "\n".join(lines), "passage", tuple(c.values), tuple(c.citations), tuple(c.warnings),
                  (), len(reports), tuple(passages))


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
    body = "".join(body_start(chunk.text, LONG_QUOTE))
    if not body:
        return None
    info = st.corpus.reports[hit.passage.report_id]
    return Passage(cid, info.id, info.source, info.agency, info.covers_year, chunk.section_no,
                   chunk.section_title, chunk.text, chunk.page_start, chunk.line_start, hit.passage.score, chunk.original), body

def _passage_list(st: Stores, q: Query, reports: list[ReportInfo], sections: Sequence[int],
                  drop: frozenset[str], c: Composer) -> Answer:
    hits = st.search.search(q.search_text, st.corpus.ids(reports), sections, k=PASSAGE_LIST, drop=drop, depth=200,
                              hints=_INTENT[q.intent].words if q.intent in _INTENT else ())
    per_report = [h for h in _best_per_report(hits) if _answers(q, h, _INTENT.get(q.intent or ""))
                  and (not sections or h.passage.section_no in sections)]
    # "哪些单位收过信息处理费": a report that writes "无收取信息处理费情况" did not; it is named apart
    # "哪些单位提到…" lists what reports write, "无" included; "写了真收过…的" asks who did it
    mentions = _MENTION_ASKED.search(q.text) and not re.search(r"真|确实|实际|的确", q.text)
    denied = [] if mentions else [h for h in per_report if _says_none(_quote(q, h, False))]
    per_report = [h for h in per_report if h not in denied]
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
    if denied:
        lines.append(f"另有{len(denied)}份报告写明没有此类情况：")
    marks = []
    for hit in denied:
        quote = _quote(q, hit, False)
        marks.append(c.cite_passage(hit.passage, quote))
        lines.append(f"· {who(st.corpus.reports[hit.passage.report_id])}：“{quote}”[{marks[-1]}]")
    if denied:
        c.computed("count", "写明没有此类情况的报告数", Decimal(len(denied)), "份", marks, f"count = {len(denied)}")
    if not per_report and denied:
        return Answer(q.text, "\n".join(lines), "passage", tuple(c.values), tuple(c.citations), tuple(c.warnings),
                      (), len(reports), tuple(h.passage for h in hits[:8]))
    if not per_report:
        return Answer(q.text, f"共查阅{len(reports)}份报告，均未找到相关内容。", "none", examined=len(reports),
                      passages=tuple(h.passage for h in hits[:8]))
    return Answer(q.text, "\n".join(lines), "passage", tuple(c.values), tuple(c.citations), tuple(c.warnings),
                  tuple(h.passage.report_id for h in per_report), len(reports),
                  tuple(h.passage for h in hits[:8]))


_MENTION_ASKED = re.compile(r"提到|提及|谈到|说到|讲到|写到|写了|指出|表示|涉及")
_NONE_WORD = re.compile(r"无|未|没有|不存在|均为零|为零")


def _says_none(quote: str) -> bool:
    """"2025年，无收取信息处理费情况。": the sentence says there was none (a negation and no number but years)."""
    rest = re.sub(r"20\d\d\s*年度?", "", quote)
    numbers = re.findall(r"\d+(?:\.\d+)?", rest)
    if numbers and all(float(n) == 0 for n in numbers) and re.search(r"(?<![\d.])0\s*[元件笔次]", rest):
        return True  # "全年收取政府信息公开信息处理费 0 元"
    return bool(_NONE_WORD.search(rest)) and not numbers


def _agency_terms(q: Query) -> set[str]:
    words = set()
    for name in q.agencies or ():
        words.update(tokens(name))
    for w in q.agency_words:
        words.update(tokens(w))
    words.update(_touching(q.search_text, q.agency_words))
    return words


def _touching(text: str, mentions: Sequence[str]) -> set[str]:
    """The tokens of ``text`` that overlap a mention of an agency ("市府" in "市府办公厅" when 府办公厅 named it)."""
    spans = [(m.start(), m.end()) for w in mentions if w for m in re.finditer(re.escape(w), text)]
    out: set[str] = set()
    pos = 0
    for t in tokens(text):
        start = text.find(t, pos)
        if start < 0:
            continue
        pos = start + len(t)
        if any(start < e and s < pos for s, e in spans):
            out.add(t)
    return out


def _needs(q: Query) -> list[tuple[re.Pattern[str], str | None]]:
    """What the question asks to be in the quoted sentence (a phone number for 电话, a URL for 哪个网站…); the
    question itself first, then the conversation it continues."""
    for text in (q.text, q.search_text):
        found = [(pattern, anchor) for asked, pattern, anchor in _NEEDS if asked.search(text)]
        if found:
            return found
    return []


_ASKS_PARTS = re.compile(r"几个?部分|哪[几些]?部分|结构|组成|包括哪些内容")


def _answers(q: Query, hit: Hit, intent: Intent | None) -> bool:
    """Does the passage answer the question: what the question asks for (a phone number for 电话), or enough of its
    distinctive words, or the topic word of the question's topic, or the topic's own section?"""
    needs = _needs(q)
    if needs:
        return any(pattern.search(hit.passage.text) for pattern, _ in needs)
    if names_sections("".join(hit.sentences)) and not _ASKS_PARTS.search(q.text):
        return False  # the report's list of contents names every topic and answers none
    if ASKS_NUMBER.search(q.text):  # "有多少个": the quoted sentences must state a number about the topic
        span = "".join(hit.sentences)
        unit = ASKED_UNIT.search(q.text)
        wanted = SAME_UNITS.get(unit.group(1), (unit.group(1),)) if unit else ("",)
        if SHARE_ASKED.search(q.text):  # "差评占多少": a percentage
            wanted = ("%",)
        if _STATES_NONE.search(span) and hit.span_coverage >= MIN_COVERAGE:  # "无收取信息处理费情况": none, said
            return True
        if not any(u.endswith(wanted) for u in stated_units(span)) or hit.span_coverage < MIN_COVERAGE:
            return False
    if hit.coverage >= MIN_COVERAGE:
        return True
    if intent is None:
        return False
    asked = [w for w in intent.words if w in q.search_text]
    if asked and any(w in hit.passage.text for w in asked) and hit.coverage >= 0.2:
        return True
    if hit.heading and intent.key in OWN_SECTION and any(w in hit.sentences[0] for w in intent.words):
        # "（一）主要问题" and the text under it
        return True
    return hit.passage.section_no == intent.sections[0] and hit.coverage >= 0.25


def _whole_sentence(text: str, piece: str) -> str:
    """"电话：87987505；" is a piece of "如对本报告有任何疑问，请与…综合股联系（…电话：87987505；传真：…）": the
    whole sentence (to 。) is quoted when it is short enough to read, so whom to call is quoted with the number."""
    start = text.find(piece)
    if start < 0:
        return piece
    lo = max(text.rfind("。", 0, start), text.rfind("\n", 0, start)) + 1
    ends = [i for i in (text.find("。", start + len(piece)), text.find("\n", start + len(piece))) if i >= 0]
    hi = min(ends) + 1 if ends else len(text)
    whole = text[lo:hi].strip()
    return whole if len(whole) <= SHORT_QUOTE else piece


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
                return _whole_sentence(text, (preferred or matching)[0])
    if hit.heading:
        return "".join(hit.sentences)
    if whole and len(text) <= LONG_QUOTE and not any(TABLE_ROW.match(x) for x in text.split("\n")):
        return text.strip().replace("\n", "")  # not with a table row left in the text ("|---|---|")
    return "".join(hit.sentences) or text[:200]


def _best_per_report(hits: list[Hit]) -> list[Hit]:
    seen: dict[str, Hit] = {}
    for hit in hits:
        seen.setdefault(hit.passage.report_id, hit)
    return list(seen.values())
