"""Validated input tables: what ``load`` hands to ``compute``.

Nothing here knows about Excel (that is ``load``) or about fonts and pages (renderers). Tables
are pandas DataFrames with English column keys; Chinese labels come from the registry.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd


@dataclass(frozen=True)
class Unit:
    name: str  # "邵东市"
    addressee: str  # 主送 of its own bulletin: "邵东市委、市人民政府"


@dataclass(frozen=True)
class Indicator:
    key: str  # "provincial_funds"
    label: str  # "省外境内资金"
    unit: str  # "亿元" | "万美元" | "个"
    decimals: int
    group: str  # "计划引资金额" | "计划招商产业项目数量"
    headers: tuple[str, ...]  # header words that name this column in a spreadsheet
    money: bool = False  # carries 上年同期 for 同比
    short: str = ""

    @property
    def short_label(self) -> str:
        return self.short or self.label


@dataclass(frozen=True)
class Registry:
    city: str
    units: tuple[Unit, ...]
    indicators: tuple[Indicator, ...]
    chains: tuple[str, ...]
    other_chain: str
    statuses: tuple[str, ...]
    top500_lists: tuple[str, ...]
    problem_kinds: dict[str, str]  # kind → who solves it

    @property
    def unit_names(self) -> tuple[str, ...]:
        return tuple(u.name for u in self.units)

    def unit(self, name: str) -> Unit:
        for u in self.units:
            if u.name == name:
                return u
        raise KeyError(name)

    def indicator(self, key: str) -> Indicator:
        for ind in self.indicators:
            if ind.key == key:
                return ind
        raise KeyError(key)

    @classmethod
    def from_toml(cls, path: Path) -> Registry:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
        _refuse_unsafe_unit_names(path, raw.get("units", []))
        return cls(
            city=raw["city"],
            units=tuple(Unit(u["name"], u["addressee"]) for u in raw["units"]),
            indicators=tuple(
                Indicator(
                    key=i["key"],
                    label=i["label"],
                    unit=i["unit"],
                    decimals=int(i["decimals"]),
                    group=i["group"],
                    headers=tuple(i["headers"]),
                    money=bool(i.get("money", False)),
                    short=i.get("short", ""),
                )
                for i in raw["indicators"]
            ),
            chains=tuple(raw["chains"]),
            other_chain=raw["other_chain"],
            statuses=tuple(raw["statuses"]),
            top500_lists=tuple(raw["top500_lists"]),
            problem_kinds=dict(raw["problem_kinds"]),
        )


# A unit's name becomes part of file names (its return workbook, its bulletin): nothing in it may
# leave a folder or be refused by Windows, and no real unit is named longer.
UNSAFE_NAME_CHARS = set('/\\:*?"<>|')
MAX_UNIT_NAME = 30


def unit_name_problem(name: object) -> str | None:
    """Why ``name`` cannot be a unit's name, or None."""
    if not isinstance(name, str) or not name.strip():
        return "是空的（或不是文字）"
    if len(name) > MAX_UNIT_NAME:
        return f"有 {len(name)} 个字符，超过 {MAX_UNIT_NAME} 个"
    bad = sorted({c for c in name if c in UNSAFE_NAME_CHARS or ord(c) < 32 or ord(c) == 127})
    if bad:
        shown = "、".join(repr(c) if ord(c) < 32 or ord(c) == 127 else f"“{c}”" for c in bad)
        return f"含有路径或文件名中不允许的字符 {shown}"
    if name != name.strip() or name.startswith(".") or ".." in name:
        return "以空格或“.”开头结尾，或含有“..”"
    return None


def _refuse_unsafe_unit_names(path: Path, units: object) -> None:
    from zsreport.ingest.problems import InputError

    problems = []
    for i, unit in enumerate(units if isinstance(units, list) else [], start=1):
        name = unit.get("name") if isinstance(unit, dict) else None
        why = unit_name_problem(name)
        if why:
            problems.append(
                Problem(
                    "error",
                    str(path),
                    "",
                    "",
                    f"第 {i} 个单位（[[units]]）的名称“{str(name)[:60]}”{why}",
                    f'单位的正式简称，如“邵东市”“邵阳经开区”（不超过 {MAX_UNIT_NAME} 个字，不含 / \\ : * ? " < > | 和“..”）',
                    "单位名称会用作报表和通报的文件名，请改为单位的简称后重新运行。",
                )
            )
    if problems:
        raise InputError(problems)


@dataclass(frozen=True)
class SourceFile:
    path: Path
    sha256: str
    sheet: str = ""  # the sheet that was read (found by its header)


