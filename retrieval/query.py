"""The understood question: which reports (agencies, years), which cells, what to do with them, or which topic.

Built by the rules (:mod:`retrieval.understand`) or from a model's plan (:mod:`retrieval.plan`), answered by the
answerers (:mod:`retrieval.answerers`). ``Op`` is the one list of operations every part uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, get_args

#: what to do with the cells or passages: one value / each of several; which reports meet a condition (list) or how
#: many (count); whether a value meets a condition (threshold: 是/否); a sum, the difference of two, the change
#: between years; the check findings; which template a report uses; what the narrative states beside the cells
#: (text_and_table); a quoted passage, or one passage per report (passage_list)
Op = Literal["value", "each", "list", "count", "threshold", "sum", "compare", "change", "consistency", "template",
             "text_and_table", "passage", "passage_list"]
OPS: tuple[Op, ...] = get_args(Op)
#: a condition on a value: a comparison with a threshold; the largest/smallest; blank; every value (as a list)
CondOp = Literal[">", ">=", "=", "<", "<=", "max", "min", "blank", "all"]
COND_OPS: tuple[CondOp, ...] = get_args(CondOp)


@dataclass(frozen=True)
class Measure:
    table: str  # 二 | 三 | 四
    row: str  # concept key (表四: the case category)
    column: str | None  # concept key (表四: the outcome); None = the table's default


@dataclass(frozen=True)
class Condition:
    op: CondOp
    threshold: Decimal | None = None
    #: compared with the report's own second cell instead of a number: "废止的比新发的还多" (first measure > second)
    versus_second: bool = False
    #: the threshold was written with 万/亿 ("上亿", "过一百万"): a sum of money in 元, compared with a 万元 cell
    #: as threshold / 10000 万元
    in_wan: bool = False


@dataclass(frozen=True)
class Query:
    text: str
    agencies: tuple[str, ...] = ()  # Agency.name; () = every agency
    agency_words: tuple[str, ...] = ()
    unknown_agencies: tuple[str, ...] = ()
    years: tuple[int, ...] = ()  # () = every year
    recent: int = 0  # 近N年
    measures: tuple[Measure, ...] = ()
    op: Op = "value"
    condition: Condition | None = None
    intent: str | None = None
    search_text: str = ""  # what narrative search looks for
    followup: bool = False
    needs_context: bool = False  # a follow-up ("其中纠正多少？") asked without a question before it
    unexplained: tuple[str, ...] = ()  # content words of the question nothing above accounts for
    repaired: tuple[str, ...] = ()  # place names typed one confusable character off (沐阳县), read as the real one
    respelled: tuple[tuple[str, str], ...] = ()  # homophones typed for lexicon words: (规范姓文件, 规范性文件)
    #: the clauses of a two-part question that only the text can answer ("网站上主动公开了多少条？"), searched in
    #: the passages beside the cells the other clauses name
    text_part: str = ""
    before: Query | None = None  # the turn a follow-up continues (one level: its own ``before`` is dropped)
    also: tuple[Query, ...] = ()  # earlier turns whose reports this one covers too: "两家加起来多少？"

    def slots(self) -> dict[str, object]:
        return {"agencies": list(self.agencies), "unknown_agencies": list(self.unknown_agencies),
                "years": list(self.years), "recent": self.recent,
                "measures": [f"表{m.table}:{m.row}/{m.column or '默认'}" for m in self.measures], "op": self.op,
                "condition": None if self.condition is None else
                f"{self.condition.op}{'第二项' if self.condition.versus_second else ''}"
                f"{'' if self.condition.threshold is None else self.condition.threshold}",
                "intent": self.intent, "followup": self.followup, "unexplained": list(self.unexplained),
                **({"also": [{"agencies": list(x.agencies), "years": list(x.years)} for x in self.also]}
                   if self.also else {})}
