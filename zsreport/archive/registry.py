"""The 文号 registry (``archive/registry.sqlite``): every 发文字号 issued, every quarter's manifest
checksum, every committed issue.

The registry and the manifests vouch for each other: a manifest edited by hand no longer matches
the checksum recorded here, and a registry row whose manifest is gone is a finding. One SQLite
transaction records an issue's numbers, its manifest checksum and its id together: that commit is
the moment the issue happens (see ``transaction``).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterable
from contextlib import closing
from pathlib import Path

from zsreport.archive import chain
from zsreport.archive.errors import ArchiveError, ArchiveUnreadable

REGISTRY = "registry.sqlite"

SCHEMA = """
CREATE TABLE IF NOT EXISTS doc_numbers (
    doc_number TEXT PRIMARY KEY,
    slug TEXT NOT NULL,
    quarter TEXT NOT NULL DEFAULT '',
    issued_at TEXT NOT NULL,
    txid TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS manifests (
    quarter TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    txid TEXT NOT NULL,
    updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS transactions (
    txid TEXT PRIMARY KEY,
    quarter TEXT NOT NULL,
    committed_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS chain (
    seq INTEGER PRIMARY KEY,
    txid TEXT NOT NULL UNIQUE,
    quarter TEXT NOT NULL,
    prev TEXT NOT NULL,
    head TEXT NOT NULL);
"""
REQUIRED_TABLES = ("doc_numbers", "manifests", "transactions")  # ``chain`` is absent before 2026-12

_SERIAL = re.compile(r"〔(\d{4})〕(\d+)号$")


def series(doc_number: str) -> str:
    """邵承办发〔2021〕3号 → 邵承办发: a document has one number in its series."""
    return doc_number.partition("〔")[0]


def serial_of(doc_number: str, prefix: str, year: int) -> int | None:
    """``邵承办发〔2021〕3号`` → 3 when it is of ``prefix`` and ``year``; else None."""
    if not doc_number.startswith(prefix):
        return None
    match = _SERIAL.search(doc_number[len(prefix) :])
    if not match or int(match.group(1)) != year or match.start() != 0:
        return None
    return int(match.group(2))


class Registry:
    """An open registry. ``Registry.open`` creates it only when asked to (a first issue)."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self.db = connection
        self.has_chain = True  # opened for writing: the schema was completed

    @classmethod
    def open(cls, root: Path, create: bool = False) -> Registry:
        path = Path(root) / REGISTRY
        if not path.exists() and not create:
            raise FileNotFoundError(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            connection = sqlite3.connect(path, timeout=30, isolation_level=None)
            connection.executescript(SCHEMA)
            connection.execute("SELECT count(*) FROM doc_numbers").fetchone()
        except sqlite3.DatabaseError as exc:
            raise ArchiveUnreadable(_damaged(path, exc)) from exc
        return cls(path, connection)

    @classmethod
    def open_readonly(cls, root: Path, immutable: bool = False) -> Registry:
        """Open for reading only: no table is created, no file written. ``immutable`` (``verify``)
        also tells SQLite the file cannot change, so it never touches a journal beside it: a hot
        journal, junk or not, is evidence to report, not something to play back and delete."""
        path = Path(root) / REGISTRY
        if not path.exists():
            raise FileNotFoundError(path)
        uri = path.resolve().as_uri() + "?mode=ro" + ("&immutable=1" if immutable else "")
        try:
            connection = sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None)
            tables = {
                name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        except sqlite3.DatabaseError as exc:
            if not immutable and path.with_name(f"{REGISTRY}-journal").exists():
                # A hot journal (a killed issue, or junk) cannot be played back read-only. Read the
                # file as it is, touching nothing: ``verify`` reports the journal, and the next
                # ``issue`` (read-write) plays it back.
                return cls.open_readonly(root, immutable=True)
            raise ArchiveUnreadable(_damaged(path, exc)) from exc
        missing = [t for t in REQUIRED_TABLES if t not in tables]
        if missing:
            connection.close()
            raise ArchiveUnreadable(_damaged(path, f"缺少数据表 {'、'.join(missing)}，登记库被删改过"))
        registry = cls(path, connection)
        registry.has_chain = "chain" in tables
        return registry

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Registry:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ reading

    def holders(self, numbers: Iterable[str]) -> dict[str, str]:
        """文号 → the slug it was issued to, for those of ``numbers`` already issued."""
        found = {}
        for number in numbers:
            row = self.db.execute("SELECT slug FROM doc_numbers WHERE doc_number = ?", (number,)).fetchone()
            if row:
                found[number] = row[0]
        return found

    def renumbered(self, numbers: dict[str, str]) -> list[tuple[str, str, str]]:
        """(document, the 文号 it was issued under, the new 文号) for each document of ``numbers``
        (文号 → slug) already issued under another number of the same series."""
        found = []
        for number, slug in numbers.items():
            rows = self.db.execute("SELECT doc_number FROM doc_numbers WHERE slug = ?", (slug,)).fetchall()
            found += [
                (slug, held, number) for (held,) in rows if held != number and series(held) == series(number)
            ]
        return sorted(found)

    def numbers_of(self, quarter: str) -> dict[str, str]:
        rows = self.db.execute("SELECT doc_number, slug FROM doc_numbers WHERE quarter = ?", (quarter,))
        return dict(rows.fetchall())

    def serials(self, prefix: str, year: int) -> list[int]:
        """The 序号 issued under ``prefix〔year〕``, sorted."""
        rows = self.db.execute("SELECT doc_number FROM doc_numbers WHERE doc_number LIKE ?", (f"{prefix}%",))
        found = (serial_of(number, prefix, year) for (number,) in rows)
        return sorted(n for n in found if n is not None)

    def manifest_digests(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT quarter, sha256 FROM manifests").fetchall())

    def all_numbers(self) -> list[tuple[str, str, str, str]]:
        """Every row: (文号, slug, quarter, txid)."""
        return self.db.execute("SELECT doc_number, slug, quarter, txid FROM doc_numbers").fetchall()

    def numbers_of_transaction(self, txid: str) -> list[tuple[str, str]]:
        return self.db.execute("SELECT doc_number, slug FROM doc_numbers WHERE txid = ?", (txid,)).fetchall()

    def manifest_transactions(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT quarter, txid FROM manifests").fetchall())

    def transactions(self) -> list[tuple[str, str]]:
        """(txid, quarter) of every committed issue, in commit order (rowid grows with each insert)."""
        return self.db.execute("SELECT txid, quarter FROM transactions ORDER BY rowid").fetchall()

    def links(self) -> list[chain.Link]:
        if not self.has_chain:
            return []
        rows = self.db.execute("SELECT seq, txid, quarter, prev, head FROM chain ORDER BY seq")
        return [chain.Link(*row) for row in rows.fetchall()]

    def is_committed(self, txid: str) -> bool:
        row = self.db.execute("SELECT 1 FROM transactions WHERE txid = ?", (txid,)).fetchone()
        return row is not None

    # ------------------------------------------------------------------ writing

    def commit_issue(
        self,
        txid: str,
        quarter: str,
        numbers: dict[str, str],
        manifest_sha: str,
        issued_at: str,
        material: dict | None = None,
        earlier: Callable[[str, str], dict] | None = None,
    ) -> tuple[chain.Link, int]:
        """Record an issue in one transaction: its 文号, its manifest's checksum, its id, its link
        of the chain; return the link and how many earlier issues were chained first.

        ``BEGIN IMMEDIATE`` takes SQLite's write lock first, so two runs cannot both take a number:
        the second sees the first's rows and is refused, with nothing written. ``earlier(txid,
        quarter)`` gives the manifest material of an issue committed before the chain existed.
        """
        self.db.execute("BEGIN IMMEDIATE")
        try:
            clashes = {n: s for n, s in self.holders(numbers).items() if s != numbers[n]}
            if clashes:
                raise ArchiveError(number_clash_message(clashes, numbers))
            renumbered = self.renumbered(numbers)
            if renumbered:
                raise ArchiveError(renumbered_message(renumbered))
            # Before this issue's rows: an earlier issue is linked from the manifest on disk, which
            # the manifests row still vouches for.
            backfilled = self._chain_earlier(earlier) if earlier else 0
            self.db.executemany(
                "INSERT OR IGNORE INTO doc_numbers (doc_number, slug, quarter, issued_at, txid)"
                " VALUES (?, ?, ?, ?, ?)",
                [(number, slug, quarter, issued_at, txid) for number, slug in numbers.items()],
            )
            self.db.execute(
                "INSERT OR REPLACE INTO manifests (quarter, sha256, txid, updated_at) VALUES (?, ?, ?, ?)",
                (quarter, manifest_sha, txid, issued_at),
            )
            self.db.execute(
                "INSERT INTO transactions (txid, quarter, committed_at) VALUES (?, ?, ?)",
                (txid, quarter, issued_at),
            )
            link = self._append_link(txid, quarter, material or chain.issue_material(None, txid))
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        return link, backfilled

    def _append_link(self, txid: str, quarter: str, material: dict) -> chain.Link:
        last = self.db.execute("SELECT seq, head FROM chain ORDER BY seq DESC LIMIT 1").fetchone()
        seq, prev = (last[0] + 1, last[1]) if last else (1, chain.GENESIS)
        head = chain.link_head(prev, txid, quarter, material, self.numbers_of_transaction(txid))
        self.db.execute(
            "INSERT INTO chain (seq, txid, quarter, prev, head) VALUES (?, ?, ?, ?, ?)",
            (seq, txid, quarter, prev, head),
        )
        return chain.Link(seq, txid, quarter, prev, head)

    def _chain_earlier(self, material_of: Callable[[str, str], dict]) -> int:
        """An archive from before the chain: link its committed issues first, in commit order."""
        chained = {txid for (txid,) in self.db.execute("SELECT txid FROM chain")}
        missing = [(t, q) for t, q in self.transactions() if t not in chained]
        for txid, quarter in missing:
            self._append_link(txid, quarter, material_of(txid, quarter))
        return len(missing)


def _damaged(path: Path, why: object) -> str:
    return (
        f"文号登记库 {path} 已损坏，无法读取（{why}）。"
        "请从备份恢复该文件；若无备份，可将其改名保存后运行 zsreport archive rebuild-registry 从各季度清单重建。"
    )


def number_clash_message(clashes: dict[str, str], numbers: dict[str, str]) -> str:
    listed = "；".join(f"{n} 已用于“{held}”，不能再用于“{numbers[n]}”" for n, held in clashes.items())
    return (
        f"发文字号重复：{listed}。请在发文.toml 中改用未使用的号"
        "（下一个可用号可运行 zsreport archive next-number --year 年份 查询），重新生成后再归档。"
    )


def renumbered_message(renumbered: list[tuple[str, str, str]]) -> str:
    """An issued document given a second 文号 (``first_number`` changed after issue): refused."""
    shown = "；".join(f"“{slug}”已以 {held} 印发，这次却编为 {new}" for slug, held, new in renumbered[:3])
    more = f"等 {len(renumbered)} 份" if len(renumbered) > 3 else ""
    return (
        f"本季度公文已经印发归档，不能换号重发：{shown}{more}。一份公文只有一个发文字号，"
        "已用的号不能作废，也不能给同一份公文另编新号。请把 发文.toml 中的 first_number（及 minutes_number）"
        "改回原来的号。若已印发的公文内容有误需要更正：改正数据后按原号重新生成、归档（归档中保存为新版本，原件保留）；"
        "或另行起草一份更正通知，作为新的公文使用新的发文字号（可运行 zsreport archive next-number 查询），"
        "而不是给原公文换一个号。"
    )


def read_registry_or_none(root: Path, immutable: bool = False) -> Registry | None:
    """The registry opened read-only, if there is one (``ArchiveUnreadable`` if it is damaged)."""
    try:
        return Registry.open_readonly(root, immutable)
    except FileNotFoundError:
        return None


def registry_exists(root: Path) -> bool:
    return (Path(root) / REGISTRY).exists()


def rebuild(root: Path, manifests: dict[str, dict], digests: dict[str, str], rebuilt_at: str) -> Path:
    """A new registry from the manifests (an explicit, separate act: see ``zsreport archive
    rebuild-registry``). Refuses to replace a registry that exists. Each issue a manifest lists is
    replayed under its own id, in the order issued, so the chain comes out as it was: a receipt
    kept from before still verifies."""
    path = Path(root) / REGISTRY
    if path.exists():
        raise ArchiveError(
            f"{path} 已存在，不会覆盖。若确需重建，请先将它改名保存（例如 registry.sqlite.bak），再运行本命令。"
        )
    with closing(Registry.open(root, create=True)) as registry:
        for when, quarter, txid, added in _issues_in_order(manifests, rebuilt_at):
            manifest = manifests[quarter]
            numbers = {
                e["doc_number"]: e["slug"]
                for e in manifest["files"]
                if e.get("doc_number") and (added is None or e["name"] in added)
            }
            material = chain.issue_material(manifest, txid)
            registry.commit_issue(txid, quarter, numbers, digests[quarter], when, material)
    return path


def _issues_in_order(manifests: dict[str, dict], rebuilt_at: str) -> list[tuple[str, str, str, set | None]]:
    """(issued_at, quarter, txid, names added) of every issue; a manifest without its issues
    listed (an early version) counts as one issue of all its files."""
    issues = []
    for quarter, manifest in manifests.items():
        listed = [i for i in manifest.get("issues", []) if isinstance(i, dict) and i.get("txid")]
        if not listed:
            issues.append((rebuilt_at, quarter, f"rebuilt-{quarter}", None))
        issues += [(i.get("issued_at", ""), quarter, i["txid"], set(i.get("added", []))) for i in listed]
    return sorted(issues, key=lambda item: (item[0], item[1], item[2]))
