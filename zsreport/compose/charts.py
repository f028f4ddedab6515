"""Charts for the bulletins: plain labels and numbers in, SVG + PNG bytes out.

Every chart is laid out once and saved twice from that layout: SVG (vector) for the PDF and PNG
at ``gbt9704.FIGURE_PNG_DPI`` for the DOCX. The SVG writes its labels as text in the charts' 黑体
faces (``chart_fonts``), each at the left end of its baseline where matplotlib placed it: weasyprint
sets a few dozen short strings quickly, where glyph outlines cost it thousands of paths, and the
PDF's chart labels become text a reader can search and copy. The figure size is the printed size (``figsize`` in
inches = mm / 25.4), so a 10.5 pt label in the figure is 10.5 pt on paper; nothing here is smaller
than 9 pt. Captions ("图1 …") are not drawn: compose turns a ``ChartImage`` into a numbered
``model.Figure``.

One look for all charts, readable in black-and-white print: dark blue solid bars for what is on
schedule, white bars hatched in dark blue for what is behind the 序时进度, grey for secondary
series, and red only for the dashed 序时进度 line, which is always labelled in words as well.

Rates (完成率) and time progress (序时进度) are fractions: 1.032 is printed "103.2%". ``None`` (or
a non-finite number) means "no target" and is shown as "无目标" without a bar.

Bytes are reproducible (fixed SVG hash salt, no dates or software tags) and no pyplot state is
used: each chart is a ``matplotlib.figure.Figure`` on an SVG canvas, drawn under a module lock
because ``rcParams`` are process-wide.
"""

from __future__ import annotations

import functools
import io
import math
import threading
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import matplotlib
import numpy
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.backends.backend_mixed import MixedModeRenderer
from matplotlib.backends.backend_svg import FigureCanvasSVG, RendererSVG
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.text import Annotation
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import blended_transform_factory

from zsreport import gbt9704
from zsreport.compose import chart_cache, chart_fonts
from zsreport.compose.chart_fonts import ALIAS_PREFIX, face_files, font_families
from zsreport.compose.chart_fonts import ChartFontError as ChartFontError  # callers catch it here

# --- style -------------------------------------------------------------------------------------

DARK_BLUE = "#1F3864"  # main series
GREY = "#7F7F7F"  # secondary series, annual plan line, "无目标"
TEXT = "#000000"
PROGRESS_RED = "#C00000"  # only for the 序时进度 line and its label
BEHIND_FACE = "#FFFFFF"  # behind schedule: white, hatched in dark blue
BEHIND_HATCH = "////"
PROGRESS_DASH = (0, (6, 3))
PLAN_DASH = (0, (8, 2, 1.5, 2))  # dash-dot: differs from the 序时进度 dash in grey print
# The 序时进度 path of the trend chart: white-rimmed dots stay visible where it crosses a bar.
_PROGRESS_PATH = {
    "color": PROGRESS_RED,
    "linestyle": PROGRESS_DASH,
    "linewidth": 1.2,
    "marker": "o",
    "markersize": 4.5,
    "markeredgecolor": "white",
    "markeredgewidth": 0.8,
}
# A white rim keeps the red 序时进度 line visible across dark bars once printed in grey.
_HALO = [patheffects.withStroke(linewidth=2.8, foreground="white")]

LABEL_PT = gbt9704.SIZE_5HAO_PT  # 五号 10.5 pt: tick labels, axis titles
SMALL_PT = 9.0  # value labels, legends; the smallest text in any chart
LINE_CLEARANCE_PT = 3.0  # white space between the 序时进度 line (with its halo) and any text
BAR_HEIGHT = 0.62  # of a row

