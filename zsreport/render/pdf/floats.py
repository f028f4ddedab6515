"""Pages filled to the 版心's foot (issue 14, item 7): the measuring layout finds each page of
running text that ends more than ``placement.FILLED_ROOM_LINES`` short, and tries the typesetter's
remedies (``render.pdf.remedies``) one at a time, keeping a remedy only when a fresh layout shows
its page filled (see ``floated``). Each trial costs a layout: a remedy that the measuring layout's
heights show cannot fill the page is tried after the others (``by_prediction``), and the kept
remedy's layout is the document's final one.

weasyprint keeps a figure and a table's first rows whole (``break-inside: avoid``) and pushes them
to the next page, and keeps a heading with its first lines; that can leave three to six empty
lines at the foot of a page. GB/T 9704 §5.2.2 wants the 版心 filled, §7.3.5.5 resolves a crowded
署名 by adjusting spacing, and clause 8 lets a table break with its header repeated. The remedies
change the document tree (block order, a chart's size, a table's row spacing), never the
renderer, so the DOCX is given the same document (``render.pdf.page_order``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import fields

import weasyprint

from zsreport import gbt9704 as g
from zsreport.model import Document, Paragraph
from zsreport.render.pdf.placement import FILLED_ROOM_LINES, Measured, ShortPage, measure_pages, short_pages
from zsreport.render.pdf.remedies import candidates

log = logging.getLogger(__name__)

# Layouts tried for one document beyond its first (each remedy costs one).
MAX_TRIALS = 12
# A remedy is predicted not to fill its page only when it would leave this many lines more empty
# than a filled page may (the heights it is predicted from are the measuring layout's own).
PREDICTION_MARGIN_LINES = 1
# ``measure(document, why)``: the measuring layout of a tree, ``why`` it is laid out (logged).
Measure = Callable[[Document, str], weasyprint.document.Document]


def remedy_name(before: Document, after: Document) -> str:
    """What a remedy changed in the tree, for the log: the changed fields, and for the body
    whether its blocks were moved or changed."""
    changed = []
    for field in fields(Document):
        old, new = getattr(before, field.name), getattr(after, field.name)
        if old == new:
            continue
        if field.name == "body" and len(old) == len(new):
            moved = sorted(map(id, old)) == sorted(map(id, new))
            differ = [i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b]
            what = "moved" if moved else "changed"
            changed.append(f"blocks {differ[0]}–{differ[-1]} {what}")
        else:
            changed.append(f"{field.name}={new!r}" if not isinstance(new, tuple) else field.name)
    return ", ".join(changed) or "nothing"


def _fixes(found: list[ShortPage], target: ShortPage, given_up: set[int]) -> bool:
    """The trial leaves no short page up to ``target`` but those given up on, and ``target``
    itself at most closer to its foot, where the checker would pass it (the page before the
    署名's, held to ``placement.CLOSING_ROOM_LINES``)."""
    return all(
        page.page in given_up
        or (page.page == target.page and not page.hard and page.room_pt < target.room_pt - 1)
        for page in found
        if page.page <= target.page
    )


def _badness(short: list[ShortPage]) -> tuple[int, int]:
    """Pages the checker would fail, then pages held closer (``CLOSING_ROOM_LINES``) left short."""
    return sum(page.hard for page in short), len(short)


def floated(document: Document, measure: Measure) -> tuple[Document, weasyprint.document.Document]:
    """The document with its short pages remedied, and its measuring layout (``measure``).

    Pages are taken top to bottom: a remedy is kept when it fills its page without leaving an
    earlier one short (it may leave a later page short, for the next remedy: a lifted chart can
    take the last lines over with the 署名); a page no remedy fills is given up. Of all the trees
    so tried, the one with the fewest short pages is kept."""
    measured = measure_pages(measure(document, "measuring"))
    short = short_pages(document, measured)
    best = document, measured, short
    given_up: set[int] = set()
    trials = 0
    while trials < MAX_TRIALS:
        targets = [page.page for page in short if page.page not in given_up]
        if not targets:
            break
        target = next(page for page in short if page.page == targets[0])
        step = None
        for candidate in by_prediction(document, measured, target):
            why = f"trial {trials + 1}: page {target.page + 1} {target.room_lines} lines short, "
            trial = measure_pages(measure(candidate, why + remedy_name(document, candidate)))
            trials += 1
            found = short_pages(candidate, trial)
            if _fixes(found, target, given_up):
                step = candidate, trial, found
                break
            if trials >= MAX_TRIALS:
                break
        if step is None:
            given_up.add(target.page)
            continue
        document, measured, short = step
        if _badness(short) < _badness(best[2]):
            best = step
    return best[0], best[1].rendered


def by_prediction(document: Document, measured: Measured, short: ShortPage) -> list[Document]:
    """The remedies for ``short`` in their order (``remedies.candidates``), those the measuring
    layout shows cannot fill the page moved last: tried only when the others fail, so that the
    kept tree is the one the order gives, one layout sooner."""
    found = list(candidates(document, measured, short))
    hopeless = {id(c) for c in found if _cannot_fill(document, measured, short, c)}
    return [c for c in found if id(c) not in hopeless] + [c for c in found if id(c) in hopeless]


def _cannot_fill(document: Document, measured: Measured, short: ShortPage, candidate: Document) -> bool:
    """``candidate`` only moves paragraphs ahead of the pushed block, and their measured heights
    leave the page short: a paragraph is as tall wherever it stands (the same text, the same
    width), so the page ends where they end, above the pushed block, which still does not fit."""
    at = short.pushed
    body = document.body
    if at is None or len(candidate.body) != len(body) or _other_fields_changed(document, candidate):
        return False
    if any(new is not old for new, old in zip(candidate.body[:at], body[:at], strict=True)):
        return False
    index = {id(block): i for i, block in enumerate(body)}
    ahead = []
    for block in candidate.body[at:]:
        if block is body[at]:
            break
        known = index.get(id(block)) if isinstance(block, Paragraph) else None  # not a new block
        ahead.append(measured.blocks.get(known) if known is not None else None)
    if not ahead or None in ahead:
        return False
    left_pt = short.room_pt - sum(placed.height_pt for placed in ahead if placed is not None)
    return int(left_pt / g.LINE_PITCH_PT + 0.02) > FILLED_ROOM_LINES + PREDICTION_MARGIN_LINES


def _other_fields_changed(document: Document, candidate: Document) -> bool:
    return any(
        getattr(candidate, f.name) is not getattr(document, f.name)
        for f in fields(Document)
        if f.name != "body"
    )
