"""Tables: the cell size, the data tables (表1 …) and the geometry every table shares."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.table import Table as DocxTable
from docx.table import _Cell as DocxCell

from zsreport import gbt9704 as g
from zsreport.fonts import estimated_width_em
from zsreport.linebreak import cell_lines, units
from zsreport.model import Cell, Table, place_cells, rows_held_together
from zsreport.render.docx import xml as x
from zsreport.render.docx.styles import BY_NAME, TABLE_NOTE, TABLE_TEXT, table_style
from zsreport.render.docx.units import FULL_WIDTH_SPACE
from zsreport.render.docx.writer import Writer

WIDTH_ROUNDING_MM = 0.01


def _cell_em(cell: Cell) -> float:
    """Width in ems of a cell's widest word (``linebreak.units``: no line breaks inside one)."""
    return max((estimated_width_em(u) for u in units(cell.text, cell.keep)), default=0.0)


# What a cell takes beyond its text: padding both sides, a rule, the fit slack.
_CELL_SLACK_MM = 2 * g.TABLE_CELL_PADDING_MM + g.pt_to_mm(g.TABLE_RULE_PT) + g.TABLE_FIT_SLACK_MM


def _room_mm(table: Table) -> list[float]:
    """Each column's room for text in mm: its width less the cell slack (a cell spanning columns
    has the slack of one)."""
    total = sum(table.widths) or 1.0
    width_mm = g.LANDSCAPE_TEXT_WIDTH_MM if table.landscape else g.TEXT_WIDTH_MM
    return [width_mm * w / total - _CELL_SLACK_MM for w in table.widths]


def table_size_pt(table: Table) -> float:
    """Cell size: the largest of 小四, 五号, 小五 at which every cell's widest unbreakable unit fits
    its column (the PDF's rule, so both set a table alike); else 小五.

    Estimated from Times New Roman and one em per CJK character, never from installed fonts, so
    the DOCX bytes do not depend on the machine.
    """
    if table.size_pt:
        return table.size_pt
    room = _room_mm(table)
    need = [
        (_cell_em(cell), sum(room[c : c + cell.colspan]) + _CELL_SLACK_MM * (cell.colspan - 1))
        for _, c, cell in place_cells((*table.header, *table.body))
    ]
    for size in g.TABLE_SIZES_PT:
        # compose sizes a column to its widest word exactly (to 0.01 mm): allow its rounding
        if all(em * g.pt_to_mm(size) <= room + WIDTH_ROUNDING_MM for em, room in need):
            return size
    return g.TABLE_SIZES_PT[-1]


def table_geometry(table: DocxTable, widths: list[int], *, align: str) -> None:
    """Fixed layout and explicit grid, so Word, WPS and LibreOffice agree on column widths."""
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    for style in tbl_pr.findall(qn("w:tblStyle")):
        tbl_pr.remove(style)
    x.put(tbl_pr, "w:tblW", w=sum(widths), type="dxa")
    x.put(tbl_pr, "w:jc", val=align)
    x.put(tbl_pr, "w:tblInd", w=0, type="dxa")
    x.put(tbl_pr, "w:tblLayout", type="fixed")
    x.put(
        tbl_pr,
        "w:tblLook",
        val="0000",
        firstRow=0,
        lastRow=0,
        firstColumn=0,
        lastColumn=0,
        noHBand=1,
        noVBand=1,
    )
    for grid_col, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        grid_col.set(qn("w:w"), str(width))
    fix_cell_widths(table, widths)


def fix_cell_widths(table: DocxTable, widths: list[int]) -> None:
    for tr in table._tbl.tr_lst:
        col = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            x.put(tc.get_or_add_tcPr(), "w:tcW", w=sum(widths[col : col + span]), type="dxa")
            col += span


def _data_table_borders(table: DocxTable, compact: bool = False) -> None:
    tbl_pr = table._tbl.tblPr
    borders = x.put(tbl_pr, "w:tblBorders")
    sz = round(g.TABLE_RULE_PT * 8)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        x.put(borders, f"w:{side}", val="single", sz=sz, space=0, color="000000")
    mar = x.put(tbl_pr, "w:tblCellMar")
    pad = g.mm_to_twips(g.TABLE_CELL_PADDING_MM)
    # 1 mm all round, as the PDF; a tightened table (``Table.compact``) closer above and below
    upright = g.mm_to_twips(g.TABLE_CELL_PADDING_COMPACT_MM) if compact else pad
    for side, width in (("top", upright), ("left", pad), ("bottom", upright), ("right", pad)):
        x.put(mar, f"w:{side}", w=width, type="dxa")


