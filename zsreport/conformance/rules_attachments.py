"""Rules of the 附件 (GB/T 9704 7.3.7): each starts a new page with "附件" in 黑体 on the 版心's
first line, flush left, and its title in 二号小标宋 centred on the third line."""

from __future__ import annotations

import re

from zsreport import gbt9704 as g
from zsreport.conformance.context import Context
from zsreport.conformance.faces import faces_of
from zsreport.conformance.locate import blank_lines_ok, run_of_lines
from zsreport.conformance.reading import LINE_MM, Line, Page
from zsreport.conformance.report import Report
from zsreport.conformance.rules_title import check_shape

ATTACHMENT_LABEL_RE = re.compile(r"附件\d*")


def _attachment_pages(pages: list[Page], ctx: Context) -> list[tuple[Page, Line]]:
    out = []
    for page in pages:
        lines = page.text_lines
        if not lines:
            continue
        for line in lines:
            text = line.compact
            if (ctx.attachment_labels and text in ctx.attachment_labels) or (
                not ctx.known and ATTACHMENT_LABEL_RE.fullmatch(text)
            ):
                out.append((page, line))
    return out


def check_attachments(report: Report, pages: list[Page], ctx: Context) -> None:
    found = _attachment_pages(pages, ctx)
    if ctx.known and len(found) != len(ctx.attachment_labels):
        report.add(
            "attachment.found",
            "7.3.7",
            False,
            f"找到 {len(found)} 行附件标识",
            f"{len(ctx.attachment_labels)} 个附件标识",
            None,
        )
    tol = report.tol.mm
    for page, label in found:
        left, _, text_top, _ = page.frame
        first = page.text_lines[0] is label
        flush = abs(label.x0 - left) <= tol
        on_line_1 = label.em_top >= text_top - tol and label.em_bottom <= text_top + LINE_MM + tol
        wrong = report.wrong_face(label.ink(), "hei")
        _check_attachment_title(report, page, label, ctx)
        report.add(
            "attachment.label",
            "7.3.7",
            first and flush and on_line_1 and not wrong,
            f"{label.compact}：{'在页首行' if first else '不在本页首行'}，"
            f"左边 {label.x0:.1f} mm，上边 {label.em_top:.1f} mm，字体 {faces_of(label.ink())}",
            f"另起一页，黑体，左边 {left:.0f} ±{tol:g} mm，"
            f"在版心第一行（{text_top:.0f}–{text_top + LINE_MM:.1f} mm）",
            page.number,
        )


def _check_attachment_title(report: Report, page: Page, label: Line, ctx: Context) -> None:
    """7.3.7: the attachment title, 二号小标宋, centred on the third line (one blank line after the label)."""
    after = page.text_lines[page.text_lines.index(label) + 1 :]
    title = ctx.attachment_titles.get(label.compact, "")
    lines = (
        run_of_lines(after, title)
        if title
        else [line for line in after[:3] if line.size > g.BODY_SIZE_PT + 2]
    )
    if not lines:
        if title:
            report.add(
                "attachment.title",
                "7.3.7",
                False,
                f"{label.compact}之后未找到“{title[:14]}”",
                "附件标题在第 3 行",
                page.number,
            )
        return
    ink = [c for line in lines for c in line.ink()]
    gap = lines[0].em_top - label.em_bottom
    gap_ok, want = blank_lines_ok(gap, g.ATTACHMENT_TITLE_LINE - 2, report.tol)
    left, right, _, _ = page.frame
    centre = (left + right) / 2
    centred = all(abs(line.centre - centre) <= report.tol.mm for line in lines)
    size_ok = all(abs(c["size"] - g.TITLE_SIZE_PT) <= report.tol.title_pt for c in ink)
    report.add(
        "attachment.title",
        "7.3.7",
        gap_ok and centred and size_ok,
        f"{lines[0].size:.1f} pt，各行中心 {'、'.join(f'{line.centre:.1f}' for line in lines)} mm，"
        f"距附件标识 {gap:.1f} mm",
        f"{g.TITLE_SIZE_PT:g} pt，居中 {centre:.1f} ±{report.tol.mm:g} mm，{want}",
        page.number,
    )
    check_shape(report, "attachment.title-shape", lines, page.number)
