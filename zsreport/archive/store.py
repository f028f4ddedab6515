"""The archive of issued documents: nothing issued is ever lost, overwritten or silently changed.

``archive/<year>Q<q>/`` holds each issued PDF and DOCX (read-only), and ``manifest.json`` lists
them with their 发文字号, checksums, the checksums of the input files they were made from and
the time of issue. Issuing the same bytes again changes nothing; issuing different bytes under a
name already archived stores a new revision beside the old one (``….r2.pdf``). ``registry.sqlite``
records every 发文字号 once: a number can never be given to a second document, even by two runs
at the same moment (SQLite's write lock serialises them).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from zsreport.atomic import atomic_path, write_text_atomic
from zsreport.build import BUILD_RECORD

MANIFEST = "manifest.json"
REGISTRY = "registry.sqlite"
READ_ONLY = 0o444


class ArchiveError(Exception):
    """Issuing would lose or change something already issued; nothing was written."""


@dataclass(frozen=True)
class IssuedFile:
    name: str  # file name inside the quarter's folder, e.g. "2020Q4-01-….r2.pdf"
    slug: str
    revision: int
    doc_number: str
    sha256: str


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _revision_name(file_name: str, revision: int) -> str:
    if revision == 1:
        return file_name
    stem, dot, suffix = file_name.rpartition(".")
    return f"{stem}.r{revision}{dot}{suffix}"


class Archive:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    # ------------------------------------------------------------ 发文字号 registry

    def _connect(self) -> sqlite3.Connection:
        self.root.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.root / REGISTRY, timeout=30, isolation_level=None)
        connection.execute(
            """CREATE TABLE IF NOT EXISTS doc_numbers (
                   doc_number TEXT PRIMARY KEY,
                   slug TEXT NOT NULL,
                   issued_at TEXT NOT NULL)"""
        )
        return connection

    def register_numbers(self, numbers: dict[str, str], issued_at: str) -> None:
        """Record 文号 → document slug; refuse (all or nothing) any number held by another document."""
        with closing(self._connect()) as db:
            db.execute("BEGIN IMMEDIATE")  # one writer at a time: two runs cannot both take a number
            try:
                conflicts = []
                for number, slug in numbers.items():
                    row = db.execute(
                        "SELECT slug FROM doc_numbers WHERE doc_number = ?", (number,)
                    ).fetchone()
                    if row and row[0] != slug:
                        conflicts.append(f"{number} 已用于“{row[0]}”，不能再用于“{slug}”")
                if conflicts:
                    raise ArchiveError(
                        "发文字号重复："
                        + "；".join(conflicts)
                        + "。请在发文.toml 中改用未使用的号（下一个可用号见 zsreport archive next-number）。"
                    )
                db.executemany(
                    "INSERT OR IGNORE INTO doc_numbers (doc_number, slug, issued_at) VALUES (?, ?, ?)",
                    [(number, slug, issued_at) for number, slug in numbers.items()],
                )
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise

    def next_number(self, prefix: str, year: int) -> int:
        """The first 序号 after every number issued under ``prefix〔year〕``."""
        with closing(self._connect()) as db:
            rows = db.execute(
                "SELECT doc_number FROM doc_numbers WHERE doc_number LIKE ?", (f"{prefix}〔{year}〕%",)
            )
            used = [int(n[len(prefix) + 6 : -1]) for (n,) in rows if n[len(prefix) + 6 : -1].isdigit()]
        return max(used, default=0) + 1

    # ------------------------------------------------------------ issuing

    def quarter_dir(self, year: int, quarter: int) -> Path:
        return self.root / f"{year}Q{quarter}"

    def _manifest(self, folder: Path) -> dict:
        path = folder / MANIFEST
        if path.exists():
            return json.loads(path.read_text(encoding="utf-8"))
        return {"files": [], "issues": []}

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """One issuing run at a time per archive (the manifest is read, extended and rewritten)."""
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / ".lock").open("w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield

    def issue(self, out_dir: Path, now: dt.datetime | None = None) -> list[IssuedFile]:
        """Archive every document of a built quarter (``out_dir`` holds build.json); return what was added."""
        with self._locked():
            return self._issue(out_dir, now)

    def _issue(self, out_dir: Path, now: dt.datetime | None) -> list[IssuedFile]:
        record_path = out_dir / BUILD_RECORD
        if not record_path.exists():
            raise ArchiveError(
                f"{out_dir} 中没有 {BUILD_RECORD}：请先生成（make bulletin），检查无误后再归档。"
            )
        record = json.loads(record_path.read_text(encoding="utf-8"))
        issued_at = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
        folder = self.quarter_dir(record["year"], record["quarter"])
        folder.mkdir(parents=True, exist_ok=True)
        manifest = self._manifest(folder)
        known = {entry["sha256"]: entry for entry in manifest["files"]}

        numbers = {d["doc_number"]: d["slug"] for d in record["documents"] if d["doc_number"]}
        self.register_numbers(numbers, issued_at)  # before any copy: a clash leaves the archive untouched

        added: list[IssuedFile] = []
        for document in record["documents"]:
            for file_name in document["files"]:
                source = out_dir / file_name
                if not source.exists():
                    raise ArchiveError(f"缺少文件 {source}：请重新生成后再归档。")
                digest = sha256_of(source)
                if digest in known:
                    continue  # these exact bytes are already archived
                revision = 1 + sum(1 for e in manifest["files"] if e["source_name"] == file_name)
                entry = IssuedFile(
                    name=_revision_name(file_name, revision),
                    slug=document["slug"],
                    revision=revision,
                    doc_number=document["doc_number"],
                    sha256=digest,
                )
                self._copy_read_only(source, folder / entry.name)
                manifest["files"].append(
                    {
                        **entry.__dict__,
                        "source_name": file_name,
                        "title": document["title"],
                        "issued_at": issued_at,
                    }
                )
                known[digest] = manifest["files"][-1]
                added.append(entry)
        manifest["issues"].append(
            {"issued_at": issued_at, "inputs": record["inputs"], "added": [a.name for a in added]}
        )
        write_text_atomic(folder / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
        return added

    @staticmethod
    def _copy_read_only(source: Path, target: Path) -> None:
        if target.exists():  # never overwrite: a name is taken by exactly one set of bytes
            raise ArchiveError(f"{target} 已存在，归档文件不得覆盖。")
        with atomic_path(target) as tmp:
            shutil.copyfile(source, tmp)
        os.chmod(target, READ_ONLY)

    # ------------------------------------------------------------ verification

    def verify(self) -> list[str]:
        """Every archived file against its manifest checksum; returns the problems found (empty: all intact)."""
        problems = []
        for manifest_path in sorted(self.root.glob(f"*/{MANIFEST}")):
            folder = manifest_path.parent
            for entry in json.loads(manifest_path.read_text(encoding="utf-8"))["files"]:
                path = folder / entry["name"]
                if not path.exists():
                    problems.append(f"{path}：归档文件丢失")
                elif sha256_of(path) != entry["sha256"]:
                    problems.append(f"{path}：内容与归档时不一致（文件被改动过）")
        return problems
