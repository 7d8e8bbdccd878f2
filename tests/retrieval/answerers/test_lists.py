"""Which reports: one cell of each report against its own other cell."""

from __future__ import annotations

from retrieval.assistant import Assistant


def test_reports_whose_repealed_exceed_their_issued(real_assistant: Assistant) -> None:
    # 表二 行政规范性文件 制发/废止: 宿迁市2023 109/489, 宿迁市2024 50/227, 沭阳县2025 6/1
    a = real_assistant.ask("江苏这几份报告里，哪几份行政规范性文件废止的比新发的还多？")
    assert a.understood["condition"] == ">第二项" and a.understood["op"] == "list"
    named = {real_assistant.reports[r].source for r in a.matches}
    assert named == {"suqian_city_2023.txt", "suqian_city_2024.txt"}
    assert "489件" in a.answer and "109件" in a.answer and "沭阳县" in a.answer.split("其余")[1]
    assert "平潭" not in a.answer and "上海" not in a.answer  # 江苏 only
