"""What the office reads off the figures: 完成率, 序时进度, ranks, 同比, chains, key projects.

Pure functions of a validated ``Dataset``; no wording, no layout. Percentages are kept as
fractions (1.032 = 103.2%) and gaps as percentage points (3.2 = 超序时进度3.2个百分点).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import pandas as pd

from zsreport import formatting as fmt
from zsreport.ingest.dataset import INFO_COUNT, PREV_SUFFIX, Dataset, Indicator, Ledger, Registry

SIGNED_STATUSES_FROM = "签约"  # a project counts as 新引进 from this status on (ARCHITECTURE.md)


@dataclass(frozen=True)
class IndicatorResult:
    indicator: Indicator
    actual: float
    target: float | None  # None: no target set (blank in the plan)
    prev_year: float | None  # 上年同期 (money indicators only)
    time_progress: float
    rank: int | None = None  # among units with a target, by 完成率 (1 = best)
    ranked: int = 0  # how many units were ranked
    reported: bool = True  # False: the unit's return had not come in (``actual`` is NaN)
    tied: int = 1  # how many units share ``rank`` (2: 并列)
    # 同比 like for like (the city): the actual of the units that have a 上年同期 figure, and the
    # units left out for want of one. None: every unit has one (``actual`` is compared).
    yoy_actual: float | None = None
    yoy_left_out: tuple[str, ...] = ()

    @property
    def has_target(self) -> bool:
        """A target of 0 is no target: nothing can be completed of it, and no unit is ranked on it."""
        return self.target is not None and self.target > 0

    @property
    def rate(self) -> float | None:
        """完成率 = actual ÷ target; None without a target, or without a figure (未报送)."""
        if not self.reported or not self.has_target:
            return None
        return self.actual / self.target  # type: ignore[operator]

    @property
    def exact_rate(self) -> Fraction | None:
        """完成率 exactly, from the figures as the spreadsheet shows them: what "met" is judged by."""
        if self.rate is None:
            return None
        return fmt.exact(self.actual) / fmt.exact(self.target)  # type: ignore[arg-type]

    @property
    def met(self) -> bool | None:
        """The annual target reached: actual ≥ target, exactly (99.96% is a miss)."""
        return None if self.exact_rate is None else self.exact_rate >= 1

    @property
    def on_schedule(self) -> bool | None:
        """At or ahead of 序时进度, exactly."""
        rate = self.exact_rate
        return None if rate is None else rate >= Fraction(self.time_progress)

    @property
    def shown_rate(self) -> Decimal | None:
        """完成率 in per cent as printed: one decimal, or more when one decimal would put it on the
        wrong side of 100% or of 序时进度 (``formatting.on_its_side``)."""
        rate = self.exact_rate
        if rate is None:
            return None
        lines = (Fraction(100), Fraction(self.time_progress) * 100)
        return fmt.on_its_side(rate * 100, lines)

    @property
    def gap_points(self) -> float | None:
        """Percentage points ahead of (+) or behind (−) 序时进度 (unrounded)."""
        rate = self.rate
        return None if rate is None else (rate - self.time_progress) * 100

    @property
    def shown_gap(self) -> Decimal | None:
        """The gap as printed: the printed 完成率 less the printed 序时进度 (25%, 50%, 75%, 100%), so
        that a reader's subtraction agrees; on the same side of 0 as the exact gap."""
        rate = self.shown_rate
        return None if rate is None else rate - Decimal(self.time_progress * 100).quantize(Decimal(1))

    @property
    def yoy(self) -> float | None:
        """同比 as a fraction (0.12 = 同比增长12%); None without a 上年同期 figure. The city's is
        like for like: only the units with a 上年同期 figure on both sides."""
        if not self.reported or self.prev_year is None or self.prev_year <= 0:
            return None
        actual = self.actual if self.yoy_actual is None else self.yoy_actual
        return actual / self.prev_year - 1

    @property
    def shown_yoy(self) -> Decimal | None:
        """同比 in per cent as printed (a rise of 0.01% is not printed 持平)."""
        if self.yoy is None:
            return None
        actual = self.actual if self.yoy_actual is None else self.yoy_actual
        change = fmt.exact(actual) / fmt.exact(self.prev_year) - 1  # type: ignore[arg-type]
        return fmt.on_its_side(change * 100, (Fraction(0),))


