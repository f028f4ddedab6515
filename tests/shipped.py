"""The shipped data (the package's sample, ``zsreport/data/``), copied once per test run into a
temporary folder.

Tests never read a live ``data/`` folder nor the package's own copy: a clerk adding ``data/2021/``
(as the README says) or the tests themselves must not change what another test sees. Only the
shipped parts are copied (the office's configuration and the 2020 year).
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

from zsreport import SAMPLE_DATA_DIR

SHIPPED_FILES = ("registry.toml", "office.toml")
SHIPPED_YEARS = ("2020",)


@functools.cache
def shipped_data() -> Path:
    """A private copy of the shipped data (``…/data``), made on first use; not to be edited:
    a test that changes files takes its own copy with ``copy_shipped``."""
    root = Path(tempfile.mkdtemp(prefix="zsreport-shipped-"))
    atexit.register(shutil.rmtree, root, True)
    data = root / "data"
    data.mkdir()
    for name in SHIPPED_FILES:
        shutil.copy2(SAMPLE_DATA_DIR / name, data / name)
    for year in SHIPPED_YEARS:
        shutil.copytree(SAMPLE_DATA_DIR / year, data / year)
    return data


def copy_shipped(dst: Path) -> Path:
    """A copy of the shipped data at ``dst`` (a folder named ``data`` keeps messages' paths
    "data/2020/…" as the clerk sees them), for a test to change."""
    shutil.copytree(shipped_data(), dst)
    return dst
