"""Issue 20.2: the clerk's slips in the units' returns that ``collect`` used to take without a word.
Each case changes real return workbooks (filled in by the fixtures of ``test_returns``) and reads
the real message of ``zsreport collect``."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl

from tests.ingest import test_returns as returns_tests
from tests.ingest.test_returns import collect, copy_of, fill_in, form_of, shipped_figures

# the fixtures of test_returns (module-scoped there: forms written and filled once per module here)
shipped = returns_tests.shipped
blank_q4 = returns_tests.blank_q4
forms = returns_tests.forms
filled = returns_tests.filled


def unwrapped(text: str) -> str:
    """A report with its wrapped lines joined again (continuation lines are indented deeper than
    the two spaces of a field's first line)."""
    return re.sub(r"\n {4,}", "", text)


def _by_unit(returned):
    return {openpyxl.load_workbook(p)["表单信息"]["B2"].value: p for p in returned.glob("*.xlsx")}


def test_a_return_named_after_another_unit_is_refused(tmp_path, filled, forms, blank_q4, shipped, capsys):
    returned = copy_of(filled, tmp_path, "returned")
    data = copy_of(blank_q4, tmp_path, "data")
    by_unit = _by_unit(returned)
    # 城步县 was sent 新宁县's form by mistake: it types its own figures, leaves the pre-filled
    # project rows (所属单位 新宁县) and names the file after itself
    by_unit["城步县"].unlink()
    by_unit["新宁县"].unlink()
    fill_in(
        form_of(forms, "新宁县"),
        returned / "城步县2020年四季度报表.xlsx",
        shipped_figures(shipped)["城步县"],
        [],
    )
    # a return named after its own unit is fine
    by_unit["武冈市"].rename(returned / "武冈市（已填）.xlsx")
    assert collect(returned, data) == 1
    out = unwrapped(capsys.readouterr().out)
    assert "文件名“城步县2020年四季度报表.xlsx”写的是城步县，但这是市承产办发给新宁县的报表" in out
    assert "请城步县改用自己的报表" in out
    block = out[max(0, out.index("写的是城步县") - 200) :]
    assert "位置：工作表“表单信息”，单元格 B2" in block
    assert "写的是武冈市" not in out
    assert not (data / "2020/2020Q4/季度完成情况.xlsx").exists()


def as_xls(path: Path, dest: Path) -> Path:
    """The workbook at ``path`` written as an old .xls (BIFF8, as WPS or Excel save in 兼容模式) by
    xlwt: every sheet's values, its hidden state, dates as dates."""
    import datetime as dt

    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for ws in openpyxl.load_workbook(path, data_only=True).worksheets:
        out = book.add_sheet(ws.title)
        out.visibility = {"visible": 0, "hidden": 1, "veryHidden": 2}[ws.sheet_state]
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, dt.datetime):
                    out.write(cell.row - 1, cell.column - 1, cell.value, date_style)
                elif cell.value is not None:
                    out.write(cell.row - 1, cell.column - 1, cell.value)
    book.save(str(dest))
    return dest


def test_files_not_read_are_listed_and_xls_is_read(tmp_path, filled, blank_q4, shipped, capsys):
    returned = copy_of(filled, tmp_path, "returned")
    data = copy_of(blank_q4, tmp_path, "data")
    by_unit = _by_unit(returned)
    # 隆回县 saved its return in 兼容模式 (.xls); 洞口县's clerk still has the file open in Excel
    as_xls(by_unit["隆回县"], returned / "隆回县报表.xls")
    by_unit["隆回县"].unlink()
    (returned / f"~${by_unit['洞口县'].name}").write_bytes(b"\0" * 165)
    # 绥宁县 sent a WPS .et and a CSV; a scan and a folder lie beside the returns
    by_unit["绥宁县"].rename(returned / "绥宁县报表.et")
    (returned / "新宁县报表.csv").write_text("单位,省外境内资金\n新宁县,12\n", encoding="utf-8")
    (returned / "扫描件.pdf").write_bytes(b"%PDF-1.4\n")
    (returned / "旧报表").mkdir()
    assert collect(returned, data) == 1
    out = unwrapped(capsys.readouterr().out)
    assert "WPS 表格专用格式（.et）的文件，程序无法读取（该单位会被当作未报送）" in out
    assert "CSV 文件，程序不读取" in out
    assert f"Excel 或 WPS 打开“{by_unit['洞口县'].name}”时生成的临时锁定文件" in out
    assert "不是报表文件（扩展名“.pdf”），未读取" in out
    assert "“旧报表”是一个文件夹，其中的文件没有读取" in out
    assert "共 2 个错误、" in out and "没有收到隆回县的报表" not in out
    # without the .et and the CSV the quarter is collected; 隆回县's .xls figures are its own
    (returned / "绥宁县报表.et").rename(returned / "绥宁县报表.xlsx")
    (returned / "新宁县报表.csv").unlink()
    assert collect(returned, data) == 0
    capsys.readouterr()
    from zsreport.ingest import load_dataset

    got = load_dataset(data, 2020, 4).current.values.loc["隆回县"]
    want = load_dataset(shipped, 2020, 4).current.values.loc["隆回县"]
    assert list(got) == list(want)
