"""Reading the units' returns back (``zsreport collect``): one consolidated 季度完成情况 and 项目库.

A return is identified by its own cells (the very hidden 表单信息 sheet, else its 填报单位), never
by its file name. What only a per-unit form can get wrong (another unit's form, two returns of one
unit, a project row of another unit, a deleted sheet) is checked here; every figure and project is
then validated by ``load_dataset`` itself, on the consolidated files written into a temporary copy
of the data folder, and each of its problems is mapped back to the return's own file and cell.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from zsreport import config_file
from zsreport.ingest.collect_write import (
    ACTUALS_NAME,
    LEDGER_NAME,
    CellMap,
    write_actuals_table,
    write_ledger_table,
)
from zsreport.ingest.dataset import Dataset, Problem, Registry
from zsreport.ingest.parse import is_blank, squash
from zsreport.ingest.problems import ERROR, WARNING, InputError, Problems
from zsreport.ingest.returns import (
    COL_LABEL,
    COL_PREV,
    COL_VALUE,
    FIG_HEADER_ROW,
    FIGURES_SHEET,
    LEDGER_KEYS,
    MARKER_KIND,
    MARKER_SHEET,
    PROJ_HEADER_ROW,
    PROJECTS_SHEET,
    figure_rows,
)
from zsreport.ingest.rows import unit_lookup
from zsreport.ingest.scan import display_path

REPORT_NAME = "报送情况.txt"
RETURN_FIX = "请使用市承产办下发的本单位本季度报表填写，不要改动表格结构；如表格已损坏，请重新领取空白报表。"


@dataclass
class Return:
    """One returned workbook, as read."""

    path: Path
    display: str
    unit: str
    filler: str = ""
    phone: str = ""
    date: str = ""
    figures: dict[str, tuple[Any, str]] = field(default_factory=dict)  # column key → (value, cell)
    projects: list[tuple[int, list[Any]]] = field(default_factory=list)  # (row, values by column)
    usable: bool = True  # False: its structure is broken, its figures are not consolidated


@dataclass
class Collection:
    year: int
    quarter: int
    registry: Registry
    returns: dict[str, Return]  # unit → the return used
    files: dict[str, list[str]]  # unit → every file that claims to be its return
    problems: list[Problem]
    dataset: Dataset | None = None
    # The day collect ran: the missing units "had not reported by" this date (the bulletin says so).
    cutoff: dt.date = field(default_factory=dt.date.today)

    @property
    def missing(self) -> list[str]:
        return [u for u in self.registry.unit_names if u not in self.files]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]


class CollectRefused(Exception):
    """The consolidated files exist already (``--replace`` not given)."""


def _text(v: Any) -> str:
    return "" if is_blank(v) else str(v).strip()


def _date_text(v: Any) -> str:
    return v.strftime("%Y-%m-%d") if hasattr(v, "strftime") else _text(v)


# --- reading one return -----------------------------------------------------------------------


class _Reader:
    def __init__(
        self, path: Path, display: str, year: int, quarter: int, registry: Registry, problems: Problems
    ):
        self.path, self.display, self.year, self.quarter = path, display, year, quarter
        self.registry, self.problems = registry, problems
        self.lookup = unit_lookup(registry)

    def error(self, sheet: str, cell: str, found: str, expected: str, fix: str = RETURN_FIX) -> None:
        self.problems.add(ERROR, self.display, sheet, cell, found, expected, fix)

    def unit_named(self, text: Any) -> str | None:
        name = self.lookup.get(squash(_text(text)))
        return name if name in self.registry.unit_names else None

    def read(self) -> Return | None:
        from openpyxl import load_workbook

        from zsreport.ingest.xls import xls_workbook

        try:
            if self.path.suffix.lower() == ".xls":  # saved by WPS/Excel in 兼容模式
                wb = xls_workbook(self.path)
            else:
                wb = load_workbook(self.path, data_only=True)
        except Exception:
            self.error(
                "",
                "",
                f"无法打开这个文件（不是有效的 {self.path.suffix.lower()} 工作簿，或已损坏）",
                "各单位填写后的季度报表（.xlsx，或 WPS、Excel 兼容模式保存的 .xls）",
            )
            return None
        unit = self._identify(wb)
        if unit is None:
            return None
        self._check_file_name(unit)
        ret = Return(self.path, self.display, unit)
        for sheet in (FIGURES_SHEET, PROJECTS_SHEET):
            if sheet not in wb.sheetnames:
                self.error(
                    sheet,
                    "",
                    f"{unit}的报表中没有工作表“{sheet}”（已被删除或改名）",
                    f"报表含“{FIGURES_SHEET}”和“{PROJECTS_SHEET}”两个工作表",
                )
                ret.usable = False
        if not ret.usable:
            return ret
        self._check_names(wb[FIGURES_SHEET], unit, "B2")
        self._check_names(wb[PROJECTS_SHEET], unit, "")
        self._figures(wb[FIGURES_SHEET], ret)
        self._projects(wb[PROJECTS_SHEET], ret)
        return ret

    def _identify(self, wb) -> str | None:
        """The unit the form was made for: the 表单信息 marker, else its 填报单位."""
        if MARKER_SHEET in wb.sheetnames:
            ws = wb[MARKER_SHEET]
            unit = self.unit_named(ws["B2"].value)
            if _text(ws["B1"].value) == MARKER_KIND and unit:
                self._check_period(ws)
                return unit
        fallback = self.unit_named(wb[FIGURES_SHEET]["B2"].value) if FIGURES_SHEET in wb.sheetnames else None
        if fallback:
            self.error(
                MARKER_SHEET,
                "",
                f"{fallback}的报表中缺少隐藏的工作表“{MARKER_SHEET}”（报表被复制到另一个工作簿，或被删除）",
                "市承产办下发的原报表（含隐藏的工作表“表单信息”）",
            )
            return fallback
        self.error(
            "",
            "",
            "这个文件不是本程序生成的单位季度报表（找不到工作表“表单信息”和填报单位）",
            "用“python -m zsreport forms”生成、由各单位填写的季度报表",
            "请把不是报表的文件移出报表文件夹；如是单位报表，请让该单位用下发的原表重新填写。",
        )
        return None

    def _check_file_name(self, unit: str) -> None:
        """The unit a file is named after must be the form's unit: a county that filled in (or
        sent back) another county's form names the file after itself, and its figures would
        otherwise be consolidated as the other unit's. A name that names no unit says nothing."""
        named = units_in_text(self.path.stem, self.registry)
        if not named or unit in named:
            return
        other = "、".join(named)
        self.error(
            MARKER_SHEET,
            "B2",
            f"文件名“{self.path.name}”写的是{other}，但这是市承产办发给{unit}的报表"
            f"（表单信息、标题和填报单位都是{unit}）",
            "报表本身的单位、文件名中的单位和报表发给的单位一致",
            f"如果是{other}填了{unit}的报表：请{other}改用自己的报表"
            f"（文件名含“{other}”的那一份）重新填写，{unit}另交自己的报表；如果这确是{unit}"
            f"填报的数字，只是文件名写错了，请把文件名改为含“{unit}”的名称，再运行一次。",
        )

    def _check_period(self, ws) -> None:
        year, quarter = ws["B3"].value, ws["B4"].value
        if (year, quarter) != (self.year, self.quarter):
            self.error(
                MARKER_SHEET,
                "B3",
                f"这是{year}年第{quarter}季度的报表",
                f"{self.year}年第{self.quarter}季度的报表",
                "请让该单位用本季度下发的报表重新填写，或把这份文件移出本季度的报表文件夹。",
            )

    def _check_names(self, ws, unit: str, unit_cell: str) -> None:
        """Title and 填报单位 must name the form's own unit (a form passed on to another unit)."""
        cells = ["A1", *([unit_cell] if unit_cell else [])]
        for ref in cells:
            text = _text(ws[ref].value)
            others = [u for u in self.registry.unit_names if u != unit and u in text]
            if others and unit not in text.replace(others[0], ""):
                self.error(
                    ws.title,
                    ref,
                    f"报表是{unit}的，但这里写的是“{text}”",
                    f"{unit}（本报表只供{unit}填写）",
                    f"请{others[0]}使用自己的报表填写；如确是{unit}的数字，请把这里改回“{unit}”。",
                )

    def _figures(self, ws, ret: Return) -> None:
        for n, row in enumerate(figure_rows(self.registry), start=1):
            r = FIG_HEADER_ROW + n
            label = _text(ws.cell(r, COL_LABEL).value)
            if label != row.label:
                self.error(
                    ws.title,
                    ws.cell(r, COL_LABEL).coordinate,
                    f"这一行的指标是“{label}”",
                    f"“{row.label}”（表格的行不能删除、插入或移动）",
                )
                ret.usable = False
                return
            ret.figures[row.key] = (ws.cell(r, COL_VALUE).value, ws.cell(r, COL_VALUE).coordinate)
            if row.money:
                prev = ws.cell(r, COL_PREV)
                ret.figures[row.key + "_prev"] = (prev.value, prev.coordinate)
        self._signature(ws, ret)

    def _signature(self, ws, ret: Return) -> None:
        for r in range(FIG_HEADER_ROW, ws.max_row + 1):
            if _text(ws.cell(r, 1).value).startswith("填报人"):
                ret.filler, ret.phone = _text(ws.cell(r, 2).value), _text(ws.cell(r, 4).value)
                ret.date = _date_text(ws.cell(r, 6).value)
                break
        if not ret.filler:
            self.problems.add(
                WARNING,
                self.display,
                FIGURES_SHEET,
                "",
                f"{ret.unit}的报表没有填写填报人",
                "填报人、联系电话和填报日期",
                "请在“完成情况”表下方补填填报人、联系电话和填报日期。",
            )

    def _projects(self, ws, ret: Return) -> None:
        from zsreport.ingest.forms import TEMPLATE_LEDGER

        for c, (text, *_) in enumerate(TEMPLATE_LEDGER, start=1):
            found = _text(ws.cell(PROJ_HEADER_ROW, c).value)
            if squash(found) != squash(text):
                self.error(
                    ws.title,
                    ws.cell(PROJ_HEADER_ROW, c).coordinate,
                    f"表头是“{found}”",
                    f"“{text.replace(chr(10), '')}”（列不能删除、插入或移动）",
                )
                ret.usable = False
                return
        rows: list[tuple[int, list[Any]]] = []
        for r in range(PROJ_HEADER_ROW + 1, ws.max_row + 1):
            values = [ws.cell(r, c).value for c in range(1, len(LEDGER_KEYS) + 1)]
            if _text(values[0]).startswith(("备注", "填报人")):
                break
            if all(is_blank(v) for i, v in enumerate(values) if i not in (0, 2)):
                continue  # a blank row (序号 and 所属单位 are pre-filled)
            rows.append((r, values))
        self._project_units(ws, ret, rows)
        ret.projects = rows

    def _project_units(self, ws, ret: Return, rows: list[tuple[int, list[Any]]]) -> None:
        """A blank 所属单位 is the form's unit; another unit's row is an error at its cell."""
        col = LEDGER_KEYS.index("unit")
        others = {}
        for r, values in rows:
            if is_blank(values[col]):
                values[col] = ret.unit
            named = self.unit_named(values[col])
            if named and named != ret.unit:
                others[r] = named
        if rows and len(others) == len(rows) and len(set(others.values())) == 1:
            other = next(iter(others.values()))
            self.error(
                FIGURES_SHEET,
                "B2",
                f"报表是{ret.unit}的（标题、填报单位），但项目库中的 {len(rows)} 个项目都属于{other}",
                f"{other}使用{other}自己的报表填报",
                f"这很可能是{other}用了{ret.unit}的报表：请{other}改用自己的报表重新填写。",
            )
            ret.usable = False
            return
        for r, other in others.items():
            letter = ws.cell(r, col + 1).coordinate
            self.error(
                ws.title,
                letter,
                f"{ret.unit}的报表中有一个{other}的项目（“{_text(ws.cell(r, 2).value)}”）",
                f"所属单位为{ret.unit}（各单位只填报本单位的项目）",
                f"如项目属于{other}，请删除这一行，由{other}在自己的报表中填报；如属于{ret.unit}，请把所属单位改为“{ret.unit}”。",
            )


