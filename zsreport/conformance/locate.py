"""Finding elements among the lines of a page, and the measures several rules share."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from zsreport import gbt9704 as g
from zsreport.conformance.context import compact
from zsreport.conformance.reading import LEADING_MM, LINE_MM, MM, Line, Page, em_bottom, em_top
from zsreport.conformance.report import Tolerance


def blank_lines_ok(gap: float, lines: int, tol: Tolerance) -> tuple[bool, str]:
    """ "下空N行" between two glyph boxes: N 行 of the grid, plus at most one body leading (the
    half-leadings of the two line boxes), within the tolerance."""
    low = lines * LINE_MM - tol.blank_lines_mm
    high = lines * LINE_MM + LEADING_MM + tol.blank_lines_mm
    return low <= gap <= high, f"{low:.1f}–{high:.1f} mm（空 {lines} 行，另加行距 ≤1 行）"


def find_line(lines: Sequence[Line], text: str) -> Line | None:
    want = compact(text)
    for line in lines:
        if want and (line.compact == want or (len(want) >= 4 and want in line.compact)):
            return line
    return None


def lines_starting(lines: Sequence[Line], text: str) -> Line | None:
    want = compact(text)[:12]
    return next((line for line in lines if want and line.compact.startswith(want)), None)


def run_of_lines(lines: Sequence[Line], text: str) -> list[Line]:
    """Consecutive lines whose text, joined, is ``text`` (a title the layout may have wrapped)."""
    want = compact(text)
    for i, line in enumerate(lines):
        if not want.startswith(line.compact):
            continue
        got = ""
        for j in range(i, len(lines)):
            got += lines[j].compact
            if got == want:
                return list(lines[i : j + 1])
            if not want.startswith(got):
                break
    return []


def is_body_size(line: Line) -> bool:
    return all(abs(c["size"] - g.BODY_SIZE_PT) <= 1.2 for c in line.ink())


def portrait_box(page: Page, chars: Iterable[dict]) -> tuple[float, float, float, float]:
    """(left, right, top, bottom) of the characters in the portrait frame (mm)."""
    chars = list(chars)
    x0 = min(c["x0"] for c in chars) * MM
    x1 = max(c["x1"] for c in chars) * MM
    top = min(em_top(c) for c in chars)
    bottom = max(em_bottom(c) for c in chars)
    if not page.landscape:
        return x0, x1, top, bottom
    # Turned page: portrait x = landscape y; portrait y = page width - landscape x.
    return top, bottom, page.width - x1, page.width - x0
