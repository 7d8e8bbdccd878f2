"""Which agencies and years a question is about, resolved against the reports actually ingested.

Names, short names and aliases come from the stored reports: "淮安市洪泽区人民政府" yields the regions 淮安(市) and
洪泽(区) and the organ 人民政府 (政府), so "洪泽区政府", "洪泽" and "淮安市洪泽区" all find it. Two printed names of one
agency (洪泽区人民政府 / 淮安市洪泽区人民政府) are one :class:`Agency`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from core.glyphs import confusable
from core.names import agency_keys
from core.places import gazetteer
from core.sounds import sound
from retrieval.unknown_places import BEFORE_PLACE, UNKNOWN_PLACE, unknown_places

_REGION_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "综合实验区", "实验区", "开发区", "新区", "地区",
                    "省", "市", "州", "盟", "区", "县", "旗")
# a one-character base only before 县 (沛县, 丰县): 沛县市场监督管理局 is 沛县 + 市场监督管理局, not 沛县市
_REGION_RE = re.compile(r"^(?P<base>.(?=县)|.{2,8}?)(?P<suffix>" + "|".join(_REGION_SUFFIXES) + ")")
# An organ word followed by these is a topic, not an agency ("政府信息公开", "信访举报投诉类申请").
_NOT_ORGAN_AFTER = ("信息", "举报", "投诉", "类", "公开")
_HAN = re.compile(r"[\u4e00-\u9fff]+")
_ORGAN_RE = re.compile(r"[\u4e00-\u9fff]{0,6}?(?:人民政府|政府|局|委员会|办公室|中心|厅)")
_NOT_ORGAN_CHARS = set("收申请复议诉讼结转办理数件多少几年度的和与及两家各等")
ALL_WORDS = ("所有单位", "所有机关", "所有报告", "各单位", "各机关", "各部门", "全部单位", "全部报告", "每个单位", "每家单位",
             "各家", "哪些单位", "哪个单位", "哪家单位", "哪些机关", "哪个机关", "哪些部门", "几家", "几个单位")


@dataclass(frozen=True)
class ReportInfo:
    id: str
    source: str
    agency: str | None
    covers_year: int | None
    template: str | None
    title: str | None = None  # the report's printed title, for citations (the file name may be a hash)


@dataclass(frozen=True)
class Agency:
    name: str  # the longest printed name
    names: tuple[str, ...]
    regions: tuple[str, ...]  # region base names, outermost first: ("淮安", "洪泽")
    organ: str  # "人民政府", "信访局", "" for a whole region (宿迁市)
    reports: tuple[ReportInfo, ...]

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted({r.covers_year for r in self.reports if r.covers_year is not None}))


@dataclass(frozen=True)
class AgencyMatch:
    agencies: tuple[Agency, ...]  # () with mentioned == () means "not restricted"
    mentioned: tuple[str, ...]  # the words that named them
    unknown: tuple[str, ...]  # names in the question that match no ingested report
    repaired: tuple[str, ...] = ()  # garbled place names read as the place they are one character away from


def split_name(name: str) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """'淮安市洪泽区人民政府' -> (('淮安', '洪泽'), ('淮安市', '洪泽区'), '人民政府')."""
    bases: list[str] = []
    fulls: list[str] = []
    rest = name
    while True:
        match = _REGION_RE.match(rest)
        if not match or match.group("base").endswith(("人民", "政府")):
            break
        bases.append(match.group("base"))
        fulls.append(match.group(0))
        rest = rest[match.end():]
    return tuple(bases), tuple(fulls), rest


def organ_aliases(organ: str) -> tuple[str, ...]:
    if not organ:  # a whole region's report (宿迁市) is its government's: 宿迁市政府, 宿迁市人民政府
        return ("人民政府", "政府")
    out = {organ, organ.removeprefix("人民")}
    if organ.endswith("局") and len(organ) > 2:
        out.add(organ[:-1])
    if organ.endswith("中心") and len(organ) > 4:
        out.add(organ[-4:])
    if organ.endswith("人民政府"):
        out.add("政府")
    if organ.startswith("人民政府办公"):  # 市政府办公厅, 市府办公厅 (the 市 before it is the level)
        out |= {organ.replace("人民政府", "政府", 1), organ.replace("人民政府", "府", 1)}
        if organ.startswith("人民政府办公厅"):  # a 办公厅 is a city's or province's: 市府办
            out |= {"市府办", "办公厅"}  # "办公厅2025年…": every government office's report if several
    return tuple(sorted(out, key=len, reverse=True))


class AgencyDirectory:
    def __init__(self, reports: Sequence[ReportInfo]):
        # Each report joins the first group (in order of creation) that has a name same_agency() takes for its
        # own; found through agency_keys() by equality instead of comparing with every group.
        groups: list[list[ReportInfo]] = []
        by_name: dict[str, int] = {}  # a printed name (no spaces) -> its group
        by_key: dict[str, set[int]] = {}  # a key of a printed name -> the groups of the names having it
        for report in sorted(reports, key=lambda r: (r.agency or "", r.covers_year or 0, r.source)):
            if not report.agency:
                continue
            keys = agency_keys(report.agency)
            found = {by_name[k] for k in keys if k in by_name} | by_key.get(keys[0], set())
            if found:
                group = min(found)
                groups[group].append(report)
            else:
                group = len(groups)
                groups.append([report])
            by_name.setdefault(keys[0], group)
            for key in keys:
                by_key.setdefault(key, set()).add(group)
        self.agencies: tuple[Agency, ...] = tuple(self._agency(g) for g in groups)
        self._of_report = {r.id: a for a in self.agencies for r in a.reports}
        self.by_name = {a.name: a for a in self.agencies}
        self._positions = {id(a): i for i, a in enumerate(self.agencies)}
        #: years any report covers, sorted (computed once: a question must not walk 100k reports)
        self.years = tuple(sorted({r.covers_year for r in reports if r.covers_year}))
        self._by_region: dict[str, list[Agency]] = {}
        for agency in self.agencies:
            if agency.regions:
                self._by_region.setdefault(agency.regions[-1], []).append(agency)
        self.reports = tuple(reports)
        self._regions: dict[str, str] = {}  # alias -> base
        for agency in self.agencies:
            for name in agency.names:
                bases, fulls, _ = split_name(name)
                for base, full in zip(bases, fulls, strict=True):
                    self._regions[full] = base
                    if len(base) >= 2:  # 沛 alone is no name (丰 is in 丰富): 沛县 only
                        self._regions[base] = base
        self._organs = {alias for a in self.agencies for alias in organ_aliases(a.organ)}
        self._sounds: dict[tuple[str, ...], set[str]] | None = None  # how region names sound, on first use
        self._organ_sounds: dict[tuple[str, ...], frozenset[str]] | None = None
        self._one_off: dict[str, set[str]] | None = None  # covered place names by one open character, on first use
        self._outer: dict[str, list[Agency]] | None = None  # outer places (江苏省) → agencies under them, on first use
        self._outer_words: list[str] = []
        # longest first, sorted once (a question must not sort the vocabulary of 100k reports)
        self._region_words = sorted(self._regions, key=len, reverse=True)
        self._organ_words = sorted(self._organs, key=len, reverse=True)

    @staticmethod
    def _agency(group: list[ReportInfo]) -> Agency:
        names = tuple(dict.fromkeys(r.agency for r in group if r.agency))
        name = max(names, key=len)
        bases, _, organ = split_name(name)
        return Agency(name, names, bases, organ, tuple(group))

    def position(self, agency: Agency) -> int:
        """The agency's place in :attr:`agencies` (answers list agencies in this order)."""
        return self._positions[id(agency)]

    def agency_of(self, report_id: str) -> Agency | None:
        return self._of_report.get(report_id)

    # ------------------------------------------------------------------------------------------ resolving

    def resolve(self, text: str) -> AgencyMatch:
        """The agencies a question names: the longest names first (a fuller name wins over its prefix); a place that
        only qualifies a named agency (江苏省宿迁市) is no unknown agency; "宿迁下面的县" are the agencies of the
        places under 宿迁; a place name one OCR-confusable character away from exactly one place that reports
        cover (沐阳县 for 沭阳县) is read as that place."""
        repaired, printed = self._repaired(text)
        if printed:
            match = self.resolve(repaired)
            return AgencyMatch(match.agencies, (*match.mentioned, printed), match.unknown, (printed, *match.repaired))
        below = _BELOW.search(text)
        if below and below.group(1) in self._regions:
            return self._below(text, below)
        match = self._resolve(text)
        if not match.agencies:  # "沐阳25年…": a bare place name OCR-garbled or mistyped by glyph
            fixed, printed = self._repaired_bare(text)
            if printed:
                found = self._resolve(fixed)
                if found.agencies:
                    return AgencyMatch(found.agencies, (*found.mentioned, printed), found.unknown, (printed,))
        if not match.agencies:  # "宿千24年…": a homophone typed for a place the reports cover
            heard, typed = self._misheard(text)
            if typed:
                found = self._resolve(heard)
                if found.agencies:
                    return AgencyMatch(found.agencies, (*found.mentioned, typed), found.unknown, (typed,))
        if not match.agencies:  # "江苏这几份报告": a province or city no agency's name contains, above some of them
            within = self._within(text)
            if within is not None:
                return within
        if match.unknown and match.agencies:  # 江苏省宿迁市: the province qualifies the agency named
            paths = [_path(a.name) for a in match.agencies]
            qualifiers = {u for u in match.unknown if paths and all(u in p[:-1] for p in paths if p)}
            if qualifiers:
                match = AgencyMatch(match.agencies, (*match.mentioned, *sorted(qualifiers)),
                                    tuple(u for u in match.unknown if u not in qualifiers), match.repaired)
        return match

    def organ_sounds(self) -> dict[tuple[str, ...], frozenset[str]]:
        """How the organs' names and aliases of three characters or more sound (办公厅, 信访局, 科学技术委员会), for
        a homophone typed in a question (办工厅)."""
        if self._organ_sounds is None:
            out: dict[tuple[str, ...], set[str]] = {}
            for agency in self.agencies:
                for word in organ_aliases(agency.organ):
                    for part in {word, *re.findall(r"办公[厅室]|[^市县区]{2}局|委员会", word)}:
                        if len(part) >= 3 and _HAN.fullmatch(part):
                            out.setdefault(sound(part), set()).add(part)
            self._organ_sounds = {k: frozenset(v) for k, v in out.items()}
        return self._organ_sounds

    def _repaired(self, text: str) -> tuple[str, str]:
        """The text with a garbled place name replaced by the one place reports cover that it is one confusable
        character away from, and the printed name ("" when nothing was repaired)."""
        for found in UNKNOWN_PLACE.finditer(text):
            name = found.group(0)
            if name in self._regions or gazetteer().named(name):
                continue
            near = [p for p in gazetteer().near(name) if p.name in self._regions]
            if len(near) == 1:
                return text.replace(name, near[0].name), name
        return text, ""

    def _repaired_bare(self, text: str) -> tuple[str, str]:
        """A bare place name ("沐阳25年…") where a place name stands, one confusable character away from exactly
        one covered place: the text with it replaced, and the printed name ("" when none)."""
        if self._one_off is None:  # each covered name with one character left open: 沭阳 → ?阳, 沭?
            self._one_off = {}
            for base in {b for b in self._regions.values() if len(b) >= 2}:
                for k in range(len(base)):
                    self._one_off.setdefault(base[:k] + "?" + base[k + 1:], set()).add(base)
        sizes = sorted({len(key) for key in self._one_off}, reverse=True)
        for size in sizes:
            for i in range(len(text) - size + 1):
                span = text[i:i + size]
                after = text[i + size:i + size + 1]
                if span in self._regions or not _HAN.fullmatch(span) or (i and text[i - 1] not in BEFORE_PLACE) \
                        or (after and not re.match(r"[\d年那这去今前近]", after)):
                    continue
                near = {b for k in range(size) for b in self._one_off.get(span[:k] + "?" + span[k + 1:], ())
                        if confusable(b[k], span[k])}
                if len(near) == 1:
                    return text[:i] + near.pop() + text[i + size:], span
        return text, ""

    def _misheard(self, text: str) -> tuple[str, str]:
        """The text with a word that sounds like exactly one covered place name and differs from it in one character
        (宿千 → 宿迁) replaced, and the typed word; ("text", "") when there is none. The word must stand where a
        place name stands: at the start or after punctuation, before a year, a digit, 市/县/区 or 的."""
        if self._sounds is None:
            self._sounds = {}
            for word in self._regions:
                if len(word) >= 2:
                    self._sounds.setdefault(sound(word), set()).add(word)
        for size in (4, 3, 2):
            for i in range(len(text) - size + 1):
                word = text[i:i + size]
                if not _HAN.fullmatch(word) or word in self._regions:
                    continue
                after = text[i + size:i + size + 1]
                if (i and text[i - 1] not in BEFORE_PLACE) or (after and not re.match(r"[\d年市县区的那这呢去今前近历各每]", after)):
                    continue
                near = {w for w in self._sounds.get(sound(word), ()) if sum(a != b for a, b in zip(w, word)) == 1}
                if len({self._regions[w] for w in near}) == 1:
                    return text[:i] + min(near, key=len) + text[i + size:], word
        return text, ""

    def above(self, agency: Agency) -> list[Agency]:
        """The government (or whole-region) reports of the place directly above the agency's (宿迁市 for
        沭阳县人民政府), from the gazetteer."""
        path = _path(agency.name)
        if len(path) < 2:
            return []
        return [a for a in self.agencies if a is not agency and a.organ in ("", "人民政府") and _path(a.name) == path[:-1]]

    def _within(self, text: str) -> AgencyMatch | None:
        """The agencies under the outer places the text names (江苏, 江苏省, 福建): from each agency's place path."""
        if self._outer is None:
            self._outer = {}
            for agency in self.agencies:
                for place in _path(agency.name)[:-1]:
                    base = split_name(place)[0]
                    for word in (place, *(base[:1] if base and len(base[0]) >= 2 else ())):
                        if word not in self._regions:
                            self._outer.setdefault(word, []).append(agency)
            self._outer_words = sorted(self._outer, key=len, reverse=True)
        mentions = _longest_mentions(text, self._outer_words)
        if not mentions:
            return None
        found = sorted({id(a): a for _, _, w in mentions for a in self._outer[w]}.values(), key=self.position)
        return AgencyMatch(tuple(found), tuple(w for _, _, w in mentions), ())

    def _below(self, text: str, below: re.Match[str]) -> AgencyMatch:
        """The agencies whose place lies under the region named ("宿迁下面的县"; 县 also takes 县级市)."""
        outer = self._regions[below.group(1)]
        kinds = below.group(2)
        found = []
        for agency in self.agencies:
            path = _path(agency.name)
            outer_bases = [split_name(place)[0] for place in path[:-1]]  # 江苏省 → ("江苏",)
            if len(path) < 2 or not any(b and b[0] == outer for b in outer_bases):
                continue
            last = path[-1][-1]
            if kinds in ("县区", "区县", "下属单位", "单位") or last in kinds or (kinds == "县" and last == "市"):
                found.append(agency)
        return AgencyMatch(tuple(found), (below.group(0),), () if found else (below.group(0),))

    def _resolve(self, text: str) -> AgencyMatch:
        organ_mentions = _longest_mentions(text, self._organ_words)
        # a place name inside an organ's name is not a place (和城 in 住房和城乡建设局)
        regions = [(s, e, w) for s, e, w in _longest_mentions(text, self._region_words)
                   if not any(os_ < s and e <= oe for os_, oe, _ in organ_mentions)]
        regions = [self._cut_before_organ(r, text, organ_mentions) for r in regions]
        unknown = unknown_places(text, regions, self._regions)
        # an organ right after an unknown place belongs to it (南京市信访局 is not 周口市信访局)
        organs = [(s, e, w) for s, e, w in organ_mentions
                  if not text.startswith(_NOT_ORGAN_AFTER, e) and not any(text[:s].endswith(u) for u in unknown)]
        for s, e, _w in regions:  # 周口市公安局: a region followed by an organ no report of it has
            organ = _ORGAN_RE.match(text, e)
            if organ and not any(os_ == e for os_, _, _ in organs) and not any(rs == e for rs, _, _ in regions) and not text.startswith(_NOT_ORGAN_AFTER, e) \
                    and not text.startswith(_NOT_ORGAN_AFTER, organ.end()) \
                    and not set(text[e:organ.end()]) & _NOT_ORGAN_CHARS and "公开" not in text[e:organ.end()] and not re.match(r"[\d年全各本]", text[e:e + 1]):
                unknown += (text[s:organ.end()],)
        mentioned = [w for _, _, w in regions] + [w for _, _, w in organs]
        bases = {self._regions[w] for _, _, w in regions}
        # "淮安市洪泽区": 淮安 only qualifies the 洪泽 written right after it
        for (_, end, word), (start, _, nxt) in zip(regions, regions[1:], strict=False):
            outer, inner = self._regions[word], self._regions[nxt]
            if end == start and any(outer in a.regions[:-1] and a.regions[-1] == inner for a in self.agencies):
                bases.discard(outer)
        if organs and bases:  # "平潭和上海市府办公厅": the organ belongs to the place right before it only
            organ_starts = {s for s, _, _ in organs}
            region_starts = {s for s, _, _ in regions}
            loose = [(s, e, w) for s, e, w in regions if e not in organ_starts and e not in region_starts]
            region_ends = {e for _, e, _ in regions}
            # "科委24年、洪泽23年": an organ of no place, named as one of a list (not 政府 in "政府常务会议")
            alone = any(s not in region_ends and re.match(r"(?:19|20)?\d{2}年?|[、，,和跟与及]|这[两二三四五六几\d]?[家个份]|等|[？?。]|$",
                                                          text[e:]) for s, e, _ in organs)
            if loose and (len(loose) < len(regions) or alone):
                masked = text
                for s, e, _w in loose:
                    masked = masked[:s] + "，" * (e - s) + masked[e:]
                bound = self._resolve(masked)
                extra = [a for _, _, w in loose for a in self._by_region.get(self._regions[w], ())]
                found = sorted({id(a): a for a in (*bound.agencies, *extra)}.values(), key=self.position)
                return AgencyMatch(tuple(found), tuple(mentioned), bound.unknown)
        candidates = list(self.agencies)
        if bases:  # the agencies whose innermost region is named, in directory order
            candidates = sorted((a for b in bases for a in self._by_region.get(b, ())), key=self.position)
        if organs:
            words = {w for _, _, w in organs}
            with_organ = [a for a in candidates if set(organ_aliases(a.organ)) & words]
            level = {text[s - 1] for s, _, _ in organs if s > 0 and text[s - 1] in "省市区县"
                     and not any(rs <= s - 1 < re_ for rs, re_, _ in regions)}
            if level and not bases:
                with_organ = [a for a in with_organ if a.name[len("".join(split_name(a.name)[1])) - 1:][:1] in level
                              or (split_name(a.name)[1] and split_name(a.name)[1][-1][-1] in level)]
            if bases and not with_organ:
                named = "".join(text[s:e] for s, e, _ in sorted(regions + organs))
                return AgencyMatch((), tuple(mentioned), (named,))
            candidates = with_organ
        if bases and any(u.startswith(tuple(self._regions)) for u in unknown):
            return AgencyMatch((), tuple(mentioned), unknown)
        # "淮安市清江浦区": a place inside a known region is not that region
        for s, e, _w in regions:
            within = next((u for u in unknown if text.startswith(u, e)), None)
            if within is not None:
                return AgencyMatch((), tuple(mentioned), (text[s:e] + within,))
        if not bases and not organs:
            return AgencyMatch((), (), unknown)
        return AgencyMatch(tuple(candidates), tuple(mentioned), unknown)

    def _cut_before_organ(self, region: tuple[int, int, str], text: str,
                          organs: list[tuple[int, int, str]]) -> tuple[int, int, str]:
        """"上海市府办": the organ 市府办 takes the 市 of 上海市, so the place named is 上海 (when that is a name)."""
        s, e, w = region
        for os_, _, _ in organs:
            if s < os_ < e and text[s:os_] in self._regions:
                return s, os_, text[s:os_]
        return region


