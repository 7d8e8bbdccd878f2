"""The statutory template of the 政府信息公开工作年度报告: tables, rows, columns and their stable keys.

Everything that names a cell (parsers, checks, stores, retrieval, golden files) uses the keys defined here:
``(table, row_key, col_key)`` such as ``("三", "new_applications", "natural_person")``. The Chinese labels are
the template's canonical wording and are what users see. Two template versions exist: ``"2019"`` (试行版,
国办公开办函〔2019〕60号, reports for 2019–2020) and ``"2021"`` (修订版, 国办公开办函〔2021〕30号, from 2021 on).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

TEMPLATE_VERSIONS = ("2019", "2021")
#: a report from before the 2019 template (the 2008 条例's format): no statutory grid, so no cells are read
PRE_2019 = "pre-2019"
#: how answers name the versions
TEMPLATE_NAMES = {"2019": "2019年试行版模板", "2021": "2021年修订版模板", PRE_2019: "2019年以前的旧格式"}


def version_for_year(covers_year: int) -> str:
    """The template a report for `covers_year` is meant to use: 2019 试行 for 2019–2020, 2021 修订 after."""
    return PRE_2019 if covers_year < 2019 else ("2019" if covers_year < 2021 else "2021")


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # canonical label; for 表四 "group/leaf", e.g. "行政复议/结果纠正"


@dataclass(frozen=True)
class Row:
    key: str
    label: str  # canonical label; sub-items as "group/leaf", e.g. "（三）不予公开/1.属于国家秘密"
    aliases: tuple[str, ...] = ()  # other printed wordings (abbreviations, older wording) used for matching
    optional: bool = False  # printed by some reports only (see OTHER_HANDLING_* below)


@dataclass(frozen=True)
class SubTable:
    """One block of 表二 (a 第二十条第（X）项 sub-table) or the whole of 表三 / 表四."""

    key: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    decimal: bool = False  # values may be decimals (amounts in 万元)
    signed: bool = False  # values may be negative (本年增/减)


# ---------------------------------------------------------------------------------------------------- 表二

_T2_2021 = (
    SubTable(
        "item1",
        "第二十条第（一）项",
        (
            Column("issued", "本年制发件数"),
            Column("repealed", "本年废止件数"),
            Column("in_force", "现行有效件数"),
        ),
        (Row("rules", "规章"), Row("normative_documents", "行政规范性文件", ("规范性文件",))),
    ),
    SubTable(
        "item5",
        "第二十条第（五）项",
        (Column("decisions", "本年处理决定数量"),),
        (Row("licensing", "行政许可"),),
    ),
    SubTable(
        "item6",
        "第二十条第（六）项",
        (Column("decisions", "本年处理决定数量"),),
        (Row("penalty", "行政处罚"), Row("coercion", "行政强制")),
    ),
    SubTable(
        "item8",
        "第二十条第（八）项",
        (Column("fee_amount", "本年收费金额（单位：万元）"),),
        (Row("fees", "行政事业性收费"),),
        decimal=True,
    ),
)

_T2_2019 = (
    SubTable(
        "item1",
        "第二十条第（一）项",
        (
            Column("newly_made", "本年新制作数量"),
            Column("newly_published", "本年新公开数量"),
            Column("total_published", "对外公开总数量"),
        ),
        (Row("rules", "规章"), Row("normative_documents", "规范性文件", ("行政规范性文件",))),
    ),
    SubTable(
        "item5",
        "第二十条第（五）项",
        (
            Column("previous_items", "上一年项目数量"),
            Column("change", "本年增/减"),
            Column("decisions", "处理决定数量"),
        ),
        (Row("licensing", "行政许可"), Row("other_services", "其他对外管理服务事项")),
        signed=True,
    ),
    SubTable(
        "item6",
        "第二十条第（六）项",
        (
            Column("previous_items", "上一年项目数量"),
            Column("change", "本年增/减"),
            Column("decisions", "处理决定数量"),
        ),
        (Row("penalty", "行政处罚"), Row("coercion", "行政强制")),
        signed=True,
    ),
    SubTable(
        "item8",
        "第二十条第（八）项",
        (Column("previous_items", "上一年项目数量"), Column("change", "本年增/减")),
        (Row("fees", "行政事业性收费"),),
        signed=True,
    ),
    SubTable(
        "item9",
        "第二十条第（九）项",
        (Column("procurement_items", "采购项目数量"), Column("procurement_amount", "采购总金额")),
        (Row("procurement", "政府集中采购"),),
        decimal=True,
    ),
)

# ---------------------------------------------------------------------------------------------------- 表三

APPLICANT_COLUMNS = (
    Column("natural_person", "自然人"),
    Column("commercial_enterprise", "商业企业"),
    Column("research_institution", "科研机构"),
    Column("social_welfare_org", "社会公益组织"),
    Column("legal_service_org", "法律服务机构"),
    Column("other_org", "其他"),
    Column("total", "总计"),
)
ORGANISATION_COLUMN_KEYS = tuple(c.key for c in APPLICANT_COLUMNS[1:6])

WITHHELD = "（三）不予公开"
UNAVAILABLE = "（四）无法提供"
NOT_PROCESSED = "（五）不予处理"
OTHER = "（六）其他处理"

_T3_COMMON_HEAD = (
    Row("new_applications", "一、本年新收政府信息公开申请数量", ("本年新收",)),
    Row("carried_over", "二、上年结转政府信息公开申请数量", ("上年结转",)),
    Row("granted", "（一）予以公开"),
    Row("partially_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ("（二）部分公开",)),
    Row("withheld_state_secret", f"{WITHHELD}/1.属于国家秘密"),
    Row("withheld_prohibited_by_law", f"{WITHHELD}/2.其他法律行政法规禁止公开"),
    Row("withheld_three_safeties", f"{WITHHELD}/3.危及“三安全一稳定”"),
    Row("withheld_third_party", f"{WITHHELD}/4.保护第三方合法权益"),
    Row("withheld_internal_affairs", f"{WITHHELD}/5.属于三类内部事务信息"),
    Row("withheld_process_info", f"{WITHHELD}/6.属于四类过程性信息"),
    Row("withheld_enforcement_files", f"{WITHHELD}/7.属于行政执法案卷"),
    Row("withheld_query_matters", f"{WITHHELD}/8.属于行政查询事项"),
    Row("unavailable_not_held", f"{UNAVAILABLE}/1.本机关不掌握相关政府信息"),
    Row("unavailable_needs_creation", f"{UNAVAILABLE}/2.没有现成信息需要另行制作"),
    Row("unavailable_unclear", f"{UNAVAILABLE}/3.补正后申请内容仍不明确"),
    Row("not_processed_petition", f"{NOT_PROCESSED}/1.信访举报投诉类申请"),
    Row("not_processed_repeated", f"{NOT_PROCESSED}/2.重复申请"),
    Row("not_processed_publications", f"{NOT_PROCESSED}/3.要求提供公开出版物"),
    Row("not_processed_excessive", f"{NOT_PROCESSED}/4.无正当理由大量反复申请"),
    Row("not_processed_confirmation", f"{NOT_PROCESSED}/5.要求行政机关确认或重新出具已获取信息"),
)
_T3_COMMON_TAIL = (
    Row("total_handled", "（七）总计"),
    Row("carried_forward", "四、结转下年度继续办理", ("结转下年度",)),
)
# （六）其他处理: one row in 2019; three sub-items in 2021. Some 2021 reports still print the single row, so the
# 2021 table accepts either form (the parser keeps whichever the report prints).
OTHER_HANDLING_SINGLE = Row("other_handling", OTHER)
OTHER_HANDLING_ITEMS = (
    Row(
        "other_overdue_correction",
        f"{OTHER}/1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ("1.逾期不补正",),
    ),
    Row(
        "other_unpaid_fee",
        f"{OTHER}/2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ("2.逾期不缴费",),
    ),
    Row("other_other", f"{OTHER}/3.其他"),
)

_T3_2019 = SubTable(
    "t3",
    "收到和处理政府信息公开申请情况",
    APPLICANT_COLUMNS,
    _T3_COMMON_HEAD + (OTHER_HANDLING_SINGLE,) + _T3_COMMON_TAIL,
)
_T3_2021 = SubTable(
    "t3",
    "收到和处理政府信息公开申请情况",
    APPLICANT_COLUMNS,
    _T3_COMMON_HEAD
    + (Row("other_handling", OTHER, optional=True),)
    + tuple(Row(r.key, r.label, r.aliases, optional=True) for r in OTHER_HANDLING_ITEMS)
    + _T3_COMMON_TAIL,
)

RESULT_ROW_KEYS = tuple(r.key for r in _T3_COMMON_HEAD[2:]) + ("other_handling",) + tuple(
    r.key for r in OTHER_HANDLING_ITEMS
)

# ---------------------------------------------------------------------------------------------------- 表四

CASE_GROUPS = (("review", "行政复议"), ("direct_suit", "未经复议直接起诉"), ("suit_after_review", "复议后起诉"))
CASE_OUTCOMES = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
)
_T4_COLUMNS = tuple(
    Column(f"{g}_{o}", f"{glabel}/{olabel}") for g, glabel in CASE_GROUPS for o, olabel in CASE_OUTCOMES
)
_T4 = SubTable(
    "t4",
    "政府信息公开行政复议、行政诉讼情况",
    _T4_COLUMNS,
    (Row("cases", "政府信息公开行政复议、行政诉讼情况"),),
)

# ---------------------------------------------------------------------------------------------------- API

TABLES: dict[str, dict[str, tuple[SubTable, ...]]] = {
    "2019": {"二": _T2_2019, "三": (_T3_2019,), "四": (_T4,)},
    "2021": {"二": _T2_2021, "三": (_T3_2021,), "四": (_T4,)},
}


def subtables(template: str, table: str) -> tuple[SubTable, ...]:
    return TABLES[template][table]


@dataclass(frozen=True)
class CellSpec:
    """One cell of the template: where it sits and how it is labelled."""

    table: str  # "二" | "三" | "四"
    subtable: str
    row: Row
    column: Column
    decimal: bool
    signed: bool

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.table, self.row.key, self.column.key)


def cell_specs(template: str) -> list[CellSpec]:
    """Every cell of every table of one template version, in printed order (a fresh list each call)."""
    return list(_cell_specs(template))


@lru_cache(maxsize=8)
def _cell_specs(template: str) -> tuple[CellSpec, ...]:
    specs = []
    for table in ("二", "三", "四"):
        for sub in subtables(template, table):
            for row in sub.rows:
                for col in sub.columns:
                    specs.append(CellSpec(table, sub.key, row, col, sub.decimal, sub.signed))
    return tuple(specs)


def cell_spec(template: str, table: str, row_key: str, col_key: str) -> CellSpec:
    spec = _spec_index(template).get((table, row_key, col_key))
    if spec is None:
        raise KeyError((template, table, row_key, col_key))
    return spec


@lru_cache(maxsize=8)
def _spec_index(template: str) -> dict[tuple[str, str, str], CellSpec]:
    return {spec.key: spec for spec in _cell_specs(template)}


#: the six sections of the report (0 = the preamble before 一)
SECTION_TITLES = {
    0: "前言",
    1: "一、总体情况",
    2: "二、主动公开政府信息情况",
    3: "三、收到和处理政府信息公开申请情况",
    4: "四、政府信息公开行政复议、行政诉讼情况",
    5: "五、存在的主要问题及改进情况",
    6: "六、其他需要报告的事项",
}

_SECTION_NAMES = ("总体情况", "主动公开政府信息", "收到和处理政府信息公开申请", "行政复议", "存在的主要问题", "其他需要报告")


def names_sections(text: str) -> bool:
    """Does the text list the report's parts ("报告全文包括总体情况、主动公开政府信息情况…等六部分"): three or more
    of the template's section names? Such a sentence says what the report contains, not what it says on a topic."""
    return sum(name in text for name in _SECTION_NAMES) >= 3


