"""Checks between files: a quarter against the one before (cumulative figures only grow, project
statuses only move forward) and a quarter's 完成情况 against its 项目库 (the project counts).

All of these are made only on what was read cleanly; problems in a file are reported by its
reader, never echoed here.
"""

from __future__ import annotations

import math

import pandas as pd

from zsreport.ingest.dataset import PREV_SUFFIX, Actuals, Ledger, Plan, Registry
from zsreport.ingest.ledger import LedgerCells
from zsreport.ingest.messages import fmt_number, indicator_label
from zsreport.ingest.problems import ERROR, WARNING, Problems
from zsreport.ingest.scan import Found
from zsreport.ingest.tables import UnitTable


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


def check_cumulative(
    prev: Actuals, cur: Actuals, table: UnitTable, f: Found, registry: Registry, problems: Problems
) -> None:
    """Figures are totals since 1 January: a unit's figure never falls from one quarter to the next
    (an error for this year's figures, a warning for 上年同期)."""
    label = indicator_label(registry)
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
                f.display,
                f.grid.sheet,
                table.cells.get((unit, key), ""),
                f"{unit}的“{label(key)}”是 {fmt_number(b)}，比第{prev.quarter}季度报的 {fmt_number(a)} 还少",
                f"不少于 {fmt_number(a)}（各季度填的是{kind}，只增不减）",
                f"请核对{unit}的这个数字：应填写{period}的累计数，包含第{prev.quarter}季度已报的数。",
            )


def check_counts(
    actuals: Actuals, table: UnitTable, ledger: Ledger, f: Found, registry: Registry, problems: Problems
) -> None:
    """The project counts of 完成情况 should be those of the 项目库 (a warning: either may be wrong)."""
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
                f.display,
                f.grid.sheet,
                table.cells.get((unit, key), ""),
                f"{unit}填报的“{label}”是 {fmt_number(reported)} 个",
                f"{listed} 个（按项目库“{ledger.source.path.name}”统计的{unit}{label}数）",
                "请核对项目库和本表，使两者一致。项目个数只统计项目库中状态为签约、开工、投产的项目"
                "（洽谈中的项目不计）。",
            )


def check_status_order(
    prev: Ledger, cur: Ledger, cells: LedgerCells, f: Found, registry: Registry, problems: Problems
) -> None:
    """A project's status only moves forward along ``registry.statuses``."""
    order = {s: i for i, s in enumerate(registry.statuses)}
    before = dict(zip(prev.projects["name"], prev.projects["status"], strict=True))
    for name, status in zip(cur.projects["name"], cur.projects["status"], strict=True):
        old = before.get(name)
        if old in order and status in order and order[status] < order[old]:
            problems.add(
                WARNING,
                f.display,
                f.grid.sheet,
                cells.ref(name, "status"),
                f"项目“{name}”的状态是“{status}”，但第{prev.quarter}季度已经是“{old}”",
                f"“{old}”或之后的阶段（项目状态只能前进，不能倒退）",
                "请核对项目状态。如果项目已终止，请从项目库中删除并另行说明，不要把状态改回去。",
            )


# A figure beyond this many times its share of the year's plan (序时进度) looks like a typo (a
# decimal point or unit off); the shipped year stays below half of it. Counts also need a gap of
# ``COUNT_GAP`` projects, so that 3 against a target of 1 stays unremarked.
PLAN_MULTIPLE = 4.0
JUMP_MULTIPLE = 2.0  # one quarter's increase beyond twice the whole year's target
NO_TARGET_JUMP = 10.0  # without a target: ten times last quarter's figure
COUNT_GAP = 5
# A digit slip that stays above last quarter (4.5 typed 45 after 3.8): ten times last quarter's
# figure, and more added in one quarter than a quarter's share of the year's target.
SLIP_MULTIPLE = 9.5


def check_plausible(
    plan: Plan,
    prev: Actuals | None,
    cur: Actuals,
    table: UnitTable,
    f: Found,
    registry: Registry,
    problems: Problems,
) -> None:
    """A warning for a figure far outside what is plausible: many times its unit's plan for the
    time of year, or a jump from last quarter out of all proportion. It may be right (a big project
    landed), so it is told, not refused."""
    label = indicator_label(registry)
    for ind in registry.indicators:
        for unit in registry.unit_names:
            value = cur.values.at[unit, ind.key]
            before = prev.values.at[unit, ind.key] if prev is not None else math.nan
            why = _implausible(value, plan.targets.at[unit, ind.key], before, cur.quarter, ind.unit == "个")
            if why is None:
                continue
            problems.add(
                WARNING,
                f.display,
                f.grid.sheet,
                table.cells.get((unit, ind.key), ""),
                f"{unit}的“{label(ind.key)}”是 {fmt_number(value)}，{why}",
                "本年1月1日至本季度末的累计数，与年度目标和上季度的累计数大致相称",
                f"请核对这个数字：是否多打或少打了一位、小数点位置是否正确、是否按{ind.unit}填写"
                f"（而不是按万元、元或美元）。如果数字无误（如有特大项目落地），可不改动。",
            )


def _slipped_digit(value: float, before: float, quarter_share: float) -> bool:
    return (
        not math.isnan(before)
        and before > 0
        and value >= SLIP_MULTIPLE * before
        and value - before > quarter_share
    )


def _implausible(value: float, target: float, before: float, quarter: int, count: bool) -> str | None:
    """Why ``value`` looks wrong, or ``None``."""
    if math.isnan(value):
        return None
    gap_ok = (lambda d: d >= COUNT_GAP) if count else (lambda d: True)
    if target > 0:
        share = target * quarter / 4  # 序时进度
        if value > PLAN_MULTIPLE * share and gap_ok(value - target):
            return (
                f"是年度目标 {fmt_number(target)} 的 {value / target:.1f} 倍"
                f"（按序时进度，第{quarter}季度末约为年度目标的 {quarter * 25}%）"
            )
        if not math.isnan(before) and value - before > JUMP_MULTIPLE * target and gap_ok(value - before):
            return (
                f"比上季度的 {fmt_number(before)} 一下子多了 {fmt_number(value - before)}，"
                f"一个季度的增加超过全年目标 {fmt_number(target)} 的 {JUMP_MULTIPLE:.0f} 倍"
            )
        if _slipped_digit(value, before, target / 4) and gap_ok(value - before):
            return (
                f"是上季度 {fmt_number(before)} 的 {value / before:.0f} 倍，一个季度增加了"
                f" {fmt_number(value - before)}，多于一个季度的序时目标 {fmt_number(target / 4)}"
                f"（小数点错一位的数字仍比上季度大，累计数只增不减的核对发现不了）"
            )
        return None
    if not math.isnan(before) and before > 0 and value >= NO_TARGET_JUMP * before and gap_ok(value - before):
        return f"是上季度 {fmt_number(before)} 的 {value / before:.0f} 倍（没有年度目标可作对照）"
    return None
