"""End to end on the shipped data: `build` 2020 Q4, then read the PDFs and DOCX back.

The figures printed are compared with the input spreadsheets (read here with openpyxl, not through
zsreport's loader), so a loader or compute bug cannot hide behind itself.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pdfplumber
import pikepdf
import pytest
from docx import Document as DocxDocument
from docx.oxml.ns import qn

from tests.readback import pdf_text, squash
from tests.render.test_docx_styles import direct_font_runs, docx_parts, unused_styles
from tests.shipped import shipped_data
from zsreport.build import BuildResult
from zsreport.conformance.docx_styles import StyleSheet, text_runs
from zsreport.model import Document

CITY_SLUG = "2020Q4-01-全市招商引资工作通报"
ORGAN = "邵阳市推进湘南湘西承接产业转移示范区"


@pytest.fixture(scope="session")
def city(built: BuildResult) -> Document:
    return next(d for d in built.documents if d.meta.kind == "city")


@pytest.fixture(scope="session")
def city_pdf(built: BuildResult) -> Path:
    return built.out_dir / f"{CITY_SLUG}.pdf"


def _sheet_rows(path: Path) -> dict[str, list]:
    """Rows of the first sheet keyed by the first cell that names a unit (full-width spaces removed)."""
    sheet = openpyxl.load_workbook(path, data_only=True).worksheets[0]
    rows = {}
    for row in sheet.iter_rows(values_only=True):
        if row and isinstance(row[0], str):
            rows[squash(row[0]).replace("\u3000", "")] = list(row)
    return rows


def test_the_quarter_set_is_complete(built: BuildResult) -> None:
    kinds = [d.meta.kind for d in built.documents]
    assert kinds[:3] == ["city", "briefing", "assessment"] and kinds.count("unit") == 13
    for document in built.documents:
        for suffix in (".pdf", ".docx"):
            path = built.out_dir / f"{document.meta.slug}{suffix}"
            assert path.stat().st_size > 10_000, path
    assert (built.out_dir / "index.html").exists() and (built.out_dir / "目录.txt").exists()
    assert not list(built.out_dir.glob("*.part")), "a temporary file was left behind"


def test_city_pdf_header_number_and_sizes(city_pdf: Path) -> None:
    with pdfplumber.open(city_pdf) as pdf:
        page = pdf.pages[0]
        chars = page.chars
        organ = [c for c in chars if c["text"] in ORGAN and c["top"] < 260]  # 标志: 37 + 35 mm down
        assert len(organ) >= 18 and all(tuple(c["non_stroking_color"]) == (1, 0, 0) for c in organ)
        text = page.extract_text()
        assert re.search(r"邵承办发〔2021〕1号", text), (
            "发文字号 with 六角括号, year of issue, no leading zero"
        )
        title = [c for c in chars if c["text"] in "工作推进情况的通报"]
        assert title and max(c["size"] for c in title) == pytest.approx(22, abs=0.6)
        body = [c for c in chars if c["text"] == "各"]  # 主送 starts with 各县市区委
        assert body and body[0]["size"] == pytest.approx(16, abs=0.3)
        texts = [p.extract_text() or "" for p in pdf.pages]
        # Clause 7.5: a blank page before the 版记 page, and that page, carry no number.
        blank_before_colophon = len(texts) >= 2 and not texts[-2].strip() and "印发" in texts[-1]
        numbered = texts[:-2] if blank_before_colophon else texts
        for number, text in enumerate(numbered, 1):
            assert re.search(rf"—\s*{number}\s*—", text), f"page {number} has no page number"
        if blank_before_colophon:
            assert not re.search(r"—\s*\d+\s*—", texts[-2] + texts[-1])


def test_every_font_is_embedded(built: BuildResult) -> None:
    for pdf_path in built.out_dir.glob("*.pdf"):
        with pikepdf.open(pdf_path) as pdf:
            for page in list(pdf.pages)[:3]:
                fonts = page.resources.get("/Font") or pikepdf.Dictionary()
                for key in fonts.keys():  # noqa: SIM118 (a pikepdf Dictionary)
                    font = fonts[key]
                    descriptor = font.get("/FontDescriptor") or font.DescendantFonts[0].FontDescriptor
                    assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), (
                        pdf_path,
                        font.BaseFont,
                    )


def test_city_figures_equal_the_input_spreadsheets(city: Document, city_pdf: Path) -> None:
    plan = _sheet_rows(shipped_data() / "2020" / "2020年招商计划表.xlsx")
    actual = _sheet_rows(shipped_data() / "2020" / "2020Q4" / "季度完成情况.xlsx")
    assert plan["全市"][1] == 523  # the 省外境内资金 target of 邵承办发〔2020〕2号
    units = [name for name in plan if name not in ("全市", "单位") and name in actual]
    assert len(units) == 13
    city_total = sum(float(actual[u][1]) for u in units)
    text = pdf_text(city_pdf)
    assert f"全市引进省外境内资金{city_total:.2f}亿元" in text
    assert f"完成年度目标的{city_total / 523 * 100:.1f}%" in text
    rate = float(actual["邵阳县"][1]) / plan["邵阳县"][1] * 100
    assert re.search(rf"邵阳县43\.40{float(actual['邵阳县'][1]):.2f}{rate:.1f}%", text), "邵阳县 row of 表2"


def test_docx_page_setup_and_official_faces(built: BuildResult) -> None:
    docx = DocxDocument(built.out_dir / f"{CITY_SLUG}.docx")
    section = docx.sections[0]
    assert section.page_width.mm == pytest.approx(210, abs=0.5)
    assert section.top_margin.mm == pytest.approx(37, abs=1) and section.left_margin.mm == pytest.approx(
        28, abs=1
    )
    assert section.bottom_margin.mm == pytest.approx(35, abs=1) and section.right_margin.mm == pytest.approx(
        26, abs=1
    )
    normal = docx.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312"
    sheet = StyleSheet(docx.styles.element)
    east_asian = {sheet.font(r) for r in text_runs(docx.element.body)}
    assert {"方正小标宋简体", "黑体", "仿宋_GB2312"} <= east_asian


def test_city_docx_is_restylable(built: BuildResult) -> None:
    """Issue 14, item 10: the city bulletin's ~1,000 runs were all formatted directly (changing
    正文 in Word changed nothing); now only the 标志's lines carry a size, and the file holds
    only the styles it uses."""
    path = built.out_dir / f"{CITY_SLUG}.docx"
    parts = docx_parts(path)
    runs = text_runs(parts["word/document.xml"])
    direct = direct_font_runs(parts["word/document.xml"])
    assert len(runs) > 500 and len(direct) <= len(runs) // 100
    assert not unused_styles(parts)
    with zipfile.ZipFile(path) as z:
        assert "<Application>zsreport</Application>" in z.read("docProps/app.xml").decode("utf-8")


def test_every_title_line_fits_one_line_of_the_text_block(built: BuildResult) -> None:
    """二号 is 22 pt: 156 mm holds 20 characters; a longer line would wrap and break the 梯形."""
    import unicodedata

    def width(text: str) -> float:
        return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)

    for document in built.documents:
        for line in document.title_lines:
            assert width(line) <= 20, f"{document.meta.slug}: title line too long: {line}"
