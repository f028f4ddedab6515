"""The DOCX's units and width estimates: the 行 and 字 of the grid in twips, text widths in ems.

Widths are estimated from character classes, never from installed fonts, so the DOCX bytes do
not depend on the machine.
"""

from __future__ import annotations

import itertools
import math

from zsreport import gbt9704 as g

FULL_WIDTH_SPACE = "\u3000"

LINE = g.LINE_PITCH_TWIPS  # one 行 of the grid, in twips
TEXT_WIDTH_TW = g.mm_to_twips(g.TEXT_WIDTH_MM)
CHAR_TW = round(g.CHAR_PITCH_PT * g.TWIPS_PER_PT)  # one 字 of the body grid
# The section carries the 22×28 docGrid (Word's 页面设置 shows it), but paragraphs do not snap to
# it: LibreOffice breaks lines as if a 16 pt glyph needed two 15.79 pt cells, and ignores exact
# heights of snapped paragraphs. Instead every line is an exact 行 and body runs are condensed
# just under the 字 pitch, in 1/20 pt: −0.25 pt still gave 27 a line in LibreOffice 7.4 (it
# rounds the spacing in its own units), −0.30 pt gives 28 in LO and Word alike (29 × 15.7 pt
# overflows the 442 pt 版心).
BODY_CONDENSE = math.floor(g.BODY_LETTER_SPACING_PT * g.TWIPS_PER_PT) - 1


def twips_pt(pt: float) -> int:
    return round(pt * g.TWIPS_PER_PT)


def text_em(text: str) -> float:
    """Width of ``text`` in ems: CJK one em, ASCII about half (digits in Times New Roman)."""
    return sum(0.5 if ord(ch) < 0x2E80 and ch != "\u2014" else 1.0 for ch in text)


# LibreOffice adds about ¼ em wherever 汉字 meet Latin letters or digits, and reads no switch to
# turn it off (Word honours w:autoSpaceDN = 0): allow for it where a line must not overflow.
AUTOSPACE_EM = 0.25


def autospace_em(text: str) -> float:
    """The room LibreOffice's CJK–Latin spacing takes in ``text``."""
    changes = sum(1 for a, b in itertools.pairwise(text) if a.isascii() != b.isascii() and not a.isspace())
    return changes * AUTOSPACE_EM


def fit_percent(left: str, right: str, size_pt: float, room_pt: float) -> int:
    """字符缩放 that keeps "left … right" (at least ``COLOPHON_PRINTED_GAP_CHARS`` apart) on one
    line of ``room_pt``, in any client.

    A long 印发机关 beside its date is wider than the 版心 at 四号; offices narrow the glyphs.
    """
    words = text_em(left) + text_em(right) + autospace_em(left) + autospace_em(right)
    needed_pt = (words + g.COLOPHON_PRINTED_GAP_CHARS) * size_pt
    return max(g.ISSUER_MIN_SCALE_PERCENT, min(100, int(100 * room_pt / needed_pt)))
