"""Fixtures the conformance tests share."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.wrong_documents import WRONG_PDFS, render_all


@pytest.fixture(scope="session")
def wrong_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every purpose-made wrong PDF (``tests.wrong_documents``), rendered once per session: the
    checker's tests and the Chinese-report test read the same files, and never change them."""
    return render_all(WRONG_PDFS, tmp_path_factory.mktemp("wrong"), workers=2)
