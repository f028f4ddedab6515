"""render_docx: read the DOCX back (python-docx and raw XML) and measure it against gbt9704."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from lxml import etree

from tests.demo_document import HOSTILE_NAME, demo_document, demo_table
from tests.readback import docx_paragraphs, line_starting
from zsreport import gbt9704 as g
from zsreport.conformance.docx_styles import StyleSheet
from zsreport.fonts import FONT_ROLES
from zsreport.linebreak import BREAK
from zsreport.model import Attachment, Cell, Document, Heading, Mode, Paragraph, Table, plain_paragraphs
from zsreport.render.docx import document_author, render_docx, table_size_pt
from zsreport.render.docx.styles import SIZE_NAMES

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
EMU_PER_MM = 36000


@pytest.fixture(scope="module", params=list(Mode), ids=lambda m: m.value)
def rendered(request, tmp_path_factory) -> tuple[Document, Path]:
    document = demo_document(request.param)
    target = tmp_path_factory.mktemp(request.param.value) / "demo.docx"
    assert render_docx(document, target) == target
    return document, target


def _part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(name).decode("utf-8")


def _east_asia(rpr) -> str | None:
    fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def _sheet(d) -> StyleSheet:
    """The DOCX's styles, to read the face and size a bare run takes from them."""
    return StyleSheet(d.styles.element)


def test_page_size_margins_and_grid(rendered):
    _, path = rendered
    section = docx.Document(str(path)).sections[0]
    for got, want in (
        (section.page_width, g.PAGE_WIDTH_MM),
        (section.page_height, g.PAGE_HEIGHT_MM),
        (section.top_margin, g.MARGIN_TOP_MM),
        (section.bottom_margin, g.MARGIN_BOTTOM_MM),
        (section.left_margin, g.MARGIN_LEFT_MM),
        (section.right_margin, g.MARGIN_RIGHT_MM),
    ):
        assert abs(got / EMU_PER_MM - want) <= g.MARGIN_TOLERANCE_MM
    assert section.page_width.twips == 11906 and section.page_height.twips == 16838
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    assert grid.get(qn("w:linePitch")) == "579"
    # charSpace is the 字 pitch minus 16 pt in 1/4096 pt: 28 chars fit, 29 do not.
    pitch = g.BODY_SIZE_PT + int(grid.get(qn("w:charSpace"))) / 4096
    width_pt = (section.page_width.twips - section.left_margin.twips - section.right_margin.twips) / 20
    assert int(width_pt / pitch) == g.CHARS_PER_LINE
    # page number 7 mm under the 版心: footer distance + line height = bottom margin − 7 mm
    footer_mm = section.footer_distance / EMU_PER_MM + g.pt_to_mm(g.PAGE_NUMBER_LINE_PT)
    assert abs(footer_mm - (g.MARGIN_BOTTOM_MM - g.PAGE_NUMBER_BELOW_TEXT_MM)) < 0.3


def test_east_asian_fonts_on_styles_and_no_theme_fonts(rendered):
    _, path = rendered
    d = docx.Document(str(path))
    assert _east_asia(d.styles["Normal"].element.rPr) == FONT_ROLES["body"].official
    sheet = _sheet(d)
    used = {el.get(qn("w:val")) for el in d.element.body.iter(qn("w:pStyle"))}
    for level, role in g.HEADING_ROLES.items():
        style_id = f"Heading{level}"
        if style_id not in used:  # only the styles the document uses are in the file
            assert style_id not in sheet.by_id
            continue
        assert sheet.style_value(style_id, "rFonts", "eastAsia") == FONT_ROLES[role].official
        assert sheet.style_value(style_id, "b") == "0"  # the face carries the weight
        assert sheet.style_value(style_id, "sz") == str(int(g.BODY_SIZE_PT * 2))
        assert sheet.style_value(style_id, "color") == "000000"
        assert d.styles[f"Heading {level}"].element.pPr.find(qn("w:keepNext")) is not None
    styles_xml = _part(path, "word/styles.xml")
    # counts, not `in`: pytest's diff of a 100 kB string takes minutes
    assert styles_xml.count("eastAsiaTheme") == 0 and styles_xml.count("asciiTheme") == 0
    assert styles_xml.count('w:eastAsia="zh-CN"') == 1
    with zipfile.ZipFile(path) as z:  # no theme part at all: nothing can map CJK to ＭＳ 明朝
        assert not [name for name in z.namelist() if "theme" in name]


def test_headings_use_word_heading_styles(rendered):
    document, path = rendered
    d = docx.Document(str(path))
    by_text = {p.text: p for p in d.paragraphs}
    for block in document.body:
        if isinstance(block, Heading):
            p = by_text[block.full_text]
            assert p.style.name == f"Heading {block.level}"
            fonts = {_sheet(d).font(r._r) for r in p.runs}
            assert fonts == {FONT_ROLES[g.HEADING_ROLES[block.level]].official}


