"""The clerk's usual slips that every figure of a table can hide: last quarter's table copied into
this quarter's folder (whole, re-titled, or one unit's row), and the like. Each is told at its file,
sheet and cell, with what to do; only what can never be a real quarter is refused.

Made only on what was read cleanly (``load`` calls these after the readers)."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

from zsreport.ingest.dataset import INFO_COUNT, PREV_SUFFIX, Actuals, Ledger, Registry
from zsreport.ingest.messages import fmt_number, indicator_label
from zsreport.ingest.problems import ERROR, WARNING, Problems
from zsreport.ingest.scan import Found
from zsreport.ingest.tables import UnitTable


def this_year_keys(registry: Registry) -> list[str]:
    """The columns a quarter changes: this year's cumulative figures (not 上年同期)."""
    return [i.key for i in registry.indicators] + [INFO_COUNT]


def _row(actuals: Actuals, unit: str, keys: list[str]) -> list[float]:
    return [actuals.values.at[unit, k] if k in actuals.values.columns else math.nan for k in keys]


def _same(a: list[float], b: list[float]) -> bool:
    return all((math.isnan(x) and math.isnan(y)) or abs(x - y) < 1e-9 for x, y in zip(a, b, strict=True))


def _anything(row: list[float]) -> bool:
    return any(not math.isnan(x) and x != 0 for x in row)


def _same_units(prev: Actuals, cur: Actuals, registry: Registry) -> tuple[list[str], list[str]]:
    """(the units reported in both, those whose cumulative figures are the same in both); no
    units at all when every figure is zero or blank (a table of nothing is no sign of a copy)."""
    keys = this_year_keys(registry)
    units = [u for u in registry.unit_names if u not in prev.unreported and u not in cur.unreported]
    if not any(_anything(_row(cur, u, keys)) for u in units):
        return [], []
    return units, [u for u in units if _same(_row(prev, u, keys), _row(cur, u, keys))]


def check_last_years_table(
    reference: tuple[Actuals, str], cur: Actuals, f: Found, registry: Registry, problems: Problems
) -> None:
    """Last year's table as this year's (re-titled): every unit's cumulative figures equal to what
    last year's same quarter (or, in a first quarter, last December) reported. Refused."""
    last, where = reference
    units, same = _same_units(last, cur, registry)
    if not units or len(same) != len(units):
        return
    period = f"上年第{last.quarter}季度"
    problems.add(
        ERROR,
        f.display,
        f.grid.sheet,
        "",
        f"第{cur.quarter}季度完成情况表中{len(units)}个单位的本年累计数与{period}（“{where}”）的完全相同，"
        "一个数字也没有变",
        f"{cur.year}年第{cur.quarter}季度末的本年累计数",
        f"这很可能是把{period}的表复制了过来（或只改了标题和年份）。请换成{cur.year}年第{cur.quarter}季度的"
        "完成情况表，再运行一次。",
    )


def check_copied_quarter(
    prev: Actuals,
    cur: Actuals,
    table: UnitTable,
    f: Found,
    prev_display: str,
    registry: Registry,
    problems: Problems,
) -> None:
    """Last quarter's 完成情况 in this quarter's folder: every unit's cumulative figures as last
    quarter's is never a real quarter (refused, whatever the title says); one unit's row left as
    last quarter's is told (a unit may truly have done nothing new)."""
    keys = this_year_keys(registry)
    units, same = _same_units(prev, cur, registry)
    if units and len(same) == len(units):
        problems.add(
            ERROR,
            f.display,
            f.grid.sheet,
            "",
            f"第{cur.quarter}季度完成情况表中{len(units)}个单位的本年累计数与第{prev.quarter}季度"
            f"（“{prev_display}”）的完全相同，一个数字也没有变",
            f"第{cur.quarter}季度末的本年累计数（一个季度下来，不会所有单位都没有任何新增）",
            f"这很可能是把第{prev.quarter}季度的表复制到了第{cur.quarter}季度的文件夹（或只改了标题）。"
            f"请换成第{cur.quarter}季度的完成情况表，再运行一次。",
        )
        return
    label = indicator_label(registry)
    for unit in same:
        row = _row(cur, unit, keys)
        if not _anything(row):
            continue  # nothing done in either quarter: no sign of a copy
        shown = "、".join(f"{label(k)} {fmt_number(v)}" for k, v in zip(keys, row, strict=True) if v)
        problems.add(
            WARNING,
            f.display,
            f.grid.sheet,
            table.row_cells.get(unit, ""),
            f"{unit}这一行的本年累计数与第{prev.quarter}季度报的完全相同（{shown}）",
            f"{unit}第{cur.quarter}季度末的本年累计数",
            f"请核对{unit}的这一行是否把第{prev.quarter}季度的数字原样抄了过来；"
            f"如果{unit}本季度确实没有任何新增，可不改动。",
        )


