"""Purpose-made wrong documents for the conformance checker: the demo tree rendered with one
deliberate deviation, made without touching the renderers: a ``<style>`` override injected into
the renderer's HTML, a changed tree, or an edited DOCX."""

from __future__ import annotations

import dataclasses
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from tests.demo_document import demo_document, demo_table
from zsreport import gbt9704 as g
from zsreport import linebreak
from zsreport.model import Cell, Document, Mode, Paragraph, Table
from zsreport.render import pdf as rp
from zsreport.render.pdf import html as pdf_html
from zsreport.render.pdf import layout

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def render_with_css(document: Document, css: str, target: Path, *, laid_out_again: bool = False) -> Path:
    """Render ``document`` with ``css`` appended to the renderer's stylesheet.

    The override goes into both of the renderer's passes (its stylesheet function is wrapped for
    the call), so the 版记 is still placed for the layout the override produces and only the
    deviation itself differs from a correct rendering. ``laid_out_again``: the 版记 is not moved
    onto the measuring layout's pages but laid out in its place (``layout.place_colophon``
    refused), so that CSS for the pages the renderer otherwise makes itself (the blank page before
    the 版记, its page) takes effect.
    """
    original = pdf_html._css
    placed = layout.place_colophon
    if laid_out_again:
        layout.place_colophon = lambda rendered, plan: False  # type: ignore[assignment]

    def with_override(head: object) -> str:
        return original(head) + "\n" + css  # type: ignore[arg-type]

    pdf_html._css = with_override  # type: ignore[assignment]
    layout._PLANS.clear()  # the plans are cached by tree: measure this stylesheet's layout
    try:
        return rp.render_pdf(document, target)
    finally:
        pdf_html._css = original
        layout.place_colophon = placed  # type: ignore[assignment]
        layout._PLANS.clear()


def _letterhead(document: Document, **changes: str) -> Document:
    assert document.letterhead is not None
    return dataclasses.replace(document, letterhead=dataclasses.replace(document.letterhead, **changes))


def _signoff_date(document: Document, date: str) -> Document:
    assert document.signoff is not None
    return dataclasses.replace(document, signoff=dataclasses.replace(document.signoff, date=date))


_CENTRED_NUMBER = (
    f'content: "{g.PAGE_NUMBER_DASH} " counter(page) " {g.PAGE_NUMBER_DASH}"; '
    f"font-size: {g.PAGE_NUMBER_SIZE_PT}pt; vertical-align: top; "
    f"padding-top: {g.PAGE_NUMBER_BELOW_TEXT_MM}mm; white-space: nowrap;"
)


@dataclass(frozen=True)
class Wrong:
    """One deviation: how to make it, and the rules that must then fail (and no others)."""

    name: str
    fails: frozenset[str]
    css: str = ""
    tree: Callable[[Document], Document] | None = None
    mode: Mode = Mode.FORMAL
    laid_out_again: bool = False  # see ``render_with_css``

    def document(self) -> Document:
        document = demo_document(self.mode)
        return self.tree(document) if self.tree else document

    def render(self, target: Path) -> Path:
        return render_with_css(self.document(), self.css, target, laid_out_again=self.laid_out_again)


