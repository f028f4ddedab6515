"""The folder list is the pipeline: imports run one way, ingest → compute → compose → render → archive.

Read from the source with ``ast``, so a new module is checked the day it is added."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import zsreport
from zsreport import PROJECT_ROOT

PACKAGE = Path(zsreport.__file__).parent

LEAVES = {
    "zsreport",
    "zsreport.model",
    "zsreport.gbt9704",
    "zsreport.fonts",
    "zsreport.linebreak",
    "zsreport.formatting",
    "zsreport.atomic",
    "zsreport.faults",
}
# Each stage may import the shared leaves, itself, and only the stages named here: the data flows one
# way, and a stage sees only what the stage before it hands on (a renderer sees the tree, never a
# spreadsheet; the loader never sees a font; the checker measures files, knowing only the standard).
MAY_IMPORT: dict[str, set[str]] = {
    "zsreport.ingest": set(),
    "zsreport.compute": {"zsreport.ingest"},
    "zsreport.compose": {"zsreport.ingest", "zsreport.compute"},
    "zsreport.render": set(),
    "zsreport.staging": set(),
    "zsreport.fingerprint": set(),
    "zsreport.batch": {"zsreport.render", "zsreport.fingerprint"},
    "zsreport.doc_numbers": {"zsreport.ingest", "zsreport.compose", "zsreport.archive"},
    "zsreport.records": {"zsreport.ingest", "zsreport.render", "zsreport.archive"},
    "zsreport.archive": {"zsreport.staging"},
    "zsreport.conformance": set(),
    "zsreport.build": {"zsreport.ingest", "zsreport.compute", "zsreport.compose", "zsreport.render",
                       "zsreport.staging", "zsreport.archive", "zsreport.batch", "zsreport.fingerprint",
                       "zsreport.doc_numbers", "zsreport.records"},
    "zsreport.cli": {"zsreport.ingest", "zsreport.compose", "zsreport.staging", "zsreport.archive",
                     "zsreport.build", "zsreport.conformance", "zsreport.batch", "zsreport.fingerprint"},
    "zsreport.__main__": {"zsreport.cli"},
}  # fmt: skip
# The checker must run from a plain install without the pipeline's data: of the leaves only these.
CONFORMANCE_LEAVES = {"zsreport.model", "zsreport.gbt9704", "zsreport.fonts"}
MAX_MODULE_LINES = 650


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def stage_of(name: str) -> str:
    """The stage (or leaf) that module ``name`` belongs to."""
    keys = [k for k in (*LEAVES, *MAY_IMPORT) if name == k or name.startswith(k + ".")]
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
        if here == "zsreport.conformance":
            allowed = there in CONFORMANCE_LEAVES
        elif there in LEAVES:
            allowed = True
        else:
            allowed = there in MAY_IMPORT.get(here, set())
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


IMPORT_EVERYTHING = """
import builtins, io, pathlib
read = []
real_open, real_read_text = builtins.open, pathlib.Path.read_text
def spy_open(file, *a, **k):
    read.append(str(file))
    return real_open(file, *a, **k)
def spy_read_text(self, *a, **k):
    read.append(str(self))
    return real_read_text(self, *a, **k)
builtins.open, io.open, pathlib.Path.read_text = spy_open, spy_open, spy_read_text
import zsreport.cli, zsreport.build, zsreport.render.pdf, zsreport.render.docx, zsreport.conformance
import zsreport.compose.charts, zsreport.archive, zsreport.ingest.load
print([p for p in read if p.endswith((".toml", ".j2", ".xlsx"))])
"""


def test_importing_zsreport_reads_no_configuration() -> None:
    """Configuration (fonts.toml, office.toml, registry.toml, templates) is read when a command
    needs it, from the data folder in use, never when a module is imported (issue 15)."""
    done = subprocess.run([sys.executable, "-c", IMPORT_EVERYTHING], capture_output=True, text=True,
                          cwd=PROJECT_ROOT, check=True)  # fmt: skip
    assert done.stdout.strip() == "[]", done.stdout
