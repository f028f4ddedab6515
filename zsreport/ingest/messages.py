"""Phrases shared by the messages of several readers, so that a figure, a formula or a column is
named the same way wherever a problem is found."""

from __future__ import annotations

import math
from collections.abc import Callable

from zsreport.ingest.dataset import INFO_COUNT, PREV_SUFFIX, Registry
from zsreport.ingest.problems import Issue


def template_hint(year: int) -> str:
    """How a clerk gets the blank forms of ``year``: a command that runs as written."""
    return f"空白模板可运行“python -m zsreport template --year {year}”生成"


def fmt_number(x: float) -> str:
    """A figure as the clerk would write it: 2.50 → "2.5", 3.0 → "3", NaN → "空白"."""
    if math.isnan(x):
        return "空白"
    return f"{x:.2f}".rstrip("0").rstrip(".") if not float(x).is_integer() else str(int(x))


def about(subject: str, issue: Issue) -> Issue:
    """A cell problem told with what the cell is: "邵东市的“省外境内资金（亿元）”填的是“二十”"."""
    found, expected, fix = issue
    return (f"{subject}填的是{found}", expected, fix)


def quoted_formula(text: str) -> str:
    return f"“{text}”" if text else ""


def indicator_label(registry: Registry) -> Callable[[str], str]:
    """Column key → its Chinese name with unit: "省外境内资金上年同期（亿元）"."""

    def label(key: str) -> str:
        if key == INFO_COUNT:
            return "报送招商信息条数"
        base = key.removesuffix(PREV_SUFFIX)
        ind = registry.indicator(base)
        prev = "上年同期" if key.endswith(PREV_SUFFIX) else ""
        return f"{ind.label}{prev}（{ind.unit}）"

    return label
