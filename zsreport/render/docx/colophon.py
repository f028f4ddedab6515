"""The 版记 (7.4): a floating one-column table at the foot of the 版心 of the last (even) page."""

from __future__ import annotations

from docx.enum.section import WD_SECTION
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph

from zsreport import gbt9704 as g
from zsreport.model import Colophon
from zsreport.render.docx import xml as x
from zsreport.render.docx.pages import blank_footers
from zsreport.render.docx.tables import table_geometry
from zsreport.render.docx.units import TEXT_WIDTH_TW, fit_percent, text_em, twips_pt
from zsreport.render.docx.writer import Writer


def write_colophon(w: Writer, colophon: Colophon, *, own_page: bool | None, unnumbered: bool) -> None:
    """The 版记 on a portrait page: on a page of its own when the PDF's layout found it needs one
    (``own_page``), without a page number after a blank page (``unnumbered``)."""
    started = w.orient(False)  # the 版记 page is portrait
    if own_page:
        # The 版记 needs a page of its own (as in the PDF's layout): an even-page section
        # lets Word/WPS/LibreOffice put it on the next even page, adding a blank page only
        # when the text ends on an even page (clause 7.4: the last page is even).
        if started:
            w.doc.sections[-1].start_type = WD_SECTION.EVEN_PAGE
        else:
            w.section(landscape=False, start=WD_SECTION.EVEN_PAGE)
        started = True
        if unnumbered:
            blank_footers(w.doc.sections[-1])
    if started:
        # LibreOffice anchors a floating table to the paragraph before it: give it one in
        # the new section, or the 版记 lands on the page before.
        w.spacer(20)
    _colophon_table(w, colophon)


def _colophon_rows(colophon: Colophon) -> list[tuple[str, str]]:
    """(label, text) per row: 主送 and 抄送 if any, then "印发机关<tab>date印发"."""
    rows: list[tuple[str, str]] = []
    if colophon.addressee:
        rows.append(("主送：", colophon.addressee))
    if colophon.cc:
        rows.append(("抄送：", colophon.cc))
    rows.append(("", f"{colophon.printer}\t{colophon.print_date}印发"))
    return rows


def _colophon_table(w: Writer, colophon: Colophon) -> None:
    """First/last rules 0.35 mm, middle 0.25 mm, black; 抄送 wraps after "抄送：";
    印发机关 左空一字 and "…印发" 右空一字 on one line (right tab stop).
    """
    rows = _colophon_rows(colophon)
    table = w.doc.add_table(rows=len(rows), cols=1)
    table_geometry(table, [TEXT_WIDTH_TW], align="center")
    _colophon_frame(table)
    for (label, text), row in zip(rows, table.rows, strict=True):
        x.put(row._tr.get_or_add_trPr(), "w:cantSplit")
        p = row.cells[0].paragraphs[0]
        w.style(p, "公文版记")
        x.snap_off(p._p.get_or_add_pPr())
        if label:
            _labelled_row(w, p, label, text)
        else:
            _printed_row(w, p, text)
    # Word needs a paragraph after a table at the end of the body: keep it 1 pt tall.
    w.spacer(20)


def _labelled_row(w: Writer, p: DocxParagraph, label: str, text: str) -> None:
    """主送/抄送: 左右各空一字, wrapped lines under the text after the label."""
    char_tw = twips_pt(g.COLOPHON_SIZE_PT)
    side = g.COLOPHON_INDENT_CHARS * char_tw
    hang = round(text_em(label) * char_tw)
    x.set_indent(p._p.get_or_add_pPr(), left=side + hang, right=side, hanging=hang)
    w.run(p, label + text, size_pt=g.COLOPHON_SIZE_PT)


def _printed_row(w: Writer, p: DocxParagraph, text: str) -> None:
    """印发机关 and "…印发" on one line, narrowed (字符缩放) when together they are too wide."""
    side = g.COLOPHON_INDENT_CHARS * twips_pt(g.COLOPHON_SIZE_PT)
    ppr = p._p.get_or_add_pPr()
    x.set_indent(ppr, left=side, right=side, firstLine=0)
    x.add_tab(ppr, pos_twips=TEXT_WIDTH_TW - side)
    room_pt = g.mm_to_pt(g.TEXT_WIDTH_MM) - 2 * g.COLOPHON_SIZE_PT
    left, _, right = text.partition("\t")
    scale = fit_percent(left, right, g.COLOPHON_SIZE_PT, room_pt)
    w.run(p, text, size_pt=g.COLOPHON_SIZE_PT, scale=scale)


def _colophon_frame(table: DocxTable) -> None:
    """Float the 版记 to the bottom of the 版心; horizontal rules only, thick–thin–thick.

    Horizontally it is placed from the page edge at the left margin, not centred on the margin:
    LibreOffice keeps a full-width table inline (not floating) unless it is page-anchored.
    """
    tbl_pr = table._tbl.tblPr
    x.put(
        tbl_pr,
        "w:tblpPr",
        leftFromText=0,
        rightFromText=0,
        topFromText=0,
        bottomFromText=0,
        vertAnchor="margin",
        horzAnchor="page",
        tblpX=g.mm_to_twips(g.MARGIN_LEFT_MM),
        tblpYSpec="bottom",
    )
    x.put(tbl_pr, "w:tblOverlap", val="never")
    borders = x.put(tbl_pr, "w:tblBorders")
    thick = x.border_sz(g.COLOPHON_THICK_RULE_MM)
    thin = x.border_sz(g.COLOPHON_THIN_RULE_MM)
    for side, sz in (("top", thick), ("bottom", thick), ("insideH", thin)):
        x.put(borders, f"w:{side}", val="single", sz=sz, space=0, color="000000")
    for side in ("left", "right", "insideV"):
        x.put(borders, f"w:{side}", val="nil")
    mar = x.put(tbl_pr, "w:tblCellMar")
    for side in ("top", "left", "bottom", "right"):
        x.put(mar, f"w:{side}", w=0, type="dxa")
