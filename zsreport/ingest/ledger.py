"""A quarter's 项目库: one row per project, read into ``Ledger.projects``.

Names, units, chains and statuses are matched to the registry (with the aliases clerks use),
amounts, dates and 是/否 flags parsed, and each project's figures checked against each other.
A problem is reported at its cell, and only when its column exists (a missing column is
reported once, at the header).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from zsreport.ingest.cells import cell_ref
from zsreport.ingest.dataset import LEDGER_COLUMNS, Ledger, Registry
from zsreport.ingest.headers import LEDGER_CN
from zsreport.ingest.messages import about, fmt_number, quoted_formula
from zsreport.ingest.names import suggest_unit
from zsreport.ingest.parse import (
    closest,
    is_blank,
    parse_bool,
    parse_date,
    parse_number,
    quoted,
    shown,
    squash,
)
from zsreport.ingest.problems import ERROR, WARNING, Issue, Problems
from zsreport.ingest.rows import data_rows, header_problems, missing_columns, unit_lookup
from zsreport.ingest.scan import Found

LEDGER_REQUIRED = (
    "name",
    "unit",
    "chain",
    "investment",
    "status",
    "hightech",
    "top500",
    "big_manufacturing",
)
STATUS_ALIASES = {
    "在谈": "洽谈",
    "洽谈中": "洽谈",
    "意向": "洽谈",
    "已签约": "签约",
    "已开工": "开工",
    "在建": "开工",
}
STATUS_ALIASES |= {"已投产": "投产", "竣工投产": "投产"}
# (field, unit, limit): a blank investment is unknown (NaN), a blank part of it is none (0).
MONEY_FIELDS = (
    ("investment", "亿元", 10_000.0),
    ("provincial_funds", "亿元", 10_000.0),
    ("foreign_capital", "万美元", 10_000_000.0),
)
DATE_FIELDS = ("sign_date", "start_date", "production_date")
FLAG_FIELDS = ("hightech", "big_manufacturing", "key_project")
TEXT_FIELDS = ("leader", "lead_dept", "problem", "next_step")
# Text longer than any real return holds (the shipped ledgers: names up to 19 characters, 存在问题
# and 下步措施 up to 39) is a paste gone wrong, or an attack: a 100 000-character name once made a
# 150-page bulletin. Refused at its cell.
MAX_TEXT = {"name": 200, "leader": 200, "lead_dept": 200, "problem": 1000, "next_step": 1000}


@dataclass
class LedgerCells:
    rows: dict[str, int]  # project name → 0-based row
    columns: dict[str, int]

    def ref(self, name: str, key: str) -> str:
        if name in self.rows and key in self.columns:
            return cell_ref(self.rows[name], self.columns[key])
        return ""


def cell_text(v: Any) -> str:
    """A text cell as written (a whole number typed as a name stays "2020", not "2020.0")."""
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, dt.datetime):
        return shown(v)
    return str(v).strip()


def read_ledger(
    f: Found, year: int, quarter: int, registry: Registry, problems: Problems
) -> tuple[Ledger, LedgerCells]:
    header_problems(f, problems)
    missing_columns(f, LEDGER_REQUIRED, ERROR, problems, lambda k: LEDGER_CN[k])
    optional = [k for k in LEDGER_COLUMNS if k not in LEDGER_REQUIRED]
    missing_columns(f, optional, WARNING, problems, lambda k: LEDGER_CN[k])
    reader = _LedgerReader(f, year, quarter, registry, problems)
    records = reader.read()
    return (
        Ledger(year=year, quarter=quarter, projects=_projects_frame(records), source=f.source),
        LedgerCells(reader.rows, dict(f.header.columns)),
    )


def _projects_frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(records, columns=list(LEDGER_COLUMNS))
    for k in DATE_FIELDS:
        frame[k] = pd.to_datetime(frame[k])
    for k in FLAG_FIELDS:
        frame[k] = frame[k].astype(bool)
    for k, _, _ in MONEY_FIELDS:
        frame[k] = frame[k].astype(float)
    return frame


def _project(name: Any) -> str:
    text = cell_text(name)
    return f"项目“{text}”的" if text else ""


class _LedgerReader:
    def __init__(self, f: Found, year: int, quarter: int, registry: Registry, problems: Problems):
        self.f, self.registry, self.problems = f, registry, problems
        self.columns = f.header.columns
        self.lookup = unit_lookup(registry)
        self.chains = {squash(c): c for c in (*registry.chains, registry.other_chain)}
        self.statuses = {squash(s): s for s in registry.statuses}
        self.statuses |= {squash(k): v for k, v in STATUS_ALIASES.items() if v in registry.statuses}
        self.tops = {squash(t): t for t in registry.top500_lists}
        self.kinds = {squash(k): k for k in registry.problem_kinds}
        self.q_end = pd.Timestamp(year, 3 * quarter, 1) + pd.offsets.MonthEnd(0)
        self.rows: dict[str, int] = {}  # project name → its row

    def err(self, r: int, key: str, issue: Issue) -> None:
        if key in self.columns:  # a missing column is reported once, at the header
            self.problems.error(self.f.display, self.f.grid.sheet, cell_ref(r, self.columns[key]), issue)

    def warn(self, r: int, key: str, issue: Issue) -> None:
        if key in self.columns:
            self.problems.warning(self.f.display, self.f.grid.sheet, cell_ref(r, self.columns[key]), issue)

    def read(self) -> list[dict[str, Any]]:
        records: list[dict[str, Any]] = []
        for r in data_rows(self.f):
            cells = {k: self.f.grid.value(r, c) for k, c in self.columns.items()}
            if "name" not in cells:
                break
            if self._formulas_without_value(r, cells):
                continue
            name = self._project_name(r, cells)
            if name is None:
                continue
            self.rows[name] = r
            records.append(self._record(r, name, cells))
        return records

    def _formulas_without_value(self, r: int, cells: dict[str, Any]) -> bool:
        """Report every formula cell of the row saved without its result; True if any."""
        grid = self.f.grid
        bad = False
        for k, c in self.columns.items():
            if (r, c) in grid.uncached:
                self.problems.add(
                    ERROR,
                    self.f.display,
                    grid.sheet,
                    cell_ref(r, c),
                    f"{_project(cells.get('name'))}“{LEDGER_CN[k]}”是公式"
                    f"{quoted_formula(grid.uncached[(r, c)])}，但没有保存计算结果",
                    "直接填写的内容，或已保存计算结果的公式",
                    "请用 Excel 或 WPS 打开该文件，直接点“保存”（计算结果会一并保存），再运行一次；"
                    "也可以删除公式，直接填写内容。",
                )
                bad = True
        return bad

    def _project_name(self, r: int, cells: dict[str, Any]) -> str | None:
        """The project of a row; ``None`` for a row to skip (reported when it has content)."""
        name = cell_text(cells.get("name"))
        if self._too_long(r, "name", name):
            return None
        if not name:
            others = [k for k, v in cells.items() if not is_blank(v) and k != "name"]
            if others:
                self.err(
                    r,
                    "name",
                    (
                        "这一行填了内容，但项目名称是空白",
                        "项目名称",
                        "请填写项目名称；如果这一行是多余的，请整行删除。",
                    ),
                )
            return None
        if name in self.rows:
            self.err(
                r,
                "name",
                (
                    f"项目“{name}”重复（第一次出现在第 {self.rows[name] + 1} 行）",
                    "每个项目只填一行",
                    "请删除重复的一行；如果是两个不同的项目，请在项目名称中加以区分（如注明“一期”“二期”）。",
                ),
            )
            return None
        return name

    def _record(self, r: int, name: str, cells: dict[str, Any]) -> dict[str, Any]:
        """One project's fields, in the order its problems are reported."""
        rec: dict[str, Any] = {"name": name}
        rec["unit"] = self._unit(r, name, cells.get("unit"))
        rec["chain"] = self._chain(r, name, cells.get("chain"))
        rec["status"] = self._status(r, name, cells.get("status"))
        self._amounts(r, name, cells, rec)
        self._dates(r, name, cells, rec)
        self._flags(r, name, cells, rec)
        rec["top500"] = self._top500(r, name, cells.get("top500"))
        rec["problem_kind"] = self._problem_kind(r, name, cells.get("problem_kind"))
        for k in TEXT_FIELDS:
            text = cell_text(cells.get(k))
            rec[k] = "" if self._too_long(r, k, text, name) else text
        return rec

    def _too_long(self, r: int, key: str, text: str, name: str = "") -> bool:
        """Refuse text beyond any real length, at its cell (what it starts with, to find it)."""
        limit = MAX_TEXT[key]
        if len(text) <= limit:
            return False
        whose = f"项目“{name}”的" if name else ""
        self.err(
            r,
            key,
            (
                f"{whose}“{LEDGER_CN[key]}”有 {len(text)} 个字符（开头是“{text[:20]}……”）",
                f"{LEDGER_CN[key]}不超过 {limit} 个字符",
                "请检查是否误粘贴了大段文字或整份材料；只填写这一栏应有的内容，详细说明另附材料报送。",
            ),
        )
        return True

    def _unit(self, r: int, name: str, raw: Any) -> str:
        registry = self.registry
        unit = self.lookup.get(squash(cell_text(raw)))
        if unit is None or unit == registry.city:
            self.err(
                r,
                "unit",
                (
                    f"项目“{name}”的所属单位填的是{quoted(raw)}",
                    "以下单位之一：" + "、".join(registry.unit_names),
                    "每个项目都要归属到具体的县市区，请填写项目所在单位（可从下拉列表中选择）。"
                    if unit == registry.city
                    else suggest_unit(cell_text(raw), registry),
                ),
            )
        return unit or ""

    def _chain(self, r: int, name: str, raw: Any) -> str:
        registry = self.registry
        key = squash(cell_text(raw))
        chain = self.chains.get(key) or self.chains.get(key.removesuffix("产业链"))
        if chain is None:
            self.err(
                r,
                "chain",
                (
                    f"项目“{name}”的产业链填的是{quoted(raw)}",
                    f"七大产业链之一（{'、'.join(registry.chains)}），或“{registry.other_chain}”",
                    closest(key, self.chains.values())
                    + f"不属于七大产业链的项目请填“{registry.other_chain}”。",
                ),
            )
        return chain or ""

    def _status(self, r: int, name: str, raw: Any) -> str:
        statuses = self.registry.statuses
        status = self.statuses.get(squash(cell_text(raw)))
        if status is None:
            self.err(
                r,
                "status",
                (
                    f"项目“{name}”的项目状态填的是{quoted(raw)}",
                    "、".join(statuses) + "之一",
                    "请从下拉列表中选择项目在本季度末所处的阶段：" + "、".join(statuses) + "。",
                ),
            )
        return status or ""

    def _amounts(self, r: int, name: str, cells: dict[str, Any], rec: dict[str, Any]) -> None:
        for k, unit_name, limit in MONEY_FIELDS:
            if k not in self.columns:
                rec[k] = math.nan if k == "investment" else 0.0
                continue
            number, issue = parse_number(cells.get(k), unit=unit_name, limit=limit)
            if issue:
                self.err(r, k, about(f"项目“{name}”的{LEDGER_CN[k]}", issue))
            if number is None:
                number = math.nan if k == "investment" else 0.0
            rec[k] = number
        if (
            "investment" in self.columns
            and math.isnan(rec["investment"])
            and is_blank(cells.get("investment"))
        ):
            self.err(
                r,
                "investment",
                (
                    f"项目“{name}”的计划总投资是空白",
                    "计划总投资（单位：亿元）",
                    "请填写项目的计划总投资，只填数字，如“5.2”。",
                ),
            )
        if (
            "provincial_funds" in self.columns
            and not math.isnan(rec["investment"])
            and rec["provincial_funds"] > rec["investment"] + 1e-9
        ):
            self.err(
                r,
                "provincial_funds",
                (
                    f"项目“{name}”的其中省外境内资金 {fmt_number(rec['provincial_funds'])} 亿元，"
                    f"大于计划总投资 {fmt_number(rec['investment'])} 亿元",
                    "其中省外境内资金不能大于计划总投资",
                    f"请核对这两个数字（{cell_ref(r, self.columns['provincial_funds'])} 和 "
                    f"{cell_ref(r, self.columns['investment'])}），改正填错的一个；两者的单位都是亿元。",
                ),
            )

    def _dates(self, r: int, name: str, cells: dict[str, Any], rec: dict[str, Any]) -> None:
        for k in DATE_FIELDS:
            if k not in self.columns:
                rec[k] = pd.NaT
                continue
            day, issue = parse_date(cells.get(k))
            if issue:
                self.err(r, k, about(f"项目“{name}”的{LEDGER_CN[k]}", issue))
            rec[k] = pd.Timestamp(day) if day else pd.NaT
            if day and pd.Timestamp(day) > self.q_end:
                self.warn(
                    r,
                    k,
                    (
                        f"项目“{name}”的{LEDGER_CN[k]}是 {shown(day)}，晚于本季度末",
                        f"不晚于本季度末（{self.q_end:%Y-%m-%d}）的日期",
                        "项目库填报的是截至季度末的情况，请核对日期（特别是年份和月份）是否填错。",
                    ),
                )
        status = rec["status"]
        if status in ("签约", "开工", "投产") and "sign_date" in self.columns and pd.isna(rec["sign_date"]):
            self.warn(
                r,
                "sign_date",
                (
                    f"项目“{name}”的状态是“{status}”，但签约日期是空白",
                    f"“{status}”项目的签约日期",
                    "请补填签约日期，格式如“2020-03-15”。",
                ),
            )

    def _flags(self, r: int, name: str, cells: dict[str, Any], rec: dict[str, Any]) -> None:
        for k in FLAG_FIELDS:
            if k not in self.columns:
                rec[k] = False
                continue
            flag, issue = parse_bool(cells.get(k))
            if issue:
                self.err(r, k, about(f"项目“{name}”的“{LEDGER_CN[k]}”", issue))
            rec[k] = flag
        if rec["big_manufacturing"] and not math.isnan(rec["investment"]) and rec["investment"] < 5:
            self.warn(
                r,
                "big_manufacturing",
                (
                    f"项目“{name}”标为“5亿元以上制造业”，但计划总投资只有 {fmt_number(rec['investment'])} 亿元",
                    "计划总投资在 5 亿元及以上的制造业项目才填“是”",
                    "请核对：投资不足 5 亿元的，这一栏请改为“否”；如果是计划总投资填错了，请改正计划总投资。",
                ),
            )

    def _top500(self, r: int, name: str, raw: Any) -> str:
        lists = self.registry.top500_lists
        text = squash(cell_text(raw))
        if text in ("", "否", "无", "-", "/"):
            return ""
        if text in self.tops:
            return self.tops[text]
        self.err(
            r,
            "top500",
            (
                f"项目“{name}”的三类500强填的是{quoted(raw)}",
                "空白，或以下之一：" + "、".join(lists),
                "请写明投资方属于哪一类500强（" + "、".join(lists) + "），不属于500强的请留空。",
            ),
        )
        return ""

    def _problem_kind(self, r: int, name: str, raw: Any) -> str:
        text = squash(cell_text(raw))
        if text and text not in self.kinds:
            self.err(
                r,
                "problem_kind",
                (
                    f"项目“{name}”的问题类型填的是{quoted(raw)}",
                    "空白，或以下之一：" + "、".join(self.kinds.values()),
                    "请从下拉列表中选择问题类型；没有问题的请留空。具体问题请写在“存在问题”一栏。",
                ),
            )
        return self.kinds.get(text, "")
