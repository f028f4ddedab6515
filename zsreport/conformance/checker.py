"""GB/T 9704-2012 conformance, measured on the finished files.

``check_pdf`` reads a PDF back with pdfplumber (characters with size, face, colour and position;
filled rules) and pypdf (font embedding) and returns one :class:`Finding` per rule, per page where
the rule is about a page. ``check_docx`` checks the DOCX's XML (page set-up, grid, fonts, table
rows, footers) and then measures the PDF LibreOffice makes of it with the same PDF rules, with a
wider tolerance where LibreOffice substitutes the official faces that are not installed.

Every expected value comes from ``gbt9704`` (and the face names from ``fonts``); the
``Document`` a file was rendered from is optional context used to *locate* elements (title lines,
headings, 文号 text) and is never a reason to skip a measurement.

Conventions (all lengths in mm from the top-left corner of the page, as the standard states them):
- the "top edge" of a CJK character is the top of its ideographic em box, 0.88 em above the
  baseline in Noto CJK and Fandol (OS/2 sTypoAscender 880); its foot is 0.12 em below;
- "下空N行" is measured between the glyph boxes above and below: N 行 of the 22-line grid, plus
  at most one body leading (the half-leadings of the two line boxes), ±1 mm;
- landscape (横排表格) pages are the portrait page turned a quarter with its 订口 on top, so their
  text block and page number are checked in the portrait frame (clause 8: the page number stays
  where the portrait pages have it).
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import sys
import tempfile
import uuid
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pdfplumber
import pypdf
from lxml import etree

from zsreport import fonts
from zsreport import gbt9704 as g
from zsreport.model import Document, Heading, Mode, Paragraph, iter_blocks, plain_paragraphs

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
PAGE_NUMBER_SIDE_MM = g.PAGE_NUMBER_SIDE_CHARS * g.PAGE_NUMBER_SIZE_PT * MM  # 一字 of 四号

DOC_NUMBER_RE = re.compile(r"\S+〔\d{4}〕[1-9]\d*号")  # 7.2.5: 六角括号, no 第, no leading zero
MINUTES_NUMBER_RE = re.compile(r"\S*〔\d{4}〕[1-9]\d*号|（第[1-9]\d*号）")  # 10.3 practice
DATE_RE = re.compile(r"\d{4}年[1-9]\d?月[1-9]\d?日")  # 7.3.5.4: no leading zeros
ANY_DATE_RE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")
PAGE_NUMBER_RE = re.compile(r"[—–－-]\s*(\d+)\s*[—–－-]")
ATTACHMENT_LABEL_RE = re.compile(r"附件\d*")
HEADING_NUMBER_RES = {
    1: re.compile(r"[一二三四五六七八九十]+、"),
    2: re.compile(r"（[一二三四五六七八九十]+）"),
    3: re.compile(r"\d+\."),
    4: re.compile(r"（\d+）"),
}
BOLD_WORDS = ("bold", "black", "heavy", "semibold", "demibold")


@dataclass(frozen=True)
class Finding:
    """One measured rule: what was measured, what the standard wants, and whether it holds."""

    rule: str
    clause: str
    ok: bool
    measured: str
    expected: str
    page: int | None = None


@dataclass(frozen=True)
class Tolerance:
    """Tolerances in mm/pt; LibreOffice-rendered PDFs get wider ones (substituted faces)."""

    mm: float = g.MARGIN_TOLERANCE_MM  # positions, ±1 mm
    size_pt: float = 0.3  # body size
    title_pt: float = 0.5
    pitch_pt: float = 0.5
    blank_lines_mm: float = 1.0  # beyond the "下空N行" band
    page_number_mm: float = 1.5
    rule_mm: float = 0.08  # 版记 rule thickness
    faces: bool = True  # False: the faces were substituted, so face rules report but do not judge
    note: str = ""  # appended to every expected value, e.g. "(LibreOffice rendering, ±2 mm)"


STRICT = Tolerance()
LIBREOFFICE = Tolerance(
    mm=2.0,
    size_pt=0.5,
    title_pt=0.5,
    pitch_pt=1.0,
    blank_lines_mm=3.0,
    page_number_mm=2.5,
    rule_mm=0.12,
    faces=False,
    note=" [LibreOffice rendering of the DOCX: faces substituted (judged in the XML), wider tolerance]",
)


# --- reading the PDF -------------------------------------------------------------------------------


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
        return min(_em_top(c) for c in self.chars)

    @property
    def em_bottom(self) -> float:
        return max(_em_bottom(c) for c in self.chars)

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
    colour: tuple[float, float, float]

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
        return [line for line in self.lines if _is_page_number(line)]

    @property
    def text_lines(self) -> list[Line]:
        return [line for line in self.lines if not _is_page_number(line)]


def _baseline_pt(char: dict, page_height_pt: float) -> float:
    return page_height_pt - char["matrix"][5]


def _em_top(char: dict) -> float:
    return (char["_baseline_pt"] - CJK_EM_ASCENT * char["size"]) * MM


def _em_bottom(char: dict) -> float:
    return (char["_baseline_pt"] + CJK_EM_DESCENT * char["size"]) * MM


def _is_page_number(line: Line) -> bool:
    return bool(PAGE_NUMBER_RE.fullmatch(line.compact))


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


def _colour(value: object) -> tuple[float, float, float]:
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


def _red_ink(char: dict) -> bool:
    return _is_red(_colour(char["non_stroking_color"]))


def _is_red(rgb: tuple[float, float, float]) -> bool:
    return rgb[0] >= 0.8 and rgb[1] <= 0.2 and rgb[2] <= 0.2


def _is_black(rgb: tuple[float, float, float]) -> bool:
    return max(rgb) <= 0.2


def _fmt_rgb(rgb: tuple[float, float, float]) -> str:
    return "(" + ",".join(f"{v:.2g}" for v in rgb) + ")"


def _bands(page: pdfplumber.page.Page) -> tuple[list[Band], int]:
    """Horizontal rules: thin filled rects, strokes, and borders painted as even-odd frames.

    weasyprint paints a border as the difference of an outer and an inner rectangle (filled
    even-odd, clipped to one side), so a frame pair yields its top and bottom strips.
    """
    bands: list[Band] = []
    rects = [r for r in page.rects if r.get("fill")]
    for r in rects:
        if r["height"] * MM <= 2.0 and r["width"] * MM >= 5:
            bands.append(
                Band(
                    r["x0"] * MM,
                    r["x1"] * MM,
                    r["top"] * MM,
                    r["bottom"] * MM,
                    _colour(r["non_stroking_color"]),
                )
            )
    for outer, inner in itertools.pairwise(rects):
        if not outer.get("evenodd"):
            continue
        for a, b in ((outer, inner), (inner, outer)):
            same_x = abs(a["x0"] - b["x0"]) < 0.5 and abs(a["x1"] - b["x1"]) < 0.5
            if same_x and a["top"] <= b["top"] and a["bottom"] >= b["bottom"] and a["height"] > b["height"]:
                rgb = _colour(a["non_stroking_color"])
                for top, bottom in ((a["top"], b["top"]), (b["bottom"], a["bottom"])):
                    if 0.05 < (bottom - top) * MM <= 2.0:
                        bands.append(Band(a["x0"] * MM, a["x1"] * MM, top * MM, bottom * MM, rgb))
    for edge in [*page.lines, *(e for e in page.edges if e.get("object_type") == "curve")]:
        if abs(edge["top"] - edge["bottom"]) < 0.5 and edge.get("stroke", True):
            half = (edge.get("linewidth") or 0) / 2
            mid = (edge["top"] + edge["bottom"]) / 2
            rgb = _colour(edge.get("stroking_color"))
            bands.append(Band(edge["x0"] * MM, edge["x1"] * MM, (mid - half) * MM, (mid + half) * MM, rgb))
    return _merge_bands(bands)


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
            turned = _group_lines([_turn(c, float(page.width)) for c in chars if not c["upright"]], index)
            lines = _group_lines([c for c in chars if c["upright"]], index)
            verticals = _verticals(page)
            landscape = page.width > page.height
            for line in lines:
                line.left = g.MARGIN_BOTTOM_MM if landscape else TEXT_LEFT
                line.in_table = any(top < line.baseline < bottom for top, bottom in verticals)
            pages.append(
                Page(index, float(page.width) * MM, height_pt * MM, lines, bands, table_rules, turned)
            )
    return pages


# --- faces ---------------------------------------------------------------------------------------


def _face(fontname: str) -> str:
    return fontname.split("+", 1)[-1]


def _norm(name: str) -> str:
    return re.sub(r"[\s_\-]", "", name).lower()


def face_roles(fontname: str) -> set[str]:
    """The typeface roles (``fonts.FONT_ROLES``) whose PDF family chain names this face."""
    face = _norm(_face(fontname))
    return {
        role
        for role, spec in fonts.FONT_ROLES.items()
        if any(_norm(family) in face for family in (*spec.pdf_families, spec.official))
    }


def _is_bold(fontname: str) -> bool:
    face = _norm(_face(fontname))
    return any(word in face for word in BOLD_WORDS)


def _fallback_ok(char: dict, role: str) -> bool:
    """Half-width characters may take the Latin face; characters the role's face lacks a CJK
    fallback (镕 堃 喆 in names, U+2212 minus)."""
    text = char["text"]
    face = _norm(_face(char["fontname"]))
    if text.isascii():
        return True
    if any(_norm(f) in face for f in fonts.FALLBACK_FAMILIES):
        return bool(fonts.uncovered(text, role)) or not fonts.installed_families()
    return False


def _wrong_face(chars: Iterable[dict], role: str) -> list[dict]:
    return [
        c
        for c in chars
        if c["text"].strip() and role not in face_roles(c["fontname"]) and not _fallback_ok(c, role)
    ]


def _faces(chars: Iterable[dict]) -> str:
    return ",".join(sorted({_face(c["fontname"]) for c in chars})) or "-"


# --- context: what the document says it contains -----------------------------------------------------


@dataclass(frozen=True)
class Context:
    mode: Mode
    organ_lines: tuple[str, ...] = ()
    suffix: str = ""
    doc_number: str = ""
    minutes_line: str = ""
    title_lines: tuple[str, ...] = ()
    addressee: str = ""
    headings: tuple[Heading, ...] = ()
    paragraphs: tuple[str, ...] = ()  # every paragraph-like text, compact (no spaces)
    mixed_paragraphs: tuple[str, ...] = ()  # paragraphs with runs in other faces (run-in heads)
    display_texts: tuple[str, ...] = ()  # title lines, attachment titles: not body text
    signoff_date: str = ""
    attachment_labels: tuple[str, ...] = ()
    attachment_titles: dict[str, str] = field(default_factory=dict)  # label → title
    attendance_labels: tuple[str, ...] = ()
    colophon: bool = True
    preprinted: bool = False  # 套打: the red 标志 and rule are on the paper, not in the file
    known: bool = False  # built from a Document


def _compact(text: str) -> str:
    return "".join(text.split())


def context_of(document: Document) -> Context:
    head = document.letterhead
    paragraphs = [*plain_paragraphs(document), document.addressee, *document.attachment_note]
    attendance = [f"{a.label}：{a.names}" for a in document.attendance]
    paragraphs += attendance
    mixed = [*map(_compact, attendance)] + [
        _compact(block.text)
        for block in iter_blocks(document)
        if isinstance(block, Paragraph) and any(run.role != "body" for run in block.runs)
    ]
    return Context(
        mode=document.mode,
        preprinted=document.preprinted,
        organ_lines=head.organ_lines if head else (),
        suffix=head.suffix if head and document.mode is Mode.FORMAL else "",
        doc_number=head.doc_number if head else "",
        minutes_line=(head.minutes_organ + head.minutes_date) if head else "",
        title_lines=document.title_lines,
        addressee=document.addressee,
        headings=tuple(b for b in iter_blocks(document) if isinstance(b, Heading)),
        paragraphs=tuple(_compact(p) for p in paragraphs if p),
        mixed_paragraphs=tuple(mixed),
        display_texts=tuple(
            _compact(t)
            for t in (
                *document.title_lines,
                *(a.title for a in document.attachments),
                *(head.organ_lines if head else ()),
            )
        ),
        signoff_date=document.signoff.date if document.signoff else "",
        attachment_labels=tuple(a.label for a in document.attachments),
        attachment_titles={_compact(a.label): a.title for a in document.attachments},
        attendance_labels=tuple(a.label for a in document.attendance),
        colophon=document.colophon is not None,
        known=True,
    )


def _guess_context(pages: list[Page]) -> Context:
    """Without the tree: red text on page 1 means a 版头; a red "…纪要" means the 纪要 format."""
    first = pages[0] if pages else None
    red = [line for line in (first.text_lines if first else []) if any(_red_ink(c) for c in line.ink())]
    red_rule = bool(first and _rule_bands(first, red=True))
    big = [line for line in (first.text_lines if first else []) if line.size > g.TITLE_SIZE_PT + 2]
    opening = first.text_lines[0].compact if first and first.text_lines else ""
    # 套打 prints the 发文字号 (or the 纪要's 期数) where the paper's 版头 ends; plain starts with its title
    headless = not red and not red_rule and not big
    preprinted = headless and bool(MINUTES_NUMBER_RE.fullmatch(opening))  # 〔…〕N号 or （第N号）
    if preprinted:
        mode = Mode.FORMAL if DOC_NUMBER_RE.fullmatch(opening) else Mode.MINUTES
    elif headless:
        mode = Mode.PLAIN
    elif any(line.compact.endswith("纪要") for line in red or big):
        mode = Mode.MINUTES
    else:
        mode = Mode.FORMAL
    last_text = " ".join(line.compact for line in pages[-1].text_lines) if pages else ""
    return Context(mode=mode, colophon="印发" in last_text, preprinted=preprinted)


# --- measuring helpers -----------------------------------------------------------------------------


class Report:
    """Collects findings with the tolerance note appended to every expected value."""

    def __init__(self, tol: Tolerance) -> None:
        self.tol = tol
        self.findings: list[Finding] = []

    def wrong_face(self, chars: Iterable[dict], role: str) -> list[dict]:
        """Characters not in the role's face; none when the renderer substituted every face (the
        DOCX's face names are then checked in its XML instead)."""
        return _wrong_face(chars, role) if self.tol.faces else []

    def add(
        self, rule: str, clause: str, ok: bool, measured: str, expected: str, page: int | None = None
    ) -> None:
        self.findings.append(Finding(rule, clause, bool(ok), measured, expected + self.tol.note, page))


