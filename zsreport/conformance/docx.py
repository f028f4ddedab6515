"""``check_docx``: the DOCX's XML (page set-up, grid, fonts, table rows, footers), then the PDF
rules measured on the PDF LibreOffice makes of it, with a wider tolerance where LibreOffice
substitutes the official faces that are not installed."""

from __future__ import annotations

import itertools
import shutil
import subprocess
import tempfile
import uuid
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from zsreport import gbt9704 as g
from zsreport.conformance.docx_styles import StyleSheet, text_runs
from zsreport.conformance.pdf import check_pdf
from zsreport.conformance.reading import MM, read_pdf
from zsreport.conformance.report import LIBREOFFICE, STRICT, Finding, Report
from zsreport.conformance.rules_pair import check_head_matches, check_signoff_matches
from zsreport.fonts import FONT_ROLES
from zsreport.model import Document

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
DOCX_GRID_TOLERANCE_TWIPS = 2
# The words a clerk reads for the XML's margin sides and footer kinds.
SIDES = {"top": "上", "bottom": "下", "left": "左", "right": "右"}
GRID_TYPES = {"lines": "行网格", "linesAndChars": "行和字符网格", "snapToChars": "字符对齐网格"}
FOOTER_KINDS = {"default": "单页（默认）", "even": "双页"}


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


def _twips_mm(twips: int) -> str:
    """A length in twips (1/20 pt) as mm for a report, which a clerk reads."""
    return f"{twips / 20 * MM:.1f}"


def _twips(mm: float) -> int:
    return g.mm_to_twips(mm)


def _xml(zf: zipfile.ZipFile, name: str) -> etree._Element | None:
    try:
        return etree.fromstring(zf.read(name))
    except KeyError:
        return None


@dataclass
class DocxParts:
    document: etree._Element
    styles: etree._Element | None
    settings: etree._Element | None
    footers: dict[str, etree._Element] = field(default_factory=dict)  # rel id → footer root


def _read_docx(path: Path) -> DocxParts:
    with zipfile.ZipFile(path) as zf:
        document = _xml(zf, "word/document.xml")
        if document is None:
            raise ValueError("缺少正文部分 word/document.xml")
        rels = _xml(zf, "word/_rels/document.xml.rels")
        footers = {}
        for rel in rels if rels is not None else []:
            if rel.get("Type", "").endswith("/footer"):
                footer = _xml(zf, "word/" + rel.get("Target", "").lstrip("/").removeprefix("word/"))
                if footer is not None:
                    footers[rel.get("Id")] = footer
        return DocxParts(document, _xml(zf, "word/styles.xml"), _xml(zf, "word/settings.xml"), footers)


def _val(el: etree._Element | None, attr: str) -> str | None:
    return None if el is None else el.get(_w(attr))


def check_docx_page_setup(report: Report, parts: DocxParts) -> None:
    sections = parts.document.findall(".//w:sectPr", NS)
    for index, sect in enumerate(sections, 1):
        size, mar = sect.find("w:pgSz", NS), sect.find("w:pgMar", NS)
        w, h = int(_val(size, "w") or 0), int(_val(size, "h") or 0)
        landscape = _val(size, "orient") == "landscape" or w > h
        want_w, want_h = _twips(g.PAGE_WIDTH_MM), _twips(g.PAGE_HEIGHT_MM)
        if landscape:
            want_w, want_h = want_h, want_w
        tol = _twips(report.tol.mm) if report.tol is STRICT else _twips(1.0)
        report.add(
            "docx.pgSz",
            "5.2.1",
            abs(w - want_w) <= tol and abs(h - want_h) <= tol,
            f"第 {index} 节：{_twips_mm(w)}×{_twips_mm(h)} mm",
            f"{_twips_mm(want_w)}×{_twips_mm(want_h)} mm（A4{'横向' if landscape else ''}）",
        )
        margins = {k: int(_val(mar, k) or 0) for k in ("top", "bottom", "left", "right")}
        want = {
            "top": g.MARGIN_TOP_MM,
            "bottom": g.MARGIN_BOTTOM_MM,
            "left": g.MARGIN_LEFT_MM,
            "right": g.MARGIN_RIGHT_MM,
        }
        if landscape:  # the portrait page turned with its 订口 on top
            want = {
                "top": g.MARGIN_LEFT_MM,
                "right": g.MARGIN_TOP_MM,
                "bottom": g.MARGIN_RIGHT_MM,
                "left": g.MARGIN_BOTTOM_MM,
            }
        off = {k: v for k, v in margins.items() if abs(v - _twips(want[k])) > _twips(g.MARGIN_TOLERANCE_MM)}
        report.add(
            "docx.pgMar",
            "5.2.2",
            not off,
            f"第 {index} 节："
            + "，".join(f"{SIDES[k]} {v / 20 * MM:.1f}" for k, v in margins.items())
            + " mm",
            "，".join(f"{SIDES[k]} {v:g}" for k, v in want.items()) + f" mm ±{g.MARGIN_TOLERANCE_MM:g}",
        )
        grid = sect.find("w:docGrid", NS)
        pitch = int(_val(grid, "linePitch") or 0)
        report.add(
            "docx.docGrid",
            "5.2.4",
            abs(pitch - g.LINE_PITCH_TWIPS) <= DOCX_GRID_TOLERANCE_TWIPS,
            f"第 {index} 节：文档网格行距 {pitch / 20:.2f} pt（{GRID_TYPES.get(_val(grid, 'type') or '', '未设网格类型')}）",
            f"文档网格行距 {g.LINE_PITCH_TWIPS / 20:.2f} pt ±{DOCX_GRID_TOLERANCE_TWIPS / 20:g}",
        )


