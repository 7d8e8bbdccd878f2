"""Scale: ingest N generated reports, then answer a fixed question mix; throughput, memory, store size, latency.

    .venv/bin/python -m bench.scale 1000 [--embedding-backend fake] [--workers 2] [--work /tmp/govqa-scale]

Writes the "scale-N" section of docs/benchmarks.md (``--no-write`` to only print). Steps, each timed on its own:

1. corpus: ``synthetic.corpus`` writes N reports (reused when already there; not part of the figures);
2. parse only: a sample of the corpus parsed in ``--workers`` processes, nothing stored (reports/s);
3. ingest: every file through ``Ingestor.ingest_many`` into a fresh data dir (reports/s, chunks/s embedded,
   vector-cache hit rate, peak RSS of the writer and of the parser processes);
4. store size on disk;
5. questions, in a fresh process (so start-up and memory are those of a server): cold start (open the stores and
   answer one question), then the mix, each answer checked against the corpus manifest; p50/p95 per kind and
   the process's peak RSS.

The question mix is drawn from the manifest with a fixed seed: table questions about one report or two years of
one agency, questions over all reports of a year, passages of one report, and passages over the whole corpus.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.report import machine, update_section

KINDS = ("table", "table_years", "year_all", "corpus_all", "passage", "passage_search", "passage_all")
TABLE_CELLS = (("三/new_applications/total", "新收政府信息公开申请多少件"), ("四/cases/review_total", "行政复议总计多少件"),
               ("四/cases/review_corrected", "行政复议结果纠正多少件"),
               ("四/cases/direct_suit_total", "直接起诉的行政诉讼总计多少件"))


#: table lists over every report of every year: (question, cell, the value a report must exceed)
CORPUS_LISTS = (("哪些单位收到了政府信息公开申请？", "三/new_applications/total", 0),
                ("哪些单位行政复议结果纠正多于2件？", "四/cases/review_corrected", 2),
                ("哪些单位直接起诉的行政诉讼总计超过3件？", "四/cases/direct_suit_total", 3))


@dataclass(frozen=True)
class Question:
    kind: str
    text: str
    expect: dict[str, Any]  # what a right answer has: {"value": "3"} | {"report": path} | {"quote_has": "…"}


# ----------------------------------------------------------------------------------------------- questions


def question_mix(records: list[dict[str, Any]], count: int, seed: int = 7) -> list[Question]:
    """``count`` questions per kind (fewer where the corpus has fewer), drawn from the manifest."""
    rng = random.Random(seed)
    reports = [r for r in records if r["expect"] == "report"]
    by_agency: dict[str, dict[int, dict[str, Any]]] = {}
    for r in reports:
        by_agency.setdefault(r["agency"], {})[r["covers_year"]] = r
    out: list[Question] = []
    for r in rng.sample(reports, min(count, len(reports))):
        key, words = rng.choice(TABLE_CELLS)
        out.append(Question("table", f"{r['agency']}{r['covers_year']}年{words}？",
                            {"key": key, "values": [r["cells"].get(key)], "years": [r["covers_year"]]}))
    pairs = [(a, y) for a, years in by_agency.items() for y in years if y + 1 in years]
    for agency, year in rng.sample(pairs, min(count, len(pairs))):
        first, second = by_agency[agency][year], by_agency[agency][year + 1]
        key = "四/cases/review_total"
        out.append(Question("table_years", f"{agency}{year}年和{year + 1}年行政复议总计各多少件？",
                            {"key": key, "values": [first["cells"].get(key), second["cells"].get(key)],
                             "years": [year, year + 1]}))
    years = sorted({r["covers_year"] for r in reports})
    for year in rng.sample(years, min(count, len(years))):
        receiving = [r["path"] for r in reports if r["covers_year"] == year
                     and Decimal(r["cells"].get("三/new_applications/total") or 0) > 0]
        out.append(Question("year_all", f"{year}年哪些单位收到了政府信息公开申请？", {"paths": receiving}))
    for text, key, threshold in CORPUS_LISTS[: max(1, min(count, len(CORPUS_LISTS)))]:
        meeting = [r["path"] for r in reports if Decimal(r["cells"].get(key) or 0) > threshold]
        out.append(Question("corpus_all", text, {"paths": meeting}))
    for r in rng.sample(reports, min(count, len(reports))):
        out.append(Question("passage", f"{r['agency']}{r['covers_year']}年存在哪些问题？",
                            {"path": r["path"], "section": "五"}))
    for r in rng.sample(reports, min(count, len(reports))):
        out.append(Question("passage_search", f"{r['agency']}{r['covers_year']}年通过哪些渠道发布政府信息？",
                            {"path": r["path"], "says": "渠道"}))
    topics = ("哪些单位开展了政务公开业务培训？", "哪些单位提到了政务新媒体？", "哪些单位收取了信息处理费？",
              "哪些单位提到政策解读形式还不够丰富？", "哪些单位新增了政府信息公开专栏栏目？", "哪些单位提到了微信公众号？",
              "哪些单位提到信息发布保密审查？", "哪些单位的政务新媒体发布信息较多？", "哪些单位提到依申请公开答复的规范性还需加强？",
              "哪些单位将政务公开纳入绩效考核？")
    for text in topics[: max(1, min(count, len(topics)))]:
        out.append(Question("passage_all", text, {}))
    return out


def check(question: Question, answer: Any, sources: dict[str, str]) -> bool | str | None:
    """Whether the answer is right by the manifest: True, False, "flagged" (the answer says the printed number is
    ambiguous and gives none), or None when the kind has no checkable truth."""
    expect = question.expect
    if question.kind in ("table", "table_years"):
        table, row, column = expect["key"].split("/")
        for year, want in zip(expect["years"], expect["values"], strict=True):
            got = [v for v in answer.values if (v.table, v.row, v.column, v.covers_year) == (table, row, column, year)]
            if not got:
                return False
            if got[0].status == "ambiguous":
                return "flagged"
            if got[0].value != (None if want is None else Decimal(want)) and not (
                    want is None and got[0].value == 0) and not (want == "0" and got[0].value is None):
                return False
        return True
    if question.kind in ("year_all", "corpus_all"):
        # every report named meets the condition by the manifest; one it misses must be one whose value the answer
        # gives as unusable (ambiguous or blank in the parsed table), or one not in the store: then "flagged"
        want = set(expect["paths"])
        named = {sources.get(rid) for rid in answer.matches}
        if not named <= want:
            return False
        missed = want - named
        if not missed:
            return True
        status = {sources.get(r.report_id): r.status for r in answer.listing} or {
            sources.get(v.report_id): v.status for v in answer.values if v.op == "cell"}
        stored = set(sources.values())
        return "flagged" if all(p not in stored or status.get(p, "ok") != "ok" for p in missed) else False
    if question.kind in ("passage", "passage_search"):
        if question.kind == "passage_search":  # in scope: quotes only that report; "not said" only when it is not
            if not answer.citations:
                return answer.kind == "none" and expect["says"] not in _report_text(expect["path"])
            return all(sources.get(c.report_id) == expect["path"] for c in answer.citations)
        return bool(answer.citations) and all(sources.get(c.report_id) == expect["path"] and
                                              (c.section or "").startswith(expect["section"])
                                              for c in answer.citations)
    return None


_CORPUS: list[Path] = []


def _corpus_path(name: str) -> str:
    """report_0012345.txt → 0012/report_0012345.txt (synthetic.corpus files 1000 to a folder)."""
    from synthetic.corpus import PER_FOLDER

    digits = "".join(ch for ch in name if ch.isdigit())
    return f"{int(digits) // PER_FOLDER:04d}/{name}" if digits else name


def _report_text(path: str) -> str:
    """The report's text as written (the corpus file through the loader), to know whether it says something."""
    from ingest.loaders import load_bytes

    data = (_CORPUS[0] / path).read_bytes()
    return "\n".join(line.text for line in load_bytes(Path(path).name, data).lines)