def test_letterhead_is_red_xiaobiaosong(rendered):
    document, path = rendered
    d = docx.Document(str(path))
    red = g.RED.lstrip("#")
    issuer_runs = [
        r
        for t in d.tables[:1]
        for cell in t._cells
        for p in cell.paragraphs
        for r in p.runs
        if r.text.strip()
    ]
    if document.mode is Mode.PLAIN:
        assert _part(path, "word/document.xml").count(red) == 0
        return
    texts = "".join(r.text for r in issuer_runs)
    for line in document.letterhead.organ_lines:
        assert line in texts
    assert document.letterhead.suffix in texts
    for run in issuer_runs:
        assert _sheet(d).value(run._r, "color") == red
        assert _sheet(d).font(run._r) == FONT_ROLES["title"].official
    # red rule: a red bottom border on the 文号 (or 纪要 机关/date) paragraph
    ruled = [
        p for p in d.paragraphs if p._p.pPr is not None and p._p.pPr.find(f"{W}pBdr/{W}bottom") is not None
    ]
    assert len(ruled) == 1
    bottom = ruled[0]._p.pPr.find(f"{W}pBdr/{W}bottom")
    assert bottom.get(qn("w:color")) == red
    assert abs(int(bottom.get(qn("w:sz"))) / 8 - g.mm_to_pt(g.RED_RULE_THICKNESS_MM)) < 0.15
    assert document.letterhead.doc_number in ruled[0].text or any(
        document.letterhead.doc_number == p.text for p in d.paragraphs
    )


def test_table_header_rows_repeat_and_rows_never_split(rendered):
    document, path = rendered
    d = docx.Document(str(path))
    data_tables = [t for t in d.tables if t._tbl.tblPr.find(qn("w:tblpPr")) is None and len(t.rows) > 3]
    models = [b for b in (*document.body, *(b for a in document.attachments for b in a.blocks))]
    models = [b for b in models if isinstance(b, Table)]
    assert len(data_tables) == len(models)
    for table, model in zip(data_tables, models, strict=True):
        n_header = len(model.header)
        assert len(table.rows) == n_header + len(model.body)
        flags = [row._tr.trPr.find(qn("w:tblHeader")) is not None for row in table.rows]
        assert flags == [True] * n_header + [False] * len(model.body)  # the FIRST rows only
        assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
        # merged header: "单位" spans two rows, the group heading three columns
        assert table.cell(0, 0)._tc is table.cell(1, 0)._tc
        assert table.cell(0, 1)._tc is table.cell(0, 3)._tc
        assert table.cell(0, 1).text == model.header[0][1].text
        widths = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.gridCol_lst]
        assert abs(sum(widths) - g.mm_to_twips(g.TEXT_WIDTH_MM)) <= len(widths)
        total_row = table.rows[n_header]  # 全市/合计 rows in 黑体, like the header (no added bold)
        hei = FONT_ROLES["hei"].official
        runs = [r._r for p in total_row.cells[0].paragraphs for r in p.runs]
        assert {_sheet(d).font(r) for r in runs} == {hei}
        assert {_sheet(d).value(r, "b") for r in runs} == {"0"}


def test_table_cells_sized_so_numbers_never_break(tmp_path):
    """Cells take the largest of 小四/五号/小五 at which the widest number fits its column (the PDF's
    rule), on lines of 1.5 × that size: "108.3%" must not wrap as "108.3" / "%"."""
    wide_numbers = tuple(tuple(Cell(f"+{100 + i}.{j}%", align="right") for j in range(9)) for i in range(5))
    narrow = Table(
        number=1, caption="窄列", header=((Cell("单位"),) * 9,), body=wide_numbers, widths=(1.0,) * 9
    )
    roomy = Table(
        number=2, caption="宽列", header=((Cell("单位"),),), body=((Cell("+100.0%"),),), widths=(1.0,)
    )
    assert table_size_pt(narrow) == g.SIZE_5HAO_PT
    assert table_size_pt(roomy) == g.TABLE_SIZE_PT
    base = demo_document(Mode.PLAIN)
    document = Document(**{**base.__dict__, "body": (narrow,), "attachments": ()})
    d = docx.Document(str(render_docx(document, tmp_path / "narrow.docx")))
    size = table_size_pt(narrow)
    # the column is wide enough for the number at that size (1 em CJK, Times digits, 1 mm padding)
    column_mm = g.TEXT_WIDTH_MM / 9 - 2 * g.TABLE_CELL_PADDING_MM
    assert 3.7 * g.pt_to_mm(size) <= column_mm
    cell = d.tables[0].cell(1, 0).paragraphs[0]
    assert {_sheet(d).size_pt(r._r) for r in cell.runs} == {size}
    spacing = cell.style.element.pPr.find(qn("w:spacing"))  # the 公文表格 style at that size
    assert cell.style.name == f"公文表格（{SIZE_NAMES[size]}）"
    assert spacing.get(qn("w:lineRule")) == "exact"
    assert int(spacing.get(qn("w:line"))) == round(size * g.TABLE_LINE_PITCH_EM * 20)


def test_odd_and_even_footers_have_page_fields(rendered):
    _, path = rendered
    d = docx.Document(str(path))
    assert d.settings.odd_and_even_pages_header_footer
    assert _part(path, "word/settings.xml").count("<w:evenAndOddHeaders") == 1
    section = d.sections[0]
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        p = footer.paragraphs[0]
        xml = p._p.xml
        assert 'w:fldCharType="begin"' in xml and 'w:fldCharType="end"' in xml
        assert "PAGE" in "".join(t.text for t in p._p.iter(qn("w:instrText")))
        assert p.text.startswith(g.PAGE_NUMBER_DASH) and p.text.endswith(g.PAGE_NUMBER_DASH)
        assert p._p.pPr.find(qn("w:jc")).get(qn("w:val")) == align
        assert {_sheet(d).size_pt(r._r) for r in p.runs} == {g.PAGE_NUMBER_SIZE_PT}
        song = FONT_ROLES["song"].official
        assert {_sheet(d).font(r._r, slot) for r in p.runs for slot in ("eastAsia", "ascii")} == {song}
        # The footer holds the 7 mm under the 版心 as space above the number (LibreOffice ends an
        # even-page section's body at the footer's top) yet stays inside the bottom margin.
        spacing = p._p.pPr.find(qn("w:spacing"))
        above_mm = int(spacing.get(qn("w:before"))) / g.TWIPS_PER_PT / g.PT_PER_MM
        line_mm = int(spacing.get(qn("w:line"))) / g.TWIPS_PER_PT / g.PT_PER_MM
        assert g.PAGE_NUMBER_BELOW_TEXT_MM - 0.5 <= above_mm < g.PAGE_NUMBER_BELOW_TEXT_MM
        assert section.footer_distance.mm + line_mm == pytest.approx(g.MARGIN_BOTTOM_MM - 7.0, abs=0.1)
        assert section.footer_distance.mm + line_mm + above_mm < g.MARGIN_BOTTOM_MM