WIDTH_MM = gbt9704.FIGURE_WIDTH_MM
MAX_HEIGHT_MM = 200.0  # well inside the 225 mm 版心 so a caption fits on the same page
ROW_MM = 7.5  # one horizontal bar
BARH_FRAME_MM = 34.0  # 序时进度 label + x axis + axis title + legend
# The most bars one chart holds: at 40 the rows are 4.2 mm apart in MAX_HEIGHT_MM, the 五号
# names still a line apart. A province's 120 units become three charts of 40 (one scale).
MAX_BARS = 40

SVG_HASH_SALT = "zsreport"

# Text as text, in the faces matplotlib measured it with (``_svg``): the PDF embeds them (the
# 黑体 stand-in is embedded for the headings anyway), so the chart needs no installed font there.
_RC = {
    "svg.fonttype": "none",
    # A name is printed as written: "$…$" in a unit or indicator name is text, not a formula
    # (untrusted text stays text).
    "text.parse_math": False,
    "svg.hashsalt": SVG_HASH_SALT,
    "axes.unicode_minus": False,
    "font.size": LABEL_PT,
    "axes.labelsize": LABEL_PT,
    "axes.titlesize": LABEL_PT,
    "xtick.labelsize": LABEL_PT,
    "ytick.labelsize": LABEL_PT,
    "legend.fontsize": SMALL_PT,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.linewidth": 0.6,
    "axes.edgecolor": TEXT,
    "axes.labelcolor": TEXT,
    "xtick.color": TEXT,
    "ytick.color": TEXT,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "hatch.linewidth": 0.6,
    "text.color": TEXT,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "figure.constrained_layout.h_pad": 2 / 72,
    "figure.constrained_layout.w_pad": 2 / 72,
}

_LOCK = threading.RLock()
# Figures whose constrained layout is current: laid out by a label helper that then moved nothing
_LAID_OUT: weakref.WeakSet[Figure] = weakref.WeakSet()


@dataclass(frozen=True)
class ChartImage:
    """One chart at its printed size. ``alt`` says in words what the chart shows."""

    svg: bytes
    png: bytes  # gbt9704.FIGURE_PNG_DPI, with the dpi recorded in the pHYs chunk
    width_mm: float
    height_mm: float
    alt: str


# --- the chart cache ---------------------------------------------------------------------------


def _style() -> str:
    """Everything besides its arguments that a chart's picture depends on (``chart_cache``)."""
    sources = (__file__, chart_fonts.__file__)
    numbers = (gbt9704.FIGURE_WIDTH_MM, gbt9704.FIGURE_PNG_DPI, gbt9704.SIZE_5HAO_PT)
    return chart_cache.style_key(sources, numbers, face_files())


def _cached(draw: Callable[..., ChartImage]) -> Callable[..., ChartImage]:
    """A chart function whose pictures are kept by a hash of its arguments and the style, while
    a build's ``chart_cache.session`` is open (outside one, it simply draws)."""

    @functools.wraps(draw)
    def chart(*args: object, **kwargs: object) -> ChartImage:
        if chart_cache.active() is None:
            return draw(*args, **kwargs)
        key = chart_cache.chart_key(draw.__name__, _style(), args, kwargs)

        def drawn() -> chart_cache.Parts:
            image = draw(*args, **kwargs)
            return image.svg, image.png, image.width_mm, image.height_mm, image.alt

        return ChartImage(*chart_cache.lookup_or_draw(key, drawn))

    return chart


# --- drawing helpers ---------------------------------------------------------------------------


@contextmanager
def _figure(height_mm: float) -> Iterator[Figure]:
    """A figure at printed size, with the chart style, under the module lock."""
    families = font_families()
    with _LOCK, matplotlib.rc_context({**_RC, "font.family": list(families)}):
        # Laid out in the measure of the SVG the PDF prints (72 dpi, unhinted), as savefig did
        fig = Figure(figsize=(WIDTH_MM / 25.4, height_mm / 25.4), dpi=72, layout="constrained")
        FigureCanvasSVG(fig)
        yield fig


