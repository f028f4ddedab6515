"""Table sizing and cell text for the PDF: the cell size at which every word fits its column, and
the words (``Cell.keep``) set so that no line breaks inside them."""

from __future__ import annotations

from markupsafe import Markup

from zsreport import fonts
from zsreport import gbt9704 as g
from zsreport.linebreak import cell_lines, units
from zsreport.model import Cell, Table, place_cells
from zsreport.render.pdf.justify import set_text
from zsreport.render.pdf.units import css_pt


def table_text_width_mm(table: Table) -> float:
    """Width of the text block a table is set in: the landscape 版心 for 横排 tables."""
    return g.LANDSCAPE_TEXT_WIDTH_MM if table.landscape else g.TEXT_WIDTH_MM


def table_font_size(table: Table) -> float:
    """The size compose chose (``Table.size_pt``), else the largest of ``TABLE_SIZES_PT`` at which every word of every cell (``linebreak.units``:
    never broken inside) fits its column (``Table.widths`` scaled to the text block, less padding
    and rule); else the smallest."""
    if table.size_pt:
        return table.size_pt
    total = sum(table.widths) or 1.0
    columns = [table_text_width_mm(table) * w / total for w in table.widths]
    slack = 2 * g.TABLE_CELL_PADDING_MM + g.pt_to_mm(g.TABLE_RULE_PT)
    need: list[tuple[float, float]] = []  # (width in ems, room in mm)
    for rows, head in ((table.header, True), (table.body, False)):
        for _, first, cell in place_cells(rows):
            room = sum(columns[first : first + cell.colspan]) - slack
            role = "hei" if head or cell.bold else "body"
            words = units(cell.text, cell.keep) or [""]
            need.append((max(fonts.text_width_em(u, role) for u in words), room))
    for size in g.TABLE_SIZES_PT:
        if all(em * g.pt_to_mm(size) <= room for em, room in need):
            return size
    return g.TABLE_SIZES_PT[-1]


def table_style(table: Table) -> str:
    size = table_font_size(table)
    return f"font-size: {css_pt(size)}; line-height: {css_pt(size * g.TABLE_LINE_PITCH_EM)}"


def table_classes(table: Table) -> str:
    """The table block's classes: ``landscape`` (a 横排 page), ``compact`` (rows set closer)."""
    return "".join(
        f" {name}" for name, on in (("landscape", table.landscape), ("compact", table.compact)) if on
    )


def column_mm(table: Table) -> list[float]:
    """Each column's width in mm: ``Table.widths`` scaled to the text block."""
    total = sum(table.widths) or 1.0
    return [table_text_width_mm(table) * w / total for w in table.widths]


def cell_texts(table: Table) -> list[list[Markup]]:
    """Every cell's text by row (header rows first) and cell, set on its lines
    (``linebreak.cell_lines``: the DOCX's lines, never a character alone on one)."""
    columns, size = column_mm(table), table_font_size(table)
    rows = (*table.header, *table.body)
    texts: list[list[Markup]] = [[] for _ in rows]
    for r, first, cell in place_cells(rows):
        width = sum(columns[first : first + cell.colspan])
        texts[r].append(cell_text(cell, cell_lines(cell.text, cell.keep, width, size)))
    return texts


def cell_text(cell: Cell, lines: list[str]) -> Markup:
    """A cell's lines, each a block that does not wrap (``.line``), with each kept word of two or
    more characters in a ``nowrap`` span: a line may break between words, never inside one."""
    return Markup("").join(Markup('<span class="line">{}</span>').format(_line(cell, line)) for line in lines)


def _line(cell: Cell, line: str) -> Markup:
    if not cell.keep:
        return set_text(line)
    return Markup("").join(
        Markup('<span class="word">{}</span>').format(set_text(word)) if len(word) > 1 else set_text(word)
        for word in units(line, cell.keep)
    )
