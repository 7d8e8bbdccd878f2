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


def corrupt_cells(text: str, rng: random.Random, kind: str) -> tuple[str, tuple[tuple[str, str, str], ...]] | None:
    """Damage of one 表三 row on a tab line: "split" a number with a space ("3119" → "31 19") or "merge" two
    neighbouring cells into one field ("53<TAB>0" → "53 0"). Returns the text and the cells whose printed value is
    no longer readable."""
    lines = text.split("\n")
    candidates = [i for i, line in enumerate(lines) if "\t" in line and any(k in line for k in MUTABLE_ROWS)
                  and len(_NUMBER.findall(line.replace("\t", " "))) == 7]
    if not candidates:
        return None
    i = rng.choice(candidates)
    fields = lines[i].split("\t")
    numeric = [j for j, f in enumerate(fields) if re.fullmatch(r"\d+", f.strip())]
    row = next(v for key, v in MUTABLE_ROWS.items() if key in lines[i])
    if kind == "split":
        choices = [j for j in numeric if len(fields[j].strip()) >= 2]
        if not choices:
            return None
        j = rng.choice(choices)
        value = fields[j].strip()
        cut = rng.randrange(1, len(value))
        fields[j] = value[:cut] + " " + value[cut:]
        damaged = (numeric.index(j),)
    else:
        k = rng.randrange(len(numeric) - 1)
        j = numeric[k]
        fields[j : j + 2] = [fields[j] + " " + fields[j + 1]]
        damaged = (k, k + 1)
    lines[i] = "\t".join(fields)
    return "\n".join(lines), tuple(("三", row, APPLICANT_COLUMNS[c].key) for c in damaged)


def hide_blanks(text: str, shape: str) -> str:
    """Turn tab rows into space-separated ("space") or concatenated ("flattened") rows, as text extraction and web
    scraping do: empty fields vanish, so blank cells become invisible."""
    out = []
    for line in text.split("\n"):
        if "\t" not in line or not re.search(r"\d", line):
            out.append(line)
            continue
        fields = [f.strip() for f in line.split("\t") if f.strip()]
        first = next((j for j, f in enumerate(fields) if re.fullmatch(r"-?\d+(\.\d+)?", f)), len(fields))
        label, values = "".join(fields[:first]), fields[first:]
        out.append(label + (" " + " ".join(values) if shape == "space" else "".join(values)))
    return "\n".join(out)
