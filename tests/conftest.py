"""Shared fixtures: the shipped data (a private copy, never the live data/ folder) and one build of
its 2020 Q4 per test session (about 35 s)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.shipped import shipped_data
from zsreport.build import BuildResult, build_quarter

# The small real set (city bulletin + two unit bulletins) and its data copy, for every test folder.
pytest_plugins = ["tests.mini"]


@pytest.fixture(scope="session")
def shipped() -> Path:
    """The shipped data, copied once per session; tests that change files copy it again."""
    return shipped_data()


@pytest.fixture(scope="session")
def built(shipped: Path, tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """Every document of 2020 Q4 built from the shipped data into a temporary out/."""
    return build_quarter(shipped, 2020, 4, tmp_path_factory.mktemp("out"))
