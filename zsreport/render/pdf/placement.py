"""Where the measuring layout put the body's blocks, and which pages of running text it left
short of the 版心's foot (``page.filled``; remedied by ``floats``)."""

from __future__ import annotations

from dataclasses import dataclass

import weasyprint
from weasyprint.formatting_structure import boxes

from zsreport import gbt9704 as g
from zsreport.linebreak import counted
from zsreport.model import Document, PageBreak, Paragraph
from zsreport.render.pdf.colophon import text_bottom_pt
from zsreport.render.pdf.units import PX_TO_PT

# A page may end this many empty lines short (as the checker's ``page.filled`` allows).
FILLED_ROOM_LINES = 2
# …but the page before the 署名's is held closer: two empty lines there mean the text's last lines
# went over with the 署名 (or the paragraph before them went over whole), and a typesetter runs
# them on instead (7.3.5.5; issue 24: pages ending 2.55 lines early before the 署名's page).
CLOSING_ROOM_LINES = 1


@dataclass(frozen=True)
class Placed:
    """One body block as the measuring layout set it: page of its first and last fragment, the
    foot of its content on its last page (pt, margin included: where the next block starts), its
    height and lines (pt, count)."""

    first_page: int
    last_page: int
    bottom_pt: float
    height_pt: float
    lines: int

    @property
    def top_pt(self) -> float:
        """Where the block starts on its first page (a block on one page only)."""
        return self.bottom_pt - self.height_pt


@dataclass(frozen=True)
class Measured:
    """Where the measuring layout put each body block, and each page's lowest ink (pt)."""

    blocks: dict[int, Placed]
    feet: dict[int, float]  # page index → foot of its lowest body fragment, margins left out
    turned: frozenset[int]  # 横排 pages
    rendered: weasyprint.document.Document
    closing: tuple[int, float] | None = None  # page and foot of the 落款 (附件说明 … 署名), if any
    closing_height_pt: float = 0.0  # the 落款's height, the blank lines above its parts included


@dataclass(frozen=True)
class ShortPage:
    """A page of running text that ends ``room_lines`` short; ``pushed``: the body block that
    opens the next page, or None when the block ``running_on`` runs on from this page to it."""

    page: int
    pushed: int | None
    room_pt: float
    running_on: int | None = None

    @property
    def room_lines(self) -> int:
        return int(self.room_pt / g.LINE_PITCH_PT + 0.02)

    @property
    def hard(self) -> bool:
        """Short by the checker's ``page.filled`` too (not only by ``CLOSING_ROOM_LINES``)."""
        return self.room_lines > FILLED_ROOM_LINES


def _body_element(rendered: weasyprint.document.Document) -> object | None:
    for page in rendered.pages:
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if (
                element is not None
                and box.element_tag == "div"
                and "body" in element.get("class", "").split()
            ):
                return element
    return None


def block_box(rendered: weasyprint.document.Document, index: int, page: int) -> boxes.BlockBox | None:
    """The fragment of body block ``index`` on ``page``."""
    body = _body_element(rendered)
    if body is None or index >= len(body):  # type: ignore[arg-type]
        return None
    element = body[index]  # type: ignore[index]
    for box in rendered.pages[page]._page_box.descendants():
        if getattr(box, "element", None) is element and isinstance(box, boxes.BlockBox):
            return box
    return None


def measure_pages(rendered: weasyprint.document.Document) -> Measured:
    """Body block index → where the layout put it (the ``.body`` div's children are the blocks)."""
    body = _body_element(rendered)
    found: dict[int, Placed] = {}
    feet: dict[int, float] = {}
    turned = frozenset(i for i, page in enumerate(rendered.pages) if page.width > page.height)
    if body is None:
        return Measured(found, feet, turned, rendered)
    closing, closing_height = _closing_foot(rendered)
    index_of = {id(child): index for index, child in enumerate(body)}  # type: ignore[call-overload]
    for page_index, page in enumerate(rendered.pages):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            index = index_of.get(id(element)) if element is not None and box.element_tag else None
            if index is None or not isinstance(box, boxes.BlockBox):
                continue
            bottom = (box.position_y + box.margin_height()) * PX_TO_PT  # where the next block starts
            height = box.margin_height() * PX_TO_PT
            if box.height:  # an empty marker (a page break) holds no ink
                feet[page_index] = max(feet.get(page_index, 0.0), _foot_pt(box))
            lines = sum(isinstance(child, boxes.LineBox) for child in box.children)
            seen = found.get(index)
            if seen is None:
                found[index] = Placed(page_index, page_index, bottom, height, lines)
            else:
                found[index] = Placed(
                    seen.first_page, page_index, bottom, seen.height_pt + height, seen.lines + lines
                )
    return Measured(found, feet, turned, rendered, closing, closing_height)


