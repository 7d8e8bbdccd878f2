"""CSV and xlsx exports of a real answer (the test corpus, fake embeddings): a citation column naming report, table,
cell and page; numbers as numbers, blanks blank; a sheet of the quoted passages; report text never a formula."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from retrieval.answer import Answer, Citation, Value
from retrieval.assistant import Assistant
from ui.export import SOURCE_HEADER, to_csv, write_xlsx
from ui.render import number_table


def _answer(assistant: Assistant) -> Answer:
    answer = assistant.ask("宿迁市2023年和2024年行政复议总计各多少件？")
    assert [str(v.value) for v in answer.values if v.op == "cell"] == ["440", "170"]  # the reports' 表四
    return answer


def test_csv_has_a_citation_column(assistant: Assistant) -> None:
    answer = _answer(assistant)
    table = number_table(answer)
    assert table is not None
    rows = list(csv.reader(io.StringIO(to_csv(answer, table))))
    assert rows[0][-1] == SOURCE_HEADER
    assert rows[1][:4] == ["宿迁市", "2023", "行政复议—总计", "440"]
    assert rows[1][-1].startswith("suqian_city_2023.txt · 表四 · 行政复议—总计")


def _workbook(answer: Answer, path: Path):  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    table = number_table(answer)
    assert table is not None
    write_xlsx(answer, table, path)
    return load_workbook(path)


def test_xlsx_reads_back_with_numbers_citations_and_quotes(assistant: Assistant, tmp_path: Path) -> None:
    answer = _answer(assistant)
    book = _workbook(answer, tmp_path / "a.xlsx")
    data = [list(r) for r in book["数据"].iter_rows(values_only=True)]
    assert data[0][-1] == SOURCE_HEADER
    assert data[1][3] == 440 and isinstance(data[1][3], int) and data[2][3] == 170
    assert "suqian_city_2024.txt · 表四" in str(data[2][-1])
    quotes = [list(r) for r in book["引文"].iter_rows(values_only=True)]
    assert quotes[0][0] == "编号" and len(quotes) == len(answer.citations) + 1
    assert {q[6] for q in quotes[1:]} >= {"suqian_city_2023.txt", "suqian_city_2024.txt"}


def test_blank_cells_stay_blank_and_report_text_is_no_formula(tmp_path: Path) -> None:
    def value(agency: str, amount: Decimal | None, cite: int) -> Value:
        return Value(agency, 2023, "四", "cases", "review_total", "行政复议—总计", amount, "件", cite, "a.txt", agency)

    cite = Citation(1, "=HYPERLINK(\"x\")", "=cmd|'/c calc'!A1", "=1+1", 2023, "四、", 4, 3, 9, "=SUM(A1)")
    answer = Answer("q", "a", "table", values=(value("=1+1", Decimal(5), 1), value("乙", None, 2)),
                    citations=(cite, replace(cite, id=2, agency="乙")))
    book = _workbook(answer, tmp_path / "b.xlsx")
    data = [list(r) for r in book["数据"].iter_rows(values_only=True)]
    assert data[1][0] == "=1+1" and book["数据"]["A2"].data_type == "s"
    assert data[2][3] is None  # a blank cell is blank, not 0 or "—"
    assert all(c.data_type != "f" for row in book["引文"].iter_rows() for c in row)


def test_two_sessions_answering_at_once_never_share_an_export_file(assistant: Assistant, tmp_path: Path) -> None:
    """Each session numbers its answers from 1: the files of two sessions' first answers must stay apart."""
    from ui.app import _numbers

    first = _answer(assistant)
    second = assistant.ask("宿迁市2023年和2024年本年新收申请各多少件？")
    _, _, csv_a, xlsx_a = _numbers(first, number_table(first), tmp_path, 1)
    _, _, csv_b, xlsx_b = _numbers(second, number_table(second), tmp_path, 1)
    assert csv_a["value"] != csv_b["value"] and xlsx_a["value"] != xlsx_b["value"]
    assert Path(csv_a["value"]).name == Path(csv_b["value"]).name == "年报问答-1.csv"
    assert "440" in Path(csv_a["value"]).read_text(encoding="utf-8-sig")  # not overwritten by the second
