"""Understand a question: agencies, years, the cells it asks for, the operation, or the narrative topic.

Rules and data only (the lexicon and the ingested agency names); no model. A follow-up ("那2020年呢？", "其中自然人
多少？", "川汇区的呢？") keeps the previous question's slots and replaces what it mentions.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from core.numbers import ASKED_UNIT, ASKS_NUMBER, SHARE_ASKED, chinese_int
from retrieval.accounting import unexplained
from retrieval.agencies import ALL_WORDS, AgencyDirectory
from retrieval.lexicon import (
    T4_CATEGORIES,
    TEXT_REF,
    Concept,
    find_intent,
)
from retrieval.measures import find_measures, parts_not_groups, with_column, without_parts
from retrieval.operations import COMPARE, SUM, YEAR_BEFORE, find_op
from retrieval.pairs import paired
from retrieval.query import Condition, CondOp, Measure, Query
from retrieval.semantic import CatalogueVectors, match_phrase, match_words
from retrieval.wording import lexicon_words_in, normalise_question, respell, respelled_text

_FOLLOW_START = ("那么", "那", "其中", "还有", "另外", "再看", "同样", "它的", "他们的", "这里", "这其中", "这些里",
                 "里头", "里面", "当中", "这中间", "这几件", "这几个", "这些")
_TOTAL_ASKED = re.compile(r"总共|一共|总计|合计|共计|总数|加起来")
_WITHIN = re.compile(r"^(?:那|那么)?(?:其中|这其中|这里头|这里面|这里边|这些里|里头|里面|当中|这中间"
                     r"|(?:这|这些|这几[件个份]|这\d+件)(?:里头|里面|里边|当中|中间|之中|里))")
_DEICTIC = re.compile(r"今年|去年|前年")
_TEMPLATE_YEAR = re.compile(r"20(?:19|21)\s*年?(?:的|那|这)?[一个]?(?:版本?|套)(?:的|老|新)?(?:模板|格式|表格?)?|"
                            r"20(?:19|21)\s*年?(?:的|那个|那套)?(?:老|新)?(?:模板|格式)")


def parse_years(text: str, known_years: tuple[int, ...], this_year: int | None = None) -> tuple[tuple[int, ...], int]:
    """The years a question names, and N of 近N年. 今年/去年/前年 count from ``this_year``: the year in play in a
    conversation, or the year the question is asked in; without either, the newest year the reports cover."""
    years: list[int] = []
    for m in re.finditer(r"(20\d\d)\s*(?:年)?\s*(?:[-—~～至到])\s*(20\d\d)", text):
        a, b = sorted((int(m.group(1)), int(m.group(2))))
        years += range(a, b + 1)
    for m in re.finditer(r"(?<!\d)(\d\d)年?(?:[-—~～至到])(\d\d)年(?!度?[初中底末]?\d)", text):
        a, b = sorted((2000 + int(m.group(1)), 2000 + int(m.group(2))))
        if a >= 2010 and b <= 2040:
            years += range(a, b + 1)
    for m in re.finditer(r"(?<!\d)(\d\d)((?:[、和与及跟]\d\d)+)(?:这|那)?(?:两|三|几)?(?:个)?年", text):  # "23、24两年"
        listed = [int(y) for y in re.findall(r"\d\d", m.group(0))]
        years += [2000 + y for y in listed if 10 <= y <= 40]
    years += [int(y) for y in re.findall(r"(?<!\d)(20\d\d)(?!\d|\s*(?:件|条|个|万|元|人|次|份|项|家|期|场))", text)]
    years += [2000 + int(y) for y in re.findall(r"(?<![\d])(\d\d)年(?!度?[初中底末]?\d)", text) if 10 <= int(y) <= 40]
    newest = this_year if this_year is not None else max(known_years) if known_years else None
    if newest is not None and not years:  # an explicit year wins: "去年（2020年）"
        if "今年" in text or "本年度报告" in text:
            years.append(newest)
        if "去年" in text:
            years.append(newest - 1)
        if "前年" in text:
            years.append(newest - 2)
        if re.search(r"(?<![比较与跟和])(?:前一年|上一年)(?!度?(?:结转|转|遗留))", text):  # "那前一年呢？"
            years.append(newest - 1)
        if re.search(r"(?:后一年|下一年)(?!度?(?:继续|结转))", text) and not re.search(r"转到?下一年|结转|延到下一?年|[到至]下一年(?:度)?(?:再|继续|接着)", text):
            years.append(newest + 1)
        if re.search(r"第二年|次年|转年", text):  # "第二年呢，比头一年多出来多少？": the year after the one in play
            years.append(newest + 1)
            if re.search(r"头一年|第一年|当年", text):
                years.append(newest)
    recent = 0
    near = re.search(r"(?:近|最近|过去|这)(几|[两二三四五六七八九十]|10|[2-9])年|"  # "平潭这七年", "洪泽两年的"
                     r"(?<![〇零一二两三四五六七八九十\d])([两三])年(?=的|里|加|合|一共|总共)", text)
    if near and not years:  # "21、22、23这三年", "19年到25年这几年": the years named win
        n = near.group(1) or near.group(2)
        # "近几年": three; "这几年" (any question about "these years"): every year there is
        recent = (0 if near.group(0).startswith("这") else 3) if n == "几" else int(n) if n.isdigit() \
            else chinese_int(n) or 0
    return tuple(sorted(set(years))), recent


# a question about what reports write, not about a number in their tables, unless it asks for an amount
_MENTIONS = re.compile(r"提到|提及|谈到|说到|讲到|写到|写了|指出|表示")
_ASKS_AMOUNT = re.compile(r"多少|几[件个家项次条份]|数量|超过|多于|少于|大于|小于|低于|高于|以上|最多|最少|"
                          r"(?<!\d)\d+(?![\d年])")  # a number, not a year
_WHICH_UNITS = re.compile(r"(?:哪些|哪个|哪几个|哪几家|哪家)(?:单位|机关|部门)")


def understand(text: str, directory: AgencyDirectory, previous: Query | None = None,
               today: date | None = None, vectors: CatalogueVectors | None = None) -> Query:
    """The query a question asks; ``previous`` the conversation's last one; ``vectors`` the embedded cell catalogue
    for phrases the lexicon misses (bigrams only without it)."""
    q = normalise_question(_outcomes_of_previous(text, previous))
    # "市府办工厅": 办公厅; never inside a statistic's own words (信访举报 is not 信访局)
    q, organs_respelled = respell(q, lexicon_words_in(q), directory.organ_sounds())
    match = directory.resolve(q)
    q, respelled = respell(q, (*match.mentioned, *match.unknown))
    if respelled:  # "复义完了还不服、又去法院告的": the colloquial phrasing is read with the word meant
        q = normalise_question(q)
    respelled = (*organs_respelled, *respelled)
    known_years = directory.years
    in_play = max(previous.years) if previous is not None and previous.years else None
    if in_play is not None and today is not None and _DEICTIC.search(previous.text if previous else "") \
            and _DEICTIC.search(q):
        in_play = None  # "平潭去年…" then "那前年呢？": both count from the day asked; "那前一年呢？" from 去年
    # "用的2019年那版模板": a template's name, not the year the statistics cover
    years, recent = parse_years(_TEMPLATE_YEAR.sub("", q), known_years, in_play or (today.year if today else None))
    clauses = [c for c in re.split(r"[？?；;。]|，(?=其中|另外|以及)", q) if c]
    measures: list[Measure] = []
    bare: list[tuple[int, Concept]] = []
    per_clause: list[tuple[str, list[Measure]]] = []
    for clause in clauses or [q]:
        found, loose = find_measures(clause)
        found = list(parts_not_groups(tuple(found)))  # "无法提供的“本机关不掌握”": the group names where the part is
        if not found and loose and measures:  # "…总计多少件？其中纠正多少？"
            found = [with_column(measures[-1], loose[0][1]) or measures[-1]]
        measures += [m for m in dict.fromkeys(found) if m not in measures]
        bare += loose if not found else []
        per_clause.append((clause, found))
    names = (*match.mentioned, *match.unknown)
    text_part = _text_clauses(per_clause, names)
    if text_part:  # "网站上公开了多少条？依申请新收了几件？": the cells of the table clauses, the text for the rest
        measures = [m for clause, found in per_clause if clause not in text_part for m in found]
    if _MENTIONS.search(q) and not _ASKS_AMOUNT.search(q):  # "哪些单位提到答复的规范性还需加强": what is written
        measures, bare = [], []
    intent = find_intent(q)
    if not measures and not bare and intent is None and _ASKS_AMOUNT.search(q):
        measures = _from_catalogue(q, (*match.mentioned, *match.unknown), vectors)
    unit = ASKED_UNIT.search(q)
    if measures and unit and unit.group(1) in _TEXT_UNITS and not text_part:  # "公开了多少条采购项目信息": 条
        measures, bare = [], []
    narrative_first = intent is not None and not measures
    agencies = tuple(a.name for a in match.agencies)
    if re.search(r"等(?:单位|机关|部门|报告)", q):  # "青铜峡市信访局、泉港区信访局等单位中": examples, not a limit
        agencies, match = (), replace(match, agencies=(), mentioned=())
    n_agencies = len(agencies) if match.mentioned else 2
    op, condition = find_op(q, n_agencies, len(years) or (recent or 0), len(measures))
    if "所有" in q or any(w in q for w in ALL_WORDS):
        op = op if op != "value" else "each"
    query = Query(text=text, agencies=agencies, agency_words=match.mentioned, unknown_agencies=match.unknown,
                  years=years, recent=recent, measures=tuple(measures), op=op, condition=condition, intent=intent,
                  search_text=respelled_text(normalise_question(text, colloquial=False), respelled), repaired=match.repaired,
                  respelled=respelled, text_part="".join(text_part))
    versus = _versus(q) if len(measures) >= 2 and (op in ("list", "count") or re.search(r"哪|几[份家个]", q)) \
        else None
    if versus is not None:  # "哪几份废止的比新发的还多": one cell of each report against its other cell
        query = replace(query, measures=versus[:2], condition=Condition(versus[2], versus_second=True),
                        op="count" if op == "count" or re.search(r"有几[家个份]|多少[家个份]", q) else "list")
    if op == "sum" and len(measures) > 1:  # "行政诉讼一共几件？直接起诉和复议后起诉加一起": the group, not group + parts
        query = replace(query, measures=without_parts(query.measures))
    if op == "template":
        query = replace(query, measures=(), intent=None)
    elif narrative_first or (not measures and not bare):
        query = replace(query, op="passage" if op not in ("list", "consistency", "count") or not measures else op)
        if op == "consistency":
            query = replace(query, op="consistency")
        elif op == "list":
            query = replace(query, op="passage_list")
    pairs = paired(q, directory, match.mentioned) if len(match.mentioned) >= 2 else []
    if pairs:  # "宿迁23年跟淮安24年": each agency in its own year only
        first, *rest = pairs
        query = replace(query, agencies=first[0], years=(first[1],),
                        also=tuple(replace(query, agencies=a, years=(y,), also=()) for a, y in rest))
    if query.measures and text_part:
        query = replace(query, op="text_and_table" if query.op in ("value", "each") else query.op)
    elif query.measures:
        query = replace(query, unexplained=unexplained(q, (*match.mentioned, *match.unknown), query.measures))
        query = _named_by_left_over(query, q, (*match.mentioned, *match.unknown))
    if previous is not None and previous.op in ("passage", "passage_list") and previous.intent is not None \
            and not (match.mentioned or match.unknown or years or recent) and _REFERS.search(q):
        # "一共涉及几件申请？" after "信息处理费收了多少钱？": asked of what the passage quoted, not of a table
        return replace(previous, text=text, search_text=f"{previous.search_text} {q}", followup=True,
                       op="passage" if previous.op == "passage" else previous.op)
    if _is_followup(q, query, bare):
        if previous is not None:
            query = _merge(query, previous, bare)
            earlier = previous.before
            if _BOTH.search(q) and earlier is not None and (earlier.agencies, earlier.years) != (
                    query.agencies, query.years) and not (match.mentioned or years):  # "两家加起来多少？"
                query = replace(query, also=(replace(earlier, measures=query.measures),),
                                op="sum" if re.search(SUM, q) else "each")
            elif (re.search(SUM, q) and not measures and earlier is not None and earlier.measures
                  and (earlier.agencies, earlier.years) == (query.agencies, query.years)
                  and set(earlier.measures) != set(query.measures)):  # "新收多少？" "上年结转的呢？" "加起来呢？"
                query = replace(query, op="sum",
                                measures=tuple(dict.fromkeys((*earlier.measures, *query.measures))))
            if op in ("change", "threshold") and query.measures:  # "比上一年少了多少？" of the cells asked before
                query = replace(query, op=op, condition=condition or query.condition)
            if _AGAINST_BEFORE.search(q) and years and len(previous.years) == 1 and previous.years[0] not in years \
                    and query.measures and len(query.agencies) <= 1:  # "那二四年比它多了几件？": the two years' change
                query = replace(query, years=tuple(sorted({*previous.years, *years})), op="change")
        elif not (match.mentioned or match.unknown or years or recent or measures or intent):
            query = replace(query, needs_context=True)  # "其中纠正多少？" with nothing before it
    # "正文说多少？表里呢？"; "占比多少": no cell holds a share, the text states it beside the count
    # "正文说一共办了多少件？表四里光复议是几件？": a sum the text states, beside the cells
    if query.measures and (query.op in ("value", "each") or query.op == "sum" and TEXT_REF.search(q)) \
            and (TEXT_REF.search(q) or SHARE_ASKED.search(q)) \
            and not (query.unexplained and SHARE_ASKED.search(q)):  # "网上提交的占几成": a share of what no word names
        query = replace(query, op="text_and_table")
    if query.op == "change" and len(query.years) == 1 and YEAR_BEFORE.search(q):  # "2024年…比上年少了多少"
        query = replace(query, years=(query.years[0] - 1, query.years[0]))
    return query


_AGAINST_BEFORE = re.compile(r"(?:比|较|跟|和|与)(?:它|这个?|那个?|前者|上面|刚才|之前)(?:的|那年|这年)?(?:比|相比)?"
                             r"[^？?，,]{0,4}?(?:多|少|增|减|差|高|低|涨|降)")
_BOTH = re.compile(r"两家|两个单位|两份|这两|二者|两者|两个都|一起|都算上")
_REFERS = re.compile(r"^(?:那|那么)?(?:一共|总共|共|这|这些|这笔|其中|里面|当中)?(?:涉及|其中|这些|这里|里面|当中|这笔|"
                     r"对应)")
_VERSUS = re.compile(r"比([^？?，,。比]{1,16}?)(?:还|更|要)?([多少高低大小])")


def _versus(q: str) -> tuple[Measure, Measure, CondOp] | None:
    """"废止的比新发的还多": (废止, 新发, ">") when each side of 比 names exactly one cell."""
    m = _VERSUS.search(q)
    if not m:
        return None
    before, _ = find_measures(q[:m.start()])
    after, loose = find_measures(m.group(1))
    if len(set(before)) == 1 and not after and loose:  # "规范性文件废止的比新发的多": the same row's other column
        after = [m for m in [with_column(before[0], loose[0][1])] if m is not None]
    if len(set(before)) != 1 or len(set(after)) != 1 or before[0] == after[0]:
        return None
    return before[0], after[0], ">" if m.group(2) in "多高大" else "<"


def _text_clauses(per_clause: list[tuple[str, list[Measure]]], names: tuple[str, ...]) -> tuple[str, ...]:
    """Of a question in two or more clauses, those asking a number no cell holds (in 条/篇/期, or in words no cell
    is named by) when the other clauses each name cells and nothing else; () when the question is not of that
    shape."""
    if len(per_clause) < 2:
        return ()
    text, table = [], []
    for clause, found in per_clause:
        unit = ASKED_UNIT.search(clause)
        in_text_unit = bool(unit and unit.group(1) in _TEXT_UNITS)
        if ASKS_NUMBER.search(clause) and not (found and _NAMES_TABLE.search(clause)) and (
                in_text_unit or unexplained(clause, names, found) or (not found and find_intent(clause) is not None)
                or SHARE_ASKED.search(clause)):  # "…的占比是百分之多少？": no cell holds a share
            text.append(clause)  # its cells, if any, were found for its other words: not what it asks
        elif found and not in_text_unit and not unexplained(clause, names, found):
            table.append(clause)
        else:
            return ()
    return tuple(text) if text and table else ()


_NAMES_TABLE = re.compile(r"表[一二三四]|表格|表里|表中|表上|统计表")  # "表里行政复议单算是几件": a clause about cells
_TEXT_UNITS = frozenset({"条", "篇", "期", "场", "册"})  # units only the narrative counts in (cells: 件, 个, 万元)


def _from_catalogue(q: str, names: tuple[str, ...], vectors: CatalogueVectors | None = None) -> list[Measure]:
    """The lexicon found no cell: the row the question's left-over words clearly name in the catalogue, if any."""
    words = unexplained(q, names)
    for phrase in ("".join(words), *words) if len(words) > 1 else words:
        found = match_phrase(phrase, vectors)
        if found is not None:
            return [found.measure]
    return []


