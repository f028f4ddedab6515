"""Issue 10.8: tests read their own copy of the shipped data, never a live data/ folder nor the
package's sample itself."""

from __future__ import annotations

import re
from pathlib import Path

from tests.shipped import SHIPPED_YEARS, shipped_data
from zsreport import SAMPLE_DATA_DIR
from zsreport.ingest import available_quarters

TESTS = Path(__file__).resolve().parent
OWN = [p for p in TESTS.rglob("*.py") if p.name != "shipped.py"]


def test_the_copy_is_private_and_holds_only_the_shipped_years() -> None:
    copy = shipped_data()
    sample = SAMPLE_DATA_DIR.resolve()
    assert copy.resolve() != sample and not copy.resolve().is_relative_to(sample)
    years = sorted(p.name for p in copy.iterdir() if p.is_dir())
    assert years == list(SHIPPED_YEARS)
    assert available_quarters(copy) == [(2020, q) for q in (1, 2, 3, 4)]


def test_no_test_here_reads_the_live_data_folder() -> None:
    live = re.compile(
        r"\b(SAMPLE_)?DATA_DIR\b|parents\[\d\]\s*/\s*\"data\"|ROOT\s*/\s*\"(zsreport\"\s*/\s*\")?data\""
    )
    readers = [
        p.relative_to(TESTS) for p in OWN if p.name != "test_shipped.py" and live.search(p.read_text())
    ]
    assert readers == []
