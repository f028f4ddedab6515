"""CJK line breaks and justification: runs → HTML spans, and the letter-spacing that fills each line.

weasyprint justifies at spaces only. The layout's lines of every justified block are measured
(``measure_lines``); ``justify_plan`` turns the shortfalls into extra spacing per line, which
``spread.spread_layout`` gives the laid-out lines.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

import weasyprint
from markupsafe import Markup, escape
from weasyprint.formatting_structure import boxes

from zsreport.linebreak import BREAK, LinePlan, SetLine, break_between, counted, line_key
from zsreport.model import Heading, Run
from zsreport.render.pdf.units import PX_TO_PT

# --- CJK line breaks ---------------------------------------------------------------------------

# ``linebreak`` marks the breaks pango refuses (a quote next to a 字, see there) with a zero-width
# space, set in a span of its own without letter-spacing so that it takes no room, changes no
# pitch and adds no character to the PDF's text. Without them "五个一”工作" is one unit: with two
# slots left at the end of a line, "一”" fits but "一”工" does not, the line ends two 字 short and
# the justifier spreads it (17.2 pt pitch instead of 15.79).
BREAK_ROLE = "break"


def _breakable(chars: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(char, role) with a ``BREAK`` (role ``BREAK_ROLE``) wherever ``break_between`` allows one."""
    out: list[tuple[str, str]] = []
    for index, item in enumerate(chars):
        if index and break_between(chars[index - 1][0], item[0]):
            out.append((BREAK, BREAK_ROLE))
        out.append(item)
    return out


def counts(ch: str) -> bool:
    """A character that takes a slot on the line (not whitespace, not a ``BREAK``)."""
    return counted(ch)


def _spreads(before: str, after: str) -> bool:
    """A gap the justifier may widen: beside a 字, never inside a number ("12.54") or a Latin
    word, whose characters must stay together to be read as one."""
    return not (before.isascii() and after.isascii())


def spread_chars(text: str) -> set[int]:
    """Indices of a line's characters followed by a gap the justifier widens (the next character
    that takes a slot is on the same line and ``_spreads``)."""
    counted = [i for i, ch in enumerate(text) if counts(ch)]
    return {i for i, j in itertools.pairwise(counted) if _spreads(text[i], text[j])}


def spread_gaps(text: str) -> int:
    """The gaps of a line's text the justifier widens."""
    return len(spread_chars(text))


def set_runs(runs: tuple[Run, ...]) -> Markup:
    """Runs as HTML (non-body roles in spans), with the Chinese line breaks marked."""
    return Markup("").join(_spans(_breakable([(ch, run.role) for run in runs for ch in run.text])))


def set_text(text: str) -> Markup:
    """Plain text (a table cell, a note) as HTML with the Chinese line breaks marked."""
    return set_runs((Run(text),))


# --- CJK justification ------------------------------------------------------------------------

# weasyprint justifies at spaces only, so a line holding half-width digits ends short of the
# 版心's right edge. The layout's every line of every justified block (marked with ``data-jl``) is
# measured; each non-final line's characters then get the extra letter-spacing that spreads the
# shortfall over the line, on the laid-out page (``spread.spread_layout``). The line grows to just
# under the measure (``JUSTIFY_SLACK_PT``), as if its next character still had not to fit. A line
# that would need more than ``JUSTIFY_MAX_EM`` per character stays ragged.
JUSTIFY_SLACK_PT = 0.05
JUSTIFY_MAX_EM = 0.25


@dataclass(frozen=True)
class LineFit:
    """One laid-out line of a justified block: characters on it and the extra spacing per gap."""

    chars: int
    extra_pt: float = 0.0


class MeasuredLine(NamedTuple):
    """A line as the measuring layout set it."""

    chars: int  # characters taking a slot
    shortfall_pt: float  # room left before the right edge
    size_pt: float
    gaps: int  # gaps the justifier may widen (``spread_gaps``)
    text: str = ""  # as laid out, break marks included


class JustifiedLine(NamedTuple):
    """A line of a ``data-jl`` block as laid out."""

    key: str  # the block's
    index: int  # the line's in its block (over page breaks)
    line: boxes.LineBox
    right: float  # the block's content right edge, px


