"""Low-level OOXML helpers for ``render_docx``: the bits python-docx has no API for.

Word rejects a file ("unreadable content") when property children are out of schema order,
so every helper inserts through :func:`put`, which knows the sequence of each property element.
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

from zsreport.fonts import FONT_ROLES


def _seq(names: str) -> tuple[str, ...]:
    return tuple(names.split())


# Schema order (ECMA-376 part 1, §17) of the children we touch.
PPR_SEQ = _seq(
    "w:pStyle w:keepNext w:keepLines w:pageBreakBefore w:framePr w:widowControl w:numPr "
    "w:suppressLineNumbers w:pBdr w:shd w:tabs w:suppressAutoHyphens w:kinsoku w:wordWrap "
    "w:overflowPunct w:topLinePunct w:autoSpaceDE w:autoSpaceDN w:bidi w:adjustRightInd "
    "w:snapToGrid w:spacing w:ind w:contextualSpacing w:mirrorIndents w:suppressOverlap w:jc "
    "w:textDirection w:textAlignment w:textboxTightWrap w:outlineLvl w:divId w:cnfStyle w:rPr "
    "w:sectPr w:pPrChange"
)
RPR_SEQ = _seq(
    "w:rStyle w:rFonts w:b w:bCs w:i w:iCs w:caps w:smallCaps w:strike w:dstrike w:outline "
    "w:shadow w:emboss w:imprint w:noProof w:snapToGrid w:vanish w:webHidden w:color w:spacing "
    "w:w w:kern w:position w:sz w:szCs w:highlight w:u w:effect w:bdr w:shd w:fitText "
    "w:vertAlign w:rtl w:cs w:em w:lang w:eastAsianLayout w:specVanish w:oMath"
)
TBLPR_SEQ = _seq(
    "w:tblStyle w:tblpPr w:tblOverlap w:bidiVisual w:tblStyleRowBandSize w:tblStyleColBandSize "
    "w:tblW w:jc w:tblCellSpacing w:tblInd w:tblBorders w:shd w:tblLayout w:tblCellMar w:tblLook "
    "w:tblCaption w:tblDescription"
)
TRPR_SEQ = _seq(
    "w:cnfStyle w:divId w:gridBefore w:gridAfter w:wBefore w:wAfter w:cantSplit w:trHeight "
    "w:tblHeader w:tblCellSpacing w:jc w:hidden"
)
TCPR_SEQ = _seq(
    "w:cnfStyle w:tcW w:gridSpan w:hMerge w:vMerge w:tcBorders w:shd w:noWrap w:tcMar "
    "w:textDirection w:tcFitText w:vAlign w:hideMark"
)
SECTPR_SEQ = _seq(
    "w:headerReference w:footerReference w:footnotePr w:endnotePr w:type w:pgSz w:pgMar "
    "w:paperSrc w:pgBorders w:lnNumType w:pgNumType w:cols w:formProt w:vAlign w:noEndnote "
    "w:titlePg w:textDirection w:bidi w:rtlGutter w:docGrid w:printerSettings w:sectPrChange"
)
BORDER_SEQ = _seq("w:top w:left w:start w:bottom w:right w:end w:insideH w:insideV w:between w:bar")

_SEQ_BY_PARENT = {
    "w:pPr": PPR_SEQ,
    "w:rPr": RPR_SEQ,
    "w:tblPr": TBLPR_SEQ,
    "w:trPr": TRPR_SEQ,
    "w:tcPr": TCPR_SEQ,
    "w:sectPr": SECTPR_SEQ,
    "w:pBdr": BORDER_SEQ,
    "w:tblBorders": BORDER_SEQ,
    "w:tcBorders": BORDER_SEQ,
    "w:tblCellMar": BORDER_SEQ,
}
_PREFIX = {qn("w:x")[:-1]: "w:"}


def _short(tag: str) -> str:
    """``{namespace}name`` → ``w:name`` for WordprocessingML tags."""
    for ns, prefix in _PREFIX.items():
        if tag.startswith(ns):
            return prefix + tag[len(ns) :]
    return tag


def element(tag: str, **attrs: object) -> BaseOxmlElement:
    """A new ``w:`` element; keyword ``val="x"`` becomes ``w:val="x"``."""
    return OxmlElement(tag, attrs={qn(f"w:{k}"): str(v) for k, v in attrs.items()})


def put(parent: BaseOxmlElement, tag: str, **attrs: object) -> BaseOxmlElement:
    """Replace ``parent``'s ``tag`` child by a new one, inserted in schema order."""
    for old in parent.findall(qn(tag)):
        parent.remove(old)
    child = element(tag, **attrs)
    seq = _SEQ_BY_PARENT.get(_short(parent.tag))
    if seq is None or tag not in seq:
        parent.append(child)
        return child
    later = {qn(t) for t in seq[seq.index(tag) + 1 :]}
    for i, existing in enumerate(parent):
        if existing.tag in later:
            parent.insert(i, child)
            return child
    parent.append(child)
    return child


