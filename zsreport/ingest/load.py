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
from zsreport.ingest.dataset import (
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
from zsreport.ingest.validate import (
    ERROR,
    WARNING,
    Problems,
    closest,
    format_problems,
    is_blank,
    parse_bool,
    parse_date,
    parse_number,
    quoted,
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
KIND_CN = {PLAN: "年度招商计划表", ACTUALS: "季度完成情况表", LEDGER: "项目库"}
# How a clerk gets a blank form, named in messages.
TEMPLATE_HINT = "空白模板可运行“python -m zsreport template”生成"
SAVE_AS_XLSX = "点“文件”→“另存为”，保存类型选“Excel 工作簿（*.xlsx）”"
OPEN_AND_SAVE = "请用 Excel 或 WPS 打开该文件，" + SAVE_AS_XLSX
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
    "investment": "计划总投资（亿元）",
    "provincial_funds": "其中省外境内资金（亿元）",
    "foreign_capital": "外资（万美元）",
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
        super().__init__(
            f"输入文件中有 {n} 个错误，改正后才能生成公文：\n\n" + format_problems(self.problems)
        )


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
                "文件扩展名是 .xlsx，但内容是旧版 Excel 文件（.xls 格式）",
                ".xlsx 格式的 Excel 文件",
                OPEN_AND_SAVE + "，保存后再运行一次。不要只修改文件扩展名。",
            )
        raise _Unreadable(
            "不是 Excel 文件：扩展名是 .xlsx，但内容不是 Excel 表格（可能是把其他文件直接改了扩展名）",
            "用 Excel 或 WPS 保存的 .xlsx 文件",
            "请找到原始表格，用 Excel 或 WPS 打开后" + SAVE_AS_XLSX + "。不要只修改文件扩展名。",
        )
    try:
        values = load_workbook(io.BytesIO(data), data_only=True)
        formulas = load_workbook(io.BytesIO(data), data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged package
        raise _Unreadable(
            "文件已损坏，无法读取",
            "能用 Excel 或 WPS 正常打开的 .xlsx 文件",
            "请用 Excel 或 WPS 打开该文件（如提示修复，请选择修复），再重新保存为 .xlsx 文件；"
            "如果打不开，请联系报送单位重新发送。",
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
                        text = fv.value if isinstance(fv.value, str) else getattr(fv.value, "text", "")
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
            "CSV 文件的文字编码无法识别（打开后中文可能是乱码）",
            "能正常显示中文的 CSV 文件，或 .xlsx 文件",
            "请找到原始表格，用 Excel 或 WPS 打开后" + SAVE_AS_XLSX + "（推荐）；"
            "也可以另存为“CSV UTF-8（逗号分隔）”格式。",
        )
    if "\x00" in text:
        raise _Unreadable(
            "文件扩展名是 .csv，但内容不是文字表格（可能是把其他文件直接改了扩展名）",
            "用 Excel 或 WPS 保存的 .csv 或 .xlsx 文件",
            "请找到原始表格，用 Excel 或 WPS 打开后" + SAVE_AS_XLSX + "。不要只修改文件扩展名。",
        )
    try:
        rows: list[list[Any]] = [
            [v if v != "" else None for v in row] for row in csv.reader(io.StringIO(text))
        ]
    except csv.Error as exc:
        raise _Unreadable(
            "CSV 文件格式有误，无法读取",
            "用 Excel 或 WPS 保存的 .csv 或 .xlsx 文件",
            OPEN_AND_SAVE + "，保存后再运行一次。",
        ) from exc
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
# Each money unit in the smallest unit of its currency.
UNIT_SIZE = {"亿元": 1e8, "万元": 1e4, "元": 1, "亿美元": 1e8, "万美元": 1e4, "美元": 1}


def _conversion(found: str, wanted: str) -> str:
    """How to convert a column from ``found`` to ``wanted`` units: "（万元数除以10000）"."""
    if found.endswith("美元") != wanted.endswith("美元"):
        return ""  # another currency: no fixed rate
    ratio = UNIT_SIZE[wanted] / UNIT_SIZE[found]
    if ratio >= 1:
        return f"（{found}数除以{ratio:.0f}）"
    return f"（{found}数乘以{1 / ratio:.0f}）"


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
                            f"表头“{t.replace('|', ' ')}”的单位是{units[-1]}",
                            f"“{ind.label}”以{ind.unit}为单位",
                            f"请把这一列的数字全部换算成{ind.unit}{_conversion(units[-1], ind.unit)}，"
                            f"并把表头改为“{ind.label}（{ind.unit}）”。",
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
                        f"又一个“{t.replace('|', ' ')}”列（前面 {header_cells[key]} 已有这一列）",
                        "每个指标只占一列",
                        "请核对两列的数字，保留正确的一列，把多余的一列整列删除。",
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
                                f"又一个“{LEDGER_CN[key]}”列（前面 {header_cells[key]} 已有这一列）",
                                "每一项只占一列",
                                "请核对两列的内容，保留正确的一列，把多余的一列整列删除。",
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
                "旧版 Excel 文件（.xls 格式），程序无法读取",
                ".xlsx 或 .csv 格式的文件",
                OPEN_AND_SAVE + "，然后把原来的 .xls 文件删除或移出该文件夹。",
            )
            failed.add(quarter)
            continue
        try:
            grids = read_grids(path)
        except _Unreadable as exc:
            problems.error(display, "", "", exc.issue)
            failed.add(quarter)
            continue
        except OSError:
            problems.add(
                ERROR,
                display,
                "",
                "",
                "无法读取该文件（可能正被其他程序占用，或没有读取权限）",
                "可以正常打开的文件",
                "请关闭正在使用该文件的程序（如 Excel、WPS），确认能正常打开后再运行一次。",
            )
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
            sheets = "、".join(f"“{g.sheet}”" for g in grids if g.sheet)
            where = f"工作表{sheets}中" if sheets else "文件中"
            empty = all(not any(not is_blank(v) for row in g.rows for v in row) for g in grids)
            problems.add(
                ERROR,
                display,
                "",
                "",
                "文件是空的，没有任何内容" if empty else f"{where}找不到能识别的表头行",
                "计划表和季度完成情况表的表头有“单位”和各指标列（如“省外境内资金”）；"
                "项目库的表头有“项目名称”",
                "请使用统一模板填报，不要改动表头文字（如“单位”“省外境内资金”“项目名称”）；"
                + TEMPLATE_HINT
                + "。",
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
    label = _label(registry)
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
                    "这一行填了数字，但单位名称是空白",
                    "单位名称：" + "、".join(registry.unit_names),
                    "请在这一格填写单位名称；如果这一行是多余的，请整行删除。",
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
                f"单位名称{quoted(raw_name)}",
                f"“{registry.city}”或以下单位之一：" + "、".join(registry.unit_names),
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
                f"“{name}”出现了两次（第一次出现在 {row_cells[name]}）",
                "每个单位只占一行",
                "请核对这一行的单位名称是否写错；如果确实重复，请删除多余的一行，或把两行的数字合并成一行。",
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
                    f"{name}的“{label(key)}”是公式{_formula(grid.uncached[(r, c)])}，但没有保存计算结果",
                    "直接填写的数字，或已保存计算结果的公式",
                    "请用 Excel 或 WPS 打开该文件，直接点“保存”（计算结果会一并保存），再运行一次；"
                    "也可以删除公式，直接填写数字。",
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
                problems.error(f.display, grid.sheet, cref, _about(f"{name}的“{label(key)}”", issue))
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
                f"缺少“{unit}”这一行",
                "每个单位各占一行：" + "、".join(registry.unit_names),
                f"请补上“{unit}”一行（单位名称写在“单位”列），没有数据的格子可以空着。",
            )


def _missing_columns(f: Found, keys: Iterable[str], severity: str, problems: Problems, label) -> None:
    for key in keys:
        if key not in f.header.columns:
            problems.add(
                severity,
                f.display,
                f.grid.sheet,
                cell_ref(f.header.row, 0),
                f"缺少“{label(key)}”列",
                f"表头中有“{label(key)}”一列",
                (
                    f"请从统一模板中复制“{label(key)}”的表头，加到表中并填写数据（{TEMPLATE_HINT}）。"
                    if severity == ERROR
                    else "这一列不是必填项，缺少时按空白处理；"
                    f"如有数据，请从统一模板中复制“{label(key)}”的表头，加到表中并填写。"
                ),
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
                f"{city}的“{_label(registry)(key)}”填的是 {_fmt(value)}，各单位合计是 {_fmt(total)}",
                f"{_fmt(total)}（{city}一行应等于各单位之和，允许相差 {TOL}）",
                f"请核对{city}合计数和各单位的数字，改正填错的一处。{city}一行也可以留空，"
                "程序会自动按各单位相加。",
            )


def _fmt(x: float) -> str:
    if math.isnan(x):
        return "空白"
    return f"{x:.2f}".rstrip("0").rstrip(".") if not float(x).is_integer() else str(int(x))


def _about(subject: str, issue: tuple[str, str, str]) -> tuple[str, str, str]:
    """A cell problem told with what the cell is: "邵东市的“省外境内资金（亿元）”填的是“二十”"."""
    found, expected, fix = issue
    return (f"{subject}填的是{found}", expected, fix)


def _project(name: Any) -> str:
    text = _text(name)
    return f"项目“{text}”的" if text else ""


def _formula(text: str) -> str:
    return f"“{text}”" if text else ""


def _label(registry: Registry):
    def label(key: str) -> str:
        if key == INFO_COUNT:
            return "报送招商信息条数"
        base = key.removesuffix(PREV_SUFFIX)
        ind = registry.indicator(base)
        prev = "上年同期" if key.endswith(PREV_SUFFIX) else ""
        return f"{ind.label}{prev}（{ind.unit}）"

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
                f"{unit}的“{label(key)}”是空白",
                f"本年累计完成数（{unit}这一项的年度目标是 {_fmt(target)} {registry.indicator(key).unit}）",
                "暂按 0 计算。如果确实是 0，请填写“0”；如果有完成数，请补填。",
            )
    for key in keys:
        if key not in f.header.columns:
            continue
    # 工业引资 ≤ 省外境内资金, this year and last
    for suffix in ("", PREV_SUFFIX):
        a, b = "industrial_funds" + suffix, "provincial_funds" + suffix
        when = "上年同期" if suffix else ""
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
                    f"{unit}的工业引资{when}是 {_fmt(ind)}，大于省外境内资金{when} {_fmt(prov)}"
                    f"（{table.cells.get((unit, b), '')}）",
                    f"工业引资{when}不大于省外境内资金{when}（工业引资是省外境内资金的一部分）",
                    f"请核对{unit}的这两个数字（{table.cells.get((unit, a), '')} 和 "
                    f"{table.cells.get((unit, b), '')}），改正填错的一个。",
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
                    f"{_project(cells.get('name'))}“{LEDGER_CN[k]}”是公式{_formula(grid.uncached[(r, c)])}，"
                    "但没有保存计算结果",
                    "直接填写的内容，或已保存计算结果的公式",
                    "请用 Excel 或 WPS 打开该文件，直接点“保存”（计算结果会一并保存），再运行一次；"
                    "也可以删除公式，直接填写内容。",
                )
                bad_formula = True
        if bad_formula:
            continue
        name = _text(cells.get("name"))
        if not name:
            others = [k for k, v in cells.items() if not is_blank(v) and k != "name"]
            if others:
                err(
                    r,
                    "name",
                    (
                        "这一行填了内容，但项目名称是空白",
                        "项目名称",
                        "请填写项目名称；如果这一行是多余的，请整行删除。",
                    ),
                )
            continue
        if name in rows:
            err(
                r,
                "name",
                (
                    f"项目“{name}”重复（第一次出现在第 {rows[name] + 1} 行）",
                    "每个项目只填一行",
                    "请删除重复的一行；如果是两个不同的项目，请在项目名称中加以区分（如注明“一期”“二期”）。",
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
                (
                    f"项目“{name}”的所属单位填的是{quoted(raw)}",
                    "以下单位之一：" + "、".join(registry.unit_names),
                    "每个项目都要归属到具体的县市区，请填写项目所在单位（可从下拉列表中选择）。"
                    if unit == registry.city
                    else closest(squash(_text(raw)), registry.unit_names),
                ),
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
                    f"项目“{name}”的产业链填的是{quoted(raw)}",
                    f"七大产业链之一（{'、'.join(registry.chains)}），或“{registry.other_chain}”",
                    closest(key, chains.values()) + f"不属于七大产业链的项目请填“{registry.other_chain}”。",
                ),
            )
        rec["chain"] = chain or ""
        # status
        raw = cells.get("status")
        status = statuses.get(squash(_text(raw)))
        if status is None:
            err(
                r,
                "status",
                (
                    f"项目“{name}”的项目状态填的是{quoted(raw)}",
                    "、".join(registry.statuses) + "之一",
                    "请从下拉列表中选择项目在本季度末所处的阶段：" + "、".join(registry.statuses) + "。",
                ),
            )
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
                err(r, k, _about(f"项目“{name}”的{LEDGER_CN[k]}", issue))
            if number is None:
                number = math.nan if k == "investment" else 0.0
            rec[k] = number
        if "investment" in h.columns and math.isnan(rec["investment"]) and is_blank(cells.get("investment")):
            err(
                r,
                "investment",
                (
                    f"项目“{name}”的计划总投资是空白",
                    "计划总投资（单位：亿元）",
                    "请填写项目的计划总投资，只填数字，如“5.2”。",
                ),
            )
        if (
            "provincial_funds" in h.columns
            and not math.isnan(rec["investment"])
            and rec["provincial_funds"] > rec["investment"] + 1e-9
        ):
            err(
                r,
                "provincial_funds",
                (
                    f"项目“{name}”的其中省外境内资金 {_fmt(rec['provincial_funds'])} 亿元，"
                    f"大于计划总投资 {_fmt(rec['investment'])} 亿元",
                    "其中省外境内资金不能大于计划总投资",
                    f"请核对这两个数字（{cell_ref(r, h.columns['provincial_funds'])} 和 "
                    f"{cell_ref(r, h.columns['investment'])}），改正填错的一个；两者的单位都是亿元。",
                ),
            )
        # dates
        for k in ("sign_date", "start_date", "production_date"):
            if k not in h.columns:
                rec[k] = pd.NaT
                continue
            day, issue = parse_date(cells.get(k))
            if issue:
                err(r, k, _about(f"项目“{name}”的{LEDGER_CN[k]}", issue))
            rec[k] = pd.Timestamp(day) if day else pd.NaT
            if day and pd.Timestamp(day) > q_end:
                warn(
                    r,
                    k,
                    (
                        f"项目“{name}”的{LEDGER_CN[k]}是 {shown(day)}，晚于本季度末",
                        f"不晚于本季度末（{q_end:%Y-%m-%d}）的日期",
                        "项目库填报的是截至季度末的情况，请核对日期（特别是年份和月份）是否填错。",
                    ),
                )
        if status in ("签约", "开工", "投产") and "sign_date" in h.columns and pd.isna(rec["sign_date"]):
            warn(
                r,
                "sign_date",
                (
                    f"项目“{name}”的状态是“{status}”，但签约日期是空白",
                    f"“{status}”项目的签约日期",
                    "请补填签约日期，格式如“2020-03-15”。",
                ),
            )
        # flags
        for k in ("hightech", "big_manufacturing", "key_project"):
            if k not in h.columns:
                rec[k] = False
                continue
            flag, issue = parse_bool(cells.get(k))
            if issue:
                err(r, k, _about(f"项目“{name}”的“{LEDGER_CN[k]}”", issue))
            rec[k] = flag
        if rec["big_manufacturing"] and not math.isnan(rec["investment"]) and rec["investment"] < 5:
            warn(
                r,
                "big_manufacturing",
                (
                    f"项目“{name}”标为“5亿元以上制造业”，但计划总投资只有 {_fmt(rec['investment'])} 亿元",
                    "计划总投资在 5 亿元及以上的制造业项目才填“是”",
                    "请核对：投资不足 5 亿元的，这一栏请改为“否”；如果是计划总投资填错了，请改正计划总投资。",
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
                    f"项目“{name}”的三类500强填的是{quoted(raw)}",
                    "空白，或以下之一：" + "、".join(registry.top500_lists),
                    "请写明投资方属于哪一类500强（" + "、".join(registry.top500_lists) + "），"
                    "不属于500强的请留空。",
                ),
            )
            rec["top500"] = ""
        raw = cells.get("problem_kind")
        text = squash(_text(raw))
        if text and text not in kinds:
            err(
                r,
                "problem_kind",
                (
                    f"项目“{name}”的问题类型填的是{quoted(raw)}",
                    "空白，或以下之一：" + "、".join(kinds.values()),
                    "请从下拉列表中选择问题类型；没有问题的请留空。具体问题请写在“存在问题”一栏。",
                ),
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
    label = _label(registry)
    for key in cur.values.columns:
        if key not in prev.values.columns:
            continue
        if key.endswith(PREV_SUFFIX):
            kind, period = "上年同期的累计数", f"上年1月1日至上年第{cur.quarter}季度末"
        else:
            kind, period = "本年累计数", "本年1月1日至本季度末"
        for unit in registry.unit_names:
            a, b = prev.values.at[unit, key], cur.values.at[unit, key]
            if math.isnan(a) or math.isnan(b) or b >= a - 1e-9:
                continue
            problems.add(
                WARNING if key.endswith(PREV_SUFFIX) else ERROR,
                display,
                sheet,
                table.cells.get((unit, key), ""),
                f"{unit}的“{label(key)}”是 {_fmt(b)}，比第{prev.quarter}季度报的 {_fmt(a)} 还少",
                f"不少于 {_fmt(a)}（各季度填的是{kind}，只增不减）",
                f"请核对{unit}的这个数字：应填写{period}的累计数，包含第{prev.quarter}季度已报的数。",
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
                f"{unit}填报的“{label}”是 {_fmt(reported)} 个",
                f"{listed} 个（按项目库“{ledger.source.path.name}”统计的{unit}{label}数）",
                "请核对项目库和本表，使两者一致。项目个数只统计项目库中状态为签约、开工、投产的项目"
                "（洽谈中的项目不计）。",
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
                f"项目“{name}”的状态是“{status}”，但第{prev.quarter}季度已经是“{old}”",
                f"“{old}”或之后的阶段（项目状态只能前进，不能倒退）",
                "请核对项目状态。如果项目已终止，请从项目库中删除并另行说明，不要把状态改回去。",
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
            [Problem(ERROR, "", "", "", f"季度编号“{quarter}”", "1、2、3、4 之一", "请选择第1至第4季度。")]
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
                    "找不到这个文件夹",
                    f"年度文件夹“{_display(year_dir, data_dir)}”，内有年度招商计划表和各季度文件夹",
                    f"请新建文件夹“{_display(year_dir, data_dir)}”，放入年度招商计划表，并按季度建立"
                    f"“{year}Q1”“{year}Q2”等文件夹，放入当季的季度完成情况表和项目库。",
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
                "季度文件夹中有一份年度招商计划表",
                f"年度招商计划表只放在年度文件夹“{_display(year_dir, data_dir)}”中",
                "这份文件已被忽略。请把它移出季度文件夹，年度文件夹中只保留一份计划表。",
            )
            continue
        if f.header.kind != PLAN and f.quarter is None:
            problems.add(
                ERROR,
                f.display,
                f.grid.sheet,
                "",
                f"年度文件夹中有一份{KIND_CN[f.header.kind]}",
                f"{KIND_CN[f.header.kind]}放在所属季度的文件夹中，"
                f"如“{_display(year_dir, data_dir)}/{year}Q1”",
                "请把该文件移到它所属季度的文件夹中。",
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
                    f"第二份{KIND_CN[kind]}（另一份是“{files[0].display}”）",
                    (f"第{q}季度只有一份{KIND_CN[kind]}" if q else f"年度文件夹中只有一份{KIND_CN[kind]}"),
                    "请保留最新的一份，把另一份删除或移出该文件夹（程序按内容识别表格，只改文件名不起作用）。",
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
            "找不到年度招商计划表",
            f"年度文件夹“{_display(year_dir, data_dir)}”中有本年度的招商计划表（.xlsx 或 .csv 文件）",
            f"请把年度招商计划表放入年度文件夹（{TEMPLATE_HINT}）。",
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
                    f"找不到第{q}季度的{KIND_CN[kind]}",
                    f"“{folder}”文件夹中有{KIND_CN[kind]}（.xlsx 或 .csv 文件）",
                    f"请把第{q}季度的{KIND_CN[kind]}放入“{folder}”文件夹"
                    + ("。" if q == quarter else f"；缺少该文件时，第{q}季度不参与各季度之间的核对。"),
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
