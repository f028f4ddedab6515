"""The OFD package (GB/T 33190-2016): OFD.xml, Doc_0/Document.xml, the resources, one Content.xml
a page, and the embedded font subsets, zipped with fixed dates so that the bytes are reproducible."""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

from fontTools.ttLib import TTFont

from zsreport.render.ofd import clip
from zsreport.render.ofd.pdfpage import Page, PathItem, PdfFont, TextRun

NAMESPACE = "http://www.ofdspec.org/2016"
ZIP_DATE = (2000, 1, 1, 0, 0, 0)  # zip entries carry no build time, as the PDF and DOCX
CAPS = {0: "Butt", 1: "Round", 2: "Square"}
JOINS = {0: "Miter", 1: "Round", 2: "Bevel"}


@dataclass(frozen=True)
class DocInfo:
    title: str
    author: str  # the issuing organ
    creation_date: str  # YYYY-MM-DD: the 成文日期
    doc_number: str = ""  # 发文字号, in CustomData
    subject: str = ""


def _num(value: float) -> str:
    """A length in mm as OFD writes it: at most 3 decimals, no trailing zeros, never "-0"."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _color(rgb: tuple[int, int, int]) -> str:
    return " ".join(str(v) for v in rgb)


class Ids:
    """OFD's object IDs: unique in the document, counted up; the last is MaxUnitID."""

    def __init__(self) -> None:
        self.last = 0

    def next(self) -> int:
        self.last += 1
        return self.last


@dataclass
class FontEntry:
    id: int
    font: PdfFont
    file_name: str
    official: str  # the official face the stand-in prints for, or its own family
    gid_of_cid: dict[int, int]
    gid_of_char: dict[str, int]


def font_entry(font_id: int, font: PdfFont, official: str) -> FontEntry:
    """The embedded subset, and which glyph its cmap gives each character (for CGTransform)."""
    face = TTFont(io.BytesIO(font.data), lazy=True)
    order = face.getGlyphOrder()
    index = {name: i for i, name in enumerate(order)}
    cff = face["CFF "].cff.topDictIndex[0] if "CFF " in face else None
    cid_keyed = cff is not None and hasattr(cff, "ROS")

    def gid(cid: int) -> int:
        # CID-keyed CFF names its glyphs by CID; otherwise the PDF's CIDs are glyph indices
        return index.get(f"cid{cid:05d}", cid) if cid_keyed else cid

    cmap = face.getBestCmap() or {}
    gid_of_char = {chr(code): index[name] for code, name in cmap.items() if name in index}
    gids = {cid: gid(cid) for cid in font.widths}
    return FontEntry(font_id, font, f"font_{font_id}.{font.suffix}", official, gids, gid_of_char)


def _text_object(run: TextRun, entry: FontEntry, obj_id: int, page_box: tuple[float, float]) -> str:
    glyphs = [(off, cid, txt) for off, cid, txt in zip(run.offsets_mm, run.cids, run.text, strict=True)]
    if not glyphs:
        return ""
    size = run.size_mm
    # OFD places each character of TextCode at X + ΣDeltaX; a glyph whose text is not one
    # character its cmap maps back to it is drawn through CGTransform
    chars, deltas, transforms = [], [], []
    previous = None
    for off, cid, txt in glyphs:
        code = txt if txt else "\ufffd"
        position = len(chars)
        chars.extend(code)
        if previous is not None:
            deltas.append(off - previous)
        deltas.extend([0.0] * (len(code) - 1))
        previous = off
        gid = entry.gid_of_cid.get(cid, cid)
        if len(code) != 1 or entry.gid_of_char.get(code) != gid:
            transforms.append(
                f'<ofd:CGTransform CodePosition="{position}" CodeCount="{len(code)}" GlyphCount="1">'
                f"<ofd:Glyphs>{gid}</ofd:Glyphs></ofd:CGTransform>"
            )
    ascent, descent = 0.88 * size, 0.12 * size  # the em box, as the CJK faces draw it
    width = max(run.advance_mm, size * 0.01)
    if run.upright:
        x, y = run.origin_mm
        boundary = f"{_num(x)} {_num(y - ascent)} {_num(width)} {_num(ascent + descent)}"
        ctm, code_x, code_y = "", 0.0, ascent
    else:
        # Rotated (the 横排 page numbers): the object spans the page, its CTM turns the text
        (ux, uy), (vx, vy), (ox, oy) = run.direction, run.down, run.origin_mm
        boundary = f"0 0 {_num(page_box[0])} {_num(page_box[1])}"
        ctm = f' CTM="{_num(ux)} {_num(uy)} {_num(vx)} {_num(vy)} {_num(ox)} {_num(oy)}"'
        code_x, code_y = 0.0, 0.0
    delta = f' DeltaX="{" ".join(_num(d) for d in deltas)}"' if deltas else ""
    return (
        f'<ofd:TextObject ID="{obj_id}" Boundary="{boundary}" Font="{entry.id}" Size="{_num(size)}"{ctm}>'
        f'<ofd:FillColor Value="{_color(run.fill)}"/>'
        + "".join(transforms)
        + f'<ofd:TextCode X="{_num(code_x)}" Y="{_num(code_y)}"{delta}>{escape("".join(chars))}</ofd:TextCode>'
        "</ofd:TextObject>"
    )


