"""Low-level OOXML helpers for the DOCX renderer: the bits python-docx has no API for.

Word rejects a file ("unreadable content") when property children are out of schema order,
so every helper inserts through :func:`put`, which knows the sequence of each property element.
"""

from __future__ import annotations

import re
from copy import deepcopy

from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

from zsreport.fonts import FONT_ROLES

# Namespaces of the markup python-docx has no classes for.
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
V = "urn:schemas-microsoft-com:vml"
VO = "urn:schemas-microsoft-com:office:office"
WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


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
        if _stands_for(existing) in later:
            parent.insert(i, child)
            return child
    parent.append(child)
    return child


def _stands_for(child: BaseOxmlElement) -> str:
    """The tag a child takes in schema order: an ``mc:AlternateContent`` that of its first choice."""
    if child.tag != f"{{{MC}}}AlternateContent":
        return child.tag
    choice = child.find(f"{{{MC}}}Choice")
    return choice[0].tag if choice is not None and len(choice) else child.tag


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


def set_char_spacing(rpr: BaseOxmlElement, twips: int) -> None:
    """Character spacing (字符间距) after each character, in twentieths of a point."""
    put(rpr, "w:spacing", val=twips)


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


# LibreOffice (writerfilter, 7.4 and later) reads ``w:overflowPunct`` the wrong way round: it sets
# ParaIsHangingPunctuation to ``val == 0``, so Word's "no overflow" (val 0) makes LibreOffice hang
# "，" and "。" past the 版心 (ODF ``style:punctuation-wrap="hanging"``), and an absent element
# hangs too (Word's default). The two readers are told apart by markup compatibility: Word 2013+
# understands ``w15`` and takes the Choice (val 0, Word's 允许标点溢出边界 off); LibreOffice takes a
# Choice only for wps/wpg/w14, so it reads the Fallback (val 1, which it turns into "no hanging").
W15 = "http://schemas.microsoft.com/office/word/2012/wordml"
NO_HANGING_CHOICE = "w15"
_NO_HANGING = (
    f'<mc:AlternateContent xmlns:mc="{MC}" xmlns:w="{W}" xmlns:w15="{W15}">'
    f'<mc:Choice Requires="{NO_HANGING_CHOICE}"><w:overflowPunct w:val="0"/></mc:Choice>'
    '<mc:Fallback><w:overflowPunct w:val="1"/></mc:Fallback></mc:AlternateContent>'
)


def no_hanging_punctuation(ppr: BaseOxmlElement) -> BaseOxmlElement:
    """Keep closing marks inside the 版心 in Word and LibreOffice alike (see ``_NO_HANGING``).

    Replaces any ``w:overflowPunct`` (plain or alternate) and sits where ``w:overflowPunct`` goes
    in schema order, as Word expects of the content an ``mc:AlternateContent`` stands for.
    """
    for old in ppr.findall(qn("w:overflowPunct")):
        ppr.remove(old)
    for old in ppr.findall(f"{{{MC}}}AlternateContent"):
        if old.find(f".//{qn('w:overflowPunct')}") is not None:
            ppr.remove(old)
    alt = parse_xml(_NO_HANGING)
    later = {qn(t) for t in PPR_SEQ[PPR_SEQ.index("w:overflowPunct") + 1 :]}
    for i, existing in enumerate(ppr):
        if _stands_for(existing) in later:
            ppr.insert(i, alt)
            return alt
    ppr.append(alt)
    return alt


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


# ── page-anchored text boxes ──────────────────────────────────────────────────────────────


_TEXT_BOX = """<w:r xmlns:w="{W}" xmlns:mc="{MC}" xmlns:wp="{WP}" xmlns:a="{A}" xmlns:wps="{WPS}"
    xmlns:v="{V}" xmlns:o="{O}"><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>
<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="{z}" behindDoc="0"
    locked="1" layoutInCell="1" allowOverlap="1">
  <wp:simplePos x="0" y="0"/>
  <wp:positionH relativeFrom="page"><wp:posOffset>{x}</wp:posOffset></wp:positionH>
  <wp:positionV relativeFrom="page"><wp:posOffset>{y}</wp:posOffset></wp:positionV>
  <wp:extent cx="{cx}" cy="{cy}"/>
  <wp:effectExtent l="0" t="0" r="0" b="0"/>
  <wp:wrapNone/>
  <wp:docPr id="{shape_id}" name="{name}"/>
  <wp:cNvGraphicFramePr/>
  <a:graphic><a:graphicData uri="{WPS}"><wps:wsp>
    <wps:cNvSpPr txBox="1"/>
    <wps:spPr>
      <a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>
      <a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln>
    </wps:spPr>
    <wps:txbx><w:txbxContent/></wps:txbx>
    <wps:bodyPr rot="0" vert="{vert}" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0"
        anchor="t" anchorCtr="0" upright="0"><a:noAutofit/></wps:bodyPr>
  </wps:wsp></a:graphicData></a:graphic>
</wp:anchor></w:drawing></mc:Choice>
<mc:Fallback><w:pict><v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202"
    path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path gradientshapeok="t"
    o:connecttype="rect"/></v:shapetype><v:shape id="{name}" o:spid="_x0000_s{shape_id}" type="#_x0000_t202"
    style="position:absolute;margin-left:{x_pt}pt;margin-top:{y_pt}pt;width:{cx_pt}pt;height:{cy_pt}pt;z-index:{z};mso-position-horizontal-relative:page;mso-position-vertical-relative:page;layout-flow:{flow}"
    filled="f" stroked="f"><v:textbox inset="0,0,0,0"><w:txbxContent/></v:textbox></v:shape></w:pict>
</mc:Fallback></mc:AlternateContent></w:r>"""

