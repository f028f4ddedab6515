"""Rules of the dates (GB/T 9704 7.3.5.4, 7.4): 成文日期 and 印发日期 in Arabic numerals with
year, month and day in full and no leading zeros."""

from __future__ import annotations

import re

from zsreport import gbt9704 as g
from zsreport.conformance.context import Context, compact
from zsreport.conformance.reading import TEXT_CENTRE, Page
from zsreport.conformance.report import Report
from zsreport.model import Mode

DATE_RE = re.compile(r"\d{4}年[1-9]\d?月[1-9]\d?日")  # 7.3.5.4: no leading zeros
ANY_DATE_RE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")


def check_dates(report: Report, pages: list[Page], ctx: Context) -> None:
    """成文日期 (7.3.5.4) on its own 落款 line or in the 纪要 header; 印发日期 in the 版记 (7.4)."""
    seen = False
    for page in pages:
        for line in page.text_lines:
            text = line.compact
            own_line = ANY_DATE_RE.fullmatch(text) and line.x0 > TEXT_CENTRE - 30
            header = (
                page.number == 1
                and ctx.mode is Mode.MINUTES
                and ANY_DATE_RE.search(text)
                and line.size <= g.BODY_SIZE_PT + 1
            )
            printed = text.endswith("印发") and ANY_DATE_RE.search(text)
            if ctx.signoff_date and compact(ctx.signoff_date) == text:
                own_line = True
            if not (own_line or header or printed):
                continue
            for date in ANY_DATE_RE.findall(text):
                seen = True
                rule = "date.colophon" if printed else "date.signoff"
                report.add(
                    rule,
                    "7.3.5.4/7.4",
                    bool(DATE_RE.fullmatch(date)),
                    date,
                    "××××年×月×日，月、日不编虚位（无前导 0）",
                    page.number,
                )
    if ctx.signoff_date and not seen:
        report.add("date.signoff", "7.3.5.4", False, f"未找到“{ctx.signoff_date}”", "落款中的成文日期", None)


def signoff_pages(pages: list[Page], ctx: Context) -> frozenset[int]:
    """The pages holding a 落款's 成文日期: a date on a line of its own right of centre (7.3.5.4)."""
    wanted = compact(ctx.signoff_date) if ctx.signoff_date else None
    return frozenset(
        page.number
        for page in pages
        for line in page.text_lines
        if (line.compact == wanted if wanted else ANY_DATE_RE.fullmatch(line.compact))
        and line.x0 > TEXT_CENTRE - 30
    )