def _blank_lines_ok(gap: float, lines: int, tol: Tolerance) -> tuple[bool, str]:
    low = lines * LINE_MM - tol.blank_lines_mm
    high = lines * LINE_MM + LEADING_MM + tol.blank_lines_mm
    return low <= gap <= high, f"{low:.1f}–{high:.1f} mm ({lines} 行 + ≤1 leading)"


def _find_line(lines: Sequence[Line], text: str) -> Line | None:
    want = _compact(text)
    for line in lines:
        if want and (line.compact == want or (len(want) >= 4 and want in line.compact)):
            return line
    return None


def _lines_starting(lines: Sequence[Line], text: str) -> Line | None:
    want = _compact(text)[:12]
    return next((line for line in lines if want and line.compact.startswith(want)), None)


# --- rules: page -------------------------------------------------------------------------------------


def check_page_size(report: Report, page: Page) -> None:
    portrait = abs(page.width - g.PAGE_WIDTH_MM) <= 1 and abs(page.height - g.PAGE_HEIGHT_MM) <= 1
    landscape = abs(page.width - g.PAGE_HEIGHT_MM) <= 1 and abs(page.height - g.PAGE_WIDTH_MM) <= 1
    ok = portrait or (landscape and page.table_rules >= 3)
    measured = f"{page.width:.1f}×{page.height:.1f} mm" + (
        f", {page.table_rules} table rules" if landscape else ""
    )
    report.add(
        "page.a4", "5.2.1/8", ok, measured, "210×297 mm (297×210 only for a 横排表格 page)", page.number
    )


def _portrait_box(page: Page, chars: Iterable[dict]) -> tuple[float, float, float, float]:
    """(left, right, top, bottom) of the characters in the portrait frame (mm)."""
    chars = list(chars)
    x0 = min(c["x0"] for c in chars) * MM
    x1 = max(c["x1"] for c in chars) * MM
    top = min(_em_top(c) for c in chars)
    bottom = max(_em_bottom(c) for c in chars)
    if not page.landscape:
        return x0, x1, top, bottom
    # Turned page: portrait x = landscape y; portrait y = page width - landscape x.
    return top, bottom, page.width - x1, page.width - x0


def check_text_block(report: Report, page: Page) -> None:
    chars = [c for line in page.text_lines for c in line.ink()]
    turned = [c for line in page.turned if not _is_page_number(line) for c in line.ink()]
    if not chars and not turned:
        report.add("text-block", "5.2.2", True, "blank page", "text inside 28–184 × 37–262 mm", page.number)
        return
    boxes = [_portrait_box(page, chars)] if chars else []
    if turned:
        boxes.append(_portrait_box(replace(page, width=g.PAGE_WIDTH_MM, height=g.PAGE_HEIGHT_MM), turned))
    left, right = min(b[0] for b in boxes), max(b[1] for b in boxes)
    top, bottom = min(b[2] for b in boxes), max(b[3] for b in boxes)
    tol = report.tol.mm
    ok = (
        left >= TEXT_LEFT - tol
        and right <= TEXT_RIGHT + tol
        and top >= TEXT_TOP - tol
        and bottom <= TEXT_BOTTOM + tol
    )
    frame = " (portrait frame of a turned page)" if page.landscape else ""
    report.add(
        "text-block.turned" if page.landscape else "text-block",
        "5.2.2/8" if page.landscape else "5.2.2",
        ok,
        f"x {left:.1f}–{right:.1f}, y {top:.1f}–{bottom:.1f} mm{frame}",
        f"x {TEXT_LEFT:.0f}–{TEXT_RIGHT:.0f}, y {TEXT_TOP:.0f}–{TEXT_BOTTOM:.0f} mm ±{tol:g}",
        page.number,
    )


# --- rules: 版头 ---------------------------------------------------------------------------------------


def _rule_bands(page: Page, red: bool) -> list[Band]:
    return [b for b in page.bands if b.width >= 100 and (_is_red(b.colour) if red else _is_black(b.colour))]


def _mark_lines(page: Page, ctx: Context) -> list[Line]:
    """The 发文机关标志 / 纪要标志: located by its text, else as the big type above the first rule."""
    rules = [b for b in page.bands if b.width >= 100]
    limit = min((b.top for b in rules), default=TEXT_TOP + g.ISSUER_TOP_FROM_TEXT_TOP_MM + 60)
    above = [line for line in page.text_lines if line.em_bottom < limit]
    texts = [_compact(t) for t in (*ctx.organ_lines, ctx.suffix) if _compact(t)]
    if texts:
        return [line for line in above if any(t in line.compact for t in texts)]
    return [line for line in above if line.size > g.BODY_SIZE_PT + 2]


