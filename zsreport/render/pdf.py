"""``Document`` → HTML (Jinja, autoescape) → PDF (weasyprint), laid out after GB/T 9704-2012.

The stylesheet ``templates/pdf/style.css.j2`` is filled from ``gbt9704`` (plus sizes derived from
it here), so no layout number is typed into CSS. Two passes: the first render measures where the
text ends and how tall the 版记 is; the second puts the 版记 at the foot of an even page.

Measured and fixed for weasyprint 70 (each has a test reading the PDF back):
- CJK justification: weasyprint stretches at spaces only. The measuring pass records every line of
  every justified paragraph and heading; the final pass sets each non-final line's characters with
  the extra letter-spacing that brings it to the 版心's right edge (see ``Justifier``). Breaks are
  checked after the final pass; a block whose breaks moved is set ragged again (with a warning).
- 横排表格 pages are true landscape pages (版心 225 × 156 mm); their "— N —" is the portrait footer
  turned a quarter (CSS transform on the margin box), so it sits on the short side where the
  portrait pages have it. Tables use ``table-layout: fixed`` and the largest cell size at which
  every number fits its column (``table_font_size``).
- Characters missing from a role's face fall back along its chain and are reported
  (``fallback_characters``, one warning per document).

Known limits:
- The last 版记 rule sits ``COLOPHON_FIT_SLACK_PT`` above the 版心 foot (rounding headroom).
- A document with no 版记 still costs a measuring pass (for the justification).
"""

from __future__ import annotations

import base64
import functools
import itertools
import logging
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import weasyprint
from markupsafe import Markup, escape
from weasyprint.formatting_structure import boxes
from weasyprint.urls import URLFetcher, URLFetcherResponse

from zsreport import TEMPLATES_DIR, fonts
from zsreport import gbt9704 as g
from zsreport.atomic import atomic_path
from zsreport.linebreak import BREAK, break_between
from zsreport.model import (
    Cell,
    Document,
    Figure,
    Heading,
    Letterhead,
    Mode,
    Paragraph,
    Run,
    Table,
    iter_blocks,
)

log = logging.getLogger(__name__)

PDF_TEMPLATES = TEMPLATES_DIR / "pdf"
PX_TO_PT = 0.75  # weasyprint lays out in CSS px (1/96 in); PDF/pt is 1/72 in
CAPTION_GAP = "\u3000"  # 表1　caption: one ideographic space
ATTACHMENT_LABEL = "附件："
COPY_LABEL = "抄送："


class RefusingURLFetcher(URLFetcher):
    """Serves ``data:`` URLs and files under ``templates/``; refuses everything else.

    Rendering must never touch the network, and document text (which may come from Excel) must
    not be able to make weasyprint read arbitrary local files.
    """

    def __init__(self, root: Path = TEMPLATES_DIR) -> None:
        super().__init__(fail_on_errors=False)
        self._root = root.resolve()

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith("file:"):
            path = Path(URLFetcherResponse(url).path or "").resolve()
            if path.is_relative_to(self._root) and path.is_file():
                kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})
        raise ValueError(f"refused to fetch {url!r}: only data: URLs and files under {self._root}")


@dataclass(frozen=True)
class ColophonPlan:
    """Where the 版记 goes: after the text (flow), on a new page, or after a blank page."""

    new_page: bool = False
    blank_page: bool = False
    unnumbered: bool = False
    space_pt: float = 0.0


MEASURE_PLAN = ColophonPlan(new_page=True)


# --- Jinja environment -------------------------------------------------------------------------


def _pt(value: float) -> str:
    return f"{value:.3f}pt"


def _mm(value: float) -> str:
    return f"{value:.3f}mm"


def _kind(block: object) -> str:
    return type(block).__name__.lower()


def _svg_data_url(figure: Figure) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(figure.svg).decode("ascii")


