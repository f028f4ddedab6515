"""Issue 12: a return workbook per unit (``forms``), filled in as a county would, read back by
``collect`` into the consolidated tables that ``load`` reads — equal to the shipped quarter."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from tests.shipped import copy_shipped
from zsreport.cli import main
from zsreport.ingest import load_dataset

ROOT = Path(__file__).resolve().parents[2]
UNIT_COUNT = 13


@pytest.fixture(scope="module")
def shipped(tmp_path_factory) -> Path:
    """A copy of the shipped data, left whole (the reference)."""
    return copy_shipped(tmp_path_factory.mktemp("shipped") / "data")


@pytest.fixture(scope="module")
def blank_q4(tmp_path_factory, shipped) -> Path:
    """The shipped data without 2020Q4's two tables: what the office has before collecting."""
    dst = tmp_path_factory.mktemp("blank") / "data"
    shutil.copytree(shipped, dst)
    for name in ("季度完成情况.xlsx", "项目库.xlsx"):
        (dst / "2020" / "2020Q4" / name).unlink()
    return dst


@pytest.fixture(scope="module")
def forms(tmp_path_factory, blank_q4) -> Path:
    out = tmp_path_factory.mktemp("forms")
    assert (
        main(["forms", "--year", "2020", "--quarter", "4", "--data", str(blank_q4), "--out", str(out)]) == 0
    )
    return out


# --- the shipped quarter, read independently of zsreport ----------------------------------------


def shipped_figures(shipped: Path) -> dict[str, dict[str, object]]:
    """unit → form label → (本年累计, 上年同期 or None), from the shipped 季度完成情况 by its headers."""
    ws = openpyxl.load_workbook(shipped / "2020/2020Q4/季度完成情况.xlsx").active
    top = [ws.cell(3, c).value for c in range(1, ws.max_column + 1)]
    sub = [ws.cell(4, c).value for c in range(1, ws.max_column + 1)]
    group = ""
    columns: dict[str, tuple[int, int | None]] = {}
    for c, (t, s) in enumerate(zip(top, sub, strict=True), start=1):
        group = (t or group).replace("其中：", "").split("(")[0].replace("\n", "")
        if s == "本年累计":
            columns[group] = (c, c + 1)
        elif s and s != "上年同期":
            columns[s.replace("\n", "")] = (c, None)
        elif t and "信息条数" in t:
            columns["报送招商信息条数"] = (c, None)
    out = {}
    for r in range(5, ws.max_row + 1):
        unit = ws.cell(r, 1).value
        if unit and not str(unit).startswith(("全市", "备注")):
            out[unit] = {
                label: (ws.cell(r, a).value, ws.cell(r, b).value if b else None)
                for label, (a, b) in columns.items()
            }
    return out


def shipped_projects(shipped: Path) -> dict[str, list[list[object]]]:
    ws = openpyxl.load_workbook(shipped / "2020/2020Q4/项目库.xlsx").active
    out: dict[str, list[list[object]]] = {}
    for row in ws.iter_rows(min_row=3, values_only=True):
        if row[1] and not str(row[0]).startswith("备注"):
            out.setdefault(row[2], []).append(list(row))
    return out


# --- filling a form in, as a county clerk would --------------------------------------------------


def fill_figures(ws, figures: dict[str, tuple[object, object]]) -> None:
    for r in range(4, ws.max_row + 1):
        label = ws.cell(r, 2).value
        if label in figures:
            value, prev = figures[label]
            ws.cell(r, 5, value)
            if ws.cell(r, 6).protection.locked is False:  # 上年同期 the office did not know
                ws.cell(r, 6, prev)
        if ws.cell(r, 1).value == "填报人：":
            ws.cell(r, 2, "李四")
            ws.cell(r, 4, "0739-1234567")
            ws.cell(r, 6).value = pd.Timestamp("2021-01-05").to_pydatetime()


def fill_projects(ws, projects: list[list[object]]) -> None:
    """Update the carried-over rows by project name, add the new ones in the blank rows."""
    rows = {ws.cell(r, 2).value: r for r in range(4, ws.max_row + 1) if ws.cell(r, 2).value}
    free = [r for r in range(4, ws.max_row + 1) if ws.cell(r, 2).value is None and ws.cell(r, 3).value]
    for values in projects:
        r = rows.pop(values[1], None) or free.pop(0)
        for c, v in enumerate(values[1:], start=2):
            ws.cell(r, c).value = v  # ws.cell(r, c, None) would leave the old value
    for r in rows.values():  # a project dropped since last quarter: the row is cleared
        for c in range(2, 21):
            ws.cell(r, c).value = None


def fill_in(form: Path, dest: Path, figures, projects) -> Path:
    wb = openpyxl.load_workbook(form)
    fill_figures(wb["完成情况"], figures)
    fill_projects(wb["项目库"], projects)
    wb.save(dest)
    return dest


