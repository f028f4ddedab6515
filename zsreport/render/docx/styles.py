"""Styles: docDefaults, Normal (正文), Heading 1–4, the named 公文 styles and the face styles.

The formatting lives in styles, not in runs, so that a clerk who changes 正文 (Normal) in Word or
WPS changes the body text: a run carries a property of its own only where it really differs from
its paragraph's style (``Writer.run``), and a run in another face than its paragraph names a
character style (公文黑体 …), not a font. Derived styles write only what differs from the style
they are based on, so changing Normal's size changes the headings too.

Every style of ``ALL_STYLES`` is written; ``prune_styles`` then drops those the document does not
use, so the file holds only its own (with Word's three defaults).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from lxml import etree

from zsreport import gbt9704 as g
from zsreport.fonts import FONT_ROLES
from zsreport.render.docx import xml as x
from zsreport.render.docx.units import BODY_CONDENSE, CHAR_TW, LINE, twips_pt


@dataclass(frozen=True)
class StyleSpec:
    """One paragraph style: face, size and line box (every property written out in full)."""

    style_id: str
    name: str
    role: str
    size_pt: float
    align: str = "left"
    line_twips: int | None = LINE  # None: single spacing, off the grid
    colour: str = g.BLACK
    first_line_chars: int = 0
    condensed: bool = False  # body-size text set to the 字 pitch: 28 a line
    base: str | None = "Normal"
    outline_level: int | None = None  # headings: the navigation pane's levels
    # Digits and Latin letters in the style's own CJK face, not in Times New Roman: the 页码
    # (半角宋体), and the 版头, 标题 and headings, where a Times "2020" inside a 小标宋 or 黑体
    # line reads as a typo (issue 24). Times New Roman stays for the 正文's digits.
    digits_in_face: bool = False
    # LibreOffice kept from spacing digits off the 汉字 (``units.without_autospace``): the 标志,
    # 标题, headings and 版头 lines. Not the 文号, an identifier clerks copy into registers, which
    # must hold no invisible character (LibreOffice shows 1/5 em before its 号; Word none).
    joined_digits: bool = False


NORMAL = StyleSpec(
    "Normal", "Normal", "body", g.BODY_SIZE_PT, "justify", first_line_chars=200, condensed=True, base=None
)
# Word's built-in names ("heading 1"): Word and WPS show them as 标题 1 … and put them in the
# navigation pane; a custom name would lose both.
HEADINGS = {
    level: StyleSpec(
        f"Heading{level}",
        f"heading {level}",
        g.HEADING_ROLES[level],
        g.BODY_SIZE_PT,
        "justify",
        first_line_chars=200,
        condensed=True,
        outline_level=level - 1,
        digits_in_face=True,
        joined_digits=True,
    )
    for level in (1, 2, 3, 4)
}
HEADING_STYLE = {level: spec.name for level, spec in HEADINGS.items()}

# The table sizes (clause 8 leaves them open: the largest that fits, ``table_size_pt``).
SIZE_NAMES = {g.SIZE_XIAO4_PT: "小四", g.SIZE_5HAO_PT: "五号", g.SIZE_XIAO5_PT: "小五"}
TABLE_TEXT, TABLE_NOTE = "公文表格", "公文表注"


def _table_styles(style_id: str, name: str, align: str) -> list[StyleSpec]:
    """A table style at 小四 and one per smaller size, each on lines of 1.5 × its size."""
    return [
        StyleSpec(
            style_id if size == g.TABLE_SIZE_PT else f"{style_id}{round(size * 10)}",
            name if size == g.TABLE_SIZE_PT else f"{name}（{SIZE_NAMES[size]}）",
            "body",
            size,
            align,
            twips_pt(size * g.TABLE_LINE_PITCH_EM),
            base="Normal" if size == g.TABLE_SIZE_PT else style_id,
        )
        for size in g.TABLE_SIZES_PT
    ]


CUSTOM_STYLES = (
    StyleSpec(
        "ZSIssuer",
        "公文发文机关标志",
        "title",
        g.ISSUER_SIZE_PT,
        "center",
        None,
        g.RED,
        digits_in_face=True,
        joined_digits=True,
    ),
    StyleSpec(
        "ZSDocNumber", "公文发文字号", "body", g.BODY_SIZE_PT, "center", condensed=True, digits_in_face=True
    ),
    StyleSpec(
        "ZSTitle",
        "公文标题",
        "title",
        g.TITLE_SIZE_PT,
        "center",
        twips_pt(g.TITLE_LINE_PITCH_PT),
        digits_in_face=True,
        joined_digits=True,
    ),
    StyleSpec("ZSFlush", "公文顶格", "body", g.BODY_SIZE_PT, "justify", condensed=True),
    # 份号, 密级, 紧急程度 and the 纪要's 机关/date line: 公文顶格 with the 版头's digits
    StyleSpec(
        "ZSHeadLine",
        "公文版头",
        "body",
        g.BODY_SIZE_PT,
        "justify",
        condensed=True,
        base="ZSFlush",
        digits_in_face=True,
        joined_digits=True,
    ),
    StyleSpec("ZSBlank", "公文空行", "body", g.BODY_SIZE_PT, condensed=True),
    StyleSpec("ZSCaption", "公文表题", "hei", g.TABLE_CAPTION_SIZE_PT, "center"),
    *_table_styles("ZSTableText", TABLE_TEXT, "center"),
    *_table_styles("ZSTableNote", TABLE_NOTE, "justify"),
    StyleSpec("ZSFigure", "公文图片", "body", g.BODY_SIZE_PT, "center", None),
    StyleSpec(
        "ZSColophon", "公文版记", "body", g.COLOPHON_SIZE_PT, "left", twips_pt(g.COLOPHON_LINE_PITCH_PT)
    ),
    StyleSpec(
        "ZSPageNumber",
        "公文页码",
        "song",
        g.PAGE_NUMBER_SIZE_PT,
        "right",
        twips_pt(g.PAGE_NUMBER_LINE_PT),
        digits_in_face=True,
    ),
)
ALL_STYLES = (NORMAL, *HEADINGS.values(), *CUSTOM_STYLES)
BY_NAME = {spec.name: spec for spec in ALL_STYLES}
BY_ID = {spec.style_id: spec for spec in ALL_STYLES}

# A run in another face than its paragraph (黑体 "附件" label, 出席：, a table's header cells):
# one character style per face, so the face too is changed in one place.
FACE_STYLES = {
    "body": ("ZSFangChar", "公文仿宋"),
    "hei": ("ZSHeiChar", "公文黑体"),
    "kai": ("ZSKaiChar", "公文楷体"),
    "title": ("ZSTitleChar", "公文小标宋"),
    "song": ("ZSSongChar", "公文宋体"),
}


def table_style(name: str, size_pt: float) -> str:
    """The name of the table style (公文表格, 公文表注) at ``size_pt``."""
    return name if size_pt == g.TABLE_SIZE_PT else f"{name}（{SIZE_NAMES[size_pt]}）"


def fix_defaults(doc: DocxDocument) -> None:
    """docDefaults: CJK in 仿宋_GB2312, language zh-CN, no hanging punctuation, no autospace."""
    styles = doc.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    x.set_fonts(rpr, "body")
    x.set_size(rpr, g.BODY_SIZE_PT)
    x.put(rpr, "w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA")
    ppr = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    x.no_hanging_punctuation(ppr)
    # No extra space between 汉字 and Latin letters or digits (Word's default adds about ¼ em):
    # the PDF has none, and 28 字 to a line (5.2.4) holds only without it.
    x.put(ppr, "w:autoSpaceDE", val=0)
    x.put(ppr, "w:autoSpaceDN", val=0)
    x.set_spacing(ppr)


def _full_props(spec: StyleSpec) -> tuple[BaseOxmlElement, BaseOxmlElement]:
    """The style's pPr and rPr with every property written out."""
    ppr, rpr = x.element("w:pPr"), x.element("w:rPr")
    if spec.outline_level is not None:
        x.set_flag(ppr, "w:keepNext")  # a heading never ends a page (issue 14, item 4)
        x.set_flag(ppr, "w:keepLines")
        x.put(ppr, "w:outlineLvl", val=spec.outline_level)
    x.set_flag(ppr, "w:widowControl", False)  # on only where the PDF has it (body paragraphs)
    x.no_hanging_punctuation(ppr)  # no ，or 。 hanging past the 版心 edge (Word and LibreOffice)
    x.snap_off(ppr)
    x.set_spacing(ppr, line_twips=spec.line_twips)
    x.set_indent(ppr, firstLineChars=spec.first_line_chars, firstLine=spec.first_line_chars * CHAR_TW // 100)
    x.set_jc(ppr, spec.align)
    x.set_fonts(rpr, spec.role)
    if spec.digits_in_face:
        fonts = rpr.find(qn("w:rFonts"))
        for attr in ("w:ascii", "w:hAnsi", "w:cs"):
            fonts.set(qn(attr), FONT_ROLES[spec.role].official)
    x.set_bold(rpr, False)
    x.set_colour(rpr, spec.colour)
    x.put(rpr, "w:spacing", val=BODY_CONDENSE if spec.condensed else 0)
    x.set_size(rpr, spec.size_pt)
    return ppr, rpr


def _without_inherited(props: BaseOxmlElement, inherited: BaseOxmlElement) -> BaseOxmlElement:
    """``props`` less the children its base style already has, identical."""
    same = {etree.tostring(child) for child in inherited}
    for child in list(props):
        if etree.tostring(child) in same:
            props.remove(child)
    return props


def _style_element(spec: StyleSpec) -> BaseOxmlElement:
    style = x.element("w:style", type="paragraph", styleId=spec.style_id)
    if spec.style_id != "Normal" and spec.outline_level is None:
        style.set(qn("w:customStyle"), "1")
    x.put(style, "w:name", val=spec.name)  # children in schema order (CT_Style) from here
    if spec.base:
        style.append(x.element("w:basedOn", val=spec.base))
    if spec.outline_level is not None:  # after a heading, 正文
        style.append(x.element("w:next", val="Normal"))
        style.append(x.element("w:uiPriority", val=9))
    style.append(x.element("w:qFormat"))
    ppr, rpr = _full_props(spec)
    if spec.base:
        base_ppr, base_rpr = _full_props(BY_ID[spec.base])
        ppr, rpr = _without_inherited(ppr, base_ppr), _without_inherited(rpr, base_rpr)
    for props in (ppr, rpr):
        if len(props):
            style.append(props)
    return style


def _face_style(role: str) -> BaseOxmlElement:
    style_id, name = FACE_STYLES[role]
    style = x.element("w:style", type="character", customStyle=1, styleId=style_id)
    style.append(x.element("w:name", val=name))
    style.append(x.element("w:basedOn", val="DefaultParagraphFont"))
    style.append(x.element("w:qFormat"))
    rpr = x.element("w:rPr")
    x.set_fonts(rpr, role)
    style.append(rpr)
    return style


def add_styles(doc: DocxDocument, *, preprinted: bool = False) -> None:
    """Normal, Heading 1–4, the 公文 styles and the face styles; on 套打 paper no red 标志 style."""
    root = doc.styles.element
    normal = root.find(f"{qn('w:style')}[@{qn('w:styleId')}='Normal']")
    for spec in ALL_STYLES:
        if preprinted and spec.colour == g.RED:
            continue
        style = _style_element(spec)
        if spec.style_id == "Normal":
            normal.getparent().replace(normal, style)
            style.set(qn("w:default"), "1")
        else:
            root.append(style)
    for role in FACE_STYLES:
        root.append(_face_style(role))


def _style_refs(roots: Iterable[BaseOxmlElement]) -> set[str]:
    return {
        el.get(qn("w:val"))
        for root in roots
        for tag in ("w:pStyle", "w:rStyle", "w:tblStyle")
        for el in root.iter(qn(tag))
    }


def prune_styles(doc: DocxDocument) -> None:
    """Drop every style the body and footers do not use (nor a used style is based on)."""
    parts = [doc.element] + [
        part.element for part in doc.part.package.iter_parts() if part.partname.startswith("/word/footer")
    ]
    root = doc.styles.element
    by_id = {s.get(qn("w:styleId")): s for s in root.findall(qn("w:style"))}
    keep: set[str] = set()
    todo = [*_style_refs(parts), *(sid for sid, s in by_id.items() if s.get(qn("w:default")) == "1")]
    while todo:
        sid = todo.pop()
        if sid in keep or sid not in by_id:
            continue
        keep.add(sid)
        todo += [el.get(qn("w:val")) for el in by_id[sid].findall(qn("w:basedOn"))]
    for sid, style in by_id.items():
        if sid not in keep:
            root.remove(style)