@dataclass(frozen=True)
class ProjectView:
    name: str
    unit: str
    chain: str
    investment: float
    status: str
    prev_status: str  # last quarter's status; "" when new this quarter, or when not compared
    key_project: bool
    hightech: bool
    top500: str
    big_manufacturing: bool
    leader: str
    lead_dept: str
    problem_kind: str
    problem: str
    next_step: str
    compared: bool = True  # last quarter's ledger was there to compare with
    stage_step: int = 0  # stages moved since last quarter: +1 签约→开工, -1 开工→签约 (backwards)

    @property
    def is_new_this_quarter(self) -> bool:
        return self.compared and self.prev_status == ""

    @property
    def status_changed(self) -> bool:
        return self.compared and self.prev_status not in ("", self.status)

    @property
    def advanced(self) -> bool:
        """Moved forward a stage or more: only this is progress."""
        return self.status_changed and self.stage_step > 0

    @property
    def went_back(self) -> bool:
        """Moved backwards (开工→签约): named as such, never counted as progress."""
        return self.status_changed and self.stage_step < 0


@dataclass(frozen=True)
class AreaFigures:
    """One unit's (or the whole city's) position on every indicator."""

    name: str
    indicators: dict[str, IndicatorResult]
    info_count: int
    projects: tuple[ProjectView, ...]  # this area's ledger, all statuses
    reported: bool = True  # False: a unit whose return had not come in (未报送)

    def __getitem__(self, key: str) -> IndicatorResult:
        return self.indicators[key]

    @property
    def signed_projects(self) -> tuple[ProjectView, ...]:
        return tuple(p for p in self.projects if p.status != "洽谈")

    @property
    def signed_investment(self) -> float:
        return sum(p.investment for p in self.signed_projects)

    def behind(self) -> list[IndicatorResult]:
        """Indicators with a target that lag 序时进度, exactly (the printed gap says so too)."""
        return [r for r in self.indicators.values() if r.on_schedule is False]


@dataclass(frozen=True)
class ChainFigures:
    chain: str
    projects: int  # 新引进 (signed) projects
    investment: float  # their total investment, 亿元
    key_projects: int
    in_talks: int  # 洽谈 projects in the pipeline


@dataclass(frozen=True)
class Ranking:
    """A single-item ranking of the units (年度考核, or any indicator)."""

    title: str
    unit_of_measure: str
    decimals: int
    entries: tuple[tuple[int, str, float], ...]  # (rank, unit, value), best first

    @property
    def commended(self) -> tuple[tuple[int, str, float], ...]:
        """The top three (ties included) — never a unit that scored nothing."""
        return tuple(e for e in self.entries if e[0] <= 3 and e[2] > 0)

    @property
    def zero_units(self) -> tuple[str, ...]:
        return tuple(name for _, name, value in self.entries if value == 0)


@dataclass(frozen=True)
class QuarterFigures:
    year: int
    quarter: int
    time_progress: float  # 序时进度 = quarter ÷ 4
    registry: Registry
    city: AreaFigures
    units: tuple[AreaFigures, ...]  # registry order
    chains: tuple[ChainFigures, ...]  # the seven chains, then 其他 when it has projects
    trend: dict[str, tuple[float, ...]]  # key → city cumulative actual for quarters 1..quarter
    trend_quarters: tuple[int, ...]
    key_projects: tuple[ProjectView, ...]  # ordered by unit (registry order), then investment
    assessment: tuple[Ranking, ...]  # 年度考核 single-item rankings (every quarter; issued in Q4)
    # Whether last quarter's ledger was there to compare the projects with (for a first quarter:
    # last December's). Without it nothing may be said about new projects or stage changes.
    compared: bool = True
    # A partial collection (drafts only): the units that had not reported, and the date up to which
    # their returns were awaited (None: not stated in the 完成情况 table). Their figures are not
    # counted in the 全市 sums, the trend, the ranks or the 考核 rankings.
    unreported: tuple[str, ...] = ()
    cutoff: dt.date | None = None

    @property
    def reported_units(self) -> tuple[AreaFigures, ...]:
        return tuple(u for u in self.units if u.reported)

    def unit(self, name: str) -> AreaFigures:
        for area in self.units:
            if area.name == name:
                return area
        raise KeyError(name)

    def problems_by_kind(self) -> dict[str, list[ProjectView]]:
        """Key projects with an open problem, grouped by kind in registry order."""
        grouped: dict[str, list[ProjectView]] = {kind: [] for kind in self.registry.problem_kinds}
        for project in self.key_projects:
            if project.problem:
                kind = project.problem_kind if project.problem_kind in grouped else "其他"
                grouped.setdefault(kind, []).append(project)
        return {kind: items for kind, items in grouped.items() if items}