def _hang(indent_chars: float, label_chars: float, char_pt: float = g.CHAR_PITCH_PT) -> str:
    """Inline style: first line 左空 ``indent_chars``, wrapped lines under the text after the label."""
    hang = _pt((indent_chars + label_chars) * char_pt)
    return f"padding-left: {hang}; text-indent: {_pt(-label_chars * char_pt)}"


def _cell_attrs(cell: Cell) -> Markup:
    attrs = [f'class="a-{cell.align}{" strong" if cell.bold else ""}"']
    if cell.colspan > 1:
        attrs.append(f'colspan="{int(cell.colspan)}"')
    if cell.rowspan > 1:
        attrs.append(f'rowspan="{int(cell.rowspan)}"')
    return Markup(" " + " ".join(attrs))


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


def _counts(ch: str) -> bool:
    """A character that takes a slot on the line (not whitespace, not a ``BREAK``)."""
    return not ch.isspace() and ch != BREAK


def set_runs(runs: tuple[Run, ...]) -> Markup:
    """Runs as HTML (non-body roles in spans), with the Chinese line breaks marked."""
    return Markup("").join(_spans(_breakable([(ch, run.role) for run in runs for ch in run.text]), ""))


def set_text(text: str) -> Markup:
    """Plain text (a table cell, a note) as HTML with the Chinese line breaks marked."""
    return set_runs((Run(text),))


# --- CJK justification ------------------------------------------------------------------------

# weasyprint justifies at spaces only, so a line holding half-width digits ends short of the
# 版心's right edge. The first layout measures every line of every justified block (marked with
# ``data-jl``); the next one sets each non-final line's characters in a span whose extra
# letter-spacing spreads the shortfall over the line. Line breaks stay where they were: the line's
# content grows to just under the measure (``JUSTIFY_SLACK_PT``), so its next character still does
# not fit. A line that would need more than ``JUSTIFY_MAX_EM`` per character stays ragged.
JUSTIFY_SLACK_PT = 0.05
JUSTIFY_MAX_EM = 0.25


@dataclass(frozen=True)
class LineFit:
    """One laid-out line of a justified block: characters on it and the extra spacing per gap."""

    chars: int
    extra_pt: float = 0.0


class Justifier:
    """Template helper: numbers the justified blocks and sets their text line by line.

    ``plan`` maps a block key to its lines (from a previous layout); blocks without a plan are
    set as plain runs.
    """

    def __init__(self, plan: dict[str, list[LineFit]] | None = None, base_pt: float = 0.0) -> None:
        self.plan = plan or {}
        self.base_pt = base_pt
        self.count = 0

    def key(self) -> str:
        self.count += 1
        return f"j{self.count}"

    def heading(self, key: str, heading: Heading) -> Markup:
        return self.text(key, (Run(heading.full_text),))

    def text(self, key: str, runs: tuple[Run, ...]) -> Markup:
        lines = self.plan.get(key)
        if not lines:
            return set_runs(runs)
        # Characters as they lie on the lines: (char, role); whitespace and breaks kept, not counted.
        chars = _breakable([(ch, run.role) for run in runs for ch in run.text])
        out: list[Markup] = []
        position = 0
        for line in lines:
            start, seen = position, 0
            while position < len(chars) and seen < line.chars:
                seen += _counts(chars[position][0])
                position += 1
            # A break right after the line's last character belongs to this line (it ends there).
            while position < len(chars) and chars[position][1] == BREAK_ROLE:
                position += 1
            if line is lines[-1]:
                position = len(chars)
            segment = chars[start:position]
            counted = [i for i, (ch, _) in enumerate(segment) if _counts(ch)]
            if line.extra_pt and len(counted) > 1:
                spacing = f"letter-spacing: {_pt(self.base_pt + line.extra_pt)}"
                last = counted[-1]
                out += _spans(segment[:last], spacing)
                out += _spans(segment[last:], "")
            else:
                out += _spans(segment, "")
        return Markup("").join(out)


