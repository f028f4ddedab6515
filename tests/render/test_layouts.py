"""Issue 25: the weasyprint layouts a PDF costs, counted by reason (each is logged at debug level),
and what the layouts of one process share (the font configuration, the parsed stylesheet) leaving
the PDF's bytes as they were."""

from __future__ import annotations

import logging
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
import weasyprint

from tests.demo_document import demo_document, demo_table
from tests.render.test_floats import AFTER, TWO_LINES, _pushed_figure_document, chart_after_text
from zsreport import PROJECT_ROOT
from zsreport.model import Document, Heading, Mode, Paragraph
from zsreport.render.pdf import colophon_plan, floats, layout, page_order, render_pdf

LOGGER = "zsreport.render.pdf.layout"


def _one_line_paragraphs(count: int, slug: str) -> Document:
    """A 红头 document of ``count`` one-line paragraphs and a 版记: no page of it can end short
    but its last (pages are left short only before a block that does not fit)."""
    base = demo_document(Mode.FORMAL)
    body = tuple(Paragraph.of(f"第{i}行正文。") for i in range(count))
    return replace(base, body=body, attachments=(), meta=replace(base.meta, slug=slug))


def count_layouts(
    document: Document, target: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> tuple[int, list[str]]:
    """Render ``document``: how many layouts weasyprint made, and the reasons logged for them."""
    made = []
    original = weasyprint.HTML.render

    def counted(self: weasyprint.HTML, *args: object, **kwargs: object) -> weasyprint.document.Document:
        made.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "render", counted)
    layout._PLANS.pop(document, None)  # a layout cached by another test would go uncounted
    with caplog.at_level(logging.DEBUG, logger=LOGGER):
        render_pdf(document, target)
    prefix = f"{document.meta.slug}: layout ("
    reasons = [r.getMessage()[len(prefix) : -1] for r in caplog.records if r.getMessage().startswith(prefix)]
    return len(made), reasons


def test_a_document_without_short_pages_is_laid_out_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The measuring layout is the final one: the 版记 is moved onto it and its lines spread."""
    document = _one_line_paragraphs(40, "once")
    plan = colophon_plan(document)
    assert not plan.blank_page, plan  # a 版记 the measuring layout can hold
    count, reasons = count_layouts(document, tmp_path / "once.pdf", monkeypatch, caplog)
    assert (count, reasons) == (1, ["measuring"])


def test_a_short_page_costs_one_layout_for_its_remedy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A chart that leaves its page short: the measuring layout, then the remedy the measured room
    calls for (the paragraph after the chart moved ahead of it), laid out once to confirm; that
    layout is the final one."""
    document = replace(_pushed_figure_document(), meta=replace(demo_document().meta, slug="remedied"))
    count, reasons = count_layouts(document, tmp_path / "remedied.pdf", monkeypatch, caplog)
    assert count == 2, reasons
    assert reasons[0] == "measuring"
    assert reasons[1].startswith("trial 1: page ") and reasons[1].endswith("moved"), reasons


def _chart_before_a_short_paragraph() -> Document:
    """Eight lines of text, then a 150 mm chart that leaves 14 lines empty, then a two-line
    paragraph and a table: the paragraph moved ahead of the chart would fill two of them (the
    first remedy in order), the table moved ahead of it fills the page (the second)."""
    document = chart_after_text(
        4,
        150,
        Paragraph.of(AFTER),
        demo_table(2, rows=13),
        Heading(1, "二、", "项目推进情况"),
        Paragraph.of(TWO_LINES),
    )
    return replace(document, meta=replace(document.meta, slug="predicted"))


def test_a_remedy_that_cannot_fill_the_page_is_tried_last(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The measured heights say that the paragraph alone leaves the page 12 lines short: the table
    is tried first, and the tree is the one trying them in order keeps, one layout sooner."""
    document = _chart_before_a_short_paragraph()
    count, reasons = count_layouts(document, tmp_path / "predicted.pdf", monkeypatch, caplog)
    predicted = page_order(document)
    kinds = [type(block).__name__ for block in predicted.body]
    assert kinds[-5:] == ["Paragraph", "Table", "Figure", "Heading", "Paragraph"]
    assert reasons[1].startswith("trial 1: page 2 14 lines short, blocks 5–7 moved"), reasons

    caplog.clear()
    monkeypatch.setattr(floats, "by_prediction", lambda d, m, s: list(floats.candidates(d, m, s)))
    in_order, reasons = count_layouts(document, tmp_path / "in-order.pdf", monkeypatch, caplog)
    assert reasons[1].endswith("blocks 5–6 moved") and reasons[2].endswith("blocks 5–7 moved"), reasons
    assert page_order(document) == predicted
    assert in_order == count + 1


# Two documents in one process: the second is laid out with the font configuration and the parsed
# stylesheet the first left; or, "unshared", as before issue 25: a fresh font configuration and the
# stylesheet parsed from the HTML's <style> at every layout.
_RENDER = """
import sys
from dataclasses import replace
from pathlib import Path

import weasyprint

from tests.demo_document import demo_document
from zsreport.render.pdf import layout, render_pdf, shared
from zsreport.render.pdf.fetcher import RefusingURLFetcher
from zsreport.render.pdf.html import render_html

how, folder = sys.argv[1], Path(sys.argv[2])
document = demo_document()
layouts = []
original = weasyprint.HTML.render
weasyprint.HTML.render = lambda self, *a, **k: layouts.append(1) or original(self, *a, **k)
if how == "unshared":
    def unshared(document, plan, why):
        html = render_html(document, plan)
        return weasyprint.HTML(string=html, base_url=shared.BASE_URL, url_fetcher=RefusingURLFetcher()).render()
    layout._layout = unshared
else:
    first = replace(document, body=document.body[:3], meta=replace(document.meta, slug="first"))
    render_pdf(first, folder / "first.pdf")
render_pdf(document, folder / "demo.pdf")
print(f"{len(layouts)} layouts, {len(shared._stylesheets)} stylesheets parsed")
"""


def _render_in_a_fresh_process(how: str, folder: Path) -> tuple[bytes, str]:
    folder.mkdir()
    run = subprocess.run(
        [sys.executable, "-c", _RENDER, how, str(folder)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    return (folder / "demo.pdf").read_bytes(), run.stdout


def test_shared_fonts_and_stylesheet_leave_the_pdf_as_it_was(tmp_path: Path) -> None:
    shared, said = _render_in_a_fresh_process("shared", tmp_path / "shared")
    # the first document's layout, the demo's measuring layout with the same stylesheet, and its
    # squeezed last page's (a stylesheet of its own)
    assert said.strip() == "3 layouts, 2 stylesheets parsed"
    unshared, said = _render_in_a_fresh_process("unshared", tmp_path / "unshared")
    assert said.strip() == "2 layouts, 0 stylesheets parsed"
    assert shared == unshared
