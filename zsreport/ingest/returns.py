"""The units' return workbooks (报表): one per unit and quarter, to fill in and send back.

Each workbook carries, besides what the unit fills in, what the office already knows (the plan
targets, 上年同期 when the tool holds it, last quarter's projects), so that a county updates
instead of retyping. Everything but the input cells is protected; the figures have number checks
and Chinese input prompts; the sheets print on A4 landscape fitted to the width. A very hidden
sheet ``表单信息`` names the unit, year and quarter: ``collect`` identifies a return by it, never
by its file name.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from zsreport import config_file
from zsreport.atomic import atomic_path
from zsreport.ingest.dataset import INFO_COUNT, PREV_SUFFIX, Dataset, Ledger, Registry
from zsreport.ingest.forms import (
    TEMPLATE_LEDGER,
    _dv_date,
    _dv_list,
    _options_sheet,
    _xl_body,
    _xl_head,
    _xl_styles,
)
from zsreport.ingest.problems import InputError

QUARTER_CN = "一二三四"
FIGURES_SHEET = "完成情况"
PROJECTS_SHEET = "项目库"
OPTIONS_SHEET = "选项"
MARKER_SHEET = "表单信息"
MARKER_KIND = "招商引资季度报表"
FILE_NAME = "{year}Q{quarter}-{unit}-招商引资季度报表.xlsx"
# Figures sheet: header at row 3, one indicator per row from row 4; columns A…F.
FIG_HEADER_ROW = 3
FIG_COLUMNS = ("序号", "指标", "计量单位", "年度目标", "本年累计（请填写）", "上年同期")
COL_LABEL, COL_TARGET, COL_VALUE, COL_PREV = 2, 4, 5, 6
# Projects sheet: header at row 3, the columns of the consolidated 项目库 (same letters).
PROJ_HEADER_ROW = 3
NEW_PROJECT_ROWS = 30  # blank rows for new projects (rows can be inserted too)
OPTION_HEADERS = {
    "units": "单位",
    "chains": "产业链",
    "statuses": "项目状态",
    "top500": "三类500强",
    "kinds": "问题类型",
    "yesno": "是否",
}
LEDGER_KEYS = (
    None,  # 序号
    "name",
    "unit",
    "chain",
    "investment",
    "provincial_funds",
    "foreign_capital",
    "status",
    "sign_date",
    "start_date",
    "production_date",
    "hightech",
    "top500",
    "big_manufacturing",
    "key_project",
    "leader",
    "lead_dept",
    "problem_kind",
    "problem",
    "next_step",
)
WIDE_TEXT = (2, 16, 17, 19, 20)  # left-aligned, wrapped columns of the projects sheet
PROJECT_WIDTHS = (5, 24, 9, 10, 9, 10, 8, 7, 10, 10, 10, 7, 9, 8, 6, 12, 12, 8, 24, 24)


@dataclass(frozen=True)
class FigureRow:
    key: str  # indicator key or INFO_COUNT
    label: str
    unit: str
    whole: bool
    money: bool  # carries 上年同期


@dataclass(frozen=True)
class Known:
    """What the tool already holds for a quarter's forms."""

    targets: pd.DataFrame | None  # Plan.targets (None: forms made without a plan, tests only)
    prev_year: dict[str, dict[str, float]]  # unit → f"{key}_prev" → 上年同期
    last_ledger: Ledger | None  # last quarter's 项目库


class FormsExist(Exception):
    """Forms of this quarter are in the folder already (``--replace`` not given)."""

    def __init__(self, paths: list[Path]):
        self.paths = paths
        super().__init__(
            f"{paths[0].parent} 中已有{len(paths)}份本季度的报表（如“{paths[0].name}”），未改动任何文件。"
            "如确需重新生成并覆盖，请加 --replace（各单位已填写的表会被覆盖，请先另存）。"
        )


def quarter_title(year: int, quarter: int) -> str:
    return f"{year}年第{QUARTER_CN[quarter - 1]}季度"