def units_in_text(text: str, registry: Registry) -> list[str]:
    """The units a free text (a file name) names, in registry order. The city is no unit, and a
    spelling found only inside a longer spelling found too counts as the longer one."""
    squashed = squash(text)
    spellings = [(s, u) for s, u in unit_lookup(registry).items() if u != registry.city and s in squashed]
    hits = {u for s, u in spellings if not any(s != t and s in t for t, _ in spellings)}
    return [u for u in registry.unit_names if u in hits]


# --- the whole folder -------------------------------------------------------------------------


RETURN_SUFFIXES = (".xlsx", ".xlsm", ".xls")
_LOCK_PREFIXES = ("~$", ".~")  # Excel's and WPS's lock files beside an open workbook
SAVE_AS = "点“文件”→“另存为”，保存类型选“Excel 工作簿（*.xlsx）”，保存后放回报表文件夹"


def return_files(from_dir: Path, problems: Problems | None = None) -> list[Path]:
    """The workbooks of the returns folder; every other entry is told in ``problems`` with why it
    is not read (a unit's return never turns into 未报送 without a word)."""
    out: list[Path] = []
    for p in sorted(Path(from_dir).iterdir()):
        if p.is_file() and p.suffix.lower() in RETURN_SUFFIXES and not p.name.startswith(_LOCK_PREFIXES):
            out.append(p)
        elif p.name != REPORT_NAME and problems is not None:  # 报送情况.txt: what collect wrote
            problems.add(*_not_read(p))
    return out


