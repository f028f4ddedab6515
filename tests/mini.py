"""A small real set: the city bulletin and two unit bulletins of 2020 Q4, built from the
tests' own copy of the shipped data (a few seconds, against about half a minute for the whole set)."""

from __future__ import annotations

import inspect
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.shipped import copy_shipped
from zsreport import PROJECT_ROOT
from zsreport.build import BuildResult, build_quarter

MINI = (0, 3, 4)  # city bulletin (文号 1), and two unit bulletins; no meeting needed for these


def _mini_compose(build_module) -> tuple[Callable, Callable]:
    """``(compose_all, _compose_one)`` of ``zsreport.build`` cut to the MINI documents.

    Every document of the quarter is still composed (numbers, 文号 and wording of the three kept
    are exactly the whole set's), but the ones dropped get their charts stubbed: they are thrown
    away, and drawing their charts would cost more than the rest of a mini build."""
    from zsreport.compose import charts, documents

    whole, one = build_module.compose_all, build_module._compose_one
    plan_of = inspect.signature(one)
    stub = charts.ChartImage(b"<svg/>", b"", 10.0, 10.0, "dropped from the mini set")

    def compose_one(*args, **kwargs):
        bound = plan_of.bind(*args, **kwargs).arguments
        index = next(i for i, entry in enumerate(bound["plan"]) if entry is bound["entry"])
        if index in MINI:
            return one(*args, **kwargs)
        drawn = documents.FIGURE_BUILDERS
        documents.FIGURE_BUILDERS = {key: (lambda *a, **k: stub) for key in drawn}
        try:
            return one(*args, **kwargs)
        finally:
            documents.FIGURE_BUILDERS = drawn

    def compose_all(*args, **kwargs):
        return [d for i, d in enumerate(whole(*args, **kwargs)) if i in MINI]

    return compose_all, compose_one


def cut_to_mini(build_module) -> None:
    """Make ``zsreport.build`` build only the MINI documents (for a child process; in the test's
    own process ``build_mini`` does it and undoes it)."""
    build_module.compose_all, build_module._compose_one = _mini_compose(build_module)


RUN_MINI = """
import sys
from pathlib import Path
import zsreport.build as b
from tests.mini import cut_to_mini
cut_to_mini(b)
b.build_quarter(Path(sys.argv[1]), 2020, 4, Path(sys.argv[2]), reuse=False)
"""


def build_mini(data: Path, out: Path, monkeypatch: pytest.MonkeyPatch, **options: object) -> BuildResult:
    import zsreport.build as b

    whole, one = b.compose_all, b._compose_one
    compose_all, compose_one = _mini_compose(b)
    monkeypatch.setattr(b, "compose_all", compose_all)
    monkeypatch.setattr(b, "_compose_one", compose_one)
    try:
        return build_quarter(data, 2020, 4, out, **options)  # type: ignore[arg-type]
    finally:
        monkeypatch.setattr(b, "compose_all", whole)
        monkeypatch.setattr(b, "_compose_one", one)


def run_mini_process(data: Path, out: Path, fault: str | None = None) -> subprocess.CompletedProcess:
    """The mini build in a child process, optionally killed (SIGKILL) at ``fault``."""
    env = {k: v for k, v in os.environ.items() if k != "ZSREPORT_FAULT"}
    if fault:
        env["ZSREPORT_FAULT"] = fault
    return subprocess.run(
        [sys.executable, "-c", RUN_MINI, str(data), str(out)],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """The tests' own copy of the shipped data (never the live data/ folder)."""
    copy = tmp_path / "data"
    copy_shipped(copy)
    return copy


@pytest.fixture(scope="session")
def mini_set(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(data, out) with the mini set built once per session; tests take a copy (``fresh``), never
    change it."""
    root = tmp_path_factory.mktemp("mini")
    data = root / "data"
    copy_shipped(data)
    with pytest.MonkeyPatch.context() as mp:
        build_mini(data, root / "out", mp)
    return data, root / "out"


@pytest.fixture
def fresh(mini_set: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    """A private copy of the mini set's data and out folders."""
    data, out = mini_set
    shutil.copytree(data, tmp_path / "data")
    shutil.copytree(out, tmp_path / "out")
    return tmp_path / "data", tmp_path / "out"
