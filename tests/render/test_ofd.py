"""OFD (GB/T 33190) made from the 2020 Q4 set's PDFs, read back by two independent readers and our
own strict parse: the package is whole, the text is the PDF's text where the PDF puts it, the fonts
are embedded, the 标志 and red rule are red, and the bytes are reproducible.

- ofdkit reads the page count, the text per page with where each run starts, and DocInfo.
- easyofd parses the package and draws it (its one text face, 宋体, is registered here from
  fonts-wqy-zenhei, a TrueType face its reportlab can use). It draws straight lines but no fills,
  curves or dashes, so its render is compared with the PDF's where the PDF has text.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from pathlib import Path

import pdfplumber
import pytest
from fontTools.ttLib import TTFont
from lxml import etree

from zsreport.render.ofd import OfdError, render_ofd
from zsreport.render.ofd.package import NAMESPACE

NS = {"ofd": NAMESPACE}
MM_PER_PT = 25.4 / 72
RED = "255 0 0"


@pytest.fixture(scope="module")
def ofd_set(built, tmp_path_factory: pytest.TempPathFactory) -> list[tuple[object, Path, Path]]:
    """(document, its PDF, its OFD) for every document of the session's 2020 Q4 set."""
    folder = tmp_path_factory.mktemp("ofd")
    made = []
    for document in built.documents:
        pdf = built.out_dir / f"{document.meta.slug}.pdf"
        made.append((document, pdf, render_ofd(document, pdf, folder / f"{document.meta.slug}.ofd")))
    return made


def _xml(package: zipfile.ZipFile, name: str) -> etree._Element:
    return etree.fromstring(package.read(name))


def strict_parse(path: Path) -> dict:
    """Our own reading of the package: every check a reader's leniency could hide."""
    with zipfile.ZipFile(path) as package:
        names = set(package.namelist())
        root = _xml(package, "OFD.xml")
        assert root.tag == f"{{{NAMESPACE}}}OFD" and root.get("DocType") == "OFD"
        doc_root = root.findtext("ofd:DocBody/ofd:DocRoot", namespaces=NS)
        assert doc_root in names
        base = doc_root.rsplit("/", 1)[0]
        document = _xml(package, doc_root)
        max_id = int(document.findtext("ofd:CommonData/ofd:MaxUnitID", namespaces=NS))
        assert (
            document.findtext("ofd:CommonData/ofd:PageArea/ofd:PhysicalBox", namespaces=NS) == "0 0 210 297"
        )
        res_names = [
            document.findtext(f"ofd:CommonData/ofd:{r}", namespaces=NS) for r in ("PublicRes", "DocumentRes")
        ]
        ids: Counter[str] = Counter()
        fonts = {}
        for res_name in res_names:
            res = _xml(package, f"{base}/{res_name}")
            for font in res.iterfind("ofd:Fonts/ofd:Font", NS):
                ids[font.get("ID")] += 1
                file = f"{base}/{res.get('BaseLoc')}/{font.findtext('ofd:FontFile', namespaces=NS)}"
                assert file in names, f"{path.name}: font file {file} missing"
                face = TTFont(io.BytesIO(package.read(file)), lazy=True)
                assert face.getGlyphOrder(), file
                fonts[font.get("ID")] = font
        pages = []
        for page in document.iterfind("ofd:Pages/ofd:Page", NS):
            ids[page.get("ID")] += 1
            location = f"{base}/{page.get('BaseLoc')}"
            assert location in names
            content = _xml(package, location)
            assert content.tag == f"{{{NAMESPACE}}}Page"
            for element in content.iter():
                assert element.tag.startswith(f"{{{NAMESPACE}}}"), element.tag
                if element.get("ID"):
                    ids[element.get("ID")] += 1
                if element.tag.endswith("Color"):
                    values = element.get("Value").split()
                    assert len(values) == 3 and all(0 <= int(v) <= 255 for v in values)
            for text in content.iterfind(".//ofd:TextObject", NS):
                assert text.get("Font") in fonts, f"{path.name}: TextObject {text.get('ID')} names no font"
            pages.append(content)
        assert all(count == 1 for count in ids.values()), [i for i, c in ids.items() if c > 1]
        assert max(int(i) for i in ids) <= max_id
        return {"pages": pages, "fonts": fonts, "info": root.find("ofd:DocBody/ofd:DocInfo", NS)}


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _pdf_pages_text(pdf: Path) -> list[str]:
    with pdfplumber.open(pdf) as doc:
        return [_squash("".join(ch["text"] for ch in page.chars)) for page in doc.pages]


