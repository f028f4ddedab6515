"""Unit tables (the plan and a quarter's 完成情况): one row per unit, one column per figure.

A row is found by its unit's name wherever it stands (a 全市 row anywhere or none at all; the
header repeated on a second page is skipped); every figure cell is parsed and every problem
located at its cell. What the figures mean is for ``plan`` and ``actuals``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from zsreport.ingest.cells import cell_ref
from zsreport.ingest.dataset import INFO_COUNT, NOT_REPORTED, PREV_SUFFIX, Registry
from zsreport.ingest.headers import UNIT_HEADER_WORDS, strip_brackets
from zsreport.ingest.messages import about, fmt_number, indicator_label, quoted_formula
from zsreport.ingest.names import suggest_unit
from zsreport.ingest.parse import is_blank, parse_number, quoted, squash
from zsreport.ingest.problems import ERROR, Problems
from zsreport.ingest.rows import data_rows, unit_lookup
from zsreport.ingest.scan import Found

# Limits beyond which a figure is a typo (wrong unit or decimal point).
LIMITS = {"亿元": 10_000.0, "万美元": 10_000_000.0, "个": 10_000.0}
TOL = 0.01  # how far a 全市 total may stray from the sum of the units (rounding in the table)


@dataclass
class UnitTable:
    values: pd.DataFrame  # index: city (if present) and units, as found; float columns
    cells: dict[tuple[str, str], str]  # (row name, column key) → cell ref
    row_cells: dict[str, str]  # row name → unit-name cell
    blanks: set[tuple[str, str]]
    bad: set[tuple[str, str]] = field(default_factory=set)  # cells with an error
    unreported: set[tuple[str, str]] = field(default_factory=set)  # cells reading 未报送
    rows_ok: bool = True  # every row names a known unit, once


def read_unit_table(
    f: Found,
    registry: Registry,
    problems: Problems,
    columns: list[str],
    figures: bool = True,
    unreported_ok: bool = False,
) -> UnitTable:
    """The figures of ``columns`` per unit (NaN: blank, bad or no such column), rows in registry
    order; every problem of a row or a cell is reported. ``figures=False`` (a header that does
    not stand over its figures): the rows only, every figure NaN and none of them judged.
    ``unreported_ok``: a cell reading 未报送 is noted in ``unreported`` (NaN), not refused."""
    reader = _UnitTableReader(f, registry, problems)
    reader.unreported_ok = unreported_ok
    return reader.read(columns, figures)


class _UnitTableReader:
    def __init__(self, f: Found, registry: Registry, problems: Problems):
        self.f, self.registry, self.problems = f, registry, problems
        self.lookup = unit_lookup(registry)
        self.label = indicator_label(registry)
        self.table = UnitTable(pd.DataFrame(), {}, {}, set())
        self.unreported_ok = False

    def read(self, columns: list[str], figures: bool = True) -> UnitTable:
        rows: dict[str, dict[str, float]] = {}
        for r in data_rows(self.f):
            name = self._row_unit(r)
            if name is None:
                continue
            self.table.row_cells[name] = cell_ref(r, self.f.header.anchor_col)
            rows[name] = {key: self._figure(r, name, key) if figures else math.nan for key in columns}
        order = [self.registry.city, *self.registry.unit_names]
        frame = pd.DataFrame.from_dict(rows, orient="index", columns=columns, dtype=float)
        self.table.values = frame.reindex([n for n in order if n in rows])
        return self.table

    def _error(self, ref: str, found: str, expected: str, fix: str) -> None:
        self.problems.add(ERROR, self.f.display, self.f.grid.sheet, ref, found, expected, fix)

    def _row_unit(self, r: int) -> str | None:
        """The unit a data row is for; ``None`` for a row to skip (reported when it is wrong)."""
        grid, h, registry = self.f.grid, self.f.header, self.registry
        raw_name = grid.value(r, h.anchor_col)
        ref = cell_ref(r, h.anchor_col)
        if is_blank(raw_name):
            if any(not is_blank(grid.raw(r, c)) for c in h.columns.values()):
                self._error(
                    ref,
                    "这一行填了数字，但单位名称是空白",
                    "单位名称：" + "、".join(registry.unit_names),
                    "请在这一格填写单位名称；如果这一行是多余的，请整行删除。",
                )
                self.table.rows_ok = False
            return None
        if strip_brackets(squash(str(raw_name))) in {squash(w) for w in UNIT_HEADER_WORDS}:
            return None  # the header repeated (a table printed over two pages)
        name = self.lookup.get(squash(str(raw_name)))
        if name is None:
            self._error(
                ref,
                f"单位名称{quoted(raw_name)}",
                f"“{registry.city}”或以下单位之一：" + "、".join(registry.unit_names),
                suggest_unit(str(raw_name), registry),
            )
            self.table.rows_ok = False
            return None
        if name in self.table.row_cells:
            self._error(
                ref,
                f"“{name}”出现了两次（第一次出现在 {self.table.row_cells[name]}）",
                "每个单位只占一行",
                "请核对这一行的单位名称是否写错；如果确实重复，请删除多余的一行，或把两行的数字合并成一行。",
            )
            self.table.rows_ok = False
            return None
        return name

    def _figure(self, r: int, name: str, key: str) -> float:
        """The figure of ``key`` in row ``r``: NaN when blank (noted), bad (reported) or absent."""
        grid, table = self.f.grid, self.table
        c = self.f.header.columns.get(key)
        if c is None:
            return math.nan
        cref = cell_ref(r, c)
        table.cells[(name, key)] = cref
        if (r, c) in grid.uncached:
            self._error(
                cref,
                f"{name}的“{self.label(key)}”是公式{quoted_formula(grid.uncached[(r, c)])}，但没有保存计算结果",
                "直接填写的数字，或已保存计算结果的公式",
                "请用 Excel 或 WPS 打开该文件，直接点“保存”（计算结果会一并保存），再运行一次；"
                "也可以删除公式，直接填写数字。",
            )
            table.bad.add((name, key))
            return math.nan
        if self.unreported_ok and grid.text(r, c) == NOT_REPORTED:
            table.unreported.add((name, key))
            return math.nan
        unit, integer = self._unit_of(key)
        number, issue = parse_number(
            grid.value(r, c), unit=unit, integer=integer, limit=LIMITS.get(unit, 100_000.0)
        )
        if issue:
            self.problems.error(
                self.f.display, grid.sheet, cref, about(f"{name}的“{self.label(key)}”", issue)
            )
            table.bad.add((name, key))
            return math.nan
        if number is None:
            table.blanks.add((name, key))
            return math.nan
        return number

    def _unit_of(self, key: str) -> tuple[str, bool]:
        """The unit of a column and whether its figures are whole numbers."""
        if key == INFO_COUNT:
            return "条", True
        ind = self.registry.indicator(key.removesuffix(PREV_SUFFIX))
        return ind.unit, ind.unit == "个"


def missing_units(f: Found, table: UnitTable, registry: Registry, problems: Problems) -> None:
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


def check_city_sum(
    f: Found, table: UnitTable, keys: list[str], registry: Registry, problems: Problems
) -> None:
    """A 全市 figure that is filled in must equal the sum of the units."""
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
                f"{city}的“{indicator_label(registry)(key)}”填的是 {fmt_number(value)}，"
                f"各单位合计是 {fmt_number(total)}",
                f"{fmt_number(total)}（{city}一行应等于各单位之和，允许相差 {TOL}）",
                f"请核对{city}合计数和各单位的数字，改正填错的一处。{city}一行也可以留空，"
                "程序会自动按各单位相加。",
            )


def check_industrial_within_provincial(
    f: Found, table: UnitTable, frame: pd.DataFrame, problems: Problems
) -> None:
    """工业引资 is part of 省外境内资金, so never above it: in the plan, this year and last."""
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
                    f"{unit}的工业引资{when}是 {fmt_number(ind)}，大于省外境内资金{when} {fmt_number(prov)}"
                    f"（{table.cells.get((unit, b), '')}）",
                    f"工业引资{when}不大于省外境内资金{when}（工业引资是省外境内资金的一部分）",
                    f"请核对{unit}的这两个数字（{table.cells.get((unit, a), '')} 和 "
                    f"{table.cells.get((unit, b), '')}），改正填错的一个。",
                )
