"""The numbers quoted passages state: each recorded as a quoted value, their units (for "有多少个" questions: the
sentence must state a number in the unit asked), and their sum when a question adds up what two reports state."""

from __future__ import annotations

import re
from decimal import Decimal

from core.numbers import ASKED_UNIT, ASKS_NUMBER, NUMBER, SHARE_ASKED, fmt
from retrieval.agencies import ReportInfo
from retrieval.answer import Passage, Value
from retrieval.compose import Composer
from retrieval.query import Query

_DIFFERS = re.compile(r"差了?多少|相差|差几|多了?多少|少了?多少|多出|增加了?多少|减少了?多少|变化")
_ADDS_UP = re.compile(r"一共|合计|总共|加起来|合起来|共计|总和|加一起|加在一起|加一块")


def quote_numbers(c: Composer, q: Query, p: Passage, quote: str, mark: int) -> None:
    if not ASKS_NUMBER.search(q.text):
        return
    for m in NUMBER.finditer(quote):
        before = re.split(r"[，。；、：:,;（）()]", quote[:m.start()])[-1][-16:]  # the words of its own clause
        c.quoted_number(p, before.strip(), Decimal(m.group(1).replace(",", "")),
                        re.sub(r"\s", "", m.group(2)), mark)


_LEAD = re.compile(r"^(?:其中|含|包括|包含|另有|共有|共)")


def singled_out(c: Composer, q: Query, start: int, quote: str) -> str:
    """Of two or more numbers one quote states (the composer's values from ``start``, in the quote's order), the one
    whose own words share clearly the most of the question's ("主动撤回的有多少" in "其他处理 319 件（含申请人主动撤回
    157 件）"): moved first among them and named in a line; "" when none stands out. A number's words are its clause
    ("含申请人主动撤回"), or the clause before when its own names nothing asked ("沭阳县民政局1件，收取880元"); a word
    the quote repeats in several clauses (its topic, 信息处理费) counts for less."""
    found = list(NUMBER.finditer(quote))
    quoted = [v for v in c.values[start:] if v.op == "quote"]
    if len(found) != len(quoted) or len(quoted) < 2:
        return ""
    asked = _bigrams(q.text)
    clauses = [_bigrams(part) for part in _CLAUSE.split(quote)]
    weight = {b: 1.0 / max(1, sum(b in cl for cl in clauses)) for b in asked}
    unit = ASKED_UNIT.search(q.text)
    wanted = SAME_UNITS.get(unit.group(1), (unit.group(1),)) if unit else ("",)
    if SHARE_ASKED.search(q.text):  # "占了百分之几": the percentage, not the count beside it
        wanted = ("%",)
    scored = []
    for m, v in zip(found, quoted, strict=True):
        if not v.unit.endswith(wanted):
            continue
        before = [part.strip() for part in _CLAUSE.split(quote[:m.start()])]
        named = _LEAD.sub("", before[-1]) or before[-1]
        words = _bigrams(before[-1]) & asked
        own = re.sub(r"[\W\d_]", "", _LEAD.sub("", before[-1]))
        # "，收取880元": the clause before names what was counted; not "上线部门22家", a clause naming its own thing
        if not words and len(before) >= 2 and (len(own) <= 2 or v.unit in ("%", "％")):
            words = _bigrams(before[-2]) & asked
            named = f"{_LEAD.sub('', before[-2]) or before[-2]}，{before[-1]}"
            if v.unit in ("%", "％") and re.fullmatch(r"(?:占(?:比|到|了)?(?:为|是)?|比例为?|比重为?)?", before[-1]):
                named = f"{_LEAD.sub('', before[-2]) or before[-2]}所占比例"  # "42件，占51.85%", "564 件（47.36%）"
        scored.append((sum(weight[b] for b in words), named, v))
    if len(scored) == 1 and wanted == ("%",):  # "无法提供31件，占38.27%": the one percentage is the share asked
        return _first(c, start, *scored[0][1:])
    if len(scored) < 2:
        return ""
    scored.sort(key=lambda snv: -snv[0])
    (best, named, chosen), (second, _, _) = scored[0], scored[1]
    if best < 2 or best < 2 * second:
        return ""
    return _first(c, start, named, chosen)


def _first(c: Composer, start: int, named: str, chosen: Value) -> str:
    """The number asked moved first among the quote's values (read as the answer), and named in a line."""
    c.values.remove(chosen)
    c.values.insert(start, chosen)
    return f"其中所问的“{named}”为 {fmt(chosen.value)}{chosen.unit}[{chosen.citation}]。"


_CLAUSE = re.compile(r"[，。；、：:,;（）()]")


def _bigrams(text: str) -> set[str]:
    text = re.sub(r"[\W\d_]", "", text)
    return {text[i:i + 2] for i in range(len(text) - 1)}


