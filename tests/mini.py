"""A small real set: the city bulletin and two unit bulletins of 2020 Q4, built from the
tests' own copy of the shipped data (a few seconds, against about half a minute for the whole set)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.shipped import copy_shipped
from tests.undrawn import undrawn_except
from zsreport import PROJECT_ROOT
from zsreport.build import BuildResult, build_quarter

MINI = (0, 3, 4)  # city bulletin (文号 1), and two unit bulletins; no meeting needed for these


def _mini_compose(build_module) -> tuple[Callable, Callable]:
    """``(compose_all, _compose_one)`` of ``zsreport.build`` cut to the MINI documents: every
    document is still composed (the three kept are exactly the whole set's), the charts of the
    ones dropped are not drawn (``tests.undrawn``: that would cost more than the rest)."""
    whole = build_module.compose_all
    compose_one = undrawn_except(build_module._compose_one, lambda index, _entry: index in MINI)

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
        build_mini(data, root / "out", mp, reuse=False)  # serial, uncached: test_batch's reference
    return data, root / "out"


@pytest.fixture
def fresh(mini_set: tuple[Path, Path], tmp_path: Path) -> tuple[Path, Path]:
    """A private copy of the mini set's data and out folders."""
    data, out = mini_set
    shutil.copytree(data, tmp_path / "data")
    shutil.copytree(out, tmp_path / "out")
    return tmp_path / "data", tmp_path / "out"


# --- the mini set after a correction, and with OFD: built once, shared by the modules that need them


def redate(data: Path) -> None:
    """发文.toml's 成文日期 a day later (2021-01-12 → 2021-01-13): a change every document prints."""
    issuance = data / "2020" / "2020Q4" / "发文.toml"
    text = issuance.read_text(encoding="utf-8")
    assert "date = 2021-01-12" in text
    issuance.write_text(text.replace("date = 2021-01-12", "date = 2021-01-13"), encoding="utf-8")


@pytest.fixture(scope="session")
def redated_set(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(data, out): the shipped data ``redate``d and the mini set built from it, serial and
    uncached, once per session. test_batch checks that a rebuild over the older set gives exactly
    these files; the archive tests that correct an issued set take a copy instead of building."""
    root = tmp_path_factory.mktemp("redated")
    data = copy_shipped(root / "data")
    redate(data)
    with pytest.MonkeyPatch.context() as mp:
        build_mini(data, root / "out", mp, reuse=False)
    return data, root / "out"


def rebuilt_as(data: Path, out: Path, made: tuple[Path, Path]) -> None:
    """The test's own ``data``/``out`` brought to the set ``made`` = (data, out) was built from:
    ``redate`` the data, and its quarter folder replaced by a copy of the one built (what a
    rebuild gives, byte for byte: test_batch.test_one_units_change_renders_only_what_moved)."""
    redate(data)
    shutil.rmtree(out / "2020Q4")
    shutil.copytree(made[1] / "2020Q4", out / "2020Q4")


# The real command on the mini set, with OFD (``build --ofd``), in a child process.
RUN_MINI_CLI = """
import sys, zsreport.build as b
from tests.mini import cut_to_mini
cut_to_mini(b)
from zsreport.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture(scope="session")
def mini_ofd_set(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, subprocess.CompletedProcess]:
    """(data, out, the finished command): ``zsreport build --ofd --jobs 1`` on the mini set, run
    once per session (test_ofd reads what it wrote; the OFD archive tests issue copies)."""
    root = tmp_path_factory.mktemp("mini-ofd")
    data = copy_shipped(root / "data")
    out = root / "out"
    done = subprocess.run(
        [sys.executable, "-c", RUN_MINI_CLI, "build", "--data", str(data), "--out", str(out), "--year", "2020",
         "--quarter", "4", "--ofd", "--jobs", "1"],
        capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=600,
    )  # fmt: skip
    return data, out, done
