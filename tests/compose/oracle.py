"""The sentence oracle (issue 20): every fact a document states, recomputed here straight from the
input tables (``Dataset``: plan, 完成情况, 项目库) with exact arithmetic (``fractions``) and Excel's
half-up rounding, independent of ``zsreport.compute`` and ``zsreport.formatting``, then written out
as the sentences the four documents must contain.

``expected(kind, …)`` gives a document's data-dependent fragments; ``check(text, fragments)`` says
which are missing from its text (the composed tree's paragraphs, or a PDF read back); ``unchecked``
lists the paragraphs with figures in them that no fragment covers (it must be empty: then every
data-dependent sentence was checked).

The rules it encodes are the office's, stated once here:
- a target that is blank or 0 is no target: the unit is neither ranked nor counted, and its clause
  says 未下达年度目标;
- met is actual ≥ target exactly; ahead is 完成率 ≥ 序时进度 exactly;
- a 完成率 is printed to one decimal, or to as many more (up to four, then away from the line) as
  keep it on its side of 100% and of 序时进度; the gap is the printed rate less the printed 序时进度;
- ties share a rank, and are said 并列;
- the city's 同比 compares only units with a 上年同期; a partial quarter's city target is the
  reported units' own.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from zsreport.ingest.dataset import INFO_COUNT, PREV_SUFFIX, Dataset, Ledger

CN = "〇一二三四五六七八九"
MONEY = {"provincial_funds": "亿元", "industrial_funds": "亿元", "foreign_capital": "万美元"}


# ---------------------------------------------------------------- exact numbers and their print


def ex(value: float) -> Fraction:
    return Fraction(Decimal(format(value, ".15g")))


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _figure(value: float) -> Fraction:
    """A figure of this year: a blank is nothing done yet."""
    return Fraction(0) if is_blank(value) else ex(value)


def round_half_up(value: Fraction, places: int) -> Fraction:
    scaled = abs(value) * 10**places
    whole = int(scaled + Fraction(1, 2))
    return Fraction(whole if value >= 0 else -whole, 10**places)


def show(value: Fraction, places: int) -> str:
    """A rounded fraction with exactly ``places`` decimals, no "-0"."""
    text = f"{Decimal(value.numerator) / Decimal(value.denominator):.{places}f}"
    return text[1:] if text.startswith("-") and not value else text


def amount(value: Fraction, places: int) -> str:
    return show(round_half_up(value, places), places)


def sign(value: Fraction) -> int:
    return (value > 0) - (value < 0)


def printed(value: Fraction, lines: tuple[Fraction, ...]) -> tuple[Fraction, int]:
    """The printed figure and its decimals: one, or more (up to four, then away from the line) until
    it is on each line's side."""
    for places in range(1, 5):
        shown = round_half_up(value, places)
        if all(sign(shown - line) == sign(value - line) for line in lines):
            return shown, places
    scaled = value * 10**4  # still a hair from a line: the next figure away from it
    down = Fraction(scaled.numerator // scaled.denominator, 10**4)
    if all(sign(down - line) == sign(value - line) for line in lines):
        return down, 4
    return down + Fraction(1, 10**4), 4


def cn(n: int) -> str:
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CN[ones]
    return ("" if tens == 1 else CN[tens]) + "十" + (CN[ones] if ones else "")


def join(names) -> str:
    return "、".join(names)


# ---------------------------------------------------------------- the facts


@dataclass
class Figure:
    """One area's position on one indicator."""

    actual: Fraction | None  # None: 未报送
    target: Fraction | None  # None: blank or 0
    progress: Fraction
    prev: Fraction | None = None
    yoy_actual: Fraction | None = None
    left_out: tuple[str, ...] = ()
    rank: int | None = None
    ranked: int = 0
    tied: int = 1

    @property
    def rate(self) -> Fraction | None:
        return None if self.actual is None or self.target is None else self.actual / self.target

    def shown_rate(self) -> tuple[Fraction, int]:
        return printed(self.rate * 100, (Fraction(100), self.progress * 100))  # type: ignore[operator]

    def rate_text(self) -> str:
        shown, places = self.shown_rate()
        return f"{show(shown, places)}%"

    def gap(self) -> tuple[Fraction, int]:
        shown, places = self.shown_rate()
        return shown - self.progress * 100, places

    def gap_phrase(self, year_end: bool) -> str:
        gap, places = self.gap()
        if gap == 0:
            return "恰好完成年度目标" if year_end else "与序时进度持平"
        size = show(abs(gap), places)
        if year_end:
            return f"超额完成年度目标{size}个百分点" if gap > 0 else f"距年度目标还差{size}个百分点"
        return f"超序时进度{size}个百分点" if gap > 0 else f"落后序时进度{size}个百分点"

    def yoy_phrase(self) -> str:
        if self.prev is None or self.prev <= 0 or self.actual is None:
            return ""
        base = self.actual if self.yoy_actual is None else self.yoy_actual
        change, places = printed((base / self.prev - 1) * 100, (Fraction(0),))
        if change == 0:
            return "与上年同期持平"
        return f"同比{'增长' if change > 0 else '下降'}{show(abs(change), places)}%"

    @property
    def on_schedule(self) -> bool:
        return self.rate is not None and self.rate >= self.progress


@dataclass
class Project:
    name: str
    unit: str
    chain: str
    investment: Fraction
    status: str
    before: str | None  # None: nothing to compare with; "": new this quarter
    key: bool
    problem_kind: str
    problem: str


@dataclass
class Facts:
    year: int
    quarter: int
    progress: Fraction
    units: tuple[str, ...]
    labels: dict[str, str]
    short: dict[str, str]
    decimals: dict[str, int]
    reported: tuple[str, ...]
    unreported: tuple[str, ...]
    cutoff: dt.date | None
    figures: dict[str, dict[str, Figure]]  # area → key → figure (area "全市" too)
    info: dict[str, int]
    projects: list[Project]
    chains: tuple[str, ...]
    other_chain: str
    statuses: tuple[str, ...]
    problem_kinds: tuple[str, ...]
    compared: bool
    trend: list[Fraction] = field(default_factory=list)
    trend_quarters: list[int] = field(default_factory=list)

    @property
    def year_end(self) -> bool:
        return self.quarter == 4

    @property
    def reached(self) -> str:
        return "完成年度目标" if self.year_end else "达到序时进度"

    @property
    def lagging(self) -> str:
        return "未完成年度目标" if self.year_end else "落后序时进度"


def _ranks(figures: dict[str, Figure]) -> None:
    rates = {u: f.rate for u, f in figures.items() if f.rate is not None}
    for fig in figures.values():
        if fig.rate is None:
            continue
        fig.rank = 1 + sum(1 for r in rates.values() if r > fig.rate)
        fig.ranked = len(rates)
        fig.tied = sum(1 for r in rates.values() if r == fig.rate)


def facts(ds: Dataset, history: Ledger | None = None) -> Facts:
    """Everything the documents state, from the tables alone."""
    registry = ds.registry
    units = registry.unit_names
    progress = Fraction(ds.quarter, 4)
    values, targets = ds.current.values, ds.plan.targets
    unreported = tuple(ds.current.unreported)
    reported = tuple(u for u in units if u not in unreported)
    keys = [i.key for i in registry.indicators]
    figures: dict[str, dict[str, Figure]] = {u: {} for u in units}
    for key in keys:
        for unit in units:
            raw_target = targets.at[unit, key]
            target = None if is_blank(raw_target) or raw_target <= 0 else ex(raw_target)
            actual = None if unit in unreported else _figure(values.at[unit, key])
            prev = None
            if key in MONEY and unit not in unreported:
                raw = values.at[unit, key + PREV_SUFFIX]
                prev = None if is_blank(raw) else ex(raw)
            figures[unit][key] = Figure(actual, target, progress, prev)
        _ranks({u: figures[u][key] for u in units})
    city: dict[str, Figure] = {}
    for key in keys:
        actual = sum((figures[u][key].actual for u in reported), Fraction(0))
        city_target = targets.at[registry.city, key]
        raw_target = None if is_blank(city_target) else ex(city_target)
        if unreported and raw_target is not None:  # less the targets of the units not reported
            missing = [targets.at[u, key] for u in unreported if not is_blank(targets.at[u, key])]
            raw_target -= sum((ex(t) for t in missing), Fraction(0))
        target = raw_target if raw_target is not None and raw_target > 0 else None
        fig = Figure(actual, target, progress)
        if key in MONEY:
            having = [u for u in reported if figures[u][key].prev is not None]
            if having:
                fig.prev = sum(figures[u][key].prev for u in having)  # type: ignore[misc]
                if len(having) < len(reported):
                    fig.yoy_actual = sum(figures[u][key].actual for u in having)  # type: ignore[misc]
                    fig.left_out = tuple(u for u in reported if u not in having)
        city[key] = fig
    figures[registry.city] = city
    info = {
        u: 0 if u in unreported or is_blank(values.at[u, INFO_COUNT]) else int(values.at[u, INFO_COUNT])
        for u in units
    }
    previous = ds.ledgers.get(ds.quarter - 1) if ds.quarter > 1 else history
    before = (
        {}
        if previous is None
        else dict(zip(previous.projects["name"], previous.projects["status"], strict=True))
    )
    projects = [
        Project(
            name=str(row["name"]),
            unit=str(row["unit"]),
            chain=str(row["chain"]),
            investment=ex(float(row["investment"])),
            status=str(row["status"]),
            before=None if previous is None else before.get(str(row["name"]), ""),
            key=bool(row["key_project"]),
            problem_kind=str(row["problem_kind"] or ""),
            problem=str(row["problem"] or ""),
        )
        for _, row in ds.ledger.projects.iterrows()
    ]
    trend_quarters = sorted(q for q in ds.actuals if q <= ds.quarter)
    trend = [
        sum((_figure(ds.actuals[q].values.at[u, "provincial_funds"]) for u in reported), Fraction(0))
        for q in trend_quarters
    ]
    return Facts(
        year=ds.year,
        quarter=ds.quarter,
        progress=progress,
        units=units,
        labels={i.key: i.label for i in registry.indicators},
        short={i.key: i.short_label for i in registry.indicators},
        decimals={i.key: i.decimals for i in registry.indicators},
        reported=reported,
        unreported=unreported,
        cutoff=ds.current.cutoff,
        figures=figures,
        info=info,
        projects=projects,
        chains=registry.chains,
        other_chain=registry.other_chain,
        statuses=registry.statuses,
        problem_kinds=tuple(registry.problem_kinds),
        compared=previous is not None,
        trend=trend,
        trend_quarters=trend_quarters,
    )


# ---------------------------------------------------------------- derived facts


def signed(f: Facts, unit: str | None = None) -> list[Project]:
    return [p for p in f.projects if p.status != f.statuses[0] and (unit is None or p.unit == unit)]


def key_projects(f: Facts) -> list[Project]:
    order = {u: i for i, u in enumerate(f.units)}
    return sorted(
        (p for p in f.projects if p.key), key=lambda p: (order.get(p.unit, 99), -p.investment, p.name)
    )


def step(f: Facts, p: Project) -> int:
    if not p.before or p.before not in f.statuses or p.status not in f.statuses:
        return 0
    return f.statuses.index(p.status) - f.statuses.index(p.before)


def judged(f: Facts, key: str) -> list[str]:
    return [u for u in f.reported if f.figures[u][key].target is not None]


def behind(f: Facts, key: str) -> list[str]:
    return [u for u in judged(f, key) if not f.figures[u][key].on_schedule]


def ahead(f: Facts, key: str) -> list[str]:
    return [u for u in judged(f, key) if f.figures[u][key].on_schedule]


def no_target(f: Facts, key: str) -> list[str]:
    return [u for u in f.reported if f.figures[u][key].target is None]


def groups(pairs: list[tuple[int, str]]) -> list[tuple[int, list[str]]]:
    out: dict[int, list[str]] = {}
    for rank, name in pairs:
        out.setdefault(rank, []).append(name)
    return sorted(out.items())


def chain_counts(f: Facts) -> dict[str, tuple[int, Fraction]]:
    counts = {}
    for chain in f.chains:
        members = [p for p in signed(f) if p.chain == chain]
        counts[chain] = (len(members), sum((p.investment for p in members), Fraction(0)))
    return counts


def assessment(f: Facts) -> list[tuple[str, str, int, dict[str, Fraction]]]:
    """(title, unit of measure, decimals, unit → value) of the three 考核 rankings."""
    units = f.reported
    return [
        ("报送招商引资信息量", "条", 0, {u: Fraction(f.info[u]) for u in units}),
        ("签约项目数", "个", 0, {u: Fraction(len(signed(f, u))) for u in units}),
        ("引进投资额", "亿元", 2, {u: sum((p.investment for p in signed(f, u)), Fraction(0)) for u in units}),
    ]


def competition(values: dict[str, Fraction]) -> list[tuple[int, str, Fraction]]:
    order = list(values)
    ranked = [(1 + sum(1 for o in values.values() if o > v), u, v) for u, v in values.items()]
    return sorted(ranked, key=lambda e: (e[0], order.index(e[1])))
