"""Counts the narrative states (收到/办结/结转/予以公开 applications, 复议/诉讼 cases), kept with their sentence, so the
checks can compare them with the tables. Patterns are deliberately narrow: a missed sentence costs a check, a
wrong match would raise a false alarm."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from core.records import Line, NarrativeFact
from ingest.sections import sentences

_N = r"(\d[\d,]*)\s*件"  # applications and cases are counted in 件; "3个工作日", "2个百分点" are not counts
_GAP = r"(?:(?!复议|诉讼|同比|平均|时限)[^。；;，,\d])"  # words between a verb and its count, not another topic
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("new_applications", re.compile(r"(?:收到|受理|新收|接收|收办|共收)" + _GAP + r"{0,18}?申请(?:案件)?(?:数量|共计|共|合计)?[为:：]?\s*" + _N)),
    ("handled", re.compile(r"(?:办结|(?<!公开)(?<!处理)(?<!办理)答复|办理完成|已办结)(?:(?!同比|平均|时限)[^。；;，,\d（(]){0,8}?" + _N)),
    ("carried_over", re.compile(r"上一?年度?结转[^。；;，,\d]{0,10}?" + _N)),
    ("carried_forward", re.compile(r"(?:" + _N + r"[^。；;，,、]{0,6}?(?:顺延|结转|转)(?:到|至)?下一?年)|(?:(?:结转|转)下一?年度?[^。；;，,\d]{0,6}?" + _N + ")")),
    ("granted", re.compile(r"(?<!不)予以公开[^。；;，,\d]{0,4}?" + _N)),
    ("review_total", re.compile(r"行政复议(?:案件)?(?:(?!同比|平均|下降|上升|增长|减少)[^。；;，,\d]){0,6}?" + _N)),
    ("suit_total", re.compile(r"行政诉讼(?:案件)?(?:(?!同比|平均|下降|上升|增长|减少)[^。；;，,\d]){0,6}?" + _N)),
)


# "行政复议7件，诉讼9件，均获维持": every case stated was upheld, so 结果维持 must equal the count stated
_ALL_UPHELD = re.compile(r"(?:均|全部|都)(?:获得?|被|予以|予)?维持")
_UPHELD_COUNTS = (("review_upheld", re.compile(r"复议(?:案件)?[^。；;，,\d]{0,4}?" + _N)),
                  ("suit_upheld", re.compile(r"诉讼(?:案件)?[^。；;，,\d]{0,4}?" + _N)))


def narrative_facts(lines: Sequence[Line], table_lines: set[int]) -> list[NarrativeFact]:
    prose = [ln for ln in lines if ln.lineno not in table_lines and ln.text.strip()]
    facts: list[NarrativeFact] = []
    for sentence, first, _ in sentences(prose):
        text = sentence.replace(" ", "")
        for kind, pattern in _PATTERNS:
            for match in pattern.finditer(text):
                number = next(g for g in match.groups() if g)
                facts.append(NarrativeFact(kind, Decimal(number.replace(",", "")), _sentence(text, match), first.source_line))
        upheld = _ALL_UPHELD.search(text)
        for kind, pattern in _UPHELD_COUNTS if upheld else ():
            for match in pattern.finditer(text[:upheld.start()]):
                facts.append(NarrativeFact(kind, Decimal(match.group(1).replace(",", "")), _sentence(text, match),
                                           first.source_line))
    return facts


def _sentence(text: str, match: re.Match[str]) -> str:
    start = max(text.rfind(c, 0, match.start()) for c in "。；;") + 1
    ends = [i for i in (text.find(c, match.end()) for c in "。；;") if i >= 0]
    return text[start : (min(ends) + 1 if ends else len(text))].strip()
