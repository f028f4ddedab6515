"""The 正文 and the 附件: 标题 and 主送, then headings, paragraphs, tables, figures and page breaks."""

from __future__ import annotations

import io

from docx.oxml.ns import qn
from docx.shared import Mm
from docx.text.paragraph import Paragraph as DocxParagraph

from zsreport import gbt9704 as g
from zsreport.model import Attachment, Block, Document, Figure, Heading, Mode, PageBreak, Paragraph, Table
from zsreport.render.docx import xml as x
from zsreport.render.docx.styles import HEADING_STYLE
from zsreport.render.docx.tables import write_table
from zsreport.render.docx.units import ADDRESSEE_DROP_MM, FULL_WIDTH_SPACE, LINE, TITLE_FACE_DROP_EM, twips_pt
from zsreport.render.docx.writer import Writer


def write_title(w: Writer, document: Document) -> None:
    """标题 (lines kept in one paragraph) and, after a blank line, the 主送机关."""
    if not document.title_lines:
        return
    at_top = document.letterhead is None or document.mode is Mode.PLAIN
    # A title at the top of the 版心 has no space above to take its lower set from: its glyphs are
    # raised instead (w:position, half-points), and the space under it takes the rest.
    raise_half_pt = round(2 * TITLE_FACE_DROP_EM * g.TITLE_SIZE_PT) if at_top else 0
    p = w.para("公文标题")
    for i, line in enumerate(document.title_lines):
        if i:
            p.add_run().add_break()
        run = w.run(p, line, "title")
        if raise_half_pt:
            x.put(run._r.get_or_add_rPr(), "w:position", val=raise_half_pt)
    # 主送 one line under the title; without one (a 纪要) the 正文 starts there
    blank = g.ADDRESSEE_BLANK_LINES if document.addressee else g.TITLE_BODY_BLANK_LINES
    drop = g.mm_to_twips(ADDRESSEE_DROP_MM)
    if at_top:
        drop += twips_pt(TITLE_FACE_DROP_EM * g.TITLE_SIZE_PT)
    w.spacer(blank * LINE - drop)
    if document.addressee:
        w.run(w.para("公文顶格"), document.addressee)


def write_block(w: Writer, block: Block, *, last: bool = False) -> None:
    """One block of the 正文 or a 附件, on a landscape page for a 横排 table; ``last``: the 正文's
    last block, which goes over with the 署名."""
    turned = w.orient(isinstance(block, Table) and block.landscape)
    after_heading, w.after_heading = w.after_heading, isinstance(block, Heading)
    if isinstance(block, Heading):
        _heading(w, block)
    elif isinstance(block, Paragraph):
        _paragraph(w, block, under_heading=after_heading, last=last)
    elif isinstance(block, Table):
        write_table(w, block)
    elif isinstance(block, Figure):
        _figure(w, block)
    elif isinstance(block, PageBreak) and not turned:  # a new section already starts a page
        _page_break(w)


def _heading(w: Writer, heading: Heading) -> None:
    p = w.para(HEADING_STYLE[min(max(heading.level, 1), 4)])
    w.flowing(p, [(heading.full_text, g.HEADING_ROLES.get(heading.level, "body"))])


def _paragraph(w: Writer, block: Paragraph, *, under_heading: bool = False, last: bool = False) -> None:
    p = w.para("Normal", align=block.align)
    if not block.indent:
        x.set_indent(p._p.get_or_add_pPr(), firstLineChars=0, firstLine=0)
    if (under_heading or not last) and not block.split_anywhere:
        # Widow/orphan control as the PDF's paragraphs have it (``orphans: 2; widows: 2``), so
        # that the pages break where the PDF's do (issue 24, agreement); under a heading it also
        # keeps two lines with it (issue 14, item 4). The 正文's last paragraph may leave one line
        # alone with the 署名 (``widows: 1`` in the PDF): off there, unless a heading is above it;
        # off too where the PDF let the paragraph leave one line alone
        # (``Paragraph.split_anywhere``), so the DOCX may break it likewise.
        x.set_flag(p._p.get_or_add_pPr(), "w:widowControl")
    w.flowing(p, [(run.text, run.role) for run in block.runs])


def _page_break(w: Writer) -> None:
    p = w.spacer(20)
    x.set_flag(p._p.get_or_add_pPr(), "w:pageBreakBefore")


def _figure(w: Writer, figure: Figure) -> None:
    """A chart set a little narrower than the PDF's (``DOCX_FIGURE_INSET_MM``, inside the 版心 in
    LibreOffice), its gap above an empty paragraph kept with it (``Writer.gap``). The height the
    inset loses (about 2 mm) is not made up: with the gap kept at a page's top, the pages break
    where the PDF's do (2020 Q4, default set); space under the chart set them lower."""
    width_mm = min(figure.width_mm, g.FIGURE_WIDTH_MM - 2 * g.DOCX_FIGURE_INSET_MM)
    p = w.para("公文图片")
    w.gap(p, before=True)
    x.set_flag(p._p.get_or_add_pPr(), "w:keepNext")
    p.add_run().add_picture(io.BytesIO(figure.png), width=Mm(width_mm))
    _describe_picture(p, figure)
    caption = w.para("公文表题")
    w.run(caption, f"{figure.label}{FULL_WIDTH_SPACE}{figure.caption}", "hei")
    w.gap(caption, before=False)


def _describe_picture(p: DocxParagraph, figure: Figure) -> None:
    """Alt text for screen readers; python-docx leaves ``descr`` empty."""
    for doc_pr in p._p.iter(qn("wp:docPr")):
        doc_pr.set("descr", figure.alt or f"{figure.label}{FULL_WIDTH_SPACE}{figure.caption}")
        doc_pr.set("name", figure.label)


def write_attachment(w: Writer, attachment: Attachment) -> None:
    """附件 (7.3.7): new page, label 黑体 顶格 on line 1, title centred on line 3.

    An attachment that opens with a 横排 table starts on that landscape page (as the PDF does),
    not on a portrait page of its own holding only the label and title.
    """
    first = attachment.blocks[0] if attachment.blocks else None
    turned = w.orient(isinstance(first, Table) and first.landscape)
    label = w.para("公文顶格")
    if not turned:  # a new section already starts a page
        x.set_flag(label._p.get_or_add_pPr(), "w:pageBreakBefore")
    w.run(label, attachment.label, "hei")
    w.blank(g.ATTACHMENT_TITLE_LINE - 2)
    title = w.para("公文标题")
    w.run(title, attachment.title, "title")
    w.blank(1)
    for block in attachment.blocks:
        write_block(w, block)
