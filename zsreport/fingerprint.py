"""What a set was made from, as one checksum: so a rebuild with nothing changed does nothing.

Two keys:
- ``input_key``: every file a quarter's set can depend on (the year's data, last year's Q4 for the
  first quarter's history, the office's configuration, the templates, zsreport's own code and
  configuration, the fonts installed, the build options). Equal keys mean an equal set, so
  ``build`` can stop before loading anything: this module imports no pandas, weasyprint or
  matplotlib, and the check takes a fraction of a second.
- ``render_key``: what a renderer's output depends on besides the document tree (the render code,
  the PDF templates, the layout numbers, the fonts). A document whose tree and render key are
  unchanged is copied from the previous set instead of being laid out again.
"""

from __future__ import annotations

import functools
import hashlib
import json
import subprocess
from collections.abc import Iterable
from pathlib import Path

from zsreport import TEMPLATES_DIR, __version__
from zsreport.atomic import sha256_file

PACKAGE_DIR = Path(__file__).resolve().parent  # its code, fonts.toml, the templates and the sample data
# Render code and what it reads: a change in any of them may change a PDF or DOCX.
RENDER_SOURCES = ("render", "model.py", "gbt9704.py", "fonts.py", "fonts.toml", "linebreak.py", "atomic.py")


def _digest_files(paths: Iterable[Path], root: Path) -> str:
    """One checksum over the files' paths (relative to ``root``) and contents."""
    digest = hashlib.sha256()
    for path in sorted(set(paths)):
        if path.is_file() and "__pycache__" not in path.parts:
            shown = path.relative_to(root) if path.is_relative_to(root) else path
            digest.update(f"{shown}\0{sha256_file(path)}\0".encode())
    return digest.hexdigest()


def _tree(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []


@functools.cache
def installed_fonts() -> str:
    """A checksum of the fonts fontconfig offers (file, family, size): a font installed or updated
    can change every PDF."""
    try:
        listing = subprocess.run(
            ["fc-list", "--format", "%{file}\t%{family}\n"], capture_output=True, text=True, timeout=30
        ).stdout
    except (OSError, subprocess.SubprocessError):
        listing = ""
    lines = []
    for line in sorted(set(listing.splitlines())):
        file = Path(line.split("\t", 1)[0])
        size = file.stat().st_size if file.exists() else -1
        lines.append(f"{line}\t{size}")
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


@functools.cache
def render_key() -> str:
    sources = [p for name in RENDER_SOURCES for p in ([PACKAGE_DIR / name, *_tree(PACKAGE_DIR / name)])]
    parts = [
        __version__,
        _digest_files(sources, PACKAGE_DIR),
        _digest_files(_tree(TEMPLATES_DIR / "pdf"), TEMPLATES_DIR),
    ]
    return hashlib.sha256("\0".join([*parts, installed_fonts()]).encode()).hexdigest()


def input_key(data_dir: Path, year: int, quarter: int, options: dict[str, object]) -> str:
    """The key of everything the quarter's set can depend on (see the module's docstring)."""
    data_dir = Path(data_dir)
    year_dir = data_dir / str(year)
    data = [p for p in _tree(year_dir) if not _later_quarter(p, year_dir, year, quarter)]
    data += _tree(data_dir / str(year - 1) / f"{year - 1}Q4")
    data += [p for p in data_dir.glob("*.toml")]
    code = [p for p in _tree(PACKAGE_DIR) if p.suffix in (".py", ".toml")]
    parts = [
        __version__,
        _digest_files(data, data_dir),
        _digest_files(_tree(TEMPLATES_DIR), TEMPLATES_DIR.parent),
        _digest_files(code, PACKAGE_DIR),
        installed_fonts(),
        json.dumps(options, sort_keys=True, ensure_ascii=False),
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _later_quarter(path: Path, year_dir: Path, year: int, quarter: int) -> bool:
    """Files of a later quarter's folder cannot change this quarter's set."""
    top = path.relative_to(year_dir).parts[0]
    return top.startswith(f"{year}Q") and top[-1:].isdigit() and int(top[-1]) > quarter


def unchanged_set(live: Path, key: str) -> int | None:
    """The number of files in ``live`` when it was built from exactly ``key`` and every file is still
    the one written; None when the set must be built."""
    try:
        record = json.loads((live / "build.json").read_text(encoding="utf-8"))
        if record.get("fingerprint") != key:
            return None
        files = record["files"]
        if all(sha256_file(live / name) == digest for name, digest in files.items()):
            return len(files) + 1
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return None


def build_options(
    briefing_mode: object, preprinted: bool, plain: bool, draft: bool, ofd: bool = False
) -> dict[str, object]:
    """The options that change the set's bytes (its fingerprint). ``draft`` and ``ofd`` only when
    set, so that an official set's key is what it always was."""
    options: dict[str, object] = {
        "briefing_mode": str(briefing_mode),
        "preprinted": preprinted,
        "plain": plain,
    }
    return options | ({"draft": True} if draft else {}) | ({"ofd": True} if ofd else {})
