"""Excel/CSV → ``Dataset``: read the units' returns as they really send them.

Files are found by their *content* inside ``data/<year>/`` (the plan) and
``data/<year>/<year>Q<q>/`` (季度完成情况 and 项目库), in ``.xlsx`` or ``.csv``. In each file the
sheet and the header row are found by the header's words (registry ``headers``), never by fixed
cell addresses: title rows above the header, merged multi-row headers with "其中", units and line
breaks inside header cells, full- or half-width brackets, a 全市 row anywhere, notes rows at the
bottom ("备注：…", "填报人：…") are all fine.

Every problem is located by file, sheet and cell. All of them are collected in one run: errors
raise ``InputError`` (carrying the full list), warnings end up in ``Dataset.warnings``.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import math
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from zsreport.atomic import atomic_path
from zsreport.dataset import (
    INFO_COUNT,
    LEDGER_COLUMNS,
    PREV_SUFFIX,
    Actuals,
    Dataset,
    Ledger,
    Plan,
    Problem,
    Registry,
    SourceFile,
)
from zsreport.validate import (
    ERROR,
    WARNING,
    Problems,
    closest,
    format_problems,
    is_blank,
    parse_bool,
    parse_date,
    parse_number,
    shown,
    squash,
)

__all__ = [
    "InputError",
    "available_quarters",
    "count_projects",
    "format_problems",
    "load_dataset",
    "write_templates",
]

PLAN, ACTUALS, LEDGER = "plan", "actuals", "ledger"
KIND_CN = {PLAN: "年度招商计划表", ACTUALS: "季度完成情况", LEDGER: "项目库"}
DATA_SUFFIXES = (".xlsx", ".xlsm", ".csv")

# Header words of the unit column and of the city row.
UNIT_HEADER_WORDS = ("单位", "单位名称", "县市区", "县(市、区)", "县市区名称", "地区", "所属单位", "区县")
CITY_ALIASES = ("全市", "合计", "全市合计", "总计", "全市总计", "邵阳市", "全市汇总")
# Rows at the bottom that are notes, not data.
NOTE_PREFIXES = (
    "备注",
    "注:",
    "注1",
    "说明",
    "填报人",
    "填表人",
    "审核人",
    "负责人",
    "联系人",
    "联系电话",
    "填报单位",
    "填报日期",
    "制表",
    "单位负责人",
    "数据来源",
    "资料来源",
)
# Columns of a unit table that hold derived figures, not inputs.
DERIVED_WORDS = (
    "完成率",
    "增长",
    "同比",
    "增幅",
    "%",
    "排名",
    "序时",
    "进度",
    "比例",
    "占比",
    "备注",
    "序号",
)
PREV_WORDS = ("上年同期", "去年同期", "2019年同期", "上年")
INFO_WORDS = ("信息",)
# Limits beyond which a figure is a typo (wrong unit or decimal point).
LIMITS = {"亿元": 10_000.0, "万美元": 10_000_000.0, "个": 10_000.0}

# Ledger columns: (field, header words), most specific first (each column takes the first match).
LEDGER_FIELDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("name", ("项目名称",)),
    ("big_manufacturing", ("5亿元以上", "五亿元以上")),
    ("top500", ("500强",)),
    ("hightech", ("高新技术",)),
    ("key_project", ("重点项目",)),
    ("leader", ("联系领导", "市级领导")),
    ("lead_dept", ("牵头部门", "牵头单位", "责任单位")),
    ("problem_kind", ("问题类型", "问题类别", "问题分类")),
    ("problem", ("存在问题", "存在的问题", "困难问题", "问题")),
    ("next_step", ("下步措施", "下一步", "措施")),
    ("sign_date", ("签约日期", "签约时间")),
    ("start_date", ("开工日期", "开工时间")),
    ("production_date", ("投产日期", "投产时间")),
    ("provincial_funds", ("省外境内资金", "省外资金")),
    ("foreign_capital", ("外资",)),
    ("investment", ("计划总投资", "总投资", "投资额", "投资")),
    ("status", ("项目状态", "状态", "进展阶段")),
    ("chain", ("产业链", "所属产业")),
    ("unit", ("所属单位", "县市区", "单位")),
)
LEDGER_REQUIRED = (
    "name",
    "unit",
    "chain",
    "investment",
    "status",
    "hightech",
    "top500",
    "big_manufacturing",
)
LEDGER_CN = {
    "name": "项目名称",
    "unit": "所属单位",
    "chain": "产业链",
    "investment": "计划总投资(亿元)",
    "provincial_funds": "其中省外境内资金(亿元)",
    "foreign_capital": "外资(万美元)",
    "status": "项目状态",
    "sign_date": "签约日期",
    "start_date": "开工日期",
    "production_date": "投产日期",
    "hightech": "高新技术企业",
    "top500": "三类500强",
    "big_manufacturing": "5亿元以上制造业",
    "key_project": "重点项目",
    "leader": "市级联系领导",
    "lead_dept": "牵头部门",
    "problem_kind": "问题类型",
    "problem": "存在问题",
    "next_step": "下步措施",
}
STATUS_ALIASES = {
    "在谈": "洽谈",
    "洽谈中": "洽谈",
    "意向": "洽谈",
    "已签约": "签约",
    "已开工": "开工",
    "在建": "开工",
}
STATUS_ALIASES |= {"已投产": "投产", "竣工投产": "投产"}
TOL = 0.01


class InputError(Exception):
    """The inputs cannot be used: ``problems`` lists every error (and the warnings) found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        n = sum(p.severity == ERROR for p in self.problems)
        super().__init__(f"{n} problem(s) in the input files:\n" + format_problems(self.problems))


# ---------------------------------------------------------------------------------------------
# Reading a file into grids
# ---------------------------------------------------------------------------------------------
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


class _Unreadable(Exception):
    def __init__(self, found: str, expected: str, fix: str):
        super().__init__(found)
        self.issue = (found, expected, fix)