def test_breaks_libreoffice_refuses_are_marked(tmp_path):
    """ "，" before a digit: LibreOffice will not break there unless told (U+200B)."""
    base = demo_document(Mode.FORMAL)
    text = "加快配套道路建设，1月底前通车。"
    document = replace(base, body=(Paragraph.of(text), *base.body))
    path = render_docx(document, tmp_path / "breaks.docx")
    first = next(p for p in docx.Document(str(path)).paragraphs if "道路建设" in p.text)
    assert first.text == text.replace("，1", f"，{BREAK}1")


def test_head_title_and_heading_digits_in_their_face(rendered):
    """Issue 24: the digits of the 文号, 标题 and headings resolve to the face of their 汉字 (the
    正文's stay Times New Roman), and those of the 标题 and headings (not the 文号, an identifier)
    are kept apart from the 汉字 by U+200B, so LibreOffice adds no space there."""
    document, path = rendered
    d = docx.Document(str(path))
    sheet = _sheet(d)

    def faces(p) -> set[tuple[str | None, str | None]]:
        return {(sheet.font(r._r), sheet.font(r._r, "ascii")) for r in p.runs if r.text.strip()}

    title = next(p for p in d.paragraphs if p.text.startswith("关于"))
    assert faces(title) == {(FONT_ROLES["title"].official,) * 2}
    assert f"关于{BREAK}2020{BREAK}年" in title.text
    level3 = next(p for p in d.paragraphs if p.style.name.lower() == "heading 3")
    assert faces(level3) == {(FONT_ROLES["body"].official,) * 2} and level3.text.startswith("1.")
    body = next(p for p in d.paragraphs if p.style.name == "Normal" and "2020" in p.text)
    assert faces(body) == {(FONT_ROLES["body"].official, "Times New Roman")}
    assert BREAK not in body.text.replace(f"，{BREAK}", "")
    if document.letterhead is not None:
        number = next(p for p in d.paragraphs if p.text == document.letterhead.doc_number)
        assert faces(number) == {(FONT_ROLES["body"].official,) * 2}


def test_running_text_in_order_and_literal(rendered):
    document, path = rendered
    texts = [p.text for p in docx.Document(str(path)).paragraphs]
    position = -1
    for want in plain_paragraphs(document):
        position = texts.index(want, position + 1)  # ValueError if missing or out of order
    assert any(HOSTILE_NAME in t for t in texts)
    escaped = HOSTILE_NAME.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    assert _part(path, "word/document.xml").count(escaped) == 1


def test_title_signoff_colophon_and_attachments(rendered):
    document, path = rendered
    d = docx.Document(str(path))
    texts = docx_paragraphs(path)  # the 标题's and the date's digits carry zero-width marks
    title = "\n".join(document.title_lines)
    assert title in texts
    for line in document.attachment_note:
        assert line in texts
    assert document.signoff.date in texts
    for attachment in document.attachments:
        i = texts.index(attachment.label)
        assert d.paragraphs[i]._p.pPr.find(qn("w:pageBreakBefore")) is not None
        assert texts[i + 2] == attachment.title  # title on the third line
    colophon = [t for t in d.tables if t._tbl.tblPr.find(qn("w:tblpPr")) is not None]
    assert len(colophon) == 1
    cells = [c.text for c in colophon[0]._cells]
    assert f"抄送：{document.colophon.cc}" in cells
    assert f"{document.colophon.printer}\t{document.colophon.print_date}印发" in cells
    borders = colophon[0]._tbl.tblPr.find(qn("w:tblBorders"))
    top, inside = borders.find(qn("w:top")), borders.find(qn("w:insideH"))
    assert int(top.get(qn("w:sz"))) > int(inside.get(qn("w:sz")))
    if document.mode is Mode.MINUTES:
        assert any(t.startswith("出席：") for t in texts)


def test_core_properties_and_identical_bytes(tmp_path):
    document = demo_document(Mode.FORMAL)
    a = render_docx(document, tmp_path / "a.docx").read_bytes()
    b = render_docx(document, tmp_path / "b.docx").read_bytes()
    assert a == b
    core = docx.Document(str(tmp_path / "a.docx")).core_properties
    assert core.author == document_author(document) == "".join(document.signoff.organ_lines)
    assert core.title == document.title
    assert core.created.year == 2021 and core.created == core.modified
    assert not list(tmp_path.glob(".*.part"))  # atomic write left no temporary behind


def _wide(number: int) -> Table:
    return Table(**{**demo_table(number, rows=4).__dict__, "landscape": True})


