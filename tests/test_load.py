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


# ---------------------------------------------------------------------------------------------
# The corpus of bad (and awkward but valid) inputs. Each case changes a copy of the shipped data
# and names the exact problems it must produce: (file ends with, cell, words in found/expected).
# ---------------------------------------------------------------------------------------------
PLAN_X = "2020/2020年招商计划表.xlsx"
ACT1 = "2020/2020Q1/季度完成情况.xlsx"
ACT2 = "2020/2020Q2/季度完成情况.xlsx"
LED1 = "2020/2020Q1/项目库.xlsx"


def _cells(data: Path, rel: str, changes: dict[str, object]) -> None:
    path = data / rel
    wb = load_workbook(path)
    ws = wb.worksheets[0]
    for ref, value in changes.items():
        ws[ref] = value
    wb.save(path)


def _value(data: Path, rel: str, ref: str):
    return load_workbook(data / rel, data_only=True).worksheets[0][ref].value


def _rewrite(data: Path, rel: str, *, dr: int = 0, dc: int = 0, sheet: str | None = None, blank_first=False):
    """Rewrite a workbook's values only (no merges, no styles) shifted by dr rows and dc columns."""
    from openpyxl import Workbook

    src = load_workbook(data / rel, data_only=True).worksheets[0]
    wb = Workbook()
    ws = wb.active
    if blank_first:
        ws.title = "说明"
        ws = wb.create_sheet(sheet or "数据")
    elif sheet:
        ws.title = sheet
    for row in src.iter_rows():
        for cell in row:
            if cell.value is not None:
                ws.cell(cell.row + dr, cell.column + dc, cell.value)
    wb.save(data / rel)


def _to_csv(data: Path, rel: str, rows: list[list[object]]) -> None:
    import csv

    (data / rel).unlink()
    with (data / rel).with_suffix(".csv").open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)


def case_text_in_number(d):
    _cells(d, ACT1, {"B7": "二十"})
    return [(ACT1, "B7", "二十")]


def case_negative_amount(d):
    _cells(d, ACT1, {"F8": -5})
    return [(ACT1, "F8", "not negative")]


def case_huge_number(d):
    _cells(d, PLAN_X, {"B6": 1e12})
    return [(PLAN_X, "B6", "at most")]


def case_date_in_number_cell(d):
    import datetime as dt

    _cells(d, ACT1, {"H9": dt.datetime(2020, 3, 1)})
    return [(ACT1, "H9", "a date 2020-03-01")]


def case_fractional_count(d):
    _cells(d, ACT1, {"H9": 2.5})
    return [(ACT1, "H9", "whole number")]


def case_unknown_unit(d):
    _cells(d, PLAN_X, {"A17": "北塔新区"})
    return [(PLAN_X, "A17", "北塔新区"), (PLAN_X, "", "no row for 北塔区")]


def case_duplicate_unit(d):
    _cells(d, ACT1, {"A8": "邵东市"})
    return [(ACT1, "A8", "邵东市 again (first at A7)"), (ACT1, "", "no row for 新邵县")]


def case_city_not_sum(d):
    _cells(d, PLAN_X, {"B4": 520})
    return [(PLAN_X, "B4", "523")]


def case_industrial_above_provincial(d):
    b8, d8, d5 = (_value(d, ACT1, r) for r in ("B8", "D8", "D5"))
    _cells(d, ACT1, {"D8": b8 + 1, "D5": round(d5 - d8 + b8 + 1, 2)})
    return [(ACT1, "D8", "工业引资 ≤ 省外境内资金")]


def case_cumulative_fall(d):
    q1 = _value(d, ACT1, "M6")  # 邵阳经开区 报送招商信息条数
    m6, m5 = _value(d, ACT2, "M6"), _value(d, ACT2, "M5")
    _cells(d, ACT2, {"M6": q1 - 1, "M5": m5 - m6 + q1 - 1})
    return [(ACT2, "M6", "never fall")]


def case_unknown_chain(d):
    _cells(d, LED1, {"D3": "新能源"})
    return [(LED1, "D3", "新能源")]


def case_unknown_status(d):
    _cells(d, LED1, {"H3": "已完成"})
    return [(LED1, "H3", "已完成")]


def case_duplicate_project(d):
    _cells(d, LED1, {"B4": _value(d, LED1, "B3")})
    return [(LED1, "B4", "again (first in row 3)")]