def _not_read(p: Path) -> tuple[str, str, str, str, str, str, str]:
    """(severity, file, sheet, cell, found, expected, fix) for an entry that is not read."""
    expected = "各单位填写后的季度报表（.xlsx，或兼容模式保存的 .xls）"
    if p.is_dir():
        return (
            WARNING, str(p), "", "",
            f"“{p.name}”是一个文件夹，其中的文件没有读取（只读取报表文件夹本身中的文件）",
            expected,
            "如果里面有单位的报表，请把报表移到报表文件夹中，再运行一次。",
        )  # fmt: skip
    if p.name.startswith(_LOCK_PREFIXES):
        original = p.name.lstrip("~$.").rstrip("#")
        return (
            WARNING, str(p), "", "",
            f"Excel 或 WPS 打开“{original}”时生成的临时锁定文件，不是报表，未读取",
            expected,
            f"这说明“{original}”可能还在 Excel 或 WPS 中打开、修改尚未保存：请保存并关闭它，"
            "再运行一次（关闭后临时文件会自动消失；如仍在，可直接删除）。",
        )  # fmt: skip
    suffix = p.suffix.lower()
    if suffix in (".et", ".ett"):
        return (
            ERROR, str(p), "", "",
            "WPS 表格专用格式（.et）的文件，程序无法读取（该单位会被当作未报送）",
            expected,
            f"请用 WPS 打开这个文件，{SAVE_AS}，并把 .et 文件移出报表文件夹。",
        )  # fmt: skip
    if suffix == ".csv":
        return (
            ERROR, str(p), "", "",
            "CSV 文件，程序不读取：CSV 只能保存一张表，报表的“项目库”和单位信息都已丢失",
            expected,
            "请该单位在下发的 .xlsx 报表中填写并直接保存（不要另存为 CSV），再放回报表文件夹；"
            "并把这个 CSV 文件移出报表文件夹。",
        )  # fmt: skip
    return (
        WARNING, str(p), "", "",
        f"不是报表文件（扩展名“{p.suffix or '无'}”），未读取",
        expected,
        "如果这是某单位的报表（如扫描件、Word 文档、压缩包），请让该单位用下发的 .xlsx 报表填写后报送；"
        "否则请把它移出报表文件夹。",
    )  # fmt: skip


