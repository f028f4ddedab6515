"""Figures placed as floats (issue 14, item 7): a chart (or a table that cannot start with its
header and two rows) that does not fit the rest of its page goes to the top of the next one, and
the text after it fills the page it leaves.

weasyprint keeps a figure whole (``break-inside: avoid``) and pushes it to the next page, which
can leave three to five empty lines at the foot of a page of running text. As a typesetter floats a
figure, the measuring layout finds each pushed figure and moves the paragraphs that follow it (never past
a heading, a table or another figure: the figure stays in its section) ahead of it, as much as the
page's foot holds;
the last moved paragraph may run over onto the next page, where the figure follows it. A figure so
only ever moves later than written, never before the paragraph that introduces it, and the DOCX is
given the same order (``render.pdf.page_order``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import weasyprint
from weasyprint.formatting_structure import boxes

from zsreport import gbt9704 as g
from zsreport.model import Block, Document, Figure, Paragraph, Table
from zsreport.render.pdf.colophon import text_bottom_pt
from zsreport.render.pdf.units import PX_TO_PT

# A page may end this many empty lines short (as the checker's ``page.filled`` allows); a pushed
# figure that leaves no more is left where it is.
FLOAT_ROOM_LINES = 2
# A paragraph split by the page's foot keeps at least this many lines on each side (CSS
# orphans/widows of ``p.para``).
SPLIT_MIN_LINES = 2
# A chart lifted above the table before it leaves at least this many body lines for the table's
# start (caption, header and two rows; the table then breaks with its header repeated).
TABLE_START_LINES = 4


@dataclass(frozen=True)
class Placed:
    """One body block as the measuring layout set it: page of its first and last fragment, the
    foot of its content on its last page (pt), its height and lines (pt, count)."""

    first_page: int
    last_page: int
    bottom_pt: float
    height_pt: float
    lines: int


def _body_element(rendered: weasyprint.document.Document) -> Any | None:
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


def placed_blocks(rendered: weasyprint.document.Document) -> dict[int, Placed]:
    """Body block index → where the layout put it (the ``.body`` div's children are the blocks)."""
    body = _body_element(rendered)
    if body is None:
        return {}
    index_of = {id(child): index for index, child in enumerate(body)}
    found: dict[int, Placed] = {}
    for page_index, page in enumerate(rendered.pages):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            index = index_of.get(id(element)) if element is not None and box.element_tag else None
            if index is None or not isinstance(box, boxes.BlockBox):
                continue
            bottom = (box.position_y + box.margin_height()) * PX_TO_PT  # where the next block starts
            height = box.margin_height() * PX_TO_PT
            lines = sum(isinstance(child, boxes.LineBox) for child in box.children)
            seen = found.get(index)
            if seen is None:
                found[index] = Placed(page_index, page_index, bottom, height, lines)
            else:
                found[index] = Placed(
                    seen.first_page, page_index, bottom, seen.height_pt + height, seen.lines + lines
                )
    return found


def _text_to_move(body: tuple[Block, ...], placed: dict[int, Placed], figure: int, room_pt: float) -> int:
    """How many paragraphs after the figure at ``figure`` go before it to fill ``room_pt``.

    Only paragraphs of the figure's own section move: a heading ends the run, so a chart or a
    table never lands under the next section's heading (a 文书 reads 图1 as part of 一、)."""
    pitch = g.LINE_PITCH_PT
    used, count = 0.0, 0
    for index in range(figure + 1, len(body)):
        block, where = body[index], placed.get(index)
        if not isinstance(block, Paragraph) or where is None:
            break
        if used + where.height_pt <= room_pt + 0.01:
            used += where.height_pt
            count += 1
            continue
        fit = int((room_pt - used) / pitch + 0.01)
        if fit >= SPLIT_MIN_LINES and where.lines - fit >= SPLIT_MIN_LINES:
            return count + 1  # it starts at the page's foot and ends above the figure
        break
    return count


def _lifts_over_table(body: tuple[Block, ...], placed: dict[int, Placed], figure: int) -> bool:
    """A chart pushed from under a table of its own section, with no paragraph after it to fill
    the page (the next section starts there), goes above that table when it fits where the
    table starts with room for the table's first rows: the table, which may break across pages
    with its header repeated, then fills the page. Both stay in their section."""
    table, chart = placed.get(figure - 1), placed.get(figure)
    above = body[figure - 1]
    if not isinstance(body[figure], Figure) or not isinstance(above, Table) or above.landscape:
        return False
    if table is None or chart is None or table.first_page != table.last_page:
        return False
    table_top = table.bottom_pt - table.height_pt
    room = text_bottom_pt() - table_top
    return chart.height_pt + TABLE_START_LINES * g.LINE_PITCH_PT <= room


def _floats(block: Block) -> bool:
    """A figure, or a portrait table pushed whole (it could not start with its header and two
    rows at the page's foot); a 横排 table has a page of its own anyway."""
    return isinstance(block, Figure) or (isinstance(block, Table) and not block.landscape)


def defer_figures(
    document: Document, rendered: weasyprint.document.Document
) -> tuple[Document, tuple[Table, ...]] | None:
    """``document`` with the text after each pushed figure moved ahead of it (or the figure
    lifted above its table), and the tables it now sits above; None: nothing to move."""
    placed = placed_blocks(rendered)
    body = list(document.body)
    moved = False
    lifted: list[Table] = []
    for index, block in enumerate(document.body):
        before, where = placed.get(index - 1), placed.get(index)
        if not _floats(block) or before is None or where is None:
            continue
        page = rendered.pages[before.last_page]
        if where.first_page != before.last_page + 1 or page.width > page.height:
            continue  # not pushed, or pushed off a 横排 page
        room = text_bottom_pt() - before.bottom_pt
        if room < (FLOAT_ROOM_LINES + 1) * g.LINE_PITCH_PT:
            continue
        count = _text_to_move(document.body, placed, index, room)
        above = document.body[index - 1]
        if count:  # the moved text stops before the next figure, so later indices stay valid
            body[index : index + count + 1] = [*body[index + 1 : index + count + 1], block]
            moved = True
        elif body[index - 1] is above and _lifts_over_table(document.body, placed, index):
            assert isinstance(above, Table)
            body[index - 1 : index + 1] = [block, above]  # the table follows it
            lifted.append(above)
            moved = True
    return (replace(document, body=tuple(body)), tuple(lifted)) if moved else None


def _tables_start_under_their_charts(
    document: Document, rendered: weasyprint.document.Document, tables: tuple[Table, ...]
) -> bool:
    """Each lifted table starts on its chart's page (else the lift only moved the gap down)."""
    placed = placed_blocks(rendered)
    for index, block in enumerate(document.body):
        if any(block is table for table in tables):
            chart, table = placed.get(index - 1), placed.get(index)
            if chart is None or table is None or table.first_page != chart.last_page:
                return False
    return True


# Each deferral moves text up a page, which can push a later figure; a document has a few figures.
MAX_DEFERRAL_PASSES = 3


def floated(
    document: Document, measure: Callable[[Document], weasyprint.document.Document]
) -> tuple[Document, weasyprint.document.Document]:
    """The document with its figures deferred, and its measuring layout (``measure``)."""
    rendered = measure(document)
    for _ in range(MAX_DEFERRAL_PASSES):
        deferred = defer_figures(document, rendered)
        if deferred is None:
            break
        trial = measure(deferred[0])
        if not _tables_start_under_their_charts(deferred[0], trial, deferred[1]):
            break  # a lifted chart left its table no room: keep the layout before it
        document, rendered = deferred[0], trial
    return document, rendered
