"""Issue 20.2: the clerk's slips in the units' returns that ``collect`` used to take without a word.
Each case changes real return workbooks (filled in by the fixtures of ``test_returns``) and reads
the real message of ``zsreport collect``."""

from __future__ import annotations

import re

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
    block = out[out.index("写的是城步县") - 200 :]
    assert "位置：工作表“表单信息”，单元格 B2" in block
    assert "写的是武冈市" not in out
    assert not (data / "2020/2020Q4/季度完成情况.xlsx").exists()
