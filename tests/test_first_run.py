"""Issue 22, the first run in an office: a machine without Chinese fonts is refused before anything
is rendered, ``zsreport 环境检查`` says what the machine has and lacks, and the command line's
options read the same after every command. Each test runs the real command in a subprocess."""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.mini import run_mini_process
from tests.shipped import copy_shipped
from zsreport import PROJECT_ROOT, SETUP_SCRIPT
from zsreport.cli.parser import build_parser


def zsreport(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "zsreport", *args],
        capture_output=True, text=True, cwd=cwd, env=environment, timeout=600, check=False,
    )  # fmt: skip


@pytest.fixture
def no_cjk_fonts(tmp_path: Path) -> dict[str, str]:
    """fontconfig seeing one empty font folder: a fresh machine before the set-up step."""
    fonts, cache = tmp_path / "fonts", tmp_path / "fc-cache"
    fonts.mkdir()
    cache.mkdir()
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        f"<fontconfig><dir>{fonts}</dir><cachedir>{cache}</cachedir></fontconfig>\n",
        encoding="utf-8",
    )
    return {"FONTCONFIG_FILE": str(config)}


def _setup_line(text: str) -> str:
    (line,) = [line.strip() for line in text.splitlines() if "setup-system.sh" in line]
    return line


def test_build_without_chinese_fonts_is_refused_naming_the_faces_and_the_command(
    tmp_path: Path, no_cjk_fonts: dict[str, str]
) -> None:
    data = copy_shipped(tmp_path / "data")
    result = zsreport("build", "-q", "--data", str(data), "--out", "out", cwd=tmp_path, env=no_cjk_fonts)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "ChartFontError" not in result.stderr
    assert "缺少公文所需的中文字体" in result.stderr  # said even with -q
    for role, face in (("仿宋", "FandolFang"), ("黑体", "FandolHei"), ("小标宋", "方正小标宋简体")):
        assert re.search(f"缺少{role}：.*{face}", result.stderr), result.stderr
    # the one command, on one line, naming a script that exists (shipped in the package)
    assert _setup_line(result.stderr) == f"sudo bash {SETUP_SCRIPT} runtime"
    assert SETUP_SCRIPT.is_file()
    assert not (tmp_path / "out").exists()  # nothing rendered, nothing written


def test_the_environment_check_without_fonts_fails_with_the_fix(
    tmp_path: Path, no_cjk_fonts: dict[str, str]
) -> None:
    data = copy_shipped(tmp_path / "data")
    result = zsreport("环境检查", "--data", str(data), cwd=tmp_path, env=no_cjk_fonts)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert [line for line in lines if line.startswith("✘ 字体 仿宋")], result.stdout
    assert f"修复：sudo bash {SETUP_SCRIPT} runtime" in result.stdout
    assert "Traceback" not in result.stderr


