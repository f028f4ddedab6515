"""One layout pass (issue 13): the 版记 moved on the laid-out pages lands where a layout with the
版记 in its place sets it, after the text, on a page of its own, and after a blank page (issue 25:
no second layout for it either)."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from tests.demo_document import demo_document
from tests.render.test_layouts import count_layouts
from zsreport import gbt9704 as g
from zsreport.model import Document, Mode, Paragraph
from zsreport.render.pdf import _plan_colophon, colophon, layout, render_pdf

PT_MM = 25.4 / 72
TOLERANCE_MM = 0.05


def _kind(plan: colophon.ColophonPlan) -> str:
    return "blank page" if plan.blank_page else "own page" if plan.new_page else "after the text"


@pytest.fixture(scope="module")
def by_kind() -> dict[str, Document]:
    """A document for each kind of 版记 plan: one-line paragraphs, one more each time."""
    base = demo_document(Mode.PLAIN)
    found: dict[str, Document] = {}
    for count in range(20, 60):
        lines = tuple(Paragraph.of("一行正文。") for _ in range(count))
        document = type(base)(**{**base.__dict__, "body": lines, "attachments": (), "signoff": None})
        found.setdefault(_kind(_plan_colophon(document)), document)
        if {"after the text", "own page", "blank page"} <= found.keys():
            return found
    pytest.fail(f"only {sorted(found)} found")


def _marks(path: Path) -> list[list[tuple]]:
    """Per page: every character and rule, with its position in mm."""
    with pdfplumber.open(path) as pdf:
        return [
            [(c["text"], c["x0"] * PT_MM, c["top"] * PT_MM) for c in page.chars]
            + [("rule", r["x0"] * PT_MM, r["top"] * PT_MM) for r in (*page.rects, *page.lines)]
            for page in pdf.pages
        ]


@pytest.mark.parametrize("kind", ["after the text", "own page", "blank page"])
def test_moved_colophon_lands_where_a_layout_puts_it(
    by_kind: dict[str, Document], kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = by_kind[kind]
    moved = _marks(render_pdf(document, tmp_path / "moved.pdf"))
    # The same document laid out a second time with the 版记 in its place (the route a measuring
    # layout that does not hold the 版记 alone on its last page takes).
    monkeypatch.setattr(layout, "place_colophon", lambda rendered, plan: False)
    laid_out = _marks(render_pdf(document, tmp_path / "laid-out.pdf"))
    assert len(moved) == len(laid_out) and len(moved) % 2 == 0
    for page, (ours, theirs) in enumerate(zip(moved, laid_out, strict=True), 1):
        assert [m[0] for m in ours] == [m[0] for m in theirs], f"page {page}"
        for (text, x, y), (_, x2, y2) in zip(ours, theirs, strict=True):
            assert abs(x - x2) <= TOLERANCE_MM and abs(y - y2) <= TOLERANCE_MM, (page, text, x, x2, y, y2)
    printed = [m for m in moved[-1] if m[0] == "印"]
    assert printed, "the 版记 is on the last page"
    # its last line sits at the 版心's foot (the rule under it within the fit slack)
    assert printed[-1][2] > g.MARGIN_TOP_MM + g.TEXT_HEIGHT_MM - 2 * g.COLOPHON_SIZE_PT * PT_MM


@pytest.mark.parametrize("kind", ["after the text", "own page", "blank page"])
def test_every_kind_of_colophon_plan_takes_one_layout(
    by_kind: dict[str, Document],
    kind: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """No page of these is short: the measuring layout is the final one, the 版记 moved onto it."""
    count, reasons = count_layouts(by_kind[kind], tmp_path / "once.pdf", monkeypatch, caplog)
    assert (count, reasons) == (1, ["measuring"])
