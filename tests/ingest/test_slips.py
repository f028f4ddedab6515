"""Issue 20.2: plausible mistakes in the quarter's tables that ``check`` used to pass without a
word. Each case changes a copy of the shipped data as a clerk would, runs ``zsreport check`` and
reads the real Chinese message and exit code."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.ingest.test_slips_collect import as_xls, unwrapped
from tests.shipped import copy_shipped
from zsreport.cli import main
from zsreport.ingest import load_dataset

ACT3 = "2020/2020Q3/季度完成情况.xlsx"
ACT4 = "2020/2020Q4/季度完成情况.xlsx"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return copy_shipped(tmp_path / "data")


def check(data: Path, capsys, quarter: int = 4, year: int = 2020) -> tuple[int, str]:
    """``zsreport check``: its exit code and its report, wrapped lines joined."""
    code = main(["check", "--year", str(year), "--quarter", str(quarter), "--data", str(data)])
    captured = capsys.readouterr()
    return code, unwrapped(captured.out + captured.err)


def test_an_xls_table_is_read_and_an_et_is_refused(data: Path, capsys) -> None:
    act4 = data / ACT4
    as_xls(act4, act4.with_suffix(".xls"))
    act4.unlink()
    assert check(data, capsys)[0] == 0
    want = load_dataset(copy_shipped(data.parent / "ref"), 2020, 4).current.values
    assert load_dataset(data, 2020, 4).current.values.equals(want)
    (data / "2020/2020Q4/季度完成情况.xls").rename(data / "2020/2020Q4/季度完成情况.et")
    code, out = check(data, capsys)
    assert code == 1
    assert "文件：data/2020/2020Q4/季度完成情况.et" in out
    assert "WPS 表格专用格式（.et）的文件，程序无法读取" in out


# --- last quarter's table in this quarter's folder --------------------------------------------
THIS_YEAR_COLUMNS = "BDFHIJKLM"  # 本年累计 of the shipped 完成情况 (C, E, G: 上年同期)


def _retitle(path: Path, quarter_cn: str, end: str) -> None:
    wb = load_workbook(path)
    ws = wb.active
    ws["A1"] = f"2020年第{quarter_cn}季度承接产业转移示范区建设招商引资完成情况表"
    ws["A2"] = f"统计时间：2020年1月1日至{end}（累计）"
    wb.save(path)


@pytest.mark.parametrize("retitled", [False, True], ids=["unchanged", "retitled"])
def test_last_quarters_table_copied_is_refused(data: Path, capsys, retitled: bool) -> None:
    (data / ACT4).write_bytes((data / ACT3).read_bytes())
    if retitled:  # the clerk changed the title and the date, not one figure
        _retitle(data / ACT4, "四", "12月31日")
    code, out = check(data, capsys)
    assert code == 1
    assert (
        "发现：第4季度完成情况表中13个单位的本年累计数与第3季度（“data/2020/2020Q3/季度完成情况.xlsx”）"
        "的完全相同，一个数字也没有变" in out
    )
    assert "文件：data/2020/2020Q4/季度完成情况.xlsx" in out
    assert "这很可能是把第3季度的表复制到了第4季度的文件夹（或只改了标题）" in out


def test_one_units_row_left_as_last_quarters_is_warned(data: Path, capsys) -> None:
    q3 = load_workbook(data / ACT3).active
    wb = load_workbook(data / ACT4)
    ws = wb.active
    assert ws["A7"].value == q3["A7"].value == "邵东市"
    for col in THIS_YEAR_COLUMNS:  # 邵东市's row as in September; 全市 kept the units' sum
        ws[f"{col}5"] = ws[f"{col}5"].value + q3[f"{col}7"].value - ws[f"{col}7"].value
        ws[f"{col}7"] = q3[f"{col}7"].value
    wb.save(data / ACT4)
    code, out = check(data, capsys)
    assert code == 0
    block = out[max(0, out.index("邵东市这一行的本年累计数与第3季度报的完全相同") - 120) :]
    assert "位置：工作表“完成情况”，单元格 A7" in block
    assert "如果邵东市本季度确实没有任何新增，可不改动" in block
    assert "与第3季度（“data/2020/2020Q3" not in out  # not the whole table


# --- a title or date naming another period ------------------------------------------------------
@pytest.mark.parametrize(
    ("title", "date", "said"),
    [
        (
            "2020年第三季度招商引资完成情况表",
            "统计时间：2020年1月1日至9月30日（累计）",
            "第三季度，截至9月30日",
        ),
        ("2020年第四季度招商引资完成情况表", "统计时间：2020年1-9月（累计）", "截至9月30日"),
        ("2019年第四季度招商引资完成情况表", "统计时间：2019年1月1日至12月31日", "2019年"),
        ("2020年Q3招商引资完成情况表", "", "第三季度"),
    ],
    ids=["title-and-date", "date-only", "last-year", "q3"],
)
def test_a_title_or_date_of_another_period_is_refused(
    data: Path, capsys, title: str, date: str, said: str
) -> None:
    wb = load_workbook(data / ACT4)
    wb.active["A1"], wb.active["A2"] = title, date or None
    wb.save(data / ACT4)
    code, out = check(data, capsys)
    assert code == 1
    block = out[max(0, out.index("这份季度完成情况表的标题或日期") - 120) :]
    assert "文件：data/2020/2020Q4/季度完成情况.xlsx" in block and "单元格 A1" in block
    assert f"写的是{said}（“{title}" in block
    assert "却放在2020年第四季度（1-12月，截至12月31日）的文件夹“data/2020/2020Q4”中" in block
    assert "请把标题和统计日期改为2020年第四季度" in block


def test_last_years_plan_is_refused_by_its_title(data: Path, capsys) -> None:
    plan = data / "2020/2020年招商计划表.xlsx"
    wb = load_workbook(plan)
    wb.active["A1"] = "2019年邵阳市承产转移示范区建设招商计划表"
    wb.save(plan)
    code, out = check(data, capsys)
    assert code == 1
    assert "这份年度招商计划表的标题或日期写的是2019年（“2019年邵阳市承产转移示范区建设招商计划表" in out


@pytest.mark.parametrize(
    ("text", "named", "dated"),
    [
        ("2020年第一季度完成情况", {1}, set()),
        ("2020年前三季度", {3}, set()),
        ("上半年", {2}, set()),
        ("统计时间:2020年1月1日至6月30日", set(), {2}),
        ("1—12月", set(), {4}),
        ("说明:截至2021年1月8日,隆回县未报送", set(), set()),  # collect's cut-off note
        ("填报日期:2020年9月30日", set(), set()),  # a date, not a period's end
        ("1-11月", set(), set()),
    ],
)
def test_periods_read_from_titles(text: str, named: set[int], dated: set[int]) -> None:
    from zsreport.ingest.periods import quarters_dated, quarters_named

    assert quarters_named(text) == named and quarters_dated(text) == dated


# --- a formula whose saved result disagrees with its inputs ----------------------------------------
def with_saved_results(path: Path, results: dict[str, float]) -> None:
    """Give formula cells the result Excel saved with them (openpyxl writes a formula without
    one): the file as Excel leaves it when the figures changed under manual calculation."""
    import re
    import shutil
    import zipfile

    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                text = data.decode("utf-8")
                for ref, value in results.items():
                    text, n = re.subn(
                        rf'(<c r="{ref}"[^>]*>)<f>(.*?)</f>(?:<v\s*/>|<v>[^<]*</v>)?',
                        rf"\g<1><f>\g<2></f><v>{value}</v>",
                        text,
                    )
                    assert n == 1, ref
                data = text.encode("utf-8")
            dst.writestr(item, data)
    shutil.move(tmp, path)


def test_a_formulas_stale_result_is_refused_and_a_true_one_passes(data: Path, capsys) -> None:
    wb = load_workbook(data / ACT4)
    ws = wb.active
    ws["B7"] = "=60.25+45"  # 邵东市 105.25 typed as a sum: its saved result is right
    ws["M5"] = "=SUM(M6:M18)"  # 全市 信息条数: 1065, saved right
    ws["D5"] = "=ROUND(SUM(D6:D18),2)"  # 全市 工业引资: 323.7, saved before 邵东市 changed
    ws["D7"] = 63.56  # was 62.56
    wb.save(data / ACT4)
    with_saved_results(data / ACT4, {"B7": 105.25, "M5": 1065, "D5": 323.7})
    code, out = check(data, capsys)
    assert code == 1
    block = out[max(0, out.index("公式“=ROUND(SUM(D6:D18),2)”") - 120) :]
    assert "文件：data/2020/2020Q4/季度完成情况.xlsx" in block and "单元格 D5" in block
    # (a line may break at the space before a figure: compared without spaces)
    assert (
        "保存的结果是323.7，但按表中现在的数字算得324.7（公式的结果没有随数字更新，或被手工改写过）"
        in block.replace(" ", "")
    )
    assert "按 F9" in block
    assert "=60.25+45" not in out and "=SUM(M6:M18)" not in out


@pytest.mark.parametrize(
    ("formula", "value"),
    [
        ("1+2*3", 7.0),
        ("SUM(A1:A2,5)", 8.0),
        ("ROUND(2.675,2)", 2.68),
        ("(A1-A2)/2", -0.5),
        ("A1*Sheet2!A1", None),
    ],
)
def test_formulas_recomputed(formula: str, value: float | None) -> None:
    from zsreport.ingest.cells import Grid
    from zsreport.ingest.formulas import recompute

    assert recompute(Grid("S", [[1], [2]]), formula) == value


# --- a unit's name typed wrong -------------------------------------------------------------------
def test_a_mistyped_unit_is_answered_with_the_closest_registry_names(data: Path, capsys) -> None:
    wb = load_workbook(data / ACT4)
    wb.active["A7"] = "邵东县"  # 邵东市
    wb.save(data / ACT4)
    ledger = data / "2020/2020Q4/项目库.xlsx"
    wb = load_workbook(ledger)
    wb.active["C3"] = "新县"  # 新邵县 or 新宁县: both are offered
    wb.save(ledger)
    code, out = check(data, capsys)
    assert code == 1
    block = out[max(0, out.index("单位名称“邵东县”") - 120) :]
    assert "单元格 A7" in block and "修改方法：是否应为“邵东市”？" in block
    assert "邵阳县" not in block.split("修改方法")[1].split("【")[0]
    assert "所属单位填的是“新县”" in out and "是否应为“新邵县”或“新宁县”？" in out


# --- forms for a year with no plan ---------------------------------------------------------------
def _forms(data: Path, out: Path, capsys, year: int) -> tuple[int, str]:
    code = main(["forms", "--year", str(year), "--quarter", "1", "--data", str(data), "--out", str(out)])
    captured = capsys.readouterr()
    return code, unwrapped(captured.out + captured.err)


def test_forms_for_a_year_without_a_plan_are_refused(data: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "forms"
    code, text = _forms(data, out, capsys, 2022)  # no data/2022 at all
    assert code == 1 and "找不到这个文件夹" in text and "data/2022" in text
    (data / "2021").mkdir()  # the year's folder, but the plan not yet in it
    code, text = _forms(data, out, capsys, 2021)
    assert code == 1
    assert "发现：找不到年度招商计划表" in text and "没有可用的2021年招商计划表，未生成任何报表" in text
    assert not out.exists()
    # with the plan (and no quarter of 2021 yet) the forms carry its targets
    wb = load_workbook(data / "2020/2020年招商计划表.xlsx")
    wb.active["A1"] = "2021年邵阳市承产转移示范区建设招商计划表"
    wb.save(data / "2021/2021年招商计划表.xlsx")
    code, text = _forms(data, out, capsys, 2021)
    assert code == 0
    plan = load_dataset(data, 2020, 4).plan.targets
    ws = load_workbook(out / "2021Q1-邵东市-招商引资季度报表.xlsx")["完成情况"]
    assert ws["B4"].value == "省外境内资金" and ws["D4"].value == plan.at["邵东市", "provincial_funds"]


# --- figures typed into the wrong column or the wrong table ----------------------------------------
ACT1 = "2020/2020Q1/季度完成情况.xlsx"
INDICATOR_COLUMNS = "BDFHIJKL"  # the eight indicators' 本年累计, registry order
FIRST_UNIT_ROW, LAST_UNIT_ROW, CITY_ROW = 6, 18, 5


def _set_units(path: Path, values: dict[tuple[int, str], float]) -> None:
    """Set unit cells and keep the 全市 row the units' sum (else that is refused first)."""
    wb = load_workbook(path)
    ws = wb.active
    for (row, col), value in values.items():
        ws[f"{col}{row}"] = value
    for col in {c for _, c in values}:
        ws[f"{col}{CITY_ROW}"] = round(
            sum(ws[f"{col}{r}"].value or 0 for r in range(FIRST_UNIT_ROW, LAST_UNIT_ROW + 1)), 2
        )
    wb.save(path)


