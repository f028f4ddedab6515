"""A quarter's 完成情况: each unit's figures so far this year (and 上年同期 of the money figures).

A blank figure is nothing done yet (0); the clerk is told when the unit had a target for it.
A row reading 未报送 (a return that had not come in when ``collect`` ran) is not reported: its
figures stay NaN and the unit is listed in ``Actuals.unreported``, never counted as 0.
"""

from __future__ import annotations

import datetime as dt
import math
import re

import pandas as pd

from zsreport.ingest.dataset import INFO_COUNT, NOT_REPORTED, PREV_SUFFIX, Actuals, Plan, Registry
from zsreport.ingest.messages import fmt_number, indicator_label
from zsreport.ingest.problems import ERROR, WARNING, Problems
from zsreport.ingest.rows import header_problems, missing_columns
from zsreport.ingest.scan import Found
from zsreport.ingest.shape import header_aligned
from zsreport.ingest.tables import (
    UnitTable,
    check_city_sum,
    check_industrial_within_provincial,
    missing_units,
    read_unit_table,
)


def actual_columns(registry: Registry) -> list[str]:
    cols = [i.key for i in registry.indicators]
    cols += [i.key + PREV_SUFFIX for i in registry.indicators if i.money]
    return [*cols, INFO_COUNT]


def read_actuals(
    f: Found, year: int, quarter: int, registry: Registry, plan: Plan | None, problems: Problems
) -> tuple[Actuals, UnitTable]:
    keys = [i.key for i in registry.indicators]
    cols = actual_columns(registry)
    label = indicator_label(registry)
    header_problems(f, problems)
    aligned = header_aligned(f, registry, problems)
    if aligned:
        missing_columns(f, keys, ERROR, problems, label)
        missing_columns(f, [c for c in cols if c not in keys], WARNING, problems, label)
    table = read_unit_table(f, registry, problems, cols, figures=aligned, unreported_ok=True)
    missing_units(f, table, registry, problems)
    check_city_sum(f, table, [c for c in cols if c in f.header.columns], registry, problems)
    frame = table.values.reindex(list(registry.unit_names))
    unreported = _unreported(f, table, registry, problems)
    frame.loc[list(unreported)] = math.nan
    _blanks_are_zero(f, table, frame, registry, plan, problems, unreported)
    check_industrial_within_provincial(f, table, frame, problems)
    frame.index.name = "unit"
    actuals = Actuals(
        year=year,
        quarter=quarter,
        values=frame.astype(float),
        source=f.source,
        unreported=unreported,
        cutoff=cutoff_date(f) if unreported else None,
    )
    return actuals, table


def _unreported(f: Found, table: UnitTable, registry: Registry, problems: Problems) -> tuple[str, ...]:
    """The units whose row reads 未报送 (registry order). Such a row holds no figure of this year:
    a number beside 未报送 is an error (which of the two is meant?); 上年同期 may stay filled in."""
    marked = {unit for unit, _ in table.unreported}
    this_year = [i.key for i in registry.indicators] + [INFO_COUNT]
    for unit in sorted(marked):
        if unit == registry.city:
            _mixed_row(f, unit, table.row_cells.get(unit, ""), f"“{NOT_REPORTED}”", registry, problems)
            continue
        for key in this_year:
            value = table.values.at[unit, key] if key in table.values.columns else math.nan
            if (unit, key) not in table.unreported and not math.isnan(value):
                _mixed_row(f, unit, table.cells.get((unit, key), ""), fmt_number(value), registry, problems)
                break
    return tuple(u for u in registry.unit_names if u in marked)


def _mixed_row(f: Found, unit: str, cell: str, found: str, registry: Registry, problems: Problems) -> None:
    city = unit == registry.city
    problems.add(
        ERROR,
        f.display,
        f.grid.sheet,
        cell,
        f"{unit}一行是合计，这一格却写“{NOT_REPORTED}”"
        if city
        else f"{unit}这一行有的格子写“{NOT_REPORTED}”，这一格却是 {found}",
        f"{registry.city}一行是各单位之和，可以留空"
        if city
        else f"已报送的单位填写全部数字；未报送的单位整行写“{NOT_REPORTED}”",
        f"请把{registry.city}一行的“{NOT_REPORTED}”删去（程序自动按已报送的单位相加）。"
        if city
        else f"如{unit}已报送，请把“{NOT_REPORTED}”改为它报的数字（最好重新运行 collect --replace）；"
        f"如未报送，请把这一行的数字都改为“{NOT_REPORTED}”。",
    )


_CUTOFF = re.compile(r"截至(\d{4})年(\d{1,2})月(\d{1,2})日")


def cutoff_date(f: Found) -> dt.date | None:
    """The date of the note "截至2021年1月8日，……未报送" that ``collect`` writes under the table: the
    day the office stopped waiting for the missing returns (None: no such note)."""
    grid = f.grid
    for r in range(len(grid.rows)):
        for c in range(grid.width):
            text = grid.text(r, c)
            if NOT_REPORTED in text and (m := _CUTOFF.search(text)):
                try:
                    return dt.date(int(m[1]), int(m[2]), int(m[3]))
                except ValueError:
                    return None
    return None


def _blanks_are_zero(
    f: Found,
    table: UnitTable,
    frame: pd.DataFrame,
    registry: Registry,
    plan: Plan | None,
    problems: Problems,
    unreported: tuple[str, ...] = (),
) -> None:
    """A blank figure of this year is nothing done yet (0); a warning when it had a target.
    Blanks of 上年同期 stay NaN: last year's figure is unknown, not zero; so do the blanks of a
    unit that has not reported."""
    keys = [i.key for i in registry.indicators]
    label = indicator_label(registry)
    for unit, key in sorted(table.blanks):
        if unit == registry.city or unit in unreported or not (key in keys or key == INFO_COUNT):
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
                f"本年累计完成数（{unit}这一项的年度目标是 {fmt_number(target)} "
                f"{registry.indicator(key).unit}）",
                "暂按 0 计算。如果确实是 0，请填写“0”；如果有完成数，请补填。",
            )
