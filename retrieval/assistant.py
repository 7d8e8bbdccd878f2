"""The assistant: question → understood query → facts (SQL) or passages (hybrid search) → answer with citations.

``Assistant.open(settings).ask("宿迁市2023年行政复议总计多少件？其中纠正多少？")`` returns an :class:`Answer`. No
language model is involved: numbers come from stored cells or quoted passages only.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

import numpy as np

from core.records import Cell, Finding
from core.settings import Settings
from core.template import TEMPLATE_VERSIONS, cell_specs
from core.terms import tokens
from ingest.checks import CONTINUITY
from retrieval.agencies import AgencyDirectory, ReportInfo
from retrieval.answer import Answer, Listing, ListRow, Passage, RowCell, Value
from retrieval.compose import Composer, cell_name, fmt, who
from retrieval.facts import (
    MISSING,
    Part,
    ReportFacts,
    ReportIndex,
    Values,
    facts,
    first_values,
    measure_label,
    touching,
)
from retrieval.lexicon import INTENTS, Intent
from retrieval.passages import ASKED_UNIT, ASKS_NUMBER, NUMBER, Hit, PassageSearch, body_start, sentences_of
from retrieval.understand import Condition, Measure, Query, understand
from store.sqlite import CellStore

_INTENT = {i.key: i for i in INTENTS}
_PRINTED_ORDER = {t: {spec.key: i for i, spec in enumerate(cell_specs(t))} for t in TEMPLATE_VERSIONS}
# cited with a "no inconsistency found" answer that names no cells
_KEY_TOTALS = (("三", "new_applications", "total"), ("三", "carried_over", "total"), ("三", "total_handled", "total"),
               ("三", "carried_forward", "total"), ("四", "cases", "review_total"))
_COND_TEXT = {">": "大于", ">=": "不少于", "=": "等于", "<": "少于", "<=": "不超过"}
MIN_COVERAGE = 0.5  # share of the question's distinctive words a passage must contain to be quoted
_PHONE = re.compile(r"\d{3,4}[-—－]?\d{6,8}|\d{7,8}")
_NEEDS = (  # (the question asks for…, what the quoted sentence must contain, a word that picks the sentence)
    (re.compile(r"传真"), _PHONE, "传真"),
    (re.compile(r"电话"), _PHONE, "电话"),
    (re.compile(r"邮编|邮政编码"), re.compile(r"(?<!\d)\d{6}(?!\d)"), "邮"),
    (re.compile(r"邮箱|电子邮件"), re.compile(r"[\w.-]+@[\w-]+(?:\.[\w-]+)+"), None),
    (re.compile(r"网址|链接|哪个网站|什么网站|哪个网页|在哪.{0,8}(?:公布|查阅|下载|查看)"),
     re.compile(r"https?://|www\.|\.gov\.cn"), None),
    (re.compile(r"文号|发文字号"), re.compile(r"[〔\[［(（]\d{4}[〕\]］)）]\s*\d+\s*号"), None),
)
_OWN_SECTION = frozenset({"problems", "improvements", "other_matters"})  # topics that are a section of their own
_EMPTY = re.compile(r"^[\s（）()一二三四五六七八九十、.．:：]*(?:无|暂无|没有|本年度无|无需要说明的其他事项|"
                    r"无其他需要报告的事项|无其他需要说明的事项)[。.；;]?$")
_PLURAL = re.compile(r"哪些|哪几|几种|做法|举措|措施|经验|亮点|特色|怎么|如何|怎样|内容|形式|方式|渠道|打算|计划")
_IMPROVE_START = ("改进", "下一步", "今后", "针对", "整改", "打算", "计划", "将进一步", "将从", "将继续", "重点做好",
                  "以下工作")
_PLANS_BEGIN = ("下一步", "针对上述", "针对以上", "针对存在", "针对这些", "今后", "改进措施", "整改措施", "将从以下",
                "将重点", "以下工作")
_PLAN = re.compile(r"打算|计划|下一步|将要|准备")
PASSAGE_LIST = 60  # passages a "哪些单位提到…" answer quotes at most (the best per report)
LIST_LIMIT = 40  # reports a list answer names in its text; the others are in its values (the number table)
_SHORT, _LONG = 260, 420  # quote spans (characters): one fact / a list of things


class Assistant:
    def __init__(self, store: CellStore, index: Any | None = None):
        self.store = store
        self.index = index
        self.reload()

    @classmethod
    def open(cls, settings: Settings, dense: bool = True) -> Assistant:
        """Open the stores in ``settings.data_dir``; ``dense=False`` searches passages by BM25 only."""
        store = CellStore.open(settings)
        index = None
        if dense:
            from store.chroma import ChunkIndex

            index = ChunkIndex.open(settings)
            if index.count():  # load the vector index into memory now, not on the first passage question
                index.nearest(index.embeddings.embed_query("年报"), 1)
        tokens("年报")  # load jieba's dictionary now (about 0.5 s), not on the first passage question
        return cls(store, index)

    def reload(self) -> None:
        """Re-read the report list (after ingesting).

        The list is long-lived: it is frozen out of the garbage collector's scans (100k reports make each full
        collection, triggered by a corpus-wide list's own objects, cost hundreds of milliseconds)."""
        gc.unfreeze()  # the list this one replaces may hold cycles to collect
        self._generation = self.store.generation()
        infos = [ReportInfo(r.id, r.source, r.meta.agency, r.meta.covers_year, r.meta.template)
                 for r in self.store.reports()]
        self.reports = {r.id: r for r in infos}
        self.directory = AgencyDirectory(infos)
        # every report with a known agency, in _scope's order (100k reports: sorted once, not per question)
        self._in_order = sorted((r for a in self.directory.agencies for r in a.reports),
                                key=lambda r: (r.covers_year or 0, r.agency or ""))
        self._names = len({r.agency for r in self._in_order})
        self._order_index = ReportIndex.of(self._in_order)  # a table list over every report indexes none
        self._year_index: dict[int, ReportIndex] = {}  # a year's, made on its first list
        self._by_year: dict[int, list[ReportInfo]] = {}  # the same order, year by year
        for r in self._in_order:
            if r.covers_year is not None:
                self._by_year.setdefault(r.covers_year, []).append(r)
        self.search = PassageSearch(self.store, self.index, self.reports)
        self.store.term_index.refresh()  # the term index's arrays now (0.1 s at 100k reports), not on a question
        gc.collect()
        gc.freeze()

    def _ids(self, reports: Sequence[ReportInfo]) -> set[str] | None:
        """The reports' ids for a search filter; None when they are every report in the store (no filter)."""
        return None if len(reports) >= len(self.reports) else {r.id for r in reports}

    def close(self) -> None:
        self.store.close()

    # ---------------------------------------------------------------------------------------------- asking

    def ask(self, question: str, history: Sequence[str | Answer] = ()) -> Answer:
        question = question.strip()
        if not question:
            return Answer(question, "请输入问题。", "none")
        if self.store.generation() != self._generation:  # reports added or removed, here or by another process
            self.reload()
        if not self.reports:
            return Answer(question, "资料库中还没有任何年报，请先导入报告。", "none")
        previous: Query | None = None
        for turn in history:
            if isinstance(turn, Answer) and isinstance(turn.state, Query):
                previous = turn.state
            elif isinstance(turn, str) and turn.strip():
                previous = understand(turn, self.directory, previous)
        return self.answer_query(understand(question, self.directory, previous), question)

    def answer_query(self, query: Query, question: str | None = None) -> Answer:
        """Answer an understood (or validated, planned) query from the stores."""
        answer = self._with_rows(self._answer(query))
        return replace(answer, question=question or query.text, understood=query.slots(), state=query)

    def _answer(self, q: Query) -> Answer:
        if q.needs_context:
            return Answer(q.text, "这句像是接着上一个问题的追问，但前面没有问题。请说明单位、年份和要查的项目，"
                                  "例如“宿迁市2024年行政复议纠正了多少件？”", "none", understood=q.slots())
        reports, missing = self._scope(q)
        if missing and q.intent == "improvements" and q.years and _PLAN.search(q.text):
            # "2021年打算做什么": the plans for a year are written in the report on the year before
            earlier = replace(q, years=tuple(y - 1 for y in q.years))
            reports, still_missing = self._scope(earlier)
            if not still_missing:
                answer = self._passages(earlier, reports)
                if answer.kind != "none":
                    note = "、".join(f"{y}年" for y in q.years)
                    before = "、".join(f"{y - 1}年度" for y in q.years)
                    return replace(answer, answer=f"（{note}的工作打算见{before}报告的改进计划部分。）\n{answer.answer}")
        if missing:
            return Answer(q.text, missing, "none", understood=q.slots())
        if q.op == "consistency":
            answer = self._consistency(q, reports)
        elif q.measures and q.op not in ("passage", "passage_list"):
            answer = self._table(q, reports)
        else:
            answer = self._passages(q, reports)
        if q.unknown_agencies:  # "宿迁市和南京市…": answer what is there, say what is not
            note = f"资料库中没有“{'、'.join(q.unknown_agencies)}”的年报，以下只包括{'、'.join(q.agencies)}。"
            answer = replace(answer, answer=f"（{note}）\n{answer.answer}", warnings=(note, *answer.warnings))
        return answer

    # ----------------------------------------------------------------------------------------------- scope

    def _scope(self, q: Query) -> tuple[list[ReportInfo], str]:
        """The reports a question covers, or a Chinese explanation of what is missing."""
        if q.unknown_agencies and not q.agencies:
            have = "、".join(a.name for a in self.directory.agencies[:12])
            return [], (f"资料库中没有“{'、'.join(q.unknown_agencies)}”的年报，无法回答。"
                        f"现有单位：{have}{'等' if len(self.directory.agencies) > 12 else ''}。")
        if not q.agencies and not q.recent and not q.years and q.op != "change" and self._in_order:
            return self._in_order, ""  # every report (100k: not re-sorted or copied for each question)
        if not q.agencies and not q.recent and q.op != "change" and set(q.years) <= set(self._by_year):
            if len(set(q.years)) == 1:
                return self._by_year[q.years[0]], ""  # every report of the year (the list itself: not copied)
            return [r for y in sorted(set(q.years)) for r in self._by_year[y]], ""  # every report of these years
        agencies = ([self.directory.by_name[n] for n in dict.fromkeys(q.agencies) if n in self.directory.by_name]
                    if q.agencies else list(self.directory.agencies))
        agencies.sort(key=self.directory.position)
        reports = [r for a in agencies for r in a.reports]
        if q.recent:
            newest = sorted({r.covers_year for r in reports if r.covers_year}, reverse=True)[: q.recent]
            reports = [r for r in reports if r.covers_year in newest]
        elif q.years:
            reports = [r for r in reports if r.covers_year in q.years]
        if not reports:
            names = "、".join(a.name for a in agencies[:6]) if q.agencies else "资料库"
            years = "、".join(f"{y}年" for y in q.years)
            have = "、".join(f"{y}年" for y in sorted({r.covers_year for a in agencies for r in a.reports
                                                      if r.covers_year}))
            return [], f"没有{names}{years}的年报（{names}现有：{have or '无'}），无法回答。"
        if q.op == "change":
            years = sorted({r.covers_year for r in reports if r.covers_year})
            if len(years) < 2:
                names = "、".join(a.name for a in agencies[:6])
                asked = "、".join(f"{y}年" for y in q.years) or "两个年度"
                return [], (f"比较{asked}需要至少两个年度的报告，资料库中{names}只有"
                            f"{'、'.join(f'{y}年' for y in years)}的报告，无法计算变化。")
        return sorted(reports, key=lambda r: (r.covers_year or 0, r.agency or "")), ""

    # ----------------------------------------------------------------------------------------------- tables

    def _table(self, q: Query, reports: list[ReportInfo]) -> Answer:
        c = Composer(explain=lambda report, finding: self._finding_support(c, report, finding))
        matches: list[str] = []
        listing: Sequence[ListRow] = ()
        if q.op in ("value", "each") and not q.agencies and len(reports) > LIST_LIMIT:
            return self._every_value(q, reports, c)
        if q.op in ("list", "count"):
            lines, matches, listing = self._list(q, reports, q.measures[0], c)
            return Answer(q.text, "\n".join(lines), "table", tuple(c.values), tuple(c.citations), tuple(c.warnings),
                          tuple(matches), len(reports), listing=listing)
        findings = self.store.findings_for({r.id for r in reports})
        per_measure = [facts(self.store, reports, m) for m in q.measures]
        if q.op == "sum":
            lines = self._sum(per_measure, findings, c)
        elif q.op == "compare":
            lines = self._compare(per_measure, findings, c)
        elif q.op == "change":
            lines = self._change(per_measure, findings, c)
        else:
            lines = self._values(per_measure, findings, c)
            if len(reports) > 1:
                matches = [f.report.id for f in per_measure[0] if f.parts and f.parts[0].value is not None]
        return Answer(q.text, "\n".join(lines), "table", tuple(c.values), tuple(c.citations), tuple(c.warnings),
                      tuple(matches), len(reports))

    def _every_value(self, q: Query, reports: list[ReportInfo], c: Composer) -> Answer:
        """A value asked of more reports than a text can name (no agency: a whole year): each measure as a list of
        every report's value, the largest named, all of them in the listing."""
        every = replace(q, op="list", condition=Condition("all"))
        lines: list[str] = []
        matches: dict[str, None] = {}
        listings: list[Sequence[ListRow]] = []
        for measure in q.measures:
            more, hit, rows = self._list(every, reports, measure, c)
            lines += more
            matches.update(dict.fromkeys(hit))
            listings.append(rows)
        listing = listings[0] if len(listings) == 1 else Listing(
            lambda: tuple(row for rows in listings for row in rows), sum(len(rows) for rows in listings))
        return Answer(q.text, "\n".join(lines), "table", tuple(c.values), tuple(c.citations), tuple(c.warnings),
                      tuple(matches), len(reports), listing=listing)

    def _values(self, per_measure: list[list[ReportFacts]], findings: dict[str, list], c: Composer) -> list[str]:
        lines = []
        single = sum(len(f.parts) for fs in per_measure for f in fs) == 1
        for fs in per_measure:
            for f in fs:
                for part in f.parts:
                    text, _ = c.part(f.report, part, touching(findings.get(f.report.id, []), part.cells))
                    note = f"（{part.note}）" if part.note else ""
                    if single:
                        lines.append(f"{who(f.report)}报告中，“{part.label}”为 {text}。{note}")
                    else:
                        lines.append(f"{who(f.report)}：{part.label} {text}{note}")
        return lines

    def _list(self, q: Query, reports: list[ReportInfo], measure: Measure, c: Composer
              ) -> tuple[list[str], list[str], Sequence[ListRow]]:
        """Which reports meet a condition (or hold the largest/smallest value). The condition is tested on the
        stored values of every report in scope, as columns (no object per report); full cells are read only for
        the reports the text names. A long list names the ``LIST_LIMIT`` largest values and carries every report's
        value in its listing (made into rows when it is first read)."""
        cond = q.condition or Condition(">", Decimal(0))
        first = len(c.values)  # the values this list adds (another measure's may be in c already)
        label = measure_label(measure)
        index = self._index_of(reports)
        vals = first_values(self.store, reports, measure, unfiltered=2 * len(reports) > len(self.reports),
                            index=index)
        long = len(vals) > LIST_LIMIT
        ok = vals.present
        groups: list[tuple[str, str, np.ndarray, np.ndarray, Decimal]] = []
        if cond.op == "blank":
            hit = np.flatnonzero(vals.status == MISSING)
        elif cond.op in ("max", "min"):
            found = []
            # only like with like: the same cell in the same unit (a 2019 and a 2021 report may differ)
            for (kind, unit), members in _alike_parts(vals, ok).items():
                values = vals.scaled[members]
                best = values.max() if cond.op == "max" else values.min()
                winners = members[values == best]
                found.append(winners)
                groups.append((kind, unit, members, winners, vals.value(int(winners[0]))))
            hit = np.concatenate(found) if found else np.zeros(0, np.int64)
        else:
            hit = np.flatnonzero(ok & _holding(vals, cond))
        unusable = np.flatnonzero(~ok)
        if long:  # largest first; equal values in the order found
            hit = hit[np.argsort(-np.where(vals.present[hit], vals.scaled[hit], 0), kind="stable")]
        named = hit[:LIST_LIMIT] if long else hit
        # the reports whose value the text shows, so cites: every one in a short list; in a long one the named
        # values and the unusable ones when they are few
        shown_at = (np.arange(len(vals)) if not long else
                    np.concatenate([named, unusable if len(unusable) <= LIST_LIMIT else unusable[:0]]))
        full = {f.report.id: f for f in facts(self.store, [reports[i] for i in shown_at], measure)}
        findings = self.store.findings_for(full)
        shown: dict[str, str] = {}

        def show(i: int) -> str:
            """Cite and phrase one report's value."""
            f = full.get(reports[i].id)
            if f is not None and f.report.id not in shown and f.parts:
                shown[f.report.id], _ = c.part(f.report, f.parts[0], touching(findings.get(f.report.id, []),
                                                                              f.parts[0].cells))
            return shown.get(reports[i].id, "无此项")

        def marks(at: Iterable[int]) -> list[int]:
            return [m for i in at for m in _marks(c, full[reports[i].id])]

        if not long:
            for i in range(len(vals)):
                show(i)
        named_set = set(named.tolist())
        for kind, unit, members, winners, best in groups:
            cited = [i for i in winners.tolist() if i in named_set] if long else members.tolist()
            for i in cited:
                show(i)
            formula = (f"{cond.op}({len(members)}份报告的数值) = {fmt(best)}" if long else
                       f"{cond.op}({', '.join(fmt(vals.value(i)) for i in members.tolist())}) = {fmt(best)}")
            c.computed(cond.op, f"{kind}{'最多' if cond.op == 'max' else '最少'}", best, unit, marks(cited), formula)
        if long:
            for i in named.tolist():
                show(i)
        years = "、".join(f"{y}年" for y in index.years())
        what = _cond_phrase(label, cond)
        head = f"共查阅{len(vals)}份报告（{years}）。"
        more = (f"（共 {len(hit)} 份，按数值从大到小列出前 {LIST_LIMIT} 份，全部数值见数值表）"
                if long and len(hit) > LIST_LIMIT else "")
        listed = "；".join(f"{who(reports[i])} {show(i)}" for i in named.tolist())
        lines = []
        if q.op == "count":
            units = {self._agency_name(reports[i]) for i in hit.tolist()}  # one agency over two years counts once
            reports_note = f"（{len(hit)} 份报告）" if len(hit) != len(units) else ""
            lines.append(f"{head}{what}的单位有 {len(units)} 个{reports_note}" + ("：" + "、".join(
                f"{who(reports[i])} {show(i)}" for i in named.tolist()) + more if len(hit) else "") + "。")
            c.computed("count", f"{what}的单位数", Decimal(len(units)), "个", marks(named.tolist()),
                       f"count = {len(units)}")
        elif len(hit):
            lines.append(f"{head}{what}的有{more}：{listed}。")
            if more:  # the count the text states is a value too: how many reports' values meet the condition
                c.computed("count", f"{what}的报告数", Decimal(len(hit)), "份", marks(named.tolist()),
                           f"count = {len(hit)}")
            if long:  # a blank value is unusable: blank hits are among the unusable, other hits are not
                rest_count = len(vals) - len(unusable) - (0 if cond.op == "blank" else len(hit))
                if rest_count:
                    lines.append(f"其余 {rest_count} 份报告不满足此条件（见数值表）。")
            else:
                rest = [i for i in np.flatnonzero(ok).tolist() if i not in named_set]
                if rest:
                    lines.append("其余：" + "；".join(f"{who(reports[i])} {show(i)}" for i in rest) + "。")
        elif long:
            lines.append(f"{head}没有{what}的单位（{len(vals) - len(unusable)} 份报告的数值见数值表）。")
        else:
            lines.append(f"{head}没有{what}的单位：" + "；".join(f"{who(reports[i])} {show(i)}"
                                                           for i in np.flatnonzero(ok).tolist()) + "。")
        if len(unusable) and cond.op != "blank":
            if long and len(unusable) > LIST_LIMIT:
                lines.append(f"无可用数值的报告：{len(unusable)} 份（见数值表）。")
            else:
                lines.append("无可用数值的报告：" + "；".join(f"{who(reports[i])} {show(i)}"
                                                       for i in unusable.tolist()) + "。")
        listing: Sequence[ListRow] = _listing(vals, measure, c.values[first:]) if long else ()
        return lines, index.ids[hit].tolist(), listing

    def _index_of(self, reports: list[ReportInfo]) -> ReportIndex:
        """The reports' index: kept for every report and for each year's (the lists ``_scope`` returns as they
        are), so a list over them builds none per question; made for any other scope."""
        if reports is self._in_order:
            return self._order_index
        year = reports[0].covers_year if reports else None
        if year is not None and self._by_year.get(year) is reports:
            if year not in self._year_index:
                self._year_index[year] = ReportIndex.of(reports)
            return self._year_index[year]
        return ReportIndex.of(reports)

    def _sum(self, per_measure: list[list[ReportFacts]], findings: dict[str, list], c: Composer) -> list[str]:
        lines = []
        for fs in per_measure:
            unusable: list[str] = []
            usable: list[tuple[ReportFacts, Part]] = []
            texts: dict[int, str] = {}
            for f in fs:
                for part in f.parts:
                    text, _ = c.part(f.report, part, touching(findings.get(f.report.id, []), part.cells))
                    if part.value is None:
                        unusable.append(f"{who(f.report)}“{part.label}”（{text}）")
                    else:
                        usable.append((f, part))
                        texts[id(part)] = text
            groups = _alike(usable)
            if len(groups) > 1:
                lines.append("各报告的该项栏目或单位不同（所用模板版本不同），分别合计：")
            for (label, unit), group in groups.items():
                total = sum((p.value for _, p in group if p.value is not None), Decimal(0))
                marks = [m for f, p in group for m in _part_marks(c, f, p)]
                formula = " + ".join(fmt(p.value) for _, p in group)
                c.computed("sum", f"{label}合计", total, unit, marks, formula)
                lines.append(f"{len(group)}份报告的“{label}”合计 {fmt(total)}{unit}：" +
                             " + ".join(f"{who(f.report)} {texts[id(p)]}" for f, p in group) + "。")
            if not groups:
                lines.append("没有可以合计的数值。")
            if unusable:
                lines.append("未计入（无可用数值）：" + "；".join(unusable) + "。")
        return lines

    def _compare(self, per_measure: list[list[ReportFacts]], findings: dict[str, list], c: Composer) -> list[str]:
        lines = []
        for fs in per_measure:
            shown = []
            for f in fs:
                for part in f.parts[:1]:
                    text, _ = c.part(f.report, part, touching(findings.get(f.report.id, []), part.cells))
                    shown.append((f, part, text))
            label = measure_label(fs[0].measure) if fs else ""
            lines.append(f"“{label}”：" + "；".join(f"{who(f.report)} {t}" for f, _, t in shown) + "。")
            ok = [(f, p) for f, p, _ in shown if p.value is not None]
            if len(ok) == 2 and len(_alike(ok)) == 2:
                lines.append("两份报告的该项栏目或单位不同（模板版本不同），不计算差值。")
            elif len(ok) == 2:
                (fa, pa), (fb, pb) = sorted(ok, key=lambda fp: -(fp[1].value or 0))
                diff = (pa.value or Decimal(0)) - (pb.value or Decimal(0))
                marks = _part_marks(c, fa, pa) + _part_marks(c, fb, pb)
                c.computed("difference", f"{label}之差", diff, pa.unit, marks, f"{fmt(pa.value)} − {fmt(pb.value)}")
                if diff == 0:
                    lines.append(f"两者相同，均为 {fmt(pa.value)}{pa.unit}。")
                else:
                    lines.append(f"{who(fa.report)}比{who(fb.report)}多 {fmt(diff)}{pa.unit}"
                                 f"（{fmt(pa.value)} − {fmt(pb.value)}）。")
            elif len(ok) < len(shown):
                lines.append("有报告缺少可用数值，无法计算差值。")
        return lines

    def _change(self, per_measure: list[list[ReportFacts]], findings: dict[str, list], c: Composer) -> list[str]:
        lines = []
        for fs in per_measure:
            by_agency: dict[str, list[ReportFacts]] = {}
            for f in fs:
                agency = self.directory.agency_of(f.report.id)
                by_agency.setdefault(agency.name if agency else f.report.id, []).append(f)
            for name, group in by_agency.items():
                group.sort(key=lambda f: f.report.covers_year or 0)
                if len({f.report.covers_year for f in group}) < 2:
                    lines.append(f"{name}：资料库中只有{'、'.join(f'{f.report.covers_year}年' for f in group)}的报告，"
                                 "无法计算变化。")
                    continue
                labels = list(dict.fromkeys(p.kind or p.label for f in group for p in f.parts))
                for label in labels:
                    shown = []
                    for f in group:
                        for part in f.parts:
                            if (part.kind or part.label) == label:
                                text, _ = c.part(f.report, part, touching(findings.get(f.report.id, []), part.cells))
                                shown.append((f, part, text))
                    prefix = f"{name}“{label}”" if len(by_agency) > 1 else f"“{label}”"
                    lines.append(f"{prefix}：" + "；".join(f"{f.report.covers_year}年 {t}" for f, _, t in shown) + "。")
                    if len(shown) < 2 or len({p.unit for _, p, _ in shown}) > 1:
                        lines.append("两个年度的该项不可比（缺少一年或单位不同），无法计算变化。")
                        continue
                    (f0, p0, _), (f1, p1, _) = shown[0], shown[-1]
                    if p0.value is None or p1.value is None:
                        lines.append("有年度缺少可用数值，无法计算变化。")
                        continue
                    diff = p1.value - p0.value
                    marks = _part_marks(c, f0, p0) + _part_marks(c, f1, p1)
                    y0, y1 = f0.report.covers_year, f1.report.covers_year
                    c.computed("change", f"{label}变化（{y1}年 − {y0}年）", diff, p1.unit, marks,
                               f"{fmt(p1.value)} − {fmt(p0.value)}", f1.report)
                    word = "增加" if diff > 0 else "减少" if diff < 0 else "持平，变化"
                    pct = ""
                    if p0.value:
                        ratio = (diff / p0.value * 100).quantize(Decimal("0.1"))
                        c.computed("ratio", f"{label}变化率（{y1}年较{y0}年）", ratio, "%", marks,
                                   f"({fmt(p1.value)} − {fmt(p0.value)}) ÷ {fmt(p0.value)} × 100", f1.report)
                        pct = f"，{'+' if diff > 0 else ''}{ratio}%"
                    lines.append(f"{y1}年比{y0}年{word} {fmt(abs(diff))}{p1.unit}（{fmt(p1.value)} − {fmt(p0.value)} = "
                                 f"{fmt(diff)}{pct}）。")
        return lines

    # ------------------------------------------------------------------------------------------ consistency

    def _consistency(self, q: Query, reports: list[ReportInfo]) -> Answer:
        c = Composer()
        all_findings = self.store.findings_for({r.id for r in reports})
        lines = []
        quoted = False
        for report in reports:
            found = all_findings.get(report.id, [])
            if q.measures:
                found = [f for f in found if any(_finding_matches(f, m.table, m.row) for m in q.measures)] or (
                    [f for f in found if any(f.table == m.table for m in q.measures)])
            cells = {(cell.table, cell.row, cell.column): cell for cell in self.store.cells(report.id)}
            if not found:
                agency = self.directory.agency_of(report.id)
                years = {r.covers_year for r in (agency.reports if agency else ())}
                neighbours = report.covers_year is not None and bool(
                    {report.covers_year - 1, report.covers_year + 1} & years)
                unread = sum(1 for cell in cells.values() if cell.status != "ok")
                checked = "已核对表三、表四各项勾稽关系和正文与表格所述件数" + (
                    "，以及与相邻年度报告的衔接" if neighbours else "；资料库中没有该单位相邻年度的报告，未核对衔接")
                lines.append(f"{who(report)}报告：未发现不一致（{checked}）。")
                if unread:
                    c.warn(f"{who(report)}报告有 {unread} 个单元格为空白或无法读取，涉及它们的关系未能核对")
                keys = [k for m in q.measures for f in facts(self.store, [report], m) for p in f.parts
                        for k in ((x.table, x.row, x.column) for x in p.cells)] or list(_KEY_TOTALS)
                shown = []
                for key in keys:
                    if key in cells:
                        mark = c.state_cell(report, cells[key])
                        shown.append(f"{cell_name(report, cells[key])} "
                                     f"{fmt(cells[key].value)}[{mark}]")
                if shown:
                    lines.append("  相关数值：" + "；".join(shown))
                lines += self._continuity_lines(c, report, keys, cells)
                continue
            lines.append(f"{who(report)}报告发现 {len(found)} 处不一致：")
            for finding in found:
                support = self._finding_support(c, report, finding, cells)
                quoted = quoted or bool(finding.quote)
                lines.append(f"  · {finding.message}{support}")
                c.warn(f"{who(report)}报告：{finding.message}")
        return Answer(q.text, "\n".join(lines), "mixed" if quoted else "table", tuple(c.values),
                      tuple(c.citations), tuple(c.warnings), (), len(reports))

    def _agency_name(self, report: ReportInfo) -> str:
        agency = self.directory.agency_of(report.id)
        return agency.name if agency else (report.agency or report.id)

    def _finding_support(self, c: Composer, report: ReportInfo, finding: Finding,
                         cells: dict[tuple[str, str, str], Cell] | None = None) -> str:
        """What a finding's message rests on, cited: every cell of the relation (and, across years, the earlier
        report's cell the message quotes), the sentence of a narrative finding, and the sum it compares against
        recorded with its formula. Returns "（分项之和：…）[3][4]" to append to the message."""
        if cells is None:
            cells = {x.key: x for x in self.store.cells(report.id)}
        marks: list[int] = []
        mark_of: dict[tuple[str, str, str], int] = {}
        for key in [(finding.table, finding.row, finding.column)] + [tuple(k) for k in finding.cells]:
            cell = cells.get(key)  # type: ignore[arg-type]
            if cell is not None and not finding.other_report:
                mark = c.state_cell(report, cell)
                mark_of[key] = mark  # type: ignore[index]
                if mark not in marks:
                    marks.append(mark)
        arithmetic = _finding_sum(c, report, finding, cells, mark_of)
        if finding.quote:
            line, section_no, context = self._locate(report.id, finding.quote)
            marks.append(c.cite_quote(report, finding.quote, line, section_no, context))
        if finding.other_report and finding.other_report in self.reports:
            other = self.reports[finding.other_report]
            other_cells = {x.key: x for x in self.store.cells(other.id)}
            # this report: every cell of the relation; the earlier one: the cell the message quotes
            # (结转下年度 for a carry-over, the same cell for the continuity relations)
            earlier_key = (("三", "carried_forward", finding.column) if finding.relation == "cross_year_carry_over"
                           else (finding.table, finding.row, finding.column))
            used = [(report, cells.get(tuple(k))) for k in finding.cells]  # type: ignore[arg-type]
            used.append((other, other_cells.get(earlier_key)))
            for source, cell in used:
                if cell is not None:
                    marks.append(c.state_cell(source, cell))
        return arithmetic + "".join(f"[{m}]" for m in dict.fromkeys(marks))

    def _continuity_lines(self, c: Composer, report: ReportInfo, keys: Sequence[tuple[str, str, str]],
                          cells: dict) -> list[str]:
        """For a cell carried over from the year before (现行有效件数), show the continuity that holds."""
        agency = self.directory.agency_of(report.id)
        earlier = next((r for r in (agency.reports if agency else ()) if report.covers_year
                        and r.covers_year == report.covers_year - 1), None)
        if earlier is None:
            return []
        before = {(x.table, x.row, x.column): x for x in self.store.cells(earlier.id)}
        lines = []
        for key in dict.fromkeys(keys):
            if key not in CONTINUITY:
                continue
            _, label, plus, minus = CONTINUITY[key]
            need = [key, *plus, *minus]
            if key not in before or before[key].value is None or any(
                    k not in cells or cells[k].value is None for k in need):
                continue
            prev = before[key]
            expected = (prev.value + sum((cells[k].value for k in plus), Decimal(0))
                        - sum((cells[k].value for k in minus), Decimal(0)))
            first = c.state_cell(earlier, prev)
            terms = [f"{earlier.covers_year}年报告 {fmt(prev.value)}[{first}]"]
            marks = [first]
            for sign, ks in (("+", plus), ("−", minus)):
                for k in ks:
                    mark = c.state_cell(report, cells[k])
                    marks.append(mark)
                    terms.append(f"{sign} 本年{cells[k].column_label.removeprefix('本年')} {fmt(cells[k].value)}[{mark}]")
            now = c.state_cell(report, cells[key])
            formula = " ".join([fmt(prev.value)] + [f"+ {fmt(cells[k].value)}" for k in plus]
                               + [f"− {fmt(cells[k].value)}" for k in minus])
            c.computed("sum", f"{label}（按上年推算）", expected, "件", marks, formula, report)
            verdict = "一致" if expected == cells[key].value else "不一致"
            lines.append(f"  与上年衔接：{' '.join(terms)} = {fmt(expected)}，本年报告为 {fmt(cells[key].value)}"
                         f"[{now}]，{verdict}。")
        return lines

    def _locate(self, report_id: str, quote: str) -> tuple[int | None, int | None, str]:
        """The line, section and chunk text of a narrative sentence (for a finding's citation)."""
        squashed = "".join(quote.split())
        for _, chunk in self.store.chunks(report_id):
            if squashed in "".join(chunk.text.split()):
                return chunk.line_start, chunk.section_no, chunk.text
        return None, None, ""

    def _with_rows(self, answer: Answer) -> Answer:
        """Give each cell citation its whole table row, so a front end can show the row with the cell marked.
        One query per cited (table, row), only for the cited reports."""
        wanted: dict[tuple[str, str], set[str]] = {}
        for cit in answer.citations:
            if cit.cell is not None:
                wanted.setdefault((cit.cell.table, cit.cell.row), set()).add(cit.report_id)
        if not wanted:
            return answer
        rows: dict[tuple[str, str, str], list[Any]] = {}
        for (table, row), report_ids in wanted.items():
            columns = sorted({k[2] for order in _PRINTED_ORDER.values() for k in order if k[:2] == (table, row)})
            for rid, cell in self.store.cells_for(table, [row], columns, report_ids):
                rows.setdefault((rid, table, row), []).append(cell)
        citations = []
        for cit in answer.citations:
            if cit.cell is None:
                citations.append(cit)
                continue
            order = _PRINTED_ORDER.get(self.reports[cit.report_id].template or "2021", {})
            same_row = sorted(rows.get((cit.report_id, cit.cell.table, cit.cell.row), []),
                              key=lambda x: order.get(x.key, len(order)))
            citations.append(replace(cit, row=tuple(
                RowCell(x.column, x.column_label, fmt(x.value) if x.value is not None else "—") for x in same_row)))
        return replace(answer, citations=tuple(citations))

    # -------------------------------------------------------------------------------------------- passages

    def _passages(self, q: Query, reports: list[ReportInfo]) -> Answer:
        intent = _INTENT.get(q.intent or "")
        sections = intent.sections if intent else ()
        drop = frozenset(_agency_terms(q))
        every = len(reports) >= len(self._in_order)
        many = not q.agency_words and (self._names if every else len({r.agency for r in reports})) > 1
        listing = many and (q.op == "passage_list" or (intent is not None and q.op != "passage"))
        if intent is not None and intent.key in _OWN_SECTION and not _needs(q):
            answer = self._own_section(q, reports, intent, drop, listing)
            if answer is not None:
                return answer
        if listing:
            return self._passage_list(q, reports, sections, drop)
        plural = bool(_PLURAL.search(q.text))
        hits = self.search.search(q.search_text, self._ids(reports), sections, k=8, drop=drop,
                                  hints=intent.words if intent else (), limit=_LONG if plural else _SHORT)
        usable = [h for h in hits if _answers(q, h, intent)]
        if not usable:
            scope = "、".join(sorted({who(r) for r in reports})[:6])
            return Answer(q.text, f"在{scope}的报告中没有找到与问题相关的内容，报告未说明此事。", "none",
                          passages=tuple(h.passage for h in hits), examined=len(reports))
        c = Composer()
        lines = []
        best = usable[0]
        chosen = [best]
        if many and len({h.passage.report_id for h in usable}) > 1:
            chosen = _best_per_report(usable)[:4]
        elif plural and not _needs(q):
            chosen += [h for h in usable[1:] if h.passage.report_id == best.passage.report_id
                       and h.coverage >= 0.6 * best.coverage][:2]
        for hit in chosen:
            p = hit.passage
            quote = _quote(q, hit, plural)
            mark = c.cite_passage(p, quote)
            _quote_numbers(c, q, p, quote, mark)
            line = f"据{who(self.reports[p.report_id])}报告“{p.section_title}”：“{quote}”[{mark}]"
            rest = self._continuation(hit) if hit.heading and hit.open_end else None
            if rest is not None:
                more = c.cite_passage(rest[0], rest[1])
                _quote_numbers(c, q, rest[0], rest[1], more)
                line += f"“{rest[1]}”[{more}]"
            lines.append(line)
        return Answer(q.text, "\n".join(lines), "passage", tuple(c.values), tuple(c.citations), tuple(c.warnings),
                      (), len(reports), tuple(h.passage for h in hits))

    def _continuation(self, hit: Hit) -> tuple[Passage, str] | None:
        """The rest of a subsection whose heading ends a chunk: the start of the next chunk of the same section."""
        chunks = self.store.chunks(hit.passage.report_id)
        ids = [cid for cid, _ in chunks]
        if hit.passage.chunk_id not in ids:
            return None
        i = ids.index(hit.passage.chunk_id)
        if i + 1 >= len(chunks) or chunks[i + 1][1].section_no != hit.passage.section_no:
            return None
        cid, chunk = chunks[i + 1]
        body = "".join(body_start(chunk.text, _LONG))
        if not body:
            return None
        info = self.reports[hit.passage.report_id]
        return Passage(cid, info.id, info.source, info.agency, info.covers_year, chunk.section_no,
                       chunk.section_title, chunk.text, chunk.page_start, chunk.line_start, hit.passage.score), body

    def _own_section(self, q: Query, reports: list[ReportInfo], intent: Intent, drop: frozenset[str],
                     listing: bool) -> Answer | None:
        """Topics with their own section in the template (五、存在的主要问题及改进情况; 六、其他需要报告的事项) are
        answered from that section of every report in scope; a section that only says "无" is reported as such."""
        section_no = intent.sections[0]
        own = drop | {t for w in intent.words for t in tokens(w)}
        stated: list[Hit] = []
        empty: list[Hit] = []
        for report in reports:
            hits = self.search.in_section(q.search_text, report.id, section_no, own, intent.words, _LONG)
            if not hits:
                continue
            if all(_EMPTY.match(h.passage.text.strip()) for h in hits):
                empty.append(hits[0])
            elif hits[0].coverage >= MIN_COVERAGE:
                stated.append(hits[0])
        if not stated and not empty:
            return None
        c = Composer()
        title = stated[0].passage.section_title if stated else empty[0].passage.section_title
        lines = []
        if listing:
            lines.append(f"共查阅{len(reports)}份报告，{len(stated)}份在“{title}”中写了相关内容：")
        for hit in stated:
            p = hit.passage
            quote = _section_quote(p.text, intent)
            mark = c.cite_passage(p, quote)
            lines.append(f"· {who(self.reports[p.report_id])}：“{quote}”[{mark}]" if listing else
                         f"据{who(self.reports[p.report_id])}报告“{p.section_title}”：“{quote}”[{mark}]")
        for hit in empty:
            p = hit.passage
            mark = c.cite_passage(p, p.text.strip())
            lines.append(f"{'· ' if listing else ''}{who(self.reports[p.report_id])}报告“{p.section_title}”部分只写了"
                         f"“{p.text.strip()}”，未列出具体内容[{mark}]。")
        silent = len(reports) - len(stated) - len(empty)
        if listing and silent:
            lines.append(f"其余{silent}份报告的该部分未涉及此问题或未能识别该部分。")
        return Answer(q.text, "\n".join(lines), "passage", tuple(c.values), tuple(c.citations), tuple(c.warnings),
                      tuple(h.passage.report_id for h in stated), len(reports),
                      tuple(h.passage for h in stated + empty))

    def _passage_list(self, q: Query, reports: list[ReportInfo], sections: Sequence[int],
                      drop: frozenset[str]) -> Answer:
        c = Composer()
        hits = self.search.search(q.search_text, self._ids(reports), sections, k=PASSAGE_LIST, drop=drop, depth=200,
                                  hints=_INTENT[q.intent].words if q.intent in _INTENT else ())
        per_report = [h for h in _best_per_report(hits) if _answers(q, h, _INTENT.get(q.intent or ""))
                      and (not sections or h.passage.section_no in sections)]
        if len(hits) >= PASSAGE_LIST:  # the search stopped at its limit: more reports may say it
            lines = [f"共查阅{len(reports)}份报告，按相关度列出最相关的{len(per_report)}份（其他报告可能也有相关内容，"
                     "加上年份或单位可缩小范围）："]
        else:
            lines = [f"共查阅{len(reports)}份报告，{len(per_report)}份有相关内容："]
        for hit in per_report:
            p = hit.passage
            quote = _quote(q, hit, False)
            mark = c.cite_passage(p, quote)
            lines.append(f"· {who(self.reports[p.report_id])}（{p.section_title}）：“{quote}”[{mark}]")
        if not per_report:
            return Answer(q.text, f"共查阅{len(reports)}份报告，均未找到相关内容。", "none", examined=len(reports),
                          passages=tuple(h.passage for h in hits[:8]))
        return Answer(q.text, "\n".join(lines), "passage", tuple(c.values), tuple(c.citations), tuple(c.warnings),
                      tuple(h.passage.report_id for h in per_report), len(reports),
                      tuple(h.passage for h in hits[:8]))