def check_mark(report: Report, page: Page, ctx: Context) -> list[Line]:
    clause = "10.3" if ctx.mode is Mode.MINUTES else "7.2.4"
    name = "minutes-mark" if ctx.mode is Mode.MINUTES else "issuer"
    marks = _mark_lines(page, ctx)
    if not marks:
        report.add(f"{name}.found", clause, False, "no 标志 found on page 1", "red 标志 on page 1", 1)
        return []
    ink = [c for line in marks for c in line.ink()]
    not_red = [c for c in ink if not _red_ink(c)]
    colours = {_fmt_rgb(_colour(c["non_stroking_color"])) for c in ink}
    report.add(
        f"{name}.red",
        clause,
        not not_red,
        f"colour {'/'.join(sorted(colours))}, {len(not_red)} of {len(ink)} not red",
        "red (1,0,0)",
        1,
    )
    top = min(_em_top(c) for c in ink)
    want = TEXT_TOP + g.ISSUER_TOP_FROM_TEXT_TOP_MM
    report.add(
        f"{name}.top",
        clause,
        abs(top - want) <= report.tol.mm,
        f"top edge {top:.1f} mm",
        f"{want:.0f} mm ±{report.tol.mm:g} (版心 top + {g.ISSUER_TOP_FROM_TEXT_TOP_MM:g})",
        1,
    )
    left = min(c["x0"] for c in ink) * MM
    right = max(c["x1"] for c in ink) * MM
    centre = (left + right) / 2
    report.add(
        f"{name}.centred",
        clause,
        abs(centre - TEXT_CENTRE) <= report.tol.mm,
        f"centre {centre:.1f} mm (x {left:.1f}–{right:.1f})",
        f"{TEXT_CENTRE:.0f} mm ±{report.tol.mm:g}",
        1,
    )
    return marks


def _doc_number_line(page: Page, ctx: Context, marks: list[Line]) -> Line | None:
    if ctx.doc_number:
        return _find_line(page.text_lines, ctx.doc_number)
    below = max((m.em_bottom for m in marks), default=TEXT_TOP)
    return next((line for line in page.text_lines if line.em_top > below and "〔" in line.text), None)


def check_doc_number(report: Report, page: Page, ctx: Context, marks: list[Line]) -> Line | None:
    minutes = ctx.mode is Mode.MINUTES
    line = _doc_number_line(page, ctx, marks)
    if line is None:
        if not minutes:
            report.add("doc-number.found", "7.2.5", False, "no 发文字号 line", "发文字号 under the 标志", 1)
        return None
    pattern = MINUTES_NUMBER_RE if minutes else DOC_NUMBER_RE
    report.add(
        "doc-number.format",
        "7.2.5",
        bool(pattern.fullmatch(line.compact)),
        line.compact,
        pattern.pattern + " (〔〕, no 第, no leading 0)",
        1,
    )
    report.add(
        "doc-number.centred",
        "7.2.5",
        abs(line.centre - TEXT_CENTRE) <= report.tol.mm,
        f"centre {line.centre:.1f} mm",
        f"{TEXT_CENTRE:.0f} mm ±{report.tol.mm:g}",
        1,
    )
    if marks:
        gap = line.em_top - max(m.em_bottom for m in marks)
        ok, want = _blank_lines_ok(gap, g.DOC_NUMBER_BLANK_LINES, report.tol)
        report.add("doc-number.below-mark", "7.2.5", ok, f"{gap:.1f} mm below the 标志", want, 1)
    return line


def check_red_rule(report: Report, page: Page, above: Line | None) -> Band | None:
    rules = _rule_bands(page, red=True)
    if not rules:
        report.add(
            "red-rule.found", "7.2.7", False, "no red rule ≥100 mm on page 1", "red rule 156 mm wide", 1
        )
        return None
    rule = rules[0]
    tol = report.tol.mm
    ok = abs(rule.width - g.RED_RULE_WIDTH_MM) <= tol and abs(rule.x0 - TEXT_LEFT) <= tol and len(rules) == 1
    report.add(
        "red-rule.width",
        "7.2.7",
        ok,
        f"{len(rules)} red rule(s); x {rule.x0:.1f}–{rule.x1:.1f} "
        f"({rule.width:.1f} mm, {rule.thickness:.2f} mm thick)",
        f"one rule, x {TEXT_LEFT:.0f}–{TEXT_RIGHT:.0f} ({g.RED_RULE_WIDTH_MM:g} mm) ±{tol:g}",
        1,
    )
    if above is not None:
        gap = rule.top - above.em_bottom
        report.add(
            "red-rule.gap",
            "7.2.7",
            abs(gap - g.RED_RULE_GAP_MM) <= tol,
            f"{gap:.1f} mm below {above.compact[:12]}",
            f"{g.RED_RULE_GAP_MM:g} mm ±{tol:g}",
            1,
        )
    return rule


def check_preprinted_head(report: Report, page: Page, ctx: Context) -> Band | None:
    """套打: nothing red in the file (the paper carries the 标志 and the rule), the 发文字号 or
    期数 printed in place; returns where the paper's red rule lies, 4 mm under the printed line,
    for the title to be measured from."""
    red = [c for line in page.text_lines for c in line.ink() if _red_ink(c)]
    red_rules = _rule_bands(page, red=True)
    report.add(
        "preprinted.blank",
        "7.2",
        not red and not red_rules,
        f"{len(red)} red character(s), {len(red_rules)} red rule(s) on page 1",
        "none: the pre-printed paper carries the 标志 and the red rule",
        1,
    )
    number = check_doc_number(report, page, ctx, [])
    above = number
    if ctx.mode is Mode.MINUTES and ctx.minutes_line:
        above = _find_line(page.text_lines, ctx.minutes_line) or number
    elif ctx.mode is Mode.MINUTES and number is not None:  # no tree: the 纪要's organ–date line
        head = itertools.takewhile(lambda line: line.size < g.BODY_SIZE_PT + 2, page.text_lines)
        above = [line for line in head if line.em_top >= number.em_top][-1]
    if above is None:
        return None
    top = above.em_bottom + g.RED_RULE_GAP_MM
    thickness = g.RED_RULE_THICKNESS_MM
    return Band(TEXT_LEFT, TEXT_RIGHT, top, top + thickness, (1.0, 0.0, 0.0))


PRINT_DATE_RE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日印发$")


def check_printed_gap(report: Report, line: Line, page: int) -> None:
    """7.4: 印发机关 and 印发日期 stand apart on their line, at least one 字 of white between."""
    ink = sorted(line.ink(), key=lambda c: c["x0"])
    text = "".join(c["text"] for c in ink)
    date = PRINT_DATE_RE.search(text)
    if date is None or date.start() == 0:
        return
    before, first = ink[date.start() - 1], ink[date.start()]
    gap = (first["x0"] - before["x1"]) * MM
    want = g.pt_to_mm(g.COLOPHON_PRINTED_GAP_CHARS * g.COLOPHON_SIZE_PT)
    report.add(
        "colophon.printed-gap",
        "7.4",
        gap >= want - 0.5,
        f"{gap:.1f} mm between {text[: date.start()][-3:]}… and {date.group()}",
        f"≥ {want:.1f} mm ({g.COLOPHON_PRINTED_GAP_CHARS} 字 at 四号)",
        page,
    )


# --- rules: title, 主送 ---------------------------------------------------------------------------------


def _run_of_lines(lines: Sequence[Line], text: str) -> list[Line]:
    """Consecutive lines whose text, joined, is ``text`` (a title the layout may have wrapped)."""
    want = _compact(text)
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


def _title_lines(page: Page, ctx: Context, rule: Band | None) -> list[Line]:
    if ctx.title_lines:
        return _run_of_lines(page.text_lines, "".join(ctx.title_lines))
    start = rule.bottom if rule else TEXT_TOP - 1
    lines = [line for line in page.text_lines if line.em_top > start]
    if rule is None:  # plain, or 套打 (版头 left blank, 发文字号 printed): the first large line
        lines = list(itertools.dropwhile(lambda line: line.size < g.BODY_SIZE_PT + 2, lines))
    out: list[Line] = []
    for line in lines:
        if line.size < g.BODY_SIZE_PT + 2:
            break
        out.append(line)
    return out


def title_shape(widths: Sequence[float], slack: float = 2.0, counts: Sequence[int] = ()) -> str:
    """梯形/菱形 classification of title line widths (mm): "" when it zigzags or a line of a
    multi-line title holds a single character (回行 must keep words whole, 长短适宜)."""
    if len(widths) <= 1:
        return "单行"
    if any(n <= 1 for n in counts):
        return ""
    steps = [0 if abs(b - a) <= slack else (1 if b > a else -1) for a, b in itertools.pairwise(widths)]
    signs = [s for s in steps if s]
    if not signs or all(s < 0 for s in signs):
        return "梯形(上长下短)"
    if all(s > 0 for s in signs):
        return "梯形(上短下长)"
    turns = sum(1 for a, b in itertools.pairwise(signs) if a != b)
    return "菱形" if turns == 1 and signs[0] > 0 else ""