def figure_rows(registry: Registry) -> list[FigureRow]:
    rows = [FigureRow(i.key, i.label, i.unit, i.decimals == 0, i.money) for i in registry.indicators]
    return [*rows, FigureRow(INFO_COUNT, "报送招商信息条数", "条", True, False)]


def figures_title(unit: str, year: int, quarter: int) -> str:
    return f"{unit}{quarter_title(year, quarter)}招商引资完成情况报表"


def projects_title(unit: str, year: int, quarter: int) -> str:
    return f"{unit}{quarter_title(year, quarter)}招商引资项目库"


# --- what the tool knows ----------------------------------------------------------------------


def _try_load(data_dir: Path, year: int, quarter: int, registry: Registry) -> Dataset | None:
    from zsreport.ingest.load import load_dataset

    if quarter < 1 or not (data_dir / str(year)).is_dir():
        return None
    try:
        return load_dataset(data_dir, year, quarter, registry)
    except InputError:
        return None


def known_for(data_dir: Path, year: int, quarter: int, registry: Registry) -> Known:
    """The plan (from this quarter's data, else the latest readable quarter of the year), 上年同期
    (this quarter's own 上年同期 if it was collected already, else last year's same quarter) and
    last quarter's 项目库 (Q4 of last year for a first quarter)."""
    from zsreport.ingest.load import load_plan

    this = _try_load(data_dir, year, quarter, registry)
    latest = this or next(
        (d for q in range(quarter - 1, 0, -1) if (d := _try_load(data_dir, year, q, registry))), None
    )
    # No forms without the year's plan: a form whose targets all read — is no form to send out
    # (``load_plan`` raises InputError, naming the missing or broken plan).
    targets = latest.plan.targets if latest else load_plan(data_dir, year, registry).targets
    prev_year: dict[str, dict[str, float]] = {}
    if this is not None:
        frame = this.current.values
        cols = [c for c in frame.columns if c.endswith(PREV_SUFFIX)]
        prev_year = {u: {c: float(frame.at[u, c]) for c in cols} for u in frame.index}
    elif (last_year := _try_load(data_dir, year - 1, quarter, registry)) is not None:
        frame = last_year.current.values
        money = [i.key for i in registry.indicators if i.money]
        prev_year = {u: {k + PREV_SUFFIX: float(frame.at[u, k]) for k in money} for u in frame.index}
    if quarter > 1:
        source = latest if latest and (quarter - 1) in latest.ledgers else None
        last_ledger = source.ledgers[quarter - 1] if source else None
    else:
        last_q4 = _try_load(data_dir, year - 1, 4, registry)
        last_ledger = last_q4.ledger if last_q4 else None
    return Known(targets, prev_year, last_ledger)


# --- writing ----------------------------------------------------------------------------------


def _title(ws, st, row: int, text: str, ncols: int) -> None:
    ws.cell(row, 1, text).font = st["title"]
    ws.cell(row, 1).alignment = st["center"]
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
    ws.row_dimensions[row].height = 36


def _label(ws, st, row: int, col: int, text: str, col2: int | None = None) -> None:
    ws.cell(row, col, text).font = st["note"]
    ws.cell(row, col).alignment = st["left"]
    if col2 and col2 > col:
        ws.merge_cells(start_row=row, start_column=col, end_row=row, end_column=col2)


def _input(ws, st, row: int, col: int, value: Any = None, fmt: str | None = None, left: bool = False) -> None:
    from openpyxl.styles import PatternFill, Protection

    _xl_body(ws, st, row, col, value, fmt, left)
    ws.cell(row, col).protection = Protection(locked=False)
    ws.cell(row, col).fill = PatternFill("solid", fgColor="FFF9E5")  # pale yellow: "write here"


def _given(ws, st, row: int, col: int, value: Any, fmt: str | None = None) -> None:
    from openpyxl.styles import PatternFill

    _xl_body(ws, st, row, col, value, fmt)
    ws.cell(row, col).fill = PatternFill("solid", fgColor="EDEDED")  # grey: filled in by the office


