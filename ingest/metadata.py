"""Report metadata from the whole head of the document: agency, covers_year (the year the statistics describe),
title, and where each was read.

A title may be broken over lines or spaced ("2025 年上海市人民政府办公厅政府信息公开" / "工作年度报告"), put the year
before or after the agency, give the year in brackets ("…年度报告（2022年度）") or name no agency at all ("关于2022年度
政府信息公开情况的报告"). What the title does not give is taken, in this order, from a sentence of the report that
names itself ("现将某某局2022年…报告"), the sign-off (agency over the date), or the page's publisher line
("发布机构：…" / "来源：…"). The year falls back to the statistics period. What cannot be read stays None: never
guessed. Place names in the agency are checked against the gazetteer (``core.places``): the hierarchy is kept, and
an OCR-garbled place is read as the one real place whose name differs by one confusable character, with a warning
and the printed name kept. The template version is decided from the tables (``ingest.locate.detect_template``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from core.places import gazetteer
from core.records import Line

_YEAR = r"[（(]?(?P<year>(?:19|20)\d{2})年度?[）)]?"
# 政府信息公开工作年度报告, and 政务信息公开工作开展年度报告 too
_TAIL = r"(?:政府|政务)?(?:信息|政务)公开(?:工作)?(?:开展(?:情况)?)?(?:年度)?(?:报告|年报)"
_TITLE_PATTERNS = (
    ("year_first", re.compile(rf"^{_YEAR}(?P<agency>.*?){_TAIL}$")),
    ("agency_first", re.compile(rf"^(?P<agency>.*?){_YEAR}{_TAIL}$")),
    ("year_in_brackets", re.compile(
        r"^(?P<agency>.*?)(?:政府)?(?:信息|政务)公开(?:工作)?年度(?:报告|年报)[（(](?P<year>(?:19|20)\d{2})年?度?[）)]$")),
    ("about", re.compile(
        r"^(?P<agency>.*?)关于(?P<year>(?:19|20)\d{2})年度?(?:政府)?(?:信息|政务)公开(?:工作)?(?:情况|年度报告)的?(?:报告)?$")),
    ("yearless", re.compile(r"^(?P<agency>.*?)(?:政府)?(?:信息|政务)公开(?:工作)?年度(?:报告|年报)$")),
)
_PERIOD_RE = re.compile(r"统计(?:期限|周期|时限|时间|区间|范围)?(?:为|是|自|从)?[:：]?自?((?:19|20)\d{2})年1月1日")
_OVERVIEW_YEAR_RE = re.compile(r"^((?:19|20)\d{2})年度?[,，](?!\d)")
_BARE_YEAR_RE = re.compile(r"^\s*((?:19|20)\d{2})\s*(?:年度?)?\s*$")
_DATE_RE = re.compile(r"^[（(]?(?:19|20)\d{2}年\d{1,2}月\d{1,2}日[）)]?$")
_AGENCY_SUFFIX = re.compile(
    r"(局|委员会|委|办公室|办|人民政府|政府|中心|院|厅|部|署|会|所|站|馆|处|队|管委会|街道|镇|乡|苏木|公司|集团|室|旗|区|县|市|州|盟|省)$"
)
_SELF_NAMING_RE = re.compile(
    r"(?:现将|现予?以?公布|现发布|现向社会(?:公布|公开|发布)|特发布|发布)(?P<agency>[\u4e00-\u9fff（）()]{2,30}?)"
    r"(?P<year>(?:19|20)\d{2})年度?(?:政府)?(?:信息|政务)公开")
_BODY_SUBJECT_RE = re.compile(
    r"^(?:(?:19|20)\d{2}年度?[,，])?(?:[^，,。]{0,30}[,，])?"
    r"(?P<agency>[\u4e00-\u9fff]{2,30}?(?:街道办事处|街道|人民政府|管委会|委员会|办公室|局|镇|乡|办|中心|区|县|市|旗))"
    r"(?:认真|坚持|深入|全面|严格|紧紧|始终|持续|进一步|积极|扎实|高度|不断|聚焦|以习近平)")
# the office that compiled the report or answers questions about it: "由某某镇人民政府党政办公室编制",
# "请与某某区财政局办公室联系"
_OFFICE_RE = re.compile(
    r"(?:由|请与|请联系|联系单位[:：]?)(?P<body>[\u4e00-\u9fff]{2,30}?"
    r"(?:人民政府|政府|管委会|委员会|局|街道办事处|镇|乡|苏木|中心|委|区|县|旗))"
    r"(?P<office>(?:政府|党政|综合|[\u4e00-\u9fff]{0,8}?公开|[\u4e00-\u9fff]{0,8}?工作领导小组)?(?:办公室|办公厅)"
    r"|党政办|办|)"
    r"(?=根据|按照|依据|汇总|负责|组织|在|编制|编写|制作|联系)")
_SELF_RE = re.compile(r"(?:本|我)(局|委|办|厅|中心|街道|镇|乡|县|区|市|院|署|处)")
_SUMMING_UP_RE = re.compile(r"总结(?P<year>(?:19|20)\d{2})年度?(?P<agency>[\u4e00-\u9fff]{2,20}?)(?:政府)?(?:信息|政务)公开工作")
_SELF_YEAR_RE = re.compile(r"(?:现将|现公布|现发布)(?:[^。]{0,30}?)(?P<year>(?:19|20)\d{2})年度?[^。]{0,30}?(?:报告如下|年度报告)")
_QUOTED_RE = re.compile(r"《([^《》]{6,60})》")
_PUBLISHER_RE = re.compile(r"(?:发布机构|发文机关|信息来源|来源|发布单位)\s*[:：]\s*(?P<agency>[\u4e00-\u9fff（）()]{2,30})")
_HEADING_RE = re.compile(r"^[#*\s]*(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[）)])")
_GENERIC_RE = re.compile(r"(?:省|市|区|县|镇|乡|州|街道|办事处|人民政府|政府|办公厅|办公室|办|管委会|委员会|部门|单位|机关|局)+")
_BREADCRUMB_RE = re.compile(r"[>＞»›→]|当前位置|您的位置")
_FILE_SUFFIX = re.compile(r"\.(?:docx?|wps|pdf|ofd|txt|html?)$", re.IGNORECASE)  # a title given as a file name
_MARKUP = re.compile(r"^[#*>\s|]+|[*\s|]+$")


@dataclass(frozen=True)
class Metadata:
    agency: str | None
    agency_basis: str  # title | self_naming | signoff | body | office | publisher | unknown
    covers_year: int | None
    year_basis: str  # title | self_naming | statistics_period | bare_line | overview | unknown
    title: str | None
    agency_printed: str | None = None  # the name as printed, when a place in it was repaired
    region: tuple[str, ...] = ()  # the agency's place in the gazetteer, province first: ("江苏省", "淮安市", "洪泽区")
    warnings: tuple[str, ...] = ()


def read_metadata(lines: Sequence[Line]) -> Metadata:
    texts = [line.text.strip() for line in lines]
    head = [t for t in texts[:80] if t]
    agency, year, title = _from_title(head)
    agency_basis = "title" if agency else "unknown"
    year_basis = "title" if year else "unknown"
    warnings: list[str] = []
    if agency is None:
        agency, agency_basis = _agency_fallback(texts)
    period = _statistics_period(texts)
    if year is None and period is None:
        year = _self_named_year(texts)
        year_basis = "self_naming" if year else year_basis
    if year is None:
        year, year_basis = (period, "statistics_period") if period else _bare_year(head)
    elif period is not None and period != year:
        warnings.append(f"标题年度（{year}年）与统计期限（{period}年）不一致，按标题年度读取")
    printed, region = None, ()
    if agency is not None:
        agency, printed, region, place_warnings = _check_places(agency)
        warnings += place_warnings
    return Metadata(agency, agency_basis, year, year_basis, title, printed, region, tuple(warnings))


def _compact(text: str) -> str:
    return _FILE_SUFFIX.sub("", re.sub(r"\s+", "", _MARKUP.sub("", text)))


def _from_title(head: list[str]) -> tuple[str | None, int | None, str | None]:
    """The first title in the head, read from one line or from two or three joined (a title broken or spaced);
    a title naming no agency is kept (its year counts) while a later one may still name the agency."""
    bare: tuple[int | None, str] | None = None
    for k in (1, 2, 3):  # a title on one line first; then over two or three (a broken title, agency above it)
        for i in range(min(len(head), 40)):
            if (_HEADING_RE.match(head[i]) and "报告" not in head[i]) or _BREADCRUMB_RE.search(head[i]):
                continue  # a section heading, or a breadcrumb (its last part names the page's column, not the report)
            if i + k > len(head) or any(_HEADING_RE.match(t) or _BREADCRUMB_RE.search(t) for t in head[i + 1 : i + k]):
                continue  # a title does not run into a section heading
            candidate = "".join(_compact(t) for t in head[i : i + k])
            if k == 1 and len(candidate) > 90:  # a title with the text run on after it: the title part
                candidate = re.split(r"(?<=报告)|(?<=年报)", candidate, maxsplit=1)[0]
            if len(candidate) > 90 or "。" in candidate:
                continue
            found = _match_title(candidate)
            if found is None:
                continue
            agency, year = found
            if agency:
                return agency, year, candidate
            if bare is None and year is not None:
                bare = (year, candidate)
    if bare is not None:
        return None, bare[0], bare[1]
    return None, None, None


def _match_title(candidate: str) -> tuple[str, int | None] | None:
    """(agency or '', year) when the candidate is a whole report title; None otherwise."""
    for _, pattern in _TITLE_PATTERNS:
        match = pattern.match(candidate)
        if not match:
            continue
        raw = match.group("agency")
        agency = clean_agency(raw)
        if raw and not agency:
            return None  # something before the title that is not a name: not a title line
        year = match.groupdict().get("year")
        return agency, int(year) if year else None
    return None


def clean_agency(text: str) -> str:
    text = re.split(r"[>＞»›→]|当前位置[:：]?|您的位置[:：]?", text)[-1]  # a breadcrumb before the title
    text = re.sub(r"^[#*>\s《“\"]+|[*\s》”\"]+$", "", text.strip())
    text = re.sub(r"^(?:关于|正文|附件\d*|(?:标题|题目|信息名称)[:：]?)", "", text)  # a page's "标  题 …" field
    text = re.sub(r"(关于|的)$", "", text)
    text = re.sub(r"文件$", "", text)
    if text.endswith("人民"):
        text += "政府"  # 某某县人民政府信息公开…: the title says 政府 once for both
    return text if looks_like_agency(text) else ""


def looks_like_agency(text: str) -> bool:
    # a name may end in what it also goes by: 某某区人民政府(区政府办公室), 高新区(新市区)
    named = re.sub(r"[（(][\u4e00-\u9fff]{2,15}[）)]$", "", text)
    if _GENERIC_RE.fullmatch(named):
        return False  # 街道办事处 / 区政府办公室: a kind of body, not a name
    return 2 <= len(text) <= 40 and bool(_AGENCY_SUFFIX.search(named)) and not re.search(
        r"[。，,；;:：\d]|报告|信息公开|浏览|首页", text)


def _agency_fallback(texts: list[str]) -> tuple[str | None, str]:
    for finder, basis in ((_self_naming, "self_naming"), (_from_signoff, "signoff"), (_from_body, "body"),
                          (_from_office, "office"), (_publisher, "publisher")):
        agency = finder(texts)
        if agency:
            return agency, basis
    return None, "unknown"


def _self_naming(texts: list[str]) -> str | None:
    """A sentence of the report naming itself: 现公布兴仁市人民政府2022年政府信息公开工作年度报告, 在认真总结2020年
    帽儿山镇政府信息公开工作的基础上."""
    for text in texts[:40]:
        compact = _compact(text)
        for match in (*_SELF_NAMING_RE.finditer(compact), *_SUMMING_UP_RE.finditer(compact)):
            agency = clean_agency(match.group("agency"))
            if agency and not re.match(r"^(我|本)", agency):
                return agency
        for quoted in _QUOTED_RE.findall(compact):  # 我镇认真编制了《2021年色威镇政府信息公开工作年度报告》
            found = _match_title(quoted)
            if found and found[0] and not re.match(r"^(我|本)", found[0]):
                return found[0]
    return None


def _self_named_year(texts: list[str]) -> int | None:
    """The year of a sentence naming the report: 现将2021年迎宾路街道办事处政府信息公开情况报告如下 / 现公布…2022年…."""
    for text in texts[:40]:
        match = _SELF_NAMING_RE.search(_compact(text)) or _SELF_YEAR_RE.search(_compact(text))
        if match:
            return int(match.group("year"))
        for quoted in _QUOTED_RE.findall(_compact(text)):  # the report's own title quoted in its text
            found = _match_title(quoted)
            if found and found[1]:
                return found[1]
    return None


def _from_body(texts: list[str]) -> str | None:
    """The subject of the overview's opening sentence: "2021年，在区委区政府的领导下，某某街道认真贯彻…"."""
    for text in texts[:60]:
        match = _BODY_SUBJECT_RE.search(_compact(text))
        if match:
            agency = clean_agency(match.group("agency"))
            if agency and not re.match(r"^(我|本|全|各|市委|区委|县委)", agency):
                return agency
    return None