# ------------------------------------------------------------------------------------------------ helpers


def _cond_phrase(label: str, cond: Condition) -> str:
    if cond.op == "max":
        return f"“{label}”最多"
    if cond.op == "min":
        return f"“{label}”最少"
    if cond.op == "blank":
        return f"“{label}”为空白（未填写）"
    if cond.op == "all":
        return f"“{label}”有数值"
    return f"“{label}”{_COND_TEXT[cond.op]}{fmt(cond.threshold)}"


def _holding(vals: Values, cond: Condition) -> np.ndarray:
    """Which reports' values meet a comparison, on the exact scaled integers (False where there is no value)."""
    if cond.op == "all":
        return vals.present.copy()
    floor, exact = vals.exact(cond.threshold if cond.threshold is not None else Decimal(0))
    v = vals.scaled
    test = {">": lambda: v > floor, ">=": lambda: v >= (floor if exact else floor + 1),
            "=": lambda: v == floor if exact else np.zeros(len(v), bool),
            "<": lambda: v < (floor if exact else floor + 1), "<=": lambda: v <= floor}.get(cond.op)
    if test is None:
        return np.zeros(len(v), bool)
    return np.asarray(test(), bool) & vals.present


def _alike_parts(vals: Values, among: np.ndarray) -> dict[tuple[str, str], np.ndarray]:
    """The reports (positions) among ``among`` grouped by what their part is and its unit, in order of first
    appearance: only these may be compared."""
    groups: dict[tuple[str, str], list[int]] = {}
    for index, p in enumerate(vals.parts):
        groups.setdefault((p.kind, p.unit), []).append(index)
    found = []
    for key, indices in groups.items():
        members = np.flatnonzero(among & np.isin(vals.part, indices))
        if len(members):
            found.append((int(members[0]), key, members))
    return {key: members for _, key, members in sorted(found, key=lambda x: x[0])}


