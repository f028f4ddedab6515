"""``python -m zsreport conform`` runs from ``pip install .`` without the test extras and without
the source checkout: the conformance package imports only declared runtime dependencies, and none
of the package's modules that read the pipeline's data or templates. (tests/test_wheel.py installs a
real wheel and runs every command the issue names.)"""

from __future__ import annotations

import ast
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from zsreport.build import BuildResult
from zsreport.conformance import main

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "zsreport" / "conformance"

# Import names that differ from the distribution that provides them.
DISTRIBUTION_OF = {"docx": "python-docx", "yaml": "pyyaml", "PIL": "pillow", "fontTools": "fonttools"}
# Distributions conformance uses that a declared dependency brings: (distribution, declared one).
# fontTools reads the cmap of the faces installed here; weasyprint cannot work without it.
BROUGHT_BY = {"fonttools": "weasyprint"}
# The package's own modules conformance may use: leaves that read no file of the checkout
# (zsreport.fonts reads fonts.toml, which ships inside the package).
OWN_MODULES = {"zsreport.gbt9704", "zsreport.model", "zsreport.fonts"}


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_names(requirements: list[str]) -> set[str]:
    return {_normalise(re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", r).group(0)) for r in requirements}  # type: ignore[union-attr]


def _declared() -> set[str]:
    with (ROOT / "pyproject.toml").open("rb") as fh:
        return _requirement_names(tomllib.load(fh)["project"]["dependencies"])


def _imports() -> dict[str, set[str]]:
    """Absolute module names imported anywhere in conformance (functions too) → the files."""
    found: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                assert node.level == 0, f"{path.name}: relative import"
                base = node.module or ""
                # ``from zsreport import fonts`` names a module: count it as zsreport.fonts
                names = [f"{base}.{a.name}" for a in node.names] if base == "zsreport" else [base]
            else:
                continue
            for name in names:
                found.setdefault(name, set()).add(path.name)
    return found


def test_conformance_imports_only_runtime_dependencies() -> None:
    declared = _declared()
    missing = {}
    for name, files in _imports().items():
        top = name.split(".")[0]
        if top in sys.stdlib_module_names or top == "zsreport":
            continue
        dist = _normalise(DISTRIBUTION_OF.get(top, top))
        if dist not in declared and BROUGHT_BY.get(dist) not in declared:
            missing[name] = sorted(files)
    assert not missing, f"imported by conformance but not in [project] dependencies: {missing}"


def test_brought_dependencies_really_come_along() -> None:
    for dist, via in BROUGHT_BY.items():
        assert via in _declared()
        assert dist in _requirement_names(importlib.metadata.requires(via) or []), (
            f"{via} no longer needs {dist}"
        )


def test_conformance_uses_no_module_that_reads_the_checkout() -> None:
    own = {
        name: sorted(files)
        for name, files in _imports().items()
        if name.split(".")[0] == "zsreport" and not name.startswith("zsreport.conformance")
    }
    assert set(own) <= OWN_MODULES, {name: files for name, files in own.items() if name not in OWN_MODULES}


def test_conform_runs_without_the_checkout(
    built: BuildResult, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The package alone (no checkout, no tests/ beside it), run from an empty folder,
    prints the report it prints from the checkout."""
    site = tmp_path / "site"
    shutil.copytree(ROOT / "zsreport", site / "zsreport", ignore=shutil.ignore_patterns("__pycache__"))
    empty = tmp_path / "empty"
    empty.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, *args]
        return subprocess.run(command, cwd=empty, env=env, capture_output=True, text=True, timeout=300)

    where = run("-c", "import zsreport; print(zsreport.__file__)").stdout.strip()
    assert Path(where).is_relative_to(site), f"the copy was not the one imported: {where}"
    pdf = built.out_dir / f"{built.documents[0].meta.slug}.pdf"
    alone = run("-m", "zsreport", "conform", str(pdf))
    status = main([str(pdf)])
    assert "Traceback" not in alone.stderr, alone.stderr[-3000:]
    assert (alone.returncode, alone.stdout) == (status, capsys.readouterr().out)
