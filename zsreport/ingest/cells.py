"""A spreadsheet file (.xlsx or .csv) → one ``Grid`` of raw cell values per sheet.

Nothing here knows what the tables mean; a file that cannot be read raises ``Unreadable`` with
the problem told to the clerk.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from zsreport.ingest.parse import squash
from zsreport.ingest.problems import Issue

SAVE_AS_XLSX = "点“文件”→“另存为”，保存类型选“Excel 工作簿（*.xlsx）”"
OPEN_AND_SAVE = "请用 Excel 或 WPS 打开该文件，" + SAVE_AS_XLSX
# Beyond these a sheet is not a return but a mistake (a whole column filled down); stop reading.
MAX_ROWS, MAX_COLUMNS = 20_000, 200


@dataclass
class Grid:
    """One sheet as a rectangle of raw values (0-based), with its merged ranges."""

    sheet: str
    rows: list[list[Any]]
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # r1, c1, r2, c2 inclusive
    uncached: dict[tuple[int, int], str] = field(default_factory=dict)  # formula cells with no value

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
    data = path.read_bytes()
    if path.suffix.lower() == ".csv":
        return _read_csv(data)
    return _read_xlsx(data)


def _read_xlsx(data: bytes) -> list[Grid]:
    from openpyxl import load_workbook

    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise _not_a_workbook(data)
    try:
        values = load_workbook(io.BytesIO(data), data_only=True)
        # a second copy with the formulas, to tell a formula without a saved result from a blank
        formulas = load_workbook(io.BytesIO(data), data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged package
        raise Unreadable(
            "文件已损坏，无法读取",
            "能用 Excel 或 WPS 正常打开的 .xlsx 文件",
            "请用 Excel 或 WPS 打开该文件（如提示修复，请选择修复），再重新保存为 .xlsx 文件；"
            "如果打不开，请联系报送单位重新发送。",
        ) from exc
    return [_sheet_grid(ws, formulas[ws.title]) for ws in values.worksheets]


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
    """One worksheet (values) and its twin (formulas) → a Grid."""
    rows: list[list[Any]] = []
    uncached: dict[tuple[int, int], str] = {}
    max_r = min(ws.max_row or 0, MAX_ROWS)
    max_c = min(ws.max_column or 0, MAX_COLUMNS)
    for r, row in enumerate(ws.iter_rows(min_row=1, max_row=max_r, max_col=max_c, values_only=True)):
        rows.append(list(row))
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
    return Grid(ws.title, rows, merged, uncached)


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
            [v if v != "" else None for v in row] for row in csv.reader(io.StringIO(text))
        ]
    except csv.Error as exc:
        raise Unreadable(
            "CSV 文件格式有误，无法读取",
            "用 Excel 或 WPS 保存的 .csv 或 .xlsx 文件",
            OPEN_AND_SAVE + "，保存后再运行一次。",
        ) from exc
    return [Grid("", rows)]
