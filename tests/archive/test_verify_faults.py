"""``verify`` against an attacker: registry rows edited with sqlite3, a file made writable, a PDF
swapped for a symlink, a junk journal. Each runs the real command and checks that ``verify`` said
what it found, in Chinese, and changed nothing of what it checked."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from zsreport import PROJECT_ROOT
from zsreport.archive import Archive

NOW = dt.datetime(2021, 1, 12, 9, 0, tzinfo=dt.UTC)


def zsreport(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The real command, in a child process, with this checkout first on the path."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    env.pop("ZSREPORT_FAULT", None)
    return subprocess.run(
        [sys.executable, "-m", "zsreport", *map(str, args)],
        cwd=cwd or PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def snapshot(root: Path) -> dict[str, tuple]:
    """Every entry under ``root`` as lstat sees it: kind, mode, size, mtime, and a file's bytes."""
    seen = {}
    for path in sorted(root.rglob("*")):
        st = path.lstat()
        data = path.read_bytes() if path.is_file() and not path.is_symlink() else None
        seen[str(path.relative_to(root))] = (st.st_mode, st.st_size, st.st_mtime_ns, data)
    return seen


def sql(archive: Archive, *statements: str) -> None:
    with sqlite3.connect(archive.root / "registry.sqlite") as db:
        for statement in statements:
            db.execute(statement)


def _number_given_to_another_document(archive: Archive) -> None:
    sql(
        archive,
        "UPDATE doc_numbers SET slug = '2020Q4-11-伪造的公文' WHERE doc_number = '邵承办发〔2021〕1号'",
    )


def _rows_for_a_quarter_never_archived(archive: Archive) -> None:
    sql(
        archive,
        "INSERT INTO doc_numbers VALUES ('邵承办发〔2021〕40号', '2021Q1-01-x', '2021Q1', '2021-04-01', 'made-up')",
        "INSERT INTO transactions VALUES ('made-up', '2021Q1', '2021-04-01')",
    )


def _journal_beside_the_registry(archive: Archive) -> None:
    (archive.root / "registry.sqlite-journal").write_bytes(b"junk that is not a journal" * 40)


def _pdf(archive: Archive) -> Path:
    return next(archive.quarter_dir(2020, 4).glob("*-01-*.pdf"))


def _pdf_swapped_for_a_symlink(archive: Archive) -> None:
    pdf = _pdf(archive)
    copy = archive.root.parent / "elsewhere" / pdf.name
    copy.parent.mkdir()
    shutil.copy2(pdf, copy)
    pdf.unlink()
    pdf.symlink_to(copy)


# what is done → the words the finding must contain
ATTACKS: dict[str, tuple[Callable[[Archive], None], str]] = {
    "a registry row gives a 文号 to another document": (
        _number_given_to_another_document,
        "登记库中 邵承办发〔2021〕1号 登记给“2020Q4-11-伪造的公文”",
    ),
    "registry rows made up for a quarter never archived": (
        _rows_for_a_quarter_never_archived,
        "登记库中有 2021Q1 的文号 邵承办发〔2021〕40号，但归档中没有该季度",
    ),
    "the transactions table emptied": (
        lambda a: sql(a, "DELETE FROM transactions"),
        "在登记库的事务表中没有记录（事务表被删改过）",
    ),
    "an archived file made writable": (lambda a: os.chmod(_pdf(a), 0o666), "归档文件应为只读，现在可写"),
    "an archived PDF swapped for a symlink to a copy": (
        _pdf_swapped_for_a_symlink,
        "归档文件被换成了符号链接",
    ),
    "a junk journal beside the registry": (_journal_beside_the_registry, "文号登记库旁有 SQLite 日志文件"),
}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_verify_finds_it_and_changes_nothing(issued: Archive, attack: str) -> None:
    do, words = ATTACKS[attack]
    do(issued)
    before = snapshot(issued.root)
    run = zsreport("verify", "--archive", issued.root)
    assert run.returncode == 1, run.stdout + run.stderr
    assert words in run.stderr, run.stderr
    assert "Traceback" not in run.stderr and "发现" in run.stdout
    assert snapshot(issued.root) == before, "verify changed what it checked"


def test_a_dropped_table_is_reported_and_not_recreated(issued: Archive) -> None:
    sql(issued, "DROP TABLE manifests")
    before = snapshot(issued.root)
    run = zsreport("verify", "--archive", issued.root)
    assert run.returncode == 2, run.stderr
    assert "缺少数据表 manifests" in run.stderr and "Traceback" not in run.stderr
    assert snapshot(issued.root) == before
    with sqlite3.connect(issued.root / "registry.sqlite") as db:
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
    assert "manifests" not in tables


def test_next_number_refuses_to_count_past_made_up_rows(issued: Archive) -> None:
    manifest = (issued.quarter_dir(2020, 4) / "manifest.json").read_text(encoding="utf-8")
    last = max(int(n) for n in re.findall(r"邵承办发〔2021〕(\d+)号", manifest))
    run = zsreport("archive", "next-number", "--year", "2021", "--archive", issued.root)
    assert run.stdout.strip() == f"邵承办发〔2021〕{last + 1}号", run.stderr
    _rows_for_a_quarter_never_archived(issued)
    run = zsreport("archive", "next-number", "--year", "2021", "--archive", issued.root)
    assert run.returncode == 1 and run.stdout == ""
    assert "不属于任何已归档的季度：邵承办发〔2021〕40号（2021Q1）" in run.stderr
    assert "Traceback" not in run.stderr


def test_a_junk_journal_blocks_nothing_and_the_next_issue_clears_it(issued: Archive, fresh) -> None:
    _data, out = fresh
    _journal_beside_the_registry(issued)
    journal = issued.root / "registry.sqlite-journal"
    before = snapshot(issued.root)
    run = zsreport("archive", "next-number", "--year", "2021", "--archive", issued.root)
    assert run.returncode == 0 and run.stdout.strip().startswith("邵承办发〔2021〕"), run.stderr
    assert snapshot(issued.root) == before, "a read-only reader plays nothing back"
    run = zsreport("issue", "--year", "2020", "--quarter", "4", "--out", out, "--archive", issued.root)
    assert run.returncode == 0, run.stderr
    assert not journal.exists()
    assert zsreport("verify", "--archive", issued.root).returncode == 0


def test_a_quarter_folder_swapped_for_a_symlink_is_found(issued: Archive) -> None:
    folder = issued.quarter_dir(2020, 4)
    copy = issued.root.parent / "copy-2020Q4"
    shutil.copytree(folder, copy, symlinks=True)
    shutil.rmtree(folder)
    folder.symlink_to(copy)
    run = zsreport("verify", "--archive", issued.root)
    assert run.returncode == 1 and "季度文件夹是符号链接" in run.stderr, run.stderr
