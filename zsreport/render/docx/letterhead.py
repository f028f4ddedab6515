"""The 版头 (7.2): 份号/密级/紧急程度, the red 标志, 发文字号 (or 纪要 编号) and the red rule."""

from __future__ import annotations

from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as DocxParagraph

from zsreport import gbt9704 as g
from zsreport.model import Document, Letterhead, Mode
from zsreport.render.docx import xml as x
from zsreport.render.docx.tables import plain_table
from zsreport.render.docx.units import (
    CHAR_TW,
    EM_ASCENT,
    EXACT_LINE_DESCENT_EM,
    LINE,
    TEXT_WIDTH_TW,
    TITLE_FACE_DROP_EM,
    exact_line_drop_pt,
    fit_percent,
    twips_pt,
)
from zsreport.render.docx.writer import Writer, own_spacing


def write_letterhead(w: Writer, document: Document) -> None:
    """The whole 版头, its 标志 35 mm below the top of the 版心 whatever the marks above it take."""
    head = document.letterhead
    if head is None or document.mode is Mode.PLAIN:
        return
    used = _top_lines(w, head)
    top_mm = g.ISSUER_TOP_FROM_TEXT_TOP_MM - g.pt_to_mm(used * LINE / g.TWIPS_PER_PT)
    mark_pt = g.issuer_size_pt(head.organ_lines, head.suffix, minutes=document.mode is Mode.MINUTES)
    w.spacer(g.mm_to_twips(top_mm) - twips_pt(TITLE_FACE_DROP_EM * mark_pt))
    _issuer(w, head, minutes=document.mode is Mode.MINUTES)
    # 下空二行, less the lower set of the 文号 in its exact line, so it prints where the PDF's does
    drop = exact_line_drop_pt(LINE / g.TWIPS_PER_PT, g.BODY_SIZE_PT)
    w.spacer(g.DOC_NUMBER_BLANK_LINES * LINE - twips_pt(drop))
    if document.mode is Mode.MINUTES:
        _minutes_number(w, head)
    else:
        _doc_number(w, head.doc_number)
    w.spacer(g.TITLE_BLANK_LINES * LINE - twips_pt(TITLE_FACE_DROP_EM * g.TITLE_SIZE_PT))


def _top_lines(w: Writer, head: Letterhead) -> int:
    """份号 / 密级 / 紧急程度, 顶格 on the first lines of the 版心 (clauses 7.2.1–7.2.3)."""
    lines = [(head.copy_number, "body"), (head.secrecy, "hei"), (head.urgency, "hei")]
    used = 0
    for text, role in lines:
        if text:
            w.run(w.para("公文版头"), text, role)
            used += 1
    return used


# ── 标志 ──────────────────────────────────────────────────────────────────────────────────


def _issuer(w: Writer, head: Letterhead, *, minutes: bool) -> None:
    """Red 标志 as in the PDF: organ lines stacked at one size (``issuer_size_pt``), each spread to
    the longest line's width, the suffix to their right, centred on the stack."""
    size_pt = g.issuer_size_pt(head.organ_lines, head.suffix, minutes=minutes)
    suffix = "" if minutes else head.suffix
    suffix_pt = g.ISSUER_SUFFIX_SIZE_PT if suffix else 0.0
    if w.preprinted:  # 套打: the 标志 is on the paper; keep its height, print nothing
        w.spacer(_issuer_height(head, size_pt, suffix_pt))
        return
    name_em = max(len(line) for line in head.organ_lines)
    gap_pt = g.mm_to_pt(g.ISSUER_SUFFIX_GAP_MM) if suffix else 0.0
    name_w_tw = twips_pt(name_em * size_pt) + 40
    widths = [name_w_tw] + ([twips_pt(len(suffix) * suffix_pt + gap_pt) + 40] if suffix else [])
    table = plain_table(w.doc, 1, len(widths), widths)
    stack = table.cell(0, 0).paragraphs[0]
    _issuer_para(w, stack, size_pt, "center")
    for i, line in enumerate(head.organ_lines):
        if i:
            stack.add_run().add_break()
        _spread_line(w, stack, line, head.organ_lines, size_pt)
    if suffix:
        cell = table.cell(0, 1)
        x.put(cell._tc.get_or_add_tcPr(), "w:vAlign", val="center")
        p = cell.paragraphs[0]
        _issuer_para(w, p, suffix_pt, "right")
        w.run(p, suffix, "title", size_pt=suffix_pt, colour=g.RED)


