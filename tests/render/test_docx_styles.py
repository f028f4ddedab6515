"""Issue 14, item 10: a DOCX the clerk can restyle. The formatting lives in named styles, the runs
are bare, the package is our own (only the styles it uses, the official faces in its font table,
an app.xml naming zsreport), and changing 正文 in styles.xml changes the body text."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from tests.demo_document import demo_document
from tests.wrong_documents import edit_docx
from zsreport import gbt9704 as g
from zsreport.conformance import convert_docx_to_pdf
from zsreport.conformance.docx_styles import StyleSheet, text_runs
from zsreport.conformance.reading import read_pdf
from zsreport.fonts import FONT_ROLES
from zsreport.model import Mode
from zsreport.render.docx import document_author, render_docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
# Word's three defaults: the styles every document has, used or not.
WORD_DEFAULTS = {"Normal", "DefaultParagraphFont", "TableNormal"}


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def docx_parts(path: Path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(path) as z:
        return {
            name: etree.fromstring(z.read(name))
            for name in z.namelist()
            if name.endswith(".xml") and not name.startswith("[")
        }


def direct_font_runs(document: etree._Element) -> list[etree._Element]:
    """Text runs that set a face or a size of their own (rPr rFonts / sz)."""
    return [
        r
        for r in text_runs(document)
        if r.find("w:rPr/w:rFonts", NS) is not None or r.find("w:rPr/w:sz", NS) is not None
    ]


def unused_styles(parts: dict[str, etree._Element]) -> set[str]:
    """Styles that no paragraph, run or table of the body or footers names, directly or as the
    base of one that is named (Word's defaults aside)."""
    styles = parts["word/styles.xml"]
    by_id = {s.get(_w("styleId")): s for s in styles.findall("w:style", NS)}
    named = {
        el.get(_w("val"))
        for name, root in parts.items()
        if name == "word/document.xml" or name.startswith("word/footer")
        for tag in ("pStyle", "rStyle", "tblStyle")
        for el in root.iter(_w(tag))
    }
    used: set[str] = set()
    todo = list(named | WORD_DEFAULTS)
    while todo:
        sid = todo.pop()
        if sid in by_id and sid not in used:
            used.add(sid)
            todo += [b.get(_w("val")) for b in by_id[sid].findall("w:basedOn", NS)]
    return set(by_id) - used


@pytest.fixture(scope="module", params=list(Mode), ids=lambda m: m.value)
def rendered(request, tmp_path_factory) -> tuple[Mode, Path]:
    path = tmp_path_factory.mktemp(request.param.value) / "demo.docx"
    return request.param, render_docx(demo_document(request.param), path)


def test_runs_are_bare_and_take_their_faces_from_styles(rendered) -> None:
    mode, path = rendered
    parts = docx_parts(path)
    document = parts["word/document.xml"]
    runs = text_runs(document)
    direct = direct_font_runs(document)
    assert len(runs) > 100
    # only the red 标志's lines, shrunk to fit the 版心, and its larger "文件" carry a size
    assert len(direct) <= 6 if mode is not Mode.PLAIN else not direct, [
        "".join(t.text for t in r.iter(_w("t"))) for r in direct
    ]
    sheet = StyleSheet(parts["word/styles.xml"])
    official = {role.official for role in FONT_ROLES.values()}
    assert {sheet.font(r) for r in runs} <= official
    # the styles are there, with their Chinese names, and hold the faces and sizes
    names = {s.find("w:name", NS).get(_w("val")): s.get(_w("styleId")) for s in sheet.by_id.values()}
    assert {
        "Normal",
        "heading 1",
        "heading 2",
        "公文标题",
        "公文表题",
        "公文表格",
        "公文表注",
        "公文页码",
    } <= set(names)
    if mode is not Mode.PLAIN:
        assert {"公文发文字号", "公文发文机关标志"} <= set(names)
    assert sheet.style_value("Normal", "rFonts", "eastAsia") == FONT_ROLES["body"].official
    assert sheet.style_value("Normal", "sz") == str(round(2 * g.BODY_SIZE_PT))
    assert sheet.style_value(names["公文标题"], "rFonts", "eastAsia") == FONT_ROLES["title"].official
    assert sheet.style_value(names["公文标题"], "sz") == str(round(2 * g.TITLE_SIZE_PT))
    assert sheet.style_value(names["heading 1"], "rFonts", "eastAsia") == FONT_ROLES["hei"].official
    assert sheet.style_value(names["heading 2"], "rFonts", "eastAsia") == FONT_ROLES["kai"].official
    # a heading inherits its size from 正文: restyling Normal restyles the headings
    assert sheet.by_id[names["heading 1"]].find("w:rPr/w:sz", NS) is None


def test_only_our_styles_and_parts(rendered) -> None:
    """No style the document does not use, none of python-docx's template parts, our app.xml,
    core.xml with the title and the organ, a font table naming the official faces."""
    mode, path = rendered
    parts = docx_parts(path)
    assert not unused_styles(parts)
    assert len(parts["word/styles.xml"].findall("w:style", NS)) < 30
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        app = z.read("docProps/app.xml").decode("utf-8")
    for leftover in ("word/theme/theme1.xml", "word/numbering.xml", "word/stylesWithEffects.xml",
                     "word/webSettings.xml", "customXml/item1.xml", "docProps/thumbnail.jpeg"):  # fmt: skip
        assert leftover not in names
    assert "<Application>zsreport</Application>" in app and "Microsoft" not in app
    fonts = {f.get(_w("name")) for f in parts["word/fontTable.xml"].findall("w:font", NS)}
    assert {role.official for role in FONT_ROLES.values()} <= fonts
    assert not fonts & {"Calibri", "Cambria", "ＭＳ 明朝", "Arial"}
    core = parts["docProps/core.xml"]
    dc = "{http://purl.org/dc/elements/1.1/}"
    document = demo_document(mode)
    assert core.find(f"{dc}title").text == document.title
    assert (
        core.find(f"{dc}creator").text == document_author(document) == "".join(document.signoff.organ_lines)
    )


def _normal_size(pt: float):
    def edit(name: str, root: etree._Element) -> None:
        if name == "word/styles.xml":
            normal = root.find("w:style[@w:styleId='Normal']/w:rPr", NS)
            for tag in ("sz", "szCs"):
                normal.find(f"w:{tag}", NS).set(_w("val"), str(round(2 * pt)))

    return edit


def _body_sizes(pdf: Path, text: str) -> set[float]:
    """Sizes of the characters on the printed line that starts with ``text``."""
    for page in read_pdf(pdf):
        for line in page.text_lines:
            if line.compact.startswith(text):
                return {round(c["size"], 1) for c in line.ink()}
    raise AssertionError(f"no line starts with {text}")


def test_changing_normal_in_styles_xml_changes_the_body_text(tmp_path: Path) -> None:
    """The clerk's edit of 正文 (here 三号 → 小二, in styles.xml alone) reaches the body text: read
    back through the styles, and as LibreOffice prints it."""
    good = render_docx(demo_document(), tmp_path / "demo.docx")
    big = edit_docx(good, tmp_path / "big.docx", _normal_size(18))
    for path, want in ((good, g.BODY_SIZE_PT), (big, 18.0)):
        parts = docx_parts(path)
        sheet = StyleSheet(parts["word/styles.xml"])
        body = [
            r
            for r in text_runs(parts["word/document.xml"])
            if "全市新引进产业招商项目" in "".join(r.itertext())
        ]
        assert body and {sheet.size_pt(r) for r in body} == {want}
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed: the printed size cannot be measured")
    pdfs = convert_docx_to_pdf([good, big], tmp_path / "lo")
    assert _body_sizes(pdfs[good], "全市新引进产业招商项目") == {g.BODY_SIZE_PT}
    assert _body_sizes(pdfs[big], "全市新引进产业招商") == {18.0}
