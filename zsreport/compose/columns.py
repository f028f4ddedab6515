"""Table columns sized from their content, once, for both renderers (issue 14, item 5).

A column is at least as wide as its longest word, a word being what no line may break inside
(``Cell.keep``: a unit or chain name, a status pair, a unit of measure, a header word; else a 字
or a number). What the text block has left goes where it makes the table shortest (issue 24):
a column of long sentences (存在问题) gets the width its text can use, so that its rows do not grow
five lines tall beside a one-line name. Widths are estimated from character classes (``fonts.estimated_width_em``),
so the DOCX made from them does not depend on the fonts installed.
"""

from __future__ import annotations

from zsreport import fonts
from zsreport import gbt9704 as g
from zsreport.linebreak import cell_lines, cell_room_mm, units
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


def table_size_pt(header: Rows, body: Rows, width_mm: float) -> float:
    """The largest of 小四, 五号, 小五 at which every column's widest word leaves the text block
    room; else 小五 (the renderers choose the same way, measuring their own faces)."""
    placed = _placed((*header, *body))
    ncols = sum(cell.colspan for cell in header[0]) if header else len(body[0])
    for size in g.TABLE_SIZES_PT:
        if sum(_least(placed, ncols, size)) <= width_mm:
            return size
    return g.TABLE_SIZES_PT[-1]


def column_widths(header: Rows, body: Rows, width_mm: float, size_pt: float = 0.0) -> tuple[float, ...]:
    """Column widths in mm filling ``width_mm`` at ``size_pt`` (else ``table_size_pt``): each
    column its widest word, then the room left, a half 字 at a time, to the column where it
    shortens the table most (``_Heights``): a 存在问题 column of long sentences gets the width its
    text can use, not a share by how many cells wrap. What is left when every cell is on one
    line goes to the columns in proportion to their widths."""
    placed = _placed((*header, *body))
    ncols = sum(cell.colspan for cell in header[0]) if header else len(body[0])
    size = size_pt or table_size_pt(header, body, width_mm)
    least = _least(placed, ncols, size)
    widths = list(least)
    heights = _Heights(place_cells((*header, *body)), ncols, size)
    step = g.TABLE_WIDTH_STEP_EM * g.pt_to_mm(size)
    room = width_mm - sum(widths)
    while room >= step:
        now = heights.cost(widths)
        gains = [now - heights.cost(_widened(widths, c, step)) for c in range(ncols)]
        best = max(range(ncols), key=lambda c: gains[c])
        if gains[best] <= 1e-9:
            break
        widths[best] += step
        room -= step
    widths = _traded(widths, least, heights, step)
    if room > 1e-6:
        total = sum(widths)
        widths = [w + room * w / total for w in widths]
    return tuple(round(w, 2) for w in widths)


def _traded(widths: list[float], least: list[float], heights: _Heights, step: float) -> list[float]:
    """The widths after moving a half 字 from one column to another while that saves lines (the
    lines only: a trade that only narrows a text's spread moves columns for nothing): what a column was given early (a leader's title on one line) goes back where it saves
    more (a sentence of 存在问题 a line shorter)."""
    ncols = len(widths)
    for _ in range(g.TABLE_WIDTH_TRADES):
        now = heights.cost(widths, spread_too=False)
        best, move = 1e-9, None
        for give in range(ncols):
            if widths[give] - step < least[give] - 1e-6:
                continue
            for take in range(ncols):
                if take != give:
                    trial = _widened(_widened(widths, give, -step), take, step)
                    gain = now - heights.cost(trial, spread_too=False)
                    if gain > best:
                        best, move = gain, trial
        if move is None:
            break
        widths = move
    return widths


def _widened(widths: list[float], column: int, step: float) -> list[float]:
    return [w + step if c == column else w for c, w in enumerate(widths)]


class _Heights:
    """A table's height for given column widths, in lines: each row as tall as its tallest cell
    (``linebreak.cell_lines``, as the renderers set it), plus each row's tallest cell's text
    over its width (so that widening a column counts before it saves a whole line)."""

    def __init__(self, placed: list[tuple[int, int, Cell]], ncols: int, size_pt: float) -> None:
        self.size_pt = size_pt
        self.nrows = max((r + 1 for r, _, _ in placed), default=0)
        self.cells: list[list[tuple[int, Cell]]] = [[] for _ in range(ncols)]
        for r, c, cell in placed:
            if cell.colspan == 1 and cell.rowspan == 1:
                self.cells[c].append((r, cell))
        self._cache: dict[tuple[int, float], list[tuple[int, float, int]]] = {}

    def _column(self, c: int, width_mm: float) -> list[tuple[int, float, int]]:
        """(row, text over room, lines) of each cell of column ``c`` at ``width_mm``."""
        key = (c, round(width_mm, 4))
        if key not in self._cache:
            room_em = cell_room_mm(width_mm) / g.pt_to_mm(self.size_pt)
            self._cache[key] = [
                (
                    r,
                    fonts.estimated_width_em(cell.text) / max(room_em, 1e-6),
                    len(cell_lines(cell.text, cell.keep, width_mm, self.size_pt)),
                )
                for r, cell in self.cells[c]
            ]
        return self._cache[key]

    def cost(self, widths: list[float], spread_too: bool = True) -> float:
        """The height in lines, cubed by row; with ``spread_too`` the text over its width also."""
        lines = [1] * self.nrows
        spread = [1.0] * self.nrows
        for c, width in enumerate(widths):
            for r, over, count in self._column(c, width):
                lines[r] = max(lines[r], count)
                spread[r] = max(spread[r], over)
        # cubed: a row five lines tall costs more than many rows of two, as it looks (a narrow
        # column of sentences beside one-line cells), so the long texts get the width
        return g.TABLE_LINE_WEIGHT * sum(n**3 for n in lines) + (
            sum(x**3 for x in spread) if spread_too else 0
        )