def _east_asia_names(root: etree._Element) -> list[str]:
    return [el.get(_w("eastAsia")) for el in root.iter(_w("rFonts")) if el.get(_w("eastAsia"))]


def _used_styles(parts: DocxParts) -> list[etree._Element]:
    """Styles the document uses (and their basedOn chains) plus docDefaults: unused latent styles
    of the template may keep theme fonts without ever reaching the page."""
    if parts.styles is None:
        return []
    by_id = {s.get(_w("styleId")): s for s in parts.styles.findall("w:style", NS)}
    wanted = {
        el.get(_w("val")) for tag in ("pStyle", "rStyle", "tblStyle") for el in parts.document.iter(_w(tag))
    }
    wanted |= {s.get(_w("styleId")) for s in by_id.values() if s.get(_w("default")) in ("1", "true")}
    used: dict[str, etree._Element] = {}
    todo = [w for w in wanted if w]
    while todo:
        style_id = todo.pop()
        style = by_id.get(style_id)
        if style is None or style_id in used:
            continue
        used[style_id] = style
        todo += [el.get(_w("val")) for el in style.findall("w:basedOn", NS)]
    defaults = parts.styles.find("w:docDefaults", NS)
    return [*([defaults] if defaults is not None else []), *used.values()]


def _themed(root: etree._Element) -> int:
    return sum(1 for el in root.iter(_w("rFonts")) if el.get(_w("eastAsiaTheme")))


def _report_faces(report: Report, rule: str, names: list[str | None], themed: int, expected: str) -> None:
    """One finding on the eastAsia faces found: all official, some found, no theme font."""
    official = {spec.official for spec in FONT_ROLES.values()}
    foreign = sorted({str(name) for name in names if name not in official})
    report.add(
        rule,
        "5.2.3",
        bool(names) and not foreign and not themed,
        f"{len(names)} 处中文字体（w:eastAsia），规定字体 {'、'.join(sorted(set(names) & official)) or '无'}；"
        f"{themed} 处主题字体；其他：{'、'.join(sorted({n or '未设' for n in names if n not in official})) or '无'}",
        expected + "/".join(sorted(official)),
    )


def check_docx_fonts(report: Report, parts: DocxParts) -> None:
    """eastAsia fonts name the official faces; no theme font may take CJK text elsewhere. The
    runs are judged by the face they resolve to (run, character style, paragraph style, defaults):
    a restylable DOCX leaves them bare."""
    styles = _used_styles(parts)
    if not styles:
        report.add("docx.eastAsia.styles", "5.2.3", False, "缺少 word/styles.xml", "规定的中文字体")
    else:
        names: list[str | None] = [n for root in styles for n in _east_asia_names(root)]
        _report_faces(report, "docx.eastAsia.styles", names, sum(_themed(root) for root in styles), "只用 ")
    sheet = StyleSheet(parts.styles)
    faces = [sheet.font(run) for run in text_runs(parts.document)]
    expected = "每段文字的中文字体（自设或来自样式）为以下之一："
    _report_faces(report, "docx.eastAsia.runs", faces, _themed(parts.document), expected)
    if parts.styles is not None:
        defaults = parts.styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", NS)
        body = FONT_ROLES["body"].official
        report.add(
            "docx.eastAsia.default",
            "5.2.3",
            _val(defaults, "eastAsia") == body,
            f"默认中文字体（w:docDefaults）{_val(defaults, 'eastAsia') or '未设'}",
            body,
        )
        _check_docx_heading_styles(report, StyleSheet(parts.styles))
        _check_docx_autospace(report, parts.styles, parts.document)
        check_docx_digit_faces(report, parts)


