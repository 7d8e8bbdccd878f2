"""The assistant: question → understood query → facts (SQL) or passages (hybrid search) → answer with citations.

``Assistant.open(settings).ask("宿迁市2023年行政复议总计多少件？其中纠正多少？")`` returns an :class:`Answer`. No
language model is involved: numbers come from stored cells or quoted passages only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from core.settings import Settings
from retrieval.agencies import AgencyDirectory, ReportInfo
from retrieval.answer import Answer, Passage
from retrieval.compose import Composer, fmt, who
from retrieval.facts import ReportFacts, facts, measure_label, touching
from retrieval.lexicon import INTENTS, Intent
from retrieval.passages import Hit, PassageSearch
from retrieval.understand import Condition, Query, understand
from store.sqlite import CellStore

_INTENT = {i.key: i for i in INTENTS}
# cited with a "no inconsistency found" answer that names no cells
_KEY_TOTALS = (("三", "new_applications", "total"), ("三", "carried_over", "total"), ("三", "total_handled", "total"),
               ("三", "carried_forward", "total"), ("四", "cases", "review_total"))
_COND_TEXT = {">": "大于", ">=": "不少于", "=": "等于", "<": "少于", "<=": "不超过"}
MIN_COVERAGE = 0.5  # share of the question's distinctive words a passage must contain to be quoted
_NEEDS = {  # a question asking for one of these needs it in the quoted sentence
    "电话": re.compile(r"\d{3,4}[-—－]?\d{6,8}|\d{7,8}"), "传真": re.compile(r"\d{3,4}[-—－]?\d{6,8}|\d{7,8}"),
    "邮编": re.compile(r"\d{6}"), "网址": re.compile(r"https?://|www\.|\.gov\.cn|\.com"),
}
_UNIT_NUMBER = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(万元|元|条|件|个|场|期|次|篇|人|名|家|项|份|万)")


class Assistant:
    def __init__(self, store: CellStore, index: Any | None = None):
        self.store = store
        self.index = index
        self.reload()

    @classmethod
    def open(cls, settings: Settings, dense: bool = True) -> Assistant:
        """Open the stores in ``settings.data_dir``; ``dense=False`` searches passages by BM25 only."""
        store = CellStore(settings.sqlite_path)
        index = None
        if dense:
            from store.chroma import ChunkIndex
            from store.embeddings import make_embeddings

            index = ChunkIndex(settings.chroma_dir, make_embeddings(settings), settings.embedding_batch_size)
        return cls(store, index)

    def reload(self) -> None:
        """Re-read the report list (after ingesting)."""
        infos = [ReportInfo(r.id, r.source, r.meta.agency, r.meta.covers_year, r.meta.template)
                 for r in self.store.reports()]
        self.reports = {r.id: r for r in infos}
        self.directory = AgencyDirectory(infos)
        self.search = PassageSearch(self.store, self.index, self.reports)

    def close(self) -> None:
        self.store.close()

    # ---------------------------------------------------------------------------------------------- asking

    def ask(self, question: str, history: Sequence[str | Answer] = ()) -> Answer:
        question = question.strip()
        if not question:
            return Answer(question, "请输入问题。", "none")
        if not self.reports:
            return Answer(question, "资料库中还没有任何年报，请先导入报告。", "none")
        previous: Query | None = None
        for turn in history:
            if isinstance(turn, Answer) and isinstance(turn.state, Query):
                previous = turn.state
            elif isinstance(turn, str) and turn.strip():
                previous = understand(turn, self.directory, previous)
        query = understand(question, self.directory, previous)
        answer = self._answer(query)
        return Answer(question, answer.answer, answer.kind, answer.values, answer.citations, answer.warnings,
                      answer.matches, answer.examined, answer.passages, query.slots(), query)

    def _answer(self, q: Query) -> Answer:
        reports, missing = self._scope(q)
        if missing:
            return Answer(q.text, missing, "none", understood=q.slots())
        if q.op == "consistency":
            return self._consistency(q, reports)
        if q.measures and q.op not in ("passage", "passage_list"):
            return self._table(q, reports)
        return self._passages(q, reports)

    # ----------------------------------------------------------------------------------------------- scope

    def _scope(self, q: Query) -> tuple[list[ReportInfo], str]:
        """The reports a question covers, or a Chinese explanation of what is missing."""
        if q.unknown_agencies and not q.agencies:
            have = "、".join(a.name for a in self.directory.agencies[:12])
            return [], (f"资料库中没有“{'、'.join(q.unknown_agencies)}”的年报，无法回答。"
                        f"现有单位：{have}{'等' if len(self.directory.agencies) > 12 else ''}。")
        agencies = [a for a in self.directory.agencies if not q.agencies or a.name in q.agencies]
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
        c = Composer()
        findings = self.store.findings_for({r.id for r in reports})
        per_measure = [facts(self.store, reports, m) for m in q.measures]
        lines: list[str] = []
        matches: list[str] = []
        if q.op in ("list", "count"):
            lines, matches = self._list(q, per_measure[0], findings, c)
        elif q.op == "sum":
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

    def _ok_values(self, fs: list[ReportFacts]) -> list[tuple[ReportFacts, Decimal]]:
        return [(f, f.parts[0].value) for f in fs if f.parts and f.parts[0].value is not None]

    def _list(self, q: Query, fs: list[ReportFacts], findings: dict[str, list], c: Composer
              ) -> tuple[list[str], list[str]]:
        cond = q.condition or Condition(">", Decimal(0))
        label = measure_label(fs[0].measure) if fs else ""
        shown: dict[str, str] = {}
        for f in fs:
            if f.parts:
                shown[f.report.id], _ = c.part(f.report, f.parts[0], touching(findings.get(f.report.id, []),
                                                                              f.parts[0].cells))
        ok = self._ok_values(fs)
        if cond.op == "blank":
            hit = [f for f in fs if f.parts and f.parts[0].status == "missing"]
        elif cond.op in ("max", "min"):
            best = (max if cond.op == "max" else min)((v for _, v in ok), default=None)
            hit = [f for f, v in ok if v == best]
        else:
            hit = [f for f, v in ok if _holds(v, cond)]
        unusable = [f for f in fs if not f.parts or f.parts[0].value is None]
        years = "、".join(f"{y}年" for y in sorted({f.report.covers_year for f in fs if f.report.covers_year}))
        what = _cond_phrase(label, cond)
        head = f"共查阅{len(fs)}份报告（{years}）。"
        lines = []
        if q.op == "count":
            lines.append(f"{head}{what}的单位有 {len(hit)} 个" + ("：" + "、".join(
                f"{who(f.report)} {shown[f.report.id]}" for f in hit) if hit else "") + "。")
            c.computed("count", f"{what}的报告数", Decimal(len(hit)), "个",
                       [m for f in hit for m in _marks(c, f)], f"count = {len(hit)}")
        elif hit:
            lines.append(f"{head}{what}的有：" + "；".join(f"{who(f.report)} {shown[f.report.id]}" for f in hit) + "。")
            rest = [f for f in fs if f not in hit and f not in unusable]
            if rest and cond.op not in ("max", "min"):
                lines.append("其余：" + "；".join(f"{who(f.report)} {shown[f.report.id]}" for f in rest) + "。")
        else:
            lines.append(f"{head}没有{what}的单位：" + "；".join(f"{who(f.report)} {shown[f.report.id]}"
                                                           for f in fs if f not in unusable) + "。")
        if unusable and cond.op != "blank":
            lines.append("无可用数值的报告：" + "；".join(f"{who(f.report)} {shown.get(f.report.id, '无此项')}"
                                                   for f in unusable) + "。")
        return lines, [f.report.id for f in hit]

    def _sum(self, per_measure: list[list[ReportFacts]], findings: dict[str, list], c: Composer) -> list[str]:
        lines = []
        for fs in per_measure:
            label = measure_label(fs[0].measure) if fs else ""
            terms, marks, unusable = [], [], []
            for f in fs:
                for part in f.parts[:1]:
                    text, m = c.part(f.report, part, touching(findings.get(f.report.id, []), part.cells))
                    if part.value is None:
                        unusable.append(f"{who(f.report)}（{text}）")
                        continue
                    terms.append((f, part.value, text))
                    marks += m
            total = sum((v for _, v, _ in terms), Decimal(0))
            unit = fs[0].parts[0].unit if fs and fs[0].parts else "件"
            formula = " + ".join(fmt(v) for _, v, _ in terms)
            c.computed("sum", f"{label}合计", total, unit, marks, formula)
            lines.append(f"{len(terms)}份报告的“{label}”合计 {fmt(total)}{unit}：" +
                         " + ".join(f"{who(f.report)} {t}" for f, _, t in terms) + "。")
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
            if len(ok) == 2:
                (fa, pa), (fb, pb) = sorted(ok, key=lambda fp: -(fp[1].value or 0))
                diff = (pa.value or Decimal(0)) - (pb.value or Decimal(0))
                marks = [m for f in (fa, fb) for m in _marks(c, f)]
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
            for group in by_agency.values():
                group.sort(key=lambda f: f.report.covers_year or 0)
                for pi in range(len(group[0].parts)):
                    shown = []
                    for f in group:
                        if pi < len(f.parts):
                            text, _ = c.part(f.report, f.parts[pi], touching(findings.get(f.report.id, []),
                                                                             f.parts[pi].cells))
                            shown.append((f, f.parts[pi], text))
                    label = shown[0][1].label
                    lines.append(f"“{label}”：" + "；".join(f"{f.report.covers_year}年 {t}" for f, _, t in shown) + "。")
                    first, last = shown[0], shown[-1]
                    if first[1].value is None or last[1].value is None:
                        lines.append("有年度缺少可用数值，无法计算变化。")
                        continue
                    diff = last[1].value - first[1].value
                    marks = _marks(c, first[0]) + _marks(c, last[0])
                    c.computed("change", f"{label}变化（{last[0].report.covers_year}年 − {first[0].report.covers_year}年）",
                               diff, last[1].unit, marks, f"{fmt(last[1].value)} − {fmt(first[1].value)}",
                               last[0].report)
                    word = "增加" if diff > 0 else "减少" if diff < 0 else "持平，变化"
                    pct = (f"，{'+' if diff > 0 else ''}{(diff / first[1].value * 100).quantize(Decimal('0.1'))}%"
                           if first[1].value else "")
                    lines.append(f"{last[0].report.covers_year}年比{first[0].report.covers_year}年{word} "
                                 f"{fmt(abs(diff))}{last[1].unit}（{fmt(last[1].value)} − {fmt(first[1].value)} = "
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
                lines.append(f"{who(report)}报告：未发现不一致（已核对表三、表四各项勾稽关系，正文与表格所述件数，"
                             f"以及与相邻年度报告的衔接）。")
                keys = [k for m in q.measures for f in facts(self.store, [report], m) for p in f.parts
                        for k in ((x.table, x.row, x.column) for x in p.cells)] or list(_KEY_TOTALS)
                shown = []
                for key in keys:
                    if key in cells:
                        mark = c.cite_cell(report, cells[key])
                        c.values.append(_value_of(report, cells[key], mark))
                        shown.append(f"{cells[key].row_label[:16]}/{cells[key].column_label[:10]} "
                                     f"{fmt(cells[key].value)}[{mark}]")
                if shown:
                    lines.append("  相关数值：" + "；".join(shown))
                continue
            lines.append(f"{who(report)}报告发现 {len(found)} 处不一致：")
            for finding in found:
                marks = []
                for key in [(finding.table, finding.row, finding.column)] + [tuple(k) for k in finding.cells]:
                    cell = cells.get(key)  # type: ignore[arg-type]
                    if cell is not None and not finding.other_report:
                        mark = c.cite_cell(report, cell)
                        if mark not in marks:
                            marks.append(mark)
                            c.values.append(_value_of(report, cell, mark))
                if finding.quote:
                    line, section_no = self._locate(report.id, finding.quote)
                    marks.append(c.cite_quote(report, finding.quote, line, section_no))
                    quoted = True
                if finding.other_report and finding.other_report in self.reports:
                    other = self.reports[finding.other_report]
                    other_cells = {(x.table, x.row, x.column): x for x in self.store.cells(other.id)}
                    for key in finding.cells:
                        for source, table in ((report, cells), (other, other_cells)):
                            cell = table.get(tuple(key))  # type: ignore[arg-type]
                            if cell is not None:
                                marks.append(c.cite_cell(source, cell))
                lines.append(f"  · {finding.message}{''.join(f'[{m}]' for m in marks)}")
                c.warn(f"{who(report)}报告：{finding.message}")
        return Answer(q.text, "\n".join(lines), "mixed" if quoted else "table", tuple(c.values),
                      tuple(c.citations), tuple(c.warnings), (), len(reports))

    def _locate(self, report_id: str, quote: str) -> tuple[int | None, int | None]:
        """The line and section of a narrative sentence (for a finding's citation)."""
        squashed = "".join(quote.split())
        for _, chunk in self.store.chunks(report_id):
            if squashed in "".join(chunk.text.split()):
                return chunk.line_start, chunk.section_no
        return None, None

    # -------------------------------------------------------------------------------------------- passages

    def _passages(self, q: Query, reports: list[ReportInfo]) -> Answer:
        intent = _INTENT.get(q.intent or "")
        sections = intent.sections if intent else ()
        drop = frozenset(_agency_terms(q, self.directory))
        many = not q.agency_words and len({r.agency for r in reports}) > 1
        if many and (q.op == "passage_list" or (intent is not None and q.op != "passage")):
            return self._passage_list(q, reports, sections, drop)
        hits = self.search.search(q.search_text, {r.id for r in reports}, sections, k=8, drop=drop,
                                  hints=intent.words if intent else ())
        usable = [h for h in hits if _answers(q, h, intent)]
        if not usable:
            scope = "、".join(sorted({who(r) for r in reports})[:6])
            return Answer(q.text, f"在{scope}的报告中没有找到与问题相关的内容，报告未说明此事。", "none",
                          passages=tuple(h.passage for h in hits), examined=len(reports))
        c = Composer()
        lines = []
        best = usable[0]
        chosen = [best] + [h for h in usable[1:3] if h.passage.report_id == best.passage.report_id
                           and h.passage.section_no == best.passage.section_no
                           and intent is not None and intent.key in ("problems", "improvements")]
        if many and len({h.passage.report_id for h in usable}) > 1:
            chosen = _best_per_report(usable)[:4]
        for hit in chosen:
            p = hit.passage
            quote = _quote(q, hit, intent.key if intent else None)
            mark = c.cite_passage(p, quote)
            _quote_numbers(c, q, p, quote, mark)
            lines.append(f"据{who(self.reports[p.report_id])}报告“{p.section_title}”：“{quote}”[{mark}]")
        return Answer(q.text, "\n".join(lines), "passage", tuple(c.values), tuple(c.citations), tuple(c.warnings),
                      (), len(reports), tuple(h.passage for h in hits))

    def _passage_list(self, q: Query, reports: list[ReportInfo], sections: Sequence[int],
                      drop: frozenset[str]) -> Answer:
        c = Composer()
        hits = self.search.search(q.search_text, {r.id for r in reports}, sections, k=60, drop=drop, depth=200,
                                  hints=_INTENT[q.intent].words if q.intent in _INTENT else ())
        per_report = [h for h in _best_per_report(hits) if _answers(q, h, _INTENT.get(q.intent or ""))
                      and (not sections or h.passage.section_no in sections)]
        lines = [f"共查阅{len(reports)}份报告，{len(per_report)}份有相关内容："]
        for hit in per_report:
            p = hit.passage
            quote = _quote(q, hit, None)
            mark = c.cite_passage(p, quote)
            lines.append(f"· {who(self.reports[p.report_id])}（{p.section_title}）：“{quote}”[{mark}]")
        if not per_report:
            return Answer(q.text, f"共查阅{len(reports)}份报告，均未找到相关内容。", "none", examined=len(reports),
                          passages=tuple(h.passage for h in hits[:8]))
        return Answer(q.text, "\n".join(lines), "passage", tuple(c.values), tuple(c.citations), tuple(c.warnings),
                      tuple(h.passage.report_id for h in per_report), len(reports),
                      tuple(h.passage for h in hits[:8]))


# ------------------------------------------------------------------------------------------------ helpers


def _holds(value: Decimal, cond: Condition) -> bool:
    t = cond.threshold if cond.threshold is not None else Decimal(0)
    return {">": value > t, ">=": value >= t, "=": value == t, "<": value < t, "<=": value <= t}.get(cond.op, False)


def _cond_phrase(label: str, cond: Condition) -> str:
    if cond.op == "max":
        return f"“{label}”最多"
    if cond.op == "min":
        return f"“{label}”最少"
    if cond.op == "blank":
        return f"“{label}”为空白（未填写）"
    return f"“{label}”{_COND_TEXT[cond.op]} {fmt(cond.threshold)}"


def _marks(c: Composer, f: ReportFacts) -> list[int]:
    return [c.cite_cell(f.report, cell) for cell in (f.parts[0].cells if f.parts else ())]


def _value_of(report: ReportInfo, cell: Any, mark: int) -> Any:
    from retrieval.answer import Value
    from retrieval.lexicon import T2_UNITS

    unit = T2_UNITS.get(cell.column, "件") if cell.table == "二" else "件"
    return Value(report.agency, report.covers_year, cell.table, cell.row, cell.column, cell.row_label, cell.value,
                 unit, mark, report.source, report.id, cell.status)


def _finding_matches(finding: Any, table: str, row: str) -> bool:
    if finding.table != table:
        return False
    if table == "四":
        cats = {"suit": ("direct_suit", "suit_after_review")}.get(row, (row,))
        return any(str(k[2]).startswith(cats) for k in finding.cells) or finding.column.startswith(cats)
    return finding.row == row or any(k[1] == row for k in finding.cells)


def _agency_terms(q: Query, directory: AgencyDirectory) -> set[str]:
    from core.terms import tokens

    words = set()
    for name in q.agencies or ():
        words.update(tokens(name))
    for w in q.agency_words:
        words.update(tokens(w))
    return words


def _answers(q: Query, hit: Hit, intent: Intent | None) -> bool:
    """Does the passage answer the question: enough of its distinctive words, and what the question asks for
    (a phone number for 电话, the topic word of the question's topic, or the topic's own section)?"""
    for word, pattern in _NEEDS.items():
        if word in q.search_text and not pattern.search(hit.passage.text):
            return False
    if hit.coverage >= MIN_COVERAGE:
        return True
    if intent is None:
        return False
    asked = [w for w in intent.words if w in q.search_text]
    if asked and any(w in hit.passage.text for w in asked) and hit.coverage >= 0.2:
        return True
    return hit.passage.section_no == intent.sections[0] and hit.coverage >= 0.25


def _quote(q: Query, hit: Hit, intent: str | None) -> str:
    text = hit.passage.text
    if intent in ("problems", "improvements") and len(text) <= 420:
        return text.replace("\n", "")
    for word, pattern in _NEEDS.items():
        if word in q.search_text:
            for sentence in re.split(r"(?<=[。；;])|\n", text):
                if pattern.search(sentence):
                    return sentence.strip()
    return "".join(hit.sentences) or text[:200]


def _quote_numbers(c: Composer, q: Query, p: Passage, quote: str, mark: int) -> None:
    if not re.search(r"多少|几", q.text):
        return
    for m in _UNIT_NUMBER.finditer(quote):
        c.quoted_number(p, quote[max(0, m.start() - 12):m.start()], Decimal(m.group(1).replace(",", "")), m.group(2),
                        mark)


def _best_per_report(hits: list[Hit]) -> list[Hit]:
    seen: dict[str, Hit] = {}
    for hit in hits:
        seen.setdefault(hit.passage.report_id, hit)
    return list(seen.values())

