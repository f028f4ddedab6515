"""The consolidated 季度完成情况 and 项目库 made from the units' returns, in the layout ``load``
reads (the office's own: title, two header rows, the 全市 row computed), and the 报送情况 table.

Each writer returns a ``CellMap``: consolidated cell → (return file, sheet, cell), so that a
problem ``load`` finds in the consolidated table is told at the cell the unit typed."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from zsreport.ingest.dataset import INFO_COUNT, NOT_REPORTED, PREV_SUFFIX, Registry
from zsreport.ingest.forms import TEMPLATE_LEDGER, _xl_body, _xl_head, _xl_styles, _xl_title
from zsreport.ingest.returns import FIGURES_SHEET, LEDGER_KEYS, PROJECTS_SHEET, quarter_title

if TYPE_CHECKING:
    from zsreport.ingest.collect import Collection, Return

ACTUALS_NAME = "季度完成情况.xlsx"
LEDGER_NAME = "项目库.xlsx"
CellMap = dict[str, tuple[str, str, str]]
FIRST_UNIT_ROW = 6  # row 5 is 全市


def _set(ws, st, row: int, col: int, value: Any, fmt: str | None = None, left: bool = False) -> None:
    _xl_body(ws, st, row, col, value, fmt, left)
    if isinstance(value, str) and value.startswith("="):
        ws.cell(row, col).data_type = "s"  # a unit's text stays text, never a formula


def _actual_columns(registry: Registry) -> list[tuple[str, str, bool]]:
    """(column key, 表头 of row 3 or "" under a merged group, whole number) in sheet order."""
    cols = []
    for ind in registry.indicators:
        if ind.money:
            cols += [(ind.key, ind.label, ind.decimals == 0), (ind.key + PREV_SUFFIX, "", ind.decimals == 0)]
    cols += [(ind.key, ind.label, True) for ind in registry.indicators if not ind.money]
    return [*cols, (INFO_COUNT, "报送招商\n信息条数(条)", True)]


def _actuals_header(ws, st, registry: Registry) -> None:
    _xl_head(ws, st, 3, 1, "单位", r2=4)
    c = 2
    for ind in [i for i in registry.indicators if i.money]:
        label = ("其中：" if ind.key == "industrial_funds" else "") + f"{ind.label}({ind.unit})"
        _xl_head(ws, st, 3, c, label, c2=c + 1)
        _xl_head(ws, st, 4, c, "本年累计")
        _xl_head(ws, st, 4, c + 1, "上年同期")
        c += 2
    counts = [i for i in registry.indicators if not i.money]
    _xl_head(ws, st, 3, c, "招商产业项目数量(个)", c2=c + len(counts) - 1)
    for i, ind in enumerate(counts):
        _xl_head(ws, st, 4, c + i, ind.label)
    _xl_head(ws, st, 3, c + len(counts), "报送招商\n信息条数(条)", r2=4)


def _city_sum(values: list[Any]) -> float | None:
    """全市 = the units' sum; left blank (load adds them up) when a unit's cell is not a number."""
    if any(not isinstance(v, int | float) and v is not None for v in values):
        return None
    nums = [float(v) for v in values if v is not None]
    return math.fsum(nums) if nums else None


def cutoff_note(missing: list[str], cutoff: dt.date, city: str) -> str:
    """The note under a partial table; ``load`` reads its date (``actuals.cutoff_date``)."""
    return (
        f"说明：截至{cutoff.year}年{cutoff.month}月{cutoff.day}日，{'、'.join(missing)}{NOT_REPORTED}，"
        f"其各项数字记为“{NOT_REPORTED}”（不按0计算，不计入{city}合计）。"
    )


def write_actuals_table(
    path: Path,
    returns: list[Return],
    year: int,
    quarter: int,
    registry: Registry,
    missing: list[str] | None = None,
    cutoff: dt.date | None = None,
) -> CellMap:
    """The consolidated 完成情况: the returns' rows, and a row reading 未报送 for each ``missing``
    unit (registry order), with a note under the table naming them and the ``cutoff`` date."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    st = _xl_styles()
    wb = Workbook()
    ws = wb.active
    ws.title = "完成情况"
    cols = _actual_columns(registry)
    _xl_title(
        ws, st, 1, f"{quarter_title(year, quarter)}承接产业转移示范区建设招商引资完成情况表", len(cols) + 1
    )
    _xl_title(
        ws, st, 2, f"汇总{len(returns)}个单位的报表：本年1月1日至季度末累计", len(cols) + 1, font="note"
    )
    _actuals_header(ws, st, registry)
    cells: CellMap = {}
    _set(ws, st, 5, 1, registry.city)
    missing = missing or []
    by_unit = {ret.unit: ret for ret in returns}
    rows = [u for u in registry.unit_names if u in by_unit or u in missing]
    for r, unit in enumerate(rows, start=FIRST_UNIT_ROW):
        _set(ws, st, r, 1, unit)
        ret = by_unit.get(unit)
        for c, (key, _, whole) in enumerate(cols, start=2):
            if ret is None:
                _set(ws, st, r, c, NOT_REPORTED)
                continue
            value, ref = ret.figures.get(key, (None, ""))
            _set(ws, st, r, c, value, "0" if whole else "0.00")
            cells[f"{get_column_letter(c)}{r}"] = (ret.display, FIGURES_SHEET, ref)
    for c, (key, _, whole) in enumerate(cols, start=2):
        total = _city_sum([ret.figures.get(key, (None, ""))[0] for ret in returns])
        _set(ws, st, 5, c, total, "0" if whole else "0.00")
    if missing:
        note = FIRST_UNIT_ROW + len(rows) + 1
        ws.cell(note, 1, cutoff_note(missing, cutoff or dt.date.today(), registry.city))
    wb.save(path)
    return cells


