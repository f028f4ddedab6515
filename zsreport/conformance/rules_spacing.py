"""Spacing inside a line: a justified line may widen the gaps beside its 字, never those inside a
number or a Latin word ("1 2 . 5 4亿" reads as five figures; issue 14, item 9)."""

from __future__ import annotations

import itertools

from zsreport.conformance.reading import MM, Line, Page
from zsreport.conformance.report import Report

# Inside "12.54" the glyphs follow at their own advance (the body's letter-spacing is −0.2 pt);
# a justified line adds at least a few hundredths of an em to every gap it spreads.
WORD_GAP_MM = 0.1


def _word_gaps(line: Line) -> list[tuple[float, str]]:
    """(gap in mm, the pair) between neighbouring half-width characters of one word."""
    out = []
    for a, b in itertools.pairwise(line.chars):
        if all(c["text"].isascii() and c["text"].strip() for c in (a, b)):
            out.append(((b["x0"] - a["x1"]) * MM, a["text"] + b["text"]))
    return out


def check_word_spacing(report: Report, pages: list[Page]) -> None:
    """One finding per document: the widest gap inside a number or Latin word of the body text
    (table cells and chart labels are not justified and are left out)."""
    worst, where = 0.0, ""
    for page in pages:
        for line in page.text_lines:
            if line.in_table:
                continue
            for gap, pair in _word_gaps(line):
                if gap > worst:
                    worst, where = gap, f"第 {page.number} 页“{line.compact[:14]}”中的“{pair}”"
    report.add(
        "body.word-spacing",
        "5.2.4",
        worst <= WORD_GAP_MM,
        f"数字或词内最大间隙 {worst:.2f} mm" + (f"（{where}）" if where else ""),
        f"≤{WORD_GAP_MM:g} mm：两端对齐只加宽字与字之间",
    )
