import datetime as dt
import json
import multiprocessing
import os
from pathlib import Path

import pytest

from zsreport.archive.store import Archive, ArchiveError, sha256_of
from zsreport.build import BUILD_RECORD

NOW = dt.datetime(2021, 1, 12, 9, 0, tzinfo=dt.UTC)


def fake_build(out_dir: Path, numbers: dict[str, str], content: str = "v1") -> Path:
    """An out/<year>Q<q>/ folder as `build` leaves it: build.json plus each document's PDF and DOCX."""
    quarter = out_dir / "2020Q4"
    quarter.mkdir(parents=True, exist_ok=True)
    documents = []
    for slug, number in numbers.items():
        for suffix in (".pdf", ".docx"):
            (quarter / f"{slug}{suffix}").write_text(f"{slug}{suffix}:{content}", encoding="utf-8")
        documents.append(
            {"slug": slug, "kind": "city", "unit": "", "title": slug, "doc_number": number,
             "files": [f"{slug}.pdf", f"{slug}.docx"]}
        )  # fmt: skip
    record = {
        "year": 2020,
        "quarter": 4,
        "inputs": [{"path": "2020/x.xlsx", "sha256": "ab" * 32}],
        "documents": documents,
    }
    (quarter / BUILD_RECORD).write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return quarter


def test_issue_keeps_read_only_copies_with_checksums(tmp_path: Path) -> None:
    built = fake_build(tmp_path / "out", {"city": "邵承办发〔2021〕1号"})
    archive = Archive(tmp_path / "archive")
    added = archive.issue(built, NOW)
    assert sorted(a.name for a in added) == ["city.docx", "city.pdf"]
    folder = archive.quarter_dir(2020, 4)
    assert not os.access(folder / "city.pdf", os.W_OK) or os.geteuid() == 0
    assert (folder / "city.pdf").stat().st_mode & 0o777 == 0o444
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    entry = next(e for e in manifest["files"] if e["name"] == "city.pdf")
    assert entry["sha256"] == sha256_of(built / "city.pdf") and entry["doc_number"] == "邵承办发〔2021〕1号"
    assert manifest["issues"][0]["inputs"][0]["sha256"] == "ab" * 32


def test_issuing_the_same_bytes_again_changes_nothing(tmp_path: Path) -> None:
    built = fake_build(tmp_path / "out", {"city": "邵承办发〔2021〕1号"})
    archive = Archive(tmp_path / "archive")
    archive.issue(built, NOW)
    assert archive.issue(built, NOW) == []


def test_a_correction_is_a_new_revision_beside_the_old(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive")
    archive.issue(fake_build(tmp_path / "out", {"city": "邵承办发〔2021〕1号"}, "v1"), NOW)
    added = archive.issue(fake_build(tmp_path / "out", {"city": "邵承办发〔2021〕1号"}, "v2"), NOW)
    folder = archive.quarter_dir(2020, 4)
    assert sorted(a.name for a in added) == ["city.r2.docx", "city.r2.pdf"]
    assert (folder / "city.pdf").read_text(encoding="utf-8").endswith("v1"), (
        "the issued original is untouched"
    )
    assert (folder / "city.r2.pdf").read_text(encoding="utf-8").endswith("v2")


def test_a_doc_number_is_never_given_to_a_second_document(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive")
    archive.issue(fake_build(tmp_path / "a", {"city": "邵承办发〔2021〕1号"}), NOW)
    with pytest.raises(ArchiveError, match="发文字号重复"):
        archive.issue(fake_build(tmp_path / "b", {"unit": "邵承办发〔2021〕1号"}), NOW)
    assert not (archive.quarter_dir(2020, 4) / "unit.pdf").exists(), "a refused issue writes nothing"
    assert archive.next_number("邵承办发", 2021) == 2


def _issue_in_process(args: tuple[str, str, str]) -> str:
    archive_root, out_root, slug = args
    try:
        Archive(Path(archive_root)).issue(fake_build(Path(out_root), {slug: "邵承办发〔2021〕7号"}))
        return "issued"
    except ArchiveError:
        return "refused"


def test_two_concurrent_runs_cannot_both_take_a_number(tmp_path: Path) -> None:
    jobs = [(str(tmp_path / "archive"), str(tmp_path / f"out{i}"), f"doc{i}") for i in range(2)]
    with multiprocessing.get_context("fork").Pool(2) as pool:
        outcomes = sorted(pool.map(_issue_in_process, jobs))
    assert outcomes == ["issued", "refused"]


def test_verify_finds_a_silently_changed_file(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive")
    archive.issue(fake_build(tmp_path / "out", {"city": "邵承办发〔2021〕1号"}), NOW)
    assert archive.verify() == []
    tampered = archive.quarter_dir(2020, 4) / "city.pdf"
    os.chmod(tampered, 0o644)
    tampered.write_text("changed", encoding="utf-8")
    (problem,) = archive.verify()
    assert "city.pdf" in problem and "不一致" in problem


def test_issue_needs_a_build_first(tmp_path: Path) -> None:
    with pytest.raises(ArchiveError, match="make bulletin"):
        Archive(tmp_path / "archive").issue(tmp_path / "nothing")


def test_the_real_quarter_set_is_archived_whole(built, tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive")
    added = archive.issue(built.out_dir)
    assert len(added) == 2 * len(built.documents)
    assert archive.next_number("邵承办发", 2021) == 1 + max(
        int(d.letterhead.doc_number.split("〕")[1][:-1])
        for d in built.documents
        if d.letterhead and "发" in d.letterhead.doc_number
    )
