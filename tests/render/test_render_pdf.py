"""render_pdf: read the PDF back (pdfplumber, pikepdf) and measure it against GB/T 9704-2012."""

from __future__ import annotations

import itertools
import logging
import re
import socket
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from tests.demo_document import HOSTILE_NAME, demo_document, demo_table
from zsreport import TEMPLATES_DIR
from zsreport import gbt9704 as g
from zsreport.model import (
    Attachment,
    Cell,
    Figure,
    Heading,
    Mode,
    Paragraph,
    Table,
    iter_blocks,
    plain_paragraphs,
)
from zsreport.render.pdf import (
    RefusingURLFetcher,
    _plan_colophon,
    document_html,
    fallback_characters,
    render_pdf,
)

MM = g.MM_PER_PT  # pdfplumber works in pt
# CJK faces put the ideographic em box 0.88 em above the baseline (OS/2 sTypoAscender 880 in
# Noto CJK and Fandol); the "top edge" of a 标志 character is the top of its em box.
CJK_EM_ASCENT = 0.88
TEXT_LEFT_MM = g.MARGIN_LEFT_MM
TEXT_RIGHT_MM = g.MARGIN_LEFT_MM + g.TEXT_WIDTH_MM
TEXT_TOP_MM = g.MARGIN_TOP_MM
TEXT_BOTTOM_MM = g.MARGIN_TOP_MM + g.TEXT_HEIGHT_MM
TOL = g.MARGIN_TOLERANCE_MM


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[Mode, Path]:
    out = tmp_path_factory.mktemp("pdf")
    return {mode: render_pdf(demo_document(mode), out / f"{mode}.pdf") for mode in Mode}


@pytest.fixture(scope="module")
def formal(pdfs: dict[Mode, Path]):
    with pdfplumber.open(pdfs[Mode.FORMAL]) as pdf:
        yield pdf


def _mm(pt: float) -> float:
    return pt * MM


def _em_top_mm(char: dict) -> float:
    """Distance from the page top to the top of the character's em box."""
    baseline = char["matrix"][5]  # PDF y of the baseline, from the bottom
    page_height = char["top"] + char["y1"]
    return _mm(page_height - baseline - CJK_EM_ASCENT * char["size"])


def _lines(page) -> list[list[dict]]:
    """Upright characters grouped by baseline, each line sorted left to right (the turned page
    number of a 横排 page is left out)."""
    rows: dict[float, list[dict]] = defaultdict(list)
    for char in (c for c in page.chars if c["upright"]):
        rows[round(char["matrix"][5], 1)].append(char)
    return [sorted(rows[y], key=lambda c: c["x0"]) for y in sorted(rows, reverse=True)]


def _line_text(line: list[dict]) -> str:
    return "".join(c["text"] for c in line)


def _is_page_number(line: list[dict]) -> bool:
    return bool(re.fullmatch(r"— \d+ —", _line_text(line)))


def _find_line(pdf, text: str) -> tuple[int, list[dict]]:
    for index, page in enumerate(pdf.pages):
        for line in _lines(page):
            if text in _line_text(line):
                return index, line
    raise AssertionError(f"{text!r} not found")


def _find_line_on(page, text: str) -> tuple[list[dict], dict]:
    for line in _lines(page):
        if text in _line_text(line):
            return line, _chars_of(line, text)[0]
    raise AssertionError(f"{text!r} not on page {page.page_number}")


def _chars_of(line: list[dict], text: str) -> list[dict]:
    start = _line_text(line).index(text)
    return line[start : start + len(text)]


# --- page and grid -----------------------------------------------------------------------------


@pytest.mark.parametrize("mode", list(Mode))
def test_every_page_is_a4(pdfs: dict[Mode, Path], mode: Mode) -> None:
    with pdfplumber.open(pdfs[mode]) as pdf:
        for page in pdf.pages:
            assert _mm(float(page.width)) == pytest.approx(g.PAGE_WIDTH_MM, abs=0.2)
            assert _mm(float(page.height)) == pytest.approx(g.PAGE_HEIGHT_MM, abs=0.2)


@pytest.mark.parametrize("mode", list(Mode))
def test_all_text_inside_the_text_block(pdfs: dict[Mode, Path], mode: Mode) -> None:
    """Margins measured from character positions: 天头 37, 订口 28, 版心 156 × 225 mm."""
    with pdfplumber.open(pdfs[mode]) as pdf:
        for page in pdf.pages:
            text = [c for line in _lines(page) if not _is_page_number(line) for c in line]
            assert text, f"page {page.page_number} has no text"
            assert min(_mm(c["x0"]) for c in text) >= TEXT_LEFT_MM - TOL
            assert max(_mm(c["x1"]) for c in text) <= TEXT_RIGHT_MM + TOL
            assert min(_mm(c["top"]) for c in text) >= TEXT_TOP_MM - TOL
            assert max(_mm(c["bottom"]) for c in text) <= TEXT_BOTTOM_MM + TOL