# The blocks between the 正文 and the 附件 (7.3.4–7.3.5): they go with the text's last lines.
CLOSING_CLASSES = frozenset({"attachment-note", "attendance", "signoff", "doc-note"})


def _closing_foot(rendered: weasyprint.document.Document) -> tuple[tuple[int, float] | None, float]:
    """Page and foot of the 落款's last box, and the 落款's height."""
    found, height = None, 0.0
    for page_index, page in enumerate(rendered.pages):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is None or not isinstance(box, boxes.BlockBox):
                continue
            if CLOSING_CLASSES & set(element.get("class", "").split()):
                foot = _foot_pt(box)
                found = page_index, max(foot, found[1] if found and found[0] == page_index else 0.0)
                height += box.margin_height() * PX_TO_PT
    return found, height


# A text line's foot is its em box's plus half a leading; a table's or a figure's is its edge. A
# page's room is counted from a border as from a line ending half a leading lower (as
# ``conformance.rules_page.empty_lines_at_foot`` counts it).
HALF_LEADING_PT = (g.LINE_PITCH_PT - g.BODY_SIZE_PT) / 2


def _foot_pt(box: boxes.BlockBox) -> float:
    """The foot of a block fragment's last line, or of its border (a table, a figure) plus half a
    leading: a split paragraph's first fragment is taller than its lines."""
    lines = [child for child in box.children if isinstance(child, boxes.LineBox)]
    if lines:
        return max(line.position_y + line.height for line in lines) * PX_TO_PT
    # a table's block split over pages may reach the page's foot: its last row or 注 line ends it
    rows = [b.position_y + b.margin_height() for b in box.descendants() if isinstance(b, boxes.TableRowBox)]
    if rows:
        notes = [b.position_y + b.height for b in box.descendants() if isinstance(b, boxes.LineBox)]
        return max(*rows, *notes) * PX_TO_PT + HALF_LEADING_PT
    return (box.position_y + box.margin_height() - box.margin_bottom) * PX_TO_PT + HALF_LEADING_PT


def short_pages(document: Document, measured: Measured) -> list[ShortPage]:
    """The pages of running text ending more than ``FILLED_ROOM_LINES`` short of the 版心's foot
    (``CLOSING_ROOM_LINES`` on the page before the 落款's).

    Not counted: the body's last page (the 署名, 附件 or 版记 follow it), a page before or on a
    横排 page, and a page ended on purpose (``PageBreak``)."""
    blocks = measured.blocks
    if not blocks:
        return []
    last = max(placed.last_page for placed in blocks.values())
    short = []
    for page in range(last):
        if page in measured.turned or page + 1 in measured.turned or page not in measured.feet:
            continue
        here = [i for i, p in blocks.items() if p.first_page <= page <= p.last_page]
        if any(isinstance(document.body[i], PageBreak) for i in here):
            continue
        running_on = max((i for i in here if blocks[i].last_page > page), default=None)
        opening = [i for i, p in blocks.items() if p.first_page == page + 1]
        pushed = None if running_on is not None or not opening else min(opening)
        room = text_bottom_pt() - measured.feet[page]
        if int(room / g.LINE_PITCH_PT + 0.02) > room_allowed(measured, page):
            short.append(ShortPage(page, pushed, room, running_on))
    return short


def room_allowed(measured: Measured, page: int) -> int:
    """Whole empty lines ``page`` may end with: fewer on the page before the 落款's."""
    before_closing = measured.closing is not None and measured.closing[0] == page + 1
    return CLOSING_ROOM_LINES if before_closing else FILLED_ROOM_LINES


def last_paragraph_head(document: Document, measured: Measured) -> int:
    """Characters (not spaces, not break marks) of the body's last paragraph set before the page its
    last line shares with the 落款 (0: it is on one page, or is no paragraph)."""
    index = len(document.body) - 1
    placed = measured.blocks.get(index)
    if (
        placed is None
        or not isinstance(document.body[index], Paragraph)
        or placed.first_page == placed.last_page
        or measured.closing is None
        or measured.closing[0] != placed.last_page
    ):
        return 0
    head = 0
    for page in range(placed.first_page, placed.last_page):
        box = block_box(measured.rendered, index, page)
        texts = box.descendants() if box is not None else ()
        head += sum(_slots(text.text) for text in texts if isinstance(text, boxes.TextBox))
    return head


def _slots(text: str) -> int:
    """Characters taking a place on the line (as ``justify`` counts them)."""
    return sum(map(counted, text))
