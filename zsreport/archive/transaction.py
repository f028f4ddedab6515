"""``issue``: archive a built quarter as one transaction.

Order: check the set (``checks``), stage every archived file and the new manifest in
``archive/.pending/<txid>/`` (fsynced), then commit by one SQLite transaction in the registry
(numbers, manifest checksum, transaction id), then move the staged files into place.

The registry commit is the moment the issue happens. A run killed before it leaves a pending folder
that the next run (or ``verify``) sees as not committed: it is rolled back, and the archive is as it
was. A run killed after it leaves a committed pending folder: the next run rolls it forward. Either
way no issued file is ever overwritten: names are taken once, and a changed file is a new revision.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from zsreport import faults, staging
from zsreport.archive import chain, checks, pdfa
from zsreport.archive.errors import ArchiveError
from zsreport.archive.manifest import (
    MANIFEST,
    digest_of,
    empty_manifest,
    file_digest,
    manifest_bytes,
    read_manifest,
)
from zsreport.archive.registry import Registry, number_clash_message, registry_exists, renumbered_message
from zsreport.atomic import fsync_path, sha256_file

PENDING = ".pending"
JOURNAL = "journal.json"
READ_ONLY = 0o444


@dataclass(frozen=True)
class IssuedFile:
    name: str  # file name inside the quarter's folder, e.g. "2020Q4-01-….r2.pdf"
    slug: str
    revision: int
    doc_number: str
    sha256: str


def revision_name(file_name: str, revision: int) -> str:
    if revision == 1:
        return file_name
    stem, dot, suffix = file_name.rpartition(".")
    return f"{stem}.r{revision}{dot}{suffix}"


def check_archive_folder(root: Path) -> None:
    """An archive that is a file (or a link) holds no registry: say so, rather than count from 1."""
    if root.is_symlink() or (root.exists() and not root.is_dir()):
        raise ArchiveError(
            f"归档文件夹 {root} 不是文件夹（是一个文件或链接），其中没有文号登记库，无法核对或登记文号；"
            "未改动任何文件。请用 --archive 指定真正的归档文件夹，或把该文件移走或改名后重新运行。"
        )


@contextlib.contextmanager
def archive_lock(root: Path) -> Iterator[None]:
    """One issuing run at a time per archive; released by the kernel if the process dies."""
    check_archive_folder(root)
    root.mkdir(parents=True, exist_ok=True)
    with (root / ".lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


# ------------------------------------------------------------------------------ recovery


def pending_transactions(root: Path) -> list[Path]:
    folder = root / PENDING
    return sorted(p for p in folder.iterdir() if p.is_dir()) if folder.exists() else []


def _journal(pending: Path) -> dict | None:
    try:
        return json.loads((pending / JOURNAL).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # not prepared: the journal is written last, after every staged file


def recover(root: Path) -> list[str]:
    """Roll every pending transaction forward (committed) or back (not); say what was done."""
    done = []
    for pending in pending_transactions(root):
        journal = _journal(pending)
        committed = False
        if journal is not None and registry_exists(root):
            with Registry.open(root) as registry:
                committed = registry.is_committed(journal["txid"])
        if committed:
            _roll_forward(root, pending, journal)
            done.append(f"已完成上次中断的归档（{journal['quarter']}，事务 {journal['txid']}）")
        else:
            shutil.rmtree(pending)
            done.append(f"已撤销上次中断、未提交的归档（{pending.name}）")
    return done


def _roll_forward(root: Path, pending: Path, journal: dict) -> None:
    """Move the committed files and manifest into place. Idempotent: a run killed at any step is
    finished by the next, which skips what is already moved (the journal goes last, with the folder)."""
    folder = root / journal["quarter"]
    folder.mkdir(parents=True, exist_ok=True)
    for name in journal["files"]:
        staged, target = pending / name, folder / name
        if staged.exists():
            if target.exists():
                raise ArchiveError(f"{target} 已存在，归档文件不得覆盖。请运行 zsreport verify 检查归档。")
            os.chmod(staged, READ_ONLY)
            os.replace(staged, target)
            faults.checkpoint("issue-file")
    if (pending / MANIFEST).exists():  # else moved already, by the run that was killed after it
        os.replace(pending / MANIFEST, folder / MANIFEST)
        fsync_path(folder)
        faults.checkpoint("issue-manifest-moved")
    # the journal is the last thing removed: a run killed inside rmtree leaves it, and is finished
    for path in pending.iterdir():
        if path.name != JOURNAL:
            path.unlink()
    faults.checkpoint("issue-journal-left")
    shutil.rmtree(pending)


# ------------------------------------------------------------------------------ issuing


@contextlib.contextmanager
def _set_held(out_dir: Path) -> Iterator[None]:
    """Hold the built set's own lock while it is read: no build can swap it mid-issue, and a set
    left half-swapped by a killed build is put back first."""
    try:
        with staging.quarter_lock(out_dir):
            staging.recover(out_dir)
            yield
    except staging.BusyError as exc:
        raise ArchiveError(f"{exc}（生成结束后再归档。）") from None
    except staging.NotAFolderError as exc:
        raise ArchiveError(str(exc)) from None


class Issue:
    """One issuing run: what the set holds, what is new, and the staged transaction."""

    def __init__(self, root: Path, out_dir: Path, data_dir: Path | None, now: dt.datetime | None) -> None:
        self.root = root
        self.out_dir = out_dir
        self.record = checks.read_build_record(out_dir)
        self.data_dir = Path(data_dir or self.record.get("data_dir") or out_dir)
        self.quarter = f"{self.record['year']}Q{self.record['quarter']}"
        self.folder = root / self.quarter
        self.issued_at = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
        self.txid = f"{self.issued_at[:10]}-{uuid.uuid4().hex[:12]}"

    def check(self) -> None:
        checks.check_not_sample(self.out_dir, self.record)
        checks.check_not_draft(self.out_dir, self.record)
        checks.check_set_intact(self.out_dir, self.record)
        checks.check_inputs_fresh(self.record, self.data_dir)
        checks.check_printed_numbers(self.out_dir, self.record)

    def numbers(self) -> dict[str, str]:
        return {d["doc_number"]: d["slug"] for d in self.record["documents"] if d["doc_number"]}

    def current_manifest(self, registry: Registry) -> dict:
        """The quarter's manifest, refused if it is not the one the registry vouches for."""
        manifest = read_manifest(self.folder)
        if file_digest(self.folder) != registry.manifest_digests().get(self.quarter):
            raise ArchiveError(
                f"{self.quarter} 的归档清单与文号登记库的记录不一致（清单或登记库被改动、删除过），不能继续归档。"
                "请先运行 zsreport verify 查明原因。"
            )
        return manifest if manifest is not None else empty_manifest(self.quarter)

    def new_entries(self, manifest: dict) -> list[tuple[dict, str, IssuedFile]]:
        """(document, file name in out/, entry) for each file whose bytes are not yet archived."""
        known = {e.get("source_sha256", e["sha256"]) for e in manifest["files"]}
        taken = [e.get("source_name", e["name"]) for e in manifest["files"]]
        new = []
        for document in self.record["documents"]:
            for file_name in document["files"]:
                digest = self.record["files"][file_name]
                if digest in known:
                    continue  # these exact bytes are already archived
                revision = 1 + taken.count(file_name)
                entry = IssuedFile(
                    revision_name(file_name, revision),
                    document["slug"],
                    revision,
                    document["doc_number"],
                    digest,
                )
                new.append((document, file_name, entry))
        return new

    def evidence(self) -> list[pdfa.Evidence]:
        items = [
            pdfa.Evidence(
                pdfa.evidence_name(i["path"]),
                (self.data_dir / i["path"]).read_bytes(),
                f"输入文件 {i['path']}",
            )
            for i in self.record["inputs"]
        ]
        record = (self.out_dir / checks.BUILD_RECORD).read_bytes()
        return [*items, pdfa.Evidence(checks.BUILD_RECORD, record, "生成记录（各文件校验值与输入）")]

    def stage(self, manifest: dict, new: list[tuple[dict, str, IssuedFile]], organ: str) -> tuple[Path, str]:
        """Every new archived file and the new manifest in a pending folder, on disk; the journal last."""
        pending = self.root / PENDING / self.txid
        pending.mkdir(parents=True)
        evidence = self.evidence()
        files = []
        for document, file_name, entry in new:
            target = pending / entry.name
            source = self.out_dir / file_name
            if file_name.endswith(".pdf"):
                identity = pdfa.Identity(
                    document["title"], document["doc_number"], self.record.get("date", ""), organ
                )
                pdfa.archival_copy(source, target, identity, evidence)
            else:
                shutil.copyfile(source, target)
            fsync_path(target)
            faults.checkpoint("issue-stage")
            archived = {**asdict(entry), "sha256": sha256_file(target), "source_sha256": entry.sha256}
            files.append({**archived, "source_name": file_name, "title": document["title"],
                          "issued_at": self.issued_at})  # fmt: skip
        manifest = {**manifest, "files": [*manifest["files"], *files]}
        manifest["issues"] = [
            *manifest.get("issues", []),
            {"txid": self.txid, "issued_at": self.issued_at, "inputs": self.record["inputs"],
             "added": [f["name"] for f in files]},
        ]  # fmt: skip
        data = manifest_bytes(manifest)
        (pending / MANIFEST).write_bytes(data)
        fsync_path(pending / MANIFEST)
        journal = {"txid": self.txid, "quarter": self.quarter, "files": [f["name"] for f in files]}
        (pending / JOURNAL).write_text(json.dumps(journal, ensure_ascii=False), encoding="utf-8")
        fsync_path(pending / JOURNAL)
        fsync_path(pending)
        return pending, digest_of(data)