def test_industrial_equal_to_provincial_is_warned(data: Path, capsys) -> None:
    _set_units(data / ACT4, {(7, "D"): 105.25})  # 邵东市: 省外境内资金 B7 typed into 工业引资 too
    code, out = check(data, capsys)
    assert code == 0
    block = out[max(0, out.index("邵东市的工业引资与省外境内资金") - 120) :]
    assert "单元格 D7" in block and "（B7）都是 105.25，分毫不差" in block.replace("\n", "")
    assert "是否把省外境内资金抄进了工业引资一栏" in block


def _targets_as_q1(data: Path, units: list[str]) -> None:
    plan = load_dataset(data, 2020, 4).plan.targets
    ws = load_workbook(data / ACT1).active
    rows = {ws.cell(r, 1).value: r for r in range(FIRST_UNIT_ROW, LAST_UNIT_ROW + 1)}
    keys = list(plan.columns)
    changes = {}
    for unit in units:
        for col, key in zip(INDICATOR_COLUMNS, keys, strict=True):
            target = plan.at[unit, key]
            if target == target:  # a blank target: the figure stays
                changes[(rows[unit], col)] = float(target)
    _set_units(data / ACT1, changes)


def test_q1_actuals_equal_to_the_targets_are_warned(data: Path, capsys) -> None:
    _targets_as_q1(data, ["隆回县"])
    code, out = check(data, capsys, quarter=1)
    assert code == 0
    block = out[max(0, out.index("隆回县的本年累计数与它的年度目标逐项相同") - 120) :]
    assert "文件：data/2020/2020Q1/季度完成情况.xlsx" in block and "单元格 A9" in block
    assert "一季度末一般只完成年度目标的一部分" in block