def read_returns(
    from_dir: Path, year: int, quarter: int, registry: Registry, problems: Problems
) -> tuple[dict[str, Return], dict[str, list[str]]]:
    """Every return of the folder by unit; a second return of a unit is an error naming both files."""
    used: dict[str, Return] = {}
    files: dict[str, list[str]] = {}
    for path in return_files(from_dir, problems):
        ret = _Reader(path, str(path), year, quarter, registry, problems).read()
        if ret is None:
            continue
        files.setdefault(ret.unit, []).append(ret.display)
        if ret.unit in used:
            problems.add(
                ERROR,
                ret.display,
                "",
                "",
                f"{ret.unit}的第二份报表（另一份是“{used[ret.unit].display}”）",
                "每个单位只交一份报表",
                f"请{ret.unit}确认哪一份是最终报表，把另一份移出报表文件夹。",
            )
            continue
        used[ret.unit] = ret
    return used, files


def collect_returns(
    from_dir: Path,
    data_dir: Path,
    year: int,
    quarter: int,
    registry: Registry | None = None,
    cutoff: dt.date | None = None,
) -> Collection:
    """Read and check every return in ``from_dir``; validate the consolidated tables with ``load``.
    A missing return is a warning, not an error: the consolidated tables mark the unit 未报送 (as
    of ``cutoff``, default today), and ``build`` then makes only a draft (``--draft``)."""
    data_dir = Path(data_dir)
    registry = registry or Registry.from_toml(config_file(data_dir, "registry.toml"))
    problems = Problems()
    returns, files = read_returns(from_dir, year, quarter, registry, problems)
    for unit in registry.unit_names:
        if unit not in files:
            problems.add(
                WARNING,
                "",
                "",
                "",
                f"没有收到{unit}的报表（汇总表中记为“未报送”）",
                f"{registry.city}13个单位每个都交一份报表".replace("13", str(len(registry.units))),
                f"请催{unit}报送本季度报表，收到后放入“{from_dir}”文件夹，再运行一次（加 --replace）；"
                "在此之前只能生成征求意见稿（build --draft）。",
            )
    collection = Collection(year, quarter, registry, returns, files, problems.items)
    if cutoff is not None:
        collection.cutoff = cutoff
    usable = {u: r for u, r in returns.items() if r.usable}
    collection.dataset, mapped = _validate(usable, data_dir, collection)
    collection.problems = problems.items + mapped
    return collection