def test_the_environment_check_on_a_ready_machine(tmp_path: Path) -> None:
    """The machine the tests run on has the stand-ins (``make test`` installs them): every role ✔,
    named as a stand-in for its official face; Pango, weasyprint, the data folder and the archive."""
    data = copy_shipped(tmp_path / "data")
    result = zsreport("doctor", "--data", str(data), cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    for role in ("小标宋", "仿宋", "楷体", "黑体", "宋体"):
        assert re.search(f"^✔ 字体 {role}：.*替代字体", result.stdout, re.M), result.stdout
    assert re.search(r"^✔ PDF 排版：weasyprint [\d.]+，Pango [\d.]+$", result.stdout, re.M)
    assert re.search("^[✔✘] LibreOffice", result.stdout, re.M)
    assert f"✔ 数据文件夹：{data.resolve()}，最新的季度 2020年第4季度" in result.stdout
    assert "✔ 归档文件夹：archive 尚未建立" in result.stdout


def test_the_environment_check_in_a_folder_without_data_names_the_sample(tmp_path: Path) -> None:
    result = zsreport("环境检查", cwd=tmp_path)
    assert result.returncode == 1
    assert "✘ 数据文件夹：没有 data 文件夹，用的是自带的 2020 年示例数据" in result.stdout
    assert "修复：在本文件夹新建 data 文件夹" in result.stdout


def _leaf_commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    (sub,) = [a for a in parser._actions if a.dest == "command"]
    found = {}
    for name, command in sub.choices.items():
        nested = [a for a in command._actions if a.dest == "archive_command"]
        inner = nested[0].choices.items() if nested else [("", command)]
        found |= {f"{name} {n}".strip(): p for n, p in inner}
    return found


@pytest.mark.parametrize("command", sorted(_leaf_commands()))
def test_every_command_takes_q_and_v_after_it(command: str) -> None:
    options = {o for action in _leaf_commands()[command]._actions for o in action.option_strings}
    assert {"-q", "--quiet", "-v", "--verbose"} <= options


def test_option_placeholders_are_chinese(tmp_path: Path) -> None:
    for command in (["build"], ["check"], ["forms"], ["collect"], ["issue"], ["archive", "next-number"]):
        usage = zsreport(*command, "--help", cwd=tmp_path).stdout
        assert not re.search(r"--\w[\w-]* [A-Z_]{3,}", usage), usage
    assert "--year 年份" in zsreport("build", "--help", cwd=tmp_path).stdout


def test_check_takes_q_after_the_command(tmp_path: Path) -> None:
    data = copy_shipped(tmp_path / "data")
    result = zsreport("check", "-q", "--data", str(data), cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def test_a_bare_build_names_the_quarter_it_chose_and_the_incomplete_one(
    tmp_path: Path, no_cjk_fonts: dict[str, str]
) -> None:
    """2021 Q1 begun (its 发文.toml written, the forms sent out) but not collected: a bare build
    says it builds 2020 Q4, and why. (Without fonts the build stops right after choosing: the
    choice is what is tested, without laying out 16 documents.)"""
    data = copy_shipped(tmp_path / "data")
    started = data / "2021" / "2021Q1"
    started.mkdir(parents=True)
    (started / "发文.toml").write_text("date = 2021-04-12\nfirst_number = 16\n", encoding="utf-8")
    (tmp_path / "returns" / "2021Q2" / "报表").mkdir(parents=True)
    for command in (["build", "-q"], ["check"]):
        result = zsreport(*command, cwd=tmp_path, env=no_cjk_fonts if command[0] == "build" else None)
        said = " ".join(result.stderr.split())
        assert "2021年第1季度的数据还不完整（data/2021/2021Q1 中还没有季度完成情况表和项目库）" in said
        assert "因此用数据中最新的完整季度：2020年第4季度" in said
        assert "2021年第2季度的数据还不完整（单位报表已发出（returns/2021Q2），还没有汇总）" in said
    assert "2020年第4季度数据校验通过" in result.stdout
    shutil.rmtree(started)
    shutil.rmtree(tmp_path / "returns")
    plain = zsreport("check", cwd=tmp_path)
    assert "未指定季度，用数据中最新的季度：2020年第4季度。" in plain.stderr
    assert "不完整" not in plain.stderr


@pytest.mark.slow
def test_ctrl_c_during_a_build_says_one_chinese_line_and_keeps_the_old_set(tmp_path: Path) -> None:
    """A real SIGINT to the build's process group, as a terminal's Ctrl-C sends it, once the
    first document is laid out: exit 130, one line, no traceback, the previous set untouched."""
    data = copy_shipped(tmp_path / "data")
    old = tmp_path / "out" / "2020Q4"
    old.mkdir(parents=True)
    (old / "上一套.txt").write_text("the previous set", encoding="utf-8")
    command = [sys.executable, "-m", "zsreport", "build", "--data", str(data), "--out", "out", "--jobs", "2"]
    build = subprocess.Popen(
        command, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    assert build.stdout is not None
    lines = []
    for line in build.stdout:
        lines.append(line)
        if line.strip().startswith("[1/"):
            break
    os.killpg(build.pid, signal.SIGINT)
    rest, errors = build.communicate(timeout=120)
    said = "".join(lines) + rest
    # progress from the start, then counted documents
    assert said.index("读取数据") < said.index("绘图") < said.index("[1/16]"), said
    assert build.returncode == 130, errors
    assert "Traceback" not in errors and "KeyboardInterrupt" not in errors, errors
    (interrupted,) = [line for line in errors.splitlines() if line.strip()][-1:]
    assert interrupted == "zsreport：已中断（Ctrl-C），out 中原有的文件未改动。"
    assert [p.name for p in old.iterdir()] == ["上一套.txt"]
    # no staging left (the chart cache, out/.cache, is kept on purpose)
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if p.is_dir() and p.name != ".cache") == [
        "2020Q4"
    ]


@pytest.mark.slow
def test_force_lays_every_document_out_afresh(tmp_path: Path) -> None:
    """A previous set holding three documents made from exactly these inputs: a plain build would
    copy them (「未变，沿用上次生成的文件」); ``--force`` lays each of the 16 out again, counted."""
    data = copy_shipped(tmp_path / "data")
    out = tmp_path / "out"
    run_mini_process(data, out).check_returncode()
    keys = {d["slug"]: d["key"] for d in json.loads((out / "2020Q4" / "build.json").read_text())["documents"]}
    result = zsreport("build", "--force", "--data", str(data), "--out", str(out), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "沿用" not in result.stdout
    counted = re.findall(r"^  \[(\d+)/16\] 2020Q4-\S+  \d+ 页  [\d.]+ 秒$", result.stdout, re.M)
    assert counted == [str(n) for n in range(1, 17)], result.stdout
    # the three were reusable (same document keys): only --force laid them out again
    after = {
        d["slug"]: d["key"] for d in json.loads((out / "2020Q4" / "build.json").read_text())["documents"]
    }
    assert len(keys) == 3 and all(after[slug] == key for slug, key in keys.items())

    # conform holds page.filled on the PDF and on the DOCX as LibreOffice lays it out (issue 24)
    city = out / "2020Q4" / "2020Q4-01-全市招商引资工作通报"
    pdf = zsreport("conform", "-v", str(city.with_suffix(".pdf")), cwd=tmp_path)
    assert "page.filled" in pdf.stdout
    if shutil.which("soffice") or shutil.which("libreoffice"):
        docx = zsreport("conform", "-v", str(city.with_suffix(".docx")), cwd=tmp_path)
        assert "body.size" in docx.stdout and "page.filled" in docx.stdout, docx.stdout[-2000:]


@pytest.mark.parametrize("depth", [1, 3, 8])
def test_a_message_never_breaks_a_file_path(depth: int) -> None:
    """However long the folder a clerk works in, the path stays whole on one line (copyable)."""
    from zsreport.ingest.dataset import Problem
    from zsreport.ingest.problems import ERROR, format_problems

    folder = "/".join(["招商引资季度报表收回-long-folder-name"] * depth)
    path = f"/home/文书/{folder}/2021Q1-邵东市-招商引资季度报表.xlsx"
    found = f"{path} 中邵东市的“省外境内资金（亿元）”填的是“约二十亿”，另见 {path}"
    report = format_problems([Problem(ERROR, path, "完成情况", "E4", found, "数字", "改正")])
    lines = report.splitlines()
    assert sum(line.count(path) for line in lines) == 3, report  # whole: on the 文件 line, twice in 发现
    assert "约二十亿" in report


def test_issue_without_a_quarter_takes_the_latest_built_set_and_says_so(tmp_path: Path) -> None:
    nothing = zsreport("issue", cwd=tmp_path)
    assert nothing.returncode == 1 and "还没有生成好的公文" in nothing.stderr
    for name in ("2020Q3", "2020Q4"):
        (tmp_path / "out" / name).mkdir(parents=True)
        record = {
            "year": 2020,
            "quarter": int(name[-1]),
            "sample": True,
            "inputs": [],
            "documents": [],
            "files": {},
        }
        (tmp_path / "out" / name / "build.json").write_text(json.dumps(record), encoding="utf-8")
    result = zsreport("issue", "-q", cwd=tmp_path)
    assert "未指定季度，归档最近生成的一套：2020年第4季度。" in result.stderr
    assert result.returncode == 1 and "out/2020Q4 是用自带的示例数据生成的" in result.stderr  # refused


def test_the_shipped_set_up_script_is_valid_bash() -> None:
    """The script the fonts refusal and 环境检查 name (not run here: it would install as root)."""
    assert subprocess.run(["bash", "-n", str(SETUP_SCRIPT)], capture_output=True, check=False).returncode == 0
    assert (SETUP_SCRIPT.parent / "fontconfig" / "65-zsreport-gongwen.conf").is_file()
