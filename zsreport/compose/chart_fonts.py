"""The charts' typefaces: the 黑体 chain of ``fonts.toml`` found on this machine (fontconfig,
matplotlib's font list or the usual paths) and registered with matplotlib under private aliases,
so a lookup can never pick another weight of the same family."""

from __future__ import annotations

import dataclasses
import os
import shutil
import subprocess
import threading
from collections.abc import Sequence

from matplotlib import font_manager, ft2font

from zsreport.fonts import FALLBACK_FAMILIES, FONT_ROLES

_LOCK = threading.RLock()


class ChartFontError(RuntimeError):
    """No CJK typeface is installed for the charts."""


# --- fonts -------------------------------------------------------------------------------------

# 黑体 chain from fonts.py (SimHei on office PCs, FandolHei, Noto Sans CJK SC), then the CJK
# fallbacks that cover name characters Fandol lacks (镕 堃 喆).
FONT_CHAIN: tuple[str, ...] | None = None  # None: from fonts.toml when first needed (tests set it)


def _font_chain() -> tuple[str, ...]:
    return FONT_CHAIN or tuple(dict.fromkeys((*FONT_ROLES["hei"].pdf_families, *FALLBACK_FAMILIES)))


# Where the faces usually are, for machines without fontconfig and with a stale matplotlib cache.
_KNOWN_FILES: dict[str, tuple[str, ...]] = {
    "FandolHei": (
        "/usr/local/share/fonts/fandol/FandolHei-Regular.otf",
        "/usr/share/fonts/opentype/fandol/FandolHei-Regular.otf",
        "/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolHei-Regular.otf",
    ),
    "Noto Sans CJK SC": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",),
    "Noto Serif CJK SC": ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",),
}

_REGULAR_STYLES = ("regular", "book", "normal", "roman", "medium")
ALIAS_PREFIX = "zsreport chart "  # + the family name (charts.py strips it for the SVG)
_families: tuple[str, ...] | None = None
_faces: tuple[tuple[str, int], ...] = ()  # (file, face index) of each of ``_families``


def _fc_match(name: str) -> tuple[str, int] | None:
    """(file, face index) of a family's regular face through fontconfig, if it really has it."""
    exe = shutil.which("fc-match")
    if exe is None:
        return None
    try:
        out = subprocess.run(
            [exe, "-f", "%{family}\t%{file}\t%{index}", f"{name}:style=Regular"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout
        families, path, index = out.split("\t")
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    # fc-match always answers with *some* font: accept it only if it is the family asked for.
    if name.casefold() not in {f.strip().casefold() for f in families.split(",")}:
        return None
    return path, int(index or 0)


def _face(path: str, index: int) -> ft2font.FT2Font | None:
    try:
        return ft2font.FT2Font(path, face_index=index)
    except (OSError, RuntimeError, ValueError):
        return None


def _regular_face(name: str, candidates: Sequence[tuple[str, int]]) -> tuple[str, int] | None:
    """The candidate face of family ``name`` with a regular style, else any face of it."""
    any_face = None
    for path, index in candidates:
        face = _face(path, index) if os.path.exists(path) else None
        if face is None or face.family_name.casefold() != name.casefold():
            continue
        if face.style_name.casefold() in _REGULAR_STYLES:
            return path, index
        any_face = any_face or (path, index)
    return any_face


def _locate(name: str) -> tuple[str, int] | None:
    """Find the regular face of a family: fontconfig, matplotlib's font list, usual paths."""
    match = _fc_match(name)
    if match and _regular_face(name, [match]):
        return match
    # matplotlib's own list works without fontconfig, but it rates FandolHei-Bold as weight
    # 400 like the Regular, so pick the face by its style name rather than by family lookup.
    known = [
        (e.fname, e.index) for e in font_manager.fontManager.ttflist if e.name.casefold() == name.casefold()
    ]
    faces = []
    for path in _KNOWN_FILES.get(name, ()):
        if os.path.exists(path):
            collection = _face(path, 0)
            faces += [(path, i) for i in range(collection.num_faces if collection else 0)]
    return _regular_face(name, [*known, *faces])


def _register(name: str, path: str, index: int) -> str:
    """Register one face under a private alias, so that lookups cannot pick another weight."""
    alias = ALIAS_PREFIX + name
    manager = font_manager.fontManager
    if not any(e.name == alias for e in manager.ttflist):
        entry = font_manager.ttfFontProperty(ft2font.FT2Font(path, face_index=index))
        manager.ttflist.append(dataclasses.replace(entry, name=alias, weight=400))
        cached = getattr(manager, "_findfont_cached", None)  # forget earlier look-ups
        if cached is not None:
            cached.cache_clear()
    return alias


def font_families() -> tuple[str, ...]:
    """matplotlib family names of the installed faces of ``FONT_CHAIN``, best first.

    matplotlib falls back along them glyph by glyph, so a name character missing from the
    first face is drawn from the next one instead of raising "Glyph … missing".
    """
    global _families, _faces
    with _LOCK:
        if _families is None:
            found: dict[tuple[str, int], str] = {}
            for name in _font_chain():
                face = _locate(name)
                if face and face not in found:
                    found[face] = _register(name, *face)
            if not found:
                raise ChartFontError(
                    "图表没有可用的中文字体（no CJK font for charts）：须安装 "
                    + "、".join(_font_chain())
                    + " 之一"
                )
            _families = tuple(found.values())
            _faces = tuple(found)
        return _families


def face_files() -> tuple[tuple[str, int], ...]:
    """(file, face index) of the faces ``font_families`` names, best first: what a chart's look
    depends on besides its data (the chart cache's key)."""
    with _LOCK:
        font_families()
        return _faces
