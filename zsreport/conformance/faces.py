"""Typefaces as the checker recognises them in a PDF: which role a face plays, and which
characters may fall back to another face.

The pipeline reads its typeface roles through ``zsreport.fonts`` from data/fonts.toml in the
source checkout, which ``pip install .`` does not ship, and ``zsreport.fonts`` loads it when
imported. ``python -m zsreport conform`` measures finished files from a plain install, so it
carries the same table here. tests/conformance/test_faces.py fails when the two differ.
"""

from __future__ import annotations

import functools
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

BOLD_WORDS = ("bold", "black", "heavy", "semibold", "demibold")


@dataclass(frozen=True)
class FaceRole:
    official: str  # the name the DOCX writes (w:eastAsia)
    pdf_families: tuple[str, ...]  # the PDF's font chain, best first


# As data/fonts.toml [roles.*] states them.
FACE_ROLES: dict[str, FaceRole] = {
    "body": FaceRole("仿宋_GB2312", ("仿宋_GB2312", "FangSong", "FandolFang", "Noto Serif CJK SC")),
    "hei": FaceRole("黑体", ("黑体", "SimHei", "FandolHei", "Noto Sans CJK SC")),
    "kai": FaceRole(
        "楷体_GB2312", ("楷体_GB2312", "KaiTi", "FandolKai", "AR PL UKai CN", "Noto Serif CJK SC")
    ),
    "title": FaceRole(
        "方正小标宋简体", ("方正小标宋简体", "FZXiaoBiaoSong-B05S", "Noto Serif CJK SC", "FandolSong")
    ),
    "song": FaceRole("宋体", ("宋体", "SimSun", "FandolSong", "Noto Serif CJK SC")),
}
# As data/fonts.toml ``fallback``: faces that cover the characters Fandol lacks (镕 堃 喆 …).
FALLBACK_FAMILIES: tuple[str, ...] = ("Noto Serif CJK SC", "Noto Sans CJK SC")


def face_name(fontname: str) -> str:
    """The PDF font name without its subset tag (``ABCDEF+``)."""
    return fontname.split("+", 1)[-1]


def _norm(name: str) -> str:
    return re.sub(r"[\s_\-]", "", name).lower()


def face_roles(fontname: str) -> set[str]:
    """The typeface roles whose PDF family chain names this face."""
    face = _norm(face_name(fontname))
    return {
        role
        for role, spec in FACE_ROLES.items()
        if any(_norm(family) in face for family in (*spec.pdf_families, spec.official))
    }


def is_bold(fontname: str) -> bool:
    face = _norm(face_name(fontname))
    return any(word in face for word in BOLD_WORDS)


def wrong_face(chars: Iterable[dict], role: str) -> list[dict]:
    """Characters set in a face that is not the role's (nor an allowed fallback)."""
    return [
        c
        for c in chars
        if c["text"].strip() and role not in face_roles(c["fontname"]) and not _fallback_ok(c, role)
    ]


def faces_of(chars: Iterable[dict]) -> str:
    """The faces the characters are set in, for a report: "A,B" or "-"."""
    return ",".join(sorted({face_name(c["fontname"]) for c in chars})) or "-"


def _fallback_ok(char: dict, role: str) -> bool:
    """Half-width characters may take the Latin face; characters the role's face lacks a CJK
    fallback (镕 堃 喆 in names, U+2212 minus)."""
    text = char["text"]
    face = _norm(face_name(char["fontname"]))
    if text.isascii():
        return True
    if any(_norm(f) in face for f in FALLBACK_FAMILIES):
        return bool(uncovered(text, role)) or not installed_families()
    return False


# --- what this machine has installed (fontconfig), as the renderer sees it -------------------------


@functools.cache
def installed_families() -> frozenset[str]:
    """Family names fontconfig knows (every alias of every installed face)."""
    try:
        out = subprocess.run(
            ["fc-list", ":", "family"], capture_output=True, text=True, check=True, timeout=30
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(name.strip() for line in out.splitlines() for name in line.split(",") if name.strip())


def first_installed(role: str) -> str | None:
    """The family the renderer used for a role's CJK text here (first installed in the chain)."""
    installed = installed_families()
    for name in (*FACE_ROLES[role].pdf_families, *FALLBACK_FAMILIES):
        if name in installed:
            return name
    return None


@functools.cache
def _font_file(family: str) -> Path | None:
    """The font file fontconfig picks for ``family`` (None if it would substitute another family)."""
    try:
        out = subprocess.run(
            ["fc-match", "--format=%{family}\n%{file}", family],
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    families, _, file = out.partition("\n")
    if family not in (name.strip() for name in families.split(",")):
        return None
    return Path(file) if file else None


@functools.cache
def _codepoints(family: str) -> frozenset[int]:
    path = _font_file(family)
    if path is None:
        return frozenset()
    from fontTools.ttLib import TTFont  # weasyprint, a runtime dependency, depends on fontTools

    font = TTFont(path, fontNumber=0, lazy=True)
    return frozenset(font.getBestCmap() or {})


def uncovered(text: str, role: str) -> str:
    """Characters of ``text`` that the role's first installed face lacks (they fall back to Noto)."""
    family = first_installed(role)
    if family is None:
        return "".join(sorted({ch for ch in text if not ch.isspace()}))
    have = _codepoints(family)
    return "".join(sorted({ch for ch in text if not ch.isspace() and ord(ch) not in have}))
