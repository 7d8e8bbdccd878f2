"""A corpus of N synthetic reports for scale benchmarks, with a manifest of what each file holds.

    .venv/bin/python -m synthetic.corpus N OUT [--seed 1] [--workers 2]

Many agencies (real place names first, then generated ones, so names never collide however large N is), each with
a run of consecutive years (the tables continue from one year to the next), both template versions, every text
shape, a share of reports whose numbers do not add up and a few files that are not reports at all. Files go into
folders of 1000; ``manifest.jsonl`` has one line per file: path, agency, covers_year, template, shape, broken
relations, the cells and narrative counts the report states (or ``"expect": "failed"`` for the damaged files).

Each agency's run is drawn from its own seed, so a corpus is the same whatever the number of worker processes.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from core.parallel import bounded_map
from synthetic.render import SHAPES, Rendered, render, supports_blanks
from synthetic.truth import DEPARTMENTS, PLACES, ReportTruth, make_truth

PER_FOLDER = 1000
MANIFEST = "manifest.jsonl"
# two-character place names that are not real ones: common place-name characters, never words of a question
_FIRST = "安宝昌长成崇大德东丰富高广海和华怀会嘉建江金晋靖乐临龙隆鹿茂宁平清庆仁荣瑞山尚寿顺泰通万文武西祥新兴修延阳永玉元云忠"
_SECOND = "安昌城川丰峰阜湖化华江康乐陵林隆宁平浦桥泉山寿水顺台泰亭阳源远州"
_SUFFIXES = ("县", "市", "区")
_DAMAGED = (
    ("notice.txt", "关于做好2023年度防汛工作的通知\n各乡镇、各部门：\n现将有关事项通知如下，请认真贯彻落实。\n".encode()),
    ("empty.txt", b""),
    ("truncated.docx", b"PK\x03\x04\x14\x00\x00\x00\x08\x00broken"),
    ("binary.txt", bytes(range(256)) * 4),
)


def agency_names(count: int, seed: int = 1) -> list[str]:
    """``count`` distinct agency names: every real place × department first (shuffled), then generated places."""
    rng = random.Random(f"agencies:{seed}")
    real = [p + d for p in PLACES for d in DEPARTMENTS]
    rng.shuffle(real)
    out = real[:count]
    taken = {p.removesuffix(p[-1]) for p in PLACES}
    generated = [a + b + s for a in _FIRST for b in _SECOND for s in _SUFFIXES if a != b and a + b not in taken]
    random.Random(f"places:{seed}").shuffle(generated)
    seen: set[str] = set()
    places = [p for p in generated if not (p[:2] in seen or seen.add(p[:2]))]  # 安城县 and 安城市 would be one place
    for place in places:
        if len(out) >= count:
            break
        out += [place + d for d in DEPARTMENTS][: count - len(out)]
    if len(out) < count:
        raise ValueError(f"at most {len(out)} agencies can be named")
    return out


@dataclass(frozen=True)
class CorpusFile:
    path: str  # relative to the corpus folder
    rendered: Rendered
    record: dict[str, object]  # the manifest line: what the file states (see :func:`record`)


def _run(seed: int, index: int, agency: str, shapes: tuple[str, ...], broken_rate: float,
         blanks_rate: float) -> list[tuple[dict[str, object], Rendered]]:
    """One agency's consecutive years (1–6 of 2019–2024), each with its manifest record."""
    rng = random.Random(f"{seed}:run:{index}")
    length = rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5, 6))
    first = rng.randint(2019, 2025 - length)
    out: list[tuple[dict[str, object], Rendered]] = []
    previous: ReportTruth | None = None
    for year in range(first, first + length):
        shape = rng.choice(shapes)
        blanks = supports_blanks(shape) and rng.random() < blanks_rate
        truth = make_truth(rng, year=year, agency=agency, previous=previous, broken=rng.random() < broken_rate,
                           blanks=blanks)
        rendered = render(truth, shape, rng)
        out.append((record(truth, shape), rendered))
        previous = truth
    return out


def _runs(seed: int, start: int, stop: int, agencies: list[str], shapes: tuple[str, ...], broken_rate: float,
          blanks_rate: float) -> list[list[tuple[dict[str, object], Rendered]]]:
    """Runs of agencies ``start``…``stop`` (``agencies`` holds just those names)."""
    return [_run(seed, i, agencies[i - start], shapes, broken_rate, blanks_rate) for i in range(start, stop)]


