"""Issue 14 item 7: a chart that does not fit the rest of its page floats to the next one, and the
text after it fills the page; the DOCX is given the same order. Read back from the PDF."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pytest
from docx import Document as Docx

from tests.demo_document import demo_document, demo_table
from zsreport.conformance import check_pdf, failures
from zsreport.model import Block, Document, Figure, Heading, Mode, PageBreak, Paragraph
from zsreport.render.docx import build_docx
from zsreport.render.pdf import floats, page_order, remedies, render_pdf

# Two lines each (a 28-字 line, 2 字 indent): nine of them fill 18 of a page's 22 lines.
TWO_LINES = "全市各级各部门坚持以承接产业转移示范区建设为抓手，紧扣七大产业链精准招商，总体平稳。"
AFTER = "从新引进产业招商项目完成情况看，全市十三个单位中有十二个完成年度目标，一个单位未完成。"


def chart_after_text(paragraphs: int, chart_mm: float, *after: Block) -> Document:
    """A page of ``paragraphs`` two-line paragraphs, then the demo chart ``chart_mm`` tall, then
    ``after``: the demo document's body replaced, without attachments."""
    base = demo_document(Mode.FORMAL)
    figure = next(b for b in base.body if isinstance(b, Figure))
    body = (
        PageBreak(),
        *(Paragraph.of(f"{i}{TWO_LINES}") for i in range(paragraphs)),
        replace(figure, height_mm=chart_mm),
        *after,
    )
    return replace(base, body=body, attachments=())


def _pushed_figure_document() -> Document:
    """Page 2 holds 18 lines of text; a 100 mm chart cannot follow them, so it is pushed and
    four lines would stay empty, unless the paragraph after it (two lines) fills them; the next
    section's heading is not moved (the chart stays in its section), nor is the table."""
    return chart_after_text(
        9,
        100,
        Paragraph.of(AFTER),
        Heading(1, "二、", "项目推进情况"),
        Paragraph.of(TWO_LINES),
        demo_table(2, rows=4),
    )


def _page_of(pdf: pdfplumber.PDF, text: str) -> int:
    return next(
        i for i, page in enumerate(pdf.pages) if text in (page.extract_text() or "").replace("\n", "")
    )


@pytest.fixture(scope="module")
def document() -> Document:
    return _pushed_figure_document()


def _short_before_figure(document: Document, folder: Path) -> tuple[Path, list[str]]:
    """The PDF, and the ``page.filled`` failures of the page before the chart's."""
    pdf = render_pdf(document, folder / "floats.pdf")
    with pdfplumber.open(pdf) as read:
        before = _page_of(read, "图1")  # 0-based index of the chart's page: the page before's number
    found = failures(check_pdf(pdf, document))
    return pdf, [f"p{f.page} {f.measured}" for f in found if f.rule == "page.filled" and f.page == before]


def test_text_after_a_pushed_figure_fills_its_page(document: Document, tmp_path: Path) -> None:
    pdf, short = _short_before_figure(document, tmp_path)
    assert not short
    with pdfplumber.open(pdf) as read:
        figure_page = _page_of(read, "图1")
        assert _page_of(read, AFTER[:20]) == figure_page - 1
        assert _page_of(read, "二、项目推进情况") == figure_page  # under the chart, not before it
        assert _page_of(read, "8" + TWO_LINES[:10]) == figure_page - 1  # nothing moved after it


def test_the_docx_is_given_the_pdf_order(document: Document) -> None:
    kinds = [type(b).__name__ for b in page_order(document).body]
    assert kinds[-5:] == ["Paragraph", "Figure", "Heading", "Paragraph", "Table"]
    figure = next(b for b in document.body if isinstance(b, Figure))
    small = replace(figure, height_mm=15)
    fits = replace(document, body=(Paragraph.of(AFTER), small, Paragraph.of(AFTER)))
    assert page_order(fits) == fits  # a chart that fits where it is written stays there


