import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

import zsreport
from tests.shipped import copy_shipped, shipped_data
from zsreport import PROJECT_ROOT
from zsreport.cli import EXIT_INPUT_ERROR, EXIT_USAGE, main


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
    assert result.returncode == EXIT_INPUT_ERROR
    assert "B6" in result.stderr and "季度完成情况.xlsx" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists(), "nothing may be written when the input is invalid"


def test_plain_and_preprinted_exclude_each_other(tmp_path: Path) -> None:
    """套打 paper carries a 版头 the plain format has not: asking for both is refused before any work."""
    result = run_cli("build", "--plain", "--preprinted", "--out", str(tmp_path))
    assert result.returncode == EXIT_USAGE and "--preprinted" in result.stderr
    assert not any(tmp_path.iterdir())


def test_quarter_without_year_is_refused() -> None:
    result = run_cli("build", "--quarter", "4")
    assert result.returncode != 0 and "--year" in result.stderr


def test_template_writes_the_blank_forms(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["template", "--year", "2021", "--out", str(tmp_path)]) == 0
    forms = sorted(p.suffix for p in tmp_path.iterdir())
    assert forms and set(forms) == {".xlsx"}


def test_version_and_chinese_help() -> None:
    version = run_cli("--version")
    assert version.returncode == 0 and version.stdout.strip() == f"zsreport {zsreport.__version__}"
    help_text = run_cli("--help").stdout
    assert "用法：" in help_text and "退出码" in help_text and "示例" in help_text
    assert "usage:" not in help_text and "show this help" not in help_text
    for command in (
        "build",
        "check",
        "template",
        "forms",
        "collect",
        "issue",
        "verify",
        "archive",
        "conform",
    ):
        text = run_cli(command, "--help").stdout
        assert "用法：" in text and "示例：" in text, command
        assert "usage:" not in text and "options:" not in text, command


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("biuld",), "没有 biuld 这个命令"),
        (("build", "--quarter", "5"), "参数 --quarter 的值 5 不可用"),
        (("forms", "--year", "2021"), "缺少必须的参数：--quarter"),
        (("check", "--year", "二〇二〇"), "参数 --year 的值“二〇二〇”不是有效的数"),
        (("build", "--colour"), "无法识别的参数：--colour"),
    ],
)
def test_a_malformed_command_is_told_in_chinese_with_exit_2(args: tuple[str, ...], said: str) -> None:
    result = run_cli(*args)
    assert result.returncode == EXIT_USAGE
    assert said in result.stderr and "--help 查看用法" in result.stderr and "Traceback" not in result.stderr


def test_conform_says_each_failure_and_a_total(built, tmp_path: Path) -> None:
    # the 纪要 meets every rule (the city bulletin's p9 is one of page.filled's open pages)
    briefing = next(d for d in built.documents if d.meta.kind == "briefing")
    pdf = built.out_dir / f"{briefing.meta.slug}.pdf"
    quiet = run_cli("conform", str(pdf), str(tmp_path / "missing.pdf"))
    assert quiet.returncode == 1
    assert "全部合格" in quiet.stdout and "missing.pdf：文件不存在" in quiet.stdout
    assert quiet.stdout.strip().splitlines()[-1].startswith("共 1 个文件、")
    verbose = run_cli("-v", "conform", str(pdf))
    assert verbose.returncode == 0 and "合格" in verbose.stdout and len(verbose.stdout) > len(quiet.stdout)


def test_data_defaults_to_the_data_folder_here(tmp_path: Path, monkeypatch, capsys) -> None:
    """``--data`` left out: ./data of the folder the command runs in, when it has one."""
    copy_shipped(tmp_path / "data")
    shutil.rmtree(tmp_path / "data" / "2020" / "2020Q4")
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 0  # the latest quarter here is now the third
    said = capsys.readouterr()
    assert "2020年第3季度数据校验通过" in said.out and "示例数据" not in said.err


def test_without_a_data_folder_the_shipped_sample_is_used_and_said(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 0
    said = capsys.readouterr()
    assert "2020年第4季度数据校验通过" in said.out
    (notice,) = [line for line in said.err.splitlines() if "示例数据" in line]
    assert "data" in notice
    # said even with -q: a clerk in the wrong folder must not take the sample for the office's data
    assert main(["-q", "check"]) == 0 and "示例数据" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []  # reading the sample writes nothing here


def test_a_data_folder_without_configuration_uses_the_shipped_defaults(tmp_path: Path, capsys) -> None:
    """registry.toml and office.toml are read from the data folder in use; without its own, the
    shipped ones (and a folder's own wins: a changed 机关代字 is the one printed)."""
    data = copy_shipped(tmp_path / "data")
    (data / "registry.toml").unlink()
    office = (data / "office.toml").read_text(encoding="utf-8")
    (data / "office.toml").unlink()
    assert main(["check", "--data", str(data)]) == 0
    assert "邵承办发〔2021〕" in capsys.readouterr().out
    (data / "office.toml").write_text(
        office.replace('doc_prefix = "邵承办发"', 'doc_prefix = "邵试发"'), "utf-8"
    )
    assert main(["check", "--data", str(data)]) == 0
    assert "邵试发〔2021〕" in capsys.readouterr().out
