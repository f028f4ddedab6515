"""Issue 14, item 6: a chart's labels stay clear of its red 序时进度 line (the line never runs
through its own label or a value label). Read from the PDF: the red strokes of each page and the
chart's characters (their em boxes; the glyph outlines of a chart that draws its text as paths).
The DOCX's PNG charts hold neither, and are judged by their PDF twin."""

from __future__ import annotations

import math

from zsreport.conformance.reading import Page
from zsreport.conformance.report import Report

Box = tuple[float, float, float, float]  # x0, x1, top, bottom (mm)

# A glyph's outline box is taken this much smaller each side: a stroke that grazes it is clear.
GRAZE_MM = 0.15
# The stroke is followed in steps this long.
STEP_MM = 0.1


def _crosses(segment: tuple[float, float, float, float], box: Box) -> bool:
    x0, y0, x1, y1 = segment
    left, right, top, bottom = box
    left, right, top, bottom = left + GRAZE_MM, right - GRAZE_MM, top + GRAZE_MM, bottom - GRAZE_MM
    if left >= right or top >= bottom:
        return False
    if max(x0, x1) < left or min(x0, x1) > right or max(y0, y1) < top or min(y0, y1) > bottom:
        return False
    steps = max(1, math.ceil(math.hypot(x1 - x0, y1 - y0) / STEP_MM))
    for i in range(steps + 1):
        x, y = x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps
        if left < x < right and top < y < bottom:
            return True
    return False


# Glyphs of one label: they share a line (overlap by half their height) and stand closer than this
# many of their heights apart.
WORD_GAP_EM = 0.6


def _same_label(word: Box, glyph: Box) -> bool:
    overlap = min(word[3], glyph[3]) - max(word[2], glyph[2])
    height = max(glyph[3] - glyph[2], 0.1)
    return overlap >= height / 2 and glyph[0] - word[1] <= WORD_GAP_EM * height


def labels(glyphs: list[Box]) -> list[Box]:
    """Glyph outlines merged into labels, left to right: a line through the gap between two of a
    label's glyphs ("104|.0%") still runs through the label."""
    words: list[Box] = []
    for glyph in sorted(glyphs):
        for i, word in enumerate(words):
            if _same_label(word, glyph):
                words[i] = (word[0], max(word[1], glyph[1]), min(word[2], glyph[2]), max(word[3], glyph[3]))
                break
        else:
            words.append(glyph)
    return words


def check_chart_labels(report: Report, page: Page) -> None:
    if not page.red_strokes or not page.glyphs:
        return
    found = labels(page.glyphs)
    struck = [box for box in found if any(_crosses(s, box) for s in page.red_strokes)]
    where = "、".join(f"({b[0]:.1f}, {b[2]:.1f}) mm" for b in struck[:3])
    report.add(
        "figure.labels-clear",
        "8",
        not struck,
        f"{len(found)} 个标注中 {len(struck)} 个被红线穿过" + (f"：{where}" if struck else ""),
        "序时进度线不穿过任何标注",
        page.number,
    )