def _style_names(sheet: StyleSheet) -> dict[str, str]:
    """style id → its name as Word shows it, lower case ("heading 1")."""
    return {sid: (_val(s.find("w:name", NS), "val") or "").lower() for sid, s in sheet.by_id.items()}


def _digit_areas(parts: DocxParts, sheet: StyleSheet) -> Iterator[tuple[str, etree._Element]]:
    """(area, run) for every text run of the 版头 (the paragraphs before the 标题), of a 小标宋
    line (标志, 标题, an 附件's title) and of a heading."""
    names = _style_names(sheet)
    default = sheet.default_paragraph
    title_face = FONT_ROLES["title"].official
    before_title = True
    for p in parts.document.iter(_w("p")):
        runs = text_runs(p)
        faces = {(sheet.font(r), sheet.size_pt(r)) for r in runs}
        if (title_face, g.TITLE_SIZE_PT) in faces:
            before_title = False
        style = names.get(_val(p.find("w:pPr/w:pStyle", NS), "val") or default or "", "")
        for run in runs:
            if style.startswith("heading "):
                yield "层次标题", run
            elif sheet.font(run) == title_face:
                yield "标志和标题", run
            elif before_title:
                yield "版头", run


def check_docx_digit_faces(report: Report, parts: DocxParts) -> None:
    """Digits and Latin letters of the 版头, the 小标宋 lines and the headings in the face of the
    汉字 around them (``w:ascii``/``w:hAnsi`` = ``w:eastAsia``), as the PDF sets them: a Times New
    Roman "2020" inside a bold 小标宋 title reads as a typo. The 正文's digits may stay Times
    New Roman. Runs without a CJK face are left to the eastAsia rules."""
    sheet = StyleSheet(parts.styles)
    checked, wrong = 0, []
    for area, run in _digit_areas(parts, sheet):
        text = "".join(t.text or "" for t in run.iter(_w("t")))
        east = sheet.font(run)
        if east is None or not any(ch.isascii() and ch.isalnum() for ch in text):
            continue
        checked += 1
        latin = {sheet.font(run, slot) for slot in ("ascii", "hAnsi")}
        if latin != {east}:
            wrong.append(f"{area}“{text.strip()[:12]}”用 {'/'.join(sorted(f or '未设' for f in latin))}")
    report.add(
        "docx.digits.face",
        "5.2.3",
        not wrong,
        f"版头、标题、层次标题中 {checked} 段含数字或西文的文字"
        + (f"，{len(wrong)} 段不同字体：{'；'.join(wrong[:3])}" if wrong else "，字体与汉字相同"),
        "数字和西文与周围汉字同一字体（w:ascii、w:hAnsi 同 w:eastAsia）",
    )


def _check_docx_autospace(report: Report, styles: etree._Element, document: etree._Element) -> None:
    """Word adds about ¼ em between 汉字 and Latin or digits unless told not to: lines then hold
    fewer than 28 字 and break elsewhere than in the PDF."""
    defaults = styles.find("w:docDefaults/w:pPrDefault/w:pPr", NS)
    off = {
        tag: _val(defaults.find(f"w:{tag}", NS) if defaults is not None else None, "val")
        for tag in ("autoSpaceDE", "autoSpaceDN")
    }
    back_on = [
        el
        for root in (styles, document)
        for tag in ("autoSpaceDE", "autoSpaceDN")
        for el in root.iter(_w(tag))
        if el.getparent() is not defaults and _val(el, "val") not in ("0", "false", "off")
    ]
    report.add(
        "docx.autospace",
        "5.2.4",
        all(v in ("0", "false", "off") for v in off.values()) and not back_on,
        f"默认 w:autoSpaceDE {off['autoSpaceDE'] or '未设'}，w:autoSpaceDN {off['autoSpaceDN'] or '未设'}；"
        f"{len(back_on)} 个样式或段落重新打开",
        "w:autoSpaceDE 0 且 w:autoSpaceDN 0（汉字与西文、数字之间不加空），且无处重新打开",
    )