# ----------------------------------------------------------------------------------------------- the steps


def _rss_mib(who: int = resource.RUSAGE_SELF) -> float:
    """Peak RSS. For this process the kernel's high-water mark of its own image (VmHWM): ru_maxrss would carry over
    the parent's size from the fork that started it."""
    if who == resource.RUSAGE_SELF:
        status = Path("/proc/self/status")
        if status.exists():
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    return resource.getrusage(who).ru_maxrss / 1024


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def parse_only(paths: list[Path], workers: int) -> dict[str, float]:
    from core.parallel import bounded_map
    from ingest.pipeline import _Job, _parse_job

    start = time.perf_counter()
    jobs = (_Job(str(p), str(p), p.read_bytes()) for p in paths)
    ok = sum(r.status == "parsed" for r in bounded_map(_parse_job, jobs, workers))
    seconds = time.perf_counter() - start
    return {"files": len(paths), "parsed": ok, "seconds": seconds, "reports_per_s": len(paths) / seconds}


def ingest(paths: list[Path], data_dir: Path, backend: str, workers: int) -> dict[str, float]:
    from core.settings import Settings
    from ingest.pipeline import Ingestor

    settings = Settings.from_env(data_dir=data_dir, embedding_backend=backend)
    ingestor = Ingestor.open(settings)
    start = time.perf_counter()
    statuses: dict[str, int] = {}
    chunks = 0
    for i, result in enumerate(ingestor.ingest_many(paths, workers=workers), start=1):
        statuses[result.status] = statuses.get(result.status, 0) + 1
        chunks += len(result.report.chunks) if result.report is not None else 0
        if i % 500 == 0:
            rate = i / (time.perf_counter() - start)
            print(f"\r  入库 {i}/{len(paths)}（{rate:.0f} 份/秒）", end="", file=sys.stderr, flush=True)
    seconds = time.perf_counter() - start
    print(file=sys.stderr)
    cache = ingestor.index.cache
    embed_seconds = ingestor.index.embed_seconds
    out = {"files": len(paths), "seconds": seconds, "reports_per_s": len(paths) / seconds, "chunks": chunks,
           "embedded": ingestor.index.embedded, "embed_seconds": embed_seconds,
           "chunks_per_s": chunks / seconds, "embedded_per_s": ingestor.index.embedded / max(embed_seconds, 1e-9),
           "cache_hits": cache.hits if cache else 0, "rss_mib": _rss_mib(),
           "children_rss_mib": _rss_mib(resource.RUSAGE_CHILDREN), **{f"status_{k}": v for k, v in statuses.items()}}
    ingestor.close()
    return out