def test_every_document_makes_a_whole_package(ofd_set) -> None:
    for _, pdf, ofd in ofd_set:
        parsed = strict_parse(ofd)
        with pdfplumber.open(pdf) as doc:
            assert len(parsed["pages"]) == len(doc.pages), ofd.name


def test_the_text_per_page_is_the_pdfs(ofd_set) -> None:
    import ofdkit

    for _, pdf, ofd in ofd_set:
        expected = _pdf_pages_text(pdf)
        with ofdkit.open(ofd) as document:
            assert len(document.pages) == len(expected)
            for number, (page, want) in enumerate(zip(document.pages, expected, strict=True), 1):
                got = _squash("".join(run.text for run in page.runs))
                shared = sum((Counter(got) & Counter(want)).values())
                assert shared >= 0.99 * len(want) and len(got) <= len(want) * 1.01, (ofd.name, number)
                assert got[:30] == want[:30], (ofd.name, number)


def test_each_run_starts_where_the_pdf_sets_its_first_character(ofd_set) -> None:
    """Every OFD text run's baseline and start lie within 0.5 mm of the PDF's same character."""
    import ofdkit

    worst = 0.0
    for _, pdf, ofd in ofd_set:
        with pdfplumber.open(pdf) as doc, ofdkit.open(ofd) as document:
            for page, ofd_page in zip(doc.pages, document.pages, strict=True):
                origins: dict[str, list[tuple[float, float]]] = {}
                for ch in page.chars:
                    e, f = ch["matrix"][4], ch["matrix"][5]
                    origins.setdefault(ch["text"], []).append((e * MM_PER_PT, (page.height - f) * MM_PER_PT))
                for run in ofd_page.runs:
                    text = run.text.strip()
                    if not text:
                        continue
                    lead = run.text[0]
                    candidates = origins.get(lead, [])
                    assert candidates, (ofd.name, run.text)
                    off = min(max(abs(x - run.x), abs(y - run.y)) for x, y in candidates)
                    worst = max(worst, off)
                    assert off <= 0.5, (ofd.name, page.page_number, run.text, off)
    assert worst <= 0.5


def test_docinfo_names_the_title_date_organ_and_doc_number(ofd_set) -> None:
    import ofdkit

    for document, _, ofd in ofd_set:
        with ofdkit.open(ofd) as read:
            info = read.info
        assert info.title == document.title
        if document.signoff is not None:
            y, m, d = re.search(r"(\d+)年(\d+)月(\d+)日", document.signoff.date).groups()
            assert info.creation_date == f"{int(y):04d}-{int(m):02d}-{int(d):02d}"
            assert info.author == "".join(document.signoff.organ_lines)
        number = document.letterhead.doc_number if document.letterhead else ""
        if number:
            assert info.custom_data.get("发文字号") == number, ofd.name


def test_the_mark_and_the_red_rule_are_red(ofd_set) -> None:
    city = next(ofd for doc, _, ofd in ofd_set if doc.meta.kind == "city")
    page = strict_parse(city)["pages"][0]
    mark = [t for t in page.iterfind(".//ofd:TextObject", NS) if "建设领导小组办公" in "".join(t.itertext())]
    assert mark and all(t.find("ofd:FillColor", NS).get("Value") == RED for t in mark)
    red_paths = [
        p for p in page.iterfind(".//ofd:PathObject", NS)
        if (p.find("ofd:FillColor", NS) is not None and p.find("ofd:FillColor", NS).get("Value") == RED)
    ]  # fmt: skip
    assert red_paths, "the red rule under the 发文字号"
    _, _, w, h = (float(v) for v in red_paths[0].get("Boundary").split())
    assert w > 150 and h < 1.5  # the full 版心 width, a thin rule