def _dv_figure(ws, ref: str, row: FigureRow, what: str) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    kind = "整数" if row.whole else "数字"
    dv = DataValidation(
        type="whole" if row.whole else "decimal",
        operator="between",
        formula1="0",
        formula2="100000000",
        allow_blank=True,
    )
    dv.promptTitle = row.label[:32]
    dv.prompt = f"请填写{what}，单位：{row.unit}。只填阿拉伯数字{'' if row.whole else '和小数点'}，如“{'12' if row.whole else '20.5'}”；没有请填 0。"
    dv.errorTitle = "输入有误"
    dv.error = f"{row.label}：请输入不小于0的{kind}（单位：{row.unit}），不要填写汉字或其他符号。"
    dv.showErrorMessage = dv.showInputMessage = True
    ws.add_data_validation(dv)
    dv.add(ref)


def _signature_lines(ws, st, row: int, cols: tuple[int, int, int, int, int, int]) -> None:
    """填报人, 联系电话, 填报日期: a label and an input cell each, on one row."""
    for (label_col, input_col), text in zip(
        ((cols[0], cols[1]), (cols[2], cols[3]), (cols[4], cols[5])),
        ("填报人：", "联系电话：", "填报日期："),
        strict=True,
    ):
        _label(ws, st, row, label_col, text)
        ws.cell(row, label_col).alignment = st["center"]
        _input(ws, st, row, input_col, None, "yyyy-mm-dd" if text == "填报日期：" else "@")
    _dv_date(ws, ws.cell(row, cols[5]).coordinate)
    ws.row_dimensions[row].height = 24


def _print_setup(ws, last_row: int, ncols: int, title_rows: str) -> None:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as needed
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.8
    ws.page_margins.footer = 0.35  # room for 第 N 页 below the table, not clipped at the edge
    ws.print_title_rows = title_rows
    ws.print_area = f"A1:{get_column_letter(ncols)}{last_row}"
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _protect(ws) -> None:
    """Sheet protection without a password: it stops slips, not intent (``collect`` checks the rest).
    Column widths and row heights stay adjustable; rows may be inserted and deleted."""
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.insertRows = False
    ws.protection.deleteRows = False
    ws.protection.selectLockedCells = False
    ws.protection.selectUnlockedCells = False


def _figures_sheet(ws, st, unit: str, year: int, quarter: int, registry: Registry, known: Known) -> None:
    ncols = len(FIG_COLUMNS)
    _title(ws, st, 1, figures_title(unit, year, quarter), ncols)
    _label(ws, st, 2, 1, "填报单位：", 1)
    ws.cell(2, 2, unit).font = st["body"]
    end = f"{12 if quarter == 4 else quarter * 3}月{31 if quarter in (1, 4) else 30}日"
    _label(ws, st, 2, 4, f"统计时间：{year}年1月1日至{end}（本年累计）", ncols)
    for c, text in enumerate(FIG_COLUMNS, start=1):
        _xl_head(ws, st, FIG_HEADER_ROW, c, text)
    prev = known.prev_year.get(unit, {})
    for n, row in enumerate(figure_rows(registry), start=1):
        r = FIG_HEADER_ROW + n
        fmt = "0" if row.whole else "0.00"
        _xl_body(ws, st, r, 1, n)
        _xl_body(ws, st, r, COL_LABEL, row.label, left=True)
        _xl_body(ws, st, r, 3, row.unit)
        target = _target(known, unit, row.key)
        _given(ws, st, r, COL_TARGET, "—" if target is None else target, fmt)
        _input(ws, st, r, COL_VALUE, None, fmt)
        _dv_figure(ws, ws.cell(r, COL_VALUE).coordinate, row, "本年1月1日至季度末的累计数")
        if not row.money:
            _given(ws, st, r, COL_PREV, "—")
        elif not math.isnan(p := prev.get(row.key + PREV_SUFFIX, math.nan)):
            _given(ws, st, r, COL_PREV, p, fmt)
        else:  # last year's figure is not in the data: the unit fills it in
            _input(ws, st, r, COL_PREV, None, fmt)
            _dv_figure(ws, ws.cell(r, COL_PREV).coordinate, row, "上年同期（上年1月1日至同季度末）的累计数")
        ws.row_dimensions[r].height = 22
    last = FIG_HEADER_ROW + len(figure_rows(registry))
    note = (
        "备注：黄色格由本单位填写，灰色格由市承产办根据年度计划和已有数据填入，不能修改；"
        "项目个数须与“项目库”工作表中本单位的项目一致（签约、开工、投产的项目）。"
    )
    _label(ws, st, last + 1, 1, note, ncols)
    ws.row_dimensions[last + 1].height = 36
    _signature_lines(ws, st, last + 3, (1, 2, 3, 4, 5, 6))
    ws.row_dimensions[FIG_HEADER_ROW].height = 30
    for letter, width in zip("ABCDEF", (11, 26, 10, 13, 18, 13), strict=True):
        ws.column_dimensions[letter].width = width
    _print_setup(ws, last + 3, ncols, f"{FIG_HEADER_ROW}:{FIG_HEADER_ROW}")
    _protect(ws)


