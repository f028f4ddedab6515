"""Rules of the page number (GB/T 9704 7.5, clause 8): 四号 半角 digits between dashes, 一字 in
from the outer edge of the 版心 and 7 mm below it; none on blank pages before the 版记 page, nor
on that page."""

from __future__ import annotations

from zsreport import gbt9704 as g
from zsreport.conformance.context import Context
from zsreport.conformance.locate import portrait_box
from zsreport.conformance.reading import (
    MM,
    PAGE_NUMBER_RE,
    TEXT_BOTTOM,
    TEXT_LEFT,
    TEXT_RIGHT,
    Line,
    Page,
    is_page_number,
)
from zsreport.conformance.report import Report

PAGE_NUMBER_SIDE_MM = g.PAGE_NUMBER_SIDE_CHARS * g.PAGE_NUMBER_SIZE_PT * MM  # 一字 of 四号


def check_page_numbers(report: Report, pages: list[Page], ctx: Context) -> None:
    for page in pages:
        turned = [line for line in page.turned if is_page_number(line)]
        printed = turned or page.page_number_lines
        mistake = _numbered_by_mistake(pages, page, ctx.colophon) if printed else ""
        if mistake:
            report.add(
                "page-number",
                "7.5",
                False,
                f"{mistake}印有“{printed[-1].text.strip()}”",
                "版记页之前的空白页和该版记页不编页码",
                page.number,
            )
        elif not printed:
            ok = _unnumbered_ok(pages, page, ctx.colophon)
            report.add(
                "page-number",
                "7.5",
                ok,
                "无" + ("（空白页或版记页）" if ok else ""),
                _expected_text(page),
                page.number,
            )
        else:
            _check_number(report, page, printed[-1], turned=bool(turned))


def _expected_text(page: Page) -> str:
    return f"{g.PAGE_NUMBER_DASH} {page.number} {g.PAGE_NUMBER_DASH}"


def _check_number(report: Report, page: Page, line: Line, turned: bool) -> None:
    """The number's text, size and place: odd pages 右空一字, even pages 左空一字, in the portrait
    frame on a turned page."""
    tol = report.tol.page_number_mm
    odd = page.number % 2
    text_ok = int(PAGE_NUMBER_RE.fullmatch(line.compact).group(1)) == page.number  # type: ignore[union-attr]
    if turned:  # already in the portrait frame
        left, right, top = line.x0, line.x1, line.em_top
    else:
        left, right, top, _ = portrait_box(page, line.ink())
    want_x = TEXT_RIGHT - PAGE_NUMBER_SIDE_MM if odd else TEXT_LEFT + PAGE_NUMBER_SIDE_MM
    got_x = right if odd else left
    below = top - TEXT_BOTTOM
    size_ok = all(abs(c["size"] - g.PAGE_NUMBER_SIZE_PT) <= 0.5 for c in line.ink())
    ok = (
        text_ok and size_ok and abs(got_x - want_x) <= tol and abs(below - g.PAGE_NUMBER_BELOW_TEXT_MM) <= tol
    )
    edge = "右边" if odd else "左边"
    side = "单页右空一字" if odd else "双页左空一字"
    frame = "（横排页按竖排坐标）" if page.landscape else ""
    report.add(
        "page-number.turned" if page.landscape else "page-number",
        "7.5/8" if page.landscape else "7.5",
        ok,
        f"“{line.text.strip()}” {line.size:.1f} pt，{edge} {got_x:.1f} mm，上边距版心 {below:.1f} mm{frame}",
        f"“{_expected_text(page)}” {g.PAGE_NUMBER_SIZE_PT:g} pt，{side}，{edge} {want_x:.1f} ±{tol:g} mm，"
        f"上边距版心 {g.PAGE_NUMBER_BELOW_TEXT_MM:g} ±{tol:g} mm",
        page.number,
    )


def _unnumbered_ok(pages: list[Page], page: Page, colophon: bool) -> bool:
    """7.5: blank pages before the 版记 page, and that page, may go without a number."""
    if not colophon:
        return False
    if page.number == len(pages):
        return True
    return all(not p.text_lines for p in pages[page.number - 1 : -1])


def _is_blank(page: Page) -> bool:
    """Nothing on the page but (perhaps) its number: no text, rule or table."""
    return (
        not page.text_lines
        and all(is_page_number(line) for line in page.turned)
        and not page.bands
        and not page.table_rules
    )


def _numbered_by_mistake(pages: list[Page], page: Page, colophon: bool) -> str:
    """7.5: a blank page before the 版记 page, and that 版记 page, carry no number."""
    if not colophon or len(pages) < 2:
        return ""
    if page.number < len(pages) and _is_blank(page) and all(_is_blank(p) for p in pages[page.number : -1]):
        return "版记页之前的空白页"
    if page.number == len(pages) and _is_blank(pages[-2]):
        return "空白页之后的版记页"
    return ""
