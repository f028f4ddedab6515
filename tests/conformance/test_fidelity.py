"""Issue 14: the checker's rules for what a 文书 would send back, each failing on a purpose-made
wrong document, and the renderers passing them."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
import weasyprint

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
