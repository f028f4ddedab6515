"""Finding a table's header in a grid, by its words (never by fixed cell addresses), and telling
which table it is: the plan, a quarter's 完成情况 or a 项目库.

Title rows above the header, merged multi-row headers with "其中", units and line breaks inside
header cells and full- or half-width brackets are all fine. The unit column's header may be left
blank, as in the office's own plan (A2:A4 merged, empty): the column is then found by its contents.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from zsreport.ingest.cells import Grid, cell_ref
from zsreport.ingest.dataset import INFO_COUNT, PREV_SUFFIX, Indicator, Registry
from zsreport.ingest.names import unit_lookup
from zsreport.ingest.parse import is_blank, squash
from zsreport.ingest.problems import Issue

PLAN, ACTUALS, LEDGER = "plan", "actuals", "ledger"
KIND_CN = {PLAN: "年度招商计划表", ACTUALS: "季度完成情况表", LEDGER: "项目库"}

# Where a header is looked for: the top rows (title rows and a multi-row header fit easily).
HEADER_SEARCH_ROWS = 40
# Where a unit column without header words is looked for (a unit table has some 15 rows).
UNIT_SEARCH_ROWS = 100
# Header words of the unit column.
UNIT_HEADER_WORDS = ("单位", "单位名称", "县市区", "县(市、区)", "县市区名称", "地区", "所属单位", "区县")
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

MONEY_UNITS = ("亿元", "万元", "万美元", "亿美元", "美元", "元")
# Each money unit in the smallest unit of its currency.
UNIT_SIZE = {"亿元": 1e8, "万元": 1e4, "元": 1, "亿美元": 1e8, "万美元": 1e4, "美元": 1}


@dataclass
class Header:
    kind: str  # PLAN | ACTUALS | LEDGER
    row: int  # first header row
    depth: int
    columns: dict[str, int]  # field → column
    header_cells: dict[str, str]  # field → header cell ref
    anchor_col: int  # the unit column (tables) or name column (ledger)
    title: str  # text above the header
    problems: list[tuple[str, Issue]] = field(default_factory=list)  # cell, issue
    texts: dict[int, str] = field(default_factory=dict)


def find_header(grid: Grid, registry: Registry) -> Header | None:
    """The first header in the top rows: a "项目名称" cell makes a ledger; a unit-column word
    with indicator columns beside it makes a plan or 完成情况 table. Without such a word, a column
    listing the units makes one too (its header left blank, as the office does)."""
    return _header_by_words(grid, registry) or _header_by_unit_names(grid, registry)


def _header_by_words(grid: Grid, registry: Registry) -> Header | None:
    unit_words = {squash(w) for w in UNIT_HEADER_WORDS}
    for r in range(min(len(grid.rows), HEADER_SEARCH_ROWS)):
        texts = [grid.text(r, c) for c in range(grid.width)]
        for c, t in enumerate(texts):
            if "项目名称" in t:
                return _ledger_header(grid, r, c)
        for c, t in enumerate(texts):
            if strip_brackets(t) in unit_words or t in unit_words:
                header = _table_header(grid, r, c, registry)
                if header is not None:
                    return header
    return None


def _header_by_unit_names(grid: Grid, registry: Registry) -> Header | None:
    """A unit table whose unit column has no header word: the column naming the most units (at
    least half of them) is the unit column, and its header is the rows just above its first name."""
    lookup = unit_lookup(registry)
    best: tuple[int, int, int] | None = None  # units named, column, first row
    for c in range(grid.width):
        rows = [r for r in range(min(len(grid.rows), UNIT_SEARCH_ROWS)) if grid.text(r, c) in lookup]
        named = len({lookup[grid.text(r, c)] for r in rows})
        if named * 2 >= len(registry.units) and (best is None or named > best[0]):
            best = (named, c, rows[0])
    if best is None:
        return None
    _, anchor, first = best
    top = _header_top(grid, first, anchor)
    if top is None:
        return None
    return _table_header(grid, top, anchor, registry, depth=first - top)


def _header_top(grid: Grid, first: int, anchor: int) -> int | None:
    """The first header row above the first data row ``first``: the unit column's blank merged
    header cell tells it; otherwise the rows above that name two or more columns (a title or
    "统计时间" line names one)."""
    m = grid.merge_of(first - 1, anchor)
    if m is not None and m[2] == first - 1 and m[0] < first:
        return m[0]
    top = first
    while top > 0 and first - top < 5:
        filled = sum(not is_blank(grid.raw(top - 1, c)) for c in range(grid.width))
        if filled < 2:
            break
        top -= 1
    return top if top < first else None


def strip_brackets(text: str) -> str:
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
    """How many rows the header spans: the anchor's merge, else until a row looks like data."""
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


