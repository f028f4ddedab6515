"""Rules of the 正文 (GB/T 9704 5.2.3–5.2.4, 7.3.3, 10.3): 三号仿宋 on the 22 × 28 grid, every line
but a paragraph's last filling the 版心, the 层次标题 in their faces, the 纪要's 出席/列席 labels
in 黑体."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from zsreport import gbt9704 as g
from zsreport.conformance.context import Context, compact
from zsreport.conformance.faces import faces_of, is_bold
from zsreport.conformance.locate import is_body_size
from zsreport.conformance.reading import (
    CHAR_MM,
    LINE_MM,
    MM,
    TEXT_BOTTOM,
    TEXT_LEFT,
    TEXT_RIGHT,
    Line,
    Page,
    is_page_number,
    red_ink,
)
from zsreport.conformance.report import Report
from zsreport.fonts import FONT_ROLES
from zsreport.model import Heading

HEADING_NUMBER_RES = {
    1: re.compile(r"[一二三四五六七八九十]+、"),
    2: re.compile(r"（[一二三四五六七八九十]+）"),
    3: re.compile(r"\d+\."),
    4: re.compile(r"（\d+）"),
}


def _paragraph_start(line: Line, tol: float) -> bool:
    return abs(line.x0 - line.left) <= tol or abs(line.x0 - line.left - g.INDENT_CHARS * CHAR_MM) <= tol


def _ends_paragraph(line: Line, ctx: Context) -> bool:
    return any(p.endswith(line.compact) for p in ctx.paragraphs)


def _reading_order(pages: list[Page]) -> list[Line]:
    return [line for page in pages if not page.landscape for line in page.text_lines]


def continuation_pairs(pages: list[Page], ctx: Context, tol: float = 0.5) -> list[tuple[Line, Line]]:
    """(line, next line of the same paragraph): the first line is then a full line.

    The next line continues the paragraph when it starts 顶格 one 行 lower (or at the top of the
    next page after a line at the foot of the page); with the tree, a line that ends one of the
    document's paragraphs never counts as full.
    """
    by_page = {page.number: page for page in pages}
    lines = _reading_order(pages)
    pairs = []
    for a, b in itertools.pairwise(lines):
        if not (is_body_size(a) and is_body_size(b) and _paragraph_start(a, tol)) or abs(b.x0 - b.left) > tol:
            continue
        if a.in_table or b.in_table:
            continue
        if any(red_ink(c) for c in a.ink()):
            continue
        if a.page == b.page:
            adjacent = 0 < b.baseline - a.baseline < 1.5 * LINE_MM
        else:
            a_last = by_page[a.page].text_lines[-1] is a
            b_first = by_page[b.page].text_lines[0] is b
            adjacent = (
                b.page == a.page + 1 and a_last and b_first and a.em_bottom > TEXT_BOTTOM - 1.5 * LINE_MM
            )
        if adjacent and not (ctx.known and _ends_paragraph(a, ctx)):
            pairs.append((a, b))
    return pairs


def _indent_chars(line: Line) -> int:
    return round((line.x0 - TEXT_LEFT) / CHAR_MM)


# Closing marks that may not begin a line (避头): when one would, the character before it moves down
# with it (推出) and the line, one 字 short, is justified to the edge — correct CJK typesetting.
NO_LINE_START = "，。、；：？！”’）》」』】〕…—·%"
# Opening marks that may not end a line (避尾): one that would take the last slot moves down to the
# character it opens, and the line, one 字 short, is justified to the edge — the same 推出.
NO_LINE_END = "“‘（《〈「『【〔"


def _slots(line: Line) -> int:
    """字 the line takes: its indent plus its characters (an all-CJK line: one slot each)."""
    return len(line.ink()) + _indent_chars(line)


def _pushed_out(line: Line, next_line: Line) -> bool:
    """A 27-字 full line whose next line starts with a unit that could not take the last slot: a
    character followed by a 避头 mark, or a 避尾 mark followed by its character."""
    following = next_line.compact
    return (
        _slots(line) == g.CHARS_PER_LINE - 1
        and len(following) >= 2
        and (following[1] in NO_LINE_START or following[0] in NO_LINE_END)
    )


def check_full_lines(report: Report, pages: list[Page], pairs: list[tuple[Line, Line]]) -> None:
    """Lines that are not a paragraph's last line fill the 版心: to 184 mm, and an all-CJK line
    holds exactly 28 字 (its indent counted). Only 推出 (``_pushed_out``) leaves one slot empty;
    any other count is a break in the wrong place, even when justification has spread the line to
    the edge (24 字 at 17.2 pt instead of 15.79: the x1 test alone does not see it)."""
    want = TEXT_RIGHT - report.tol.mm
    group_pairs = {n: list(g_) for n, g_ in itertools.groupby(pairs, key=lambda p: p[0].page)}
    for number, group in group_pairs.items():
        full = [a for a, _ in group]
        short = [a for a in full if a.x1 < want]
        cjk_only = [(a, b) for a, b in group if not any(c["text"].isascii() for c in a.ink())]
        miscounted = [(a, b) for a, b in cjk_only if _slots(a) != g.CHARS_PER_LINE and not _pushed_out(a, b)]
        detail = ""
        if short:
            worst = min(short, key=lambda a: a.x1)
            short_by = TEXT_RIGHT - worst.x1
            detail = f"；最短一行止于 {worst.x1:.1f} mm（差 {short_by:.1f} mm）：{worst.compact[:14]}…"
        if miscounted:
            a, b = miscounted[0]
            counts = "/".join(str(n) for n in sorted({_slots(a) for a, _ in miscounted}))
            detail += (
                f"；{len(miscounted)} 个纯汉字行为 {counts} 字，并非推出：…{a.compact[-6:]}|{b.compact[:4]}…"
            )
        report.add(
            "body.full-lines",
            "5.2.4",
            not short and not miscounted,
            f"{len(full)} 个满行中 {len(short)} 行未排满{detail}",
            f"右端 ≥ {want:.0f} mm；纯汉字行 {g.CHARS_PER_LINE} 字（推出时才 {g.CHARS_PER_LINE - 1} 字）",
            number,
        )


def check_line_pitch(
    report: Report, pairs: list[tuple[Line, Line]], signoff_pages: frozenset[int] = frozenset()
) -> None:
    """Every body line one 行 below the last (5.2.2); on the page of the 署名 closer lines are
    allowed, down to ``SQUEEZE_MIN_PITCH_PT``: 7.3.5.5 adjusts spacing to keep the 署名 with the text."""
    same_page = [(a, b) for a, b in pairs if a.page == b.page]
    if not same_page:
        return
    tol = report.tol.pitch_pt

    def off(a: Line, b: Line) -> bool:
        pitch = (b.baseline - a.baseline) / MM
        if a.page in signoff_pages:
            return not g.SQUEEZE_MIN_PITCH_PT - tol <= pitch <= g.LINE_PITCH_PT + tol
        return abs(pitch - g.LINE_PITCH_PT) > tol

    pitches = [(b.baseline - a.baseline) / MM for a, b in same_page]
    wrong = [pair for pair in same_page if off(*pair)]
    squeezed = sorted({a.page for a, b in same_page if a.page in signoff_pages and not off(a, b)})
    note = (
        f"；署名所在第 {squeezed[0]} 页行距收紧（7.3.5.5）"
        if min(pitches) < g.LINE_PITCH_PT - tol and squeezed
        else ""
    )
    report.add(
        "body.line-pitch",
        "5.2.4",
        not wrong,
        f"{len(pitches)} 个行距 {min(pitches):.2f}–{max(pitches):.2f} pt，{len(wrong)} 个超差{note}",
        f"{g.LINE_PITCH_PT:.2f} pt ±{tol:g}（署名页 ≥{g.SQUEEZE_MIN_PITCH_PT:.2f} pt，7.3.5.5）",
    )


def paragraph_lines(pages: list[Page], ctx: Context, pairs: list[tuple[Line, Line]]) -> list[Line]:
    """Body text lines: with the tree, lines whose text belongs to a paragraph; else the lines of
    multi-line paragraphs found by geometry."""
    if ctx.known:
        heads = {compact(h.full_text) for h in ctx.headings}
        plain = [p for p in ctx.paragraphs if p not in heads and p not in ctx.mixed_paragraphs]
        return [
            line
            for line in _reading_order(pages)
            if len(line.compact) >= 6
            and not line.in_table
            and not is_page_number(line)
            and not any(line.compact in t for t in ctx.display_texts)
            and any(line.compact in p for p in plain)
        ]
    seen: dict[int, Line] = {}
    for a, b in pairs:
        seen[id(a)], seen[id(b)] = a, b
    return list(seen.values())


def check_body_text(report: Report, pages: list[Page], ctx: Context, lines: list[Line]) -> None:
    ink = [c for line in lines for c in line.ink()]
    if not ink:
        report.add("body.found", "5.2.3", False, "未找到正文段落行", "三号仿宋正文", None)
        return
    bad_size = [c for c in ink if abs(c["size"] - g.BODY_SIZE_PT) > report.tol.size_pt]
    sizes = sorted({round(c["size"], 1) for c in ink})
    report.add(
        "body.size",
        "5.2.3",
        not bad_size,
        f"{len(ink)} 字中 {len(bad_size)} 字字号不符；字号 {'/'.join(f'{s:g}' for s in sizes)} pt",
        f"{g.BODY_SIZE_PT:g} pt ±{report.tol.size_pt:g}",
    )
    wrong = report.wrong_face(ink, "body")
    report.add(
        "body.face",
        "5.2.3",
        not wrong,
        f"{len(ink)} 字中 {len(wrong)} 字不是仿宋；字体 {faces_of(ink)}",
        "仿宋 (" + "/".join(FONT_ROLES["body"].pdf_families) + ")",
    )


def heading_line(lines: list[Line], heading: Heading, tol: float) -> Line | None:
    want = compact(heading.full_text)[:10]
    return next(
        (
            line
            for line in lines
            if line.compact.startswith(want)
            and abs(line.x0 - line.left - g.INDENT_CHARS * CHAR_MM) <= tol + 1
        ),
        None,
    )


def detected_headings(lines: list[Line], tol: float) -> Iterator[tuple[int, Line, int]]:
    """(level, line, characters of the numbering) for lines at the 2-字 indent that start with a
    heading number (no tree)."""
    for line in lines:
        if (
            not is_body_size(line)
            or line.in_table
            or abs(line.x0 - line.left - g.INDENT_CHARS * CHAR_MM) > tol
        ):
            continue
        for level, pattern in HEADING_NUMBER_RES.items():
            if m := pattern.match(line.compact):
                yield level, line, len(m.group(0))
                break


def check_headings(report: Report, pages: list[Page], ctx: Context) -> None:
    lines = [line for page in pages for line in page.text_lines]
    tol = report.tol.mm
    found: list[tuple[int, Line, int, str]] = []
    if ctx.known:
        for heading in ctx.headings:
            line = heading_line(lines, heading, tol)
            if line is None:
                report.add(
                    f"heading.l{heading.level}.found",
                    "7.3.3",
                    False,
                    f"未找到“{heading.full_text[:14]}”",
                    "标题行左空二字",
                    None,
                )
                continue
            found.append((heading.level, line, len(compact(heading.full_text)), heading.full_text))
    else:
        found = [(level, line, n, line.compact[:12]) for level, line, n in detected_headings(lines, tol)]
    names = {"hei": "黑体", "kai": "楷体", "body": "仿宋"}
    for level, line, count, label in found:
        role = g.HEADING_ROLES[level]
        chars = line.ink()[:count]
        wrong = report.wrong_face(chars, role)
        bold = [c for c in chars if is_bold(c["fontname"])]
        size_off = [c for c in chars if abs(c["size"] - g.BODY_SIZE_PT) > report.tol.size_pt]
        report.add(
            f"heading.l{level}",
            "7.3.3",
            not wrong and not bold and not size_off,
            f"{label[:12]}：{faces_of(chars)} {line.size:.1f} pt",
            f"{names[role]}，不用粗体，{g.BODY_SIZE_PT:g} pt",
            line.page,
        )


def check_minutes_attendance(report: Report, pages: list[Page], ctx: Context) -> None:
    labels = ctx.attendance_labels or ("出席", "请假", "列席")
    found = 0
    for page in pages:
        for line in page.text_lines:
            for label in labels:
                if line.compact.startswith(label + "："):
                    found += 1
                    chars = line.ink()[: len(label)]
                    wrong = report.wrong_face(chars, "hei")
                    report.add(
                        "minutes.attendance-face",
                        "10.3",
                        not wrong,
                        f"{label}：{faces_of(chars)}",
                        "黑体（" + "/".join(FONT_ROLES["hei"].pdf_families) + "）",
                        page.number,
                    )
    if ctx.attendance_labels and found < len(ctx.attendance_labels):
        report.add(
            "minutes.attendance-found",
            "10.3",
            False,
            f"{len(ctx.attendance_labels)} 个标识找到 {found} 个",
            "出席、列席行",
            None,
        )
