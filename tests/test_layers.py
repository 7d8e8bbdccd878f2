"""The import graph: data flows one way (core ← store ← ingest; core ← store ← retrieval ← ui), so no package
reaches into a layer above it. Every import counts, also those inside functions."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("core", "store", "ingest", "retrieval", "prompts", "ui", "synthetic", "bench")
ALLOWED = {
    "core": {"core"},
    "store": {"core", "store"},
    "ingest": {"core", "store", "ingest"},
    "prompts": {"prompts"},
    "retrieval": {"core", "store", "prompts", "retrieval"},
    "synthetic": {"core", "synthetic"},
    "ui": {"core", "store", "ingest", "retrieval", "ui"},  # the upload box hands files to ingestion
    "bench": {"core", "store", "ingest", "retrieval", "synthetic", "bench"},
}


def project_imports(path: Path) -> set[str]:
    """The project packages a module imports (top-level names), wherever the import statement is."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {name.split(".")[0] for name in names} & set(PACKAGES)
    return found


def test_the_checker_sees_imports_inside_functions(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("import os\n\ndef f():\n    from ingest.loaders import load_bytes\n    import bench.report\n")
    assert project_imports(module) == {"ingest", "bench"}


@pytest.mark.parametrize("package", PACKAGES)
def test_package_imports_only_the_layers_below_it(package: str) -> None:
    wrong = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        extra = project_imports(path) - ALLOWED[package]
        if extra:
            wrong[str(path.relative_to(ROOT))] = sorted(extra)
    assert not wrong, f"{package} imports layers it must not: {wrong}"


def test_app_entry_point_only_builds_and_launches() -> None:
    assert project_imports(ROOT / "app.py") <= {"core", "retrieval", "ui"}
