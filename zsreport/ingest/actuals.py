"""A quarter's 完成情况: each unit's figures so far this year (and 上年同期 of the money figures).

A blank figure is nothing done yet (0); the clerk is told when the unit had a target for it.
"""

from __future__ import annotations

import math

import pandas as pd

from zsreport.ingest.dataset import INFO_COUNT, PREV_SUFFIX, Actuals, Plan, Registry
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
    table = read_unit_table(f, registry, problems, cols, figures=aligned)
    missing_units(f, table, registry, problems)
    check_city_sum(f, table, [c for c in cols if c in f.header.columns], registry, problems)
    frame = table.values.reindex(list(registry.unit_names))
    _blanks_are_zero(f, table, frame, registry, plan, problems)
    check_industrial_within_provincial(f, table, frame, problems)
    frame.index.name = "unit"
    return Actuals(year=year, quarter=quarter, values=frame.astype(float), source=f.source), table


def _blanks_are_zero(
    f: Found,
    table: UnitTable,
    frame: pd.DataFrame,
    registry: Registry,
    plan: Plan | None,
    problems: Problems,
) -> None:
    """A blank figure of this year is nothing done yet (0); a warning when it had a target.
    Blanks of 上年同期 stay NaN: last year's figure is unknown, not zero."""
    keys = [i.key for i in registry.indicators]
    label = indicator_label(registry)
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
                f"本年累计完成数（{unit}这一项的年度目标是 {fmt_number(target)} "
                f"{registry.indicator(key).unit}）",
                "暂按 0 计算。如果确实是 0，请填写“0”；如果有完成数，请补填。",
            )
