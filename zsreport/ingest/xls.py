"""An old Excel file (.xls: what WPS and Excel write in 兼容模式) read with xlrd into an openpyxl
``Workbook`` of plain values, so that the readers of .xlsx files (``cells``, ``collect``) read it
the same way: sheet states, merged ranges, hidden rows and columns kept; dates as dates.

An .xls keeps no formulas apart from their results, and xlrd gives only the results: a formula
whose result was never saved cannot be told from a blank here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

_STATES = {0: "visible", 1: "hidden", 2: "veryHidden"}


class XlsUnreadable(Exception):
    """xlrd could not read the file (damaged, or not an .xls inside: HTML or text saved as .xls)."""


def xls_workbook(path: Path) -> Any:
    """The .xls at ``path`` as an openpyxl ``Workbook`` holding its values."""
    import xlrd
    from openpyxl import Workbook

    try:
        book = xlrd.open_workbook(str(path), formatting_info=True)
    except Exception as exc:  # xlrd raises several kinds (XLRDError, CompDocError, struct.error)
        raise XlsUnreadable(str(exc)) from exc
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in book.sheets():
        ws = wb.create_sheet(sheet.name)
        ws.sheet_state = _STATES.get(sheet.visibility, "visible")
        for r in range(sheet.nrows):
            for c in range(sheet.ncols):
                value = _value(sheet.cell(r, c), book.datemode)
                if value is not None:
                    ws.cell(r + 1, c + 1, value)
        for r1, r2, c1, c2 in sheet.merged_cells:  # half-open ranges
            ws.merge_cells(start_row=r1 + 1, end_row=r2, start_column=c1 + 1, end_column=c2)
        for r, info in sheet.rowinfo_map.items():
            if info.hidden:
                ws.row_dimensions[r + 1].hidden = True
        for c, info in sheet.colinfo_map.items():
            if info.hidden:
                ws.column_dimensions[_letter(c)].hidden = True
    return wb


def _value(cell: Any, datemode: int) -> Any:
    import xlrd

    kind, value = cell.ctype, cell.value
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None
    if kind == xlrd.XL_CELL_DATE:
        return xlrd.xldate_as_datetime(value, datemode)
    if kind == xlrd.XL_CELL_NUMBER:
        return int(value) if float(value).is_integer() else value  # as openpyxl reads an .xlsx
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(value)
    if kind == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(value, "#N/A")
    return value


def _letter(c: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(c + 1)
