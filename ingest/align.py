"""Aligning observed rows to the template's rows: label similarity by character bigrams, in printed order."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from core.template import Row, SubTable, subtables
from ingest.normalize import match_key
from ingest.rows import ObservedRow

# ------------------------------------------------------------------------------------------------- alignment


@dataclass(frozen=True)
class Slot:
    """A template row ready to be aligned: its sub-table and the label keys to match."""

    sub: SubTable
    row: Row
    keys: tuple[str, ...]


@functools.lru_cache(maxsize=16)
def template_slots(template: str, table: str) -> tuple[Slot, ...]:
    out = []
    for sub in subtables(template, table):
        for row in sub.rows:
            leaf = row.label.rsplit("/", 1)[-1]
            out.append(Slot(sub, row, tuple(match_key(x) for x in (leaf, *row.aliases))))
    return tuple(out)


@functools.lru_cache(maxsize=4096)
def _grams(key: str) -> frozenset[str]:
    return frozenset(key[i : i + 2] for i in range(len(key) - 1)) or frozenset({key})


@functools.lru_cache(maxsize=16384)
def _hay(text: str) -> frozenset[str]:
    return frozenset(text[i : i + 2] for i in range(len(text) - 1)) | frozenset(text)


Hays = tuple[frozenset[str], frozenset[str], frozenset[str], frozenset[str]]


def _row_hays(row: ObservedRow) -> Hays:
    """The printed label alone, with the text above it, with the text below it, and with both (a long label wrapped
    over three lines has its number line in the middle)."""
    own, before, after = match_key(row.label), match_key(row.context), match_key(row.trailing)
    return _hay(own), _hay(before + own), _hay(own + after), _hay(before + own + after)


def label_similarity(slot: Slot, row: ObservedRow, hays: Hays | None = None) -> float:
    own, before, after, around = hays or _row_hays(row)
    return max(max(_cover(k, own), 0.9 * _cover(k, before), 0.9 * _cover(k, after), 0.8 * _cover(k, around))
               for k in slot.keys)


def _cover(key: str, hay: frozenset[str]) -> float:
    """Share of the template label's character bigrams found in the printed text."""
    if not key or not hay:
        return 0.0
    grams = _grams(key)
    return len(grams & hay) / len(grams)


def containment(key: str, text: str) -> float:
    return _cover(key, _hay(text)) if text else 0.0


def align(slots: Sequence[Slot], rows: Sequence[ObservedRow]) -> dict[int, tuple[int, float]]:
    """Monotonic alignment of observed rows to template rows maximising label similarity (plus a small bonus per
    matched row, so unlabeled rows still follow the printed order). Returns {slot index: (row index, score)}."""
    n, m = len(slots), len(rows)
    hays = [_row_hays(r) for r in rows]
    sims = [[label_similarity(s, r, h) for r, h in zip(rows, hays)] for s in slots]
    bonus = [-0.4 if r.blank_only else 0.2 for r in rows]
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    move = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            # a row of blank fields matches only by its label, never by position alone
            usable = not rows[j].blank_only or sims[i][j] >= 0.6
            take = best[i + 1][j + 1] + bonus[j] + sims[i][j] if usable else float("-inf")
            skip_slot, skip_row = best[i + 1][j], best[i][j + 1]
            if take >= skip_slot and take >= skip_row:  # ties: take, then skip the slot, then skip the row
                best[i][j], move[i][j] = take, 0
            elif skip_slot >= skip_row:
                best[i][j], move[i][j] = skip_slot, 1
            else:
                best[i][j], move[i][j] = skip_row, 2
        best[i][m] = 0.0
    out: dict[int, tuple[int, float]] = {}
    i = j = 0
    while i < n and j < m:
        if move[i][j] == 0:
            out[i] = (j, sims[i][j])
            i, j = i + 1, j + 1
        elif move[i][j] == 1:
            i += 1
        else:
            j += 1
    return out
