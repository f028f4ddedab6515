"""Drawn charts kept by what they are drawn from, so an unchanged chart is never drawn again.

A chart's key is the SHA-256 of everything its picture depends on: which chart, its data (the
labels and numbers passed in), the drawing code and its style (``charts.py``, ``chart_fonts.py``
and the layout numbers they read), the versions of matplotlib, FreeType, NumPy and Pillow, and
each face's file (path, size, modification time). Change any of them and the key changes: a stale
chart cannot be found.

During a build (``session``) every chart is looked up twice: in memory, so a chart two documents
show is drawn once, and in the build's cache folder, ``out/.cache/charts/`` beside the quarter
folders. That folder is hidden, never part of a set that is issued, archived or checked, and is
removed with ``out/`` (nothing is kept in the user's home folder, where a clerk would not look).

An entry is one file, ``<key>.chart``, written whole or not at all (``atomic``), so parallel builds
may share the folder: the same key always holds the same bytes. An entry is used only when its
magic line, its recorded key and the SHA-256 of its contents agree; anything else (a truncated
copy, a flipped bit, an old format) is ignored, the chart is drawn and the entry written anew.
The folder is kept under ``MAX_BYTES``: the entries used longest ago go first.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import json
import math
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from zsreport.atomic import write_bytes_atomic

MAGIC = b"zsreport chart 1\n"
SUFFIX = ".chart"
MAX_BYTES = 64 * 1024 * 1024  # about 600 charts: a province's quarter several times over
STALE_PART_SECONDS = 3600  # a temporary file this old was left by a killed writer

# svg, png, width_mm, height_mm, alt: a ``charts.ChartImage`` as stored
Parts = tuple[bytes, bytes, float, float, str]


@dataclass
class Session:
    """The charts of one build: found in memory or in ``folder``, or drawn (counted for tests)."""

    folder: Path | None
    memo: dict[str, Parts] = field(default_factory=dict)
    drawn: int = 0
    from_folder: int = 0
    from_memory: int = 0


_session: contextvars.ContextVar[Session | None] = contextvars.ContextVar("chart_session", default=None)


@contextlib.contextmanager
def session(folder: Path | None = None) -> Iterator[Session]:
    """Charts drawn inside share one memory (and ``folder``, when given); the folder is trimmed
    to ``MAX_BYTES`` at the end."""
    current = Session(folder)
    token = _session.set(current)
    try:
        yield current
    finally:
        _session.reset(token)
        if folder is not None:
            trim(folder)


def active() -> Session | None:
    return _session.get()


# --- the key ---------------------------------------------------------------------------------------


def _plain(value: object) -> object:
    """Arguments as JSON can write them exactly (floats by their shortest repr; NaN as NaN)."""
    if isinstance(value, str | bool | int | None):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else repr(value)
    if isinstance(value, Sequence):
        return [_plain(v) for v in value]
    if hasattr(value, "__float__"):  # numpy and Decimal numbers
        return _plain(float(value))  # type: ignore[arg-type]
    raise TypeError(f"chart argument of type {type(value).__name__} has no key")


def chart_key(kind: str, style: str, args: Sequence[object], kwargs: dict[str, object]) -> str:
    payload = json.dumps(
        [kind, style, _plain(args), {k: _plain(v) for k, v in sorted(kwargs.items())}],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@cache
def _source_digest(*paths: str) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()


def style_key(sources: Sequence[str], values: Sequence[object], faces: Sequence[tuple[str, int]]) -> str:
    """What every chart's look depends on: the drawing code, the layout numbers, matplotlib's
    settings outside the charts' own (a matplotlibrc), the libraries and the face files (a font
    updated in place has a new size or time)."""
    import matplotlib
    import numpy
    import PIL
    from matplotlib import ft2font

    files = []
    for path, index in faces:
        stat = os.stat(path)
        files.append([path, index, stat.st_size, stat.st_mtime_ns])
    settings = hashlib.sha256(repr(sorted(matplotlib.rcParams.items())).encode("utf-8")).hexdigest()
    parts = [
        _source_digest(*sources),
        _plain(list(values)),
        settings,
        matplotlib.__version__,
        ft2font.__freetype_version__,
        numpy.__version__,
        PIL.__version__,
        files,
    ]
    return json.dumps(parts, ensure_ascii=False)


# --- entries ---------------------------------------------------------------------------------------


def _entry(folder: Path, key: str) -> Path:
    return folder / f"{key}{SUFFIX}"


def encode(key: str, parts: Parts) -> bytes:
    svg, png, width_mm, height_mm, alt = parts
    header = {"key": key, "svg": len(svg), "png": len(png), "width_mm": width_mm, "height_mm": height_mm}
    header["alt"] = alt
    body = json.dumps(header, ensure_ascii=False).encode("utf-8") + b"\n" + svg + png
    return MAGIC + hashlib.sha256(body).hexdigest().encode("ascii") + b"\n" + body


def decode(key: str, data: bytes) -> Parts | None:
    """The stored chart, or None when the bytes are not a whole, sound entry for ``key``."""
    if not data.startswith(MAGIC):
        return None
    digest, _, body = data[len(MAGIC) :].partition(b"\n")
    if hashlib.sha256(body).hexdigest().encode("ascii") != digest:
        return None
    line, _, blobs = body.partition(b"\n")
    try:
        header = json.loads(line)
        svg_len, png_len = int(header["svg"]), int(header["png"])
        if header["key"] != key or svg_len + png_len != len(blobs):
            return None
        return (
            blobs[:svg_len],
            blobs[svg_len:],
            float(header["width_mm"]),
            float(header["height_mm"]),
            str(header["alt"]),
        )
    except (ValueError, KeyError, TypeError):
        return None


def load(folder: Path, key: str) -> Parts | None:
    path = _entry(folder, key)
    try:
        parts = decode(key, path.read_bytes())
        if parts is not None:
            os.utime(path)  # used now: trimmed last
    except OSError:  # absent, unreadable, or removed by another build's trim meanwhile
        return None
    return parts


def store(folder: Path, key: str, parts: Parts) -> None:
    """Write the entry whole; a cache that cannot be written (a full disk, a read-only folder)
    costs only the time to draw the chart again next build."""
    with contextlib.suppress(OSError):
        write_bytes_atomic(_entry(folder, key), encode(key, parts))


def trim(folder: Path, limit: int = MAX_BYTES) -> None:
    """Remove the entries used longest ago until the folder holds at most ``limit`` bytes, and
    the temporary files a killed writer left."""
    now = time.time()
    entries = []
    with contextlib.suppress(OSError):
        for path in folder.iterdir():
            with contextlib.suppress(OSError):
                stat = path.stat()
                if path.name.endswith(".part") and now - stat.st_mtime > STALE_PART_SECONDS:
                    path.unlink()
                elif path.suffix == SUFFIX:
                    entries.append((stat.st_mtime_ns, path.name, stat.st_size, path))
    total = sum(size for _, _, size, _ in entries)
    for _, _, size, path in sorted(entries):
        if total <= limit:
            break
        with contextlib.suppress(OSError):
            path.unlink()
        total -= size


def lookup_or_draw(key: str, draw: Callable[[], Parts]) -> Parts:
    """The chart of ``key``: from this build's memory, the cache folder, or ``draw()``."""
    current = active()
    if current is None:
        return draw()
    if key in current.memo:
        current.from_memory += 1
        return current.memo[key]
    parts = load(current.folder, key) if current.folder is not None else None
    if parts is not None:
        current.from_folder += 1
    else:
        parts = draw()
        current.drawn += 1
        if current.folder is not None:
            store(current.folder, key, parts)
    current.memo[key] = parts
    return parts
