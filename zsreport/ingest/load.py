"""Excel/CSV → ``Dataset``: read the units' returns as they really send them.

``load_dataset`` finds the files of the year (``scan``), sorts them by what they are, reads the
plan (``plan``), each quarter's 完成情况 and 项目库 (``actuals``, ``ledger``) and checks the
quarters against each other (``crosscheck``).

Every problem is located by file, sheet and cell. All of them are collected in one run: errors
raise ``InputError`` (carrying the full list), warnings end up in ``Dataset.warnings``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from zsreport import config_file
from zsreport.ingest.actuals import read_actuals
from zsreport.ingest.crosscheck import check_counts, check_cumulative, check_plausible, check_status_order
from zsreport.ingest.dataset import Actuals, Dataset, Ledger, Plan, Problem, Registry
from zsreport.ingest.formulas import check_formulas
from zsreport.ingest.headers import ACTUALS, KIND_CN, LEDGER, PLAN
from zsreport.ingest.ledger import LedgerCells, read_ledger
from zsreport.ingest.messages import template_hint
from zsreport.ingest.periods import check_period, period_notes
from zsreport.ingest.plan import read_plan
from zsreport.ingest.problems import ERROR, WARNING, InputError, Problems
from zsreport.ingest.scan import Found, display_path, quarter_folders, scan_folder
from zsreport.ingest.shape import check_hidden_data, check_merged_data_cells
from zsreport.ingest.slips import (
    check_copied_ledger,
    check_copied_quarter,
    check_industrial_equals_provincial,
    check_last_years_table,
    check_prev_year,
    check_targets_copied,
    check_uneven_quarter,
    last_year_actuals,
)
from zsreport.ingest.tables import UnitTable

# The recognised files by (kind, quarter); quarter None: the year folder.
ByKind = dict[tuple[str, int | None], list[Found]]


@dataclass
class _Quarters:
    """What was read of each quarter, with the file it came from (for the cross-file checks)."""

    actuals: dict[int, Actuals] = field(default_factory=dict)
    tables: dict[int, tuple[UnitTable, Found]] = field(default_factory=dict)
    ledgers: dict[int, Ledger] = field(default_factory=dict)
    ledger_cells: dict[int, tuple[LedgerCells, Found]] = field(default_factory=dict)
    ledger_bad: set[int] = field(default_factory=set)  # 项目库 with errors: not counted against


def load_dataset(data_dir: Path, year: int, quarter: int, registry: Registry | None = None) -> Dataset:
    """Read the plan of ``year`` and every quarter's 季度完成情况 and 项目库 up to ``quarter``.

    Raises ``InputError`` with every problem found when any of them is an error."""
    data_dir = Path(data_dir)
    problems = Problems()
    if registry is None:
        registry = Registry.from_toml(config_file(data_dir, "registry.toml"))
    _check_quarter_number(quarter)
    year_dir = _year_folder(data_dir, year)
    failed: set[int | None] = set()  # folders (None: the year's) with a file unread or unrecognised
    found = scan_folder(year_dir, year, None, data_dir, registry, problems, failed)
    qdirs = quarter_folders(year_dir, year)
    for q in range(1, quarter + 1):
        if q in qdirs:
            found += scan_folder(qdirs[q], year, q, data_dir, registry, problems, failed)
    where = display_path(year_dir, data_dir)
    by_kind = _sort_by_kind(found, year, where, problems)
    _report_duplicates(by_kind, problems)
    for files in by_kind.values():
        check_merged_data_cells(files[0], registry, problems)
        check_hidden_data(files[0], registry, problems)
        check_period(files[0], problems)
        check_formulas(files[0], problems)
    plan = _read_plan_file(by_kind, failed, year, where, registry, problems)
    read = _read_quarters(by_kind, failed, year, quarter, registry, plan, problems)
    _check_across_quarters(read, plan, registry, problems)
    _check_prev_year(data_dir, year, read, registry, problems)
    if problems.errors or plan is None or quarter not in read.actuals or quarter not in read.ledgers:
        raise InputError(problems.items)
    return Dataset(
        registry=registry,
        year=year,
        quarter=quarter,
        plan=plan,
        actuals=read.actuals,
        ledgers=read.ledgers,
        warnings=tuple(problems.warnings),
    )


def load_plan(data_dir: Path, year: int, registry: Registry) -> Plan:
    """The plan of ``year`` alone (the forms of a first quarter are made before any of its data).
    Raises ``InputError`` with the problems of the year folder when it cannot be read."""
    data_dir = Path(data_dir)
    problems = Problems()
    year_dir = _year_folder(data_dir, year)
    failed: set[int | None] = set()
    found = scan_folder(year_dir, year, None, data_dir, registry, problems, failed)
    by_kind = _sort_by_kind(found, year, display_path(year_dir, data_dir), problems)
    _report_duplicates(by_kind, problems)
    plan = _read_plan_file(by_kind, failed, year, display_path(year_dir, data_dir), registry, problems)
    if problems.errors or plan is None:
        raise InputError(problems.items)
    return plan


def _check_quarter_number(quarter: int) -> None:
    if quarter not in (1, 2, 3, 4):
        raise InputError(
            [Problem(ERROR, "", "", "", f"季度编号“{quarter}”", "1、2、3、4 之一", "请选择第1至第4季度。")]
        )


def _year_folder(data_dir: Path, year: int) -> Path:
    """``data/<year>/``; without it nothing else can be found, so it is the only problem told."""
    year_dir = data_dir / str(year)
    if year_dir.is_dir():
        return year_dir
    where = display_path(year_dir, data_dir)
    raise InputError(
        [
            Problem(
                ERROR,
                where,
                "",
                "",
                "找不到这个文件夹",
                f"年度文件夹“{where}”，内有年度招商计划表和各季度文件夹",
                f"请新建文件夹“{where}”，放入年度招商计划表，并按季度建立"
                f"“{year}Q1”“{year}Q2”等文件夹，放入当季的季度完成情况表和项目库。",
            )
        ]
    )


def _sort_by_kind(found: list[Found], year: int, year_dir: str, problems: Problems) -> ByKind:
    """The files by (kind, quarter), leaving out (reported) a plan in a quarter folder and a
    quarter's table in the year folder."""
    by_kind: ByKind = {}
    for f in found:
        if f.header.kind == PLAN and f.quarter is not None:
            problems.add(
                WARNING,
                f.display,
                f.grid.sheet,
                "",
                "季度文件夹中有一份年度招商计划表",
                f"年度招商计划表只放在年度文件夹“{year_dir}”中",
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
                f"{KIND_CN[f.header.kind]}放在所属季度的文件夹中，如“{year_dir}/{year}Q1”",
                "请把该文件移到它所属季度的文件夹中。",
            )
            continue
        by_kind.setdefault((f.header.kind, f.quarter), []).append(f)
    return by_kind