def _save(fig: Figure, height_mm: float, alt: str) -> ChartImage:
    """The chart laid out once (constrained layout, labels where the helpers moved them), then
    drawn once as SVG and once as PNG to that same layout."""
    if fig not in _LAID_OUT:
        fig.draw_without_rendering()
    fig.set_layout_engine("none")  # keep the positions just computed: savefig would lay out again
    png = io.BytesIO()
    fig.savefig(png, format="png", dpi=gbt9704.FIGURE_PNG_DPI, metadata={"Software": None})
    return ChartImage(_svg(fig), png.getvalue(), WIDTH_MM, height_mm, alt)


class _LeftAnchoredSVG(RendererSVG):
    """SVG text placed at the left end of its baseline, as matplotlib laid it out, rather than at
    its anchor with ``text-anchor: middle``: weasyprint draws a centred SVG text in a group of its
    own (a PDF form XObject per label) and centres it by its own measure; a left-anchored one is
    plain text in the page, exactly where matplotlib put it."""

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):  # type: ignore[no-untyped-def]
        super().draw_text(gc, x, y, s, prop, angle, ismath, mtext=None)


def _svg(fig: Figure) -> bytes:
    """The figure as SVG at 72 dpi (``FigureCanvasSVG.print_svg`` with our renderer), no date.

    The faces are named by their family names, not matplotlib's private aliases
    (``chart_fonts``), so weasyprint finds the very faces matplotlib measured the text with."""
    out = io.StringIO()
    dpi = fig.dpi
    width, height = fig.get_size_inches()
    try:
        fig.dpi = 72
        svg = _LeftAnchoredSVG(width * 72, height * 72, out, image_dpi=dpi, metadata={"Date": None})
        renderer = MixedModeRenderer(fig, width, height, dpi, svg)
        fig.draw(renderer)
        renderer.finalize()
    finally:
        fig.dpi = dpi
    text = out.getvalue().replace(f"'{ALIAS_PREFIX}", "'").replace(" rotate(-0)", "")
    return text.encode("utf-8")


def _rate(value: float | None) -> float | None:
    """A rate as a percentage, or None for "no target". Compose passes the rates as the text prints
    them (one decimal, or more where one would cross 100% or 序时进度: 99.96%), so the bars, their
    labels and the on-schedule grouping say what the sentences and tables say."""
    if value is None or not math.isfinite(value):
        return None
    return round(value * 100, 4)


def _pct_label(percent: float) -> str:
    """103.2 → "103.2%", 75.0 → "75.0%", 99.96 → "99.96%"."""
    text = f"{percent:.4f}".rstrip("0")
    return f"{text}0%" if text.endswith(".") else f"{text}%"


def _pct_short(percent: float) -> str:
    """75.0 → "75%", 66.7 → "66.7%"."""
    return f"{percent:.1f}".removesuffix(".0") + "%"


def _decimals(values: Sequence[float]) -> int:
    """One precision per series: 0 when all values are whole, else 1 or 2 decimals."""
    if all(float(v).is_integer() for v in values):
        return 0
    if all(round(v, 1) == round(v, 6) for v in values):
        return 1
    return 2


def _check_lengths(what: str, **seqs: Sequence[object]) -> int:
    lengths = {name: len(seq) for name, seq in seqs.items()}
    if len(set(lengths.values())) > 1:
        raise ValueError(f"{what}: lengths differ: {lengths}")
    return next(iter(lengths.values()))


def _no_data(ax: Axes) -> None:
    ax.set_axis_off()
    ax.text(0.5, 0.5, "无数据", transform=ax.transAxes, ha="center", va="center", color=GREY)


_WHITE_GROUND = {"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"}


