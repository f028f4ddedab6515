"""Rules of the page (GB/T 9704 5.2.1–5.2.2, clause 8): paper size, 版心, and what a 横排表格
page may carry."""

from __future__ import annotations

from dataclasses import replace

from zsreport import gbt9704 as g
from zsreport.conformance.locate import is_body_size, portrait_box
from zsreport.conformance.reading import (
    TEXT_BOTTOM,
    TEXT_LEFT,
    TEXT_RIGHT,
    TEXT_TOP,
    Page,
    is_page_number,
    red_ink,
)
from zsreport.conformance.report import Report
from zsreport.conformance.rules_attachments import ATTACHMENT_LABEL_RE


def check_page_size(report: Report, page: Page) -> None:
    portrait = abs(page.width - g.PAGE_WIDTH_MM) <= 1 and abs(page.height - g.PAGE_HEIGHT_MM) <= 1
    landscape = abs(page.width - g.PAGE_HEIGHT_MM) <= 1 and abs(page.height - g.PAGE_WIDTH_MM) <= 1
    ok = portrait or (landscape and page.table_rules >= 3)
    measured = f"{page.width:.1f}×{page.height:.1f} mm" + (
        f", {page.table_rules} table rules" if landscape else ""
    )
    report.add(
        "page.a4", "5.2.1/8", ok, measured, "210×297 mm (297×210 only for a 横排表格 page)", page.number
    )


def check_text_block(report: Report, page: Page) -> None:
    chars = [c for line in page.text_lines for c in line.ink()]
    turned = [c for line in page.turned if not is_page_number(line) for c in line.ink()]
    if not chars and not turned:
        report.add("text-block", "5.2.2", True, "blank page", "text inside 28–184 × 37–262 mm", page.number)
        return
    boxes = [portrait_box(page, chars)] if chars else []
    if turned:
        boxes.append(portrait_box(replace(page, width=g.PAGE_WIDTH_MM, height=g.PAGE_HEIGHT_MM), turned))
    left, right = min(b[0] for b in boxes), max(b[1] for b in boxes)
    top, bottom = min(b[2] for b in boxes), max(b[3] for b in boxes)
    tol = report.tol.mm
    ok = (
        left >= TEXT_LEFT - tol
        and right <= TEXT_RIGHT + tol
        and top >= TEXT_TOP - tol
        and bottom <= TEXT_BOTTOM + tol
    )
    frame = " (portrait frame of a turned page)" if page.landscape else ""
    report.add(
        "text-block.turned" if page.landscape else "text-block",
        "5.2.2/8" if page.landscape else "5.2.2",
        ok,
        f"x {left:.1f}–{right:.1f}, y {top:.1f}–{bottom:.1f} mm{frame}",
        f"x {TEXT_LEFT:.0f}–{TEXT_RIGHT:.0f}, y {TEXT_TOP:.0f}–{TEXT_BOTTOM:.0f} mm ±{tol:g}",
        page.number,
    )


def check_landscape_content(report: Report, page: Page) -> None:
    """Clause 8: a 横排 page is for a table; running text there means the text flowed onto it."""
    text = [
        line
        for line in page.text_lines
        if not line.in_table
        and is_body_size(line)
        and not ATTACHMENT_LABEL_RE.fullmatch(line.compact)  # an attachment may open on a 横排 page
        and abs(line.centre - page.width / 2) > 5
        and not any(red_ink(c) for c in line.ink())
    ]
    sample = text[0].compact[:14] if text else ""
    report.add(
        "page.landscape-content",
        "8",
        not text,
        f"{len(text)} running-text line(s) on the turned page" + (f": {sample}…" if text else ""),
        "only the table (caption, unit note, notes)",
        page.number,
    )


FIGURE_OVERHANG_MM = 0.5  # a chart is set inside the 版心; this much is measuring noise


def check_figures_inside(report: Report, page: Page) -> None:
    """Clause 8 / 5.2.2: a picture (a chart in the DOCX) stays inside the 版心's width."""
    if not page.images or page.landscape:
        return
    left = min(x0 for x0, _, _, _ in page.images)
    right = max(x1 for _, x1, _, _ in page.images)
    report.add(
        "figure.inside",
        "5.2.2",
        left >= TEXT_LEFT - FIGURE_OVERHANG_MM and right <= TEXT_RIGHT + FIGURE_OVERHANG_MM,
        f"pictures at x {left:.1f}–{right:.1f} mm",
        f"inside x {TEXT_LEFT:.0f}–{TEXT_RIGHT:.0f} mm ±{FIGURE_OVERHANG_MM:g}",
        page.number,
    )
