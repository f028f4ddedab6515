"""Issue 15, "Done when": in a fresh venv, with a wheel built from the checkout, run from an empty
folder, ``zsreport --version`` works, ``zsreport --help`` is Chinese, ``zsreport build`` writes the
sample quarter and ``zsreport conform`` measures one of its PDFs.

How the venv gets zsreport's dependencies: the wheel itself is installed for real (``--no-deps``,
from the file), and a ``.pth`` file in the new venv points at the site-packages of the interpreter
running the tests, which already holds the declared dependencies. Installing them afresh would need
the network (pip resolves against the index even with a warm cache) and minutes; this way the test
runs offline in seconds, and what it checks, the package as the wheel ships it, is installed
exactly as a user gets it. The checkout never reaches the venv: PYTHONPATH is cleared, the wheel is
built from a copy, and the test asserts where zsreport was imported from. The build backend is the
one ``[test]`` installs (``--no-build-isolation``), so building needs no network either.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pytest
from docx import Document as read_docx

import zsreport

ROOT = Path(__file__).resolve().parents[1]
SKIP = shutil.ignore_patterns("__pycache__", "*.pyc")


# A wheel built, installed in a new venv and run end to end (a whole set built): make test-quick skips it.
pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Installed:
    wheel: Path
    bin: Path  # the fresh venv's bin/
    env: dict[str, str]  # no PYTHONPATH: nothing of the checkout


def _run(command: list, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


def _checked(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, f"{result.args}\n{result.stdout[-2000:]}\n{result.stderr[-3000:]}"
    return result.stdout


def _dependency_paths() -> list[str]:
    """Where the running interpreter finds its installed distributions (not the checkout)."""
    return [p for p in sys.path if Path(p).name in ("site-packages", "dist-packages")]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    backend = importlib.metadata.version("setuptools")
    assert tuple(int(n) for n in backend.split(".")[:2]) >= (70, 1), (
        f"setuptools {backend} cannot build the wheel offline: install the test extra "
        "(make setup, or pip install -e '.[test]'), which brings setuptools>=70.1"
    )
    work = tmp_path_factory.mktemp("wheel")
    # A copy of what the build reads, so that the build's own files (build/, *.egg-info) stay out
    # of the checkout.
    source = work / "source"
    source.mkdir()
    shutil.copy2(ROOT / "pyproject.toml", source)
    shutil.copytree(ROOT / "zsreport", source / "zsreport", ignore=SKIP)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    _checked(_run([*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", work / "dist", source],
                  work, env))  # fmt: skip
    (wheel,) = (work / "dist").glob("zsreport-*.whl")

    venv = work / "venv"
    _checked(_run([sys.executable, "-m", "venv", "--without-pip", venv], work, env))
    python = venv / "bin" / "python"
    _checked(_run([*pip, "--python", python, "install", "--no-deps", "--no-index", wheel], work, env))
    purelib = _checked(
        _run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], work, env)
    )
    (Path(purelib.strip()) / "zz_test_dependencies.pth").write_text("\n".join(_dependency_paths()) + "\n")
    return Installed(wheel, venv / "bin", env)


@pytest.fixture(scope="module")
def empty(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("empty")


def test_the_wheel_ships_the_templates_and_the_sample(installed: Installed) -> None:
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    package = ROOT / "zsreport"
    shipped = [
        p.relative_to(ROOT).as_posix()
        for folder in ("templates", "data")
        for p in (package / folder).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    ]
    assert shipped and sorted(set(shipped) - names) == []
    assert "zsreport/fonts.toml" in names
    # the system set-up, which the fonts refusal and 环境检查 name by its installed path
    assert {"zsreport/system/setup-system.sh", "zsreport/system/fontconfig/65-zsreport-gongwen.conf"} <= names


def test_the_environment_check_from_the_wheel(installed: Installed, empty: Path) -> None:
    """``zsreport 环境检查`` of the installed command: every item said, the sample named as the data in
    use (exit 1: an office must put its own data in), its copy command pointing into the venv."""
    check = _run([installed.bin / "zsreport", "环境检查"], empty, installed.env)
    assert check.returncode == 1 and "Traceback" not in check.stderr, check.stderr
    lines = check.stdout.splitlines()
    for item in ("字体 仿宋", "字体 小标宋", "PDF 排版", "LibreOffice", "数据文件夹", "归档文件夹"):
        assert any(line[:1] in "✔✘" and item in line for line in lines), (item, check.stdout)
    (fix,) = [line for line in lines if "cp -r" in line]
    copied = fix.split("cp -r ", 1)[1].split()[0]
    assert Path(copied).is_relative_to(installed.bin.parent) and (Path(copied) / "2020").is_dir()


def test_without_chinese_fonts_the_installed_command_names_its_own_set_up_script(
    installed: Installed, tmp_path: Path
) -> None:
    """fontconfig seeing no font at all: ``build`` refuses before rendering, and the one command it
    gives runs a script that the wheel installed."""
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    config = tmp_path / "fonts.conf"
    config.write_text(
        f'<?xml version="1.0"?>\n<fontconfig><dir>{fonts}</dir><cachedir>{tmp_path}</cachedir></fontconfig>\n'
    )
    env = {**installed.env, "FONTCONFIG_FILE": str(config)}
    build = _run([installed.bin / "zsreport", "build"], tmp_path, env)
    assert build.returncode == 1 and "Traceback" not in build.stderr, build.stderr
    (command,) = [line.split() for line in build.stderr.splitlines() if "setup-system.sh" in line]
    assert command[:2] == ["sudo", "bash"] and command[3] == "runtime"
    assert Path(command[2]).is_file() and Path(command[2]).is_relative_to(installed.bin.parent)
    assert not (tmp_path / "out").exists()


def test_zsreport_comes_from_the_wheel(installed: Installed, empty: Path) -> None:
    code = "import zsreport; print(zsreport.__file__); print(zsreport.TEMPLATES_DIR)"
    where, templates = _checked(_run([installed.bin / "python", "-c", code], empty, installed.env)).split()
    venv = installed.bin.parent
    assert Path(where).is_relative_to(venv) and Path(templates).is_relative_to(venv)
    assert not Path(where).is_relative_to(ROOT)


def test_version_and_chinese_help_from_an_empty_folder(installed: Installed, empty: Path) -> None:
    version = _checked(_run([installed.bin / "zsreport", "--version"], empty, installed.env))
    assert version.strip() == f"zsreport {zsreport.__version__}"
    help_text = _checked(_run([installed.bin / "zsreport", "--help"], empty, installed.env))
    # the command names itself as installed, and speaks Chinese
    assert "用法：zsreport" in help_text and "示例" in help_text and "退出码" in help_text
    assert "usage:" not in help_text and "options:" not in help_text


def test_build_then_conform_from_an_empty_folder(installed: Installed, empty: Path) -> None:
    """``zsreport build`` with no data folder builds the shipped sample's latest quarter into ./out,
    and ``zsreport conform`` measures one of its PDFs."""
    build = _run([installed.bin / "zsreport", "build"], empty, installed.env)
    assert build.returncode == 0 and "Traceback" not in build.stderr, build.stderr[-3000:]
    assert "示例数据" in build.stderr  # this is the sample, not the clerk's data
    assert sorted(p.name for p in empty.iterdir()) == ["out"]  # nothing else written here (yet)
    (folder,) = [p for p in (empty / "out").iterdir() if not p.name.startswith(".")]  # .lock aside
    record = json.loads((folder / "build.json").read_text(encoding="utf-8"))
    assert folder.name == f"{record['year']}Q{record['quarter']}"
    assert Path(record["data_dir"]).is_relative_to(installed.bin.parent)  # the shipped sample
    documents = record["documents"]
    assert documents
    for document in documents:
        for suffix in (".pdf", ".docx"):
            assert (folder / f"{document['slug']}{suffix}").stat().st_size > 0
    first = folder / f"{documents[0]['slug']}.pdf"
    with pdfplumber.open(first) as pdf:
        text = pdf.pages[0].extract_text().replace(" ", "")
    assert documents[0]["doc_number"] in text
    # built from the sample: every document says so on its face, in both formats, and is not issued
    assert record["sample"] is True
    assert "（示例数据，不得印发）" in text
    docx = read_docx(str(first.with_suffix(".docx")))
    title_lines = [line for p in docx.paragraphs[:12] for line in p.text.splitlines()]  # one paragraph
    assert "（示例数据，不得印发）" in title_lines
    issue = _run([installed.bin / "zsreport", "issue", "--year", record["year"], "--quarter", record["quarter"]],
                 empty, installed.env)  # fmt: skip
    assert issue.returncode == 1 and "示例数据" in issue.stderr and "Traceback" not in issue.stderr
    assert not (empty / "archive" / folder.name).exists()  # nothing archived

    # the 纪要 meets every rule (the city bulletin's p9 is one of page.filled's open pages)
    minutes = next(folder / f"{d['slug']}.pdf" for d in documents if "纪要" in d["slug"])
    conform = _run([installed.bin / "zsreport", "conform", minutes], empty, installed.env)
    assert conform.returncode == 0 and "Traceback" not in conform.stderr, conform.stdout[-3000:]
    assert minutes.name in conform.stdout and "全部合格" in conform.stdout
    _readme_transcript_holds(build.stdout, conform.stdout)


def _readme_transcript_holds(build: str, conform: str) -> None:
    """The README's transcript of these commands says what they print: each document's page
    count it shows, the documents and files built, the measurements conform makes."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.findall(r"^  \[\d+/\d+\] (\S+)  (\d+) 页", readme, re.M)
    built = dict(re.findall(r"^  \[\d+/\d+\] (\S+)  (\d+) 页", build, re.M))
    assert len(shown) >= 3 and all(built.get(slug) == pages for slug, pages in shown), (shown, built)
    said = re.search(r"已生成 (\d+) 份公文、(\d+) 个文件", readme)
    assert said and said.groups() == re.search(r"已生成 (\d+) 份公文、(\d+) 个文件", build).groups()
    assert re.findall(r"：(\d+) 项测量，全部合格", readme) == re.findall(r"：(\d+) 项测量，全部合格", conform)
