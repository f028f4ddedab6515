"""``check_pdf``: every rule measured on a finished bulletin PDF.

The PDF is read back with pdfplumber (characters with size, face, colour and position; filled
rules) and pikepdf (font embedding); the result is one :class:`Finding` per rule, per page where
the rule is about a page. Every expected value comes from ``gbt9704``; the ``Document`` a file
was rendered from is optional context used to *locate* elements and never a reason to skip a
measurement.
"""

from __future__ import annotations

from pathlib import Path

from pdfplumber.utils.exceptions import PdfminerException

from zsreport.conformance.context import context_of, guess_context
from zsreport.conformance.reading import read_pdf
from zsreport.conformance.report import STRICT, Finding, Report, Tolerance
from zsreport.conformance.rules_attachments import check_attachments
from zsreport.conformance.rules_body import (
    check_body_text,
    check_full_lines,
    check_headings,
    check_line_pitch,
    check_minutes_attendance,
    continuation_pairs,
    paragraph_lines,
)
from zsreport.conformance.rules_charts import check_chart_labels
from zsreport.conformance.rules_colophon import check_colophon
from zsreport.conformance.rules_dates import check_dates, signoff_pages
from zsreport.conformance.rules_fonts import check_embedding, check_glyphs
from zsreport.conformance.rules_head import check_head
from zsreport.conformance.rules_keep import check_headings_kept, check_notes_with_tables
from zsreport.conformance.rules_page import (
    check_figures_inside,
    check_landscape_content,
    check_page_filled,
    check_page_size,
    check_text_block,
)
from zsreport.conformance.rules_page_number import check_page_numbers
from zsreport.conformance.rules_spacing import check_word_spacing
from zsreport.conformance.rules_tables import check_lone_characters, check_table_words
from zsreport.conformance.rules_title import check_addressee, check_title
from zsreport.model import Document, Mode


def check_pdf(
    pdf_path: Path, document: Document | None = None, tolerance: Tolerance = STRICT
) -> list[Finding]:
    """Measure a bulletin PDF against GB/T 9704-2012; one finding per rule (and page)."""
    pdf_path = Path(pdf_path)
    report = Report(tolerance)
    try:
        pages = read_pdf(pdf_path)
    except PdfminerException:  # not a PDF, or a damaged one: said as a finding, not a traceback
        report.add(
            "pdf.readable",
            "-",
            False,
            "无法读取：不是有效的 PDF 文件（可能已损坏或只是改了扩展名）",
            "可读取的 PDF 文件",
        )
        return report.findings
    if not pages:
        report.add("pages", "5.2.1", False, "没有页面", "至少 1 页")
        return report.findings
    ctx = context_of(document) if document is not None else guess_context(pages)
    for page in pages:
        check_page_size(report, page)
        check_text_block(report, page)
        check_figures_inside(report, page)
        check_chart_labels(report, page)
        if page.landscape:
            check_landscape_content(report, page)
    first = pages[0]
    rule = check_head(report, first, ctx)
    title = check_title(report, first, ctx, rule)
    check_addressee(report, first, ctx, title)
    pairs = continuation_pairs(pages, ctx)
    check_full_lines(report, pages, pairs)
    check_line_pitch(report, pairs, signoff_pages(pages, ctx))
    check_body_text(report, pages, ctx, paragraph_lines(pages, ctx, pairs))
    check_word_spacing(report, pages)
    check_headings(report, pages, ctx)
    check_headings_kept(report, pages, ctx)
    check_notes_with_tables(report, pages, ctx)
    if ctx.mode is Mode.MINUTES:
        check_minutes_attendance(report, pages, ctx)
    check_dates(report, pages, ctx)
    check_attachments(report, pages, ctx)
    check_page_numbers(report, pages, ctx)
    check_colophon(report, pages, ctx)
    check_table_words(report, pages, ctx)
    check_lone_characters(report, pages)
    check_page_filled(report, pages, ctx)
    check_glyphs(report, pages)
    check_embedding(report, pdf_path)
    return report.findings