def _listing(vals: Values, measure: Measure, shown: Sequence[Value]) -> Listing:
    """Every report's value of a long list, with the citation of those the text names; rows are made when the
    listing is first read (a corpus-wide list has 100k of them)."""
    marks: dict[str | None, int] = {}
    for v in shown:  # the values the list's text shows; a sum of cells: the first cell's marker
        if v.op == "cell" and v.citation is not None:
            marks.setdefault(v.report_id, v.citation)
    at = np.flatnonzero(vals.part >= 0)

    def make() -> tuple[ListRow, ...]:
        names: dict[tuple[tuple[str, str], ...], tuple[str, ...]] = {}
        out = []
        for i in at.tolist():
            r = vals.row(i)
            if r.keys not in names:
                names[r.keys] = tuple(f"{measure.table}/{row}/{col}" for row, col in r.keys)
            out.append(ListRow(r.report.agency, r.report.covers_year, r.label, r.value, r.unit, r.status,
                               r.report.source, r.report.id, names[r.keys], marks.get(r.report.id)))
        return tuple(out)

    return Listing(make, len(at))


def _marks(c: Composer, f: ReportFacts) -> list[int]:
    return [c.cite_cell(f.report, cell) for cell in (f.parts[0].cells if f.parts else ())]


def _part_marks(c: Composer, f: ReportFacts, part: Part) -> list[int]:
    """The citations of a part's cells (already cited when the part was shown, so no new ones)."""
    return [c.cite_cell(f.report, cell) for cell in part.cells]


