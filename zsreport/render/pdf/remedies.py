"""The typesetter's remedies for a page that ends short (``placement.ShortPage``), each a changed
document tree for the measuring layout to try, best first.

Every remedy keeps each block in its own section (a chart or table never lands under the next
section's heading: a 文书 reads 图1 as part of 一、), and a figure or table only ever follows some
text of its section:

1. text ahead: the paragraphs after a pushed figure or table go before it and fill the page;
2. table after figure: a pushed chart goes above the table of its section that it followed (the
   table moves down past it), drawn smaller if that lets the table start under it, with its
   header repeated where it breaks (clause 8); or the next table of its section (and the text
   before it) goes above the chart;
3. 署名 kept with the text (7.3.5.5): the body's last paragraph leaves lines at the foot and takes
   one over with the 署名, or a paragraph pushed whole splits, leaving a line alone at the foot or
   the top of a page, or the blank line above the 署名 closes to half a line; else the last
   page's lines close up (调整行距) so the 署名 comes back to it (each tried only where the
   measured heights say it can fill the page);
4. tables tightened: the table that ends the page, or the pushed one, gets closer rows, so the
   heading (or the table's first rows) fit;
5. figure scaled: a pushed chart drawn smaller so it fits where it was written;
6. table above a paragraph: a pushed table goes above the paragraph before it, when another
   paragraph of its section still introduces it.

A chart is drawn smaller only down to ``MIN_FIGURE_SCALE`` of its size.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from weasyprint.formatting_structure import boxes

from zsreport import gbt9704 as g
from zsreport.model import Block, Document, Figure, Heading, Paragraph, Table
from zsreport.render.pdf.colophon import text_bottom_pt
from zsreport.render.pdf.placement import FILLED_ROOM_LINES, Measured, Placed, ShortPage, block_box
from zsreport.render.pdf.units import PX_TO_PT

# A paragraph split by the page's foot keeps at least this many lines on each side (CSS
# orphans/widows of ``p.para``).
SPLIT_MIN_LINES = 2
# A chart may be drawn this much smaller to fit (its 五号 labels stay above 9 pt).
MIN_FIGURE_SCALE = 0.85
# Headroom taken off a computed scale, for rounding in the layout.
SCALE_MARGIN = 0.01
# A squeezed pitch is taken this much closer than computed, for rounding in the layout.
SQUEEZE_SAFETY = 0.995
# Where a table's rows cannot be measured: its caption, header and two rows, in body lines.
TABLE_START_LINES = 4


def candidates(document: Document, measured: Measured, short: ShortPage) -> Iterator[Document]:
    """The remedies for ``short``, best first (each a document to measure)."""
    body = document.body
    pushed = short.pushed
    block = body[pushed] if pushed is not None else None
    if pushed is not None and _floats(block):
        yield from _text_ahead(document, measured, pushed)
    if pushed is not None and isinstance(block, Figure):
        yield from _table_after_figure(document, measured, pushed)
        yield from _table_ahead(document, pushed)
    if _last_paragraph_may_split(document, measured, short):
        yield replace(document, split_last_paragraph=True)
    yield from _pushed_paragraph_split(document, measured, short)
    if _signoff_fits_tight(document, measured, short):
        yield replace(document, signoff_tight=True)
    yield from _tail_squeezed(document, measured, short)
    yield from _tables_tightened(document, measured, short)
    if pushed is not None and isinstance(block, Figure):
        yield from _figure_scaled(document, measured, pushed)
    if pushed is not None and isinstance(block, Table) and not block.landscape:
        yield from _table_above_paragraph(document, pushed)


def _last_paragraph_over(document: Document, short: ShortPage) -> bool:
    """The page ends short because the body's last paragraph went over with the 署名 (whole, or
    all but its first lines)."""
    body = document.body
    return (
        len(body) - 1 in (short.pushed, short.running_on)
        and document.signoff is not None
        and isinstance(body[-1], Paragraph)
    )


def _last_paragraph_may_split(document: Document, measured: Measured, short: ShortPage) -> bool:
    """Gone over whole, the last paragraph could leave enough lines at the foot (all but one, as
    many as fit) for the page to end at most ``FILLED_ROOM_LINES`` short."""
    last = measured.blocks.get(len(document.body) - 1)
    if document.split_last_paragraph or short.pushed != len(document.body) - 1 or last is None:
        return False
    if not _last_paragraph_over(document, short):
        return False
    return _split_fills(short, last)


def _split_fills(short: ShortPage, pushed: Placed) -> bool:
    """Split, the paragraph pushed whole would leave lines at the foot (all but one, as many as
    fit) and its page end no more than ``FILLED_ROOM_LINES`` short (closer to the foot than
    before, where ``placement.CLOSING_ROOM_LINES`` asks for more: see ``floats``)."""
    room_lines = short.room_pt / g.LINE_PITCH_PT
    staying = min(pushed.lines - 1, int(room_lines + 0.02))
    return staying > 0 and int(room_lines - staying + 0.02) <= FILLED_ROOM_LINES


def _pushed_paragraph_split(document: Document, measured: Measured, short: ShortPage) -> Iterator[Document]:
    """A paragraph (not the body's last: see ``split_last_paragraph``) that went over whole, as
    CSS orphans/widows of two lines each asked, may leave one line alone at the foot or the top
    (``Paragraph.split_anywhere``): a three-line paragraph then fills a page two lines short."""
    at, body = short.pushed, document.body
    if at is None or at == len(body) - 1 or at not in measured.blocks:
        return
    block = body[at]
    if not isinstance(block, Paragraph) or block.split_anywhere:
        return
    if _split_fills(short, measured.blocks[at]):
        yield _with_body(document, [*body[:at], replace(block, split_anywhere=True), *body[at + 1 :]])


def _signoff_fits_tight(document: Document, measured: Measured, short: ShortPage) -> bool:
    """With the blank line above the 署名 closed to ``SIGNOFF_TIGHT_BLANK_LINES``, what went over
    (the last paragraph's lines there, and the 落款) would fit the page's foot."""
    last = measured.blocks.get(len(document.body) - 1)
    if document.signoff_tight or last is None or not _last_paragraph_over(document, short):
        return False
    over_lines = last.lines if short.pushed is not None else _lines_over(measured, len(document.body) - 1)
    saved = (g.SIGNOFF_BLANK_LINES - g.SIGNOFF_TIGHT_BLANK_LINES) * g.LINE_PITCH_PT
    return over_lines * g.LINE_PITCH_PT + measured.closing_height_pt - saved <= short.room_pt + 0.01


def _lines_over(measured: Measured, index: int) -> int:
    """The lines of the block at ``index`` on its last page (it ran on from the page before)."""
    box = block_box(measured.rendered, index, measured.blocks[index].last_page)
    return sum(isinstance(child, boxes.LineBox) for child in box.children) if box is not None else 0


def _tail_squeezed(document: Document, measured: Measured, short: ShortPage) -> Iterator[Document]:
    """The text from the short page's first block on, and the 落款, set at the pitch that ends
    them on that page (7.3.5.5 调整行距), when the 署名 took the text's last lines over to the
    next page and that is the body's last; never closer than ``SQUEEZE_MIN_PITCH_PT``."""
    blocks, body = measured.blocks, document.body
    if document.tail_pitch_pt or measured.closing is None or document.signoff is None:
        return
    closing_page, closing_foot = measured.closing
    last = max(placed.last_page for placed in blocks.values())
    starting = [i for i, placed in blocks.items() if placed.first_page == short.page]
    if short.page + 1 != last or closing_page != last or not starting:
        return
    first = min(starting)
    top = blocks[first].top_pt
    fixed = sum(  # tables and figures keep their size
        blocks[i].height_pt
        for i in range(first, len(body))
        if i in blocks and not isinstance(body[i], (Paragraph, Heading))
    )
    content = (measured.feet[short.page] - top) + (closing_foot - g.mm_to_pt(g.MARGIN_TOP_MM))
    room = text_bottom_pt() - top
    if content <= fixed:
        return
    pitch = g.LINE_PITCH_PT * (room - fixed) / (content - fixed) * SQUEEZE_SAFETY
    if g.SQUEEZE_MIN_PITCH_PT <= pitch < g.LINE_PITCH_PT:
        yield replace(document, tail_from=first, tail_pitch_pt=round(pitch, 2))


def _floats(block: Block | None) -> bool:
    """A figure, or a portrait table pushed whole (it could not start with its header and two
    rows at the page's foot); a 横排 table has a page of its own anyway."""
    return isinstance(block, Figure) or (isinstance(block, Table) and not block.landscape)


def _with_body(document: Document, body: list[Block]) -> Document:
    return replace(document, body=tuple(body))


def _text_ahead(document: Document, measured: Measured, at: int) -> Iterator[Document]:
    """The paragraphs after the pushed block at ``at`` that fill the room it leaves, moved
    before it (the last may run over onto the next page, where the block follows it)."""
    before = measured.blocks.get(at - 1)
    if before is None:
        return
    room = text_bottom_pt() - before.bottom_pt
    count = _text_to_move(document.body, measured, at, room)
    if count:
        body = list(document.body)
        body[at : at + count + 1] = [*body[at + 1 : at + count + 1], body[at]]
        yield _with_body(document, body)


def _text_to_move(body: tuple[Block, ...], measured: Measured, figure: int, room_pt: float) -> int:
    """How many paragraphs after the block at ``figure`` go before it to fill ``room_pt``; a
    heading ends the run."""
    pitch = g.LINE_PITCH_PT
    used, count = 0.0, 0
    for index in range(figure + 1, len(body)):
        block, where = body[index], measured.blocks.get(index)
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


def _table_ahead(document: Document, figure: int) -> Iterator[Document]:
    """The pushed chart at ``figure`` after the next table of its section (and the paragraphs
    before that table): the table starts where the chart would not fit and breaks with its header
    repeated."""
    body = list(document.body)
    for index in range(figure + 1, len(body)):
        block = body[index]
        if isinstance(block, Table) and not block.landscape:
            body[figure : index + 1] = [*body[figure + 1 : index + 1], body[figure]]
            yield _with_body(document, body)
            return
        if not isinstance(block, Paragraph):
            return


def _section_table_before(body: tuple[Block, ...], figure: int) -> int | None:
    """The portrait table the figure at ``figure`` follows in its section, past paragraphs only."""
    for index in range(figure - 1, -1, -1):
        block = body[index]
        if isinstance(block, Table):
            return None if block.landscape else index
        if not isinstance(block, Paragraph):
            return None
    return None


def _table_after_figure(document: Document, measured: Measured, figure: int) -> Iterator[Document]:
    """The chart at ``figure`` above the table of its section that it follows: the table (which
    may break with its header repeated) then fills the page. The chart is drawn smaller when the
    table's first rows would not start under it otherwise."""
    body = document.body
    at = _section_table_before(body, figure)
    table, chart = (measured.blocks.get(at), measured.blocks.get(figure)) if at is not None else (None, None)
    if at is None or table is None or chart is None or table.first_page != table.last_page:
        return
    between = sum(measured.blocks[i].height_pt for i in range(at + 1, figure) if i in measured.blocks)
    room = text_bottom_pt() - table.top_pt
    deficit = between + chart.height_pt + table_start_pt(measured, at, body[at]) - room
    shown = body[figure]
    assert isinstance(shown, Figure)
    scale = _scale_to_save(shown, deficit)
    if scale is None:
        return
    reordered = [*body[:at], *body[at + 1 : figure], _scaled(shown, scale), body[at], *body[figure + 1 :]]
    yield _with_body(document, reordered)


def table_start_pt(measured: Measured, index: int, table: Block) -> float:
    """From the top of the table block at ``index`` (its margin) to the foot of its second body
    row: what must fit for the table to start on a page."""
    placed = measured.blocks[index]
    assert isinstance(table, Table)
    box = block_box(measured.rendered, index, placed.first_page)
    rows = [row for row in box.descendants() if isinstance(row, boxes.TableRowBox)] if box else []
    wanted = len(table.header) + min(2, len(table.body))
    if len(rows) < wanted:
        return TABLE_START_LINES * g.LINE_PITCH_PT
    row = rows[wanted - 1]
    return (row.position_y + row.margin_height()) * PX_TO_PT - placed.top_pt


def _scale_to_save(figure: Figure, deficit_pt: float) -> float | None:
    """The scale at which ``figure`` is ``deficit_pt`` shorter (1: it need not shrink; None: it
    would have to shrink below ``MIN_FIGURE_SCALE``)."""
    if deficit_pt <= 0:
        return 1.0
    scale = 1 - deficit_pt / g.mm_to_pt(figure.height_mm) - SCALE_MARGIN
    return scale if scale >= MIN_FIGURE_SCALE else None


def _scaled(figure: Figure, scale: float) -> Figure:
    if scale >= 1:
        return figure
    return replace(figure, width_mm=figure.width_mm * scale, height_mm=figure.height_mm * scale)


def _figure_scaled(document: Document, measured: Measured, figure: int) -> Iterator[Document]:
    """The pushed chart drawn smaller, to fit where it was written."""
    before, chart = measured.blocks.get(figure - 1), measured.blocks.get(figure)
    shown = document.body[figure]
    if before is None or chart is None or not isinstance(shown, Figure):
        return
    scale = _scale_to_save(shown, chart.height_pt - (text_bottom_pt() - before.bottom_pt))
    if scale is not None and scale < 1:
        body = list(document.body)
        body[figure] = _scaled(shown, scale)
        yield _with_body(document, body)


def _tables_tightened(document: Document, measured: Measured, short: ShortPage) -> Iterator[Document]:
    """The table that ends the short page (or runs on from it: its last rows went over together
    with its 注), and a pushed table, set with closer rows."""
    body = list(document.body)
    ending = [i for i, p in measured.blocks.items() if p.first_page <= short.page <= p.last_page]
    chosen = {max(ending)} if ending else set()
    if short.pushed is not None:
        chosen.add(short.pushed)
    tightened = False
    for index in sorted(chosen):
        block = body[index]
        if isinstance(block, Table) and not block.landscape and not block.compact:
            body[index] = replace(block, compact=True)
            tightened = True
    if tightened:
        yield _with_body(document, body)


def _table_above_paragraph(document: Document, table: int) -> Iterator[Document]:
    """The pushed table above the paragraph before it, when a paragraph of its section still
    comes before it."""
    body = list(document.body)
    if table < 2 or not isinstance(body[table - 1], Paragraph) or not isinstance(body[table - 2], Paragraph):
        return
    body[table - 1], body[table] = body[table], body[table - 1]
    yield _with_body(document, body)
