"""Which template a report uses (2019年试行版 / 2021年修订版 / the format before 2019) and what shows it: the table
columns the reader recognised, cited; or, when the text shows no table, the year the statistics cover."""

from __future__ import annotations

import re

from core.template import PRE_2019, TEMPLATE_NAMES, cell_specs
from retrieval.agencies import ReportInfo
from retrieval.answer import Answer, Passage
from retrieval.compose import Composer, who
from retrieval.corpus import Stores
from retrieval.passages import sentences_of
from retrieval.query import Query

_BASIS = {
    "table_columns": "依据表格的栏目名称",
    "table_rows": "依据表格的行名称",
    "covers_year": "报告中未见可判断版本的表格栏目，按统计年度推定",
}
# the cells whose printed column names differ between the versions: 表二's first block (本年制发件数 / 本年新制作数量)
_SHOWS_VERSION = {t: [s.key for s in cell_specs(t) if s.table == "二"][:3] for t in ("2019", "2021")}


def answer_template(q: Query, reports: list[ReportInfo], st: Stores) -> Answer:
    c = Composer()
    lines = []
    for report in reports:
        stored = st.cells.report(report.id)
        template = stored.meta.template if stored else report.template
        basis = stored.meta.template_basis if stored else "unknown"
        name = TEMPLATE_NAMES.get(template or "", "")
        if not name:
            lines.append(f"{who(report)}报告：未能判断所用模板版本。")
            continue
        marks = _evidence(c, st, report, template or "")
        refs = "".join(f"[{m}]" for m in marks)
        why = _BASIS.get(basis, "")
        note = "（无法定表格，按旧格式读取）" if template == PRE_2019 else ""
        lines.append(f"{who(report)}报告使用的是{name}{note}" + (f"，{why}" if why else "") + f"{refs}。"
                     + _notice(c, st, report, template or ""))
    asked = _asked_template(q.text)
    matches = tuple(r.id for r in reports if _template_of(st, r) == asked) if asked else tuple(r.id for r in reports)
    if asked and _WHICH.search(q.text):  # "哪几份还是用的2019年那版老模板": those that do, named first
        named = "、".join(who(r) for r in reports if r.id in matches) or "没有"
        lines.insert(0, f"查阅的{len(reports)}份报告中，使用{TEMPLATE_NAMES[asked]}的：{named}。")
    kinds = {"cell" if x.cell is not None else "passage" for x in c.citations}
    kind = "mixed" if len(kinds) == 2 else "table" if "cell" in kinds else "passage" if kinds else "none"
    return Answer(q.text, "\n".join(lines) or "没有可以判断的报告。", kind,
                  tuple(c.values), tuple(c.citations), tuple(c.warnings), matches, len(reports))


_WHICH = re.compile(r"哪些|哪几|哪个|哪家|哪份|谁")
_OLD = re.compile(r"2019\s*年?(?:的|那|这)?[一个]?(?:版|套|模板|格式)|试行版?|老模板|旧模板|老版|旧版")
_NEW = re.compile(r"2021\s*年?(?:的|那|这)?[一个]?(?:版|套|模板|格式)|修订版?|新模板|新版")


def _asked_template(text: str) -> str | None:
    """The version a question names ("2019年那版老模板" → 2019), None when it names none or both."""
    old, new = bool(_OLD.search(text)), bool(_NEW.search(text))
    return "2019" if old and not new else "2021" if new and not old else None


def _template_of(st: Stores, report: ReportInfo) -> str | None:
    stored = st.cells.report(report.id)
    return stored.meta.template if stored else report.template


def _evidence(c: Composer, st: Stores, report: ReportInfo, template: str) -> list[int]:
    """Cite what shows the version: the version-specific cells that were read, else the report's opening text (its
    title and statistics year)."""
    keys = set(_SHOWS_VERSION.get(template, ()))
    cells = [cell for cell in st.cells.cells(report.id) if cell.key in keys and cell.raw.strip()]
    if cells:
        return [c.cite_cell(report, cells[0])]
    chunks = st.cells.chunks(report.id)
    if not chunks:
        return []
    chunk_id, chunk = chunks[0]
    quote = chunk.text.strip().split("\n")[0][:120]
    passage = Passage(chunk_id, report.id, report.source, report.agency, report.covers_year, chunk.section_no,
                      chunk.section_title, chunk.text, chunk.page_start, chunk.line_start, 0.0, chunk.original)
    return [c.cite_passage(passage, quote)]


# the notices that issued each version: 国办公开办函〔2019〕60号 (试行), 国办公开办函〔2021〕30号 (修订)
_NOTICE = re.compile(r"国办公开办函\s*[〔\[［(（]\s*(20\d\d)\s*[〕\]］)）]\s*(\d+)\s*号")
_NOTICES = {("2019", "60"): "2019", ("2021", "30"): "2021"}


def _notice(c: Composer, st: Stores, report: ReportInfo, template: str) -> str:
    """The report's own sentence citing the notice that issued its template version, quoted and cited ("" when
    the report cites none, or one of the other version)."""
    for chunk_id, chunk in st.cells.chunks(report.id)[:3]:
        for sentence in sentences_of(chunk.text):
            m = _NOTICE.search(sentence)
            if m and _NOTICES.get((m.group(1), m.group(2))) == template:
                passage = Passage(chunk_id, report.id, report.source, report.agency, report.covers_year,
                                  chunk.section_no, chunk.section_title, chunk.text, chunk.page_start,
                                  chunk.line_start, 0.0, chunk.original)
                return f"报告也写明依据：“{sentence}”[{c.cite_passage(passage, sentence)}]。"
    return ""