def test_every_unit_equal_to_its_targets_is_told_once(data: Path, capsys) -> None:
    units = list(load_dataset(data, 2020, 1).plan.targets.index[1:])
    _targets_as_q1(data, units)
    code, out = check(data, capsys, quarter=1)
    assert "13个单位的本年累计数与各自的年度目标逐项相同" in out
    assert "它的年度目标逐项相同" not in out
    assert "把年度招商计划表的数字填进了完成情况表" in out
    assert code == 0


# --- 上年同期 against last year's same quarter -------------------------------------------------------
def test_prev_year_against_last_years_table(tmp_path: Path, capsys) -> None:
    from tests.next_year import next_year

    data, _ = next_year(tmp_path)
    act = data / "2021/2021Q1/季度完成情况.xlsx"
    ws = load_workbook(act).active
    b7, c7, c9, c11 = (ws[ref].value for ref in ("B7", "C7", "C9", "C11"))
    _set_units(act, {(7, "B"): c7, (7, "C"): b7, (9, "C"): round(c9 * 10, 2), (11, "C"): round(c11 + 1, 2)})
    code, out = check(data, capsys, quarter=1, year=2021)
    assert code == 0
    flat = out.replace(" ", "")
    swapped = flat[flat.index("邵东市的“省外境内资金上年同期（亿元）”") :]
    assert (
        f"是{b7}，而上年第1季度的完成情况表（“data/2020/2020Q1/季度完成情况.xlsx”）报的是{c7}；本年累计一栏填的倒是{c7}"
        in swapped
    )
    assert "本年累计和上年同期两栏很可能填反了" in swapped
    assert f"隆回县的“省外境内资金上年同期（亿元）”是{round(c9 * 10, 2):g}，是上年报的{c9}的10倍" in flat
    assert "洞口县的“省外境内资金上年同期（亿元）”" in flat and "如果上年的数字后来经过核实调整" in flat
    assert "单元格C7" in flat and "单元格C9" in flat and "单元格C11" in flat
    # a note under the table explains 上年同期: the plain difference is no longer told, the slips are
    wb = load_workbook(act)
    wb.active["A20"] = "备注：洞口县上年同期数经统计部门核实调整。"
    wb.save(act)
    code, out = check(data, capsys, quarter=1, year=2021)
    flat = out.replace(" ", "")
    assert "洞口县的“省外境内资金上年同期" not in flat
    assert "两栏很可能填反了" in flat and "的10倍" in flat