def landscape_document() -> Document:
    """Two 横排 tables in a row in the body, and an attachment that opens with two more."""
    base = demo_document(Mode.FORMAL)
    body = (Paragraph.of("前文。"), _wide(1), _wide(2), Paragraph.of("后文。"))
    attachment = Attachment(label="附件", title="横排附表", blocks=(_wide(3), _wide(4)))
    return Document(**{**base.__dict__, "body": body, "attachments": (attachment,)})


def test_landscape_table_gets_its_own_section(tmp_path):
    base = demo_document(Mode.PLAIN)
    document = Document(
        **{**base.__dict__, "body": (Paragraph.of("前文。"), _wide(3), Paragraph.of("后文。"))}
    )
    d = docx.Document(str(render_docx(document, tmp_path / "wide.docx")))
    orientations = [s.page_width > s.page_height for s in d.sections]
    assert orientations[:3] == [False, True, False]
    texts = [p.text for p in d.paragraphs]
    assert texts.index("后文。") > texts.index("前文。")


def _section_of_paragraphs(d) -> list[tuple[str, bool]]:
    """(text, landscape) for every body paragraph, in order; a sectPr ends its section."""
    sections = iter(d.sections)
    current = next(sections)
    out = []
    for p in d.paragraphs:
        out.append((p.text, current.page_width > current.page_height))
        if p._p.pPr is not None and p._p.pPr.find(qn("w:sectPr")) is not None:
            current = next(sections)
    return out


def test_consecutive_landscape_tables_share_one_section(tmp_path):
    """表1+表2 on one landscape run (no empty portrait page between them); the attachment opens on
    the landscape page of its first table; the 版记 is back on a portrait page."""
    document = landscape_document()
    d = docx.Document(str(render_docx(document, tmp_path / "wide.docx")))
    orientations = [s.page_width > s.page_height for s in d.sections]
    assert orientations == [False, True, False, True, False]
    placed = _section_of_paragraphs(d)
    landscape_texts = [text for text, turned in placed if turned]
    assert "表1\u3000各县市区省外境内资金完成情况" in landscape_texts
    assert "表2\u3000各县市区省外境内资金完成情况" in landscape_texts
    i = [text for text, _ in placed].index("附件")
    assert placed[i] == ("附件", True)
    assert d.paragraphs[i]._p.pPr.find(qn("w:pageBreakBefore")) is None  # the section break is the new page
    assert [text for text, _ in placed][i + 2] == "横排附表"  # title on the third line
    colophon = d.tables[-1]
    assert colophon._tbl.tblPr.find(qn("w:tblpPr")) is not None
    assert d.sections[-1].page_width < d.sections[-1].page_height


SOFFICE = shutil.which("soffice")
REPO = Path(__file__).resolve().parents[2]
ALIASES = REPO / "zsreport" / "system" / "fontconfig" / "65-zsreport-gongwen.conf"
needs_soffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice not installed")


def _fontconfig_with_aliases(folder: Path) -> Path:
    """A fontconfig file: the system's configuration, then the repo's aliases for the 公文 faces.

    Tests use the alias file of the checkout (not whatever setup-system.sh installed), so a broken
    alias fails here even on a machine where an older copy is installed.
    """
    conf = folder / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        f"<fontconfig><include>/etc/fonts/fonts.conf</include><include>{ALIASES}</include></fontconfig>\n",
        encoding="utf-8",
    )
    return conf


def libreoffice_pdfs(sources: list[Path], outdir: Path) -> list[Path]:
    """DOCX → PDF with LibreOffice (one call, its own profile), with the repo's font aliases."""
    env = {**os.environ, "FONTCONFIG_FILE": str(_fontconfig_with_aliases(outdir))}
    profile = outdir / f"lo_{os.getpid()}"
    command = [SOFFICE, "--headless", f"-env:UserInstallation=file://{profile}", "--convert-to", "pdf"]
    subprocess.run(
        [*command, "--outdir", str(outdir), *map(str, sources)],
        check=True,
        capture_output=True,
        timeout=300,
        env=env,
    )
    return [outdir / f"{source.stem}.pdf" for source in sources]


@pytest.fixture(scope="module")
def lo_pdfs(tmp_path_factory) -> dict[str, Path]:
    """The FORMAL demo document, the 横排 document and the 套打 FORMAL document as LibreOffice
    prints them (one call)."""
    folder = tmp_path_factory.mktemp("lo")
    sources = [
        render_docx(demo_document(Mode.FORMAL), folder / "demo.docx"),
        render_docx(landscape_document(), folder / "landscape.docx"),
        render_docx(replace(demo_document(Mode.FORMAL), preprinted=True), folder / "preprinted.docx"),
    ]
    return {pdf.stem: pdf for pdf in libreoffice_pdfs(sources, folder)}


@pytest.fixture(scope="module")
def lo_demo(lo_pdfs) -> Path:
    return lo_pdfs["demo"]


def _face(char: dict) -> str:
    """ "CAAAAA+FandolFang-Regular" → "FandolFang"."""
    return char["fontname"].split("+")[-1].split("-")[0]