def check_title(report: Report, page: Page, ctx: Context, rule: Band | None) -> list[Line]:
    lines = _title_lines(page, ctx, rule)
    if not lines:
        report.add("title.found", "7.3.1", False, "title not found on page 1", "title on page 1", 1)
        return []
    if ctx.title_lines:
        breaks = " / ".join(line.compact for line in lines)
        report.add(
            "title.wrap",
            "7.3.1",
            len(lines) == len(ctx.title_lines),
            f"{len(lines)} line(s): {breaks}",
            f"{len(ctx.title_lines)} line(s) broken at whole words: {' / '.join(ctx.title_lines)}",
            1,
        )
    ink = [c for line in lines for c in line.ink()]
    sizes = sorted({round(c["size"], 2) for c in ink})
    report.add(
        "title.size",
        "7.3.1",
        all(abs(c["size"] - g.TITLE_SIZE_PT) <= report.tol.title_pt for c in ink),
        f"{'/'.join(f'{s:g}' for s in sizes)} pt",
        f"{g.TITLE_SIZE_PT:g} pt ±{report.tol.title_pt:g}",
        1,
    )
    worst = max(lines, key=lambda line: abs(line.centre - TEXT_CENTRE))
    report.add(
        "title.centred",
        "7.3.1",
        abs(worst.centre - TEXT_CENTRE) <= report.tol.mm,
        f"line centres {', '.join(f'{line.centre:.1f}' for line in lines)} mm",
        f"{TEXT_CENTRE:.0f} mm ±{report.tol.mm:g}",
        1,
    )
    _check_shape(report, "title.shape", lines, 1)
    if rule is not None:
        gap = lines[0].em_top - rule.bottom
        ok, want = _blank_lines_ok(gap, g.TITLE_BLANK_LINES, report.tol)
        report.add("title.below-rule", "7.3.1", ok, f"{gap:.1f} mm below the red rule", want, 1)
    else:
        gap = lines[0].em_top - TEXT_TOP
        ok, want = _blank_lines_ok(gap, 0, report.tol)
        report.add("title.top", "7.3.1", ok, f"{gap:.1f} mm below the 版心 top", want, 1)
    return lines


def _check_shape(report: Report, rule: str, lines: list[Line], page: int) -> None:
    counts = [len(line.ink()) for line in lines]
    shape = title_shape([line.x1 - line.x0 for line in lines], counts=counts)
    widths = ", ".join(f"{line.x1 - line.x0:.0f}" for line in lines)
    report.add(
        rule,
        "7.3.1",
        bool(shape),
        f"{shape or 'neither'}: widths {widths} mm, chars {counts}",
        "梯形 or 菱形, no one-character line",
        page,
    )


def check_addressee(report: Report, page: Page, ctx: Context, title: list[Line]) -> None:
    if ctx.known and not ctx.addressee:
        return
    if not ctx.known and ctx.mode is Mode.MINUTES:
        return
    after = [line for line in page.text_lines if title and line.em_top > title[-1].em_bottom]
    first = _lines_starting(after, ctx.addressee) if ctx.addressee else (after[0] if after else None)
    if first is None or not title:
        report.add(
            "addressee.found",
            "7.3.2",
            False,
            "no 主送 line after the title",
            "主送机关 one line below the title",
            1,
        )
        return
    group = [first]
    for line in after[after.index(first) + 1 :]:
        if group[-1].compact.endswith("：") or len(group) >= 4 or abs(line.x0 - TEXT_LEFT) > report.tol.mm:
            break
        group.append(line)
    tol = report.tol.mm
    flush = all(abs(line.x0 - TEXT_LEFT) <= tol for line in group)
    report.add(
        "addressee.flush-left",
        "7.3.2",
        flush,
        f"x0 {', '.join(f'{line.x0:.1f}' for line in group)} mm",
        f"{TEXT_LEFT:.0f} mm ±{tol:g} (顶格)",
        1,
    )
    text = "".join(line.compact for line in group)
    report.add(
        "addressee.colon", "7.3.2", text.endswith("："), f"ends {text[-4:]!r}", "ends with full-width '：'", 1
    )
    gap = first.em_top - title[-1].em_bottom
    ok, want = _blank_lines_ok(gap, g.ADDRESSEE_BLANK_LINES, report.tol)
    report.add("addressee.below-title", "7.3.2", ok, f"{gap:.1f} mm below the title", want, 1)


def check_minutes_attendance(report: Report, pages: list[Page], ctx: Context) -> None:
    labels = ctx.attendance_labels or ("出席", "请假", "列席")
    found = 0
    for page in pages:
        for line in page.text_lines:
            for label in labels:
                if line.compact.startswith(label + "："):
                    found += 1
                    chars = line.ink()[: len(label)]
                    wrong = report.wrong_face(chars, "hei")
                    report.add(
                        "minutes.attendance-face",
                        "10.3",
                        not wrong,
                        f"{label}: {_faces(chars)}",
                        "黑体 face (" + "/".join(fonts.FONT_ROLES["hei"].pdf_families) + ")",
                        page.number,
                    )
    if ctx.attendance_labels and found < len(ctx.attendance_labels):
        report.add(
            "minutes.attendance-found",
            "10.3",
            False,
            f"{found} of {len(ctx.attendance_labels)} labels found",
            "出席/列席 lines",
            None,
        )


# --- rules: body ---------------------------------------------------------------------------------------


def _body_size(line: Line) -> bool:
    return all(abs(c["size"] - g.BODY_SIZE_PT) <= 1.2 for c in line.ink())


def _paragraph_start(line: Line, tol: float) -> bool:
    return abs(line.x0 - line.left) <= tol or abs(line.x0 - line.left - g.INDENT_CHARS * CHAR_MM) <= tol


def _ends_paragraph(line: Line, ctx: Context) -> bool:
    return any(p.endswith(line.compact) for p in ctx.paragraphs)


def _reading_order(pages: list[Page]) -> list[Line]:
    return [line for page in pages if not page.landscape for line in page.text_lines]


def continuation_pairs(pages: list[Page], ctx: Context, tol: float = 0.5) -> list[tuple[Line, Line]]:
    """(line, next line of the same paragraph): the first line is then a full line.

    The next line continues the paragraph when it starts 顶格 one 行 lower (or at the top of the
    next page after a line at the foot of the page); with the tree, a line that ends one of the
    document's paragraphs never counts as full.
    """
    by_page = {page.number: page for page in pages}
    lines = _reading_order(pages)
    pairs = []
    for a, b in itertools.pairwise(lines):
        if not (_body_size(a) and _body_size(b) and _paragraph_start(a, tol)) or abs(b.x0 - b.left) > tol:
            continue
        if a.in_table or b.in_table:
            continue
        if any(_red_ink(c) for c in a.ink()):
            continue
        if a.page == b.page:
            adjacent = 0 < b.baseline - a.baseline < 1.5 * LINE_MM
        else:
            a_last = by_page[a.page].text_lines[-1] is a
            b_first = by_page[b.page].text_lines[0] is b
            adjacent = (
                b.page == a.page + 1 and a_last and b_first and a.em_bottom > TEXT_BOTTOM - 1.5 * LINE_MM
            )
        if adjacent and not (ctx.known and _ends_paragraph(a, ctx)):
            pairs.append((a, b))
    return pairs


def _indent_chars(line: Line) -> int:
    return round((line.x0 - TEXT_LEFT) / CHAR_MM)


# Closing marks that may not begin a line (避头): when one would, the character before it moves down
# with it (推出) and the line, one 字 short, is justified to the edge — correct CJK typesetting.
NO_LINE_START = "，。、；：？！”’）》」』】〕…—·%"
# Opening marks that may not end a line (避尾): one that would take the last slot moves down to the
# character it opens, and the line, one 字 short, is justified to the edge — the same 推出.
NO_LINE_END = "“‘（《〈「『【〔"


def _slots(line: Line) -> int:
    """字 the line takes: its indent plus its characters (an all-CJK line: one slot each)."""
    return len(line.ink()) + _indent_chars(line)


def _pushed_out(line: Line, next_line: Line) -> bool:
    """A 27-字 full line whose next line starts with a unit that could not take the last slot: a
    character followed by a 避头 mark, or a 避尾 mark followed by its character."""
    following = next_line.compact
    return (
        _slots(line) == g.CHARS_PER_LINE - 1
        and len(following) >= 2
        and (following[1] in NO_LINE_START or following[0] in NO_LINE_END)
    )


def check_full_lines(report: Report, pages: list[Page], pairs: list[tuple[Line, Line]]) -> None:
    """Lines that are not a paragraph's last line fill the 版心: to 184 mm, and an all-CJK line
    holds exactly 28 字 (its indent counted). Only 推出 (``_pushed_out``) leaves one slot empty;
    any other count is a break in the wrong place, even when justification has spread the line to
    the edge (24 字 at 17.2 pt instead of 15.79: the x1 test alone does not see it)."""
    want = TEXT_RIGHT - report.tol.mm
    group_pairs = {n: list(g_) for n, g_ in itertools.groupby(pairs, key=lambda p: p[0].page)}
    for number, group in group_pairs.items():
        full = [a for a, _ in group]
        short = [a for a in full if a.x1 < want]
        cjk_only = [(a, b) for a, b in group if not any(c["text"].isascii() for c in a.ink())]
        miscounted = [(a, b) for a, b in cjk_only if _slots(a) != g.CHARS_PER_LINE and not _pushed_out(a, b)]
        detail = ""
        if short:
            worst = min(short, key=lambda a: a.x1)
            short_by = TEXT_RIGHT - worst.x1
            detail = f"; worst ends {worst.x1:.1f} mm ({short_by:.1f} mm short): {worst.compact[:14]}…"
        if miscounted:
            a, b = miscounted[0]
            counts = "/".join(str(n) for n in sorted({_slots(a) for a, _ in miscounted}))
            detail += f"; {len(miscounted)} all-CJK lines of {counts} 字, not 推出: …{a.compact[-6:]}|{b.compact[:4]}…"
        report.add(
            "body.full-lines",
            "5.2.4",
            not short and not miscounted,
            f"{len(short)} of {len(full)} full lines end short{detail}",
            f"x1 ≥ {want:.0f} mm; {g.CHARS_PER_LINE} 字 on an all-CJK line ({g.CHARS_PER_LINE - 1} only for 推出)",
            number,
        )


