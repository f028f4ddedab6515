"""Issue 14, item 6, as the checker reads it: the red 序时进度 line of a chart never runs through
a label (``figure.labels-clear``). A chart with its label on the line fails; moved clear, it passes;
so with the labels as text (as the shipped charts write them) and as glyph outlines; every shipped
chart passes (``test_conformance``)."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest
from matplotlib import font_manager

from tests.demo_document import demo_document
from zsreport.build import BuildResult
from zsreport.compose.charts import LABEL_PT, SMALL_PT, font_families
from zsreport.compose.charts import PROGRESS_RED as RED
from zsreport.conformance import check_pdf
from zsreport.conformance.reading import read_pdf
from zsreport.model import Figure, Mode, Paragraph
from zsreport.render.pdf import render_pdf


def _chart(label_x: float, fonttype: str) -> Figure:
    """Three bars, the red dashed 序时进度 line at 100 and its label centred at ``label_x``."""
    rc = {"svg.fonttype": fonttype, "svg.hashsalt": "zsreport", "font.family": "FandolHei"}
    with plt.rc_context(rc):
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


@pytest.mark.parametrize("fonttype", ["none", "path"])
@pytest.mark.parametrize(("label_x", "clear"), [(100, False), (118, True)])
def test_the_red_line_must_not_cross_a_label(
    tmp_path: Path, label_x: float, clear: bool, fonttype: str
) -> None:
    base = demo_document(Mode.FORMAL)
    document = replace(
        base,
        body=(Paragraph.of("图1为各项指标完成率。"), _chart(label_x, fonttype)),
        attachments=(),
        meta=replace(base.meta, slug=f"labels-{label_x}"),
    )
    pdf = render_pdf(document, tmp_path / "labels.pdf")
    findings = check_pdf(pdf, document)
    (finding,) = [f for f in findings if f.rule == "figure.labels-clear"]
    assert finding.ok is clear, finding.measured
    assert "个标注中" in finding.measured and not finding.measured.startswith("0 ")
    # the chart's text is the chart's: no rule of the running text measures it
    assert all(f.ok for f in findings if f.rule.startswith("body.")), [
        f.measured for f in findings if f.rule.startswith("body.") and not f.ok
    ]


def test_the_shipped_charts_print_their_labels_as_text_in_the_hei_face(built: BuildResult) -> None:
    """The charts' SVG names the faces matplotlib measured the labels with; weasyprint must find
    them, not fall back to another face: every chart character of the city bulletin and of a unit
    bulletin is set in the first chart face, at 9 or 10.5 pt (times the chart's scale)."""
    face = font_manager.FontProperties(
        fname=font_manager.findfont(font_manager.FontProperties(family=[font_families()[0]]))
    ).get_name()
    for slug in ("2020Q4-01-", "2020Q4-13-"):
        (pdf,) = [p for p in built.files if p.name.startswith(slug) and p.suffix == ".pdf"]
        chars = [c for page in read_pdf(pdf) for line in page.chart_lines for c in line.ink()]
        assert len(chars) > 100, pdf.name
        assert {c["fontname"].split("+")[-1].replace("-", "") for c in chars} == {face.replace(" ", "")}, (
            pdf.name
        )
        # at the chart's printed scale: a remedy may draw a chart up to 15 % smaller (README)
        sizes = sorted({round(c["size"], 2) for c in chars})
        scale = sizes[-1] / LABEL_PT
        assert 0.85 <= scale <= 1 and sizes == pytest.approx([SMALL_PT * scale, LABEL_PT * scale], abs=0.02)
        assert "序时进度" in "".join(line.text for page in read_pdf(pdf) for line in page.chart_lines)
