"""Reading a finished PDF back: pages, lines of characters, painted rules and their colours.

pdfplumber gives every character with its size, face, colour and position; this module groups
them into baselines (``Line``), finds the horizontal rules however they were painted (``Band``)
and turns the text of a landscape (横排表格) page into the portrait frame.

Conventions (all lengths in mm from the top-left corner of the page, as the standard states them):
- the "top edge" of a CJK character is the top of its ideographic em box, 0.88 em above the
  baseline in Noto CJK and Fandol (OS/2 sTypoAscender 880); its foot is 0.12 em below;
- landscape (横排表格) pages are the portrait page turned a quarter with its 订口 on top, so their
  text block and page number are checked in the portrait frame (clause 8: the page number stays
  where the portrait pages have it).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import pdfplumber

from zsreport import gbt9704 as g

MM = g.MM_PER_PT
CJK_EM_ASCENT = 0.88  # top of the ideographic em box above the baseline, in em
CJK_EM_DESCENT = 0.12
TEXT_LEFT = g.MARGIN_LEFT_MM
TEXT_RIGHT = g.MARGIN_LEFT_MM + g.TEXT_WIDTH_MM
TEXT_TOP = g.MARGIN_TOP_MM
TEXT_BOTTOM = g.MARGIN_TOP_MM + g.TEXT_HEIGHT_MM
TEXT_CENTRE = (TEXT_LEFT + TEXT_RIGHT) / 2
LINE_MM = g.LINE_PITCH_PT * MM  # one 行
CHAR_MM = g.CHAR_PITCH_PT * MM  # one 字 of the body grid
LEADING_MM = (g.LINE_PITCH_PT - g.BODY_SIZE_PT) * MM  # one body leading (both half-leadings)

PAGE_NUMBER_RE = re.compile(r"[—–－-]\s*(\d+)\s*[—–－-]")

RGB = tuple[float, float, float]


@dataclass
class Line:
    """Characters sharing a baseline, left to right; geometry in mm in the page's own frame."""

    chars: list[dict]
    baseline: float  # mm from the page top
    page: int  # 1-based
    left: float = TEXT_LEFT  # left edge of the 版心 on this page (35 mm on a turned page)
    in_table: bool = False  # a vertical rule crosses the baseline: a table cell or chart label

    @property
    def text(self) -> str:
        return "".join(c["text"] for c in self.chars)

    @property
    def compact(self) -> str:
        return "".join(self.text.split())

    @property
    def x0(self) -> float:
        return min(c["x0"] for c in self.chars) * MM

    @property
    def x1(self) -> float:
        return max(c["x1"] for c in self.chars) * MM

    @property
    def size(self) -> float:
        return max(c["size"] for c in self.chars)

    @property
    def em_top(self) -> float:
        return min(em_top(c) for c in self.chars)

    @property
    def em_bottom(self) -> float:
        return max(em_bottom(c) for c in self.chars)

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2

    def ink(self) -> list[dict]:
        return [c for c in self.chars if c["text"].strip()]


@dataclass
class Band:
    """A horizontal rule as painted: filled strip or stroked line, in mm."""

    x0: float
    x1: float
    top: float
    bottom: float
    colour: RGB

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def thickness(self) -> float:
        return self.bottom - self.top


