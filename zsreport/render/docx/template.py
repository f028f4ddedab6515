"""Our own DOCX template, written here as a minimal package rather than python-docx's default.

python-docx's ``default.docx`` brings 160 styles nobody uses, a Japanese theme, numbering, web
settings, a ``customXml`` item and an ``app.xml`` that says "Microsoft Macintosh Word". A clerk
opening the file in Word/WPS should find only what the bulletin uses. The package is built in
code, not kept as a binary ``.docx``, so that it stays reviewable text and so that the font
table follows ``fonts.toml``: it names exactly the official faces the styles use. The styles
themselves (every size and face from ``gbt9704`` and ``fonts.toml``) are added by ``styles``.

Parts: the document (an empty body), styles (docDefaults and the three default styles Word
expects: Normal, Default Paragraph Font, Normal Table), settings, fontTable, core and app.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

from zsreport.fonts import FONT_ROLES

APPLICATION = "zsreport"

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PR = "http://schemas.openxmlformats.org/package/2006/relationships"
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument"
_DECL = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"

# Namespaces declared once on the body's root, so that pictures and text boxes added later do not
# each carry their own declarations.
_DOCUMENT_NS = {
    "w": _W,
    "r": _R,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
}

_CONTENT_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/word/document.xml" ContentType="{_CT}.wordprocessingml.document.main+xml"/>'
    f'<Override PartName="/word/styles.xml" ContentType="{_CT}.wordprocessingml.styles+xml"/>'
    f'<Override PartName="/word/settings.xml" ContentType="{_CT}.wordprocessingml.settings+xml"/>'
    f'<Override PartName="/word/fontTable.xml" ContentType="{_CT}.wordprocessingml.fontTable+xml"/>'
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    f'<Override PartName="/docProps/app.xml" ContentType="{_CT}.extended-properties+xml"/>'
    "</Types>"
)

_PACKAGE_RELS = (
    f'<Relationships xmlns="{_PR}">'
    f'<Relationship Id="rId1" Type="{_RT}/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Target="docProps/core.xml" '
    'Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"/>'
    f'<Relationship Id="rId3" Type="{_RT}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)

_DOCUMENT_RELS = (
    f'<Relationships xmlns="{_PR}">'
    f'<Relationship Id="rId1" Type="{_RT}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId2" Type="{_RT}/settings" Target="settings.xml"/>'
    f'<Relationship Id="rId3" Type="{_RT}/fontTable" Target="fontTable.xml"/>'
    "</Relationships>"
)

_DOCUMENT = (
    "<w:document "
    + " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in _DOCUMENT_NS.items())
    + "><w:body><w:sectPr/></w:body></w:document>"
)

# docDefaults are filled by ``styles.fix_defaults``; the three defaults are what Word writes for
# an empty document (Normal Table's cell margins are Word's own, as python-docx's template had).
_STYLES = (
    f'<w:styles xmlns:w="{_W}">'
    "<w:docDefaults><w:rPrDefault><w:rPr/></w:rPrDefault><w:pPrDefault><w:pPr/></w:pPrDefault>"
    "</w:docDefaults>"
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
    "<w:qFormat/></w:style>"
    '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
    '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
    "<w:unhideWhenUsed/></w:style>"
    '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
    '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
    '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
    '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
    "</w:styles>"
)

# What the layout relies on, as python-docx's template had it (the pages must not move):
# - defaultTabStop 720: the 版记 and 纪要 lines place their own tab stops, but a default one
#   decides where a stray tab lands;
# - doNotCompress: CJK punctuation keeps its full width, as in the PDF (28 字 a line);
# - compatibility mode 15 (Word 2013+): tblInd measured to the border, as WPS does;
# - useFELayout: East Asian line breaking.
_SETTINGS = (
    f'<w:settings xmlns:w="{_W}">'
    '<w:zoom w:percent="100"/><w:defaultTabStop w:val="720"/>'
    '<w:characterSpacingControl w:val="doNotCompress"/>'
    "<w:compat><w:useFELayout/>"
    + "".join(
        f'<w:compatSetting w:name="{name}" w:uri="http://schemas.microsoft.com/office/word" w:val="{val}"/>'
        for name, val in (
            ("compatibilityMode", 15),
            ("overrideTableStyleFontSizeAndJustification", 1),
            ("enableOpenTypeFeatures", 1),
            ("doNotFlipMirrorIndents", 1),
        )
    )
    + '</w:compat><w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:settings>'
)

_CORE = (
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
    ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
)

_APP = (
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    f"<Application>{APPLICATION}</Application><DocSecurity>0</DocSecurity>"
    "<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
    "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
)

# 86: GB2312, the character set Word records for the official Chinese faces; 0: ANSI (Latin).
_GB2312_CHARSET = "86"
_ANSI_CHARSET = "00"


def font_table_xml() -> str:
    """The font table: every face the styles name (fonts.toml), the official CJK faces first."""
    cjk = dict.fromkeys(role.official for role in FONT_ROLES.values())
    latin = dict.fromkeys(role.latin for role in FONT_ROLES.values() if role.latin not in cjk)
    fonts = [(name, _GB2312_CHARSET) for name in cjk] + [(name, _ANSI_CHARSET) for name in latin]
    entries = "".join(
        f'<w:font w:name="{escape(name)}"><w:charset w:val="{charset}"/></w:font>' for name, charset in fonts
    )
    return f'<w:fonts xmlns:w="{_W}">{entries}</w:fonts>'


def template_bytes() -> bytes:
    """The empty package python-docx opens in place of its default template."""
    parts = {
        "[Content_Types].xml": _CONTENT_TYPES,
        "_rels/.rels": _PACKAGE_RELS,
        "word/document.xml": _DOCUMENT,
        "word/_rels/document.xml.rels": _DOCUMENT_RELS,
        "word/styles.xml": _STYLES,
        "word/settings.xml": _SETTINGS,
        "word/fontTable.xml": font_table_xml(),
        "docProps/core.xml": _CORE,
        "docProps/app.xml": _APP,
    }
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as z:
        for name, xml in parts.items():
            z.writestr(name, _DECL + xml)
    return raw.getvalue()
