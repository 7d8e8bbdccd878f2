"""Render a :class:`~synthetic.truth.ReportTruth` as a report file, in the shapes real inputs arrive in.

One document model (paragraphs and the three template tables) is built per report, then written out by
a shape writer: five text shapes (``tab``, ``space``, ``layout``, ``pipe_ocr``, ``flattened``) and two
files (``docx``, ``html``). Text shapes get the noise of real extractions: Kangxi radicals, running
headers, page numbers between lines (also inside tables), GB18030 or a BOM. Numbers are never touched by
noise, so every printed cell equals ``truth.cells`` (``None`` printed as an empty cell).

All randomness comes from the ``rng`` argument: the same seeded rng gives the same bytes.
"""

from __future__ import annotations

import html
import io
import random
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from core.template import CASE_GROUPS, CASE_OUTCOMES, subtables
from synthetic.shapes import DERIVED_SHAPES, INVISIBLE_BLANKS, base_shape, decode, derive
from synthetic.truth import DEPARTMENTS, T3_COLS, ReportTruth, is_government, make_truth

SHAPES = ("tab", "space", "layout", "pipe_ocr", "flattened", "docx", "html", *DERIVED_SHAPES)
TEXT_SHAPES = SHAPES[:5]
_INVISIBLE_BLANKS = frozenset({"space", "layout", "flattened"}) | INVISIBLE_BLANKS


@dataclass(frozen=True)
class Rendered:
    filename: str  # e.g. "synthetic_3fa2c19b0e41.txt"
    data: bytes  # the file as on disk
    shape: str


def supports_blanks(shape: str) -> bool:
    """Whether a blank cell can be seen (and told from a missing one) in this shape."""
    return shape not in _INVISIBLE_BLANKS


# ======================================================================================== per-document style


@dataclass(frozen=True)
class Style:
    """Choices drawn once per rendered document."""

    shape: str
    paren_half: bool  # "(一) 予以公开" instead of "（一）予以公开"
    dot_space: bool  # "1. 属于国家秘密"
    ascii_quotes: bool  # "三安全一稳定" with ASCII quotes
    alias_normative: bool  # 规范性文件 ↔ 行政规范性文件
    fee_header: str
    short_labels: bool  # "（二）部分公开", "1.逾期不补正", "2.逾期不缴费"
    kangxi: float  # share of lines whose characters are mapped to radicals (0 = none)
    supplement: bool  # also 民→⺠, 门→⻔, 长→⻓ …
    page_len: int  # lines per page, 0 = no page furniture
    page_format: str
    running_header: str
    double_space: bool  # a blank line after every line
    title_position: str  # "first" | "after_overview" | "after_preamble"
    pad_spans: bool  # a merged cell copies as several fields
    trailing_field: bool  # an empty field after every 表三 data row
    heading4: str
    self_ref: str  # 我局 / 我县 / 本机关
    wrap: int  # wrap paragraphs at this many characters, 0 = no wrap
    markdown: bool  # "## " headings and "- " bullets (pipe_ocr)


HEADINGS_4 = ("四、政府信息公开行政复议、行政诉讼情况", "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况")
FEE_HEADERS = ("本年收费金额（单位：万元）", "本年收费金额（单位：万元，保留4位小数）")
PAGE_FORMATS = ("-{n}-", "- {n} -", "{n}/{total}", "第{n}页 共{total}页", "第 {n} 页", "— {n} —")
SELF_REFS = (("人民政府办公室", "我办"), ("委员会", "我委"), ("办公室", "我办"), ("中心", "我中心"), ("局", "我局"))


def _self_ref(agency: str) -> str:
    if is_government(agency):
        return "我" + agency[-5]  # 平江县人民政府 → 我县
    return next((ref for suffix, ref in SELF_REFS if agency.endswith(suffix)), "本机关")


def place_of(agency: str) -> str:
    """The place part of an agency name (平江县市场监督管理局 → 平江县)."""
    dept = max((d for d in DEPARTMENTS if agency.endswith(d)), key=len, default="")
    return agency[: len(agency) - len(dept)] or agency


def _kangxi_rate(rng: random.Random, shape: str) -> float:
    p_full, p_some = {"space": (0.35, 0.15), "layout": (0.2, 0.15), "pipe_ocr": (0.15, 0.15)}.get(shape, (0.0, 0.08))
    draw = rng.random()
    return 1.0 if draw < p_full else (0.4 if draw < p_full + p_some else 0.0)


def _page_len(rng: random.Random, shape: str) -> int:
    p_pages = {"flattened": 0.15, "tab": 0.5, "docx": 0.0, "html": 0.0}.get(shape, 0.85)
    return rng.randint(28, 60) if rng.random() < p_pages else 0


def _style(rng: random.Random, shape: str, truth: ReportTruth) -> Style:
    title = _title(truth)
    return Style(
        shape=shape,
        paren_half=rng.random() < 0.25,
        dot_space=rng.random() < 0.15,
        ascii_quotes=rng.random() < 0.15,
        alias_normative=rng.random() < 0.15,
        fee_header=rng.choice(FEE_HEADERS),
        short_labels=rng.random() < (0.5 if shape == "layout" else 0.1),
        kangxi=_kangxi_rate(rng, shape),
        supplement=rng.random() < 0.7,
        page_len=_page_len(rng, shape),
        page_format=rng.choice(PAGE_FORMATS),
        running_header=rng.choice(("", "", title, truth.agency, f"{truth.agency}政府信息公开工作年度报告")),
        double_space=shape == "space" and rng.random() < 0.6,
        title_position=rng.choice(("first", "first", "after_overview", "after_preamble")),
        pad_spans=rng.random() < 0.6,
        trailing_field=not truth.blank_keys and rng.random() < 0.4,
        heading4=rng.choice(HEADINGS_4),
        self_ref=_self_ref(truth.agency),
        wrap={"layout": rng.randint(36, 42), "space": rng.choice((0, 60, 63))}.get(shape, 0),
        markdown=shape == "pipe_ocr" and rng.random() < 0.6,
    )


# ======================================================================================== document model


class Para(NamedTuple):
    text: str
    role: str = "body"  # "title" | "heading" | "sub" | "body" | "meta" | "signoff"


@dataclass(frozen=True)
class T2Sub:
    title: str  # 第二十条第（一）项
    header: tuple[str, ...]  # 信息内容 + column labels
    rows: tuple[tuple[str, tuple[str, ...]], ...]  # (row label, printed values)


