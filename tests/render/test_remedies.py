"""Issue 14 item 7: the remedies that fill a page (``render.pdf.remedies``), each on a hand-built
document that needs it, read back from the PDF (and the DOCX where the tree changes it), and each
shown to be needed: without it the page is left short."""

from __future__ import annotations

import io
import itertools
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest
from docx import Document as Docx
from docx.oxml.ns import qn

from tests.demo_document import demo_document, demo_table
from tests.render.test_floats import TWO_LINES
from zsreport import gbt9704 as g
from zsreport.conformance import check_pdf
from zsreport.model import Block, Document, Figure, Heading, Mode, PageBreak, Paragraph, Table
from zsreport.render.docx import build_docx
from zsreport.render.pdf import floats, page_order, render_pdf

THREE_LINES = TWO_LINES + "全市各级各部门坚持以承接产业转移示范区建设为抓手，紧扣七大产业链。"
HEADING = Heading(1, "二、", "项目推进情况")


def _document(slug: str, *body: Block) -> Document:
    base = demo_document(Mode.FORMAL)
    return replace(base, body=(PageBreak(), *body), attachments=(), meta=replace(base.meta, slug=slug))


def _page_of(pdf: pdfplumber.PDF, text: str) -> int:
    """1-based number of the first page holding ``text``."""
    for number, page in enumerate(pdf.pages, 1):
        if text in (page.extract_text() or "").replace("\n", ""):
            return number
    raise AssertionError(f"{text} not found")


def _filled(pdf: Path, document: Document, page: int) -> bool:
    found = [f for f in check_pdf(pdf, document) if f.rule == "page.filled" and f.page == page]
    assert found, f"page {page} not measured"
    return all(f.ok for f in found)


# --- a table tightened so the heading after it keeps its lines ------------------------------------


def _table_then_heading() -> Document:
    """A 16-row table ends 3½ lines above page 2's foot: the heading and its three-line paragraph
    (4 lines, kept together) do not fit, unless the table's rows close up."""
    table = demo_table(2, rows=16)
    return _document("tightened", table, HEADING, Paragraph.of(THREE_LINES), Paragraph.of(TWO_LINES))


def _row_pitch_mm(pdf: Path) -> float:
    with pdfplumber.open(pdf) as read:
        words = {w["text"]: w["top"] for w in read.pages[1].extract_words()}
    return (words["单位4"] - words["单位3"]) * 25.4 / 72


def test_a_table_closes_up_so_the_heading_after_it_keeps_its_lines(tmp_path: Path) -> None:
    document = _table_then_heading()
    placed = page_order(document)
    (table,) = [b for b in placed.body if isinstance(b, Table)]
    assert table.compact
    pdf = render_pdf(document, tmp_path / "tightened.pdf")
    with pdfplumber.open(pdf) as read:
        assert _page_of(read, "二、项目推进情况") == _page_of(read, "单位16") == 2
    assert _filled(pdf, document, 2)
    # the DOCX's cells close up the same way (top and bottom margins), left and right kept
    docx = Docx(io.BytesIO(build_docx(placed)))
    data = max(docx.tables, key=lambda t: len(t.rows))  # not the 版记
    margins = data._tbl.tblPr.find(qn("w:tblCellMar"))
    widths = {side: int(margins.find(qn(f"w:{side}")).get(qn("w:w"))) for side in ("top", "left")}
    assert widths == {"top": g.mm_to_twips(g.TABLE_CELL_PADDING_COMPACT_MM), "left": g.mm_to_twips(1.0)}


