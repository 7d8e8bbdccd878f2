"""The paths taken only on big corpora give the answers of the plain paths: thresholds are lowered so a corpus of
120 generated reports goes through them, and each is compared with the straightforward computation."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

import numpy as np
import pytest

import retrieval.answerers.lists as lists_module
import retrieval.answerers.quotes as quotes_module
import retrieval.corpus as corpus_module
import retrieval.passages as passages
from core.settings import Settings
from ingest.pipeline import Ingestor
from retrieval.answerers.lists import holding as _holding
from retrieval.assistant import Assistant
from retrieval.facts import facts, first_values
from retrieval.query import Condition, Measure
from synthetic.corpus import write_corpus


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("scale")
    write_corpus(root / "corpus", 120, seed=5)
    settings = Settings.from_env(env={}, data_dir=root / "data", embedding_backend="fake")
    ingestor = Ingestor.open(settings)
    paths = sorted((root / "corpus").rglob("report_*"))
    assert sum(r.status == "added" for r in ingestor.ingest_many(paths, workers=1)) >= 115
    ingestor.close()
    return settings


@pytest.fixture
def assistant(settings: Settings) -> Iterator[Assistant]:
    a = Assistant.open(settings)
    yield a
    a.close()


def test_a_long_list_names_the_largest_and_lists_every_value(assistant: Assistant, monkeypatch) -> None:
    question = "2021年哪些单位收到了政府信息公开申请？"
    full = assistant.ask(question)
    assert not full.listing  # a short list states every value in its text
    monkeypatch.setattr(lists_module, "LIST_LIMIT", 5)
    short = assistant.ask(question)
    values = {(v.report_id, v.value) for v in full.values if v.op == "cell"}
    assert len(values) > 10
    assert {(r.report_id, r.value) for r in short.listing} == values  # every report's value in the listing
    assert all(r.cells == ("三/new_applications/total",) for r in short.listing)
    named = [v for v in short.values if v.op == "cell"]
    assert len(named) == 5 and len(short.citations) == 5 and all(v.citation for v in named)
    positive = sorted((v.value for v in full.values if v.op == "cell" and v.value), reverse=True)
    assert sorted((v.value for v in named), reverse=True) == positive[:5]  # the five largest
    assert {(r.report_id, r.citation) for r in short.listing if r.citation} == {(v.report_id, v.citation)
                                                                                 for v in named}
    assert f"共 {len(positive)} 份" in short.answer and "全部数值见数值表" in short.answer
    counted = [v for v in short.values if v.op == "count"]
    assert [v.value for v in counted] == [len(positive)] and counted[0].formula == f"count = {len(positive)}"
    assert len(short.to_json()["listing"]) == len(values)


def test_a_long_list_counts_what_the_short_list_names(assistant: Assistant, monkeypatch) -> None:
    question = "2021年哪些单位行政复议多于1件？"
    full = assistant.ask(question)
    rest = [line for line in full.answer.splitlines() if line.startswith("其余：")]
    assert len(full.matches) > 1 and rest
    monkeypatch.setattr(lists_module, "LIST_LIMIT", 1)
    short = assistant.ask(question)
    assert set(short.matches) == set(full.matches)  # the same reports meet the condition
    assert f"共 {len(full.matches)} 份" in short.answer
    assert f"其余 {rest[0].count('；') + 1} 份报告不满足此条件" in short.answer


def test_a_value_asked_of_more_reports_than_a_list_names_is_answered_as_a_list(assistant: Assistant,
                                                                               monkeypatch) -> None:
    question = "2021年新收政府信息公开申请数量是多少？"  # no agency: every 2021 report
    full = assistant.ask(question)
    per_report = {(v.report_id, v.value) for v in full.values if v.op == "cell"}
    assert len(per_report) > 10 and not full.listing  # few reports: one line each
    monkeypatch.setattr(lists_module, "LIST_LIMIT", 5)
    short = assistant.ask(question)
    assert {(r.report_id, r.value) for r in short.listing} == per_report  # every value, in the number table
    assert len([v for v in short.values if v.op == "cell"]) == 5 and len(short.citations) == 5
    assert f"有数值的有（共 {len(per_report)} 份" in short.answer and short.answer.count("\n") < 4
    assert set(short.matches) == {r for r, _ in per_report}
    assert assistant.ask("2021年哪些单位新收政府信息公开申请数量超过3件？").answer != short.answer


def test_two_values_asked_of_many_reports_are_two_lists_each_citing_its_own_cells(assistant: Assistant,
                                                                                  monkeypatch) -> None:
    question = "2021年行政复议纠正和维持各多少件？"  # one cell each
    full = assistant.ask(question)
    per_report = {(v.report_id, f"{v.table}/{v.row}/{v.column}", v.value) for v in full.values if v.op == "cell"}
    monkeypatch.setattr(lists_module, "LIST_LIMIT", 3)
    short = assistant.ask(question)
    rows = list(short.listing)
    assert {(r.report_id, r.cells[0], r.value) for r in rows} == per_report
    assert len({r.cells[0] for r in rows}) == 2 and short.answer.count("有数值的有（共") == 2
    cited = {v.citation: (v.report_id, f"{v.table}/{v.row}/{v.column}") for v in short.values if v.op == "cell"}
    assert len(cited) >= 6  # three named per measure (and the unusable ones, when few)
    for r in rows:  # a row's citation is its own report's cell of its own measure
        if r.citation is not None:
            assert cited[r.citation] == (r.report_id, r.cells[0])
    assert sum(r.citation is not None for r in rows) == len(cited)


def test_a_year_list_indexes_the_year_once(assistant: Assistant, monkeypatch) -> None:
    made = []
    real = corpus_module.ReportIndex.of
    monkeypatch.setattr(corpus_module.ReportIndex, "of", lambda reports: made.append(len(reports)) or real(reports))
    assistant.reload()
    made.clear()
    first = assistant.ask("2021年哪些单位收到了政府信息公开申请？")
    second = assistant.ask("2021年哪些单位行政复议多于1件？")
    again = assistant.ask("2021年哪些单位收到了政府信息公开申请？")
    assert len(made) == 1 and made[0] == first.examined  # the year's index, made for its first list only
    assert again.answer == first.answer and second.matches
    assistant.ask("哪些单位收到了政府信息公开申请？")  # every report: the index made with the report list
    assert len(made) == 1


@pytest.mark.parametrize("measure", [
    Measure("三", "new_applications", None), Measure("三", "withheld", None),  # 不予公开 = the sum of its reasons
    Measure("三", "total_handled", "natural_person"), Measure("四", "review", "corrected"), Measure("四", "suit", None),
    Measure("二", "rules", None), Measure("二", "licensing", None), Measure("二", "fees", "fee_amount")])
@pytest.mark.parametrize("unfiltered", [False, True])
def test_first_values_equal_the_first_part_of_the_full_facts(assistant: Assistant, measure: Measure,
                                                             unfiltered: bool) -> None:
    reports = sorted(assistant.reports.values(), key=lambda r: r.id)[::2]  # half the store, both templates
    assert {r.template for r in reports} == {"2019", "2021"}
    columns = first_values(assistant.store, reports, measure, unfiltered=unfiltered)
    light = [columns.row(i) for i in range(len(columns))]
    full = facts(assistant.store, reports, measure)
    assert [r.report.id for r in light] == [f.report.id for f in full] == [r.id for r in reports]
    assert [r.value is not None for r in light] == columns.present.tolist()
    got = [(r.value, r.status, r.kind, r.unit, r.keys) for r in light]
    want = [(f.parts[0].value, f.parts[0].status, f.parts[0].kind, f.parts[0].unit, f.parts[0].keys) if f.parts
            else (None, "no_part", "", "", ()) for f in full]
    assert got == want
    assert any(v is not None for v, *_ in got)


@pytest.mark.parametrize("measure", [Measure("三", "new_applications", None), Measure("二", "fees", "fee_amount"),
                                     Measure("三", "withheld", None)])
def test_conditions_on_the_columns_equal_decimal_comparisons(assistant: Assistant, measure: Measure) -> None:
    reports = sorted(assistant.reports.values(), key=lambda r: r.id)
    columns = first_values(assistant.store, reports, measure)
    values = [columns.value(i) for i in range(len(columns))]
    assert any(v is not None and v != v.to_integral_value() for v in values) or measure.table != "二"
    compare = {">": lambda v, t: v > t, ">=": lambda v, t: v >= t, "=": lambda v, t: v == t,
               "<": lambda v, t: v < t, "<=": lambda v, t: v <= t}
    present = sorted({v for v in values if v is not None})
    for threshold in {Decimal(0), Decimal("2.5"), Decimal("0.00001"), present[len(present) // 2], present[-1]}:
        for op, test in compare.items():
            want = [v is not None and test(v, threshold) for v in values]
            assert _holding(columns, Condition(op, threshold)).tolist() == want, (op, threshold)


def test_dense_search_by_id_and_by_over_fetch_agree_with_a_filtered_query(assistant: Assistant, monkeypatch) -> None:
    search = assistant.search
    index = assistant.index
    assert index is not None
    reports = sorted(assistant.reports)[:30]
    text = "政务公开工作存在的问题"
    vector = index.embeddings.embed_query(text)
    got = index.collection.query(query_embeddings=[vector], n_results=10, include=["distances"],
                                 where={"report_id": {"$in": reports}})
    want = [1 - d for d in got["distances"][0]]  # cosine similarity; identical boilerplate ties, in any order

    def similarities(ids: list[str]) -> list[float]:
        vectors = index.collection.get(ids=ids, include=["embeddings"])
        by_id = dict(zip(vectors["ids"], vectors["embeddings"], strict=True))
        return [float(np.dot(by_id[i], vector) / (np.linalg.norm(by_id[i]) * np.linalg.norm(vector))) for i in ids]

    by_id = search._dense(text, set(reports), 10)  # 30 reports ≤ BY_ID: their vectors compared here
    assert all(i.split(":")[0] in reports for i in by_id)
    assert similarities(by_id) == pytest.approx(want, abs=1e-5)
    monkeypatch.setattr(passages, "BY_ID", 0)
    monkeypatch.setattr(passages, "MAX_NEIGHBOURS", 10_000)
    over = search._dense(text, set(reports), 10)  # the index unfiltered, then these reports kept
    assert all(i.split(":")[0] in reports for i in over)
    assert similarities(over) == pytest.approx(want, abs=1e-5)


def test_lexical_search_inside_report_ranges_equals_the_filtered_index(assistant: Assistant, monkeypatch) -> None:
    store = assistant.store
    reports = set(sorted(assistant.reports)[:12])
    terms = ["培训", "政务公开", "网站"]
    narrow = store.search_terms(terms, reports, 15)
    monkeypatch.setattr("store.sqlite.FEW_REPORTS", 0)
    wide = store.search_terms(terms, reports, 15)
    assert narrow and narrow == wide  # the same chunks, scores and order


def test_very_common_terms_are_not_looked_up_on_big_corpora(assistant: Assistant, monkeypatch) -> None:
    search = assistant.search
    terms = search.terms("哪些单位开展了政务公开业务培训")
    monkeypatch.setattr(passages, "COMMON", 0.05)
    kept = search.match_terms(terms)
    rare = [t for t in terms if search._df_of(t) <= 0.05 * search._n]
    assert kept  # never nothing: when every term is common, the two rarest
    assert set(kept) == set(rare[:8]) if rare else kept == sorted(terms, key=search._df_of)[:2]
    assert len(kept) < len(terms)
    monkeypatch.setattr(passages, "PRUNE_FROM", 0)
    answer = assistant.ask("哪些单位开展了政务公开业务培训？")
    assert answer.kind == "passage" and answer.citations
    assert all("培训" in c.quote for c in answer.citations)


def test_requiring_every_term_narrows_the_match_and_keeps_the_scores(assistant: Assistant) -> None:
    store = assistant.store
    terms = ["培训", "业务"]
    both = store.search_terms(terms, None, 500, every=True)
    assert both
    texts = store.chunks_by_id([cid for cid, _ in both])
    assert all("培训" in chunk.text and "业务" in chunk.text for _, chunk in texts.values())
    anyone = dict(store.search_terms(terms, None, 10_000))
    assert [s for _, s in both] == pytest.approx([anyone[cid] for cid, _ in both])  # the same BM25 scores
    assert len(anyone) > len(both)


def test_a_passage_list_at_its_limit_does_not_claim_a_total(assistant: Assistant, monkeypatch) -> None:
    monkeypatch.setattr(quotes_module, "PASSAGE_LIST", 3)
    answer = assistant.ask("哪些单位开展了政务公开业务培训？")
    assert "按相关度列出最相关的" in answer.answer and "份有相关内容" not in answer.answer
    assert 0 < len(answer.matches) <= 3


def test_a_write_by_another_process_is_seen_on_the_next_question(settings: Settings, assistant: Assistant) -> None:
    before = len(assistant.reports)
    other = Ingestor.open(settings)
    victim = sorted(other.cells.report_ids())[0]
    stored = other.cells.report(victim)
    assert stored is not None and stored.meta.agency and stored.meta.covers_year
    assert other.remove(victim)
    other.close()
    assistant.ask(f"{stored.meta.agency}{stored.meta.covers_year}年行政复议总计多少件？")
    assert len(assistant.reports) == before - 1 and victim not in assistant.reports


def test_report_counts_in_one_query_equal_the_per_report_counts(assistant: Assistant) -> None:
    store = assistant.store
    every = store.report_counts()
    assert set(every) == store.report_ids()
    for rid in sorted(every)[:20]:
        assert every[rid] == store.counts(rid)
    assert any(c.get("findings", 0) for c in every.values())  # some generated reports are broken
    assert all(isinstance(n, int) for c in every.values() for n in c.values())
    assert Decimal(sum(c.get("ok", 0) for c in every.values())) > 0
