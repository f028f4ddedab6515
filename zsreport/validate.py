"""Cell-level value parsing and the problem list of ``load``.

Every parser returns ``(value, problem_text)``: ``problem_text`` is ``None`` when the cell is
fine, otherwise a ``(found, expected, fix)`` triple that the loader turns into a ``Problem``
located at the cell. Nothing here opens files.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from zsreport.dataset import Problem

ERROR = "error"
WARNING = "warning"

# A "no value" mark in a number cell (the office writes these for "no target").
BLANK_MARKS = frozenset({"-", "--", "—", "——", "/", "无", "空", "\\"})
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_WS = re.compile(r"\s+")

Issue = tuple[str, str, str]  # found, expected, fix


def nfkc(text: str) -> str:
    """Full-width to half-width (１２ → 12, （ → (, full-width space → space)."""
    return unicodedata.normalize("NFKC", text)


def squash(text: str) -> str:
    """NFKC and every kind of whitespace removed: " 北　塔　区 " → "北塔区"."""
    return _WS.sub("", nfkc(text)).replace("\u200b", "").replace("\ufeff", "")


def shown(value: Any) -> str:
    """A cell value as the clerk sees it, for messages."""
    if value is None:
        return "(blank)"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.strftime("%Y-%m-%d")
        return value.isoformat(sep=" ")
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and squash(value) == "")


def parse_number(
    value: Any,
    *,
    unit: str = "",
    integer: bool = False,
    limit: float = 1e6,
) -> tuple[float | None, Issue | None]:
    """A non-negative number; ``None`` for a blank cell (or a dash, "无")."""
    what = "a whole number" if integer else "a number"
    what += f" in {unit}" if unit else ""
    if value is None:
        return None, None
    if isinstance(value, bool):
        return None, (shown(value), what, "type the figure as a number")
    if isinstance(value, dt.datetime | dt.date | dt.time | dt.timedelta):
        return None, (
            f"a date {shown(value)}",
            what,
            "the cell holds a date (Excel turned the figure into a date): set its format to 常规/数值 "
            "and type the figure again",
        )
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = squash(str(value))
        if text == "":
            return None, None
        if text in BLANK_MARKS:
            return None, None
        text = text.replace(",", "")
        for suffix in ("亿元", "万美元", "万元", "个", "条", "项", "家"):
            if unit and suffix == unit and text.endswith(suffix):
                text = text[: -len(suffix)]
        if not _NUMBER.fullmatch(text):
            return None, (shown(value), what, "type only the figure (digits and a decimal point), no words")
        number = float(text)
    if not math.isfinite(number):
        return None, (shown(value), what, "type the figure")
    if number < 0:
        return None, (shown(value), f"{what}, not negative", "amounts and counts cannot be negative")
    if number > limit:
        return None, (
            shown(value),
            f"{what} of at most {limit:g}",
            f"the figure is implausibly large: check the unit ({unit or 'count'}) and the decimal point",
        )
    if integer and not float(number).is_integer():
        return None, (shown(value), what, "a count of projects is a whole number")
    return number, None


def parse_bool(value: Any) -> tuple[bool, Issue | None]:
    if is_blank(value):
        return False, None
    if isinstance(value, bool):
        return value, None
    text = squash(str(value)).upper()
    if text in {"是", "Y", "YES", "TRUE", "√", "✓", "1", "1.0"}:
        return True, None
    if text in {"否", "N", "NO", "FALSE", "×", "X", "0", "0.0", "不是"}:
        return False, None
    return False, (shown(value), "是 or 否", "choose 是 or 否")


_DATE_TEXT = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")


def parse_date(value: Any) -> tuple[dt.date | None, Issue | None]:
    if is_blank(value):
        return None, None
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    if isinstance(value, int | float) and not isinstance(value, bool) and 30000 < value < 60000:
        return (dt.date(1899, 12, 30) + dt.timedelta(days=int(value))), None  # an Excel serial day
    text = squash(str(value))
    m = _DATE_TEXT.fullmatch(text)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3])), None
        except ValueError:
            pass
    return None, (shown(value), "a date such as 2020-03-15", "type the date as 年-月-日, e.g. 2020-03-15")


def closest(name: str, choices: Iterable[str]) -> str:
    import difflib

    options = list(choices)
    match = difflib.get_close_matches(name, options, n=1, cutoff=0.3)
    return f"did you mean {match[0]}?" if match else "use one of: " + "、".join(options)


class Problems:
    """Collects every problem of a run, in the order found."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(
        self,
        severity: str,
        file: str,
        sheet: str,
        cell: str,
        found: str,
        expected: str,
        fix: str,
    ) -> None:
        self.items.append(Problem(severity, file, sheet, cell, found, expected, fix))

    def error(self, file: str, sheet: str, cell: str, issue: Issue) -> None:
        self.add(ERROR, file, sheet, cell, *issue)

    def warning(self, file: str, sheet: str, cell: str, issue: Issue) -> None:
        self.add(WARNING, file, sheet, cell, *issue)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == WARNING]


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _clip(text: str, width: int) -> str:
    out, w = "", 0
    for ch in text:
        cw = _width(ch)
        if w + cw > width - 1:
            return out + "…"
        out += ch
        w += cw
    return out


def format_problems(problems: Iterable[Problem]) -> str:
    """A readable table of problems (errors first), one line per problem, for the terminal."""
    items = sorted(problems, key=lambda p: (p.severity != ERROR,))
    if not items:
        return "No problems found."
    cols = ("级别", "文件", "工作表", "单元格", "发现", "应为", "修改方法")
    limits = (7, 48, 14, 8, 30, 40, 200)
    rows = [
        (
            "错误" if p.severity == ERROR else "提醒",
            p.file,
            p.sheet,
            p.cell,
            p.found,
            p.expected,
            p.fix,
        )
        for p in items
    ]
    rows = [tuple(_clip(v.replace("\n", " "), lim) for v, lim in zip(r, limits, strict=True)) for r in rows]
    widths = [max(_width(c), *(_width(r[i]) for r in rows)) for i, c in enumerate(cols)]
    widths[-1] = 0  # the last column is not padded
    line = "  ".join(_pad(c, w) for c, w in zip(cols, widths, strict=True)).rstrip()
    out = [line, "-" * min(160, _width(line) + 20)]
    for r in rows:
        out.append("  ".join(_pad(v, w) for v, w in zip(r, widths, strict=True)).rstrip())
    n_err = sum(p.severity == ERROR for p in items)
    out.append(f"{n_err} error(s), {len(items) - n_err} warning(s).")
    return "\n".join(out)