def _value_label(
    ax: Axes, x: float, y: float, text: str, *, horizontal: bool, color: str = TEXT
) -> Annotation:
    """A value at the end of a bar, on a white ground so a crossing line cannot hide it.

    Horizontal bars below zero keep their label right of the zero line, clear of the
    category names.
    """
    if horizontal:
        x = max(x, 0)
        offset, ha, va = (3, 0), "left", "center"
    else:
        offset, ha, va = ((0, 2), "center", "bottom") if y >= 0 else ((0, -2), "center", "top")
    return ax.annotate(
        text,
        xy=(x, y),
        xytext=offset,
        textcoords="offset points",
        ha=ha,
        va=va,
        fontsize=SMALL_PT,
        color=color,
        zorder=4,
        bbox=_WHITE_GROUND,
    )


def _barh_height(rows: int) -> float:
    return min(MAX_HEIGHT_MM, BARH_FRAME_MM + ROW_MM * max(rows, 2))


def _status_legend(fig: Figure, *extra: Line2D, on_track: bool = True, behind: bool = True) -> None:
    """The legend names only the kinds of bar the chart holds (issue 14: no 低于序时进度 key
    when every bar is on schedule)."""
    handles = [
        *([Patch(facecolor=DARK_BLUE, edgecolor=DARK_BLUE, label="达到序时进度")] if on_track else []),
        *(
            [Patch(facecolor=BEHIND_FACE, edgecolor=DARK_BLUE, hatch=BEHIND_HATCH, label="低于序时进度")]
            if behind
            else []
        ),
        *extra,
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), handlelength=2.2)


def _names(items: Sequence[str]) -> str:
    return "、".join(items) if items else "无"


# --- completion rates (units, or one unit's indicators) ----------------------------------------


def _draw_completion(
    fig: Figure,
    categories: Sequence[str],
    rates: Sequence[float | None],
    time_progress: float,
    axis_title: str,
    scale: tuple[float, float] | None = None,
) -> tuple[list[str], list[str], list[str]]:
    """Horizontal bars of 完成率 with the 序时进度 line; returns (on track, behind, no target).
    ``scale``: the x range, when several charts show one series (else fitted to these bars)."""
    percents = [_rate(r) for r in rates]
    progress = round(time_progress * 100, 1)
    ax = fig.add_subplot()
    if not categories:
        _no_data(ax)
        return [], [], []
    on_track: list[str] = []
    behind: list[str] = []
    no_target: list[str] = []
    labels: list[Annotation] = []
    for row, (name, percent) in enumerate(zip(categories, percents, strict=True)):
        if percent is None:
            no_target.append(name)
            labels.append(_value_label(ax, 0, row, "无目标", horizontal=True, color=GREY))
            continue
        late = percent < progress
        (behind if late else on_track).append(name)
        ax.barh(
            row,
            percent,
            height=BAR_HEIGHT,
            facecolor=BEHIND_FACE if late else DARK_BLUE,
            edgecolor=DARK_BLUE,
            hatch=BEHIND_HATCH if late else None,
            linewidth=0.6,
            zorder=2,
        )
        labels.append(_value_label(ax, percent, row, _pct_label(percent), horizontal=True))

    ax.set_xlim(*(scale or _completion_scale([p for p in percents if p is not None], progress)))
    ax.axvline(
        progress, color=PROGRESS_RED, linestyle=PROGRESS_DASH, linewidth=1.2, zorder=3, path_effects=_HALO
    )
    ax.annotate(  # above the plot, a little clear of the line's end
        f"序时进度{_pct_short(progress)}",
        xy=(progress, 1.0),
        xycoords=blended_transform_factory(ax.transData, ax.transAxes),
        xytext=(0, LINE_CLEARANCE_PT),
        textcoords="offset points",
        ha="center",
        va="bottom",
        color=PROGRESS_RED,
        fontsize=SMALL_PT,
    )
    ax.set_yticks(range(len(categories)), labels=list(categories))
    ax.set_ylim(len(categories) - 0.5, -0.5)  # first category on top
    ax.tick_params(axis="y", length=0)
    ax.set_xlabel(axis_title)
    _status_legend(fig, on_track=bool(on_track), behind=bool(behind))
    _labels_right_of_line(fig, labels, progress)
    return on_track, behind, no_target