def check_industrial_equals_provincial(cur: Actuals, table: UnitTable, f: Found, problems: Problems) -> None:
    """工业引资 is the part of 省外境内资金 that went into industry: the whole of it, to the cent,
    is more often the one figure typed into both columns."""
    a, b = "industrial_funds", "provincial_funds"
    if a not in cur.values.columns or b not in cur.values.columns:
        return
    for unit in cur.values.index:
        ind, prov = cur.values.at[unit, a], cur.values.at[unit, b]
        if math.isnan(ind) or math.isnan(prov) or prov <= 0 or abs(ind - prov) > 1e-9:
            continue
        problems.add(
            WARNING,
            f.display,
            f.grid.sheet,
            table.cells.get((unit, a), ""),
            f"{unit}的工业引资与省外境内资金（{table.cells.get((unit, b), '')}）都是 {fmt_number(ind)}，分毫不差",
            "工业引资是省外境内资金中投向工业的部分，一般小于省外境内资金",
            f"请核对{unit}是否把省外境内资金抄进了工业引资一栏（或反过来）；"
            "如果省外境内资金确实全部投向工业，可不改动。",
        )


# A unit whose figures all equal its targets has had the plan's column copied in: it takes this
# many targets (non-zero) for the coincidence to be telling.
TARGETS_COPIED_MIN = 3


def check_targets_copied(
    plan_targets, cur: Actuals, table: UnitTable, f: Found, registry: Registry, problems: Problems
) -> None:
    """A unit's cumulative figures equal to its annual targets, cell for cell: the plan's figures
    typed (or pasted) as the actuals. Told per unit; for every unit at once, once for the table."""
    keys = [i.key for i in registry.indicators]
    copied: list[str] = []
    for unit in registry.unit_names:
        if unit in cur.unreported:
            continue
        pairs = [(plan_targets.at[unit, k], cur.values.at[unit, k]) for k in keys]
        set_ = [(t, v) for t, v in pairs if not math.isnan(t) and t > 0]
        if len(set_) >= TARGETS_COPIED_MIN and all(abs(t - v) < 1e-9 for t, v in set_):
            copied.append(unit)
    if not copied:
        return
    when = f"第{cur.quarter}季度" + ("（一季度末一般只完成年度目标的一部分）" if cur.quarter == 1 else "")
    reported = [u for u in registry.unit_names if u not in cur.unreported]
    if len(copied) == len(reported) and len(copied) > 1:
        problems.add(
            WARNING,
            f.display,
            f.grid.sheet,
            "",
            f"{len(copied)}个单位的本年累计数与各自的年度目标逐项相同",
            f"{when}的本年累计完成数",
            "这很可能是把年度招商计划表的数字填进了完成情况表：请换成各单位实际完成的累计数；"
            "如果确实如此，可不改动。",
        )
        return
    for unit in copied:
        problems.add(
            WARNING,
            f.display,
            f.grid.sheet,
            table.row_cells.get(unit, ""),
            f"{unit}的本年累计数与它的年度目标逐项相同",
            f"{unit}{when}的本年累计完成数",
            f"请核对{unit}这一行是否填成了年度目标（计划数）；如果确实如此，可不改动。",
        )


# --- 上年同期 against what last year's same quarter reported -------------------------------------
def last_year_actuals(
    data_dir: Path, year: int, quarter: int, registry: Registry
) -> tuple[Actuals, str] | None:
    """Last year's same quarter as its own 完成情况 reported it (``data/<year-1>/<year-1>Q<q>/``),
    with the file's name; None when there is no such table or it cannot be read cleanly (that
    year's ``check`` tells why)."""
    from zsreport.ingest.actuals import read_actuals
    from zsreport.ingest.headers import ACTUALS
    from zsreport.ingest.scan import quarter_folders, scan_folder

    year_dir = Path(data_dir) / str(year - 1)
    if not year_dir.is_dir():
        return None
    folder = quarter_folders(year_dir, year - 1).get(quarter)
    if folder is None:
        return None
    scratch = Problems()
    found = scan_folder(folder, year - 1, quarter, Path(data_dir), registry, scratch, set())
    files = [f for f in found if f.header.kind == ACTUALS]
    if len(files) != 1 or scratch.errors:
        return None
    actuals, table = read_actuals(files[0], year - 1, quarter, registry, None, scratch)
    if scratch.errors or not table.rows_ok:
        return None
    return actuals, files[0].display


