"""Which sheet of a workbook is the table: one per kind of table, chosen by the period it names
when a workbook holds more than one (last quarter's sheet left in, visible or hidden).

Nothing is chosen silently: a sheet passed over is named in a warning, and two sheets that both
could be this quarter's are refused as ambiguous.
"""

from __future__ import annotations

import re

from zsreport.ingest.cells import Grid
from zsreport.ingest.headers import KIND_CN, PLAN, Header
from zsreport.ingest.parse import squash
from zsreport.ingest.problems import Problems

Sheet = tuple[Grid, Header]
_CN_QUARTER = "一二三四"


def choose_sheets(
    sheets: list[Sheet], year: int, quarter: int | None, display: str, problems: Problems
) -> list[Sheet]:
    """The sheet read for each kind of table the workbook holds (reported when one is hidden,
    passed over or ambiguous). In the year folder only the plan counts; in a quarter folder a
    copy of the plan beside the quarter's tables is a reference sheet, not the table."""
    kinds = {h.kind for _, h in sheets}
    if quarter is None and PLAN in kinds:
        sheets = [s for s in sheets if s[1].kind == PLAN]
    elif quarter is not None and kinds - {PLAN}:
        sheets = [s for s in sheets if s[1].kind != PLAN]
    chosen: list[Sheet] = []
    for kind in dict.fromkeys(h.kind for _, h in sheets):
        same = [s for s in sheets if s[1].kind == kind]
        pick = _one_of(same, year, quarter, display, problems)
        if pick is not None:
            chosen.append(pick)
    return chosen


def _one_of(
    sheets: list[Sheet], year: int, quarter: int | None, display: str, problems: Problems
) -> Sheet | None:
    kind = KIND_CN[sheets[0][1].kind]
    if len(sheets) == 1:
        if sheets[0][0].hidden:
            _warn_hidden_read(sheets[0], kind, display, problems)
        return sheets[0]
    matching = [s for s in sheets if names_period(s, year, quarter)]
    if len(matching) != 1:
        _refuse_ambiguous(sheets, kind, year, quarter, display, problems)
        return None
    pick = matching[0]
    for other in sheets:
        if other is not pick:
            problems.warning(
                display,
                other[0].sheet,
                "",
                (
                    f"{_sheet_label(other)}也是一份{kind}，但名称和标题都不是{_period(year, quarter)}的",
                    f"一个文件只有一份{_period(year, quarter)}的{kind}",
                    f"程序读取的是{_sheet_label(pick)}（名称或标题写明了{_period(year, quarter)}），"
                    "这个工作表没有读取。如果它是以前的表，请把它删除，以免混淆。",
                ),
            )
    return pick


def names_period(sheet: Sheet, year: int, quarter: int | None) -> bool:
    """Whether a sheet's name or title names ``year``'s ``quarter`` (the plan: ``year``)."""
    grid, header = sheet
    text = squash(f"{grid.sheet} {header.title}").upper()
    years = set(re.findall(r"20\d\d", text))
    if years and str(year) not in years:
        return False
    if quarter is None:
        return str(year) in years
    return any(w in text for w in _period_words(quarter))


def _period_words(q: int) -> tuple[str, ...]:
    cn, month = _CN_QUARTER[q - 1], 3 * q
    return (
        f"{cn}季度",
        f"第{q}季度",
        f"{q}季度",
        f"Q{q}",
        f"1-{month}月",
        f"1—{month}月",
        f"1~{month}月",
        f"1至{month}月",
        f"至{month}月",
    )


def _period(year: int, quarter: int | None) -> str:
    return f"{year}年第{quarter}季度" if quarter else f"{year}年度"


def _sheet_label(sheet: Sheet) -> str:
    grid, header = sheet
    hidden = "（隐藏）" if grid.hidden else ""
    title = f"，标题“{header.title[:40]}”" if header.title else ""
    return f"工作表“{grid.sheet}”{hidden}{title}"


def _warn_hidden_read(sheet: Sheet, kind: str, display: str, problems: Problems) -> None:
    problems.warning(
        display,
        sheet[0].sheet,
        "",
        (
            f"{kind}在隐藏的工作表“{sheet[0].sheet}”中",
            "数据放在看得见的工作表中",
            "程序已读取这个隐藏的工作表。请右键单击工作表标签，选“取消隐藏”，核对其中的数据确实是要报送的。",
        ),
    )


def _refuse_ambiguous(
    sheets: list[Sheet], kind: str, year: int, quarter: int | None, display: str, problems: Problems
) -> None:
    period = _period(year, quarter)
    problems.error(
        display,
        "",
        "",
        (
            f"有 {len(sheets)} 个工作表都像{kind}："
            + "；".join(_sheet_label(s) for s in sheets)
            + f"。无法确定哪一个是{period}的",
            f"只有一个工作表是{kind}，或只有一个工作表的名称或标题写明“{period}”",
            "请删除不是本期的工作表（隐藏的工作表也算：右键单击工作表标签，选“取消隐藏”即可看到），"
            f"或把本期工作表的名称改为写明期别的名称（如“{period}”）。",
        ),
    )
