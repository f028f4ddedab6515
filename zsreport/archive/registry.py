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
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path

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
"""

_SERIAL = re.compile(r"〔(\d{4})〕(\d+)号$")


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
            raise ArchiveUnreadable(
                f"文号登记库 {path} 已损坏，无法读取（{exc}）。"
                "请从备份恢复该文件；若无备份，可将其改名保存后运行 zsreport archive rebuild-registry 从各季度清单重建。"
            ) from exc
        return cls(path, connection)

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

    def is_committed(self, txid: str) -> bool:
        row = self.db.execute("SELECT 1 FROM transactions WHERE txid = ?", (txid,)).fetchone()
        return row is not None

    # ------------------------------------------------------------------ writing

    def commit_issue(
        self, txid: str, quarter: str, numbers: dict[str, str], manifest_sha: str, issued_at: str
    ) -> None:
        """Record an issue in one transaction: its 文号, its manifest's checksum, its id.

        ``BEGIN IMMEDIATE`` takes SQLite's write lock first, so two runs cannot both take a number:
        the second sees the first's rows and is refused, with nothing written.
        """
        self.db.execute("BEGIN IMMEDIATE")
        try:
            clashes = {n: s for n, s in self.holders(numbers).items() if s != numbers[n]}
            if clashes:
                raise ArchiveError(number_clash_message(clashes, numbers))
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
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise


def number_clash_message(clashes: dict[str, str], numbers: dict[str, str]) -> str:
    listed = "；".join(f"{n} 已用于“{held}”，不能再用于“{numbers[n]}”" for n, held in clashes.items())
    return (
        f"发文字号重复：{listed}。请在发文.toml 中改用未使用的号"
        "（下一个可用号可运行 zsreport archive next-number --year 年份 查询），重新生成后再归档。"
    )


def read_registry_or_none(root: Path) -> Registry | None:
    """The registry if there is one (raises ``ArchiveUnreadable`` if it is damaged)."""
    try:
        return Registry.open(root)
    except FileNotFoundError:
        return None


def registry_exists(root: Path) -> bool:
    return (Path(root) / REGISTRY).exists()


def rebuild(root: Path, manifests: dict[str, dict], digests: dict[str, str], rebuilt_at: str) -> Path:
    """A new registry from the manifests (an explicit, separate act: see ``zsreport archive
    rebuild-registry``). Refuses to replace a registry that exists."""
    path = Path(root) / REGISTRY
    if path.exists():
        raise ArchiveError(
            f"{path} 已存在，不会覆盖。若确需重建，请先将它改名保存（例如 registry.sqlite.bak），再运行本命令。"
        )
    with closing(Registry.open(root, create=True)) as registry:
        for quarter, manifest in sorted(manifests.items()):
            numbers = {e["doc_number"]: e["slug"] for e in manifest["files"] if e.get("doc_number")}
            registry.commit_issue(f"rebuilt-{quarter}", quarter, numbers, digests[quarter], rebuilt_at)
    return path
