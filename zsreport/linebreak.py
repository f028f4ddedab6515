"""Chinese line-break opportunities the layout engines miss, marked for both renderers.

Chinese typesetting may break a line between any two 字 except before a closing mark (避头) and
after an opening one (避尾). The engines break by their own reading of UAX #14 and refuse some of
those places; one 字 refused at the end of a line leaves the line a 字 or two short:

- pango 1.50 (weasyprint) reads “ ” ‘ ’ as class QU, with no break on either side, so
  "五个一”工作" is one unit;
- LibreOffice will not break between a full-width "，" (or "。", "：" …) and a half-width digit or
  letter, so "设，1月" is one unit.

Each such place gets a zero-width space (U+200B, class ZW: a break after it, in Word too). It
prints nothing and takes no room; ``strip_breaks`` gives back the text as written.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Callable, Sequence
from typing import NamedTuple

from zsreport import fonts
from zsreport import gbt9704 as g

BREAK = "\u200b"
OPENING_QUOTES = "“‘"
CLOSING_QUOTES = "”’"
NO_BREAK_AFTER = "（《〈「『【〔“‘([{"  # 避尾: opening marks keep the character after them
NO_BREAK_BEFORE = "，。、；：？！”’）》〉」』】〕…—·%％"  # 避头: closing marks keep the one before
# Full-width marks that end a clause: the next character may start a line, even a digit.
CLAUSE_ENDS = "，。、；：？！"


def wide(ch: str) -> bool:
    """A full-width (CJK) character."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


def half_width_alnum(ch: str) -> bool:
    """A half-width letter or digit."""
    return ch.isascii() and ch.isalnum()


def break_between(before: str, after: str) -> bool:
    """Chinese rules allow a break between these two characters but an engine may not."""
    if after in OPENING_QUOTES:
        return wide(before) and before not in NO_BREAK_AFTER
    if before in CLOSING_QUOTES:
        return wide(after) and after not in NO_BREAK_BEFORE
    return before in CLAUSE_ENDS and half_width_alnum(after)


def mark_breaks(texts: Sequence[str]) -> list[str]:
    """The runs of one paragraph with a ``BREAK`` wherever ``break_between`` allows one; a mark
    at a run boundary goes to the end of the earlier run."""
    marked: list[str] = []
    previous = ""
    for text in texts:
        out: list[str] = []
        for ch in text:
            if previous and break_between(previous, ch):
                if out:
                    out.append(BREAK)
                elif marked:
                    marked[-1] += BREAK
            out.append(ch)
            previous = ch
        marked.append("".join(out))
    return marked


def strip_breaks(text: str) -> str:
    """The text without its break marks."""
    return text.replace(BREAK, "")


def _glued(text: str, keep: Sequence[str]) -> list[bool]:
    """``glued[i]``: no line may break between ``text[i]`` and ``text[i + 1]``."""
    glued = [False] * max(len(text) - 1, 0)
    for i, (before, after) in enumerate(itertools.pairwise(text)):
        ascii_run = _half_width_alnum_or_mark(before) and _half_width_alnum_or_mark(after)
        glued[i] = ascii_run or before in NO_BREAK_AFTER or after in NO_BREAK_BEFORE
    for word in sorted(keep, key=len, reverse=True):
        start = text.find(word) if word else -1
        while start >= 0:
            for i in range(start, start + len(word) - 1):
                glued[i] = True
            start = text.find(word, start + len(word))
    return glued


def _half_width_alnum_or_mark(ch: str) -> bool:
    """Half-width letters, digits and the marks inside a number ("+10.8%", "3/13")."""
    return ch.isascii() and not ch.isspace() and ch not in "([{"


def units(text: str, keep: Sequence[str] = ()) -> list[str]:
    """``text`` cut at every place a line may break: never inside a ``keep`` word (a unit name,
    a status pair "签约→开工", a unit of measure "（亿元）"), a run of half-width characters
    ("37600", "+10.8%"), before a closing mark or after an opening one. Joined, the units give
    back ``text``."""
    if not text:
        return []
    glued = _glued(text, keep)
    out, start = [], 0
    for i, joined in enumerate(glued):
        if not joined:
            out.append(text[start : i + 1])
            start = i + 1
    out.append(text[start:])
    return out


