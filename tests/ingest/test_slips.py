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
    block = out[out.index("邵东市这一行的本年累计数与第3季度报的完全相同") - 120 :]
    assert "位置：工作表“完成情况”，单元格 A7" in block
    assert "如果邵东市本季度确实没有任何新增，可不改动" in block
    assert "与第3季度（“data/2020/2020Q3" not in out  # not the whole table
