"""Charts: valid SVG and PNG at the printed size, no missing glyphs, same bytes every time."""

from __future__ import annotations

import io
import itertools
import re
import struct
import sys
import threading
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Callable

import pytest
from matplotlib import font_manager
from matplotlib.text import Text
from PIL import Image

from zsreport import gbt9704
from zsreport.compose import chart_fonts, charts
from zsreport.compose.charts import ChartImage

UNITS = (
    "邵阳经开区", "邵东市", "新邵县", "隆回县", "武冈市", "洞口县", "邵阳县",
    "绥宁县", "城步县", "新宁县", "大祥区", "双清区", "北塔区",
)  # fmt: skip
RATES = (1.032, 0.912, 0.688, 0.754, 0.75, 0.4996, None, 0.812, 0.0, 1.25, 0.731, 0.96, 0.602)
CHAINS = ("装备制造", "显示功能材料", "智能家居家电", "循环经济", "中医药", "时尚用品", "互联网", "其他")
INDICATORS = (
    "省外境内资金", "工业引资", "实际利用外资", "新引进产业招商项目",
    "七大产业链项目", "高新技术企业", "投资5亿元以上制造业项目", "三类500强企业项目",
)  # fmt: skip
QUARTERS = ("一季度", "二季度", "三季度", "四季度")
PROGRESS_POINTS = (105.0, 210.0, 315.0, 420.0)  # 序时进度 path of a 420 target, in 亿元

CHARTS: dict[str, Callable[[], ChartImage]] = {
    "completion_by_unit": lambda: charts.completion_by_unit(UNITS, RATES, 0.75, "省外境内资金"),
    "chains_overview": lambda: charts.chains_overview(
        CHAINS, (18, 7, 9, 5, 4, 11, 3, 0), (86.35, 42.1, 37.8, 12.5, 9.05, 21.6, 4.2, 0.0)
    ),
    "quarterly_trend": lambda: charts.quarterly_trend(
        QUARTERS, (102.36, 228.4, 318.95), 420.0, PROGRESS_POINTS, "省外境内资金", "亿元"
    ),
    "unit_indicators": lambda: charts.unit_indicators(
        INDICATORS, (0.83, 0.91, None, 0.667, 1.0, 0.5, 0.0, 1.5), 0.75, "邵阳县"
    ),
}

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def chart_font_files() -> list[str]:
    """The files of the faces the charts are drawn in, best first."""
    return [
        font_manager.findfont(font_manager.FontProperties(family=[alias]), fallback_to_default=False)
        for alias in charts.font_families()
    ]