def _title_above(grid: Grid, r0: int) -> str:
    return " ".join(grid.text(r, c) for r in range(r0) for c in range(grid.width) if grid.text(r, c))


def _match_indicator(text: str, registry: Registry) -> Indicator | None:
    """The indicator whose longest header word appears in ``text``."""
    best, best_len = None, 0
    for ind in registry.indicators:
        for word in ind.headers:
            w = squash(word)
            if w in text and len(w) > best_len:
                best, best_len = ind, len(w)
    return best


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


def _table_column_key(text: str, registry: Registry) -> tuple[str | None, Issue | None]:
    """The column key a unit-table header names (``None``: not an input column), and the problem
    of a money column headed with another unit than the indicator's."""
    if any(w in text for w in DERIVED_WORDS):
        return None, None
    plain = strip_brackets(text)
    ind = _match_indicator(plain, registry)
    prev = any(w in plain for w in PREV_WORDS)
    if ind is None:
        return (INFO_COUNT if any(w in plain for w in INFO_WORDS) else None), None
    if prev and not ind.money:
        return None, None
    key = ind.key + (PREV_SUFFIX if prev else "")
    units = _units_in(text)
    if not (ind.unit in MONEY_UNITS and units and ind.unit not in units):
        return key, None
    return key, (
        f"表头“{text.replace('|', ' ')}”的单位是{units[-1]}",
        f"“{ind.label}”以{ind.unit}为单位",
        f"请把这一列的数字全部换算成{ind.unit}{_conversion(units[-1], ind.unit)}，"
        f"并把表头改为“{ind.label}（{ind.unit}）”。",
    )


def _table_header(
    grid: Grid, r0: int, anchor: int, registry: Registry, depth: int | None = None
) -> Header | None:
    depth = depth or _depth(grid, r0, anchor)
    texts, cells = _header_texts(grid, r0, depth)
    columns: dict[str, int] = {}
    header_cells: dict[str, str] = {}
    problems: list[tuple[str, Issue]] = []
    for c, t in texts.items():
        if c == anchor or not t:
            continue
        key, unit_issue = _table_column_key(t, registry)
        if unit_issue is not None:
            problems.append((cells[c], unit_issue))
        if key is None:
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
    title = _title_above(grid, r0)
    actual_cols = any(k.endswith(PREV_SUFFIX) or k == INFO_COUNT for k in columns)
    kind = ACTUALS if actual_cols or ("完成" in title and "计划" not in title) else PLAN
    return Header(kind, r0, depth, columns, header_cells, anchor, title, problems, texts)


def _ledger_header(grid: Grid, r0: int, anchor: int) -> Header:
    depth = _depth(grid, r0, anchor)
    texts, cells = _header_texts(grid, r0, depth)
    columns: dict[str, int] = {}
    header_cells: dict[str, str] = {}
    problems: list[tuple[str, Issue]] = []
    for c, t in texts.items():
        if not t:
            continue
        plain = strip_brackets(t)
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
    return Header(LEDGER, r0, depth, columns, header_cells, anchor, _title_above(grid, r0), problems, texts)
