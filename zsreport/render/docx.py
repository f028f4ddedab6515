"""``Document`` → DOCX (python-docx), laid out by the numbers in ``gbt9704``.

The DOCX is the clerk's copy for a last edit in Word/WPS, so it is built from real styles
(Normal, Heading 1–4 for the navigation pane, named 公文 styles) rather than direct formatting
alone, and says word for word what the PDF says: both are rendered from the same tree.

Layout choices that Word and WPS honour alike:
- "空N行" are exact-height empty paragraphs, never space-before, because WPS and Word compute
  space-before differently at page tops;
- the 版头 stack (organ lines + "文件") is a borderless two-column table;
- rules are paragraph or table borders (no drawing shapes, which clerks cannot select easily);
- the 版记 is a floating table anchored to the bottom of the 版心 of the last page;
- every section has its own odd and even footer; a 横排 section's footer holds only a page-anchored
  DrawingML text box (VML fallback) with the "— N —" turned a quarter clockwise on the short side,
  where the portrait pages have their number (clause 8) — the one drawing shape, in the footer;
- 套打 (``Document.preprinted``): no red 标志, rule or style; an empty paragraph of the 标志's exact
  height and the rule's room as space after keep everything else where the normal DOCX has it.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import math
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm, Twips
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from zsreport import gbt9704 as g
from zsreport.atomic import atomic_path
from zsreport.fonts import FONT_ROLES
from zsreport.linebreak import mark_breaks
from zsreport.model import (
    Attachment,
    Block,
    Cell,
    Colophon,
    Document,
    Figure,
    Heading,
    Letterhead,
    Mode,
    PageBreak,
    Paragraph,
    Table,
)
from zsreport.render import docx_xml as x

AUTHOR = "邵阳市承接产业转移示范区建设领导小组办公室"
FULL_WIDTH_SPACE = "\u3000"

LINE = g.LINE_PITCH_TWIPS  # one 行 of the grid, in twips
TEXT_WIDTH_TW = g.mm_to_twips(g.TEXT_WIDTH_MM)
CHAR_TW = round(g.CHAR_PITCH_PT * g.TWIPS_PER_PT)  # one 字 of the body grid
# The section carries the 22×28 docGrid (Word's 页面设置 shows it), but paragraphs do not snap to
# it: LibreOffice breaks lines as if a 16 pt glyph needed two 15.79 pt cells, and ignores exact
# heights of snapped paragraphs. Instead every line is an exact 行 and body runs are condensed
# just under the 字 pitch, in 1/20 pt: −0.25 pt still gave 27 a line in LibreOffice 7.4 (it
# rounds the spacing in its own units), −0.30 pt gives 28 in LO and Word alike (29 × 15.7 pt
# overflows the 442 pt 版心).
BODY_CONDENSE = math.floor(g.BODY_LETTER_SPACING_PT * g.TWIPS_PER_PT) - 1


def _twips_pt(pt: float) -> int:
    return round(pt * g.TWIPS_PER_PT)


def _doc_grid_char_space() -> int:
    """``w:charSpace``: grid pitch minus the Normal size, in 1/4096 pt, for 28 字 a line.

    Rounded one unit further down so Word's own division never yields 27.
    """
    margins = g.mm_to_twips(g.MARGIN_LEFT_MM) + g.mm_to_twips(g.MARGIN_RIGHT_MM)
    width_pt = (g.mm_to_twips(g.PAGE_WIDTH_MM) - margins) / g.TWIPS_PER_PT
    return int((width_pt / g.CHARS_PER_LINE - g.BODY_SIZE_PT) * 4096) - 1


def _text_em(text: str) -> float:
    """Width of ``text`` in ems: CJK one em, ASCII about half (digits in Times New Roman)."""
    return sum(0.5 if ord(ch) < 0x2E80 and ch != "\u2014" else 1.0 for ch in text)


# Times New Roman advance widths (ems) of the ASCII that tables print besides digits (0.5 em).
_TIMES_EM = {".": 0.25, ",": 0.25, "%": 0.833, "-": 0.333, "+": 0.564, "/": 0.278, " ": 0.25}
# A line may not break inside a run of ASCII ("37600", "+10.8%"), before closing punctuation or
# after opening punctuation: the units a cell must hold on one line (as render_pdf measures them).
_UNBREAKABLE = re.compile(r"[（《“‘(]*(?:[!-~]+|\S)[）》”’，。、；：％%)]*")


# Room left in a cell beyond its widest unit: the digits of whatever face opens the DOCX (Word's
# Times New Roman, LibreOffice's Liberation Serif, the PDF's Fandol) differ by up to ~1 mm a number.
CELL_FIT_SLACK_MM = 1.0


def _cell_em(text: str) -> float:
    """Width in ems of a cell's widest unbreakable unit: CJK one em, Latin in Times New Roman."""
    units = _UNBREAKABLE.findall(text) or [""]
    return max(
        sum(1.0 if ord(ch) >= 0x2E80 else _TIMES_EM.get(ch, 0.72 if ch.isupper() else 0.5) for ch in unit)
        for unit in units
    )


def table_size_pt(table: Table) -> float:
    """Cell size: the largest of 小四, 五号, 小五 at which every cell's widest unbreakable unit fits
    its column (the PDF's rule, so both set a table alike); else 小五.

    Estimated from Times New Roman and one em per CJK character, never from installed fonts, so
    the DOCX bytes do not depend on the machine.
    """
    total = sum(table.widths) or 1.0
    width_mm = g.LANDSCAPE_TEXT_WIDTH_MM if table.landscape else g.TEXT_WIDTH_MM
    columns = [width_mm * w / total for w in table.widths]
    slack_mm = 2 * g.TABLE_CELL_PADDING_MM + g.pt_to_mm(g.TABLE_RULE_PT) + CELL_FIT_SLACK_MM
    need = [
        (_cell_em(cell.text), sum(columns[c : c + cell.colspan]) - slack_mm)
        for _, c, cell in _place_cells((*table.header, *table.body))
    ]
    for size in g.TABLE_SIZES_PT:
        if all(em * g.pt_to_mm(size) <= room for em, room in need):
            return size
    return g.TABLE_SIZES_PT[-1]


def _own_spacing(p: DocxParagraph) -> BaseOxmlElement:
    """The paragraph's own ``w:spacing``, copied from its style's line rule when absent."""
    ppr = p._p.get_or_add_pPr()
    spacing = ppr.find(qn("w:spacing"))
    if spacing is None:
        style_ppr = p.style.element.pPr
        line = style_ppr.find(qn("w:spacing")) if style_ppr is not None else None
        if line is not None and line.get(qn("w:lineRule")) == "exact":
            x.set_spacing(ppr, line_twips=int(line.get(qn("w:line"))))
        else:
            x.set_spacing(ppr)
        spacing = ppr.find(qn("w:spacing"))
    return spacing


