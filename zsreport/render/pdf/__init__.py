"""``Document`` → HTML (Jinja, autoescape) → PDF (weasyprint), laid out after GB/T 9704-2012.

The stylesheet ``templates/pdf/style.css.j2`` is filled from ``gbt9704`` (plus sizes derived from
it here), so no layout number is typed into CSS. One layout pass, with the 版记 on a page of its
own: it measures where the text ends and how tall the 版记 is, and the 版记 is then moved to the foot
of an even page on the laid-out pages (``colophon.place_colophon``), after an unnumbered blank page
where the text ends on an even page. A page left short takes one more layout for each remedy tried
(``floats``); each layout is logged with its reason (debug).

Measured and fixed for weasyprint 70 (each has a test reading the PDF back):
- CJK justification: weasyprint stretches at spaces only. The layout's every line of every
  justified paragraph and heading is measured, and each non-final line's characters get the extra
  letter-spacing that brings it to the 版心's right edge on the laid-out line, as weasyprint's own
  ``text-align: justify`` does with word spacing (``spread.spread_layout``): the breaks cannot move.
- 横排表格 pages are true landscape pages (版心 225 × 156 mm); their "— N —" is the portrait footer
  turned a quarter (CSS transform on the margin box), so it sits on the short side where the
  portrait pages have it. Tables use ``table-layout: fixed`` and the largest cell size at which
  every number fits its column (``table_font_size``).
- Characters missing from a role's face fall back along its chain and are reported
  (``fallback_characters``, one warning per document).

Known limits:
- The last 版记 rule sits ``COLOPHON_FIT_SLACK_PT`` above the 版心 foot (rounding headroom).
- ``spread`` and ``place_colophon`` edit weasyprint 70's laid-out boxes (text boxes, their pango
  layouts, page boxes); a weasyprint upgrade must re-run the byte comparison of a whole set.
"""

from zsreport.render.pdf.colophon import ColophonPlan
from zsreport.render.pdf.fallback import fallback_characters
from zsreport.render.pdf.fetcher import RefusingURLFetcher
from zsreport.render.pdf.layout import (
    _plan_colophon,
    colophon_plan,
    document_html,
    page_order,
    pdf_lines,
    render,
    render_pdf,
)
from zsreport.render.pdf.tables import table_font_size, table_text_width_mm

__all__ = [
    "ColophonPlan",
    "RefusingURLFetcher",
    "_plan_colophon",
    "colophon_plan",
    "document_html",
    "fallback_characters",
    "page_order",
    "pdf_lines",
    "render",
    "render_pdf",
    "table_font_size",
    "table_text_width_mm",
]
