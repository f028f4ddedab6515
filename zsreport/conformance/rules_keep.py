"""What a page break may not separate (clause 8 and common 公文 practice, issue 14 item 4): a
table's 注 stays on the page where its table ends, and a 层次标题 never stands at a page foot
with fewer than two lines of its text under it."""

from __future__ import annotations

from zsreport import gbt9704 as g
from zsreport.conformance.context import Context, compact
from zsreport.conformance.locate import is_body_size, run_of_lines
from zsreport.conformance.reading import Line, Page
from zsreport.conformance.report import Report
from zsreport.conformance.rules_body import detected_headings, heading_line

NOTE_PREFIX = "注："
# A heading keeps this many lines of the text under it on its page (orphan control).
HEADING_KEEP_LINES = 2


def _is_note(line: Line, ctx: Context) -> bool:
    """The first line of a table's 注: with the tree, the start of a known note; without it, a
    line smaller than body text that opens with "注：" (the notes are set at the table's size)."""
    text = line.compact
    if ctx.known:
        return any(note.startswith(text[:12]) for note in ctx.table_notes) and text.startswith(NOTE_PREFIX)
    return text.startswith(NOTE_PREFIX) and line.size < g.BODY_SIZE_PT - 1


def check_notes_with_tables(report: Report, pages: list[Page], ctx: Context) -> None:
    """A 注 is never the first line of a page: the page above it holds the end of its table."""
    for page in pages:
        lines = page.text_lines
        for index, line in enumerate(lines):
            if not _is_note(line, ctx):
                continue
            report.add(
                "body.note-with-table",
                "8",
                index > 0,
                f"{line.compact[:10]}…在本页第 {index + 1} 行"
                + ("（其表格在上一页结束）" if index == 0 else ""),
                "与其表格末行同页（不得在页首行）",
                page.number,
            )


def _heading_lines(pages: list[Page], ctx: Context, tol: float) -> list[tuple[str, list[Line]]]:
    """(label, the heading's lines) for every heading found on a portrait page."""
    found: list[tuple[str, list[Line]]] = []
    for page in pages:
        if page.landscape:
            continue
        lines = page.text_lines
        if ctx.known:
            for heading in ctx.headings:
                first = heading_line(lines, heading, tol)
                if first is not None:
                    own = run_of_lines(lines[lines.index(first) :], heading.full_text) or [first]
                    found.append((heading.full_text, own))
        else:
            # "1." and "（1）" also open numbered paragraphs: without the tree only levels 1–2 count
            found += [
                (line.compact, [line]) for level, line, _ in detected_headings(lines, tol) if level <= 2
            ]
    return found


def _continues_on_next_page(line: Line, pages: list[Page], ctx: Context) -> bool:
    """Whether the paragraph ``line`` starts goes on at the top of the next page: with the tree,
    when the line does not end a paragraph; without it, when the next page opens with a body line
    set 顶格 (a continuation, not a new indented paragraph)."""
    if ctx.known:
        return not any(compact(p).endswith(line.compact) for p in ctx.paragraphs)
    following = next((p for p in pages if p.number == line.page + 1), None)
    first = following.text_lines[0] if following and following.text_lines else None
    return first is not None and is_body_size(first) and abs(first.x0 - first.left) <= 1.0


def check_headings_kept(report: Report, pages: list[Page], ctx: Context) -> None:
    """A heading has at least two lines of its text under it on its page, or a whole paragraph
    (of one line) — never only the first line of a paragraph that goes on overleaf."""
    last_page = max((p.number for p in pages if p.text_lines or p.turned), default=0)
    for label, own in _heading_lines(pages, ctx, report.tol.mm):
        page = next(p for p in pages if p.number == own[-1].page)
        lines = page.text_lines
        under = lines[lines.index(own[-1]) + 1 :]
        more_after = page.number < last_page
        ok = (
            not more_after
            or len(under) >= HEADING_KEEP_LINES
            or (len(under) == 1 and not _continues_on_next_page(under[0], pages, ctx))
        )
        report.add(
            "body.heading-kept",
            "7.3.3",
            ok,
            f"{compact(label)[:12]}：同页下方有 {len(under)} 行",
            f"同页下方至少 {HEADING_KEEP_LINES} 行正文（或整段仅一行）",
            page.number,
        )