def _read_xlsx(data: bytes) -> list[Grid]:
    from openpyxl import load_workbook

    if not zipfile.is_zipfile(io.BytesIO(data)):
        head = data[:8]
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            raise _Unreadable(
                "an old-format .xls workbook",
                "an .xlsx workbook",
                "open it in Excel/WPS and 另存为 .xlsx (Excel 工作簿)",
            )
        raise _Unreadable(
            "not an Excel workbook (the file is not an .xlsx zip package)",
            "an .xlsx workbook",
            "open the file in Excel/WPS and save it as .xlsx; do not just rename a file to .xlsx",
        )
    try:
        values = load_workbook(io.BytesIO(data), data_only=True)
        formulas = load_workbook(io.BytesIO(data), data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged package
        raise _Unreadable(
            f"a damaged .xlsx ({type(exc).__name__})",
            "an .xlsx workbook Excel can open",
            "open the file in Excel/WPS, repair it if asked, and save it again as .xlsx",
        ) from exc
    grids = []
    for ws in values.worksheets:
        fws = formulas[ws.title]
        rows: list[list[Any]] = []
        uncached: dict[tuple[int, int], str] = {}
        max_r = min(ws.max_row or 0, 20_000)
        max_c = min(ws.max_column or 0, 200)
        for r, row in enumerate(ws.iter_rows(min_row=1, max_row=max_r, max_col=max_c, values_only=True)):
            rows.append(list(row))
            for c, v in enumerate(row):
                if v is None:
                    fv = fws.cell(r + 1, c + 1)
                    if fv.data_type == "f":
                        text = fv.value if isinstance(fv.value, str) else getattr(fv.value, "text", "=…")
                        uncached[(r, c)] = str(text)
        merged = [
            (m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1)
            for m in ws.merged_cells.ranges
            if m.min_row <= max_r
        ]
        grids.append(Grid(ws.title, rows, merged, uncached))
    return grids


def _read_csv(data: bytes) -> list[Grid]:
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _Unreadable(
            "a CSV file in an unknown text encoding",
            "CSV in UTF-8 or GBK",
            "save it from Excel/WPS as CSV (UTF-8) or as .xlsx",
        )
    if "\x00" in text:
        raise _Unreadable("binary data in a .csv file", "a CSV text file", "save it as CSV or .xlsx")
    try:
        rows: list[list[Any]] = [
            [v if v != "" else None for v in row] for row in csv.reader(io.StringIO(text))
        ]
    except csv.Error as exc:
        raise _Unreadable(f"a malformed CSV ({exc})", "a CSV file", "save it again from Excel/WPS") from exc
    return [Grid("", rows)]


def read_grids(path: Path) -> list[Grid]:
    data = path.read_bytes()
    if path.suffix.lower() == ".csv":
        return _read_csv(data)
    return _read_xlsx(data)


# ---------------------------------------------------------------------------------------------
# Finding the header
# ---------------------------------------------------------------------------------------------
@dataclass
class Header:
    kind: str  # PLAN | ACTUALS | LEDGER
    row: int  # first header row
    depth: int
    columns: dict[str, int]  # field → column
    header_cells: dict[str, str]  # field → header cell ref
    anchor_col: int  # the unit column (tables) or name column (ledger)
    title: str  # text above the header
    problems: list[tuple[str, tuple[str, str, str]]] = field(default_factory=list)  # cell, issue
    texts: dict[int, str] = field(default_factory=dict)


def _strip_brackets(text: str) -> str:
    return re.sub(r"[(\[【][^)\]】]*[)\]】]", "", text)


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _header_texts(grid: Grid, r0: int, depth: int) -> tuple[dict[int, str], dict[int, str]]:
    """Combined text of each column over the header rows, and the cell that names the column."""
    rows = range(r0, r0 + depth)
    own: dict[tuple[int, int], str] = {}
    for r in rows:
        for c in range(grid.width):
            own[(r, c)] = grid.text(r, c)
    # a group name written once above several columns without merging: carry it to the right
    for r in rows[:-1]:
        for c in range(1, grid.width):
            below = any(own[(rr, c)] for rr in range(r + 1, r0 + depth))
            left_below = any(own[(rr, c - 1)] for rr in range(r + 1, r0 + depth))
            if (
                not own[(r, c)]
                and grid.merge_of(r, c) is None
                and own[(r, c - 1)]
                and grid.merge_of(r, c - 1) is None
                and below
                and left_below
            ):
                own[(r, c)] = own[(r, c - 1)]
    texts: dict[int, str] = {}
    cells: dict[int, str] = {}
    for c in range(grid.width):
        parts: list[str] = []
        ref = ""
        for r in rows:
            t = own[(r, c)]
            if t and (not parts or parts[-1] != t):
                parts.append(t)
            if is_blank(grid.raw(r, c)) is False:
                ref = cell_ref(r, c)
        texts[c] = "|".join(parts)
        cells[c] = ref or cell_ref(r0, c)
    return texts, cells


def _depth(grid: Grid, r0: int, anchor: int) -> int:
    m = grid.merge_of(r0, anchor)
    if m is not None and m[2] > r0:
        return min(m[2] - r0 + 1, 5)
    depth = 1
    while depth < 4 and r0 + depth < len(grid.rows):
        r = r0 + depth
        cells = [grid.raw(r, c) for c in range(grid.width)]
        texts = [grid.text(r, c) for c in range(grid.width)]
        if texts[anchor] if anchor < len(texts) else False:
            break
        if not any(texts) or any(_is_number(v) for v in cells):
            break
        if any(isinstance(v, dt.date | dt.datetime) for v in cells):
            break
        depth += 1
    return depth


def _match_indicator(text: str, registry: Registry):
    best, best_len = None, 0
    for ind in registry.indicators:
        for word in ind.headers:
            w = squash(word)
            if w in text and len(w) > best_len:
                best, best_len = ind, len(w)
    return best


MONEY_UNITS = ("亿元", "万元", "万美元", "亿美元", "美元", "元")


def _units_in(text: str) -> list[str]:
    found = []
    for inner in re.findall(r"[(\[【]([^)\]】]*)[)\]】]", text):
        for u in MONEY_UNITS:
            if inner == u:
                found.append(u)
    return found


def _table_header(grid: Grid, r0: int, anchor: int, registry: Registry) -> Header | None:
    depth = _depth(grid, r0, anchor)
    texts, cells = _header_texts(grid, r0, depth)
    columns: dict[str, int] = {}
    header_cells: dict[str, str] = {}
    problems: list[tuple[str, tuple[str, str, str]]] = []
    for c, t in texts.items():
        if c == anchor or not t:
            continue
        if any(w in t for w in DERIVED_WORDS):
            continue
        plain = _strip_brackets(t)
        ind = _match_indicator(plain, registry)
        prev = any(w in plain for w in PREV_WORDS)
        if ind is not None:
            if prev and not ind.money:
                continue
            key = ind.key + (PREV_SUFFIX if prev else "")
            units = _units_in(t)
            if ind.unit in MONEY_UNITS and units and ind.unit not in units:
                problems.append(
                    (
                        cells[c],
                        (
                            f"{t.replace('|', ' ')} (in {units[-1]})",
                            f"{ind.label} in {ind.unit}",
                            f"convert the column to {ind.unit} and write ({ind.unit}) in its header",
                        ),
                    )
                )
        elif any(w in plain for w in INFO_WORDS):
            key = INFO_COUNT
        else:
            continue
        if key in columns:
            problems.append(
                (
                    cells[c],
                    (
                        f"a second column for {t.replace('|', ' ')} (first at {header_cells[key]})",
                        "each figure in one column",
                        "delete or rename the duplicate column",
                    ),
                )
            )
            continue
        columns[key] = c
        header_cells[key] = cells[c]
    if not any(k in columns for k in (i.key for i in registry.indicators)):
        return None
    title = " ".join(grid.text(r, c) for r in range(r0) for c in range(grid.width) if grid.text(r, c))
    actual_cols = any(k.endswith(PREV_SUFFIX) or k == INFO_COUNT for k in columns)
    kind = ACTUALS if actual_cols or ("完成" in title and "计划" not in title) else PLAN
    return Header(kind, r0, depth, columns, header_cells, anchor, title, problems, texts)


def _ledger_header(grid: Grid, r0: int, anchor: int) -> Header:
    depth = _depth(grid, r0, anchor)
    texts, cells = _header_texts(grid, r0, depth)
    columns: dict[str, int] = {}
    header_cells: dict[str, str] = {}
    problems: list[tuple[str, tuple[str, str, str]]] = []
    for c, t in texts.items():
        if not t:
            continue
        plain = _strip_brackets(t)
        for key, words in LEDGER_FIELDS:
            if any(squash(w) in plain for w in words):
                if key in columns:
                    problems.append(
                        (
                            cells[c],
                            (
                                f"a second {LEDGER_CN[key]} column (first at {header_cells[key]})",
                                "each item in one column",
                                "delete or rename the duplicate column",
                            ),
                        )
                    )
                else:
                    columns[key] = c
                    header_cells[key] = cells[c]
                break
    title = " ".join(grid.text(r, c) for r in range(r0) for c in range(grid.width) if grid.text(r, c))
    return Header(LEDGER, r0, depth, columns, header_cells, anchor, title, problems, texts)


def find_header(grid: Grid, registry: Registry) -> Header | None:
    unit_words = {squash(w) for w in UNIT_HEADER_WORDS}
    for r in range(min(len(grid.rows), 40)):
        texts = [grid.text(r, c) for c in range(grid.width)]
        for c, t in enumerate(texts):
            if "项目名称" in t:
                return _ledger_header(grid, r, c)
        for c, t in enumerate(texts):
            if _strip_brackets(t) in unit_words or t in unit_words:
                header = _table_header(grid, r, c, registry)
                if header is not None:
                    return header
    return None


# ---------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------
@dataclass
class Found:
    """A data file with its recognised sheet and header."""

    path: Path
    display: str
    quarter: int | None  # None: the year folder
    grid: Grid
    header: Header
    source: SourceFile


def _display(path: Path, data_dir: Path) -> str:
    try:
        return str(path.relative_to(data_dir.parent))
    except ValueError:
        return str(path)


_QDIR = re.compile(r"^(\d{4})\s*[Qq]([1-4])$")


def available_quarters(data_dir: Path) -> list[tuple[int, int]]:
    """(year, quarter) of every ``data/<year>/<year>Q<q>/`` folder that holds a data file, sorted."""
    out: set[tuple[int, int]] = set()
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        return []
    for year_dir in data_dir.iterdir():
        if not (year_dir.is_dir() and re.fullmatch(r"\d{4}", year_dir.name)):
            continue
        for qdir in year_dir.iterdir():
            m = _QDIR.match(qdir.name)
            if (
                qdir.is_dir()
                and m
                and int(m[1]) == int(year_dir.name)
                and any(_is_data_file(f) for f in qdir.iterdir())
            ):
                out.add((int(m[1]), int(m[2])))
    return sorted(out)


def _is_data_file(path: Path) -> bool:
    name = path.name
    return (
        path.is_file()
        and path.suffix.lower() in (*DATA_SUFFIXES, ".xls")
        and not name.startswith(("~$", ".", ".~"))
    )


def _scan(
    folder: Path,
    quarter: int | None,
    data_dir: Path,
    registry: Registry,
    problems: Problems,
    failed: set[int | None] | None = None,
) -> list[Found]:
    """The recognised data files of a folder; ``failed`` collects the quarters (None: the year
    folder) where a data file could not be read or recognised."""
    found: list[Found] = []
    failed = set() if failed is None else failed
    for path in sorted(folder.iterdir()):
        if not _is_data_file(path):
            continue
        display = _display(path, data_dir)
        if path.suffix.lower() == ".xls":
            problems.add(
                ERROR,
                display,
                "",
                "",
                "an old-format .xls workbook",
                "an .xlsx or .csv file",
                "open it in Excel/WPS and 另存为 .xlsx",
            )
            failed.add(quarter)
            continue
        try:
            grids = read_grids(path)
        except _Unreadable as exc:
            problems.error(display, "", "", exc.issue)
            failed.add(quarter)
            continue
        except OSError as exc:
            problems.add(ERROR, display, "", "", f"cannot read the file ({exc})", "a readable file", "")
            failed.add(quarter)
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        hit = None
        for grid in grids:
            header = find_header(grid, registry)
            if header is not None:
                hit = (grid, header)
                break
        if hit is None:
            sheets = "、".join(g.sheet or "(csv)" for g in grids) or "(none)"
            empty = all(not any(not is_blank(v) for row in g.rows for v in row) for g in grids)
            problems.add(
                ERROR,
                display,
                "",
                "",
                "an empty workbook" if empty else f"no recognisable header row in sheet(s) {sheets}",
                "a header row with 单位 and the indicator columns (plan / 季度完成情况), "
                "or with 项目名称 (项目库)",
                "use the office template (python -m zsreport template); keep the header words "
                "such as 单位, 省外境内资金, 项目名称",
            )
            failed.add(quarter)
            continue
        grid, header = hit
        found.append(Found(path, display, quarter, grid, header, SourceFile(path, digest, grid.sheet)))
    return found


# ---------------------------------------------------------------------------------------------
# Unit tables: plan and actuals
# ---------------------------------------------------------------------------------------------
def _unit_lookup(registry: Registry) -> dict[str, str]:
    table = {squash(registry.city): registry.city}
    for alias in CITY_ALIASES:
        table[squash(alias)] = registry.city
    for u in registry.units:
        table[squash(u.name)] = u.name
        long = u.addressee.split("委")[0]  # "城步苗族自治县委、…" → "城步苗族自治县"
        if long.endswith(("县", "市", "区")):
            table.setdefault(squash(long), u.name)
    return table


def _is_note_row(grid: Grid, r: int) -> bool:
    for c in range(grid.width):
        t = grid.text(r, c)
        if t:
            return t.startswith(tuple(squash(p) for p in NOTE_PREFIXES))
    return False


def _row_blank(grid: Grid, r: int) -> bool:
    return all(is_blank(grid.raw(r, c)) for c in range(grid.width))


@dataclass
class UnitTable:
    values: pd.DataFrame  # index: city (if present) and units, as found; float columns
    cells: dict[tuple[str, str], str]  # (row name, column key) → cell ref
    row_cells: dict[str, str]  # row name → unit-name cell
    blanks: set[tuple[str, str]]
    bad: set[tuple[str, str]] = field(default_factory=set)  # cells with an error
    rows_ok: bool = True  # every row names a known unit, once


def _read_unit_table(
    f: Found, registry: Registry, problems: Problems, columns: list[str]
) -> UnitTable | None:
    grid, h = f.grid, f.header
    lookup = _unit_lookup(registry)
    rows: dict[str, dict[str, float]] = {}
    cells: dict[tuple[str, str], str] = {}
    row_cells: dict[str, str] = {}
    blanks: set[tuple[str, str]] = set()
    bad: set[tuple[str, str]] = set()
    rows_ok = True
    for r in range(h.row + h.depth, len(grid.rows)):
        if _row_blank(grid, r) or _is_note_row(grid, r):
            continue
        raw_name = grid.value(r, h.anchor_col)
        ref = cell_ref(r, h.anchor_col)
        data_cells = [grid.raw(r, c) for k, c in h.columns.items()]
        if is_blank(raw_name):
            if any(not is_blank(v) for v in data_cells):
                problems.add(
                    ERROR,
                    f.display,
                    grid.sheet,
                    ref,
                    "(blank)",
                    "a unit name: " + "、".join(registry.unit_names),
                    "write the unit's name in this row, or delete the row",
                )
                rows_ok = False
            continue
        if _strip_brackets(squash(str(raw_name))) in {squash(w) for w in UNIT_HEADER_WORDS}:
            continue  # the header repeated (a table printed over two pages)
        name = lookup.get(squash(str(raw_name)))
        if name is None:
            problems.add(
                ERROR,
                f.display,
                grid.sheet,
                ref,
                shown(raw_name),
                f"{registry.city} or a unit of the registry",
                closest(squash(str(raw_name)), registry.unit_names),
            )
            rows_ok = False
            continue
        if name in rows:
            problems.add(
                ERROR,
                f.display,
                grid.sheet,
                ref,
                f"{name} again (first at {row_cells[name]})",
                "one row per unit",
                "delete the duplicate row or merge the two",
            )
            rows_ok = False
            continue
        row_cells[name] = ref
        values: dict[str, float] = {}
        for key in columns:
            c = h.columns.get(key)
            if c is None:
                values[key] = math.nan
                continue
            cref = cell_ref(r, c)
            cells[(name, key)] = cref
            if (r, c) in grid.uncached:
                problems.add(
                    ERROR,
                    f.display,
                    grid.sheet,
                    cref,
                    f"formula {grid.uncached[(r, c)]} with no saved result",
                    "a number",
                    "open the file in Excel/WPS and save it (the result is then stored), or type the "
                    "figure instead of the formula",
                )
                bad.add((name, key))
                values[key] = math.nan
                continue
            base = key.removesuffix(PREV_SUFFIX)
            if key == INFO_COUNT:
                unit, integer = "条", True
            else:
                ind = registry.indicator(base)
                unit, integer = ind.unit, ind.unit == "个"
            number, issue = parse_number(
                grid.value(r, c), unit=unit, integer=integer, limit=LIMITS.get(unit, 100_000.0)
            )
            if issue:
                problems.error(f.display, grid.sheet, cref, issue)
                bad.add((name, key))
                values[key] = math.nan
            elif number is None:
                values[key] = math.nan
                blanks.add((name, key))
            else:
                values[key] = number
        rows[name] = values
    order = [registry.city, *registry.unit_names]
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=columns, dtype=float)
    frame = frame.reindex([n for n in order if n in rows])
    return UnitTable(frame, cells, row_cells, blanks, bad, rows_ok)