def issue(
    root: Path, out_dir: Path, data_dir: Path | None = None, now: dt.datetime | None = None
) -> list[IssuedFile]:
    """Archive every document of a built quarter; return what was added (nothing if all was there)."""
    root, out_dir = Path(root), Path(out_dir)
    with archive_lock(root), _set_held(out_dir):
        recover(root)
        run = Issue(root, out_dir, data_dir, now)
        run.check()
        if not registry_exists(root) and any(
            p.is_dir() and not p.name.startswith(".") for p in root.iterdir()
        ):
            raise ArchiveError(
                f"文号登记库 {root / 'registry.sqlite'} 缺失，而归档中已有文件，不能继续归档。"
                "请先运行 zsreport verify；确认各季度清单可信后，可运行 zsreport archive rebuild-registry 重建。"
            )
        with Registry.open(root, create=True) as registry:
            manifest = run.current_manifest(registry)
            clashes = {n: s for n, s in registry.holders(run.numbers()).items() if s != run.numbers()[n]}
            if clashes:  # before any work: a clash leaves the archive untouched
                raise ArchiveError(number_clash_message(clashes, run.numbers()))
            if renumbered := registry.renumbered(run.numbers()):  # an issued document keeps its 文号
                raise ArchiveError(renumbered_message(renumbered))
            new = run.new_entries(manifest)
            if not new:
                return Issued([], (registry.links() or [None])[-1])
            try:
                pending, manifest_sha = run.stage(manifest, new, run.record.get("organ", ""))
            except BaseException:  # a full disk, say: nothing half-staged stays behind
                shutil.rmtree(root / PENDING / run.txid, ignore_errors=True)
                raise
            faults.checkpoint("issue-prepared")
            material = chain.issue_material(read_manifest(pending), run.txid)
            try:
                link, backfilled = registry.commit_issue(
                    run.txid, run.quarter, run.numbers(), manifest_sha, run.issued_at, material,
                    earlier=lambda txid, quarter: _earlier_material(root, registry, txid, quarter),
                )  # fmt: skip
            except BaseException:
                shutil.rmtree(pending, ignore_errors=True)
                raise
        faults.checkpoint("issue-committed")
        _roll_forward(root, pending, _journal(pending) or {})
        return Issued([entry for _, _, entry in new], link, backfilled)


class Issued(list):
    """The files an issue added (a list, empty when all was archived already), with the chain's
    new head and how many earlier issues were first linked into the chain (an older archive)."""

    def __init__(self, added: list[IssuedFile], link: chain.Link | None = None, backfilled: int = 0) -> None:
        super().__init__(added)
        self.link = link
        self.backfilled = backfilled


def _earlier_material(root: Path, registry: Registry, txid: str, quarter: str) -> dict:
    """An issue committed before the chain existed is linked from its quarter's manifest, but only
    from the manifest the registry vouches for."""
    folder = root / quarter
    if file_digest(folder) != registry.manifest_digests().get(quarter):
        raise ArchiveError(
            f"为此前的归档补建防伪链时发现 {quarter} 的归档清单与文号登记库的记录不一致，不能继续归档。"
            "请先运行 zsreport verify 查明原因。"
        )
    return chain.issue_material(read_manifest(folder), txid)
