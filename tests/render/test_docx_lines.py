"""Issue 24 (agreement): the DOCX holds LibreOffice to the PDF's line breaks without breaking the
text: a line LibreOffice's CJK–Latin spacing would overrun is set tighter for LibreOffice only."""

from __future__ import annotations

import dataclasses
import io

import docx
from docx.oxml.ns import qn

from tests.demo_document import demo_document
from zsreport.linebreak import BREAK, SetLine, line_key
from zsreport.model import Paragraph, Run
from zsreport.render.docx import build_docx
from zsreport.render.docx.lines import condense_twips, fitted_runs, split_lines
from zsreport.render.docx.units import BODY_CONDENSE
from zsreport.render.docx.xml import MC
from zsreport.render.pdf import pdf_lines

FULL_CJK = "全市纳入联席调度的重点项目共计二十六个总投资一百七十五亿元"  # 28 字, no digits
DIGITS = "中已投产1个、已开工20个、已签约待开工5个。本季度12个重点"  # 8 changes of script


def test_a_line_of_zi_is_left_alone_and_one_of_figures_is_tightened() -> None:
    assert condense_twips(FULL_CJK, SetLine(28, 0.1, 16.0), BODY_CONDENSE) == 0
    tight = condense_twips(DIGITS, SetLine(len(line_key(DIGITS)), 0.1, 16.0), BODY_CONDENSE)
    roomy = condense_twips(DIGITS, SetLine(len(line_key(DIGITS)), 40.0, 16.0), BODY_CONDENSE)
    assert tight > 0 and roomy == 0


def test_runs_are_cut_at_the_pdfs_line_ends() -> None:
    runs = ["甲乙丙", f"丁戊{BREAK}己庚"]  # a break mark after the line's last character stays on it
    pieces = list(split_lines(runs, (SetLine(5, 0, 16), SetLine(2, 0, 16))))
    assert pieces == [(0, "甲乙丙", 0), (1, f"丁戊{BREAK}", 0), (1, "己庚", 1)]
    assert fitted_runs(runs, {line_key("".join(runs)): (SetLine(3, 0, 16),)}, BODY_CONDENSE) is None


def _alternates(data: bytes) -> list:
    body = docx.Document(io.BytesIO(data)).element.body
    return body.findall(f".//{qn('w:rPr')}/{{{MC}}}AlternateContent")


def test_the_docx_takes_the_pdfs_lines_and_reads_as_written() -> None:
    """With the PDF's lines a paragraph full of figures gets LibreOffice-only spacing (Word's
    Choice keeps the style's), without any forced break; its text reads as written."""
    text = "截至12月底，全市引进省外境内资金543.18亿元，完成年度目标的103.9%，超额完成年度目标3.9个百分点，同比增长10.8%；其中工业引资323.70亿元。"
    demo = demo_document()
    document = dataclasses.replace(demo, body=(Paragraph((Run(text),)), *demo.body))
    lines = pdf_lines(document)
    assert line_key(text) in lines
    held = build_docx(document, lines=lines)
    free = build_docx(document)
    assert _alternates(held) and not _alternates(free)
    for alt in _alternates(held):
        word = int(alt.find(f"{{{MC}}}Choice/{qn('w:spacing')}").get(qn("w:val")))
        libreoffice = int(alt.find(f"{{{MC}}}Fallback/{qn('w:spacing')}").get(qn("w:val")))
        assert word == BODY_CONDENSE and libreoffice < word
    paragraphs = docx.Document(io.BytesIO(held)).paragraphs
    assert any(p.text.replace(BREAK, "") == text for p in paragraphs)
    assert not docx.Document(io.BytesIO(held)).element.body.findall(
        f".//{qn('w:br')}[@{qn('w:type')}='page']"
    )
