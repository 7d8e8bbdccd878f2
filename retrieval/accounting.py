"""Account for every word of a question: what the understood query leaves unexplained.

After the question reader has found agencies, years, cells, the operation and the topic, the words left over are
what it did not understand. A left-over word that names a statistic or a topic ("信息处理费", "政务新媒体") means
the cells found may answer a different question; the assistant must then quote what the reports write about that
word or say what it could not match, never answer from another cell.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from core.template import TEMPLATE_VERSIONS, cell_specs
from core.terms import tokens
from retrieval.facts import measure_label, plan
from retrieval.lexicon import INTENTS, T2_COLUMNS, T2_ROWS, T3_COLUMNS, T3_ROWS, T4_CATEGORIES, T4_OUTCOMES
from retrieval.query import Measure

_CONCEPT_WORDS = sorted({w for group in (T2_ROWS, T2_COLUMNS, T3_ROWS, T3_COLUMNS, T4_CATEGORIES, T4_OUTCOMES)
                         for c in group for w in c.words} | {w for i in INTENTS if not i.tableless for w in i.words},
                        key=len, reverse=True)
# years and relative years, 近N年, item numbers, ordinal words
_YEARS = re.compile(r"(?:19|20)\d{2}\s*(?:年度?|年)?(?:\s*[-—~～至到]\s*(?:19|20)\d{2}\s*年?度?)?|\d{2}年|今年|去年|前年|"
                    r"[上前]一?年度?|当年|那年|本年度?|(?:到|截至|截止)?年[底末终]|近[两二三几\d]年|最近[两二三几\d]年|过去[两二三几\d]年|每年|各年|历年|哪一?年|几年")
# how staff ask: question words, operations, comparisons, conversation fillers, the report itself
_ASKING = re.compile(
    r"多少|几|哪些|哪个|哪家|哪几|哪一|什么|怎么|怎样|如何|是否|有没有|是不是|吗|呢|吧|啊|呀|请问|^请|帮我|帮忙|查一?下|"
    r"看看|看一?下|告诉我|说说|列出|列一下|一共|总共|合计|共计|加起来|总和|之和|分别|各自|其中|另外|以及|还有|和|与|及|跟|"
    r"同|的|了|得|地|在|是|有|为|对|把|被|给|从|到|向|里|中|上|下|内|之|等|都|也|又|还|就|才|共|各|每|该|这|那|其|本|"
    r"超过|多于|大于|高于|不少于|至少|不低于|少于|低于|小于|不超过|以上|以下|最多|最少|最高|最低|最大|最小|比|相比|对比|"
    r"相差|差|多出|增减|变化|增加|减少|增长|下降|上升|同比|环比|一致|勾稽|毛病|对得上|对不上|相符|矛盾|符合|成立|正确|对不对|"
    r"数量|数目|数字|情况|件数|个数|总数|数|件|个|条|家|次|项|份|元|万|名|人|报告|年报|年度报告|政府信息公开|信息公开|"
    r"工作|单位|机关|部门|全市|全区|全县|全省|本级|市级|区级|县级|统计|数据|表格|表中|表里|正文|文中|里面|"
    r"表[一二三四]|第[一二三四五六七八九十]+[项栏行列]|一栏|这一?[栏项行列]|那一?[栏项行列]|栏目|"
    # verbs staff put around a cell's name: what was done with it, not a statistic of its own
    r"提出|作出|做出|填写|填报|回复|答复|人家|对方|过来|经过|提起|收到|收了|接到|受理|发生|涉及|产生|办理|处理|办结|出现|直接|去|两年|三年|"
    r"相关|属于|因为|由于|评估|核一下|核一核|核对一下|核实一下|核一|所以|最后|然后|于是|就是|[这那哪]种|[这那]类|[这那]些|方面|[这那哪]张表|张表|[一二两三四五六七八九十百千]+多|后来|累计|[一二两三四五六七八九十\d]+小?[种类项]|引起|导致|接着|继续|起来|理由|原因|全部|自己|因|而|或者|或|还是|以及|依申请|申请|公开|法院|新出|新发|案子|案件|情形|各种|各类|全年|"
    r"完全|到底|究竟|不再处理|不管了?|不办了?|就不处理了?|我们|咱们|这儿|那儿|压根|根本|全算上?|都算上?|栏|填的是|填的|填|那份|这份|一起|加一起|加一块儿?|一块儿?|块儿|加在一起|[两三四五六七八九十]年|这几年|这些年|平上|平不上|能平|接上|能接|接得上|接不上|过来|转|"
    r"一个劲儿?|劲儿|一再|老是|总是|光算|只算|单算|光看|只看|单看|光说|只说|"
    r"占比|比例|比重|百分比|百分之几|百分之多少|百分之|百分|占了?|几成|"
    r"问一下|问一问|问问|顺带|顺便|说下|说一下|讲一下|一整年|整年|一年到头|"
    # "表里能看得出来吗", "看不出来": whether the answer can be told, not a statistic
    r"能?看得?出来?|看不出来?|能?看出来?|能?读得?出来?|读不出来?|能?查得?到|查不到|"
    r"[\d\s，,。？?！!、：:；;“”\"'（）()《》]")


def unexplained(text: str, explained: Iterable[str] = (), measures: Iterable[Measure] = ()) -> tuple[str, ...]:
    """The content words of ``text`` (a normalised question) that neither the words the reader matched
    (``explained``: agency names and aliases, unknown names), nor the lexicon, years and asking words, nor the
    template's own names of the cells found (``measures``) account for."""
    rest = text
    for word in sorted({w for w in explained if w}, key=len, reverse=True):
        rest = rest.replace(word, " ")
    for word in _CONCEPT_WORDS:
        if word in rest:
            rest = rest.replace(word, " ")
    rest = _YEARS.sub(" ", rest)
    rest = _ASKING.sub(" ", rest)
    words = [t for piece in rest.split() for t in tokens(piece)]
    labels = "".join(cell_labels(m) for m in measures)
    return tuple(dict.fromkeys(w for w in words if len(w) >= 2 and not _ASKING.fullmatch(w) and w not in labels
                               and w not in _generic()))


def cell_labels(m: Measure) -> str:
    """The template's printed names of every cell a measure reads, in both versions, joined."""
    names = [measure_label(m)]
    for template in TEMPLATE_VERSIONS:
        for _, keys, alt, _, _, _ in plan(m, template):
            for row, col in (*keys, *alt):
                spec = _SPECS[template].get((m.table, row, col))
                if spec is not None:
                    names += [spec.row.label, spec.column.label]
    return "".join(names)


_SPECS = {t: {s.key: s for s in cell_specs(t)} for t in TEMPLATE_VERSIONS}


@lru_cache(maxsize=1)
def _generic() -> frozenset[str]:
    """Words of the template's row names that three or more rows share (行政, 政府, 信息, 申请): they do not name
    one statistic, so a question's 行政规章 or 政府信息 leaves nothing unexplained with them."""
    rows = {spec.row.label for t in TEMPLATE_VERSIONS for spec in cell_specs(t)}
    counts = Counter(w for label in rows for w in set(tokens(label)) if len(w) >= 2)
    return frozenset(w for w, n in counts.items() if n >= 3)
