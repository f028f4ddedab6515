"""Table columns sized from their content, once, for both renderers (issue 14, item 5).

A column is at least as wide as its longest word, a word being what no line may break inside
(``Cell.keep``: a unit or chain name, a status pair, a unit of measure, a header word; else a 字
or a number). What the text block has left goes to the columns whose text would still wrap,
in proportion to how much of it there is: the project names get the room, not a 存在问题 column
that is mostly "—". Widths are estimated from character classes (``fonts.estimated_width_em``),
so the DOCX made from them does not depend on the fonts installed.
"""

from __future__ import annotations

from zsreport import fonts
from zsreport import gbt9704 as g
from zsreport.linebreak import units
from zsreport.model import Cell, place_cells

Rows = tuple[tuple[Cell, ...], ...]


def _placed(rows: Rows) -> list[tuple[int, Cell]]:
    return [(c, cell) for _, c, cell in place_cells(rows)]


def cell_slack_mm() -> float:
    """What a cell takes beyond its text: padding both sides, a rule, the fit slack."""
    return 2 * g.TABLE_CELL_PADDING_MM + g.pt_to_mm(g.TABLE_RULE_PT) + g.TABLE_FIT_SLACK_MM


def word_em(cell: Cell) -> float:
    """Width in ems of the cell's widest word."""
    return max((fonts.estimated_width_em(u) for u in units(cell.text, cell.keep)), default=0.0)


def _least(placed: list[tuple[int, Cell]], ncols: int, size_pt: float) -> list[float]:
    """Each column's least width in mm at ``size_pt``: its widest word fits on one line."""
    em_mm, slack = g.pt_to_mm(size_pt), cell_slack_mm()
    least = [slack] * ncols
    for first, cell in sorted(placed, key=lambda p: p[1].colspan):
        need = word_em(cell) * em_mm + slack
        span = range(first, first + cell.colspan)
        short = need - sum(least[c] for c in span)
        for c in span:  # a spanning header shares what it lacks among its columns
            least[c] += max(short, 0.0) / cell.colspan
    return least


def _wrapping(placed: list[tuple[int, Cell]], least: list[float], size_pt: float) -> list[float]:
    """How much text each column's body holds beyond one line of its least width (mm of line);
    a header may wrap at its marked places rather than widen its column."""
    em_mm, slack = g.pt_to_mm(size_pt), cell_slack_mm()
    more = [0.0] * len(least)
    for first, cell in placed:
        if cell.colspan == 1:
            more[first] += max(fonts.estimated_width_em(cell.text) * em_mm + slack - least[first], 0.0)
    return more


def _natural(placed: list[tuple[int, Cell]], ncols: int, size_pt: float) -> list[float]:
    """Each column's width with every body cell on one line."""
    em_mm, slack = g.pt_to_mm(size_pt), cell_slack_mm()
    natural = [slack] * ncols
    for first, cell in placed:
        if cell.colspan == 1:
            natural[first] = max(natural[first], fonts.estimated_width_em(cell.text) * em_mm + slack)
    return natural


def table_size_pt(header: Rows, body: Rows, width_mm: float) -> float:
    """The largest of 小四, 五号, 小五 at which every column's widest word leaves the text block
    room; else 小五 (the renderers choose the same way, measuring their own faces)."""
    placed = _placed((*header, *body))
    ncols = sum(cell.colspan for cell in header[0]) if header else len(body[0])
    for size in g.TABLE_SIZES_PT:
        if sum(_least(placed, ncols, size)) <= width_mm:
            return size
    return g.TABLE_SIZES_PT[-1]


def column_widths(header: Rows, body: Rows, width_mm: float) -> tuple[float, ...]:
    """Column widths in mm filling ``width_mm``: each column's widest word, then the room left to
    the columns whose text wraps, by how much of it wraps, up to one line each; what is left
    after that in proportion to the widths."""
    placed = _placed((*header, *body))
    ncols = sum(cell.colspan for cell in header[0]) if header else len(body[0])
    size = table_size_pt(header, body, width_mm)
    widths = _least(placed, ncols, size)
    in_body = _placed((*header, *body))[sum(len(row) for row in header) :]
    natural = [max(n, w) for n, w in zip(_natural(in_body, ncols, size), widths, strict=True)]
    more = _wrapping(in_body, widths, size)
    room = width_mm - sum(widths)
    while room > 1e-6:
        open_ = [c for c in range(ncols) if more[c] > 0 and widths[c] < natural[c] - 1e-6]
        if not open_:
            break
        total = sum(more[c] for c in open_)
        given = 0.0
        for c in open_:
            share = min(room * more[c] / total, natural[c] - widths[c])
            widths[c] += share
            given += share
        room -= given
    if room > 1e-6:
        total = sum(widths)
        widths = [w + room * w / total for w in widths]
    return tuple(round(w, 2) for w in widths)
