"""Issue 14: the checker's rules for what a 文书 would send back, each failing on a purpose-made
wrong document, and the renderers passing them."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import weasyprint

from tests.conformance.conftest import LaidOut
from tests.demo_document import demo_document
from tests.wrong_documents import (
    W,
    edit_docx,
    figure_full_width,
    heading_overleaf,
    narrow_unit_column,
    note_overleaf,
    number_lowered,
    project_name_column,
)
from zsreport.conformance import check_docx, convert_docx_to_pdf, failures, format_report
from zsreport.conformance.reading import read_pdf
from zsreport.conformance.report import STRICT, Report
from zsreport.conformance.rules_pair import PageStart, page_starts
from zsreport.conformance.rules_spacing import check_word_spacing
from zsreport.linebreak import BREAK
from zsreport.model import Document, Table
from zsreport.render.docx import render_docx
from zsreport.render.pdf import render_pdf
from zsreport.render.pdf.justify import spread_chars, spread_gaps

SPREAD_NUMBER = (
    '<p style="font: 16pt FandolFang">同比增长<span style="letter-spacing: 3pt">12.5</span>4亿元</p>'
)
PLAIN_NUMBER = '<p style="font: 16pt FandolFang">同比增长12.54亿元</p>'


def _word_spacing(html: str, target: Path) -> bool:
    weasyprint.HTML(string=html).write_pdf(target)
    report = Report(STRICT)
    check_word_spacing(report, read_pdf(target))
    return report.findings[0].ok


def test_word_spacing_fails_on_a_spread_number(tmp_path: Path) -> None:
    assert _word_spacing(PLAIN_NUMBER, tmp_path / "plain.pdf")
    assert not _word_spacing(SPREAD_NUMBER, tmp_path / "spread.pdf")


def test_justifier_spreads_only_between_zi() -> None:
    assert spread_gaps("增长12.54亿元") == 4  # 增|长|12.54|亿|元: none inside the number
    line = f"增长12.54亿{BREAK}元"  # a line's text, a break mark in it
    # the characters followed by a widened gap; the line's last one is not
    assert "".join(line[i] for i in sorted(spread_chars(line))) == "增长4亿"


def _needs_libreoffice() -> None:
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed: the DOCX geometry cannot be measured")


def test_docx_head_and_charts_match_the_pdf(tmp_path: Path) -> None:
    """The DOCX (in LibreOffice) prints its 版头 where the PDF does and its chart inside the 版心;
    a DOCX with the 文号 3 mm lower, or with a chart as wide as the 版心, fails exactly that."""
    _needs_libreoffice()
    document = demo_document()
    pdf = render_pdf(document, tmp_path / "demo.pdf")
    good = render_docx(document, tmp_path / "demo.docx")
    low = edit_docx(good, tmp_path / "low.docx", number_lowered)
    wide = edit_docx(good, tmp_path / "wide.docx", figure_full_width)
    rendered = convert_docx_to_pdf([good, low, wide], tmp_path / "lo")
    found = {p.stem: check_docx(p, document, pdf=rendered[p], reference=pdf) for p in (good, low, wide)}
    failed = {name: {f.rule for f in failures(f)} for name, f in found.items()}
    assert {"docx.head-matches-pdf", "figure.inside"} <= {f.rule for f in found["demo"]}
    assert not failed["demo"] & {"docx.head-matches-pdf", "figure.inside"}, format_report(found["demo"])
    assert failed["low"] - failed["demo"] == {"docx.head-matches-pdf"}, format_report(failures(found["low"]))
    assert failed["wide"] - failed["demo"] == {"figure.inside"}, format_report(failures(found["wide"]))


def test_docx_keeps_notes_with_tables_and_headings_with_text(tmp_path: Path) -> None:
    """Issue 14, item 4, in the DOCX as LibreOffice lays it out: the demo keeps each 注 on its
    table's page and each heading with two lines of text; the same DOCX with the first 注 pushed
    overleaf, or the text under the first 二级标题, fails exactly that rule."""
    _needs_libreoffice()
    document = demo_document()
    good = render_docx(document, tmp_path / "demo.docx")
    note = edit_docx(good, tmp_path / "note.docx", note_overleaf)
    heading = edit_docx(good, tmp_path / "heading.docx", heading_overleaf)
    rendered = convert_docx_to_pdf([good, note, heading], tmp_path / "lo")
    found = {p.stem: check_docx(p, document, pdf=rendered[p]) for p in (good, note, heading)}
    failed = {name: {f.rule for f in failures(f)} for name, f in found.items()}
    keep = {"body.note-with-table", "body.heading-kept"}
    assert keep <= {f.rule for f in found["demo"]}
    assert not failed["demo"] & keep, format_report(found["demo"])
    assert failed["note"] - failed["demo"] == {"body.note-with-table"}, format_report(failures(found["note"]))
    assert failed["heading"] - failed["demo"] == {"body.heading-kept"}, format_report(
        failures(found["heading"])
    )


def _without_kept_words(document: Document) -> Document:
    """The same tree with no word kept whole: the DOCX then leaves every break to the client."""
    body = tuple(
        dataclasses.replace(
            block,
            header=tuple(tuple(dataclasses.replace(c, keep=()) for c in row) for row in block.header),
            body=tuple(tuple(dataclasses.replace(c, keep=()) for c in row) for row in block.body),
        )
        if isinstance(block, Table)
        else block
        for block in document.body
    )
    return dataclasses.replace(document, body=body)


def test_table_words_unbroken_in_the_docx(tmp_path: Path) -> None:
    """Issue 14 item 5: a unit name in a column too narrow for it is set on lines of whole words
    in the DOCX (LibreOffice), and "邵阳经/开区" fails table.word-unbroken when it is not."""
    _needs_libreoffice()
    document = narrow_unit_column(demo_document())
    good = render_docx(document, tmp_path / "good.docx")
    bad = render_docx(_without_kept_words(document), tmp_path / "bad.docx")
    rendered = convert_docx_to_pdf([good, bad], tmp_path / "lo")
    found = {p.stem: check_docx(p, document, pdf=rendered[p]) for p in (good, bad)}
    words = {name: [f for f in found[name] if f.rule == "table.word-unbroken"] for name in found}
    assert words["good"] and all(f.ok for f in words["good"]), format_report(words["good"])
    assert any(not f.ok and "邵阳" in f.measured for f in words["bad"]), format_report(words["bad"])


# --- the same page starts in both formats (issue 24, agreement) -------------------------------------

# Pages whose first line is the same in the PDF and in the DOCX as LibreOffice lays it out, at least.
# The DOCX takes the PDF's lines (``render.pdf.pdf_lines`` → ``render.docx.lines``) and the room of
# its charts; where LibreOffice still ends a page a line early or late, the pages after it differ.
AGREEMENT_MIN = 0.95


def _starts(laid_out: LaidOut) -> dict[str, list[PageStart]]:
    result, lo = laid_out
    return {
        d.meta.slug: page_starts(read_pdf(lo[d.meta.slug]), read_pdf(result.out_dir / f"{d.meta.slug}.pdf"))
        for d in result.documents
    }


def _agreement(starts: dict[str, list[PageStart]]) -> tuple[float, str]:
    """The share of pages that start alike, and those that do not, one line each."""
    pages = [start for found in starts.values() for start in found]
    differ = [
        f"{slug} p{s.page}: PDF「{s.pdf[:20]}」DOCX「{s.docx[:20]}」"
        for slug, found in starts.items()
        for s in found
        if not s.agrees
    ]
    rate = sum(s.agrees for s in pages) / len(pages)
    return rate, f"{len(pages) - len(differ)}/{len(pages)} pages start alike ({rate:.1%})\n" + "\n".join(
        differ
    )


def test_page_starts_compare_first_lines(built_laid_out: LaidOut) -> None:
    """The comparison itself: a set's PDF against itself agrees on every page; against its own
    pages one later, on none but blank ones; a page one format lacks disagrees."""
    result, _ = built_laid_out
    pages = read_pdf(result.out_dir / f"{result.documents[0].meta.slug}.pdf")
    assert all(s.agrees for s in page_starts(pages, pages))
    shifted = page_starts(pages[1:], pages)
    assert not any(s.agrees for s in shifted if s.pdf)
    assert shifted[-1].docx == "" and not shifted[-1].agrees


@pytest.mark.parametrize("name", ["default", "plain"])
def test_docx_pages_start_as_the_pdfs_do(
    name: str,
    built_laid_out: LaidOut,
    variant_laid_out: Callable[[str], LaidOut],
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Issue 24: page by page, the first line of the DOCX as LibreOffice prints it is the PDF's
    (the same characters: the same line breaks up to there), on ``AGREEMENT_MIN`` of the pages of
    2020 Q4 in the default and the plain set. The rate and every differing page are printed."""
    laid_out = built_laid_out if name == "default" else variant_laid_out(name)
    rate, report = _agreement(_starts(laid_out))
    with capsys.disabled():
        print(f"\n[{name}] {report}")
    assert rate >= AGREEMENT_MIN, report