def test_every_font_is_embedded_and_named_as_the_office_knows_it(ofd_set) -> None:
    city = next(ofd for doc, _, ofd in ofd_set if doc.meta.kind == "city")
    families = {f.get("FamilyName") for f in strict_parse(city)["fonts"].values()}
    assert {"仿宋_GB2312", "方正小标宋简体", "黑体"} <= families


def test_text_the_font_cannot_map_back_is_drawn_by_glyph(ofd_set) -> None:
    """Each CGTransform names the glyph the PDF drew, and the text keeps the PDF's characters."""
    for _, _, ofd in ofd_set:
        for page in strict_parse(ofd)["pages"]:
            for text in page.iterfind(".//ofd:TextObject", NS):
                for transform in text.iterfind("ofd:CGTransform", NS):
                    assert int(transform.findtext("ofd:Glyphs", namespaces=NS)) > 0


def test_easyofd_draws_the_pdfs_text_where_the_pdf_has_it(
    ofd_set, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fitz = pytest.importorskip("fitz")
    face = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
    if not face.exists():
        pytest.skip("fonts-wqy-zenhei (make test installs it) gives easyofd its 宋体")
    from loguru import logger
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont as ReportlabFont

    logger.remove()
    monkeypatch.chdir(tmp_path)  # easyofd writes each embedded font into the working folder
    pdfmetrics.registerFont(ReportlabFont("宋体", str(face), subfontIndex=0))
    from easyofd.ofd import OFD

    for document, pdf, ofd in ofd_set:
        if document.meta.kind not in ("city", "assessment"):
            continue
        reader = OFD()
        reader.read(str(ofd), fmt="path")
        drawn = fitz.open(stream=reader.to_pdf(), filetype="pdf")
        with pdfplumber.open(pdf) as source:
            assert len(drawn) == len(source.pages)
            for number, (page, ours) in enumerate(zip(drawn, source.pages, strict=True), 1):
                covered = _text_cells_inked(page, ours)
                assert covered >= 0.95, (ofd.name, number, covered)


def _text_cells_inked(drawn_page, pdf_page) -> float:
    """The share of the PDF's characters under which easyofd's drawing has ink (4 px/mm)."""
    import fitz

    # easyofd draws its page at its own scale: 4 px a mm whatever that is
    zoom = 4 * pdf_page.width * MM_PER_PT / drawn_page.rect.width
    pixmap = drawn_page.get_pixmap(matrix=fitz.Matrix(zoom, zoom), alpha=False, colorspace="gray")
    width, samples = pixmap.width, pixmap.samples
    hits = total = 0
    for ch in pdf_page.chars:
        if not ch["text"].strip():
            continue
        total += 1
        x0, x1 = int(ch["x0"] * MM_PER_PT * 4), int(ch["x1"] * MM_PER_PT * 4)
        y0, y1 = int(ch["top"] * MM_PER_PT * 4), int(ch["bottom"] * MM_PER_PT * 4)
        ink = any(
            samples[y * width + x] < 160
            for y in range(max(0, y0), min(pixmap.height, y1 + 1))
            for x in range(max(0, x0), min(width, x1 + 1))
        )
        hits += ink
    return hits / total if total else 1.0


def test_the_bytes_are_reproducible(ofd_set, tmp_path: Path) -> None:
    document, pdf, ofd = ofd_set[0]
    again = render_ofd(document, pdf, tmp_path / ofd.name)
    assert again.read_bytes() == ofd.read_bytes()


def test_a_pdf_it_cannot_translate_leaves_no_ofd_and_names_the_document(ofd_set, tmp_path: Path) -> None:
    document, _, _ = ofd_set[0]
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\nnot a pdf")
    target = tmp_path / "out.ofd"
    with pytest.raises(OfdError, match=document.meta.slug):
        render_ofd(document, broken, target)
    assert list(tmp_path.iterdir()) == [broken]


def test_build_ofd_writes_an_ofd_beside_each_pdf(mini_ofd_set) -> None:
    """The real command on the small set: one .ofd beside each .pdf, listed in build.json."""
    _data, out, done = mini_ofd_set
    assert done.returncode == 0, done.stderr
    folder = out / "2020Q4"
    pdfs = sorted(p.stem for p in folder.glob("*.pdf"))
    assert pdfs and sorted(p.stem for p in folder.glob("*.ofd")) == pdfs
    record = (folder / "build.json").read_text(encoding="utf-8")
    assert all(f"{stem}.ofd" in record for stem in pdfs)


def test_hatching_is_cut_to_its_bar_and_a_path_inside_its_clip_loses_it() -> None:
    from zsreport.render.ofd import clip

    bar = [("M", (0.0, 0.0)), ("M", (10.0, 10.0)), ("L", (20.0, 10.0)), ("L", (20.0, 40.0)),
           ("L", (10.0, 40.0)), ("Z",)]  # fmt: skip
    rect = clip.as_rect(bar)
    assert rect == (10.0, 10.0, 20.0, 40.0)  # the dangling moveto draws nothing
    hatch = [("M", (0.0, 50.0)), ("L", (50.0, 0.0)), ("M", (100.0, 100.0)), ("L", (120.0, 120.0))]
    cut = clip.clip_polyline(hatch, rect)
    assert cut == [("M", (10.0, 40.0)), ("L", (20.0, 30.0))]  # the second line lies outside
    assert clip.inside(clip.rect_path((12.0, 12.0, 18.0, 18.0)), rect)
    assert clip.encloses_nothing(hatch) and not clip.encloses_nothing(bar)
    assert clip.meet((0, 0, 5, 5), (6, 6, 9, 9)) is None


def test_no_path_leaves_its_page(ofd_set) -> None:
    """Clipped-away drawing stays away: every PathObject lies on its page."""
    for _, _, ofd in ofd_set:
        for page in strict_parse(ofd)["pages"]:
            box = page.findtext("ofd:Area/ofd:PhysicalBox", namespaces=NS) or "0 0 210 297"
            width, height = (float(v) for v in box.split()[2:])
            for path in page.iterfind(".//ofd:PathObject", NS):
                x, y, w, h = (float(v) for v in path.get("Boundary").split())
                assert x >= -1 and x + w <= width + 1 and y >= -1 and y + h <= height + 1, (
                    ofd.name,
                    path.get("ID"),
                )


def test_a_glyph_without_its_character_is_drawn_by_cgtransform(ofd_set) -> None:
    """A glyph the PDF maps to no text, or to text its font's cmap does not give back, is kept by
    glyph index; the text keeps a placeholder so that positions stay aligned."""
    import pikepdf

    from zsreport.render.ofd import official_name
    from zsreport.render.ofd.package import _text_object, font_entry
    from zsreport.render.ofd.pdfpage import TextRun, read_pages

    _, pdf, _ = ofd_set[0]
    with pikepdf.open(pdf) as source:
        run = next(item for item in read_pages(source)[0].items if isinstance(item, TextRun))
    entry = font_entry(7, run.font, official_name(run.font))
    unmapped = TextRun(**{**run.__dict__, "text": ["", *run.text[1:]]})
    xml = _text_object(unmapped, entry, 9, (210.0, 297.0))
    gid = entry.gid_of_cid[run.cids[0]]
    assert (
        f'<ofd:CGTransform CodePosition="0" CodeCount="1" GlyphCount="1"><ofd:Glyphs>{gid}</ofd:Glyphs>'
        in xml
    )
    assert "CGTransform" not in _text_object(run, entry, 9, (210.0, 297.0))
