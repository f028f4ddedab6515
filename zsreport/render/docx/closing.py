"""After the 正文 (7.3.4–7.3.6): 附件说明, 纪要 attendance, 落款 and the 附注."""

from __future__ import annotations

import re

from zsreport import gbt9704 as g
from zsreport.model import Attendance, Document, Signoff
from zsreport.render.docx import xml as x
from zsreport.render.docx.units import CHAR_TW, text_em, twips_pt, without_autospace
from zsreport.render.docx.writer import Writer


def write_closing(w: Writer, document: Document) -> None:
    """Everything between the last block of the 正文 and the first 附件."""
    tail = len(w.doc.paragraphs)
    _attachment_note(w, document.attachment_note)
    _attendance(w, document.attendance)
    _signoff(w, document.signoff, document.signoff_tight)
    if document.signoff is not None:
        _keep_signoff_with_text(w, tail)
    _note(w, document.note)


def _attachment_note(w: Writer, lines: tuple[str, ...]) -> None:
    """附件说明 (7.3.4): 左空二字; wrapped lines align with the name, after "附件：" and "N."."""
    if not lines:
        return
    w.blank(g.ATTACHMENT_NOTE_BLANK_LINES)
    label_em = text_em("附件：")
    for line in lines:
        number = re.match(r"^(附件：)?(\d+\.)?", line)
        hang_em = label_em + (text_em(number[2]) if number and number[2] else 0)
        p = w.para("公文顶格")
        left = round((g.INDENT_CHARS + hang_em) * CHAR_TW)
        first = (
            left - round(hang_em * CHAR_TW)
            if line.startswith("附件：")
            else left - round((hang_em - label_em) * CHAR_TW)
        )
        x.set_indent(p._p.get_or_add_pPr(), left=left, hanging=left - first)
        w.run(p, line)


def _attendance(w: Writer, attendance: tuple[Attendance, ...]) -> None:
    """纪要 出席/请假/列席 (10.3): 黑体 label + "：", 仿宋 names aligned after the colon."""
    if not attendance:
        return
    w.blank(1)
    for item in attendance:
        p = w.para("公文顶格")
        hang = round((text_em(item.label) + 1) * CHAR_TW)
        x.set_indent(p._p.get_or_add_pPr(), left=g.INDENT_CHARS * CHAR_TW + hang, hanging=hang)
        w.flowing(p, [(f"{item.label}：", "hei"), (item.names, "body")])


def _signoff(w: Writer, sign: Signoff | None, tight: bool = False) -> None:
    """落款 without seal (7.3.5.2): 署名 右空二字, date below starting 2 字 right of the 署名 line
    above it, where the PDF starts it (``signoff_date_indent_pt``); the blank line above it closed
    up where the PDF closed it (7.3.5.5, ``Document.signoff_tight``)."""
    if sign is None:
        return
    w.blank(g.SIGNOFF_TIGHT_BLANK_LINES if tight else g.SIGNOFF_BLANK_LINES)
    for line in sign.organ_lines:
        p = w.para("公文顶格", align="right")
        ppr = p._p.get_or_add_pPr()
        x.set_flag(ppr, "w:keepNext")  # never a date alone at the top of a page
        x.set_indent(ppr, right=g.SIGNOFF_RIGHT_CHARS * CHAR_TW, firstLine=0)
        w.run(p, line)
    p = w.para("公文顶格", align="left")
    left = twips_pt(g.signoff_date_indent_pt(sign.organ_lines, sign.date))
    x.set_indent(p._p.get_or_add_pPr(), left=left, firstLine=0)
    w.run(p, without_autospace(sign.date))  # its end too where the PDF's is, in LibreOffice


def _keep_signoff_with_text(w: Writer, tail: int) -> None:
    """The 落款 never stands alone on a page (7.3.5.5: no "此页无正文"): the last line of the
    正文 (paragraph ``tail - 1``), the 附件说明 and the blank lines before the 署名 are kept with it."""
    paragraphs = w.doc.paragraphs
    last_text = paragraphs[tail - 1] if tail else None
    start = tail - 1 if last_text is not None and last_text.text.strip() else tail
    for p in paragraphs[start:-1]:  # all but the date, the last line of the 落款
        x.set_flag(p._p.get_or_add_pPr(), "w:keepNext")


def _note(w: Writer, note: str) -> None:
    if note:
        p = w.para("Normal")
        w.flowing(p, [(f"（{note}）", "body")])
