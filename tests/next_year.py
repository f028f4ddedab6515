"""A new year prepared as the README says, made in the tests' own folder from the shipped 2020 files:
data/2021/ with the 2020 plan, Q1 actuals, and a Q1 ledger that carries last December's projects on
(some of them a stage further, one new), and a 发文.toml written the way a clerk might."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl

from tests.shipped import shipped_data

# Key projects of the 2021 Q1 ledger moved one stage on since December, and the new one.
ADVANCE = {"签约": ("开工", 10, dt.datetime(2021, 2, 20)), "开工": ("投产", 11, dt.datetime(2021, 3, 18))}
NEW_PROJECT = "宝航精密零件示例项目"

ISSUANCE = """\
date = "2021年4月12日"
first_number = 16
minutes_number = 1

[meeting]
date = 2021.4.9
chair = "市人民政府分管副市长"
place = "市人民政府第三会议室"
attend = "各县市区人民政府分管负责同志"
"""


def next_year(root: Path, history: bool = True) -> tuple[Path, list[tuple[str, str, str]]]:
    """``root/data`` with 2021 Q1 added; without ``history`` there is no 2020 Q4 folder. Returns the
    data folder and the key projects changed: (name, December's status, March's status)."""
    data = root / "data"
    shutil.copytree(shipped_data(), data)
    year = data / "2021"
    q1 = year / "2021Q1"
    q1.mkdir(parents=True)
    # last year's files as this year's, re-titled as the office would (a title naming 2020 in the
    # 2021 folder is refused: last year's table left in)
    _retitled(shipped_data() / "2020" / "2020年招商计划表.xlsx", year / "2021年招商计划表.xlsx")
    _first_quarter_actuals(shipped_data() / "2020" / "2020Q1" / "季度完成情况.xlsx", q1 / "季度完成情况.xlsx")
    changed = _carried_ledger(shipped_data() / "2020" / "2020Q4" / "项目库.xlsx", q1 / "项目库.xlsx")
    (q1 / "发文.toml").write_text(ISSUANCE, encoding="utf-8")
    if not history:
        shutil.rmtree(data / "2020" / "2020Q4")
    return data, changed


def _retitled(source: Path, target: Path) -> None:
    """``source`` saved as ``target`` with 2020 in its title rows made 2021."""
    book = openpyxl.load_workbook(source)
    sheet = book.worksheets[0]
    for row in sheet.iter_rows(max_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.value = cell.value.replace("2020年", "2021年")
    book.save(target)


# 2021's money figures: 2020's first quarter grown by a tenth; 上年同期 is what 2020 Q1 reported
# (本年累计 → 上年同期: B → C, D → E, F → G, with their decimals), as a real 2021 table has it.
GROWTH = 1.1
MONEY_COLUMNS = (("B", "C", 2), ("D", "E", 2), ("F", "G", 0))


def _first_quarter_actuals(source: Path, target: Path) -> None:
    _retitled(source, target)
    book = openpyxl.load_workbook(target)
    sheet = book.worksheets[0]
    rows = [r for r in range(1, sheet.max_row + 1) if isinstance(sheet[f"B{r}"].value, int | float)]
    city = next(r for r in rows if sheet[f"A{r}"].value == "全市")
    units = [r for r in rows if r != city]
    for this_year, last_year, decimals in MONEY_COLUMNS:
        for r in units:
            reported = sheet[f"{this_year}{r}"].value
            sheet[f"{last_year}{r}"] = reported
            grown = round(reported * GROWTH, decimals)
            sheet[f"{this_year}{r}"] = int(grown) if decimals == 0 else grown
        for column in (this_year, last_year):
            sheet[f"{column}{city}"] = round(sum(sheet[f"{column}{r}"].value for r in units), decimals)
    book.save(target)


def _carried_ledger(december: Path, target: Path) -> list[tuple[str, str, str]]:
    """December's ledger as March's: the first two key projects of each advancing stage move on,
    and one new key project is signed."""
    book = openpyxl.load_workbook(december)
    sheet = book.worksheets[0]
    sheet["A1"] = "2021年第一季度招商引资项目库（示例数据）"
    changed, moved = [], {stage: 0 for stage in ADVANCE}
    last = sheet.max_row
    for row in range(3, last + 1):
        status, key = sheet.cell(row, 8).value, sheet.cell(row, 15).value
        if key == "是" and status in ADVANCE and moved[status] < 2:
            new, column, day = ADVANCE[status]
            sheet.cell(row, 8).value = new
            sheet.cell(row, column).value = day
            moved[status] += 1
            changed.append((sheet.cell(row, 2).value, status, new))
    template = next(r for r in range(3, last + 1) if sheet.cell(r, 15).value == "是")
    for column in range(1, sheet.max_column + 1):
        sheet.cell(last + 1, column).value = sheet.cell(template, column).value
    sheet.cell(last + 1, 1).value = last - 1
    sheet.cell(last + 1, 2).value = NEW_PROJECT
    sheet.cell(last + 1, 8).value = "签约"
    sheet.cell(last + 1, 9).value = dt.datetime(2021, 1, 15)
    for column in (10, 11):
        sheet.cell(last + 1, column).value = None
    book.save(target)
    return changed