def test_body_is_16pt_on_the_grid(formal) -> None:
    page = formal.pages[0]
    body = [line for line in _lines(page) if "FandolFang" in line[0]["fontname"] and len(line) > 20]
    assert len(body) >= 4
    for line in body:
        assert all(c["size"] == pytest.approx(g.BODY_SIZE_PT, abs=0.1) for c in line)
    # Unindented body lines start at the 订口 (28 mm); the line pitch is the 22-line grid.
    assert min(_mm(line[0]["x0"]) for line in body) == pytest.approx(TEXT_LEFT_MM, abs=TOL)
    baselines = [line[0]["matrix"][5] for line in body]
    pitches = [a - b for a, b in itertools.pairwise(baselines)]
    # Consecutive full lines are one grid line apart (a short line in between makes it two).
    on_grid = [round(p / g.LINE_PITCH_PT) * g.LINE_PITCH_PT for p in pitches]
    assert pitches and pitches == pytest.approx(on_grid, abs=0.3)
    assert min(pitches) == pytest.approx(g.LINE_PITCH_PT, abs=0.3)


def test_a_full_line_holds_28_characters(formal) -> None:
    """The 主送 line is all CJK: 28 characters must fill the 156 mm measure exactly."""
    _, line = _find_line(formal, "各县市区委、人民政府")
    assert len(line) == g.CHARS_PER_LINE
    assert _mm(line[0]["x0"]) == pytest.approx(TEXT_LEFT_MM, abs=0.3)
    assert _mm(line[-1]["x1"]) == pytest.approx(TEXT_RIGHT_MM, abs=0.5)


def test_paragraphs_and_headings_indent_two_characters(formal) -> None:
    for text in ("2020年，全市各级各部门", "一、总体情况", "（一）主要指标完成情况"):
        _, line = _find_line(formal, text)
        indent = _mm(_chars_of(line, text)[0]["x0"]) - TEXT_LEFT_MM
        assert indent == pytest.approx(_mm(g.INDENT_CHARS * g.CHAR_PITCH_PT), abs=0.3), text


def test_heading_faces_without_bold(formal) -> None:
    expected = {
        "一、总体情况": "FandolHei",
        "（一）主要指标完成情况": "FandolKai",
        "1.三级标题": "FandolFang",
    }
    for text, face in expected.items():
        _, line = _find_line(formal, text)
        chars = _chars_of(line, text)
        assert all(face in c["fontname"] and "Bold" not in c["fontname"] for c in chars), text
        assert all(c["size"] == pytest.approx(g.BODY_SIZE_PT, abs=0.1) for c in chars)


# --- 版头 and title ------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", [Mode.FORMAL, Mode.MINUTES])
def test_issuer_mark_is_red_and_35mm_below_the_text_top(pdfs: dict[Mode, Path], mode: Mode) -> None:
    document = demo_document(mode)
    assert document.letterhead is not None
    with pdfplumber.open(pdfs[mode]) as pdf:
        lines = _lines(pdf.pages[0])
        marks = [c for organ in document.letterhead.organ_lines for line in lines
                 if organ in _line_text(line) for c in _chars_of(line, organ)]  # fmt: skip
    assert len(marks) == sum(len(organ) for organ in document.letterhead.organ_lines)
    assert all(tuple(c["non_stroking_color"]) == (1, 0, 0) for c in marks)
    top = min(_em_top_mm(c) for c in marks)
    assert top == pytest.approx(TEXT_TOP_MM + g.ISSUER_TOP_FROM_TEXT_TOP_MM, abs=TOL)
    # Centred in the 版心 (with "文件" beside the stack in FORMAL mode).
    red = [c for line in lines for c in line if tuple(c["non_stroking_color"]) == (1, 0, 0)]
    left, right = min(_mm(c["x0"]) for c in red), max(_mm(c["x1"]) for c in red)
    assert (left - TEXT_LEFT_MM) == pytest.approx(TEXT_RIGHT_MM - right, abs=TOL)


def test_stacked_organ_lines_have_equal_width(formal) -> None:
    lines = [_find_line(formal, organ)[1] for organ in demo_document().letterhead.organ_lines]
    assert len({round(_mm(line[0]["x0"]), 1) for line in lines}) == 1
    assert len({round(_mm(line[-1]["x1"]), 1) for line in lines}) == 1


def test_doc_number_format_and_red_rule(formal) -> None:
    page = formal.pages[0]
    numbers = [line for line in _lines(page) if re.search(r"〔\d{4}〕[1-9]\d*号", _line_text(line))]
    assert len(numbers) == 1
    line = numbers[0]
    centre = (_mm(line[0]["x0"]) + _mm(line[-1]["x1"])) / 2
    assert centre == pytest.approx((TEXT_LEFT_MM + TEXT_RIGHT_MM) / 2, abs=TOL)
    rules = [r for r in page.rects if tuple(r["non_stroking_color"] or ()) == (1, 0, 0)]
    assert len(rules) == 1
    rule = rules[0]
    assert _mm(rule["x0"]) == pytest.approx(TEXT_LEFT_MM, abs=0.2)
    assert _mm(rule["width"]) == pytest.approx(g.RED_RULE_WIDTH_MM, abs=0.2)
    assert _mm(rule["height"]) == pytest.approx(g.RED_RULE_THICKNESS_MM, abs=0.1)
    number_bottom = max(_em_top_mm(c) + _mm(c["size"]) for c in line)  # foot of the em box
    assert _mm(rule["top"]) - number_bottom == pytest.approx(g.RED_RULE_GAP_MM, abs=TOL)