def time_progress(quarter: int) -> float:
    """序时进度: the share of the year gone by at the quarter's end."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"quarter must be 1–4, not {quarter}")
    return quarter / 4


def _number(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) else number


def _stage_step(statuses: tuple[str, ...], before: str, now: str) -> int:
    if before not in statuses or now not in statuses:
        return 0
    return statuses.index(now) - statuses.index(before)


def _project_views(ledger: Ledger, previous: Ledger | None, statuses: tuple[str, ...]) -> list[ProjectView]:
    prev_status: dict[str, str] = {}
    if previous is not None:
        prev_status = dict(zip(previous.projects["name"], previous.projects["status"], strict=True))
    views = []
    for row in ledger.projects.itertuples(index=False):
        views.append(
            ProjectView(
                name=str(row.name),
                unit=str(row.unit),
                chain=str(row.chain),
                investment=float(row.investment),
                status=str(row.status),
                prev_status=prev_status.get(str(row.name), ""),
                key_project=bool(row.key_project),
                hightech=bool(row.hightech),
                top500=str(row.top500 or ""),
                big_manufacturing=bool(row.big_manufacturing),
                leader=str(row.leader or ""),
                lead_dept=str(row.lead_dept or ""),
                problem_kind=str(row.problem_kind or ""),
                problem=str(row.problem or ""),
                next_step=str(row.next_step or ""),
                compared=previous is not None,
                stage_step=_stage_step(statuses, prev_status.get(str(row.name), ""), str(row.status)),
            )
        )
    return views


def _competition_ranks(values: dict[str, Fraction | float | None]) -> dict[str, int]:
    """Standard competition ranking (1, 2, 2, 4) of the non-None values, largest first; equal values
    (exactly: 完成率 are compared as fractions) share a rank."""
    present = {name: v for name, v in values.items() if v is not None}
    ordered = sorted(present.values(), reverse=True)
    return {name: 1 + sum(1 for other in ordered if other > v) for name, v in present.items()}


def _area(
    name: str,
    registry: Registry,
    targets: pd.Series,
    actual: pd.Series,
    progress: float,
    info_count: int,
    projects: list[ProjectView],
    reported: bool = True,
) -> AreaFigures:
    results = {}
    for ind in registry.indicators:
        prev = _number(actual.get(ind.key + PREV_SUFFIX)) if ind.money else None
        results[ind.key] = IndicatorResult(
            indicator=ind,
            actual=(_number(actual[ind.key]) or 0.0) if reported else math.nan,
            target=_number(targets[ind.key]),
            prev_year=prev,
            time_progress=progress,
            reported=reported,
        )
    return AreaFigures(name, results, info_count, tuple(projects), reported)


def _with_ranks(units: list[AreaFigures], registry: Registry) -> list[AreaFigures]:
    """Rank the units on each indicator's 完成率, ties sharing a rank."""
    ranks = {}
    for ind in registry.indicators:
        rates = {area.name: area[ind.key].exact_rate for area in units}
        ranks[ind.key] = (_competition_ranks(rates), sum(r is not None for r in rates.values()))
    ranked_units = []
    for area in units:
        indicators = {}
        for key, result in area.indicators.items():
            unit_ranks, count = ranks[key]
            rank = unit_ranks.get(area.name)
            tied = sum(r == rank for r in unit_ranks.values()) if rank else 1
            indicators[key] = dataclasses.replace(result, rank=rank, ranked=count, tied=tied)
        ranked_units.append(dataclasses.replace(area, indicators=indicators))
    return ranked_units


def _chains(registry: Registry, projects: list[ProjectView]) -> tuple[ChainFigures, ...]:
    chains = []
    for chain in (*registry.chains, registry.other_chain):
        members = [p for p in projects if p.chain == chain]
        signed = [p for p in members if p.status != "洽谈"]
        if chain == registry.other_chain and not members:
            continue
        chains.append(
            ChainFigures(
                chain=chain,
                projects=len(signed),
                investment=sum(p.investment for p in signed),
                key_projects=sum(p.key_project for p in signed),
                in_talks=len(members) - len(signed),
            )
        )
    return tuple(chains)


def _ranking(title: str, unit: str, decimals: int, values: dict[str, float]) -> Ranking:
    # Ranked on the figures as Excel shows them (15 significant digits), so that two sums equal on
    # paper tie even when float addition left them 1e-15 apart.
    ranks = _competition_ranks({name: fmt.exact(v) for name, v in values.items()})
    order = sorted(values, key=lambda name: (ranks[name], list(values).index(name)))
    return Ranking(title, unit, decimals, tuple((ranks[n], n, values[n]) for n in order))


