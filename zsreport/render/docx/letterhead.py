"""The 版头 (7.2): 份号/密级/紧急程度, the red 标志, 发文字号 (or 纪要 编号) and the red rule."""

from __future__ import annotations

from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph

from zsreport import gbt9704 as g
from zsreport.model import Document, Letterhead, Mode
from zsreport.render.docx import xml as x
from zsreport.render.docx.tables import plain_table
from zsreport.render.docx.units import CHAR_TW, LINE, TEXT_WIDTH_TW, fit_percent, text_em, twips_pt
from zsreport.render.docx.writer import Writer, own_spacing


def write_letterhead(w: Writer, document: Document) -> None:
    """The whole 版头, its 标志 35 mm below the top of the 版心 whatever the marks above it take."""
    head = document.letterhead
    if head is None or document.mode is Mode.PLAIN:
        return
    used = _top_lines(w, head)
    top_mm = g.ISSUER_TOP_FROM_TEXT_TOP_MM - g.pt_to_mm(used * LINE / g.TWIPS_PER_PT)
    w.spacer(g.mm_to_twips(top_mm))
    mark_pt = g.MINUTES_MARK_SIZE_PT if document.mode is Mode.MINUTES else g.ISSUER_SIZE_PT
    _issuer(w, head, mark_pt)
    w.blank(g.DOC_NUMBER_BLANK_LINES)
    if document.mode is Mode.MINUTES:
        _minutes_number(w, head)
    else:
        _doc_number(w, head.doc_number)
    w.blank(g.TITLE_BLANK_LINES)


def _top_lines(w: Writer, head: Letterhead) -> int:
    """份号 / 密级 / 紧急程度, 顶格 on the first lines of the 版心 (clauses 7.2.1–7.2.3)."""
    lines = [(head.copy_number, "body"), (head.secrecy, "hei"), (head.urgency, "hei")]
    used = 0
    for text, role in lines:
        if text:
            w.run(w.para("公文顶格"), text, role)
            used += 1
    return used


# ── 标志 ──────────────────────────────────────────────────────────────────────────────────


def _issuer(w: Writer, head: Letterhead, size_pt: float) -> None:
    """Red 标志: organ lines stacked and centred, the suffix to their right, centred on the stack."""
    name_em = max(text_em(line) for line in head.organ_lines)
    suffix_pt = g.ISSUER_SUFFIX_SIZE_PT if head.suffix else 0.0
    suffix_w_pt = text_em(head.suffix) * suffix_pt
    gap_pt = g.mm_to_pt(g.ISSUER_SUFFIX_GAP_MM) if head.suffix else 0.0
    room_pt = g.mm_to_pt(g.TEXT_WIDTH_MM) - suffix_w_pt - gap_pt
    scale = min(100, int(100 * room_pt / (name_em * size_pt)))
    if scale < g.ISSUER_MIN_SCALE_PERCENT:  # still too long: shrink the type as well
        size_pt = room_pt / (name_em * g.ISSUER_MIN_SCALE_PERCENT / 100)
        scale = g.ISSUER_MIN_SCALE_PERCENT
    if w.preprinted:  # 套打: the 标志 is on the paper; keep its height, print nothing
        w.spacer(_issuer_height(head, size_pt, suffix_pt))
        return
    name_w_tw = twips_pt(name_em * size_pt * scale / 100) + 40
    widths = [name_w_tw] + ([twips_pt(suffix_w_pt + gap_pt) + 40] if head.suffix else [])
    table = plain_table(w.doc, 1, len(widths), widths)
    stack = table.cell(0, 0).paragraphs[0]
    for i, line in enumerate(head.organ_lines):
        if i:
            stack.add_run().add_break()
        w.run(stack, line, "title", size_pt=size_pt, colour=g.RED, scale=scale)
    _issuer_para(stack, size_pt, "center")
    if head.suffix:
        cell = table.cell(0, 1)
        x.put(cell._tc.get_or_add_tcPr(), "w:vAlign", val="center")
        suffix = cell.paragraphs[0]
        w.run(suffix, head.suffix, "title", size_pt=suffix_pt, colour=g.RED)
        _issuer_para(suffix, suffix_pt, "right")


def _issuer_height(head: Letterhead, size_pt: float, suffix_pt: float) -> int:
    """The height the printed 标志 takes, in twips: its stacked lines, or the taller suffix cell."""
    height = len(head.organ_lines) * twips_pt(size_pt * g.ISSUER_LINE_HEIGHT_EM)
    if head.suffix:  # the suffix cell, centred on the stack, may be the taller
        height = max(height, twips_pt(suffix_pt * g.ISSUER_LINE_HEIGHT_EM))
    return height


def _issuer_para(p: DocxParagraph, size_pt: float, align: str) -> None:
    p.style = "公文发文机关标志"
    ppr = p._p.get_or_add_pPr()
    x.set_spacing(ppr, line_twips=twips_pt(size_pt * g.ISSUER_LINE_HEIGHT_EM))
    x.set_jc(ppr, align)


# ── 发文字号 and the red rule ─────────────────────────────────────────────────────────────


def _doc_number(w: Writer, text: str) -> None:
    """发文字号 centred, with the red rule 4 mm under it (clauses 7.2.5, 7.2.7)."""
    p = w.para("公文发文字号")
    w.run(p, text)
    _red_rule(w, p)


def _minutes_number(w: Writer, head: Letterhead) -> None:
    """纪要: 编号 centred, then 机关 左空一字 and date 右空一字 on one line, then the red rule."""
    w.run(w.para("公文发文字号"), head.doc_number)
    if not (head.minutes_organ or head.minutes_date):
        _red_rule(w, w.doc.paragraphs[-1])
        return
    p = w.para("公文顶格")
    ppr = p._p.get_or_add_pPr()
    x.set_indent(ppr, left=CHAR_TW, right=CHAR_TW, firstLine=0)
    x.add_tab(ppr, pos_twips=TEXT_WIDTH_TW - CHAR_TW)
    room_pt = g.mm_to_pt(g.TEXT_WIDTH_MM) - 2 * g.CHAR_PITCH_PT
    scale = fit_percent(head.minutes_organ, head.minutes_date, g.BODY_SIZE_PT, room_pt)
    w.run(p, f"{head.minutes_organ}\t{head.minutes_date}", scale=scale)
    _red_rule(w, p)


def _red_rule(w: Writer, p: DocxParagraph) -> None:
    """The 分隔线: a red bottom border spanning the paragraph (the 版心), 4 mm below its text.

    The border hangs from the exact 行 box (29 pt), whose 16 pt glyphs sit centred in it,
    so the 4 mm are counted from the glyphs: the box's half-leading is already part of it.
    """
    ppr = p._p.get_or_add_pPr()
    x.set_indent(ppr, left=0, right=0, firstLine=0)
    half_leading_pt = (LINE / g.TWIPS_PER_PT - g.BODY_SIZE_PT) / 2
    space = max(0, round(g.mm_to_pt(g.RED_RULE_GAP_MM) - half_leading_pt))
    if w.preprinted:
        # 套打: the rule is on the paper. A bottom border adds its distance and its width to
        # the paragraph, so the rule-less paragraph takes the same room as space after.
        after = space * g.TWIPS_PER_PT + x.border_sz(g.RED_RULE_THICKNESS_MM) * g.TWIPS_PER_PT // 8
        own_spacing(p).set(qn("w:after"), str(after))
        return
    x.set_bottom_border(ppr, colour=g.RED, mm=g.RED_RULE_THICKNESS_MM, space_pt=space)
