"""Damage to printed numbers that real conversions produce (OCR letters for digits, stray marks, lost cells), for
tests and benchmarks that check a damaged cell is flagged and shifts nothing."""

from __future__ import annotations

import random
import re

from core.template import APPLICANT_COLUMNS

MUTABLE_ROWS = {"本年新收": "new_applications", "上年结转": "carried_over", "属于国家秘密": "withheld_state_secret",
                "保护第三方合法权益": "withheld_third_party", "重复申请": "not_processed_repeated"}
GARBAGE = ("O", "l", "?", "5件", "0*", "", "—")
_NUMBER = re.compile(r"(?<=[\s|])(\d+)(?=[\s|]|$)")


def corrupt_number(text: str, rng: random.Random) -> tuple[str, tuple[str, str, str], str] | None:
    """Replace (or delete) one printed number of a 表三 row whose label is unambiguous; returns the new text, the
    cell the number belonged to, and what now stands there. None when no such row is printed on one line."""
    lines = text.split("\n")
    candidates = [i for i, line in enumerate(lines)
                  if any(k in line for k in MUTABLE_ROWS) and len(_NUMBER.findall(line)) == 7]
    if not candidates:
        return None
    i = rng.choice(candidates)
    k = rng.randrange(7)
    garbage = rng.choice(GARBAGE)
    match = list(_NUMBER.finditer(lines[i]))[k]
    lines[i] = lines[i][: match.start()] + garbage + lines[i][match.end():]
    row = next(v for key, v in MUTABLE_ROWS.items() if key in lines[i])
    return "\n".join(lines), ("三", row, APPLICANT_COLUMNS[k].key), garbage
