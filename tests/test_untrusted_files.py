"""Untrusted files: a symlink planted in the returns folder, ledger text that looks like a formula,
a unit named with a path in registry.toml, text beyond any real length. Each runs the real
command on the tests' own copy of the data and checks the message, the exit code and what was
(not) written."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from tests.archive.test_verify_faults import zsreport
from tests.shipped import copy_shipped

HOSTILE = {
    "problem": '=HYPERLINK("http://198.51.100.7/x","点此查看")',
    "next_step": "=cmd|' /C calc'!A0",
    "lead_dept": "+市发改委",
    "leader": "@SUM(1+1)",
}
HEADERS = {"problem": "存在问题", "next_step": "下步措施", "lead_dept": "牵头部门", "leader": "市级联系领导"}


def ledger_cells(path: Path, unit: str) -> tuple[openpyxl.Workbook, object, int, dict[str, int]]:
    """(workbook, sheet, the unit's first project row, header → column) of a 项目库 file."""
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[2]]
    columns = {h: header.index(h) + 1 for h in header if h}
    row = next(r for r in range(3, sheet.max_row + 1) if sheet.cell(r, columns["所属单位"]).value == unit)
    return book, sheet, row, columns


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return copy_shipped(tmp_path / "data")


def test_collect_never_writes_through_a_symlink(data: Path, tmp_path: Path) -> None:
    returns = tmp_path / "收回的报表"
    returns.mkdir()
    victim = tmp_path / "outside" / "重要文件.txt"
    victim.parent.mkdir()
    victim.write_text("原有内容", encoding="utf-8")
    (returns / "报送情况.txt").symlink_to(victim)
    run = zsreport("collect", "--year", "2021", "--quarter", "1", "--from", returns, "--data", data)
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    assert victim.read_text(encoding="utf-8") == "原有内容", "the file outside was written through the link"
    report = returns / "报送情况.txt"
    assert not report.is_symlink() and "未报送" in report.read_text(encoding="utf-8")


def test_forms_write_ledger_text_that_looks_like_a_formula_as_text(data: Path, tmp_path: Path) -> None:
    for name in ("季度完成情况.xlsx", "项目库.xlsx"):  # the office before collecting Q4: forms from Q3
        (data / "2020" / "2020Q4" / name).unlink()
    book, sheet, row, columns = ledger_cells(data / "2020" / "2020Q3" / "项目库.xlsx", "邵阳县")
    project = sheet.cell(row, columns["项目名称"]).value
    for key, text in HOSTILE.items():
        cell = sheet.cell(row, columns[HEADERS[key]])
        cell.value, cell.data_type = text, "s"  # typed by a unit as text: the ledger loads as usual
    book.save(data / "2020" / "2020Q3" / "项目库.xlsx")
    out = tmp_path / "forms"
    run = zsreport("forms", "--year", "2020", "--quarter", "4", "--data", data, "--out", out)
    assert run.returncode == 0, run.stderr
    form = out / "2020Q4-邵阳县-招商引资季度报表.xlsx"
    sheet = openpyxl.load_workbook(form)["项目库"]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 2).value == project)
    cells = [sheet.cell(row, c) for c in range(1, sheet.max_column + 1)]
    for text in HOSTILE.values():
        cell = next(c for c in cells if c.value == text)
        assert cell.data_type == "s" and cell.quotePrefix, (cell.coordinate, text)
    with zipfile.ZipFile(form) as package:
        xml = "".join(package.read(n).decode("utf-8") for n in package.namelist() if "worksheets/sheet" in n)
    assert "HYPERLINK" in xml and "<f>HYPERLINK" not in xml and "<f>cmd" not in xml, "no live formula"


@pytest.mark.parametrize("name", ["../../outside", "邵东市/../x", "..\\邵东市"])
def test_a_unit_named_with_a_path_is_refused_where_the_registry_is_read(
    data: Path, tmp_path: Path, name: str
) -> None:
    registry = data / "registry.toml"
    registry.write_text(
        registry.read_text(encoding="utf-8").replace('"邵东市"', f'"{name}"'.replace("\\", "\\\\"), 1),
        encoding="utf-8",
    )
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    for command in (["forms", "--out", tmp_path / "forms" / "a"], ["check"]):
        run = zsreport(*command, "--year", "2020", "--quarter", "4", "--data", data)
        assert run.returncode == 1, run.stdout + run.stderr
        err = run.stderr.replace("\n", "").replace(" ", "")
        assert "registry.toml" in err and f"名称“{name}”" in err and "Traceback" not in run.stderr, run.stderr
        assert "路径或文件名中不允许的字符" in err or "含有“..”" in err
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before, "nothing written"


@pytest.mark.parametrize(
    ("header", "text", "words"),
    [
        ("项目名称", "项" * 100_000, "项目名称不超过200个字符"),  # Excel keeps 32 767 of them
        ("存在问题", "征地" * 600, "“存在问题”有1200个字符"),
    ],
)
def test_text_beyond_any_real_length_is_refused_at_its_cell(
    data: Path, tmp_path: Path, header: str, text: str, words: str
) -> None:
    path = data / "2020" / "2020Q4" / "项目库.xlsx"
    book, sheet, row, columns = ledger_cells(path, "邵阳县")
    sheet.cell(row, columns[header]).value = text
    book.save(path)
    out = tmp_path / "out"
    for command in (["check"], ["build", "--out", out]):
        run = zsreport(
            *command, "--year", "2020", "--quarter", "4", "--data", data, "--archive", tmp_path / "a"
        )
        assert run.returncode == 1, run.stdout[-2000:]
        err = run.stderr.replace("\n", "").replace(" ", "")
        cell = f"{openpyxl.utils.get_column_letter(columns[header])}{row}"
        assert "文件：data/2020/2020Q4/项目库.xlsx" in err and f"单元格{cell}" in err, run.stderr[:3000]
        assert words in err and "Traceback" not in run.stderr
    assert not out.exists() or not any(out.iterdir())
    shutil.rmtree(tmp_path / "a", ignore_errors=True)