def _span(text: str, role: str, style: str = "") -> Markup:
    if role == BREAK_ROLE:  # zero width and no letter-spacing, whatever the line's spacing
        return Markup('<span class="brk">') + escape(text) + Markup("</span>")
    if role == "body" and not style:
        return escape(text)
    cls = f' class="r-{role}"' if role != "body" else ""
    attr = f' style="{style}"' if style else ""
    return Markup(f"<span{cls}{attr}>") + escape(text) + Markup("</span>")


def _spans(segment: list[tuple[str, str]], style: str) -> list[Markup]:
    """Consecutive characters of one role as one span."""
    out = []
    for role, group in itertools.groupby(segment, key=lambda item: item[1]):
        out.append(_span("".join(ch for ch, _ in group), role, style))
    return out


def _measure_lines(rendered: weasyprint.document.Document) -> dict[str, list[tuple[int, float, float]]]:
    """(characters, shortfall in pt, font size in pt) of every line of every ``data-jl`` block."""
    found: dict[str, list[tuple[int, float, float]]] = {}
    for page in rendered.pages:
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            key = element.get("data-jl") if element is not None and box.element_tag else None
            if not key or not isinstance(box, boxes.BlockContainerBox):
                continue
            right = box.content_box_x() + box.width
            for line in box.children:
                if not isinstance(line, boxes.LineBox):
                    continue
                texts = [t for t in line.descendants() if isinstance(t, boxes.TextBox)]
                if not texts:
                    continue
                end = max(t.position_x + t.width for t in texts)
                count = sum(_counts(ch) for t in texts for ch in t.text)
                shortfall = (right - end) * PX_TO_PT
                found.setdefault(key, []).append((count, shortfall, texts[0].style["font_size"] * PX_TO_PT))
    return found


def _justify_plan(measured: dict[str, list[tuple[int, float, float]]]) -> dict[str, list[LineFit]]:
    """Extra letter-spacing for every line but the last of each block."""
    plan = {}
    for key, lines in measured.items():
        fits = []
        for index, (count, shortfall, size) in enumerate(lines):
            gaps = count - 1
            extra = (shortfall - JUSTIFY_SLACK_PT) / gaps if gaps > 0 else 0.0
            last = index == len(lines) - 1
            if last or extra <= 0 or extra > JUSTIFY_MAX_EM * size:
                extra = 0.0
            fits.append(LineFit(count, extra))
        plan[key] = fits
    return plan


# --- table sizing ------------------------------------------------------------------------------

# A line may not break inside a run of ASCII (numbers such as "37600", "+10.8%"), before closing
# punctuation or after opening punctuation: these are the units a cell must hold on one line.
_UNBREAKABLE = re.compile(r"[（《“‘(]*(?:[!-~]+|\S)[）》”’，。、；：％%)]*")


def _cell_grid(rows: tuple[tuple[Cell, ...], ...]) -> list[tuple[Cell, int]]:
    """(cell, first column) for every cell, placing cells around those spanned from rows above."""
    taken: dict[tuple[int, int], bool] = {}
    placed = []
    for r, row in enumerate(rows):
        column = 0
        for cell in row:
            while taken.get((r, column)):
                column += 1
            placed.append((cell, column))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken[(r + dr, column + dc)] = True
            column += cell.colspan
    return placed


def table_text_width_mm(table: Table) -> float:
    """Width of the text block a table is set in: the landscape 版心 for 横排 tables."""
    return g.LANDSCAPE_TEXT_WIDTH_MM if table.landscape else g.TEXT_WIDTH_MM


def table_font_size(table: Table) -> float:
    """The largest of ``TABLE_SIZES_PT`` at which every unbreakable unit of every cell fits its
    column (``Table.widths`` proportions of the text block, less padding and rule); else the smallest.
    """
    total = sum(table.widths) or 1.0
    columns = [table_text_width_mm(table) * w / total for w in table.widths]
    slack = 2 * g.TABLE_CELL_PADDING_MM + g.pt_to_mm(g.TABLE_RULE_PT)
    need: list[tuple[float, float]] = []  # (width in ems, room in mm)
    for rows, head in ((table.header, True), (table.body, False)):
        for cell, first in _cell_grid(rows):
            room = sum(columns[first : first + cell.colspan]) - slack
            role = "hei" if head or cell.bold else "body"
            units = _UNBREAKABLE.findall(cell.text) or [""]
            need.append((max(fonts.text_width_em(u, role) for u in units), room))
    for size in g.TABLE_SIZES_PT:
        if all(em * g.pt_to_mm(size) <= room for em, room in need):
            return size
    return g.TABLE_SIZES_PT[-1]


