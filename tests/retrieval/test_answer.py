"""Answer records: a long list's listing is made when first read, once, and reads like the tuple it stands for."""

from __future__ import annotations

import json
from decimal import Decimal

from retrieval.answer import Answer, Listing, ListRow


def _rows() -> tuple[ListRow, ...]:
    return tuple(ListRow(f"单位{i}", 2023, "行政复议—总计", Decimal(i), "件", "ok", f"r{i}.txt", f"r{i}",
                         ("四/cases/review_total",), None) for i in range(5))


def test_a_listing_is_made_once_and_only_when_read() -> None:
    made = []

    def make() -> tuple[ListRow, ...]:
        made.append(1)
        return _rows()

    listing = Listing(make, 5)
    answer = Answer("q", "a", "table", listing=listing)
    assert len(answer.listing) == 5 and bool(answer.listing) and not made  # the text needs no rows
    assert answer.listing[2].value == 2 and list(answer.listing) == list(_rows()) and made == [1]
    assert listing == _rows() and listing == Listing(_rows, 5) and listing != _rows()[:4]
    assert json.dumps(answer.to_json(), ensure_ascii=False)  # serialised like a tuple of rows
    assert [r["value"] for r in answer.to_json()["listing"]] == [0, 1, 2, 3, 4] and made == [1]
