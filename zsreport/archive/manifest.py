"""A quarter's ``manifest.json``: every archived file with its checksum, 文号 and revision.

The manifest is written as canonical bytes (sorted keys, fixed indentation), so its checksum, kept
in the registry, can be recomputed from the file alone.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from zsreport.archive.errors import ArchiveUnreadable

MANIFEST = "manifest.json"


def empty_manifest(quarter: str) -> dict:
    return {"quarter": quarter, "files": [], "issues": []}


def manifest_bytes(manifest: dict) -> bytes:
    return (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_manifest(folder: Path) -> dict | None:
    """The folder's manifest, or None when there is none; ``ArchiveUnreadable`` when it is damaged."""
    path = folder / MANIFEST
    if not path.exists():
        return None
    try:
        manifest = json.loads(path.read_bytes().decode("utf-8"))
        if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), list):
            raise ValueError("缺少 files 列表")
        for entry in manifest["files"]:
            for key in ("name", "sha256"):
                if not isinstance(entry, dict) or not isinstance(entry.get(key), str):
                    raise ValueError(f"有文件条目缺少 {key}")
    except (UnicodeDecodeError, ValueError) as exc:  # json.JSONDecodeError is a ValueError
        raise ArchiveUnreadable(
            f"归档清单 {path} 已损坏，无法读取（{exc}）。请从备份恢复该清单；不要手工编辑归档清单。"
        ) from exc
    return manifest


def file_digest(folder: Path) -> str | None:
    path = folder / MANIFEST
    return digest_of(path.read_bytes()) if path.exists() else None