def get_or_put(parent: BaseOxmlElement, tag: str) -> BaseOxmlElement:
    found = parent.find(qn(tag))
    return found if found is not None else put(parent, tag)


def hex_colour(css: str) -> str:
    """``#FF0000`` → ``FF0000`` as OOXML wants it."""
    return css.lstrip("#").upper()


def border_sz(mm: float) -> int:
    """Border width in eighths of a point (``w:sz``), the unit of every OOXML border."""
    return max(2, round(mm * 72 / 25.4 * 8))


# ── run properties ────────────────────────────────────────────────────────────────────────


def set_fonts(rpr: BaseOxmlElement, role: str) -> None:
    """Name the role's official face for CJK and Times New Roman for Latin, without theme fonts.

    ``w:hint="eastAsia"`` makes ambiguous characters (“” — …) take the CJK face, as 公文 wants.
    """
    face = FONT_ROLES[role]
    put(
        rpr,
        "w:rFonts",
        ascii=face.latin,
        hAnsi=face.latin,
        eastAsia=face.official,
        cs=face.latin,
        hint="eastAsia",
    )


def set_size(rpr: BaseOxmlElement, pt: float) -> None:
    half_points = round(pt * 2)
    put(rpr, "w:sz", val=half_points)
    put(rpr, "w:szCs", val=half_points)


def set_colour(rpr: BaseOxmlElement, css: str) -> None:
    put(rpr, "w:color", val=hex_colour(css))


def set_bold(rpr: BaseOxmlElement, bold: bool) -> None:
    put(rpr, "w:b", val=int(bold))
    put(rpr, "w:bCs", val=int(bold))


def set_char_scale(rpr: BaseOxmlElement, percent: int) -> None:
    """Horizontal glyph scaling (字符缩放), how offices fit a long 发文机关 name on one line."""
    put(rpr, "w:w", val=percent)


def run_snap_off(rpr: BaseOxmlElement) -> None:
    put(rpr, "w:snapToGrid", val=0)


# ── paragraph properties ──────────────────────────────────────────────────────────────────


def set_spacing(
    ppr: BaseOxmlElement, *, line_twips: int | None = None, before: int = 0, after: int = 0
) -> None:
    """Exact line height ``line_twips`` (None: single) and space before/after, all in twips."""
    if line_twips is None:
        put(ppr, "w:spacing", before=before, after=after, line=240, lineRule="auto")
    else:
        put(ppr, "w:spacing", before=before, after=after, line=line_twips, lineRule="exact")


def set_indent(ppr: BaseOxmlElement, **attrs: int) -> None:
    """``w:ind`` with e.g. ``firstLineChars=200`` or ``left=280, hanging=840``."""
    put(ppr, "w:ind", **attrs)


def set_jc(ppr: BaseOxmlElement, align: str) -> None:
    put(ppr, "w:jc", val={"justify": "both"}.get(align, align))


def snap_off(ppr: BaseOxmlElement) -> None:
    """Leave the document grid: tables, captions and 版头 lines are not on the 22×28 grid."""
    put(ppr, "w:snapToGrid", val=0)


def set_flag(ppr: BaseOxmlElement, tag: str, on: bool = True) -> None:
    put(ppr, tag, val=int(on))


def set_bottom_border(ppr: BaseOxmlElement, *, colour: str, mm: float, space_pt: int) -> None:
    """A rule under the paragraph, ``space_pt`` below its last line, as wide as its indents."""
    pbdr = get_or_put(ppr, "w:pBdr")
    put(pbdr, "w:bottom", val="single", sz=border_sz(mm), space=space_pt, color=hex_colour(colour))


def add_tab(ppr: BaseOxmlElement, *, pos_twips: int, align: str = "right") -> None:
    tabs = get_or_put(ppr, "w:tabs")
    tabs.append(element("w:tab", val=align, pos=pos_twips))


# ── fields ────────────────────────────────────────────────────────────────────────────────


def field_runs(instr: str, placeholder: str) -> list[BaseOxmlElement]:
    """The runs of a complex field (begin / instrText / separate / result / end), unstyled."""
    runs = []
    for kind in ("begin", "instr", "separate", "result", "end"):
        r = element("w:r")
        if kind == "instr":
            t = element("w:instrText")
            t.set(qn("xml:space"), "preserve")
            t.text = f" {instr} "
            r.append(t)
        elif kind == "result":
            t = element("w:t")
            t.text = placeholder
            r.append(t)
        else:
            r.append(element("w:fldChar", fldCharType=kind))
        runs.append(r)
    return runs