def _validate(
    returns: dict[str, Return], data_dir: Path, c: Collection
) -> tuple[Dataset | None, list[Problem]]:
    from zsreport.ingest.load import load_dataset

    with tempfile.TemporaryDirectory(prefix="zsreport-collect-") as tmp:
        copy = Path(tmp) / data_dir.name
        qdir = _data_copy(data_dir, copy, c.year, c.quarter)
        cells = write_consolidated(returns, qdir, c)
        consolidated = {display_path(qdir / name, copy): m for name, m in cells.items()}
        try:
            dataset = load_dataset(copy, c.year, c.quarter, c.registry)
            found = list(dataset.warnings)
        except InputError as exc:
            dataset, found = None, exc.problems
    mapped = [_map_back(p, consolidated, returns) for p in found]
    return dataset, [p for p in mapped if p is not None]


def _data_copy(data_dir: Path, copy: Path, year: int, quarter: int) -> Path:
    """The registry, the year's plan and the earlier quarters, for ``load`` to read beside ours."""
    copy.mkdir()
    for name in ("registry.toml", "office.toml"):
        if (data_dir / name).is_file():
            shutil.copy2(data_dir / name, copy / name)
    year_dir = data_dir / str(year)
    qname = f"{year}Q{quarter}"
    (copy / str(year)).mkdir()
    if year_dir.is_dir():
        for item in year_dir.iterdir():
            if item.is_file():
                shutil.copy2(item, copy / str(year) / item.name)
            elif item.is_dir() and item.name < qname and item.name.startswith(str(year)):
                shutil.copytree(item, copy / str(year) / item.name)
    # last year's same quarter: the reference for the returns' 上年同期
    last = data_dir / str(year - 1) / f"{year - 1}Q{quarter}"
    if last.is_dir():
        shutil.copytree(last, copy / str(year - 1) / last.name)
    qdir = copy / str(year) / qname
    qdir.mkdir()
    return qdir


