"""A 文号 is issued once: an issued quarter is never issued again under new numbers, and no
序号 of a set passes 999. Each case runs the real command against a real archive."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from tests.archive.test_verify_faults import snapshot, zsreport
from zsreport.archive import Archive

NOW = dt.datetime(2021, 1, 12, 9, 0, tzinfo=dt.UTC)


def set_first_number(data: Path, number: int) -> None:
    path = data / "2020" / "2020Q4" / "发文.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"(?m)^first_number = \d+", f"first_number = {number}", text), encoding="utf-8")


@pytest.fixture
def issued(fresh, tmp_path: Path) -> tuple[Path, Path, Archive]:
    data, out = fresh
    archive = Archive(tmp_path / "archive")
    archive.issue(out / "2020Q4", NOW)
    return data, out, archive


def test_an_issued_quarter_is_not_issued_again_under_new_numbers(
    issued, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.mini import build_mini

    data, _out, archive = issued
    before = snapshot(archive.root)
    set_first_number(data, 20)
    where = ["--data", data, "--year", "2020", "--quarter", "4", "--archive", archive.root]
    for command in (["check"], ["build", "--out", tmp_path / "out2"]):
        run = zsreport(*command, *where)
        assert run.returncode == 1, run.stdout + run.stderr
        err = run.stderr.replace("\n", "").replace(" ", "")
        assert "本季度公文已经印发归档，这次换了发文字号" in err, run.stderr
        assert (
            "“2020Q4-01-全市招商引资工作通报”已以邵承办发〔2021〕1号印发，这次编为邵承办发〔2021〕20号" in err
        )
        assert "first_number改回1" in err and "更正通知，作为新的公文使用新的发文字号" in err
        assert "Traceback" not in run.stderr
    assert not (tmp_path / "out2" / "2020Q4").exists()
    # A set renumbered behind the archive's back (built against no archive) is refused at issue.
    build_mini(data, tmp_path / "out3", monkeypatch)
    run = zsreport(
        "issue", "--year", "2020", "--quarter", "4", "--out", tmp_path / "out3", "--archive", archive.root
    )
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert (
        "不能换号重发" in run.stderr
        and "已以 邵承办发〔2021〕1号 印发，这次却编为 邵承办发〔2021〕20号" in run.stderr
    )
    assert snapshot(archive.root) == before, "nothing archived, no 文号 registered"
    assert zsreport("verify", "--archive", archive.root).returncode == 0


def test_a_set_whose_numbers_pass_999_is_refused(data: Path, tmp_path: Path) -> None:
    where = ["--data", data, "--year", "2020", "--quarter", "4", "--archive", tmp_path / "archive"]
    listed = zsreport("check", *where)
    assert listed.returncode == 0, listed.stderr
    count = len(re.findall(r"邵承办发〔2021〕\d+号", listed.stdout))
    set_first_number(data, 999 - count + 2)  # the last document would be 1000号
    run = zsreport("check", *where)
    assert run.returncode == 1, run.stdout
    err = run.stderr.replace("\n", "").replace(" ", "")
    assert "序号超过999（如邵承办发〔2021〕1000号）" in err, run.stderr
    assert f"first_number最大只能填{999 - count + 1}" in err
    set_first_number(data, 999 - count + 1)
    assert zsreport("check", *where).returncode == 0
