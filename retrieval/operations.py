"""The operation a question asks for (value, sum, change, compare, list, count, threshold, consistency, template)
and its condition ("超过3000件", "哪一年最多", "有没有过100件")."""

from __future__ import annotations

import re
from decimal import Decimal

from retrieval.query import Condition, CondOp, Op

YEAR_BEFORE = re.compile(r"(?:比|较|与|跟|和)(?:上一?年度?|去年|前一年|上年同期)(?!度?(?:结转|转|遗留))|同比")

COMPARE = r"(?<![占分])比(?![例重率])|相比|对比|相差|差多少|差几|哪个多|哪个少|多多少|少多少|多几|少几|比较|多出|差"
_HOW_MUCH_APART = r"多多少|少多少|多了多少|少了多少|多出|少了?几|多了?几|差多少|差几|相差|差了?多少|差距"
SUM = r"合计|一共|总共|加起来|合起来|加上|算起来|共计|总和|之和|加一块|加一起|加在一起|一块儿"


_TEMPLATE_ASKED = re.compile(r"(?:哪|什么|何种|哪一|哪个)\S{0,2}(?:版本?|模板|格式)|模板|(?:试行|修订|新|旧|老)版|"
                             r"(?:新|旧|老)格式")
_YES_NO = re.compile(r"吗|吧[？?]?$|是否|有没有|是不是|能否|够不够|[达到]没有|没有[？?。]?$|了没|没[？?]?$")
_COMPARISONS = (">", ">=", "<", "<=", "=")
_ANY = re.compile(r"有[^？?，,。]{0,10}?的?(?:吗|没有|没)[？?]?$|有没有(?!过|超|到|达)|有无")


#: "哪些问题", "设在哪个股室": the question asks which thing, not which agencies
_WHICH_THING = re.compile(r"谁(?:来|在)?(?:把关|负责|审批|审核|签发|分管|主管|牵头|经办|管)|"
                          r"哪(?:些|个|几个|一个|几种|种|几类|类|几道|几级)(?:问题|不足|措施|渠道|方式|形式|平台|工作|股室|科室|股|科|处室|室|网站|栏目"
                          r"|地方|场所|方面|内容|事项|环节|考核|制度|机制|文件|规定|办法|系统|部分|项目|活动|会议|培训|节目"
                          r"|领域|标准|类型|时间|日子|宣传日|群体|渠道|途径|载体|专栏|号|公众号|程序|流程|规范)")


def find_op(text: str, n_agencies: int, n_years: int, n_measures: int = 1) -> tuple[Op, Condition | None]:
    condition = _condition(text)
    if _TEMPLATE_ASKED.search(text) and (n_measures == 0 or re.search(r"用的|使用|采用|按照|依据|哪", text)):
        return "template", None
    if re.search(r"是否一致|一致吗|一致？|对得上|对不上|衔接|勾稽|矛盾|相符|前后不一|不一致|一样吗|对上|之和与|加起来一致|成立吗|平上|平不上|能平|"
                 r"接得上|接不上|能接上|接上吗|能接|轧平|平衡吗|一致不|对得上不|一样不|打架|有出入|吻合|不符|对不齐|"
                 r"加得拢|加不拢|对得拢|合得上|合不上|都平吗|平不平|[都是]平的吗|加得平|加不平|算得平|能不能平|平吗|"
                 r"(?:加起来|合计|总计|相加|之和|算下来|加总)[^？?]{0,4}对(?:吗|不对|不)", text):
        return "consistency", None
    if YEAR_BEFORE.search(text) and not re.search(r"哪些|哪个|哪家|哪几|谁", text):
        return "change", None  # "比上一年少了多少？"
    if n_agencies == 2 and re.search(COMPARE, text) and not re.search(r"哪些", text):
        return "compare", None
    if n_agencies <= 1 and n_years <= 1 and n_measures == 2 and re.search(_HOW_MUCH_APART, text):
        return "compare", None  # "全部公开的比部分公开的多出几件？": two cells of one report
    if re.search(r"有几家|有几个|多少家|多少个单位|几个单位|几家单位|有多少(?:个|家)?(?:单位|部门|机关)"
                 r"|有几[份年](?![前后])|(?<![这那])几份(?:年报|报告)|几个年份|多少份(?:年报|报告)?(?!文件|材料|资料|政策|公文|规范|信息|稿|档案)"
                 r"|(?:单位|部门|机关)(?:一共|总共|共)?有?(?:多少|几)(?:个|家)?(?=[？?。]|$)", text):
        return "count", condition or Condition(">", Decimal(0))
    if re.search(SUM, text) and (n_agencies >= 2 or n_years >= 2 or n_measures >= 2) and not re.search(
            r"增减|变化|减少|增加|增长|比", text):  # "两年的申请量加一块儿，过一百件了没？": the sum against it
        return "sum", condition if condition is not None and condition.op in _COMPARISONS else None
    if condition is None and n_measures and _ANY.search(text) and not re.search(r"多少|几|哪|是否一致", text):
        condition = Condition(">", Decimal(0))  # "复议有被纠正的吗？": is there any
    if condition is not None and condition.op in _COMPARISONS and _YES_NO.search(text) and not re.search(
            r"哪些|哪个|哪家|哪几|有没有哪|谁|几个|几家|多少个|多少家", text):
        return "threshold", condition
    if re.search(r"哪些|哪个|哪家|哪几|有没有哪|谁", text) and not _WHICH_THING.search(text):
        if condition is None and re.search(r"分别", text):
            return "each", None
        return "list", condition or Condition(">", Decimal(0))
    if condition is not None and condition.op in ("max", "min", "blank"):
        return "list", condition
    if n_years >= 2 and n_agencies <= 1 or re.search(r"同比|比上年|比去年|较上年|与上年相比|变化|增减|增长|减少|增加", text) \
            and n_agencies <= 1:
        return "change", None
    if n_agencies >= 2 and re.search(COMPARE, text):
        return "compare", None
    if re.search(SUM, text) and (n_agencies >= 2 or n_years >= 2):
        return "sum", None
    if n_agencies >= 2 or n_years >= 2:
        return "each", None
    return "value", None


