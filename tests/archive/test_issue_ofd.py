"""issue and verify cover the OFD: archived beside the PDF/A, in the manifest and the registry,
checked against the 文号 it names, and caught when changed."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from zsreport.archive import Archive, ArchiveError, sha256_of

NOW = dt.datetime(2021, 1, 12, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def ofd_set(mini_ofd_set) -> tuple[Path, Path]:
    """The mini set built with ``build --ofd`` (once per session, tests/mini.py)."""
    data, out, done = mini_ofd_set
    assert done.returncode == 0, done.stderr
    return data, out


@pytest.fixture
def fresh_ofd(ofd_set: tuple[Path, Path], tmp_path: Path) -> Path:
    data, out = ofd_set
    shutil.copytree(data, tmp_path / "data")
    shutil.copytree(out, tmp_path / "out")
    return tmp_path / "out" / "2020Q4"


def _rewrite_ofd_number(path: Path, number: str) -> None:
    """The OFD's DocInfo made to name another 文号 (the rest of the package unchanged)."""
    with zipfile.ZipFile(path) as package:
        files = {info.filename: package.read(info) for info in package.infolist()}
    xml = files["OFD.xml"].decode()
    start = xml.index('<ofd:CustomData Name="发文字号">') + len('<ofd:CustomData Name="发文字号">')
    end = xml.index("</ofd:CustomData>", start)
    files["OFD.xml"] = (xml[:start] + number + xml[end:]).encode()
    os.chmod(path, 0o644)
    with zipfile.ZipFile(path, "w") as package:
        for name, data in files.items():
            package.writestr(name, data)


def test_issue_archives_each_ofd_with_its_pdf(fresh_ofd: Path, tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive")
    archive.issue(fresh_ofd, NOW)
    folder = archive.quarter_dir(2020, 4)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    ofds = [e for e in manifest["files"] if e["name"].endswith(".ofd")]
    pdfs = [e for e in manifest["files"] if e["name"].endswith(".pdf")]
    assert ofds and len(ofds) == len(pdfs)
    city = next(e for e in ofds if "01-全市" in e["name"])
    assert city["doc_number"] == "邵承办发〔2021〕1号"
    assert city["sha256"] == sha256_of(folder / city["name"])
    assert archive.verdict().exit_code == 0


def test_issue_refuses_an_ofd_naming_another_number(fresh_ofd: Path, tmp_path: Path) -> None:
    record_path = fresh_ofd / "build.json"
    record = json.loads(record_path.read_text(encoding="utf-8"))
    city = next(n for n in record["files"] if n.endswith(".ofd") and "01-全市" in n)
    _rewrite_ofd_number(fresh_ofd / city, "邵承办发〔2021〕9号")
    record["files"][city] = sha256_of(fresh_ofd / city)  # the build record agrees: only the OFD is wrong
    record_path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    archive = Archive(tmp_path / "archive")
    with pytest.raises(ArchiveError, match="记载的发文字号是 邵承办发〔2021〕9号"):
        archive.issue(fresh_ofd, NOW)
    assert not archive.quarter_dir(2020, 4).exists()


def test_verify_catches_a_changed_archived_ofd(fresh_ofd: Path, tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive")
    archive.issue(fresh_ofd, NOW)
    folder = archive.quarter_dir(2020, 4)
    city = next(folder.glob("*01-全市*.ofd"))
    _rewrite_ofd_number(city, "邵承办发〔2021〕9号")
    os.chmod(city, 0o444)
    verdict = archive.verdict()
    assert verdict.exit_code == 1
    assert any(city.name in finding and "不一致" in finding for finding in verdict.all())


def test_a_document_reused_from_the_last_set_keeps_its_ofd(
    ofd_set: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.mini import build_mini

    data, out = ofd_set
    shutil.copytree(out, tmp_path / "out")
    result = build_mini(data, tmp_path / "out", monkeypatch, ofd=True)
    assert result.reused == len(result.documents)
    folder = tmp_path / "out" / "2020Q4"
    assert sorted(p.stem for p in folder.glob("*.ofd")) == sorted(p.stem for p in folder.glob("*.pdf"))
    for name in (p.name for p in folder.glob("*.ofd")):
        assert (folder / name).read_bytes() == (out / "2020Q4" / name).read_bytes()
