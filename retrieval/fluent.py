"""LLM mode: the rule-based answer first, then a language model makes it read naturally, checked by the guard.

1. **Plan.** When the rules cannot build a query (no table cells, no topic, nothing found), the model fills the same
   structured plan (:mod:`retrieval.plan`); a valid plan is answered from the stores by code.
2. **Narrative.** Passage answers are rewritten from the cited passages with ``[n]`` markers.
3. **Numeric.** The model phrases the answer around placeholders; code puts the cell values in.

Every sentence passes :func:`retrieval.guard.check_sentence` before the user sees it (so streaming goes sentence by
sentence). When the model fails, times out, returns garbage, or the guard leaves nothing (or loses a number), the
rule-based answer is returned with a warning. The model never supplies a number.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from core.numbers import fmt
from prompts import NARRATIVE, NUMERIC, PLAN
from retrieval.answer import Answer, Citation, Value
from retrieval.guard import (
    PLACEHOLDER,
    Verdict,
    check_sentence,
    complete_sentences,
    neutralise,
    split_sentences,
    tidy_markers,
)
from retrieval.lexicon import INTENTS
from retrieval.llm import LlmError, complete, stream_text
from retrieval.plan import COLUMNS, ROWS, PlanError, catalogue, intents, parse_plan, to_query
from retrieval.query import Query

PHRASED_OPS = ("value", "each", "sum", "compare", "change")  # lists, counts and checks keep their exact wording
MAX_PHRASED_VALUES = 16
_STATUS = {"missing": "报告中为空白", "ambiguous": "报告中无法辨认"}
_COUNTED = re.compile(r"（(\d+)([类项])合计）")
_ENUMERATION = re.compile(r"(?<![\d.])\d{1,2}[.．、](?!\d)")
_COMPUTED = ("sum", "difference", "change", "ratio", "count", "max", "min")


@dataclass
class _Run:
    """What one model answer went through: sentences kept and dropped, why it fell back."""

    kept: list[str] = field(default_factory=list)
    dropped: list[Verdict] = field(default_factory=list)
    withheld: int = 0


class FluentAssistant:
    """Wraps :class:`retrieval.assistant.Assistant`; same ``ask``, plus ``stream`` for the chat."""

    def __init__(self, assistant: Any, model: Any, timeout: float, lock: Any = None):
        self.assistant = assistant
        self.model = model
        self.timeout = timeout
        self.lock = lock if lock is not None else contextlib.nullcontext()

    def reload(self) -> None:
        self.assistant.reload()

    def close(self) -> None:
        self.assistant.close()

    def ask(self, question: str, history: Sequence[str | Answer] = (), today: date | None = None) -> Answer:
        final = None
        for item in self.stream(question, history, today):
            if isinstance(item, Answer):
                final = item
        assert final is not None
        return final

    def stream(self, question: str, history: Sequence[str | Answer] = (), today: date | None = None
               ) -> Iterator[str | Answer]:
        """The visible answer text as it grows (only checked sentences), then the final :class:`Answer`."""
        with self.lock:
            base = self.assistant.ask(question, history, today)
        deadline = time.monotonic() + self.timeout
        try:
            if _needs_plan(base):
                base = self._planned(base, deadline)
            if _phrasable(base):
                yield from self._phrase(base, deadline)
            elif base.kind == "passage" and any(c.cell is None for c in base.citations):
                yield from self._narrate(base, deadline)
            else:
                yield _mark(base, "skipped")
        except LlmError as exc:
            yield _fallback(base, f"{exc}，以下为不使用大模型的回答。", "error")

    # --------------------------------------------------------------------------------------------- plan

    def _planned(self, base: Answer, deadline: float) -> Answer:
        directory = self.assistant.directory
        years = "、".join(str(y) for y in sorted({r.covers_year for r in directory.reports if r.covers_year}))
        messages = PLAN.format_messages(catalogue=catalogue(), intents=intents(), years=years or "无",
                                        question=base.question)
        reply = complete(self.model, messages, _left(deadline, self.timeout), self.timeout)
        try:
            query = to_query(parse_plan(reply), base.question, directory)
            _same_scope(query, base.state)
        except PlanError as exc:
            return _mark(replace(base, warnings=(*base.warnings, f"大模型给出的查询计划无效，未执行（{exc}）。")),
                         "plan_rejected")
        with self.lock:
            answer = self.assistant.answer_query(query, base.question)
        if answer.kind == "none":
            return base
        note = f"此问题按大模型生成的查询计划回答（{_describe(query)}），数字取自报告表格。"
        return replace(answer, warnings=(note, *answer.warnings),
                       understood={**answer.understood, "plan": "llm"})

    # ------------------------------------------------------------------------------------------ numeric

    def _phrase(self, base: Answer, deadline: float) -> Iterator[str | Answer]:
        varying = _varying(base.values)
        fills = {i: _fill(v, varying) for i, v in enumerate(base.values, 1)}
        facts = "\n".join(f"{{v{i}}}：{_describe_value(v)}" for i, v in enumerate(base.values, 1))
        sources = {c.id: _source_text(c) for c in base.citations}
        years = frozenset(str(c.covers_year) for c in base.citations if c.covers_year)
        given = tuple({part for v in base.values for part in (_clean_label(v.label), v.agency or "")})
        agencies = self._agencies()

        def check(sentence: str) -> Verdict:
            return check_sentence(sentence, sources, placeholders=fills, allowed_numbers=years, agencies=agencies,
                                  given=given)

        def fill(sentence: str) -> str:
            return PLACEHOLDER.sub(lambda m: fills[int(m.group(1))], sentence)

        run = _Run()
        messages = NUMERIC.format_messages(question=base.question, facts=facts)
        yield from _guarded(stream_text(self.model, messages, _left(deadline, self.timeout), self.timeout), check, fill, run)
        used = {int(p) for s in run.kept for p in PLACEHOLDER.findall(s)}
        if not run.kept:
            yield _fallback(base, _why(run, "大模型的回答没有一句能在表格中核实"), "guard")
        elif used != set(fills):
            yield _fallback(base, _why(run, "大模型的回答漏掉了部分数字"), "guard")
        else:
            yield self._final(base, "".join(fill(s) for s in run.kept), run)

    # ---------------------------------------------------------------------------------------- narrative

    def _narrate(self, base: Answer, deadline: float) -> Iterator[str | Answer]:
        run = _Run()
        sources: dict[int, str] = {}
        for c in base.citations:
            text, withheld = neutralise(_source_text(c))
            sources[c.id] = text
            run.withheld += withheld
        shown = "\n\n".join(f"[{i}] {text}" for i, text in sources.items())

        agencies = self._agencies()

        def check(sentence: str) -> Verdict:
            return check_sentence(sentence, sources, agencies=agencies)

        messages = NARRATIVE.format_messages(question=base.question, sources=shown)
        yield from _guarded(stream_text(self.model, messages, _left(deadline, self.timeout), self.timeout), check, str, run)
        if not run.kept:
            yield _fallback(base, _why(run, "大模型的回答没有一句能在原文中核实"), "guard")
        else:
            yield self._final(base, "".join(run.kept), run)

    def _final(self, base: Answer, text: str, run: _Run) -> Answer:
        warnings = base.warnings
        told = [v for v in run.dropped if not v.quiet]
        if told:
            reasons = "；".join(dict.fromkeys(v.reason for v in told))
            warnings = (*warnings, f"大模型回答中有 {len(told)} 句无法在来源中核实（{reasons}），已删去。")
        llm = {"status": "used", "dropped": len(run.dropped), "withheld_instructions": run.withheld}
        return replace(base, answer=text.strip(), warnings=warnings, composer="llm",
                       understood={**base.understood, "llm": llm})

    def _agencies(self) -> frozenset[str]:
        return frozenset(a.name for a in self.assistant.directory.agencies)


def _guarded(pieces: Iterator[str], check: Callable[[str], Verdict], fill: Callable[[str], str],
             run: _Run) -> Iterator[str]:
    """Stream checked sentences: yields the visible text each time a sentence passes."""
    buffer = ""

    def take(sentences: list[str]) -> bool:
        grew = False
        for sentence in map(tidy_markers, sentences):
            verdict = check(sentence)
            if verdict.kept:
                run.kept.append(sentence)
                grew = True
            else:
                run.dropped.append(verdict)
        return grew

    for piece in pieces:
        buffer += piece
        done, buffer = complete_sentences(buffer)
        if take(done):
            yield "".join(fill(s) for s in run.kept)
    if take(split_sentences(buffer)):
        yield "".join(fill(s) for s in run.kept)


def _same_scope(plan: Query, asked: Query) -> None:
    """A plan answers the question asked: the agencies and years the question names (as the rules read them), no
    other ones."""
    if set(plan.years) != set(asked.years) and (asked.years or asked.recent or plan.years):
        raise PlanError(f"计划的年度（{_years(plan.years)}）与问题（{_years(asked.years)}）不符")
    if set(plan.agencies) != set(asked.agencies) and (asked.agency_words or plan.agencies):
        raise PlanError(f"计划的单位（{'、'.join(plan.agencies) or '未指定'}）与问题"
                        f"（{'、'.join(asked.agencies) or '未指定'}）不符")


def _years(years: Sequence[int]) -> str:
    return "、".join(f"{y}年" for y in years) or "未指定"


def _needs_plan(base: Answer) -> bool:
    q = base.state
    # the rules found neither table cells nor a topic, and nothing answered: a model may understand it better
    return (base.kind == "none" and isinstance(q, Query) and not q.needs_context and not q.unknown_agencies
            and not q.measures and q.intent is None)


def _phrasable(base: Answer) -> bool:
    q = base.state
    return (base.kind == "table" and isinstance(q, Query) and q.op in PHRASED_OPS and bool(base.values)
            and len(base.values) <= MAX_PHRASED_VALUES)


def _left(deadline: float, timeout: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise LlmError(f"大模型在 {timeout:g} 秒内没有答完")
    return left


def _mark(answer: Answer, status: str) -> Answer:
    return replace(answer, understood={**answer.understood, "llm": {"status": status}})


def _fallback(base: Answer, warning: str, status: str) -> Answer:
    return replace(base, warnings=(*base.warnings, warning), composer="rules",
                   understood={**base.understood, "llm": {"status": "fallback", "reason": status}})


def _why(run: _Run, headline: str) -> str:
    reasons = "；".join(dict.fromkeys(v.reason for v in run.dropped)) or ("未用上全部数字" if run.kept else "没有内容")
    return f"{headline}（{reasons}），以下为不使用大模型的回答。"


def _varying(values: Sequence[Value]) -> frozenset[str]:
    """Which of agency, year and label differ between the values: a fill names those, so a model that puts a
    placeholder in the wrong place cannot make a number look like another agency's, year's or cell's."""
    stated = [v for v in values if v.op in ("cell", "quote")]  # computed values carry their formula instead
    dims: dict[str, set[object]] = {"agency": {v.agency for v in stated}, "year": {v.covers_year for v in stated},
            "label": {v.label for v in stated}}
    return frozenset(k for k, seen in dims.items() if len(seen) > 1)