def plain_table(doc: DocxDocument, rows: int, cols: int, widths: list[int]) -> DocxTable:
    """Borderless, zero-padding, centred table of fixed column widths (layout, not data)."""
    table = doc.add_table(rows=rows, cols=cols)
    table_geometry(table, widths, align="center")
    tbl_pr = table._tbl.tblPr
    borders = x.put(tbl_pr, "w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        x.put(borders, f"w:{side}", val="nil")
    mar = x.put(tbl_pr, "w:tblCellMar")
    for side in ("top", "left", "bottom", "right"):
        x.put(mar, f"w:{side}", w=0, type="dxa")
    return table


# ── data tables ───────────────────────────────────────────────────────────────────────────


def write_table(w: Writer, table: Table) -> None:
    """表N: caption (黑体, kept with the table), unit note, the table, its 注, half a 行 around."""
    width_mm = g.LANDSCAPE_TEXT_WIDTH_MM if table.landscape else g.TEXT_WIDTH_MM
    caption = w.para("公文表题")
    w.gap(caption, before=True)
    x.set_flag(caption._p.get_or_add_pPr(), "w:keepNext")
    w.run(caption, f"{table.label}{FULL_WIDTH_SPACE}{table.caption}", "hei")
    size = table_size_pt(table)
    if table.unit_note:
        note = w.small_para(TABLE_NOTE, size, align="right")
        x.set_flag(note._p.get_or_add_pPr(), "w:keepNext")
        w.run(note, table.unit_note, size_pt=size)
    _data_table(w, table, width_mm, size)
    last = None
    for i, line in enumerate(table.notes):
        last = w.small_para(TABLE_NOTE, size)
        if i < len(table.notes) - 1:  # the notes stay together
            x.set_flag(last._p.get_or_add_pPr(), "w:keepNext")
        w.flowing(last, [(line, "body")], size_pt=size)
    w.gap(last if last is not None else w.spacer(20), before=False)


def cell_grid(table: DocxTable) -> list[list[DocxCell]]:
    """The cells of a new, unmerged table by row and column, built once.

    ``Table.cell(r, c)`` rebuilds the whole grid on every call (quadratic: minutes for a
    120-unit table, issue 13). The grid stays valid through the merges of ``_data_table``: a
    merge keeps the ``w:tc`` of its top-left cell and only removes cells inside its own span,
    which no later merge or cell of ``place_cells`` refers to.
    """
    cells = table._cells
    ncols = len(table.columns)
    return [cells[i : i + ncols] for i in range(0, len(cells), ncols)]


def _data_table(w: Writer, table: Table, width_mm: float, size_pt: float) -> None:
    rows = (*table.header, *table.body)
    placed = place_cells(rows)
    ncols = len(table.widths)
    total = sum(table.widths)
    widths = [round(g.mm_to_twips(width_mm) * wt / total) for wt in table.widths]
    doc_table = w.doc.add_table(rows=len(rows), cols=ncols)
    table_geometry(doc_table, widths, align="center")
    _data_table_borders(doc_table, table.compact)
    grid = cell_grid(doc_table)
    for r, c, cell in placed:
        if cell.rowspan > 1 or cell.colspan > 1:
            grid[r][c].merge(grid[r + cell.rowspan - 1][c + cell.colspan - 1])
    columns = [width_mm * wt / total for wt in table.widths]
    for r, c, cell in placed:
        # the PDF's lines (``linebreak.cell_lines``), set with explicit breaks: Word, WPS and
        # LibreOffice know no word of Chinese and would leave a character alone on a line
        lines = cell_lines(cell.text, cell.keep, sum(columns[c : c + cell.colspan]), size_pt)
        _table_cell(w, grid[r][c], cell, lines, size_pt, header=r < len(table.header))
    for i, row in enumerate(doc_table.rows):
        tr_pr = row._tr.get_or_add_trPr()
        x.put(tr_pr, "w:cantSplit")
        if i < len(table.header):
            x.put(tr_pr, "w:tblHeader")
    for i in rows_held_together(table.body):  # a cell spans down: the rows stay on one page
        for p in doc_table.rows[len(table.header) + i]._tr.iter(qn("w:p")):
            x.set_flag(p.get_or_add_pPr(), "w:keepNext")
    if table.notes:  # the last row goes over with its 注, never the 注 alone (issue 14, item 4)
        for p in doc_table.rows[-1]._tr.iter(qn("w:p")):
            x.set_flag(p.get_or_add_pPr(), "w:keepNext")
    if len(table.body) >= 3:  # nor the last row alone under the repeated header: two go over
        for p in doc_table.rows[-2]._tr.iter(qn("w:p")):
            x.set_flag(p.get_or_add_pPr(), "w:keepNext")
    fix_cell_widths(doc_table, widths)


def _table_cell(
    w: Writer, doc_cell: DocxCell, cell: Cell, lines: list[str], size_pt: float, *, header: bool
) -> None:
    """Header cells and 合计/全市 rows in 黑体 (the face carries the weight, no added bold)."""
    x.put(doc_cell._tc.get_or_add_tcPr(), "w:vAlign", val="center")
    p = doc_cell.paragraphs[0]
    w.style(p, table_style(TABLE_TEXT, size_pt))  # the size and its 1.5 × lines
    if cell.align != BY_NAME[TABLE_TEXT].align:
        x.set_jc(p._p.get_or_add_pPr(), cell.align)
    role = "hei" if header or cell.bold else "body"
    for i, line in enumerate(lines):
        if i:
            p.runs[-1].add_break()  # a line break (w:br) where the words allow one
        w.flowing(p, [(line, role)], size_pt=size_pt)