def ask_mix(data_dir: Path, backend: str, corpus: Path) -> dict[str, Any]:
    """Run in a fresh process (``--ask``): cold start, then the mix the parent wrote to ``bench-questions.json``
    (the manifest is not read here: its 100k records would weigh more than the app whose memory is measured)."""
    from core.settings import Settings
    from retrieval.assistant import Assistant

    _CORPUS[:] = [corpus]
    questions = [Question(**q) for q in json.loads((data_dir / "bench-questions.json").read_text())]
    start = time.perf_counter()
    assistant = Assistant.open(Settings.from_env(data_dir=data_dir, embedding_backend=backend))
    opened = time.perf_counter() - start
    assistant.ask(questions[0].text)
    cold = time.perf_counter() - start
    rss_open = _rss_mib()
    sources = {rid: _corpus_path(info.source) for rid, info in assistant.reports.items()}
    times: dict[str, list[float]] = {k: [] for k in KINDS}
    right: dict[str, list[bool | str]] = {k: [] for k in KINDS}
    wrong: list[str] = []
    slowest: dict[str, tuple[float, str]] = {}
    for q in questions:
        t = time.perf_counter()
        answer = assistant.ask(q.text)
        times[q.kind].append((time.perf_counter() - t) * 1000)
        if times[q.kind][-1] >= slowest.get(q.kind, (0.0, ""))[0]:
            slowest[q.kind] = (times[q.kind][-1], q.text)
        ok = check(q, answer, sources)
        if ok is not None:
            right[q.kind].append(ok)
            if ok is False and len(wrong) < 12:
                wrong.append(f"{q.text} → {answer.answer[:120]!r}")
    every = [t for v in times.values() for t in v]
    return {"open_s": opened, "cold_s": cold, "rss_open_mib": rss_open, "rss_mib": _rss_mib(), "wrong": wrong,
            "slowest": slowest, "all": {"n": len(every), "p50_ms": _pct(every, 50), "p95_ms": _pct(every, 95), "max_ms": max(every)},
            "kinds": {k: {"n": len(v), "p50_ms": _pct(v, 50), "p95_ms": _pct(v, 95), "max_ms": max(v, default=0),
                          "right": sum(x is True for x in right[k]), "flagged": sum(x == "flagged" for x in right[k]),
                          "checked": len(right[k])} for k, v in times.items() if v}}


