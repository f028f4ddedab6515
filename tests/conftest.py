"""Shared fixtures: one build of the shipped 2020 Q4 data per test session (about 35 s)."""

from __future__ import annotations

import pytest

from zsreport import DATA_DIR
from zsreport.build import BuildResult, build_quarter

# The small real set (city bulletin + two unit bulletins) and its data copy, for every test folder.
pytest_plugins = ["tests.mini"]


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """Every document of 2020 Q4 built from the shipped data into a temporary out/."""
    return build_quarter(DATA_DIR, 2020, 4, tmp_path_factory.mktemp("out"))