def _completion_scale(percents: Sequence[float], progress: float) -> tuple[float, float]:
    """The x range that shows every bar, the 序时进度 line and 100 %, with room for the labels."""
    high = max([*percents, progress, 100.0])
    low = min([*percents, 0.0])
    return (low * 1.18 if low < 0 else 0, high * 1.16)


def _labels_right_of_line(fig: Figure, labels: Sequence[Annotation], progress: float) -> None:
    """A value label the 序时进度 line would cross (a bar ending just short of it) moves to the
    line's right: the line never runs through a number."""
    fig.draw_without_rendering()  # the constrained layout fixes the axes' scale first
    renderer = fig._get_renderer()
    clearance = LINE_CLEARANCE_PT * fig.dpi / 72
    moved = False
    for label in labels:
        box = label.get_window_extent(renderer)
        line_x = label.axes.transData.transform((progress, 0))[0]
        if box.x0 - clearance <= line_x <= box.x1 + clearance:
            label.xy = (progress, label.xy[1])
            moved = True
    if not moved:
        _LAID_OUT.add(fig)  # a moved label may widen the layout: _save lays it out again


def _completion_alt(
    subject: str, progress: float, on_track: list[str], behind: list[str], no_target: list[str]
) -> str:
    alt = (
        f"{subject}条形图，序时进度{_pct_short(round(progress * 100, 1))}。"
        f"达到序时进度{len(on_track)}个：{_names(on_track)}；"
        f"低于序时进度{len(behind)}个：{_names(behind)}"
    )
    if no_target:
        alt += f"；无目标{len(no_target)}个：{_names(no_target)}"
    return alt + "。"


@_cached
def completion_by_unit(
    units: Sequence[str],
    rates: Sequence[float | None],
    time_progress: float,
    indicator_label: str,
    scale: tuple[float, float] | None = None,
) -> ChartImage:
    """完成率 of one indicator for each unit (in the order given) against the 序时进度 line;
    ``scale``: the x range shared with the other parts of a split chart."""
    count = _check_lengths("completion_by_unit", units=units, rates=rates)
    height = _barh_height(count)
    with _figure(height) as fig:
        groups = _draw_completion(fig, units, rates, time_progress, f"{indicator_label}完成率（%）", scale)
        alt = _completion_alt(f"各单位{indicator_label}完成率", time_progress, *groups)
        return _save(fig, height, alt)


def completion_by_unit_parts(
    units: Sequence[str], rates: Sequence[float | None], time_progress: float, indicator_label: str
) -> list[ChartImage]:
    """``completion_by_unit`` as one chart, or as several of at most ``MAX_BARS`` bars drawn to
    one scale when the units are too many for one page to show legibly."""
    _check_lengths("completion_by_unit", units=units, rates=rates)
    parts = chart_parts(len(units))
    if len(parts) == 1:
        return [completion_by_unit(units, rates, time_progress, indicator_label)]
    percents = [p for p in (_rate(r) for r in rates) if p is not None]
    scale = _completion_scale(percents, round(time_progress * 100, 1))
    return [
        completion_by_unit(units[part], rates[part], time_progress, indicator_label, scale) for part in parts
    ]


def chart_parts(count: int) -> list[slice]:
    """``count`` bars in as few charts as hold ``MAX_BARS`` each, the charts about equal."""
    charts = max(1, math.ceil(count / MAX_BARS))
    size = math.ceil(count / charts) if count else 0
    return [slice(start, min(start + size, count)) for start in range(0, max(count, 1), max(size, 1))]


