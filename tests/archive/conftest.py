"""Fixtures the archive tests share."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from zsreport.archive import Archive

NOW = dt.datetime(2021, 1, 12, 9, 0, tzinfo=dt.UTC)
# Hidden entries of an out folder that a finished build keeps on purpose: the build locks, and the
# chart cache (``compose.chart_cache``: never part of a set; a damaged entry is drawn again).
KEPT_HIDDEN = ".cache"


def leftovers(out: Path) -> list[str]:
    """What a build or a failed one left hidden in ``out`` besides what it keeps (staging, parts)."""
    return sorted(
        p.name
        for p in out.iterdir()
        if p.name.startswith(".") and not p.name.endswith(".lock") and p.name != KEPT_HIDDEN
    )


@pytest.fixture
def issued(fresh, tmp_path: Path) -> Archive:
    """The mini set issued into a fresh archive, which verifies clean."""
    _data, out = fresh
    archive = Archive(tmp_path / "archive")
    archive.issue(out / "2020Q4", NOW)
    assert archive.verdict().exit_code == 0
    return archive