def _table_style(table: Table) -> str:
    size = table_font_size(table)
    return f"font-size: {_pt(size)}; line-height: {_pt(size * g.TABLE_LINE_PITCH_EM)}"


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        autoescape=True,
        loader=jinja2.FileSystemLoader(PDF_TEMPLATES),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters.update(pt=_pt, mm=_mm)
    env.globals.update(
        kind=_kind,
        svg_data_url=_svg_data_url,
        cell_attrs=_cell_attrs,
        hang=_hang,
        table_style=_table_style,
        set_runs=set_runs,
        set_text=set_text,
    )
    return env


_ENV = _environment()


# --- derived sizes -----------------------------------------------------------------------------


def _issuer_size(letterhead: Letterhead, mode: Mode) -> float:
    """标志 size: the nominal size, shrunk so that stack + "文件" fit the 版心 width."""
    longest = max((len(line) for line in letterhead.organ_lines), default=1) or 1
    room = g.mm_to_pt(g.TEXT_WIDTH_MM)
    nominal = g.MINUTES_MARK_SIZE_PT if mode is Mode.MINUTES else g.ISSUER_SIZE_PT
    if mode is not Mode.MINUTES and letterhead.suffix:
        room -= len(letterhead.suffix) * g.ISSUER_SUFFIX_SIZE_PT + g.mm_to_pt(g.ISSUER_SUFFIX_GAP_MM)
    return min(nominal, room / longest)


def _organ_lines(lines: tuple[str, ...], size: float) -> list[dict[str, Any]]:
    """Stacked name lines spread to one width (CSS justify does not spread CJK in weasyprint)."""
    width = max((len(line) for line in lines), default=0) * size
    out = []
    for line in lines:
        gaps = len(line) - 1
        spacing = (width - len(line) * size) / gaps if gaps > 0 else 0.0
        out.append({"head": line[:-1], "last": line[-1:], "spacing": spacing})
    return out


def _letterhead_context(document: Document) -> dict[str, Any] | None:
    head = document.letterhead
    if document.mode is Mode.PLAIN or head is None:
        return None
    minutes = document.mode is Mode.MINUTES
    size = _issuer_size(head, document.mode)
    marks = [
        (cls, text)
        for cls, text in (
            ("copy-number", head.copy_number),
            ("secrecy", head.secrecy),
            ("urgency", head.urgency),
        )
        if text
    ]
    return {
        "minutes": minutes,
        "size": size,
        "marks": [(cls, text) for cls, text in marks if text],
        "lines": _organ_lines(head.organ_lines, size),
        "suffix": "" if minutes else head.suffix,
        "doc_number": head.doc_number,
        "minutes_organ": head.minutes_organ,
        "minutes_date": head.minutes_date,
        "minutes_spacing": _minutes_line_spacing(head),
    }


def _minutes_line_spacing(head: Letterhead) -> float:
    """Letter-spacing that keeps 机关 (左空一字) and date (右空一字) on one 三号 line.

    A long 机关 name would wrap; clause 7.3.5.5 allows adjusting character spacing instead.
    """
    chars = _text_width_chars(head.minutes_organ) + _text_width_chars(head.minutes_date)
    needed = (chars + 2 * g.MINUTES_SIDE_CHARS + 1) * g.BODY_SIZE_PT  # side spaces + a gap
    count = len(head.minutes_organ) + len(head.minutes_date)
    excess = needed - g.mm_to_pt(g.TEXT_WIDTH_MM)
    natural = g.BODY_LETTER_SPACING_PT - g.BODY_LETTER_SPACING_SLACK_PT
    return min(natural, -excess / count) if excess > 0 and count else natural