def _spread_line(w: Writer, p: DocxParagraph, line: str, lines: tuple[str, ...], size_pt: float) -> None:
    """One stacked organ line, spread to the longest line's width: every character but the last
    carries the spacing, so the line ends flush with the others."""
    spread = twips_pt(g.issuer_spread_pt(line, lines, size_pt))
    head = w.run(p, line[:-1], "title", size_pt=size_pt, colour=g.RED)
    if spread:
        x.set_char_spacing(head._r.get_or_add_rPr(), spread)
    w.run(p, line[-1:], "title", size_pt=size_pt, colour=g.RED)


def _issuer_height(head: Letterhead, size_pt: float, suffix_pt: float) -> int:
    """The height the printed 标志 takes, in twips: its stacked lines, or the taller suffix cell."""
    height = len(head.organ_lines) * twips_pt(size_pt * g.ISSUER_LINE_HEIGHT_EM)
    if head.suffix:  # the suffix cell, centred on the stack, may be the taller
        height = max(height, twips_pt(suffix_pt * g.ISSUER_LINE_HEIGHT_EM))
    return height


def _issuer_para(w: Writer, p: DocxParagraph, size_pt: float, align: str) -> None:
    w.style(p, "公文发文机关标志")
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
    p = w.para("公文版头")
    ppr = p._p.get_or_add_pPr()
    x.add_tab(ppr, pos_twips=TEXT_WIDTH_TW - CHAR_TW)
    room_pt = g.mm_to_pt(g.TEXT_WIDTH_MM) - 2 * g.CHAR_PITCH_PT
    scale = fit_percent(head.minutes_organ, head.minutes_date, g.BODY_SIZE_PT, room_pt)
    w.run(p, f"{head.minutes_organ}\t{head.minutes_date}", scale=scale)
    _red_rule(w, p)
    # 左空一字 as a first-line indent: the rule hangs between the left and right indents, which
    # stay 0 so that it spans the 版心 (a left indent set it 顶格, 1 字 left of the PDF's).
    x.set_indent(ppr, left=0, right=0, firstLineChars=100, firstLine=CHAR_TW)


def _red_rule(w: Writer, p: DocxParagraph) -> None:
    """The 分隔线: a red bottom border spanning the paragraph (the 版心), 4 mm below its text.

    The border hangs from the foot of the exact 行 box, whose glyphs sit on that foot (their em
    box ends ``EXACT_LINE_DESCENT_EM - 0.12`` em above it); LibreOffice draws the line a line
    width below the border's distance, so both are taken off the 4 mm.
    """
    ppr = p._p.get_or_add_pPr()
    x.set_indent(ppr, left=0, right=0, firstLine=0)
    under_glyphs_pt = (EXACT_LINE_DESCENT_EM - (1 - EM_ASCENT)) * g.BODY_SIZE_PT
    rule_pt = g.mm_to_pt(g.RED_RULE_THICKNESS_MM)
    space = max(0, round(g.mm_to_pt(g.RED_RULE_GAP_MM) - under_glyphs_pt - rule_pt))
    if w.preprinted:
        # 套打: the rule is on the paper. A bottom border adds its distance and its width to
        # the paragraph, so the rule-less paragraph takes the same room as space after.
        after = space * g.TWIPS_PER_PT + x.border_sz(g.RED_RULE_THICKNESS_MM) * g.TWIPS_PER_PT // 8
        own_spacing(p).set(qn("w:after"), str(after))
        return
    x.set_bottom_border(ppr, colour=g.RED, mm=g.RED_RULE_THICKNESS_MM, space_pt=space)
