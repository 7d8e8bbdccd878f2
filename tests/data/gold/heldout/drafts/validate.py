"""Check draft gold lines: JSON, fields, keys, and cell values against the hand-written golden files.

Usage: PYTHONPATH=. python tests/data/gold/heldout/drafts/validate.py FILE.jsonl
(never runs the assistant; golden files are hand transcriptions of the sources)
"""
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[5]))
from tests.golden import GOLDEN, expected_cells  # noqa: E402

KINDS = {"table", "passage", "mixed", "none"}
TYPES = {"single", "list", "sum", "count", "compare", "yoy", "consistency", "narrative", "narrative_number",
         "followup", "unanswerable", "paraphrase", "rank", "threshold", "template", "mixed"}
stems = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in GOLDEN.glob("*.json")}
by_source = {g["source"]: g for g in stems.values()}
problems = 0
seen: set[str] = set()
for n, line in enumerate(Path(sys.argv[1]).read_text(encoding="utf-8").splitlines(), 1):
    if not line.strip():
        continue
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        print(f"line {n}: bad JSON {exc}")
        problems += 1
        continue
    msgs = []
    if item.get("id") in seen:
        msgs.append("duplicate id")
    seen.add(item.get("id"))
    if item.get("type") not in TYPES:
        msgs.append(f"type {item.get('type')}")
    exp = item.get("expect", {})
    if exp.get("kind") not in KINDS:
        msgs.append(f"kind {exp.get('kind')}")
    for field in ("values", "cite", "ambiguous"):
        for cell in exp.get(field, []) or []:
            g = by_source.get(cell.get("report"))
            if g is None:
                msgs.append(f"{field}: unknown report {cell.get('report')}")
                continue
            if "section" in cell and "table" not in cell:
                continue
            cells = expected_cells(g)
            key = (cell.get("table"), cell.get("row"), cell.get("column"))
            if key not in cells:
                msgs.append(f"{field}: no cell {key} in {g['source']} (template {g['template']})")
                continue
            if field == "values":
                want = cells[key]
                got = cell.get("value")
                if (want is None) != (got is None) or (want is not None and float(want) != float(got)):
                    msgs.append(f"value {key} {got} but golden {want}")
    for rep in exp.get("reports") or []:
        if rep not in by_source:
            msgs.append(f"reports: unknown {rep}")
    if msgs:
        problems += 1
        print(f"{item.get('id')}: " + "; ".join(msgs))
print(f"{n} lines, {problems} with problems")
