"""Archive: what is issued is never lost or silently changed.

``archive/<year>Q<q>/`` holds each issued document read-only (the PDF as PDF/A-3b carrying its
inputs), ``manifest.json`` lists them with checksums, and ``registry.sqlite`` records every 发文字号,
every manifest's checksum and every committed issue. ``issue`` is one transaction
(``transaction``); ``verify`` believes nothing it has not checked (``verify``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from zsreport.archive import registry as _registry
from zsreport.archive.errors import ArchiveError, ArchiveUnreadable
from zsreport.archive.manifest import MANIFEST, file_digest, read_manifest
from zsreport.archive.transaction import Issued, IssuedFile, archive_lock, check_archive_folder, issue
from zsreport.archive.verify import OWN_FILES, Verdict, verify
from zsreport.atomic import sha256_file as sha256_of

__all__ = ["Archive", "ArchiveError", "ArchiveUnreadable", "Issued", "IssuedFile", "Verdict", "sha256_of"]


class Archive:
    """The archive folder and what can be done with it."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def quarter_dir(self, year: int, quarter: int) -> Path:
        return self.root / f"{year}Q{quarter}"

    def issue(self, out_dir: Path, now: dt.datetime | None = None, data_dir: Path | None = None) -> Issued:
        return issue(self.root, out_dir, data_dir, now)

    def verdict(self, receipt_head: str | None = None) -> Verdict:
        return verify(self.root, receipt_head)

    def verify(self) -> list[str]:
        return self.verdict().all()

    def issued_serials(self, prefix: str, year: int) -> list[int]:
        """The 序号 already issued under ``prefix〔year〕`` (none when there is no registry yet)."""
        check_archive_folder(self.root)
        registry = _registry.read_registry_or_none(self.root) if self.root.exists() else None
        if registry is None:
            return []
        with registry:
            return registry.serials(prefix, year)

    def number_holders(self, numbers: dict[str, str]) -> dict[str, str]:
        """Of ``numbers`` (文号 → slug), those already issued to another document: 文号 → its holder.
        A quarter rebuilt after issue keeps its own numbers (a correction is a new revision)."""
        check_archive_folder(self.root)
        registry = _registry.read_registry_or_none(self.root) if self.root.exists() else None
        if registry is None:
            return {}
        with registry:
            return {n: held for n, held in registry.holders(numbers).items() if held != numbers[n]}

    def renumbered(self, numbers: dict[str, str]) -> list[tuple[str, str, str]]:
        """Documents of ``numbers`` (文号 → slug) already issued under another 文号 of the series."""
        registry = _registry.read_registry_or_none(self.root) if self.root.exists() else None
        if registry is None:
            return []
        with registry:
            return registry.renumbered(numbers)

    def numbers_without_quarter(self) -> list[tuple[str, str]]:
        """(文号, quarter) of registry rows whose quarter has no archived manifest: made up, or left
        by a quarter deleted since. ``next-number`` refuses to count past them silently."""
        registry = _registry.read_registry_or_none(self.root) if self.root.exists() else None
        if registry is None:
            return []
        with registry:
            rows = registry.all_numbers()
        return sorted((n, q) for n, _s, q, _t in rows if not (self.root / q / MANIFEST).is_file())

    def next_number(self, prefix: str, year: int) -> int:
        """The first 序号 after every number issued under ``prefix〔year〕``."""
        return max(self.issued_serials(prefix, year), default=0) + 1

    def rebuild_registry(self, now: dt.datetime | None = None) -> Path:
        """A new registry from the quarters' manifests: an explicit act of a records officer who has
        checked the manifests (``zsreport archive rebuild-registry``)."""
        with archive_lock(self.root):
            manifests, digests = {}, {}
            for folder in sorted(p for p in self.root.iterdir() if p.is_dir() and p.name not in OWN_FILES):
                manifest = read_manifest(folder)
                if manifest is not None:
                    manifests[folder.name] = manifest
                    digests[folder.name] = file_digest(folder)
            stamp = (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds")
            return _registry.rebuild(self.root, manifests, digests, stamp)