@dataclass
class Page:
    number: int
    width: float  # mm
    height: float
    lines: list[Line]
    bands: list[Band]
    table_rules: int  # horizontal rules other than the 版记's: a table is drawn on the page
    turned: list[Line] = field(default_factory=list)  # text set across a landscape page, portrait frame
    images: list[tuple[float, float, float, float]] = field(default_factory=list)  # x0, x1, top, bottom mm
    # a chart's 序时进度 line or path, as segments (x0, y0, x1, y1 mm; y from the top)
    red_strokes: list[tuple[float, float, float, float]] = field(default_factory=list)
    # a chart's labels as boxes (x0, x1, top, bottom mm): its text's em boxes, or its glyph
    # outlines when a chart draws its text as paths
    glyphs: list[tuple[float, float, float, float]] = field(default_factory=list)
    chart_lines: list[Line] = field(default_factory=list)  # a chart's text: not the document's lines

    @property
    def frame(self) -> tuple[float, float, float, float]:
        """(left, right, top, bottom) of the 版心 in the page's own frame; a turned page has the
        portrait page's 订口 on top and its 天头 on the right."""
        if not self.landscape:
            return TEXT_LEFT, TEXT_RIGHT, TEXT_TOP, TEXT_BOTTOM
        return g.MARGIN_BOTTOM_MM, g.PAGE_HEIGHT_MM - g.MARGIN_TOP_MM, g.MARGIN_LEFT_MM, TEXT_RIGHT

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    @property
    def page_number_lines(self) -> list[Line]:
        return [line for line in self.lines if is_page_number(line)]

    @property
    def text_lines(self) -> list[Line]:
        return [line for line in self.lines if not is_page_number(line)]


def em_top(char: dict) -> float:
    return (char["_baseline_pt"] - CJK_EM_ASCENT * char["size"]) * MM


def em_bottom(char: dict) -> float:
    return (char["_baseline_pt"] + CJK_EM_DESCENT * char["size"]) * MM


def is_page_number(line: Line) -> bool:
    return bool(PAGE_NUMBER_RE.fullmatch(line.compact))


# --- colours ---------------------------------------------------------------------------------------


def rgb_of(value: object) -> RGB:
    """pdfplumber colour (gray, RGB or CMYK tuple) as RGB."""
    if isinstance(value, int | float):
        return (float(value),) * 3
    if not isinstance(value, tuple | list) or not value:
        return (0.0, 0.0, 0.0)
    try:
        parts = [float(v) for v in value]
    except (TypeError, ValueError):
        return (0.0, 0.0, 0.0)
    if len(parts) == 1:
        return (parts[0],) * 3
    if len(parts) == 4:
        c, m, y, k = parts
        return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    return (parts[0], parts[1], parts[2])


def red_ink(char: dict) -> bool:
    return is_red(rgb_of(char["non_stroking_color"]))


def is_red(rgb: RGB) -> bool:
    return rgb[0] >= 0.8 and rgb[1] <= 0.2 and rgb[2] <= 0.2


def is_black(rgb: RGB) -> bool:
    return max(rgb) <= 0.2


def fmt_rgb(rgb: RGB) -> str:
    return "(" + ",".join(f"{v:.2g}" for v in rgb) + ")"


def rule_bands(page: Page, red: bool) -> list[Band]:
    """The page's full-width rules (≥100 mm) in red, or else in black."""
    return [b for b in page.bands if b.width >= 100 and (is_red(b.colour) if red else is_black(b.colour))]


# --- from pdfplumber objects ----------------------------------------------------------------------


def _baseline_pt(char: dict, page_height_pt: float) -> float:
    return page_height_pt - char["matrix"][5]


def _group_lines(chars: list[dict], page: int) -> list[Line]:
    """Characters grouped by baseline (within 0.6 pt: fallback faces sit a hair off), top down."""
    rows: list[list[dict]] = []
    for char in sorted(chars, key=lambda c: c["_baseline_pt"]):
        if rows and abs(rows[-1][-1]["_baseline_pt"] - char["_baseline_pt"]) <= 0.6:
            rows[-1].append(char)
        else:
            rows.append([char])
    return [
        Line(sorted(row, key=lambda c: c["x0"]), row[0]["_baseline_pt"] * MM, page)
        for row in rows
        if any(c["text"].strip() for c in row)
    ]


def _bands(page: pdfplumber.page.Page) -> tuple[list[Band], int]:
    """Horizontal rules: thin filled rects, strokes, and borders painted as even-odd frames."""
    rects = [r for r in page.rects if r.get("fill")]
    bands = [*_filled_strips(rects), *_even_odd_strips(rects), *_strokes(page)]
    return _merge_bands(bands)


