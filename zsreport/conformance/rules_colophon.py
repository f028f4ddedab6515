"""Rules of the 版记 (GB/T 9704 7.4): on the last, even page, its rules 156 mm wide (thick, thin,
thick) with the last one on the 版心's foot, in 四号, 印发机关 and 印发日期 on one line apart."""

from __future__ import annotations

import re

from zsreport import gbt9704 as g
from zsreport.conformance.context import Context
from zsreport.conformance.reading import LINE_MM, MM, TEXT_BOTTOM, Line, Page, rule_bands
from zsreport.conformance.report import Report

PRINT_DATE_RE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日印发$")


def check_colophon(report: Report, pages: list[Page], ctx: Context) -> None:
    if not ctx.colophon or not pages:
        return
    last = pages[-1]
    printed = _check_placement(report, pages)
    if printed is None:
        return
    check_printed_gap(report, printed, last.number)
    block = _colophon_block(last, printed)
    _check_rules(report, last, block)
    _check_size(report, last, block)


def _check_placement(report: Report, pages: list[Page]) -> Line | None:
    """The 版记 on the last page, an even one, its 印发 line whole; returns that line."""
    last = pages[-1]
    report.add(
        "colophon.even-last-page",
        "7.4",
        len(pages) % 2 == 0,
        f"末页为第 {len(pages)} 页",
        "偶数页",
        last.number,
    )
    # '…日印发' may wrap (印 / 发 on two lines), so look for it in each page's running text.
    where = [p.number for p in pages if re.search(r"日印\s*发", "".join(line.text for line in p.text_lines))]
    report.add(
        "colophon.on-last-page",
        "7.4",
        where == [last.number],
        f"“…日印发”在第 {where} 页",
        f"仅在末页（第 {last.number} 页）",
        last.number,
    )
    printed = [line for line in last.text_lines if line.compact.endswith("印发")]
    if where and where[-1] == last.number:
        report.add(
            "colophon.printed-line",
            "7.4",
            bool(printed),
            "一行" if printed else "已折行：没有以“印发”结尾的行",
            "印发机关与“…日印发”在同一行",
            last.number,
        )
    return printed[-1] if printed else None


def check_printed_gap(report: Report, line: Line, page: int) -> None:
    """7.4: 印发机关 and 印发日期 stand apart on their line, at least one 字 of white between."""
    ink = sorted(line.ink(), key=lambda c: c["x0"])
    text = "".join(c["text"] for c in ink)
    date = PRINT_DATE_RE.search(text)
    if date is None or date.start() == 0:
        return
    before, first = ink[date.start() - 1], ink[date.start()]
    gap = (first["x0"] - before["x1"]) * MM
    want = g.pt_to_mm(g.COLOPHON_PRINTED_GAP_CHARS * g.COLOPHON_SIZE_PT)
    report.add(
        "colophon.printed-gap",
        "7.4",
        gap >= want - 0.5,
        f"{text[: date.start()][-3:]}…与{date.group()}之间 {gap:.1f} mm",
        f"≥ {want:.1f} mm（四号 {g.COLOPHON_PRINTED_GAP_CHARS} 字）",
        page,
    )


def _colophon_block(last: Page, printed: Line) -> list[Line]:
    """The 版记's lines: from its 抄送 (or 主送) line, at most six 行 above the 印发 line, down."""
    block = [line for line in last.text_lines if line.em_top >= printed.em_top - 6 * LINE_MM]
    starts = [i for i, line in enumerate(block) if line.compact.startswith(("抄送", "主送"))]
    return block[starts[0] :] if starts else block[-1:]


def _check_rules(report: Report, last: Page, block: list[Line]) -> None:
    """The 分隔线 from a 行 above the block to the 版心's foot: thick first and last, thin between."""
    start = block[0].em_top - LINE_MM
    rules = sorted(
        (b for b in rule_bands(last, red=False) if b.top >= start and b.bottom <= TEXT_BOTTOM + 3),
        key=lambda b: b.top,
    )
    tol = report.tol.mm
    if len(rules) < 2:
        report.add(
            "colophon.rules",
            "7.4",
            False,
            f"版记附近 {len(rules)} 条 ≥100 mm 的分隔线",
            "≥2 条 156 mm 宽的黑色分隔线",
            last.number,
        )
        return
    want = (
        [g.COLOPHON_THICK_RULE_MM] + [g.COLOPHON_THIN_RULE_MM] * (len(rules) - 2) + [g.COLOPHON_THICK_RULE_MM]
    )
    ok = all(
        abs(r.thickness - w) <= report.tol.rule_mm and abs(r.width - g.TEXT_WIDTH_MM) <= tol
        for r, w in zip(rules, want, strict=True)
    )
    report.add(
        "colophon.rules",
        "7.4",
        ok,
        ", ".join(f"{r.thickness:.2f}×{r.width:.1f}" for r in rules) + " mm",
        ", ".join(f"{w:g}±{report.tol.rule_mm:g}×{g.TEXT_WIDTH_MM:g}" for w in want) + " mm（粗/细/粗）",
        last.number,
    )
    foot = rules[-1].bottom
    report.add(
        "colophon.foot",
        "7.4",
        abs(foot - TEXT_BOTTOM) <= tol,
        f"末条分隔线下边 {foot:.1f} mm",
        f"{TEXT_BOTTOM:.0f} mm ±{tol:g}（版心下边）",
        last.number,
    )


def _check_size(report: Report, last: Page, block: list[Line]) -> None:
    ink = [c for line in block for c in line.ink()]
    sizes = sorted({round(c["size"], 1) for c in ink})
    report.add(
        "colophon.size",
        "7.4",
        all(abs(c["size"] - g.COLOPHON_SIZE_PT) <= 0.5 for c in ink),
        f"{'/'.join(f'{s:g}' for s in sizes)} pt",
        f"{g.COLOPHON_SIZE_PT:g} pt ±0.5",
        last.number,
    )