def _target(known: Known, unit: str, key: str) -> float | None:
    if known.targets is None or key not in known.targets.columns or unit not in known.targets.index:
        return None
    value = float(known.targets.at[unit, key])
    return None if math.isnan(value) else value


def _ledger_cell(key: str, value: Any) -> Any:
    """A 项目库 value as the form shows it: 是/否 for flags, no NaN/NaT, blank for ""."""
    if key in ("hightech", "big_manufacturing", "key_project"):
        return "是" if bool(value) else "否"
    if value is None or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.to_pydatetime()
    if isinstance(value, str) and not value:
        return None
    return value


def unit_projects(ledger: Ledger | None, unit: str) -> list[dict[str, Any]]:
    if ledger is None:
        return []
    frame = ledger.projects
    return [dict(row) for _, row in frame[frame["unit"] == unit].iterrows()]


def _projects_sheet(ws, st, lists: dict[str, str], unit: str, year: int, quarter: int, known: Known) -> None:
    from openpyxl.utils import get_column_letter

    ncols = len(TEMPLATE_LEDGER)
    _title(ws, st, 1, projects_title(unit, year, quarter), ncols)
    _label(ws, st, 2, 1, f"填报单位：{unit}", 4)
    carried = unit_projects(known.last_ledger, unit)
    hint = (
        f"已列出上季度项目库中本单位的 {len(carried)} 个项目：请更新项目状态、日期和存在问题，"
        "新项目填在下面的空行（可插入行）；已终止的项目请清空整行。"
    )
    _label(ws, st, 2, 5, hint, ncols)
    ws.row_dimensions[2].height = 30
    first = PROJ_HEADER_ROW + 1
    last = first + len(carried) + NEW_PROJECT_ROWS - 1
    for c, (text, _, fmt, check) in enumerate(TEMPLATE_LEDGER, start=1):
        _xl_head(ws, st, PROJ_HEADER_ROW, c, text)
        letter = get_column_letter(c)
        ws.column_dimensions[letter].width = PROJECT_WIDTHS[c - 1]
        key = LEDGER_KEYS[c - 1]
        for i, r in enumerate(range(first, last + 1)):
            value = i + 1 if key is None else None
            if key == "unit":
                value = unit
            elif key and i < len(carried):
                value = _ledger_cell(key, carried[i][key])
            _input(ws, st, r, c, value, fmt, left=c in WIDE_TEXT)
        _validate_column(ws, lists, check, f"{letter}{first}:{letter}{last}", text.replace("\n", ""))
    _fit_row_heights(ws, first, first + len(carried))
    ws.row_dimensions[PROJ_HEADER_ROW].height = 36
    note = "备注：每个项目一行，项目名称不得重复；项目状态为季度末状态；所属单位只能是本单位。"
    _label(ws, st, last + 1, 1, note, ncols)
    _signature_lines(ws, st, last + 2, (1, 2, 3, 4, 8, 9))
    ws.merge_cells(start_row=last + 2, start_column=4, end_row=last + 2, end_column=7)
    ws.freeze_panes = ws.cell(first, 3).coordinate
    _print_setup(ws, last + 2, ncols, f"{PROJ_HEADER_ROW}:{PROJ_HEADER_ROW}")
    _protect(ws)