def strict(make: Callable[[], ChartImage]) -> ChartImage:
    """Draw with every warning raised as an error ("Glyph … missing" is a UserWarning)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return make()


@pytest.fixture(scope="module")
def images() -> dict[str, ChartImage]:
    return {name: strict(make) for name, make in CHARTS.items()}


def png_chunks(data: bytes) -> dict[bytes, bytes]:
    assert data[:8] == PNG_SIGNATURE
    chunks: dict[bytes, bytes] = {}
    pos = 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        chunks.setdefault(kind, data[pos + 8 : pos + 8 + length])
        pos += 12 + length
    return chunks


def check_image(image: ChartImage) -> None:
    dpi = gbt9704.FIGURE_PNG_DPI
    assert dpi >= 200
    assert 0 < image.width_mm <= gbt9704.TEXT_WIDTH_MM
    assert 0 < image.height_mm <= gbt9704.TEXT_HEIGHT_MM
    assert image.alt

    svg = ET.fromstring(image.svg)
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    assert float(svg.get("width").removesuffix("pt")) == pytest.approx(gbt9704.mm_to_pt(image.width_mm))
    assert float(svg.get("height").removesuffix("pt")) == pytest.approx(gbt9704.mm_to_pt(image.height_mm))
    # Text as text, in the faces matplotlib measured it with, named as fontconfig knows them (not
    # matplotlib's private aliases), at the left end of its baseline (no text-anchor for a
    # renderer to re-measure), and every label there.
    texts = svg.findall(".//{http://www.w3.org/2000/svg}text")
    assert texts
    faces = [font_manager.FontProperties(fname=path).get_name() for path in chart_font_files()]
    for text in texts:
        style = text.get("style", "")
        families = re.search(r"font-family: ([^;]+)", style).group(1)
        assert [f.strip(" '") for f in families.split(",")] == faces, style
        assert "text-anchor" not in style and text.get("x") is None
        assert re.fullmatch(r"translate\([-\d.]+ [-\d.]+\)", text.get("transform")), text.get("transform")
    assert chart_fonts.ALIAS_PREFIX.encode() not in image.svg

    chunks = png_chunks(image.png)
    width, height = struct.unpack(">II", chunks[b"IHDR"][:8])
    assert width == pytest.approx(image.width_mm / 25.4 * dpi, abs=1.5)
    assert height == pytest.approx(image.height_mm / 25.4 * dpi, abs=1.5)
    ppm_x, ppm_y, unit = struct.unpack(">IIB", chunks[b"pHYs"])
    assert unit == 1  # pixels per metre
    assert ppm_x == ppm_y == pytest.approx(dpi / 0.0254, abs=1)
    assert b"tEXt" not in chunks or b"Software" not in chunks[b"tEXt"]

    pixels = Image.open(io.BytesIO(image.png)).convert("L")
    assert pixels.size == (width, height)
    dark = sum(pixels.histogram()[:128])
    assert dark > 0.005 * width * height, "the chart is (nearly) blank"


@pytest.mark.parametrize("name", CHARTS)
def test_valid_svg_and_png_at_printed_size(images: dict[str, ChartImage], name: str) -> None:
    check_image(images[name])


def test_full_text_width(images: dict[str, ChartImage]) -> None:
    for image in images.values():
        assert image.width_mm == gbt9704.FIGURE_WIDTH_MM


@pytest.mark.parametrize("name", CHARTS)
def test_same_bytes_twice(images: dict[str, ChartImage], name: str) -> None:
    again = strict(CHARTS[name])
    assert again.svg == images[name].svg
    assert again.png == images[name].png
    assert again == images[name]


def test_same_bytes_from_threads(images: dict[str, ChartImage]) -> None:
    results: dict[str, ChartImage] = {}

    def run(name: str) -> None:
        results[name] = CHARTS[name]()

    threads = [threading.Thread(target=run, args=(name,)) for name in CHARTS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == images


def test_no_pyplot_figures_left() -> None:
    pyplot = sys.modules.get("matplotlib.pyplot")
    before = pyplot.get_fignums() if pyplot else []
    for make in CHARTS.values():
        make()
    if pyplot:
        assert pyplot.get_fignums() == before


def test_missing_glyph_is_caught() -> None:
    """The strict wrapper is not toothless: a character no installed face has does raise."""
    with pytest.raises(UserWarning, match="Glyph"):
        strict(lambda: charts.completion_by_unit(["\ue000县"], [0.5], 0.5, "工业引资"))


def test_rare_name_characters_fall_back_without_warning() -> None:
    # 镕 堃 喆 are missing from FandolHei; the chain falls back to Noto CJK.
    image = strict(lambda: charts.unit_indicators(["王镕堃喆项目"], [0.9], 0.5, "双清区"))
    check_image(image)


def test_text_is_at_least_9pt(monkeypatch: pytest.MonkeyPatch) -> None:
    sizes: list[tuple[float, str]] = []
    save = charts._save

    def recording_save(fig, height_mm, alt):
        fig.canvas.draw()  # creates the tick labels
        for text in fig.findobj(Text):
            if text.get_visible() and text.get_text():
                sizes.append((text.get_fontsize(), text.get_text()))
        return save(fig, height_mm, alt)

    monkeypatch.setattr(charts, "_save", recording_save)
    for make in CHARTS.values():
        make()
    assert sizes
    assert min(sizes) >= (9.0, ""), min(sizes)
    assert any(text == "序时进度75%" for _, text in sizes)
    assert any(text == "103.2%" for _, text in sizes)
    assert any(text == "无目标" for _, text in sizes)


def test_completion_groups_in_alt() -> None:
    alt = charts.completion_by_unit(UNITS, RATES, 0.75, "省外境内资金").alt
    assert "序时进度75%" in alt
    assert "无目标1个：邵阳县" in alt
    # 75.0% (武冈市) is on schedule; 0.0% (城步县) and 73.1% (大祥区) are behind.
    assert "达到序时进度7个：邵阳经开区、邵东市、隆回县、武冈市、绥宁县、新宁县、双清区" in alt
    assert "低于序时进度5个：新邵县、洞口县、城步县、大祥区、北塔区" in alt


def test_rates_compared_as_printed() -> None:
    # compose passes the rates as printed: 74.96% (a hair behind a 75% 序时进度) is behind, 75.0% is not
    alt = charts.unit_indicators(["甲", "乙"], [0.75, 0.7496], 0.75, "新宁县").alt
    assert "达到序时进度1个：甲" in alt
    assert "低于序时进度1个：乙" in alt
    assert charts._pct_label(99.96) == "99.96%" and charts._pct_label(75.0) == "75.0%"


def test_none_and_nan_mean_no_target() -> None:
    image = strict(
        lambda: charts.completion_by_unit(["甲", "乙", "丙"], [None, float("nan"), None], 0.5, "工业引资")
    )
    check_image(image)
    assert "无目标3个：甲、乙、丙" in image.alt
    assert "达到序时进度0个" in image.alt


def test_none_changes_the_picture() -> None:
    with_target = charts.completion_by_unit(["甲", "乙"], [0.8, 0.6], 0.5, "工业引资")
    without = charts.completion_by_unit(["甲", "乙"], [0.8, None], 0.5, "工业引资")
    assert with_target.png != without.png


@pytest.mark.parametrize(
    "make",
    [
        lambda: charts.completion_by_unit([], [], 0.5, "工业引资"),
        lambda: charts.unit_indicators([], [], 0.25, "北塔区"),
        lambda: charts.chains_overview([], [], []),
        lambda: charts.quarterly_trend([], [], 0.0, [], "工业引资", "亿元"),
        lambda: charts.quarterly_trend(QUARTERS, [], 420.0, PROGRESS_POINTS, "工业引资", "亿元"),
        lambda: charts.completion_by_unit(["甲"], [0.0], 0.0, "工业引资"),
        lambda: charts.chains_overview(["装备制造"], [0], [0.0]),
        lambda: charts.quarterly_trend(QUARTERS, [0.0], 0.0, (0, 0, 0, 0), "七大产业链项目", "个"),
        lambda: charts.completion_by_unit(["甲", "乙"], [12.5, -0.2], 1.0, "实际利用外资"),
    ],
    ids=[
        "units-empty", "indicators-empty", "chains-empty", "trend-empty", "trend-no-actuals",
        "units-zero", "chains-zero", "trend-zero-target", "units-extreme",
    ],
)  # fmt: skip
def test_degenerate_data_draws(make: Callable[[], ChartImage]) -> None:
    image = strict(make)
    assert image.png.startswith(PNG_SIGNATURE)
    ET.fromstring(image.svg)
    assert image.width_mm <= gbt9704.TEXT_WIDTH_MM
    assert image.height_mm <= gbt9704.TEXT_HEIGHT_MM


def test_many_rows_stay_on_the_page() -> None:
    names = [f"单位{i}" for i in range(charts.MAX_BARS)]
    image = charts.completion_by_unit(names, [0.01 * i for i in range(len(names))], 0.5, "工业引资")
    assert image.height_mm <= gbt9704.TEXT_HEIGHT_MM


@pytest.mark.parametrize(("units", "sizes"), [(13, [13]), (40, [40]), (41, [21, 20]), (120, [40, 40, 40])])
def test_a_province_of_units_is_split_into_charts_of_at_most_max_bars(units: int, sizes: list[int]) -> None:
    assert [len(range(units)[part]) for part in charts.chart_parts(units)] == sizes


def test_split_charts_share_one_scale_and_name_every_unit_once() -> None:
    """120 units: three charts of 40 bars, each on a page, one x scale (the axis ticks agree
    although the parts' largest rates differ), every unit named in exactly one part's alt text."""
    names = [f"单位{i:03d}" for i in range(120)]
    rates = [0.5 + 0.01 * i for i in range(120)]  # the last part reaches 169 %, the first 89 %
    parts = charts.completion_by_unit_parts(names, rates, 0.75, "工业引资")
    assert len(parts) == 3
    assert all(p.height_mm == charts.MAX_HEIGHT_MM <= gbt9704.TEXT_HEIGHT_MM for p in parts)
    for name in names:
        assert sum(name in p.alt for p in parts) == 1, name
    ticks = [re.findall(rb'id="xtick_\d+"', p.svg) for p in parts]
    assert ticks[0] == ticks[1] == ticks[2] and len(ticks[0]) >= 5
    single = charts.completion_by_unit(names[:40], rates[:40], 0.75, "工业引资")
    assert len(re.findall(rb'id="xtick_\d+"', single.svg)) < len(ticks[0])  # fitted alone: fewer ticks


def test_rows_grow_the_figure() -> None:
    few = charts.completion_by_unit(UNITS[:3], RATES[:3], 0.75, "工业引资")
    many = charts.completion_by_unit(UNITS, RATES, 0.75, "工业引资")
    assert few.height_mm < many.height_mm


def test_mismatched_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="lengths differ"):
        charts.completion_by_unit(UNITS, RATES[:-1], 0.75, "工业引资")
    with pytest.raises(ValueError, match="lengths differ"):
        charts.chains_overview(CHAINS, (1, 2), (1.0, 2.0))
    with pytest.raises(ValueError):
        charts.quarterly_trend(QUARTERS, (1, 2, 3, 4, 5), 10.0, PROGRESS_POINTS, "工业引资", "亿元")


def test_trend_marks_quarters_behind() -> None:
    alt = charts.quarterly_trend(
        QUARTERS, (102.36, 228.4), 420.0, PROGRESS_POINTS, "省外境内资金", "亿元"
    ).alt
    assert "全年目标420.00亿元" in alt
    assert "低于序时进度的季度：一季度。" in alt  # 102.36 < 105, 228.40 ≥ 210


def test_trend_path_is_drawn_as_given(monkeypatch: pytest.MonkeyPatch) -> None:
    """The 序时进度 points are values in the chart's unit, plotted unscaled."""
    plotted: list[list[float]] = []
    save = charts._save

    def recording_save(fig, height_mm, alt):
        plotted.extend(list(line.get_ydata()) for ax in fig.axes for line in ax.get_lines())
        return save(fig, height_mm, alt)

    monkeypatch.setattr(charts, "_save", recording_save)
    charts.quarterly_trend(
        QUARTERS[:3], (102.36, 228.4, 318.95), 420.0, PROGRESS_POINTS[:3], "省外境内资金", "亿元"
    )
    assert [105.0, 210.0, 315.0] in plotted
    assert [420.0, 420.0] in plotted  # the annual plan line


def test_trend_without_target_marks_nothing() -> None:
    alt = charts.quarterly_trend(QUARTERS[:2], (3, 5), 0.0, (0.0, 0.0), "高新技术企业", "个").alt
    assert "无全年目标" in alt
    assert "低于序时进度" not in alt


def test_fonts_found_and_regular(monkeypatch: pytest.MonkeyPatch) -> None:
    from matplotlib import font_manager, ft2font

    families = charts.font_families()
    assert families
    path = font_manager.findfont(font_manager.FontProperties(family=[families[0]]), fallback_to_default=False)
    face = ft2font.FT2Font(path)
    assert face.style_name.lower() in {"regular", "book", "normal", "medium"}, (path, face.style_name)


def test_no_cjk_font_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chart_fonts, "_families", None)
    monkeypatch.setattr(chart_fonts, "FONT_CHAIN", ("No Such Face zsreport",))
    with pytest.raises(charts.ChartFontError, match="no CJK font"):
        charts.completion_by_unit(["甲"], [0.5], 0.5, "工业引资")