def test_prev_year_a_tenth_of_this_year_without_last_years_table(data: Path, capsys) -> None:
    _set_units(data / ACT4, {(8, "G"): 366})  # 新邵县 3656 万美元 this year; 3317 last year typed 366
    code, out = check(data, capsys)
    assert code == 0
    flat = out.replace(" ", "")
    assert "新邵县的“实际利用外资上年同期（万美元）”是366，是本年累计3656的十分之一" in flat
    assert "单元格G8" in flat


# --- a digit slip that stays above last quarter --------------------------------------------------
def test_a_slipped_digit_above_last_quarter_is_warned(data: Path, capsys) -> None:
    ws = load_workbook(data / ACT3).active
    september = ws["B7"].value
    _set_units(data / ACT4, {(7, "B"): 150.25})  # 邵东市 105.25 typed 150.25: still above September
    code, out = check(data, capsys)
    assert code == 0
    flat = out.replace(" ", "")
    block = flat[flat.index("邵东市的“省外境内资金（亿元）”是150.25") :]
    assert f"比第3季度的{september}多了{150.25 - september:.2f}".rstrip("0") in block
    assert "以往一个季度最多只增加" in block and "如105.25打成150.25" in block
    assert "单元格B7" in flat[: flat.index("邵东市的“省外境内资金（亿元）”是150.25")].rsplit("【", 1)[1]