_BELOW = re.compile(r"([\u4e00-\u9fff]{2,6}?)[省市]?(?:下面|下属|所辖|辖区内|辖内|下辖|以下|底下|管辖)的?"
                    r"(县区|区县|县|区|市|镇|乡镇|街道|下属单位|单位)")


@lru_cache(maxsize=65536)
def _path(name: str) -> tuple[str, ...]:
    """The places an agency's name sits in, outermost first (宿迁市 → 江苏省, 宿迁市), from the gazetteer."""
    matches = gazetteer().read_name(name)
    last = next((m.place for m in reversed(matches) if m.place is not None), None)
    if last is None and not matches:
        last = gazetteer().zone(name)  # 平潭综合实验区 lies in 平潭县
    return last.path if last is not None else ()


def _longest_mentions(text: str, words: Sequence[str]) -> list[tuple[int, int, str]]:
    """Non-overlapping occurrences of the words (given longest first), in text order: [(start, end, word)]."""
    taken = [False] * len(text)
    found: list[tuple[int, int, str]] = []
    for word in words:
        start = text.find(word)
        while start >= 0:
            end = start + len(word)
            if not any(taken[start:end]):
                found.append((start, end, word))
                for i in range(start, end):
                    taken[i] = True
            start = text.find(word, start + 1)
    return sorted(found)
