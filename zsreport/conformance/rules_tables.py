"""Rules of the tables (GB/T 9704 clause 8; issue 14, item 5): no cell's line breaks inside a word.

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
from zsreport.conformance.reading import MM, Line, Page
from zsreport.conformance.report import Report

CELL_GAP_MM = 1.6  # characters further apart than this stand in different cells (2 × 1 mm padding)
UNIT_OF_MEASURE_CHARS = 4  # "（万美元）", "（较上季度）" are one word; "（本季度新增）" may break
PAIR_SIDE_CHARS = 2  # a status pair is two 字 each side of "→"


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