def check_line_pitch(report: Report, pairs: list[tuple[Line, Line]]) -> None:
    same_page = [(a, b) for a, b in pairs if a.page == b.page]
    if not same_page:
        return
    pitches = [(b.baseline - a.baseline) / MM for a, b in same_page]
    off = [p for p in pitches if abs(p - g.LINE_PITCH_PT) > report.tol.pitch_pt]
    report.add(
        "body.line-pitch",
        "5.2.4",
        not off,
        f"{len(pitches)} pitches {min(pitches):.2f}–{max(pitches):.2f} pt, {len(off)} off",
        f"{g.LINE_PITCH_PT:.2f} pt ±{report.tol.pitch_pt:g}",
    )


def _paragraph_lines(pages: list[Page], ctx: Context, pairs: list[tuple[Line, Line]]) -> list[Line]:
    """Body text lines: with the tree, lines whose text belongs to a paragraph; else the lines of
    multi-line paragraphs found by geometry."""
    if ctx.known:
        heads = {_compact(h.full_text) for h in ctx.headings}
        plain = [p for p in ctx.paragraphs if p not in heads and p not in ctx.mixed_paragraphs]
        return [
            line
            for line in _reading_order(pages)
            if len(line.compact) >= 6
            and not line.in_table
            and not _is_page_number(line)
            and not any(line.compact in t for t in ctx.display_texts)
            and any(line.compact in p for p in plain)
        ]
    seen: dict[int, Line] = {}
    for a, b in pairs:
        seen[id(a)], seen[id(b)] = a, b
    return list(seen.values())


def check_body_text(report: Report, pages: list[Page], ctx: Context, lines: list[Line]) -> None:
    ink = [c for line in lines for c in line.ink()]
    if not ink:
        report.add("body.found", "5.2.3", False, "no body paragraph lines found", "三号仿宋 body text", None)
        return
    bad_size = [c for c in ink if abs(c["size"] - g.BODY_SIZE_PT) > report.tol.size_pt]
    sizes = sorted({round(c["size"], 1) for c in ink})
    report.add(
        "body.size",
        "5.2.3",
        not bad_size,
        f"{len(bad_size)} of {len(ink)} chars off; sizes {'/'.join(f'{s:g}' for s in sizes)} pt",
        f"{g.BODY_SIZE_PT:g} pt ±{report.tol.size_pt:g}",
    )
    wrong = report.wrong_face(ink, "body")
    report.add(
        "body.face",
        "5.2.3",
        not wrong,
        f"{len(wrong)} of {len(ink)} chars not 仿宋; faces {_faces(ink)}",
        "仿宋 (" + "/".join(fonts.FONT_ROLES["body"].pdf_families) + ")",
    )


def _heading_line(lines: list[Line], heading: Heading, tol: float) -> Line | None:
    want = _compact(heading.full_text)[:10]
    return next(
        (
            line
            for line in lines
            if line.compact.startswith(want)
            and abs(line.x0 - line.left - g.INDENT_CHARS * CHAR_MM) <= tol + 1
        ),
        None,
    )


def _detected_headings(lines: list[Line], tol: float) -> Iterator[tuple[int, Line, int]]:
    """(level, line, characters of the numbering) for lines at the 2-字 indent that start with a
    heading number (no tree)."""
    for line in lines:
        if not _body_size(line) or line.in_table or abs(line.x0 - line.left - g.INDENT_CHARS * CHAR_MM) > tol:
            continue
        for level, pattern in HEADING_NUMBER_RES.items():
            if m := pattern.match(line.compact):
                yield level, line, len(m.group(0))
                break


def check_headings(report: Report, pages: list[Page], ctx: Context) -> None:
    lines = [line for page in pages for line in page.text_lines]
    tol = report.tol.mm
    found: list[tuple[int, Line, int, str]] = []
    if ctx.known:
        for heading in ctx.headings:
            line = _heading_line(lines, heading, tol)
            if line is None:
                report.add(
                    f"heading.l{heading.level}.found",
                    "7.3.3",
                    False,
                    f"{heading.full_text[:14]} not found",
                    "heading line at 左空二字",
                    None,
                )
                continue
            found.append((heading.level, line, len(_compact(heading.full_text)), heading.full_text))
    else:
        found = [(level, line, n, line.compact[:12]) for level, line, n in _detected_headings(lines, tol)]
    names = {"hei": "黑体", "kai": "楷体", "body": "仿宋"}
    for level, line, count, label in found:
        role = g.HEADING_ROLES[level]
        chars = line.ink()[:count]
        wrong = report.wrong_face(chars, role)
        bold = [c for c in chars if _is_bold(c["fontname"])]
        size_off = [c for c in chars if abs(c["size"] - g.BODY_SIZE_PT) > report.tol.size_pt]
        report.add(
            f"heading.l{level}",
            "7.3.3",
            not wrong and not bold and not size_off,
            f"{label[:12]}: {_faces(chars)} {line.size:.1f} pt",
            f"{names[role]} face, no bold cut, {g.BODY_SIZE_PT:g} pt",
            line.page,
        )


# --- rules: 落款, 附件, 页码, 版记 --------------------------------------------------------------------------


def check_dates(report: Report, pages: list[Page], ctx: Context) -> None:
    """成文日期 (7.3.5.4) on its own 落款 line or in the 纪要 header; 印发日期 in the 版记 (7.4)."""
    seen = False
    for page in pages:
        for line in page.text_lines:
            text = line.compact
            own_line = ANY_DATE_RE.fullmatch(text) and line.x0 > TEXT_CENTRE - 30
            header = (
                page.number == 1
                and ctx.mode is Mode.MINUTES
                and ANY_DATE_RE.search(text)
                and line.size <= g.BODY_SIZE_PT + 1
            )
            printed = text.endswith("印发") and ANY_DATE_RE.search(text)
            if ctx.signoff_date and _compact(ctx.signoff_date) == text:
                own_line = True
            if not (own_line or header or printed):
                continue
            for date in ANY_DATE_RE.findall(text):
                seen = True
                rule = "date.colophon" if printed else "date.signoff"
                report.add(
                    rule,
                    "7.3.5.4/7.4",
                    bool(DATE_RE.fullmatch(date)),
                    date,
                    "YYYY年M月D日, no leading zeros",
                    page.number,
                )
    if ctx.signoff_date and not seen:
        report.add(
            "date.signoff", "7.3.5.4", False, f"{ctx.signoff_date} not found", "成文日期 in the 落款", None
        )


def _attachment_pages(pages: list[Page], ctx: Context) -> list[tuple[Page, Line]]:
    out = []
    for page in pages:
        lines = page.text_lines
        if not lines:
            continue
        for line in lines:
            text = line.compact
            if (ctx.attachment_labels and text in ctx.attachment_labels) or (
                not ctx.known and ATTACHMENT_LABEL_RE.fullmatch(text)
            ):
                out.append((page, line))
    return out


def check_attachments(report: Report, pages: list[Page], ctx: Context) -> None:
    found = _attachment_pages(pages, ctx)
    if ctx.known and len(found) != len(ctx.attachment_labels):
        report.add(
            "attachment.found",
            "7.3.7",
            False,
            f"{len(found)} label line(s) found",
            f"{len(ctx.attachment_labels)} 附件 label(s)",
            None,
        )
    tol = report.tol.mm
    for page, label in found:
        left, _, text_top, _ = page.frame
        first = page.text_lines[0] is label
        flush = abs(label.x0 - left) <= tol
        on_line_1 = label.em_top >= text_top - tol and label.em_bottom <= text_top + LINE_MM + tol
        wrong = report.wrong_face(label.ink(), "hei")
        _check_attachment_title(report, page, label, ctx)
        report.add(
            "attachment.label",
            "7.3.7",
            first and flush and on_line_1 and not wrong,
            f"{label.compact}: {'first line' if first else 'not first on its page'}, "
            f"x0 {label.x0:.1f}, top {label.em_top:.1f} mm, {_faces(label.ink())}",
            f"new page, 黑体, x0 {left:.0f} ±{tol:g}, "
            f"in the 版心's first line ({text_top:.0f}–{text_top + LINE_MM:.1f} mm)",
            page.number,
        )


def _check_attachment_title(report: Report, page: Page, label: Line, ctx: Context) -> None:
    """7.3.7: the attachment title, 二号小标宋, centred on the third line (one blank line after the label)."""
    after = page.text_lines[page.text_lines.index(label) + 1 :]
    title = ctx.attachment_titles.get(label.compact, "")
    lines = (
        _run_of_lines(after, title)
        if title
        else [line for line in after[:3] if line.size > g.BODY_SIZE_PT + 2]
    )
    if not lines:
        if title:
            report.add(
                "attachment.title",
                "7.3.7",
                False,
                f"{title[:14]} not found after {label.compact}",
                "title on the 3rd line",
                page.number,
            )
        return
    ink = [c for line in lines for c in line.ink()]
    gap = lines[0].em_top - label.em_bottom
    gap_ok, want = _blank_lines_ok(gap, g.ATTACHMENT_TITLE_LINE - 2, report.tol)
    left, right, _, _ = page.frame
    centre = (left + right) / 2
    centred = all(abs(line.centre - centre) <= report.tol.mm for line in lines)
    size_ok = all(abs(c["size"] - g.TITLE_SIZE_PT) <= report.tol.title_pt for c in ink)
    report.add(
        "attachment.title",
        "7.3.7",
        gap_ok and centred and size_ok,
        f"{lines[0].size:.1f} pt, centres {', '.join(f'{line.centre:.1f}' for line in lines)}, "
        f"{gap:.1f} mm below the label",
        f"{g.TITLE_SIZE_PT:g} pt, centred {centre:.1f} ±{report.tol.mm:g}, {want}",
        page.number,
    )
    _check_shape(report, "attachment.title-shape", lines, page.number)