def _issuer_top_pt(head: dict[str, Any] | None) -> float:
    """Padding above the 标志 so that its top edge (em box of the first line) is 35 mm down.

    The stacked lines carry half-leading above the glyphs; a taller "文件" sets the top instead.
    """
    top = g.mm_to_pt(g.ISSUER_TOP_FROM_TEXT_TOP_MM)
    if head is None:
        return top
    size = head["size"]
    stack = len(head["lines"]) * size * g.ISSUER_LINE_HEIGHT_EM
    if head["suffix"] and stack <= g.ISSUER_SUFFIX_SIZE_PT:
        return top
    return top - size * (g.ISSUER_LINE_HEIGHT_EM - 1) / 2


def _text_width_chars(text: str) -> float:
    """Width in 字 as set in the CJK faces: ASCII (digits, Latin) is half-width there."""
    return sum(0.5 if ch.isascii() else 1.0 for ch in text)


def _signoff_date_indent(document: Document) -> float:
    """Left offset of the date: its first character 2 字 right of the 署名's first character.

    Computed from character counts (every 署名 character is one 字); a date wider than the 署名
    allows is pulled left so that it still ends inside the 版心.
    """
    if document.signoff is None:
        return 0.0
    char = g.CHAR_PITCH_PT
    width = g.mm_to_pt(g.TEXT_WIDTH_MM)
    organ = _text_width_chars(document.signoff.organ_lines[-1]) if document.signoff.organ_lines else 0
    organ_left = width - (g.SIGNOFF_RIGHT_CHARS + organ) * char
    wanted = organ_left + g.SIGNOFF_DATE_SHIFT_CHARS * char
    latest = width - _text_width_chars(document.signoff.date) * g.BODY_SIZE_PT
    return max(0.0, min(wanted, latest))


def _derived(head: dict[str, Any] | None) -> dict[str, float]:
    char, pitch, size = g.CHAR_PITCH_PT, g.LINE_PITCH_PT, g.BODY_SIZE_PT
    issuer = head["size"] if head else g.ISSUER_SIZE_PT
    footer = g.mm_to_pt(g.PAGE_NUMBER_BELOW_TEXT_MM) + g.PAGE_NUMBER_SIZE_PT
    return {
        "char": char,
        "minutes_side": g.MINUTES_SIDE_CHARS * char,
        "body_letter_spacing": g.BODY_LETTER_SPACING_PT - g.BODY_LETTER_SPACING_SLACK_PT,
        "indent": g.INDENT_CHARS * char,
        "line_gap": pitch - size,
        "page_number_side": g.PAGE_NUMBER_SIDE_CHARS * g.PAGE_NUMBER_SIZE_PT,
        "issuer_top": _issuer_top_pt(head),
        "issuer_size": issuer,
        "issuer_line": issuer * g.ISSUER_LINE_HEIGHT_EM,
        "minutes_size": issuer,
        "minutes_line": issuer * g.ISSUER_LINE_HEIGHT_EM,
        # 下空二行: two empty grid lines, then the 文号 sits in its line like body text.
        "doc_number_gap": g.DOC_NUMBER_BLANK_LINES * pitch + (pitch - size) / 2,
        "title_gap": g.TITLE_BLANK_LINES * pitch,
        "addressee_gap": g.ADDRESSEE_BLANK_LINES * pitch,
        "attachment_note_gap": g.ATTACHMENT_NOTE_BLANK_LINES * pitch,
        "attachment_note_hang": (g.INDENT_CHARS + len(ATTACHMENT_LABEL)) * char,
        "attachment_note_label": -len(ATTACHMENT_LABEL) * char,
        "signoff_gap": g.SIGNOFF_BLANK_LINES * pitch,
        "signoff_right": g.SIGNOFF_RIGHT_CHARS * char,
        "note_indent": g.NOTE_INDENT_CHARS * char,
        "attendance_gap": pitch,
        "attachment_title_gap": (g.ATTACHMENT_TITLE_LINE - 2) * pitch,
        "float_gap": g.FLOAT_GAP_LINES * pitch,
        "colophon_char": g.COLOPHON_INDENT_CHARS * g.COLOPHON_SIZE_PT,
        "footer_height": footer,
        # 横排 pages: the footer box's foot sits on the 版心 foot; after a quarter turn about its
        # top-left corner that corner must be the 版心's top-left.
        "landscape_footer_shift": footer - g.mm_to_pt(g.LANDSCAPE_TEXT_HEIGHT_MM),
    }


