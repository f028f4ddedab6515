"""Styles and settings: docDefaults, theme fonts, Normal, Heading 1–4 and the named 公文 styles."""

from __future__ import annotations

import re
from dataclasses import dataclass

from docx.document import Document as DocxDocument
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

from zsreport import gbt9704 as g
from zsreport.fonts import FONT_ROLES
from zsreport.render.docx import xml as x
from zsreport.render.docx.units import BODY_CONDENSE, CHAR_TW, LINE, twips_pt


@dataclass(frozen=True)
class StyleSpec:
    """One named paragraph style: face, size and line box."""

    style_id: str
    name: str
    role: str
    size_pt: float
    align: str = "left"
    line_twips: int | None = LINE  # None: single spacing, off the grid
    colour: str = g.BLACK
    first_line_chars: int = 0
    condensed: bool = False  # body-size text set to the 字 pitch: 28 a line


CUSTOM_STYLES = (
    StyleSpec("ZSIssuer", "公文发文机关标志", "title", g.ISSUER_SIZE_PT, "center", None, g.RED),
    StyleSpec("ZSDocNumber", "公文发文字号", "body", g.BODY_SIZE_PT, "center", condensed=True),
    StyleSpec("ZSTitle", "公文标题", "title", g.TITLE_SIZE_PT, "center", twips_pt(g.TITLE_LINE_PITCH_PT)),
    StyleSpec("ZSFlush", "公文顶格", "body", g.BODY_SIZE_PT, "justify", condensed=True),
    StyleSpec("ZSBlank", "公文空行", "body", g.BODY_SIZE_PT, condensed=True),
    StyleSpec("ZSCaption", "公文表题", "hei", g.TABLE_CAPTION_SIZE_PT, "center"),
    StyleSpec("ZSTableText", "公文表格", "body", g.TABLE_SIZE_PT, "center", twips_pt(g.TABLE_LINE_PITCH_PT)),
    StyleSpec("ZSTableNote", "公文表注", "body", g.TABLE_SIZE_PT, "justify", twips_pt(g.TABLE_LINE_PITCH_PT)),
    StyleSpec("ZSFigure", "公文图片", "body", g.BODY_SIZE_PT, "center", None),
    StyleSpec(
        "ZSColophon", "公文版记", "body", g.COLOPHON_SIZE_PT, "left", twips_pt(g.COLOPHON_LINE_PITCH_PT)
    ),
    StyleSpec(
        "ZSPageNumber", "公文页码", "song", g.PAGE_NUMBER_SIZE_PT, "right", twips_pt(g.PAGE_NUMBER_LINE_PT)
    ),
)
HEADING_STYLE = {level: f"Heading {level}" for level in (1, 2, 3, 4)}


def _strip_theme_attrs(fonts: BaseOxmlElement) -> None:
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)


def _strip_theme_fonts(rpr: BaseOxmlElement) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is not None:
        _strip_theme_attrs(fonts)


def fix_defaults(doc: DocxDocument) -> None:
    """docDefaults and theme: CJK falls to 仿宋_GB2312 (never MS Mincho), language zh-CN."""
    styles = doc.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    x.set_fonts(rpr, "body")
    x.set_size(rpr, g.BODY_SIZE_PT)
    x.put(rpr, "w:lang", val="en-US", eastAsia="zh-CN", bidi="ar-SA")
    ppr = styles.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    x.set_spacing(ppr)
    x.no_hanging_punctuation(ppr)  # styles python-docx's template brings (Header, Footer) too
    # No extra space between 汉字 and Latin letters or digits (Word's default adds about ¼ em):
    # the PDF has none, and 28 字 to a line (5.2.4) holds only without it.
    x.put(ppr, "w:autoSpaceDE", val=0)
    x.put(ppr, "w:autoSpaceDN", val=0)
    for fonts in styles.iter(qn("w:rFonts")):  # every template style: no theme-font detours
        _strip_theme_attrs(fonts)
    settings = doc.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
    for setting in settings.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")  # tblInd measured to the border, as WPS does
    _fix_theme(doc)


def _fix_theme(doc: DocxDocument) -> None:
    """The template theme maps East Asian text to ＭＳ 明朝; point every ea slot at 宋体."""
    for rel in doc.part.rels.values():
        if rel.reltype.endswith("/theme"):
            part = rel.target_part
            xml = part.blob.decode("utf-8")
            xml = xml.replace('<a:ea typeface=""/>', f'<a:ea typeface="{FONT_ROLES["song"].official}"/>')
            xml = re.sub(r'(<a:font script="Jpan" typeface=")[^"]*(")', r"\g<1>宋体\g<2>", xml)
            part._blob = xml.encode("utf-8")


def _style_paragraph_props(style, spec: StyleSpec) -> None:
    ppr = style.element.get_or_add_pPr()
    x.set_flag(ppr, "w:widowControl", False)  # keep 22 lines on every page
    x.no_hanging_punctuation(ppr)  # no ，or 。 hanging past the 版心 edge (Word and LibreOffice)
    x.snap_off(ppr)
    x.set_spacing(ppr, line_twips=spec.line_twips)
    x.set_indent(ppr, firstLineChars=spec.first_line_chars, firstLine=spec.first_line_chars * CHAR_TW // 100)
    x.set_jc(ppr, spec.align)
    rpr = style.element.get_or_add_rPr()
    _strip_theme_fonts(rpr)
    x.set_fonts(rpr, spec.role)
    x.set_size(rpr, spec.size_pt)
    x.set_colour(rpr, spec.colour)
    x.set_bold(rpr, False)
    x.put(rpr, "w:spacing", val=BODY_CONDENSE if spec.condensed else 0)
    for tag in ("w:i", "w:iCs"):
        for el in rpr.findall(qn(tag)):
            rpr.remove(el)


def add_styles(doc: DocxDocument, *, preprinted: bool = False) -> None:
    """Normal, Heading 1–4 and the 公文 styles; on 套打 paper no red 标志 style at all."""
    normal = doc.styles["Normal"]
    _style_paragraph_props(
        normal,
        StyleSpec(
            "Normal", "Normal", "body", g.BODY_SIZE_PT, "justify", first_line_chars=200, condensed=True
        ),
    )
    for level, name in HEADING_STYLE.items():
        style = doc.styles[name]
        role = g.HEADING_ROLES[level]
        spec = StyleSpec(
            style.style_id, name, role, g.BODY_SIZE_PT, "justify", first_line_chars=200, condensed=True
        )
        _style_paragraph_props(style, spec)
        ppr = style.element.get_or_add_pPr()
        x.set_flag(ppr, "w:keepNext")
        x.set_flag(ppr, "w:keepLines")
        rpr = style.element.get_or_add_rPr()
        for attr in ("w:themeColor", "w:themeShade"):
            rpr.find(qn("w:color")).attrib.pop(qn(attr), None)
    for spec in CUSTOM_STYLES:
        if preprinted and spec.colour == g.RED:
            continue
        style = doc.styles.add_style(spec.name, 1)
        style.element.set(qn("w:styleId"), spec.style_id)
        style.base_style = normal
        style.quick_style = True
        _style_paragraph_props(style, spec)
    for name in ("Header", "Footer"):
        rpr = doc.styles[name].element.get_or_add_rPr()
        _strip_theme_fonts(rpr)
        x.set_fonts(rpr, "song")