def check_landscape_content(report: Report, page: Page) -> None:
    """Clause 8: a 横排 page is for a table; running text there means the text flowed onto it."""
    text = [
        line
        for line in page.text_lines
        if not line.in_table
        and _body_size(line)
        and not ATTACHMENT_LABEL_RE.fullmatch(line.compact)  # an attachment may open on a 横排 page
        and abs(line.centre - page.width / 2) > 5
        and not any(_red_ink(c) for c in line.ink())
    ]
    sample = text[0].compact[:14] if text else ""
    report.add(
        "page.landscape-content",
        "8",
        not text,
        f"{len(text)} running-text line(s) on the turned page" + (f": {sample}…" if text else ""),
        "only the table (caption, unit note, notes)",
        page.number,
    )


def _unnumbered_ok(pages: list[Page], page: Page, colophon: bool) -> bool:
    """7.5: blank pages before the 版记 page, and that page, may go without a number."""
    if not colophon:
        return False
    if page.number == len(pages):
        return True
    return all(not p.text_lines for p in pages[page.number - 1 : -1])


def _is_blank(page: Page) -> bool:
    """Nothing on the page but (perhaps) its number: no text, rule or table."""
    return (
        not page.text_lines
        and all(_is_page_number(line) for line in page.turned)
        and not page.bands
        and not page.table_rules
    )


def _numbered_by_mistake(pages: list[Page], page: Page, colophon: bool) -> str:
    """7.5: a blank page before the 版记 page, and that 版记 page, carry no number."""
    if not colophon or len(pages) < 2:
        return ""
    if page.number < len(pages) and _is_blank(page) and all(_is_blank(p) for p in pages[page.number : -1]):
        return "a blank page before the 版记 page"
    if page.number == len(pages) and _is_blank(pages[-2]):
        return "the 版记 page after a blank page"
    return ""


def check_page_numbers(report: Report, pages: list[Page], ctx: Context) -> None:
    tol = report.tol.page_number_mm
    for page in pages:
        numbers = page.page_number_lines
        turned = [line for line in page.turned if _is_page_number(line)]
        expected_text = f"{g.PAGE_NUMBER_DASH} {page.number} {g.PAGE_NUMBER_DASH}"
        side = "odd: 右空一字" if page.number % 2 else "even: 左空一字"
        mistake = "" if not numbers and not turned else _numbered_by_mistake(pages, page, ctx.colophon)
        if mistake:
            report.add(
                "page-number",
                "7.5",
                False,
                f"'{(turned or numbers)[-1].text.strip()}' on {mistake}",
                "no number on blank pages before the 版记 page, nor on that page",
                page.number,
            )
            continue
        if not numbers and not turned:
            ok = _unnumbered_ok(pages, page, ctx.colophon)
            report.add(
                "page-number",
                "7.5",
                ok,
                "none" + (" (blank/版记 page)" if ok else ""),
                expected_text,
                page.number,
            )
            continue
        line = (turned or numbers)[-1]
        text_ok = int(PAGE_NUMBER_RE.fullmatch(line.compact).group(1)) == page.number  # type: ignore[union-attr]
        if turned:  # already in the portrait frame
            left, right, top = line.x0, line.x1, line.em_top
        else:
            left, right, top, _ = _portrait_box(page, line.ink())
        want_x = TEXT_RIGHT - PAGE_NUMBER_SIDE_MM if page.number % 2 else TEXT_LEFT + PAGE_NUMBER_SIDE_MM
        got_x = right if page.number % 2 else left
        below = top - TEXT_BOTTOM
        size_ok = all(abs(c["size"] - g.PAGE_NUMBER_SIZE_PT) <= 0.5 for c in line.ink())
        ok = (
            text_ok
            and size_ok
            and abs(got_x - want_x) <= tol
            and abs(below - g.PAGE_NUMBER_BELOW_TEXT_MM) <= tol
        )
        edge = "x1" if page.number % 2 else "x0"
        frame = " (portrait frame of a turned page)" if page.landscape else ""
        report.add(
            "page-number.turned" if page.landscape else "page-number",
            "7.5/8" if page.landscape else "7.5",
            ok,
            f"'{line.text.strip()}' {line.size:.1f} pt, {edge} {got_x:.1f}, "
            f"top {below:.1f} mm below the 版心{frame}",
            f"'{expected_text}' {g.PAGE_NUMBER_SIZE_PT:g} pt, {side} {edge} {want_x:.1f} ±{tol:g}, "
            f"top {g.PAGE_NUMBER_BELOW_TEXT_MM:g} ±{tol:g} mm below",
            page.number,
        )


def check_colophon(report: Report, pages: list[Page], ctx: Context) -> None:
    if not ctx.colophon or not pages:
        return
    last = pages[-1]
    report.add(
        "colophon.even-last-page",
        "7.4",
        len(pages) % 2 == 0,
        f"last page is {len(pages)}",
        "an even page",
        last.number,
    )
    # '…日印发' may wrap (印 / 发 on two lines), so look for it in each page's running text.
    where = [p.number for p in pages if re.search(r"日印\s*发", "".join(line.text for line in p.text_lines))]
    report.add(
        "colophon.on-last-page",
        "7.4",
        where == [last.number],
        f"'…日印发' on page(s) {where}",
        f"only on the last page ({last.number})",
        last.number,
    )
    printed = [line for line in last.text_lines if line.compact.endswith("印发")]
    if where and where[-1] == last.number:
        report.add(
            "colophon.printed-line",
            "7.4",
            bool(printed),
            "one line" if printed else "wrapped: no line ends with 印发",
            "印发机关 and '…日印发' on one line",
            last.number,
        )
    if not printed:
        return
    check_printed_gap(report, printed[-1], last.number)
    block = [line for line in last.text_lines if line.em_top >= printed[-1].em_top - 6 * LINE_MM]
    starts = [i for i, line in enumerate(block) if line.compact.startswith(("抄送", "主送"))]
    block = block[starts[0] :] if starts else block[-1:]
    start = block[0].em_top - LINE_MM
    rules = sorted(
        (b for b in _rule_bands(last, red=False) if b.top >= start and b.bottom <= TEXT_BOTTOM + 3),
        key=lambda b: b.top,
    )
    tol = report.tol.mm
    if len(rules) < 2:
        report.add(
            "colophon.rules",
            "7.4",
            False,
            f"{len(rules)} rule(s) ≥100 mm near the 版记",
            "≥2 black rules 156 mm wide",
            last.number,
        )
    else:
        want = (
            [g.COLOPHON_THICK_RULE_MM]
            + [g.COLOPHON_THIN_RULE_MM] * (len(rules) - 2)
            + [g.COLOPHON_THICK_RULE_MM]
        )
        ok = all(
            abs(r.thickness - w) <= report.tol.rule_mm and abs(r.width - g.TEXT_WIDTH_MM) <= tol
            for r, w in zip(rules, want, strict=True)
        )
        report.add(
            "colophon.rules",
            "7.4",
            ok,
            ", ".join(f"{r.thickness:.2f}×{r.width:.1f}" for r in rules) + " mm",
            ", ".join(f"{w:g}±{report.tol.rule_mm:g}×{g.TEXT_WIDTH_MM:g}" for w in want)
            + " mm (thick/thin/thick)",
            last.number,
        )
        foot = rules[-1].bottom
        report.add(
            "colophon.foot",
            "7.4",
            abs(foot - TEXT_BOTTOM) <= tol,
            f"last rule bottom {foot:.1f} mm",
            f"{TEXT_BOTTOM:.0f} mm ±{tol:g} (版心 foot)",
            last.number,
        )
    ink = [c for line in block for c in line.ink()]
    sizes = sorted({round(c["size"], 1) for c in ink})
    report.add(
        "colophon.size",
        "7.4",
        all(abs(c["size"] - g.COLOPHON_SIZE_PT) <= 0.5 for c in ink),
        f"{'/'.join(f'{s:g}' for s in sizes)} pt",
        f"{g.COLOPHON_SIZE_PT:g} pt ±0.5",
        last.number,
    )


def check_glyphs(report: Report, pages: list[Page]) -> None:
    bad = [
        (page.number, c["text"])
        for page in pages
        for line in page.lines
        for c in line.chars
        if "\ufffd" in c["text"] or c["text"].startswith("(cid:") or not c["text"] or not c.get("fontname")
    ]
    report.add(
        "fonts.glyphs",
        "5.2.3",
        not bad,
        f"{len(bad)} replacement/unmapped glyphs"
        + (f" (pages {sorted({p for p, _ in bad})})" if bad else ""),
        "no U+FFFD, (cid:N) or empty characters",
    )


def _fonts_in(resources: object, seen: set[int]) -> Iterator[pypdf.generic.DictionaryObject]:
    resources = resources.get_object() if resources is not None else None  # type: ignore[union-attr]
    if not isinstance(resources, dict):
        return
    for font in (resources.get("/Font") or {}).values():
        yield font.get_object()
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        key = id(xobject)
        if key not in seen and "/Resources" in xobject:
            seen.add(key)
            yield from _fonts_in(xobject["/Resources"], seen)


def _embedded(font: pypdf.generic.DictionaryObject) -> bool:
    if font.get("/Subtype") == "/Type3":
        return True  # glyphs are drawn by content streams inside the file
    target = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
    descriptor = target.get("/FontDescriptor")
    descriptor = descriptor.get_object() if descriptor is not None else {}
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def check_embedding(report: Report, path: Path) -> None:
    reader = pypdf.PdfReader(path)
    names: dict[str, bool] = {}
    seen: set[int] = set()
    for page in reader.pages:
        for font in _fonts_in(page.get("/Resources"), seen):
            names[str(font.get("/BaseFont", "?"))] = _embedded(font)
    missing = sorted(name for name, ok in names.items() if not ok)
    report.add(
        "fonts.embedded",
        "5.2.3",
        bool(names) and not missing,
        f"{len(names)} fonts, not embedded: {', '.join(missing) or 'none'}",
        "every font embedded (FontFile/2/3)",
    )