def _css(head: dict[str, Any] | None) -> str:
    families = {role: Markup(fonts.css_family(role)) for role in fonts.FONT_ROLES}
    weights = {role: fonts.css_weight(role) for role in fonts.FONT_ROLES}
    return _ENV.get_template("style.css.j2").render(g=g, d=_derived(head), f=families, w=weights)


# --- HTML --------------------------------------------------------------------------------------


def _ends_landscape(document: Document) -> bool:
    """The text flow ends with a 横排 table (nothing portrait after it before the 版记).

    The end marker then stays on that landscape page; as a portrait block it would open a page of
    its own, which the 版记 plan took for the page where the text ends (an odd blank page with a
    number, instead of the unnumbered blank page before an unnumbered 版记 page of clause 7.5).
    """
    if document.attachments:
        blocks: tuple[Any, ...] = document.attachments[-1].blocks
    elif document.attachment_note or document.attendance or document.signoff or document.note:
        return False
    else:
        blocks = document.body
    return bool(blocks) and isinstance(blocks[-1], Table) and blocks[-1].landscape


def _html(document: Document, plan: ColophonPlan, lines: dict[str, list[LineFit]] | None = None) -> str:
    head = _letterhead_context(document)
    return _ENV.get_template("document.html.j2").render(
        doc=document,
        head=head,
        css=Markup(_css(head)),  # our own template output, not document text
        plan=plan,
        jl=Justifier(lines, g.BODY_LETTER_SPACING_PT - g.BODY_LETTER_SPACING_SLACK_PT),
        caption_gap=CAPTION_GAP,
        att_indent=g.ATTENDANCE_INDENT_CHARS,
        signoff_date_indent=_signoff_date_indent(document),
        ends_landscape=_ends_landscape(document),
        colophon_hang=_hang(g.COLOPHON_INDENT_CHARS, len(COPY_LABEL), g.COLOPHON_SIZE_PT)
        + f"; padding-right: {_pt(g.COLOPHON_INDENT_CHARS * g.COLOPHON_SIZE_PT)}",
        printer_spacing=_printer_spacing(document),
    )


def _printer_spacing(document: Document) -> str:
    """Letter-spacing for the 印发机关 (7.4): negative when it and "…印发" would stand less than
    ``COLOPHON_PRINTED_GAP_CHARS`` apart on the line; "0" otherwise."""
    if document.colophon is None:
        return "0"
    c = document.colophon
    size = g.COLOPHON_SIZE_PT
    room = g.mm_to_pt(g.TEXT_WIDTH_MM) - 2 * g.COLOPHON_INDENT_CHARS * size
    words = fonts.text_width_em(c.printer, "body") + fonts.text_width_em(f"{c.print_date}印发", "body")
    over = (words + g.COLOPHON_PRINTED_GAP_CHARS) * size - room
    if over <= 0 or not c.printer:
        return "0"
    # weasyprint spaces between the characters of the span, not after its last one
    gaps = max(len(c.printer) - 1, 1)
    return _pt(-min(over / gaps, g.COLOPHON_MAX_CONDENSE_EM * size))


def document_html(document: Document) -> str:
    """The HTML weasyprint renders (with the 版记 placed and lines justified as in the final PDF)."""
    return _html(document, *_plans(document))


