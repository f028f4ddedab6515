"""Typeface roles → real fonts.

The standard names typefaces (小标宋, 仿宋, 楷体, 黑体, 宋体), not vendors. Office PCs have the
proprietary faces (方正小标宋简体, 仿宋_GB2312, 楷体_GB2312, 黑体), which may not be shipped: the DOCX
always names those so that Word/WPS shows them, and the PDF embeds the first installed face of an
open fallback chain (Fandol faces from Debian's texlive-lang-chinese, then Noto CJK, which also
covers name characters such as 镕 堃 喆 that Fandol lacks). The mapping lives in fonts.toml beside
this module, shipped with the package (so the checker, ``conformance``, works from a plain install).
"""

from __future__ import annotations

import functools
import itertools
import subprocess
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path


@dataclass(frozen=True)
class FontRole:
    official: str  # the name written into the DOCX (w:eastAsia)
    pdf_families: tuple[str, ...]  # CSS font-family chain for the PDF, best first
    latin: str = "Times New Roman"  # w:ascii / w:hAnsi in the DOCX for digits and Latin


@functools.cache
def _config() -> dict:
    """fonts.toml, read on first use (never at import: importing zsreport reads no file)."""
    return tomllib.loads(resources.files("zsreport").joinpath("fonts.toml").read_text(encoding="utf-8"))


class _Roles(Mapping[str, FontRole]):
    """role → ``FontRole`` from fonts.toml, read when first looked up."""

    @functools.cached_property
    def _roles(self) -> dict[str, FontRole]:
        return {
            role: FontRole(official=spec["official"], pdf_families=tuple(spec["pdf"]))
            for role, spec in _config()["roles"].items()
        }

    def __getitem__(self, role: str) -> FontRole:
        return self._roles[role]

    def __iter__(self) -> Iterator[str]:
        return iter(self._roles)

    def __len__(self) -> int:
        return len(self._roles)


class _Families(Sequence[str]):
    """A list of family names in fonts.toml, read when first used."""

    def __init__(self, key: str) -> None:
        self._key = key

    @functools.cached_property
    def _names(self) -> tuple[str, ...]:
        return tuple(_config()[self._key])

    def __getitem__(self, index):  # type: ignore[override]
        return self._names[index]

    def __len__(self) -> int:
        return len(self._names)


FONT_ROLES: Mapping[str, FontRole] = _Roles()
# Last resort after each chain: faces that cover the characters Fandol lacks.
FALLBACK_FAMILIES: Sequence[str] = _Families("fallback")
LATIN_PDF_FAMILIES: Sequence[str] = _Families("latin_pdf")


def css_family(role: str) -> str:
    """The CSS ``font-family`` value for a role: its chain, then the CJK fallbacks."""
    chain: list[str] = []
    for name in (*FONT_ROLES[role].pdf_families, *FALLBACK_FAMILIES):
        if name not in chain:
            chain.append(name)
    return ", ".join(f'"{name}"' for name in chain)


# --- Installed-font discovery for the PDF (fontconfig), used by render_pdf. ---


# Roles whose open stand-in should be set in its bold face: Noto Serif CJK Bold is a real cut
# (not synthetic bold) and is the nearest open match for the heavy strokes of 小标宋.
@functools.cache
def _bold_stand_ins(role: str) -> tuple[str, ...]:
    return tuple(_config()["roles"].get(role, {}).get("bold_stand_in", ()))


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
    """The family weasyprint will actually use for a role's CJK text (first installed in the chain)."""
    installed = installed_families()
    for name in (*FONT_ROLES[role].pdf_families, *FALLBACK_FAMILIES):
        if name in installed:
            return name
    return None


def css_weight(role: str) -> int:
    """``font-weight`` for a role: 700 only when a stand-in with a real bold cut replaces 小标宋."""
    return 700 if first_installed(role) in _bold_stand_ins(role) else 400


@functools.cache
def font_file(family: str) -> Path | None:
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
    path = font_file(family)
    if path is None:
        return frozenset()
    from fontTools.ttLib import TTFont  # weasyprint depends on fontTools

    font = TTFont(path, fontNumber=0, lazy=True)
    return frozenset(font.getBestCmap() or {})


def uncovered(text: str, role: str) -> str:
    """Characters of ``text`` that the role's first installed face lacks (they fall back to Noto).

    E.g. 镕 堃 喆 in names: Fandol covers GB2312 only. Whitespace is ignored.
    """
    family = first_installed(role)
    if family is None:
        return "".join(sorted({ch for ch in text if not ch.isspace()}))
    have = _codepoints(family)
    return "".join(sorted({ch for ch in text if not ch.isspace() and ord(ch) not in have}))