# --- check_pdf -------------------------------------------------------------------------------------------


def check_pdf(
    pdf_path: Path, document: Document | None = None, tolerance: Tolerance = STRICT
) -> list[Finding]:
    """Measure a bulletin PDF against GB/T 9704-2012; one finding per rule (and page)."""
    pdf_path = Path(pdf_path)
    pages = read_pdf(pdf_path)
    report = Report(tolerance)
    if not pages:
        report.add("pages", "5.2.1", False, "no pages", "≥1 page")
        return report.findings
    ctx = context_of(document) if document is not None else _guess_context(pages)
    for page in pages:
        check_page_size(report, page)
        check_text_block(report, page)
        if page.landscape:
            check_landscape_content(report, page)
    first = pages[0]
    rule: Band | None = None
    if ctx.mode is not Mode.PLAIN and ctx.preprinted:
        rule = check_preprinted_head(report, first, ctx)
    elif ctx.mode is not Mode.PLAIN:
        marks = check_mark(report, first, ctx)
        number = check_doc_number(report, first, ctx, marks)
        above = number
        if ctx.mode is Mode.MINUTES and ctx.minutes_line:
            above = _find_line(first.text_lines, ctx.minutes_line) or number
        elif ctx.mode is Mode.MINUTES and number is not None:
            later = [
                line
                for line in first.text_lines
                if line.em_top > number.em_bottom and line.size <= g.BODY_SIZE_PT + 1
            ]
            rules = _rule_bands(first, red=True)
            if later and rules and later[0].em_bottom < rules[0].top:
                above = later[0]
        rule = check_red_rule(report, first, above)
    title = check_title(report, first, ctx, rule)
    check_addressee(report, first, ctx, title)
    pairs = continuation_pairs(pages, ctx)
    check_full_lines(report, pages, pairs)
    check_line_pitch(report, pairs)
    check_body_text(report, pages, ctx, _paragraph_lines(pages, ctx, pairs))
    check_headings(report, pages, ctx)
    if ctx.mode is Mode.MINUTES:
        check_minutes_attendance(report, pages, ctx)
    check_dates(report, pages, ctx)
    check_attachments(report, pages, ctx)
    check_page_numbers(report, pages, ctx)
    check_colophon(report, pages, ctx)
    check_glyphs(report, pages)
    check_embedding(report, pdf_path)
    return report.findings


# --- report and CLI ----------------------------------------------------------------------------------------


def failures(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if not f.ok]