def _from_office(texts: list[str]) -> str | None:
    """The body whose office compiled the report: 由两城镇人民政府党政办公室编制 → 两城镇人民政府; an office that
    speaks of itself as 我办/本办 is itself the reporting body."""
    head = "".join(_compact(t) for t in texts[:40])
    selves = {m.group(1) for m in _SELF_RE.finditer(head)}
    for match in _OFFICE_RE.finditer(head):
        body, office = match.group("body"), match.group("office")
        agency = clean_agency(body + office if office and "办" in selves and "局" not in selves else body)
        if agency:
            return agency
    return None


def _from_signoff(texts: list[str]) -> str | None:
    """The agency over the closing date, at the end (or right under the title)."""
    tail = [_compact(t) for t in texts[-8:] if t.strip()]
    head = [_compact(t) for t in texts[:8] if t.strip()]
    for lines in (tail, head):
        for i in range(len(lines) - 1, 0, -1):
            if _DATE_RE.match(lines[i]) and looks_like_agency(lines[i - 1]):
                return lines[i - 1]
    return None


def _publisher(texts: list[str]) -> str | None:
    """The page's publisher line: 发布机构：某某局 / 来源：某某县人民政府."""
    for text in texts[:15]:
        for match in _PUBLISHER_RE.finditer(text):
            agency = clean_agency(re.split(r"[（(]|时间|日期", match.group("agency"))[0])
            if agency:
                return agency
    return None