def _missing_units(f: Found, table: UnitTable, registry: Registry, problems: Problems) -> None:
    for unit in registry.unit_names:
        if unit not in table.values.index:
            table.rows_ok = False
            problems.add(
                ERROR,
                f.display,
                f.grid.sheet,
                "",
                f"no row for {unit}",
                "one row for each of the units: " + "、".join(registry.unit_names),
                f"add a row for {unit} (leave its cells blank if it has nothing to report)",
            )


def _missing_columns(f: Found, keys: Iterable[str], severity: str, problems: Problems, label) -> None:
    for key in keys:
        if key not in f.header.columns:
            problems.add(
                severity,
                f.display,
                f.grid.sheet,
                cell_ref(f.header.row, 0),
                f"no column {label(key)}",
                f"a column headed {label(key)}",
                "add the column (copy the header from the office template)",
            )


def _header_problems(f: Found, problems: Problems) -> None:
    for ref, issue in f.header.problems:
        problems.error(f.display, f.grid.sheet, ref, issue)


def _check_city_sum(
    f: Found, table: UnitTable, keys: list[str], registry: Registry, problems: Problems
) -> None:
    city = registry.city
    if city not in table.values.index or not table.rows_ok:
        return  # a total against wrong rows would only add noise
    units = table.values.drop(index=city)
    for key in keys:
        if any(k == key for _, k in table.bad):
            continue  # a cell of this column is already reported
        total = units[key].sum(skipna=True)
        value = table.values.at[city, key]
        if math.isnan(value):
            continue  # a blank total: the sum of the units is used
        if abs(value - total) > TOL + 1e-9:
            problems.add(
                ERROR,
                f.display,
                f.grid.sheet,
                table.cells.get((city, key), ""),
                _fmt(value),
                f"{_fmt(total)}: {city} equals the sum of the units (±{TOL})",
                "correct the total or the unit figure that is wrong",
            )