def _check_docx_heading_styles(report: Report, sheet: StyleSheet) -> None:
    """Heading 1–4 in their faces without bold, as the style sets them or inherits them."""
    by_name = {}
    for style_id, style in sheet.by_id.items():
        name = style.find("w:name", NS)
        by_name[(_val(name, "val") or "").lower()] = style_id
    for level, role in g.HEADING_ROLES.items():
        style_id = by_name.get(f"heading {level}")
        if style_id is None:
            continue
        face = sheet.style_value(style_id, "rFonts", "eastAsia")
        bold = sheet.style_value(style_id, "b")
        bold_on = bold is not None and bold not in ("0", "false")
        want = FONT_ROLES[role].official
        report.add(
            f"docx.heading{level}",
            "7.3.3",
            face == want and not bold_on,
            f"中文字体 {face or '未设'}，{'加粗' if bold_on else '不加粗'}",
            f"{want}，不加粗",
        )


def check_docx_tables(report: Report, parts: DocxParts) -> None:
    """Header rows repeat (w:tblHeader on the first row(s) only) and rows never split."""
    tables = [t for t in parts.document.iter(_w("tbl")) if _is_data_table(t)]
    for index, table in enumerate(tables, 1):
        rows = table.findall("w:tr", NS)
        flags = [row.find("w:trPr/w:tblHeader", NS) is not None for row in rows]
        leading = len(list(itertools.takewhile(bool, flags)))
        ok = leading >= 1 and not any(flags[leading:])
        report.add(
            "docx.tblHeader",
            "8",
            ok,
            f"表 {index}：共 {len(rows)} 行，标题行为第 {'、'.join(str(i + 1) for i, f in enumerate(flags) if f) or '（无）'} 行",
            "仅开头的行设 w:tblHeader（跨页重复标题行）",
        )
        split = sum(1 for row in rows if row.find("w:trPr/w:cantSplit", NS) is None)
        report.add(
            "docx.cantSplit",
            "8",
            split == 0,
            f"表 {index}：{len(rows)} 行中 {split} 行可跨页断开",
            "每行设 w:cantSplit（不跨页断行）",
        )


def _is_data_table(table: etree._Element) -> bool:
    """Data tables have a visible grid and ≥3 rows; the 版头 stack and the 版记 are layout tables."""
    rows = table.findall("w:tr", NS)
    floating = table.find("w:tblPr/w:tblpPr", NS) is not None
    return len(rows) >= 3 and not floating


def check_docx_footers(report: Report, parts: DocxParts) -> None:
    even_odd = parts.settings is not None and parts.settings.find("w:evenAndOddHeaders", NS) is not None
    report.add(
        "docx.evenAndOddHeaders",
        "7.5",
        even_odd,
        f"奇偶页不同（w:evenAndOddHeaders）{'已设' if even_odd else '未设'}",
        "已设（单页在右，双页在左）",
    )
    refs: dict[str, str] = {}
    sections = parts.document.findall(".//w:sectPr", NS)
    for index, sect in enumerate(sections, 1):
        # A section without its own footerReference inherits the previous section's footer.
        refs |= {ref.get(_w("type")): ref.get(f"{{{_R}}}id") for ref in sect.findall("w:footerReference", NS)}
        # Clause 7.5: the 版记 page after a blank page carries no number, so the last section, when
        # it is an even-page section holding only the 版记, may have footers without a PAGE field.
        start = sect.find("w:type", NS)
        colophon_only = (
            index == len(sections) > 1 and start is not None and start.get(_w("val")) == "evenPage"
        )
        for kind in ("default", "even"):
            footer = parts.footers.get(refs.get(kind) or "")
            has_page = footer is not None and _has_page_field(footer)
            report.add(
                f"docx.footer.{kind}",
                "7.5",
                has_page or (colophon_only and footer is not None),
                f"第 {index} 节："
                + ("有 PAGE 页码域" if has_page else "无 PAGE 页码域" if footer is not None else "无页脚")
                + ("（空白页之后的版记页）" if colophon_only and not has_page else ""),
                f"{FOOTER_KINDS[kind]}页脚有 PAGE 页码域",
            )

    check_footer_digit_face(report, parts)


def check_footer_digit_face(report: Report, parts: DocxParts) -> None:
    """Clause 7.5: the page number is 四号半角宋体, its digits included. A run naming another
    face for ``w:ascii`` sets the digits in it (Times New Roman in Word, Liberation Serif in
    LibreOffice)."""
    song = FONT_ROLES["song"].official
    sheet = StyleSheet(parts.styles)
    faces: set[str | None] = set()
    for footer in parts.footers.values():
        if not _has_page_field(footer):
            continue
        for run in footer.iter(_w("r")):
            faces |= {sheet.font(run, slot) for slot in ("ascii", "hAnsi")}
    report.add(
        "docx.footer.digits",
        "7.5",
        faces == {song},
        f"页码数字字体 {'/'.join(sorted(face or '未设' for face in faces)) or '未设'}",
        f"{song}（四号半角宋体数字）",
    )