def _fill(v: Value, varying: frozenset[str] = frozenset()) -> str:
    """What code writes in place of a placeholder: the number, its unit, what it is and where it comes from."""
    marks = "".join(f"[{n}]" for n in ((v.citation,) if v.citation else v.of))
    parts = {"agency": v.agency or "", "year": f"{v.covers_year}年" if v.covers_year else "", "label": v.label}
    who = "".join(parts[k] for k in ("agency", "year", "label") if k in varying) if v.op in ("cell", "quote") else ""
    if v.value is None:
        return f"（{who}{_STATUS.get(v.status, '无数值')}）{marks}"
    if v.op in ("change", "difference"):
        direction = "增加" if v.value > 0 else "减少" if v.value < 0 else "持平，变化"
        return f"{direction}{fmt(abs(v.value))}{v.unit}（{v.formula}）{marks}"
    formula = f"，{v.formula}" if v.op in _COMPUTED and v.formula else ""
    note = f"（{who}{formula}）" if who or formula else ""
    return f"{fmt(v.value)}{v.unit}{note}{marks}"


def _clean_label(label: str) -> str:
    """"（5类合计）", "—1.信访举报投诉类申请": digits in labels the model must not take for values."""
    return _ENUMERATION.sub("", _COUNTED.sub(r"（各\2合计）", label))


