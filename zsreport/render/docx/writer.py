"""The document being written, top to bottom: paragraphs, runs, blank lines and sections.

Every part of the bulletin (版头, 正文, 版记 …) is written through one ``Writer``, which holds
the state they share: the python-docx document, 套打 or not, and the orientation of the section
being written.
"""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.text.paragraph import Paragraph as DocxParagraph
from docx.text.run import Run as DocxRun

from zsreport import gbt9704 as g
from zsreport.fonts import FONT_ROLES
from zsreport.linebreak import LinePlan, mark_breaks
from zsreport.render.docx import xml as x
from zsreport.render.docx.lines import fitted_runs
from zsreport.render.docx.pages import add_footers, set_page
from zsreport.render.docx.styles import BY_ID, BY_NAME, FACE_STYLES, NORMAL, StyleSpec, table_style
from zsreport.render.docx.units import BODY_CONDENSE, LINE, without_autospace


def style_of(p: DocxParagraph) -> StyleSpec:
    """The spec of the paragraph's style (Normal when it names none)."""
    return BY_ID.get(p._p.style or "Normal", NORMAL)


def own_spacing(p: DocxParagraph) -> BaseOxmlElement:
    """The paragraph's own ``w:spacing``, with its style's line rule when it had none."""
    ppr = p._p.get_or_add_pPr()
    spacing = ppr.find(qn("w:spacing"))
    if spacing is None:
        x.set_spacing(ppr, line_twips=style_of(p).line_twips)
        spacing = ppr.find(qn("w:spacing"))
    return spacing


class Writer:
    """Appends paragraphs and sections to ``doc``; ``preprinted``: 套打 paper (no red 标志 or rule);
    ``lines``: the PDF's lines of its justified blocks, which LibreOffice is held to (``lines``)."""

    def __init__(self, doc: DocxDocument, *, preprinted: bool, lines: LinePlan | None = None) -> None:
        self.doc = doc
        self.preprinted = preprinted
        self.lines = lines or {}
        self.landscape = False  # orientation of the section being written
        self.after_heading = False  # the block just written is a heading

    # -- paragraphs and runs --

    def style(self, p: DocxParagraph, name: str) -> None:
        """``p.style = name`` without python-docx's setter, which scans every style on each
        assignment (a long table's cells cost seconds, issue 13): the ids are ours."""
        style_id = BY_NAME[name].style_id
        p._p.style = None if style_id == NORMAL.style_id else style_id  # None still adds the w:pPr

    def para(self, style: str = "Normal", *, align: str | None = None) -> DocxParagraph:
        p = self.doc.add_paragraph()
        self.style(p, style)
        if align is not None and align != BY_NAME[style].align:
            x.set_jc(p._p.get_or_add_pPr(), align)
        return p

    def run(
        self,
        p: DocxParagraph,
        text: str,
        role: str = "body",
        *,
        size_pt: float | None = None,
        colour: str | None = None,
        bold: bool | None = None,
        scale: int | None = None,
    ) -> DocxRun:
        """A run of ``text`` in ``role``'s face, bare unless it really differs from its paragraph's
        style: another face names a character style (公文黑体 …), another size or colour is set.
        In a paragraph whose digits take its face (版头, 标题, headings), such a run's digits take
        its own face too, not the Latin face of the character style, and LibreOffice is kept from
        spacing them off the 汉字 (``without_autospace``)."""
        spec = style_of(p)
        run = p.add_run(without_autospace(text) if spec.joined_digits else text)
        other_face = role != spec.role
        x.style_run(
            run._r,
            face_style=FACE_STYLES[role][0] if other_face else None,
            latin_face=FONT_ROLES[role].official if other_face and spec.digits_in_face else None,
            size_pt=None if size_pt in (None, spec.size_pt) else size_pt,
            colour=None if colour in (None, spec.colour) else colour,
            bold=bold,
            scale=scale,
        )
        return run

    def flowing(self, p: DocxParagraph, runs: list[tuple[str, str]], **fmt: object) -> None:
        """Runs (text, role) of text that wraps, with the Chinese breaks LibreOffice refuses marked
        (``linebreak``): without them a line may end a 字 short."""
        marked = mark_breaks([text for text, _ in runs])
        spacing = BODY_CONDENSE if style_of(p).condensed else 0
        # A heading's digits are kept off LibreOffice's CJK–Latin space already (``run``):
        # fitting its lines for that space as well would set them too tight.
        fitted = (
            fitted_runs(marked, self.lines, spacing)
            if self.lines and not fmt and not style_of(p).joined_digits
            else None
        )
        if fitted is None:
            for text, (_, role) in zip(marked, runs, strict=True):
                self.run(p, text, role, **fmt)
            return
        # Cut at the PDF's line ends; a line LibreOffice would overrun is set tighter there only.
        for index, piece, extra in fitted:
            run = self.run(p, piece, runs[index][1])
            if extra:
                x.set_libreoffice_spacing(run._r, word_twips=spacing, libreoffice_twips=spacing - extra)

    def small_para(self, style: str, size_pt: float, *, align: str | None = None) -> DocxParagraph:
        """A table-size paragraph (unit note, 注): the style at that size, on lines of 1.5 × it."""
        return self.para(table_style(style, size_pt), align=align)

    # -- vertical space --

    def blank(self, lines: float = 1) -> None:
        """ "空N行": one exact-height empty paragraph per line (same in Word and WPS)."""
        whole = int(lines)
        for _ in range(whole):
            self.spacer(LINE)
        if lines > whole:
            self.spacer(round(LINE * (lines - whole)))

    def spacer(self, twips: int) -> DocxParagraph:
        p = self.para("公文空行")
        x.set_spacing(p._p.get_or_add_pPr(), line_twips=max(twips, 20))
        return p

    def gap(self, p: DocxParagraph, *, before: bool) -> None:
        """Half a 行 between a table or figure and the running text: space after below it; above
        it, an empty paragraph of that height kept with it. LibreOffice drops
        a paragraph's space before at the top of a page, where the PDF keeps the margin: a chart
        opening a page stood half a 行 higher, and each page after it took rows and lines the PDF
        set on the next (issue 24: LibreOffice pages ending short)."""
        height = round(LINE * g.FLOAT_GAP_LINES)
        if not before:
            own_spacing(p).set(qn("w:after"), str(height))
            return
        spacer = self.spacer(height)
        x.set_flag(spacer._p.get_or_add_pPr(), "w:keepNext")
        p._p.addprevious(spacer._p)  # ``p`` was the body's last paragraph

    # -- sections --

    def orient(self, landscape: bool) -> bool:
        """Turn the page (横排 tables) only when the orientation changes; True if a page was started.

        Consecutive landscape tables share one landscape section: a section per table put an
        empty portrait page (holding nothing but a section break) between them.
        """
        if landscape == self.landscape:
            return False
        self.section(landscape=landscape)
        self.landscape = landscape
        return True

    def section(self, *, landscape: bool, start: WD_SECTION = WD_SECTION.NEW_PAGE) -> None:
        """Start a new section on a new page (a 横排 table page, and back; the 版记's own page)."""
        new = self.doc.add_section(start)
        set_page(new, landscape=landscape)
        add_footers(new, landscape=landscape, index=len(self.doc.sections))
        # add_section leaves an empty paragraph holding the previous sectPr: make it tiny.
        holder = self.doc.paragraphs[-1]
        self.style(holder, "公文空行")
        x.set_spacing(holder._p.get_or_add_pPr(), line_twips=20)
