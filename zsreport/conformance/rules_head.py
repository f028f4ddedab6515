"""Rules of the 版头 (GB/T 9704 7.2, 10.3): the red 发文机关标志 or 纪要标志, the 发文字号, the
red rule under them; on 套打 paper, nothing red in the file and the number printed in place."""

from __future__ import annotations

import itertools

from zsreport import gbt9704 as g
from zsreport.conformance.context import DOC_NUMBER_RE, MINUTES_NUMBER_RE, Context, compact
from zsreport.conformance.locate import blank_lines_ok, find_line
from zsreport.conformance.reading import (
    MM,
    TEXT_CENTRE,
    TEXT_LEFT,
    TEXT_RIGHT,
    TEXT_TOP,
    Band,
    Line,
    Page,
    em_top,
    fmt_rgb,
    red_ink,
    rgb_of,
    rule_bands,
)
from zsreport.conformance.report import Report
from zsreport.model import Mode


def _number_shape(minutes: bool) -> str:
    """The 发文字号 shape in words a clerk reads (the regex the rule matches is no message)."""
    shape = "机关代字〔年份〕序号号（六角括号，不加“第”，序号不编虚位）"
    return shape + "，或（第序号号）" if minutes else shape


def check_head(report: Report, page: Page, ctx: Context) -> Band | None:
    """The 版头 of page 1; returns the red rule (printed, or where the paper has it) the title is
    measured from, None for a plain document or when no rule is found."""
    if ctx.mode is Mode.PLAIN:
        return None
    if ctx.preprinted:
        return check_preprinted_head(report, page, ctx)
    marks = check_mark(report, page, ctx)
    number = check_doc_number(report, page, ctx, marks)
    return check_red_rule(report, page, _line_above_red_rule(page, ctx, number))


def _line_above_red_rule(page: Page, ctx: Context, number: Line | None) -> Line | None:
    """The line the red rule's gap is measured from: the 发文字号, or in a 纪要 the organ–date line
    under its 期数 (found by its text, else as the body-size line between the 期数 and the rule)."""
    if ctx.mode is not Mode.MINUTES:
        return number
    if ctx.minutes_line:
        return find_line(page.text_lines, ctx.minutes_line) or number
    if number is None:
        return None
    later = [
        line for line in page.text_lines if line.em_top > number.em_bottom and line.size <= g.BODY_SIZE_PT + 1
    ]
    rules = rule_bands(page, red=True)
    if later and rules and later[0].em_bottom < rules[0].top:
        return later[0]
    return number


def _mark_lines(page: Page, ctx: Context) -> list[Line]:
    """The 发文机关标志 / 纪要标志: located by its text, else as the big type above the first rule."""
    rules = [b for b in page.bands if b.width >= 100]
    limit = min((b.top for b in rules), default=TEXT_TOP + g.ISSUER_TOP_FROM_TEXT_TOP_MM + 60)
    above = [line for line in page.text_lines if line.em_bottom < limit]
    texts = [compact(t) for t in (*ctx.organ_lines, ctx.suffix) if compact(t)]
    if texts:
        return [line for line in above if any(t in line.compact for t in texts)]
    return [line for line in above if line.size > g.BODY_SIZE_PT + 2]


def check_mark(report: Report, page: Page, ctx: Context) -> list[Line]:
    clause = "10.3" if ctx.mode is Mode.MINUTES else "7.2.4"
    name = "minutes-mark" if ctx.mode is Mode.MINUTES else "issuer"
    marks = _mark_lines(page, ctx)
    if not marks:
        report.add(f"{name}.found", clause, False, "第 1 页未找到标志", "第 1 页有红色标志", 1)
        return []
    ink = [c for line in marks for c in line.ink()]
    not_red = [c for c in ink if not red_ink(c)]
    colours = {fmt_rgb(rgb_of(c["non_stroking_color"])) for c in ink}
    report.add(
        f"{name}.red",
        clause,
        not not_red,
        f"颜色 {'/'.join(sorted(colours))}，{len(ink)} 字中 {len(not_red)} 字不是红色",
        "红色 (1,0,0)",
        1,
    )
    top = min(em_top(c) for c in ink)
    want = TEXT_TOP + g.ISSUER_TOP_FROM_TEXT_TOP_MM
    report.add(
        f"{name}.top",
        clause,
        abs(top - want) <= report.tol.mm,
        f"上边 {top:.1f} mm",
        f"{want:.0f} mm ±{report.tol.mm:g}（版心上边 + {g.ISSUER_TOP_FROM_TEXT_TOP_MM:g} mm）",
        1,
    )
    left = min(c["x0"] for c in ink) * MM
    right = max(c["x1"] for c in ink) * MM
    centre = (left + right) / 2
    report.add(
        f"{name}.centred",
        clause,
        abs(centre - TEXT_CENTRE) <= report.tol.mm,
        f"中心 {centre:.1f} mm（左右 {left:.1f}–{right:.1f} mm）",
        f"{TEXT_CENTRE:.0f} mm ±{report.tol.mm:g}",
        1,
    )
    return marks


