"""The period a table says it is for: its title (and the dates above and below it) against the
folder it lies in. Last quarter's table copied into this quarter's folder keeps its title
(第三季度, 1-9月, 截至9月30日); last year's plan kept as this year's keeps its year.

Only the title rows, the sheet name and the note rows below the table are read: a date inside a
project's 存在问题 text ("截至9月30日尚未供地") says nothing about the table."""

from __future__ import annotations

import re

from zsreport.ingest.headers import KIND_CN, PLAN
from zsreport.ingest.parse import squash
from zsreport.ingest.problems import ERROR, Problems
from zsreport.ingest.rows import data_rows
from zsreport.ingest.scan import Found

_CN_DIGIT = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_CN_QUARTER = "一二三四"
_QUARTER_END = {(3, 31): 1, (6, 30): 2, (9, 30): 3, (12, 31): 4}
_QUARTER_WORD = re.compile(r"([一二三四1-4])季度|Q([1-4])(?![0-9])|(上半年)")
_MONTH_RANGE = re.compile(r"(?<![0-9])1(?:月(?:1日|份)?)?[-—－~～至到](1[0-2]|[1-9])月(?!1日)")
_END_DATE = re.compile(r"(?:至|截至|截止|止)(?:(20\d\d)年)?(1[0-2]|[1-9])月([0-3]?[0-9])日")
_PERIOD_YEAR = re.compile(r"(20\d\d)年(?:度|第|[一二三四1-4]季度|上半年|前三季度|1月|1-|1—|1至|1~)")
_ANY_YEAR = re.compile(r"(20\d\d)年")


def quarters_named(text: str) -> set[int]:
    """The quarters ``text`` (squashed) names by word: 第三季度, 三季度, Q3, 上半年."""
    found: set[int] = set()
    for m in _QUARTER_WORD.finditer(text.upper()):
        found.add(2 if m[3] else _CN_DIGIT[m[1] or m[2]])
    return found


def quarters_dated(text: str) -> set[int]:
    """The quarters whose end ``text`` names as a period's end: 1-9月, 至9月30日, 截至12月31日."""
    found = {int(m[1]) // 3 for m in _MONTH_RANGE.finditer(text) if int(m[1]) % 3 == 0}
    for m in _END_DATE.finditer(text):
        q = _QUARTER_END.get((int(m[2]), int(m[3])))
        if q is not None:
            found.add(q)
    return found


def _texts(f: Found) -> tuple[str, str]:
    """(the title rows with the sheet name, the note rows below the table), squashed."""
    grid, h = f.grid, f.header
    title = squash(f"{grid.sheet} {h.title}")
    body = set(data_rows(f))
    notes = [
        grid.text(r, c)
        for r in range(h.row + h.depth, len(grid.rows))
        if r not in body
        for c in range(grid.width)
        if grid.text(r, c)
    ]
    return title, "".join(notes)


def period_notes(f: Found) -> str:
    """The note rows below the table (备注, 说明), squashed into one text."""
    return _texts(f)[1]


def check_period(f: Found, problems: Problems) -> None:
    """A table whose title or dates name another quarter or year than its folder is refused."""
    if f.quarter is None:
        if f.header.kind == PLAN:
            _check_plan_year(f, problems)
        return
    title, notes = _texts(f)
    said: list[str] = []
    named, dated = quarters_named(title), quarters_dated(title) | quarters_dated(notes)
    if named and f.quarter not in named:
        said.append("第" + "、".join(_CN_QUARTER[q - 1] for q in sorted(named)) + "季度")
    if dated and f.quarter not in dated:
        said.append("截至" + "、".join(_END_TEXT[q] for q in sorted(dated)))
    years = {int(y) for y in _PERIOD_YEAR.findall(title)}
    if years and f.year not in years:
        said.insert(0, "、".join(f"{y}年" for y in sorted(years)))
    if said:
        _refuse(f, "，".join(said), _expected(f), problems)


_END_TEXT = {1: "3月31日", 2: "6月30日", 3: "9月30日", 4: "12月31日"}


def _expected(f: Found) -> str:
    q = f.quarter or 4
    return f"{f.year}年第{_CN_QUARTER[q - 1]}季度（1-{3 * q}月，截至{_END_TEXT[q]}）"


def _check_plan_year(f: Found, problems: Problems) -> None:
    title = squash(f"{f.grid.sheet} {f.header.title}")
    years = {int(y) for y in _ANY_YEAR.findall(title)}
    if years and f.year not in years:
        _refuse(f, "、".join(f"{y}年" for y in sorted(years)), f"{f.year}年", problems)


def _title_shown(f: Found) -> str:
    """The title rows as the clerk reads them: each text once (a merged title shows in every cell
    it covers), cut at 80 characters."""
    grid = f.grid
    texts = [str(grid.raw(r, c)).strip() for r in range(f.header.row) for c in range(grid.width)]
    shown = " ".join(dict.fromkeys(t for t in texts if t and t != "None"))
    return (shown[:80] + "……") if len(shown) > 80 else shown or f"工作表“{grid.sheet}”"


def _refuse(f: Found, said: str, expected: str, problems: Problems) -> None:
    kind = KIND_CN[f.header.kind]
    title = _title_shown(f)
    folder = f.display.rsplit("/", 1)[0]
    problems.add(
        ERROR,
        f.display,
        f.grid.sheet,
        "A1" if f.header.title else "",
        f"这份{kind}的标题或日期写的是{said}（“{title}”），却放在{expected}的文件夹“{folder}”中",
        f"{expected}的{kind}，标题和日期写明{expected}",
        f"如果这是别的时期的表（如上季度的表复制了过来），请换成{expected}的{kind}；"
        f"如果表中数字确是{expected}的，请把标题和统计日期改为{expected}，再运行一次。",
    )
