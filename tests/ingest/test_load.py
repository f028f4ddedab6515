"""The loader: the shipped 2020 data, and broken inputs located to the cell."""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.ingest.office import SEED_PLAN
from tests.shipped import shipped_data
from zsreport.ingest import InputError, available_quarters, count_projects, load_dataset
from zsreport.ingest.dataset import Problem, Registry

DATA = shipped_data()
REGISTRY = Registry.from_toml(DATA / "registry.toml")
KEYS = [i.key for i in REGISTRY.indicators]


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
    assert errors[0].found == "邵东市的“省外境内资金（亿元）”填的是“二十”"
    assert errors[0].expected == "数字（单位：亿元）"
    assert "只填写阿拉伯数字和小数点，如“20.5”" in errors[0].fix


def test_unknown_unit(data_copy):
    path = data_copy / "2020" / "2020年招商计划表.xlsx"
    _edit(path, "招商计划表", "A17", "北塔新区")
    errors = _errors(data_copy, 1)
    assert any(e.cell == "A17" and e.found == "单位名称“北塔新区”" for e in errors)
    assert any(e.cell == "A17" and "是否应为“北塔区”" in e.fix for e in errors)
    assert any(e.cell == "" and e.found == "缺少“北塔区”这一行" for e in errors)


def test_industrial_above_provincial(data_copy):
    path = data_copy / "2020" / "2020Q1" / "季度完成情况.xlsx"
    _edit(path, "完成情况", "D8", 99.0)  # 新邵县 工业引资 (and the 全市 total no longer adds up)
    errors = _errors(data_copy, 1)
    assert any(e.cell == "D8" and "新邵县的工业引资是 99" in e.found for e in errors)
    assert any(e.cell == "D5" and "应等于各单位之和" in e.expected for e in errors)  # 全市 ≠ Σ


# ---------------------------------------------------------------------------------------------
# The clerks read no English: a guard against English creeping back into the messages
# ---------------------------------------------------------------------------------------------
# Allowed outside quotation marks: file types and the spreadsheet programs the clerks use.
ALLOWED_ASCII_WORDS = {"xlsx", "xlsm", "xls", "csv", "CSV", "Excel", "WPS"}


def english_words(text: str, *names: str) -> list[str]:
    """ASCII words of 3+ letters in ``text`` besides file types, the given file and sheet names and
    what stands in “…” (what the clerk typed, names from the files, a command to type)."""
    for name in sorted(filter(None, names), key=len, reverse=True):
        text = text.replace(name, "")
    text = re.sub(r"“[^“”]*”", "", text)
    return [w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in ALLOWED_ASCII_WORDS]


def assert_chinese(problems, *texts: str) -> None:
    """Every message (and every text made of them, e.g. the report) is in Chinese."""
    names = {n for p in problems for n in (p.file, p.sheet)}
    for p in problems:
        for part in (p.found, p.expected, p.fix, str(p)):
            assert not english_words(part, p.file, p.sheet), f"English in {part!r}"
        assert p.fix, p
    from zsreport.ingest import format_problems

    for text in (format_problems(problems), *texts):
        assert not english_words(text, *names), f"English in:\n{text}"


def test_english_guard_catches_english():
    assert english_words("type only the figure", "") == ["type", "only", "the", "figure"]
    assert english_words("请另存为 .xlsx（Excel 或 WPS）：“python -m zsreport template”", "") == []
    assert english_words("文件 data/2020/Sheet.xlsx 工作表 Sheet3", "data/2020/Sheet.xlsx", "Sheet3") == []


def _load_problems(data: Path, quarter: int) -> list:
    try:
        return list(load_dataset(data, 2020, quarter).warnings)
    except InputError as exc:
        return exc.problems