def _named_by_left_over(query: Query, q: str, names: tuple[str, ...]) -> Query:
    """One cell found by a general word ("申请") while the left-over words name another row of its table clearly
    ("没现成信息、得另外制作的申请"): that row, in the same column."""
    if len(query.measures) != 1 or not query.unexplained:
        return query
    found = match_words(query.unexplained)
    (measure,) = query.measures
    if found is None or found.measure.table != measure.table or found.measure.row == measure.row:
        return query
    better = replace(found.measure, column=measure.column)
    return replace(query, measures=(better,), unexplained=unexplained(q, names, (better,)))


def _is_followup(q: str, query: Query, bare: list[tuple[int, Concept]]) -> bool:
    stripped = re.sub(r"[？?。！!，,]", "", q)
    # "哪些单位召开了专题会议": asks about every unit, a question of its own however short; "哪些单位？" is not
    whole = len(_WHICH_UNITS.sub("", stripped)) >= 4 and _WHICH_UNITS.search(stripped) is not None
    asks_on = any(c.endswith("呢") for c in re.split(r"[，,？?]", q))  # "第二年呢，比头一年多出来多少？"
    return stripped.startswith(_FOLLOW_START) or asks_on or bool(bare and not query.measures) or (
        not query.measures and query.intent is None and len(stripped) <= 12 and not whole)


