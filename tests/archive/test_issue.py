"""``issue`` archives exactly the set that was built, as one transaction."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from zsreport import PROJECT_ROOT
from zsreport.archive import Archive, ArchiveError, sha256_of

NOW = dt.datetime(2021, 1, 12, 9, 0, tzinfo=dt.UTC)


def quarter(out: Path) -> Path:
    return out / "2020Q4"


def record(out: Path) -> dict:
    return json.loads((quarter(out) / "build.json").read_text(encoding="utf-8"))


def test_issue_keeps_read_only_copies_with_checksums(fresh, tmp_path: Path) -> None:
    _data, out = fresh
    archive = Archive(tmp_path / "archive")
    added = archive.issue(quarter(out), NOW)
    built = record(out)
    assert sorted(a.name for a in added) == sorted(f for d in built["documents"] for f in d["files"])
    folder = archive.quarter_dir(2020, 4)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    for entry in manifest["files"]:
        path = folder / entry["name"]
        assert path.stat().st_mode & 0o777 == 0o444
        assert entry["sha256"] == sha256_of(path)
        assert entry["source_sha256"] == built["files"][entry["source_name"]]
    city = next(e for e in manifest["files"] if e["name"].endswith("01-全市招商引资工作通报.pdf"))
    assert city["doc_number"] == "邵承办发〔2021〕1号"
    assert archive.verdict().exit_code == 0


def test_issuing_the_same_set_again_changes_nothing(fresh, tmp_path: Path) -> None:
    _data, out = fresh
    archive = Archive(tmp_path / "archive")
    archive.issue(quarter(out), NOW)
    manifest = (archive.quarter_dir(2020, 4) / "manifest.json").read_bytes()
    assert archive.issue(quarter(out), NOW) == []
    assert (archive.quarter_dir(2020, 4) / "manifest.json").read_bytes() == manifest


def test_a_correction_is_a_new_revision_beside_the_old(fresh, redated_set, tmp_path: Path) -> None:
    from tests.mini import rebuilt_as

    data, out = fresh
    archive = Archive(tmp_path / "archive")
    archive.issue(quarter(out), NOW)
    first = {p.name: sha256_of(p) for p in archive.quarter_dir(2020, 4).iterdir()}
    rebuilt_as(data, out, redated_set)  # 成文日期 corrected, the set rebuilt
    archive.issue(quarter(out), NOW)
    now = {p.name: sha256_of(p) for p in archive.quarter_dir(2020, 4).iterdir()}
    assert any(".r2." in name for name in now), "the corrected documents are new revisions"
    assert all(now[name] == digest for name, digest in first.items() if name != "manifest.json"), (
        "the issued originals are untouched"
    )


def test_a_set_mixed_from_two_builds_is_refused(fresh, tmp_path: Path) -> None:
    _data, out = fresh
    _city, pdf, other = sorted(quarter(out).glob("*.pdf"))
    os.replace(other, pdf)  # one document's file replaced by another's, as a half-finished copy would
    archive = Archive(tmp_path / "archive")
    with pytest.raises(ArchiveError, match="不是一次完整生成的文件"):
        archive.issue(quarter(out), NOW)
    assert not (tmp_path / "archive" / "2020Q4").exists()


def test_a_printed_number_that_differs_from_the_record_is_refused(fresh, tmp_path: Path) -> None:
    _data, out = fresh
    built = record(out)
    built["documents"][0]["doc_number"] = "邵承办发〔2021〕13号"
    (quarter(out) / "build.json").write_text(json.dumps(built, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(
        ArchiveError, match=r"版头印的发文字号是 邵承办发〔2021〕1号，生成记录中是 邵承办发〔2021〕13号"
    ):
        Archive(tmp_path / "archive").issue(quarter(out), NOW)


def test_a_stale_build_is_refused_naming_the_changed_input(fresh, tmp_path: Path) -> None:
    data, out = fresh
    issuance = data / "2020" / "2020Q4" / "发文.toml"
    issuance.write_text(issuance.read_text(encoding="utf-8") + "\n# 改过\n", encoding="utf-8")
    with pytest.raises(ArchiveError, match=r"2020/2020Q4/发文.toml（生成之后被修改过）"):
        Archive(tmp_path / "archive").issue(quarter(out), NOW, data_dir=data)


def test_a_doc_number_is_never_given_to_a_second_document(fresh, tmp_path: Path) -> None:
    _data, out = fresh
    archive = Archive(tmp_path / "archive")
    archive.issue(quarter(out), NOW)
    built = record(out)
    other = tmp_path / "other" / "2020Q4"
    shutil.copytree(quarter(out), other)
    built["documents"][0]["slug"] = "2020Q4-01-另一份通报"
    (other / "build.json").write_text(json.dumps(built, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ArchiveError, match="发文字号重复"):
        archive.issue(other, NOW)
    assert archive.next_number("邵承办发", 2021) == 1 + max(
        int(d["doc_number"].split("〕")[1][:-1]) for d in built["documents"] if d["doc_number"]
    )


def _issue_in_process(args: tuple[str, str]) -> str:
    root, out = args
    try:
        return f"added {len(Archive(Path(root)).issue(Path(out)))}"
    except ArchiveError as exc:
        return f"refused {exc}"


def test_two_issues_at_once_archive_the_set_once(fresh, tmp_path: Path) -> None:
    _data, out = fresh
    root = tmp_path / "archive"
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        outcomes = sorted(pool.map(_issue_in_process, [(str(root), str(quarter(out)))] * 2))
    assert outcomes[0] == "added 0" and outcomes[1].startswith("added ") and outcomes[1] != "added 0"
    assert Archive(root).verdict().exit_code == 0


def _issue_process(root: Path, out: Path, fault: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "ZSREPORT_FAULT"}
    if fault:
        env["ZSREPORT_FAULT"] = fault
    code = "import sys; from pathlib import Path; from zsreport.archive import Archive; Archive(Path(sys.argv[1])).issue(Path(sys.argv[2]))"
    return subprocess.run([sys.executable, "-c", code, str(root), str(out)], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=600)  # fmt: skip


ISSUE_FAULTS = ["issue-stage:1", "issue-stage:4", "issue-prepared:1", "issue-committed:1", "issue-file:3"]


@pytest.mark.parametrize("fault", ISSUE_FAULTS)
def test_a_killed_issue_is_completed_or_rolled_back(fresh, tmp_path: Path, fault: str) -> None:
    _data, out = fresh
    root = tmp_path / "archive"
    killed = _issue_process(root, quarter(out), fault)
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-2000:]
    verdict = Archive(root).verdict()
    assert verdict.exit_code == 1 and any("中断" in f for f in verdict.findings), verdict.all()
    again = _issue_process(root, quarter(out), None)
    assert again.returncode == 0, again.stderr[-2000:]
    assert Archive(root).verdict().exit_code == 0
    manifest = json.loads((root / "2020Q4" / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(e["source_name"] for e in manifest["files"]) == sorted(
        f for d in record(out)["documents"] for f in d["files"]
    ), "each file archived exactly once"


def test_without_its_own_configuration_the_shipped_one_is_recorded_and_embedded(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A data folder without office.toml and registry.toml builds with the shipped defaults; the
    build records them as inputs (by full path) and the archived PDF carries them, by name."""
    import pikepdf

    from tests.mini import build_mini
    from tests.shipped import shipped_data

    for name in ("office.toml", "registry.toml"):
        (data / name).unlink()
    out = tmp_path / "out"
    build_mini(data, out, monkeypatch)
    inputs = {Path(i["path"]).name: i for i in record(out)["inputs"]}
    for name in ("office.toml", "registry.toml"):
        assert Path(inputs[name]["path"]).is_absolute()
        assert inputs[name]["sha256"] == sha256_of(shipped_data() / name)
    archive = Archive(tmp_path / "archive")
    archive.issue(quarter(out), NOW)
    city = next(archive.quarter_dir(2020, 4).glob("*-01-*.pdf"))
    with pikepdf.open(city) as pdf:
        assert {"office.toml", "registry.toml"} <= set(pdf.attachments)
    assert archive.verdict().exit_code == 0
