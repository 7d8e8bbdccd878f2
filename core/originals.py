"""A simplified text's characters as published: reports read in traditional characters are converted to simplified
(ingest/script.py) before anything reads them, and quotes show the characters the report printed.

OpenCC's t2s changes characters, not their number, so a converted line and its original line align character for
character. A piece of the converted text (a chunk, a quoted sentence; its line breaks and spaces may have changed)
is found in the converted text run by run, and each character found is replaced by the original's at the same place.
"""

from __future__ import annotations

MIN_RUN = 6  # characters a run must have to be placed: a shorter one could sit anywhere


def in_original(piece: str, simplified: str, original: str) -> str | None:
    """``piece`` written with ``original``'s characters, where ``simplified`` is ``original`` converted (the same
    length, character for character); None when nothing of it could be placed or nothing changes."""
    if len(simplified) != len(original):
        return None
    where = [i for i, ch in enumerate(simplified) if not ch.isspace()]
    flat = "".join(simplified[i] for i in where)
    wanted = [(i, ch) for i, ch in enumerate(piece) if not ch.isspace()]
    text = "".join(ch for _, ch in wanted)
    out = list(piece)
    placed = False
    i = start = 0
    while i < len(text):
        k, at = _longest_run(text, i, flat, start)
        if k < MIN_RUN:
            i += 1
            continue
        for m in range(k):
            out[wanted[i + m][0]] = original[where[at + m]]
        placed = True
        i, start = i + k, at + k
    result = "".join(out)
    return result if placed and result != piece else None


def _longest_run(text: str, i: int, flat: str, start: int) -> tuple[int, int]:
    """The longest prefix of ``text[i:]`` found in ``flat`` at or after ``start``: (its length, where)."""
    at = flat.find(text[i:], start)
    if at >= 0:
        return len(text) - i, at
    lo, hi, best = 0, len(text) - i, (0, -1)  # a prefix found means every shorter one is found too
    while lo < hi:
        mid = (lo + hi + 1) // 2
        found = flat.find(text[i:i + mid], start)
        if found >= 0:
            lo, best = mid, (mid, found)
        else:
            hi = mid - 1
    return best