def _cells_unbroken(name: str, root) -> None:
    """The table cells' explicit line breaks taken out: the client fills each cell's lines itself."""
    for tc in root.iter(f"{{{W}}}tc"):
        for br in list(tc.iter(f"{{{W}}}br")):
            br.getparent().remove(br)


def test_no_character_alone_in_a_docx_cell(tmp_path: Path) -> None:
    """Issue 24 item 1: a project name of 11 字 in a column holding 10.3 is set "…基地/项目" in the
    DOCX as LibreOffice lays it out; without the cell's breaks LibreOffice leaves 目 alone, and
    table.lone-character fails."""
    _needs_libreoffice()
    document = project_name_column(demo_document())
    good = render_docx(document, tmp_path / "good.docx")
    bad = edit_docx(good, tmp_path / "bad.docx", _cells_unbroken)
    rendered = convert_docx_to_pdf([good, bad], tmp_path / "lo")
    found = {p.stem: check_docx(p, document, pdf=rendered[p]) for p in (good, bad)}
    lone = {name: [f for f in found[name] if f.rule == "table.lone-character"] for name in found}
    assert lone["good"] and all(f.ok for f in lone["good"]), format_report(lone["good"])
    assert any(not f.ok and "项/目" in f.measured for f in lone["bad"]), format_report(lone["bad"])
