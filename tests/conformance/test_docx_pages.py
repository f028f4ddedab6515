"""Issue 24 §2: ``page.filled`` holds the DOCX as LibreOffice lays it out, as it holds the PDF. A
DOCX whose page ends short (a page break forced in the middle of the text) fails it; the same
DOCX without the break passes."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest
from lxml import etree

from tests.demo_document import demo_document
from tests.wrong_documents import W, edit_docx
from zsreport.conformance import check_docx, convert_docx_to_pdf
from zsreport.conformance.reading import TEXT_TOP
from zsreport.model import Document, Figure, PageBreak, Paragraph
from zsreport.render.docx import render_docx
from zsreport.render.pdf import floats, page_order, render_pdf

TEXT = "全市各级各部门坚持以承接产业转移示范区建设为抓手，紧扣七大产业链精准招商，总体平稳。"
# The paragraph a wrong copy starts a page with, in the middle of page 2.
BROKEN_AT = "8" + TEXT[:10]


def _text_document() -> Document:
    """Letterhead, title and two-line paragraphs over three pages."""
    base = demo_document()
    body = tuple(Paragraph.of(f"{i}{TEXT}") for i in range(20))
    return replace(base, body=body, attachments=(), meta=replace(base.meta, slug="docx-pages"))


def _break_before(name: str, root: etree._Element) -> None:
    """``w:pageBreakBefore`` on the paragraph starting with ``BROKEN_AT``."""
    for p in root.iter(f"{{{W}}}p"):
        text = "".join(t.text or "" for t in p.iter(f"{{{W}}}t"))
        if text.startswith(BROKEN_AT):
            ppr = p.find(f"{{{W}}}pPr")
            if ppr is None:
                ppr = etree.SubElement(p, f"{{{W}}}pPr")
                p.insert(0, ppr)
            ppr.insert(0, etree.Element(f"{{{W}}}pageBreakBefore"))


@pytest.fixture(scope="module")
def measured(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[int | None, bool]]:
    """``page.filled`` of the right DOCX and the wrong one through LibreOffice: page → ok."""
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed: the DOCX geometry cannot be measured")
    folder = tmp_path_factory.mktemp("docx-pages")
    document = page_order(_text_document())
    right = render_docx(document, folder / "right.docx")
    wrong = edit_docx(right, folder / "wrong.docx", _break_before)
    pdfs = convert_docx_to_pdf([right, wrong], folder)
    found = {}
    for path in (right, wrong):
        findings = check_docx(path, document, pdf=pdfs[path])
        found[path.stem] = {f.page: f.ok for f in findings if f.rule == "page.filled"}
    return found


def test_a_docx_page_left_short_fails_page_filled_through_libreoffice(
    measured: dict[str, dict[int | None, bool]],
) -> None:
    assert measured["wrong"].get(2) is False, measured["wrong"]


def test_the_same_docx_filled_passes(measured: dict[str, dict[int | None, bool]]) -> None:
    assert measured["right"] and all(measured["right"].values()), measured["right"]
    assert measured["right"].keys() >= {1, 2}


def _chart_top_mm(pdf: Path, page: int) -> float:
    """The top of the chart on ``page`` (1-based): the PDF's drawing, LibreOffice's picture."""
    with pdfplumber.open(pdf) as read:
        shown = read.pages[page - 1]
        tops = [o["top"] for o in (*shown.images, *shown.rects, *shown.curves)]
    return min(tops) * 25.4 / 72


def test_a_chart_opening_a_page_keeps_its_gap_in_libreoffice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A chart pushed to the top of page 2 stands half a 行 under the 版心's top in the PDF (the
    margin kept); LibreOffice drops a paragraph's space before there, so the DOCX sets the gap as
    a blank paragraph kept with the chart, and the chart stands where the PDF's does."""
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed: the DOCX geometry cannot be measured")
    monkeypatch.setattr(floats, "MAX_TRIALS", 0)  # the chart stays pushed, as written
    base = demo_document()
    figure = next(b for b in base.body if isinstance(b, Figure))
    body = (*(Paragraph.of(f"{i}{TEXT}") for i in range(3)), figure, Paragraph.of(TEXT))
    document = replace(base, body=body, attachments=(), meta=replace(base.meta, slug="chart-top"))
    pdf = render_pdf(document, tmp_path / "chart-top.pdf")
    docx = render_docx(page_order(document), tmp_path / "chart-top.docx")
    converted = convert_docx_to_pdf([docx], tmp_path / "lo")[docx]
    pdf_top, lo_top = _chart_top_mm(pdf, 2), _chart_top_mm(converted, 2)
    assert pdf_top > TEXT_TOP + 3  # the margin kept above it
    assert lo_top == pytest.approx(pdf_top, abs=1.5)


def test_the_last_paragraph_goes_over_as_in_the_pdf_in_libreoffice(tmp_path: Path) -> None:
    """Page 2 has four lines left for the body's last paragraph (four lines) and the 署名: the PDF
    leaves three of its lines at the foot and takes one over with the 署名. LibreOffice moves a
    keep-with-next paragraph whole, so the DOCX splits it where the PDF did; unsplit, page 2 ends
    three lines short in LibreOffice."""
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed: the DOCX geometry cannot be measured")
    base = demo_document()
    last = (
        TEXT
        + "各县市区要对照年度目标，查漏补缺，确保全面完成全年任务。力争明年工作开好局起好步。要紧扣七大产业链精准招商。"
    )
    body = (PageBreak(), *(Paragraph.of(f"{i}{TEXT}") for i in range(9)), Paragraph.of(last))
    document = replace(base, body=body, attachments=(), meta=replace(base.meta, slug="last-over"))
    placed = page_order(document)
    assert placed.last_paragraph_head > 0
    right = render_docx(placed, tmp_path / "split.docx")
    whole = render_docx(replace(placed, last_paragraph_head=0), tmp_path / "whole.docx")
    pdfs = convert_docx_to_pdf([right, whole], tmp_path / "lo")
    filled = {
        path.stem: [
            f.ok
            for f in check_docx(path, document, pdf=pdfs[path])
            if f.rule == "page.filled" and f.page == 2
        ]
        for path in (right, whole)
    }
    assert filled == {"split": [True], "whole": [False]}