def _fit_row_heights(ws, first: int, end: int) -> None:
    """Rows tall enough for their wrapped text: neither Excel nor LibreOffice fits a row's height
    to its text on opening a file, so long 存在问题 would print over the next rows."""
    from zsreport.ingest.problems import text_width

    for r in range(first, end):
        lines = 1
        for c in WIDE_TEXT:
            value = ws.cell(r, c).value
            if isinstance(value, str):
                lines = max(lines, math.ceil(text_width(value) / max(1, PROJECT_WIDTHS[c - 1] - 1)))
        ws.row_dimensions[r].height = max(18, 14 * lines)


def _validate_column(ws, lists: dict[str, str], check: str | None, ref: str, label: str) -> None:
    from zsreport.ingest.forms import _dv_number

    if check in lists:
        _dv_list(ws, lists[check], ref, label)
    elif check == "decimal":
        _dv_number(ws, ref, False, label)
    elif check == "date":
        _dv_date(ws, ref)


def _marker_sheet(wb, unit: str, year: int, quarter: int) -> None:
    ws = wb.create_sheet(MARKER_SHEET)
    for r, (k, v) in enumerate(
        (("表单", MARKER_KIND), ("单位", unit), ("年度", year), ("季度", quarter), ("版本", 1)), start=1
    ):
        ws.cell(r, 1, k)
        ws.cell(r, 2, v)
    ws.sheet_state = "veryHidden"  # not in Excel's 取消隐藏 list: only the program reads it


def write_return(path: Path, unit: str, year: int, quarter: int, registry: Registry, known: Known) -> None:
    from openpyxl import Workbook

    st = _xl_styles()
    wb = Workbook()
    figures = wb.active
    figures.title = FIGURES_SHEET
    projects = wb.create_sheet(PROJECTS_SHEET)
    lists = _options_sheet(wb, registry)
    for c, header in enumerate(OPTION_HEADERS.values(), start=1):
        wb[OPTIONS_SHEET].cell(1, c, header)
    _figures_sheet(figures, st, unit, year, quarter, registry, known)
    _projects_sheet(projects, st, lists, unit, year, quarter, known)
    _marker_sheet(wb, unit, year, quarter)
    wb.properties.creator = "邵承办"
    wb.properties.title = figures_title(unit, year, quarter)
    wb.save(path)


def return_path(out_dir: Path, unit: str, year: int, quarter: int) -> Path:
    return Path(out_dir) / FILE_NAME.format(year=year, quarter=quarter, unit=unit)


def write_returns(
    data_dir: Path,
    year: int,
    quarter: int,
    out_dir: Path,
    registry: Registry | None = None,
    replace: bool = False,
) -> list[Path]:
    """One return workbook per unit into ``out_dir``; raises ``FormsExist`` (nothing written) when
    any of them is there already and ``replace`` is not set."""
    data_dir, out_dir = Path(data_dir), Path(out_dir)
    registry = registry or Registry.from_toml(config_file(data_dir, "registry.toml"))
    paths = [return_path(out_dir, u, year, quarter) for u in registry.unit_names]
    existing = [p for p in paths if p.exists()]
    if existing and not replace:
        raise FormsExist(existing)
    known = known_for(data_dir, year, quarter, registry)
    out_dir.mkdir(parents=True, exist_ok=True)
    for unit, path in zip(registry.unit_names, paths, strict=True):
        with atomic_path(path) as tmp:
            write_return(tmp, unit, year, quarter, registry, known)
    return paths