def _path_data(segments: list[tuple], ox: float, oy: float) -> str:
    parts = []
    for seg in segments:
        if seg[0] == "Z":
            parts.append("C")
            continue
        op = {"M": "M", "L": "L", "C": "B"}[seg[0]]
        parts.append(op + " " + " ".join(f"{_num(x - ox)} {_num(y - oy)}" for x, y in seg[1:]))
    return " ".join(parts)


def _bounds(segments: list[tuple], margin: float) -> tuple[float, float, float, float]:
    points = clip.points_of(segments)
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    x0, y0 = min(xs) - margin, min(ys) - margin
    return x0, y0, max(max(xs) + margin - x0, 0.01), max(max(ys) + margin - y0, 0.01)


def _path_object(item: PathItem, obj_id: int) -> str:
    segments, clips = item.segments, ""
    rect = clip.as_rect(item.clip) if item.clip else None
    margin = item.line_width_mm / 2 if item.stroke else 0.0
    if item.clip:
        if rect is not None and clip.inside(segments, rect):
            pass
        elif rect is not None and item.fill is not None and item.stroke is None and clip.as_rect(segments):
            segments = clip.rect_path(clip.meet(clip.as_rect(segments), rect))
            if not segments:
                return ""
        elif rect is not None and item.fill is None and clip.is_polyline(segments):
            segments = clip.clip_polyline(segments, rect)
            if not segments:
                return ""
        else:
            x0, y0, _, _ = _bounds(segments, margin)
            clips = _clip_area(item.clip, x0, y0)
    if not any(s[0] != "Z" for s in segments):
        return ""
    x0, y0, w, h = _bounds(segments, margin)
    attrs = [f'ID="{obj_id}"', f'Boundary="{_num(x0)} {_num(y0)} {_num(w)} {_num(h)}"']
    attrs.append(f'Stroke="{"true" if item.stroke else "false"}"')
    attrs.append(f'Fill="{"true" if item.fill else "false"}"')
    if item.even_odd:
        attrs.append('Rule="Even-Odd"')
    if item.stroke:
        attrs.append(f'LineWidth="{_num(item.line_width_mm)}"')
        attrs.append(f'Cap="{CAPS.get(item.cap, "Butt")}" Join="{JOINS.get(item.join, "Miter")}"')
        attrs.append(f'MiterLimit="{_num(item.miter)}"')
        if item.dash_mm:
            attrs.append(f'DashPattern="{" ".join(_num(d) for d in item.dash_mm)}"')
            if item.dash_offset_mm:
                attrs.append(f'DashOffset="{_num(item.dash_offset_mm)}"')
    colours = ""
    if item.stroke:
        colours += f'<ofd:StrokeColor Value="{_color(item.stroke)}"/>'
    if item.fill:
        colours += f'<ofd:FillColor Value="{_color(item.fill)}"/>'
    return (
        f"<ofd:PathObject {' '.join(attrs)}>{clips}{colours}"
        f"<ofd:AbbreviatedData>{_path_data(segments, x0, y0)}</ofd:AbbreviatedData></ofd:PathObject>"
    )


def _clip_area(segments: list[tuple], ox: float, oy: float) -> str:
    x0, y0, w, h = _bounds(segments, 0.0)
    return (
        f'<ofd:Clips><ofd:Clip><ofd:Area><ofd:Path Boundary="{_num(x0 - ox)} {_num(y0 - oy)} {_num(w)} {_num(h)}">'
        f"<ofd:AbbreviatedData>{_path_data(segments, x0, y0)}</ofd:AbbreviatedData>"
        "</ofd:Path></ofd:Area></ofd:Clip></ofd:Clips>"
    )


