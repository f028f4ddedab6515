"""Clipping carried as geometry: readers differ in how they honour OFD ``Clips``, so a path that
lies inside its clipping rectangle loses the clip, and a stroked polyline (a chart's hatching) is
cut to the rectangle here. Only what neither covers keeps an OFD clip."""

from __future__ import annotations

Rect = tuple[float, float, float, float]
TOLERANCE_MM = 0.01


def drop_dangling_moves(segments: list[tuple]) -> list[tuple]:
    """A moveto followed by another moveto (or ending the path) draws nothing: drop it."""
    kept = []
    for i, seg in enumerate(segments):
        following = segments[i + 1][0] if i + 1 < len(segments) else None
        if seg[0] == "M" and following in (None, "M"):
            continue
        kept.append(seg)
    return kept


def encloses_nothing(segments: list[tuple]) -> bool:
    """Every subpath a single straight stroke (a hatch line): filling it paints nothing."""
    count = 0
    for seg in segments:
        if seg[0] == "M":
            count = 1
        elif seg[0] == "L":
            count += 1
            if count > 2:
                return False
        elif seg[0] == "C":
            return False
    return True


def as_rect(segments: list[tuple]) -> Rect | None:
    """The axis-aligned rectangle a clipping path draws, or None for any other shape."""
    segments = drop_dangling_moves(segments)
    points = [s[1] for s in segments if s[0] in ("M", "L")]
    if any(s[0] == "C" for s in segments) or sum(1 for s in segments if s[0] == "M") != 1:
        return None
    if len(points) == 5 and _close(points[0], points[-1]):
        points = points[:4]
    if len(points) != 4:
        return None
    xs = sorted({round(p[0], 4) for p in points})
    ys = sorted({round(p[1], 4) for p in points})
    if len(xs) > 2 or len(ys) > 2:
        return None
    for a, b in zip(points, points[1:] + points[:1], strict=True):
        if abs(a[0] - b[0]) > 1e-4 and abs(a[1] - b[1]) > 1e-4:
            return None  # a diagonal side
    return xs[0], ys[0], xs[-1], ys[-1]


def _close(a: tuple[float, float], b: tuple[float, float]) -> bool:
    return abs(a[0] - b[0]) < 1e-6 and abs(a[1] - b[1]) < 1e-6


def points_of(segments: list[tuple]) -> list[tuple[float, float]]:
    return [p for s in segments for p in s[1:]]


def inside(segments: list[tuple], rect: Rect, margin: float = 0.0) -> bool:
    x0, y0, x1, y1 = rect
    return all(
        x0 - TOLERANCE_MM <= x - margin
        and x + margin <= x1 + TOLERANCE_MM
        and y0 - TOLERANCE_MM <= y - margin
        and y + margin <= y1 + TOLERANCE_MM
        for x, y in points_of(segments)
    )


def is_polyline(segments: list[tuple]) -> bool:
    return all(s[0] in ("M", "L") for s in segments)


def clip_polyline(segments: list[tuple], rect: Rect) -> list[tuple]:
    """Each straight segment cut to ``rect`` (Liang–Barsky); pieces outside vanish."""
    out: list[tuple] = []
    pen = None
    for seg in segments:
        if seg[0] == "M":
            pen = seg[1]
            continue
        start, end = pen, seg[1]
        pen = end
        piece = _cut(start, end, rect)
        if piece is None:
            continue
        a, b = piece
        if not out or out[-1][0] == "M" or not _close(out[-1][1], a):
            out.append(("M", a))
        out.append(("L", b))
    return out


def _cut(a, b, rect: Rect):
    x0, y0, x1, y1 = rect
    dx, dy = b[0] - a[0], b[1] - a[1]
    t0, t1 = 0.0, 1.0
    for p, q in ((-dx, a[0] - x0), (dx, x1 - a[0]), (-dy, a[1] - y0), (dy, y1 - a[1])):
        if p == 0:
            if q < 0:
                return None
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return None
    return (a[0] + t0 * dx, a[1] + t0 * dy), (a[0] + t1 * dx, a[1] + t1 * dy)


def meet(a: Rect, b: Rect) -> Rect | None:
    """Where two rectangles overlap; None when they do not."""
    x0, y0, x1, y1 = max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])
    return (x0, y0, x1, y1) if x0 < x1 and y0 < y1 else None


def rect_path(rect: Rect | None) -> list[tuple]:
    if rect is None:
        return []
    x0, y0, x1, y1 = rect
    return [("M", (x0, y0)), ("L", (x1, y0)), ("L", (x1, y1)), ("L", (x0, y1)), ("Z",)]