@needs_soffice
def test_libreoffice_sets_the_stand_in_faces(lo_demo):
    """With the alias file, LibreOffice sets 仿宋_GB2312 in FandolFang and 黑体 in FandolHei
    (without it, every official name fell back to Noto Sans CJK JP)."""
    pdfplumber = pytest.importorskip("pdfplumber")
    document = demo_document(Mode.FORMAL)
    with pdfplumber.open(str(lo_demo)) as pdf:
        lines: dict[tuple[int, int], list[dict]] = {}
        for number, page in enumerate(pdf.pages):
            for c in page.chars:
                lines.setdefault((number, round(c["top"])), []).append(c)

    def line_fonts(start: str) -> set[str]:
        """Font names of the CJK characters on the printed line that starts with ``start``."""
        for chars in lines.values():
            text = "".join(c["text"] for c in sorted(chars, key=lambda c: c["x0"]))
            if text.startswith(start):
                return {c["fontname"].split("+")[-1] for c in chars if ord(c["text"]) >= 0x4E00}
        raise AssertionError(f"no line starts with {start!r}")

    def faces(start: str) -> set[str]:
        return {name.split("-")[0] for name in line_fonts(start)}

    assert faces(document.body[0].text[:6]) == {"FandolFang"}
    for heading in (b for b in document.body if isinstance(b, Heading)):
        face = {1: "FandolHei", 2: "FandolKai"}.get(heading.level, "FandolFang")
        assert faces(heading.full_text) == {face}, heading
    # 小标宋 stands in as Noto Serif CJK SC Bold (LibreOffice names a font collection after its
    # first face, "jp"; the glyphs are the SC ones fontconfig chose).
    title = line_fonts(document.title_lines[0][:6])
    assert title and all(name.startswith("NotoSerifCJK") and "-Bold" in name for name in title)


@needs_soffice
def test_libreoffice_pdf_is_a4_with_text_at_the_left_margin(lo_demo):
    pdfplumber = pytest.importorskip("pdfplumber")
    with pdfplumber.open(str(lo_demo)) as pdf:
        page = pdf.pages[0]
        assert abs(g.pt_to_mm(page.width) - g.PAGE_WIDTH_MM) < 1
        assert abs(g.pt_to_mm(page.height) - g.PAGE_HEIGHT_MM) < 1
        body = [c for c in page.chars if round(c["size"]) == g.BODY_SIZE_PT]
        left_mm = g.pt_to_mm(min(c["x0"] for c in body))
        assert abs(left_mm - g.MARGIN_LEFT_MM) <= g.MARGIN_TOLERANCE_MM
        # 28 characters on a full body line, 22 lines to the page
        lines: dict[int, int] = {}
        for c in body:
            lines[round(c["top"])] = lines.get(round(c["top"]), 0) + 1
        assert max(lines.values()) >= g.CHARS_PER_LINE
        # the 标志's top edge 35 mm under the 版心 top (± 2 mm: glyph ink vs em box)
        red = [c for c in page.chars if c["size"] > g.TITLE_SIZE_PT + 1]
        top_mm = g.pt_to_mm(min(c["top"] for c in red)) - g.MARGIN_TOP_MM
        assert abs(top_mm - g.ISSUER_TOP_FROM_TEXT_TOP_MM) <= 2
        # the red rule: 4 mm under the 文号's glyphs, as wide as the 版心
        number = "".join(demo_document(Mode.FORMAL).letterhead.doc_number)
        number_chars = [c for c in page.chars if c["text"] in number and round(c["size"]) == 16]
        number_bottom = max(c["bottom"] for c in number_chars if c["top"] < number_chars[0]["top"] + 2)
        rule = min((ln for ln in page.lines if ln["top"] > number_bottom), key=lambda ln: ln["top"])
        assert abs(g.pt_to_mm(rule["top"] - number_bottom) - g.RED_RULE_GAP_MM) <= 1
        assert abs(g.pt_to_mm(rule["x1"] - rule["x0"]) - g.RED_RULE_WIDTH_MM) <= 1
        # the 版记's last rule lies on the bottom edge of the last page's 版心
        last = pdf.pages[-1]
        rules = [ln for ln in last.lines if g.pt_to_mm(ln["x1"] - ln["x0"]) > g.TEXT_WIDTH_MM - 2]
        bottom_mm = g.pt_to_mm(max(ln["top"] for ln in rules))
        assert abs(bottom_mm - (g.PAGE_HEIGHT_MM - g.MARGIN_BOTTOM_MM)) <= 1.5
        assert any("印发" in t for t in (last.extract_text() or "").splitlines())


def _upright_text(page) -> str:
    """The page's text set upright (a 横排 page's turned page number left out)."""
    upright = page.filter(lambda obj: obj.get("object_type") != "char" or obj.get("upright", True))
    return upright.extract_text() or ""


@needs_soffice
def test_libreoffice_landscape_runs_have_no_empty_page(lo_pdfs):
    """Every page prints some text (an empty page holds only its "— N —"), the attachment label
    opens a landscape page, and the 版记 page is portrait."""
    pdfplumber = pytest.importorskip("pdfplumber")
    with pdfplumber.open(str(lo_pdfs["landscape"])) as pdf:
        pages = [(page.width > page.height, _upright_text(page)) for page in pdf.pages]
    for number, (_, text) in enumerate(pages, 1):
        assert any(ord(ch) >= 0x4E00 for ch in text), f"page {number} is empty"
    labelled = [turned for turned, text in pages if text.splitlines() and text.splitlines()[0] == "附件"]
    assert labelled == [True]
    assert pages[-1][0] is False and "印发" in pages[-1][1]


def test_signoff_is_kept_with_the_last_lines_of_text(rendered):
    """7.3.5.5: no page holds the 落款 alone. The last 正文 paragraph, the 附件说明, the blank
    lines and the 署名 keep with the next paragraph, down to the date."""
    document, path = rendered
    if document.signoff is None:
        return
    paragraphs = docx.Document(str(path)).paragraphs
    texts = docx_paragraphs(path)
    date = texts.index(document.signoff.date)
    last_body = max(i for i, t in enumerate(texts[:date]) if t == plain_paragraphs(document)[-1])
    for p in paragraphs[last_body:date]:
        keep = p._p.pPr.find(qn("w:keepNext"))
        assert keep is not None and keep.get(qn("w:val")) in ("1", "true"), p.text


