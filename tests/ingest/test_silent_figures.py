"""Issue 10.3: wrong figures never pass silently. Each case changes a copy of the shipped data and
reads the real message: file, sheet, cell, what was found."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.ingest.test_load import assert_chinese
from tests.shipped import copy_shipped, shipped_data
from zsreport.ingest import InputError, load_dataset

ACT1 = "2020/2020Q1/季度完成情况.xlsx"
ACT2 = "2020/2020Q2/季度完成情况.xlsx"
ACT3 = "2020/2020Q3/季度完成情况.xlsx"
ACT4 = "2020/2020Q4/季度完成情况.xlsx"
LED1 = "2020/2020Q1/项目库.xlsx"
PLAN_X = "2020/2020年招商计划表.xlsx"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return copy_shipped(tmp_path / "data")


def _problems(data: Path, quarter: int) -> list:
    try:
        return list(load_dataset(data, 2020, quarter).warnings)
    except InputError as exc:
        return exc.problems


def _at(problems: list, rel: str, sheet: str, cell: str, severity: str = "error") -> list:
    return [
        p
        for p in problems
        if p.file == "data/" + rel and p.sheet == sheet and p.cell == cell and p.severity == severity
    ]


def _edit(path: Path, change) -> None:
    wb = load_workbook(path)
    change(wb)
    wb.save(path)


def _copy_values(source: Path, target_ws) -> None:
    for row in load_workbook(source, data_only=True).worksheets[0].iter_rows():
        for cell in row:
            if cell.value is not None:
                target_ws.cell(cell.row, cell.column, cell.value)


# --- a second sheet that also looks like the table ------------------------------------------------
@pytest.mark.parametrize("state", ["visible", "hidden"])
def test_last_quarters_sheet_in_front_is_passed_over_by_its_title(data: Path, state: str) -> None:
    def put_q3_in_front(wb) -> None:
        old = wb.create_sheet("Sheet1", 0)  # a neutral name: only its title says 第三季度
        _copy_values(data / ACT3, old)
        old.sheet_state = state

    _edit(data / ACT4, put_q3_in_front)
    ds = load_dataset(data, 2020, 4)
    assert ds.current.source.sheet == "完成情况"
    assert ds.current.values.equals(load_dataset(shipped_data(), 2020, 4).current.values)
    passed = _at(list(ds.warnings), ACT4, "Sheet1", "", "warning")
    assert (
        len(passed) == 1
        and "第三季度" in passed[0].found
        and "第4季度" in passed[0].found + passed[0].expected
    )
    assert "程序读取的是工作表“完成情况”" in passed[0].fix
    assert ("（隐藏）" in passed[0].found) == (state == "hidden")
    assert_chinese(ds.warnings)


def test_two_sheets_of_the_same_quarter_are_refused_as_ambiguous(data: Path) -> None:
    _edit(data / ACT4, lambda wb: wb.move_sheet(wb.copy_worksheet(wb.worksheets[0]), -1))
    problems = _problems(data, 4)
    hits = _at(problems, ACT4, "", "")
    assert len(hits) == 1, problems
    assert "有 2 个工作表都像季度完成情况表" in hits[0].found
    assert "工作表“完成情况”" in hits[0].found and "工作表“完成情况 Copy”" in hits[0].found
    assert "无法确定哪一个是2020年第4季度的" in hits[0].found
    assert_chinese(problems)


# --- merged cells over data cells ---------------------------------------------------------------
def test_merged_figure_cells_are_refused(data: Path) -> None:
    _edit(data / PLAN_X, lambda wb: wb.worksheets[0].merge_cells("B6:B7"))  # 邵东市, 新邵县
    problems = _problems(data, 1)
    hits = _at(problems, PLAN_X, "招商计划表", "B6")
    assert len(hits) == 1, problems
    assert "B6:B7 是合并单元格" in hits[0].found and "邵东市、新邵县" in hits[0].found
    assert "共用一个值“97.45”" in hits[0].found and "取消合并" in hits[0].fix
    assert_chinese(problems)


def test_merged_ledger_amounts_are_refused_but_a_merged_unit_is_fine(data: Path) -> None:
    ws = load_workbook(data / LED1).worksheets[0]
    same_unit = [r for r in range(3, ws.max_row) if ws.cell(r, 3).value == ws.cell(3, 3).value]
    assert len(same_unit) >= 2 and same_unit[:2] == [3, 4]
    _edit(data / LED1, lambda wb: wb.worksheets[0].merge_cells("C3:C4"))  # 所属单位: the same unit
    assert load_dataset(data, 2020, 1).warnings == ()
    _edit(data / LED1, lambda wb: wb.worksheets[0].merge_cells("E3:E4"))  # 计划总投资 of two projects
    problems = _problems(data, 1)
    hits = _at(problems, LED1, "项目库", "E3")
    assert (
        len(hits) == 1
        and "E3:E4 是合并单元格" in hits[0].found
        and "晟晖液晶显示模组智能制造项目、远联盖板玻璃生产基地项目" in hits[0].found
    )


# --- decimal comma ----------------------------------------------------------------------------
@pytest.mark.parametrize("typed", ["19,04", "19，04", "19 04", "1,9"])
def test_a_decimal_comma_is_not_guessed(data: Path, typed: str) -> None:
    _edit(data / ACT1, lambda wb: wb.worksheets[0].__setitem__("B6", typed))  # 邵阳经开区 省外境内资金
    problems = _problems(data, 1)
    hits = _at(problems, ACT1, "完成情况", "B6")
    assert len(hits) == 1, problems
    assert hits[0].found.startswith(f"邵阳经开区的“省外境内资金（亿元）”填的是“{typed}”")
    assert "不知是小数点还是分隔符" in hits[0].found and "小数点请用“.”" in hits[0].fix
    assert_chinese(problems)


def test_thousands_separators_still_read(data: Path) -> None:
    ws = load_workbook(data / ACT1, data_only=True).worksheets[0]
    f6, f5 = ws["F6"].value, ws["F5"].value  # 邵阳经开区 外资 (万美元), 全市
    _edit(data / ACT1, lambda wb: wb.worksheets[0].__setitem__("F5", f"{f5:,}"))
    assert f5 >= 1000 and load_dataset(data, 2020, 1).current.values.at["邵阳经开区", "foreign_capital"] == f6


# --- hidden rows and columns ------------------------------------------------------------------
def test_hidden_rows_and_columns_with_data_are_warned_about(data: Path) -> None:
    def hide(wb) -> None:
        ws = wb.worksheets[0]
        ws.row_dimensions[7].hidden = True  # 邵东市
        ws.column_dimensions["D"].hidden = True  # 工业引资

    _edit(data / ACT1, hide)
    ds = load_dataset(data, 2020, 1)
    rows = _at(list(ds.warnings), ACT1, "完成情况", "A7", "warning")
    cols = _at(list(ds.warnings), ACT1, "完成情况", "D3", "warning")
    assert len(rows) == 1 and "第 7 行是隐藏的（共 1 行），但填有数据" in rows[0].found
    assert len(cols) == 1 and "D 列是隐藏的" in cols[0].found and "工业引资" in cols[0].found
    assert len(ds.warnings) == 2
    assert_chinese(ds.warnings)


# --- implausible figures ----------------------------------------------------------------------
def _times_ten(data: Path, rel: str, ref: str, city_ref: str) -> float:
    ws = load_workbook(data / rel, data_only=True).worksheets[0]
    value, city = ws[ref].value, ws[city_ref].value

    def change(wb) -> None:
        wb.worksheets[0][ref] = value * 10
        wb.worksheets[0][city_ref] = round(city + value * 9, 2)  # 全市 adjusted: the sum still holds

    _edit(data / rel, change)
    return value * 10


def test_a_figure_ten_times_its_plan_is_warned_about(data: Path) -> None:
    typed = _times_ten(data, ACT4, "B7", "B5")  # 邵东市 省外境内资金 (target 97.45)
    ds = load_dataset(data, 2020, 4)
    hits = _at(list(ds.warnings), ACT4, "完成情况", "B7", "warning")
    assert len(hits) == 1, ds.warnings
    assert f"邵东市的“省外境内资金（亿元）”是 {typed:g}" in hits[0].found
    assert "年度目标 97.45 的" in hits[0].found and "倍" in hits[0].found
    assert "小数点" in hits[0].fix
    assert_chinese(ds.warnings)


def test_a_jump_from_last_quarter_is_warned_about(data: Path) -> None:
    """绥宁县 has no 外资 target: its Q2 figure typed ten times too large is told against Q1's."""
    typed = _times_ten(data, ACT2, "F13", "F5")
    ds = load_dataset(data, 2020, 2)
    hits = _at(list(ds.warnings), ACT2, "完成情况", "F13", "warning")
    assert len(hits) == 1, ds.warnings
    q1 = load_workbook(data / ACT1, data_only=True).worksheets[0]["F13"].value
    assert f"绥宁县的“实际利用外资（万美元）”是 {typed:g}，是上季度 {q1} 的" in hits[0].found
    assert "没有年度目标可作对照" in hits[0].found
    assert len(ds.warnings) == 1