_TIMES = (10.0, 100.0, 0.1, 0.01)


def _times(a: float, b: float) -> float | None:
    """10, 100, 0.1 or 0.01 when ``a`` is that many times ``b`` (to 1 %): a decimal point slipped."""
    if a <= 0 or b <= 0:
        return None
    return next((t for t in _TIMES if abs(a / b / t - 1) < 0.01), None)


def _times_text(t: float) -> str:
    return {10.0: " 10 倍", 100.0: " 100 倍", 0.1: "十分之一", 0.01: "百分之一"}[t]


def check_prev_year(
    cur: Actuals,
    table: UnitTable,
    f: Found,
    reference: tuple[Actuals, str] | None,
    explained: bool,
    registry: Registry,
    problems: Problems,
) -> None:
    """上年同期 is what last year's same quarter reported: told when it is not (本年累计 and 上年同期
    swapped, a decimal point slipped, another figure), unless a note under the table explains
    上年同期. Without last year's table only a tenfold gap to this year's figure is told."""
    label = indicator_label(registry)
    for ind in (i for i in registry.indicators if i.money):
        key, prev_key = ind.key, ind.key + PREV_SUFFIX
        if prev_key not in cur.values.columns:
            continue
        tol = 0.5 * 10 ** (-ind.decimals) + 1e-9  # last year's figure as rounded in its table
        for unit in registry.unit_names:
            typed, this_year = cur.values.at[unit, prev_key], cur.values.at[unit, key]
            if math.isnan(typed) or unit in cur.unreported:
                continue
            cell = table.cells.get((unit, prev_key), "")
            if reference is None:
                told = _told(problems, f, table.cells.get((unit, key), ""))
                why = None if told else _no_reference(typed, this_year)
            else:
                truth = reference[0].values.at[unit, key]
                if math.isnan(truth) or abs(typed - truth) <= tol:
                    continue
                why = _against_reference(typed, this_year, truth, tol, reference[1], cur.quarter, explained)
            if why is None:
                continue
            found, fix = why
            problems.add(
                WARNING,
                f.display,
                f.grid.sheet,
                cell,
                f"{unit}的“{label(prev_key)}”是 {fmt_number(typed)}，{found}",
                f"上年第{cur.quarter}季度报的{ind.label}累计数（上年1月1日至上年第{cur.quarter}季度末）",
                fix,
            )


def _told(problems: Problems, f: Found, cell: str) -> bool:
    """Whether this year's figure at ``cell`` was told about already (a tenfold 本年累计 makes
    上年同期 look a tenth of it: the slip is told once, where it is)."""
    return bool(cell) and any(p.file == f.display and p.cell == cell for p in problems.items)


def _against_reference(
    typed: float, this_year: float, truth: float, tol: float, where: str, quarter: int, explained: bool
) -> tuple[str, str] | None:
    said = f"而上年第{quarter}季度的完成情况表（“{where}”）报的是 {fmt_number(truth)}"
    if not math.isnan(this_year) and abs(this_year - truth) <= tol:
        return (
            f"{said}；本年累计一栏填的倒是 {fmt_number(this_year)}",
            "本年累计和上年同期两栏很可能填反了：请对调这两栏的数字。",
        )
    if (t := _times(typed, truth)) is not None:
        return (
            f"是上年报的 {fmt_number(truth)} 的{_times_text(t)}",
            "小数点位置或单位（亿元、万元）可能错了：请按上年报的数字填写上年同期。",
        )
    if explained:
        return None  # the note under the table says why 上年同期 differs
    return (
        f"{said}",
        "请按上年同期报的数字填写；如果上年的数字后来经过核实调整，请在表下方加一行备注说明"
        "（如“备注：邵东市上年同期数经统计部门核实调整”）。",
    )