def _alike(pairs: Any) -> dict[tuple[str, str], list[tuple[ReportFacts, Part]]]:
    """Parts grouped by what they are (across templates) and their unit: only these may be added or compared."""
    groups: dict[tuple[str, str], list[tuple[ReportFacts, Part]]] = {}
    for f, part in pairs:
        groups.setdefault((part.kind or part.label, part.unit), []).append((f, part))
    return groups


def _finding_sum(c: Composer, report: ReportInfo, finding: Any, cells: dict, mark_of: dict) -> str:
    """The sum a finding compares against, recorded with its formula and returned as "（25 + 52 = 77）": the
    table's side of a narrative finding (行政诉讼 = 直接起诉 + 复议后起诉) or the parts of a total."""
    keys = [tuple(k) for k in finding.cells]
    if finding.relation == "narrative_table":
        parts, target, label = keys, finding.printed, "表格中相关栏目之和"
    elif finding.relation in ("t3_row_total", "t3_results_total", "t4_total"):
        parts, target, label = keys[:-1], finding.expected, "分项之和"
    else:
        return ""
    if len(parts) < 2 or target is None or any(k not in cells or cells[k].value is None for k in parts):
        return ""
    total = sum((cells[k].value for k in parts), Decimal(0))
    if total != target:
        return ""
    formula = " + ".join(fmt(cells[k].value) for k in parts)
    c.computed("sum", label, total, "件", [mark_of[k] for k in parts if k in mark_of], formula, report)
    return f"（{label}：{formula} = {fmt(total)}）" if len(parts) <= 8 else ""


