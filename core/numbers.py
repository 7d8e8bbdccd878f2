"""Numbers as the product shows and stores them, and the patterns that find counted numbers in text.

One place for every module: the answer text (:func:`fmt`), JSON (:func:`json_number`), and the regexes for "2645条",
"380元" in a report's sentences and for "多少/几条" in a question.
"""

from __future__ import annotations

import re
from decimal import Decimal

#: units a report counts in (longest first where one is a prefix of another)
COUNT_UNITS = ("万元", "元", "条", "件", "个", "场", "期", "次", "篇", "人次", "人", "名", "家", "项", "份", "册", "万")
_UNITS = "|".join(COUNT_UNITS)
#: a counted number in a sentence: group 1 the digits ("1,234", "7730.28"), group 2 its unit ("万余条", "元")
NUMBER = re.compile(r"(?<![\d,.])((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*((?:[万千亿](?:余|多)?|余|多)?\s*(?:"
                    + _UNITS + "))")
#: a question asking for an amount
ASKS_NUMBER = re.compile(r"多少|(?<![哪这那])几(?![种类方面])")
#: the unit a question asks for ("多少条", "几次"; "多少钱" asks for 元)
ASKED_UNIT = re.compile(r"(?:多少|(?<![哪这那])几)(" + _UNITS.replace("|万", "") + "|钱)")


def fmt(value: Decimal | None) -> str:
    """A value as the answer text shows it: "—" for none, a whole number without a decimal point, other numbers
    with the digits they were printed with ("4068.210" stays as printed)."""
    if value is None:
        return "—"
    if value == value.to_integral_value():
        return f"{int(value)}"
    return f"{value:f}"


def json_number(value: Decimal | None) -> int | float | None:
    """A value as JSON and data frames carry it: an int when whole."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def printed_number(value: Decimal | None) -> int | float | None:
    """A JSON number that prints exactly as the report printed it: "12.0" stays a float (shortest repr keeps
    ≤ 15 digits)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() and "." not in str(value) else float(value)