def _no_reference(typed: float, this_year: float) -> tuple[str, str] | None:
    if math.isnan(this_year) or (t := _times(typed, this_year)) is None:
        return None
    return (
        f"是本年累计 {fmt_number(this_year)} 的{_times_text(t)}（同比相差这么多，多半是小数点错了）",
        "请核对上年同期和本年累计两栏的小数点和单位；如果数字无误，可不改动。",
    )


# --- a digit slip that keeps the figure above last quarter's ----------------------------------------
# A quarter that added this many times the most any earlier quarter added (and more than a
# quarter's share of the year's target) looks like a slipped digit: 105.25 typed 150.25 after
# 74.66 (a quarter's increase 75.59 against at most 30.28 before). In the shipped year a third or
# fourth quarter adds at most 1.33 times an earlier one; a second quarter, after the slow first
# quarter of the Spring Festival, up to 2.6 times the first: it gets a wider margin.
UNEVEN_MULTIPLE = 2.2
UNEVEN_MULTIPLE_Q2 = 4.0


def check_uneven_quarter(
    actuals: dict[int, Actuals],
    plan_targets,
    table: UnitTable,
    f: Found,
    registry: Registry,
    problems: Problems,
) -> None:
    """Told when the last quarter's increase of an amount dwarfs every earlier quarter's (a warning:
    a big project may have landed). Figures already told by ``check_plausible`` are not told twice."""
    from zsreport.ingest.crosscheck import _implausible

    q = max(actuals)
    if q < 2 or any(p not in actuals for p in range(1, q)):
        return
    label = indicator_label(registry)
    # Project counts come in lumps (seven signed at once in December is a real 邵阳县 quarter); a
    # slipped digit in a count is told by the plan and jump checks of ``check_plausible``.
    for ind in (i for i in registry.indicators if i.unit != "个"):
        for unit in registry.unit_names:
            series = [0.0] + [actuals[p].values.at[unit, ind.key] for p in range(1, q + 1)]
            if any(math.isnan(v) for v in series):
                continue
            steps = [b - a for a, b in itertools.pairwise(series)]
            step, most = steps[-1], max(steps[:-1])
            target = plan_targets.at[unit, ind.key]
            share = target / 4 if not math.isnan(target) and target > 0 else 0.0
            multiple = UNEVEN_MULTIPLE_Q2 if q == 2 else UNEVEN_MULTIPLE
            if most <= 0 or step < multiple * most or step <= share:
                continue
            if _implausible(series[-1], target, series[-2], q, False) is not None:
                continue  # told already by check_plausible
            problems.add(
                WARNING,
                f.display,
                f.grid.sheet,
                table.cells.get((unit, ind.key), ""),
                f"{unit}的“{label(ind.key)}”是 {fmt_number(series[-1])}，比第{q - 1}季度的"
                f" {fmt_number(series[-2])} 多了 {fmt_number(step)}；以往一个季度最多只增加"
                f" {fmt_number(most)}，本季度是它的 {step / most:.1f} 倍",
                "本年1月1日至本季度末的累计数，与以往各季度的增长大致相称",
                "请核对这个数字是否有一位数字打错（如 105.25 打成 150.25）或小数点错位；"
                "如果数字无误（如有特大项目落地），可不改动。",
            )


def check_copied_ledger(prev: Ledger, cur: Ledger, f: Found, prev_display: str, problems: Problems) -> None:
    """Last quarter's 项目库 in this quarter's folder (re-titled or not): every project with the same
    status, dates, amounts and problems. Told, not refused: a quarter in which no project moved, was
    added or had its dates filled in is rare but possible."""
    a, b = prev.projects.reset_index(drop=True), cur.projects.reset_index(drop=True)
    if len(b) == 0 or not a.equals(b):
        return
    problems.add(
        WARNING,
        f.display,
        f.grid.sheet,
        "",
        f"第{cur.quarter}季度项目库的 {len(b)} 个项目与第{prev.quarter}季度的（“{prev_display}”）完全相同，"
        "状态、日期、金额和存在问题一处也没有变",
        f"第{cur.quarter}季度末的项目库（项目状态、开工投产日期、存在问题按本季度更新）",
        f"这很可能是把第{prev.quarter}季度的项目库复制了过来（或只改了标题）：请换成本季度更新后的项目库；"
        "如果本季度确实没有任何项目变化，可不改动。",
    )
