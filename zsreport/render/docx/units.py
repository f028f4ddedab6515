"""The DOCX's units and width estimates: the 行 and 字 of the grid in twips, text widths in ems.

Widths are estimated from character classes, never from installed fonts, so the DOCX bytes do
not depend on the machine.
"""

from __future__ import annotations

import itertools
import math

from zsreport import gbt9704 as g
from zsreport.fonts import AUTOSPACE_EM
from zsreport.linebreak import BREAK, half_width_alnum, wide

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


# Word and LibreOffice set the glyphs of an exact-height line on its foot: the baseline sits the
# face's descent (OS/2 win descent: 0.272 em in FandolFang, which LibreOffice sets for 仿宋) above
# the line's bottom and the room left over goes above the glyphs. The PDF centres the em box
# (0.88 em above the baseline, 0.12 below) in its line, so a DOCX line that must print where the
# PDF's does starts this much higher (``exact_line_drop_pt``).
EXACT_LINE_DESCENT_EM = 0.272
EM_ASCENT = 0.88


# LibreOffice sets the 小标宋 (and its stand-in) a little lower in its line than weasyprint does in
# the PDF: measured 0.042 em for the 标志, 0.052 em for the 标题 against the same PDF. The DOCX takes
# it off the space above them, so the 版头 prints where the PDF's does (issue 14, item 1).
TITLE_FACE_DROP_EM = 0.047
# The 主送 under a 标题 prints 0.5 mm lower than in the PDF for the same reason (the 标题's exact
# lines end lower under its glyphs): taken off the blank line between them.
ADDRESSEE_DROP_MM = 0.5


def exact_line_drop_pt(line_pt: float, size_pt: float) -> float:
    """How much lower the em box of ``size_pt`` type sits in an exact ``line_pt`` line of the
    DOCX than centred in a ``line_pt`` line box of the PDF."""
    in_docx = line_pt - (EXACT_LINE_DESCENT_EM + EM_ASCENT) * size_pt
    centred = (line_pt - size_pt) / 2
    return in_docx - centred


def twips_pt(pt: float) -> int:
    return round(pt * g.TWIPS_PER_PT)


def text_em(text: str) -> float:
    """Width of ``text`` in ems: CJK one em, ASCII about half (digits in Times New Roman)."""
    return sum(0.5 if ord(ch) < 0x2E80 and ch != "\u2014" else 1.0 for ch in text)


# LibreOffice adds about ¼ em wherever 汉字 meet Latin letters or digits, and reads no switch to
# turn it off (Word honours w:autoSpaceDN = 0): allow for it where a line must not overflow
# (``fonts.AUTOSPACE_EM``, which compose's column estimates use too).


def without_autospace(text: str) -> str:
    """``text`` with a zero-width space (``linebreak.BREAK``) wherever a 汉字 meets a half-width
    letter or digit: LibreOffice then adds no space there.

    LibreOffice 7.4 ignores ``w:autoSpaceDE``/``w:autoSpaceDN`` on import (its DOCX reader drops
    them) and always puts 1/5 em between two letters or digits of different scripts, so "关于
    2020年" prints as "关于 2020 年". It adds none where either character is not a letter or
    digit, and U+200B is neither. Word (which honours ``w:autoSpaceDN`` = 0) prints it as nothing
    (WPS has not been tried), and Chinese allows a break there anyway. Used where the PDF's
    spacing must hold to the point: the 版头, 标题, headings and the 成文日期; the 正文 is left as
    written.
    """
    out = []
    for a, b in itertools.pairwise(text):
        out.append(a)
        if _meet(a, b) or _meet(b, a):
            out.append(BREAK)
    return "".join(out) + text[-1:]


def _meet(latin: str, cjk: str) -> bool:
    """A half-width letter or digit beside a full-width (CJK) letter: LibreOffice spaces them."""
    return half_width_alnum(latin) and wide(cjk) and cjk.isalnum()


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
