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
    kinds = {"cell" if x.cell is not None else "passage" for x in c.citations}
    kind = "mixed" if len(kinds) == 2 else "table" if "cell" in kinds else "passage" if kinds else "none"
    return Answer(q.text, "\n".join(lines) or "没有可以判断的报告。", kind,
                  tuple(c.values), tuple(c.citations), tuple(c.warnings), tuple(r.id for r in reports), len(reports))


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
                      chunk.section_title, chunk.text, chunk.page_start, chunk.line_start, 0.0)
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
                                  chunk.line_start, 0.0)
                return f"报告也写明依据：“{sentence}”[{c.cite_passage(passage, sentence)}]。"
    return ""