def test_title_is_22pt_and_centred(formal) -> None:
    for text in demo_document().title_lines:
        _, line = _find_line(formal, text)
        assert all(c["size"] == pytest.approx(g.TITLE_SIZE_PT, abs=0.1) for c in line)
        centre = (_mm(line[0]["x0"]) + _mm(line[-1]["x1"])) / 2
        assert centre == pytest.approx((TEXT_LEFT_MM + TEXT_RIGHT_MM) / 2, abs=TOL)


def test_plain_mode_has_no_red_and_starts_with_the_title(pdfs: dict[Mode, Path]) -> None:
    with pdfplumber.open(pdfs[Mode.PLAIN]) as pdf:
        page = pdf.pages[0]
        assert not [c for c in page.chars if tuple(c["non_stroking_color"]) == (1, 0, 0)]
        first = _lines(page)[0]
        assert _line_text(first) == demo_document(Mode.PLAIN).title_lines[0]
        # The 二号 title sits in a 35 pt line box at the very top of the 版心.
        slack = _mm(g.TITLE_LINE_PITCH_PT - g.TITLE_SIZE_PT) / 2
        assert _em_top_mm(first[0]) == pytest.approx(TEXT_TOP_MM + slack, abs=TOL)


def test_minutes_header_line_holds_organ_and_date(pdfs: dict[Mode, Path]) -> None:
    head = demo_document(Mode.MINUTES).letterhead
    with pdfplumber.open(pdfs[Mode.MINUTES]) as pdf:
        _, line = _find_line(pdf, head.minutes_organ)
    assert _line_text(line) == head.minutes_organ + head.minutes_date
    char = _mm(g.BODY_SIZE_PT)
    assert _mm(line[0]["x0"]) - TEXT_LEFT_MM == pytest.approx(char, abs=TOL)
    assert TEXT_RIGHT_MM - _mm(line[-1]["x1"]) == pytest.approx(char, abs=TOL)


# --- page numbers, 落款, 附件, 版记 ----------------------------------------------------------------


@pytest.mark.parametrize("mode", list(Mode))
def test_page_numbers_odd_right_even_left(pdfs: dict[Mode, Path], mode: Mode) -> None:
    side = _mm(g.PAGE_NUMBER_SIDE_CHARS * g.PAGE_NUMBER_SIZE_PT)
    with pdfplumber.open(pdfs[mode]) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            found = [line for line in _lines(page) if _is_page_number(line)]
            assert [_line_text(line) for line in found] == [f"— {number} —"]
            line = found[0]
            assert all(c["size"] == pytest.approx(g.PAGE_NUMBER_SIZE_PT, abs=0.1) for c in line)
            assert "FandolSong" in line[1]["fontname"]
            if number % 2:
                assert TEXT_RIGHT_MM - _mm(line[-1]["x1"]) == pytest.approx(side, abs=TOL)
            else:
                assert _mm(line[0]["x0"]) - TEXT_LEFT_MM == pytest.approx(side, abs=TOL)
            below = _em_top_mm(line[0]) - TEXT_BOTTOM_MM
            assert below == pytest.approx(g.PAGE_NUMBER_BELOW_TEXT_MM, abs=TOL)


def test_signoff_right_two_and_date_two_characters_further(formal) -> None:
    signoff = demo_document().signoff
    _, organ = _find_line(formal, signoff.organ_lines[-1])
    _, date = _find_line(formal, signoff.date)
    char = _mm(g.CHAR_PITCH_PT)
    assert TEXT_RIGHT_MM - _mm(organ[-1]["x1"]) == pytest.approx(g.SIGNOFF_RIGHT_CHARS * char, abs=0.5)
    shift = _mm(date[0]["x0"]) - _mm(organ[0]["x0"])
    assert shift == pytest.approx(g.SIGNOFF_DATE_SHIFT_CHARS * char, abs=0.5)


def test_attachment_starts_a_page_with_its_label_flush_left(formal) -> None:
    page_index, label = _find_line(formal, "附件")
    while _line_text(label) != "附件":  # the 附件说明 line comes first
        page_index += 1
        label = _lines(formal.pages[page_index])[0]
    assert _lines(formal.pages[page_index])[0] == label
    assert _mm(label[0]["x0"]) == pytest.approx(TEXT_LEFT_MM, abs=0.3)
    assert "FandolHei" in label[0]["fontname"]
    title = _lines(formal.pages[page_index])[1]
    assert _line_text(title) == demo_document().attachments[0].title
    assert title[0]["size"] == pytest.approx(g.TITLE_SIZE_PT, abs=0.1)
    # Centred on the third grid line: two line pitches down, then half the 二号 line's leading.
    line3 = TEXT_TOP_MM + _mm((g.ATTACHMENT_TITLE_LINE - 1) * g.LINE_PITCH_PT)
    slack = _mm(g.TITLE_LINE_PITCH_PT - g.TITLE_SIZE_PT) / 2
    assert _em_top_mm(title[0]) == pytest.approx(line3 + slack, abs=TOL)


def test_table_header_repeats_on_the_next_page(formal) -> None:
    caption_page, _ = _find_line(formal, "表1")
    row_page, row = _find_line(formal, "单位13")  # 表1's last row
    assert row_page > caption_page, "demo 表1 should break across pages"
    _, header = _find_line_on(formal.pages[row_page], "省外境内资金（亿元）")
    assert header["top"] < row[0]["top"]