def _finding_matches(finding: Any, table: str, row: str) -> bool:
    if finding.table != table:
        return False
    if table == "四":
        cats = {"suit": ("direct_suit", "suit_after_review")}.get(row, (row,))
        return any(str(k[2]).startswith(cats) for k in finding.cells) or finding.column.startswith(cats)
    return finding.row == row or any(k[1] == row for k in finding.cells)


def _agency_terms(q: Query) -> set[str]:
    words = set()
    for name in q.agencies or ():
        words.update(tokens(name))
    for w in q.agency_words:
        words.update(tokens(w))
    return words


def _needs(q: Query) -> list[tuple[re.Pattern[str], str | None]]:
    """What the question asks to be in the quoted sentence (a phone number for 电话, a URL for 哪个网站…); the
    question itself first, then the conversation it continues."""
    for text in (q.text, q.search_text):
        found = [(pattern, anchor) for asked, pattern, anchor in _NEEDS if asked.search(text)]
        if found:
            return found
    return []


def _answers(q: Query, hit: Hit, intent: Intent | None) -> bool:
    """Does the passage answer the question: what the question asks for (a phone number for 电话), or enough of its
    distinctive words, or the topic word of the question's topic, or the topic's own section?"""
    needs = _needs(q)
    if needs:
        return any(pattern.search(hit.passage.text) for pattern, _ in needs)
    if ASKS_NUMBER.search(q.text):  # "有多少个": the quoted sentences must state a number about the topic
        span = "".join(hit.sentences)
        unit = ASKED_UNIT.search(q.text)
        wanted = {"钱": "元"}.get(unit.group(1), unit.group(1)) if unit else ""
        if not any(m.group(2).endswith(wanted) for m in NUMBER.finditer(span)) or hit.span_coverage < MIN_COVERAGE:
            return False
    if hit.coverage >= MIN_COVERAGE:
        return True
    if intent is None:
        return False
    asked = [w for w in intent.words if w in q.search_text]
    if asked and any(w in hit.passage.text for w in asked) and hit.coverage >= 0.2:
        return True
    return hit.passage.section_no == intent.sections[0] and hit.coverage >= 0.25