def render_all(wrongs: tuple[Wrong, ...], out_dir: Path, workers: int = 4) -> dict[str, Path]:
    """Render every wrong document, a few at a time (each render takes a second or two)."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {w.name: pool.submit(_render_one, w.name, out_dir) for w in wrongs}
        return {name: future.result() for name, future in futures.items()}


def _render_one(name: str, out_dir: Path) -> Path:
    wrong = next(w for w in WRONG_PDFS if w.name == name)
    return wrong.render(out_dir / f"{name}.pdf")


# With 2 字 indent, "一”" takes slots 27–28 of the first line.
QUOTED_LINE_END = "润盛竹木制品产业园项目存在用工问题。要落实“五个一”工作机制，明确责任人和完成时限，需市级层面协调的问题及时报告。"


def _ending_on_an_even_landscape_page(document: Document) -> Document:
    """The last 附件 a 横排 table just long enough to end the text on an even page: a blank page,
    then the 版记 page, both without a number (clause 7.5)."""
    attachment = document.attachments[-1]
    for rows in range(10, 80, 3):
        table = dataclasses.replace(demo_table(2, rows=rows), landscape=True)
        changed = dataclasses.replace(
            document, attachments=(dataclasses.replace(attachment, blocks=(table,)),)
        )
        if rp._plan_colophon(changed).blank_page:
            return changed
    raise AssertionError("no table length ends the text on an even landscape page")


def narrow_unit_column(document: Document) -> Document:
    """表1 with cells "新设邵阳经开区" (the unit name a word kept whole) in a column that holds
    the name but not the whole cell: a line must break before the name, not inside it."""

    def named(cell: Cell) -> Cell:
        if not cell.text.startswith("单位"):
            return cell
        return dataclasses.replace(cell, text="新设邵阳经开区", keep=("邵阳经开区",))

    body = tuple(
        dataclasses.replace(
            block, body=tuple((named(row[0]), *row[1:]) for row in block.body), widths=(3, 4, 4, 4, 2)
        )
        if isinstance(block, Table) and block.number == 1
        else block
        for block in document.body
    )
    return dataclasses.replace(document, body=body)


LONG_NAME = "恒科纸制品生产基地项目"  # 11 字, in a column of 10.3: "…基地项/目" unless pulled down
NAME_ROOM_EM = 10.3


def project_name_column(document: Document) -> Document:
    """表1 with three project names of 11 字 in a column whose text width holds 10.3 字 at 小四:
    filled to the width, the 11th 字 would stand alone on the second line."""
    size = g.TABLE_SIZES_PT[0]
    column = NAME_ROOM_EM * g.pt_to_mm(size) - linebreak.cell_room_mm(0.0)  # room + padding, rule
    rest = (g.TEXT_WIDTH_MM - column) / 4

    def named(cell: Cell) -> Cell:
        return dataclasses.replace(cell, text=LONG_NAME) if cell.text in ("单位1", "单位2", "单位3") else cell

    body = tuple(
        dataclasses.replace(
            block,
            body=tuple((named(row[0]), *row[1:]) for row in block.body),
            widths=(column, rest, rest, rest, rest),
            size_pt=size,
        )
        if isinstance(block, Table) and block.number == 1
        else block
        for block in document.body
    )
    return dataclasses.replace(document, body=body)


_NUMBERED = f'content: "{g.PAGE_NUMBER_DASH} " counter(page) " {g.PAGE_NUMBER_DASH}";'


def _rules(*names: str) -> frozenset[str]:
    return frozenset(names)


WRONG_PDFS: tuple[Wrong, ...] = (
    Wrong("issuer-black", _rules("issuer.red"), css=".issuer { color: black; }"),
    Wrong("issuer-low", _rules("issuer.top"), css=".letterhead { padding-top: 45mm; }"),
    Wrong(
        "issuer-off-centre",
        _rules("issuer.centred"),
        css=".issuer { margin-left: 0; margin-right: auto; } .issuer .organ-line { font-size: 16pt; }",
    ),
    Wrong(
        "doc-number-di",
        _rules("doc-number.format"),
        tree=lambda d: _letterhead(d, doc_number="邵承办发〔2021〕第1号"),
    ),
    Wrong(
        "doc-number-leading-zero",
        _rules("doc-number.format"),
        tree=lambda d: _letterhead(d, doc_number="邵承办发〔2021〕01号"),
    ),
    Wrong(
        "doc-number-square-brackets",
        _rules("doc-number.format"),
        tree=lambda d: _letterhead(d, doc_number="邵承办发[2021]1号"),
    ),
    Wrong("red-rule-far", _rules("red-rule.gap"), css=".red-rule { margin-top: 9mm; }"),
    Wrong("red-rule-short", _rules("red-rule.width"), css=".red-rule { width: 120mm; }"),
    Wrong("title-20pt", _rules("title.size", "attachment.title"), css=".title { font-size: 20pt; }"),
    Wrong(
        "title-zigzag",
        _rules("title.shape"),
        tree=lambda d: dataclasses.replace(
            d, title_lines=("关于2020年", "第四季度全市招商引资工作", "推进情况", "的通报和有关事项的说明")
        ),
    ),
    Wrong("title-left", _rules("title.centred"), css=".title.after-rule { text-align: left; }"),
    Wrong(
        "addressee-no-colon",
        _rules("addressee.colon"),
        tree=lambda d: dataclasses.replace(d, addressee="各县市区委、人民政府，邵阳经开区"),
    ),
    Wrong("body-15pt", _rules("body.size"), css="p.para { font-size: 15pt; }"),
    Wrong("body-pitch-26pt", _rules("body.line-pitch"), css="p.para { line-height: 26pt; }"),
    Wrong("body-short-lines", _rules("body.full-lines"), css="p.para { padding-right: 8mm; }"),
    Wrong(
        # 2020Q4-17 p. 4 as it was: no break after "”", so "一”工" is one unit; the first line ends at
        # "五个" with two slots empty and is spread to the edge (x1 is fine, the count is not).
        "quote-glued-to-next-character",
        _rules("body.full-lines"),
        css=".brk { display: none; }",
        tree=lambda d: dataclasses.replace(d, body=(d.body[0], Paragraph.of(QUOTED_LINE_END), *d.body[1:])),
    ),
    Wrong("body-in-kai", _rules("body.face"), css="p.para { font-family: FandolKai; }"),
    Wrong("heading2-in-hei", _rules("heading.l2"), css="h2 { font-family: FandolHei; }"),
    Wrong("heading1-bold", _rules("heading.l1"), css="h1 { font-weight: bold; }"),
    Wrong(
        "page-number-centred",
        _rules("page-number"),
        css="@page :right { @bottom-right { content: none; } @bottom-center { " + _CENTRED_NUMBER + " } }"
        "@page :left { @bottom-left { content: none; } @bottom-center { " + _CENTRED_NUMBER + " } }",
    ),
    Wrong(
        "page-number-12pt",
        _rules("page-number"),
        css="@page :right { @bottom-right { font-size: 12pt; } } "
        "@page :left { @bottom-left { font-size: 12pt; } }",
    ),
    Wrong(
        "signoff-date-zero-padded",
        _rules("date.signoff"),
        tree=lambda d: _signoff_date(d, "2021年01月08日"),
    ),
    Wrong(
        "attachment-not-on-new-page",
        _rules("attachment.label"),
        css=".attachment { break-before: auto; }",
    ),
    Wrong(
        "attachment-label-kai",
        _rules("attachment.label"),
        css=".attachment .label { font-family: FandolKai; }",
    ),
    Wrong(
        "blank-page-numbered",
        _rules("page-number"),
        css="@page unnumbered:left { @bottom-left { " + _NUMBERED + " } } "
        "@page unnumbered:right { @bottom-right { " + _NUMBERED + " } }",
        tree=_ending_on_an_even_landscape_page,
        laid_out_again=True,  # the renderer makes the blank page itself, without margin boxes
    ),
    Wrong(
        # issue 14 item 5: "邵阳经/开区" as a narrow column broke it, the word no longer kept whole
        "table-word-broken",
        _rules("table.word-unbroken"),
        css="table.data .word, table.data .line { white-space: normal; } table.data .line { display: inline; }",
        tree=narrow_unit_column,
    ),
    Wrong(
        # issue 24 item 1: a cell's lines filled by the engine, "…基地项/目" leaves 目 alone
        "table-lone-character",
        _rules("table.lone-character"),
        css="table.data .line { display: inline; white-space: normal; }",
        tree=project_name_column,
    ),
    # issue 14 item 7: page 2 ends after three lines of text, as when a block was pushed over whole
    Wrong("page-left-short", _rules("page.filled"), css="h2 { break-before: page; }"),
    Wrong("colophon-thin-rules", _rules("colophon.rules"), css=".colophon { border-top-width: 0.1mm; }"),
    Wrong("colophon-15pt", _rules("colophon.size"), css=".colophon .printed { font-size: 12pt; }"),
    Wrong(
        "colophon-printer-touches-date",
        _rules("colophon.printed-gap"),
        css=".colophon .printed .printer { letter-spacing: 0 !important; }",
    ),
    Wrong(
        "replacement-glyph",
        _rules("fonts.glyphs", "body.face"),  # U+FFFD is drawn from a fallback face, not 仿宋
        tree=lambda d: dataclasses.replace(d, body=(*d.body, Paragraph.of("乱码\ufffd字符。"))),
    ),
    Wrong(
        "table-note-overleaf",
        _rules("body.note-with-table"),
        css=".table-notes { break-before: page; }",
    ),
    Wrong("heading-at-page-foot", _rules("body.heading-kept"), css="h2 { break-after: page; }"),
    Wrong(
        "minutes-mark-black",
        _rules("minutes-mark.red"),
        css=".issuer { color: black; }",
        mode=Mode.MINUTES,
    ),
    Wrong(
        "minutes-title-tight",
        _rules("body.below-title"),
        css=".body.after-title { margin-top: 0; }",
        tree=lambda d: dataclasses.replace(d, addressee=""),
        mode=Mode.MINUTES,
    ),
    Wrong(
        "minutes-attendance-fang",
        _rules("minutes.attendance-face"),
        css=".attendance .label { font-family: FandolFang; }",
        mode=Mode.MINUTES,
    ),
)


# --- DOCX ----------------------------------------------------------------------------------------


def edit_docx(source: Path, target: Path, edit: Callable[[str, etree._Element], None]) -> Path:
    """Copy a DOCX, passing every word/*.xml part through ``edit(name, root)``."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("word/") and item.filename.endswith(".xml"):
                root = etree.fromstring(data)
                edit(item.filename, root)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            zout.writestr(item, data)
    return target


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def wrong_margins(name: str, root: etree._Element) -> None:
    for mar in root.iter(_w("pgMar")):
        mar.set(_w("top"), str(g.mm_to_twips(25)))


def no_east_asia(name: str, root: etree._Element) -> None:
    for fonts in root.iter(_w("rFonts")):
        fonts.attrib.pop(_w("eastAsia"), None)


def no_tbl_header(name: str, root: etree._Element) -> None:
    for header in list(root.iter(_w("tblHeader"))):
        header.getparent().remove(header)


def no_even_odd(name: str, root: etree._Element) -> None:
    for flag in list(root.iter(_w("evenAndOddHeaders"))):
        flag.getparent().remove(flag)


def wrong_grid(name: str, root: etree._Element) -> None:
    for grid in root.iter(_w("docGrid")):
        grid.set(_w("linePitch"), "560")


def autospace_default(name: str, root: etree._Element) -> None:
    """Word's default: extra space beside digits (what a template left untouched would do)."""
    for tag in ("autoSpaceDE", "autoSpaceDN"):
        for flag in list(root.iter(_w(tag))):
            flag.getparent().remove(flag)


WRONG_DOCX: tuple[tuple[str, Callable[[str, etree._Element], None], frozenset[str]], ...] = (
    ("margins-25mm", wrong_margins, _rules("docx.pgMar")),
    (
        "no-eastAsia",
        no_east_asia,
        _rules(
            "docx.eastAsia.styles",
            "docx.eastAsia.runs",
            "docx.eastAsia.default",
            "docx.heading1",
            "docx.heading2",
            "docx.heading3",
            "docx.heading4",
        ),
    ),
    ("no-tblHeader", no_tbl_header, _rules("docx.tblHeader")),
    ("no-evenAndOddHeaders", no_even_odd, _rules("docx.evenAndOddHeaders")),
    ("grid-560", wrong_grid, _rules("docx.docGrid")),
    ("autospace-default", autospace_default, _rules("docx.autospace")),
)


def footer_digits_times(name: str, root: etree._Element) -> None:
    """The page number's digits in the Latin face (Times New Roman), as python-docx writes them:
    named by the 页码 style, or by the footer's runs themselves."""
    if name == "word/styles.xml":
        fonts = [
            f
            for s in root.iter(_w("style"))
            if s.get(_w("styleId")) == "ZSPageNumber"
            for f in s.iter(_w("rFonts"))
        ]
    elif "footer" in name:
        fonts = list(root.iter(_w("rFonts")))
    else:
        return
    for face in fonts:
        face.set(_w("ascii"), "Times New Roman")
        face.set(_w("hAnsi"), "Times New Roman")


WRONG_DOCX += (("footer-digits-times", footer_digits_times, _rules("docx.footer.digits")),)


def head_digits_times(name: str, root: etree._Element) -> None:
    """The 标志, 文号, 标题 and headings with their digits in Times New Roman, as python-docx and
    this renderer before issue 24 wrote them: a Times "2020" inside the bold 小标宋 title."""
    if name != "word/styles.xml":
        return
    head = {
        "ZSIssuer",
        "ZSDocNumber",
        "ZSTitle",
        "ZSHeadLine",
        "Heading1",
        "Heading2",
        "Heading3",
        "Heading4",
    }
    for style in root.iter(_w("style")):
        if style.get(_w("styleId")) in head:
            for face in style.iter(_w("rFonts")):
                face.set(_w("ascii"), "Times New Roman")
                face.set(_w("hAnsi"), "Times New Roman")


WRONG_DOCX += (("head-digits-times", head_digits_times, _rules("docx.digits.face")),)


def number_lowered(name: str, root: etree._Element) -> None:
    """The 发文字号 3 mm lower than the PDF's (issue 14 found 6.2 mm), still within the wide band
    the LibreOffice rendering is allowed for 下空二行: only the comparison with the PDF sees it."""
    if name != "word/document.xml":
        return
    spacers = [p for p in root.iter(_w("p")) if _style(p) == "ZSBlank"]
    spacing = spacers[1].find(f"{_w('pPr')}/{_w('spacing')}")  # [0] above the 标志, [1] under it
    spacing.set(_w("line"), str(int(spacing.get(_w("line"))) + g.mm_to_twips(3)))


def _put_flag(p: etree._Element, tag: str, on: bool = True) -> None:
    """Set ``w:tag`` on the paragraph, at the head of its pPr (after pStyle, as the schema wants)."""
    ppr = p.find(_w("pPr"))
    if ppr is None:
        ppr = etree.SubElement(p, _w("pPr"))
        p.insert(0, ppr)
    flag = etree.Element(_w(tag))
    flag.set(_w("val"), str(int(on)))
    ppr.insert(1 if ppr.find(_w("pStyle")) is not None else 0, flag)


def _drop(root: etree._Element, tag: str) -> None:
    for el in list(root.iter(_w(tag))):
        el.getparent().remove(el)


def note_overleaf(name: str, root: etree._Element) -> None:
    """The first table's 注 on the next page, its table left on the page before."""
    if name != "word/document.xml":
        return
    table = next(t for t in root.iter(_w("tbl")) if len(t.findall(_w("tr"))) > 3)
    _drop(table, "keepNext")
    note = table.getnext()
    assert _style(note).startswith("ZSTableNote")
    _put_flag(note, "pageBreakBefore")


def heading_overleaf(name: str, root: etree._Element) -> None:
    """The text under the first 二级标题 on the next page, the heading left at a page foot."""
    if name != "word/document.xml":
        return
    heading = next(p for p in root.iter(_w("p")) if _style(p) == "Heading2")
    _put_flag(heading, "keepNext", on=False)  # its style keeps it with the next line
    _put_flag(heading.getnext(), "pageBreakBefore")


def figure_full_width(name: str, root: etree._Element) -> None:
    """Charts as wide as the 版心 (156 mm), which LibreOffice sets past its right edge."""
    wide = str(round(g.FIGURE_WIDTH_MM * g.EMU_PER_MM))
    for tag in (
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent",
        "{http://schemas.openxmlformats.org/drawingml/2006/main}ext",
    ):
        for extent in root.iter(tag):
            extent.set("cx", wide)


def _style(p: etree._Element) -> str:
    style = p.find(f"{_w('pPr')}/{_w('pStyle')}")
    return style.get(_w("val")) if style is not None else ""


def _title_paragraphs(root: etree._Element) -> list[etree._Element]:
    return [p for p in root.iter(_w("p")) if _style(p) == "ZSTitle"]


def title_as_before_issue_24(name: str, root: etree._Element) -> None:
    """The title as this renderer wrote it before issue 24: digits in Times New Roman, and no
    zero-width marks, so LibreOffice spaces "2020" off the 汉字 on both sides."""
    head_digits_times(name, root)
    if name == "word/document.xml":
        for p in _title_paragraphs(root):
            for t in p.iter(_w("t")):
                t.text = (t.text or "").replace("\u200b", "")


def title_face_jp(name: str, root: etree._Element) -> None:
    """The 标题 in the Japanese face of the Noto Serif CJK collection and marked Japanese: JP glyph
    forms (LibreOffice picks the forms by the text's language, through the face's ``locl``)."""
    if name != "word/styles.xml":
        return
    for style in root.iter(_w("style")):
        if style.get(_w("styleId")) == "ZSTitle":
            for face in style.iter(_w("rFonts")):
                for slot in ("eastAsia", "ascii", "hAnsi"):
                    face.set(_w(slot), "Noto Serif CJK JP")
            lang = etree.SubElement(style.find(_w("rPr")), _w("lang"))
            lang.set(_w("eastAsia"), "ja-JP")


def title_lowered(name: str, root: etree._Element) -> None:
    """The 标题 1 mm lower than the PDF's: the blank line above it 1 mm taller."""
    if name != "word/document.xml":
        return
    title = _title_paragraphs(root)[0]
    spacer = title.getprevious()
    assert _style(spacer) == "ZSBlank"
    spacing = spacer.find(f"{_w('pPr')}/{_w('spacing')}")
    spacing.set(_w("line"), str(int(spacing.get(_w("line"))) + g.mm_to_twips(1)))


def signoff_date_left(name: str, root: etree._Element) -> None:
    """The 成文日期 3 字 further left, where this renderer set it before issue 24 (2 字 right of
    the longer 署名 line, not of the line above it)."""
    if name != "word/document.xml":
        return
    dates = [p for p in root.iter(_w("p")) if re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", _text(p))]
    ind = dates[-1].find(f"{_w('pPr')}/{_w('ind')}")
    ind.set(_w("left"), str(int(ind.get(_w("left"))) - 3 * round(g.CHAR_PITCH_PT * 20)))


def _text(p: etree._Element) -> str:
    return "".join(t.text or "" for t in p.iter(_w("t"))).replace("\u200b", "")


def minutes_organ_flush(name: str, root: etree._Element) -> None:
    """The 纪要's 机关 顶格 instead of 左空一字 (as this renderer set it before issue 24)."""
    if name != "word/document.xml":
        return
    line = next(p for p in root.iter(_w("p")) if "\t" in _text(p) or p.find(f".//{_w('tab')}") is not None)
    ind = line.find(f"{_w('pPr')}/{_w('ind')}")
    for attr in ("firstLine", "firstLineChars"):
        ind.set(_w(attr), "0")