_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _has_page_field(footer: etree._Element) -> bool:
    simple = any("PAGE" in (f.get(_w("instr")) or "").split() for f in footer.iter(_w("fldSimple")))
    complex_ = any("PAGE" in (t.text or "").split() for t in footer.iter(_w("instrText")))
    return simple or complex_


# Print as a printer would: keep the blank pages Word/LibreOffice insert for an even-page section
# (the 版记 page, clause 7.4), which LibreOffice's PDF export otherwise drops.
LIBREOFFICE_PDF_FILTER = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'


def convert_docx_to_pdf(paths: Sequence[Path], out_dir: Path | None = None) -> dict[Path, Path]:
    """One ``soffice`` call converts every DOCX (each LibreOffice start costs seconds).

    A private user profile keeps parallel runs from locking each other out. Returns the PDFs
    made; an empty dict when LibreOffice is not installed.
    """
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not paths or soffice is None:
        return {}
    out_dir = Path(out_dir or tempfile.mkdtemp(prefix="zs_conform_"))
    profile = Path(tempfile.gettempdir()) / f"lo_{uuid.uuid4().hex}"
    try:
        subprocess.run(
            [
                soffice,
                "--headless",
                f"-env:UserInstallation={profile.as_uri()}",
                "--convert-to",
                LIBREOFFICE_PDF_FILTER,
                "--outdir",
                str(out_dir),
                *map(str, paths),
            ],
            capture_output=True,
            check=False,
            timeout=120 + 20 * len(paths),
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    made = {Path(p): out_dir / (Path(p).stem + ".pdf") for p in paths}
    return {src: pdf for src, pdf in made.items() if pdf.exists()}


def _unreadable(exc: Exception) -> str:
    """Why the DOCX could not be opened, in words (the library's own message is English)."""
    if isinstance(exc, zipfile.BadZipFile):
        return "不是有效的 DOCX 文件（不是 ZIP 压缩包，可能已损坏或只是改了扩展名）"
    if isinstance(exc, etree.XMLSyntaxError):
        return f"DOCX 内的 XML 无法解析（第 {exc.lineno} 行）"
    return str(exc)


def check_docx(
    docx_path: Path,
    document: Document | None = None,
    pdf: Path | None = None,
    geometry: bool = True,
    reference: Path | None = None,
) -> list[Finding]:
    """XML checks of the DOCX, then the PDF rules on LibreOffice's rendering of it.

    ``pdf`` is a rendering made beforehand (``convert_docx_to_pdf`` for several files at once);
    without it one is made here. Without LibreOffice the geometry is reported as not checked.
    ``reference``: the PDF built from the same tree (default: the ``.pdf`` beside the DOCX, when
    there is one); the DOCX's page 1 is then held against it.
    """
    docx_path = Path(docx_path)
    report = Report(STRICT)
    try:
        parts = _read_docx(docx_path)
    except (zipfile.BadZipFile, ValueError, etree.XMLSyntaxError) as exc:
        report.add("docx.readable", "-", False, _unreadable(exc), "可读取的 DOCX 文件")
        return report.findings
    check_docx_page_setup(report, parts)
    check_docx_fonts(report, parts)
    check_docx_tables(report, parts)
    check_docx_footers(report, parts)
    findings = report.findings
    if not geometry:
        return findings
    if pdf is None:
        pdf = convert_docx_to_pdf([docx_path]).get(docx_path)
    if pdf is None:
        findings.append(
            Finding(
                "docx.geometry",
                "-",
                False,
                "本机没有 LibreOffice（soffice），或转换失败：DOCX 的版面未能测量",
                "LibreOffice 转换出的 PDF（安装：sudo apt-get install libreoffice-writer-nogui）",
                None,
            )
        )
        return findings
    # Every rule, ``page.filled`` too (issue 24), with no tolerance of its own: the DOCX is given the
    # PDF's block order, 版记 plan and remedies, and a page LibreOffice ends short prints short.
    findings += check_pdf(pdf, document, tolerance=LIBREOFFICE)
    reference = reference or docx_path.with_suffix(".pdf")
    if reference.exists():
        findings += _against_reference(pdf, reference)
    return findings


def _against_reference(rendered: Path, reference: Path) -> list[Finding]:
    """The DOCX's LibreOffice rendering held against the PDF of the same document."""
    report = Report(STRICT)
    docx_pages, pdf_pages = read_pdf(rendered), read_pdf(reference)
    if docx_pages and pdf_pages:
        check_head_matches(report, docx_pages[0], pdf_pages[0])
        check_signoff_matches(report, docx_pages, pdf_pages)
    return report.findings
