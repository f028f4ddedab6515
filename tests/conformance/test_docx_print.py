"""Issue 24 §3: the DOCX as LibreOffice prints it, against the PDF of the same tree: the title's
digits in the title's face and spacing, the 标志 and 标题 printed where the PDF prints them, the
成文日期 set the same way, and 小标宋's stand-in in its Simplified Chinese glyph forms. Each check
also fails on a purpose-made wrong DOCX. One LibreOffice call converts them all."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from fontTools.ttLib import TTCollection
from PIL import Image

from tests.demo_document import demo_document
from tests.render.test_render_docx import libreoffice_pdfs
from tests.wrong_documents import (
    edit_docx,
    minutes_organ_flush,
    signoff_date_left,
    title_as_before_issue_24,
    title_face_jp,
    title_lowered,
)
from zsreport.conformance import check_docx, failures, format_report
from zsreport.conformance.reading import CHAR_MM, MM, TEXT_LEFT, read_pdf
from zsreport.conformance.rules_pair import HEAD_MATCH_MM
from zsreport.model import Document, Mode
from zsreport.render.docx import render_docx
from zsreport.render.pdf import render_pdf

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftoppm") is None,
    reason="LibreOffice (soffice) and poppler (pdftoppm) are needed to print the DOCX",
)

WRONG = {
    "before-24": title_as_before_issue_24,
    "title-jp": title_face_jp,
    "title-low": title_lowered,
    "date-left": signoff_date_left,
}


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Document, Path, dict[str, Path]]:
    """The FORMAL demo: its PDF, and its DOCX with each wrong variant as LibreOffice prints them
    (``name`` → the LibreOffice PDF; the DOCX beside it)."""
    folder = tmp_path_factory.mktemp("print")
    document = demo_document()
    pdf = render_pdf(document, folder / "demo.pdf")
    good = render_docx(document, folder / "lo" / "good.docx")
    sources = [good] + [edit_docx(good, good.with_name(f"{name}.docx"), edit) for name, edit in WRONG.items()]
    minutes = render_docx(demo_document(Mode.MINUTES), good.with_name("minutes.docx"))
    sources += [minutes, edit_docx(minutes, good.with_name("minutes-flush.docx"), minutes_organ_flush)]
    made = libreoffice_pdfs(sources, good.parent)
    return document, pdf, {path.stem: path for path in made}


# ── the title's digits ───────────────────────────────────────────────────────────────────────


def _title_chars(pdf: Path, start: str) -> list[dict]:
    line = next(line for line in read_pdf(pdf)[0].text_lines if line.compact.startswith(start))
    return [c for c in line.chars if c["text"].strip()]


def test_title_digits_print_in_the_title_face_without_gaps(printed) -> None:
    """「2020」 in the title: the title's own (bold stand-in) face, and every character where the
    PDF prints it (LibreOffice's 1/5 em on each side of the digits would move them). The title as
    written before issue 24 (Times New Roman digits, LibreOffice's gaps) fails both."""
    document, pdf, lo = printed
    start = document.title_lines[0][:4]
    assert any(ch.isdigit() for ch in document.title_lines[0])
    reference = _title_chars(pdf, start)
    for name, faces_agree in (("good", True), ("before-24", False)):
        chars = _title_chars(lo[name], start)
        faces = {c["fontname"].split("+")[-1] for c in chars}
        assert (len(faces) == 1) is faces_agree, (name, faces)
        assert [c["text"] for c in chars] == [c["text"] for c in reference]
        worst = max(abs(a["x0"] - b["x0"]) * MM for a, b in zip(chars, reference, strict=True))
        assert (worst <= HEAD_MATCH_MM) is faces_agree, (name, worst)


# ── 标志 and 标题 positions, as printed ───────────────────────────────────────────────────────


def _ink_tops(pdf: Path, folder: Path) -> tuple[float, float]:
    """Where page 1 prints (mm from the top, rasterised at 300 dpi): the first red ink (the
    标志) and the first black ink under the red rule (the 标题). Glyph ink, not a font's box: a
    reader's character box follows the font's declared descent, which LibreOffice's re-encoded
    faces declare differently from weasyprint's (issue 24 measured 2–3.8 mm there)."""
    stem = folder / pdf.stem
    subprocess.run(
        ["pdftoppm", "-png", "-r", "300", "-f", "1", "-l", "1", "-singlefile", pdf, stem], check=True
    )
    pixels = np.asarray(Image.open(f"{stem}.png").convert("RGB")).astype(int)
    r, gr, b = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    per_mm = 300 / 25.4
    red_rows = np.flatnonzero(((r > 150) & (gr < 100) & (b < 100)).any(axis=1))
    black_rows = np.flatnonzero(((r + gr + b) < 200).any(axis=1))
    bands = np.split(red_rows, np.flatnonzero(np.diff(red_rows) > 1) + 1)
    rule = next(band for band in bands[1:] if len(band) < per_mm)  # thinner than 1 mm: the red rule
    title_top = black_rows[black_rows > rule[-1] + 2][0]
    return float(red_rows[0] / per_mm), float(title_top / per_mm)


def test_mark_and_title_print_where_the_pdf_prints_them(printed, tmp_path: Path) -> None:
    """The red 标志 and the 标题 within 0.5 mm of the PDF's, ink to ink; a title 1 mm lower fails."""
    _, pdf, lo = printed
    mark, title = _ink_tops(pdf, tmp_path)
    for name, ok in (("good", True), ("title-low", False)):
        docx_mark, docx_title = _ink_tops(lo[name], tmp_path)
        assert abs(docx_mark - mark) <= HEAD_MATCH_MM, (name, docx_mark, mark)
        assert bool(abs(docx_title - title) <= HEAD_MATCH_MM) is ok, (name, docx_title, title)


def test_minutes_organ_keeps_its_one_zi_indent(printed, tmp_path: Path) -> None:
    """The 纪要's 机关 左空一字 (its date 右空一字) over the red rule, where the PDF sets it; set
    顶格 it fails."""
    _, _, lo = printed
    document = demo_document(Mode.MINUTES)
    head = document.letterhead
    pdf = render_pdf(document, tmp_path / "minutes.pdf")

    def organ_x0(path: Path) -> float:
        return next(
            line.x0 for line in read_pdf(path)[0].text_lines if line.compact.startswith(head.minutes_organ)
        )

    want = organ_x0(pdf)
    assert abs(want - TEXT_LEFT - CHAR_MM) <= HEAD_MATCH_MM
    assert abs(organ_x0(lo["minutes"]) - want) <= HEAD_MATCH_MM
    assert abs(organ_x0(lo["minutes-flush"]) - want) > HEAD_MATCH_MM


# ── 成文日期 ─────────────────────────────────────────────────────────────────────────────────


def test_signoff_date_starts_and_ends_where_the_pdf_has_it(printed) -> None:
    """conform's docx.signoff-matches-pdf: the date's first character where the PDF's is (and,
    with LibreOffice's CJK–digit space kept out, its last); 3 字 to the left fails that rule only."""
    document, pdf, lo = printed
    found = {
        name: check_docx(lo[name].with_suffix(".docx"), document, pdf=lo[name], reference=pdf)
        for name in ("good", "date-left")
    }
    rule = "docx.signoff-matches-pdf"
    assert rule in {f.rule for f in found["good"]}
    failed = {name: {f.rule for f in failures(f)} for name, f in found.items()}
    assert rule not in failed["good"], format_report(found["good"])
    assert failed["date-left"] - failed["good"] == {rule}, format_report(failures(found["date-left"]))
    date = re.sub(r"\s", "", document.signoff.date)

    def ends(path: Path) -> float:
        lines = [line for page in read_pdf(path) for line in page.text_lines if line.compact == date]
        return lines[-1].x1

    # its end within 1 mm: the digits are Times New Roman (Liberation Serif) here, Fandol there;
    # with LibreOffice's space beside each digit group it ended 1.2 字 (6.8 mm) further right
    assert abs(ends(lo["good"]) - ends(pdf)) <= 1.0


# ── 小标宋's stand-in in LibreOffice: which face of the collection ──────────────────────────────


def _collection(bold: bool) -> Path:
    style = "Bold" if bold else "Regular"
    out = subprocess.run(
        ["fc-match", "--format=%{file}", f"Noto Serif CJK SC:style={style}"], capture_output=True, text=True
    ).stdout
    return Path(out)


def _printed_glyphs(pdf: Path, text: str) -> dict[str, tuple[bool, int]]:
    """character → (bold, glyph id) as LibreOffice embedded the Noto Serif CJK face that printed
    it: a Type 1 subset whose glyph names are the collection's CIDs ("cid10917")."""
    glyphs: dict[str, tuple[bool, int]] = {}
    with pikepdf.open(pdf) as doc:
        for font in doc.pages[0].Resources.Font.values():
            name = str(font.BaseFont)
            if "NotoSerifCJK" not in name or "/FontFile" not in font.FontDescriptor:
                continue
            program = font.FontDescriptor.FontFile.read_bytes().decode("latin-1")
            codes = {int(code): int(cid) for code, cid in re.findall(r"dup (\d+) /cid(\d+) put", program)}
            cmap = font.ToUnicode.read_bytes().decode("latin-1")
            for code, uni in re.findall(r"<([0-9A-Fa-f]{2})>\s*<([0-9A-Fa-f]{4})>", cmap):
                ch = chr(int(uni, 16))
                if ch in text and int(code, 16) in codes:
                    glyphs[ch] = ("Bold" in name, codes[int(code, 16)])
    return glyphs


def _faces_agreeing(glyphs: dict[str, tuple[bool, int]]) -> set[str]:
    """The faces of the collection whose own cmap gives every printed character its glyph."""
    bold = {b for b, _ in glyphs.values()}
    assert len(bold) == 1, glyphs
    faces = TTCollection(str(_collection(bold.pop())), lazy=True).fonts
    agreeing = set()
    for face in faces:
        cmap = face.getBestCmap()
        if all(int(cmap.get(ord(ch), "cid-1")[3:]) == cid for ch, (_, cid) in glyphs.items()):
            agreeing.add(face["name"].getDebugName(1))
    return agreeing


def test_libreoffice_sets_the_title_in_the_sc_face(printed) -> None:
    """pdffonts names LibreOffice's 小标宋 stand-in "NotoSerifCJKjp-Bold-…": every face of the
    Noto CJK collection shares one CFF table, named after its JP face, and LibreOffice names the
    embedded subset after it. The glyphs are another matter: those printed are the SC forms (the
    SC face's cmap). LibreOffice shapes by the text's language (zh-CN, the DOCX's default), so
    even the JP face prints SC forms through its ``locl`` feature; a title in the JP face and
    marked Japanese prints JP forms and fails."""
    document, _, lo = printed
    title = "".join(document.title_lines)
    faces = TTCollection(str(_collection(True)), lazy=True).fonts
    by_name = {f["name"].getDebugName(1): f.getBestCmap() for f in faces}
    telling = [
        ch
        for ch in title
        if by_name["Noto Serif CJK SC"].get(ord(ch)) != by_name["Noto Serif CJK JP"].get(ord(ch))
    ]
    assert telling, "the title has no character whose SC and JP glyphs differ"
    good = _printed_glyphs(lo["good"], title)
    assert set(telling) <= set(good)
    assert _faces_agreeing(good) == {"Noto Serif CJK SC"}
    jp = _faces_agreeing(_printed_glyphs(lo["title-jp"], title))
    assert "Noto Serif CJK JP" in jp and "Noto Serif CJK SC" not in jp
