"""``verify``: the archive proves itself, or says exactly where it does not.

Checked, and believed only when checked:
- every file in a quarter's folder is in its manifest, and every manifest entry is present with
  its recorded checksum;
- every manifest is recorded in the registry with its own checksum, and every registry record has
  its manifest (so an edited, deleted or replaced manifest, and a deleted quarter, are caught);
- the 文号 the registry holds for a quarter are the ones its manifest lists;
- no issue was left half-done (a pending transaction).

Exit codes: 0 intact, 1 findings, 2 something cannot be read at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from zsreport.archive.errors import ArchiveUnreadable
from zsreport.archive.manifest import MANIFEST, file_digest, read_manifest
from zsreport.archive.registry import REGISTRY, Registry, read_registry_or_none
from zsreport.archive.transaction import PENDING, pending_transactions
from zsreport.atomic import sha256_file

OWN_FILES = {REGISTRY, ".lock", PENDING, f"{REGISTRY}-journal", f"{REGISTRY}-wal", f"{REGISTRY}-shm"}


@dataclass
class Verdict:
    findings: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 2 if self.unreadable else 1 if self.findings else 0

    def all(self) -> list[str]:
        return [*self.unreadable, *self.findings]


def verify(root: Path) -> Verdict:
    root = Path(root)
    verdict = Verdict()
    if not root.is_dir():
        verdict.unreadable.append(f"{root}：归档目录不存在（或不是文件夹），无从核对。")
        return verdict
    try:
        registry = read_registry_or_none(root)
    except ArchiveUnreadable as exc:
        verdict.unreadable.append(str(exc))
        registry = None
    quarters = sorted(p for p in root.iterdir() if p.is_dir() and p.name not in OWN_FILES)
    verdict.findings += [
        f"{root / p.name}：归档目录中有不属于任何季度的文件" for p in root.iterdir()
        if not p.is_dir() and p.name not in OWN_FILES
    ]  # fmt: skip
    verdict.findings += [
        f"{p}：有一次归档中断未完成；下次运行 zsreport issue 时会自动完成或撤销"
        for p in pending_transactions(root)
    ]
    if registry is None and not verdict.unreadable:
        if quarters:
            verdict.findings.append(
                f"{root / REGISTRY}：文号登记库缺失，无法核对各季度清单是否被改动。请从备份恢复；"
                "确认清单可信后，也可运行 zsreport archive rebuild-registry 从清单重建。"
            )
        for folder in quarters:
            _check_quarter(folder, None, verdict)
        return verdict
    if registry is not None:
        with registry:
            recorded = registry.manifest_digests()
            for folder in quarters:
                _check_quarter(folder, registry, verdict)
            verdict.findings += [
                f"{root / quarter}：登记库记录了该季度的归档清单，但该季度文件夹或其 {MANIFEST} 已不存在"
                for quarter in sorted(recorded)
                if not (root / quarter / MANIFEST).exists()
            ]
    return verdict


def _check_quarter(folder: Path, registry: Registry | None, verdict: Verdict) -> None:
    try:
        manifest = read_manifest(folder)
    except ArchiveUnreadable as exc:
        verdict.unreadable.append(str(exc))
        return
    if manifest is None:
        verdict.findings.append(f"{folder / MANIFEST}：归档清单缺失，该季度的文件无从核对")
        verdict.findings += [f"{p}：不在任何归档清单中" for p in sorted(folder.iterdir())]
        return
    _check_files(folder, manifest, verdict)
    if registry is not None:
        _check_against_registry(folder, manifest, registry, verdict)


def _check_files(folder: Path, manifest: dict, verdict: Verdict) -> None:
    listed = set()
    for entry in manifest["files"]:
        path = folder / entry["name"]
        listed.add(entry["name"])
        if not path.exists():
            verdict.findings.append(f"{path}：归档文件丢失")
        elif sha256_file(path) != entry["sha256"]:
            verdict.findings.append(f"{path}：内容与归档时不一致（文件被改动过）")
    verdict.findings += [
        f"{path}：不在归档清单中（归档后被放入或改名）"
        for path in sorted(folder.iterdir())
        if path.name != MANIFEST and path.name not in listed
    ]


def _check_against_registry(folder: Path, manifest: dict, registry: Registry, verdict: Verdict) -> None:
    quarter = folder.name
    recorded = registry.manifest_digests().get(quarter)
    if recorded is None:
        verdict.findings.append(f"{folder / MANIFEST}：文号登记库中没有该清单的记录（清单来历不明）")
    elif file_digest(folder) != recorded:
        verdict.findings.append(
            f"{folder / MANIFEST}：清单与登记库记录的校验值不符（清单在归档后被改动过，其中的校验值或文号不可信）"
        )
    in_manifest = {e["doc_number"]: e["slug"] for e in manifest["files"] if e.get("doc_number")}
    in_registry = registry.numbers_of(quarter)
    for number in sorted(set(in_registry) - set(in_manifest)):
        verdict.findings.append(f"{folder}：登记库中的 {number}（{in_registry[number]}）不在该季度清单中")
    for number in sorted(set(in_manifest) - set(in_registry)):
        verdict.findings.append(f"{folder}：清单中的 {number}（{in_manifest[number]}）未在登记库登记")