@dataclass(frozen=True)
class Plan:
    """年度招商计划: ``targets`` has index ``[city, *units]`` (registry order) and one float column
    per indicator key; NaN means "no target" (a blank cell in the office's table)."""

    year: int
    targets: pd.DataFrame
    source: SourceFile


# Columns of Actuals.values besides the indicator keys:
PREV_SUFFIX = "_prev"  # f"{key}_prev": 上年同期 for money indicators (NaN when not reported)
INFO_COUNT = "info_count"  # 报送招商信息条数 (year to date)
# A unit's figure cells in a consolidated 完成情况 when its return had not come in (``collect``):
# read as "not reported", never as 0 or as a blank.
NOT_REPORTED = "未报送"


@dataclass(frozen=True)
class Actuals:
    """季度完成情况, cumulative year to date. ``values`` has index = the units (registry order,
    no city row: the city figure is their sum) and columns = indicator keys, f"{key}_prev" for
    money indicators, and ``info_count``.

    ``unreported``: the units whose row says 未报送 (their values are all NaN); ``cutoff``: the date
    up to which the returns were awaited, as the table's note states it (``collect`` writes it)."""

    year: int
    quarter: int
    values: pd.DataFrame
    source: SourceFile
    unreported: tuple[str, ...] = ()
    cutoff: dt.date | None = None


# Columns of Ledger.projects:
LEDGER_COLUMNS = (
    "name",  # 项目名称 (unique within the ledger)
    "unit",  # 所属单位 (a registry unit)
    "chain",  # 产业链 (a registry chain or other_chain)
    "investment",  # 计划总投资 亿元
    "provincial_funds",  # 其中省外境内资金 亿元
    "foreign_capital",  # 外资 万美元
    "status",  # 洽谈 / 签约 / 开工 / 投产, as of the quarter's end
    "sign_date",  # 签约日期 (NaT while 洽谈)
    "start_date",  # 开工日期
    "production_date",  # 投产日期
    "hightech",  # bool 高新技术企业
    "top500",  # "" or one of registry.top500_lists
    "big_manufacturing",  # bool 投资5亿元以上制造业项目
    "key_project",  # bool 重点项目 (dispatched at the 联席调度会)
    "leader",  # 市级联系领导 (五个一)
    "lead_dept",  # 牵头部门 (五个一)
    "problem_kind",  # "" or a registry problem kind
    "problem",  # 存在问题 (free text from the units: untrusted)
    "next_step",  # 下步措施 (free text: untrusted)
)


@dataclass(frozen=True)
class Ledger:
    """项目库 as reported at the end of a quarter: one row per project, columns LEDGER_COLUMNS."""

    year: int
    quarter: int
    projects: pd.DataFrame
    source: SourceFile


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located precisely enough for a clerk to fix it."""

    severity: str  # "error" | "warning"
    file: str
    sheet: str
    cell: str  # "E7", or "" when it concerns a whole file/row
    found: str
    expected: str
    fix: str

    def __str__(self) -> str:
        """One line in Chinese: 错误：文件 a.xlsx，工作表“S”，单元格 B7。发现：…；应为：…；修改方法：…"""
        label = {"error": "错误", "warning": "警告"}.get(self.severity, self.severity)
        where = "，".join(
            part
            for part in (
                f"文件 {self.file}" if self.file else "",
                f"工作表“{self.sheet}”" if self.sheet else "",
                f"单元格 {self.cell}" if self.cell else "",
            )
            if part
        )
        head = f"{label}：{where}。" if where else f"{label}："
        return f"{head}发现：{self.found}；应为：{self.expected}；修改方法：{self.fix}"


@dataclass(frozen=True)
class Dataset:
    """Everything one quarter's documents are made from."""

    registry: Registry
    year: int
    quarter: int
    plan: Plan
    actuals: dict[int, Actuals]  # every quarter of the year up to ``quarter`` that was found
    ledgers: dict[int, Ledger]  # likewise
    prev_year_actuals: Actuals | None = None  # optional, not needed when 上年同期 is reported
    warnings: tuple[Problem, ...] = field(default=())

    @property
    def current(self) -> Actuals:
        return self.actuals[self.quarter]

    @property
    def ledger(self) -> Ledger:
        return self.ledgers[self.quarter]

    @property
    def unreported(self) -> tuple[str, ...]:
        """The units that had not reported this quarter (a partial collection: drafts only)."""
        return self.current.unreported

    @property
    def sources(self) -> list[SourceFile]:
        files = [self.plan.source]
        files += [a.source for a in self.actuals.values()]
        files += [ledger.source for ledger in self.ledgers.values()]
        return files
