"""Rules that hold a DOCX (as LibreOffice lays it out) against the PDF built from the same tree:
the two formats are one document, so the 版头 (issue 14, item 1) and the 成文日期 (issue 24) must
print in the same place, and each page starts with the same line (``page_starts``, issue 24)."""

from __future__ import annotations

from dataclasses import dataclass

from zsreport import gbt9704 as g
from zsreport.conformance.reading import CHAR_MM, TEXT_CENTRE, Line, Page, rule_bands
from zsreport.conformance.report import Report
from zsreport.conformance.rules_dates import ANY_DATE_RE

HEAD_MATCH_MM = 0.5  # a 文号 on 套打 paper must not creep toward the paper's red rule
HEAD_PREFIX_CHARS = 6  # lines are paired by their opening characters (a wrap may differ after)


def _head_lines(page: Page) -> list[Line]:
    """Page 1 from the top through the first body-size line under the title: the 版头, the
    标题 and the 主送 (or the 纪要's first line)."""
    out: list[Line] = []
    seen_title = False
    for line in page.text_lines:
        out.append(line)
        if abs(line.size - g.TITLE_SIZE_PT) <= 0.5:
            seen_title = True
        elif seen_title and line.size <= g.BODY_SIZE_PT + 0.5:
            break
    return out


def _partner(line: Line, lines: list[Line]) -> Line | None:
    key = line.compact[:HEAD_PREFIX_CHARS]
    return next((other for other in lines if other.compact[:HEAD_PREFIX_CHARS] == key), None)


def check_head_matches(report: Report, docx_page: Page, pdf_page: Page) -> None:
    """Every 版头 line and the red rule of page 1 within ``HEAD_MATCH_MM`` of the PDF's, top edge
    to top edge."""
    docx_lines = _head_lines(docx_page)
    worst = 0.0
    where = ""
    missing = []
    for line in _head_lines(pdf_page):
        other = _partner(line, docx_lines)
        if other is None:
            missing.append(line.compact[:HEAD_PREFIX_CHARS])
            continue
        shift = other.em_top - line.em_top
        if abs(shift) > abs(worst):
            worst, where = shift, f"{line.compact[:10]} 在 {other.em_top:.1f} mm，PDF 中 {line.em_top:.1f} mm"
    pdf_rules, docx_rules = rule_bands(pdf_page, red=True), rule_bands(docx_page, red=True)
    if pdf_rules and docx_rules:
        shift = docx_rules[0].top - pdf_rules[0].top
        if abs(shift) > abs(worst):
            worst, where = shift, f"红色分隔线在 {docx_rules[0].top:.1f} mm，PDF 中 {pdf_rules[0].top:.1f} mm"
    elif pdf_rules:
        missing.append("红色分隔线")
    measured = f"最大偏移 {worst:+.1f} mm（{where}）" if where else "没有可对应的行"
    if missing:
        measured += f"；DOCX 中缺少：{'、'.join(missing)}"
    report.add(
        "docx.head-matches-pdf",
        "7.2",
        abs(worst) <= HEAD_MATCH_MM and not missing and bool(where),
        measured,
        f"版头、标题和主送与 PDF 位置一致，±{HEAD_MATCH_MM:g} mm",
        1,
    )


def _signoff_date(pages: list[Page]) -> Line | None:
    """The 成文日期 of the 落款: the last date on a line of its own right of centre (7.3.5.2)."""
    dates = [
        line
        for page in pages
        for line in page.text_lines
        if ANY_DATE_RE.fullmatch(line.compact) and line.x0 > TEXT_CENTRE - 30
    ]
    return dates[-1] if dates else None


def check_signoff_matches(report: Report, docx_pages: list[Page], pdf_pages: list[Page]) -> None:
    """The 成文日期 starts where the PDF's does (its first character is the anchor of 7.3.5.2:
    2 字 right of the 署名's). Its end is not held: the DOCX's digits are Times New Roman (the
    正文's rule), the PDF's the 仿宋 face's, and LibreOffice spaces digits off 汉字 in a DOCX that
    does not keep it from it."""
    pdf_date, docx_date = _signoff_date(pdf_pages), _signoff_date(docx_pages)
    if pdf_date is None:
        return
    shift = docx_date.x0 - pdf_date.x0 if docx_date is not None else None
    report.add(
        "docx.signoff-matches-pdf",
        "7.3.5.2",
        shift is not None and abs(shift) <= HEAD_MATCH_MM,
        f"成文日期首字在 {docx_date.x0:.1f} mm，PDF 中 {pdf_date.x0:.1f} mm（{shift / CHAR_MM:+.2f} 字）"
        if docx_date is not None and shift is not None
        else f"DOCX 中未找到成文日期（PDF：{pdf_date.text}）",
        f"与 PDF 位置一致，±{HEAD_MATCH_MM:g} mm",
        docx_date.page if docx_date is not None else None,
    )


# --- where each page starts (issue 24, agreement) ---------------------------------------------------


@dataclass(frozen=True)
class PageStart:
    """The first line of one page in the PDF and in the DOCX (as LibreOffice lays it out)."""

    page: int  # 1-based
    pdf: str
    docx: str

    @property
    def agrees(self) -> bool:
        """Strictly: the same characters, so the same line breaks up to there."""
        return self.pdf == self.docx


def first_line(page: Page | None) -> str:
    """The page's first line of text (not its page number), spaces left out; "" for a blank page
    or a page the other format does not have."""
    if page is None:
        return ""
    lines = page.text_lines
    return lines[0].compact if lines else ""


def page_starts(docx_pages: list[Page], pdf_pages: list[Page]) -> list[PageStart]:
    """Every page of the longer of the two, its first line in each format (a page one format
    lacks counts as a disagreement)."""
    count = max(len(docx_pages), len(pdf_pages))
    return [
        PageStart(
            n + 1,
            first_line(pdf_pages[n] if n < len(pdf_pages) else None),
            first_line(docx_pages[n] if n < len(docx_pages) else None),
        )
        for n in range(count)
    ]
