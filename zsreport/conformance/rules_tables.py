"""Rules of the tables (GB/T 9704 clause 8; issue 14, item 5): no cell's line breaks inside a word;
no cell's line holds one character alone (issue 24).

A table's lines are read back as baselines crossed by vertical rules (``Line.in_table``); a line
holds the text of every cell of its row, so it is cut into cell pieces where the characters stand
apart (a cell's padding and rule). A word is broken when one piece ends with its head and the
piece under it, in the same column, starts with its tail. The words: those the tree keeps whole
(``Cell.keep`` of the cell whose text runs on from the one piece into the other: unit and
chain names, status pairs, header words), and, with the tree or without, any bracketed unit of
measure "（亿元）" or status pair "签约→开工".
"""

from __future__ import annotations

from dataclasses import dataclass

from zsreport.conformance.context import Context
from zsreport.conformance.reading import MM, Band, Line, Page
from zsreport.conformance.report import Report

CELL_GAP_MM = 1.6  # characters further apart than this stand in different cells (2 × 1 mm padding)
UNIT_OF_MEASURE_CHARS = 4  # "（万美元）", "（较上季度）" are one word; "（本季度新增）" may break
PAIR_SIDE_CHARS = 2  # a status pair is two 字 each side of "→"
# Lines of one cell follow each other at the cell's line pitch (1.5 × its size); the next row's
# first line is a padding both ways and a rule further. Between the two, with room for rounding.
CELL_LINE_PITCH_EM = 1.5 * 1.15
RULE_MARGIN_MM = 0.3  # a rule drawn this close to a baseline still lies between two lines


@dataclass(frozen=True)
class Piece:
    """The text of one cell on one line."""

    text: str
    x0: float
    x1: float
    baseline: float
    size: float  # pt


def pieces(line: Line) -> list[Piece]:
    """A table line cut into cells where its characters stand apart."""
    out: list[list[dict]] = []
    for char in line.ink():
        if out and (char["x0"] - out[-1][-1]["x1"]) * MM <= CELL_GAP_MM:
            out[-1].append(char)
        else:
            out.append([char])
    return [
        Piece(
            "".join(c["text"] for c in group),
            group[0]["x0"] * MM,
            group[-1]["x1"] * MM,
            line.baseline,
            max(c["size"] for c in group),
        )
        for group in out
    ]


def _under(upper: Piece, lines: list[list[Piece]]) -> Piece | None:
    """The piece on the next line of the same cell: one line pitch lower, overlapping in x."""
    pitch = upper.size * 1.5 * MM * 1.34  # a cell line is 1.5 × its size; a third more for a gap
    for row in lines:
        for piece in row:
            lower = 0 < piece.baseline - upper.baseline <= pitch
            if lower and piece.x0 < upper.x1 and piece.x1 > upper.x0:
                return piece
    return None


def broken_word(head: str, tail: str, words: tuple[str, ...]) -> str:
    """The word broken between a cell line ending ``head`` and the next starting ``tail``, or ""."""
    for word in words:
        for k in range(1, len(word)):
            first, rest = word[:k], word[k:]
            # a line may also lie wholly inside the word ("邵阳/经开/区")
            if (head.endswith(first) or first.endswith(head)) and (
                tail.startswith(rest) or rest.startswith(tail)
            ):
                return f"{first}/{rest}"
    opened = head.rfind("（")
    if opened > head.rfind("）") and "）" in tail:
        inside = head[opened:] + tail[: tail.index("）") + 1]
        if len(inside) - 2 <= UNIT_OF_MEASURE_CHARS:
            return f"{head[opened:]}/{tail[: tail.index('）') + 1]}"
    after = head.rsplit("→", 1)[1] if "→" in head else None
    before = tail.split("→", 1)[0] if "→" in tail else None
    if (after is not None and len(after) < PAIR_SIDE_CHARS) or (
        before is not None and len(before) < PAIR_SIDE_CHARS
    ):
        return f"{head[-3:]}/{tail[:3]}"
    return ""


def _words_of(head: str, tail: str, ctx: Context) -> tuple[str, ...]:
    """The kept words of the tree's cells whose text runs on from ``head`` into ``tail``."""
    joined = head + tail
    return tuple(word for text, keep in ctx.table_words if joined in text for word in keep if len(word) > 1)


def check_table_words(report: Report, pages: list[Page], ctx: Context) -> None:
    for page in pages:
        lines = [pieces(line) for line in page.lines if line.in_table]
        if not lines:
            continue
        broken = []
        for i, row in enumerate(lines):
            for upper in row:
                lower = _under(upper, lines[i + 1 : i + 3])
                words = _words_of(upper.text, lower.text, ctx) if lower else ()
                found = broken_word(upper.text, lower.text, words) if lower else ""
                if found:
                    broken.append(found)
        report.add(
            "table.word-unbroken",
            "8",
            not broken,
            f"{len(broken)} 个词在单元格内被折行" + (f": {'、'.join(broken[:5])}" if broken else ""),
            "单位名、链名、状态对和计量单位在单元格内不折断",
            page.number,
        )


def _same_cell(upper: Piece, lower: Piece, bands: list[Band]) -> bool:
    """``lower`` is the next line of ``upper``'s cell: one cell line lower, overlapping in x, and
    no rule of the table between them (a row's rule parts the cells of two rows)."""
    pitch = upper.size * CELL_LINE_PITCH_EM * MM
    if not (0 < lower.baseline - upper.baseline <= pitch and lower.x0 < upper.x1 and lower.x1 > upper.x0):
        return False
    left, right = max(upper.x0, lower.x0), min(upper.x1, lower.x1)
    return not any(
        upper.baseline - RULE_MARGIN_MM < band.top
        and band.bottom < lower.baseline - RULE_MARGIN_MM
        and band.x0 <= left
        and band.x1 >= right
        for band in bands
    )


def lone_characters(page: Page) -> list[str]:
    """Each cell line of ``page`` holding one character alone while its cell has more lines, as
    "项/目": the line above and its character, or the character and the line under it."""
    lines = [pieces(line) for line in page.lines if line.in_table]
    found = []
    for i, row in enumerate(lines):
        for piece in row:
            if len(piece.text) != 1:
                continue
            above = [p for r in lines[max(i - 2, 0) : i] for p in r if _same_cell(p, piece, page.bands)]
            below = [p for r in lines[i + 1 : i + 3] for p in r if _same_cell(piece, p, page.bands)]
            if above:
                found.append(f"{above[-1].text[-4:]}/{piece.text}")
            elif below:
                found.append(f"{piece.text}/{below[0].text[:4]}")
    return found


def check_lone_characters(report: Report, pages: list[Page]) -> None:
    """No cell's line holds one character alone (a 孤字 such as "…项/目", "受疫情影/响"): where a
    cell's text must break, a typesetter pulls a word down with it."""
    for page in pages:
        if not any(line.in_table for line in page.lines):
            continue
        lone = lone_characters(page)
        report.add(
            "table.lone-character",
            "8",
            not lone,
            f"{len(lone)} 行单元格文字只有一个字" + (f": {'、'.join(lone[:5])}" if lone else ""),
            "单元格的每一行至少两个字（折行时不留孤字）",
            page.number,
        )
