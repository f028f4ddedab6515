"""``Document`` → HTML and CSS (Jinja, autoescape) for weasyprint.

The stylesheet ``templates/pdf/style.css.j2`` is filled from ``gbt9704`` (plus sizes derived from
it here), so no layout number is typed into CSS.
"""

from __future__ import annotations

import base64
from typing import Any

import jinja2
from markupsafe import Markup

from zsreport import TEMPLATES_DIR, fonts
from zsreport import gbt9704 as g
from zsreport.model import Cell, Document, Figure, Letterhead, Mode, Table, rows_held_together
from zsreport.render.pdf.colophon import ColophonPlan
from zsreport.render.pdf.justify import Justifier, set_runs, set_text
from zsreport.render.pdf.tables import cell_texts, table_classes, table_style
from zsreport.render.pdf.units import css_mm, css_pt

PDF_TEMPLATES = TEMPLATES_DIR / "pdf"
CAPTION_GAP = "\u3000"  # 表1　caption: one ideographic space
ATTACHMENT_LABEL = "附件："
COPY_LABEL = "抄送："
# The body text's letter-spacing (28 字 to the line, ``BODY_LETTER_SPACING_SLACK_PT`` short of the
# edge); a justified line's widened gaps add their extra to it.
BODY_SPACING_PT = g.BODY_LETTER_SPACING_PT - g.BODY_LETTER_SPACING_SLACK_PT


# --- Jinja environment and its helpers ----------------------------------------------------------


def _kind(block: object) -> str:
    return type(block).__name__.lower()


def _svg_data_url(figure: Figure) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(figure.svg).decode("ascii")


def _hang(indent_chars: float, label_chars: float, char_pt: float = g.CHAR_PITCH_PT) -> str:
    """Inline style: first line 左空 ``indent_chars``, wrapped lines under the text after the label."""
    hang = css_pt((indent_chars + label_chars) * char_pt)
    return f"padding-left: {hang}; text-indent: {css_pt(-label_chars * char_pt)}"


def _cell_attrs(cell: Cell) -> Markup:
    attrs = [f'class="a-{cell.align}{" strong" if cell.bold else ""}"']
    if cell.colspan > 1:
        attrs.append(f'colspan="{int(cell.colspan)}"')
    if cell.rowspan > 1:
        attrs.append(f'rowspan="{int(cell.rowspan)}"')
    return Markup(" " + " ".join(attrs))


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        autoescape=True,
        loader=jinja2.FileSystemLoader(PDF_TEMPLATES),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters.update(pt=css_pt, mm=css_mm)
    env.globals.update(
        kind=_kind,
        svg_data_url=_svg_data_url,
        cell_attrs=_cell_attrs,
        hang=_hang,
        table_style=table_style,
        table_classes=table_classes,
        cell_texts=cell_texts,
        held_rows=rows_held_together,
        set_runs=set_runs,
        set_text=set_text,
    )
    return env


_ENV = _environment()


# --- derived sizes -----------------------------------------------------------------------------


def _organ_lines(lines: tuple[str, ...], size: float) -> list[dict[str, Any]]:
    """Stacked name lines spread to one width (CSS justify does not spread CJK in weasyprint)."""
    return [
        {"head": line[:-1], "last": line[-1:], "spacing": g.issuer_spread_pt(line, lines, size)}
        for line in lines
    ]


def _letterhead_context(document: Document) -> dict[str, Any] | None:
    head = document.letterhead
    if document.mode is Mode.PLAIN or head is None:
        return None
    minutes = document.mode is Mode.MINUTES
    size = g.issuer_size_pt(head.organ_lines, head.suffix, minutes=minutes)
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
    chars = g.width_in_chars(head.minutes_organ) + g.width_in_chars(head.minutes_date)
    needed = (chars + 2 * g.MINUTES_SIDE_CHARS + 1) * g.BODY_SIZE_PT  # side spaces + a gap
    count = len(head.minutes_organ) + len(head.minutes_date)
    excess = needed - g.mm_to_pt(g.TEXT_WIDTH_MM)
    natural = BODY_SPACING_PT
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


