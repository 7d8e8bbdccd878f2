"""Numbers as the product shows and stores them, and the patterns that find counted numbers in text.

One place for every module: the answer text (:func:`fmt`), JSON (:func:`json_number`), and the regexes for "2645条",
"380元" in a report's sentences and for "多少/几条" in a question.
"""

from __future__ import annotations

import re
from decimal import Decimal

#: units a report counts in (longest first where one is a prefix of another)
COUNT_UNITS = ("万元", "元", "条", "件", "个", "场", "期", "次", "篇", "人次", "人", "名", "家", "项", "份", "册", "轮", "批",
               "万", "%", "％")
_UNITS = "|".join(COUNT_UNITS)
#: a counted number in a sentence: group 1 the digits ("1,234", "7730.28"), group 2 its unit ("万余条", "元")
NUMBER = re.compile(r"(?<![\d,.])((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*((?:[万千亿](?:余|多)?|余|多)?\s*(?:"
                    + _UNITS + "))")
#: a question asking for an amount
ASKS_NUMBER = re.compile(r"多少|(?<![哪这那])几(?![种类方面])")
#: the unit a question asks for ("多少条", "几次"; "多少钱" asks for 元)
ASKED_UNIT = re.compile(r"(?:多少|(?<![哪这那])几)(" + _UNITS.replace("|万", "") + "|钱|回)")


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


#: the question asks for a share ("占比多少", "百分之几"): no cell holds one; the text states it beside a count
SHARE_ASKED = re.compile(r"占比|比例|比重|百分比|百分之几|百分之多少|百分之|多少%|占了?多少|占几成|率是多少|率多少")
#: a round number in words after a word that compares ("过千", "上三千", "超过十", "过了三千五", "上亿")
ROUND_NUMBER = re.compile(r"(?<=[过上破超满足到于够])了?(?:\d+|[〇零一二两三四五六七八九]*)[十百千万亿]"
                          r"[〇零一二两三四五六七八九十百千万亿]*(?![分米年])")

_CN_VALUE = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}
_CN_BIG = {"万": 10_000, "亿": 100_000_000}


def chinese_int(text: str) -> int | None:
    """A whole number written in Chinese numerals ("三十" 30, "四百万" 4000000, "亿" 100000000, "一千二" 1200); a
    leading Arabic part is allowed ("3千"). None when ``text`` is not such a number."""
    m = re.fullmatch(r"(\d+)?([〇零一二两三四五六七八九十百千万亿]*)", text.removeprefix("了"))
    if not m or not text:
        return None
    total, section, digit = 0, 0, int(m.group(1)) if m.group(1) else None
    last_unit = 1
    for ch in m.group(2):
        if ch in _CN_VALUE:
            digit = _CN_VALUE[ch]
        elif ch in _CN_UNIT:
            section += (1 if digit is None else digit) * _CN_UNIT[ch]
            last_unit, digit = _CN_UNIT[ch], None
        else:
            section += digit or 0
            total += (section or 1) * _CN_BIG[ch]
            section, digit, last_unit = 0, None, _CN_BIG[ch]
    if digit is not None:  # "一千二": a trailing digit counts in the unit below the last one
        section += digit * (last_unit // 10 if last_unit >= 100 and m.group(2)[-2:-1] in _CN_UNIT else 1)
    return total + section