class T3Row(NamedTuple):
    key: str
    depth: int  # 1: 一、二、四; 2: （一）（二）（六）single（七）; 3: items of （三）（四）（五）（六）
    outer: str  # "三、本年度办理结果" on the first row of the block, else ""
    group: str  # "（三）不予公开" on the first item of its group, else ""
    leaf: str  # the row's own label
    values: tuple[str, ...]
    outer_span: int  # rows the outer label spans (first row of the block only)
    group_span: int  # rows the group label spans (first item only)


@dataclass(frozen=True)
class Table:
    kind: str  # "二" | "三" | "四"
    t2: tuple[T2Sub, ...] = ()
    t3: tuple[T3Row, ...] = ()
    t4: tuple[str, ...] = ()


Block = Para | Table

OUTER = "三、本年度办理结果"
CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
ORG_LABELS = ("商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
OUTCOME_LABELS = tuple(label for _, label in CASE_OUTCOMES)
DEPTH1_ROWS = ("new_applications", "carried_over", "carried_forward")
_ENUM = re.compile(r"^（([一二三四五六七八九])）")


@lru_cache(maxsize=8192)
def _styled(label: str, paren_half: bool, dot_space: bool, ascii_quotes: bool) -> str:
    if paren_half:
        label = _ENUM.sub(r"(\1) ", label).replace("（", "(").replace("）", ")")
    if dot_space and label[:1].isdigit() and label[1:2] == ".":
        label = label[:2] + " " + label[2:]
    if ascii_quotes:
        label = label.replace("“", '"').replace("”", '"')
    return label


def _label(text: str, style: Style) -> str:
    return _styled(text, style.paren_half, style.dot_space, style.ascii_quotes)


def _cell_text(value: Decimal | None) -> str:
    return "" if value is None else str(value)


def _t2_table(truth: ReportTruth, style: Style) -> Table:
    subs = []
    for sub in subtables(truth.template, "二"):
        header = tuple(style.fee_header if c.key == "fee_amount" else c.label for c in sub.columns)
        rows = tuple(
            (
                row.aliases[0] if style.alias_normative and row.aliases else row.label,
                tuple(_cell_text(truth.cells[("二", row.key, c.key)]) for c in sub.columns),
            )
            for row in sub.rows
        )
        subs.append(T2Sub(_label(sub.title, style), ("信息内容",) + header, rows))
    return Table("二", t2=tuple(subs))


def _t3_labels(truth: ReportTruth, style: Style) -> list[tuple[str, str, str]]:
    """(key, group, leaf) per printed 表三 row, labels styled."""
    rows = {r.key: r for r in subtables(truth.template, "三")[0].rows}
    out = []
    for key in truth.t3_rows():
        row = rows[key]
        label = row.aliases[0] if style.short_labels and row.aliases and key not in DEPTH1_ROWS else row.label
        group, _, leaf = label.rpartition("/") if "/" in label else ("", "", label)
        if style.short_labels and "/" in row.label and "/" not in label:
            group = row.label.split("/")[0]
        out.append((key, _label(group, style), _label(leaf, style)))
    return out


@lru_cache(maxsize=64)
def _t3_keys(row: str) -> tuple[tuple[str, str, str], ...]:
    return tuple(("三", row, c) for c in T3_COLS)


def _t3_table(truth: ReportTruth, style: Style) -> Table:
    labels = _t3_labels(truth, style)
    block = [k for k, _, _ in labels if k not in DEPTH1_ROWS]
    groups = [g for k, g, _ in labels if g]
    rows, seen = [], set()
    for key, group, leaf in labels:
        values = tuple("" if v is None else str(v) for v in map(truth.cells.__getitem__, _t3_keys(key)))
        first_in_block = bool(block) and key == block[0]
        first_in_group = bool(group) and group not in seen
        seen.add(group)
        rows.append(
            T3Row(
                key=key,
                depth=1 if key in DEPTH1_ROWS else (3 if group else 2),
                outer=OUTER if first_in_block else "",
                group=group if first_in_group else "",
                leaf=leaf,
                values=values,
                outer_span=len(block) if first_in_block else 0,
                group_span=groups.count(group) if first_in_group else 0,
            )
        )
    return Table("三", t3=tuple(rows))


def _t4_table(truth: ReportTruth) -> Table:
    keys = [f"{g}_{o}" for g, _ in CASE_GROUPS for o, _ in CASE_OUTCOMES]
    return Table("四", t4=tuple(_cell_text(truth.cells[("四", "cases", k)]) for k in keys))


# ---------------------------------------------------------------------------------------- narrative text

OVERVIEW_SUBS = (
    "加强组织领导，健全工作机制", "主动公开方面", "依申请公开方面", "政府信息管理方面", "政府信息公开平台建设方面",
    "监督保障方面", "强化政策解读，回应社会关切", "规范依申请公开办理",
)  # fmt: skip
CN_ENUM = "一二三四五六七八九"
OVERVIEW_OPENERS = (
    "{year}年，{self}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》，围绕中心工作，扎实推进政府信息公开工作。",
    "{year}年，{agency}深入贯彻落实党中央、国务院关于全面推进政务公开的决策部署，坚持以公开为常态、不公开为例外，不断提升政府信息公开质量。",
    "{year}年以来，{self}按照上级有关要求，切实加强组织领导，建立健全工作机制，依法推进政府信息公开，着力打造服务型机关。",
    "{year}年，{self}认真落实{place}关于政务公开工作的部署要求，以公开促落实、以公开促规范、以公开促服务，各项工作取得新进展。",
)
FILLER = (
    "成立了以主要负责同志为组长的政务公开工作领导小组，明确专人负责此项工作。",
    "全年召开专题会议{n}次，研究部署政府信息公开重点工作。",
    "组织开展政务公开业务培训{n}次，培训人员{m}人次。",
    "坚持“谁起草、谁解读”的原则，全年发布政策解读{n}篇，其中图解、视频等形式解读{k}篇。",
    "严格落实信息发布保密审查制度，做到“涉密不上网，上网不涉密”。",
    "及时更新机构职能、领导分工、办事指南等基础信息，确保信息准确、完整。",
    "通过政府网站、政务新媒体、公开栏等渠道，及时回应社会关切{n}条。",
    "进一步规范依申请公开办理流程，严格按照法定时限答复，答复内容依法规范。",
    "持续优化政府信息公开专栏，新增栏目{k}个，调整栏目{n}个。",
    "政府门户网站全年访问量达{v}人次，政务新媒体发布信息{m}条。",
    "加强政府信息公开档案管理，对已公开信息定期梳理，及时清理失效信息。",
    "将政务公开工作纳入年度绩效考核，考核结果作为评先评优的重要依据。",
    "积极利用微信公众号等新媒体平台，扩大政府信息的覆盖面和影响力。",
    "推进决策、执行、管理、服务、结果“五公开”，公开内容更加全面。",
    "完善政府信息公开指南和目录，方便公众查询和申请。",
)
PROACTIVE = (
    "全年共主动公开政府信息{proactive_published}条。",
    "截至{year}年12月31日，本年度共主动公开信息数为{proactive_published}条。",
    "通过政府门户网站主动公开各类政府信息{proactive_published}条。",
)
APPLICATION = {
    ("new_applications_total",): (
        "{year}年，{self}共收到政府信息公开申请{new_applications_total}件，均在法定期限内予以答复。",
        "本年度{self}新收政府信息公开申请{new_applications_total}件。",
    ),
    ("new_applications_total", "carried_over_total", "handled_total", "carried_forward_total"): (
        "{year}年，{self}共收到政府信息公开申请{new_applications_total}件，上年结转{carried_over_total}件，办结{handled_total}件，结转下年度继续办理{carried_forward_total}件。",
        "全年新收政府信息公开申请{new_applications_total}件，加上年结转{carried_over_total}件，共办结{handled_total}件，另有{carried_forward_total}件结转至下一年度办理。",
    ),
    ("new_applications_total", "carried_over_total", "granted_total"): (
        "全年共受理政府信息公开申请{new_applications_total}件（另有上年结转{carried_over_total}件），其中予以公开{granted_total}件。",
    ),
    ("new_applications_total", "handled_total"): (
        "全年共收到政府信息公开申请{new_applications_total}件，办结{handled_total}件。",
        "{year}年共收到依申请公开{new_applications_total}件，已按期答复{handled_total}件。",
    ),
}
NO_APPLICATION = (
    "{year}年，{self}未收到政府信息公开申请。",
    "本年度{self}未收到公民、法人和其他组织提出的政府信息公开申请。",
)
CASES = (
    "全年共发生政府信息公开行政复议案件{review_total}件、行政诉讼案件{litigation_total}件。",
    "{year}年，{self}因政府信息公开工作被申请行政复议{review_total}件，被提起行政诉讼{litigation_total}件。",
)
NO_CASES = (
    "{year}年，{self}未发生因政府信息公开引起的行政复议、行政诉讼案件。",
    "{self}本年度无政府信息公开行政复议、行政诉讼情况。",
)
PROBLEMS = (
    "{year}年，{self}政府信息公开工作虽然取得了一定成绩，但对照上级要求和群众期盼仍有差距：一是公开的深度和广度有待拓展；二是政策解读形式还不够丰富；三是工作人员业务水平有待提高。",
    "主要问题：信息公开的便民性有待进一步提高，公开内容有待进一步深化，工作制度和机制还需健全完善。",
    "存在的不足主要表现在：部分信息更新不够及时，依申请公开答复的规范性还需加强。",
)
IMPROVEMENTS = (
    "下一步，{self}将进一步加强组织领导，完善工作机制，加大主动公开力度，依法妥善做好依申请公开工作。",
    "{next}年，{self}将围绕中心工作，持续深化重点领域信息公开，丰富政策解读形式，不断提升政务公开质效。",
    "针对上述问题，{self}将加强业务培训，规范信息发布流程，强化监督考核，推动政府信息公开工作再上新台阶。",
)
OTHER_MATTERS = (
    "无。",
    "无需要说明的其他事项。",
    "本年度未收取信息处理费。",
    "{self}本年度未收取政府信息公开信息处理费。",
)
FEE = ("依据《政府信息公开信息处理费管理办法》，本年度共收取信息处理费{processing_fee_yuan}元。",)
CN_DIGITS = "〇一二三四五六七八九"


def _facts(truth: ReportTruth, style: Style) -> dict[str, object]:
    facts: dict[str, object] = {k: str(v) for k, v in truth.narrative.items()}
    facts.update(
        year=truth.covers_year,
        next=truth.covers_year + 1,
        agency=truth.agency,
        self=style.self_ref,
        place=place_of(truth.agency),
    )
    return facts


def _say(rng: random.Random, templates: tuple[str, ...], facts: dict[str, object]) -> str:
    return rng.choice(templates).format(
        **facts, n=rng.randint(2, 30), m=rng.randint(20, 3000), k=rng.randint(1, 12), v=rng.randint(10_000, 9_000_000)
    )


def _paragraph(rng: random.Random, facts: dict[str, object], extra: str = "") -> str:
    sentences = [_say(rng, (s,), facts) for s in rng.sample(FILLER, rng.randint(2, 4))]
    if extra:
        sentences.insert(rng.randint(0, len(sentences)), extra)
    return "".join(sentences)


_APPLICATION_KEYS = frozenset(k for keys in APPLICATION for k in keys)


def _application_sentence(truth: ReportTruth, rng: random.Random, facts: dict[str, object]) -> str:
    stated = {k for k in truth.narrative if k in _APPLICATION_KEYS}
    keys = next((keys for keys in APPLICATION if set(keys) == stated), None)
    if keys is None:
        raise ValueError(f"no sentence states exactly {sorted(stated)}")
    if keys == ("new_applications_total",) and truth.narrative["new_applications_total"] == 0:
        return _say(rng, NO_APPLICATION, facts)
    return _say(rng, APPLICATION[keys], facts)


def _cases_sentence(truth: ReportTruth, rng: random.Random, facts: dict[str, object]) -> str:
    if "review_total" not in truth.narrative:
        return ""
    if truth.narrative["review_total"] == 0 and truth.narrative["litigation_total"] == 0:
        return _say(rng, NO_CASES, facts)
    return _say(rng, CASES, facts)


def _overview(
    truth: ReportTruth, style: Style, rng: random.Random, facts: dict[str, object], applications: str
) -> list[Para]:
    out = [Para(_say(rng, OVERVIEW_OPENERS, facts))]
    proactive = _say(rng, PROACTIVE, facts) if "proactive_published" in truth.narrative else ""
    subs = rng.sample(OVERVIEW_SUBS, rng.randint(1, 4))
    for i, sub in enumerate(subs):
        out.append(Para(_label(f"（{CN_ENUM[i]}）{sub}", style), "sub"))
        out.append(Para(_paragraph(rng, facts, proactive if i == 0 else (applications if i == 1 else ""))))
    if len(subs) < 2 and applications:
        out.append(Para(applications))
    return out


def _cn_date(year: int, day: int) -> str:
    tens = {0: "", 1: "十", 2: "二十", 3: "三十"}[day // 10]
    return (
        "".join(CN_DIGITS[int(c)] for c in str(year))
        + "年一月"
        + tens
        + (CN_DIGITS[day % 10] if day % 10 else "")
        + "日"
    )


def _signoff(truth: ReportTruth, rng: random.Random) -> list[Para]:
    year, day = truth.covers_year + 1, rng.randint(5, 31)
    date = _cn_date(year, day) if rng.random() < 0.2 else f"{year}年1月{day}日"
    return [Para(truth.agency, "signoff"), Para(date, "signoff")]


def _title(truth: ReportTruth) -> str:
    return f"{truth.agency}{truth.covers_year}年政府信息公开工作年度报告"


def _preamble(truth: ReportTruth, rng: random.Random) -> Para:
    year, place = truth.covers_year, place_of(truth.agency)
    phone = f"0{rng.randint(510, 919)}-{rng.randint(1000000, 8999999)}"
    return Para(
        f"根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定，特向社会公布{truth.agency}{year}年政府信息公开工作年度报告。"
        "全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、政府信息公开行政复议和行政诉讼情况、存在的主要问题及改进情况、其他需要报告的事项。"
        f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。本报告电子版可在“{place}人民政府门户网站”查阅或下载。"
        f"如对本报告有疑问，请与{truth.agency}联系（电话：{phone}）。"
    )


def _document(truth: ReportTruth, style: Style, rng: random.Random) -> list[Block]:
    facts = _facts(truth, style)
    applications = _application_sentence(truth, rng, facts)
    in_overview = rng.random() < 0.4
    title, overview = (
        Para(_title(truth), "title"),
        _overview(truth, style, rng, facts, applications if in_overview else ""),
    )
    head: list[Block] = {
        "first": [title] + ([_preamble(truth, rng)] if rng.random() < 0.5 else []) + [Para("一、总体情况", "heading")],
        "after_overview": [Para("一、总体情况", "heading"), title],
        "after_preamble": [
            Para(f"{truth.agency}文件", "meta"),
            _preamble(truth, rng),
            title,
            Para("一、总体情况", "heading"),
        ],
    }[style.title_position]
    return (
        head
        + overview
        + _section2(truth, style, rng, facts)
        + _section3(truth, style, rng, "" if in_overview else applications)
        + _section4(truth, style, rng, facts)
        + _closing(truth, rng, facts)
    )


def _section2(truth: ReportTruth, style: Style, rng: random.Random, facts: dict[str, object]) -> list[Block]:
    intro = [Para(_paragraph(rng, facts))] if rng.random() < 0.3 else []
    return [Para("二、主动公开政府信息情况", "heading")] + intro + [_t2_table(truth, style)]


def _section3(truth: ReportTruth, style: Style, rng: random.Random, applications: str) -> list[Block]:
    table: list[Block] = [_t3_table(truth, style)]
    said = [Para(applications)] if applications else []
    body = said + table if rng.random() < 0.6 else table + said
    return [Para("三、收到和处理政府信息公开申请情况", "heading")] + body


def _section4(truth: ReportTruth, style: Style, rng: random.Random, facts: dict[str, object]) -> list[Block]:
    sentence = _cases_sentence(truth, rng, facts)
    said = [Para(sentence)] if sentence else []
    table: list[Block] = [_t4_table(truth)]
    return [Para(style.heading4, "heading")] + (said + table if rng.random() < 0.4 else table + said)


def _closing(truth: ReportTruth, rng: random.Random, facts: dict[str, object]) -> list[Block]:
    other = _say(rng, FEE, facts) if "processing_fee_yuan" in truth.narrative else _say(rng, OTHER_MATTERS, facts)
    return [
        Para("五、存在的主要问题及改进情况", "heading"),
        Para(_say(rng, PROBLEMS, facts)),
        Para(_say(rng, IMPROVEMENTS, facts)),
        Para("六、其他需要报告的事项", "heading"),
        Para(other),
        *_signoff(truth, rng),
    ]


# ======================================================================================== merged grids


class GCell(NamedTuple):
    text: str
    col: int
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class Grid:
    """A table as Word/HTML hold it: each row lists the cells that start in it."""

    n_cols: int
    rows: tuple[tuple[GCell, ...], ...]
    header_rows: frozenset[int]


def _t2_line(texts: tuple[str, ...]) -> tuple[GCell, ...]:
    if len(texts) == 2:
        return (GCell(texts[0], 0), GCell(texts[1], 1, colspan=3))
    return tuple(GCell(t, i) for i, t in enumerate(texts))


def _t2_grid(table: Table) -> Grid:
    rows: list[tuple[GCell, ...]] = []
    header: set[int] = set()
    for sub in table.t2:
        header.update((len(rows), len(rows) + 1))
        rows += [(GCell(sub.title, 0, colspan=4),), _t2_line(sub.header)]
        rows += [_t2_line((label, *values)) for label, values in sub.rows]
    return Grid(4, tuple(rows), frozenset(header))


def _t3_grid_row(row: T3Row) -> tuple[GCell, ...]:
    values = tuple(GCell(v, 3 + i) for i, v in enumerate(row.values))
    if row.depth == 1:
        return (GCell(row.leaf, 0, colspan=3),) + values
    cells = [GCell(row.outer, 0, rowspan=row.outer_span)] if row.outer_span else []
    if row.depth == 2:
        cells.append(GCell(row.leaf, 1, colspan=2))
    else:
        cells += [GCell(row.group, 1, rowspan=row.group_span)] if row.group_span else []
        cells.append(GCell(row.leaf, 2))
    return tuple(cells) + values


def _t3_grid(table: Table, corner: str) -> Grid:
    head = (
        (GCell(corner, 0, 3, 3), GCell("申请人情况", 3, colspan=7)),
        (GCell("自然人", 3, rowspan=2), GCell("法人或其他组织", 4, colspan=5), GCell("总计", 9, rowspan=2)),
        tuple(GCell(label, 4 + i) for i, label in enumerate(ORG_LABELS)),
    )
    return Grid(10, head + tuple(_t3_grid_row(r) for r in table.t3), frozenset({0, 1, 2}))


def _t4_grid(table: Table) -> Grid:
    head = (
        (GCell("行政复议", 0, colspan=5), GCell("行政诉讼", 5, colspan=10)),
        tuple(GCell(o, i, rowspan=2) for i, o in enumerate(OUTCOME_LABELS))
        + (GCell("未经复议直接起诉", 5, colspan=5), GCell("复议后起诉", 10, colspan=5)),
        tuple(GCell(o, 5 + i) for i, o in enumerate(OUTCOME_LABELS * 2)),
    )
    return Grid(15, head + (tuple(GCell(v, i) for i, v in enumerate(table.t4)),), frozenset({0, 1, 2}))


def _grid(table: Table, style: Style) -> Grid:
    if table.kind == "二":
        return _t2_grid(table)
    return _t3_grid(table, _label(CORNER, style)) if table.kind == "三" else _t4_grid(table)


def _empty_fields(fields: list[str], r: int, col: int, end: int, covered: dict[tuple[int, int], int], pad: bool) -> int:
    """Fill the slots from ``col`` to ``end`` that no cell starts in (covered from above, or empty)."""
    while col < end:
        width = covered.get((r, col), 1)
        fields.append("")
        if pad and width > 1:
            fields.extend([""] * (width - 1))
        col += width
    return col


def _grid_fields(grid: Grid, pad_spans: bool) -> list[list[str]]:
    """Rows as copied from Word: a cell covered from above is an empty field; spans padded if asked."""
    covered: dict[tuple[int, int], int] = {}
    out = []
    for r, cells in enumerate(grid.rows):
        fields: list[str] = []
        col = 0
        for cell in cells:  # in column order
            col = _empty_fields(fields, r, col, cell.col, covered, pad_spans)
            fields.append(cell.text)
            if pad_spans and cell.colspan > 1:
                fields.extend([""] * (cell.colspan - 1))
            for rr in range(r + 1, r + cell.rowspan):
                covered[(rr, col)] = cell.colspan
            col += cell.colspan
        _empty_fields(fields, r, col, grid.n_cols, covered, pad_spans)
        out.append(fields)
    return out


@lru_cache(maxsize=512)
def _t3_label_fields(labels: tuple[T3Row, ...], corner: str, pad_spans: bool) -> tuple[tuple[str, ...], ...]:
    """表三 rows as fields without the seven values (cached: the labels repeat across reports)."""
    rows = _grid_fields(_t3_grid(Table("三", t3=labels), corner), pad_spans)
    return tuple(tuple(f) for f in rows[:3]) + tuple(tuple(f[:-7]) for f in rows[3:])


def _table_fields(table: Table, style: Style, pad_spans: bool) -> tuple[list[list[str]], frozenset[int]]:
    """Each printed row as a list of fields (Word/HTML copy semantics), and which rows are headers."""
    if table.kind != "三":
        grid = _grid(table, style)
        return _grid_fields(grid, pad_spans), grid.header_rows
    blank = ("",) * 7
    labels = tuple(row._replace(values=blank) for row in table.t3)
    skeleton = _t3_label_fields(labels, _label(CORNER, style), pad_spans)
    rows = [list(f) for f in skeleton[:3]] + [[*f, *row.values] for f, row in zip(skeleton[3:], table.t3)]
    return rows, frozenset({0, 1, 2})


# ======================================================================================== text shapes: tables

_TYPOS = (
    ("行政", "T政"),
    ("法规禁止公开", "止公开"),
    ("复", "夏"),
    ("处理", "处埋"),
    ("秘密", "秘蜜"),
    ("信息", "信恴"),
)


def _ocr_typo(label: str, rng: random.Random) -> str:
    options = [(a, b) for a, b in _TYPOS if a in label]
    if not options:
        return label
    a, b = rng.choice(options)
    return label.replace(a, b, 1)


def _tab_table(table: Table, style: Style, rng: random.Random) -> list[str]:
    rows, header_rows = _table_fields(table, style, style.pad_spans)
    pad = "\t" if style.trailing_field and table.kind == "三" else ""
    return ["\t".join(f) + (pad if i not in header_rows else "") for i, f in enumerate(rows)]


def _shift_header(fields: list[str], rng: random.Random) -> list[str]:
    """Move one header fragment into a neighbouring empty field (OCR column drift)."""
    spots = [i for i in range(len(fields) - 1) if fields[i] and not fields[i + 1]]
    if spots and rng.random() < 0.4:
        i = rng.choice(spots)
        fields[i], fields[i + 1] = "", fields[i]
    return fields


def _pipe_table(table: Table, style: Style, rng: random.Random) -> list[str]:
    rows, header_rows = _table_fields(table, style, True)
    n_labels = {"二": 1, "三": 3, "四": 0}[table.kind]
    lines = []
    for i, fields in enumerate(rows):
        if i in header_rows and table.kind != "二":
            fields = _shift_header(fields, rng)
        elif i not in header_rows:
            fields = [
                _ocr_typo(f, rng) if j < n_labels and f and rng.random() < 0.2 else f for j, f in enumerate(fields)
            ]
        lines.append("| " + " | ".join(fields) + " |")
        if (i + 1 not in header_rows and i in header_rows) and rng.random() < 0.6:
            lines.append("|" + "---|" * len(fields))
    return lines


def _flat_table(table: Table, style: Style, rng: random.Random) -> list[str]:
    lines = ["".join(f) for f in _table_fields(table, style, False)[0]]
    if table.kind != "二" and rng.random() < 0.5:
        lines = ["".join(lines[:3])] + lines[3:]
    return lines


SPACE_T3_HEAD = (
    (
        "申请人情况",
        "自然人",
        "法人或其他组织",
        "总计",
        "商业企业 科研机构",
        "社会公益",
        "组织",
        "法律服务",
        "机构",
        "其他",
    ),
    ("申请人情况", "自然人", "法人或其他组织", "总计", "商业企业 科研机构 社会公益组织 法律服务机构 其他"),
)
SPACE_T4_HEAD = (
    "行政复议 行政诉讼",
    "结果维持 结果纠正 其他结果 尚未审结 总计",
    "未经复议直接起诉 复议后起诉",
    "结果维持 结果纠正 其他结果 尚未审结 总计 结果维持 结果纠正 其他结果 尚未审结 总计",
)


def _chunks(text: str, width: int) -> list[str]:
    return [text[i : i + width] for i in range(0, len(text), width)] or [""]


def _space_t3_row(row: T3Row, rng: random.Random) -> list[str]:
    nums = " ".join(row.values)
    if row.outer_span:
        if rng.random() < 0.5:
            return [f"{row.outer[:7]} {row.leaf} {nums}", row.outer[7:]]
        return [row.outer[:7], row.outer[7:], f"{row.leaf} {nums}"]
    lines = _chunks(row.group, 5) if row.group else []
    if len(row.leaf) > 29:
        return lines + _chunks(row.leaf, 29) + [nums]
    return lines + [f"{row.leaf} {nums}"]


def _space_table(table: Table, style: Style, rng: random.Random) -> list[str]:
    if table.kind == "二":
        return [
            line
            for sub in table.t2
            for line in (sub.title, " ".join(sub.header), *(f"{label} {' '.join(v)}" for label, v in sub.rows))
        ]
    if table.kind == "四":
        return list(SPACE_T4_HEAD) + [" ".join(table.t4)]
    lines = [_label(CORNER, style), *rng.choice(SPACE_T3_HEAD)]
    for row in table.t3:
        lines += [f"{row.leaf} {' '.join(row.values)}"] if row.depth == 1 else _space_t3_row(row, rng)
    return lines


# ---------------------------------------------------------------------------------------- pdftotext -layout


def _width(text: str) -> int:
    """Display columns: CJK characters (three UTF-8 bytes) are two wide."""
    return len(text) if text.isascii() else (len(text.encode()) + len(text)) // 2


def _place(items: list[tuple[int, str]]) -> str:
    """One output line with each text starting at a display column (at least one space apart)."""
    parts, col = [], 0
    for pos, text in sorted(items):
        if text:
            gap = pos - col if pos > col else (1 if col else 0)
            parts.append(" " * gap + text)
            col += gap + _width(text)
    return "".join(parts)


def _numbers(values: tuple[str, ...], edges: list[int], rng: random.Random) -> list[tuple[int, str]]:
    """The numbers right-aligned at ``edges`` as one placed segment; now and then one is a space off."""
    off = rng.randrange(14)
    parts: list[str] = []
    start = col = edges[0] - len(values[0]) + (off == 0)
    for i, (edge, v) in enumerate(zip(edges, values)):
        pos = edge - len(v) + (i == off)
        gap = pos - col if pos > col else (1 if parts else 0)
        parts.append(" " * gap + v)
        col += gap + len(v)
    return [(start, "".join(parts))]


def _layout_row(row: T3Row, edges: list[int], rng: random.Random) -> list[list[tuple[int, str]]]:
    nums = _numbers(row.values, edges, rng)
    if row.depth == 1:
        return [[(0, row.leaf), *nums]]
    pos = 5 if row.depth == 2 else 14
    chunks = _chunks(row.leaf, (edges[0] - 8 - pos) // 2)
    if len(chunks) == 1:
        return [[(pos, chunks[0]), *nums]]
    if rng.random() < 0.5:
        return [[(pos, c)] for c in chunks[:-1]] + [[(pos, chunks[-1]), *nums]]
    return [[(pos, chunks[0])], nums] + [[(pos, c)] for c in chunks[1:]]


def _group_fragments(group: str) -> list[str]:
    m = re.match(r"^([（(][一二三四五六七][）)])\s?(.*)$", group)
    if not m:
        return [group]
    enum, rest = m.groups()
    return [enum, rest[:2], rest[2:]]


def _layout_t3_head(edges: list[int]) -> list[str]:
    tops, bottoms = ("商业", "科研", "社会公益", "法律服务", "其他"), ("企业", "机构", "组织", "机构", "")
    return [
        "",
        _place([(edges[1] - 2, "法人或其他组织")]),
        _place([(edges[0] - 6, "自然人"), (edges[6] - 4, "总计")]),
        _place([(edges[i + 1] - _width(t), t) for i, t in enumerate(tops)]),
        _place([(edges[i + 1] - 4, t) for i, t in enumerate(bottoms)]),
    ]


def _layout_t3(table: Table, style: Style, rng: random.Random) -> list[str]:
    edges = [rng.randint(44, 50)]
    for _ in range(6):
        edges.append(edges[-1] + rng.choice((6, 7, 8)))
    lines: list[list[tuple[int, str]]] = []
    block: list[int] = []
    groups: list[tuple[str, int, int]] = []  # (label, first line, end line)
    gap, remaining = rng.choice((0.0, 0.3, 0.6)), 0
    for row in table.t3:
        first = len(lines)
        lines += _layout_row(row, edges, rng)
        if rng.random() < gap:
            lines.append([])
        block += range(first, len(lines)) if row.depth > 1 else []
        if row.group_span:
            groups.append((row.group, first, first))
            remaining = row.group_span
        if row.depth == 3 and remaining:
            remaining -= 1
            groups[-1] = (groups[-1][0], groups[-1][1], len(lines))
    _interleave_labels(lines, block, groups, rng)
    return [f"{_label(CORNER, style)} 申请人情况", *_layout_t3_head(edges)] + [_place(items) for items in lines]


def _interleave_labels(
    lines: list[list[tuple[int, str]]], block: list[int], groups: list[tuple[str, int, int]], rng: random.Random
) -> None:
    """The vertical 三、本年度办理结果 (one char per line) and the group labels split over the group's lines."""
    top = block[0] + (0 if rng.random() < 0.6 else max(0, (len(block) - len(OUTER)) // 2))
    for i, ch in enumerate(OUTER):
        lines[top + i].append((0, ch))
    for group, first, end in groups:
        frags = _group_fragments(group)
        begin = first + max(0, (end - first - len(frags)) // 2)
        for j, frag in enumerate(frags):
            lines[min(begin + j, len(lines) - 1)].append((5, frag))


def _layout_t2(table: Table, rng: random.Random) -> list[str]:
    pos = (0, 16, rng.randint(34, 38), rng.randint(50, 54))
    lines = []
    for sub in table.t2:
        lines += [sub.title, _place(list(zip(pos, sub.header)))]
        for label, values in sub.rows:
            lines.append(_place([(0, label), *zip(pos[1:], values)]))
            lines += [""] if rng.random() < 0.4 else []
        lines.append("")
    return lines


def _layout_t4(table: Table, rng: random.Random) -> list[str]:
    step = rng.choice((9, 10, 11))
    pos = [i * step + (3 if i >= 5 else 0) for i in range(15)]
    return [
        _place([(0, "行政复议"), (pos[5], "行政诉讼")]),
        _place([(pos[6], "未经复议直接起诉"), (pos[10], "复议后起诉")]),
        _place(list(zip(pos[:5], OUTCOME_LABELS))),
        _place(list(zip(pos[5:], OUTCOME_LABELS * 2))),
        _place([(p + 4 - len(v), v) for p, v in zip(pos, table.t4)]),
    ]


def _layout_table(table: Table, style: Style, rng: random.Random) -> list[str]:
    if table.kind == "二":
        return _layout_t2(table, rng)
    return _layout_t3(table, style, rng) if table.kind == "三" else _layout_t4(table, rng)


TABLE_WRITERS: dict[str, Callable[[Table, Style, random.Random], list[str]]] = {
    "tab": _tab_table,
    "space": _space_table,
    "layout": _layout_table,
    "pipe_ocr": _pipe_table,
    "flattened": _flat_table,
}

# ======================================================================================== text shapes: the file

_KANGXI = {unicodedata.normalize("NFKC", chr(cp)): chr(cp) for cp in range(0x2F00, 0x2FD6)}
#: CJK Radicals Supplement look-alikes (NFKC does not map these back).
RADICAL_SUPPLEMENT = {
    "民": "\u2ea0",
    "门": "\u2ed4",
    "长": "\u2ed3",
    "见": "\u2ec5",
    "车": "\u2ecb",
    "页": "\u2eda",
    "马": "\u2ee2",
    "风": "\u2edb",
    "鱼": "\u2ee5",
    "贝": "\u2ec9",
    "飞": "\u2edc",
}
_RADICALS_ONLY = str.maketrans(_KANGXI)
_RADICALS_ALL = str.maketrans({**_KANGXI, **RADICAL_SUPPLEMENT})
_DIGITISH = frozenset("0123456789.")
WEB_CHROME = (
    "首页 > 政务公开 > 政府信息公开年报",
    "【字体：大 中 小】  打印本页  关闭窗口",
    "分享到：",
    "扫一扫在手机打开当前页",
)


def _wrap(text: str, width: int) -> list[str]:
    """Wrap at ``width`` characters without splitting a number."""
    out, i = [], 0
    while len(text) - i > width:
        j = i + width
        while j > i + 1 and text[j - 1] in _DIGITISH and text[j] in _DIGITISH:
            j -= 1
        out.append(text[i:j])
        i = j
    return out + [text[i:]]


def _para_lines(para: Para, style: Style, rng: random.Random) -> list[str]:
    text = para.text
    if style.markdown and para.role in ("title", "heading"):
        return [("# " if para.role == "title" else "## ") + text]
    if style.markdown and para.role == "body" and rng.random() < 0.2:
        text = "- " + text
    if para.role == "title" and style.shape == "layout":
        return [" " * rng.randint(8, 20) + text]
    if style.wrap and para.role == "body":
        indent = "    " if style.shape == "space" else ""
        return _wrap(indent + text, style.wrap)
    return [text]


def _page_marks(style: Style, page: int, pages: int, rng: random.Random) -> tuple[str, str]:
    """(footer ending page ``page``, header starting the next one)."""
    footer = style.page_format.format(n=page, total=pages)
    header = ("\f" if style.shape == "layout" else "") + style.running_header
    if style.shape == "tab" and style.running_header and rng.random() < 0.5:
        return f"{footer}\t\t{style.running_header}", ""
    return footer, header


def _paginate(lines: list[str], style: Style, rng: random.Random) -> list[str]:
    if not style.page_len:
        return lines
    size = style.page_len
    pages = (len(lines) + size - 1) // size
    out: list[str] = []
    for page in range(1, pages + 1):
        out += lines[(page - 1) * size : page * size]
        footer, header = _page_marks(style, page, pages, rng)
        out += [footer] + ([header] if header and page < pages else [])
    return out


def _radicals(lines: list[str], style: Style, rng: random.Random) -> list[str]:
    if not style.kangxi:
        return lines
    table = _RADICALS_ALL if style.supplement else _RADICALS_ONLY
    if style.kangxi >= 1.0:
        return [line.translate(table) for line in lines]
    return [line.translate(table) if rng.random() < style.kangxi else line for line in lines]


def _encode_text(text: str, rng: random.Random) -> bytes:
    draw = rng.random()
    if draw < 0.15:
        return text.encode("gb18030")
    return text.encode("utf-8-sig" if draw < 0.25 else "utf-8")


def _text_file(blocks: list[Block], style: Style, rng: random.Random) -> bytes:
    write_table = TABLE_WRITERS[style.shape]
    lines: list[str] = list(WEB_CHROME[: rng.randint(1, 3)]) if style.shape == "flattened" else []
    for block in blocks:
        lines += _para_lines(block, style, rng) if isinstance(block, Para) else write_table(block, style, rng)
        if style.shape in ("space", "pipe_ocr", "layout") and isinstance(block, Table):
            lines.append("")
    lines = _radicals(_paginate(lines, style, rng), style, rng)
    text = ("\n\n" if style.double_space else "\n").join(lines) + "\n"
    return _encode_text(text, rng)


# ======================================================================================== docx


def _docx_table(doc: object, grid: Grid) -> None:
    """A Word table; merges written as gridSpan/vMerge directly (python-docx's merge() is slow)."""
    from docx.table import _Cell

    table = doc.add_table(rows=len(grid.rows), cols=grid.n_cols)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    tcs = [list(tr.tc_lst) for tr in table._tbl.tr_lst]
    for r, row in enumerate(grid.rows):
        for c in row:
            if c.text:
                _Cell(tcs[r][c.col], table).text = c.text
            if c.rowspan > 1 or c.colspan > 1:
                _docx_span(tcs, r, c)


def _docx_span(tcs: list[list[object]], r: int, cell: GCell) -> None:
    for rr in range(r, r + cell.rowspan):
        tc = tcs[rr][cell.col]
        if cell.colspan > 1:
            tc.grid_span = cell.colspan  # type: ignore[attr-defined]
            for covered in tcs[rr][cell.col + 1 : cell.col + cell.colspan]:
                tc.getparent().remove(covered)  # type: ignore[attr-defined]
        if cell.rowspan > 1:
            tc.vMerge = "restart" if rr == r else "continue"  # type: ignore[attr-defined]


def _docx_paragraph(doc: object, para: Para) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    p = doc.add_paragraph()  # type: ignore[attr-defined]
    run = p.add_run(para.text)
    run.bold = para.role in ("title", "heading", "sub")
    if para.role == "title":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif para.role == "signoff":
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _fixed_zip(data: bytes, when: tuple[int, int, int, int, int, int]) -> bytes:
    """Rewrite a zip with fixed timestamps so that the same input gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=when), src.read(info.filename), zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _docx_file(blocks: list[Block], truth: ReportTruth, style: Style, rng: random.Random) -> bytes:
    from docx import Document

    doc = Document()
    published = datetime(truth.covers_year + 1, 1, rng.randint(5, 31))
    doc.core_properties.author, doc.core_properties.title = truth.agency, _title(truth)
    doc.core_properties.created = doc.core_properties.modified = published
    doc.sections[0].header.paragraphs[0].text = style.running_header
    for block in blocks:
        _docx_paragraph(doc, block) if isinstance(block, Para) else _docx_table(doc, _grid(block, style))
    buffer = io.BytesIO()
    doc.save(buffer)
    return _fixed_zip(buffer.getvalue(), (published.year, 1, published.day, 9, 0, 0))


# ======================================================================================== html

HTML_CELL_WRAPS = (
    "{}",
    '<p align="center">{}</p>',
    '<p style="text-align:center"><span style="font-family:宋体;font-size:10.5pt">{}</span></p>',
)
HTML_BLANKS = ("", "&nbsp;")
HTML_SCRIPT = (
    '<script type="text/javascript">var _hmt = _hmt || [];'
    'var pageInfo = {{"site": "{site}", "columnId": {column}, "views": {views}}};'
    '(function(){{var hm = document.createElement("script");hm.src = "//hm.example.cn/hm.js?{column}";}})();</script>'
)


def _html_cell(cell: GCell, wrap: str, blank: str, tag: str) -> str:
    span = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + (
        f' colspan="{cell.colspan}"' if cell.colspan > 1 else ""
    )
    inner = wrap.format(html.escape(cell.text, quote=False)) if cell.text else blank
    return f"<{tag}{span}>{inner}</{tag}>"


def _html_table(grid: Grid, rng: random.Random) -> str:
    wrap, blank = rng.choice(HTML_CELL_WRAPS), rng.choice(HTML_BLANKS)
    rows = []
    for r, cells in enumerate(grid.rows):
        tag = "th" if r in grid.header_rows and rng.random() < 0.2 else "td"
        rows.append("<tr>" + "".join(_html_cell(c, wrap, blank, tag) for c in cells) + "</tr>")
    return (
        '<table border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse;width:100%"><tbody>'
        + "\n".join(rows)
        + "</tbody></table>"
    )


def _html_para(para: Para) -> str:
    text = html.escape(para.text, quote=False)
    if para.role == "title":
        return f'<p align="center"><strong><span style="font-size:22px">{text}</span></strong></p>'
    if para.role in ("heading", "sub"):
        return f'<p style="text-indent:2em"><strong>{text}</strong></p>'
    align = ' align="right"' if para.role == "signoff" else ' style="text-indent:2em;line-height:2"'
    return f"<p{align}>{text}</p>"


def _html_charset(rng: random.Random) -> tuple[str, str]:
    """(declared charset, codec)."""
    return rng.choice(
        (
            ("utf-8", "utf-8"),
            ("utf-8", "utf-8"),
            ("UTF-8", "utf-8"),
            ("gb2312", "gbk"),
            ("gbk", "gbk"),
            ("gb18030", "gb18030"),
        )
    )


def _html_file(blocks: list[Block], truth: ReportTruth, style: Style, rng: random.Random) -> bytes:
    declared, codec = _html_charset(rng)
    meta = (
        f'<meta charset="{declared}">'
        if rng.random() < 0.5
        else f'<meta http-equiv="Content-Type" content="text/html; charset={declared}">'
    )
    script = HTML_SCRIPT.format(
        site=place_of(truth.agency) + "人民政府", column=rng.randint(1000, 9999), views=rng.randint(100, 99999)
    )
    body = "\n".join(_html_para(b) if isinstance(b, Para) else _html_table(_grid(b, style), rng) for b in blocks)
    page = (
        f"<!DOCTYPE html>\n<html><head>{meta}<title>{html.escape(_title(truth))}</title>{script}"
        "<style>.TRS_Editor p{margin:0;font-size:16px} td{border:1px solid #000;text-align:center}</style></head>\n"
        f'<body><div class="crumb">首页 &gt; 政务公开 &gt; 年度报告</div><div class="TRS_Editor">\n{body}\n</div>'
        f'<div class="footer">主办：{html.escape(place_of(truth.agency))}人民政府办公室</div></body></html>\n'
    )
    try:
        return page.encode(codec)
    except UnicodeEncodeError:
        return (
            page.replace(f"charset={declared}", "charset=gb18030")
            .replace(f'charset="{declared}"', 'charset="gb18030"')
            .encode("gb18030")
        )


# ======================================================================================== API


def render(truth: ReportTruth, shape: str, rng: random.Random) -> Rendered:
    """The report as a file in ``shape``; raises ValueError for blanks in a shape that cannot show them."""
    if shape not in SHAPES:
        raise ValueError(f"unknown shape {shape!r}; expected one of {SHAPES}")
    if truth.blank_keys and not supports_blanks(shape):
        visible = [s for s in SHAPES if supports_blanks(s)]
        raise ValueError(f"shape {shape!r} cannot show blank cells; render this truth as one of {visible}")
    if shape in DERIVED_SHAPES:  # a real-world shape made from one of the shapes above (synthetic.shapes)
        base = render(truth, base_shape(shape), rng)
        text = derive(decode(base.data), truth, shape, rng)
        return Rendered(base.filename, text.encode("utf-8"), shape)
    style = _style(rng, shape, truth)
    blocks = _document(truth, style, rng)
    if shape == "docx":
        data, ext = _docx_file(blocks, truth, style, rng), ".docx"
    elif shape == "html":
        data, ext = _html_file(blocks, truth, style, rng), ".html"
    else:
        data, ext = _text_file(blocks, style, rng), ".txt"
    return Rendered(f"synthetic_{rng.getrandbits(48):012x}{ext}", data, shape)


def iter_reports(
    seed: int,
    count: int,
    shapes: tuple[str, ...] = TEXT_SHAPES,
    *,
    broken_rate: float = 0.1,
    blanks_rate: float = 0.2,
) -> Iterator[tuple[ReportTruth, Rendered]]:
    """``count`` reports numbered synthetic_000000…, as runs of consecutive years of one agency."""
    rng = random.Random(seed)
    previous: ReportTruth | None = None
    for i in range(count):
        shape = rng.choice(shapes)
        if previous is not None and (previous.covers_year >= 2024 or rng.random() < 0.25):
            previous = None
        year = None if previous else rng.choice(range(2019, 2025))
        blanks = supports_blanks(shape) and rng.random() < blanks_rate
        truth = make_truth(rng, year=year, previous=previous, broken=rng.random() < broken_rate, blanks=blanks)
        rendered = render(truth, shape, rng)
        previous = truth
        yield (
            truth,
            replace(rendered, filename=f"synthetic_{i:06d}{rendered.filename[rendered.filename.rindex('.') :]}"),
        )
