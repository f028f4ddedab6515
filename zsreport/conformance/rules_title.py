"""Rules of the title and the 主送机关 (GB/T 9704 7.3.1–7.3.2): 二号小标宋, centred, broken into a
梯形 or 菱形 at whole words, two 行 under the red rule; the 主送 flush left one 行 below it."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from zsreport import gbt9704 as g
from zsreport.conformance.context import Context
from zsreport.conformance.locate import blank_lines_ok, lines_starting, run_of_lines
from zsreport.conformance.reading import TEXT_CENTRE, TEXT_LEFT, TEXT_TOP, Band, Line, Page
from zsreport.conformance.report import Report
from zsreport.model import Mode


def _title_lines(page: Page, ctx: Context, rule: Band | None) -> list[Line]:
    if ctx.title_lines:
        return run_of_lines(page.text_lines, "".join(ctx.title_lines))
    start = rule.bottom if rule else TEXT_TOP - 1
    lines = [line for line in page.text_lines if line.em_top > start]
    if rule is None:  # plain, or 套打 (版头 left blank, 发文字号 printed): the first large line
        lines = list(itertools.dropwhile(lambda line: line.size < g.BODY_SIZE_PT + 2, lines))
    out: list[Line] = []
    for line in lines:
        if line.size < g.BODY_SIZE_PT + 2:
            break
        out.append(line)
    return out


def title_shape(widths: Sequence[float], slack: float = 2.0, counts: Sequence[int] = ()) -> str:
    """梯形/菱形 classification of title line widths (mm): "" when it zigzags or a line of a
    multi-line title holds a single character (回行 must keep words whole, 长短适宜)."""
    if len(widths) <= 1:
        return "单行"
    if any(n <= 1 for n in counts):
        return ""
    steps = [0 if abs(b - a) <= slack else (1 if b > a else -1) for a, b in itertools.pairwise(widths)]
    signs = [s for s in steps if s]
    if not signs or all(s < 0 for s in signs):
        return "梯形(上长下短)"
    if all(s > 0 for s in signs):
        return "梯形(上短下长)"
    turns = sum(1 for a, b in itertools.pairwise(signs) if a != b)
    return "菱形" if turns == 1 and signs[0] > 0 else ""


def check_title(report: Report, page: Page, ctx: Context, rule: Band | None) -> list[Line]:
    lines = _title_lines(page, ctx, rule)
    if not lines:
        report.add("title.found", "7.3.1", False, "第 1 页未找到标题", "第 1 页有标题", 1)
        return []
    if ctx.title_lines:
        breaks = " / ".join(line.compact for line in lines)
        report.add(
            "title.wrap",
            "7.3.1",
            len(lines) == len(ctx.title_lines),
            f"{len(lines)} 行：{breaks}",
            f"{len(ctx.title_lines)} 行，在词间回行：{' / '.join(ctx.title_lines)}",
            1,
        )
    ink = [c for line in lines for c in line.ink()]
    sizes = sorted({round(c["size"], 2) for c in ink})
    report.add(
        "title.size",
        "7.3.1",
        all(abs(c["size"] - g.TITLE_SIZE_PT) <= report.tol.title_pt for c in ink),
        f"{'/'.join(f'{s:g}' for s in sizes)} pt",
        f"{g.TITLE_SIZE_PT:g} pt ±{report.tol.title_pt:g}",
        1,
    )
    worst = max(lines, key=lambda line: abs(line.centre - TEXT_CENTRE))
    report.add(
        "title.centred",
        "7.3.1",
        abs(worst.centre - TEXT_CENTRE) <= report.tol.mm,
        f"各行中心 {'、'.join(f'{line.centre:.1f}' for line in lines)} mm",
        f"{TEXT_CENTRE:.0f} mm ±{report.tol.mm:g}",
        1,
    )
    check_shape(report, "title.shape", _without_parenthetical(lines), 1)
    if rule is not None:
        gap = lines[0].em_top - rule.bottom
        ok, want = blank_lines_ok(gap, g.TITLE_BLANK_LINES, report.tol)
        report.add("title.below-rule", "7.3.1", ok, f"距红色分隔线 {gap:.1f} mm", want, 1)
    else:
        gap = lines[0].em_top - TEXT_TOP
        ok, want = blank_lines_ok(gap, 0, report.tol)
        report.add("title.top", "7.3.1", ok, f"距版心上边 {gap:.1f} mm", want, 1)
    return lines


def _without_parenthetical(lines: list[Line]) -> list[Line]:
    """The title's own lines: a last line wholly in parentheses under it (（征求意见稿）,
    （示例数据，不得印发）) is a note on the document, not part of the title's 梯形/菱形."""
    last = lines[-1].compact if lines else ""
    if len(lines) > 1 and last.startswith("（") and last.endswith("）"):
        return lines[:-1]
    return lines