def write_ledger_table(path: Path, returns: list[Return], year: int, quarter: int) -> CellMap:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    st = _xl_styles()
    wb = Workbook()
    ws = wb.active
    ws.title = "项目库"
    _xl_title(ws, st, 1, f"{quarter_title(year, quarter)}招商引资项目库", len(TEMPLATE_LEDGER))
    for c, (text, width, _, _) in enumerate(TEMPLATE_LEDGER, start=1):
        _xl_head(ws, st, 2, c, text)
        ws.column_dimensions[get_column_letter(c)].width = width
    cells: CellMap = {}
    r = 3
    for ret in returns:
        for src_row, values in ret.projects:
            for c, (key, value, (_, _, fmt, _)) in enumerate(
                zip(LEDGER_KEYS, values, TEMPLATE_LEDGER, strict=True), 1
            ):
                _set(ws, st, r, c, r - 2 if key is None else value, fmt)
                cells[f"{get_column_letter(c)}{r}"] = (
                    ret.display,
                    PROJECTS_SHEET,
                    f"{get_column_letter(c)}{src_row}",
                )
            r += 1
    wb.save(path)
    return cells


# --- 报送情况 ---------------------------------------------------------------------------------


def status_lines(collection: Collection) -> list[str]:
    """One line per unit: received or missing, file, 填报人, 填报日期, its errors and warnings."""
    from zsreport.ingest.problems import text_width

    rows = [("序号", "单位", "报送情况", "填报人", "联系电话", "填报日期", "错误", "警告", "文件")]
    for n, unit in enumerate(collection.registry.unit_names, start=1):
        files = collection.files.get(unit, [])
        ret = collection.returns.get(unit)
        mine = [p for p in collection.problems if p.file in files]
        state = "未报送" if not files else ("重复报送" if len(files) > 1 else "已报送")
        rows.append((
            str(n), unit, state, ret.filler if ret else "", ret.phone if ret else "", ret.date if ret else "",
            str(sum(p.severity == "error" for p in mine)), str(sum(p.severity == "warning" for p in mine)),
            "；".join(Path(f).name for f in files),
        ))  # fmt: skip
    widths = [max(text_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(cell + " " * (widths[i] - text_width(cell)) for i, cell in enumerate(row)).rstrip()
        for row in rows
    ]


def status_report(collection: Collection) -> str:
    from zsreport.ingest.problems import format_problems

    c = collection
    head = f"{quarter_title(c.year, c.quarter)}各单位报表报送情况"
    received = len(c.registry.units) - len(c.missing)
    summary = f"应报 {len(c.registry.units)} 个单位，已收到 {received} 个"
    when = f"截至{c.cutoff.year}年{c.cutoff.month}月{c.cutoff.day}日"
    summary += f"；{when}未报送：{'、'.join(c.missing)}。" if c.missing else "，无未报送单位。"
    parts = [head, "", summary, "", *status_lines(c)]
    if c.problems:
        parts += ["", "各报表中的问题（按文件、工作表、单元格）：", "", format_problems(c.problems)]
    return "\n".join(parts) + "\n"