# ── 套打 (pre-printed letterhead paper) ────────────────────────────────────────────────────


@pytest.mark.parametrize("mode", [Mode.FORMAL, Mode.MINUTES], ids=lambda m: m.value)
def test_preprinted_docx_has_nothing_red(tmp_path, mode):
    """On 套打 paper the red 标志 and red rule are already printed: the DOCX holds no red at all
    (no red run, border or style) and no 标志 text, not even in white."""
    document = replace(demo_document(mode), preprinted=True)
    path = render_docx(document, tmp_path / "preprinted.docx")
    red = g.RED.lstrip("#").upper()
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            assert z.read(name).upper().count(red.encode()) == 0, name
    xml = _part(path, "word/document.xml")
    normal = _part(render_docx(demo_document(mode), tmp_path / "normal.docx"), "word/document.xml")
    assert xml.count("<w:pBdr") == 0 and normal.count("<w:pBdr") == 1
    assert xml.count('w:val="FFFFFF"') == 0
    # the 署名 may repeat the organ's name, once less; the 标志's lines are spread, their last
    # character in a run of its own, so the line is counted without it
    mark = document.letterhead.organ_lines[0][:-1]
    assert xml.count(mark) == normal.count(mark) - 1
    texts = [p.text for p in docx.Document(str(path)).paragraphs]
    assert document.letterhead.doc_number in texts  # everything else is still there


def _first_chars(pdf_path: Path, text: str) -> tuple[int, dict]:
    """(page index, first character) of the first printed line that starts with ``text``."""
    import pdfplumber

    with pdfplumber.open(str(pdf_path)) as pdf:
        for number, page in enumerate(pdf.pages):
            chars = line_starting(page, text)
            if chars:
                return number, chars[0]
    raise AssertionError(f"no line starts with {text!r}")


@needs_soffice
def test_preprinted_keeps_every_position_in_libreoffice(lo_pdfs):
    """套打: the 文号, the title lines and the 主送 print within 0.3 mm of where the normal FORMAL
    DOCX has them, and the 标志 prints nowhere."""
    pytest.importorskip("pdfplumber")
    document = demo_document(Mode.FORMAL)
    for text in (document.letterhead.doc_number, *document.title_lines, document.addressee[:8]):
        normal_page, normal = _first_chars(lo_pdfs["demo"], text)
        page, char = _first_chars(lo_pdfs["preprinted"], text)
        assert page == normal_page, text
        assert abs(g.pt_to_mm(char["x0"] - normal["x0"])) <= 0.3, text
        assert abs(g.pt_to_mm(char["top"] - normal["top"])) <= 0.3, text
    import pdfplumber

    def mark_chars(pdf_path: Path) -> int:  # the 标志 is the only type larger than the 二号 title
        with pdfplumber.open(str(pdf_path)) as pdf:
            return sum(c["size"] > g.TITLE_SIZE_PT + 1 for page in pdf.pages for c in page.chars)

    assert mark_chars(lo_pdfs["demo"]) > 0 and mark_chars(lo_pdfs["preprinted"]) == 0


# ── page numbers on 横排 pages (clause 8) ───────────────────────────────────────────────────

WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
WPS = "{http://schemas.microsoft.com/office/word/2010/wordprocessingShape}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"


def _instr(root) -> str:
    return "".join(t.text or "" for t in root.iter(qn("w:instrText")))


def test_landscape_sections_turn_the_page_number_onto_the_short_side(tmp_path):
    """Every section has its own odd and even footer. On a 横排 page the footer prints nothing
    along the long edge: it holds a page-anchored text box turned a quarter clockwise (``vert``)
    on the short side, whose right edge is the portrait footer line's top (7 mm outside the 版心)
    and which spans the portrait 版心's width; odd 右空一字, even 左空一字 in the portrait sense."""
    d = docx.Document(str(render_docx(landscape_document(), tmp_path / "wide.docx")))
    assert not d.settings.element.findall(qn("w:titlePg"))
    for section in d.sections:
        refs = {r.get(qn("w:type")) for r in section._sectPr.findall(qn("w:footerReference"))}
        assert refs == {"default", "even"}  # never inherited across orientations
        turned = section.page_width > section.page_height
        for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
            root = footer._element
            anchors = list(root.iter(f"{WP}anchor"))
            if not turned:
                assert not anchors and "PAGE" in _instr(root)
                p = footer.paragraphs[0]
                assert p._p.pPr.find(qn("w:jc")).get(qn("w:val")) == ("right" if odd else "left")
                continue
            assert len(anchors) == 1
            anchor = anchors[0]
            assert anchor.getparent().getparent().tag == f"{MC}Choice"
            position = {}
            for axis in ("H", "V"):
                pos = anchor.find(f"{WP}position{axis}")
                assert pos.get("relativeFrom") == "page"
                position[axis] = int(pos.find(f"{WP}posOffset").text) / EMU_PER_MM
            extent = anchor.find(f"{WP}extent")
            cx, cy = int(extent.get("cx")) / EMU_PER_MM, int(extent.get("cy")) / EMU_PER_MM
            assert position["H"] + cx == pytest.approx(
                g.MARGIN_BOTTOM_MM - g.PAGE_NUMBER_BELOW_TEXT_MM, abs=0.01
            )
            assert position["V"] == pytest.approx(g.MARGIN_LEFT_MM, abs=0.01)
            assert cy == pytest.approx(g.TEXT_WIDTH_MM, abs=0.01)
            assert g.pt_to_mm(g.PAGE_NUMBER_SIZE_PT) <= cx < g.PAGE_NUMBER_BELOW_TEXT_MM + 5
            assert anchor.find(f".//{WPS}bodyPr").get("vert") == "vert"
            box = anchor.find(f".//{WPS}txbx/{W}txbxContent")
            assert "PAGE" in _instr(box)
            inner = box.find(qn("w:p"))
            assert inner.pPr.find(qn("w:jc")).get(qn("w:val")) == ("right" if odd else "left")
            side = inner.pPr.find(qn("w:ind")).get(qn("w:right" if odd else "w:left"))
            assert int(side) == round(g.PAGE_NUMBER_SIDE_CHARS * g.PAGE_NUMBER_SIZE_PT * 20)
            # outside the text box (and its VML fallback) the footer holds no text and no field
            for alt in list(root.iter(f"{MC}AlternateContent")):
                alt.getparent().remove(alt)
            assert not _instr(root) and not "".join(t.text or "" for t in root.iter(qn("w:t")))


