"""A build replaces the quarter's set whole or not at all, one builder at a time."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from tests.archive.conftest import leftovers
from tests.mini import build_mini, run_mini_process
from zsreport import staging
from zsreport.atomic import sha256_file


def snapshot(folder: Path) -> dict[str, str]:
    return {p.name: sha256_file(p) for p in sorted(folder.iterdir())}


def test_a_rebuild_leaves_nothing_of_the_older_set(fresh, monkeypatch) -> None:
    data, out = fresh
    stray = out / "2020Q4" / "2020Q4-02-联席调度会纪要.pdf"
    stray.write_bytes("a 纪要 from a build that had a meeting".encode())
    result = build_mini(data, out, monkeypatch)
    assert not stray.exists()
    assert sorted(p.name for p in result.files) == sorted(snapshot(out / "2020Q4"))
    assert leftovers(out) == []


def test_a_crash_after_check_leaves_the_previous_set_intact(fresh, monkeypatch) -> None:
    data, out = fresh
    before = snapshot(out / "2020Q4")
    import zsreport.batch as b

    calls = []

    def crashing_docx(*args, **kwargs):
        calls.append(1)
        raise RuntimeError("disk full")

    monkeypatch.setattr(b, "render_docx", crashing_docx)
    with pytest.raises(RuntimeError):
        build_mini(data, out, monkeypatch, reuse=False)
    assert calls and snapshot(out / "2020Q4") == before
    assert leftovers(out) == []


@pytest.mark.slow
@pytest.mark.parametrize("fault", ["build-file:1", "build-file:2", "build-swap:1"])
def test_a_killed_build_leaves_the_previous_set_exactly(fresh, fault: str) -> None:
    data, out = fresh
    before = snapshot(out / "2020Q4")
    killed = run_mini_process(data, out, fault)
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    assert snapshot(out / "2020Q4") == before
    assert "进程" in (out / ".2020Q4.lock").read_text(encoding="utf-8"), "the dead build's lock file is there"
    # The next build finds the debris and the dead build's lock, takes the lock over, clears the
    # debris and replaces the set whole.
    again = run_mini_process(data, out)
    assert again.returncode == 0, again.stderr[-2000:]
    assert leftovers(out) == [] and set(snapshot(out / "2020Q4")) == set(before)


@pytest.mark.slow
def test_a_build_killed_between_the_two_renames_gets_the_previous_set_back(fresh, monkeypatch) -> None:
    """Where the folders cannot be exchanged in one step (not Linux), the swap is two renames."""
    monkeypatch.setenv("ZSREPORT_NO_EXCHANGE", "1")
    data, out = fresh
    before = snapshot(out / "2020Q4")
    killed = run_mini_process(data, out, "build-half-swapped:1")
    assert killed.returncode == -signal.SIGKILL
    assert not (out / "2020Q4").exists() and (out / ".2020Q4.old").exists()
    with staging.quarter_lock(out / "2020Q4"):
        staging.recover(out / "2020Q4")
    assert snapshot(out / "2020Q4") == before and leftovers(out) == []


def test_a_second_build_of_the_same_quarter_is_refused_while_one_runs(fresh, monkeypatch) -> None:
    data, out = fresh
    before = snapshot(out / "2020Q4")
    with (
        staging.quarter_lock(out / "2020Q4"),
        pytest.raises(staging.BusyError, match="正由另一个生成进程写入"),
    ):
        build_mini(data, out, monkeypatch)
    assert snapshot(out / "2020Q4") == before


# (A lock left by a dead build, taken over by the next: test_a_killed_build_leaves_the_previous_set_exactly.)


@pytest.mark.slow
def test_two_builds_at_once_end_in_one_whole_set(fresh) -> None:
    import subprocess
    import sys

    data, out = fresh
    from tests.mini import RUN_MINI
    from zsreport import PROJECT_ROOT

    runs = [
        subprocess.Popen([sys.executable, "-c", RUN_MINI, str(data), str(out)], cwd=PROJECT_ROOT,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]  # fmt: skip
    outcomes = [(run.wait(timeout=600), run.stderr.read()) for run in runs]
    assert sorted(code for code, _ in outcomes)[0] == 0
    refused = [err for code, err in outcomes if code != 0]
    assert all("BusyError" in err or "正由另一个生成进程写入" in err for err in refused)
    assert leftovers(out) == []
    import json

    record = json.loads((out / "2020Q4" / "build.json").read_text(encoding="utf-8"))
    assert snapshot(out / "2020Q4") == {
        **record["files"],
        "build.json": sha256_file(out / "2020Q4" / "build.json"),
    }