def write_consolidated(returns: dict[str, Return], qdir: Path, c: Collection) -> dict[str, CellMap]:
    """The consolidated tables into ``qdir``: the returns in registry order, the missing units'
    rows marked 未报送."""
    ordered = [returns[u] for u in c.registry.unit_names if u in returns]
    return {
        ACTUALS_NAME: write_actuals_table(
            qdir / ACTUALS_NAME, ordered, c.year, c.quarter, c.registry, c.missing, c.cutoff
        ),
        LEDGER_NAME: write_ledger_table(qdir / LEDGER_NAME, ordered, c.year, c.quarter),
    }


_REF = re.compile(r"(?<![A-Za-z])([A-Z]{1,3}[0-9]{1,7})(?![0-9])")


def _map_back(p: Problem, consolidated: dict[str, CellMap], returns: dict[str, Return]) -> Problem | None:
    """A problem of a consolidated file, told at the return's own file, sheet and cell."""
    cells = consolidated.get(p.file)
    if cells is None:
        return p  # an earlier quarter's file or the plan: as ``check`` tells it
    target = cells.get(p.cell)
    if target is None:
        units = [r for u, r in returns.items() if u in p.found]
        if len(units) == 1:
            return replace(p, file=units[0].display, sheet="", cell="")
        return p
    path, sheet, cell = target

    def swap(text: str) -> str:
        return _REF.sub(lambda m: cells[m[1]][2] if m[1] in cells and cells[m[1]][0] == path else m[1], text)

    return replace(
        p, file=path, sheet=sheet, cell=cell, found=swap(p.found), expected=swap(p.expected), fix=swap(p.fix)
    )


def consolidated_paths(data_dir: Path, year: int, quarter: int) -> list[Path]:
    qdir = Path(data_dir) / str(year) / f"{year}Q{quarter}"
    return [qdir / ACTUALS_NAME, qdir / LEDGER_NAME]


def write_collection(collection: Collection, data_dir: Path) -> list[Path]:
    """The consolidated tables and 报送情况.txt into ``data/<year>/<year>Q<q>/`` (each file swapped
    in whole). Only for a collection without errors: the caller checks."""
    from zsreport.atomic import atomic_path
    from zsreport.ingest.collect_write import status_report

    c = collection
    actuals, ledger = consolidated_paths(data_dir, c.year, c.quarter)
    ordered = [c.returns[u] for u in c.registry.unit_names if u in c.returns]
    with atomic_path(actuals) as tmp:
        write_actuals_table(tmp, ordered, c.year, c.quarter, c.registry, c.missing, c.cutoff)
    with atomic_path(ledger) as tmp:
        write_ledger_table(tmp, ordered, c.year, c.quarter)
    report = actuals.parent / REPORT_NAME
    with atomic_path(report) as tmp:
        tmp.write_text(status_report(c), encoding="utf-8")
    return [actuals, ledger, report]
