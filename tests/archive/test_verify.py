"""``verify`` calls the archive intact only when it is: every way of tampering is caught."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from zsreport.archive import Archive
from zsreport.archive.manifest import manifest_bytes
from zsreport.cli import EXIT_INPUT_ERROR, main

NOW = dt.datetime(2021, 1, 12, 9, 0, tzinfo=dt.UTC)


def _writable(path: Path) -> Path:
    os.chmod(path, 0o644)
    return path


def _edit_manifest(archive: Archive, change: Callable[[dict], None]) -> None:
    path = _writable(archive.quarter_dir(2020, 4) / "manifest.json")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    change(manifest)
    path.write_bytes(manifest_bytes(manifest))


def _file_and_checksum_changed(archive: Archive) -> None:
    folder = archive.quarter_dir(2020, 4)
    entry_name = next(p.name for p in folder.glob("*.docx"))
    target = _writable(folder / entry_name)
    target.write_bytes(b"forged")
    from zsreport.atomic import sha256_file

    def forge(manifest: dict) -> None:
        for entry in manifest["files"]:
            if entry["name"] == entry_name:
                entry["sha256"] = sha256_file(target)

    _edit_manifest(archive, forge)


def _number_changed(archive: Archive) -> None:
    def renumber(manifest: dict) -> None:
        for entry in manifest["files"]:
            if entry["doc_number"] == "邵承办发〔2021〕1号":
                entry["doc_number"] = "邵承办发〔2021〕9号"

    _edit_manifest(archive, renumber)


TAMPERING: dict[str, Callable[[Archive], None]] = {
    "an extra PDF in the quarter": lambda a: (a.quarter_dir(2020, 4) / "extra.pdf").write_bytes(b"%PDF-1.7"),
    "a file changed": lambda a: _writable(next(a.quarter_dir(2020, 4).glob("*.pdf"))).write_bytes(b"x"),
    "a file deleted": lambda a: next(a.quarter_dir(2020, 4).glob("*.docx")).unlink(),
    "manifest.json deleted": lambda a: (a.quarter_dir(2020, 4) / "manifest.json").unlink(),
    "registry.sqlite deleted": lambda a: (a.root / "registry.sqlite").unlink(),
    "a file and its checksum changed in the manifest": _file_and_checksum_changed,
    "a 文号 changed in the manifest": _number_changed,
    "the whole quarter folder deleted": lambda a: shutil.rmtree(a.quarter_dir(2020, 4)),
    "a stray file in the archive": lambda a: (a.root / "notes.txt").write_text("x", encoding="utf-8"),
}


@pytest.mark.parametrize("how", sorted(TAMPERING))
def test_tampering_is_found(issued: Archive, how: str) -> None:
    TAMPERING[how](issued)
    verdict = issued.verdict()
    assert verdict.exit_code == 1, verdict.all()
    assert verdict.findings


@pytest.mark.parametrize("what", ["manifest.json", "registry.sqlite"])
def test_a_corrupt_manifest_or_registry_is_reported_in_chinese_with_exit_2(
    issued: Archive, what, capsys
) -> None:
    target = issued.quarter_dir(2020, 4) / what if what == "manifest.json" else issued.root / what
    _writable(target).write_bytes(b"{not json or sqlite")
    assert main(["verify", "--archive", str(issued.root)]) == 2
    err = capsys.readouterr().err
    assert "已损坏" in err and "Traceback" not in err


def test_verify_exit_codes_from_the_command_line(issued: Archive, capsys) -> None:
    assert main(["verify", "--archive", str(issued.root)]) == 0
    (issued.quarter_dir(2020, 4) / "extra.pdf").write_bytes(b"%PDF")
    assert main(["verify", "--archive", str(issued.root)]) == 1
    assert "extra.pdf：不在归档清单中" in capsys.readouterr().err
    assert main(["verify", "--archive", str(issued.root / "nowhere")]) == 2


def test_a_lost_registry_is_rebuilt_only_on_request(issued: Archive, capsys) -> None:
    (issued.root / "registry.sqlite").unlink()
    assert main(["verify", "--archive", str(issued.root)]) == 1
    assert "rebuild-registry" in capsys.readouterr().err
    assert main(["archive", "rebuild-registry", "--archive", str(issued.root)]) == 0
    assert main(["verify", "--archive", str(issued.root)]) == 0
    assert main(["archive", "rebuild-registry", "--archive", str(issued.root)]) == EXIT_INPUT_ERROR, (
        "no overwrite"
    )


def test_next_number_is_a_real_command(issued: Archive, capsys) -> None:
    manifest = json.loads((issued.quarter_dir(2020, 4) / "manifest.json").read_text(encoding="utf-8"))
    prefix = "邵承办发〔2021〕"
    serials = [
        int(e["doc_number"][len(prefix) : -1])
        for e in manifest["files"]
        if e["doc_number"].startswith(prefix)
    ]
    assert main(["archive", "next-number", "--year", "2021", "--archive", str(issued.root)]) == 0
    assert capsys.readouterr().out.strip() == f"邵承办发〔2021〕{max(serials) + 1}号"
    assert main(["archive", "next-number", "--year", "2022", "--archive", str(issued.root)]) == 0
    assert capsys.readouterr().out.strip() == "邵承办发〔2022〕1号"