def test_font_lookup_without_fontconfig(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chart_fonts, "_families", None)
    monkeypatch.setattr(chart_fonts.shutil, "which", lambda name: None)
    assert chart_fonts.font_families()


def _legend_texts(make: Callable[[], ChartImage], monkeypatch: pytest.MonkeyPatch) -> list[str]:
    texts: list[str] = []
    save = charts._save

    def recording_save(fig, height_mm, alt):
        texts.extend(t.get_text() for legend in fig.legends for t in legend.get_texts())
        return save(fig, height_mm, alt)

    monkeypatch.setattr(charts, "_save", recording_save)
    make()
    return texts


def test_legend_shows_only_the_kinds_of_bar_drawn(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every bar on schedule: no 低于序时进度 key; every bar behind: no 达到序时进度 key."""
    all_on = _legend_texts(
        lambda: charts.completion_by_unit(UNITS[:3], (1.0, 0.9, 0.8), 0.75, "x"), monkeypatch
    )
    assert all_on == ["达到序时进度"]
    all_late = _legend_texts(
        lambda: charts.quarterly_trend(QUARTERS[:2], (100.0, 200.0), 420.0, PROGRESS_POINTS[:2], "x", "亿元"),
        monkeypatch,
    )
    assert all_late[:2] == ["低于序时进度", "序时进度"]
    mixed = _legend_texts(CHARTS["completion_by_unit"], monkeypatch)
    assert mixed == ["达到序时进度", "低于序时进度"]


def _drawn_geometry(make: Callable[[], ChartImage], monkeypatch: pytest.MonkeyPatch) -> tuple[list, list]:
    """(text boxes as (text, Bbox), red 序时进度 lines as display polylines) of the chart as saved."""
    found: tuple[list, list] = ([], [])
    save = charts._save

    def recording_save(fig, height_mm, alt):
        image = save(fig, height_mm, alt)
        fig.draw_without_rendering()  # the layout as saved, in the SVG's measure
        renderer = fig._get_renderer()
        for text in fig.findobj(Text):
            if text.get_visible() and text.get_text().strip():
                found[0].append((text.get_text(), text.get_window_extent(renderer)))
        for ax in fig.axes:
            for line in ax.get_lines():
                if line.get_color() == charts.PROGRESS_RED:
                    found[1].append(line.get_transform().transform(line.get_xydata()))
        return image

    monkeypatch.setattr(charts, "_save", recording_save)
    make()
    return found


def _crosses(polyline, box) -> bool:
    inner = box.padded(-0.5)
    for (x0, y0), (x1, y1) in itertools.pairwise(polyline):
        for k in range(201):
            if inner.contains(x0 + (x1 - x0) * k / 200, y0 + (y1 - y0) * k / 200):
                return True
    return False


TIGHT_CHARTS = {
    **CHARTS,
    # a bar ending just short of the line (its label would straddle it) and a steep path
    "completion_near_line": lambda: charts.completion_by_unit(UNITS[:4], (0.74, 0.73, 0.2, 0.76), 0.75, "x"),
    "trend_steep": lambda: charts.quarterly_trend(
        QUARTERS, (96.0, 215.0, 330.0), 420.0, PROGRESS_POINTS, "省外境内资金", "亿元"
    ),
}


@pytest.mark.parametrize("name", sorted(TIGHT_CHARTS))
def test_no_text_overlaps_and_the_line_crosses_no_text(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    boxes, lines = _drawn_geometry(TIGHT_CHARTS[name], monkeypatch)
    assert boxes
    for i, (a, box_a) in enumerate(boxes):
        for b, box_b in boxes[i + 1 :]:
            assert not box_a.padded(-0.5).overlaps(box_b.padded(-0.5)), f"{a!r} overlaps {b!r}"
    for polyline in lines:
        for text, box in boxes:
            assert not _crosses(polyline, box), f"the 序时进度 line crosses {text!r}"
    if name != "chains_overview":
        assert lines  # the line is measured


def test_dollar_signs_in_a_name_are_printed_not_parsed_as_a_formula() -> None:
    """Untrusted text stays text: matplotlib would read "$x^2$" as mathtext and print "x²"."""
    names = ("$x^2$县", *UNITS[1:])
    image = charts.completion_by_unit(names, RATES, 0.75, "省外境内资金")
    texts = "".join(t.text or "" for t in ET.fromstring(image.svg).iter("{http://www.w3.org/2000/svg}text"))
    assert "$x^2$县" in texts