EMU_PER_PT = 12700


def page_text_box(
    paragraphs: list[BaseOxmlElement],
    *,
    x_emu: int,
    y_emu: int,
    cx_emu: int,
    cy_emu: int,
    shape_id: int,
    name: str,
    turned: bool = True,
) -> BaseOxmlElement:
    """A run holding a borderless text box placed from the page's top-left corner.

    DrawingML (``wps``) for Word 2010+, WPS and LibreOffice, with a VML fallback for older Word.
    ``turned``: the text is turned a quarter clockwise (``vert``), reading top to bottom with the
    tops of its glyphs toward the right. ``paragraphs`` are copied into both renderings.
    """
    xml = _TEXT_BOX.format(
        x=x_emu,
        y=y_emu,
        cx=cx_emu,
        cy=cy_emu,
        x_pt=round(x_emu / EMU_PER_PT, 2),
        y_pt=round(y_emu / EMU_PER_PT, 2),
        cx_pt=round(cx_emu / EMU_PER_PT, 2),
        cy_pt=round(cy_emu / EMU_PER_PT, 2),
        z=251659264 + shape_id,
        shape_id=shape_id,
        name=name,
        vert="vert" if turned else "horz",
        flow="vertical" if turned else "horizontal",
        W=W,
        MC=MC,
        WP=WP,
        A=A,
        WPS=WPS,
        V=V,
        O=VO,
    )
    run = parse_xml(re.sub(r">\s+<", "><", xml.replace("\n", " ")))
    for content in run.iter(qn("w:txbxContent")):
        for p in paragraphs:
            content.append(deepcopy(p))
    return run


# ── runs ──────────────────────────────────────────────────────────────────────────────────


def run_element(text: str) -> BaseOxmlElement:
    """A bare ``w:r`` holding ``text``, spaces kept (for runs built outside a python-docx paragraph)."""
    r = element("w:r")
    t = element("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    r.append(t)
    return r


def style_run(
    r: BaseOxmlElement,
    *,
    face_style: str | None = None,
    size_pt: float | None = None,
    colour: str | None = None,
    bold: bool | None = None,
    scale: int | None = None,
    latin_face: str | None = None,
) -> None:
    """A run's own properties, only those given: the rest it takes from its paragraph's style.

    ``latin_face``: the face for the run's digits and Latin letters (``w:ascii``/``w:hAnsi``),
    where they must not take the Latin face its character style names."""
    rpr = r.find(qn("w:rPr"))
    if rpr is None:
        rpr = element("w:rPr")
    if face_style is not None:
        put(rpr, "w:rStyle", val=face_style)
    if latin_face is not None:
        put(rpr, "w:rFonts", ascii=latin_face, hAnsi=latin_face)
    if bold is not None:
        set_bold(rpr, bold)
    if colour is not None:
        set_colour(rpr, colour)
    if scale is not None and scale != 100:
        set_char_scale(rpr, scale)
    if size_pt is not None:
        set_size(rpr, size_pt)
    if len(rpr) and rpr.getparent() is None:
        r.insert(0, rpr)


def set_libreoffice_spacing(r: BaseOxmlElement, *, word_twips: int, libreoffice_twips: int) -> None:
    """The run's character spacing: ``word_twips`` for Word and WPS (the ``w15`` Choice, see
    ``_NO_HANGING``), ``libreoffice_twips`` for LibreOffice (the Fallback), in schema order."""
    rpr = r.find(qn("w:rPr"))
    if rpr is None:
        rpr = element("w:rPr")
        r.insert(0, rpr)
    for old in rpr.findall(qn("w:spacing")):
        rpr.remove(old)
    alt = parse_xml(
        f'<mc:AlternateContent xmlns:mc="{MC}" xmlns:w="{W}" xmlns:w15="{W15}">'
        f'<mc:Choice Requires="{NO_HANGING_CHOICE}"><w:spacing w:val="{int(word_twips)}"/></mc:Choice>'
        f'<mc:Fallback><w:spacing w:val="{int(libreoffice_twips)}"/></mc:Fallback></mc:AlternateContent>'
    )
    later = {qn(t) for t in RPR_SEQ[RPR_SEQ.index("w:spacing") + 1 :]}
    for i, existing in enumerate(rpr):
        if _stands_for(existing) in later:
            rpr.insert(i, alt)
            return
    rpr.append(alt)