# LibreOffice adds about ¼ em wherever 汉字 meet Latin letters or digits, and reads no switch to
# turn it off (Word honours w:autoSpaceDN = 0): allow for it where a line must not overflow.
AUTOSPACE_EM = 0.25


def _autospace_em(text: str) -> float:
    """The room LibreOffice's CJK–Latin spacing takes in ``text``."""
    changes = sum(1 for a, b in itertools.pairwise(text) if a.isascii() != b.isascii() and not a.isspace())
    return changes * AUTOSPACE_EM


def _fit_percent(left: str, right: str, size_pt: float, room_pt: float) -> int:
    """字符缩放 that keeps "left … right" (at least ``COLOPHON_PRINTED_GAP_CHARS`` apart) on one
    line of ``room_pt``, in any client.

    A long 印发机关 beside its date is wider than the 版心 at 四号; offices narrow the glyphs.
    """
    words = _text_em(left) + _text_em(right) + _autospace_em(left) + _autospace_em(right)
    needed_pt = (words + g.COLOPHON_PRINTED_GAP_CHARS) * size_pt
    return max(g.ISSUER_MIN_SCALE_PERCENT, min(100, int(100 * room_pt / needed_pt)))


def _parse_cn_date(text: str) -> dt.datetime | None:
    m = re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日", text)
    return dt.datetime(int(m[1]), int(m[2]), int(m[3]), 9, 0, 0) if m else None


def document_date(document: Document) -> dt.datetime:
    """The date stamped into core properties and zip entries (never the wall clock)."""
    candidates = (
        document.signoff.date if document.signoff else "",
        document.colophon.print_date if document.colophon else "",
        document.letterhead.minutes_date if document.letterhead else "",
    )
    for text in candidates:
        if (when := _parse_cn_date(text)) is not None:
            return when
    quarter_end_month = 3 * document.meta.quarter
    return dt.datetime(document.meta.year, quarter_end_month, 28, 9, 0, 0)


# ── styles ─────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class StyleSpec:
    """One named paragraph style: face, size and line box."""

    style_id: str
    name: str
    role: str
    size_pt: float
    align: str = "left"
    line_twips: int | None = LINE  # None: single spacing, off the grid
    colour: str = g.BLACK
    first_line_chars: int = 0
    condensed: bool = False  # body-size text set to the 字 pitch: 28 a line


CUSTOM_STYLES = (
    StyleSpec("ZSIssuer", "公文发文机关标志", "title", g.ISSUER_SIZE_PT, "center", None, g.RED),
    StyleSpec("ZSDocNumber", "公文发文字号", "body", g.BODY_SIZE_PT, "center", condensed=True),
    StyleSpec("ZSTitle", "公文标题", "title", g.TITLE_SIZE_PT, "center", _twips_pt(g.TITLE_LINE_PITCH_PT)),
    StyleSpec("ZSFlush", "公文顶格", "body", g.BODY_SIZE_PT, "justify", condensed=True),
    StyleSpec("ZSBlank", "公文空行", "body", g.BODY_SIZE_PT, condensed=True),
    StyleSpec("ZSCaption", "公文表题", "hei", g.TABLE_CAPTION_SIZE_PT, "center"),
    StyleSpec("ZSTableText", "公文表格", "body", g.TABLE_SIZE_PT, "center", _twips_pt(g.TABLE_LINE_PITCH_PT)),
    StyleSpec(
        "ZSTableNote", "公文表注", "body", g.TABLE_SIZE_PT, "justify", _twips_pt(g.TABLE_LINE_PITCH_PT)
    ),
    StyleSpec("ZSFigure", "公文图片", "body", g.BODY_SIZE_PT, "center", None),
    StyleSpec(
        "ZSColophon", "公文版记", "body", g.COLOPHON_SIZE_PT, "left", _twips_pt(g.COLOPHON_LINE_PITCH_PT)
    ),
    StyleSpec(
        "ZSPageNumber", "公文页码", "song", g.PAGE_NUMBER_SIZE_PT, "right", _twips_pt(g.PAGE_NUMBER_LINE_PT)
    ),
)
HEADING_STYLE = {level: f"Heading {level}" for level in (1, 2, 3, 4)}


def _strip_theme_attrs(fonts: BaseOxmlElement) -> None:
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)


def _strip_theme_fonts(rpr: BaseOxmlElement) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is not None:
        _strip_theme_attrs(fonts)


def _fix_defaults(doc: DocxDocument) -> None:
    """docDefaults and theme: CJK falls to 仿宋_GB2312 (never MS Mincho), language zh-CN."""
    styles = doc.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    x.set_fonts(rpr, "body")
    x.set_size(rpr, g.BODY_SIZE_PT)
    x.put(rpr, "w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA")
    ppr = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    x.set_spacing(ppr)
    x.no_hanging_punctuation(ppr)  # styles python-docx's template brings (Header, Footer) too
    # No extra space between 汉字 and Latin letters or digits (Word's default adds about ¼ em):
    # the PDF has none, and 28 字 to a line (5.2.4) holds only without it.
    x.put(ppr, "w:autoSpaceDE", val=0)
    x.put(ppr, "w:autoSpaceDN", val=0)
    for fonts in styles.iter(qn("w:rFonts")):  # every template style: no theme-font detours
        _strip_theme_attrs(fonts)
    settings = doc.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
    for setting in settings.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")  # tblInd measured to the border, as WPS does
    _fix_theme(doc)


def _fix_theme(doc: DocxDocument) -> None:
    """The template theme maps East Asian text to ＭＳ 明朝; point every ea slot at 宋体."""
    for rel in doc.part.rels.values():
        if rel.reltype.endswith("/theme"):
            part = rel.target_part
            xml = part.blob.decode("utf-8")
            xml = xml.replace('<a:ea typeface=""/>', f'<a:ea typeface="{FONT_ROLES["song"].official}"/>')
            xml = re.sub(r'(<a:font script="Jpan" typeface=")[^"]*(")', r"\g<1>宋体\g<2>", xml)
            part._blob = xml.encode("utf-8")


