"""Split a report into its six sections (plus the preamble) and the sections into chunks for search.

Tolerant of real variants: headings with extra words, a heading repeated (the unbulleted one wins), a preamble
before 一, and headings lost in conversion (then the section starts at its table or a keyword line).
Table rows are left out of chunks (tables are answered from cells); narrative between them stays.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from core.records import Chunk, Line
from core.template import SECTION_TITLES
from core.terms import index_terms

_NUMERALS = "一二三四五六"
_KEYWORDS = {
    1: ("总体情况", "概述", "基本情况"),
    2: ("主动公开",),
    3: ("收到和处理", "依申请公开", "申请情况"),
    4: ("行政复议", "行政诉讼"),
    5: ("问题", "改进", "不足"),
    6: ("其他需要报告", "其他事项", "其他需报告"),
}
# When a heading is lost, a section still starts where its content unmistakably begins.
_FALLBACK_STARTS = {
    2: re.compile(r"第二十条\s*第"),
    3: re.compile(r"勾稽关系|本年新收政府信息公开申请"),
    4: re.compile(r"^[|#\s]*(行政复议|结果维持)"),
    # also a sub-heading of the lost section: "（一）2024 年工作中存在问题的改进情况"
    5: re.compile(r"^.{0,16}?(存在的主要问题|主要问题及改进|存在问题及改进|存在问题的改进|问题及改进情况)"),
    6: re.compile(r"^.{0,6}其他需要报告的事项"),
}
# ... or, after the statistics sections, its first sub-heading alone on a line: "（一）主要问题", "（一）存在的问题"
_SUB_STARTS = {5: (re.compile(r"^[（(][一1][）)]\s*(?:存在的?)?(?:主要)?问题$"), 3)}
_HEADING_RE = re.compile(r"^(?P<bullet>[-*#>•\s]*)(?P<num>[一二三四五六])\s*[、.．,，]\s*(?P<rest>.*)$")
_SENTENCE_END = "。！？!?；;"


@dataclass(frozen=True)
class Section:
    number: int
    title: str  # as printed (or the canonical title when the heading was lost)
    lines: tuple[Line, ...]
    printed: bool = True  # False when the heading was lost and the section found by its content


def split_sections(lines: Sequence[Line]) -> list[Section]:
    starts = _section_starts(lines)
    out = []
    ordered = sorted(starts.items(), key=lambda kv: kv[1][0])
    first = ordered[0][1][0] if ordered else len(lines)
    if first > 0:
        out.append(Section(0, SECTION_TITLES[0], tuple(lines[:first])))
    for k, (number, (index, title)) in enumerate(ordered):
        end = ordered[k + 1][1][0] if k + 1 < len(ordered) else len(lines)
        body = lines[index + 1 : end] if title else lines[index:end]
        out.append(Section(number, title or SECTION_TITLES[number], tuple(body), printed=bool(title)))
    return out


def _section_starts(lines: Sequence[Line]) -> dict[int, tuple[int, str]]:
    """{section number: (line index, printed heading or '' when located by content)}; increasing order."""
    candidates: dict[int, list[tuple[int, str, int]]] = {}
    for i, line in enumerate(lines):
        match = _HEADING_RE.match(line.text.strip())
        if not match or len(line.text.strip()) > 40 or "\t" in line.text.strip():
            continue
        number = _NUMERALS.index(match.group("num")) + 1
        if any(k in match.group("rest") for k in _KEYWORDS[number]):
            penalty = 1 if match.group("bullet").strip() else 0
            candidates.setdefault(number, []).append((i, line.text.strip().lstrip("-*#>• "), penalty))
    chosen: dict[int, tuple[int, str]] = {}
    floor = -1
    for number in range(1, 7):
        options = [c for c in candidates.get(number, []) if c[0] > floor]
        if options:
            index, title, _ = min(options, key=lambda c: (c[2], c[0]))
            chosen[number] = (index, title)
            floor = index
    _fill_lost_headings(lines, chosen)
    return chosen


def _fill_lost_headings(lines: Sequence[Line], chosen: dict[int, tuple[int, str]]) -> None:
    for number, mark in _FALLBACK_STARTS.items():
        if number in chosen:
            continue
        lower = max((chosen[n][0] for n in chosen if n < number), default=-1)
        upper = min((chosen[n][0] for n in chosen if n > number), default=len(lines))
        sub, after = _SUB_STARTS.get(number, (None, 0))
        sub_allowed = sub is not None and max((n for n in chosen if n < number), default=0) >= after
        for i in range(lower + 1, upper):
            text = lines[i].text.strip()
            if "。" not in text and (mark.search(text) or (sub_allowed and sub is not None and sub.search(text))):
                chosen[number] = (i, "")
                break


# ------------------------------------------------------------------------------------------------- chunks


def make_chunks(sections: Sequence[Section], agency: str | None, year: int | None, table_lines: set[int],
                target: int = 400) -> list[Chunk]:
    chunks: list[Chunk] = []
    for section in sections:
        lines = [ln for ln in section.lines if ln.lineno not in table_lines and ln.text.strip()]
        for text, first, last in _pack(sentences(lines), target):
            prefix = f"{agency or '单位不详'} · {str(year) + '年' if year else '年份不详'} · {section.title}"
            chunks.append(Chunk(
                ord=len(chunks), section_no=section.number, section_title=section.title, text=text,
                indexed_text=f"{prefix}\n{text}", line_start=first.source_line, line_end=last.source_line,
                page_start=first.page, page_end=last.page, terms=index_terms(f"{prefix}\n{text}"),
            ))
    return chunks


def sentences(lines: Sequence[Line]) -> list[tuple[str, Line, Line]]:
    """Sentences with the lines they start and end on. Visual line breaks inside a sentence are joined."""
    out: list[tuple[str, Line, Line]] = []
    buf, start = "", None
    for line in lines:
        text = line.text.strip()
        start = start or line
        for piece in re.split(f"(?<=[{_SENTENCE_END}])", text):
            if not piece:
                continue
            buf = _join(buf, piece)
            if piece[-1] in _SENTENCE_END:
                out.append((buf, start, line))
                buf, start = "", line
        if buf and _paragraph_end(text):
            out.append((buf, start, line))
            buf, start = "", None
        elif not buf:
            start = None
    if buf and start is not None:
        out.append((buf, start, lines[-1]))
    return out


def _join(left: str, right: str) -> str:
    if left and left[-1].isascii() and right[:1].isascii() and left[-1].isalnum() and right[:1].isalnum():
        return left + " " + right
    return left + right


def _paragraph_end(text: str) -> bool:
    """A short line, a heading, a line ending in a colon or a table row ("| 1 | 0 |") closes the running text (no
    sentence end needed)."""
    return _alone(text) or bool(re.match(r"^[（(]?[一二三四五六七八九十]+[）)、]", text))


def _pack(sentences: list[tuple[str, Line, Line]], target: int) -> list[tuple[str, Line, Line]]:
    out: list[tuple[str, Line, Line]] = []
    text, first, last = "", None, None
    for sentence, s_first, s_last in sentences:
        if text and len(text) + len(sentence) > target:
            out.append((text, first, last))  # type: ignore[arg-type]
            text, first = "", None
        first = first or s_first
        # a new paragraph, or the sentence after a line standing alone ("（一）主要问题", a table row), starts a line
        broken = last is not None and text[-1:] not in _SENTENCE_END and _alone(last.text.strip())
        text = text + ("\n" if text and (_starts_paragraph(sentence) or broken) else "") + sentence
        last = s_last
    if text:
        out.append((text, first, last))  # type: ignore[arg-type]
    return out


def _alone(line: str) -> bool:
    """A line that is not running text wrapped onto the next: short, ending in a colon, or a table row."""
    return len(line) < 20 or line[-1:] in "：:|"


def _starts_paragraph(sentence: str) -> bool:
    return bool(re.match(r"^[（(]?[一二三四五六七八九十\d]+[）)、.]|^\|", sentence))  # a heading, or a table row
