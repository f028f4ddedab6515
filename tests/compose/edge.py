"""Edge-case quarters made from a real one (issue 20): a loaded ``Dataset`` of the tests' own copy of
the data, copied and changed the way a real year can: blank and zero targets, exact ties, figures a
hair under or over a target or 序时进度, all units ahead or behind, a project's stage moved
backwards, a 完成情况 count that disagrees with the 项目库, a missing 上年同期, a unit 未报送.

Each edit returns a new ``Dataset``; the loaded one is never changed."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from decimal import Decimal
from fractions import Fraction

import numpy as np

from zsreport.ingest.dataset import PREV_SUFFIX, Dataset

MONEY = ("provincial_funds", "industrial_funds", "foreign_capital")


def clone(ds: Dataset) -> Dataset:
    """A deep copy: frames and all, so an edit never reaches the loaded dataset."""
    return copy.deepcopy(ds)


def _decimals(ds: Dataset, key: str) -> int:
    return ds.registry.indicator(key).decimals


def _targets(ds: Dataset):
    return ds.plan.targets


def _values(ds: Dataset):
    return ds.current.values


def blank_target(ds: Dataset, unit: str, key: str) -> Dataset:
    ds = clone(ds)
    _targets(ds).loc[unit, key] = np.nan
    return ds


def zero_target(ds: Dataset, unit: str, key: str) -> Dataset:
    ds = clone(ds)
    _targets(ds).loc[unit, key] = 0.0
    return ds


def at_line(ds: Dataset, unit: str, key: str, line: Fraction, hair: int) -> Dataset:
    """The unit's figure set at ``line`` × its target (1: the target; quarter/4: 序时进度), then
    ``hair`` steps of the indicator's last decimal above (+) or below (−); 0: exactly on it when
    the target allows (else the nearest figure on the far side)."""
    ds = clone(ds)
    target = _targets(ds).loc[unit, key]
    if not target or np.isnan(target):
        return ds
    step = Fraction(1, 10 ** _decimals(ds, key))
    exact_line = Fraction(Decimal(format(target, ".15g"))) * line
    steps = exact_line / step  # the line in steps of the last decimal
    if hair == 0:
        on = round(steps)  # exactly on the line when the target allows, else the nearest figure
    elif hair < 0:
        on = (steps.numerator - 1) // steps.denominator + hair + 1  # strictly below, then further
    else:
        on = steps.numerator // steps.denominator + hair  # strictly above, then further
    value = Decimal(on) * Decimal(step.numerator) / Decimal(step.denominator)
    _values(ds).loc[unit, key] = float(max(value, Decimal(0)))
    return ds


def tie(ds: Dataset, first: str, second: str, key: str) -> Dataset:
    """``second`` given ``first``'s target and figure: an exact tie on 完成率 (and on the figure)."""
    ds = clone(ds)
    _targets(ds).loc[second, key] = _targets(ds).loc[first, key]
    _values(ds).loc[second, key] = _values(ds).loc[first, key]
    return ds


def scale_all(ds: Dataset, key: str, share: Fraction) -> Dataset:
    """Every unit's figure at ``share`` of its target: all ahead (> 序时进度) or all behind."""
    ds = clone(ds)
    places = _decimals(ds, key)
    for unit in ds.registry.unit_names:
        target = _targets(ds).loc[unit, key]
        if target and not np.isnan(target):
            figure = Fraction(Decimal(format(target, ".15g"))) * share
            _values(ds).loc[unit, key] = round(float(figure), places)
    return ds


def backward(ds: Dataset, count: int = 1) -> tuple[Dataset, list[str]]:
    """``count`` key projects moved back one stage since last quarter (开工→签约, 投产→开工)."""
    ds = clone(ds)
    previous = ds.ledgers.get(ds.quarter - 1)
    if previous is None:
        return ds, []
    before = dict(zip(previous.projects["name"], previous.projects["status"], strict=True))
    statuses = ds.registry.statuses
    projects = ds.ledger.projects
    moved = []
    for i, row in projects.iterrows():
        was = before.get(row["name"])
        if len(moved) < count and row["key_project"] and was in statuses[2:]:
            projects.at[i, "status"] = statuses[statuses.index(was) - 1]
            moved.append(row["name"])
    return ds, moved


def count_mismatch(ds: Dataset, unit: str, delta: int) -> Dataset:
    """The unit's 七大产业链项目 in 完成情况 off the 项目库's count by ``delta``."""
    ds = clone(ds)
    _values(ds).loc[unit, "chain_projects"] = max(0.0, _values(ds).loc[unit, "chain_projects"] + delta)
    return ds


def drop_prev(ds: Dataset, unit: str, key: str = "provincial_funds") -> Dataset:
    """The unit's 上年同期 left blank."""
    ds = clone(ds)
    _values(ds).loc[unit, key + PREV_SUFFIX] = np.nan
    return ds


def unreport(ds: Dataset, unit: str, cutoff: dt.date | None = None) -> Dataset:
    """The unit's return not in: its row 未报送, as collect writes it, with the cut-off stated."""
    ds = clone(ds)
    _values(ds).loc[unit, :] = np.nan
    ledger = ds.ledger
    kept = dataclasses.replace(
        ledger, projects=ledger.projects[ledger.projects["unit"] != unit].reset_index(drop=True)
    )
    current = dataclasses.replace(
        ds.current, unreported=(*ds.current.unreported, unit), cutoff=cutoff or after_quarter(ds)
    )
    actuals = {**ds.actuals, ds.quarter: current}
    return dataclasses.replace(ds, actuals=actuals, ledgers={**ds.ledgers, ds.quarter: kept})


def after_quarter(ds: Dataset) -> dt.date:
    """A cut-off a week after the quarter's end."""
    end = dt.date(ds.year + (ds.quarter == 4), 1 if ds.quarter == 4 else ds.quarter * 3 + 1, 1)
    return end + dt.timedelta(days=6)


def set_value(ds: Dataset, unit: str, key: str, value: float) -> Dataset:
    ds = clone(ds)
    _values(ds).loc[unit, key] = value
    return ds


def chain_tie(ds: Dataset) -> tuple[Dataset, tuple[str, str]]:
    """The chain with the second most 新引进 projects given as many as the first (projects of the
    other chains moved to it; each unit's count of chain projects is unchanged): a tie for most."""
    ds = clone(ds)
    projects = ds.ledger.projects
    signed = projects["status"] != ds.registry.statuses[0]
    seven = list(ds.registry.chains)
    counts = {c: int((signed & (projects["chain"] == c)).sum()) for c in seven}
    first, second = sorted(seven, key=lambda c: -counts[c])[:2]
    for i in projects.index[
        signed & ~projects["chain"].isin([first, second]) & projects["chain"].isin(seven)
    ]:
        if counts[second] == counts[first]:
            break
        projects.at[i, "chain"] = second
        counts[second] += 1
    return ds, (first, second)
