"""Ordered map over worker processes with a bounded number of tasks in flight (memory stays flat on 100k inputs)."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def bounded_map(fn: Callable[[T], R], items: Iterable[T], workers: int, window: int = 0) -> Iterator[R]:
    """``map(fn, items)`` in input order; with ``workers`` > 1 in that many processes, at most ``window`` (default
    4 × workers) tasks submitted ahead of the consumer. ``fn`` and its arguments must pickle."""
    if workers <= 1:
        yield from map(fn, items)
        return
    window = window or 4 * workers
    with ProcessPoolExecutor(workers) as pool:
        pending: deque[Future[R]] = deque()
        try:
            for item in items:
                pending.append(pool.submit(fn, item))
                if len(pending) >= window:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()