def _pct(values: list[float], q: int) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


# ----------------------------------------------------------------------------------------------- report


def _commit() -> str:
    run = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parent)
    return run.stdout.strip() or "unknown"


def markdown(n: int, backend: str, workers: int, command: str, corpus_s: float | None, parse: dict[str, float],
             ing: dict[str, Any], size: dict[str, int], asked: dict[str, Any],
             reused: bool = False) -> str:
    mib = 1024 * 1024
    lines = [
        f"## Scale: {n} reports ({backend} embeddings)", "",
        f"`{command}` — {machine()}; {workers} parser processes. "
        + (f"Corpus generated in {corpus_s:.0f} s (`python -m synthetic.corpus`, not counted)."
           if corpus_s is not None else "Corpus of an earlier run (`python -m synthetic.corpus`).")
        + (f" Stores of an earlier run (parse and ingest measured {ing.get('measured', 'before')}); only the "
           "questions asked again." if reused else ""), "",
        "| measure | result |", "|---|---|",
        f"| parse only ({parse['files']} files, {workers} processes) | **{parse['reports_per_s']:.1f} reports/s** |",
        f"| ingest, end to end ({ing['files']} files) | {ing['seconds']:.0f} s = **{ing['reports_per_s']:.1f} reports/s**,"
        f" {ing['chunks_per_s']:.0f} chunks/s |",
        f"| embedding | {ing['embedded']} of {ing['chunks']} chunks sent to the model "
        f"({ing['cache_hits']} repeats served by the vector cache), {ing['embedded_per_s']:.0f} chunks/s while "
        f"embedding, {ing['embed_seconds']:.0f} s in all |",
        f"| outcome | {', '.join(f'{k[7:]} {v}' for k, v in ing.items() if k.startswith('status_'))} |",
        f"| peak RSS, ingest | writer {ing['rss_mib']:.0f} MiB, parser processes {ing['children_rss_mib']:.0f} MiB |",
        f"| store on disk | SQLite {size['sqlite'] / mib:.0f} MiB, Chroma {size['chroma'] / mib:.0f} MiB, "
        f"vector cache {size['cache'] / mib:.0f} MiB |",
        f"| cold start (open stores + first answer) | {asked['cold_s']:.2f} s (open {asked['open_s']:.2f} s) |",
        f"| peak RSS, answering | {asked['rss_mib']:.0f} MiB (after opening: {asked['rss_open_mib']:.0f} MiB) |",
        "", "| questions | n | p50 ms | p95 ms | max ms | right | flagged ambiguous, no number given |",
        "|---|---|---|---|---|---|---|",
    ]
    names = {"table": "one report's cell", "table_years": "one agency, two years", "year_all": "all reports of a year",
             "corpus_all": "all reports of every year (table lists)",
             "passage": "one report's section 五", "passage_search": "one report, searched (渠道; right = in scope)",
             "passage_all": "passages over the whole corpus"}
    for kind, k in asked["kinds"].items():
        checked = f"{k['right']}/{k['checked']}" if k["checked"] else "—"
        flagged = str(k["flagged"]) if k["checked"] else "—"
        lines.append(f"| {names[kind]} | {k['n']} | {k['p50_ms']:.1f} | {k['p95_ms']:.1f} | {k['max_ms']:.1f} | "
                     f"{checked} | {flagged} |")
    if "all" in asked:
        a = asked["all"]
        lines.append(f"| **the whole mix** | {a['n']} | {a['p50_ms']:.1f} | **{a['p95_ms']:.1f}** | {a['max_ms']:.1f} | | |")
    if asked.get("slowest"):
        lines += ["", "Slowest question of each kind: " + "; ".join(
            f"{t} ({ms:.0f} ms)" for ms, t in sorted(asked["slowest"].values(), reverse=True)) + "."]
    if asked["wrong"]:
        lines += ["", "Wrong answers (first ones):", ""] + [f"- {w}" for w in asked["wrong"]]
    return "\n".join(lines)