def _quote(q: Query, hit: Hit, whole: bool) -> str:
    """The verbatim text to quote: the sentence holding what the question asks for, the whole chunk when short and
    the question asks for a list of things, otherwise the best sentences."""
    text = hit.passage.text
    needs = _needs(q)
    if needs:
        sentences = sentences_of(text)
        for pattern, anchor in needs:
            matching = [x for x in sentences if pattern.search(x)]
            preferred = [x for x in matching if anchor and anchor in x]
            if preferred or matching:
                return (preferred or matching)[0]
    if hit.heading:
        return "".join(hit.sentences)
    if whole and len(text) <= _LONG:
        return text.strip().replace("\n", "")
    return "".join(hit.sentences) or text[:200]


def _section_quote(text: str, intent: Intent) -> str:
    """A section's own wording from its start (problems) or from where the improvements begin, whole sentences up
    to ``_LONG`` characters: the list "一是…；二是…" is what the question asks for."""
    found = sentences_of(text)
    if not found:
        return text.strip()[:_LONG]
    start = 0
    if intent.key == "improvements":
        start = next((i for i, x in enumerate(found) if any(w in x for w in _IMPROVE_START)), 0)
    out = [found[start]]
    for x in found[start + 1:]:
        if sum(map(len, out)) + len(x) > _LONG or (intent.key == "problems" and any(w in x for w in _PLANS_BEGIN)):
            break
        out.append(x)
    return "".join(out)


def _quote_numbers(c: Composer, q: Query, p: Passage, quote: str, mark: int) -> None:
    if not ASKS_NUMBER.search(q.text):
        return
    for m in NUMBER.finditer(quote):
        before = re.split(r"[，。；、：:,;（）()]", quote[:m.start()])[-1][-16:]  # the words of its own clause
        c.quoted_number(p, before.strip(), Decimal(m.group(1).replace(",", "")),
                        re.sub(r"\s", "", m.group(2)), mark)


def _best_per_report(hits: list[Hit]) -> list[Hit]:
    seen: dict[str, Hit] = {}
    for hit in hits:
        seen.setdefault(hit.passage.report_id, hit)
    return list(seen.values())

