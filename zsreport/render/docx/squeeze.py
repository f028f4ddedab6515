"""The last page's lines closed up as the PDF closed them (``Document.tail_pitch_pt``, GB/T 9704
7.3.5.5 调整行距): from the tree's ``tail_from`` block to the 署名, every line set a 行 high is set
at the closer pitch, and the blank lines in proportion, so Word and LibreOffice end the text on the
page the PDF does (else the DOCX ran a page longer than the PDF, and its 版记 plan no longer fit).
Pictures, tables, their captions and notes keep their size."""

from __future__ import annotations

from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph

from zsreport import gbt9704 as g
from zsreport.render.docx import xml as x
from zsreport.render.docx.styles import BY_ID
from zsreport.render.docx.units import LINE

# Paragraph styles whose lines are the 行 (the body's text, headings, 落款); a 公文空行 is a blank
# line of its own height.
BLANK_STYLE_ID = "ZSBlank"


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
        is_blank = p.style is not None and p.style.style_id == BLANK_STYLE_ID
        if height is None or (height != LINE and not is_blank):
            continue
        ppr = p._p.get_or_add_pPr()
        spacing = ppr.find(qn("w:spacing"))
        kept = {} if spacing is None else {k: v for k, v in spacing.attrib.items() if k != qn("w:line")}
        new = x.put(ppr, "w:spacing", line=max(round(height * ratio), 20), lineRule="exact")
        for key, value in kept.items():
            if key != qn("w:lineRule"):
                new.set(key, value)