#: the units a question's unit is also stated in: "多少钱" in 元, "多少份文件" counted in 件 ("归集政策文件10219件"),
#: "搞了几回" in 次
SAME_UNITS = {"钱": ("元",), "份": ("份", "件"), "回": ("次", "回")}
_ORDINAL = re.compile(r"第[一二三四五六七八九十百\d]+(" + "|".join(("期", "次", "届", "批", "轮")) + ")")
_PERCENT = re.compile(r"\d+(?:\.\d+)?\s*[%％]")
#: a count said in words: "三级审批", "两道关" (not an ordinal: "第三级")
_SPOKEN = re.compile(r"(?<![第\d一二两三四五六七八九十百])[一二两三四五六七八九十]{1,3}(" + "|".join(
    ("级", "道", "层", "轮", "批", "次", "个", "项", "种", "类", "名", "人", "家", "期", "场", "条", "件", "份", "篇")) + ")")


def stated_units(span: str) -> list[str]:
    """The units of the numbers a span states: counts ("21件"), ordinals ("第七期" → 期), percentages ("%")."""
    return ([m.group(2) for m in NUMBER.finditer(span)] + [m.group(1) for m in _ORDINAL.finditer(span)]
            + ["%" for _ in _PERCENT.finditer(span)] + [m.group(1) for m in _SPOKEN.finditer(span)])


def added_up(q: Query, c: Composer) -> list[str]:
    """"两年信息处理费一共多少钱": the sum of the numbers quoted from two or more reports; "22年跟23年比差了多少条":
    the later one less the earlier of two. Only when each report's quotes state exactly one number in the unit
    asked for; otherwise nothing is computed."""
    unit = ASKED_UNIT.search(q.text)
    differs = _DIFFERS.search(q.text)
    if not (_ADDS_UP.search(q.text) or differs) or unit is None:
        return []
    wanted = {"钱": "元"}.get(unit.group(1), unit.group(1))
    per_report: dict[str, list[Value]] = {}
    for v in c.values:
        if v.op == "quote" and v.unit.endswith(wanted) and v.report_id:
            per_report.setdefault(v.report_id, []).append(v)
    if len(per_report) < 2 or any(len({(v.value, v.unit) for v in vs}) != 1 for vs in per_report.values()) \
            or len({vs[0].unit for vs in per_report.values()}) != 1:
        return []
    picked = sorted((vs[0] for vs in per_report.values()), key=lambda v: v.citation or 0)  # in the text's order
    if differs:
        return _difference(picked, c)
    total = sum((v.value or Decimal(0) for v in picked), Decimal(0))
    formula = " + ".join(fmt(v.value) for v in picked)
    c.computed("sum", "以上引文所述数字之和", total, picked[0].unit, [v.citation for v in picked if v.citation],
               formula)
    terms = " + ".join(f"{fmt(v.value)}{v.unit}[{v.citation}]" for v in picked)
    return [f"合计：{terms} = {fmt(total)}{picked[0].unit}。"]


def _difference(picked: list[Value], c: Composer) -> list[str]:
    """Two quoted numbers of two years: the later less the earlier, signed, with the formula."""
    if len(picked) != 2 or None in (picked[0].covers_year, picked[1].covers_year) \
            or picked[0].covers_year == picked[1].covers_year:
        return []
    earlier, later = sorted(picked, key=lambda v: v.covers_year or 0)
    if earlier.value is None or later.value is None:
        return []
    change = later.value - earlier.value
    formula = f"{fmt(later.value)} − {fmt(earlier.value)}"
    c.computed("difference", f"{later.covers_year}年比{earlier.covers_year}年（引文所述数字）", change, later.unit,
               [v.citation for v in (later, earlier) if v.citation], formula)
    word = "增加" if change > 0 else "减少" if change < 0 else "持平，相差"
    return [f"{later.covers_year}年比{earlier.covers_year}年{word} {fmt(abs(change))}{later.unit}"
            f"（{formula} = {fmt(change)}）[{later.citation}][{earlier.citation}]。"]


#: "几条问题", "列了几点", "几个方面": the question asks how many items a passage lists
ASKS_ITEMS = re.compile(r"(?:几|多少)(?:条|点|项|个方面|个问题|个措施|方面|大类)")
_ITEM_MARK = re.compile(r"(?:(?:^|(?<=[：:；;，,。\s…]))([一二三四五六七八九十])是|[（(]([一二三四五六七八九十])[)）])")
_CN_ORDINAL = "一二三四五六七八九十"


def listed_items(quote: str) -> int:
    """How many items the quote lists as 一是…二是… (or （一）…（二）…), counted from 一 without a gap; 0 for none."""
    seen = [_CN_ORDINAL.index(m.group(1) or m.group(2)) + 1 for m in _ITEM_MARK.finditer(quote)]
    count = 0
    for n in seen:
        if n == count + 1:
            count = n
    return count if count >= 2 else 0


def counted_items(c: Composer, q: Query, quote: str, mark: int, report: ReportInfo) -> str:
    """"存在的问题一共列了几条？": the count of the quote's listed items, as arithmetic on the cited passage."""
    if not ASKS_ITEMS.search(q.text):
        return ""
    count = listed_items(quote)
    if not count:
        return ""
    c.computed("count", "所列条数", Decimal(count), "条", [mark], f"所列第一至第{_CN_ORDINAL[count - 1]}条", report)
    return f"上文共列出 {count} 条[{mark}]。"
