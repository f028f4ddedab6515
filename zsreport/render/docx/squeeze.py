"""The last page's lines closed up as the PDF closed them (``Document.tail_pitch_pt``, GB/T 9704
7.3.5.5 调整行距): from the tree's ``tail_from`` block to the 署名, every line set a 行 high is set
at the closer pitch, and the blank lines in proportion, so Word and LibreOffice end the text on the
page the PDF does (else the DOCX ran a page longer than the PDF, and its 版记 plan no longer fit).
Pictures, tables, their captions and notes keep their size, and so does the gap above a chart or
table. Also the body's last paragraph split where the PDF broke it across the 署名's page
(``split_paragraph``)."""

from __future__ import annotations

from copy import deepcopy

from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.text.paragraph import Paragraph as DocxParagraph

from zsreport import gbt9704 as g
from zsreport.linebreak import BREAK, counted
from zsreport.render.docx import xml as x
from zsreport.render.docx.styles import BY_ID
from zsreport.render.docx.units import LINE

# A 公文空行 is a blank line of its own height (a whole 行 or part of one): it closes up too.
BLANK_STYLE_ID = "ZSBlank"
# The styles a figure or table opens with: the blank above them is its gap (``Writer.gap``), which
# keeps its size as the PDF's margin does.
FLOAT_STYLE_IDS = frozenset({"ZSFigure", "ZSCaption"})


def _is_float_gap(p: DocxParagraph) -> bool:
    following = p._p.getnext()
    return following is not None and following.tag == qn("w:p") and following.style in FLOAT_STYLE_IDS


def _line_twips(p: DocxParagraph) -> int | None:
    """The paragraph's exact line height: its own, else its style's."""
    ppr = p._p.pPr
    spacing = ppr.find(qn("w:spacing")) if ppr is not None else None
    if spacing is not None and spacing.get(qn("w:line")) is not None:
        return int(spacing.get(qn("w:line")))
    style = BY_ID.get(p.style.style_id) if p.style is not None else None
    return style.line_twips if style is not None else None


def close_up(paragraphs: list[DocxParagraph], pitch_pt: float) -> None:
    """Set each paragraph of the body's tail that is a 行 high (or a blank line) closer."""
    ratio = pitch_pt / g.LINE_PITCH_PT
    for p in paragraphs:
        if p._p.find(".//" + qn("w:drawing")) is not None:
            continue  # a chart keeps its size
        height = _line_twips(p)
        is_blank = p.style is not None and p.style.style_id == BLANK_STYLE_ID and not _is_float_gap(p)
        if height is None or (height != LINE and not is_blank):
            continue
        ppr = p._p.get_or_add_pPr()
        spacing = ppr.find(qn("w:spacing"))
        if spacing is None:  # the style's 行: the paragraph gets its own (space before/after as set)
            spacing = x.put(ppr, "w:spacing")
        spacing.set(qn("w:line"), str(max(round(height * ratio), 20)))
        spacing.set(qn("w:lineRule"), "exact")


def split_paragraph(p: DocxParagraph, head: int) -> None:
    """Split ``p`` after ``head`` characters (spaces and break marks not counted) into two
    paragraphs, the second without its first-line indent: the body's last paragraph where the PDF
    broke it across the 署名's page (``Document.last_paragraph_head``). LibreOffice keeps a
    keep-with-next paragraph whole, so the whole paragraph went over with the 署名 and left its
    page short; now only the second part is kept with the 署名."""
    tail = deepcopy(p._p)
    _keep_characters(p._p, head, keep_head=True)
    _keep_characters(tail, head, keep_head=False)
    if not "".join(t.text or "" for t in tail.iter(qn("w:t"))).strip(BREAK + " "):
        return  # nothing went over: the head is the whole paragraph
    x.set_indent(tail.get_or_add_pPr(), firstLineChars=0, firstLine=0)
    p._p.addnext(tail)


def _keep_characters(paragraph: BaseOxmlElement, head: int, *, keep_head: bool) -> None:
    """Keep the first ``head`` counted characters of the paragraph's runs (or all after them); an
    uncounted character (a space, a break mark) goes with the counted one after it."""
    seen = 0
    for text in list(paragraph.iter(qn("w:t"))):
        kept = []
        for ch in text.text or "":
            if (seen < head) == keep_head:
                kept.append(ch)
            seen += counted(ch)
        text.text = "".join(kept)
        if not text.text:
            run = text.getparent()
            run.remove(text)
            if run.find(qn("w:t")) is None:
                run.getparent().remove(run)
