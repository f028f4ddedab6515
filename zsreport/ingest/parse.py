"""Cell values → Python values, and the words that show a cell's value in a message.

Every parser returns ``(value, issue)``: ``issue`` is ``None`` when the cell is fine, otherwise a
``(found, expected, fix)`` triple that the reader turns into a problem located at the cell.
Nothing here opens files.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from zsreport.ingest.problems import Issue

# A "no value" mark in a number cell (the office writes these for "no target").
BLANK_MARKS = frozenset({"-", "--", "—", "——", "/", "无", "空", "\\"})
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
# Commas only as thousands separators ("1,904.5"); "19,04" may be a decimal comma: not guessed.
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")
_SPACE_IN_DIGITS = re.compile(r"\d\s+[\d.,]|[.,]\s+\d")
_WS = re.compile(r"\s+")


def nfkc(text: str) -> str:
    """Full-width to half-width (１２ → 12, （ → (, full-width space → space)."""
    return unicodedata.normalize("NFKC", text)


def squash(text: str) -> str:
    """NFKC and every kind of whitespace removed: " 北　塔　区 " → "北塔区"."""
    return _WS.sub("", nfkc(text)).replace("\u200b", "").replace("\ufeff", "")


SHOWN_LIMIT = 300  # characters of a cell's text repeated in a message


def shown(value: Any) -> str:
    """A cell value as the clerk sees it in Excel, for messages ("空白" for an empty cell). A text
    longer than ``SHOWN_LIMIT`` is cut with an explicit note (never a bare "…")."""
    if value is None:
        return "空白"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"  # what Excel/WPS shows in the cell
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.strftime("%Y-%m-%d")
        return value.isoformat(sep=" ")
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = str(value)
    if len(text) <= SHOWN_LIMIT:
        return text
    return f"{text[:SHOWN_LIMIT]}（以下省略，共 {len(text)} 字）"


def quoted(value: Any) -> str:
    """A cell value in Chinese quotation marks, or 空白: “二十”."""
    if is_blank(value):
        return "空白"
    return f"“{shown(value)}”"


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and squash(value) == "")


def _example(integer: bool) -> str:
    return "“3”" if integer else "“20.5”"


def parse_number(
    value: Any,
    *,
    unit: str = "",
    integer: bool = False,
    limit: float = 1e6,
) -> tuple[float | None, Issue | None]:
    """A non-negative number; ``None`` for a blank cell (or a dash, "无")."""
    what = "整数" if integer else "数字"
    what += f"（单位：{unit}）" if unit else ""
    example = _example(integer)
    if value is None:
        return None, None
    if isinstance(value, bool):
        return None, (
            f"真假值{quoted(value)}",
            what,
            f"这一格被设成了真假值（“TRUE/FALSE”），不是数字。请删除后重新填写数字，如{example}。",
        )
    if isinstance(value, dt.datetime | dt.date | dt.time | dt.timedelta):
        return None, (
            f"日期{quoted(value)}",
            what,
            "这一格被设成了日期格式，Excel 把填写的数字自动变成了日期。请右键单击该单元格，"
            "选择“设置单元格格式”，改为“常规”或“数值”，再重新填写数字，如" + example + "。",
        )
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = squash(str(value))
        if text == "":
            return None, None
        if text in BLANK_MARKS:
            return None, None
        separator = _ambiguous_separator(value, text, what, example)
        if separator is not None:
            return None, separator
        text = text.replace(",", "")
        for suffix in ("亿元", "万美元", "万元", "个", "条", "项", "家"):
            if unit and suffix == unit and text.endswith(suffix):
                text = text[: -len(suffix)]
        if not _NUMBER.fullmatch(text):
            unit_note = f"单位已固定为{unit}，不用再写“{unit}”" if unit else "也不要写单位"
            return None, (
                quoted(value),
                what,
                f"只填写阿拉伯数字和小数点，如{example}；不要填写汉字、文字说明或其他符号。{unit_note}。",
            )
        number = float(text)
    if not math.isfinite(number):
        return None, (f"无法识别的数值{quoted(value)}", what, f"请重新填写一个正常的数字，如{example}。")
    if number < 0:
        return None, (
            f"负数{quoted(value)}",
            f"{what}，不能为负数",
            "金额和个数都不能为负数。请填写实际完成数；没有的请填“0”。",
        )
    if number > limit:
        if unit == "亿元":
            check = "请核对是否按亿元填写（例如 5000 万元应填“0.5”），以及小数点位置是否正确。"
        elif unit == "万美元":
            check = "请核对是否按万美元填写（例如 300 万美元应填“300”，不要按美元填写），以及小数点位置。"
        else:
            check = "请核对是否多打了数字，或小数点位置是否正确。"
        return None, (quoted(value), f"{what}，不超过 {limit:.0f}", "这个数明显过大。" + check)
    if integer and not float(number).is_integer():
        return None, (
            quoted(value),
            what,
            "项目个数、信息条数只能是整数，请填写整数，如“3”。",
        )
    return number, None


def _ambiguous_separator(value: Any, text: str, what: str, example: str) -> Issue | None:
    """A comma that is not a thousands separator ("19,04": 19.04 or 1904?) or a space between
    digits ("19 04"): the figure is not guessed."""
    if _SPACE_IN_DIGITS.search(nfkc(str(value)).strip()):
        mark = "空格"
    elif "," in text and not _THOUSANDS.fullmatch(text):
        mark = "逗号"
    else:
        return None
    return (
        f"{quoted(value)}，数字中间的{mark}不知是小数点还是分隔符",
        what,
        f"小数点请用“.”，数字中间不要加逗号或空格，如{example}（“19,04”若是十九点零四，应填“19.04”）。",
    )


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
    return False, (
        quoted(value),
        "“是”或“否”",
        "请填写“是”或“否”（可从下拉列表中选择）；不是的也可以留空。",
    )


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
    return None, (
        quoted(value),
        "日期，如“2020-03-15”",
        "请按“年-月-日”的格式填写完整日期，如“2020-03-15”；不要填写“月初”“上旬”这类文字，"
        "也不要填写不存在的日期。",
    )


def closest(name: str, choices: Iterable[str]) -> str:
    """A polite fix for a name that is not on a list: the likeliest right name, or the whole list."""
    import difflib

    options = list(choices)
    match = difflib.get_close_matches(name, options, n=1, cutoff=0.3)
    if match:
        return f"是否应为“{match[0]}”？请按规范名称填写（可从下拉列表中选择）。"
    return "请从以下规范名称中选择一个填写：" + "、".join(options) + "。"
