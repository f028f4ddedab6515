"""The sets the conformance tests hold against GB/T 9704 and against each other, each built and
laid out by LibreOffice once per session: one ``soffice`` call per set, shared by every test that
reads the DOCX as LibreOffice prints it (conformance, fidelity, agreement)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.shipped import shipped_data
from tests.wrong_documents import WRONG_PDFS, render_all
from zsreport.build import BuildResult, build_quarter
from zsreport.conformance import convert_docx_to_pdf
from zsreport.model import Mode

# The sets besides the default one: 套打 paper with the briefing as red-header material, and
# every document without 版头.
VARIANTS: dict[str, dict[str, object]] = {
    "preprinted-formal": {"briefing_mode": Mode.FORMAL, "preprinted": True},
    "plain": {"plain": True},
}

# A set as built, and its DOCX as LibreOffice laid them out: slug → that PDF.
LaidOut = tuple[BuildResult, dict[str, Path]]


def needs_libreoffice() -> None:
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed: the DOCX geometry cannot be measured")


def lay_out(result: BuildResult, workdir: Path) -> dict[str, Path]:
    """Every DOCX of a set through LibreOffice in one call: slug → the PDF it printed."""
    paths = {d.meta.slug: result.out_dir / f"{d.meta.slug}.docx" for d in result.documents}
    pdfs = convert_docx_to_pdf(list(paths.values()), workdir)
    assert len(pdfs) == len(paths), "LibreOffice did not convert every DOCX"
    return {slug: pdfs[path] for slug, path in paths.items()}


@pytest.fixture(scope="session")
def built_laid_out(built: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> LaidOut:
    """The default set and its DOCX as LibreOffice prints them."""
    needs_libreoffice()
    return built, lay_out(built, tmp_path_factory.mktemp("lo"))


@pytest.fixture(scope="session")
def variant_laid_out(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], LaidOut]:
    """A variant set (``VARIANTS``) and its DOCX as LibreOffice prints them, made when first asked."""
    made: dict[str, LaidOut] = {}

    def get(name: str) -> LaidOut:
        if name not in made:
            needs_libreoffice()
            result = build_quarter(shipped_data(), 2020, 4, tmp_path_factory.mktemp(name), **VARIANTS[name])  # type: ignore[arg-type]
            made[name] = result, lay_out(result, tmp_path_factory.mktemp(f"lo-{name}"))
        return made[name]

    return get


@pytest.fixture(scope="session")
def wrong_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every purpose-made wrong PDF (``tests.wrong_documents``), rendered once per session: the
    checker's tests and the Chinese-report test read the same files, and never change them."""
    return render_all(WRONG_PDFS, tmp_path_factory.mktemp("wrong"), workers=2)