# --- two-pass 版记 placement --------------------------------------------------------------------


def _layout(html: str) -> weasyprint.document.Document:
    return weasyprint.HTML(
        string=html, base_url=PDF_TEMPLATES.as_uri() + "/", url_fetcher=RefusingURLFetcher()
    ).render()


def _boxes_with_id(rendered: weasyprint.document.Document, element_id: str) -> list[tuple[int, Any]]:
    """(page index, box) for every fragment of the element with ``element_id``."""
    found = []
    for index, page in enumerate(rendered.pages):
        for box in page._page_box.descendants():
            element = getattr(box, "element", None)
            if element is not None and element.get("id") == element_id and box.element_tag:
                found.append((index, box))
    return found


def _text_bottom_pt() -> float:
    return g.mm_to_pt(g.MARGIN_TOP_MM + g.TEXT_HEIGHT_MM)


def _plan_from(rendered: weasyprint.document.Document) -> ColophonPlan:
    end_page, end_box = _boxes_with_id(rendered, "content-end")[-1]
    fragments = _boxes_with_id(rendered, "colophon")
    height = sum(box.margin_height() for _, box in fragments) * PX_TO_PT
    end_y = end_box.position_y * PX_TO_PT
    page_number = end_page + 1
    room = _text_bottom_pt() - end_y - height - g.COLOPHON_FIT_SLACK_PT
    full = g.mm_to_pt(g.TEXT_HEIGHT_MM) - height - g.COLOPHON_FIT_SLACK_PT
    page = rendered.pages[end_page]
    if page.width > page.height:
        # Text ends on a 横排 page: the portrait 版记 cannot share it, so it needs a page of its own
        # (the next one if that is even, else after a blank page).
        if page_number % 2 == 1:
            return ColophonPlan(new_page=True, space_pt=max(full, 0.0))
        return ColophonPlan(new_page=True, blank_page=True, unnumbered=True, space_pt=max(full, 0.0))
    if page_number % 2 == 0 and room >= 0:
        return ColophonPlan(space_pt=room)
    if page_number % 2 == 1:
        return ColophonPlan(new_page=True, space_pt=max(full, 0.0))
    # Text ends on an even page with no room: a blank odd page, the 版记 on the next even one;
    # clause 7.5 lets both go without a page number.
    return ColophonPlan(new_page=True, blank_page=True, unnumbered=True, space_pt=max(full, 0.0))


def _plan_colophon(document: Document) -> ColophonPlan:
    """First pass: lay out with the 版记 on a page of its own, measure, decide."""
    if document.colophon is None:
        return ColophonPlan()
    return _plan_from(_layout(_html(document, MEASURE_PLAN)))


def _check(document: Document, rendered: weasyprint.document.Document) -> None:
    fragments = _boxes_with_id(rendered, "colophon")
    if document.colophon is None or not fragments:
        return
    pages = {index for index, _ in fragments}
    last = len(rendered.pages) - 1
    if pages != {last} or len(rendered.pages) % 2:
        log.warning(
            "%s: 版记 not alone at the foot of an even last page (pages %s)", document.meta.slug, pages
        )


