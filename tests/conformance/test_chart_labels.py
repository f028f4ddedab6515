"""Issue 14, item 6, as the checker reads it: the red 序时进度 line of a chart never runs through
a label (``figure.labels-clear``). A chart with its label on the line fails; moved clear, it passes;
every shipped chart passes (``test_conformance``)."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest

from tests.demo_document import demo_document
from zsreport.compose.charts import PROGRESS_RED as RED
from zsreport.conformance import check_pdf
from zsreport.model import Figure, Mode, Paragraph
from zsreport.render.pdf import render_pdf


def _chart(label_x: float) -> Figure:
    """Three bars, the red dashed 序时进度 line at 100 and its label centred at ``label_x``."""
    with plt.rc_context({"svg.fonttype": "path", "svg.hashsalt": "zsreport"}):
        fig, ax = plt.subplots(figsize=(160 / 25.4, 60 / 25.4))
        ax.barh(["A", "B", "C"], [80, 104, 96])
        ax.axvline(100, color=RED, linestyle="--")
        ax.text(label_x, 2.6, "100%", color=RED, ha="center")  # the 序时进度 label
        ax.text(label_x, 1.0, "104.0%", ha="center")
        ax.set_xlim(0, 130)
        svg, png = io.BytesIO(), io.BytesIO()
        fig.savefig(svg, format="svg", metadata={"Date": None})
        fig.savefig(png, format="png", dpi=200)
        plt.close(fig)
    return Figure(1, "完成率", svg.getvalue(), png.getvalue(), 160, 60)


@pytest.mark.parametrize(("label_x", "clear"), [(100, False), (118, True)])
def test_the_red_line_must_not_cross_a_label(tmp_path: Path, label_x: float, clear: bool) -> None:
    base = demo_document(Mode.FORMAL)
    document = replace(
        base,
        body=(Paragraph.of("图1为各项指标完成率。"), _chart(label_x)),
        attachments=(),
        meta=replace(base.meta, slug=f"labels-{label_x}"),
    )
    pdf = render_pdf(document, tmp_path / "labels.pdf")
    (finding,) = [f for f in check_pdf(pdf, document) if f.rule == "figure.labels-clear"]
    assert finding.ok is clear, finding.measured
