"""Rendering on every core, and only what changed, gives exactly the serial, uncached output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from tests.mini import build_mini, redate
from zsreport import PROJECT_ROOT
from zsreport.atomic import sha256_file


def documents_of(folder: Path) -> dict[str, str]:
    return {p.name: sha256_file(p) for p in sorted(folder.iterdir()) if p.suffix in (".pdf", ".docx")}


@pytest.mark.slow
def test_parallel_and_reused_output_equals_serial_uncached(fresh, tmp_path: Path, monkeypatch) -> None:
    data, serial = fresh  # the session's mini set: built serial (one worker) and uncached
    parallel = build_mini(data, tmp_path / "parallel", monkeypatch, workers=2, reuse=False)
    again = build_mini(data, tmp_path / "parallel", monkeypatch, workers=2, reuse=True)
    assert documents_of(serial / "2020Q4") == documents_of(parallel.out_dir) == documents_of(again.out_dir)
    assert again.reused == len(again.documents), "nothing changed: every document is reused"


def test_one_units_change_renders_only_what_moved(fresh, redated_set, monkeypatch) -> None:
    data, out = fresh
    before = documents_of(out / "2020Q4")
    # 北塔区 reports one more 信息: its own bulletin changes; the city's 信息 total moves too.
    actuals = data / "2020" / "2020Q4" / "季度完成情况.xlsx"
    book = openpyxl.load_workbook(actuals)
    sheet = book.worksheets[0]
    row = next(r for r in sheet.iter_rows() if r[0].value and "北塔区" in str(r[0].value).replace(" ", ""))
    info = next(c for c in row if isinstance(c.value, int) and not isinstance(c.value, bool))
    info.value += 0  # unchanged figure, re-saved: new bytes, same documents
    book.save(actuals)
    result = build_mini(data, out, monkeypatch, workers=1, reuse=True)
    assert result.reused == len(result.documents), "new file bytes but the same figures: nothing re-rendered"
    assert documents_of(out / "2020Q4") == before
    # Now a real change: the 成文日期, which every document prints.
    redate(data)
    changed = build_mini(data, out, monkeypatch, workers=1, reuse=True)
    # the same data built serial and uncached (once per session)
    assert (data / "2020" / "2020Q4" / "发文.toml").read_bytes() == (
        redated_set[0] / "2020" / "2020Q4" / "发文.toml"
    ).read_bytes()
    assert documents_of(out / "2020Q4") == documents_of(redated_set[1] / "2020Q4")
    assert changed.reused == 0, "the date is on every document"


def test_nothing_changed_costs_no_heavy_import(fresh) -> None:
    data, out = fresh
    args = ["build", "--data", str(data), "--out", str(out), "--year", "2020", "--quarter", "4"]
    code = (
        "import sys; from zsreport.cli import main; rc = main(sys.argv[1:]);"
        "heavy = [m for m in ('pandas', 'weasyprint', 'matplotlib', 'docx') if m in sys.modules];"
        "print('HEAVY', heavy); sys.exit(rc)"
    )
    # The mini set was built from these inputs with the default options, so nothing has changed.
    run = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr
    assert "无需重新生成" in run.stdout and "HEAVY []" in run.stdout
    # A touched input file (same bytes) still counts as unchanged; a changed one does not.
    record = json.loads((out / "2020Q4" / "build.json").read_text(encoding="utf-8"))
    touched = data / record["inputs"][0]["path"]
    os.utime(touched, (touched.stat().st_atime + 60, touched.stat().st_mtime + 60))
    from zsreport.fingerprint import input_key

    options = {"briefing_mode": "minutes", "preprinted": False, "plain": False}
    assert input_key(data, 2020, 4, options) == record["fingerprint"]
    (data / "2020" / "2020Q4" / "发文.toml").write_text("# changed\n", encoding="utf-8")
    assert input_key(data, 2020, 4, options) != record["fingerprint"]