def _report_duplicates(by_kind: ByKind, problems: Problems) -> None:
    """A second file of a kind in one folder is an error; the first (by name) is the one read."""
    for (kind, q), files in by_kind.items():
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


def _read_plan_file(
    by_kind: ByKind, failed: set[int | None], year: int, year_dir: str, registry: Registry, problems: Problems
) -> Plan | None:
    plan_files = by_kind.get((PLAN, None), [])
    if plan_files:
        return read_plan(plan_files[0], year, registry, problems)
    if None not in failed:  # an unreadable file in the year folder is reported already
        problems.add(
            ERROR,
            year_dir,
            "",
            "",
            "找不到年度招商计划表",
            f"年度文件夹“{year_dir}”中有本年度的招商计划表（.xlsx 或 .csv 文件）",
            f"请把年度招商计划表放入年度文件夹（{template_hint(year)}）。",
        )
    return None


def _read_quarters(
    by_kind: ByKind,
    failed: set[int | None],
    year: int,
    quarter: int,
    registry: Registry,
    plan: Plan | None,
    problems: Problems,
) -> _Quarters:
    """Each quarter's 完成情况 and 项目库 up to ``quarter``; a missing one is an error for the
    quarter asked for and a warning for an earlier one (it only feeds the cross-checks)."""
    read = _Quarters()
    for q in range(1, quarter + 1):
        for kind in (ACTUALS, LEDGER):
            files = by_kind.get((kind, q), [])
            if not files:
                if q not in failed:  # an unreadable file there is reported already
                    _report_missing(kind, year, q, quarter, problems)
                continue
            f = files[0]
            if kind == ACTUALS:
                read.actuals[q], table = read_actuals(f, year, q, registry, plan, problems)
                read.tables[q] = (table, f)
                if q < quarter and read.actuals[q].unreported:
                    _report_earlier_unreported(f, read.actuals[q].unreported, year, q, problems)
            else:
                n_errors = len(problems.errors)
                read.ledgers[q], cells = read_ledger(f, year, q, registry, problems)
                read.ledger_cells[q] = (cells, f)
                if len(problems.errors) > n_errors:
                    read.ledger_bad.add(q)  # its counts would only echo the errors
    return read


