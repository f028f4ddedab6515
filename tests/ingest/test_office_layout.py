"""Issue 10.1/10.2: the office's own plan table loads figure for figure; the plan gets the actuals'
checks; a header that cannot be found, or is shifted against its figures, is told precisely."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.ingest.office import COUNT_HEADERS, FIRST_DATA_ROW, SEED_PLAN, write_office_plan
from tests.shipped import copy_shipped, shipped_data
from zsreport.ingest import InputError, load_dataset
from zsreport.ingest.dataset import Registry

REGISTRY = Registry.from_toml(shipped_data() / "registry.toml")
KEYS = [i.key for i in REGISTRY.indicators]
PLAN_X = "2020/2020年招商计划表.xlsx"
ACT1 = "2020/2020Q1/季度完成情况.xlsx"


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """The shipped data with the plan replaced by the office's own layout of the same figures."""
    d = copy_shipped(tmp_path / "data")
    (d / PLAN_X).unlink()
    write_office_plan(d / "2020" / "附件：2020年招商计划表.xlsx")
    return d


def _errors(data: Path, quarter: int = 1) -> list:
    with pytest.raises(InputError) as info:
        load_dataset(data, 2020, quarter)
    return [p for p in info.value.problems if p.severity == "error"]


def _set(path: Path, changes: dict[str, object]) -> None:
    wb = load_workbook(path)
    for ref, value in changes.items():
        wb.worksheets[0][ref] = value
    wb.save(path)


def test_the_fixture_is_the_office_layout(data: Path) -> None:
    ws = load_workbook(data / "2020" / "附件：2020年招商计划表.xlsx").active
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:I1", "A2:A4", "B2:D2", "E2:I2", "B3:B4", "C3:D3"} <= merged
    assert ws["A2"].value is None and ws["A5"].value == "全市"
    assert ws["A7"].value == "邵东市 " and ws["A18"].value == "北　塔　区"
    assert ws["D13"].value is None  # 绥宁县 外资: no target


@pytest.mark.parametrize("quarter", [1, 4])
def test_office_plan_loads_figure_for_figure(data: Path, quarter: int) -> None:
    ds = load_dataset(data, 2020, quarter)
    t = ds.plan.targets
    assert ds.plan.source.sheet == "附件"
    assert list(t.index) == ["全市", *REGISTRY.unit_names] and list(t.columns) == KEYS
    for unit, row in SEED_PLAN.items():
        for key, want in zip(KEYS, row, strict=True):
            got = t.at[unit, key]
            assert (math.isnan(want) and math.isnan(got)) or got == pytest.approx(want), (unit, key, got)
    assert t.isna().sum().sum() == 12  # every blank stays "no target"
    assert ds.warnings == ()
    assert ds.plan.targets.equals(load_dataset(shipped_data(), 2020, quarter).plan.targets)


def test_actuals_with_a_blank_unit_header_load(tmp_path: Path) -> None:
    d = copy_shipped(tmp_path / "data")
    _set(d / ACT1, {"A3": None})  # A3:A4 merged, left blank like the office's plan
    ds = load_dataset(d, 2020, 1)
    assert ds.current.values.equals(load_dataset(shipped_data(), 2020, 1).current.values)


def test_no_header_names_the_cells_searched_and_a_working_command(tmp_path: Path) -> None:
    d = copy_shipped(tmp_path / "data")
    _set(d / ACT1, {"A3": "名称", **{f"A{r}": f"第{r}组" for r in range(5, 19)}})
    errors = _errors(d)
    assert [(e.file, e.sheet, e.cell) for e in errors] == [("data/" + ACT1, "完成情况", "A1:M19")]
    e = errors[0]
    assert "在 A1:M19 中找不到表格的表头" in e.found
    assert "不要改动" not in e.fix and "python -m zsreport template --year 2020" in e.fix


def test_template_hint_runs_as_written(tmp_path: Path) -> None:
    """The command a message suggests exists and makes the forms."""
    import shlex
    import subprocess
    import sys

    d = copy_shipped(tmp_path / "data")
    (d / PLAN_X).unlink()
    fix = _errors(d)[0].fix
    command = fix[fix.index("“python") + 1 : fix.index("”生成")]
    argv = shlex.split(command)
    assert argv[:3] == ["python", "-m", "zsreport"]
    out = tmp_path / "forms"
    done = subprocess.run(
        [sys.executable, *argv[1:], "--data", str(d), "--out", str(out)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert any(p.suffix == ".xlsx" for p in out.iterdir())


def test_plan_industrial_above_provincial_is_refused(data: Path) -> None:
    plan = dict(SEED_PLAN)
    plan["新邵县"] = (30.0, *SEED_PLAN["新邵县"][1:])  # 工业引资 34.35 > 省外境内资金 30
    plan["全市"] = (523 - 57.25 + 30, *SEED_PLAN["全市"][1:])
    write_office_plan(data / "2020" / "附件：2020年招商计划表.xlsx", plan=plan)
    errors = _errors(data)
    row = FIRST_DATA_ROW + list(SEED_PLAN).index("新邵县")
    assert [(e.sheet, e.cell) for e in errors] == [("附件", f"C{row}")]
    assert "新邵县的工业引资是 34.35，大于省外境内资金 30" in errors[0].found
    assert "工业引资不大于省外境内资金" in errors[0].expected


def test_plan_header_shifted_by_one_column(data: Path) -> None:
    """The sub-header row typed one cell too far right: a header mismatch naming the column
    expected, not "37600 is too large"."""
    path = data / "2020" / "附件：2020年招商计划表.xlsx"
    wb = load_workbook(path)
    ws = wb.active
    for merged in ("B3:B4", "C3:D3", "E3:E4", "F3:F4", "G3:G4", "H3:H4", "I3:I4"):
        ws.unmerge_cells(merged)
    heads = ["省外境内资 金(亿元)", "工业引资 (亿元)", "实际利用 外资 (万美元)", *COUNT_HEADERS]
    for c in range(2, 11):
        ws.cell(3, c).value = ws.cell(4, c).value = None
    for c, text in enumerate(heads, 3):  # C3…J3 instead of B3…I3
        ws.cell(3, c).value = text
    wb.save(path)
    errors = _errors(data)
    assert len(errors) == 1, errors
    e = errors[0]
    assert (e.sheet, e.cell) == ("附件", "C3")
    assert "表头与数字错开了一列" in e.found
    assert "“省外境内资金（亿元）”的表头应在 B 列" in e.expected
    assert "太大" not in e.found + e.fix and "亿元填写" not in e.fix
