"""The PDF's layout passes: measure (版记 page, line widths), then place the 版记 and justify."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path

import weasyprint

from zsreport.atomic import atomic_path
from zsreport.linebreak import LinePlan
from zsreport.model import Document
from zsreport.render.pdf.colophon import MEASURE_PLAN, ColophonPlan, check_colophon, place_colophon, plan_from
from zsreport.render.pdf.fallback import warn_fallbacks
from zsreport.render.pdf.fetcher import RefusingURLFetcher
from zsreport.render.pdf.floats import floated
from zsreport.render.pdf.html import BODY_SPACING_PT, render_html, stylesheet
from zsreport.render.pdf.justify import LineFit, justify_plan, line_plan, measure_lines
from zsreport.render.pdf.placement import last_paragraph_head, measure_pages
from zsreport.render.pdf.shared import BASE_URL, font_config, parsed_stylesheet
from zsreport.render.pdf.spread import spread_layout

log = logging.getLogger(__name__)


def _layout(document: Document, plan: ColophonPlan, why: str) -> weasyprint.document.Document:
    """One weasyprint layout of ``document`` with its 版记 placed after ``plan``; ``why`` it is
    needed is logged (debug, logger ``zsreport.render.pdf.layout``), so that layouts can be
    counted by reason. The stylesheet and the font configuration are shared (``shared``)."""
    log.debug("%s: layout (%s)", document.meta.slug, why)
    html = render_html(document, plan, with_stylesheet=False)
    return weasyprint.HTML(string=html, base_url=BASE_URL, url_fetcher=RefusingURLFetcher()).render(
        font_config=font_config(), stylesheets=[parsed_stylesheet(stylesheet(document))]
    )


def _plan_colophon(document: Document) -> ColophonPlan:
    """First pass: lay out with the 版记 on a page of its own, measure, decide (uncached: a fresh
    layout each call, for tests that try one tree after another)."""
    if document.colophon is None:
        return ColophonPlan()
    return plan_from(_layout(document, MEASURE_PLAN, "版记 plan"))


def _measure(document: Document, why: str) -> weasyprint.document.Document:
    return _layout(document, MEASURE_PLAN, why)


# The document in the PDF's block order (figures deferred, see ``floats``), the 版记's place and
# every justified line's spacing, and the lines for the DOCX.
Plans = tuple[Document, ColophonPlan, dict[str, list[LineFit]], LinePlan]
# render(), colophon_plan() and page_order() of the same document share the layout: the last
# few documents' plans.
_PLANS: dict[Document, Plans] = {}
_PLANS_KEPT = 4


def _plans(document: Document) -> Plans:
    """The measuring layout's plans (``_measured``), made once for a document."""
    if document not in _PLANS:
        _measured(document)
    return _PLANS[document]


def _measured(document: Document) -> tuple[weasyprint.document.Document, Plans]:
    """One layout with the 版记 on a page of its own (again when a figure is deferred, see
    ``floats``); where the 版记 goes; each justified line's spacing."""
    placed, first = floated(document, _measure)
    head = last_paragraph_head(placed, measure_pages(first))
    if head:  # for the DOCX only: the PDF's layout of it is ``first``
        placed = replace(placed, last_paragraph_head=head)
    plan = plan_from(first) if placed.colophon is not None else ColophonPlan()
    measured = measure_lines(first)
    plans = _PLANS[document] = (placed, plan, justify_plan(measured), line_plan(measured))
    while len(_PLANS) > _PLANS_KEPT:
        del _PLANS[next(iter(_PLANS))]
    return first, plans


def colophon_plan(document: Document) -> ColophonPlan:
    """Where this document's 版记 goes in the PDF (shared with the DOCX, which cannot paginate)."""
    return _plans(document)[1]


def page_order(document: Document) -> Document:
    """The document with its blocks in the PDF's order (figures deferred): the DOCX follows it."""
    return _plans(document)[0]


def pdf_lines(document: Document) -> LinePlan:
    """The lines of every justified block as the PDF sets them, for the DOCX to hold to."""
    return _plans(document)[3]


def render(document: Document) -> weasyprint.document.Document:
    """The final layout: one layout pass (one more for each remedy tried on a short page), the
    版记 then moved to its place (after a blank page too) and the lines spread.

    A 版记 the measuring layout does not hold alone on its last page is not moved: the document is
    laid out again with the 版记 in its place (``place_colophon``)."""
    rendered, (document, plan, lines, _) = _measured(document)
    if document.colophon is not None and not place_colophon(rendered, plan):
        rendered = _layout(document, plan, "final: 版记 not alone on its page")
    spread_layout(rendered, lines, BODY_SPACING_PT)
    check_colophon(document, rendered)
    return rendered


PDF_VARIANT = "pdf/a-3b"


def render_pdf(document: Document, target: Path) -> Path:
    """Write ``document`` as a PDF to ``target`` (temporary name, then rename); return ``target``."""
    warn_fallbacks(document)
    rendered = render(document)
    target = Path(target)
    with atomic_path(target) as tmp:
        # PDF/A-3b (GB/T 23286.3): fonts embedded, an sRGB OutputIntent, XMP identification, so
        # the file that is checked here is the one the archive keeps (it only adds attachments).
        rendered.write_pdf(tmp, pdf_variant=PDF_VARIANT)
    return target


def document_html(document: Document) -> str:
    """The HTML weasyprint lays out: the 版记 on a page of its own, the text unspread, the blocks
    in the PDF's order (``render`` then moves the 版记 and spreads the justified lines)."""
    return render_html(_plans(document)[0], MEASURE_PLAN)