def format_report(findings: Sequence[Finding], title: str = "") -> str:
    """A plain-text table: rule, clause, page, measured, expected, PASS/FAIL."""
    rows = [("rule", "clause", "page", "measured", "expected", "result")]
    rows += [
        (
            f.rule,
            f.clause,
            "" if f.page is None else str(f.page),
            f.measured,
            f.expected,
            "PASS" if f.ok else "FAIL",
        )
        for f in findings
    ]
    widths = [
        min(max(_width(row[i]) for row in rows), 60 if i in (3, 4) else 40) for i in range(len(rows[0]))
    ]
    out = [title] if title else []
    for n, row in enumerate(rows):
        cells = [_pad(cell, widths[i]) if i < len(row) - 1 else cell for i, cell in enumerate(row)]
        out.append("  ".join(cells).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    bad = len(failures(findings))
    out.append(f"{len(findings)} checks, {bad} failed")
    return "\n".join(out)


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    """Left-justify to ``width`` columns (CJK counts two), wrapping nothing: long cells overflow."""
    return text + " " * max(0, width - _width(text))


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m zsreport.conformance FILE.pdf|FILE.docx ...``: print reports, exit 1 on failure."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print("usage: python -m zsreport.conformance FILE.pdf|FILE.docx ...")
        return 0 if args else 2
    status = 0
    paths = [Path(a) for a in args]
    docx_pdfs = convert_docx_to_pdf([p for p in paths if p.suffix.lower() == ".docx"])
    for path in paths:
        if not path.exists():
            print(f"{path}: no such file")
            status = 1
            continue
        if path.suffix.lower() == ".docx":
            findings = check_docx(path, pdf=docx_pdfs.get(path))
        else:
            findings = check_pdf(path)
        print(format_report(findings, title=f"== {path}"))
        print()
        status |= 1 if failures(findings) else 0
    return status


# --- DOCX --------------------------------------------------------------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
DOCX_GRID_TOLERANCE_TWIPS = 2


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def _twips(mm: float) -> int:
    return g.mm_to_twips(mm)


def _xml(zf: zipfile.ZipFile, name: str) -> etree._Element | None:
    try:
        return etree.fromstring(zf.read(name))
    except KeyError:
        return None


@dataclass
class DocxParts:
    document: etree._Element
    styles: etree._Element | None
    settings: etree._Element | None
    footers: dict[str, etree._Element] = field(default_factory=dict)  # rel id → footer root


def _read_docx(path: Path) -> DocxParts:
    with zipfile.ZipFile(path) as zf:
        document = _xml(zf, "word/document.xml")
        if document is None:
            raise ValueError(f"{path}: no word/document.xml")
        rels = _xml(zf, "word/_rels/document.xml.rels")
        footers = {}
        for rel in rels if rels is not None else []:
            if rel.get("Type", "").endswith("/footer"):
                footer = _xml(zf, "word/" + rel.get("Target", "").lstrip("/").removeprefix("word/"))
                if footer is not None:
                    footers[rel.get("Id")] = footer
        return DocxParts(document, _xml(zf, "word/styles.xml"), _xml(zf, "word/settings.xml"), footers)


def _val(el: etree._Element | None, attr: str) -> str | None:
    return None if el is None else el.get(_w(attr))


def check_docx_page_setup(report: Report, parts: DocxParts) -> None:
    sections = parts.document.findall(".//w:sectPr", NS)
    for index, sect in enumerate(sections, 1):
        size, mar = sect.find("w:pgSz", NS), sect.find("w:pgMar", NS)
        w, h = int(_val(size, "w") or 0), int(_val(size, "h") or 0)
        landscape = _val(size, "orient") == "landscape" or w > h
        want_w, want_h = _twips(g.PAGE_WIDTH_MM), _twips(g.PAGE_HEIGHT_MM)
        if landscape:
            want_w, want_h = want_h, want_w
        tol = _twips(report.tol.mm) if report.tol is STRICT else _twips(1.0)
        report.add(
            "docx.pgSz",
            "5.2.1",
            abs(w - want_w) <= tol and abs(h - want_h) <= tol,
            f"section {index}: {w}×{h} twips",
            f"{want_w}×{want_h} twips (A4{' landscape' if landscape else ''})",
        )
        margins = {k: int(_val(mar, k) or 0) for k in ("top", "bottom", "left", "right")}
        want = {
            "top": g.MARGIN_TOP_MM,
            "bottom": g.MARGIN_BOTTOM_MM,
            "left": g.MARGIN_LEFT_MM,
            "right": g.MARGIN_RIGHT_MM,
        }
        if landscape:  # the portrait page turned with its 订口 on top
            want = {
                "top": g.MARGIN_LEFT_MM,
                "right": g.MARGIN_TOP_MM,
                "bottom": g.MARGIN_RIGHT_MM,
                "left": g.MARGIN_BOTTOM_MM,
            }
        off = {k: v for k, v in margins.items() if abs(v - _twips(want[k])) > _twips(g.MARGIN_TOLERANCE_MM)}
        report.add(
            "docx.pgMar",
            "5.2.2",
            not off,
            f"section {index}: " + ", ".join(f"{k} {v / 20 * MM:.1f}" for k, v in margins.items()) + " mm",
            ", ".join(f"{k} {v:g}" for k, v in want.items()) + f" mm ±{g.MARGIN_TOLERANCE_MM:g}",
        )
        grid = sect.find("w:docGrid", NS)
        pitch = int(_val(grid, "linePitch") or 0)
        report.add(
            "docx.docGrid",
            "5.2.4",
            abs(pitch - g.LINE_PITCH_TWIPS) <= DOCX_GRID_TOLERANCE_TWIPS,
            f"section {index}: linePitch {pitch} ({_val(grid, 'type')})",
            f"linePitch {g.LINE_PITCH_TWIPS} ±{DOCX_GRID_TOLERANCE_TWIPS} twips",
        )


def _east_asia_names(root: etree._Element) -> list[str]:
    return [el.get(_w("eastAsia")) for el in root.iter(_w("rFonts")) if el.get(_w("eastAsia"))]


def _used_styles(parts: DocxParts) -> list[etree._Element]:
    """Styles the document uses (and their basedOn chains) plus docDefaults: unused latent styles
    of the template may keep theme fonts without ever reaching the page."""
    if parts.styles is None:
        return []
    by_id = {s.get(_w("styleId")): s for s in parts.styles.findall("w:style", NS)}
    wanted = {
        el.get(_w("val")) for tag in ("pStyle", "rStyle", "tblStyle") for el in parts.document.iter(_w(tag))
    }
    wanted |= {s.get(_w("styleId")) for s in by_id.values() if s.get(_w("default")) in ("1", "true")}
    used: dict[str, etree._Element] = {}
    todo = [w for w in wanted if w]
    while todo:
        style_id = todo.pop()
        style = by_id.get(style_id)
        if style is None or style_id in used:
            continue
        used[style_id] = style
        todo += [el.get(_w("val")) for el in style.findall("w:basedOn", NS)]
    defaults = parts.styles.find("w:docDefaults", NS)
    return [*([defaults] if defaults is not None else []), *used.values()]


def check_docx_fonts(report: Report, parts: DocxParts) -> None:
    """eastAsia fonts name the official faces; no theme font may take CJK text elsewhere."""
    official = {spec.official for spec in fonts.FONT_ROLES.values()}
    styles = _used_styles(parts)
    for label, elements in (("styles", styles), ("runs", [parts.document])):
        if not elements:
            report.add(f"docx.eastAsia.{label}", "5.2.3", False, "part missing", "official eastAsia names")
            continue
        names = [n for root in elements for n in _east_asia_names(root)]
        themed = sum(1 for root in elements for el in root.iter(_w("rFonts")) if el.get(_w("eastAsiaTheme")))
        foreign = sorted(set(names) - official)
        ok = bool(names) and not foreign and not themed
        report.add(
            f"docx.eastAsia.{label}",
            "5.2.3",
            ok,
            f"{len(names)} eastAsia names {sorted(set(names))}; {themed} theme refs; "
            f"other: {foreign or 'none'}",
            "only " + "/".join(sorted(official)),
        )
    if parts.styles is not None:
        defaults = parts.styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
        body = fonts.FONT_ROLES["body"].official
        report.add(
            "docx.eastAsia.default",
            "5.2.3",
            _val(defaults, "eastAsia") == body,
            f"docDefaults eastAsia {_val(defaults, 'eastAsia')}",
            body,
        )
        _check_docx_heading_styles(report, parts.styles)
        _check_docx_autospace(report, parts.styles, parts.document)


def _check_docx_autospace(report: Report, styles: etree._Element, document: etree._Element) -> None:
    """Word adds about ¼ em between 汉字 and Latin or digits unless told not to: lines then hold
    fewer than 28 字 and break elsewhere than in the PDF."""
    defaults = styles.find("w:docDefaults/w:pPrDefault/w:pPr", NS)
    off = {
        tag: _val(defaults.find(f"w:{tag}", NS) if defaults is not None else None, "val")
        for tag in ("autoSpaceDE", "autoSpaceDN")
    }
    back_on = [
        el
        for root in (styles, document)
        for tag in ("autoSpaceDE", "autoSpaceDN")
        for el in root.iter(_w(tag))
        if el.getparent() is not defaults and _val(el, "val") not in ("0", "false", "off")
    ]
    report.add(
        "docx.autospace",
        "5.2.4",
        all(v in ("0", "false", "off") for v in off.values()) and not back_on,
        f"docDefaults autoSpaceDE {off['autoSpaceDE']}, autoSpaceDN {off['autoSpaceDN']}; "
        f"{len(back_on)} style(s)/paragraph(s) turn it on",
        "autoSpaceDE 0 and autoSpaceDN 0 (no added space beside Latin and digits), nowhere turned on",
    )


def _check_docx_heading_styles(report: Report, styles: etree._Element) -> None:
    by_name = {}
    for style in styles.findall("w:style", NS):
        name = style.find("w:name", NS)
        by_name[(_val(name, "val") or "").lower()] = style
    for level, role in g.HEADING_ROLES.items():
        style = by_name.get(f"heading {level}")
        if style is None:
            continue
        rfonts = style.find("w:rPr/w:rFonts", NS)
        bold = style.find("w:rPr/w:b", NS)
        bold_on = bold is not None and _val(bold, "val") not in ("0", "false")
        want = fonts.FONT_ROLES[role].official
        report.add(
            f"docx.heading{level}",
            "7.3.3",
            _val(rfonts, "eastAsia") == want and not bold_on,
            f"eastAsia {_val(rfonts, 'eastAsia')}, bold {bold_on}",
            f"{want}, no bold",
        )


def check_docx_tables(report: Report, parts: DocxParts) -> None:
    """Header rows repeat (w:tblHeader on the first row(s) only) and rows never split."""
    tables = [t for t in parts.document.iter(_w("tbl")) if _is_data_table(t)]
    for index, table in enumerate(tables, 1):
        rows = table.findall("w:tr", NS)
        flags = [row.find("w:trPr/w:tblHeader", NS) is not None for row in rows]
        leading = len(list(itertools.takewhile(bool, flags)))
        ok = leading >= 1 and not any(flags[leading:])
        report.add(
            "docx.tblHeader",
            "8",
            ok,
            f"table {index}: header on rows {[i + 1 for i, f in enumerate(flags) if f]} of {len(rows)}",
            "w:tblHeader on the first row(s) only",
        )
        split = sum(1 for row in rows if row.find("w:trPr/w:cantSplit", NS) is None)
        report.add(
            "docx.cantSplit",
            "8",
            split == 0,
            f"table {index}: {split} of {len(rows)} rows may split",
            "w:cantSplit on every row",
        )


def _is_data_table(table: etree._Element) -> bool:
    """Data tables have a visible grid and ≥3 rows; the 版头 stack and the 版记 are layout tables."""
    rows = table.findall("w:tr", NS)
    floating = table.find("w:tblPr/w:tblpPr", NS) is not None
    return len(rows) >= 3 and not floating


def check_docx_footers(report: Report, parts: DocxParts) -> None:
    even_odd = parts.settings is not None and parts.settings.find("w:evenAndOddHeaders", NS) is not None
    report.add(
        "docx.evenAndOddHeaders",
        "7.5",
        even_odd,
        f"evenAndOddHeaders {'on' if even_odd else 'missing'}",
        "on (odd right, even left)",
    )
    refs: dict[str, str] = {}
    sections = parts.document.findall(".//w:sectPr", NS)
    for index, sect in enumerate(sections, 1):
        # A section without its own footerReference inherits the previous section's footer.
        refs |= {ref.get(_w("type")): ref.get(f"{{{_R}}}id") for ref in sect.findall("w:footerReference", NS)}
        # Clause 7.5: the 版记 page after a blank page carries no number, so the last section, when
        # it is an even-page section holding only the 版记, may have footers without a PAGE field.
        start = sect.find("w:type", NS)
        colophon_only = (
            index == len(sections) > 1 and start is not None and start.get(_w("val")) == "evenPage"
        )
        for kind in ("default", "even"):
            footer = parts.footers.get(refs.get(kind) or "")
            has_page = footer is not None and _has_page_field(footer)
            report.add(
                f"docx.footer.{kind}",
                "7.5",
                has_page or (colophon_only and footer is not None),
                f"section {index}: "
                + ("PAGE field" if has_page else "no PAGE field" if footer is not None else "no footer")
                + (" (版记 page after a blank page)" if colophon_only and not has_page else ""),
                f"{kind} footer with a PAGE field",
            )


_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _has_page_field(footer: etree._Element) -> bool:
    simple = any("PAGE" in (f.get(_w("instr")) or "").split() for f in footer.iter(_w("fldSimple")))
    complex_ = any("PAGE" in (t.text or "").split() for t in footer.iter(_w("instrText")))
    return simple or complex_


# Print as a printer would: keep the blank pages Word/LibreOffice insert for an even-page section
# (the 版记 page, clause 7.4), which LibreOffice's PDF export otherwise drops.
LIBREOFFICE_PDF_FILTER = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'


def convert_docx_to_pdf(paths: Sequence[Path], out_dir: Path | None = None) -> dict[Path, Path]:
    """One ``soffice`` call converts every DOCX (each LibreOffice start costs seconds).

    A private user profile keeps parallel runs from locking each other out. Returns the PDFs
    made; an empty dict when LibreOffice is not installed.
    """
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not paths or soffice is None:
        return {}
    out_dir = Path(out_dir or tempfile.mkdtemp(prefix="zs_conform_"))
    profile = Path(tempfile.gettempdir()) / f"lo_{uuid.uuid4().hex}"
    try:
        subprocess.run(
            [
                soffice,
                "--headless",
                f"-env:UserInstallation={profile.as_uri()}",
                "--convert-to",
                LIBREOFFICE_PDF_FILTER,
                "--outdir",
                str(out_dir),
                *map(str, paths),
            ],
            capture_output=True,
            check=False,
            timeout=120 + 20 * len(paths),
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    made = {Path(p): out_dir / (Path(p).stem + ".pdf") for p in paths}
    return {src: pdf for src, pdf in made.items() if pdf.exists()}


def check_docx(
    docx_path: Path, document: Document | None = None, pdf: Path | None = None, geometry: bool = True
) -> list[Finding]:
    """XML checks of the DOCX, then the PDF rules on LibreOffice's rendering of it.

    ``pdf`` is a rendering made beforehand (``convert_docx_to_pdf`` for several files at once);
    without it one is made here. Without LibreOffice the geometry is reported as not checked.
    """
    docx_path = Path(docx_path)
    report = Report(STRICT)
    try:
        parts = _read_docx(docx_path)
    except (zipfile.BadZipFile, ValueError, etree.XMLSyntaxError) as exc:
        report.add("docx.readable", "-", False, str(exc), "a readable DOCX")
        return report.findings
    check_docx_page_setup(report, parts)
    check_docx_fonts(report, parts)
    check_docx_tables(report, parts)
    check_docx_footers(report, parts)
    findings = report.findings
    if not geometry:
        return findings
    if pdf is None:
        pdf = convert_docx_to_pdf([docx_path]).get(docx_path)
    if pdf is None:
        findings.append(
            Finding(
                "docx.geometry",
                "-",
                False,
                "LibreOffice (soffice) not available or failed",
                "a PDF rendering to measure",
                None,
            )
        )
        return findings
    return findings + check_pdf(pdf, document, tolerance=LIBREOFFICE)


if __name__ == "__main__":
    sys.exit(main())