def projection(work: Path, backend: str) -> str:
    """Measured figures per corpus size and a projection from the growth between the two largest runs:
    sizes and times linear in N, latencies and memory along the log-log slope of the last step."""
    runs: dict[int, tuple[dict[str, Any], dict[str, Any], dict[str, Any]]] = {}
    for saved in work.glob(f"data-*-{backend}/bench-ingest.json"):
        asked = saved.with_name("bench-asked.json")
        if asked.exists():
            _, ing, size = json.loads(saved.read_text())
            runs[int(ing["files"])] = (ing, size, json.loads(asked.read_text()))
    sizes = sorted(runs)
    if len(sizes) < 2:
        return "Not enough runs to project (run `python -m bench.scale N` for two sizes first)."
    mib = 1024 * 1024

    def row(n: int) -> dict[str, float]:
        ing, size, asked = runs[n]
        out = {"ingest_h": ing["seconds"] / 3600, "disk_gib": sum(size.values()) / mib / 1024,
               "rss_mib": asked["rss_mib"], "cold_s": asked["cold_s"]}
        out.update({f"p95:{k}": v["p95_ms"] for k, v in asked["kinds"].items()})
        if "all" in asked:
            out["p95:the whole mix"] = asked["all"]["p95_ms"]
        return out

    measured = {n: row(n) for n in sizes}
    a, b = sizes[-2], sizes[-1]
    targets = [t for t in (100_000, 1_000_000) if t > b]

    def project(key: str, n: int) -> float:
        lo, hi = measured[a].get(key, 0.0), measured[b].get(key, 0.0)
        if key in ("ingest_h", "disk_gib"):
            return hi * n / b
        if lo <= 0 or hi <= 0:
            return hi
        slope = math.log(hi / lo) / math.log(b / a)
        return hi * (n / b) ** max(slope, 0.0)

    keys = [k for k in measured[b] if k in measured[a]]
    names = {"ingest_h": "ingest, hours (2 cores)", "disk_gib": "store on disk, GiB", "rss_mib": "answering RSS, MiB",
             "cold_s": "cold start, s"}
    head = [f"{n:,} measured" for n in sizes] + [f"{t:,} projected" for t in targets]
    lines = [f"## Scale: measured and projected ({backend} embeddings)", "",
             f"`python -m bench.scale --project` — from the runs above; projected along the growth from {a:,} to {b:,}"
             " reports (sizes and times linearly, latencies and memory along the log-log slope of that step).", "",
             "| | " + " | ".join(head) + " |", "|---|" + "---|" * len(head)]
    for key in keys:
        name = names.get(key, f"p95 ms, {key[4:]}")
        cells = [f"{measured[n][key]:.2f}" if key in measured[n] else "—" for n in sizes]
        cells += [f"{project(key, t):.2f}" for t in targets]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scale")
    parser.add_argument("count", type=int, nargs="?", default=0)
    parser.add_argument("--project", action="store_true",
                        help="project 100k/1M from the runs already made (reads their saved figures)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/govqa-scale"))
    parser.add_argument("--embedding-backend", default="fake")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--questions", type=int, default=100, help="questions per kind")
    parser.add_argument("--parse-sample", type=int, default=2000)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="keep the stores of an earlier run; ask again only")
    parser.add_argument("--ask", action="store_true", help=argparse.SUPPRESS)  # internal: the question step
    args = parser.parse_args(argv)
    if args.project:
        text = projection(args.work, args.embedding_backend)
        print(text)
        if not args.no_write:
            update_section(f"scale-projection-{args.embedding_backend}", text)
        return 0
    if args.count < 1:
        parser.error("give the number of reports (e.g. 10000), or --project")
    corpus = args.work / f"corpus-{args.count}"
    data_dir = args.work / f"data-{args.count}-{args.embedding_backend}"
    if args.ask:
        print(json.dumps(ask_mix(data_dir, args.embedding_backend, corpus)))
        return 0

    from synthetic.corpus import MANIFEST, write_corpus

    corpus_s = None  # None: the corpus of an earlier run
    if not (corpus / MANIFEST).exists():
        print(f"生成语料 {corpus}", file=sys.stderr)
        start = time.perf_counter()
        write_corpus(corpus, args.count, workers=args.workers, progress=True)
        corpus_s = time.perf_counter() - start
    saved = data_dir / "bench-ingest.json"
    reused = args.reuse and saved.exists()
    if reused:  # the stores of an earlier run: only the questions are asked again
        parse, ing, size = json.loads(saved.read_text())
    else:
        paths = sorted(p for p in corpus.rglob("report_*") if p.is_file())
        parse = parse_only(random.Random(1).sample(paths, min(args.parse_sample, len(paths))), args.workers)
        print(f"  仅解析：{parse['reports_per_s']:.1f} 份/秒", file=sys.stderr)
        shutil.rmtree(data_dir, ignore_errors=True)
        ing = ingest(paths, data_dir, args.embedding_backend, args.workers)
        ing["measured"] = f"{date.today()} at commit {_commit()}"
        size = {"sqlite": sum(p.stat().st_size for p in data_dir.glob("govqa.sqlite3*")),
                "chroma": _du(data_dir / "chroma"),
                "cache": sum(p.stat().st_size for p in data_dir.glob("vector-cache.sqlite3*"))}
        saved.write_text(json.dumps([parse, ing, size]))
    from dataclasses import asdict

    from synthetic.corpus import read_manifest

    mix = question_mix(read_manifest(corpus), args.questions)
    (data_dir / "bench-questions.json").write_text(json.dumps([asdict(q) for q in mix], ensure_ascii=False))
    run = subprocess.run([sys.executable, "-m", "bench.scale", str(args.count), "--work", str(args.work),
                          "--embedding-backend", args.embedding_backend, "--questions", str(args.questions), "--ask"],
                         capture_output=True, text=True, check=True, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    asked = json.loads(run.stdout.strip().splitlines()[-1])
    (data_dir / "bench-asked.json").write_text(json.dumps(asked))
    command = f"python -m bench.scale {args.count} --embedding-backend {args.embedding_backend} --workers {args.workers}"
    text = markdown(args.count, args.embedding_backend, args.workers, command, corpus_s, parse, ing, size, asked,
                    reused)
    print(text)
    if not args.no_write:
        update_section(f"scale-{args.count}-{args.embedding_backend}", text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
