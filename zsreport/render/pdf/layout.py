"""The PDF's layout passes: measure (版记 page, line widths), then place the 版记 and justify."""

from __future__ import annotations

import functools
import logging
from pathlib import Path

import weasyprint

from zsreport.atomic import atomic_path
from zsreport.model import Document
from zsreport.render.pdf.colophon import MEASURE_PLAN, ColophonPlan, check_colophon, plan_from
from zsreport.render.pdf.fallback import warn_fallbacks
from zsreport.render.pdf.fetcher import RefusingURLFetcher
from zsreport.render.pdf.floats import floated
from zsreport.render.pdf.html import PDF_TEMPLATES, render_html
from zsreport.render.pdf.justify import LineFit, justify_plan, measure_lines

log = logging.getLogger(__name__)


def _layout(html: str) -> weasyprint.document.Document:
    return weasyprint.HTML(
        string=html, base_url=PDF_TEMPLATES.as_uri() + "/", url_fetcher=RefusingURLFetcher()
    ).render()


def _plan_colophon(document: Document) -> ColophonPlan:
    """First pass: lay out with the 版记 on a page of its own, measure, decide (uncached: a fresh
    layout each call, for tests that try one tree after another)."""
    if document.colophon is None:
        return ColophonPlan()
    return plan_from(_layout(render_html(document, MEASURE_PLAN)))


def _measure(document: Document) -> weasyprint.document.Document:
    return _layout(render_html(document, MEASURE_PLAN))


@functools.lru_cache(maxsize=4)  # render() and colophon_plan() of the same document share the pass
def _passes(document: Document) -> tuple[Document, ColophonPlan, dict[str, list[LineFit]]]:
    """First pass: lay out with the 版记 on a page of its own (again when a figure is deferred,
    see ``floats``); measure it and every justified line."""
    document, first = floated(document, _measure)
    plan = plan_from(first) if document.colophon is not None else ColophonPlan()
    return document, plan, justify_plan(measure_lines(first))


def colophon_plan(document: Document) -> ColophonPlan:
    """Where this document's 版记 goes in the PDF (shared with the DOCX, which cannot paginate)."""
    return _passes(document)[1]


def page_order(document: Document) -> Document:
    """The document with its blocks in the PDF's order (figures deferred): the DOCX follows it."""
    return _passes(document)[0]


def render(document: Document) -> weasyprint.document.Document:
    """The final layout: a measuring pass, then the 版记 placed and the lines justified."""
    document, plan, lines = _passes(document)
    rendered = _layout(render_html(document, plan, lines))
    # The justified lines must have kept their breaks; set any block that did not ragged again.
    moved = {
        key
        for key, measured in measure_lines(rendered).items()
        if key in lines and [line.chars for line in measured] != [fit.chars for fit in lines[key]]
    }
    if moved:
        log.warning("%s: line breaks moved when justifying %s; set ragged", document.meta.slug, sorted(moved))
        lines = {key: fits for key, fits in lines.items() if key not in moved}
        rendered = _layout(render_html(document, plan, lines))
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
    """The HTML weasyprint renders (with the 版记 placed and lines justified as in the final PDF)."""
    return render_html(*_passes(document))