def _fmt(x: float) -> str:
    if math.isnan(x):
        return "(blank)"
    return f"{x:.2f}".rstrip("0").rstrip(".") if not float(x).is_integer() else str(int(x))


def _label(registry: Registry):
    def label(key: str) -> str:
        if key == INFO_COUNT:
            return "报送招商信息条数"
        base = key.removesuffix(PREV_SUFFIX)
        ind = registry.indicator(base)
        text = f"{ind.label}({ind.unit})"
        return text + " 上年同期" if key.endswith(PREV_SUFFIX) else text

    return label


def _plan(f: Found, year: int, registry: Registry, problems: Problems) -> Plan | None:
    keys = [i.key for i in registry.indicators]
    label = _label(registry)
    _header_problems(f, problems)
    _missing_columns(f, keys, ERROR, problems, label)
    table = _read_unit_table(f, registry, problems, keys)
    if table is None:
        return None
    _missing_units(f, table, registry, problems)
    _check_city_sum(f, table, keys, registry, problems)
    frame = table.values
    sums = frame.reindex(list(registry.unit_names)).sum(skipna=True, min_count=1)
    if registry.city not in frame.index:
        frame.loc[registry.city] = sums
    else:
        frame.loc[registry.city] = frame.loc[registry.city].fillna(sums)
    frame = frame.reindex([registry.city, *registry.unit_names])
    frame.index.name = "unit"
    return Plan(year=year, targets=frame.astype(float), source=f.source)


def _actual_columns(registry: Registry) -> list[str]:
    cols = [i.key for i in registry.indicators]
    cols += [i.key + PREV_SUFFIX for i in registry.indicators if i.money]
    return [*cols, INFO_COUNT]


def _actuals(
    f: Found, year: int, quarter: int, registry: Registry, plan: Plan | None, problems: Problems
) -> tuple[Actuals, UnitTable] | None:
    keys = [i.key for i in registry.indicators]
    cols = _actual_columns(registry)
    label = _label(registry)
    _header_problems(f, problems)
    _missing_columns(f, keys, ERROR, problems, label)
    _missing_columns(f, [c for c in cols if c not in keys], WARNING, problems, label)
    table = _read_unit_table(f, registry, problems, cols)
    if table is None:
        return None
    _missing_units(f, table, registry, problems)
    _check_city_sum(f, table, [c for c in cols if c in f.header.columns], registry, problems)
    frame = table.values.reindex(list(registry.unit_names))
    # blank = nothing done yet (0); tell the clerk when the unit has a target for it
    for unit, key in sorted(table.blanks):
        if unit == registry.city or not (key in keys or key == INFO_COUNT):
            continue
        frame.at[unit, key] = 0.0
        target = plan.targets.at[unit, key] if plan is not None and key in keys else math.nan
        if not math.isnan(target):
            problems.add(
                WARNING,
                f.display,
                f.grid.sheet,
                table.cells[(unit, key)],
                "(blank)",
                f"a figure (target {_fmt(target)})",
                "read as 0; type 0 if that is right",
            )
    for key in keys:
        if key not in f.header.columns:
            continue
    # 工业引资 ≤ 省外境内资金, this year and last
    for suffix in ("", PREV_SUFFIX):
        a, b = "industrial_funds" + suffix, "provincial_funds" + suffix
        if a not in frame.columns or b not in frame.columns:
            continue
        for unit in frame.index:
            ind, prov = frame.at[unit, a], frame.at[unit, b]
            if not (math.isnan(ind) or math.isnan(prov)) and ind > prov + 1e-9:
                problems.add(
                    ERROR,
                    f.display,
                    f.grid.sheet,
                    table.cells.get((unit, a), ""),
                    f"工业引资 {_fmt(ind)} > 省外境内资金 {_fmt(prov)} ({table.cells.get((unit, b), '')})",
                    "工业引资 ≤ 省外境内资金 (it is part of it)",
                    "correct one of the two figures",
                )
    frame.index.name = "unit"
    return Actuals(year=year, quarter=quarter, values=frame.astype(float), source=f.source), table