def form_of(forms: Path, unit: str) -> Path:
    return forms / f"2020Q4-{unit}-招商引资季度报表.xlsx"


@pytest.fixture(scope="module")
def filled(tmp_path_factory, forms, shipped) -> Path:
    """All 13 returns filled in from the shipped figures, under file names the units chose."""
    out = tmp_path_factory.mktemp("returned")
    figures, projects = shipped_figures(shipped), shipped_projects(shipped)
    for n, unit in enumerate(figures, start=1):
        fill_in(
            form_of(forms, unit), out / f"报表{n:02d}（已填）.xlsx", figures[unit], projects.get(unit, [])
        )
    return out


def collect(returned: Path, data: Path, *extra: str) -> int:
    return main(
        ["collect", "--year", "2020", "--quarter", "4", "--from", str(returned), "--data", str(data), *extra]
    )


def copy_of(src: Path, tmp_path: Path, name: str) -> Path:
    dst = tmp_path / name
    shutil.copytree(src, dst)
    return dst


# --- the forms ---------------------------------------------------------------------------------


def test_one_form_per_unit_titled_with_unit_and_quarter(forms, shipped):
    files = sorted(forms.glob("*.xlsx"))
    assert len(files) == UNIT_COUNT
    wb = openpyxl.load_workbook(form_of(forms, "邵阳县"))
    assert wb["完成情况"]["A1"].value == "邵阳县2020年第四季度招商引资完成情况报表"
    assert "第　季度" not in wb["项目库"]["A1"].value
    assert wb["表单信息"].sheet_state == "veryHidden"
    assert wb["选项"].sheet_state == "hidden"
    assert [c.value for c in wb["选项"][1]][:6] == [
        "单位",
        "产业链",
        "项目状态",
        "三类500强",
        "问题类型",
        "是否",
    ]


def test_figures_sheet_carries_plan_and_protects_all_but_inputs(forms, shipped):
    plan = load_dataset(shipped, 2020, 4).plan.targets
    ws = openpyxl.load_workbook(form_of(forms, "邵阳县"))["完成情况"]
    assert ws.protection.sheet
    labels = {ws.cell(r, 2).value: r for r in range(4, 13)}
    assert ws.cell(labels["省外境内资金"], 4).value == plan.at["邵阳县", "provincial_funds"]
    assert ws.cell(labels["三类500强企业项目"], 4).value == plan.at["邵阳县", "top500"]
    for r in labels.values():
        assert ws.cell(r, 5).protection.locked is False
        assert ws.cell(r, 4).protection.locked is not False
    assert ws["A1"].protection.locked is not False
    prompts = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation if dv.prompt}
    dv = prompts[f"E{labels['省外境内资金']}"]
    assert dv.type == "decimal" and "累计数" in dv.prompt and dv.promptTitle == "省外境内资金"
    signature = [ws.cell(r, c).value for r in range(13, ws.max_row + 1) for c in (1, 3, 5)]
    assert {"填报人：", "联系电话：", "填报日期："} <= set(signature)
    assert ws["A2"].value == "填报单位：" and ws["B2"].value == "邵阳县"


def test_print_setup_a4_landscape_fit_to_width_with_titles(forms):
    wb = openpyxl.load_workbook(form_of(forms, "邵阳县"))
    for ws in (wb["完成情况"], wb["项目库"]):
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.page_setup.fitToHeight == 0
        assert ws.print_title_rows == "$3:$3"


def test_projects_sheet_prefilled_from_last_quarter(forms, shipped):
    last = load_dataset(shipped, 2020, 3).ledger.projects
    mine = last[last["unit"] == "邵阳县"]
    ws = openpyxl.load_workbook(form_of(forms, "邵阳县"))["项目库"]
    names = [ws.cell(r, 2).value for r in range(4, 4 + len(mine))]
    assert names == list(mine["name"]) and len(mine) > 0
    status = {ws.cell(r, 2).value: ws.cell(r, 8).value for r in range(4, 4 + len(mine))}
    assert status == dict(zip(mine["name"], mine["status"], strict=True))
    assert ws.protection.sheet and ws["B3"].protection.locked is not False
    assert ws.cell(4, 2).protection.locked is False
    lists = {dv.formula1 for dv in ws.data_validations.dataValidation if dv.type == "list"}
    assert len(lists) == 6  # unit, chain, status, 是/否, 500强, problem kind
    assert any(dv.type == "date" for dv in ws.data_validations.dataValidation)


def test_prev_year_prefilled_when_the_quarter_is_known(tmp_path, shipped):
    out = tmp_path / "forms"
    assert main(["forms", "--year", "2020", "--quarter", "4", "--data", str(shipped), "--out", str(out)]) == 0
    ws = openpyxl.load_workbook(form_of(out, "新邵县"))["完成情况"]
    values = load_dataset(shipped, 2020, 4).current.values
    assert ws["F4"].value == values.at["新邵县", "provincial_funds_prev"]
    assert ws["F4"].protection.locked is not False