def _assessment(units: list[AreaFigures]) -> tuple[Ranking, ...]:
    """The three single-item rankings of 邵承办发〔2020〕2号 三、（四）: 信息量, 签约项目数, 引进投资额.
    A unit that has not reported is left out (its nothing is no score)."""
    units = [u for u in units if u.reported]
    return (
        _ranking("报送招商引资信息量", "条", 0, {u.name: float(u.info_count) for u in units}),
        _ranking("签约项目数", "个", 0, {u.name: float(len(u.signed_projects)) for u in units}),
        _ranking("引进投资额", "亿元", 2, {u.name: u.signed_investment for u in units}),
    )


def _city_targets(
    targets: pd.DataFrame, registry: Registry, reported: list[str], unreported: tuple[str, ...]
) -> pd.Series:
    """The city's targets; in a partial quarter less the targets of the units that have not
    reported, so that the reported units' actuals are set against their part of the city's target
    (like for like), never against the whole city's. A unit without a target takes nothing off."""
    city = targets.loc[registry.city]
    if not unreported:
        return city
    return city - targets.loc[list(unreported)].sum(numeric_only=True, min_count=0)


def _like_for_like(city: AreaFigures, units: list[AreaFigures]) -> AreaFigures:
    """The city's 同比 over the units that have a 上年同期 figure: a unit without one is left out of
    this year's side too (and named), so that 13 units are never compared with 12."""
    indicators = {}
    for key, result in city.indicators.items():
        reported = [u for u in units if u.reported]
        left_out = tuple(u.name for u in reported if u[key].prev_year is None)
        if not result.indicator.money or not left_out or len(left_out) == len(reported):
            indicators[key] = result
            continue
        same = [u[key] for u in reported if u[key].prev_year is not None]
        indicators[key] = dataclasses.replace(
            result,
            prev_year=sum(r.prev_year for r in same),  # type: ignore[misc]
            yoy_actual=sum(r.actual for r in same),
            yoy_left_out=left_out,
        )
    return dataclasses.replace(city, indicators=indicators)


def compute(dataset: Dataset, last_december: Ledger | None = None) -> QuarterFigures:
    """The quarter's figures. ``last_december``: the previous year's fourth-quarter ledger, against
    which a first quarter's projects are compared (None: a first quarter without history)."""
    registry = dataset.registry
    progress = time_progress(dataset.quarter)
    targets = dataset.plan.targets
    current = dataset.current.values
    previous_ledger = dataset.ledgers.get(dataset.quarter - 1) if dataset.quarter > 1 else last_december
    projects = _project_views(dataset.ledger, previous_ledger, registry.statuses)

    unreported = dataset.current.unreported
    reported = [name for name in registry.unit_names if name not in unreported]
    units = [
        _area(
            name,
            registry,
            targets.loc[name],
            current.loc[name],
            progress,
            int(_number(current.loc[name].get(INFO_COUNT)) or 0),
            [p for p in projects if p.unit == name],
            reported=name not in unreported,
        )
        for name in registry.unit_names
    ]
    units = _with_ranks(units, registry)
    city_actual = current.loc[reported].sum(numeric_only=True, min_count=1)
    city = _like_for_like(
        _area(
            registry.city,
            registry,
            _city_targets(targets, registry, reported, unreported),
            city_actual,
            progress,
            sum(u.info_count for u in units),
            projects,
        ),
        units,
    )

    quarters = tuple(sorted(q for q in dataset.actuals if q <= dataset.quarter))
    # The trend of the units reported this quarter, so that a partial quarter is compared like for like.
    trend = {
        ind.key: tuple(float(dataset.actuals[q].values.loc[reported, ind.key].sum()) for q in quarters)
        for ind in registry.indicators
    }
    unit_order = {name: i for i, name in enumerate(registry.unit_names)}
    key_projects = tuple(
        sorted(
            (p for p in projects if p.key_project),
            key=lambda p: (unit_order.get(p.unit, 99), -p.investment, p.name),
        )
    )
    return QuarterFigures(
        year=dataset.year,
        quarter=dataset.quarter,
        time_progress=progress,
        registry=registry,
        city=city,
        units=tuple(units),
        chains=_chains(registry, projects),
        trend=trend,
        trend_quarters=quarters,
        key_projects=key_projects,
        assessment=_assessment(units),
        compared=previous_ledger is not None,
        unreported=unreported,
        cutoff=dataset.current.cutoff,
    )
