import pytest

from retrieval.assistant import Assistant
from retrieval.plan import PlanError, catalogue, parse_plan, to_query
from retrieval.query import Measure


def test_a_valid_plan_becomes_a_query(assistant: Assistant) -> None:
    plan = parse_plan('好的：```json\n{"agencies": ["宿迁市"], "years": [2023, "2024年"], '
                      '"measures": [{"table": "表四", "row": "suit", "column": "corrected"}], "op": "each"}\n```')
    q = to_query(plan, "宿迁市老百姓告政府输了几次？", assistant.directory)
    assert q.agencies == ("宿迁市",) and q.years == (2023, 2024)
    assert q.measures == (Measure("四", "suit", "corrected"),) and q.op == "each"


def test_unknown_agencies_are_kept_apart(assistant: Assistant) -> None:
    q = to_query({"agencies": ["南京市"], "intent": "problems"}, "南京市有什么问题", assistant.directory)
    assert q.agencies == () and q.unknown_agencies == ("南京市",) and q.op == "passage"


@pytest.mark.parametrize("plan", [
    {"measures": [{"table": "五", "row": "review"}]},
    {"measures": [{"table": "四", "row": "lawsuits"}]},
    {"measures": [{"table": "四", "row": "review", "column": "DROP TABLE cells"}]},
    {"measures": [{"table": "四", "row": "review"}], "op": "sql"},
    {"measures": [{"table": "四", "row": "review"}], "years": [1999]},
    {"measures": [{"table": "四", "row": "review"}], "condition": {"op": "like", "threshold": 1}},
    {"measures": [{"table": "四", "row": "review"}], "condition": {"op": ">", "threshold": "abc"}},
    {"intent": "weather"},
    {"measures": "review"},
    {},
])
def test_invalid_plans_are_rejected(plan: dict, assistant: Assistant) -> None:
    with pytest.raises(PlanError):
        to_query(plan, "问题", assistant.directory)


def test_replies_that_are_not_json_are_rejected() -> None:
    for reply in ("我不知道", "{not json}", "[1, 2]"):
        with pytest.raises(PlanError):
            parse_plan(reply)


def test_catalogue_lists_every_table_with_keys() -> None:
    text = catalogue()
    assert "suit=行政诉讼" in text and "new_applications=本年新收政府信息公开申请数量" in text and "issued=本年制发件数" in text