# ---------------------------------------------------------------------------------------------
# Ledger
# ---------------------------------------------------------------------------------------------
@dataclass
class LedgerCells:
    rows: dict[str, int]  # project name → 0-based row
    columns: dict[str, int]

    def ref(self, name: str, key: str) -> str:
        if name in self.rows and key in self.columns:
            return cell_ref(self.rows[name], self.columns[key])
        return ""


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime):
        return shown(v)
    return str(v).strip()


def _ledger(
    f: Found, year: int, quarter: int, registry: Registry, problems: Problems
) -> tuple[Ledger, LedgerCells] | None:
    grid, h = f.grid, f.header
    _header_problems(f, problems)
    _missing_columns(f, LEDGER_REQUIRED, ERROR, problems, lambda k: LEDGER_CN[k])
    optional = [k for k in LEDGER_COLUMNS if k not in LEDGER_REQUIRED]
    _missing_columns(f, optional, WARNING, problems, lambda k: LEDGER_CN[k])
    lookup = _unit_lookup(registry)
    chains = {squash(c): c for c in (*registry.chains, registry.other_chain)}
    statuses = {squash(s): s for s in registry.statuses}
    statuses |= {squash(k): v for k, v in STATUS_ALIASES.items() if v in registry.statuses}
    tops = {squash(t): t for t in registry.top500_lists}
    kinds = {squash(k): k for k in registry.problem_kinds}
    q_end = pd.Timestamp(year, 3 * quarter, 1) + pd.offsets.MonthEnd(0)
    records: list[dict[str, Any]] = []
    rows: dict[str, int] = {}

    def err(r: int, key: str, issue) -> None:
        if key in h.columns:  # a missing column is reported once, above
            problems.error(f.display, grid.sheet, cell_ref(r, h.columns[key]), issue)

    def warn(r: int, key: str, issue) -> None:
        if key in h.columns:
            problems.warning(f.display, grid.sheet, cell_ref(r, h.columns[key]), issue)

    for r in range(h.row + h.depth, len(grid.rows)):
        if _row_blank(grid, r) or _is_note_row(grid, r):
            continue
        cells = {k: grid.value(r, c) for k, c in h.columns.items()}
        if "name" not in cells:
            break
        bad_formula = False
        for k, c in h.columns.items():
            if (r, c) in grid.uncached:
                problems.add(
                    ERROR,
                    f.display,
                    grid.sheet,
                    cell_ref(r, c),
                    f"formula {grid.uncached[(r, c)]} with no saved result",
                    f"a value for {LEDGER_CN[k]}",
                    "open the file in Excel/WPS and save it, or type the value instead of the formula",
                )
                bad_formula = True
        if bad_formula:
            continue
        name = _text(cells.get("name"))
        if not name:
            others = [k for k, v in cells.items() if not is_blank(v) and k != "name"]
            if others:
                err(r, "name", ("(blank)", "the project's name", "fill in 项目名称 or delete the row"))
            continue
        if name in rows:
            err(
                r,
                "name",
                (
                    f"{name} again (first in row {rows[name] + 1})",
                    "each project once",
                    "delete the duplicate row, or tell the two projects apart in their names",
                ),
            )
            continue
        rows[name] = r
        rec: dict[str, Any] = {"name": name}
        # unit
        raw = cells.get("unit")
        unit = lookup.get(squash(_text(raw)))
        if unit is None or unit == registry.city:
            err(
                r,
                "unit",
                (shown(raw), "a unit of the registry", closest(squash(_text(raw)), registry.unit_names)),
            )
        rec["unit"] = unit or ""
        # chain
        raw = cells.get("chain")
        key = squash(_text(raw))
        chain = chains.get(key) or chains.get(key.removesuffix("产业链"))
        if chain is None:
            err(
                r,
                "chain",
                (
                    shown(raw),
                    "one of the 七大产业链 or " + registry.other_chain,
                    closest(key, chains.values()),
                ),
            )
        rec["chain"] = chain or ""
        # status
        raw = cells.get("status")
        status = statuses.get(squash(_text(raw)))
        if status is None:
            err(r, "status", (shown(raw), "one of " + "、".join(registry.statuses), "choose the status"))
        rec["status"] = status or ""
        # money
        for k, unit_name, limit in (
            ("investment", "亿元", 10_000.0),
            ("provincial_funds", "亿元", 10_000.0),
            ("foreign_capital", "万美元", 10_000_000.0),
        ):
            if k not in h.columns:
                rec[k] = math.nan if k == "investment" else 0.0
                continue
            number, issue = parse_number(cells.get(k), unit=unit_name, limit=limit)
            if issue:
                err(r, k, issue)
            if number is None:
                number = math.nan if k == "investment" else 0.0
            rec[k] = number
        if "investment" in h.columns and math.isnan(rec["investment"]) and is_blank(cells.get("investment")):
            err(r, "investment", ("(blank)", "计划总投资 in 亿元", "fill in the planned investment"))
        if (
            "provincial_funds" in h.columns
            and not math.isnan(rec["investment"])
            and rec["provincial_funds"] > rec["investment"] + 1e-9
        ):
            err(
                r,
                "provincial_funds",
                (
                    f"{_fmt(rec['provincial_funds'])} > 计划总投资 {_fmt(rec['investment'])}",
                    "其中省外境内资金 ≤ 计划总投资",
                    "correct one of the two figures",
                ),
            )
        # dates
        for k in ("sign_date", "start_date", "production_date"):
            if k not in h.columns:
                rec[k] = pd.NaT
                continue
            day, issue = parse_date(cells.get(k))
            if issue:
                err(r, k, issue)
            rec[k] = pd.Timestamp(day) if day else pd.NaT
            if day and pd.Timestamp(day) > q_end:
                warn(
                    r,
                    k,
                    (
                        shown(day),
                        f"a date up to the quarter's end {q_end:%Y-%m-%d}",
                        "check the date: the ledger reports the state at the quarter's end",
                    ),
                )
        if status in ("签约", "开工", "投产") and "sign_date" in h.columns and pd.isna(rec["sign_date"]):
            warn(r, "sign_date", ("(blank)", f"the 签约日期 of a {status} project", "fill in the date"))
        # flags
        for k in ("hightech", "big_manufacturing", "key_project"):
            if k not in h.columns:
                rec[k] = False
                continue
            flag, issue = parse_bool(cells.get(k))
            if issue:
                err(r, k, issue)
            rec[k] = flag
        if rec["big_manufacturing"] and not math.isnan(rec["investment"]) and rec["investment"] < 5:
            warn(
                r,
                "big_manufacturing",
                (
                    f"是 with 计划总投资 {_fmt(rec['investment'])}亿元",
                    "5亿元以上制造业 only for an investment of 5亿元 or more",
                    "check the flag or the investment",
                ),
            )
        raw = cells.get("top500")
        text = squash(_text(raw))
        if text in ("", "否", "无", "-", "/"):
            rec["top500"] = ""
        elif text in tops:
            rec["top500"] = tops[text]
        else:
            err(
                r,
                "top500",
                (
                    shown(raw),
                    "blank or one of " + "、".join(registry.top500_lists),
                    "say which list the investor is on (leave blank if none)",
                ),
            )
            rec["top500"] = ""
        raw = cells.get("problem_kind")
        text = squash(_text(raw))
        if text and text not in kinds:
            err(
                r,
                "problem_kind",
                (shown(raw), "blank or one of " + "、".join(kinds.values()), "choose a kind"),
            )
        rec["problem_kind"] = kinds.get(text, "")
        for k in ("leader", "lead_dept", "problem", "next_step"):
            rec[k] = _text(cells.get(k))
        records.append(rec)
    frame = pd.DataFrame.from_records(records, columns=list(LEDGER_COLUMNS))
    for k in ("sign_date", "start_date", "production_date"):
        frame[k] = pd.to_datetime(frame[k])
    for k in ("hightech", "big_manufacturing", "key_project"):
        frame[k] = frame[k].astype(bool)
    for k in ("investment", "provincial_funds", "foreign_capital"):
        frame[k] = frame[k].astype(float)
    return (
        Ledger(year=year, quarter=quarter, projects=frame, source=f.source),
        LedgerCells(rows, dict(h.columns)),
    )


