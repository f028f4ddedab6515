"""The issue chain and its receipt: a manifest and a registry rewritten together, consistently,
pass every check inside the archive; only a head kept outside it catches them."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.archive.test_verify_faults import snapshot, zsreport
from zsreport.archive import chain
from zsreport.archive.manifest import digest_of, manifest_bytes
from zsreport.atomic import sha256_file

HEAD = re.compile(r"链头 ([0-9a-f]{64})")


def issue(out: Path, archive: Path) -> subprocess.CompletedProcess:
    run = zsreport("issue", "--year", "2020", "--quarter", "4", "--out", out, "--archive", archive)
    assert run.returncode == 0, run.stderr
    return run


@pytest.fixture
def issued(fresh, tmp_path: Path) -> tuple[Path, Path, str]:
    """(out, archive, head printed) after one real ``zsreport issue``."""
    _data, out = fresh
    archive = tmp_path / "archive"
    run = issue(out, archive)
    head = HEAD.search(run.stdout).group(1)
    return out, archive, head


def forge(archive: Path, recompute_chain: bool) -> None:
    """Replace an archived PDF's bytes, fix its checksum in the manifest and the manifest's checksum
    in the registry, as a careful forger would; ``recompute_chain``: and every link after it."""
    folder = archive / "2020Q4"
    pdf = next(folder.glob("*-01-*.pdf"))
    os.chmod(pdf, 0o644)
    pdf.write_bytes(b"%PDF-1.7 forged")
    os.chmod(pdf, 0o444)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["files"]:
        if entry["name"] == pdf.name:
            entry["sha256"] = sha256_file(pdf)
    (folder / "manifest.json").write_bytes(manifest_bytes(manifest))
    with sqlite3.connect(archive / "registry.sqlite") as db:
        db.execute("UPDATE manifests SET sha256 = ?", (digest_of(manifest_bytes(manifest)),))
        if not recompute_chain:
            return
        prev = chain.GENESIS
        for seq, txid, quarter in db.execute("SELECT seq, txid, quarter FROM chain ORDER BY seq").fetchall():
            numbers = db.execute(
                "SELECT doc_number, slug FROM doc_numbers WHERE txid = ?", (txid,)
            ).fetchall()
            head = chain.link_head(prev, txid, quarter, chain.issue_material(manifest, txid), numbers)
            db.execute("UPDATE chain SET prev = ?, head = ? WHERE seq = ?", (prev, head, seq))
            prev = head


def test_issue_prints_the_head_and_writes_a_receipt_that_verifies(issued) -> None:
    out, archive, head = issued
    receipt = out / "2020Q4-归档回执.txt"
    assert f"链头：{head}" in receipt.read_text(encoding="utf-8")
    run = zsreport("verify", "--archive", archive, "--receipt", receipt)
    assert run.returncode == 0, run.stderr
    assert "在防伪链中，回执之前的归档未被改写" in run.stdout


def test_a_consistent_forgery_passes_inside_the_archive_but_not_against_the_receipt(issued) -> None:
    out, archive, head = issued
    forge(archive, recompute_chain=True)
    alone = zsreport("verify", "--archive", archive)
    assert alone.returncode == 0, "what the chain cannot prove alone: " + alone.stderr
    before = snapshot(archive)
    for proof in (["--receipt", out / "2020Q4-归档回执.txt"], ["--head", head]):
        run = zsreport("verify", "--archive", archive, *proof)
        assert run.returncode == 1, run.stdout
        assert f"回执链头 {head} 不在本归档的防伪链中" in run.stderr and "Traceback" not in run.stderr
    assert snapshot(archive) == before


def test_a_forgery_that_leaves_the_chain_is_caught_without_a_receipt(issued) -> None:
    _out, archive, _head = issued
    forge(archive, recompute_chain=False)
    run = zsreport("verify", "--archive", archive)
    assert run.returncode == 1
    assert "防伪链第 1 环（2020Q4" in run.stderr and "被改写过" in run.stderr


def test_a_receipt_that_is_not_one_is_refused(issued, tmp_path: Path) -> None:
    _out, archive, _head = issued
    junk = tmp_path / "回执.txt"
    junk.write_text("没有链头", encoding="utf-8")
    run = zsreport("verify", "--archive", archive, "--receipt", junk)
    assert run.returncode == 2 and "不是归档回执" in run.stderr
    run = zsreport("verify", "--archive", archive, "--head", "12ab")
    assert run.returncode == 2 and "不是链头" in run.stderr


def test_an_archive_from_before_the_chain_is_chained_on_its_next_issue(
    fresh, redated_set, tmp_path: Path
) -> None:
    from tests.mini import rebuilt_as

    data, out = fresh
    archive = tmp_path / "archive"
    issue(out, archive)
    with sqlite3.connect(archive / "registry.sqlite") as db:
        db.execute("DROP TABLE chain")  # the registry as versions before the chain wrote it
    old = zsreport("verify", "--archive", archive)
    assert old.returncode == 0 and "尚无防伪链" in old.stdout
    rebuilt_as(data, out, redated_set)  # 成文日期 corrected, the set rebuilt
    run = issue(out, archive)
    assert "已为此前的 1 次归档补建防伪链" in run.stdout and "防伪链第 2 环" in run.stdout
    receipt = out / "2020Q4-归档回执.txt"
    assert zsreport("verify", "--archive", archive, "--receipt", receipt).returncode == 0


def test_a_rebuilt_registry_gives_the_same_chain(issued) -> None:
    _out, archive, head = issued
    (archive / "registry.sqlite").unlink()
    assert zsreport("archive", "rebuild-registry", "--archive", archive).returncode == 0
    run = zsreport("verify", "--archive", archive, "--head", head)
    assert run.returncode == 0, run.stderr