def _number_boxes(pdf_path: Path) -> list[tuple[int, bool, str, float, float, float]]:
    """(page, turned, text, x0, x1, top) of each page's "— N —", in the portrait frame, in mm.

    A turned character's box spans its em across the landscape page, its glyph tops toward the
    right: portrait x is landscape y, and the em top's portrait y is the page width − its x1.
    """
    import pdfplumber

    out = []
    with pdfplumber.open(str(pdf_path)) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            chars = [c for c in page.chars if c["text"].strip()]
            # pdfplumber's "size" of a turned glyph is its advance: find the turned number by place
            turned = [c for c in chars if not c["upright"] and g.pt_to_mm(c["x1"]) < g.MARGIN_BOTTOM_MM]
            upright = [
                c
                for c in chars
                if c["upright"]
                and g.pt_to_mm(c["top"]) > g.MARGIN_TOP_MM + g.TEXT_HEIGHT_MM  # under the 版心
                and abs(c["size"] - g.PAGE_NUMBER_SIZE_PT) < 1
            ]
            for group, is_turned in ((turned, True), (upright, False)):
                if not group:
                    continue
                if is_turned:
                    group.sort(key=lambda c: c["top"])
                    x0, x1 = min(c["top"] for c in group), max(c["bottom"] for c in group)
                    top = float(page.width) - max(c["x1"] for c in group)
                else:
                    group.sort(key=lambda c: c["x0"])
                    x0, x1 = min(c["x0"] for c in group), max(c["x1"] for c in group)
                    top = min(c["top"] for c in group)
                text = "".join(c["text"] for c in group)
                out.append((number, is_turned, text, g.pt_to_mm(x0), g.pt_to_mm(x1), g.pt_to_mm(top)))
    return out


@needs_soffice
def test_libreoffice_turns_the_page_number_of_landscape_pages(lo_pdfs):
    """In LibreOffice's rendering the number of a 横排 page reads turned on the short side, at the
    portrait pages' place: 7 mm under the portrait 版心, odd 右空一字 / even 左空一字 (±1 mm), and
    within 0.5 mm of where the portrait pages of the same parity print theirs."""
    pytest.importorskip("pdfplumber")
    import pdfplumber

    with pdfplumber.open(str(lo_pdfs["landscape"])) as pdf:
        landscape = {n for n, page in enumerate(pdf.pages, 1) if page.width > page.height}
    boxes = _number_boxes(lo_pdfs["landscape"])
    assert landscape and {n for n, turned, *_ in boxes if turned} == landscape
    assert not [n for n, turned, *_ in boxes if not turned and n in landscape]  # nothing on the long edge
    side_mm = g.pt_to_mm(g.PAGE_NUMBER_SIDE_CHARS * g.PAGE_NUMBER_SIZE_PT)
    portrait = {n % 2: (x0, x1, top) for n, turned, _, x0, x1, top in boxes if not turned}
    assert set(portrait) == {0, 1}
    for n, turned, text, x0, x1, top in boxes:
        assert text == f"{g.PAGE_NUMBER_DASH}{n}{g.PAGE_NUMBER_DASH}", (n, text)
        odd = n % 2 == 1
        edge = x1 if odd else x0
        want = g.MARGIN_LEFT_MM + g.TEXT_WIDTH_MM - side_mm if odd else g.MARGIN_LEFT_MM + side_mm
        assert abs(edge - want) <= 1, (n, edge)
        below = top - (g.MARGIN_TOP_MM + g.TEXT_HEIGHT_MM)
        assert abs(below - g.PAGE_NUMBER_BELOW_TEXT_MM) <= 1, (n, below)
        if turned:
            px0, px1, ptop = portrait[n % 2]
            assert abs(edge - (px1 if odd else px0)) <= 0.5 and abs(top - ptop) <= 0.5, n