def count_projects(projects: pd.DataFrame, registry: Registry) -> pd.DataFrame:
    """Counts per unit under the counting rules of docs/ARCHITECTURE.md (index: the units, columns:
    the five count indicators)."""
    signed = projects[projects["status"].isin(registry.statuses[1:])]
    chains = set(registry.chains)
    out = pd.DataFrame(
        {
            "new_projects": signed.groupby("unit").size(),
            "chain_projects": signed[signed["chain"].isin(chains)].groupby("unit").size(),
            "hightech": signed[signed["hightech"]].groupby("unit").size(),
            "big_manufacturing": signed[signed["big_manufacturing"]].groupby("unit").size(),
            "top500": signed[signed["top500"] != ""].groupby("unit").size(),
        }
    )
    return out.reindex(list(registry.unit_names)).fillna(0).astype(int)


# ---------------------------------------------------------------------------------------------
# Cross-file checks
# ---------------------------------------------------------------------------------------------
def _check_cumulative(
    prev: Actuals, cur: Actuals, table: UnitTable, registry: Registry, display: str, sheet: str, problems
) -> None:
    for key in cur.values.columns:
        if key not in prev.values.columns:
            continue
        for unit in registry.unit_names:
            a, b = prev.values.at[unit, key], cur.values.at[unit, key]
            if math.isnan(a) or math.isnan(b) or b >= a - 1e-9:
                continue
            problems.add(
                WARNING if key.endswith(PREV_SUFFIX) else ERROR,
                display,
                sheet,
                table.cells.get((unit, key), ""),
                f"{_fmt(b)} (Q{prev.quarter}: {_fmt(a)})",
                f"at least {_fmt(a)}: figures are cumulative for the year and never fall",
                f"check {unit}'s figure; it must include Q{prev.quarter}'s",
            )


def _check_counts(
    actuals: Actuals, table: UnitTable, ledger: Ledger, registry: Registry, display: str, sheet: str, problems
) -> None:
    counts = count_projects(ledger.projects, registry)
    for key in counts.columns:
        if key not in actuals.values.columns:
            continue
        for unit in registry.unit_names:
            reported, listed = actuals.values.at[unit, key], counts.at[unit, key]
            if math.isnan(reported) or abs(reported - listed) < 1e-9:
                continue
            label = registry.indicator(key).label
            problems.add(
                WARNING,
                display,
                sheet,
                table.cells.get((unit, key), ""),
                f"{_fmt(reported)} {label}",
                f"{listed}, the number in the 项目库 ({ledger.source.path.name}) for {unit}",
                "bring the 项目库 and the reported count into line",
            )


def _check_status_order(
    prev: Ledger, cur: Ledger, cells: LedgerCells, registry: Registry, display, sheet, problems
):
    order = {s: i for i, s in enumerate(registry.statuses)}
    before = dict(zip(prev.projects["name"], prev.projects["status"], strict=True))
    for name, status in zip(cur.projects["name"], cur.projects["status"], strict=True):
        old = before.get(name)
        if old in order and status in order and order[status] < order[old]:
            problems.add(
                WARNING,
                display,
                sheet,
                cells.ref(name, "status"),
                f"{status} (Q{prev.quarter}: {old})",
                f"{old} or later: a project's status does not go back",
                "check the status; a cancelled project is removed with a note, not set back",
            )


# ---------------------------------------------------------------------------------------------
# The entry point
# ---------------------------------------------------------------------------------------------
def load_dataset(data_dir: Path, year: int, quarter: int, registry: Registry | None = None) -> Dataset:
    """Read the plan of ``year`` and every quarter's 季度完成情况 and 项目库 up to ``quarter``.

    Raises ``InputError`` with every problem found when any of them is an error."""
    data_dir = Path(data_dir)
    problems = Problems()
    if registry is None:
        registry = Registry.from_toml(data_dir / "registry.toml")
    if quarter not in (1, 2, 3, 4):
        raise InputError(
            [Problem(ERROR, "", "", "", f"quarter {quarter}", "1, 2, 3 or 4", "ask for a quarter 1–4")]
        )
    year_dir = data_dir / str(year)
    if not year_dir.is_dir():
        raise InputError(
            [
                Problem(
                    ERROR,
                    _display(year_dir, data_dir),
                    "",
                    "",
                    "no such folder",
                    f"a folder data/{year}/ with the plan and the quarter folders",
                    f"create data/{year}/ and put the plan and the quarterly files in it",
                )
            ]
        )
    failed: set[int | None] = set()
    found: list[Found] = _scan(year_dir, None, data_dir, registry, problems, failed)
    qdirs: dict[int, Path] = {}
    for d in sorted(year_dir.iterdir()):
        m = _QDIR.match(d.name)
        if d.is_dir() and m and int(m[1]) == year:
            qdirs[int(m[2])] = d
    for q in range(1, quarter + 1):
        if q in qdirs:
            found += _scan(qdirs[q], q, data_dir, registry, problems, failed)

    by_kind: dict[tuple[str, int | None], list[Found]] = {}
    for f in found:
        if f.header.kind == PLAN and f.quarter is not None:
            problems.add(
                WARNING,
                f.display,
                f.grid.sheet,
                "",
                "a 年度招商计划表 in a quarter folder",
                f"the plan in data/{year}/",
                "ignored; keep one plan in the year folder",
            )
            continue
        if f.header.kind != PLAN and f.quarter is None:
            problems.add(
                ERROR,
                f.display,
                f.grid.sheet,
                "",
                f"a {KIND_CN[f.header.kind]} in the year folder",
                f"it in its quarter folder data/{year}/{year}Q<n>/",
                "move the file into the folder of its quarter",
            )
            continue
        by_kind.setdefault((f.header.kind, f.quarter), []).append(f)
    for (kind, q), files in by_kind.items():
        if len(files) > 1:
            for extra in files[1:]:
                problems.add(
                    ERROR,
                    extra.display,
                    extra.grid.sheet,
                    "",
                    f"a second {KIND_CN[kind]} (also {files[0].display})",
                    f"one {KIND_CN[kind]}" + (f" for Q{q}" if q else ""),
                    "remove or rename the file that is not the current one",
                )

    plan = None
    plan_files = by_kind.get((PLAN, None), [])
    if plan_files:
        plan = _plan(plan_files[0], year, registry, problems)
    elif None not in failed:
        problems.add(
            ERROR,
            _display(year_dir, data_dir),
            "",
            "",
            "no 年度招商计划表",
            f"the year's plan (xlsx or csv) in data/{year}/",
            "put the plan table in the year folder (python -m zsreport template writes a blank one)",
        )

    actuals: dict[int, Actuals] = {}
    tables: dict[int, tuple[UnitTable, Found]] = {}
    ledgers: dict[int, Ledger] = {}
    ledger_cells: dict[int, tuple[LedgerCells, Found]] = {}
    ledger_bad: set[int] = set()
    for q in range(1, quarter + 1):
        folder = f"data/{year}/{year}Q{q}/"
        for kind in (ACTUALS, LEDGER):
            files = by_kind.get((kind, q), [])
            if not files and q in failed:
                continue  # the unreadable file there is reported already
            if not files:
                problems.add(
                    ERROR if q == quarter else WARNING,
                    folder,
                    "",
                    "",
                    f"no {KIND_CN[kind]} for Q{q}",
                    f"the {KIND_CN[kind]} (xlsx or csv) in {folder}",
                    "put the file in the quarter folder"
                    + ("" if q == quarter else "; without it the quarter is left out of comparisons"),
                )
                continue
            f = files[0]
            if kind == ACTUALS:
                res = _actuals(f, year, q, registry, plan, problems)
                if res:
                    actuals[q], table = res
                    tables[q] = (table, f)
            else:
                n_errors = len(problems.errors)
                res2 = _ledger(f, year, q, registry, problems)
                if len(problems.errors) > n_errors:
                    ledger_bad.add(q)  # its counts would only echo the errors
                if res2:
                    ledgers[q], cells = res2
                    ledger_cells[q] = (cells, f)
    for q in sorted(actuals):
        if q - 1 in actuals:
            table, f = tables[q]
            _check_cumulative(actuals[q - 1], actuals[q], table, registry, f.display, f.grid.sheet, problems)
        if q in ledgers and q not in ledger_bad:
            table, f = tables[q]
            _check_counts(actuals[q], table, ledgers[q], registry, f.display, f.grid.sheet, problems)
    for q in sorted(ledgers):
        if q - 1 in ledgers:
            cells, f = ledger_cells[q]
            _check_status_order(
                ledgers[q - 1], ledgers[q], cells, registry, f.display, f.grid.sheet, problems
            )

    if problems.errors or plan is None or quarter not in actuals or quarter not in ledgers:
        raise InputError(problems.items)
    return Dataset(
        registry=registry,
        year=year,
        quarter=quarter,
        plan=plan,
        actuals=actuals,
        ledgers=ledgers,
        warnings=tuple(problems.warnings),
    )


