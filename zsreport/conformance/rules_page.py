"""Rules of the page (GB/T 9704 5.2.1–5.2.2, clause 8): paper size, 版心, and what a 横排表格
page may carry."""

from __future__ import annotations

import itertools
from dataclasses import replace

from zsreport import gbt9704 as g
from zsreport.conformance.context import Context
from zsreport.conformance.locate import is_body_size, portrait_box
from zsreport.conformance.reading import (
    LEADING_MM,
    LINE_MM,
    TEXT_BOTTOM,
    TEXT_LEFT,
    TEXT_RIGHT,
    TEXT_TOP,
    Page,
    is_page_number,
    red_ink,
    rule_bands,
)
from zsreport.conformance.report import Report
from zsreport.conformance.rules_attachments import ATTACHMENT_LABEL_RE


def check_page_size(report: Report, page: Page) -> None:
    portrait = abs(page.width - g.PAGE_WIDTH_MM) <= 1 and abs(page.height - g.PAGE_HEIGHT_MM) <= 1
    landscape = abs(page.width - g.PAGE_HEIGHT_MM) <= 1 and abs(page.height - g.PAGE_WIDTH_MM) <= 1
    ok = portrait or (landscape and page.table_rules >= 3)
    measured = f"{page.width:.1f}×{page.height:.1f} mm" + (
        f"，{page.table_rules} 条表格线" if landscape else ""
    )
    report.add("page.a4", "5.2.1/8", ok, measured, "210×297 mm（横排表格页才为 297×210）", page.number)


def check_text_block(report: Report, page: Page) -> None:
    chars = [c for line in page.text_lines for c in line.ink()]
    turned = [c for line in page.turned if not is_page_number(line) for c in line.ink()]
    if not chars and not turned:
        report.add("text-block", "5.2.2", True, "空白页", "文字在 28–184 × 37–262 mm 内", page.number)
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
    frame = "（横排页按竖排坐标）" if page.landscape else ""
    report.add(
        "text-block.turned" if page.landscape else "text-block",
        "5.2.2/8" if page.landscape else "5.2.2",
        ok,
        f"左右 {left:.1f}–{right:.1f} mm，上下 {top:.1f}–{bottom:.1f} mm{frame}",
        f"左右 {TEXT_LEFT:.0f}–{TEXT_RIGHT:.0f} mm，上下 {TEXT_TOP:.0f}–{TEXT_BOTTOM:.0f} mm ±{tol:g}",
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
        f"横排页上有 {len(text)} 行正文" + (f"：{sample}…" if text else ""),
        "只有表格（表题、单位、注）",
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
        f"图片左右 {left:.1f}–{right:.1f} mm",
        f"在左右 {TEXT_LEFT:.0f}–{TEXT_RIGHT:.0f} mm ±{FIGURE_OVERHANG_MM:g} 内",
        page.number,
    )


# Issue 14, item 7: a page of running text is filled to the 版心's foot but for this many empty
# lines; a crowded 署名 is resolved by adjusting spacing (7.3.5.5), a table breaks across pages
# with its header repeated (clause 8), so neither leaves a page short.
FILLED_MAX_EMPTY_LINES = 2


def empty_lines_at_foot(page: Page) -> int | None:
    """Whole body lines that would still fit under the page's last ink (None: a blank page)."""
    bottoms = [line.em_bottom for line in page.text_lines] + [b.bottom for b in page.bands]
    bottoms += [bottom for _, _, _, bottom in page.images]
    if not bottoms:
        return None
    room = TEXT_BOTTOM - max(bottoms) - LEADING_MM / 2  # a full line's em box ends half a leading up
    return max(0, int(room / LINE_MM + 0.02))


def _ends_the_text(following: Page, ctx: Context, *, last: bool) -> str:
    """Why a page may end short: the next page is turned (横排表格), opens a 附件, or holds only
    the 版记 (or nothing); "" when it continues the running text."""
    if following.landscape:
        return "下一页为横排页"
    lines = following.text_lines
    if not lines:
        return "下一页为空白页"
    first = lines[0].compact
    if first in ctx.attachment_labels or ATTACHMENT_LABEL_RE.fullmatch(first):
        return "下一页为附件"
    # the 版记 at the foot of the last page, under its first full-width rule, and nothing above it
    rules = [b.top for b in rule_bands(following, red=False)]
    if (
        last
        and rules
        and min(rules) > following.height / 2
        and all(line.em_top >= min(rules) for line in lines)
    ):
        return "下一页为版记页"
    return ""


def check_page_filled(report: Report, pages: list[Page], ctx: Context) -> None:
    for page, following in itertools.pairwise(pages):
        last = following is pages[-1]
        empty = None if page.landscape else empty_lines_at_foot(page)
        if empty is None:
            continue
        excused = _ends_the_text(following, ctx, last=last)
        report.add(
            "page.filled",
            "7.3.5.5/8",
            empty <= FILLED_MAX_EMPTY_LINES or bool(excused),
            f"页末空 {empty} 行" + (f"（{excused}）" if excused else ""),
            f"正文页页末空行 ≤{FILLED_MAX_EMPTY_LINES} 行（附件、版记页或横排页之前除外）",
            page.number,
        )