def test_untightened_the_heading_leaves_the_page_short(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The test above can fail: without remedies the heading goes over and page 2 is short; the
    tightened rows are closer by twice the padding saved."""
    monkeypatch.setattr(floats, "MAX_TRIALS", 0)
    document = replace(_table_then_heading(), meta=replace(_table_then_heading().meta, slug="loose"))
    pdf = render_pdf(document, tmp_path / "loose.pdf")
    assert not _filled(pdf, document, 2)
    tight = render_pdf(page_order_tightened(document), tmp_path / "tight.pdf")
    saved = 2 * (g.TABLE_CELL_PADDING_MM - g.TABLE_CELL_PADDING_COMPACT_MM)
    assert _row_pitch_mm(pdf) - _row_pitch_mm(tight) == pytest.approx(saved, abs=0.15)


def page_order_tightened(document: Document) -> Document:
    body = tuple(replace(b, compact=True) if isinstance(b, Table) else b for b in document.body)
    return replace(document, body=body, meta=replace(document.meta, slug="tight"))


# --- the 署名 kept with the text: the last page's lines close up (7.3.5.5) ------------------------


def _signoff_document() -> Document:
    """Eight two-line paragraphs and a three-line one: with the 署名 (a blank line, two organ
    lines, the date) 23 lines for page 2's 22. Going over, the last paragraph would leave one line
    with the 署名 and page 2 four lines short."""
    paragraphs = [Paragraph.of(f"{i}{TWO_LINES}") for i in range(8)]
    return _document("squeezed", *paragraphs, Paragraph.of(THREE_LINES))


def test_the_last_page_closes_up_to_keep_the_signoff_with_the_text(tmp_path: Path) -> None:
    document = _signoff_document()
    placed = page_order(document)
    assert g.SQUEEZE_MIN_PITCH_PT <= placed.tail_pitch_pt < g.LINE_PITCH_PT
    pdf = render_pdf(document, tmp_path / "squeezed.pdf")
    assert document.signoff is not None
    with pdfplumber.open(pdf) as read:
        date_page = _page_of(read, document.signoff.date)
        assert date_page == _page_of(read, THREE_LINES[-12:]) == _page_of(read, "0" + TWO_LINES[:10]) == 2
        lines = sorted({round(w["top"], 1) for w in read.pages[1].extract_words() if w["x0"] < 120})
    pitches = [(b - a) for a, b in itertools.pairwise(lines)]
    assert min(pitches) == pytest.approx(placed.tail_pitch_pt, abs=0.3)  # the closed-up lines
    findings = {f.rule: f for f in check_pdf(pdf, document) if f.rule == "body.line-pitch"}
    assert findings["body.line-pitch"].ok and "7.3.5.5" in findings["body.line-pitch"].measured
    assert _filled(pdf, document, 2)
    # the DOCX closes up the same lines (an exact line height), so Word ends the text there too
    heights = [
        int(spacing.get(qn("w:line")))
        for p in Docx(io.BytesIO(build_docx(placed))).paragraphs
        if THREE_LINES[:8] in p.text or p.text == document.signoff.date
        for spacing in p._p.iter(qn("w:spacing"))
    ]
    assert len(heights) > 2
    assert set(heights) == {round(g.LINE_PITCH_TWIPS * placed.tail_pitch_pt / g.LINE_PITCH_PT)}


def test_without_closing_up_the_signoff_leaves_its_page_short(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(floats, "MAX_TRIALS", 0)
    document = replace(_signoff_document(), meta=replace(_signoff_document().meta, slug="unsqueezed"))
    assert not _filled(render_pdf(document, tmp_path / "unsqueezed.pdf"), document, 2)


@pytest.mark.parametrize(
    ("slug", "tail_from", "pitch"),
    [
        ("below-least", 1, 0.8 * g.LINE_PITCH_PT),  # the 署名's page, closer than 7.3.5.5 allows
        ("off-signoff-page", 1, 0.9 * g.LINE_PITCH_PT),  # lines closed up on a page without it
    ],
)
def test_the_line_pitch_rule_fails_a_wrong_closing_up(
    tmp_path: Path, slug: str, tail_from: int, pitch: float
) -> None:
    paragraphs = 8 if slug == "below-least" else 20
    base = _document(slug, *(Paragraph.of(f"{i}{TWO_LINES}") for i in range(paragraphs)))
    document = replace(base, tail_from=tail_from, tail_pitch_pt=pitch)
    pdf = render_pdf(document, tmp_path / f"{slug}.pdf")
    with pdfplumber.open(pdf) as read:
        assert document.signoff is not None
        assert (_page_of(read, document.signoff.date) == 2) == (slug == "below-least")
    (finding,) = [f for f in check_pdf(pdf, document) if f.rule == "body.line-pitch"]
    assert not finding.ok, finding.measured


# --- a chart after the next table of its section -----------------------------------------------------


def _chart_before_a_table() -> Document:
    """Twelve lines of text, a 100 mm chart that does not fit under them (ten lines would be left
    empty), a paragraph and a table of the same section: the table goes above the chart and breaks
    at the page's foot, and the chart follows it on the next page."""
    figure = next(b for b in demo_document(Mode.FORMAL).body if isinstance(b, Figure))
    return _document(
        "table-ahead",
        *(Paragraph.of(f"{i}{TWO_LINES}") for i in range(6)),
        replace(figure, height_mm=100),
        Paragraph.of(THREE_LINES),
        demo_table(2, rows=10),
        HEADING,
        Paragraph.of(TWO_LINES),
        Paragraph.of(TWO_LINES),
    )


def test_a_table_of_the_section_goes_above_a_pushed_chart(tmp_path: Path) -> None:
    document = _chart_before_a_table()
    kinds = [type(b).__name__ for b in page_order(document).body]
    assert kinds[-6:] == ["Paragraph", "Table", "Figure", "Heading", "Paragraph", "Paragraph"]
    pdf = render_pdf(document, tmp_path / "ahead.pdf")
    with pdfplumber.open(pdf) as read:
        assert _page_of(read, "表2") == 2 < _page_of(read, "图1") < _page_of(read, "二、项目推进情况")
    assert _filled(pdf, document, 2)