def test_long_table_repeats_its_header_on_every_page(tmp_path: Path) -> None:
    document = demo_document(Mode.PLAIN)
    document = type(document)(**{**document.__dict__, "body": (demo_table(1, rows=60),), "attachments": ()})
    with pdfplumber.open(render_pdf(document, tmp_path / "long.pdf")) as pdf:
        pages_with_rows = [p for p in pdf.pages if re.search(r"单位\d+", p.extract_text() or "")]
        assert len(pages_with_rows) >= 2
        for page in pages_with_rows:
            assert "省外境内资金（亿元）" in page.extract_text()


@pytest.mark.parametrize("mode", list(Mode))
def test_colophon_at_the_foot_of_an_even_last_page(pdfs: dict[Mode, Path], mode: Mode) -> None:
    with pdfplumber.open(pdfs[mode]) as pdf:
        assert len(pdf.pages) % 2 == 0
        last = pdf.pages[-1]
        assert "印发" in last.extract_text()
        assert all("印发" not in (p.extract_text() or "") for p in pdf.pages[:-1])
        rules = [r for r in last.rects if _mm(r["width"]) == pytest.approx(g.TEXT_WIDTH_MM, abs=0.3)]
        assert rules, "no 版记 rules"
        assert all(_mm(r["x1"]) <= TEXT_RIGHT_MM + 0.2 for r in last.rects)
        assert _mm(max(r["bottom"] for r in rules)) == pytest.approx(TEXT_BOTTOM_MM, abs=0.5)


def test_colophon_after_odd_page_goes_to_a_new_even_page(tmp_path: Path) -> None:
    """Text ending on page 1 must not leave the 版记 on page 1: it moves to page 2's foot."""
    base = demo_document(Mode.PLAIN)
    short = type(base)(**{**base.__dict__, "body": (Paragraph.of("正文。"),), "attachments": ()})
    with pdfplumber.open(render_pdf(short, tmp_path / "short.pdf")) as pdf:
        assert len(pdf.pages) == 2
        assert "印发" not in pdf.pages[0].extract_text()
        assert "印发" in pdf.pages[1].extract_text()


# --- fonts, text and safety --------------------------------------------------------------------


@pytest.mark.parametrize("mode", list(Mode))
def test_every_font_is_embedded(pdfs: dict[Mode, Path], mode: Mode) -> None:
    seen = 0
    with pikepdf.open(pdfs[mode]) as pdf:
        for page in pdf.pages:
            fonts = page.resources.get("/Font") or pikepdf.Dictionary()
            for key in fonts.keys():  # noqa: SIM118 (a pikepdf Dictionary)
                font = fonts[key]
                descendant = font.DescendantFonts[0] if "/DescendantFonts" in font else font
                descriptor = descendant.FontDescriptor
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font.BaseFont
                seen += 1
    assert seen >= 4


def test_hostile_text_prints_as_typed(pdfs: dict[Mode, Path]) -> None:
    with pdfplumber.open(pdfs[Mode.FORMAL]) as pdf:
        text = "".join("".join(page.extract_text() or "" for page in pdf.pages).split())
    assert "".join(HOSTILE_NAME.split()) in text
    html = document_html(demo_document())
    assert "&lt;img src=&#34;http://example.invalid/x.png&#34;&gt;{{ 7*7 }}&amp;amp;项目" in html
    assert '<img src="http://example.invalid' not in html


def test_url_fetcher_refuses_network_and_foreign_files(tmp_path: Path) -> None:
    fetcher = RefusingURLFetcher()
    for url in ("http://example.invalid/x.png", "https://example.invalid/", "ftp://example.invalid/x"):
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)
    outside = tmp_path / "secret.txt"
    outside.write_text("x")
    with pytest.raises(ValueError, match="refused"):
        fetcher.fetch(outside.as_uri())
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"
    inside = TEMPLATES_DIR / "pdf" / "style.css.j2"
    assert fetcher.fetch(inside.as_uri()).read() == inside.read_bytes()