# --- the PDF's lines, handed to the DOCX ---------------------------------------------------------


class SetLine(NamedTuple):
    """One line of a justified block as the PDF's layout set it (plain data: the DOCX renderer
    takes it without any layout engine's objects)."""

    chars: int  # characters taking a slot (``counted``)
    room_pt: float  # room left before the right edge, the text unspread
    size_pt: float


# A justified block's text (``line_key``) → its lines in the PDF.
LinePlan = dict[str, tuple[SetLine, ...]]


def counted(ch: str) -> bool:
    """A character that takes a slot on a line (not whitespace, not a ``BREAK``)."""
    return not ch.isspace() and ch != BREAK


def line_key(text: str) -> str:
    """A block's text as both renderers see it: the characters that take a slot."""
    return "".join(ch for ch in text if counted(ch))


# --- a table cell's lines: no character alone ----------------------------------------------------


def _ink(text: str) -> int:
    """Characters that print: a break mark or a space is no character of a line."""
    return sum(1 for ch in strip_breaks(text) if not ch.isspace())


def fill_lines(words: Sequence[str], width_em: Callable[[str], float], room_em: float) -> list[str]:
    """``words`` (``units``) set on lines of at most ``room_em``, as a typesetter sets a table cell:
    each line filled word by word, and never a line of one character alone while the text has more
    (a 孤字: "…产业园项/目", "受疫情影/响"). Such a line takes the last word of the line above
    (the typesetter's 拉字), or, on the first line, the next word when it fits beside it. A word
    wider than the room stays whole on a line of its own: no line breaks inside one."""
    lines: list[list[str]] = [[]]
    for word in words:
        if lines[-1] and width_em("".join(lines[-1]) + word) > room_em:
            lines.append([])
        lines[-1].append(word)
    if _ink("".join(words)) > 1:
        _pull_lone_characters(lines, width_em, room_em)
    return ["".join(line) for line in lines if line]


def _pull_lone_characters(lines: list[list[str]], width_em: Callable[[str], float], room_em: float) -> None:
    """Give every line of one character a neighbour word, in place (each move shortens the line
    above by one word, so the passes end)."""
    for _ in range(sum(len(line) for line in lines)):
        lone = next((i for i, line in enumerate(lines) if _ink("".join(line)) == 1), None)
        if lone is None:
            return
        above = lines[lone - 1] if lone > 0 else []
        if len(above) > 1 and width_em("".join(above[-1:] + lines[lone])) <= room_em:
            lines[lone].insert(0, above.pop())
        elif lone > 0 and width_em("".join(lines[lone - 1] + lines[lone])) <= room_em:
            lines[lone - 1] += lines.pop(lone)  # two lone lines in a row: they go on one
        elif lone + 1 < len(lines) and width_em("".join(lines[lone] + lines[lone + 1][:1])) <= room_em:
            lines[lone].append(lines[lone + 1].pop(0))
            if not lines[lone + 1]:
                lines.pop(lone + 1)
        else:
            return  # a word too wide for the room beside it: the room is the columns' to give


def cell_room_mm(column_mm: float) -> float:
    """The text width of a table cell ``column_mm`` wide (its columns, when it spans several):
    the width less its padding both sides, its rule, and ``TABLE_LINE_SPARE_MM`` so that a line
    filled to the room is not broken again by a client that rounds the cell width down."""
    return column_mm - 2 * g.TABLE_CELL_PADDING_MM - g.pt_to_mm(g.TABLE_RULE_PT) - g.TABLE_LINE_SPARE_MM


def cell_lines(text: str, keep: Sequence[str], column_mm: float, size_pt: float) -> list[str]:
    """A table cell's lines as both renderers set them (explicit breaks, so the PDF, Word, WPS and
    LibreOffice break a cell alike): its words (``units``) filled on lines of the cell's room,
    never a character alone on a line (``fill_lines``). Widths are estimated from character
    classes (``fonts.estimated_width_em``), never from installed fonts."""
    room_em = cell_room_mm(column_mm) / g.pt_to_mm(size_pt)
    return fill_lines(units(text, keep), fonts.estimated_width_em, room_em)