@_cached
def unit_indicators(
    indicator_labels: Sequence[str], rates: Sequence[float | None], time_progress: float, unit_name: str
) -> ChartImage:
    """完成率 of each of one unit's indicators against the 序时进度 line."""
    count = _check_lengths("unit_indicators", indicator_labels=indicator_labels, rates=rates)
    height = _barh_height(count)
    with _figure(height) as fig:
        groups = _draw_completion(fig, indicator_labels, rates, time_progress, "完成率（%）")
        alt = _completion_alt(f"{unit_name}各项指标完成率", time_progress, *groups)
        return _save(fig, height, alt)


# --- industry chains ---------------------------------------------------------------------------


@_cached
def chains_overview(
    chains: Sequence[str], projects: Sequence[int], investment: Sequence[float]
) -> ChartImage:
    """Project count (个) and investment (亿元) per industry chain, side by side."""
    count = _check_lengths("chains_overview", chains=chains, projects=projects, investment=investment)
    height = _barh_height(count) - 8.0  # no legend: the panel titles name the series
    with _figure(height) as fig:
        if not count:
            _no_data(fig.add_subplot())
        else:
            left, right = fig.subplots(1, 2, sharey=True)
            panels = (
                (left, projects, "项目数（个）", DARK_BLUE),
                (right, investment, "投资额（亿元）", GREY),
            )
            for ax, values, title, colour in panels:
                decimals = _decimals(values)
                ax.barh(range(count), values, height=BAR_HEIGHT, color=colour, zorder=2)
                for row, value in enumerate(values):
                    _value_label(ax, value, row, f"{value:.{decimals}f}", horizontal=True)
                high = max([*values, 0])
                low = min([*values, 0])
                ax.set_xlim(low * 1.2 if low < 0 else 0, high * 1.2 if high > 0 else 1)
                ax.set_title(title, loc="left", fontsize=LABEL_PT)
                ax.tick_params(axis="y", length=0)
            left.xaxis.set_major_locator(MaxNLocator(integer=True))  # counts: no 0.5 ticks
            left.set_yticks(range(count), labels=list(chains))
            left.set_ylim(count - 0.5, -0.5)
            right.tick_params(axis="y", labelleft=False)
        money = _decimals(investment)
        alt = f"各产业链项目数与投资额条形图，共{sum(projects)}个项目、投资{sum(investment):.{money}f}亿元。"
        alt += "".join(
            f"{c}{p}个、{i:.{money}f}亿元；" for c, p, i in zip(chains, projects, investment, strict=True)
        ).removesuffix("；")
        return _save(fig, height, alt.removesuffix("。") + "。")


# --- quarter by quarter ------------------------------------------------------------------------


def _path_heights(fig: Figure, ax: Axes, path: Sequence[float], x0: float, x1: float) -> list[float]:
    """The 序时进度 path's display heights across [x0, x1] (display pixels)."""
    points = ax.transData.transform(list(zip(range(len(path)), path, strict=True)))
    xs, ys = list(points[:, 0]), list(points[:, 1])
    samples = [x0 + (x1 - x0) * k / 40 for k in range(41)]
    return [float(numpy.interp(x, xs, ys)) for x in samples if xs[0] <= x <= xs[-1]]


def _labels_above_path(fig: Figure, labels: Sequence[Annotation], path: Sequence[float]) -> None:
    """A value label the rising 序时进度 path would run through is lifted clear above it."""
    fig.draw_without_rendering()  # the constrained layout fixes the axes' scale first
    renderer = fig._get_renderer()
    clearance = LINE_CLEARANCE_PT * fig.dpi / 72
    for label in labels:
        box = label.get_window_extent(renderer)
        heights = _path_heights(fig, label.axes, path, box.x0 - clearance, box.x1 + clearance)
        if not heights or max(heights) < box.y0 - clearance or min(heights) > box.y1 + clearance:
            continue
        lift_pt = (max(heights) + clearance - box.y0) * 72 / fig.dpi
        label.xyann = (label.xyann[0], label.xyann[1] + lift_pt)


