"""The blank forms: drop-downs and checks, and filled in they load to the same tables."""

from __future__ import annotations

import math
import shutil

from openpyxl import load_workbook

from tests.shipped import shipped_data
from zsreport.ingest import load_dataset, write_templates
from zsreport.ingest.dataset import Registry

DATA = shipped_data()
REGISTRY = Registry.from_toml(DATA / "registry.toml")
KEYS = [i.key for i in REGISTRY.indicators]


def test_templates_have_dropdowns_and_round_trip(tmp_path):
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
