"""Fixtures the archive tests share."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from zsreport.archive import Archive

NOW = dt.datetime(2021, 1, 12, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def issued(fresh, tmp_path: Path) -> Archive:
    """The mini set issued into a fresh archive, which verifies clean."""
    _data, out = fresh
    archive = Archive(tmp_path / "archive")
    archive.issue(out / "2020Q4", NOW)
    assert archive.verdict().exit_code == 0
    return archive