# ---------------------------------------------------------------------------------------------
# Blank forms
# ---------------------------------------------------------------------------------------------
TEMPLATE_NAMES = {
    PLAN: "{year}年招商计划表（模板）.xlsx",
    ACTUALS: "季度完成情况（模板）.xlsx",
    LEDGER: "项目库（模板）.xlsx",
}
LEDGER_ROWS = 400  # rows carrying drop-downs in the blank 项目库


def _xl_styles():
    from openpyxl.styles import Alignment, Border, Font, Side

    thin = Side(style="thin", color="000000")
    return {
        "box": Border(left=thin, right=thin, top=thin, bottom=thin),
        "center": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "left": Alignment(horizontal="left", vertical="center", wrap_text=True),
        "title": Font(name="方正小标宋简体", size=16),
        "head": Font(name="黑体", size=10),
        "body": Font(name="仿宋_GB2312", size=11),
        "note": Font(name="仿宋_GB2312", size=10),
    }


def _xl_head(ws, st, r1: int, c1: int, text: str, r2: int | None = None, c2: int | None = None) -> None:
    r2, c2 = r2 or r1, c2 or c1
    for r in range(r1, r2 + 1):
        for c in range(c1, c2 + 1):
            cell = ws.cell(r, c)
            cell.border, cell.font, cell.alignment = st["box"], st["head"], st["center"]
    ws.cell(r1, c1, text)
    if (r1, c1) != (r2, c2):
        ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)


def _xl_title(ws, st, row: int, text: str, ncols: int, font: str = "title") -> None:
    ws.cell(row, 1, text).font = st[font]
    ws.cell(row, 1).alignment = st["center"] if font == "title" else st["left"]
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
    if font == "title":
        ws.row_dimensions[row].height = 36


def _xl_body(ws, st, row: int, col: int, value=None, fmt: str | None = None, left: bool = False) -> None:
    cell = ws.cell(row, col, value)
    cell.border, cell.font = st["box"], st["body"]
    cell.alignment = st["left"] if left else st["center"]
    if fmt:
        cell.number_format = fmt


def _options_sheet(wb, registry: Registry) -> dict[str, str]:
    """A hidden sheet of allowed values; returns list name → range formula for validations."""
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet("选项")
    lists = {
        "units": list(registry.unit_names),
        "chains": [*registry.chains, registry.other_chain],
        "statuses": list(registry.statuses),
        "top500": list(registry.top500_lists),
        "kinds": list(registry.problem_kinds),
        "yesno": ["是", "否"],
    }
    out = {}
    for c, (name, values) in enumerate(lists.items(), start=1):
        ws.cell(1, c, name)
        for r, v in enumerate(values, start=2):
            ws.cell(r, c, v)
        col = get_column_letter(c)
        out[name] = f"选项!${col}$2:${col}${len(values) + 1}"
    ws.sheet_state = "hidden"
    return out


def _dv_list(ws, formula: str, ref: str, prompt: str) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(type="list", formula1=formula, allow_blank=True, showDropDown=False)
    dv.error, dv.errorTitle = f"请从下拉列表中选择{prompt}", "输入有误"
    dv.prompt, dv.promptTitle = f"请选择{prompt}", prompt
    dv.showErrorMessage = dv.showInputMessage = True
    ws.add_data_validation(dv)
    dv.add(ref)


def _dv_number(ws, ref: str, whole: bool, label: str) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(
        type="whole" if whole else "decimal",
        operator="between",
        formula1="0",
        formula2="100000000",
        allow_blank=True,
    )
    dv.error = f"{label}：请输入不小于0的{'整数' if whole else '数字'}"
    dv.errorTitle = "输入有误"
    dv.showErrorMessage = True
    ws.add_data_validation(dv)
    dv.add(ref)


def _dv_date(ws, ref: str) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(type="date", operator="between", formula1="36526", formula2="73051", allow_blank=True)
    dv.error, dv.errorTitle = "请输入日期，如 2020-03-15", "输入有误"
    dv.showErrorMessage = True
    ws.add_data_validation(dv)
    dv.add(ref)


def _fmt_for(ind) -> str:
    return "0" if ind.decimals == 0 else "0." + "0" * ind.decimals


