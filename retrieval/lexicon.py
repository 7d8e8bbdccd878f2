"""The words staff use for every cell of 表二/三/四 (both templates) and for the report's narrative topics.

A :class:`Concept` names a row (or, in 表四, a case category) or a column (表四: an outcome) with the words that
point at it. Per template it lists the stored keys; several keys are summed (``combine="sum"``: 不予公开 = its eight
reasons, 行政诉讼 = 直接起诉 + 复议后起诉, 法人或其他组织 = five columns) or shown one by one (``"each"``: 规章 →
制发/废止/现行有效). ``alternatives`` lets a 2021 report that printed only the single （六）其他处理 row still answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.template import ORGANISATION_COLUMN_KEYS


@dataclass(frozen=True)
class Concept:
    key: str
    label: str  # Chinese, for answers
    words: tuple[str, ...]
    keys: dict[str, tuple[str, ...]] = field(default_factory=dict)  # template -> stored row/column keys (or 表四 category/outcome parts)
    combine: str = "sum"  # sum | each
    alternatives: dict[str, tuple[str, ...]] = field(default_factory=dict)  # used when `keys` were not stored
    unit: str = "件"
    note: dict[str, str] = field(default_factory=dict)  # template -> remark shown with the answer


def _both(*keys: str) -> dict[str, tuple[str, ...]]:
    return {"2019": keys, "2021": keys}


_WITHHELD = ("withheld_state_secret", "withheld_prohibited_by_law", "withheld_three_safeties", "withheld_third_party",
             "withheld_internal_affairs", "withheld_process_info", "withheld_enforcement_files",
             "withheld_query_matters")
_UNAVAILABLE = ("unavailable_not_held", "unavailable_needs_creation", "unavailable_unclear")
_NOT_PROCESSED = ("not_processed_petition", "not_processed_repeated", "not_processed_publications",
                  "not_processed_excessive", "not_processed_confirmation")
_OTHER_ITEMS = ("other_overdue_correction", "other_unpaid_fee", "other_other")

T3_ROWS: tuple[Concept, ...] = (
    Concept("new_applications", "本年新收政府信息公开申请数量",
            ("本年新收", "新收", "收到", "受理", "接收", "接到", "新增申请", "申请数量", "申请量", "申请数", "提出申请",
             "提交申请", "依申请公开申请", "来申请"),
            _both("new_applications")),
    Concept("carried_over", "上年结转政府信息公开申请数量",
            ("上年结转", "上一年结转", "上年度结转", "上一年度结转", "去年结转", "往年结转", "上一年转过来", "上年转过来",
             "上一年转来", "上年转来", "从上年转", "从上一年转", "去年转过来", "去年转来", "上年遗留", "上年度遗留"),
            _both("carried_over")),
    Concept("granted", "予以公开", ("予以公开", "全部公开", "同意公开", "准予公开", "给予公开", "全部给公开",
                                               "全都给公开", "全给公开", "全部予以公开", "给了信息", "给了人家信息",
                                               "给了申请人信息", "信息给了"), _both("granted")),
    Concept("partially_granted", "部分公开", ("部分公开", "部分给公开", "公开一部分", "公开了一部分"), _both("partially_granted")),
    Concept("withheld", "不予公开（8项合计）", ("不予公开", "不公开", "没给公开", "不给公开", "未予公开"), _both(*_WITHHELD)),
    Concept("withheld_state_secret", "不予公开—属于国家秘密", ("国家秘密", "涉密"), _both("withheld_state_secret")),
    Concept("withheld_prohibited_by_law", "不予公开—其他法律行政法规禁止公开",
            ("法律行政法规禁止", "法律法规禁止", "禁止公开"), _both("withheld_prohibited_by_law")),
    Concept("withheld_three_safeties", "不予公开—危及“三安全一稳定”", ("三安全一稳定", "危及安全"),
            _both("withheld_three_safeties")),
    Concept("withheld_third_party", "不予公开—保护第三方合法权益", ("第三方合法权益", "第三方权益", "保护第三方", "第三方"),
            _both("withheld_third_party")),
    Concept("withheld_internal_affairs", "不予公开—属于三类内部事务信息", ("内部事务",), _both("withheld_internal_affairs")),
    Concept("withheld_process_info", "不予公开—属于四类过程性信息", ("过程性信息", "过程性"), _both("withheld_process_info")),
    Concept("withheld_enforcement_files", "不予公开—属于行政执法案卷", ("行政执法案卷", "执法案卷"),
            _both("withheld_enforcement_files")),
    Concept("withheld_query_matters", "不予公开—属于行政查询事项", ("行政查询事项", "查询事项", "查询类"),
            _both("withheld_query_matters")),
    Concept("unavailable", "无法提供（3项合计）", ("无法提供", "没法提供", "提供不了", "没办法提供", "答复不了", "没法答复", "给不了"), _both(*_UNAVAILABLE)),
    Concept("unavailable_not_held", "无法提供—本机关不掌握相关政府信息", ("不掌握", "信息不存在", "本机关没有", "机关没有", "手里没有", "手上没有",
                                                                                 "没有这个信息", "没有这条信息", "没有该信息", "没这个信息", "没这信息", "没有这信息"),
            _both("unavailable_not_held")),
    Concept("unavailable_needs_creation", "无法提供—没有现成信息需要另行制作", ("另行制作", "没有现成信息", "另外制作", "另外加工", "加工制作", "另行加工", "重新制作", "现做", "另外做"),
            _both("unavailable_needs_creation")),
    Concept("unavailable_unclear", "无法提供—补正后申请内容仍不明确", ("仍不明确", "内容不明确", "补正后", "补正过后", "补正以后",
                                                               "补正之后", "补正完", "仍然不明确", "还是不明确", "还是说不清楚", "还是不清楚",
                                                               "说不清楚", "说不清", "看不明白", "不明白", "看不懂", "补完了还", "补完还", "补了还是"),
            _both("unavailable_unclear")),
    Concept("not_processed", "不予处理（5项合计）", ("不予处理",), _both(*_NOT_PROCESSED)),
    Concept("not_processed_petition", "不予处理—信访举报投诉类申请", ("信访举报投诉", "信访投诉举报", "举报投诉", "投诉举报", "信访类申请"),
            _both("not_processed_petition")),
    Concept("not_processed_repeated", "不予处理—重复申请", ("重复申请",), _both("not_processed_repeated")),
    Concept("not_processed_publications", "不予处理—要求提供公开出版物", ("公开出版物", "出版物"),
            _both("not_processed_publications")),
    Concept("not_processed_excessive", "不予处理—无正当理由大量反复申请", ("大量反复", "反复大量", "正当理由", "大量申请", "大量地申请", "大批量申请"), _both("not_processed_excessive")),
    Concept("not_processed_confirmation", "不予处理—要求行政机关确认或重新出具已获取信息", ("重新出具", "确认或重新出具"),
            _both("not_processed_confirmation")),
    Concept("other_handling", "其他处理", ("其他处理",),
            {"2019": ("other_handling",), "2021": _OTHER_ITEMS}, alternatives={"2021": ("other_handling",)}),
    Concept("other_other", "其他处理—其他", ("其他处理其他",), {"2021": ("other_other",)}),
    Concept("other_overdue_correction", "其他处理—逾期不补正", ("逾期不补正", "不补正", "没补正", "未补正", "逾期不补", "逾期没补", "逾期也不补",
                                                                                   "逾期也没补"), {"2021": ("other_overdue_correction",)}),
    Concept("other_unpaid_fee", "其他处理—逾期未按收费通知缴纳费用", ("逾期未缴费", "逾期不缴费", "未按收费通知", "未缴纳费用", "不按收费通知", "不按通知交费", "不按通知缴费",
                                                         "不交钱", "不交费", "没交费", "不缴费", "没缴费", "未缴费", "没交钱"),
            {"2021": ("other_unpaid_fee",)}),
    Concept("total_handled", "本年度办理结果总计",
            ("办理结果总计", "处理结果总计", "办结", "办理完毕", "答复", "处理完", "办理了", "处理了"), _both("total_handled")),
    Concept("carried_forward", "结转下年度继续办理",
            ("结转下年", "结转下一年", "结转到下一年", "结转至下一年", "结转至下年", "结转到下年", "转入下年", "继续办理",
             "顺延", "转到下一年", "转到下年", "下一年继续", "继续办", "结转", "没处理完", "未处理完", "没办完", "未办完",
             "尚未办结", "未办结", "没办结", "转到明年", "留到明年", "留到下一年"), _both("carried_forward")),
)

T3_COLUMNS: tuple[Concept, ...] = (
    Concept("natural_person", "自然人", ("自然人", "个人", "公民", "群众"), _both("natural_person")),
    Concept("organisations", "法人或其他组织（5类合计）",
            ("法人或其他组织", "法人和其他组织", "法人及其他组织", "法人或者其他组织", "法人"), _both(*ORGANISATION_COLUMN_KEYS)),
    Concept("commercial_enterprise", "商业企业", ("商业企业", "企业", "公司"), _both("commercial_enterprise")),
    Concept("research_institution", "科研机构", ("科研机构", "科研"), _both("research_institution")),
    Concept("social_welfare_org", "社会公益组织", ("社会公益组织", "公益组织"), _both("social_welfare_org")),
    Concept("legal_service_org", "法律服务机构", ("法律服务机构", "律师事务所", "律所", "律师"), _both("legal_service_org")),
    Concept("other_org", "其他（法人或其他组织）", ("其他组织", "其他申请人", "其他类型"), _both("other_org")),
    Concept("total", "总计", ("总计", "合计", "总数"), _both("total")),
)

# 表四: one row; a column is "<category>_<outcome>".
T4_CATEGORIES: tuple[Concept, ...] = (
    Concept("suit_after_review", "复议后起诉", ("复议后起诉", "经复议后起诉", "复议后提起诉讼", "复议后诉讼"),
            _both("suit_after_review")),
    Concept("direct_suit", "未经复议直接起诉", ("未经复议直接起诉", "直接起诉", "直接提起诉讼", "未经复议", "没经过复议", "没经复议",
                                               "不经复议", "未经过复议", "直接去法院", "直接到法院", "直接上法院"),
            _both("direct_suit")),
    Concept("review", "行政复议", ("行政复议", "复议"), _both("review")),
    Concept("suit", "行政诉讼（直接起诉 + 复议后起诉）", ("行政诉讼", "诉讼", "起诉", "应诉", "官司"),
            _both("direct_suit", "suit_after_review")),
)
T4_OUTCOMES: tuple[Concept, ...] = (
    Concept("upheld", "结果维持", ("结果维持", "维持")),
    Concept("corrected", "结果纠正", ("结果纠正", "纠正", "被纠错", "纠错", "改了", "被改", "撤销", "改判")),
    Concept("other", "其他结果", ("其他结果",)),
    Concept("pending", "尚未审结", ("尚未审结", "未审结", "没审结", "没有审结", "未结案", "没结案", "在审", "没审完", "未审完", "没有审完", "没判",
                                          "未判", "还没判", "审理中", "正在审理", "还在审")),
    Concept("total", "总计", ("总计", "合计", "总数")),
)
T4_OUTCOMES = tuple(Concept(c.key, c.label, c.words, _both(c.key)) for c in T4_OUTCOMES)

T2_ROWS: tuple[Concept, ...] = (
    Concept("rules", "规章", ("规章",), _both("rules")),
    Concept("normative_documents", "规范性文件", ("行政规范性文件", "规范性文件"), _both("normative_documents")),
    Concept("licensing", "行政许可", ("行政许可", "许可"), _both("licensing")),
    Concept("penalty", "行政处罚", ("行政处罚", "处罚"), _both("penalty")),
    Concept("coercion", "行政强制", ("行政强制", "强制措施", "强制"), _both("coercion")),
    Concept("fees", "行政事业性收费", ("行政事业性收费", "事业性收费", "收费项目", "收费金额", "收费"), _both("fees")),
    Concept("other_services", "其他对外管理服务事项", ("其他对外管理服务事项", "对外管理服务"), {"2019": ("other_services",)}),
    Concept("procurement", "政府集中采购", ("政府集中采购", "集中采购", "采购"), {"2019": ("procurement",)}),
)
T2_COLUMNS: tuple[Concept, ...] = (
    Concept("issued", "本年制发件数", ("制发", "制定", "出台", "印发", "新制作", "新制定", "新发"),
            {"2021": ("issued",), "2019": ("newly_made",)}, note={"2019": "2019版模板对应“本年新制作数量”"}),
    Concept("repealed", "本年废止件数", ("废止", "废掉", "作废", "废除"), {"2021": ("repealed",)}),
    Concept("in_force", "现行有效件数", ("现行有效", "有效"),
            {"2021": ("in_force",), "2019": ("total_published",)}, note={"2019": "2019版模板对应“对外公开总数量”"}),
    Concept("newly_published", "本年新公开数量", ("新公开",), {"2019": ("newly_published",)}),
    Concept("total_published", "对外公开总数量", ("对外公开总数", "公开总数", "对外公开"), {"2019": ("total_published",)}),
    Concept("decisions", "本年处理决定数量", ("处理决定", "决定数", "决定"), _both("decisions")),
    Concept("fee_amount", "本年收费金额", ("收费金额", "金额"), {"2021": ("fee_amount",)}, unit="万元"),
    Concept("previous_items", "上一年项目数量", ("上一年项目", "项目数量"), {"2019": ("previous_items",)}, unit="个"),
    Concept("change", "本年增/减", ("增/减", "增减"), {"2019": ("change",)}, unit="个"),
    Concept("procurement_items", "采购项目数量", ("采购项目数量", "采购项目数", "项目数"), {"2019": ("procurement_items",)}, unit="个"),
    Concept("procurement_amount", "采购总金额", ("采购总金额", "采购金额", "总金额"), {"2019": ("procurement_amount",)}, unit="万元"),
)
#: 表二 columns shown when a question names only the row.
T2_DEFAULT_COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "rules": {"2021": ("issued", "repealed", "in_force"), "2019": ("newly_made", "newly_published", "total_published")},
    "normative_documents": {"2021": ("issued", "repealed", "in_force"),
                            "2019": ("newly_made", "newly_published", "total_published")},
    "licensing": _both("decisions"), "penalty": _both("decisions"), "coercion": _both("decisions"),
    "fees": {"2021": ("fee_amount",), "2019": ("previous_items", "change")},
    "other_services": {"2019": ("decisions",)},
    "procurement": {"2019": ("procurement_items", "procurement_amount")},
}


@dataclass(frozen=True)
class Intent:
    key: str
    label: str
    words: tuple[str, ...]
    sections: tuple[int, ...]  # sections preferred (0 = preamble)
    #: no cell of any table counts it: its words never account for a cell ("办理了多少件政协提案" is not 表三's 办理)
    tableless: bool = False


INTENTS: tuple[Intent, ...] = (
    Intent("problems", "存在的主要问题", ("存在的问题", "存在问题", "主要问题", "问题", "不足", "短板", "差距", "薄弱", "不够", "不到位", "欠缺",
                                      "做得不好", "毛病", "短处", "缺点", "没做好", "没有做好", "做得不够", "没做到位", "不太好", "有待"), (5,)),
    Intent("improvements", "改进措施", ("改进", "下一步", "整改", "措施", "计划", "打算", "努力方向", "改进措施", "整改措施", "改进情况",
                                            "工作打算", "工作计划", "怎么改", "如何改", "咋改"), (5,)),
    Intent("platforms", "公开平台和渠道",
           ("平台", "渠道", "网站", "门户", "公众号", "形式", "方式", "微信", "微博", "新媒体", "公开栏", "专栏", "热线", "客户端", "载体"),
           (1, 2)),
    Intent("contact", "联系方式", ("联系方式", "联系电话", "电话", "地址", "邮编", "邮箱", "传真"), (0, 6, 1)),
    Intent("leadership", "组织领导", ("领导小组", "组织领导", "分管领导", "工作机构", "专职人员", "工作人员", "机构建设"), (1, 6)),
    Intent("fees", "信息处理费", ("信息处理费", "处理费", "费用", "收费"), (6, 3)),
    Intent("interpretation", "政策解读", ("政策解读", "解读"), (1, 2)),
    Intent("training", "培训", ("培训",), (1, 6), tableless=True),
    Intent("proactive", "主动公开", ("主动公开",), (2, 1)),
    Intent("proposals", "建议提案办理", ("建议提案", "人大代表建议", "政协提案", "建议和提案"), (6, 1), tableless=True),
    Intent("other_matters", "其他需要报告的事项", ("其他需要报告", "其他事项"), (6,)),
    Intent("overview", "总体情况", ("总体情况", "概况", "总体"), (1,)),
)

#: the question asks what the report's text (not its tables) says: "正文说…", "文字部分写的…"
TEXT_REF = re.compile(r"正文|文中|文字(?:部分|说明|里|中|上)|报告(?:里|中)?(?:的)?(?:文字|叙述)")

#: colloquial phrasings rewritten to the lexicon's words before anything reads the question (regex, replacement)
COLLOQUIAL: tuple[tuple[re.Pattern[str], str], ...] = (
    # "先复议、复议完再去法院告的": 复议后起诉
    (re.compile(r"(?:先复议[，,、]?)?复议(?:完了?|结束|之后|以后|后)[，,]?(?:还?(?:不服|不满意)[，,、]?)?(?:再|又|才)?"
                r"(?:跑|走)?(?:去|到|上)?(?:法院)?"
                r"(?:告|起诉|打官司|诉讼|提起诉讼)"), "复议后起诉"),
    # "先走了复议、后来又去法院告的": 复议后起诉 (the order said by 先…后来)
    (re.compile(r"先(?:走了?|经过?了?|申请了?|打了?|做了?|搞了?)?(?:行政)?复议(?:的)?[，,、]?(?:后来|然后|之后|接着|完了?)?"
                r"[，,]?(?:还?(?:不服|不满意)[，,、]?)?(?:又|再|才|还)(?:跑|走)?(?:去|到|上)?(?:法院)?"
                r"(?:告|起诉|打官司|诉讼|提起诉讼)"), "复议后起诉"),
    # "先走了复议、复议完不服又去法院告的": the lead-in to a 复议后起诉 the rules above made is part of it
    (re.compile(r"先(?:走了?|经过?了?|申请了?|打了?|做了?|搞了?)?(?:行政)?复议(?:的)?[，,、]?(?=复议后起诉)"), ""),
    # "人家要的信息咱们压根就没有的": 本机关不掌握 (the information asked for is not held)
    (re.compile(r"(?:要|申请|问|想要)的(?:这个|那个|那些|这些)?(?:信息|材料|资料|东西)[，,]?(?:咱们|我们|本机关|机关|这边|单位)?"
                r"(?:压根儿?|根本|本来)?(?:就)?(?:没有|没|不掌握|不存在)"), "不掌握"),
    # "正文里讲的收了多少、办结多少": 收到 (the applications, one of a list of counts)
    (re.compile(r"收了多少(?:件|个)?(?:申请)?(?=[、，,])"), "收到多少申请"),
    # "重复提交的": 重复申请
    (re.compile(r"重复(?:提交|递交|提出|来申请)(?:申请)?"), "重复申请"),
    # "没经过复议、直接去法院告的": 未经复议直接起诉
    (re.compile(r"(?:没|未|不)(?:经过?|走)复议[，,、]?(?:就)?直接(?:去|到|上)?(?:法院)?(?:告|起诉|打官司)?"), "未经复议直接起诉"),
    # "直接告法院的": 未经复议直接起诉
    (re.compile(r"(?<!复议)直接(?:跑|走)?(?:去|到|上)?(?:法院)?(?:告|起诉|打官司)(?:到|上)?(?:法院|法庭)?"), "未经复议直接起诉"),
    (re.compile(r"被?(?:告上|告到|起诉到|打到|告去|诉至|诉到)(?:法院|法庭)|打官司|被告了?|上法庭"), "行政诉讼"),
    # "从前一年转过来接着办的": 上年结转
    (re.compile(r"(?:从|由)?(?:前一年|上一年|头一年|去年|上年)(?:转|结转|留)(?:过来|下来)(?:接着办|继续办)?"), "上年结转"),
    # "顺延到下一年再答复的": 结转下年度继续办理 (not a year, not 办理结果总计)
    (re.compile(r"(?:顺延|延|推|拖|转|留|放)(?:到|至)(?:下一?年度?|明年)(?:再|才|继续|接着)?(?:答复|办理|处理|办)?"), "结转下年"),
    # "超没超五十", "到没到", "有没有到六十件": a threshold asked as a yes/no
    (re.compile(r"超[没不]超(?:过)?|有没有超过?"), "是否超过"),
    (re.compile(r"过[没不]过"), "是否过"),
    (re.compile(r"破[没不]破|有没有破"), "是否超过"),
    (re.compile(r"到[没不]到|有没有到|够[没不]够|达[没不]达到?|有没有达到"), "是否达到"),
    # "不是老百姓个人提的": every applicant but natural persons
    (re.compile(r"(?:不是|并非|非)(?:老百姓|群众|公民|自然人|个人)(?:个人)?"), "法人或其他组织"),
    # "让人家补材料": 补正 (the template's word for asking an applicant to complete the application)
    (re.compile(r"补(?:充)?(?:材料|资料)|补正(?:材料|资料)"), "补正"),
    # "过期不补正的": 逾期
    (re.compile(r"(?:过了?期限?|超过?了?期限|超期)(?=[，,、]?(?:还|也|仍|都)?(?:不|未|没))"), "逾期"),
    # "收费通知了不交钱的", "发了收费通知、人家过期不交钱": the fee notice itself is part of the row's name
    (re.compile(r"(?:发了?|下了?|寄了?|给了?|开了?)?收费通知了?[、，,]?(?:人家|对方|申请人)?(?:逾期)?(?=不|没|未)"),
     "未按收费通知"),
    # "上两位数了没有": at least 10 (三位数: 100)
    (re.compile(r"(?:上|过|到|达到|超过|破)?[两二]位数"), "达到10"),
    (re.compile(r"(?:上|过|到|达到|超过|破)?三位数"), "达到100"),
    (re.compile(r"(?:上|过|到|达到|超过|破)?四位数"), "达到1000"),
    # "不算部分公开的", "不包括…": what the question leaves out is not asked for
    (re.compile(r"[，,]?(?:不算|不包括|不包含|不含|除去|除开|刨去|刨除)[^，,。？?]{1,12}?(?:的|在内)?(?=[，,。？?]|$)"), ""),
    # "复议结果怎么样": each outcome of the group (维持, 纠正, 其他, 尚未审结)
    (re.compile(r"(复议|诉讼|起诉)的?(?:各项|各种|具体)?(?:审理)?结果(?!维持|纠正)"), r"\1结果维持、结果纠正、其他结果、尚未审结"),
    # "最后判得怎么样": each outcome of the cases asked about
    (re.compile(r"(?:最后|最终|后来)?(?:判得|判的|判了|审得|审的)(?:结果)?(?:怎么样了?|如何|怎样|是什么)|"
                r"(?:最后|最终)(?:结果)?(?:怎么样了?|如何|怎样)"), "结果维持、结果纠正、其他结果、尚未审结、总计"),
    # "真是全维持了吗": whether every case was upheld is told by each outcome beside the total
    (re.compile(r"(?:全|都|均|全部|全都)(?:获|被|是|给)?维持(?:了|住了?)?"), "结果维持、结果纠正、其他结果、尚未审结、总计"),
    # "表三（六）": 表三's items by their printed numbers
    *((re.compile(rf"表三[的里中]?第?[（(]{number}[)）]项?"), f"表三{name}") for number, name in (
        ("一", "予以公开"), ("二", "部分公开"), ("三", "不予公开"), ("四", "无法提供"), ("五", "不予处理"), ("六", "其他处理"),
        ("七", "办理结果总计"))),
    # "其他处理里头那个“其他”一栏": the item 3.其他 under 其他处理 (not the group, not the 其他 applicants' column)
    (re.compile(r"其他处理(?:里头?|里面|中|下面?|当中)?的?(?:那个|那一?项|那栏)?[“\"'‘]?其他[”\"'’]?(?!处理|组织|结果|申请人|类型)"),
     "其他处理其他"),
    # "表三里“其他”那一行": the only row of 表三 named 其他 is （六）3.其他 (其他 the column is 其他组织)
    (re.compile(r"[“\"'‘]其他[”\"'’](?:那|这)?一?行"), "其他处理其他"),
)


_ASKED_BEFORE = re.compile(r"(?:什么|哪些|哪几种|哪几个|哪种|哪个|何种|怎么|怎样|如何)$")


def find_intent(text: str) -> str | None:
    """The topic a narrative question asks about: the word right after 什么/哪些 ("通过什么平台") names what is
    asked for; otherwise the longest topic word."""
    best: tuple[int, str] | None = None
    for intent in INTENTS:
        for word in intent.words:
            at = text.find(word)
            if at < 0:
                continue
            asked = bool(_ASKED_BEFORE.search(text[max(0, at - 4):at]))
            rank = len(word) + (10 if asked else 0)
            if best is None or rank > best[0]:
                best = (rank, intent.key)
    return best[1] if best else None
