"""CJK justification on the laid-out pages: the lines keep their breaks, only their gaps widen.

weasyprint justifies at spaces only, and it does so after line breaking: ``justify_line`` gives the
text boxes of a laid-out line extra word spacing, moves the boxes after them, and the text is
shaped again when it is drawn. The same is done here for the gaps between 字: in every line that
``justify_plan`` spreads, the characters followed by a widened gap (``spread_chars``) are cut into
text boxes of their own whose style carries the line's letter-spacing, exactly the boxes a layout
of spans with that letter-spacing would make, and every box after them moves right. The line
breaks, the pages and everything but the spread lines stay as the one layout set them.
"""

from __future__ import annotations

import itertools
import logging
from typing import Any

import weasyprint
from weasyprint.formatting_structure import boxes
from weasyprint.text.line_break import create_layout, line_size

from zsreport.render.pdf.justify import LineFit, counts, justified_lines, spread_chars
from zsreport.render.pdf.units import pt_px

log = logging.getLogger(__name__)


def spread_layout(
    rendered: weasyprint.document.Document, plan: dict[str, list[LineFit]], base_pt: float
) -> None:
    """Widen the gaps of every line ``plan`` spreads, in place (before the pages are drawn)."""
    for found in list(justified_lines(rendered)):  # the lines change as they are spread
        fits = plan.get(found.key) or []
        fit = fits[found.index] if found.index < len(fits) else LineFit(0)
        if not fit.extra_pt:
            continue
        texts = [box for box in found.line.descendants() if isinstance(box, boxes.TextBox)]
        text = "".join(box.text for box in texts)
        if sum(counts(ch) for ch in text) != fit.chars:  # measured on another layout: leave it
            log.warning("justified line %s/%d is not the line measured; set ragged", found.key, found.index)
            continue
        # The widened characters, per text box: offsets into that box's text.
        wide, start, per_box = spread_chars(text), 0, {}
        for box in texts:
            per_box[id(box)] = {i - start for i in wide if start <= i < start + len(box.text)}
            start += len(box.text)
        _shift(found.line, per_box, pt_px(base_pt + fit.extra_pt), 0.0)


def _shift(box: Any, wide: dict[int, set[int]], spacing_px: float, advance: float) -> float:
    """Move ``box`` right by ``advance``, spread its text; return the advance for the boxes after it."""
    if isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        box.position_x += advance
        before = advance
        children = []
        for child in box.children:
            if isinstance(child, boxes.TextBox) and wide.get(id(child)):
                pieces = _pieces(child, wide[id(child)], spacing_px, child.position_x + advance)
                advance += sum(piece.width for piece in pieces) - child.width
                children += pieces
            else:
                advance = _shift(child, wide, spacing_px, advance)
                children.append(child)
        box.children = children
        box.width += advance - before
    elif isinstance(box, boxes.TextBox):
        box.position_x += advance
    else:  # an atomic inline box (an image in the line)
        box.translate(advance, 0)
    return advance


def _pieces(box: boxes.TextBox, wide: set[int], spacing_px: float, x: float) -> list[boxes.TextBox]:
    """``box`` cut where its characters change between widened and not, each piece shaped as
    weasyprint shapes a span of its own (its letter-spacing after every character)."""
    pieces = []
    for spread, group in itertools.groupby(range(len(box.text)), key=lambda i: i in wide):
        indices = list(group)
        piece = box.copy_with_text(box.text[indices[0] : indices[-1] + 1])
        if spread:
            piece.style = box.style.copy()
            piece.style["letter_spacing"] = spacing_px
        layout = create_layout(piece.text, piece.style, None, None, box.justification_spacing)
        piece.width = line_size(layout.get_first_line()[0], piece.style)[0]
        layout.deactivate()
        piece.pango_layout = layout
        piece.position_x = x
        x += piece.width
        pieces.append(piece)
    return pieces
