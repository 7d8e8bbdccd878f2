"""Topics the template gives a section of its own (五、存在的主要问题及改进情况; 六、其他需要报告的事项): answered from
that section of every report in scope, quoted from where the problems or the improvements begin."""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.terms import tokens
from retrieval.agencies import ReportInfo
from retrieval.answer import Answer
from retrieval.answerers.quoted_numbers import counted_items
from retrieval.compose import Composer, who
from retrieval.corpus import Stores
from retrieval.lexicon import Intent
from retrieval.passages import LONG_QUOTE, MIN_COVERAGE, Hit, sentences_of
from retrieval.query import Query

OWN_SECTION = frozenset({"problems", "improvements", "other_matters"})  # topics that are a section of their own
_IMPROVE_START = ("改进", "下一步", "今后", "针对", "整改", "打算", "计划", "将进一步", "将从", "将继续", "重点做好",
                  "以下工作")
_PLANS_BEGIN = ("下一步", "针对上述", "针对以上", "针对存在", "针对这些", "今后", "改进措施", "整改措施", "将从以下",
                "将重点", "以下工作")
_EMPTY = re.compile(r"^[\s（）()一二三四五六七八九十、.．:：]*(?:无|暂无|没有|本年度无|无需要说明的其他事项|"
                    r"无其他需要报告的事项|无其他需要说明的事项)[。.；;]?$")


def own_section(st: Stores, q: Query, reports: list[ReportInfo], intent: Intent, drop: frozenset[str],
                listing: bool, c: Composer) -> Answer | None:
    """Topics with their own section in the template (五、存在的主要问题及改进情况; 六、其他需要报告的事项) are
    answered from that section of every report in scope; a section that only says "无" is reported as such."""
    section_no = intent.sections[0]
    own = drop | {t for w in intent.words for t in tokens(w)}
    stated: list[Hit] = []
    empty: list[Hit] = []
    weak: list[Hit] = []  # the section found, but few of the question's own words in it ("人手方面存在啥问题")
    for report in reports:
        hits = st.search.in_section(q.search_text, report.id, section_no, own, intent.words, LONG_QUOTE)
        if not hits:
            continue
        if intent.key == "problems":  # the chunk where the problems are stated, before last year's improvements
            hits = sorted(hits, key=lambda h: _problems_start(sentences_of(h.passage.text)) is None)
        if all(_EMPTY.match(h.passage.text.strip()) for h in hits):
            empty.append(hits[0])
        elif hits[0].coverage >= MIN_COVERAGE:
            stated.append(hits[0])
        else:
            weak.append(hits[0])
    # one report asked for its problems ("人手方面存在什么问题"): its problems section is the answer; not for
    # 措施/计划, which the text uses for much else ("监督保障方面采取了什么措施")
    if not stated and not empty and len(reports) == 1 and weak and intent.key == "problems":
        stated = weak
    if not stated and not empty:
        return None
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
        if counted := counted_items(c, q, quote, mark, st.corpus.reports[p.report_id]):  # "一共列了几条"
            lines.append(counted)
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


_PROBLEMS = re.compile(r"(?:存在的主要问题|存在的问题|主要问题|不足之处|问题和不足|问题与不足|薄弱环节|"
                       r"存在着?(?:一些|一定的?|以下|如下|不少)?(?:不足|差距|问题|短板))(?!的?改进|及改进)")


def _problems_start(sentences: Sequence[str]) -> int | None:
    """The sentence where a section's problems begin ("（二）2025年工作中存在的主要问题…"); not a sentence about
    remedying last year's ("针对2024年工作中存在的主要问题，重点采取如下改进措施")."""
    for i, x in enumerate(sentences):
        if _PROBLEMS.search(x) and not re.match(r"\s*针对", x) and "改进措施" not in x:
            return i
    return None


def _section_quote(text: str, intent: Intent) -> str:
    """A section's own wording from its start (problems) or from where the improvements begin, whole sentences up
    to ``LONG_QUOTE`` characters: the list "一是…；二是…" is what the question asks for."""
    found = sentences_of(text)
    if not found:
        return text.strip()[:LONG_QUOTE]
    start = 0
    if intent.key == "improvements":
        start = next((i for i, x in enumerate(found) if any(w in x for w in _IMPROVE_START)), 0)
    elif intent.key == "problems":
        start = _problems_start(found) or 0
    out = [found[start]]
    for x in found[start + 1:]:
        if sum(map(len, out)) + len(x) > LONG_QUOTE or (intent.key == "problems" and any(w in x for w in _PLANS_BEGIN)):
            break
        out.append(x)
    return "".join(out)