def _filled_strips(rects: list[dict]) -> list[Band]:
    return [
        Band(r["x0"] * MM, r["x1"] * MM, r["top"] * MM, r["bottom"] * MM, rgb_of(r["non_stroking_color"]))
        for r in rects
        if r["height"] * MM <= 2.0 and r["width"] * MM >= 5
    ]


def _even_odd_strips(rects: list[dict]) -> list[Band]:
    """weasyprint paints a border as the difference of an outer and an inner rectangle (filled
    even-odd, clipped to one side), so a frame pair yields its top and bottom strips."""
    bands: list[Band] = []
    for outer, inner in itertools.pairwise(rects):
        if not outer.get("evenodd"):
            continue
        for a, b in ((outer, inner), (inner, outer)):
            same_x = abs(a["x0"] - b["x0"]) < 0.5 and abs(a["x1"] - b["x1"]) < 0.5
            if same_x and a["top"] <= b["top"] and a["bottom"] >= b["bottom"] and a["height"] > b["height"]:
                rgb = rgb_of(a["non_stroking_color"])
                for top, bottom in ((a["top"], b["top"]), (b["bottom"], a["bottom"])):
                    if 0.05 < (bottom - top) * MM <= 2.0:
                        bands.append(Band(a["x0"] * MM, a["x1"] * MM, top * MM, bottom * MM, rgb))
    return bands


def _strokes(page: pdfplumber.page.Page) -> list[Band]:
    """Stroked horizontal lines, as wide as their line width."""
    bands: list[Band] = []
    for edge in [*page.lines, *(e for e in page.edges if e.get("object_type") == "curve")]:
        if abs(edge["top"] - edge["bottom"]) < 0.5 and edge.get("stroke", True):
            half = (edge.get("linewidth") or 0) / 2
            mid = (edge["top"] + edge["bottom"]) / 2
            rgb = rgb_of(edge.get("stroking_color"))
            bands.append(Band(edge["x0"] * MM, edge["x1"] * MM, (mid - half) * MM, (mid + half) * MM, rgb))
    return bands


def _merge_bands(bands: list[Band]) -> tuple[list[Band], int]:
    """Join collinear pieces (table borders are drawn cell by cell) and drop duplicates."""
    merged: list[Band] = []
    for band in sorted(bands, key=lambda b: (round(b.top, 1), round(b.thickness, 2), b.x0)):
        last = merged[-1] if merged else None
        if (
            last is not None
            and abs(last.top - band.top) < 0.05
            and abs(last.thickness - band.thickness) < 0.05
            and band.x0 <= last.x1 + 0.5
        ):
            last.x1 = max(last.x1, band.x1)
        else:
            merged.append(replace(band))
    return merged, len(merged)


def _turn(char: dict, page_width_pt: float) -> dict:
    """A character set across a landscape page (rotated a quarter), in the portrait frame: the
    bbox's horizontal extent on the landscape page is its em box, so that becomes its height."""
    size = char["x1"] - char["x0"]
    turned = dict(char)
    turned.update(x0=char["top"], x1=char["bottom"], size=size)
    turned["_baseline_pt"] = page_width_pt - char["x0"] - CJK_EM_DESCENT * size
    return turned


def _verticals(page: pdfplumber.page.Page) -> list[tuple[float, float]]:
    """(top, bottom) in mm of vertical rules: table cell borders, chart axes."""
    out = []
    for obj in [*page.lines, *page.rects]:
        if obj["width"] < 1.5 and obj["height"] > 5:
            out.append((obj["top"] * MM, obj["bottom"] * MM))
    return out


def _is_red(colour: object) -> bool:
    return isinstance(colour, tuple) and len(colour) == 3 and colour[0] > 0.5 and max(colour[1:]) < 0.3


