"""Example questions name the store's own agencies and years, and each is answered from the store with sources."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.settings import Settings
from ui.examples import MAX_EXAMPLES, example_questions
from ui.service import Service


@dataclass(frozen=True)
class Row:
    agency: str
    year: int | str
    ok: int


def test_examples_name_the_commonest_year_its_best_read_agencies_and_the_longest_series() -> None:
    rows = [Row("甲市", 2023, 200), Row("乙县", 2023, 150), Row("丙区", 2023, 199), Row("甲市", 2022, 200),
            Row("丁局", 2021, 200), Row("未识别", 2023, 300)]
    questions = example_questions(rows)
    assert len(questions) == MAX_EXAMPLES
    assert questions[0] == "2023年哪些单位收到了政府信息公开申请？"
    assert questions[1] == "甲市和丙区2023年行政复议各多少件？"  # most cells read first; 未识别 is no name
    assert "甲市2022年和2023年新收的政府信息公开申请各多少件？" in questions
    assert all("丁局" not in q and "未识别" not in q for q in questions)


def test_one_agency_gets_single_agency_questions_and_an_empty_store_the_fallback() -> None:
    questions = example_questions([Row("甲市", 2024, 10)])
    assert questions[0] == "甲市2024年行政复议多少件？" and not any("哪些单位" in q or "和" in q for q in questions)
    assert example_questions([], ["示例"]) == ["示例"]
    assert example_questions([Row("未识别", "未识别", 0)], ["示例"]) == ["示例"]


def test_every_example_over_the_samples_is_answered_with_sources(tmp_path: Path) -> None:
    service = Service.open(Settings.from_env(env={}, data_dir=tmp_path, embedding_backend="fake"))
    try:
        service.ensure_samples()
        agencies = {r.agency for r in service.reports()}
        questions = service.examples(["不会用到"])
        assert len(questions) >= 4
        for question in questions:
            assert any(a in question for a in agencies) or "哪些单位" in question
            answer = service.ask(question)
            assert answer.kind != "none" and answer.citations, (question, answer.answer)
    finally:
        service.close()
