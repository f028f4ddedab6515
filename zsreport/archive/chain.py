"""The issue chain: every committed issue linked to the one before it by a hash.

A manifest and a registry rewritten together, consistently, vouch for each other; nothing inside
the archive can tell. The chain gives the office something to keep outside it: each issue's link
is sha256 over the previous head, the issue's own entry in its quarter's manifest (inputs, files
added), the manifest entries of those files (names, checksums, 文号) and the registry rows it
registered. The last link, the head, is printed by ``issue`` and written to a receipt. A head kept
elsewhere proves that no issue up to it was rewritten since: rewriting one changes its link and
every link after it, so the kept head no longer appears in the chain.

Everything a link covers stays in the archive for good (manifests only grow), so ``verify``
recomputes every link from what is on disk. The chain cannot prove anything issued after the
kept head, nor stop a forger who also holds the newest receipt.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from zsreport.atomic import write_text_atomic

GENESIS = "0" * 64
HEAD = re.compile(r"\b[0-9a-f]{64}\b")


@dataclass(frozen=True)
class Link:
    seq: int
    txid: str
    quarter: str
    prev: str
    head: str


def issue_material(manifest: dict | None, txid: str) -> dict:
    """What a link covers of the manifest: the issue's entry and the entries of the files it added
    (an issue the manifest does not list, e.g. a registry rebuilt by an old version: nothing)."""
    issues = (manifest or {}).get("issues", [])
    entry = next((i for i in issues if isinstance(i, dict) and i.get("txid") == txid), None)
    if entry is None:
        return {"issue": None, "files": []}
    added = set(entry.get("added", []))
    files = sorted((f for f in manifest["files"] if f["name"] in added), key=lambda f: f["name"])
    return {"issue": entry, "files": files}


def link_head(prev: str, txid: str, quarter: str, material: dict, numbers: list[tuple[str, str]]) -> str:
    """sha256 over canonical JSON (sorted keys, no spaces): the same inputs give the same head."""
    payload = {"prev": prev, "txid": txid, "quarter": quarter, **material, "numbers": sorted(numbers)}
    data = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def read_head(text: str) -> str | None:
    """The chain head in a receipt (or a head typed in): the line 链头：…, else the only hex digest."""
    for line in text.splitlines():
        if line.strip().startswith("链头"):
            found = HEAD.search(line.lower())
            if found:
                return found.group(0)
    found = HEAD.findall(text.lower())
    return found[0] if len(found) == 1 else None


def receipt_text(link: Link, archive: Path, when: dt.datetime) -> str:
    return (
        "邵承办公文归档回执（请保存在归档之外，例如打印存档或另存他处）\n"
        f"归档位置：{archive}\n"
        f"本次归档：{link.quarter}，事务 {link.txid}，{when.isoformat(timespec='seconds')}\n"
        f"链序号：第 {link.seq} 次归档\n"
        f"链头：{link.head}\n"
        f"核对：zsreport verify --archive {archive} --receipt 本文件\n"
        "（链头证明本次及以前归档的文件、清单和文号登记此后未被改写。）\n"
    )


def write_receipt(path: Path, link: Link, archive: Path, when: dt.datetime) -> Path:
    write_text_atomic(path, receipt_text(link, archive, when))
    return path
