"""``verify``: the archive proves itself, or says exactly where it does not.

Checked, and believed only when checked:
- every file in a quarter's folder is in its manifest, and every manifest entry is present with
  its recorded checksum, as a plain read-only file (not a symlink, not writable);
- every manifest is recorded in the registry with its own checksum, and every registry record has
  its manifest (so an edited, deleted or replaced manifest, and a deleted quarter, are caught);
- the 文号 the registry holds for a quarter are the ones its manifest lists, each for the same
  document; no registry row belongs to a quarter that was never archived;
- every issue a manifest or a registry row names is a committed transaction;
- every link of the issue chain recomputes from the archive (``chain``), and a receipt's head
  kept outside is in it;
- no issue was left half-done (a pending transaction, a SQLite journal).

``verify`` changes nothing: it opens the registry read-only and immutable (SQLite then never plays
back, nor deletes, a journal beside it) and writes no file.

Exit codes: 0 intact, 1 findings, 2 something cannot be read at all.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass, field
from pathlib import Path

from zsreport.archive import chain
from zsreport.archive.errors import ArchiveUnreadable
from zsreport.archive.manifest import MANIFEST, file_digest, read_manifest
from zsreport.archive.ofd import OfdUnreadable, ofd_identity
from zsreport.archive.registry import REGISTRY, Registry, read_registry_or_none
from zsreport.archive.transaction import PENDING, pending_transactions
from zsreport.atomic import sha256_file

JOURNALS = (f"{REGISTRY}-journal", f"{REGISTRY}-wal")
OWN_FILES = {REGISTRY, ".lock", PENDING, *JOURNALS, f"{REGISTRY}-shm"}


@dataclass
class Verdict:
    findings: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # said, but not a fault (an archive before the chain)

    @property
    def exit_code(self) -> int:
        return 2 if self.unreadable else 1 if self.findings else 0

    def all(self) -> list[str]:
        return [*self.unreadable, *self.findings]


def verify(root: Path, receipt_head: str | None = None) -> Verdict:
    root = Path(root)
    verdict = Verdict()
    if not root.is_dir():
        verdict.unreadable.append(f"{root}：归档目录不存在（或不是文件夹），无从核对。")
        return verdict
    verdict.findings += [
        f"{root / name}：文号登记库旁有 SQLite 日志文件，说明有一次写入登记库中断（或该文件被放入）。"
        "核对时未动它；请先确认没有 issue 正在运行，保存该文件备查，再运行 zsreport issue 由其恢复"
        for name in JOURNALS
        if (root / name).exists()
    ]
    try:
        registry = read_registry_or_none(root, immutable=True)
    except ArchiveUnreadable as exc:
        verdict.unreadable.append(str(exc))
        registry = None
    quarters = sorted(p for p in root.iterdir() if p.is_dir() and p.name not in OWN_FILES)
    verdict.findings += [
        f"{p}：季度文件夹是符号链接（指向 {p.readlink()}），不是归档时建立的文件夹"
        for p in quarters
        if p.is_symlink()
    ]
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
            manifests = {folder.name: _check_quarter(folder, registry, verdict) for folder in quarters}
            verdict.findings += [
                f"{root / quarter}：登记库记录了该季度的归档清单，但该季度文件夹或其 {MANIFEST} 已不存在"
                for quarter in sorted(recorded)
                if not (root / quarter / MANIFEST).exists()
            ]
            _check_registry_rows(root, registry, manifests, verdict)
            _check_chain(registry, manifests, receipt_head, verdict)
    elif receipt_head:
        verdict.findings.append(f"回执链头 {receipt_head} 无从核对：文号登记库缺失")
    return verdict


def _check_quarter(folder: Path, registry: Registry | None, verdict: Verdict) -> dict | None:
    """Check one quarter's folder; its manifest when it could be read."""
    try:
        manifest = read_manifest(folder)
    except ArchiveUnreadable as exc:
        verdict.unreadable.append(str(exc))
        return None
    if manifest is None:
        verdict.findings.append(f"{folder / MANIFEST}：归档清单缺失，该季度的文件无从核对")
        verdict.findings += [f"{p}：不在任何归档清单中" for p in sorted(folder.iterdir())]
        return None
    _check_files(folder, manifest, verdict)
    if registry is not None:
        _check_against_registry(folder, manifest, registry, verdict)
    return manifest


def _check_files(folder: Path, manifest: dict, verdict: Verdict) -> None:
    listed = set()
    for entry in manifest["files"]:
        path = folder / entry["name"]
        listed.add(entry["name"])
        if not path.exists() and not path.is_symlink():
            verdict.findings.append(f"{path}：归档文件丢失")
            continue
        form = _not_a_plain_read_only_file(path)
        if form:
            verdict.findings.append(f"{path}：{form}")
        elif sha256_file(path) != entry["sha256"]:
            verdict.findings.append(f"{path}：内容与归档时不一致（文件被改动过）")
        elif path.suffix == ".ofd" and (finding := _ofd_finding(path, entry)):
            verdict.findings.append(f"{path}：{finding}")
    verdict.findings += [
        f"{path}：不在归档清单中（归档后被放入或改名）"
        for path in sorted(folder.iterdir())
        if path.name != MANIFEST and path.name not in listed
    ]


