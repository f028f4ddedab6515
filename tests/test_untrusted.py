"""Text typed into the units' spreadsheets is data: printed as typed, never evaluated, never fetched."""

from __future__ import annotations

import socket
from pathlib import Path

import pdfplumber
import pytest
from docx import Document as DocxDocument

from tests.shipped import copy_shipped
from zsreport.build import load_issuance
from zsreport.compose.documents import Office, compose_unit_bulletin
from zsreport.compute import compute
from zsreport.ingest import load_dataset
from zsreport.render.docx import render_docx
from zsreport.render.pdf import render_pdf

HOSTILE_NAME = '<img src="http://198.51.100.7/x.png">{{ 7*7 }}项目'
HOSTILE_PROBLEM = "<script>alert(1)</script>{% raw %}征地{{ config }}"


@pytest.fixture
def hostile_data(tmp_path: Path) -> Path:
    import openpyxl

    data = copy_shipped(tmp_path / "data")
    for quarter in (3, 4):  # rename the project in both ledgers so its history stays consistent
        path = data / "2020" / f"2020Q{quarter}" / "项目库.xlsx"
        book = openpyxl.load_workbook(path)
        sheet = book.worksheets[0]
        header = [c.value for c in sheet[2]]
        name_col, problem_col = header.index("项目名称") + 1, header.index("存在问题") + 1
        for row in range(3, sheet.max_row + 1):
            if sheet.cell(row, name_col).value == "晟晖液晶显示模组智能制造项目":
                sheet.cell(row, name_col).value = HOSTILE_NAME
                sheet.cell(row, problem_col).value = HOSTILE_PROBLEM
        book.save(path)
    return data


def test_hostile_text_prints_literally_and_nothing_is_fetched(
    hostile_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("rendering tried to open a network connection")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    figures = compute(load_dataset(hostile_data, 2020, 4))
    office = Office.from_toml(hostile_data / "office.toml")
    document = compose_unit_bulletin(figures, "邵阳经开区", office, load_issuance(hostile_data, 2020, 4))
    pdf = render_pdf(document, tmp_path / "unit.pdf")
    docx = render_docx(document, tmp_path / "unit.docx")

    with pdfplumber.open(pdf) as reader:  # cell by cell: a long name wraps inside its column
        cells = [
            cell or ""
            for page in reader.pages
            for table in page.extract_tables()
            for row in table
            for cell in row
        ]
    pdf_text = "|".join(cell.replace("\n", "") for cell in cells)
    docx_text = "".join(  # a cell's lines are broken explicitly (w:br, read as "\n"): joined
        cell.text.replace("\n", "") for t in DocxDocument(docx).tables for row in t.rows for cell in row.cells
    )
    for typed in (HOSTILE_NAME, HOSTILE_PROBLEM):
        assert typed in docx_text
        assert typed.replace(" ", "") in pdf_text.replace(" ", "")
    assert "49项目" not in pdf_text and "49项目" not in docx_text  # {{ 7*7 }} was not evaluated
