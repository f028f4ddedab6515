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
from zsreport.conformance.reading import read_pdf
from zsreport.conformance.rules_page import empty_lines_at_foot
from zsreport.linebreak import strip_breaks
from zsreport.model import Block, Document, Figure, Heading, Mode, PageBreak, Paragraph, Table
from zsreport.render.docx import build_docx
from zsreport.render.pdf import floats, page_order, remedies, render_pdf

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


# --- the page before the 署名's: the text runs on rather than leave two lines (issue 24) -------------


# A paragraph of three lines and the body's last of two, unlike the others' words.
PENULTIMATE = (
    "华孚发制品生产线项目存在要素保障问题。要落实“五个一”工作机制，明确责任人和完成时限，"
    "需市级层面协调的问题及时报市领导小组办公室。"
)
LAST = "要紧扣七大产业链精准招商，按时准确报送招商引资信息和项目数据，力争明年工作开好局起好步。"


def _empty_lines(pdf: Path, page: int) -> int | None:
    return empty_lines_at_foot(read_pdf(pdf)[page - 1])


def _before_signoff(slug: str, *closing: Paragraph) -> Document:
    """Ten two-line paragraphs fill 20 of page 2's 22 lines; ``closing`` and the 署名 follow."""
    return _document(slug, *(Paragraph.of(f"{i}{TWO_LINES}") for i in range(10)), *closing)


def test_a_paragraph_pushed_whole_splits_to_fill_the_page_before_the_signoff(tmp_path: Path) -> None:
    """A three-line paragraph cannot leave two lines at the foot and one over (widows 2): it went
    over whole with the last paragraph and the 署名, and page 2 ended two lines short (洞口县 p4)."""
    document = _before_signoff("split-anywhere", Paragraph.of(PENULTIMATE), Paragraph.of(LAST))
    placed = page_order(document)
    assert [b.split_anywhere for b in placed.body if isinstance(b, Paragraph)][-2:] == [True, False]
    pdf = render_pdf(document, tmp_path / "split-anywhere.pdf")
    assert document.signoff is not None
    with pdfplumber.open(pdf) as read:
        assert _page_of(read, PENULTIMATE[:12]) == 2
        assert _page_of(read, PENULTIMATE[-12:]) == _page_of(read, document.signoff.date) == 3
    assert _empty_lines(pdf, 2) == 1  # 22 lines would overrun the 版心 by a hundredth of a point
    assert _filled(pdf, document, 2)


@pytest.mark.parametrize("split_anywhere", [False, True])
def test_the_docx_lets_a_paragraph_split_anywhere_as_the_pdf_did(split_anywhere: bool) -> None:
    """Under a heading a paragraph keeps two lines together (widow/orphan control); not where the
    PDF let it leave one line alone, so Word and LibreOffice may break it likewise."""
    paragraph = replace(Paragraph.of(PENULTIMATE), split_anywhere=split_anywhere)
    built = Docx(io.BytesIO(build_docx(_document("docx-split", HEADING, paragraph))))
    (written,) = [p for p in built.paragraphs if PENULTIMATE[:12] in p.text]
    controls = [c.get(qn("w:val")) for c in written._p.iter(qn("w:widowControl"))]
    assert (controls in ([], ["0"])) == split_anywhere, controls