def _report_earlier_unreported(
    f: Found, units: tuple[str, ...], year: int, q: int, problems: Problems
) -> None:
    """An earlier quarter left partial: its 全市 figures lack those units (the trend shows it)."""
    names = "、".join(units)
    problems.add(
        WARNING,
        f.display,
        f.grid.sheet,
        "",
        f"第{q}季度的完成情况表中{names}记为“未报送”",
        "各季度的完成情况表都收齐了各单位的数字",
        f"逐季趋势中第{q}季度不含{names}。如已收到，请把报表放入第{q}季度的报表文件夹，运行"
        f" collect --year {year} --quarter {q} --replace 重新汇总。",
    )


def _report_missing(kind: str, year: int, q: int, quarter: int, problems: Problems) -> None:
    folder = f"data/{year}/{year}Q{q}/"
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


def _check_prev_year(
    data_dir: Path, year: int, read: _Quarters, registry: Registry, problems: Problems
) -> None:
    """Each quarter's 上年同期 against last year's same quarter, where the data folder holds it."""
    for q in sorted(read.actuals):
        table, f = read.tables[q]
        if table.rows_ok:
            reference = last_year_actuals(data_dir, year, q, registry)
            explained = "上年同期" in period_notes(f)
            check_prev_year(read.actuals[q], table, f, reference, explained, registry, problems)
            # last year's table kept as this year's: its same quarter, or (first quarter) December
            for ref in (reference, last_year_actuals(data_dir, year, 4, registry) if q == 1 else None):
                if ref is not None:
                    check_last_years_table(ref, read.actuals[q], f, registry, problems)


def _check_across_quarters(
    read: _Quarters, plan: Plan | None, registry: Registry, problems: Problems
) -> None:
    for q in sorted(read.actuals):
        table, f = read.tables[q]
        if plan is not None and table.rows_ok:
            check_plausible(plan, read.actuals.get(q - 1), read.actuals[q], table, f, registry, problems)
            check_targets_copied(plan.targets, read.actuals[q], table, f, registry, problems)
            earlier = {p: a for p, a in read.actuals.items() if p <= q}
            check_uneven_quarter(earlier, plan.targets, table, f, registry, problems)
        if table.rows_ok:
            check_industrial_equals_provincial(read.actuals[q], table, f, problems)
        if q - 1 in read.actuals:
            check_cumulative(read.actuals[q - 1], read.actuals[q], table, f, registry, problems)
            if table.rows_ok:
                prev_f = read.tables[q - 1][1]
                check_copied_quarter(
                    read.actuals[q - 1], read.actuals[q], table, f, prev_f.display, registry, problems
                )
        if q in read.ledgers and q not in read.ledger_bad:
            check_counts(read.actuals[q], table, read.ledgers[q], f, registry, problems)
    for q in sorted(read.ledgers):
        if q - 1 in read.ledgers:
            cells, f = read.ledger_cells[q]
            check_status_order(read.ledgers[q - 1], read.ledgers[q], cells, f, registry, problems)
            prev_f = read.ledger_cells[q - 1][1]
            check_copied_ledger(read.ledgers[q - 1], read.ledgers[q], f, prev_f.display, problems)