@pytest.mark.parametrize(("own_page", "expected"), [(True, "evenPage"), (False, None), (None, None)])
def test_colophon_page_of_its_own_starts_an_even_page_section(
    own_page: bool | None, expected: str | None
) -> None:
    """When the PDF's layout gives the 版记 a page of its own, Word/WPS put it on the next even page."""
    from zsreport.render.docx import build_docx

    data = build_docx(demo_document(Mode.FORMAL), colophon_own_page=own_page)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        body = etree.fromstring(z.read("word/document.xml")).find(qn("w:body"))
    last_section = body.find(qn("w:sectPr"))
    start = last_section.find(qn("w:type"))
    assert (start.get(qn("w:val")) if start is not None else None) == expected
    # the 版记 table follows the last section break, i.e. it is in the even-page section
    tables = body.findall(qn("w:tbl"))
    assert tables and tables[-1].find(f"{qn('w:tblPr')}/{qn('w:tblpPr')}") is not None


MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"


def _own_overflow_punct(ppr) -> tuple[str, str] | None:
    """(Word's value, LibreOffice's value) of ``w:overflowPunct`` set in this pPr, if any.

    Word 2013+ takes the ``w15`` Choice; LibreOffice takes only wps/wpg/w14 Choices, so it reads
    the Fallback."""
    if ppr is None:
        return None
    plain = ppr.find(f"{W}overflowPunct")
    if plain is not None:
        return plain.get(f"{W}val", "1"), plain.get(f"{W}val", "1")
    for alt in ppr.findall(f"{MC}AlternateContent"):
        choice, fallback = alt.find(f"{MC}Choice"), alt.find(f"{MC}Fallback")
        word = choice.find(f"{W}overflowPunct") if choice is not None else None
        lo = fallback.find(f"{W}overflowPunct") if fallback is not None else None
        if word is not None and lo is not None and choice.get("Requires") == "w15":
            return word.get(f"{W}val"), lo.get(f"{W}val")
    return None


def test_every_text_paragraph_keeps_its_punctuation_inside(rendered):
    """No "，" or "。" hangs past the 版心 in Word (``w:overflowPunct`` 0) nor in LibreOffice, which
    reads the element the wrong way round (7.4: hanging = val 0), so it is told val 1."""
    _, path = rendered
    styles = etree.fromstring(_part(path, "word/styles.xml").encode())
    by_id = {s.get(f"{W}styleId"): s for s in styles.iter(f"{W}style")}
    default = _own_overflow_punct(styles.find(f"{W}docDefaults/{W}pPrDefault/{W}pPr"))
    assert default == ("0", "1")
    default_style = next(
        s.get(f"{W}styleId")
        for s in by_id.values()
        if s.get(f"{W}default") == "1" and s.get(f"{W}type") == "paragraph"
    )

    def resolved(p) -> tuple[str, str] | None:
        own = _own_overflow_punct(p.find(f"{W}pPr"))
        if own is not None:
            return own
        style = p.find(f"{W}pPr/{W}pStyle")
        style_id = style.get(f"{W}val") if style is not None else default_style
        while style_id in by_id:
            found = _own_overflow_punct(by_id[style_id].find(f"{W}pPr"))
            if found is not None:
                return found
            based = by_id[style_id].find(f"{W}basedOn")
            style_id = based.get(f"{W}val") if based is not None else None
        return default

    texts = 0
    for name in ("word/document.xml", *[n for n in zipfile.ZipFile(path).namelist() if "footer" in n]):
        root = etree.fromstring(_part(path, name).encode())
        for p in root.iter(f"{W}p"):
            if "".join(t.text or "" for t in p.iter(f"{W}t")).strip():
                texts += 1
                assert resolved(p) == ("0", "1"), etree.tostring(p, encoding="unicode")[:300]
    assert texts > 20


@needs_soffice
def test_libreoffice_keeps_justified_body_lines_inside_the_text_block(lo_demo):
    """No character of a body line reaches past the 版心's right edge (184 mm) in LibreOffice:
    a closing mark that would start the next line takes the character before it down (推出)
    instead of hanging in the margin."""
    pdfplumber = pytest.importorskip("pdfplumber")
    right = g.MARGIN_LEFT_MM + g.TEXT_WIDTH_MM + 0.5
    body_lines = 0
    with pdfplumber.open(str(lo_demo)) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            if page.width > page.height:
                continue
            lines: dict[int, list[dict]] = {}
            for c in page.chars:
                if round(c["size"]) == g.BODY_SIZE_PT and c.get("upright", True):
                    lines.setdefault(round(c["top"]), []).append(c)
            for chars in lines.values():
                if len(chars) < g.CHARS_PER_LINE - 2:
                    continue  # a paragraph's last line, a heading or a centred line
                body_lines += 1
                x1 = g.pt_to_mm(max(c["x1"] for c in chars))
                text = "".join(c["text"] for c in sorted(chars, key=lambda c: c["x0"]))
                assert x1 <= right, f"page {number}: {text[-6:]!r} ends at {x1:.1f} mm"
    assert body_lines >= 5


def test_colophon_page_after_a_blank_page_has_no_number() -> None:
    """Clause 7.5: when the 版记 needs a blank page before it, neither page is numbered."""
    from zsreport.render.docx import build_docx

    data = build_docx(demo_document(Mode.FORMAL), colophon_own_page=True, colophon_unnumbered=True)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        body = etree.fromstring(z.read("word/document.xml")).find(qn("w:body"))
        rels = etree.fromstring(z.read("word/_rels/document.xml.rels"))
        targets = {r.get("Id"): r.get("Target") for r in rels}
        last = body.find(qn("w:sectPr"))
        refs = last.findall(qn("w:footerReference"))
        assert {r.get(qn("w:type")) for r in refs} >= {"default", "even"}
        for ref in refs:
            footer = z.read(f"word/{targets[ref.get(qn('r:id'))]}").decode()
            assert "PAGE" not in footer and "—" not in footer
