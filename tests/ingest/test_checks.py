"""勾稽关系 on hand-built cells: what breaks is reported with expected vs printed; blanks are never assumed 0."""

from __future__ import annotations

from decimal import Decimal

from core.records import Cell
from core.template import cell_specs
from ingest.checks import check_report, check_years


def _cells(template: str, values: dict[tuple[str, str, str], int | None]) -> list[Cell]:
    out = []
    for spec in cell_specs(template):
        if spec.row.key in ("other_overdue_correction", "other_unpaid_fee", "other_other"):
            continue
        value = values.get(spec.key, 0)
        status = "ok" if value is not None else "missing"
        out.append(Cell(*spec.key, None if value is None else Decimal(value), status, spec.row.label,
                        spec.column.label))
    return out


def _relations(findings) -> set[tuple[str, str, str, int, int]]:
    return {(f.relation, f.row, f.column, int(f.expected), int(f.printed)) for f in findings}


def test_a_consistent_report_has_no_findings() -> None:
    assert check_report(_cells("2021", {})) == []


def test_row_total_column_balance_and_results_sum() -> None:
    values = {("三", "new_applications", "natural_person"): 5, ("三", "new_applications", "total"): 5,
              ("三", "granted", "natural_person"): 5, ("三", "granted", "total"): 5,
              ("三", "total_handled", "natural_person"): 5, ("三", "total_handled", "total"): 6}
    found = _relations(check_report(_cells("2021", values)))
    assert found == {("t3_row_total", "total_handled", "total", 5, 6),
                     ("t3_balance", "total_handled", "total", 5, 6),
                     ("t3_results_total", "total_handled", "total", 5, 6)}


def test_table_four_group_totals() -> None:
    values = {("四", "cases", "review_upheld"): 10, ("四", "cases", "review_corrected"): 1}
    assert _relations(check_report(_cells("2021", values))) == {("t4_total", "cases", "review_total", 11, 0)}


def test_a_relation_over_a_blank_cell_is_not_checked() -> None:
    values = {("四", "cases", "review_upheld"): 10, ("四", "cases", "review_total"): None}
    assert check_report(_cells("2021", values)) == []


def test_cross_year_carry_over_per_column_and_in_force() -> None:
    earlier = _cells("2021", {("三", "carried_forward", "natural_person"): 3, ("三", "carried_forward", "total"): 3,
                              ("三", "new_applications", "natural_person"): 3, ("三", "new_applications", "total"): 3,
                              ("二", "rules", "in_force"): 10})
    later = _cells("2021", {("三", "carried_over", "natural_person"): 2, ("三", "carried_over", "total"): 2,
                            ("三", "total_handled", "natural_person"): 2, ("三", "total_handled", "total"): 2,
                            ("二", "rules", "issued"): 1, ("二", "rules", "in_force"): 12})
    found = _relations(check_years(later, earlier, "r2020", 2020))
    assert found == {("cross_year_carry_over", "carried_over", "natural_person", 3, 2),
                     ("cross_year_carry_over", "carried_over", "total", 3, 2),
                     ("cross_year_in_force", "rules", "in_force", 11, 12)}


def test_cross_year_2019_template_items_and_published_totals() -> None:
    earlier = _cells("2019", {("二", "licensing", "previous_items"): 20, ("二", "licensing", "change"): -3,
                              ("二", "rules", "total_published"): 7})
    later = _cells("2019", {("二", "licensing", "previous_items"): 18, ("二", "rules", "newly_published"): 2,
                            ("二", "rules", "total_published"): 9})
    assert _relations(check_years(later, earlier, "r2019", 2019)) == {
        ("cross_year_items", "licensing", "previous_items", 17, 18)}