def _ofd_finding(path: Path, entry: dict) -> str | None:
    """An archived OFD names, in its own DocInfo, the 文号 its manifest entry holds."""
    try:
        _title, number = ofd_identity(path)
    except OfdUnreadable as exc:
        return f"OFD 文件无法读取（{exc}）"
    if number != entry.get("doc_number", ""):
        return f"OFD 文件记载的发文字号是 {number or '无'}，归档清单中是 {entry.get('doc_number') or '无'}"
    return None


def _not_a_plain_read_only_file(path: Path) -> str | None:
    """What is wrong with an archived file's form, read with lstat (a symlink is never followed)."""
    mode = path.lstat().st_mode
    if stat.S_ISLNK(mode):
        target = path.readlink()
        return f"归档文件被换成了符号链接（指向 {target}），不是归档时存入的文件；内容即使相同也不可信"
    if not stat.S_ISREG(mode):
        return "不是普通文件（归档文件被替换过）"
    if mode & 0o222:
        return (
            f"归档文件应为只读，现在可写（权限 {stat.filemode(mode)}），有人改过它的权限；"
            "请查明原因后恢复只读（chmod a-w）"
        )
    return None


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
    for number in sorted(set(in_manifest) & set(in_registry)):
        if in_manifest[number] != in_registry[number]:
            verdict.findings.append(
                f"{folder}：登记库中 {number} 登记给“{in_registry[number]}”，清单中该文号属于“{in_manifest[number]}”"
                "（登记库被改动过：一个文号只属于一份公文）"
            )


def _check_registry_rows(root: Path, registry: Registry, manifests: dict, verdict: Verdict) -> None:
    """Registry rows with no archived quarter behind them, and issues with no committed transaction."""
    archived = {q for q, m in manifests.items() if m is not None and (root / q / MANIFEST).is_file()}
    orphans: dict[str, list[str]] = {}
    for number, _slug, quarter, _txid in registry.all_numbers():
        if quarter not in archived:
            orphans.setdefault(quarter, []).append(number)
    for quarter, numbers in sorted(orphans.items()):
        shown = "、".join(sorted(numbers)[:5]) + (f"等{len(numbers)}个" if len(numbers) > 5 else "")
        verdict.findings.append(
            f"{root / REGISTRY}：登记库中有 {quarter or '（无季度）'} 的文号 {shown}，但归档中没有该季度"
            "（登记记录来历不明；下一个可用文号会因此跳号）"
        )
    committed = {txid for txid, _q in registry.transactions()}
    # A registry rebuilt by a version before 2026-12 recorded one transaction per quarter.
    rebuilt = {q for txid, q in registry.transactions() if txid == f"rebuilt-{q}"}
    named = {txid: f"{q} 的文号登记" for _n, _s, q, txid in registry.all_numbers()}
    named |= {txid: f"{q} 的清单记录" for q, txid in registry.manifest_transactions().items()}
    named |= {link.txid: f"防伪链中 {link.quarter} 的归档" for link in registry.links()}
    for quarter, manifest in manifests.items():
        for entry in (manifest or {}).get("issues", []) if quarter not in rebuilt else []:
            if isinstance(entry, dict) and entry.get("txid"):
                named[entry["txid"]] = f"{quarter} 清单中的归档"
    for txid in sorted(set(named) - committed):
        verdict.findings.append(
            f"{root / REGISTRY}：{named[txid]}（事务 {txid}）在登记库的事务表中没有记录（事务表被删改过）"
        )


def _check_chain(registry: Registry, manifests: dict, receipt_head: str | None, verdict: Verdict) -> None:
    links = registry.links()
    transactions = registry.transactions()
    if not links:
        if transactions:
            verdict.notes.append(
                "本归档建于防伪链之前，尚无防伪链；下次 zsreport issue 时会为已有的归档补建，并给出回执。"
            )
        if receipt_head:
            verdict.findings.append(f"回执链头 {receipt_head} 不在本归档的防伪链中（本归档没有防伪链）")
        return
    prev, proven = chain.GENESIS, set()
    for link in links:
        material = chain.issue_material(manifests.get(link.quarter), link.txid)
        numbers = registry.numbers_of_transaction(link.txid)
        expected = chain.link_head(prev, link.txid, link.quarter, material, numbers)
        if link.prev != prev or link.head != expected:
            verdict.findings.append(
                f"{registry.path}：防伪链第 {link.seq} 环（{link.quarter}，事务 {link.txid}）与归档内容不符："
                "该次或更早归档的清单、文件校验值或文号登记在归档后被改写过"
            )
        elif prev == chain.GENESIS or prev in proven:
            proven.add(link.head)
        prev = link.head
    chained = {link.txid for link in links}
    verdict.findings += [
        f"{registry.path}：事务 {txid}（{quarter}）不在防伪链中" for txid, quarter in transactions
        if txid not in chained
    ]  # fmt: skip
    if receipt_head and receipt_head not in proven:
        where = (
            "在链中，但它之前有被改写的环节"
            if receipt_head in {k.head for k in links}
            else "不在本归档的防伪链中"
        )
        verdict.findings.append(
            f"回执链头 {receipt_head} {where}：回执所证明的归档内容在其后被改写过（或回执不属于本归档）"
        )