def test_ten_times_in_an_early_quarter_is_told_against_the_time_of_year(data: Path) -> None:
    _times_ten(data, ACT2, "H8", "H5")  # 新邵县 新引进产业招商项目, target 18
    ds = load_dataset(data, 2020, 2)
    hits = [w for w in _at(list(ds.warnings), ACT2, "完成情况", "H8", "warning") if "倍" in w.found]
    assert len(hits) == 1 and "第2季度末约为年度目标的 50%" in hits[0].found


# --- no silent row limit ----------------------------------------------------------------------
def test_a_25000_row_ledger_loads_every_project(data: Path) -> None:
    from openpyxl import Workbook

    extra = 25_000
    rows = [r for r in load_workbook(data / LED1).worksheets[0].iter_rows(values_only=True)]
    last = max(i for i, row in enumerate(rows) if isinstance(row[0], int))
    wb = Workbook(write_only=True)  # written fast: the test is about reading
    ws = wb.create_sheet("项目库")
    for row in rows[: last + 1]:
        ws.append(row)
    for i in range(extra):  # 洽谈 projects: the counts against 完成情况 stay as they are
        ws.append([last + i, f"储备项目{i:05d}", "邵东市", "其他", 1.5, 1, 0, "洽谈", None, None, None, "否"])
    wb.save(data / LED1)
    before = len(load_dataset(shipped_data(), 2020, 1).ledger.projects)
    ds = load_dataset(data, 2020, 1)
    assert len(ds.ledger.projects) == before + extra
    assert ds.ledger.projects["name"].iloc[-1] == f"储备项目{extra - 1:05d}"


def test_a_sheet_past_the_limit_is_refused_by_name(data: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import zsreport.ingest.cells as cells

    monkeypatch.setattr(cells, "MAX_ROWS", 20)
    problems = _problems(data, 1)
    hits = _at(problems, LED1, "", "")
    assert len(hits) == 1, problems
    assert "工作表“项目库”的内容有" in hits[0].found and "超出程序能读取的范围（最多 20 行" in hits[0].found
    assert "整个文件未读取" in hits[0].found
    assert_chinese(problems)
