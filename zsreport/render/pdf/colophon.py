"""Where the 版记 goes (clause 7.4): measured on a layout with the 版记 on a page of its own."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import weasyprint
from weasyprint.document import Page

from zsreport import gbt9704 as g
from zsreport.model import Document
from zsreport.render.pdf.units import PX_TO_PT, pt_px

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ColophonPlan:
    """Where the 版记 goes: after the text (flow), on a new page, or after a blank page."""

    new_page: bool = False
    blank_page: bool = False
    unnumbered: bool = False
    space_pt: float = 0.0


# The measuring pass puts the 版记 on a page of its own, so its height is measured whole.
MEASURE_PLAN = ColophonPlan(new_page=True)


def _boxes_with_id(rendered: weasyprint.document.Document, element_id: str) -> list[tuple[int, Any]]:
    """(page index, box) for every fragment of the element with ``element_id``."""
    found = []
    for index, page in enumerate(rendered.pages):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is not None and element.get("id") == element_id and box.element_tag:
                found.append((index, box))
    return found


def text_bottom_pt() -> float:
    """The foot of the 版心 on the page (pt from the page top)."""
    return g.mm_to_pt(g.MARGIN_TOP_MM + g.TEXT_HEIGHT_MM)


def plan_from(rendered: weasyprint.document.Document) -> ColophonPlan:
    """The plan for a measuring layout (``MEASURE_PLAN``): where its text ends, how tall its 版记 is."""
    end_page, end_box = _boxes_with_id(rendered, "content-end")[-1]
    fragments = _boxes_with_id(rendered, "colophon")
    height = sum(box.margin_height() for _, box in fragments) * PX_TO_PT
    end_y = end_box.position_y * PX_TO_PT
    page_number = end_page + 1
    room = text_bottom_pt() - end_y - height - g.COLOPHON_FIT_SLACK_PT
    full = g.mm_to_pt(g.TEXT_HEIGHT_MM) - height - g.COLOPHON_FIT_SLACK_PT
    page = rendered.pages[end_page]
    if page.width > page.height:
        # Text ends on a 横排 page: the portrait 版记 cannot share it, so it needs a page of its own
        # (the next one if that is even, else after a blank page).
        if page_number % 2 == 1:
            return ColophonPlan(new_page=True, space_pt=max(full, 0.0))
        return ColophonPlan(new_page=True, blank_page=True, unnumbered=True, space_pt=max(full, 0.0))
    if page_number % 2 == 0 and room >= 0:
        return ColophonPlan(space_pt=room)
    if page_number % 2 == 1:
        return ColophonPlan(new_page=True, space_pt=max(full, 0.0))
    # Text ends on an even page with no room: a blank odd page, the 版记 on the next even one;
    # clause 7.5 lets both go without a page number.
    return ColophonPlan(new_page=True, blank_page=True, unnumbered=True, space_pt=max(full, 0.0))


def check_colophon(document: Document, rendered: weasyprint.document.Document) -> None:
    """Warn when the final layout did not put the 版记 alone at the foot of an even last page."""
    fragments = _boxes_with_id(rendered, "colophon")
    if document.colophon is None or not fragments:
        return
    pages = {index for index, _ in fragments}
    last = len(rendered.pages) - 1
    if pages != {last} or len(rendered.pages) % 2:
        log.warning(
            "%s: 版记 not alone at the foot of an even last page (pages %s)", document.meta.slug, pages
        )


# --- placing the 版记 on the measuring layout -----------------------------------------------------
# The measuring layout already holds the final pages of text; only the 版记 page differs. Where the
# plan puts the 版记 is where a layout of ``render_html(document, plan)`` would set it: after
# ``space_pt`` of spacer, either at the top of a page of its own (translated down), right after
# the text on the page where it ends (moved there, its own page dropped), or on a page of its own
# after a blank page (7.5: both pages carry nothing in their margins, as the stylesheet's
# ``@page unnumbered`` says: its page numbers are its only margin boxes).


def place_colophon(rendered: weasyprint.document.Document, plan: ColophonPlan) -> bool:
    """Put the 版记 of a ``MEASURE_PLAN`` layout where ``plan`` says, in place. False (nothing
    changed) when that layout does not hold the 版记 alone on its last page: lay out with
    ``plan`` then."""
    pages = [page._page_box for page in rendered.pages]
    last = len(pages) - 1
    holder = _boxes_with_id(rendered, "colophon-page")
    colophon = _boxes_with_id(rendered, "colophon")
    end_page, end_box = _boxes_with_id(rendered, "content-end")[-1]
    alone = [index for index, _ in holder + colophon] == [last, last] and end_page == last - 1
    if not alone or plan.unnumbered != plan.blank_page:
        return False
    space = pt_px(plan.space_pt) if plan.space_pt else 0.0
    if plan.blank_page:
        colophon[0][1].translate(0, space)
        pages[last:] = _blank_then_unnumbered(pages[last])
    elif plan.new_page:
        colophon[0][1].translate(0, space)
    else:  # after the text, on the page where it ends (body > …, #content-end, #colophon-page)
        body, moved = _body(pages[end_page]), holder[0][1]
        moved.translate(0, end_box.position_y + end_box.margin_height() - moved.position_y)
        colophon[0][1].translate(0, space)
        body.children = [*body.children, moved]
        pages.pop()
    rendered.pages = [rendered.pages[i] if i < end_page else Page(page) for i, page in enumerate(pages)]
    return True


def _blank_then_unnumbered(page_box: Any) -> list[Any]:
    """The 版记's own page without its page number, after a blank page without one (the same page
    emptied): the two pages a layout with the blank page sets."""
    unnumbered = page_box.copy_with_children([page_box.children[0]])  # the root box; no margin boxes
    root = unnumbered.children[0]
    body = _body(unnumbered)
    blank = unnumbered.copy_with_children([root.copy_with_children([body.copy_with_children([])])])
    return [blank, unnumbered]


def _body(page_box: Any) -> Any:
    """The body box of a page (the root's one child)."""
    (body,) = page_box.children[0].children
    return body
