"""The document walk: ``Document`` → python-docx document → deterministic DOCX bytes."""

from __future__ import annotations

import io
from pathlib import Path

import docx
from docx.document import Document as DocxDocument
from docx.oxml.ns import qn

from zsreport.atomic import atomic_path
from zsreport.linebreak import LinePlan
from zsreport.model import Document
from zsreport.render.docx.body import write_attachment, write_block, write_title
from zsreport.render.docx.closing import write_closing
from zsreport.render.docx.colophon import write_colophon
from zsreport.render.docx.letterhead import write_letterhead
from zsreport.render.docx.package import document_date, set_core_properties, stable_zip
from zsreport.render.docx.pages import add_footers, set_page
from zsreport.render.docx.squeeze import close_up, split_paragraph
from zsreport.render.docx.styles import add_styles, fix_defaults, prune_styles
from zsreport.render.docx.template import template_bytes
from zsreport.render.docx.writer import Writer


def _new_document(*, preprinted: bool) -> DocxDocument:
    """Our own template (``template``) with its defaults, styles, first page setup and footers."""
    doc = docx.Document(io.BytesIO(template_bytes()))
    fix_defaults(doc)
    add_styles(doc, preprinted=preprinted)
    set_page(doc.sections[0])
    doc.settings.odd_and_even_pages_header_footer = True
    add_footers(doc.sections[0])
    return doc


def build_document(
    document: Document,
    colophon_own_page: bool | None = None,
    colophon_unnumbered: bool = False,
    lines: LinePlan | None = None,
) -> DocxDocument:
    """The parts of one bulletin, top to bottom: 版头, 标题, 正文, 落款 …, 附件, 版记."""
    doc = _new_document(preprinted=document.preprinted)
    w = Writer(doc, preprinted=document.preprinted, lines=lines)
    write_letterhead(w, document)
    write_title(w, document)
    tail_at = None
    for index, block in enumerate(document.body):
        if document.tail_pitch_pt and index == document.tail_from:
            tail_at = len(w.doc.paragraphs)
        write_block(w, block, last=index == len(document.body) - 1)
    if document.last_paragraph_head:  # where the PDF broke it across the 署名's page
        split_paragraph(w.doc.paragraphs[-1], document.last_paragraph_head)
    w.orient(False)
    write_closing(w, document)
    if tail_at is not None:
        close_up(w.doc.paragraphs[tail_at:], document.tail_pitch_pt)
    for attachment in document.attachments:
        write_attachment(w, attachment)
    if document.colophon is not None:
        write_colophon(w, document.colophon, own_page=colophon_own_page, unnumbered=colophon_unnumbered)
    _drop_leading_empty_paragraph(w.doc)
    prune_styles(w.doc)
    set_core_properties(w.doc, document)
    return w.doc


def _drop_leading_empty_paragraph(doc: DocxDocument) -> None:
    """The template opens with nothing; but guard anyway against a stray empty first p."""
    body = doc.element.body
    first = body[0] if len(body) else None
    if first is not None and first.tag == qn("w:p") and not first.xpath(".//w:t|.//w:br|.//w:pPr"):
        body.remove(first)


def build_docx(
    document: Document,
    colophon_own_page: bool | None = None,
    colophon_unnumbered: bool = False,
    lines: LinePlan | None = None,
) -> bytes:
    """The DOCX bytes of ``document`` (deterministic: the same tree gives the same bytes).

    ``colophon_own_page``: whether the 版记 needs a page of its own, as the PDF's layout found
    (``render_pdf.colophon_plan``); python-docx cannot paginate. None: float it after the text.
    ``colophon_unnumbered``: the 版记 page follows a blank page, so neither carries a number (7.5).
    ``lines``: the PDF's lines of its justified blocks (``render_pdf.pdf_lines``), which the DOCX
    holds LibreOffice to (``lines``); None: LibreOffice breaks them as it will.
    """
    doc = build_document(document, colophon_own_page, colophon_unnumbered, lines)
    raw = io.BytesIO()
    doc.save(raw)
    return stable_zip(raw.getvalue(), document_date(document))


def render_docx(
    document: Document,
    target: Path,
    *,
    colophon_own_page: bool | None = None,
    colophon_unnumbered: bool = False,
    lines: LinePlan | None = None,
) -> Path:
    """Write ``document`` as a DOCX at ``target`` (temporary name, then rename) and return it."""
    data = build_docx(document, colophon_own_page, colophon_unnumbered, lines)
    target = Path(target)
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return target