def case_missing_column(d):
    path = d / LED1
    wb = load_workbook(path)
    wb.worksheets[0].delete_cols(4)  # 产业链
    wb.save(path)
    return [(LED1, "A2", "no column 产业链")]


def case_formula_without_cached_value(d):
    _cells(d, ACT1, {"B7": "=1+1"})
    return [(ACT1, "B7", "formula =1+1 with no saved result")]


def case_header_words_missing(d):
    _cells(d, ACT1, {"A3": "名称"})
    return [(ACT1, "", "no recognisable header")]


def case_empty_workbook(d):
    from openpyxl import Workbook

    Workbook().save(d / ACT1)
    return [(ACT1, "", "an empty workbook")]


def case_text_file_named_xlsx(d):
    (d / ACT1).write_text("单位,省外境内资金\n邵东市,12\n", encoding="utf-8")
    return [(ACT1, "", "not an Excel workbook")]


def case_old_xls(d):
    (d / ACT1).unlink()
    (d / ACT1).with_suffix(".xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    return [("季度完成情况.xls", "", "old-format .xls")]


def case_top500_without_list(d):
    _cells(d, LED1, {"M3": "是"})
    return [(LED1, "M3", "which list")]


def case_bad_yes_no(d):
    _cells(d, LED1, {"L3": "可能"})
    return [(LED1, "L3", "是 or 否")]


def case_bad_date(d):
    _cells(d, LED1, {"I3": "三月初"})
    return [(LED1, "I3", "三月初")]


def case_provincial_above_investment(d):
    _cells(d, LED1, {"F3": _value(d, LED1, "E3") + 10})
    return [(LED1, "F3", "≤ 计划总投资")]


def case_unknown_problem_kind(d):
    _cells(d, LED1, {"R3": "资金"})
    return [(LED1, "R3", "资金")]


def case_project_without_name(d):
    _cells(d, LED1, {"B3": None})
    return [(LED1, "B3", "the project's name")]


def case_ledger_unknown_unit(d):
    _cells(d, LED1, {"C3": "邵阳市经开区"})
    return [(LED1, "C3", "邵阳经开区")]


def case_two_plans(d):
    shutil.copy(d / PLAN_X, d / "2020" / "计划表副本.xlsx")
    return [("2020/计划表副本.xlsx", "", "a second 年度招商计划表")]


def case_missing_actuals(d):
    (d / ACT1).unlink()
    return [("2020Q1/", "", "no 季度完成情况 for Q1")]


def case_wrong_money_unit(d):
    _cells(d, PLAN_X, {"B3": "省外境内资金\n(万元)"})
    return [(PLAN_X, "B3", "in 万元")]


def case_bool_in_number(d):
    _cells(d, ACT1, {"M10": True})
    return [(ACT1, "M10", "a whole number")]


def case_row_without_unit(d):
    _cells(d, ACT1, {"B20": 3.5})  # a figure below the notes row, with no unit
    return [(ACT1, "A20", "a unit name")]


def case_many_problems_in_one_run(d):
    _cells(d, PLAN_X, {"C6": "abc"})
    _cells(d, ACT1, {"K8": -1})
    _cells(d, LED1, {"D5": "?"})
    return [(PLAN_X, "C6", "abc"), (ACT1, "K8", "not negative"), (LED1, "D5", "?")]


BAD_CASES = [v for k, v in sorted(globals().items()) if k.startswith("case_")]


@pytest.mark.parametrize("case", BAD_CASES, ids=[c.__name__[5:] for c in BAD_CASES])
def test_bad_input_is_located(case, data_copy):
    expected = case(data_copy)
    with pytest.raises(InputError) as info:
        load_dataset(data_copy, 2020, 2 if "ACT2" in case.__code__.co_names else 1)
    errors = [p for p in info.value.problems if p.severity == "error"]
    for rel, cell, words in expected:
        hits = [
            e
            for e in errors
            if e.file.endswith(rel) and e.cell == cell and words in f"{e.found} {e.expected} {e.fix}"
        ]
        assert hits, f"no error at {rel}:{cell} with {words!r} in:\n{info.value}"
        assert all(e.fix for e in hits)
    assert len(errors) == len(expected), str(info.value)


def test_bad_inputs_corpus_is_big_enough():
    assert len(BAD_CASES) >= 25


# ---------------------------------------------------------------------------------------------
# Awkward but valid: what units really send must load
# ---------------------------------------------------------------------------------------------
def test_other_sheet_and_shifted_header(data_copy):
    before = load_dataset(DATA, 2020, 1).current.values
    _rewrite(data_copy, ACT1, dr=4, dc=2, sheet="Sheet3", blank_first=True)  # no merges either
    ds = load_dataset(data_copy, 2020, 1)
    assert ds.current.source.sheet == "Sheet3"
    assert ds.current.values.equals(before)


def test_text_numbers_spaces_and_notes(data_copy):
    _cells(
        data_copy,
        PLAN_X,
        {
            "A17": " 北　塔　区 ",  # full-width spaces inside
            "B5": " 17 ",  # a number typed as text
            "C5": "１１.４",  # full-width digits
            "D12": "—",  # a dash: no target
            "A19": "填报人：某某　　联系电话：0739-0000000",
            "A20": "备注：空白表示无目标",
        },
    )
    _cells(data_copy, ACT1, {"A3": "县（市、区）", "B7": "  " + str(_value(data_copy, ACT1, "B7")) + " "})
    t = load_dataset(data_copy, 2020, 1).plan.targets
    assert t.at["北塔区", "provincial_funds"] == 21.75
    assert t.at["邵阳经开区", "provincial_funds"] == 17 and t.at["邵阳经开区", "industrial_funds"] == 11.4


def test_city_row_anywhere_or_absent(data_copy):
    _rewrite(data_copy, PLAN_X)
    path = data_copy / PLAN_X
    wb = load_workbook(path)
    ws = wb.active
    ws.move_range("A4:I4", rows=15)  # 全市 to the bottom
    wb.save(path)
    assert load_dataset(data_copy, 2020, 1).plan.targets.at["全市", "provincial_funds"] == 523
    _cells(data_copy, PLAN_X, {f"{c}19": None for c in "ABCDEFGHI"})
    t = load_dataset(data_copy, 2020, 1).plan.targets
    assert t.at["全市", "provincial_funds"] == pytest.approx(523)  # the sum of the units
    assert t.at["全市", "big_manufacturing"] == 14


SEED_HEAD_TAIL = ("高新技术企业", "投资5亿元以上 制造业项目", "三类500强 企业项目")


def test_csv_plan_with_the_seeds_three_row_header(data_copy):
    rows: list[list[object]] = [
        ["2020年邵阳市承产转移示范区建设招商计划表"],
        ["单位", "计划引资金额", "", "", "计划招商产业项目数量(个)", "", "", "", ""],
        ["", "省外境内资 金(亿元)", "其中", "", "新引进产业 招商项目", "七大产业链 项目", *SEED_HEAD_TAIL],
        ["", "", "工业引资 (亿元)", "实际利用 外资 (万美元)", "", "", "", "", ""],
    ]
    for unit, values in SEED_PLAN.items():
        rows.append([unit, *("" if math.isnan(v) else v for v in map(float, values))])
    _to_csv(data_copy, PLAN_X, rows)
    plan = load_dataset(data_copy, 2020, 1).plan
    assert plan.source.path.suffix == ".csv"
    for unit, values in SEED_PLAN.items():
        for key, want in zip(KEYS, values, strict=True):
            got = plan.targets.at[unit, key]
            assert (math.isnan(got) and math.isnan(want)) or got == pytest.approx(want)


def test_markup_in_names_stays_literal(data_copy):
    names = ['<img src="http://x">', "{{ 7*7 }}", "{% raw %}<script>alert(1)</script>"]
    _cells(data_copy, LED1, {"B3": names[0], "B4": names[1], "S5": names[2]})
    ledger = load_dataset(data_copy, 2020, 1).ledger.projects
    assert names[0] in set(ledger["name"]) and names[1] in set(ledger["name"])
    assert names[2] in set(ledger["problem"])


def test_count_mismatch_is_a_warning(data_copy):
    h6, h5 = _value(data_copy, ACT1, "H6"), _value(data_copy, ACT1, "H5")
    _cells(data_copy, ACT1, {"H6": h6 + 1, "H5": h5 + 1})
    ds = load_dataset(data_copy, 2020, 1)
    assert [(w.cell, w.severity) for w in ds.warnings] == [("H6", "warning")]
    assert "项目库" in ds.warnings[0].expected


def test_status_going_back_is_a_warning(data_copy):
    led2 = "2020/2020Q2/项目库.xlsx"
    wb = load_workbook(data_copy / led2)
    ws = wb.active
    row = next(r for r in range(3, ws.max_row) if ws.cell(r, 8).value == "投产")
    name = ws.cell(row, 2).value
    wb.save(data_copy / led2)
    q1 = load_workbook(data_copy / LED1).active
    was = {q1.cell(r, 2).value: q1.cell(r, 8).value for r in range(3, q1.max_row)}
    if name not in was or was[name] == "洽谈":
        pytest.skip("no project in both quarters")
    for r in range(3, ws.max_row):
        if ws.cell(r, 2).value == name:
            for c in (9, 10, 11):
                ws.cell(r, c).value = None
            ws.cell(r, 8).value = "洽谈"
    wb.save(data_copy / led2)
    ds = load_dataset(data_copy, 2020, 2)
    assert any(w.cell == f"H{row}" and "does not go back" in w.expected for w in ds.warnings)


def test_format_problems_table():
    from zsreport.dataset import Problem
    from zsreport.load import format_problems

    text = format_problems(
        [
            Problem("warning", "a.xlsx", "S", "B2", "1", "2", "fix it"),
            Problem("error", "data/2020/季度完成情况.xlsx", "完成情况", "E7", "二十", "a number", "type it"),
        ]
    )
    lines = text.splitlines()
    assert lines[0].split()[:4] == ["级别", "文件", "工作表", "单元格"]
    assert lines[2].startswith("错误") and "E7" in lines[2] and "二十" in lines[2]
    assert lines[-1] == "1 error(s), 1 warning(s)."
    assert format_problems([]) == "No problems found."


def test_input_error_lists_every_problem(data_copy):
    _cells(data_copy, ACT1, {"B7": "x", "B8": "y"})
    with pytest.raises(InputError) as info:
        load_dataset(data_copy, 2020, 1)
    assert [p.cell for p in info.value.problems if p.severity == "error"] == ["B7", "B8"]
    assert "B7" in str(info.value) and "B8" in str(info.value)


# ---------------------------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------------------------
def test_templates_have_dropdowns_and_round_trip(tmp_path):
    from zsreport.load import write_templates

    paths = write_templates(2021, tmp_path / "forms", REGISTRY)
    assert [p.name for p in paths] == [
        "2021年招商计划表（模板）.xlsx",
        "季度完成情况（模板）.xlsx",
        "项目库（模板）.xlsx",
    ]
    ledger = load_workbook(paths[2])
    lists = {dv.formula1 for dv in ledger["项目库"].data_validations.dataValidation if dv.type == "list"}
    assert len(lists) == 6  # units, chains, statuses, 三类500强, problem kinds, 是/否
    options = ledger["选项"]
    assert options.sheet_state == "hidden"
    assert [c.value for c in options["A"][1:14]] == list(REGISTRY.unit_names)
    plan_ws = load_workbook(paths[0]).active
    assert any(dv.type == "whole" for dv in plan_ws.data_validations.dataValidation)

    # fill the blank forms with the shipped Q1 figures: they must load to the same tables
    shipped = load_dataset(DATA, 2020, 1)
    data = tmp_path / "data"
    (data / "2021" / "2021Q1").mkdir(parents=True)
    shutil.copy(DATA / "registry.toml", data / "registry.toml")
    wb = load_workbook(paths[0])
    ws = wb.active
    for r in range(5, 18):  # units only: 全市 is left blank (the sum is used)
        unit = ws.cell(r, 1).value
        for c, key in enumerate(KEYS, start=2):
            v = shipped.plan.targets.at[unit, key]
            ws.cell(r, c).value = None if math.isnan(v) else float(v)
    wb.save(data / "2021" / "计划.xlsx")
    wb = load_workbook(paths[1])
    ws = wb.active
    cols = ["provincial_funds", "provincial_funds_prev", "industrial_funds", "industrial_funds_prev"]
    cols += ["foreign_capital", "foreign_capital_prev", *KEYS[3:], "info_count"]
    for r in range(5, 18):
        unit = ws.cell(r, 1).value
        for c, key in enumerate(cols, start=2):
            ws.cell(r, c).value = float(shipped.current.values.at[unit, key])
    wb.save(data / "2021" / "2021Q1" / "完成.xlsx")
    wb = load_workbook(paths[2])
    ws = wb["项目库"]
    projects = shipped.ledger.projects
    fields = ["name", "unit", "chain", "investment", "provincial_funds", "foreign_capital", "status"]
    fields += ["sign_date", "start_date", "production_date", "hightech", "top500", "big_manufacturing"]
    fields += ["key_project", "leader", "lead_dept", "problem_kind", "problem", "next_step"]
    for i, rec in enumerate(projects.to_dict("records")):
        ws.cell(3 + i, 1).value = i + 1
        for c, key in enumerate(fields, start=2):
            v = rec[key]
            if isinstance(v, bool):
                v = "是" if v else "否"
            elif v is None or (not isinstance(v, str) and bool(__import__("pandas").isna(v))) or v == "":
                v = None
            elif hasattr(v, "to_pydatetime"):
                v = v.to_pydatetime()
            ws.cell(3 + i, c).value = v
    wb.save(data / "2021" / "2021Q1" / "项目.xlsx")
    ds = load_dataset(data, 2021, 1)
    assert ds.warnings == ()
    assert ds.plan.targets.equals(shipped.plan.targets)
    assert ds.current.values.equals(shipped.current.values)
    assert ds.ledger.projects.equals(shipped.ledger.projects)


# ---------------------------------------------------------------------------------------------
# Property: whatever a clerk types into a cell, the loader loads or raises InputError
# ---------------------------------------------------------------------------------------------
def _minimal_copy(dst: Path) -> Path:
    (dst / "2020").mkdir(parents=True)
    shutil.copy(DATA / "registry.toml", dst / "registry.toml")
    shutil.copy(DATA / PLAN_X, dst / PLAN_X)
    shutil.copytree(DATA / "2020" / "2020Q1", dst / "2020" / "2020Q1")
    return dst


try:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover
    given = None

if given is not None:
    import datetime as _dt

    ODD_TEXTS = ("全市", "北塔区", " 北　塔　区", "=SUM(B6:B18)", "１２", " 20.5 ", "洽谈", "是")
    ODD_TEXTS += ("{{ 7*7 }}", "单位", "项目名称", "省外境内资金(亿元)", "上年同期", "备注：", "其他")
    ODD_TEXTS += ("2020-13-45", "1e400", "-0", "#REF!", "<img src=x>")
    CELL_VALUES = st.one_of(
        st.none(),
        st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12),
        st.integers(-(10**15), 10**15),
        st.floats(allow_nan=False, allow_infinity=False),
        st.datetimes(min_value=_dt.datetime(1900, 3, 1), max_value=_dt.datetime(2100, 1, 1)),
        st.booleans(),
        st.sampled_from(ODD_TEXTS),
    )
    EDITS = st.lists(
        st.tuples(st.sampled_from([PLAN_X, ACT1, LED1]), st.integers(1, 24), st.integers(1, 21), CELL_VALUES),
        min_size=1,
        max_size=4,
    )

    @settings(
        max_examples=int(__import__("os").environ.get("ZS_HYPOTHESIS_EXAMPLES", "60")),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(edits=EDITS)
    def test_random_cells_load_or_raise_input_error(edits):
        import tempfile

        from openpyxl.cell.cell import MergedCell

        with tempfile.TemporaryDirectory() as tmp:
            data = _minimal_copy(Path(tmp) / "data")
            for rel, r, c, value in edits:
                wb = load_workbook(data / rel)
                ws = wb.worksheets[0]
                if isinstance(ws.cell(r, c), MergedCell):
                    continue
                ws.cell(r, c).value = value
                wb.save(data / rel)
            try:
                ds = load_dataset(data, 2020, 1)
            except InputError as exc:
                assert exc.problems and any(p.severity == "error" for p in exc.problems)
                for p in exc.problems:
                    assert p.severity in ("error", "warning") and p.found is not None
            else:
                assert list(ds.current.values.index) == list(REGISTRY.unit_names)


def test_csv_actuals_and_ledger(data_copy):
    import datetime as dt

    before = load_dataset(DATA, 2020, 1)
    for rel in (ACT1, LED1):
        ws = load_workbook(data_copy / rel, data_only=True).active
        rows = [
            [v.strftime("%Y-%m-%d") if isinstance(v, dt.datetime) else ("" if v is None else v) for v in row]
            for row in ws.iter_rows(values_only=True)
        ]
        _to_csv(data_copy, rel, rows)
    ds = load_dataset(data_copy, 2020, 1)
    assert ds.current.source.path.suffix == ".csv" and ds.ledger.source.sheet == ""
    assert ds.current.values.equals(before.current.values)
    assert ds.ledger.projects.equals(before.ledger.projects)
    assert ds.warnings == ()


def test_repeated_header_row_is_skipped(data_copy):
    _cells(data_copy, ACT1, {"A20": "单位", "B20": "省外境内资金(亿元)"})
    assert load_dataset(data_copy, 2020, 1).warnings == ()