def test_ten_times_last_quarter_is_a_slip_even_within_the_plan() -> None:
    from zsreport.ingest.crosscheck import _implausible

    why = _implausible(45.0, 100.0, 3.8, 3, False)  # 4.5 typed 45 after 3.8, target 100
    assert why is not None and "是上季度 3.8 的 12 倍" in why
    assert _implausible(9.0, 100.0, 3.8, 3, False) is None  # a plain good quarter


@pytest.mark.parametrize("last", [1, 4], ids=["same-quarter", "december"])
def test_last_years_table_retitled_as_this_years_is_refused(tmp_path: Path, capsys, last: int) -> None:
    from tests.next_year import next_year

    data, _ = next_year(tmp_path)
    act = data / "2021/2021Q1/季度完成情况.xlsx"
    act.write_bytes((data / f"2020/2020Q{last}/季度完成情况.xlsx").read_bytes())
    wb = load_workbook(act)
    wb.active["A1"] = "2021年第一季度承接产业转移示范区建设招商引资完成情况表"
    wb.active["A2"] = "统计时间：2021年1月1日至3月31日（累计）"
    wb.save(act)
    code, out = check(data, capsys, quarter=1, year=2021)
    assert code == 1
    assert (
        f"第1季度完成情况表中13个单位的本年累计数与上年第{last}季度（“data/2020/2020Q{last}/季度完成情况.xlsx”）"
        "的完全相同，一个数字也没有变" in out
    )
    assert f"这很可能是把上年第{last}季度的表复制了过来（或只改了标题和年份）" in out


def test_last_quarters_ledger_unchanged_is_warned(data: Path, capsys) -> None:
    ledger = "2020/2020Q4/项目库.xlsx"
    (data / ledger).write_bytes((data / "2020/2020Q3/项目库.xlsx").read_bytes())
    wb = load_workbook(data / ledger)
    wb.active["A1"] = "2020年第四季度招商引资项目库"  # re-titled, not one project updated
    wb.save(data / ledger)
    code, out = check(data, capsys)
    assert code == 0  # warned: the counts against 完成情况 are told too
    n = len(load_dataset(data, 2020, 3).ledger.projects)
    assert f"第4季度项目库的 {n} 个项目与第3季度的（“data/2020/2020Q3/项目库.xlsx”）完全相同" in out.replace(
        "\n", ""
    )
    assert "文件：data/2020/2020Q4/项目库.xlsx" in out