def _signoff_date_indent(document: Document) -> float:
    """Left offset of the date (the DOCX sets it with the same ``signoff_date_indent_pt``)."""
    if document.signoff is None:
        return 0.0
    return g.signoff_date_indent_pt(document.signoff.organ_lines, document.signoff.date)


def _derived(head: dict[str, Any] | None) -> dict[str, float]:
    char, pitch, size = g.CHAR_PITCH_PT, g.LINE_PITCH_PT, g.BODY_SIZE_PT
    issuer = head["size"] if head else g.ISSUER_SIZE_PT
    footer = g.mm_to_pt(g.PAGE_NUMBER_BELOW_TEXT_MM) + g.PAGE_NUMBER_SIZE_PT
    return {
        "char": char,
        "minutes_side": g.MINUTES_SIDE_CHARS * char,
        "body_letter_spacing": BODY_SPACING_PT,
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
        "title_body_gap": g.TITLE_BODY_BLANK_LINES * pitch,
        "attachment_note_gap": g.ATTACHMENT_NOTE_BLANK_LINES * pitch,
        "attachment_note_hang": (g.INDENT_CHARS + len(ATTACHMENT_LABEL)) * char,
        "attachment_note_label": -len(ATTACHMENT_LABEL) * char,
        "signoff_gap": g.SIGNOFF_BLANK_LINES * pitch,
        "signoff_tight_gap": g.SIGNOFF_TIGHT_BLANK_LINES * pitch,
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


def _tail_css(document: Document) -> str:
    """The squeezed last lines (``Document.tail_pitch_pt``, 7.3.5.5): their pitch, and the blank
    lines above the 附件说明 and the 署名 closed up in proportion."""
    pitch = document.tail_pitch_pt
    if not pitch:
        return ""
    ratio = pitch / g.LINE_PITCH_PT
    signoff = g.SIGNOFF_TIGHT_BLANK_LINES if document.signoff_tight else g.SIGNOFF_BLANK_LINES
    return (
        f"\n.tail, .tail p {{ line-height: {css_pt(pitch)}; }}"
        f"\n.attachment-note.tail {{ margin-top: {css_pt(g.ATTACHMENT_NOTE_BLANK_LINES * pitch)}; }}"
        f"\n.attendance.tail {{ margin-top: {css_pt(pitch)}; }}"
        f"\n.signoff.tail {{ margin-top: {css_pt(signoff * g.LINE_PITCH_PT * ratio)}; }}\n"
    )


def stylesheet(document: Document) -> str:
    """The document's stylesheet: ``style.css.j2`` filled for its 版头, and its squeezed lines."""
    return _css(_letterhead_context(document)) + _tail_css(document)


def render_html(document: Document, plan: ColophonPlan, with_stylesheet: bool = True) -> str:
    """The document as HTML, its stylesheet in a ``<style>`` element; ``with_stylesheet=False``
    leaves it out, for a caller that hands weasyprint the stylesheet parsed once (``layout``)."""
    head = _letterhead_context(document)
    css = stylesheet(document) if with_stylesheet else ""
    return _ENV.get_template("document.html.j2").render(
        doc=document,
        head=head,
        css=Markup(css),  # our own template output, not document text
        closing_tail=" tail" if document.tail_pitch_pt else "",
        plan=plan,
        jl=Justifier(),
        caption_gap=CAPTION_GAP,
        att_indent=g.ATTENDANCE_INDENT_CHARS,
        signoff_date_indent=_signoff_date_indent(document),
        ends_landscape=_ends_landscape(document),
        colophon_hang=_hang(g.COLOPHON_INDENT_CHARS, len(COPY_LABEL), g.COLOPHON_SIZE_PT)
        + f"; padding-right: {css_pt(g.COLOPHON_INDENT_CHARS * g.COLOPHON_SIZE_PT)}",
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
    return css_pt(-min(over / gaps, g.COLOPHON_MAX_CONDENSE_EM * size))
