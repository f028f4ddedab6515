"""A spreadsheet file (.xlsx or .csv) → one ``Grid`` of raw cell values per sheet.

Nothing here knows what the tables mean; a file that cannot be read raises ``Unreadable`` with
the problem told to the clerk.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zsreport.ingest import limits
from zsreport.ingest.parse import squash
from zsreport.ingest.problems import Issue

SAVE_AS_XLSX = "点“文件”→“另存为”，保存类型选“Excel 工作簿（*.xlsx）”"
OPEN_AND_SAVE = "请用 Excel 或 WPS 打开该文件，" + SAVE_AS_XLSX
# Beyond these a sheet is not a return but a mistake (a whole column filled down): the file is
# refused with a message, never cut silently. Empty formatted rows past the content do not count.
MAX_ROWS, MAX_COLUMNS = 200_000, 500

# Excel stores characters that XML cannot hold as "_x000B_"; openpyxl hands them over literally.
_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
# Characters that break a line (a pasted Word line break is a vertical tab): a line break.
_LINE_BREAKS = re.compile("\r\n|[\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
# Other control characters cannot be printed nor stored in a document's XML: dropped.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


@dataclass
class Grid:
    """One sheet as a rectangle of raw values (0-based), with its merged ranges."""

    sheet: str
    rows: list[list[Any]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2 inclusive
    uncached: dict[tuple[int, int], str] = field(default_factory=dict)  # formula cells with no value
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)  # every formula cell's text
    hidden: bool = False  # the sheet itself is hidden
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.width = max((len(r) for r in self.rows), default=0)
        self._owner: dict[tuple[int, int], tuple[int, int]] = {}
        for r1, c1, r2, c2 in self.merged:
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    self._owner[(r, c)] = (r1, c1)

    def raw(self, r: int, c: int) -> Any:
        if 0 <= r < len(self.rows) and 0 <= c < len(self.rows[r]):
            return self.rows[r][c]
        return None

    def value(self, r: int, c: int) -> Any:
        """The value shown at (r, c): a merged cell shows its top-left value everywhere."""
        return self.raw(*self._owner.get((r, c), (r, c)))

    def merge_of(self, r: int, c: int) -> tuple[int, int, int, int] | None:
        owner = self._owner.get((r, c))
        if owner is None:
            return None
        for m in self.merged:
            if (m[0], m[1]) == owner:
                return m
        return None

    def text(self, r: int, c: int) -> str:
        v = self.value(r, c)
        return "" if v is None else squash(str(v))


def clean_text(text: str) -> str:
    """A cell's text as Excel shows it and as a document can hold it: Excel's "_x000B_" escapes
    decoded, every kind of line break made "\\n", a tab a space, other control characters dropped
    (untrusted text reaches the documents' XML, which refuses them)."""
    text = _EXCEL_ESCAPE.sub(lambda m: chr(int(m[1], 16)), text)
    text = _LINE_BREAKS.sub("\n", text).replace("\t", " ")
    return _CONTROLS.sub("", text)


def _clean(value: Any) -> Any:
    return clean_text(value) if isinstance(value, str) else value


def cell_ref(r: int, c: int) -> str:
    """0-based row/column → "E7"."""
    letters = ""
    n = c + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{r + 1}"


class Unreadable(Exception):
    """The file cannot be read as a table; ``issue`` says why and how to fix it."""

    def __init__(self, found: str, expected: str, fix: str):
        super().__init__(found)
        self.issue: Issue = (found, expected, fix)


def read_grids(path: Path) -> list[Grid]:
    limits.check_file_size(path.stat().st_size, _beyond_any_return)
    if path.suffix.lower() == ".xls":
        return _read_xls(path)
    data = path.read_bytes()
    if path.suffix.lower() == ".csv":
        return _read_csv(data)
    return _read_xlsx(data)


def _beyond_any_return(found: str) -> Unreadable:
    return Unreadable(
        f"{found}；这不是一份正常的报表（可能是损坏或被人为构造的文件），为免耗尽内存，整个文件未读取",
        "一份正常大小的报表（.xlsx 文件几百 KB 以内，表格几百行、几十列）",
        "请不要使用这个文件：联系报送单位，用 Excel 或 WPS 打开原表，删除表格下方和右侧多余的行和列，"
        "只保留报表内容，另存为 .xlsx 后重新发送。",
    )


def _read_xls(path: Path) -> list[Grid]:
    """An old .xls (WPS/Excel 兼容模式), read through xlrd; it keeps values only, so the sheet is its
    own formula twin."""
    from zsreport.ingest.xls import XlsUnreadable, xls_workbook

    try:
        wb = xls_workbook(path)
    except XlsUnreadable as exc:
        raise xls_unreadable() from exc
    return [_sheet_grid(ws, ws) for ws in wb.worksheets]


def xls_unreadable() -> Unreadable:
    return Unreadable(
        "旧版 Excel 文件（.xls 格式）已损坏，或内容不是真正的 .xls 表格（如网页、文本改了扩展名），无法读取",
        "能用 Excel 或 WPS 正常打开的 .xls 或 .xlsx 文件",
        OPEN_AND_SAVE + "，保存后再运行一次；如果打不开，请联系报送单位重新发送。",
    )


def _read_xlsx(data: bytes) -> list[Grid]:
    from openpyxl import load_workbook

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise _not_a_workbook(data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            limits.check_package(package, _beyond_any_return)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError) as exc:
        raise _damaged() from exc
    try:
        values = load_workbook(io.BytesIO(data), data_only=True)
        # a second copy with the formulas, to tell a formula without a saved result from a blank
        formulas = load_workbook(io.BytesIO(data), data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged package
        raise _damaged() from exc
    return [_sheet_grid(ws, formulas[ws.title]) for ws in values.worksheets]


def _damaged() -> Unreadable:
    return Unreadable(
        "文件已损坏，无法读取",
        "能用 Excel 或 WPS 正常打开的 .xlsx 文件",
        "请用 Excel 或 WPS 打开该文件（如提示修复，请选择修复），再重新保存为 .xlsx 文件；"
        "如果打不开，请联系报送单位重新发送。",
    )


def _not_a_workbook(data: bytes) -> Unreadable:
    if data[:8].startswith(b"\xd0\xcf\x11\xe0"):  # the OLE signature of an old .xls
        return Unreadable(
            "文件扩展名是 .xlsx，但内容是旧版 Excel 文件（.xls 格式）",
            ".xlsx 格式的 Excel 文件",
            OPEN_AND_SAVE + "，保存后再运行一次。不要只修改文件扩展名。",
        )
    return Unreadable(
        "不是 Excel 文件：扩展名是 .xlsx，但内容不是 Excel 表格（可能是把其他文件直接改了扩展名）",
        "用 Excel 或 WPS 保存的 .xlsx 文件",
        "请找到原始表格，用 Excel 或 WPS 打开后" + SAVE_AS_XLSX + "。不要只修改文件扩展名。",
    )


def _sheet_grid(ws: Any, fws: Any) -> Grid:
    """One worksheet (values) and its twin (formulas) → a Grid of every row and column with content."""
    max_r, max_c = _content_extent(ws, fws)
    rows: list[list[Any]] = []
    uncached: dict[tuple[int, int], str] = {}
    sheet_rows = ws.iter_rows(min_row=1, max_row=max_r, max_col=max_c, values_only=True) if max_r else ()
    for r, row in enumerate(sheet_rows):
        rows.append([_clean(v) for v in row])
        for c, v in enumerate(row):
            if v is None:
                fv = fws.cell(r + 1, c + 1)
                if fv.data_type == "f":
                    text = fv.value if isinstance(fv.value, str) else getattr(fv.value, "text", "")
                    uncached[(r, c)] = str(text)
    merged = [
        (m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1)
        for m in ws.merged_cells.ranges
        if m.min_row <= max_r
    ]
    grid = Grid(ws.title, rows, merged, uncached, hidden=ws.sheet_state != "visible")
    grid.formulas = {
        (r - 1, c - 1): _formula_text(cell.value)
        for (r, c), cell in fws._cells.items()
        if cell.data_type == "f" and r <= max_r and c <= max_c
    }
    grid.hidden_rows = {r - 1 for r, dim in ws.row_dimensions.items() if dim.hidden and r <= max_r}
    for dim in ws.column_dimensions.values():
        if dim.hidden and dim.min:
            grid.hidden_columns |= set(range(dim.min - 1, min(dim.max or dim.min, max_c)))
    return grid


def _formula_text(value: Any) -> str:
    """A formula cell's text (an array formula keeps it in ``.text``)."""
    return str(value if isinstance(value, str) else getattr(value, "text", ""))


def _content_extent(ws: Any, fws: Any) -> tuple[int, int]:
    """The last row and column holding a value or a formula (1-based). Formatting alone can make
    ``max_row`` a million; what lies beyond the content is not read. A sheet whose content runs
    past ``MAX_ROWS``/``MAX_COLUMNS`` is refused: nothing is ever cut off silently."""
    # openpyxl keeps only the cells that exist in ``_cells``; walking it avoids creating a million
    # empty ones just to find out they are empty.
    cells = [key for key, cell in fws._cells.items() if cell.value is not None]
    max_r = max((r for r, _ in cells), default=0)
    max_c = max((c for _, c in cells), default=0)
    if max_r > MAX_ROWS or max_c > MAX_COLUMNS:
        raise _too_big(ws.title, max_r, max_c)
    return max_r, max_c


def _too_big(sheet: str, rows: int, columns: int) -> Unreadable:
    where = f"工作表“{sheet}”" if sheet else "表格"
    return Unreadable(
        f"{where}的内容有 {rows} 行、{columns} 列，超出程序能读取的范围（最多 {MAX_ROWS} 行、"
        f"{MAX_COLUMNS} 列）；为免漏读，整个文件未读取",
        f"不超过 {MAX_ROWS} 行、{MAX_COLUMNS} 列的表格",
        "请检查表格下方或右侧是否有误填的内容（如整列向下填充、误粘贴的数据），删除这些多余的行和列"
        "后保存，再运行一次；如果数据确实这么多，请分成几个文件报送。",
    )


def _read_csv(data: bytes) -> list[Grid]:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise Unreadable(
            "CSV 文件的文字编码无法识别（打开后中文可能是乱码）",
            "能正常显示中文的 CSV 文件，或 .xlsx 文件",
            "请找到原始表格，用 Excel 或 WPS 打开后" + SAVE_AS_XLSX + "（推荐）；"
            "也可以另存为“CSV UTF-8（逗号分隔）”格式。",
        )
    if "\x00" in text:
        raise Unreadable(
            "文件扩展名是 .csv，但内容不是文字表格（可能是把其他文件直接改了扩展名）",
            "用 Excel 或 WPS 保存的 .csv 或 .xlsx 文件",
            "请找到原始表格，用 Excel 或 WPS 打开后" + SAVE_AS_XLSX + "。不要只修改文件扩展名。",
        )
    try:
        rows: list[list[Any]] = [
            [clean_text(v) if v != "" else None for v in row] for row in csv.reader(io.StringIO(text))
        ]
    except csv.Error as exc:
        raise Unreadable(
            "CSV 文件格式有误，无法读取",
            "用 Excel 或 WPS 保存的 .csv 或 .xlsx 文件",
            OPEN_AND_SAVE + "，保存后再运行一次。",
        ) from exc
    width = max((len(r) for r in rows), default=0)
    if len(rows) > MAX_ROWS or width > MAX_COLUMNS:
        raise _too_big("", len(rows), width)
    return [Grid("", rows)]