_ROUGH_OPS: dict[str, CondOp] = {"过": ">", "上": ">=", "破": ">", "超": ">", "满": ">=", "达到": ">=", "够": ">=",
                                  "不到": "<", "不足": "<", "没到": "<", "没过": "<=", "没超": "<="}
_ROUGH_THRESHOLD = re.compile(r"(?<![经通超])(不到|不足|没到|没过|没超|达到|过|上|破|超|满|够)了?(\d+(?:\.\d+)?)(万)?"
                              r"(?![\d.]|年|月|日|号)")
_THRESHOLD_WORDS: dict[str, CondOp] = {"超过": ">", "多于": ">", "大于": ">", "高于": ">", "不少于": ">=", "至少": ">=",
                                       "不低于": ">=", "少于": "<", "低于": "<", "小于": "<", "不超过": "<="}


_RANKED = re.compile(r"(?:哪一?年|哪个年份|哪家|哪个单位|哪一家|谁)(?:的)?[^？?，,]{0,14}?(?<!多)([多高大少低小])(?!少)")


def _condition(text: str) -> Condition | None:
    if re.search(r"最多|最高|最大", text):
        return Condition("max")
    if re.search(r"最少|最低|最小", text):
        return Condition("min")
    ranked = _RANKED.search(text)
    if ranked and not re.search(r"多多少|少多少|多了多少|少了多少|差多少|多几|少几|差几|多出", text):  # "哪一年新收的申请多？"
        return Condition("max" if ranked.group(1) in "多高大" else "min")
    if re.search(r"没有填写|未填写|空白|没填|空着", text):
        return Condition("blank")
    m = re.search(r"(超过|多于|大于|高于|不少于|至少|不低于|少于|低于|小于|不超过)(\d+(?:\.\d+)?)(万)?", text)
    if m:
        value = Decimal(m.group(2)) * (10000 if m.group(3) else 1)
        op = _THRESHOLD_WORDS[m.group(1)]
        return Condition(op, value, in_wan=bool(m.group(3)))
    m = _ROUGH_THRESHOLD.search(text)  # "有没有过100件", "过1000了吗", "上3000的", "不到50件"
    if m:
        return Condition(_ROUGH_OPS[m.group(1)], Decimal(m.group(2)) * (10000 if m.group(3) else 1),
                         in_wan=bool(m.group(3)))
    m = re.search(r"(\d+(?:\.\d+)?)(万)?件?以上", text)
    if m:
        return Condition(">=", Decimal(m.group(1)) * (10000 if m.group(2) else 1), in_wan=bool(m.group(2)))
    if re.search(r"不是0|不为0|不为零|非0|非零|不等于0|大于0", text):
        return Condition(">", Decimal(0))
    if re.search(r"为0|为零|是0|等于0|没有收到|没收到|未收到|零申请", text):
        return Condition("=", Decimal(0))
    return None