def _style_paragraph_props(style, spec: StyleSpec) -> None:
    ppr = style.element.get_or_add_pPr()
    x.set_flag(ppr, "w:widowControl", False)  # keep 22 lines on every page
    x.no_hanging_punctuation(ppr)  # no ，or 。 hanging past the 版心 edge (Word and LibreOffice)
    x.snap_off(ppr)
    x.set_spacing(ppr, line_twips=spec.line_twips)
    x.set_indent(ppr, firstLineChars=spec.first_line_chars, firstLine=spec.first_line_chars * CHAR_TW // 100)
    x.set_jc(ppr, spec.align)
    rpr = style.element.get_or_add_rPr()
    _strip_theme_fonts(rpr)
    x.set_fonts(rpr, spec.role)
    x.set_size(rpr, spec.size_pt)
    x.set_colour(rpr, spec.colour)
    x.set_bold(rpr, False)
    x.put(rpr, "w:spacing", val=BODY_CONDENSE if spec.condensed else 0)
    for tag in ("w:i", "w:iCs"):
        for el in rpr.findall(qn(tag)):
            rpr.remove(el)


def _add_styles(doc: DocxDocument, *, preprinted: bool = False) -> None:
    """Normal, Heading 1–4 and the 公文 styles; on 套打 paper no red 标志 style at all."""
    normal = doc.styles["Normal"]
    _style_paragraph_props(
        normal,
        StyleSpec(
            "Normal", "Normal", "body", g.BODY_SIZE_PT, "justify", first_line_chars=200, condensed=True
        ),
    )
    for level, name in HEADING_STYLE.items():
        style = doc.styles[name]
        role = g.HEADING_ROLES[level]
        spec = StyleSpec(
            style.style_id, name, role, g.BODY_SIZE_PT, "justify", first_line_chars=200, condensed=True
        )
        _style_paragraph_props(style, spec)
        ppr = style.element.get_or_add_pPr()
        x.set_flag(ppr, "w:keepNext")
        x.set_flag(ppr, "w:keepLines")
        rpr = style.element.get_or_add_rPr()
        for attr in ("w:themeColor", "w:themeShade"):
            rpr.find(qn("w:color")).attrib.pop(qn(attr), None)
    for spec in CUSTOM_STYLES:
        if preprinted and spec.colour == g.RED:
            continue
        style = doc.styles.add_style(spec.name, 1)
        style.element.set(qn("w:styleId"), spec.style_id)
        style.base_style = normal
        style.quick_style = True
        _style_paragraph_props(style, spec)
    for name in ("Header", "Footer"):
        rpr = doc.styles[name].element.get_or_add_rPr()
        _strip_theme_fonts(rpr)
        x.set_fonts(rpr, "song")


# ── section, footers ───────────────────────────────────────────────────────────────────────


def _set_page(section, *, landscape: bool = False) -> None:
    """A4, GB/T 9704 margins; a landscape page turns them with the sheet (订口 on top)."""
    width, height = Mm(g.PAGE_WIDTH_MM), Mm(g.PAGE_HEIGHT_MM)
    top, bottom = g.MARGIN_TOP_MM, g.MARGIN_BOTTOM_MM
    left, right = g.MARGIN_LEFT_MM, g.MARGIN_RIGHT_MM
    if landscape:
        width, height = height, width
        top, right, bottom, left = left, top, right, bottom
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Twips(round(width.twips)), Twips(round(height.twips))
    section.top_margin, section.bottom_margin = Twips(g.mm_to_twips(top)), Twips(g.mm_to_twips(bottom))
    section.left_margin, section.right_margin = Twips(g.mm_to_twips(left)), Twips(g.mm_to_twips(right))
    section.header_distance = Twips(g.mm_to_twips(15))
    footer_mm = g.MARGIN_BOTTOM_MM - g.PAGE_NUMBER_BELOW_TEXT_MM - g.pt_to_mm(g.PAGE_NUMBER_LINE_PT)
    section.footer_distance = Twips(g.mm_to_twips(footer_mm))
    section.gutter = Twips(0)
    x.put(
        section._sectPr, "w:docGrid", type="linesAndChars", linePitch=LINE, charSpace=_doc_grid_char_space()
    )


def _page_number_runs() -> list[BaseOxmlElement]:
    """ "— N —" with N a PAGE field, in 四号半角宋体."""
    dash = g.PAGE_NUMBER_DASH
    runs = [_run_el(f"{dash} "), *x.field_runs("PAGE", "1"), _run_el(f" {dash}")]
    for el in runs:
        _style_run_el(el, "song", g.PAGE_NUMBER_SIZE_PT)
    return runs


def _page_number_props(ppr: BaseOxmlElement, *, odd: bool) -> None:
    """Odd pages 右空一字, even pages 左空一字 (clause 7.5)."""
    side_tw = _twips_pt(g.PAGE_NUMBER_SIDE_CHARS * g.PAGE_NUMBER_SIZE_PT)
    x.set_jc(ppr, "right" if odd else "left")
    x.set_indent(ppr, **({"right": side_tw} if odd else {"left": side_tw}), firstLine=0)
    x.snap_off(ppr)


def _fill_footer(paragraph: DocxParagraph, *, odd: bool) -> None:
    """ "— N —" on the footer line, 7 mm under the 版心 (clause 7.5); the 7 mm are the footer's own
    space above the number (``PAGE_NUMBER_SPACE_ABOVE_MM``), so the body ends at the 版心 foot in
    every section, in LibreOffice too."""
    paragraph.style = "公文页码"
    ppr = paragraph._p.get_or_add_pPr()
    _page_number_props(ppr, odd=odd)
    before = g.mm_to_twips(g.PAGE_NUMBER_SPACE_ABOVE_MM)
    x.set_spacing(ppr, line_twips=_twips_pt(g.PAGE_NUMBER_LINE_PT), before=before)
    for el in _page_number_runs():
        paragraph._p.append(el)


# The turned page number's box, in the landscape page's frame (the portrait page turned a quarter
# clockwise: portrait x → landscape y, portrait y → page height − landscape x). Its right edge is
# the portrait footer line's top, 7 mm outside the 版心; it is as long as the portrait 版心 is wide.
TURNED_NUMBER_RIGHT_MM = g.MARGIN_BOTTOM_MM - g.PAGE_NUMBER_BELOW_TEXT_MM
TURNED_NUMBER_DEPTH_PT = 2 * g.PAGE_NUMBER_LINE_PT  # room for the line; the text sits at its right
TURNED_NUMBER_FIRST_ID = 9000


def _fill_turned_footer(paragraph: DocxParagraph, *, odd: bool, shape_id: int) -> None:
    """横排 page (clause 8): the page number stays where the portrait pages have it. The landscape
    footer would print along the long edge, so the footer holds only a page-anchored text box on
    the short side, its text turned a quarter clockwise like the page, 右空一字 (odd, toward the
    landscape foot) or 左空一字 (even, toward the top) in the portrait sense."""
    paragraph.style = "公文页码"
    holder = paragraph._p.get_or_add_pPr()
    x.set_spacing(holder, line_twips=20)  # the footer line itself prints nothing
    x.set_jc(holder, "left")
    inner = x.element("w:p")
    ppr = x.element("w:pPr")
    inner.append(ppr)
    x.put(ppr, "w:pStyle", val="ZSPageNumber")
    _page_number_props(ppr, odd=odd)
    x.set_spacing(ppr, line_twips=_twips_pt(g.PAGE_NUMBER_LINE_PT))
    for el in _page_number_runs():
        inner.append(el)
    depth_mm = g.pt_to_mm(TURNED_NUMBER_DEPTH_PT)
    box = x.page_text_box(
        [inner],
        x_emu=round((TURNED_NUMBER_RIGHT_MM - depth_mm) * g.EMU_PER_MM),
        y_emu=round(g.MARGIN_LEFT_MM * g.EMU_PER_MM),
        cx_emu=round(depth_mm * g.EMU_PER_MM),
        cy_emu=round(g.TEXT_WIDTH_MM * g.EMU_PER_MM),
        shape_id=shape_id,
        name=f"页码{'奇' if odd else '偶'}{shape_id}",
    )
    paragraph._p.append(box)


def _blank_footers(section) -> None:
    """No page number in this section: clause 7.5 leaves the 版记 page after a blank page unnumbered."""
    for footer in (section.footer, section.even_page_footer):
        footer.is_linked_to_previous = False
        for paragraph in footer.paragraphs:
            for child in list(paragraph._p):
                if child.tag != qn("w:pPr"):
                    paragraph._p.remove(child)


def _add_footers(section, *, landscape: bool = False, index: int = 0) -> None:
    """Odd (default) and even footers of the ``index``-th section: its own, so the next section
    never inherits a footer of the other orientation."""
    for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
        footer.is_linked_to_previous = False
        if landscape:  # drawing ids above the body's pictures, unique in the package
            shape_id = TURNED_NUMBER_FIRST_ID + 2 * index + odd
            _fill_turned_footer(footer.paragraphs[0], odd=odd, shape_id=shape_id)
        else:
            _fill_footer(footer.paragraphs[0], odd=odd)


# ── runs and paragraphs ────────────────────────────────────────────────────────────────────


def _run_el(text: str) -> BaseOxmlElement:
    r = x.element("w:r")
    t = x.element("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    r.append(t)
    return r


def _style_run_el(
    r: BaseOxmlElement,
    role: str,
    size_pt: float | None = None,
    *,
    colour: str | None = None,
    bold: bool | None = None,
    scale: int | None = None,
) -> None:
    """Direct run formatting; every run names its faces so WPS never guesses."""
    rpr = r.find(qn("w:rPr"))
    if rpr is None:
        rpr = x.element("w:rPr")
        r.insert(0, rpr)
    x.set_fonts(rpr, role)
    if bold is not None:
        x.set_bold(rpr, bold)
    if colour is not None:
        x.set_colour(rpr, colour)
    if scale is not None and scale != 100:
        x.set_char_scale(rpr, scale)
    if size_pt is not None:
        x.set_size(rpr, size_pt)


class Builder:
    """Appends the parts of one bulletin to a python-docx document, top to bottom."""

    def __init__(
        self, document: Document, colophon_own_page: bool | None = None, colophon_unnumbered: bool = False
    ) -> None:
        self.src = document
        self.colophon_own_page = colophon_own_page
        self.colophon_unnumbered = colophon_unnumbered
        self.doc = docx.Document()
        _fix_defaults(self.doc)
        _add_styles(self.doc, preprinted=document.preprinted)
        _set_page(self.doc.sections[0])
        self.doc.settings.odd_and_even_pages_header_footer = True
        _add_footers(self.doc.sections[0])
        self._landscape = False  # orientation of the section being written

    # -- primitives --

    def para(self, style: str = "Normal", *, align: str | None = None) -> DocxParagraph:
        p = self.doc.add_paragraph(style=style)
        if align is not None:
            x.set_jc(p._p.get_or_add_pPr(), align)
        return p

    def run(self, p: DocxParagraph, text: str, role: str = "body", **fmt: object):
        run = p.add_run(text)
        _style_run_el(run._r, role, **fmt)  # type: ignore[arg-type]
        return run

    def flowing(self, p: DocxParagraph, runs: list[tuple[str, str]], **fmt: object) -> None:
        """Runs (text, role) of text that wraps, with the Chinese breaks LibreOffice refuses marked
        (``linebreak``): without them a line may end a 字 short."""
        marked = mark_breaks([text for text, _ in runs])
        for text, (_, role) in zip(marked, runs, strict=True):
            self.run(p, text, role, **fmt)

    def blank(self, lines: float = 1) -> None:
        """ "空N行": one exact-height empty paragraph per line (same in Word and WPS)."""
        whole = int(lines)
        for _ in range(whole):
            self.spacer(LINE)
        if lines > whole:
            self.spacer(round(LINE * (lines - whole)))

    def spacer(self, twips: int) -> DocxParagraph:
        p = self.para("公文空行")
        x.set_spacing(p._p.get_or_add_pPr(), line_twips=max(twips, 20))
        return p

    # -- 版头 --

    def letterhead(self) -> None:
        head = self.src.letterhead
        if head is None or self.src.mode is Mode.PLAIN:
            return
        used = self.top_lines(head)
        top_mm = g.ISSUER_TOP_FROM_TEXT_TOP_MM - g.pt_to_mm(used * LINE / g.TWIPS_PER_PT)
        self.spacer(g.mm_to_twips(top_mm))
        mark_pt = g.MINUTES_MARK_SIZE_PT if self.src.mode is Mode.MINUTES else g.ISSUER_SIZE_PT
        self.issuer(head, mark_pt)
        self.blank(g.DOC_NUMBER_BLANK_LINES)
        if self.src.mode is Mode.MINUTES:
            self.minutes_number(head)
        else:
            self.doc_number(head.doc_number)
        self.blank(g.TITLE_BLANK_LINES)

    def top_lines(self, head: Letterhead) -> int:
        """份号 / 密级 / 紧急程度, 顶格 on the first lines of the 版心 (clauses 7.2.1–7.2.3)."""
        lines = [(head.copy_number, "body"), (head.secrecy, "hei"), (head.urgency, "hei")]
        used = 0
        for text, role in lines:
            if text:
                self.run(self.para("公文顶格"), text, role)
                used += 1
        return used

    def issuer(self, head: Letterhead, size_pt: float) -> None:
        """Red 标志: organ lines stacked and centred, the suffix to their right, centred on the stack."""
        name_em = max(_text_em(line) for line in head.organ_lines)
        suffix_pt = g.ISSUER_SUFFIX_SIZE_PT if head.suffix else 0.0
        suffix_w_pt = _text_em(head.suffix) * suffix_pt
        gap_pt = g.mm_to_pt(g.ISSUER_SUFFIX_GAP_MM) if head.suffix else 0.0
        room_pt = g.mm_to_pt(g.TEXT_WIDTH_MM) - suffix_w_pt - gap_pt
        scale = min(100, int(100 * room_pt / (name_em * size_pt)))
        if scale < g.ISSUER_MIN_SCALE_PERCENT:  # still too long: shrink the type as well
            size_pt = room_pt / (name_em * g.ISSUER_MIN_SCALE_PERCENT / 100)
            scale = g.ISSUER_MIN_SCALE_PERCENT
        if self.src.preprinted:  # 套打: the 标志 is on the paper; keep its height, print nothing
            height = len(head.organ_lines) * _twips_pt(size_pt * g.ISSUER_LINE_HEIGHT_EM)
            if head.suffix:  # the suffix cell, centred on the stack, may be the taller
                height = max(height, _twips_pt(suffix_pt * g.ISSUER_LINE_HEIGHT_EM))
            self.spacer(height)
            return
        name_w_tw = _twips_pt(name_em * size_pt * scale / 100) + 40
        widths = [name_w_tw] + ([_twips_pt(suffix_w_pt + gap_pt) + 40] if head.suffix else [])
        table = self.plain_table(1, len(widths), widths)
        stack = table.cell(0, 0).paragraphs[0]
        for i, line in enumerate(head.organ_lines):
            if i:
                stack.add_run().add_break()
            self.run(stack, line, "title", size_pt=size_pt, colour=g.RED, scale=scale)
        self.issuer_para(stack, size_pt, "center")
        if head.suffix:
            cell = table.cell(0, 1)
            x.put(cell._tc.get_or_add_tcPr(), "w:vAlign", val="center")
            suffix = cell.paragraphs[0]
            self.run(suffix, head.suffix, "title", size_pt=suffix_pt, colour=g.RED)
            self.issuer_para(suffix, suffix_pt, "right")

    def issuer_para(self, p: DocxParagraph, size_pt: float, align: str) -> None:
        p.style = "公文发文机关标志"
        ppr = p._p.get_or_add_pPr()
        x.set_spacing(ppr, line_twips=_twips_pt(size_pt * g.ISSUER_LINE_HEIGHT_EM))
        x.set_jc(ppr, align)

    def plain_table(self, rows: int, cols: int, widths: list[int]) -> DocxTable:
        """Borderless, zero-padding, centred table of fixed column widths (layout, not data)."""
        table = self.doc.add_table(rows=rows, cols=cols)
        _table_geometry(table, widths, align="center")
        tbl_pr = table._tbl.tblPr
        borders = x.put(tbl_pr, "w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            x.put(borders, f"w:{side}", val="nil")
        mar = x.put(tbl_pr, "w:tblCellMar")
        for side in ("top", "left", "bottom", "right"):
            x.put(mar, f"w:{side}", w=0, type="dxa")
        return table

    def doc_number(self, text: str) -> None:
        """发文字号 centred, with the red rule 4 mm under it (clauses 7.2.5, 7.2.7)."""
        p = self.para("公文发文字号")
        self.run(p, text)
        self.red_rule(p)

    def minutes_number(self, head: Letterhead) -> None:
        """纪要: 编号 centred, then 机关 左空一字 and date 右空一字 on one line, then the red rule."""
        self.run(self.para("公文发文字号"), head.doc_number)
        if not (head.minutes_organ or head.minutes_date):
            self.red_rule(self.doc.paragraphs[-1])
            return
        p = self.para("公文顶格")
        ppr = p._p.get_or_add_pPr()
        x.set_indent(ppr, left=CHAR_TW, right=CHAR_TW, firstLine=0)
        x.add_tab(ppr, pos_twips=TEXT_WIDTH_TW - CHAR_TW)
        room_pt = g.mm_to_pt(g.TEXT_WIDTH_MM) - 2 * g.CHAR_PITCH_PT
        scale = _fit_percent(head.minutes_organ, head.minutes_date, g.BODY_SIZE_PT, room_pt)
        self.run(p, f"{head.minutes_organ}\t{head.minutes_date}", scale=scale)
        self.red_rule(p)

    def red_rule(self, p: DocxParagraph) -> None:
        """The 分隔线: a red bottom border spanning the paragraph (the 版心), 4 mm below its text.

        The border hangs from the exact 行 box (29 pt), whose 16 pt glyphs sit centred in it,
        so the 4 mm are counted from the glyphs: the box's half-leading is already part of it.
        """
        ppr = p._p.get_or_add_pPr()
        x.set_indent(ppr, left=0, right=0, firstLine=0)
        half_leading_pt = (LINE / g.TWIPS_PER_PT - g.BODY_SIZE_PT) / 2
        space = max(0, round(g.mm_to_pt(g.RED_RULE_GAP_MM) - half_leading_pt))
        if self.src.preprinted:
            # 套打: the rule is on the paper. A bottom border adds its distance and its width to
            # the paragraph, so the rule-less paragraph takes the same room as space after.
            after = space * g.TWIPS_PER_PT + x.border_sz(g.RED_RULE_THICKNESS_MM) * g.TWIPS_PER_PT // 8
            _own_spacing(p).set(qn("w:after"), str(after))
            return
        x.set_bottom_border(ppr, colour=g.RED, mm=g.RED_RULE_THICKNESS_MM, space_pt=space)

    # -- 标题, 主送 --

    def title(self) -> None:
        if not self.src.title_lines:
            return
        p = self.para("公文标题")
        for i, line in enumerate(self.src.title_lines):
            if i:
                p.add_run().add_break()
            self.run(p, line, "title")
        if self.src.addressee:
            self.blank(g.ADDRESSEE_BLANK_LINES)
            self.run(self.para("公文顶格"), self.src.addressee)

    # -- 正文 blocks --

    def block(self, block: Block) -> None:
        turned = self.orient(isinstance(block, Table) and block.landscape)
        if isinstance(block, Heading):
            self.heading(block)
        elif isinstance(block, Paragraph):
            self.paragraph(block)
        elif isinstance(block, Table):
            self.table(block)
        elif isinstance(block, Figure):
            self.figure(block)
        elif isinstance(block, PageBreak) and not turned:  # a new section already starts a page
            self.page_break()

    def heading(self, heading: Heading) -> None:
        p = self.para(HEADING_STYLE[min(max(heading.level, 1), 4)])
        self.flowing(p, [(heading.full_text, g.HEADING_ROLES.get(heading.level, "body"))])

    def paragraph(self, block: Paragraph) -> None:
        p = self.para("Normal", align=block.align)
        if not block.indent:
            x.set_indent(p._p.get_or_add_pPr(), firstLineChars=0, firstLine=0)
        self.flowing(p, [(run.text, run.role) for run in block.runs])

    def page_break(self) -> None:
        p = self.spacer(20)
        x.set_flag(p._p.get_or_add_pPr(), "w:pageBreakBefore")

    def table(self, table: Table) -> None:
        width_mm = g.LANDSCAPE_TEXT_WIDTH_MM if table.landscape else g.TEXT_WIDTH_MM
        caption = self.para("公文表题")
        self.gap(caption, before=True)
        x.set_flag(caption._p.get_or_add_pPr(), "w:keepNext")
        self.run(caption, f"{table.label}{FULL_WIDTH_SPACE}{table.caption}", "hei")
        size = table_size_pt(table)
        if table.unit_note:
            note = self.small_para("公文表注", size, align="right")
            x.set_flag(note._p.get_or_add_pPr(), "w:keepNext")
            self.run(note, table.unit_note, size_pt=size)
        self.data_table(table, width_mm, size)
        for line in table.notes:
            self.flowing(self.small_para("公文表注", size), [(line, "body")], size_pt=size)
        self.gap(self.doc.paragraphs[-1] if table.notes else self.spacer(20), before=False)

    def small_para(self, style: str, size_pt: float, *, align: str | None = None) -> DocxParagraph:
        """A table-size paragraph (cell, unit note, 注) on lines of 1.5 × its size, as in the PDF."""
        p = self.para(style, align=align)
        x.set_spacing(p._p.get_or_add_pPr(), line_twips=_twips_pt(size_pt * g.TABLE_LINE_PITCH_EM))
        return p

    def data_table(self, table: Table, width_mm: float, size_pt: float) -> None:
        rows = (*table.header, *table.body)
        placed = _place_cells(rows)
        ncols = len(table.widths)
        total = sum(table.widths)
        widths = [round(g.mm_to_twips(width_mm) * w / total) for w in table.widths]
        doc_table = self.doc.add_table(rows=len(rows), cols=ncols)
        _table_geometry(doc_table, widths, align="center")
        _data_table_borders(doc_table)
        for r, c, cell in placed:
            if cell.rowspan > 1 or cell.colspan > 1:
                doc_table.cell(r, c).merge(doc_table.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
        for r, c, cell in placed:
            self.table_cell(doc_table.cell(r, c), cell, size_pt, header=r < len(table.header))
        for i, row in enumerate(doc_table.rows):
            tr_pr = row._tr.get_or_add_trPr()
            x.put(tr_pr, "w:cantSplit")
            if i < len(table.header):
                x.put(tr_pr, "w:tblHeader")
        _fix_cell_widths(doc_table, widths)

    def table_cell(self, doc_cell, cell: Cell, size_pt: float, *, header: bool) -> None:
        """Header cells and 合计/全市 rows in 黑体 (the face carries the weight, no added bold)."""
        x.put(doc_cell._tc.get_or_add_tcPr(), "w:vAlign", val="center")
        p = doc_cell.paragraphs[0]
        p.style = "公文表格"
        ppr = p._p.get_or_add_pPr()
        x.set_jc(ppr, cell.align)
        x.set_spacing(ppr, line_twips=_twips_pt(size_pt * g.TABLE_LINE_PITCH_EM))
        role = "hei" if header or cell.bold else "body"
        self.flowing(p, [(cell.text, role)], size_pt=size_pt)

    def figure(self, figure: Figure) -> None:
        p = self.para("公文图片")
        self.gap(p, before=True)
        x.set_flag(p._p.get_or_add_pPr(), "w:keepNext")
        width = Mm(min(figure.width_mm, g.FIGURE_WIDTH_MM))
        p.add_run().add_picture(io.BytesIO(figure.png), width=width)
        _describe_picture(p, figure)
        caption = self.para("公文表题")
        self.run(caption, f"{figure.label}{FULL_WIDTH_SPACE}{figure.caption}", "hei")
        self.gap(caption, before=False)

    def gap(self, p: DocxParagraph, *, before: bool) -> None:
        """Half a 行 between a table or figure and the running text (space before/after)."""
        spacing = _own_spacing(p)
        key = "before" if before else "after"
        spacing.set(qn(f"w:{key}"), str(round(LINE * g.FLOAT_GAP_LINES)))

    def orient(self, landscape: bool) -> bool:
        """Turn the page (横排 tables) only when the orientation changes; True if a page was started.

        Consecutive landscape tables share one landscape section: a section per table put an
        empty portrait page (holding nothing but a section break) between them.
        """
        if landscape == self._landscape:
            return False
        self.section(landscape=landscape)
        self._landscape = landscape
        return True

    def section(self, *, landscape: bool, start: WD_SECTION = WD_SECTION.NEW_PAGE) -> None:
        """Start a new section on a new page (a 横排 table page, and back; the 版记's own page)."""
        new = self.doc.add_section(start)
        _set_page(new, landscape=landscape)
        _add_footers(new, landscape=landscape, index=len(self.doc.sections))
        # add_section leaves an empty paragraph holding the previous sectPr: make it tiny.
        holder = self.doc.paragraphs[-1]
        holder.style = "公文空行"
        x.set_spacing(holder._p.get_or_add_pPr(), line_twips=20)

    # -- after the 正文 --

    def attachment_note(self) -> None:
        """附件说明 (7.3.4): 左空二字; wrapped lines align with the name, after "附件：" and "N."."""
        lines = self.src.attachment_note
        if not lines:
            return
        self.blank(g.ATTACHMENT_NOTE_BLANK_LINES)
        label_em = _text_em("附件：")
        for line in lines:
            number = re.match(r"^(附件：)?(\d+\.)?", line)
            hang_em = label_em + (_text_em(number[2]) if number and number[2] else 0)
            p = self.para("公文顶格")
            left = round((g.INDENT_CHARS + hang_em) * CHAR_TW)
            first = (
                left - round(hang_em * CHAR_TW)
                if line.startswith("附件：")
                else left - round((hang_em - label_em) * CHAR_TW)
            )
            x.set_indent(p._p.get_or_add_pPr(), left=left, hanging=left - first)
            self.run(p, line)

    def attendance(self) -> None:
        """纪要 出席/请假/列席 (10.3): 黑体 label + "：", 仿宋 names aligned after the colon."""
        if not self.src.attendance:
            return
        self.blank(1)
        for item in self.src.attendance:
            p = self.para("公文顶格")
            hang = round((_text_em(item.label) + 1) * CHAR_TW)
            x.set_indent(p._p.get_or_add_pPr(), left=g.INDENT_CHARS * CHAR_TW + hang, hanging=hang)
            self.flowing(p, [(f"{item.label}：", "hei"), (item.names, "body")])

    def signoff(self) -> None:
        """落款 without seal (7.3.5.2): 署名 右空二字, date below starting 2 字 further right."""
        sign = self.src.signoff
        if sign is None:
            return
        self.blank(g.SIGNOFF_BLANK_LINES)
        name_em = max(_text_em(line) for line in sign.organ_lines)
        start_tw = TEXT_WIDTH_TW - round((g.SIGNOFF_RIGHT_CHARS + name_em) * CHAR_TW)
        for line in sign.organ_lines:
            p = self.para("公文顶格", align="right")
            ppr = p._p.get_or_add_pPr()
            x.set_flag(ppr, "w:keepNext")  # never a date alone at the top of a page
            x.set_indent(ppr, right=g.SIGNOFF_RIGHT_CHARS * CHAR_TW, firstLine=0)
            self.run(p, line)
        p = self.para("公文顶格", align="left")
        x.set_indent(p._p.get_or_add_pPr(), left=start_tw + g.SIGNOFF_DATE_SHIFT_CHARS * CHAR_TW, firstLine=0)
        self.run(p, sign.date)

    def keep_signoff_with_text(self, tail: int) -> None:
        """The 落款 never stands alone on a page (7.3.5.5: no "此页无正文"): the last line of the
        正文, the 附件说明 and the blank lines before the 署名 are kept with it."""
        if self.src.signoff is None:
            return
        paragraphs = self.doc.paragraphs
        last_text = paragraphs[tail - 1] if tail else None
        start = tail - 1 if last_text is not None and last_text.text.strip() else tail
        for p in paragraphs[start:-1]:  # all but the date, the last line of the 落款
            x.set_flag(p._p.get_or_add_pPr(), "w:keepNext")

    def note(self) -> None:
        if self.src.note:
            p = self.para("Normal")
            self.flowing(p, [(f"（{self.src.note}）", "body")])

    def attachment(self, attachment: Attachment) -> None:
        """附件 (7.3.7): new page, label 黑体 顶格 on line 1, title centred on line 3.

        An attachment that opens with a 横排 table starts on that landscape page (as the PDF does),
        not on a portrait page of its own holding only the label and title.
        """
        first = attachment.blocks[0] if attachment.blocks else None
        turned = self.orient(isinstance(first, Table) and first.landscape)
        label = self.para("公文顶格")
        if not turned:  # a new section already starts a page
            x.set_flag(label._p.get_or_add_pPr(), "w:pageBreakBefore")
        self.run(label, attachment.label, "hei")
        self.blank(g.ATTACHMENT_TITLE_LINE - 2)
        title = self.para("公文标题")
        self.run(title, attachment.title, "title")
        self.blank(1)
        for block in attachment.blocks:
            self.block(block)

    # -- 版记 --

    def colophon(self, colophon: Colophon) -> None:
        """版记 (7.4): a floating one-column table anchored to the bottom of the 版心.

        First/last rules 0.35 mm, middle 0.25 mm, black; 抄送 wraps after "抄送：";
        印发机关 左空一字 and "…印发" 右空一字 on one line (right tab stop).
        """
        rows: list[tuple[str, str]] = []
        if colophon.addressee:
            rows.append(("主送：", colophon.addressee))
        if colophon.cc:
            rows.append(("抄送：", colophon.cc))
        rows.append(("", f"{colophon.printer}\t{colophon.print_date}印发"))
        table = self.doc.add_table(rows=len(rows), cols=1)
        _table_geometry(table, [TEXT_WIDTH_TW], align="center")
        _colophon_frame(table)
        char_tw = _twips_pt(g.COLOPHON_SIZE_PT)
        side = g.COLOPHON_INDENT_CHARS * char_tw
        for (label, text), row in zip(rows, table.rows, strict=True):
            x.put(row._tr.get_or_add_trPr(), "w:cantSplit")
            p = row.cells[0].paragraphs[0]
            p.style = "公文版记"
            ppr = p._p.get_or_add_pPr()
            x.snap_off(ppr)
            if label:
                hang = round(_text_em(label) * char_tw)
                x.set_indent(ppr, left=side + hang, right=side, hanging=hang)
                self.run(p, label + text, size_pt=g.COLOPHON_SIZE_PT)
            else:
                x.set_indent(ppr, left=side, right=side, firstLine=0)
                x.add_tab(ppr, pos_twips=TEXT_WIDTH_TW - side)
                room_pt = g.mm_to_pt(g.TEXT_WIDTH_MM) - 2 * g.COLOPHON_SIZE_PT
                left, _, right = text.partition("\t")
                scale = _fit_percent(left, right, g.COLOPHON_SIZE_PT, room_pt)
                self.run(p, text, size_pt=g.COLOPHON_SIZE_PT, scale=scale)
        # Word needs a paragraph after a table at the end of the body: keep it 1 pt tall.
        self.spacer(20)

    # -- whole document --

    def build(self) -> DocxDocument:
        src = self.src
        self.letterhead()
        self.title()
        for block in src.body:
            self.block(block)
        self.orient(False)
        tail = len(self.doc.paragraphs)
        self.attachment_note()
        self.attendance()
        self.signoff()
        self.keep_signoff_with_text(tail)
        self.note()
        for attachment in src.attachments:
            self.attachment(attachment)
        if src.colophon is not None:
            started = self.orient(False)  # the 版记 page is portrait
            if self.colophon_own_page:
                # The 版记 needs a page of its own (as in the PDF's layout): an even-page section
                # lets Word/WPS/LibreOffice put it on the next even page, adding a blank page only
                # when the text ends on an even page (clause 7.4: the last page is even).
                if started:
                    self.doc.sections[-1].start_type = WD_SECTION.EVEN_PAGE
                else:
                    self.section(landscape=False, start=WD_SECTION.EVEN_PAGE)
                started = True
                if self.colophon_unnumbered:
                    _blank_footers(self.doc.sections[-1])
            if started:
                # LibreOffice anchors a floating table to the paragraph before it: give it one in
                # the new section, or the 版记 lands on the page before.
                self.spacer(20)
            self.colophon(src.colophon)
        _drop_leading_empty_paragraph(self.doc)
        _set_core_properties(self.doc, src)
        return self.doc


# ── tables: geometry and borders ───────────────────────────────────────────────────────────


def _place_cells(rows: tuple[tuple[Cell, ...], ...]) -> list[tuple[int, int, Cell]]:
    """Grid position of each cell, HTML-style: covered positions are skipped."""
    taken: set[tuple[int, int]] = set()
    placed = []
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            placed.append((r, c, cell))
            taken.update((r + dr, c + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan))
            c += cell.colspan
    return placed


def _table_geometry(table: DocxTable, widths: list[int], *, align: str) -> None:
    """Fixed layout and explicit grid, so Word, WPS and LibreOffice agree on column widths."""
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    for style in tbl_pr.findall(qn("w:tblStyle")):
        tbl_pr.remove(style)
    x.put(tbl_pr, "w:tblW", w=sum(widths), type="dxa")
    x.put(tbl_pr, "w:jc", val=align)
    x.put(tbl_pr, "w:tblInd", w=0, type="dxa")
    x.put(tbl_pr, "w:tblLayout", type="fixed")
    x.put(
        tbl_pr,
        "w:tblLook",
        val="0000",
        firstRow=0,
        lastRow=0,
        firstColumn=0,
        lastColumn=0,
        noHBand=1,
        noVBand=1,
    )
    for grid_col, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        grid_col.set(qn("w:w"), str(width))
    _fix_cell_widths(table, widths)


def _fix_cell_widths(table: DocxTable, widths: list[int]) -> None:
    for tr in table._tbl.tr_lst:
        col = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            x.put(tc.get_or_add_tcPr(), "w:tcW", w=sum(widths[col : col + span]), type="dxa")
            col += span


def _data_table_borders(table: DocxTable) -> None:
    tbl_pr = table._tbl.tblPr
    borders = x.put(tbl_pr, "w:tblBorders")
    sz = round(g.TABLE_RULE_PT * 8)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        x.put(borders, f"w:{side}", val="single", sz=sz, space=0, color="000000")
    mar = x.put(tbl_pr, "w:tblCellMar")
    pad = g.mm_to_twips(g.TABLE_CELL_PADDING_MM)
    for side in ("top", "left", "bottom", "right"):
        x.put(mar, f"w:{side}", w=pad, type="dxa")  # 1 mm all round, as the PDF


def _colophon_frame(table: DocxTable) -> None:
    """Float the 版记 to the bottom of the 版心; horizontal rules only, thick–thin–thick.

    Horizontally it is placed from the page edge at the left margin, not centred on the margin:
    LibreOffice keeps a full-width table inline (not floating) unless it is page-anchored.
    """
    tbl_pr = table._tbl.tblPr
    x.put(
        tbl_pr,
        "w:tblpPr",
        leftFromText=0,
        rightFromText=0,
        topFromText=0,
        bottomFromText=0,
        vertAnchor="margin",
        horzAnchor="page",
        tblpX=g.mm_to_twips(g.MARGIN_LEFT_MM),
        tblpYSpec="bottom",
    )
    x.put(tbl_pr, "w:tblOverlap", val="never")
    borders = x.put(tbl_pr, "w:tblBorders")
    thick = x.border_sz(g.COLOPHON_THICK_RULE_MM)
    thin = x.border_sz(g.COLOPHON_THIN_RULE_MM)
    for side, sz in (("top", thick), ("bottom", thick), ("insideH", thin)):
        x.put(borders, f"w:{side}", val="single", sz=sz, space=0, color="000000")
    for side in ("left", "right", "insideV"):
        x.put(borders, f"w:{side}", val="nil")
    mar = x.put(tbl_pr, "w:tblCellMar")
    for side in ("top", "left", "bottom", "right"):
        x.put(mar, f"w:{side}", w=0, type="dxa")


def _describe_picture(p: DocxParagraph, figure: Figure) -> None:
    """Alt text for screen readers; python-docx leaves ``descr`` empty."""
    for doc_pr in p._p.iter(qn("wp:docPr")):
        doc_pr.set("descr", figure.alt or f"{figure.label}{FULL_WIDTH_SPACE}{figure.caption}")
        doc_pr.set("name", figure.label)


def _drop_leading_empty_paragraph(doc: DocxDocument) -> None:
    """The default template opens with nothing; but guard anyway against a stray empty first p."""
    body = doc.element.body
    first = body[0] if len(body) else None
    if first is not None and first.tag == qn("w:p") and not first.xpath(".//w:t|.//w:br|.//w:pPr"):
        body.remove(first)


def _set_core_properties(doc: DocxDocument, src: Document) -> None:
    when = document_date(src)
    core = doc.core_properties
    core.title = src.title
    core.subject = src.meta.subject or src.title
    core.author = AUTHOR
    core.last_modified_by = AUTHOR
    core.comments = ""
    core.keywords = ""
    core.category = src.meta.kind
    core.revision = 1
    core.created = when
    core.modified = when
    core.last_printed = when


def _stable_zip(raw: bytes, when: dt.datetime) -> bytes:
    """Rewrite the package with one fixed timestamp and fixed attributes: same tree, same bytes."""
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            dst.writestr(info, src.read(item.filename))
    return out.getvalue()


def _drop_thumbnail(doc: DocxDocument) -> None:
    """The template's thumbnail shows some other page; a stale preview would mislead."""
    pkg = doc.part.package
    for rel_id, rel in list(pkg.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del pkg.rels[rel_id]


def build_docx(
    document: Document, colophon_own_page: bool | None = None, colophon_unnumbered: bool = False
) -> bytes:
    """The DOCX bytes of ``document`` (deterministic: the same tree gives the same bytes).

    ``colophon_own_page``: whether the 版记 needs a page of its own, as the PDF's layout found
    (``render_pdf.colophon_plan``); python-docx cannot paginate. None: float it after the text.
    ``colophon_unnumbered``: the 版记 page follows a blank page, so neither carries a number (7.5).
    """
    doc = Builder(document, colophon_own_page, colophon_unnumbered).build()
    _drop_thumbnail(doc)
    raw = io.BytesIO()
    doc.save(raw)
    return _stable_zip(raw.getvalue(), document_date(document))


def render_docx(
    document: Document,
    target: Path,
    *,
    colophon_own_page: bool | None = None,
    colophon_unnumbered: bool = False,
) -> Path:
    """Write ``document`` as a DOCX at ``target`` (temporary name, then rename) and return it."""
    data = build_docx(document, colophon_own_page, colophon_unnumbered)
    target = Path(target)
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return target