# a corpus holds whole reports: a crawler's cut-off copy (web_truncated) is for the parser's tests and benchmarks
CORPUS_SHAPES = tuple(s for s in SHAPES if s != "web_truncated")


def iter_corpus(count: int, seed: int = 1, shapes: tuple[str, ...] = CORPUS_SHAPES, broken_rate: float = 0.05,
                blanks_rate: float = 0.2, damaged_rate: float = 0.005, workers: int = 1) -> Iterator[CorpusFile]:
    """Exactly ``count`` files, numbered in order; runs are generated ``workers`` at a time in processes."""
    agencies = agency_names(count // 2 + 64, seed)  # runs average 3.3 years, so this is always enough
    rng = random.Random(f"{seed}:damaged")
    n = 0
    for runs in _generate(seed, agencies, shapes, broken_rate, blanks_rate, workers):
        for run in runs:
            for info, rendered in run:
                if n >= count:
                    return
                if rng.random() < damaged_rate:
                    name, data = rng.choice(_DAMAGED)
                    yield CorpusFile(_path(n, name), Rendered(name, data, "damaged"),
                                     {"path": _path(n, name), "expect": "failed", "shape": "damaged"})
                    n += 1
                    if n >= count:
                        return
                ext = rendered.filename[rendered.filename.rindex("."):]
                yield CorpusFile(_path(n, ext), rendered, {"path": _path(n, ext), **info})
                n += 1


def _generate(seed: int, agencies: list[str], shapes: tuple[str, ...], broken_rate: float, blanks_rate: float,
              workers: int, batch: int = 32) -> Iterator[list[list[tuple[dict[str, object], Rendered]]]]:
    """Batches of runs in agency order, made in ``workers`` processes."""
    args = [(seed, s, min(s + batch, len(agencies)), agencies[s:s + batch], shapes, broken_rate, blanks_rate)
            for s in range(0, len(agencies), batch)]
    return bounded_map(_runs_of, args, workers)


def _runs_of(args: tuple[int, int, int, list[str], tuple[str, ...], float, float]
             ) -> list[list[tuple[dict[str, object], Rendered]]]:
    return _runs(*args)


def _path(n: int, name: str) -> str:
    suffix = name[name.rindex("."):]
    return f"{n // PER_FOLDER:04d}/report_{n:07d}{suffix}"


def record(truth: ReportTruth, shape: str) -> dict[str, object]:
    """What a report states, for checking answers: its metadata, broken relations, printed cells and narrative."""
    return {
        "expect": "report", "shape": shape, "agency": truth.agency, "covers_year": truth.covers_year,
        "template": truth.template, "broken": list(truth.broken),
        "cells": {"/".join(k): _num(v) for k, v in truth.cells.items() if truth.is_printed(k)},
        "narrative": {k: _num(v) for k, v in truth.narrative.items()},
    }


def _num(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def write_corpus(out: Path, count: int, seed: int = 1, workers: int = 1, progress: bool = False) -> Path:
    """Write the files and ``manifest.jsonl`` under ``out``; returns the manifest's path."""
    out.mkdir(parents=True, exist_ok=True)
    manifest = out / MANIFEST
    start = time.perf_counter()
    with (out / (MANIFEST + ".part")).open("w", encoding="utf-8") as lines:
        for i, item in enumerate(iter_corpus(count, seed, workers=workers), start=1):
            path = out / item.path
            path.parent.mkdir(exist_ok=True)
            path.write_bytes(item.rendered.data)
            lines.write(json.dumps(item.record, ensure_ascii=False) + "\n")
            if progress and (i % 1000 == 0 or i == count):
                rate = i / (time.perf_counter() - start)
                print(f"\r已生成 {i}/{count} 份（{rate:.0f} 份/秒）", end="", file=sys.stderr, flush=True)
    (out / (MANIFEST + ".part")).replace(manifest)
    if progress:
        print(file=sys.stderr)
    return manifest


def read_manifest(corpus: Path) -> list[dict[str, object]]:
    with (corpus / MANIFEST).open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m synthetic.corpus", description="生成合成年报语料（用于规模测试）")
    parser.add_argument("count", type=int, help="报告份数")
    parser.add_argument("out", type=Path, help="输出目录")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=1, help="并行进程数")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("报告份数必须大于 0")
    manifest = write_corpus(args.out, args.count, args.seed, args.workers, progress=True)
    print(f"已写入 {args.count} 份报告，清单：{manifest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