def test_forms_never_overwritten_without_replace(tmp_path, blank_q4, capsys):
    out = tmp_path / "forms"
    args = ["forms", "--year", "2020", "--quarter", "4", "--data", str(blank_q4), "--out", str(out)]
    assert main(args) == 0
    target = form_of(out, "邵东市")
    target.write_bytes(b"filled in already")
    assert main(args) != 0
    assert "--replace" in capsys.readouterr().err
    assert target.read_bytes() == b"filled in already"
    assert main([*args, "--replace"]) == 0
    assert target.read_bytes() != b"filled in already"


# --- collect -----------------------------------------------------------------------------------


def test_collect_gives_the_shipped_dataset(tmp_path, filled, blank_q4, shipped):
    data = copy_of(blank_q4, tmp_path, "data")
    assert collect(filled, data) == 0
    got, want = load_dataset(data, 2020, 4), load_dataset(shipped, 2020, 4)
    pd.testing.assert_frame_equal(got.current.values, want.current.values)

    def by_name(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.sort_values("name").reset_index(drop=True)

    pd.testing.assert_frame_equal(by_name(got.ledger.projects), by_name(want.ledger.projects))
    report = (data / "2020/2020Q4/报送情况.txt").read_text(encoding="utf-8")
    assert "无未报送单位" in report and report.count("已报送") == UNIT_COUNT and "李四" in report
    assert collect(filled, data) != 0  # the consolidated files exist now: not without --replace
    assert collect(filled, data, "--replace") == 0


def test_missing_wrong_unit_and_duplicate_are_named(tmp_path, filled, forms, blank_q4, shipped, capsys):
    returned = copy_of(filled, tmp_path, "returned")
    data = copy_of(blank_q4, tmp_path, "data")
    figures, projects = shipped_figures(shipped), shipped_projects(shipped)
    by_unit = {openpyxl.load_workbook(p)["表单信息"]["B2"].value: p for p in returned.glob("*.xlsx")}
    by_unit["绥宁县"].unlink()  # 绥宁县 sends nothing
    # 城步县 fills in 新宁县's form (its own file removed): all its rows name 城步县
    by_unit["城步县"].unlink()
    fill_in(form_of(forms, "新宁县"), returned / "城步县报表.xlsx", figures["城步县"], projects["城步县"])
    by_unit["新宁县"].rename(returned / "新宁县-第一次.xlsx")
    shutil.copy(returned / "新宁县-第一次.xlsx", returned / "新宁县-改正后.xlsx")  # 新宁县 twice
    assert collect(returned, data) != 0
    out = capsys.readouterr()
    assert "未报送：绥宁县、城步县" in out.out
    assert "城步县报表.xlsx" in out.out and "项目都属于城步县" in out.out
    assert "新宁县的第二份报表" in out.out and "新宁县-第一次.xlsx" in out.out
    assert not (data / "2020/2020Q4/季度完成情况.xlsx").exists()
    assert "没有收到绥宁县的报表" in (returned / "报送情况.txt").read_text(encoding="utf-8")


def test_row_of_another_unit_and_deleted_sheet_named_by_cell(tmp_path, filled, blank_q4, capsys):
    returned = copy_of(filled, tmp_path, "returned")
    data = copy_of(blank_q4, tmp_path, "data")
    by_unit = {openpyxl.load_workbook(p)["表单信息"]["B2"].value: p for p in returned.glob("*.xlsx")}
    wb = openpyxl.load_workbook(by_unit["邵东市"])
    ws = wb["项目库"]
    row = next(r for r in range(4, ws.max_row) if ws.cell(r, 2).value is None)
    ws.cell(row, 2, "外县的项目")
    ws.cell(row, 3, "隆回县")
    wb.save(by_unit["邵东市"])
    wb = openpyxl.load_workbook(by_unit["洞口县"])
    del wb["项目库"]
    wb.save(by_unit["洞口县"])
    assert collect(returned, data) != 0
    out = capsys.readouterr().out
    assert f"单元格 C{row}" in out and "邵东市的报表中有一个隆回县的项目" in out
    assert "洞口县的报表中没有工作表“项目库”" in out


def test_a_wrong_figure_is_told_at_the_returns_cell(tmp_path, filled, blank_q4, capsys):
    returned = copy_of(filled, tmp_path, "returned")
    data = copy_of(blank_q4, tmp_path, "data")
    path = next(
        p for p in returned.glob("*.xlsx") if openpyxl.load_workbook(p)["表单信息"]["B2"].value == "邵东市"
    )
    wb = openpyxl.load_workbook(path)
    wb["完成情况"]["E4"] = "约二十亿"
    wb.save(path)
    assert collect(returned, data) != 0
    out = capsys.readouterr().out
    block = out[
        out.rindex("【错误", 0, out.index("约二十亿")) :
    ]  # the error's whole block, however long its path
    assert path.name in block and "单元格 E4" in block and "工作表“完成情况”" in block