# --- Metrics and per-character fallback, used by render_pdf (table sizing, fallback report). ---


@functools.cache
def _metrics(family: str) -> tuple[dict[int, str], dict[str, tuple[int, int]], int] | None:
    path = font_file(family)
    if path is None:
        return None
    from fontTools.ttLib import TTFont

    font = TTFont(path, fontNumber=0, lazy=True)
    return font.getBestCmap() or {}, dict(font["hmtx"].metrics), font["head"].unitsPerEm


def text_width_em(text: str, role: str) -> float:
    """Advance width of ``text`` in ems as set in the role's CJK face (no letter-spacing).

    Characters the face lacks count as one em (CJK fallback faces are monospaced ideographs).
    """
    family = first_installed(role)
    metrics = _metrics(family) if family else None
    if metrics is None:
        return sum(0.5 if ch.isascii() else 1.0 for ch in text)
    cmap, hmtx, upem = metrics
    width = 0.0
    for ch in text:
        glyph = cmap.get(ord(ch))
        width += hmtx[glyph][0] / upem if glyph in hmtx else 1.0
    return width


def fallback_family(ch: str, role: str) -> str | None:
    """The installed family of the role's chain (fallbacks included) that will draw ``ch``."""
    installed = installed_families()
    for name in (*FONT_ROLES[role].pdf_families, *FALLBACK_FAMILIES):
        if name in installed and ord(ch) in _codepoints(name):
            return name
    return None


# Half-width advance widths of Times New Roman (the DOCX's Latin face); other letters and digits
# 0.5 em, capitals 0.72. Fandol's and Liberation Serif's digits are no wider.
_LATIN_EM = {".": 0.25, ",": 0.25, "%": 0.833, "-": 0.333, "+": 0.564, "/": 0.278, " ": 0.25}
# LibreOffice adds about ¼ em where 汉字 meet half-width letters or digits (it ignores
# w:autoSpaceDN = 0); an estimate that must not fall short allows for it.
AUTOSPACE_EM = 0.25


def estimated_width_em(text: str) -> float:
    """Width of ``text`` in ems from character classes alone (anything not ASCII one em, Latin as Times New
    Roman, plus LibreOffice's CJK–Latin spacing), never from installed fonts: what compose sizes
    table columns with and the DOCX sizes its cells with, so neither depends on the machine."""
    width = sum(1.0 if not ch.isascii() else _LATIN_EM.get(ch, 0.72 if ch.isupper() else 0.5) for ch in text)
    changes = sum(1 for a, b in itertools.pairwise(text) if a.isascii() != b.isascii())
    return width + changes * AUTOSPACE_EM


# --- Before anything is rendered: is every role's face, or a stand-in of its chain, installed? ---

# The roles as a clerk names them (fonts.toml keys are English).
ROLE_LABELS = {"title": "小标宋", "body": "仿宋", "kai": "楷体", "hei": "黑体", "song": "宋体"}


@dataclass(frozen=True)
class RoleFace:
    role: str
    official: str
    found: str | None  # the installed family the PDF will use, None: none of the role's chain

    @property
    def label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    @property
    def stand_in(self) -> bool:
        return self.found is not None and self.found != self.official


def role_faces() -> list[RoleFace]:
    """Each role with the face of its own chain this machine has (official first, then stand-ins).
    The shared fallbacks do not count: a 黑体 heading set in a 宋体 fallback is not a 黑体 heading."""
    installed = installed_families()
    faces = []
    for role, spec in FONT_ROLES.items():
        found = next((name for name in spec.pdf_families if name in installed), None)
        faces.append(RoleFace(role, spec.official, found))
    return faces


class FontsMissing(RuntimeError):
    """Some role has neither its official face nor a stand-in: every PDF would be empty boxes."""

    def __init__(self, missing: list[RoleFace]) -> None:
        self.missing = missing
        super().__init__("、".join(face.label for face in missing))


def require_fonts() -> None:
    """Raise ``FontsMissing`` naming the roles without a face (checked through fontconfig, as
    weasyprint and the charts find their faces)."""
    missing = [face for face in role_faces() if face.found is None]
    if missing:
        raise FontsMissing(missing)


def chain_text(role: str) -> str:
    """The role's chain as a clerk reads it: the official name, then the stand-ins."""
    official, *stand_ins = FONT_ROLES[role].pdf_families
    return f"{official}，或替代字体 {'、'.join(stand_ins)}"
