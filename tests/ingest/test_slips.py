"""Issue 20.2: plausible mistakes in the quarter's tables that ``check`` used to pass without a
word. Each case changes a copy of the shipped data as a clerk would, runs ``zsreport check`` and
reads the real Chinese message and exit code."""

from __future__ import annotations

from pathlib import Path

import pytest

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
