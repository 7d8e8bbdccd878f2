"""Normalise extracted text: compatibility code points, running headers/footers and page numbers.

NFKC maps Kangxi radicals (⼀ U+2F00 → 一) and full-width digits; the CJK Radicals Supplement (⺠ U+2EA0) is not
covered by NFKC and gets an explicit map. Full-width CJK punctuation （），：；！？ is kept as printed so quotes read
like the source (NFKC would turn it into ASCII).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

from core.records import Line

# CJK Radicals Supplement code points that PDF fonts use in place of ordinary characters.
RADICALS_SUPPLEMENT = {
    "\u2e81": "厂", "\u2e8a": "卜", "\u2e9d": "月", "\u2e9f": "母", "\u2ea0": "民", "\u2ea9": "王",
    "\u2ec4": "西", "\u2ec5": "见", "\u2ec6": "角", "\u2ec9": "贝", "\u2ecb": "车", "\u2ed1": "长",
    "\u2ed3": "长", "\u2ed4": "门", "\u2ed8": "青", "\u2ed9": "韦", "\u2eda": "页", "\u2edb": "风",
    "\u2edc": "飞", "\u2edd": "食", "\u2ee2": "马", "\u2ee3": "骨", "\u2ee4": "鬼", "\u2ee5": "鱼",
    "\u2ee6": "鸟", "\u2ee7": "卤", "\u2ee8": "麦", "\u2ee9": "黄", "\u2eeb": "齐", "\u2eec": "齐",
    "\u2eed": "齿", "\u2eee": "齿", "\u2eef": "龙", "\u2ef0": "龙", "\u2ef2": "龟", "\u2ef3": "龟",
}
_KEEP = "（），：；！？"
_PROTECT = {ord(c): chr(0xF0000 + i) for i, c in enumerate(_KEEP)}
_RESTORE = {0xF0000 + i: c for i, c in enumerate(_KEEP)}
_EXTRA = str.maketrans({**RADICALS_SUPPLEMENT, "\u3000": " ", "\u00a0": " ", "\ufeff": "", "\u200b": ""})
_MOJIBAKE_HINT = set("锟斤拷烫屯")


def normalize_text(text: str) -> str:
    """NFKC (keeping full-width CJK punctuation) plus the radicals-supplement map; newlines unified."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFKC", text.translate(_PROTECT)).translate(_RESTORE)
    return text.translate(_EXTRA)


@functools.lru_cache(maxsize=65536)
def match_key(text: str) -> str:
    """A loose key for comparing labels: full NFKC, no spaces or punctuation variants."""
    text = unicodedata.normalize("NFKC", normalize_text(text))
    return re.sub(r"[\s\"'“”‘’()（）:：,，、.．;；\-—_|]", "", text)


# ---------------------------------------------------------------------------------------------- page furniture

_PAGE_NUMBER_RES = (
    re.compile(r"^[-—–]\s*\d{1,4}\s*[-—–]$"),  # -3-  - 3 -   (a bare "3" may be data: see the PDF loader)
    re.compile(r"^\d{1,4}\s*/\s*\d{1,4}$"),  # 1/29
    re.compile(r"^第\s*\d{1,4}\s*页(\s*[,，/]?\s*共\s*\d{1,4}\s*页)?$"),  # 第3页 共5页
    re.compile(r"^共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页$"),
    re.compile(r"^page\s*\d+(\s*of\s*\d+)?$", re.IGNORECASE),
)
# "1/29<tab>川汇区信访局2021年政府信息公开工作年度报告", "第 1 页 某某局…年度报告", "…年度报告 - 3 -": a page number
# fused with the running header.
_PAGE_TOKEN = r"(?:\d{1,4}\s*/\s*\d{1,4}|第\s*\d{1,4}\s*页(?:\s*共\s*\d{1,4}\s*页)?|[-—–]\s*\d{1,4}\s*[-—–])"
_PAGE_NUMBER_PREFIX = re.compile(rf"^\s*{_PAGE_TOKEN}\s*\S.{{0,50}}报告\s*$|^.{{0,50}}报告\s*{_PAGE_TOKEN}\s*$")


def is_page_furniture(text: str) -> bool:
    stripped = text.strip().replace("\t", " ")
    if not stripped:
        return False
    if any(r.match(stripped) for r in _PAGE_NUMBER_RES):
        return True
    return bool(_PAGE_NUMBER_PREFIX.match(stripped))


def repeated_headers(pages: list[list[str]], min_pages: int = 3) -> set[str]:
    """Lines that open or close most pages (running headers/footers), for paged documents."""
    if len(pages) < min_pages:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        edge = [ln.strip() for ln in lines[:2] + lines[-2:] if ln.strip()]
        counts.update(set(edge))
    limit = max(min_pages, int(len(pages) * 0.6))
    return {text for text, n in counts.items() if n >= limit and len(text) <= 60}


def clean_lines(raw: Iterable[tuple[str, int | None]], headers: set[str] = frozenset()) -> tuple[Line, ...]:
    """Normalise each (text, page) pair, drop page numbers and running headers, number the lines from 1."""
    out: list[Line] = []
    for text, page in raw:
        text = normalize_text(text).rstrip(" \r\n")  # trailing tabs are empty cells: keep them
        if is_page_furniture(text) or (text.strip() and text.strip() in headers):
            continue
        out.append(Line(text=text, lineno=len(out) + 1, page=page))
    return tuple(out)


def looks_like_mojibake(text: str) -> bool:
    """True when decoded text shows no sign of being Chinese prose (a wrong encoding guess)."""
    sample = text[:20000]
    if not sample.strip():
        return False
    cjk = sum(1 for c in sample if "\u4e00" <= c <= "\u9fff")
    common = sum(sample.count(c) for c in "的年政府信息公开工作报告一")
    odd = sum(1 for c in sample if c in _MOJIBAKE_HINT or "\ue000" <= c <= "\uf8ff" or c == "\ufffd")
    if cjk == 0:
        return False  # not Chinese at all; reported elsewhere
    return common < max(3, cjk // 200) or odd > cjk // 20
