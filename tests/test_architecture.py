"""The folder list is the pipeline: imports run one way, ingest → compute → compose → render → archive.

Read from the source with ``ast``, so a new module is checked the day it is added."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import zsreport

PACKAGE = Path(zsreport.__file__).parent

# Shared leaves (rank 0) may be imported by every stage; a stage imports only from lower ranks and itself.
RANK = {
    "zsreport": 0,
    "zsreport.model": 0,
    "zsreport.gbt9704": 0,
    "zsreport.fonts": 0,
    "zsreport.linebreak": 0,
    "zsreport.formatting": 0,
    "zsreport.atomic": 0,
    "zsreport.faults": 0,
    "zsreport.ingest": 1,
    "zsreport.compute": 2,
    "zsreport.compose": 3,
    "zsreport.render": 4,
    "zsreport.staging": 5,
    "zsreport.archive": 6,
    "zsreport.build": 7,
    "zsreport.cli": 8,
    "zsreport.__main__": 9,
}
# The checker stands beside the pipeline: it measures finished files, knowing only the tree and the standard.
BESIDE = {"zsreport.conformance": {"zsreport.model", "zsreport.gbt9704"}}
COMMAND_LINE = {"zsreport.cli", "zsreport.__main__"}  # the commands may call the checker
MAX_MODULE_LINES = 650


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def stage_of(name: str) -> str:
    """The longest RANK/BESIDE key that ``name`` falls under."""
    keys = [k for k in (*RANK, *BESIDE) if name == k or name.startswith(k + ".")]
    return max(keys, key=len)


def imported(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if name == "zsreport" or name.startswith("zsreport.")}


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_imports_run_down_the_pipeline(path: Path) -> None:
    here = stage_of(module_name(path))
    wrong = []
    for name in imported(path):
        there = stage_of(name)
        if there == here or name == "zsreport":
            continue
        if here in BESIDE:
            allowed = there in BESIDE[here]
        elif there in BESIDE:
            allowed = here in COMMAND_LINE
        else:
            allowed = RANK[there] == 0 or RANK[there] < RANK[here]
        if not allowed:
            wrong.append(f"{name} ({there})")
    assert not wrong, f"{module_name(path)} ({here}) imports up or across the pipeline: {sorted(wrong)}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_modules_stay_small(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_MODULE_LINES, f"{module_name(path)} has {lines} lines: split it by job"


def test_every_stage_has_its_tests_folder() -> None:
    tests = Path(__file__).parent
    for package in ("ingest", "compose", "render", "archive", "conformance"):
        assert (PACKAGE / package / "__init__.py").exists()
        assert list((tests / package).glob("test_*.py")), f"tests/{package}/ mirrors zsreport/{package}/"