def test_without_floats_the_page_is_left_short(
    document: Document, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The test above can fail: with no deferral the chart leaves its page four lines short."""
    monkeypatch.setattr(floats, "MAX_TRIALS", 0)
    other = replace(document, meta=replace(document.meta, slug="unfloated"))  # not the cached layout
    _, short = _short_before_figure(other, tmp_path)
    assert short


def test_a_chart_never_floats_into_the_next_section(document: Document) -> None:
    """With the next section's heading right after the chart, nothing moves: the page is left
    short rather than 图1 printed under 二、."""
    body = list(document.body)
    at = next(i for i, b in enumerate(body) if isinstance(b, Figure))
    del body[at + 1]  # the paragraph of the chart's own section
    headed = replace(document, body=tuple(body), meta=replace(document.meta, slug="headed"))
    assert page_order(headed) == headed


def _chart_under_a_table_document(paragraphs: int = 2) -> Document:
    """Four lines of text, a five-row table, then a 100 mm chart that no longer fits under the
    table and the next section's heading: no paragraph may fill the page, so the chart goes above
    the table, which then breaks with its header repeated."""
    base = demo_document(Mode.FORMAL)
    figure = next(b for b in base.body if isinstance(b, Figure))
    body = (
        PageBreak(),
        *(Paragraph.of(f"{i}{TWO_LINES}") for i in range(paragraphs)),
        demo_table(2, rows=5),
        replace(figure, height_mm=100),
        Heading(1, "二、", "项目推进情况"),
        Paragraph.of(AFTER),
    )
    return replace(base, body=body, attachments=(), meta=replace(base.meta, slug="lifted"))


def test_a_chart_pushed_from_under_its_table_goes_above_it(tmp_path: Path) -> None:
    document = _chart_under_a_table_document()
    kinds = [type(b).__name__ for b in page_order(document).body]
    assert kinds[-4:] == ["Figure", "Table", "Heading", "Paragraph"]
    pdf = render_pdf(document, tmp_path / "lifted.pdf")
    with pdfplumber.open(pdf) as read:
        page = _page_of(read, "图1")
        assert page == _page_of(read, "1" + TWO_LINES[:10]) == _page_of(read, "表2")
        assert _page_of(read, "二、项目推进情况") > page
    filled = [f for f in check_pdf(pdf, document) if f.rule == "page.filled" and f.page == page + 1]
    assert filled and all(f.ok for f in filled)  # the table filled the chart's page


def test_unlifted_the_chart_leaves_its_page_short(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The test above can fail: without the lift the chart is pushed and the page stays short."""
    monkeypatch.setattr(remedies, "_table_after_figure", lambda *a: iter(()))
    document = _chart_under_a_table_document()
    assert [type(b).__name__ for b in page_order(document).body][-4:] == [
        "Table",
        "Figure",
        "Heading",
        "Paragraph",
    ]


def test_a_chart_is_drawn_smaller_to_let_its_table_start_under_it(tmp_path: Path) -> None:
    """One more line of text above: at full size the lifted chart would leave the table no room
    to start; drawn a little smaller (never below ``MIN_FIGURE_SCALE``) it does, and the PDF
    and the DOCX both show the smaller chart."""
    document = _chart_under_a_table_document(paragraphs=3)
    placed = page_order(document)
    assert [type(b).__name__ for b in placed.body][-4:] == ["Figure", "Table", "Heading", "Paragraph"]
    chart = next(b for b in placed.body if isinstance(b, Figure))
    assert remedies.MIN_FIGURE_SCALE * 100 <= chart.height_mm < 100
    assert chart.width_mm / chart.height_mm == pytest.approx(_original_chart(document).width_mm / 100)
    pdf = render_pdf(document, tmp_path / "smaller.pdf")
    with pdfplumber.open(pdf) as read:
        page = _page_of(read, "图1")
        assert page == _page_of(read, "表2")
    filled = [f for f in check_pdf(pdf, document) if f.rule == "page.filled" and f.page == page + 1]
    assert filled and all(f.ok for f in filled)  # the page 1 ends on purpose (a page break)
    docx = Docx(io.BytesIO(build_docx(placed)))  # the batch gives the DOCX the PDF's tree
    (shape,) = docx.inline_shapes
    assert shape.width.mm == pytest.approx(chart.width_mm, abs=0.1)


def _original_chart(document: Document) -> Figure:
    return next(b for b in document.body if isinstance(b, Figure))


def test_a_chart_is_never_drawn_below_its_least_scale() -> None:
    """Two lines more: the chart would have to shrink below ``MIN_FIGURE_SCALE`` for the table
    to start under it, so it is not lifted and keeps its size; the page is left short."""
    document = _chart_under_a_table_document(paragraphs=4)
    placed = page_order(document)
    assert [type(b).__name__ for b in placed.body][-4:] == ["Table", "Figure", "Heading", "Paragraph"]
    assert _original_chart(placed).height_mm == 100