def test_every_kind_of_message_is_chinese(tmp_path, monkeypatch):
    """Messages the bad-input corpus does not reach: warnings, file-level problems, the parsers."""
    import datetime as dt
    import zipfile

    import zsreport.ingest.scan as scan_module
    from zsreport.ingest.parse import parse_bool, parse_date, parse_number

    problems: list = []
    # warnings on valid data: counts vs 项目库, a blank figure with a target, dates, flags,
    # a status going back, a plan copy in a quarter folder, a missing optional column
    d = tmp_path / "warn" / "data"
    shutil.copytree(DATA, d)
    h6, h5 = _value(d, ACT1, "H6"), _value(d, ACT1, "H5")
    f7, f5 = _value(d, ACT1, "F7"), _value(d, ACT1, "F5")  # 邵东市 外资, target 4550
    _cells(d, ACT1, {"H6": h6 + 1, "H5": h5 + 1, "F7": None, "F5": f5 - f7})
    _cells(d, LED1, {"I3": dt.datetime(2020, 6, 30), "I4": None, "N5": "是"})
    g6, g5 = _value(d, ACT2, "G6"), _value(d, ACT2, "G5")
    low = _value(d, ACT1, "G6") - 1  # 外资 上年同期 below Q1's
    _cells(d, ACT2, {"G6": low, "G5": g5 - g6 + low})
    shutil.copy(d / PLAN_X, d / "2020" / "2020Q1" / "计划表.xlsx")
    wb = load_workbook(d / LED1)
    wb.worksheets[0].delete_cols(20)  # 下步措施
    wb.save(d / LED1)
    warned = _load_problems(d, 2)
    assert all(p.severity == "warning" for p in warned), "\n".join(map(str, warned))
    problems += warned

    # file-level errors: damaged, wrongly encoded and binary files, a file that cannot be read,
    # a quarter file in the year folder, a duplicate header column, no year folder, no plan
    d = tmp_path / "files" / "data"
    shutil.copytree(DATA, d)
    with zipfile.ZipFile(d / ACT1, "w") as z:
        z.writestr("junk.txt", "not a workbook")
    (d / LED1).unlink()
    (d / "2020" / "2020Q1" / "项目库.csv").write_bytes(b"\xff\xfe\xff" * 10)
    (d / "2020" / "2020Q2" / "项目库.xlsx").unlink()
    (d / "2020" / "2020Q2" / "项目库.csv").write_bytes(b"a,b\x00c\n")
    shutil.move(d / "2020" / "2020Q3" / "季度完成情况.xlsx", d / "2020" / "季度完成情况.xlsx")
    (d / "2020" / "2020Q4" / "项目库.xlsx").write_bytes(b"")
    real_read = scan_module.read_grids

    def read_grids(path):
        if path.parent.name == "2020Q4" and path.name == "项目库.xlsx":
            raise PermissionError(13, "Permission denied")
        return real_read(path)

    monkeypatch.setattr(scan_module, "read_grids", read_grids)
    problems += _load_problems(d, 4)
    monkeypatch.undo()
    d = tmp_path / "cols" / "data"
    shutil.copytree(DATA, d)
    _cells(d, ACT1, {"F3": "省外境内资金(亿元)"})  # a second column for the same figure
    _cells(d, LED1, {"Q2": "项目名称", "C3": "全市", "E4": "=1+1"})  # a second name column
    _cells(d, ACT1, {"E8": 99.0, "E5": round(_value(d, ACT1, "E5") - _value(d, ACT1, "E8") + 99, 2)})
    problems += _load_problems(d, 1)
    (d / PLAN_X).unlink()
    problems += _load_problems(d, 1)
    with pytest.raises(InputError) as info:
        load_dataset(d, 2021, 1)
    problems += info.value.problems
    with pytest.raises(InputError) as info:
        load_dataset(d, 2020, 5)
    problems += info.value.problems

    # the parsers on their own, with and without a unit
    odd = [
        True,
        dt.datetime(2020, 3, 1),
        "二十",
        "20亿",
        float("inf"),
        -1,
        1e12,
        2.5,
        "约5",
        "可能",
        "三月初",
    ]
    for value in odd:
        for unit, integer in (("亿元", False), ("万美元", False), ("个", True), ("条", True), ("", False)):
            _, issue = parse_number(value, unit=unit, integer=integer, limit=10_000)
            if issue:
                problems.append(Problem("error", "a.xlsx", "S", "B2", *issue))
        for parse in (parse_bool, parse_date):
            _, issue = parse(value)
            if issue:
                problems.append(Problem("error", "a.xlsx", "S", "B2", *issue))

    found = "\n".join(f"{p.found} | {p.expected}" for p in problems)
    for phrase in (
        "项目库“项目库.xlsx”统计",  # counts vs 项目库
        "是空白",  # blank figure with a target
        "晚于本季度末",
        "但签约日期是空白",
        "标为“5亿元以上制造业”",
        "外资上年同期（万美元）”是",  # a cumulative 上年同期 falling
        "季度文件夹中有一份年度招商计划表",
        "缺少“下步措施”列",
        "文件已损坏",
        "文字编码无法识别",
        "内容不是文字表格",
        "无法读取该文件",
        "年度文件夹中有一份季度完成情况表",
        "又一个“省外境内资金",
        "又一个“项目名称”列",
        "工业引资上年同期",
        "找不到年度招商计划表",
        "找不到这个文件夹",
        "季度编号“5”",
        "不能为负数",
        "无法识别的数值",
        "“是”或“否”",
        "日期，如“2020-03-15”",
    ):
        assert phrase in found, f"{phrase!r} not among:\n{found}"
    assert_chinese(problems)


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
    return [(ACT1, "F8", ("负数“-5”", "不能为负数"))]