def _red_strokes(page: pdfplumber.page.Page) -> list[tuple[float, float, float, float]]:
    """Segments (mm) of red strokes: a chart's 序时进度 line, path or legend key (the red rule of
    the 版头 is a filled band, not a stroke)."""
    out = []
    for obj in [*page.lines, *page.curves]:
        if obj.get("stroke") and _is_red(obj.get("stroking_color")):
            points = [(x * MM, y * MM) for x, y in obj["pts"]]
            out += [(*a, *b) for a, b in itertools.pairwise(points)]
    return out


# A glyph drawn as an outline (a chart's SVG text) is smaller than this each way; bars are rects.
GLYPH_MAX_MM = 8.0


def _glyphs(page: pdfplumber.page.Page) -> list[tuple[float, float, float, float]]:
    """(x0, x1, top, bottom) mm of filled outlines the size of a glyph: a chart's labels (a "." or
    a "-" is read as a rect)."""
    return [
        (c["x0"] * MM, c["x1"] * MM, c["top"] * MM, c["bottom"] * MM)
        for c in [*page.curves, *page.rects]
        if c.get("fill")
        and not c.get("stroke")
        and c["width"] * MM < GLYPH_MAX_MM
        and c["height"] * MM < GLYPH_MAX_MM
    ]


# A chart is drawn on a white panel of its own (the figure's ground, ``charts._RC``
# figure.facecolor), as wide as the 版心; nothing else on a page is filled white this large.
CHART_PANEL_MIN_MM = (100.0, 20.0)


def _chart_panels(page: pdfplumber.page.Page) -> list[tuple[float, float, float, float]]:
    """(x0, x1, top, bottom) in pt of the white panels charts are drawn on."""
    width, height = CHART_PANEL_MIN_MM
    return [
        (r["x0"], r["x1"], r["top"], r["bottom"])
        for r in page.rects
        if r.get("fill")
        and rgb_of(r["non_stroking_color"]) == (1.0, 1.0, 1.0)
        and r["width"] * MM >= width
        and r["height"] * MM >= height
    ]


def _in_chart(char: dict, panels: list[tuple[float, float, float, float]]) -> bool:
    x = (char["x0"] + char["x1"]) / 2
    y = (char["top"] + char["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, x1, top, bottom in panels)


def _label_boxes(lines: list[Line]) -> list[tuple[float, float, float, float]]:
    """A chart's characters as their em boxes (mm), the stand-in of the outlines' ink."""
    return [(c["x0"] * MM, c["x1"] * MM, em_top(c), em_bottom(c)) for line in lines for c in line.ink()]


def read_pdf(path: Path) -> list[Page]:
    pages: list[Page] = []
    with pdfplumber.open(path) as pdf:
        for index, page in enumerate(pdf.pages, 1):
            height_pt = float(page.height)
            chars = []
            for char in page.chars:
                char = dict(char)
                char["_baseline_pt"] = _baseline_pt(char, height_pt)
                chars.append(char)
            bands, table_rules = _bands(page)
            panels = _chart_panels(page)
            chart_lines = _group_lines([c for c in chars if _in_chart(c, panels)], index)
            chars = [c for c in chars if not _in_chart(c, panels)]
            turned = _group_lines([_turn(c, float(page.width)) for c in chars if not c["upright"]], index)
            lines = _group_lines([c for c in chars if c["upright"]], index)
            verticals = _verticals(page)
            landscape = page.width > page.height
            for line in lines:
                line.left = g.MARGIN_BOTTOM_MM if landscape else TEXT_LEFT
                line.in_table = any(top < line.baseline < bottom for top, bottom in verticals)
            images = [(i["x0"] * MM, i["x1"] * MM, i["top"] * MM, i["bottom"] * MM) for i in page.images]
            size = (float(page.width) * MM, height_pt * MM)
            marks = _red_strokes(page), _glyphs(page) + _label_boxes(chart_lines)
            pages.append(Page(index, *size, lines, bands, table_rules, turned, images, *marks, chart_lines))
    return pages