def _merge(new: Query, old: Query, bare: list[tuple[int, Concept]]) -> Query:
    agencies = new.agencies if new.agency_words or new.unknown_agencies else old.agencies
    words = new.agency_words if new.agency_words or new.unknown_agencies else old.agency_words
    years = new.years if new.years or new.recent else old.years
    recent = new.recent if new.years or new.recent else old.recent
    measures = new.measures
    if measures and old.measures and _WITHIN.search(new.text) and all(
            m.table == "三" and m.row == "new_applications" and m.column for m in measures):
        # "这里头有几件是法律服务机构申请的": the applicants' column of the row just asked, not 新收申请's
        measures = tuple(replace(o, column=m.column) for o in old.measures if o.table == "三" for m in measures) \
            or measures
    if not measures and bare and old.measures:
        measures = tuple(with_column(m, bare[0][1]) or m for m in old.measures)
    elif measures and old.measures and all(m.column is None for m in measures) and not _TOTAL_ASKED.search(new.text):
        prev = old.measures[0]  # "总共多少件" names its column: the total, not the outcome asked before
        measures = tuple(_inherit_column(m, prev) for m in measures)
    elif not measures and new.intent is None:
        measures = old.measures
    intent = new.intent or (old.intent if not new.measures else None)
    op = new.op
    if not new.measures and not bare and new.intent is None and new.op not in ("change", "threshold", "consistency"):
        op = old.op  # "比上一年少了多少？" / "超过1000了吗？" / "对得上吗？" ask something new of the same cells
    elif measures and op == "passage":
        op = old.op if old.op not in ("passage", "passage_list") else "value"
    if op in ("value", "each") and old.op in ("list", "sum", "count", "compare", "change") and not new.agency_words:
        op = old.op
    condition = new.condition or old.condition
    if op in ("count", "list") and _WITHIN.search(new.text):  # "这几件里头…的有几个？": a part of what was asked
        op, condition = "value", None
    if op == "value" and measures and (len(agencies) > 1 or len(years) > 1):
        op = "each"
    if op in ("each", "compare") and measures and len(agencies) <= 1 and len(years) == 2 and re.search(COMPARE, new.text):
        op = "change"  # "第二年呢，比头一年多出来多少？": one agency's two years
    if op == "sum" and len(measures) == 1 and len(agencies) <= 1 and len(years) <= 1:  # "那…呢，总共多少件": one cell
        op = "value"
    carried = old.search_text
    if new.agency_words or new.unknown_agencies:  # "那周口市信访局呢？": the old agency is not what is searched for
        for word in sorted(old.agency_words, key=len, reverse=True):
            carried = carried.replace(word, "")
    search = new.search_text if new.intent else f"{carried} {new.search_text}"
    return replace(new, agencies=agencies, agency_words=words, years=years, recent=recent, measures=measures,
                   intent=intent, op=op, condition=condition, search_text=search,
                   unknown_agencies=new.unknown_agencies, followup=True, before=replace(old, before=None, also=()))


_BARE_OUTCOMES = re.compile(r"(?<!复议|诉讼|起诉)(?<!复议的|诉讼的|起诉的)结果(?=咋样|怎么样|怎样|如何|呢|是什么|是啥|都有)")


def _outcomes_of_previous(text: str, previous: Query | None) -> str:
    """"那结果咋样？" after a question about 行政复议: the outcomes of that group ("复议结果咋样")."""
    if previous is None or not _BARE_OUTCOMES.search(text):
        return text
    groups = list(dict.fromkeys(m.row for m in previous.measures if m.table == "四"))
    if len(groups) != 1 or any(w in text for c in T4_CATEGORIES for w in c.words):
        return text
    word = next(c.label for c in T4_CATEGORIES if c.key == groups[0]).split("（")[0]
    return _BARE_OUTCOMES.sub(f"{word}结果", text, count=1)


def _inherit_column(measure: Measure, previous: Measure) -> Measure:
    """"部分公开呢？" after a question about 自然人 keeps 自然人; a new 表四 category keeps the previous outcome."""
    if previous.table == measure.table and previous.column is not None:
        return replace(measure, column=previous.column)
    return measure
