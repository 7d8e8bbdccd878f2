"""core.parallel.bounded_map: input order, one or more processes, and a bounded number of inputs taken ahead."""

from __future__ import annotations

import itertools
import os
import time
from collections.abc import Iterator

import pytest

from core.parallel import bounded_map


def square(x: int) -> int:
    return x * x


def slow_when_even(x: int) -> int:
    """Even inputs finish last, so a map that yielded in completion order would come out shuffled."""
    time.sleep(0.02 if x % 2 == 0 else 0.0)
    return x


def worker_pid(_: int) -> int:
    time.sleep(0.01)
    return os.getpid()


def fail_on_three(x: int) -> int:
    if x == 3:
        raise ValueError("three")
    return x


class Counted:
    """An input iterator that records how many items were pulled from it."""

    def __init__(self, items: Iterator[int]):
        self.items = items
        self.pulled = 0

    def __iter__(self) -> Iterator[int]:
        for item in self.items:
            self.pulled += 1
            yield item


@pytest.mark.parametrize("workers", [1, 2])
def test_results_in_input_order(workers: int) -> None:
    assert list(bounded_map(square, range(50), workers)) == [x * x for x in range(50)]


def test_order_holds_when_later_inputs_finish_first() -> None:
    assert list(bounded_map(slow_when_even, range(12), 2, window=4)) == list(range(12))


@pytest.mark.parametrize("workers", [1, 2])
def test_empty_input(workers: int) -> None:
    assert list(bounded_map(square, [], workers)) == []


def test_two_workers_use_other_processes() -> None:
    pids = set(bounded_map(worker_pid, range(8), 2, window=4))
    assert os.getpid() not in pids
    assert 1 <= len(pids) <= 2


@pytest.mark.parametrize("workers", [1, 2])
def test_an_error_in_fn_reaches_the_consumer(workers: int) -> None:
    results = bounded_map(fail_on_three, range(10), workers, window=2)
    assert [next(results) for _ in range(3)] == [0, 1, 2]
    with pytest.raises(ValueError, match="three"):
        next(results)


def test_one_worker_consumes_lazily() -> None:
    source = Counted(itertools.count())
    results = bounded_map(square, source, 1)
    assert next(results) == 0
    assert source.pulled == 1
    results.close()


def test_two_workers_take_at_most_a_window_ahead_of_an_infinite_input() -> None:
    source = Counted(itertools.count())
    results = bounded_map(square, source, workers=2, window=2)
    try:
        assert next(results) == 0
        assert source.pulled == 2  # the first result needs a full window submitted, no more
        taken = [next(results) for _ in range(9)]
        assert taken == [x * x for x in range(1, 10)]
        assert source.pulled <= 10 + 2 - 1
    finally:
        results.close()  # cancels what is still queued and shuts the pool down


def test_default_window_is_bounded_too() -> None:
    source = Counted(itertools.count())
    results = bounded_map(square, source, workers=2)
    try:
        assert next(results) == 0
        assert source.pulled == 4 * 2
    finally:
        results.close()