def test_rendering_opens_no_socket(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access during rendering")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert render_pdf(demo_document(), tmp_path / "x.pdf").stat().st_size > 0


def test_figure_is_embedded_as_vector(formal) -> None:
    page_index, _ = _find_line(formal, "图1")
    page = formal.pages[page_index]
    assert not page.images, "the SVG chart must not be rasterised"
    assert len(page.curves) + len(page.rects) > 5  # bars and axes drawn as paths


def test_written_atomically_and_reproducibly(tmp_path: Path) -> None:
    document = demo_document()
    first = render_pdf(document, tmp_path / "a.pdf").read_bytes()
    second = render_pdf(document, tmp_path / "a.pdf").read_bytes()
    assert first.startswith(b"%PDF") and first == second
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf"]


def test_blank_page_before_a_colophon_that_does_not_fit_an_even_page(tmp_path: Path) -> None:
    """Text ends low on an even page: a blank page, then the 版记 on the next even page; neither
    carries a page number (clause 7.5)."""
    base = demo_document(Mode.PLAIN)
    for count in range(20, 60):
        lines = tuple(Paragraph.of("一行正文。") for _ in range(count))
        document = type(base)(**{**base.__dict__, "body": lines, "attachments": (), "signoff": None})
        if _plan_colophon(document).blank_page:
            break
    else:
        pytest.fail("no paragraph count puts the text end low on an even page")
    with pdfplumber.open(render_pdf(document, tmp_path / "blank.pdf")) as pdf:
        texts = [page.extract_text() or "" for page in pdf.pages]
    assert len(texts) % 2 == 0
    assert texts[-2].strip() == ""
    assert "印发" in texts[-1] and not re.search(r"— \d+ —", texts[-1])
    assert re.search(r"— \d+ —", texts[-3])


def test_text_ending_on_an_even_landscape_page_gets_an_unnumbered_blank_page(tmp_path: Path) -> None:
    """The last 附件 ends with a 横排 table on an even page: the blank page and the 版记 page after
    it carry no number (clause 7.5), and no other page is added (the city bulletin, p. 15–16)."""
    base = demo_document(Mode.PLAIN)
    for rows in range(10, 80, 3):
        table = replace(demo_table(2, rows=rows), landscape=True)
        document = replace(base, attachments=(Attachment(label="附件", title="表", blocks=(table,)),))
        if _plan_colophon(document).blank_page:
            break
    else:
        pytest.fail("no table length ends the text on an even landscape page")
    with pdfplumber.open(render_pdf(document, tmp_path / "landscape-end.pdf")) as pdf:
        pages = pdf.pages
        texts = [page.extract_text() or "" for page in pages]
        assert len(pages) % 2 == 0
        assert _is_landscape(pages[-3]) and re.search(r"单位\d+", texts[-3]), "the table ends there"
        assert texts[-2].strip() == "", "one blank page, without a number"
        assert "印发" in texts[-1] and not re.search(r"— \d+ —", texts[-1])
        assert not _is_landscape(pages[-2]) and not _is_landscape(pages[-1])


def test_copy_number_secrecy_urgency_stack_flush_left_above_the_mark(tmp_path: Path) -> None:
    base = demo_document()
    head = type(base.letterhead)(
        **{**base.letterhead.__dict__, "copy_number": "000123", "secrecy": "秘密★1年", "urgency": "特急"}
    )
    document = type(base)(**{**base.__dict__, "letterhead": head})
    with pdfplumber.open(render_pdf(document, tmp_path / "marks.pdf")) as pdf:
        lines = _lines(pdf.pages[0])
    assert [_line_text(line) for line in lines[:3]] == ["000123", "秘密★1年", "特急"]
    assert all(_mm(line[0]["x0"]) == pytest.approx(TEXT_LEFT_MM, abs=0.3) for line in lines[:3])
    mark_top = _em_top_mm(lines[3][0])
    assert mark_top == pytest.approx(TEXT_TOP_MM + g.ISSUER_TOP_FROM_TEXT_TOP_MM, abs=TOL)
    assert max(_mm(c["bottom"]) for line in lines[:3] for c in line) < mark_top


# --- 横排表格 (clause 8) -------------------------------------------------------------------------

LANDSCAPE_LEFT_MM = g.MARGIN_BOTTOM_MM  # the portrait foot turned to the left
LANDSCAPE_TOP_MM = g.MARGIN_LEFT_MM  # the 订口 turned to the top
LANDSCAPE_RIGHT_MM = LANDSCAPE_LEFT_MM + g.LANDSCAPE_TEXT_WIDTH_MM
LANDSCAPE_BOTTOM_MM = LANDSCAPE_TOP_MM + g.LANDSCAPE_TEXT_HEIGHT_MM


def wide_table(number: int, rows: int = 14) -> Table:
    """16 columns, two merged header rows, numbers as wide as the real 附件 tables print."""
    groups = ("新引进项目（个）", "七大产业链项目（个）", "高新技术企业（个）", "5亿元以上制造业项目（个）",
              "实际利用外资（万美元）")  # fmt: skip
    header = (
        (Cell("单位", rowspan=2), *(Cell(name, colspan=3) for name in groups)),
        tuple(Cell(text) for _ in groups for text in ("目标", "完成", "同比")),
    )
    body = tuple(
        (Cell(f"邵阳经开区{i}", align="left"),
         *(Cell(text, align="right") for _ in groups for text in ("37600", f"{38522 + i}", "+10.8%")))
        for i in range(rows)
    )  # fmt: skip
    return Table(number=number, caption="招商产业项目完成情况", header=header, body=body,
                 widths=(2.2, *(1,) * 15), unit_note="截至2020年12月底", landscape=True)  # fmt: skip


@pytest.fixture(scope="module")
def landscape_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = demo_document()
    blocks = (wide_table(2), wide_table(3, rows=20), Paragraph.of("横排表后的正文。"))
    attachment = Attachment(label="附件", title="2020年第四季度招商引资目标完成情况表", blocks=blocks)
    body = (*base.body, wide_table(9, rows=3))
    document = replace(base, body=body, attachments=(attachment,))
    return render_pdf(document, tmp_path_factory.mktemp("landscape") / "landscape.pdf")


def _is_landscape(page) -> bool:
    return page.width > page.height


def _text_block(page) -> tuple[float, float, float, float]:
    if _is_landscape(page):
        return LANDSCAPE_LEFT_MM, LANDSCAPE_TOP_MM, LANDSCAPE_RIGHT_MM, LANDSCAPE_BOTTOM_MM
    return TEXT_LEFT_MM, TEXT_TOP_MM, TEXT_RIGHT_MM, TEXT_BOTTOM_MM


def _assert_tables_fit(pdf) -> int:
    """Every character inside its page's 版心, and every character of a table inside its cell."""
    checked = 0
    for page in pdf.pages:
        left, top, right, bottom = _text_block(page)
        for char in page.chars:
            if not char["upright"] or (re.fullmatch(r"[— \d]", char["text"]) and _mm(char["top"]) > bottom):
                continue  # page numbers
            where = f"page {page.page_number} {char['text']!r}"
            assert left - 0.2 <= _mm(char["x0"]) and _mm(char["x1"]) <= right + 0.2, where
            assert top - TOL <= _mm(char["top"]) and _mm(char["bottom"]) <= bottom + TOL, where
        # Vertical table rules: weasyprint strokes each cell border as a 0.75 pt line.
        rules = [
            r
            for r in page.lines
            if r["width"] < 0.01 and r["height"] > 5 and abs(r["linewidth"] - g.TABLE_RULE_PT) < 0.01
        ]
        for char in page.chars:
            middle = (char["top"] + char["bottom"]) / 2
            crossing = [r for r in rules if r["top"] <= middle <= r["bottom"]]
            if len(crossing) < 2:
                continue
            x0, x1 = char["x0"], char["x1"]
            if not min(r["x0"] for r in crossing) < x0 < max(r["x1"] for r in crossing):
                continue  # beside the table
            straddled = [r for r in crossing if x0 + 0.3 < r["x0"] and r["x1"] < x1 - 0.3]
            assert not straddled, f"page {page.page_number}: {char['text']!r} overflows its cell"
            checked += 1
    return checked


def test_wide_tables_fit_their_text_block_and_cells(landscape_pdf: Path) -> None:
    with pdfplumber.open(landscape_pdf) as pdf:
        assert any(_is_landscape(p) for p in pdf.pages) and not _is_landscape(pdf.pages[0])
        assert _assert_tables_fit(pdf) > 1000
        # The 16-column table is set smaller than 小四 so that "+10.8%" fits its column.
        sizes = {
            round(c["size"], 1) for p in pdf.pages if _is_landscape(p) for c in p.chars if c["text"] == "%"
        }
        assert sizes and max(sizes) < g.TABLE_SIZE_PT


def test_real_bulletin_tables_fit(built) -> None:
    path = built.out_dir / "2020Q4-01-全市招商引资工作通报.pdf"
    with pdfplumber.open(path) as pdf:
        assert sum(_is_landscape(p) for p in pdf.pages) >= 2
        assert _assert_tables_fit(pdf) > 1000


def test_landscape_page_numbers_stay_on_the_portrait_foot(landscape_pdf: Path) -> None:
    """The page turned a quarter: "— N —" lies along the short (left) side, 7 mm off the 版心,
    reading top to bottom, 右空一字 (toward the landscape foot) on odd pages, 左空一字 on even ones."""
    side = _mm(g.PAGE_NUMBER_SIDE_CHARS * g.PAGE_NUMBER_SIZE_PT)
    size = _mm(g.PAGE_NUMBER_SIZE_PT)
    with pdfplumber.open(landscape_pdf) as pdf:
        pages = [(n, p) for n, p in enumerate(pdf.pages, 1) if _is_landscape(p)]
        assert len(pages) >= 2
        for number, page in pages:
            turned = [c for c in page.chars if not c["upright"]]
            assert "".join(c["text"] for c in turned) == f"— {number} —"
            assert not [c for c in page.chars if c["upright"] and _mm(c["top"]) > LANDSCAPE_BOTTOM_MM]
            for c in turned:
                assert _mm(c["x1"]) == pytest.approx(LANDSCAPE_LEFT_MM - g.PAGE_NUMBER_BELOW_TEXT_MM, abs=TOL)
                assert _mm(c["x0"]) == pytest.approx(
                    LANDSCAPE_LEFT_MM - g.PAGE_NUMBER_BELOW_TEXT_MM - size, abs=TOL
                )
            if number % 2:
                assert LANDSCAPE_BOTTOM_MM - _mm(turned[-1]["bottom"]) == pytest.approx(side, abs=TOL)
            else:
                assert _mm(turned[0]["top"]) - LANDSCAPE_TOP_MM == pytest.approx(side, abs=TOL)


def test_attachment_opening_with_a_landscape_table_starts_on_its_page(landscape_pdf: Path) -> None:
    with pdfplumber.open(landscape_pdf) as pdf:
        pages = [p for p in pdf.pages if _lines(p) and _line_text(_lines(p)[0]) == "附件"]
        assert len(pages) == 1
        page = pages[0]
        assert _is_landscape(page), "the 附件 label stands on the landscape page of its first table"
        label, title = _lines(page)[:2]
        assert _mm(label[0]["x0"]) == pytest.approx(LANDSCAPE_LEFT_MM, abs=0.3)
        assert _em_top_mm(label[0]) == pytest.approx(
            LANDSCAPE_TOP_MM + _mm(g.LINE_PITCH_PT - g.BODY_SIZE_PT) / 2, abs=TOL
        )
        assert _line_text(title) == "2020年第四季度招商引资目标完成情况表"
        centre = (_mm(title[0]["x0"]) + _mm(title[-1]["x1"])) / 2
        assert centre == pytest.approx((LANDSCAPE_LEFT_MM + LANDSCAPE_RIGHT_MM) / 2, abs=TOL)
        line3 = LANDSCAPE_TOP_MM + _mm((g.ATTACHMENT_TITLE_LINE - 1) * g.LINE_PITCH_PT)
        slack = _mm(g.TITLE_LINE_PITCH_PT - g.TITLE_SIZE_PT) / 2
        assert _em_top_mm(title[0]) == pytest.approx(line3 + slack, abs=TOL)
        assert "表2" in page.extract_text(), "the first table starts under the title"


# --- CJK justification -------------------------------------------------------------------------


def _paragraph_lines(pdf, paragraphs: list[str]) -> list[list[list[dict]]]:
    """For each paragraph text (whitespace removed), the 三号 lines of the PDF that hold it."""
    lines = [
        line
        for page in pdf.pages
        if not _is_landscape(page)
        for line in _lines(page)
        if not _is_page_number(line) and line[0]["size"] == pytest.approx(g.BODY_SIZE_PT, abs=0.1)
    ]
    texts = ["".join(_line_text(line).split()) for line in lines]
    found, start = [], 0
    for paragraph in paragraphs:
        for first in range(start, len(lines)):
            joined, last = "", first
            while (
                last < len(lines)
                and len(joined) < len(paragraph)
                and paragraph.startswith(joined + texts[last])
            ):
                joined += texts[last]
                last += 1
            if joined == paragraph:
                found.append(lines[first:last])
                start = last
                break
        else:
            raise AssertionError(f"paragraph not found in order: {paragraph[:30]}")
    return found


def test_full_lines_of_body_paragraphs_fill_the_measure(built) -> None:
    """Lines with half-width digits fill the 28-character measure like all-CJK lines; the last
    line of a paragraph stays short; the text reads back unchanged."""
    city = next(d for d in built.documents if d.meta.kind == "city")
    paragraphs = [
        "".join(block.text.split())
        for block in iter_blocks(city)
        if isinstance(block, Paragraph) and block.align == "justify"
    ]
    with pdfplumber.open(built.out_dir / "2020Q4-01-全市招商引资工作通报.pdf") as pdf:
        found = _paragraph_lines(pdf, paragraphs)
    checked = 0
    digits = 0
    for lines in found:
        for line in lines[:-1]:
            assert _mm(line[-1]["x1"]) == pytest.approx(TEXT_RIGHT_MM, abs=0.5), _line_text(line)
            checked += 1
            digits += bool(re.search(r"\d", _line_text(line)))
        assert _mm(lines[-1][-1]["x1"]) <= TEXT_RIGHT_MM + 0.5
    assert checked >= 30 and digits >= 10


def test_justified_demo_lines_read_back_in_order(formal) -> None:
    text = "".join("".join(page.extract_text() or "" for page in formal.pages).split())
    for paragraph in plain_paragraphs(demo_document()):
        assert "".join(paragraph.split()) in text, paragraph[:20]
    _, line = _find_line(formal, "2020年，全市各级各部门")
    assert _mm(line[-1]["x1"]) == pytest.approx(TEXT_RIGHT_MM, abs=0.5)


# --- 套打 -----------------------------------------------------------------------------------------


def _is_red(color) -> bool:
    return tuple(color or ()) == (1, 0, 0)


def test_preprinted_leaves_out_the_red_and_keeps_every_position(tmp_path: Path, formal) -> None:
    document = replace(demo_document(), preprinted=True)
    with pdfplumber.open(render_pdf(document, tmp_path / "preprinted.pdf")) as pdf:
        assert len(pdf.pages) == len(formal.pages)
        for page in pdf.pages:
            assert not [
                c for c in page.chars if _is_red(c["non_stroking_color"]) or _is_red(c["stroking_color"])
            ]
            for shape in (*page.rects, *page.lines, *page.curves):
                assert not _is_red(shape["non_stroking_color"]) and not _is_red(shape["stroking_color"])
        organ = demo_document().letterhead.organ_lines[0]
        assert organ not in (pdf.pages[0].extract_text() or "")
        for text in ("邵承办发〔2021〕1号", *document.title_lines, "各县市区委", "2020年，全市各级各部门"):
            index, line = _find_line(pdf, text)
            normal_index, normal = _find_line(formal, text)
            assert index == normal_index, text
            char, normal_char = _chars_of(line, text)[0], _chars_of(normal, text)[0]
            assert _mm(char["x0"]) == pytest.approx(_mm(normal_char["x0"]), abs=0.2), text
            assert _mm(char["top"]) == pytest.approx(_mm(normal_char["top"]), abs=0.2), text


# --- font fallback -------------------------------------------------------------------------------


def test_characters_missing_from_fandol_fall_back_to_noto_and_are_reported(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    document = demo_document(Mode.MINUTES)  # 出席: 李四（堃）
    assert fallback_characters(document) == {"body": {"堃"}}
    assert fallback_characters(demo_document(Mode.FORMAL)) == {}
    with caplog.at_level(logging.WARNING, logger="zsreport"):
        path = render_pdf(document, tmp_path / "minutes.pdf")
    warnings = [r for r in caplog.records if r.name.startswith("zsreport") and r.levelno == logging.WARNING]
    assert any("堃" in r.getMessage() and "Noto" in r.getMessage() for r in warnings)
    with pdfplumber.open(path) as pdf:
        _, line = _find_line(pdf, "李四（堃）")
    faces = {c["text"]: c["fontname"] for c in _chars_of(line, "李四（堃）")}
    assert "Noto" in faces["堃"], faces
    assert "FandolFang" in faces["李"] and "FandolFang" in faces["四"]


# --- page breaks ---------------------------------------------------------------------------------


def test_a_table_never_starts_a_page_foot_with_one_row(tmp_path: Path) -> None:
    """Move a table down the page in 3 mm steps (a figure growing above it): wherever it breaks,
    the page with its caption holds the header and at least two body rows, or none of them."""
    base = demo_document(Mode.PLAIN)
    figure = next(block for block in base.body if isinstance(block, Figure))
    counts = []
    for height in range(86, 170, 6):
        body = (Heading(1, "一、", "标题"), replace(figure, height_mm=height), demo_table(1, rows=30))
        document = replace(base, body=body, attachments=(), signoff=None, colophon=None)
        with pdfplumber.open(render_pdf(document, tmp_path / f"t{height}.pdf")) as pdf:
            index, _ = _find_line(pdf, "表1")
            texts = [_line_text(line) for line in _lines(pdf.pages[index])]
        counts.append(len([t for t in texts if t.startswith("全市") or re.match(r"单位\d+", t)]))
    assert 1 not in counts, counts
    assert any(2 <= c < 31 for c in counts), counts  # some positions do split the table


# --- Chinese line breaks next to quotes ----------------------------------------------------------

# 2020Q4-17 p. 4: with 2 字 indent + 21 characters + “五个, "一”" takes slots 27–28. Pango glued
# "一”工" (UAX #14 class QU: no break on either side of a quote), the line ended at "五个" two
# 字 short and was spread to 17.2 pt a character.
QUOTED = "润盛竹木制品产业园项目存在用工问题。要落实“五个一”工作机制，明确责任人和完成时限，需市级层面协调的问题及时报告。"
# Prefix → (字 on the first line, how the second line starts): 28 full, or 27 by 推出 only.
QUOTE_CASES = {
    "": (28, "工作"),  # "一”" fills slots 27–28
    "该": (27, "一”"),  # "一" at 28 would leave "”" to start a line: both move down (推出)
    "目前该": (28, "个一”"),  # "“五" at 27–28
    "目前该项": (27, "“五"),  # "“" may not end a line (避尾): it moves down with "五"
}


@pytest.fixture(scope="module")
def quoted_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    body = tuple(Paragraph.of(prefix + QUOTED) for prefix in QUOTE_CASES)
    document = replace(demo_document(Mode.PLAIN), body=body, attachments=(), signoff=None, colophon=None)
    return render_pdf(document, tmp_path_factory.mktemp("quoted") / "quoted.pdf")


def _first_line_and_next(pdf, paragraph: str) -> tuple[list[dict], list[dict]]:
    lines = [line for line in _lines(pdf.pages[0]) if not _is_page_number(line)]
    for line, after in itertools.pairwise(lines):
        if paragraph.startswith(_line_text(line)) and len(line) > 20:
            return line, after
    raise AssertionError(f"{paragraph[:10]} not found")


@pytest.mark.parametrize("prefix", list(QUOTE_CASES))
def test_a_line_may_break_before_an_opening_and_after_a_closing_quote(quoted_pdf: Path, prefix: str) -> None:
    slots, starts = QUOTE_CASES[prefix]
    with pdfplumber.open(quoted_pdf) as pdf:
        line, after = _first_line_and_next(pdf, prefix + QUOTED)
    assert g.INDENT_CHARS + len(line) == slots, _line_text(line)
    assert _line_text(after).startswith(starts)
    assert _mm(line[-1]["x1"]) == pytest.approx(TEXT_RIGHT_MM, abs=0.3)
    assert "\u200b" not in _line_text(line) + _line_text(after)  # the break mark prints nothing
    pitches = [b["x0"] - a["x0"] for a, b in itertools.pairwise(line)]
    if slots == g.CHARS_PER_LINE:  # a full line keeps the 字 pitch: not spread
        assert (line[-1]["x0"] - line[0]["x0"]) / (len(line) - 1) == pytest.approx(g.CHAR_PITCH_PT, abs=0.02)
        # weasyprint draws glyph advances in whole 1/1000 em: up to ~0.15 pt drift within a run
        assert pitches == pytest.approx([g.CHAR_PITCH_PT] * len(pitches), abs=0.2)
    else:  # 推出: the one empty slot is spread over the line (justified to the edge)
        spread = (g.mm_to_pt(g.TEXT_WIDTH_MM) - g.INDENT_CHARS * g.CHAR_PITCH_PT) / len(line)
        assert pitches == pytest.approx([spread] * len(pitches), abs=0.3)


def test_quoted_paragraphs_pass_the_full_line_rule(quoted_pdf: Path) -> None:
    from zsreport.conformance import check_pdf

    found = [f for f in check_pdf(quoted_pdf) if f.rule == "body.full-lines"]
    assert found and all(f.ok for f in found), found