#: units of 表二 columns that are not counted in 件
CELL_UNITS = {"fee_amount": "万元", "procurement_amount": "万元", "previous_items": "个", "change": "个",
            "procurement_items": "个"}


# this year's cell = last year's same cell + plus − minus (this year's cells); also used to explain a consistent pair
_Key = tuple[str, str, str]
CONTINUITY: dict[_Key, tuple[str, str, tuple[_Key, ...], tuple[_Key, ...]]] = {}
for _row, _label in (("rules", "规章"), ("normative_documents", "行政规范性文件")):
    CONTINUITY[("二", _row, "in_force")] = ("cross_year_in_force", f"{_label}现行有效件数",
                                           (("二", _row, "issued"),), (("二", _row, "repealed"),))
    CONTINUITY[("二", _row, "total_published")] = ("cross_year_published", f"{_label}对外公开总数量",
                                                  (("二", _row, "newly_published"),), ())

# a count the narrative states (ingest/narrative.py) and the cells it is compared with
NARRATIVE_TARGETS: dict[str, tuple[tuple[_Key, ...], ...]] = {
    # a stated count agrees when it equals any one of these sums of cells
    "new_applications": ((("三", "new_applications", "total"),),
                         (("三", "new_applications", "total"), ("三", "carried_over", "total"))),
    "handled": ((("三", "total_handled", "total"),),),
    "granted": ((("三", "granted", "total"),),),
    "carried_over": ((("三", "carried_over", "total"),),),
    "carried_forward": ((("三", "carried_forward", "total"),),),
    "review_total": ((("四", "cases", "review_total"),),),
    "suit_total": ((("四", "cases", "direct_suit_total"), ("四", "cases", "suit_after_review_total")),),
    # "…均获维持": the cases stated were all upheld
    "review_upheld": ((("四", "cases", "review_upheld"),),),
    "suit_upheld": ((("四", "cases", "direct_suit_upheld"), ("四", "cases", "suit_after_review_upheld")),
                    (("四", "cases", "direct_suit_upheld"),), (("四", "cases", "suit_after_review_upheld"),)),
}
NARRATIVE_NAMES = {
    "new_applications": "收到申请数", "handled": "办结数", "granted": "予以公开数", "carried_over": "上年结转数",
    "carried_forward": "结转下年数", "review_total": "行政复议案件数", "suit_total": "行政诉讼案件数",
    "review_upheld": "行政复议结果维持数（正文称均获维持）", "suit_upheld": "行政诉讼结果维持数（正文称均获维持）",
}