def case_huge_number(d):
    _cells(d, PLAN_X, {"B6": 1e12})
    return [(PLAN_X, "B6", ("邵东市的“省外境内资金（亿元）”", "不超过 10000", "5000 万元应填“0.5”"))]


def case_date_in_number_cell(d):
    import datetime as dt

    _cells(d, ACT1, {"H9": dt.datetime(2020, 3, 1)})
    return [(ACT1, "H9", ("日期“2020-03-01”", "设置单元格格式"))]


def case_fractional_count(d):
    _cells(d, ACT1, {"H9": 2.5})
    return [(ACT1, "H9", ("“2.5”", "整数（单位：个）", "只能是整数"))]


def case_unknown_unit(d):
    _cells(d, PLAN_X, {"A17": "北塔新区"})
    return [(PLAN_X, "A17", ("“北塔新区”", "是否应为“北塔区”")), (PLAN_X, "", "缺少“北塔区”这一行")]


def case_duplicate_unit(d):
    _cells(d, ACT1, {"A8": "邵东市"})
    return [(ACT1, "A8", "“邵东市”出现了两次（第一次出现在 A7）"), (ACT1, "", "缺少“新邵县”这一行")]


def case_city_not_sum(d):
    _cells(d, PLAN_X, {"B4": 520})
    return [(PLAN_X, "B4", ("填的是 520", "523（全市一行应等于各单位之和"))]


def case_industrial_above_provincial(d):
    b8, d8, d5 = (_value(d, ACT1, r) for r in ("B8", "D8", "D5"))
    _cells(d, ACT1, {"D8": b8 + 1, "D5": round(d5 - d8 + b8 + 1, 2)})
    return [(ACT1, "D8", ("新邵县的工业引资是", "工业引资不大于省外境内资金"))]


def case_cumulative_fall(d):
    q1 = _value(d, ACT1, "M6")  # 邵阳经开区 报送招商信息条数
    m6, m5 = _value(d, ACT2, "M6"), _value(d, ACT2, "M5")
    _cells(d, ACT2, {"M6": q1 - 1, "M5": m5 - m6 + q1 - 1})
    return [(ACT2, "M6", ("邵阳经开区的“报送招商信息条数”", "只增不减"))]


def case_unknown_chain(d):
    _cells(d, LED1, {"D3": "新能源"})
    return [(LED1, "D3", ("产业链填的是“新能源”", "七大产业链之一"))]


def case_unknown_status(d):
    _cells(d, LED1, {"H3": "已完成"})
    return [(LED1, "H3", ("项目状态填的是“已完成”", "签约、开工、投产"))]


def case_duplicate_project(d):
    _cells(d, LED1, {"B4": _value(d, LED1, "B3")})
    return [(LED1, "B4", "重复（第一次出现在第 3 行）")]


def case_missing_column(d):
    path = d / LED1
    wb = load_workbook(path)
    wb.worksheets[0].delete_cols(4)  # 产业链
    wb.save(path)
    return [(LED1, "A2", ("缺少“产业链”列", "从统一模板中复制"))]


def case_formula_without_cached_value(d):
    _cells(d, ACT1, {"B7": "=1+1"})
    return [(ACT1, "B7", ("公式“=1+1”，但没有保存计算结果", "点“保存”"))]


def case_header_words_missing(d):
    # neither a unit-column word nor unit names: nothing tells which column is which
    _cells(d, ACT1, {"A3": "名称", **{f"A{r}": f"第{r}组" for r in range(5, 19)}})
    return [(ACT1, "A1:M19", ("找不到表格的表头", "template --year 2020"))]


def case_empty_workbook(d):
    from openpyxl import Workbook

    Workbook().save(d / ACT1)
    return [(ACT1, "", "文件是空的")]


def case_text_file_named_xlsx(d):
    (d / ACT1).write_text("单位,省外境内资金\n邵东市,12\n", encoding="utf-8")
    return [(ACT1, "", ("不是 Excel 文件", "不要只修改文件扩展名"))]