def test_the_last_paragraph_leaves_a_line_on_the_page_before_the_signoff(tmp_path: Path) -> None:
    """The body's last paragraph went over whole with the 署名 (a line of it alone at the foot was
    not allowed) and page 2 ended two lines short (plain 绥宁县 p3): one line now stays."""
    document = _before_signoff("split-last", Paragraph.of(LAST))
    placed = page_order(document)
    assert placed.split_last_paragraph
    pdf = render_pdf(document, tmp_path / "split-last.pdf")
    assert document.signoff is not None
    with pdfplumber.open(pdf) as read:
        assert _page_of(read, LAST[:12]) == 2
        assert _page_of(read, LAST[-12:]) == _page_of(read, document.signoff.date) == 3
        page_2 = read.pages[1].extract_text().replace("\n", "")
    assert _empty_lines(pdf, 2) == 1
    # the DOCX breaks the paragraph where the PDF did: only its second part is kept with the 署名
    head = placed.last_paragraph_head
    assert 0 < head < len(LAST) and page_2.replace(" ", "").endswith(LAST[:head] + "—2—")
    written = [p for p in Docx(io.BytesIO(build_docx(placed))).paragraphs if p.text]
    at = next(i for i, p in enumerate(written) if p.text.startswith(LAST[:4]))
    first, second = (strip_breaks(p.text) for p in written[at : at + 2])
    assert (first, second) == (LAST[:head], LAST[head:])
    kept = [written[i]._p.pPr.find(qn("w:keepNext")) is not None for i in (at, at + 1)]
    assert kept == [False, True]


def test_a_remedy_that_only_brings_the_page_within_page_filled_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three lines short before the 署名's page (the last paragraph went over whole): one line of it
    left at the foot leaves two, which the checker passes though the layout aims at one; kept.
    (Closing up the last page's lines would fill it: left out here, so the split is seen alone.)"""
    monkeypatch.setattr(remedies, "_tail_squeezed", lambda *args: iter(()))
    one_line = Paragraph.of("各县市区要对照年度目标。")
    document = _document(
        "within", *(Paragraph.of(f"{i}{TWO_LINES}") for i in range(9)), one_line, Paragraph.of(LAST)
    )
    assert page_order(document).split_last_paragraph
    pdf = render_pdf(document, tmp_path / "within.pdf")
    assert _empty_lines(pdf, 2) == 2
    assert _filled(pdf, document, 2)


@pytest.mark.parametrize(
    ("slug", "closing"),
    [("unsplit-anywhere", (PENULTIMATE, LAST)), ("unsplit-last", (LAST,))],
)
def test_unremedied_the_page_before_the_signoff_ends_two_lines_short(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, slug: str, closing: tuple[str, ...]
) -> None:
    """The two tests above can fail: without remedies the text goes over whole with the 署名."""
    monkeypatch.setattr(floats, "MAX_TRIALS", 0)
    document = _before_signoff(slug, *map(Paragraph.of, closing))
    pdf = render_pdf(document, tmp_path / f"{slug}.pdf")
    with pdfplumber.open(pdf) as read:
        assert _page_of(read, closing[0][:12]) == 3 > _page_of(read, "9" + TWO_LINES[:8])
    assert _empty_lines(pdf, 2) == 2


def test_the_closed_up_docx_keeps_the_gap_above_a_chart() -> None:
    """The DOCX's closed-up tail sets its lines and blank lines closer, but the blank paragraph that
    is a chart's gap (``Writer.gap``) keeps its half 行, as the PDF's margin does."""
    figure = next(b for b in demo_document(Mode.FORMAL).body if isinstance(b, Figure))
    base = _document("gap-kept", Paragraph.of(TWO_LINES), figure, Paragraph.of(LAST))
    pitch = 0.9 * g.LINE_PITCH_PT
    built = Docx(io.BytesIO(build_docx(replace(base, tail_from=1, tail_pitch_pt=pitch))))
    paragraphs = built.paragraphs
    at = next(i for i, p in enumerate(paragraphs) if p._p.find(".//" + qn("w:drawing")) is not None)

    def line(p) -> int:
        return int(p._p.pPr.find(qn("w:spacing")).get(qn("w:line")))

    gap = paragraphs[at - 1]
    assert gap.style.style_id == "ZSBlank" and gap._p.pPr.find(qn("w:keepNext")) is not None
    assert line(gap) == round(g.LINE_PITCH_TWIPS * g.FLOAT_GAP_LINES)
    (last,) = [p for p in paragraphs if p.text.startswith(LAST[:8])]
    assert line(last) == round(g.LINE_PITCH_TWIPS * pitch / g.LINE_PITCH_PT)