@_cached
def quarterly_trend(
    quarters: Sequence[str],
    actual: Sequence[float],
    target: float,
    time_progress_points: Sequence[float],
    label: str,
    unit: str,
) -> ChartImage:
    """Cumulative ``actual`` per quarter (bars) against the 序时进度 path and the annual plan.

    ``quarters`` names the quarters on the axis ("一季度" …); ``time_progress_points`` is the
    序时进度 path in the unit of ``actual`` (target × q/4 at quarter q), one point per quarter;
    ``actual`` holds the cumulative values reported so far (it may be shorter than ``quarters``).
    A ``target`` of 0 or less means no annual plan: no plan line, no path, nothing marked behind.
    """
    _check_lengths("quarterly_trend", quarters=quarters, time_progress_points=time_progress_points)
    if len(actual) > len(quarters):
        raise ValueError(f"quarterly_trend: {len(actual)} values for {len(quarters)} quarters")
    height = 90.0
    planned = target > 0
    path = [float(p) for p in time_progress_points] if planned else []
    decimals = _decimals([*actual, target])
    behind: list[str] = []
    with _figure(height) as fig:
        ax = fig.add_subplot()
        if not quarters:
            _no_data(ax)
        else:
            low = min([*actual, *path, 0.0])
            high = max([*actual, *path, target if planned else 0.0, 0.0])
            span = (high - low) or 1.0
            ax.set_ylim(low - 0.12 * span if low < 0 else 0, high + 0.12 * span)
            labels: list[Annotation] = []
            for i, value in enumerate(actual):
                late = planned and round(value, decimals) < round(path[i], decimals)
                if late:
                    behind.append(quarters[i])
                ax.bar(
                    i,
                    value,
                    width=0.5,
                    facecolor=BEHIND_FACE if late else DARK_BLUE,
                    edgecolor=DARK_BLUE,
                    hatch=BEHIND_HATCH if late else None,
                    linewidth=0.6,
                    zorder=2,
                )
                # Lift the value over the 序时进度 point when that point sits just above the bar.
                lifted = path[i] if planned and 0 <= path[i] - value < 0.08 * span else value
                labels.append(_value_label(ax, i, lifted, f"{value:.{decimals}f}", horizontal=False))
            xs = range(len(quarters))
            if planned:
                ax.plot(xs, path, zorder=3, path_effects=_HALO, **_PROGRESS_PATH)
                ax.axhline(target, color=GREY, linestyle=PLAN_DASH, linewidth=1.0, zorder=1)
                ax.annotate(
                    f"全年目标{target:.{decimals}f}{unit}",
                    xy=(0, target),
                    xycoords=blended_transform_factory(ax.transAxes, ax.transData),
                    xytext=(2, 2),
                    textcoords="offset points",
                    ha="left",
                    va="bottom",
                    fontsize=SMALL_PT,
                    color=GREY,
                )
            ax.set_xticks(xs, labels=list(quarters))
            ax.set_xlim(-0.6, len(quarters) - 0.4)
            ax.tick_params(axis="x", length=0)
            ax.set_title(f"{label}累计（{unit}）", loc="left", fontsize=LABEL_PT)
            if planned:
                progress = Line2D([], [], label="序时进度", **_PROGRESS_PATH)
                plan = Line2D([], [], color=GREY, linestyle=PLAN_DASH, label="全年目标")
                shown_late = bool(behind)
                on_time = len(behind) < len(actual)
                _status_legend(fig, progress, plan, on_track=on_time, behind=shown_late)
                _labels_above_path(fig, labels, path)
        done = "、".join(f"{q}{v:.{decimals}f}" for q, v in zip(quarters, actual, strict=False))
        plan_text = f"全年目标{target:.{decimals}f}{unit}" if planned else "无全年目标"
        alt = f"{label}逐季累计完成情况柱状图，{plan_text}，累计完成：{done or '无数据'}"
        alt += f"；低于序时进度的季度：{_names(behind)}。" if planned else "。"
        return _save(fig, height, alt)