def _role_texts(document: Document) -> dict[str, list[str]]:
    """Every string the PDF prints, by the typeface role it is set in."""
    texts: dict[str, list[str]] = {role: [] for role in fonts.FONT_ROLES}
    head = document.letterhead
    if head is not None and document.mode is not Mode.PLAIN:
        if not document.preprinted:
            texts["title"] += [*head.organ_lines, "" if document.mode is Mode.MINUTES else head.suffix]
        texts["body"] += [head.copy_number, head.doc_number]
        texts["hei"] += [head.secrecy, head.urgency]
        if document.mode is Mode.MINUTES:
            texts["body"] += [head.minutes_organ, head.minutes_date]
    texts["title"] += [*document.title_lines, *(a.title for a in document.attachments)]
    texts["hei"] += [a.label for a in document.attachments]
    texts["body"] += [document.addressee, document.note, *document.attachment_note]
    for block in iter_blocks(document):
        if isinstance(block, Heading):
            texts[g.HEADING_ROLES[block.level]].append(block.full_text)
        elif isinstance(block, Paragraph):
            for run in block.runs:
                texts[run.role].append(run.text)
        elif isinstance(block, Table):
            texts["hei"] += [block.label, block.caption, *(c.text for row in block.header for c in row)]
            texts["body"] += [block.unit_note, *block.notes]
            for row in block.body:
                for cell in row:
                    texts["hei" if cell.bold else "body"].append(cell.text)
        elif isinstance(block, Figure):
            texts["hei"] += [block.label, block.caption]
    for attendance in document.attendance:
        texts["hei"].append(attendance.label + "：")
        texts["body"].append(attendance.names)
    if document.signoff is not None:
        texts["body"] += [*document.signoff.organ_lines, document.signoff.date]
    if document.colophon is not None:
        c = document.colophon
        texts["body"] += [c.addressee, c.cc, c.printer, c.print_date, "主送：抄送：印发"]
    texts["song"].append(f"{g.PAGE_NUMBER_DASH} 0123456789 {g.PAGE_NUMBER_DASH}")
    return texts


def fallback_characters(document: Document) -> dict[str, set[str]]:
    """Characters missing from the face a role is set in (role → characters), e.g. 堃 镕 喆 from
    the Fandol faces. weasyprint draws them in the next face of the role's chain that has them
    (Noto CJK, see ``fonts.FALLBACK_FAMILIES``)."""
    found = {}
    for role, parts in _role_texts(document).items():
        missing = set(fonts.uncovered("".join(parts), role))
        if missing:
            found[role] = missing
    return found


def _warn_fallbacks(document: Document) -> None:
    for role, chars in sorted(fallback_characters(document).items()):
        by_face: dict[str, list[str]] = {}
        for ch in sorted(chars):
            by_face.setdefault(fonts.fallback_family(ch, role) or "no installed face", []).append(ch)
        for face, group in by_face.items():
            log.warning(
                "%s：字库 %s 缺少“%s”，已改用 %s 排印（请核对该字显示是否正常）",
                document.meta.slug,
                fonts.first_installed(role),
                "”“".join(group),
                face,
            )


@functools.lru_cache(maxsize=4)  # render() and colophon_plan() of the same document share the pass
def _plans(document: Document) -> tuple[ColophonPlan, dict[str, list[LineFit]]]:
    """First pass: lay out with the 版记 on a page of its own; measure it and every justified line."""
    first = _layout(_html(document, MEASURE_PLAN))
    plan = _plan_from(first) if document.colophon is not None else ColophonPlan()
    return plan, _justify_plan(_measure_lines(first))


def colophon_plan(document: Document) -> ColophonPlan:
    """Where this document's 版记 goes in the PDF (shared with the DOCX, which cannot paginate)."""
    return _plans(document)[0]


def render(document: Document) -> weasyprint.document.Document:
    """The final layout: a measuring pass, then the 版记 placed and the lines justified."""
    plan, lines = _plans(document)
    rendered = _layout(_html(document, plan, lines))
    # The justified lines must have kept their breaks; set any block that did not ragged again.
    moved = {
        key
        for key, measured in _measure_lines(rendered).items()
        if key in lines and [count for count, _, _ in measured] != [fit.chars for fit in lines[key]]
    }
    if moved:
        log.warning("%s: line breaks moved when justifying %s; set ragged", document.meta.slug, sorted(moved))
        lines = {key: fits for key, fits in lines.items() if key not in moved}
        rendered = _layout(_html(document, plan, lines))
    _check(document, rendered)
    return rendered


def render_pdf(document: Document, target: Path) -> Path:
    """Write ``document`` as a PDF to ``target`` (temporary name, then rename); return ``target``."""
    _warn_fallbacks(document)
    rendered = render(document)
    target = Path(target)
    with atomic_path(target) as tmp:
        rendered.write_pdf(tmp)
    return target
