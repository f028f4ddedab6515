"""Sections and pages: A4 and its margins, the grid, and the footers with the page number (7.5)."""

from __future__ import annotations

from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm, Twips
from docx.text.paragraph import Paragraph as DocxParagraph

from zsreport import gbt9704 as g
from zsreport.render.docx import xml as x
from zsreport.render.docx.units import LINE, twips_pt

PAGE_NUMBER_STYLE = "ZSPageNumber"  # 公文页码 (styles.CUSTOM_STYLES)


def _doc_grid_char_space() -> int:
    """``w:charSpace``: grid pitch minus the Normal size, in 1/4096 pt, for 28 字 a line.

    Rounded one unit further down so Word's own division never yields 27.
    """
    margins = g.mm_to_twips(g.MARGIN_LEFT_MM) + g.mm_to_twips(g.MARGIN_RIGHT_MM)
    width_pt = (g.mm_to_twips(g.PAGE_WIDTH_MM) - margins) / g.TWIPS_PER_PT
    return int((width_pt / g.CHARS_PER_LINE - g.BODY_SIZE_PT) * 4096) - 1


def set_page(section, *, landscape: bool = False) -> None:
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
    """ "— N —" with N a PAGE field, bare: the 公文页码 style sets them in 四号半角宋体, the digits
    too in 宋体's own half-width digits, not the Latin face other styles name (clause 7.5)."""
    dash = g.PAGE_NUMBER_DASH
    return [x.run_element(f"{dash} "), *x.field_runs("PAGE", "1"), x.run_element(f" {dash}")]


def _page_number_props(ppr: BaseOxmlElement, *, odd: bool) -> None:
    """Odd pages 右空一字, even pages 左空一字 (clause 7.5)."""
    side_tw = twips_pt(g.PAGE_NUMBER_SIDE_CHARS * g.PAGE_NUMBER_SIZE_PT)
    x.set_jc(ppr, "right" if odd else "left")
    x.set_indent(ppr, **({"right": side_tw} if odd else {"left": side_tw}), firstLine=0)
    x.snap_off(ppr)


def _fill_footer(paragraph: DocxParagraph, *, odd: bool) -> None:
    """ "— N —" on the footer line, 7 mm under the 版心 (clause 7.5); the 7 mm are the footer's own
    space above the number (``PAGE_NUMBER_SPACE_ABOVE_MM``), so the body ends at the 版心 foot in
    every section, in LibreOffice too."""
    paragraph._p.style = PAGE_NUMBER_STYLE
    ppr = paragraph._p.get_or_add_pPr()
    _page_number_props(ppr, odd=odd)
    before = g.mm_to_twips(g.PAGE_NUMBER_SPACE_ABOVE_MM)
    x.set_spacing(ppr, line_twips=twips_pt(g.PAGE_NUMBER_LINE_PT), before=before)
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
    paragraph._p.style = PAGE_NUMBER_STYLE
    holder = paragraph._p.get_or_add_pPr()
    x.set_spacing(holder, line_twips=20)  # the footer line itself prints nothing
    x.set_jc(holder, "left")
    inner = x.element("w:p")
    ppr = x.element("w:pPr")
    inner.append(ppr)
    x.put(ppr, "w:pStyle", val=PAGE_NUMBER_STYLE)
    _page_number_props(ppr, odd=odd)
    x.set_spacing(ppr, line_twips=twips_pt(g.PAGE_NUMBER_LINE_PT))
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


def blank_footers(section) -> None:
    """No page number in this section: clause 7.5 leaves the 版记 page after a blank page unnumbered."""
    for footer in (section.footer, section.even_page_footer):
        footer.is_linked_to_previous = False
        for paragraph in footer.paragraphs:
            for child in list(paragraph._p):
                if child.tag != qn("w:pPr"):
                    paragraph._p.remove(child)


def add_footers(section, *, landscape: bool = False, index: int = 0) -> None:
    """Odd (default) and even footers of the ``index``-th section: its own, so the next section
    never inherits a footer of the other orientation."""
    for footer, odd in ((section.footer, True), (section.even_page_footer, False)):
        footer.is_linked_to_previous = False
        if landscape:  # drawing ids above the body's pictures, unique in the package
            shape_id = TURNED_NUMBER_FIRST_ID + 2 * index + odd
            _fill_turned_footer(footer.paragraphs[0], odd=odd, shape_id=shape_id)
        else:
            _fill_footer(footer.paragraphs[0], odd=odd)
