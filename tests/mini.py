"""A small real set: the city bulletin and two unit bulletins of 2020 Q4, built from the
tests' own copy of the shipped data (a few seconds, against about a minute for the whole set)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.shipped import copy_shipped
from zsreport import PROJECT_ROOT
from zsreport.build import BuildResult, build_quarter

MINI = (0, 3, 4)  # city bulletin (文号 1), and two unit bulletins; no meeting needed for these

RUN_MINI = """
import sys
from pathlib import Path
import zsreport.build as b
whole = b.compose_all
b.compose_all = lambda *a, **k: [d for i, d in enumerate(whole(*a, **k)) if i in {mini}]
b.build_quarter(Path(sys.argv[1]), 2020, 4, Path(sys.argv[2]), reuse=False)
"""


def build_mini(data: Path, out: Path, monkeypatch: pytest.MonkeyPatch, **options: object) -> BuildResult:
    import zsreport.build as b

    whole = b.compose_all
    monkeypatch.setattr(
        b, "compose_all", lambda *a, **k: [d for i, d in enumerate(whole(*a, **k)) if i in MINI]
    )
    try:
        return build_quarter(data, 2020, 4, out, **options)  # type: ignore[arg-type]
    finally:
        monkeypatch.setattr(b, "compose_all", whole)


def run_mini_process(data: Path, out: Path, fault: str | None = None) -> subprocess.CompletedProcess:
    """The mini build in a child process, optionally killed (SIGKILL) at ``fault``."""
    env = {k: v for k, v in os.environ.items() if k != "ZSREPORT_FAULT"}
    if fault:
        env["ZSREPORT_FAULT"] = fault
    code = RUN_MINI.format(mini=set(MINI))
    return subprocess.run(
        [sys.executable, "-c", code, str(data), str(out)],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """The tests' own copy of the shipped data (never the live data/ folder)."""
    copy = tmp_path / "data"
    copy_shipped(copy)
    return copy


@pytest.fixture(scope="module")
def mini_set(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(data, out) with the mini set built once for the module; tests copy it before changing it."""
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