def case_old_xls(d):
    (d / ACT1).unlink()
    (d / ACT1).with_suffix(".xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    return [("季度完成情况.xls", "", ("旧版 Excel 文件（.xls 格式）", "另存为"))]


def case_top500_without_list(d):
    _cells(d, LED1, {"M3": "是"})
    return [(LED1, "M3", ("三类500强填的是“是”", "哪一类500强"))]


def case_bad_yes_no(d):
    _cells(d, LED1, {"L3": "可能"})
    return [(LED1, "L3", ("“可能”", "“是”或“否”"))]


def case_bad_date(d):
    _cells(d, LED1, {"I3": "三月初"})
    return [(LED1, "I3", ("签约日期填的是“三月初”", "“年-月-日”"))]


def case_provincial_above_investment(d):
    _cells(d, LED1, {"F3": _value(d, LED1, "E3") + 10})
    return [(LED1, "F3", ("不能大于计划总投资", "F3 和 E3"))]


def case_unknown_problem_kind(d):
    _cells(d, LED1, {"R3": "资金"})
    return [(LED1, "R3", ("问题类型填的是“资金”", "下拉列表"))]


def case_project_without_name(d):
    _cells(d, LED1, {"B3": None})
    return [(LED1, "B3", "项目名称是空白")]


def case_ledger_unknown_unit(d):
    _cells(d, LED1, {"C3": "邵阳市经开区"})
    return [(LED1, "C3", ("所属单位填的是“邵阳市经开区”", "是否应为“邵阳经开区”"))]


def case_two_plans(d):
    shutil.copy(d / PLAN_X, d / "2020" / "计划表副本.xlsx")
    return [("2020/计划表副本.xlsx", "", "第二份年度招商计划表")]


def case_missing_actuals(d):
    (d / ACT1).unlink()
    return [("2020Q1/", "", "找不到第1季度的季度完成情况表")]


def case_wrong_money_unit(d):
    _cells(d, PLAN_X, {"B3": "省外境内资金\n(万元)"})
    return [(PLAN_X, "B3", ("单位是万元", "万元数除以10000"))]


def case_bool_in_number(d):
    _cells(d, ACT1, {"M10": True})
    return [(ACT1, "M10", ("真假值“TRUE”", "整数（单位：条）"))]


def case_row_without_unit(d):
    _cells(d, ACT1, {"B20": 3.5})  # a figure below the notes row, with no unit
    return [(ACT1, "A20", "单位名称是空白")]


def case_many_problems_in_one_run(d):
    _cells(d, PLAN_X, {"C6": "abc"})
    _cells(d, ACT1, {"K8": -1})
    _cells(d, LED1, {"D5": "?"})
    return [(PLAN_X, "C6", "“abc”"), (ACT1, "K8", "不能为负数"), (LED1, "D5", "“?”")]


BAD_CASES = [v for k, v in sorted(globals().items()) if k.startswith("case_")]


@pytest.mark.parametrize("case", BAD_CASES, ids=[c.__name__[5:] for c in BAD_CASES])
def test_bad_input_is_located(case, data_copy):
    expected = case(data_copy)
    with pytest.raises(InputError) as info:
        load_dataset(data_copy, 2020, 2 if "ACT2" in case.__code__.co_names else 1)
    errors = [p for p in info.value.problems if p.severity == "error"]
    for rel, cell, words in expected:
        words = (words,) if isinstance(words, str) else words
        hits = [
            e
            for e in errors
            if e.file.endswith(rel)
            and e.cell == cell
            and all(w in f"{e.found} {e.expected} {e.fix}" for w in words)
        ]
        assert hits, f"no error at {rel}:{cell} with {words!r} in:\n{info.value}"
        assert all(e.fix for e in hits)
    assert len(errors) == len(expected), str(info.value)
    assert_chinese(info.value.problems, str(info.value))


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
    assert "按项目库“项目库.xlsx”统计的邵阳经开区新引进产业招商项目数" in ds.warnings[0].expected
    assert "邵阳经开区填报的“新引进产业招商项目”" in ds.warnings[0].found


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
    assert any(w.cell == f"H{row}" and "不能倒退" in w.expected and name in w.found for w in ds.warnings)


def test_input_error_lists_every_problem(data_copy):
    _cells(data_copy, ACT1, {"B7": "x", "B8": "y"})
    with pytest.raises(InputError) as info:
        load_dataset(data_copy, 2020, 1)
    assert [p.cell for p in info.value.problems if p.severity == "error"] == ["B7", "B8"]
    assert "B7" in str(info.value) and "B8" in str(info.value)
    assert str(info.value).startswith("输入文件中有 2 个错误，改正后才能生成公文：")


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