def _doc_number_line(page: Page, ctx: Context, marks: list[Line]) -> Line | None:
    if ctx.doc_number:
        return find_line(page.text_lines, ctx.doc_number)
    below = max((m.em_bottom for m in marks), default=TEXT_TOP)
    return next((line for line in page.text_lines if line.em_top > below and "〔" in line.text), None)


def check_doc_number(report: Report, page: Page, ctx: Context, marks: list[Line]) -> Line | None:
    minutes = ctx.mode is Mode.MINUTES
    line = _doc_number_line(page, ctx, marks)
    if line is None:
        if not minutes:
            report.add("doc-number.found", "7.2.5", False, "无发文字号行", "标志下方有发文字号", 1)
        return None
    pattern = MINUTES_NUMBER_RE if minutes else DOC_NUMBER_RE
    report.add(
        "doc-number.format",
        "7.2.5",
        bool(pattern.fullmatch(line.compact)),
        line.compact,
        "格式：" + _number_shape(minutes),
        1,
    )
    report.add(
        "doc-number.centred",
        "7.2.5",
        abs(line.centre - TEXT_CENTRE) <= report.tol.mm,
        f"中心 {line.centre:.1f} mm",
        f"{TEXT_CENTRE:.0f} mm ±{report.tol.mm:g}",
        1,
    )
    if marks:
        gap = line.em_top - max(m.em_bottom for m in marks)
        ok, want = blank_lines_ok(gap, g.DOC_NUMBER_BLANK_LINES, report.tol)
        report.add("doc-number.below-mark", "7.2.5", ok, f"距标志 {gap:.1f} mm", want, 1)
    return line


def check_red_rule(report: Report, page: Page, above: Line | None) -> Band | None:
    rules = rule_bands(page, red=True)
    if not rules:
        report.add(
            "red-rule.found", "7.2.7", False, "第 1 页无 ≥100 mm 的红色分隔线", "156 mm 宽的红色分隔线", 1
        )
        return None
    rule = rules[0]
    tol = report.tol.mm
    ok = abs(rule.width - g.RED_RULE_WIDTH_MM) <= tol and abs(rule.x0 - TEXT_LEFT) <= tol and len(rules) == 1
    report.add(
        "red-rule.width",
        "7.2.7",
        ok,
        f"{len(rules)} 条红色分隔线；左右 {rule.x0:.1f}–{rule.x1:.1f} mm"
        f"（宽 {rule.width:.1f} mm，粗 {rule.thickness:.2f} mm）",
        f"一条，左右 {TEXT_LEFT:.0f}–{TEXT_RIGHT:.0f} mm（{g.RED_RULE_WIDTH_MM:g} mm）±{tol:g}",
        1,
    )
    if above is not None:
        gap = rule.top - above.em_bottom
        report.add(
            "red-rule.gap",
            "7.2.7",
            abs(gap - g.RED_RULE_GAP_MM) <= tol,
            f"距“{above.compact[:12]}” {gap:.1f} mm",
            f"{g.RED_RULE_GAP_MM:g} mm ±{tol:g}",
            1,
        )
    return rule


def check_preprinted_head(report: Report, page: Page, ctx: Context) -> Band | None:
    """套打: nothing red in the file (the paper carries the 标志 and the rule), the 发文字号 or
    期数 printed in place; returns where the paper's red rule lies, 4 mm under the printed line,
    for the title to be measured from."""
    red = [c for line in page.text_lines for c in line.ink() if red_ink(c)]
    red_rules = rule_bands(page, red=True)
    report.add(
        "preprinted.blank",
        "7.2",
        not red and not red_rules,
        f"第 1 页有 {len(red)} 个红色字、{len(red_rules)} 条红色分隔线",
        "无：标志和红色分隔线由套打纸印好",
        1,
    )
    number = check_doc_number(report, page, ctx, [])
    above = number
    if ctx.mode is Mode.MINUTES and ctx.minutes_line:
        above = find_line(page.text_lines, ctx.minutes_line) or number
    elif ctx.mode is Mode.MINUTES and number is not None:  # no tree: the 纪要's organ–date line
        head = itertools.takewhile(lambda line: line.size < g.BODY_SIZE_PT + 2, page.text_lines)
        above = [line for line in head if line.em_top >= number.em_top][-1]
    if above is None:
        return None
    top = above.em_bottom + g.RED_RULE_GAP_MM
    thickness = g.RED_RULE_THICKNESS_MM
    return Band(TEXT_LEFT, TEXT_RIGHT, top, top + thickness, (1.0, 0.0, 0.0))
