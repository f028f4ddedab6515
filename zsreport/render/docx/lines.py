"""The PDF's line breaks held in the DOCX as LibreOffice lays it out.

LibreOffice adds about ¼ em wherever 汉字 meet Latin letters or digits and reads no DOCX switch to
turn that off (it ignores ``w:autoSpaceDE``/``w:autoSpaceDN``, which Word honours). A line of the
PDF holding "19.04亿元" is then too long for the 版心 in LibreOffice, its last word goes to the next
line and every line after it in the paragraph re-wraps: a page then starts with another line than
the PDF's (issue 24, agreement).

The PDF's layout hands over each justified block's lines (``linebreak.SetLine``: characters and
the room left on the line). Each line that LibreOffice's extra spacing would push past the 版心's
edge is set that much tighter, for LibreOffice only: its runs carry an ``mc:AlternateContent``
whose Choice (``w15``, which Word 2013+ and WPS read) keeps the style's spacing, and whose Fallback
(what LibreOffice reads) condenses the line's characters by the excess. No break is forced: the
paragraph stays one paragraph of running text, reads and searches as written, and reflows when
a clerk edits it; its lines simply fit where the PDF's fit, and LibreOffice's justification spreads
them to the edge again.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator

from zsreport import gbt9704 as g
from zsreport.linebreak import BREAK, LinePlan, SetLine, counted, line_key
from zsreport.render.docx.units import AUTOSPACE_EM

# The PDF's body letter-spacing (``render.pdf.html.BODY_SPACING_PT``, the same numbers): a DOCX
# character is ``BODY_CONDENSE`` narrower, so each line has a little more room in the DOCX.
PDF_SPACING_PT = g.BODY_LETTER_SPACING_PT - g.BODY_LETTER_SPACING_SLACK_PT
# A line is fitted this far inside the edge (LibreOffice rounds spacing to its own units).
FIT_MARGIN_PT = 0.5


def script_changes(text: str) -> int:
    """Places on a line where 汉字 meet Latin letters or digits (LibreOffice's script portions)."""
    slots = [ch for ch in text if counted(ch)]
    return sum(1 for a, b in itertools.pairwise(slots) if a.isascii() != b.isascii())


def condense_twips(line_text: str, line: SetLine, spacing_twips: int) -> int:
    """How much tighter (twips per character) the line must be set in LibreOffice to end where
    the PDF's does: 0 when it fits as it is.

    Measured in LibreOffice 7.4: at each change of script it adds its CJK–Latin space (under
    ``AUTOSPACE_EM``), and the character before the change keeps its natural width (the
    character spacing is applied inside a script portion only). So n characters with k changes
    gain the spacing on n − k of them and pay k spaces."""
    n, k = line.chars, script_changes(line_text)
    base = spacing_twips / g.TWIPS_PER_PT
    over = (base - PDF_SPACING_PT) * n - base * k + k * AUTOSPACE_EM * line.size_pt
    over += FIT_MARGIN_PT - line.room_pt
    if over <= 0 or n <= k:
        return 0
    return math.ceil(over * g.TWIPS_PER_PT / (n - k))


def split_lines(texts: list[str], lines: tuple[SetLine, ...]) -> Iterator[tuple[int, str, int]]:
    """(run index, piece, line index): the runs' texts cut where the PDF's lines end. A break
    mark or space after a line's last character stays on that line."""
    ends = []
    total = 0
    for line in lines:
        total += line.chars
        ends.append(total)
    seen = 0
    line_index = 0
    for index, text in enumerate(texts):
        start = 0
        for pos, ch in enumerate(text):
            if not counted(ch):
                continue
            if line_index < len(ends) - 1 and seen == ends[line_index]:
                if pos > start:
                    yield index, text[start:pos], line_index
                start = pos
                line_index += 1
            seen += 1
        if start < len(text):
            yield index, text[start:], line_index


def fitted_runs(texts: list[str], plan: LinePlan, spacing_twips: int) -> list[tuple[int, str, int]] | None:
    """(run index, piece, extra condensing in twips) for a paragraph whose runs are ``texts``, or
    None when the PDF set no such block (or set it differently: the counts disagree)."""
    lines = plan.get(line_key("".join(texts)))
    if not lines or sum(line.chars for line in lines) != len(line_key("".join(texts))):
        return None
    pieces = list(split_lines(texts, lines))
    line_texts = ["".join(piece for _, piece, i in pieces if i == n) for n in range(len(lines))]
    extra = [
        condense_twips(text.replace(BREAK, ""), line, spacing_twips)
        for text, line in zip(line_texts, lines, strict=True)
    ]
    return [(index, piece, extra[n]) for index, piece, n in pieces]
