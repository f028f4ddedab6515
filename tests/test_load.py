"""The loader: the shipped 2020 data, and broken inputs located to the cell."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from zsreport.dataset import Registry
from zsreport.load import InputError, available_quarters, count_projects, load_dataset

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
REGISTRY = Registry.from_toml(DATA / "registry.toml")
KEYS = [i.key for i in REGISTRY.indicators]
N = math.nan

# The 附件 table of 邵承办发〔2020〕2号 (the input spec): 全市 then the 13 units, blank = no target.
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


@pytest.fixture(scope="module")
def q4():
    return load_dataset(DATA, 2020, 4)


def test_plan_equals_seed_table(q4):
    t = q4.plan.targets
    assert list(t.index) == ["全市", *REGISTRY.unit_names]
    assert list(t.columns) == KEYS
    for unit, row in SEED_PLAN.items():
        for key, want in zip(KEYS, row, strict=True):
            got = t.at[unit, key]
            if math.isnan(want):
                assert math.isnan(got), (unit, key, got)
            else:
                assert got == pytest.approx(want), (unit, key)


def test_plan_city_is_sum_of_units(q4):
    t = q4.plan.targets
    sums = t.drop(index="全市").sum()
    assert [round(x, 2) for x in sums] == [523, 315, 37600, 180, 102, 90, 14, 15]
    assert [round(x, 2) for x in t.loc["全市"]] == [523, 315, 37600, 180, 102, 90, 14, 15]


def test_plan_blank_means_no_target(q4):
    t = q4.plan.targets
    assert math.isnan(t.at["绥宁县", "foreign_capital"])
    assert math.isnan(t.at["大祥区", "chain_projects"])
    assert t.isna().sum().sum() == 12


def test_plan_file_layout():
    ws = load_workbook(DATA / "2020" / "2020年招商计划表.xlsx")["招商计划表"]
    assert ws["A1"].value == "2020年邵阳市承产转移示范区建设招商计划表"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A2:A3", "B2:D2", "E2:I2"} <= merged
    assert ws["A4"].value == "全市"


def test_available_quarters():
    assert available_quarters(DATA) == [(2020, 1), (2020, 2), (2020, 3), (2020, 4)]


@pytest.mark.parametrize("quarter", [1, 2, 3, 4])
def test_each_quarter_loads_clean(quarter):
    ds = load_dataset(DATA, 2020, quarter)
    assert ds.warnings == ()
    assert sorted(ds.actuals) == list(range(1, quarter + 1))
    assert sorted(ds.ledgers) == list(range(1, quarter + 1))
    assert list(ds.current.values.index) == list(REGISTRY.unit_names)
    for src in ds.sources:
        assert len(src.sha256) == 64 and src.sheet


def test_counts_agree_with_ledgers(q4):
    for q, actuals in q4.actuals.items():
        counts = count_projects(q4.ledgers[q].projects, REGISTRY)
        for key in counts.columns:
            assert (actuals.values[key] == counts[key]).all(), (q, key)


def test_sample_story(q4):
    v = q4.current.values
    city = v.sum()
    assert 1.03 <= city["provincial_funds"] / 523 <= 1.08
    assert 0.12 <= q4.actuals[1].values["provincial_funds"].sum() / 523 <= 0.20
    assert (v["industrial_funds"] <= v["provincial_funds"]).all()
    for q in (2, 3, 4):
        assert (q4.actuals[q].values.fillna(0) >= q4.actuals[q - 1].values.fillna(0)).all().all()
    ledger = q4.ledger.projects
    assert len(ledger) >= 40
    sy = ledger[(ledger["unit"] == "邵阳县") & (ledger["status"] != "洽谈")]
    assert len(sy) == 20 and sy["investment"].sum() == pytest.approx(16.88)
    growth = v.at["邵阳县", "provincial_funds"] / v.at["邵阳县", "provincial_funds_prev"] - 1
    assert growth == pytest.approx(0.20, abs=0.001)
    assert any("孚瓯" in n for n in ledger["name"])
    assert sum("红石生态科技园" in n for n in sy["name"]) == 9
    assert 20 <= ledger["key_project"].sum() <= 30


def test_statuses_never_go_back(q4):
    order = {s: i for i, s in enumerate(REGISTRY.statuses)}
    for q in (2, 3, 4):
        before = dict(
            zip(q4.ledgers[q - 1].projects["name"], q4.ledgers[q - 1].projects["status"], strict=True)
        )
        now = dict(zip(q4.ledgers[q].projects["name"], q4.ledgers[q].projects["status"], strict=True))
        assert set(before) <= set(now)
        assert all(order[now[n]] >= order[s] for n, s in before.items())


# ---------------------------------------------------------------------------------------------
# Broken inputs: a copy of the shipped data with one cell changed
# ---------------------------------------------------------------------------------------------
@pytest.fixture
def data_copy(tmp_path):
    dst = tmp_path / "data"
    shutil.copytree(DATA, dst)
    return dst


def _edit(path: Path, sheet: str, cell: str, value) -> None:
    wb = load_workbook(path)
    wb[sheet][cell] = value
    wb.save(path)


def _errors(data_dir: Path, quarter: int = 4):
    with pytest.raises(InputError) as info:
        load_dataset(data_dir, 2020, quarter)
    return [p for p in info.value.problems if p.severity == "error"]


def test_text_in_number_cell(data_copy):
    path = data_copy / "2020" / "2020Q2" / "季度完成情况.xlsx"
    _edit(path, "完成情况", "B7", "二十")  # 邵东市 省外境内资金
    errors = _errors(data_copy, 2)
    assert [(e.file.endswith("2020Q2/季度完成情况.xlsx"), e.sheet, e.cell) for e in errors] == [
        (True, "完成情况", "B7")
    ]
    assert errors[0].found == "二十"


def test_unknown_unit(data_copy):
    path = data_copy / "2020" / "2020年招商计划表.xlsx"
    _edit(path, "招商计划表", "A17", "北塔新区")
    errors = _errors(data_copy, 1)
    cells = {(e.cell, e.found) for e in errors}
    assert ("A17", "北塔新区") in cells
    assert any("no row for 北塔区" in e.found for e in errors)


def test_industrial_above_provincial(data_copy):
    path = data_copy / "2020" / "2020Q1" / "季度完成情况.xlsx"
    _edit(path, "完成情况", "D8", 99.0)  # 新邵县 工业引资 (and the 全市 total no longer adds up)
    errors = _errors(data_copy, 1)
    assert any(e.cell == "D8" and "工业引资" in e.found for e in errors)
    assert any(e.cell == "D5" for e in errors)  # 全市 ≠ Σ