def check_shape(report: Report, rule: str, lines: list[Line], page: int) -> None:
    counts = [len(line.ink()) for line in lines]
    shape = title_shape([line.x1 - line.x0 for line in lines], counts=counts)
    widths = ", ".join(f"{line.x1 - line.x0:.0f}" for line in lines)
    report.add(
        rule,
        "7.3.1",
        bool(shape),
        f"{shape or '既非梯形也非菱形'}：各行宽 {widths} mm，字数 {counts}",
        "梯形或菱形，不得有单字行",
        page,
    )


def check_addressee(report: Report, page: Page, ctx: Context, title: list[Line]) -> None:
    if (ctx.known and not ctx.addressee) or (not ctx.known and ctx.mode is Mode.MINUTES):
        check_body_below_title(report, page, title)
        return
    after = [line for line in page.text_lines if title and line.em_top > title[-1].em_bottom]
    first = lines_starting(after, ctx.addressee) if ctx.addressee else (after[0] if after else None)
    if first is None or not title:
        report.add(
            "addressee.found",
            "7.3.2",
            False,
            "标题后无主送行",
            "主送机关在标题下空一行",
            1,
        )
        return
    group = [first]
    for line in after[after.index(first) + 1 :]:
        if group[-1].compact.endswith("：") or len(group) >= 4 or abs(line.x0 - TEXT_LEFT) > report.tol.mm:
            break
        group.append(line)
    tol = report.tol.mm
    flush = all(abs(line.x0 - TEXT_LEFT) <= tol for line in group)
    report.add(
        "addressee.flush-left",
        "7.3.2",
        flush,
        f"左边 {'、'.join(f'{line.x0:.1f}' for line in group)} mm",
        f"{TEXT_LEFT:.0f} mm ±{tol:g}（顶格）",
        1,
    )
    text = "".join(line.compact for line in group)
    report.add(
        "addressee.colon", "7.3.2", text.endswith("："), f"末尾为“{text[-4:]}”", "以全角冒号“：”结尾", 1
    )
    gap = first.em_top - title[-1].em_bottom
    ok, want = blank_lines_ok(gap, g.ADDRESSEE_BLANK_LINES, report.tol)
    report.add("addressee.below-title", "7.3.2", ok, f"距标题 {gap:.1f} mm", want, 1)


def check_body_below_title(report: Report, page: Page, title: list[Line]) -> None:
    """No 主送 (a 纪要): the 正文 starts one blank line under the title, not tight against it
    (issue 14, item 8: a gap narrower than the body's own leading reads as one block)."""
    after = [line for line in page.text_lines if title and line.em_top > title[-1].em_bottom]
    if not after:
        return
    gap = after[0].em_top - title[-1].em_bottom
    ok, want = blank_lines_ok(gap, g.TITLE_BODY_BLANK_LINES, report.tol)
    report.add("body.below-title", "7.3.1", ok, f"距标题 {gap:.1f} mm", want, 1)