def _describe_value(v: Value) -> str:
    who = f"{v.agency or ''}{f'{v.covers_year}年' if v.covers_year else ''}"
    kind = {"sum": "合计", "difference": "差值（已含方向）", "change": "变化量（已含方向）", "ratio": "比例",
            "count": "个数", "max": "最大值", "min": "最小值"}.get(v.op, "")
    return f"{who} {_clean_label(v.label)}{'（' + kind + '）' if kind else ''}"


def _describe(q: Query) -> str:
    parts = ["、".join(q.agencies) or "所有单位", "、".join(f"{y}年" for y in q.years) or "所有年度"]
    if q.measures:
        parts.append("、".join(f"表{m.table}“{_label(ROWS[m.table], m.row)}"
                               f"{'—' + _label(COLUMNS[m.table], m.column) if m.column else ''}”" for m in q.measures))
    elif q.intent:
        parts.append(f"话题“{next((i.label for i in INTENTS if i.key == q.intent), q.intent)}”")
    return "；".join(parts)


def _label(concepts: Sequence[Any], key: str) -> str:
    return next((c.label for c in concepts if c.key == key), key)


def _source_text(c: Citation) -> str:
    head = f"单位：{c.agency or '未识别'} 年度：{c.covers_year or '未识别'} 章节：{c.section or ''}"
    if c.cell is not None:
        row = "；".join(f"{r.label} {r.value}" for r in c.row)
        return f"{head}\n表{c.cell.table}：{c.quote}\n{row}"
    return f"{head}\n{c.context or c.quote}"


def with_llm(assistant: Any, settings: Any, lock: Any = None) -> Any:
    """The assistant the settings ask for: wrapped in LLM mode when an endpoint is configured."""
    from retrieval.llm import make_chat_model

    model = make_chat_model(settings)
    return assistant if model is None else FluentAssistant(assistant, model, settings.llm_timeout, lock)