def _page_xml(page: Page, entries: dict[str, FontEntry], ids: Ids, layer_id: int) -> str:
    objects = []
    for item in page.items:
        if isinstance(item, TextRun):
            objects.append(
                _text_object(item, entries[item.font.key], ids.next(), (page.width_mm, page.height_mm))
            )
        else:
            objects.append(_path_object(item, ids.next()))
    area = ""
    if (round(page.width_mm, 3), round(page.height_mm, 3)) != (210.0, 297.0):
        area = f"<ofd:Area><ofd:PhysicalBox>0 0 {_num(page.width_mm)} {_num(page.height_mm)}</ofd:PhysicalBox></ofd:Area>"
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Page xmlns:ofd="{NAMESPACE}">{area}'
        f'<ofd:Content><ofd:Layer ID="{layer_id}" Type="Body">{"".join(objects)}</ofd:Layer></ofd:Content></ofd:Page>\n'
    )


def _ofd_xml(info: DocInfo, doc_id: str) -> str:
    custom = ""
    if info.doc_number:
        custom = f'<ofd:CustomDatas><ofd:CustomData Name="发文字号">{escape(info.doc_number)}</ofd:CustomData></ofd:CustomDatas>'
    subject = f"<ofd:Subject>{escape(info.subject)}</ofd:Subject>" if info.subject else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:OFD xmlns:ofd="{NAMESPACE}" Version="1.0" DocType="OFD">'
        "<ofd:DocBody><ofd:DocInfo>"
        f"<ofd:DocID>{doc_id}</ofd:DocID><ofd:Title>{escape(info.title)}</ofd:Title>"
        f"<ofd:Author>{escape(info.author)}</ofd:Author>{subject}"
        f"<ofd:CreationDate>{info.creation_date}</ofd:CreationDate>"
        "<ofd:Creator>zsreport</ofd:Creator>"
        f"{custom}</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>\n"
    )


def _public_res(entries: list[FontEntry]) -> str:
    fonts = "".join(
        f"<ofd:Font ID={quoteattr(str(e.id))} FontName={quoteattr(e.font.family)} FamilyName={quoteattr(e.official)}"
        + (' Bold="true"' if e.font.bold else "")
        + f"><ofd:FontFile>{e.file_name}</ofd:FontFile></ofd:Font>"
        for e in entries
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Res xmlns:ofd="{NAMESPACE}" BaseLoc="Res">'
        f"<ofd:Fonts>{fonts}</ofd:Fonts></ofd:Res>\n"
    )


def _document_xml(page_ids: list[int], max_id: int) -> str:
    listed = "".join(
        f'<ofd:Page ID="{pid}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i, pid in enumerate(page_ids)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Document xmlns:ofd="{NAMESPACE}"><ofd:CommonData>'
        f"<ofd:MaxUnitID>{max_id}</ofd:MaxUnitID>"
        "<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>"
        "<ofd:PublicRes>PublicRes.xml</ofd:PublicRes><ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes>"
        f"</ofd:CommonData><ofd:Pages>{listed}</ofd:Pages></ofd:Document>\n"
    )


def _document_res() -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<ofd:Res xmlns:ofd="{NAMESPACE}" BaseLoc="Res"/>\n'


def package_files(pages: list[Page], info: DocInfo, official_of) -> dict[str, bytes]:
    """Every file of the package by its path in the zip. ``official_of(font)`` names the face."""
    ids = Ids()
    fonts: dict[str, FontEntry] = {}
    for page in pages:
        for item in page.items:
            if isinstance(item, TextRun) and item.font.key not in fonts:
                fonts[item.font.key] = font_entry(ids.next(), item.font, official_of(item.font))
    page_ids = [ids.next() for _ in pages]
    contents = [_page_xml(page, fonts, ids, ids.next()) for page in pages]
    files: dict[str, bytes] = {}
    body = "".join(contents).encode()
    doc_id = hashlib.md5(
        info.title.encode() + info.doc_number.encode() + body, usedforsecurity=False
    ).hexdigest()
    files["OFD.xml"] = _ofd_xml(info, doc_id).encode()
    files["Doc_0/Document.xml"] = _document_xml(page_ids, ids.last).encode()
    files["Doc_0/PublicRes.xml"] = _public_res(list(fonts.values())).encode()
    files["Doc_0/DocumentRes.xml"] = _document_res().encode()
    for entry in fonts.values():
        files[f"Doc_0/Res/{entry.file_name}"] = entry.font.data
    for i, content in enumerate(contents):
        files[f"Doc_0/Pages/Page_{i}/Content.xml"] = content.encode()
    return files


def write_zip(files: dict[str, bytes], target: Path) -> None:
    """The package's bytes: entries in a fixed order with a fixed date (reproducible)."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in files:
            entry = zipfile.ZipInfo(name, ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, files[name])