def _statistics_period(texts: list[str]) -> int | None:
    for text in texts:
        match = _PERIOD_RE.search(_compact(text))
        if match:
            return int(match.group(1))
    return None


def _bare_year(head: list[str]) -> tuple[int | None, str]:
    for text in head[:15]:
        match = _BARE_YEAR_RE.match(text)
        if match:
            return int(match.group(1)), "bare_line"
    for text in head[:40]:  # the overview opens with the year it describes: "2021年，体育馆路街道认真…"
        match = _OVERVIEW_YEAR_RE.match(_compact(text))
        if match:
            return int(match.group(1)), "overview"
    return None, "unknown"


def _check_places(agency: str) -> tuple[str, str | None, tuple[str, ...], list[str]]:
    """(agency, printed name when repaired, region path, warnings): places in the name against the gazetteer."""
    matches = gazetteer().read_name(agency)
    warnings: list[str] = []
    printed = None
    fixed = agency
    for match in matches:
        if match.repaired and match.place is not None:
            fixed = fixed.replace(match.printed, match.place.name, 1)
            printed = agency
            warnings.append(f"单位名称中的“{match.printed}”不是现有行政区划，按字形相近的“{match.place.name}”读取"
                            f"（原文为“{agency}”）")
    resolved = [m.place for m in matches if m.place is not None]
    zone = gazetteer().zone(fixed) if not resolved else None  # 平潭综合实验区 lies in 平潭县
    region = resolved[-1].path if resolved else zone.path if zone else ()
    return fixed, printed, region, warnings
