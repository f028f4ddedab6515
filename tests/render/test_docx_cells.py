"""A DOCX cell holding kept words is filled word by word with explicit breaks; its lines must be
the PDF's (issue 14: 邵阳县's "开工（本季度新增）" took three lines in the DOCX, two in the PDF, and
its 署名 went over a page in LibreOffice)."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path

import pdfplumber
from docx.oxml.ns import qn
from lxml import etree

from tests.demo_document import demo_document
from zsreport import gbt9704 as g
from zsreport.model import Cell, Mode, Table
from zsreport.render.docx import render_docx
from zsreport.render.docx.tables import _CELL_SLACK_MM, table_size_pt
from zsreport.render.pdf import render_pdf

STATUS = Cell("开工（本季度新增）", keep=("本季度", "新增"))
ROOM_EM = 6.1  # "开工（本季度" (6 字) fits the column's text width, with 0.1 em to spare


def _table() -> Table:
    column_mm = ROOM_EM * g.pt_to_mm(g.TABLE_SIZES_PT[0]) + _CELL_SLACK_MM - g.TABLE_FIT_SLACK_MM
    widths = (g.TEXT_WIDTH_MM - column_mm, column_mm)
    return Table(
        number=1,
        caption="进展",
        header=((Cell("项目"), Cell("进展")),),
        body=((Cell(""), STATUS),),
        widths=widths,
    )


def _pdf_lines(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    return [
        line.strip() for line in text.splitlines() if set(line.strip()) <= set(STATUS.text) and line.strip()
    ]


def test_docx_cell_lines_are_the_pdfs(tmp_path: Path) -> None:
    table = _table()
    size = table_size_pt(table)
    assert size == g.TABLE_SIZES_PT[0]
    document = replace(demo_document(Mode.PLAIN), body=(table,), attachments=())
    pdf_lines = _pdf_lines(render_pdf(document, tmp_path / "cells.pdf"))
    assert pdf_lines == ["开工（本季度", "新增）"]
    assert _docx_lines(render_docx(document, tmp_path / "cells.docx")) == pdf_lines


def _docx_lines(path: Path) -> list[str]:
    """The status cell's lines: its text split at the explicit breaks (w:br)."""
    body = etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    for p in body.iter(qn("w:p")):
        parts = ["".join(t.text or "" if t.tag == qn("w:t") else "\n" for t in p.iter(qn("w:t"), qn("w:br")))]
        text = parts[0]
        if text.replace("\n", "") == STATUS.text:
            return text.split("\n")
    raise AssertionError("the status cell is not in the DOCX")
