"""The office's own tables, written as the office keeps them: the 附件 of 邵承办发〔2020〕2号 with its
merged title, three-level merged header, blank unit-column header, 全市 first, blank cells for "no
target" and names typed with stray spaces. Shared by the ingest tests."""

from __future__ import annotations

import math
from pathlib import Path

from openpyxl import Workbook

N = math.nan

# The 附件 table of 邵承办发〔2020〕2号, figure for figure (data/2020/2020年招商计划表.xlsx holds
# the same): 全市 then the 13 units; NaN is a blank cell, "no target".
SEED_PLAN = {
    "全市": (523, 315, 37600, 180, 102, 90, 14, 15),
    "邵阳经开区": (17, 11.4, 1700, 32, 32, 20, 2, 3),
    "邵东市": (97.45, 58.47, 4550, 30, 20, 20, 2, 1),
    "新邵县": (57.25, 34.35, 3550, 18, 15, 8, 2, 1),
    "隆回县": (42, 25.2, 4800, 18, 8, 8, 2, 1),
    "武冈市": (35.85, 21.51, 4850, 18, 7, 8, 2, 1),
    "洞口县": (45.8, 27.48, 3750, 12, 7, 6, 2, 1),
    "邵阳县": (43.4, 26.04, 3700, 12, 5, 6, 2, 1),
    "绥宁县": (18.35, 11.01, N, 7, 3, 2, N, 1),
    "城步县": (15.95, 9.57, N, 7, 2, 2, N, 1),
    "新宁县": (21.8, 13.08, 3700, 7, 3, 2, N, 1),
    "大祥区": (50.75, 30.45, 3700, 7, N, 3, N, 1),
    "双清区": (55.65, 33.39, 3300, 6, N, 3, N, 1),
    "北塔区": (21.75, 13.05, N, 6, N, 2, N, 1),
}
# Names as typed in the office's file: a trailing space, full-width spaces inside.
AS_TYPED = {"邵东市": "邵东市 ", "北塔区": "北　塔　区"}
COUNT_HEADERS = (
    "新引进产业 招商项目",
    "七大产业链 项目",
    "高新技术企业",
    "投资5亿元以上 制造业项目",
    "三类500强 企业项目",
)
FIRST_DATA_ROW = 5  # 1-based: row 5 is 全市


def write_office_plan(path: Path, year: int = 2020, plan: dict[str, tuple] | None = None) -> Path:
    """The plan as the office lays it out (the seed's 附件), with ``plan``'s figures."""
    wb = Workbook()
    ws = wb.active
    ws.title = "附件"
    ws["A1"] = f"{year}年邵阳市承产转移示范区建设招商计划表"
    ws.merge_cells("A1:I1")
    ws.merge_cells("A2:A4")  # the unit column's header: merged and left blank
    ws["B2"] = "计划引资金额"
    ws.merge_cells("B2:D2")
    ws["E2"] = "计划招商产业项目数量(个)"
    ws.merge_cells("E2:I2")
    ws["B3"] = "省外境内资 金(亿元)"
    ws.merge_cells("B3:B4")
    ws["C3"] = "其中"
    ws.merge_cells("C3:D3")
    ws["C4"] = "工业引资 (亿元)"
    ws["D4"] = "实际利用 外资 (万美元)"
    for col, text in zip("EFGHI", COUNT_HEADERS, strict=True):
        ws[f"{col}3"] = text
        ws.merge_cells(f"{col}3:{col}4")
    for r, (unit, values) in enumerate((plan or SEED_PLAN).items(), FIRST_DATA_ROW):
        ws.cell(r, 1, AS_TYPED.get(unit, unit))
        for c, value in enumerate(values, 2):
            if not (isinstance(value, float) and math.isnan(value)):
                ws.cell(r, c, value)
    wb.save(path)
    return path