def _template_plan(year: int, registry: Registry, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    st = _xl_styles()
    wb = Workbook()
    ws = wb.active
    ws.title = "招商计划表"
    inds = registry.indicators
    ncols = len(inds) + 1
    _xl_title(ws, st, 1, f"{year}年邵阳市承产转移示范区建设招商计划表", ncols)
    _xl_head(ws, st, 2, 1, "单位", r2=3)
    c = 2
    groups: list[tuple[str, list]] = []
    for ind in inds:
        if groups and groups[-1][0] == ind.group:
            groups[-1][1].append(ind)
        else:
            groups.append((ind.group, [ind]))
    for group, members in groups:
        unit = members[0].unit if len({m.unit for m in members}) == 1 and members[0].unit == "个" else ""
        _xl_head(ws, st, 2, c, group + (f"({unit})" if unit else ""), c2=c + len(members) - 1)
        for m in members:
            text = m.label if m.unit == "个" else f"{m.label}\n({m.unit})"
            if m.key == "industrial_funds":
                text = "其中" + text
            _xl_head(ws, st, 3, c, text)
            c += 1
    ws.row_dimensions[3].height = 42
    names = [registry.city, *registry.unit_names]
    for r, name in enumerate(names, start=4):
        _xl_body(ws, st, r, 1, name)
        for i, ind in enumerate(inds, start=2):
            _xl_body(ws, st, r, i, None, "General" if ind.unit != "个" else "0")
    last = 3 + len(names)
    for i, ind in enumerate(inds, start=2):
        col = get_column_letter(i)
        _dv_number(ws, f"{col}4:{col}{last}", ind.unit == "个", ind.label)
    _xl_title(
        ws,
        st,
        last + 1,
        f"备注：空白表示无该项目标；{registry.city}行可不填（程序按各单位合计）。",
        ncols,
        font="note",
    )
    for i in range(1, ncols + 1):
        ws.column_dimensions[get_column_letter(i)].width = 13
    ws.freeze_panes = "B4"
    wb.save(path)


def _template_actuals(year: int, registry: Registry, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    st = _xl_styles()
    wb = Workbook()
    ws = wb.active
    ws.title = "完成情况"
    money = [i for i in registry.indicators if i.money]
    counts = [i for i in registry.indicators if not i.money]
    ncols = 1 + 2 * len(money) + len(counts) + 1
    _xl_title(ws, st, 1, f"{year}年第　季度承接产业转移示范区建设招商引资完成情况表", ncols)
    _xl_title(ws, st, 2, "统计时间：1月1日至季度末（本年累计）", ncols, font="note")
    _xl_head(ws, st, 3, 1, "单位", r2=4)
    c = 2
    kinds: list[tuple[int, bool, str]] = []  # column, whole number, label
    for ind in money:
        label = ("其中：" if ind.key == "industrial_funds" else "") + f"{ind.label}({ind.unit})"
        _xl_head(ws, st, 3, c, label, c2=c + 1)
        _xl_head(ws, st, 4, c, "本年累计")
        _xl_head(ws, st, 4, c + 1, "上年同期")
        kinds += [(c, ind.decimals == 0, ind.label), (c + 1, ind.decimals == 0, ind.label)]
        c += 2
    _xl_head(ws, st, 3, c, "招商产业项目数量(个)", c2=c + len(counts) - 1)
    for i, ind in enumerate(counts):
        _xl_head(ws, st, 4, c + i, ind.label)
        kinds.append((c + i, True, ind.label))
    c += len(counts)
    _xl_head(ws, st, 3, c, "报送招商\n信息条数(条)", r2=4)
    kinds.append((c, True, "报送招商信息条数"))
    ws.row_dimensions[4].height = 42
    for r, name in enumerate(registry.unit_names, start=5):
        _xl_body(ws, st, r, 1, name)
        for col, whole, _ in kinds:
            _xl_body(ws, st, r, col, None, "0" if whole else "0.00")
    last = 4 + len(registry.unit_names)
    for col, whole, label in kinds:
        letter = get_column_letter(col)
        _dv_number(ws, f"{letter}5:{letter}{last}", whole, label)
    _xl_title(
        ws,
        st,
        last + 1,
        "备注：填写本年1月1日至季度末的累计数；项目个数须与项目库一致（签约、开工、投产的项目）。",
        ncols,
        font="note",
    )
    for i in range(1, ncols + 1):
        ws.column_dimensions[get_column_letter(i)].width = 11
    ws.freeze_panes = "B5"
    wb.save(path)


TEMPLATE_LEDGER = (
    ("序号", 6, None, None),
    ("项目名称", 34, None, None),
    ("所属单位", 11, None, "units"),
    ("产业链", 12, None, "chains"),
    ("计划总投资\n(亿元)", 11, "0.00", "decimal"),
    ("其中省外境内资金\n(亿元)", 13, "0.00", "decimal"),
    ("外资\n(万美元)", 10, "0", "decimal"),
    ("项目状态", 9, None, "statuses"),
    ("签约日期", 12, "yyyy-mm-dd", "date"),
    ("开工日期", 12, "yyyy-mm-dd", "date"),
    ("投产日期", 12, "yyyy-mm-dd", "date"),
    ("高新技术企业", 9, None, "yesno"),
    ("三类500强", 11, None, "top500"),
    ("5亿元以上\n制造业", 10, None, "yesno"),
    ("重点项目", 8, None, "yesno"),
    ("市级联系领导", 20, None, None),
    ("牵头部门", 18, None, None),
    ("问题类型", 10, None, "kinds"),
    ("存在问题", 36, None, None),
    ("下步措施", 36, None, None),
)


def _template_ledger(year: int, registry: Registry, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    st = _xl_styles()
    wb = Workbook()
    ws = wb.active
    ws.title = "项目库"
    lists = _options_sheet(wb, registry)
    ncols = len(TEMPLATE_LEDGER)
    _xl_title(ws, st, 1, f"{year}年第　季度招商引资项目库", ncols)
    last = 2 + LEDGER_ROWS
    for c, (text, width, fmt, check) in enumerate(TEMPLATE_LEDGER, start=1):
        _xl_head(ws, st, 2, c, text)
        letter = get_column_letter(c)
        ws.column_dimensions[letter].width = width
        for r in range(3, last + 1):
            _xl_body(ws, st, r, c, None, fmt, left=c in (2, 16, 17, 19, 20))
        ref = f"{letter}3:{letter}{last}"
        if check in lists:
            _dv_list(ws, lists[check], ref, text.replace("\n", ""))
        elif check == "decimal":
            _dv_number(ws, ref, False, text.replace("\n", ""))
        elif check == "date":
            _dv_date(ws, ref)
    ws.row_dimensions[2].height = 36
    _xl_title(
        ws,
        st,
        last + 1,
        "备注：每个项目一行，项目名称不得重复；项目状态为季度末状态；新引进项目指状态为签约、开工或投产的项目。",
        ncols,
        font="note",
    )
    ws.freeze_panes = "C3"
    wb.save(path)


def write_templates(year: int, out_dir: Path, registry: Registry) -> list[Path]:
    """Blank office forms for ``year``: the plan, the quarterly 完成情况 and the 项目库, laid out as
    the office's tables, with drop-downs (units, chains, status, 三类500强, problem kinds, 是/否),
    number and date checks and number formats, so that most mistakes cannot be typed."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [
        out_dir / TEMPLATE_NAMES[PLAN].format(year=year),
        out_dir / TEMPLATE_NAMES[ACTUALS],
        out_dir / TEMPLATE_NAMES[LEDGER],
    ]
    for path, writer in zip(paths, (_template_plan, _template_actuals, _template_ledger), strict=True):
        with atomic_path(path) as tmp:
            writer(year, registry, tmp)
    return paths
