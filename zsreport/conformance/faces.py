"""Typefaces as the checker recognises them in a PDF: which role a face plays, and which
characters may fall back to another face. The roles and the installed-font lookups are the
pipeline's own (``zsreport.fonts``, whose fonts.toml ships with the package)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from zsreport.fonts import FALLBACK_FAMILIES, FONT_ROLES, installed_families, uncovered

BOLD_WORDS = ("bold", "black", "heavy", "semibold", "demibold")


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
        for role, spec in FONT_ROLES.items()
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
