import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from tests.shipped import copy_shipped, shipped_data
from zsreport import PROJECT_ROOT
from zsreport.cli import main


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "zsreport", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        check=False,
    )


@pytest.fixture
def broken_data(tmp_path: Path) -> Path:
    """A copy of the shipped data with a word typed into a number cell of the Q4 actuals."""
    data = copy_shipped(tmp_path / "data")
    path = data / "2020" / "2020Q4" / "季度完成情况.xlsx"
    book = openpyxl.load_workbook(path)
    book.worksheets[0]["B6"] = "二十亿"
    book.save(path)
    return data


def test_help_lists_the_commands() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("build", "check", "template"):
        assert command in result.stdout


def test_check_passes_on_the_shipped_data(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--year", "2020", "--quarter", "4", "--data", str(shipped_data())]) == 0
    assert "数据校验通过" in capsys.readouterr().out


def test_a_failed_validation_writes_nothing(broken_data: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_cli(
        "build", "--year", "2020", "--quarter", "4", "--data", str(broken_data), "--out", str(out)
    )
    assert result.returncode == 2
    assert "B6" in result.stderr and "季度完成情况.xlsx" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists(), "nothing may be written when the input is invalid"


def test_plain_and_preprinted_exclude_each_other(tmp_path: Path) -> None:
    """套打 paper carries a 版头 the plain format has not: asking for both is refused before any work."""
    result = run_cli("build", "--plain", "--preprinted", "--out", str(tmp_path))
    assert result.returncode == 2 and "--preprinted" in result.stderr
    assert not any(tmp_path.iterdir())


def test_quarter_without_year_is_refused() -> None:
    result = run_cli("build", "--quarter", "4")
    assert result.returncode != 0 and "--year" in result.stderr


def test_template_writes_the_blank_forms(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["template", "--year", "2021", "--out", str(tmp_path)]) == 0
    forms = sorted(p.suffix for p in tmp_path.iterdir())
    assert forms and set(forms) == {".xlsx"}