class Justifier:
    """Template helper: numbers the justified blocks (``data-jl``) and sets their text."""

    def __init__(self) -> None:
        self.count = 0

    def key(self) -> str:
        self.count += 1
        return f"j{self.count}"

    def heading(self, key: str, heading: Heading) -> Markup:
        return self.text(key, (Run(heading.full_text),))

    def text(self, key: str, runs: tuple[Run, ...]) -> Markup:
        return set_runs(runs)


def _span(text: str, role: str) -> Markup:
    if role == BREAK_ROLE:  # zero width and no letter-spacing, whatever the line's spacing
        return Markup('<span class="brk">') + escape(text) + Markup("</span>")
    if role == "body":
        return escape(text)
    return Markup(f'<span class="r-{role}">') + escape(text) + Markup("</span>")


def _spans(segment: list[tuple[str, str]]) -> list[Markup]:
    """Consecutive characters of one role as one span."""
    out = []
    for role, group in itertools.groupby(segment, key=lambda item: item[1]):
        out.append(_span("".join(ch for ch, _ in group), role))
    return out


def justified_lines(rendered: weasyprint.document.Document) -> Iterator[JustifiedLine]:
    """Every line of every ``data-jl`` block, in order; a line without text takes no index."""
    seen: dict[str, int] = {}
    for page in rendered.pages:
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            key = element.get("data-jl") if element is not None and box.element_tag else None
            if not key or not isinstance(box, boxes.BlockContainerBox):
                continue
            for line in box.children:
                if isinstance(line, boxes.LineBox) and any(_texts(line)):
                    yield JustifiedLine(key, seen.get(key, 0), line, box.content_box_x() + box.width)
                    seen[key] = seen.get(key, 0) + 1


def _texts(line: boxes.LineBox) -> Iterator[boxes.TextBox]:
    return (t for t in line.descendants() if isinstance(t, boxes.TextBox))


def measure_lines(rendered: weasyprint.document.Document) -> dict[str, list[MeasuredLine]]:
    """Every line of every ``data-jl`` block as the layout set it."""
    found: dict[str, list[MeasuredLine]] = {}
    for key, _, line, right in justified_lines(rendered):
        texts = list(_texts(line))
        end = max(t.position_x + t.width for t in texts)
        text = "".join(t.text for t in texts)
        count = sum(counts(ch) for ch in text)
        size = texts[0].style["font_size"] * PX_TO_PT
        found.setdefault(key, []).append(
            MeasuredLine(count, (right - end) * PX_TO_PT, size, spread_gaps(text), text)
        )
    return found


def justify_plan(measured: dict[str, list[MeasuredLine]]) -> dict[str, list[LineFit]]:
    """Extra letter-spacing for every line but the last of each block, over its widened gaps."""
    plan = {}
    for key, lines in measured.items():
        fits = []
        for index, (count, shortfall, size, gaps, _) in enumerate(lines):
            extra = (shortfall - JUSTIFY_SLACK_PT) / gaps if gaps > 0 else 0.0
            last = index == len(lines) - 1
            if last or extra <= 0 or extra > JUSTIFY_MAX_EM * size:
                extra = 0.0
            fits.append(LineFit(count, extra))
        plan[key] = fits
    return plan


def line_plan(measured: dict[str, list[MeasuredLine]]) -> LinePlan:
    """Every justified block's lines, by the block's text, for the DOCX: there LibreOffice sets
    the lines itself and can be held to the PDF's breaks (``render.docx.lines``). A text set two
    ways (the same words in two places, broken differently) is left out."""
    plan: LinePlan = {}
    clashes = set()
    for lines in measured.values():
        key = line_key("".join(line.text for line in lines))
        set_lines = tuple(SetLine(line.chars, line.shortfall_pt, line.size_pt) for line in lines)
        if plan.get(key, set_lines) != set_lines:
            clashes.add(key)
        plan[key] = set_lines
    return {key: lines for key, lines in plan.items() if key not in clashes}
