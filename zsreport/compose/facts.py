"""Named facts the wording prints: counts, lists, comparisons and rounded values, each computed here
from the figures, so that the templates decide nothing a test cannot recompute (issue 20).

Judgements are exact: "met" is actual ≥ target, "ahead" is 完成率 ≥ 序时进度, equal values tie. The
printed figures keep to the same side of each line (``IndicatorResult.shown_rate``), so the words and
the tables agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from zsreport import formatting as fmt
from zsreport.compute import (
    AreaFigures,
    ChainFigures,
    IndicatorResult,
    ProjectView,
    QuarterFigures,
    Ranking,
)

# ---------------------------------------------------------------- printed figures


def rate_text(r: IndicatorResult) -> str:
    """完成率 as printed: 103.2% / 99.96% / —."""
    return fmt.NO_VALUE if r.shown_rate is None else f"{fmt.decimal_text(r.shown_rate)}%"


def gap_cell(r: IndicatorResult) -> str:
    """The table's 较序时进度: +3.2 / -0.04 / 0.0 / —, the printed rate less the printed 序时进度."""
    gap = r.shown_gap
    if gap is None:
        return fmt.NO_VALUE
    if gap == 0:
        return "0.0"
    return f"{'+' if gap > 0 else ''}{fmt.decimal_text(gap)}"


def _by_sign(value: Decimal | None, above: str, below: str, level: str) -> str:
    if value is None:
        return ""
    if value == 0:
        return level
    return (above if value > 0 else below).format(fmt.decimal_text(abs(value)))


def gap_phrase(r: IndicatorResult, year_end: bool) -> str:
    """超序时进度3.2个百分点 / 落后序时进度0.04个百分点 / 与序时进度持平; at the year's end
    超额完成年度目标… / 距年度目标还差… / 恰好完成年度目标 (only when actual = target exactly)."""
    if year_end:
        return _by_sign(
            r.shown_gap, "超额完成年度目标{}个百分点", "距年度目标还差{}个百分点", "恰好完成年度目标"
        )
    return _by_sign(r.shown_gap, "超序时进度{}个百分点", "落后序时进度{}个百分点", "与序时进度持平")


def yoy_cell(r: IndicatorResult) -> str:
    """The table's 同比: +12.5% / -3.1% / 0.0% / —."""
    change = r.shown_yoy
    if change is None:
        return fmt.NO_VALUE
    sign = "+" if change > 0 else ""
    return f"{sign}{fmt.decimal_text(change)}%" if change != 0 else "0.0%"


def yoy_phrase(r: IndicatorResult) -> str:
    """同比增长12.5% / 同比下降3.1% / 与上年同期持平; "" without a 上年同期."""
    return _by_sign(r.shown_yoy, "同比增长{}%", "同比下降{}%", "与上年同期持平")


# ---------------------------------------------------------------- units on one indicator


@dataclass(frozen=True)
class Standing:
    """The units on one indicator, judged exactly. Units without a target (blank or 0) or without a
    return are in none of ``ahead``/``behind``/``met``/``missed``, and are named in ``no_target``."""

    ahead: tuple[str, ...]  # at or ahead of 序时进度
    behind: tuple[str, ...]
    met: tuple[str, ...]  # actual ≥ annual target
    missed: tuple[str, ...]
    no_target: tuple[str, ...]  # reported units with no target (blank or 0)
    judged: int  # units with a target and a return

    @property
    def all_ahead(self) -> bool:
        return self.judged > 0 and not self.behind


def standing(figures: QuarterFigures, key: str) -> Standing:
    reported = [u for u in figures.units if u.reported]
    judged = [u for u in reported if u[key].has_target]
    return Standing(
        ahead=tuple(u.name for u in judged if u[key].on_schedule),
        behind=tuple(u.name for u in judged if not u[key].on_schedule),
        met=tuple(u.name for u in judged if u[key].met),
        missed=tuple(u.name for u in judged if not u[key].met),
        no_target=tuple(u.name for u in reported if not u[key].has_target),
        judged=len(judged),
    )


def far_behind(figures: QuarterFigures, key: str, points: int = 10) -> tuple[str, ...]:
    """Units more than ``points`` percentage points behind 序时进度 (exactly)."""
    line = Fraction(figures.time_progress) - Fraction(points, 100)
    return tuple(
        u.name for u in figures.units if (r := u[key].exact_rate) is not None and r < line and u.reported
    )


@dataclass(frozen=True)
class Place:
    rank: int
    names: tuple[str, ...]

    @property
    def tied(self) -> bool:
        return len(self.names) > 1


def places(pairs: list[tuple[int, str]]) -> list[Place]:
    """(rank, name) pairs, best first, grouped by rank: ties become one place of several names."""
    grouped: dict[int, list[str]] = {}
    for rank, name in pairs:
        grouped.setdefault(rank, []).append(name)
    return [Place(rank, tuple(names)) for rank, names in sorted(grouped.items())]


def top_places(figures: QuarterFigures, key: str, within: int = 3) -> list[Place]:
    """The units ranked within ``within`` on 完成率, grouped by rank (ties included, as the table)."""
    order = figures.registry.unit_names
    pairs = sorted(
        ((u[key].rank, u.name) for u in figures.units if u[key].rank is not None and u[key].rank <= within),
        key=lambda p: (p[0], order.index(p[1])),
    )
    return places(pairs)  # type: ignore[arg-type]


def place_names(grouped: list[Place]) -> list[str]:
    return [name for place in grouped for name in place.names]


def commended_places(ranking: Ranking) -> list[tuple[int, list[tuple[str, float]]]]:
    """A 考核 ranking's commended entries (top three, ties included, never a zero) by place:
    [(1, [(甲, 120.0), (乙, 120.0)]), (3, [(丙, 98.0)])]."""
    grouped: dict[int, list[tuple[str, float]]] = {}
    for rank, name, value in ranking.commended:
        grouped.setdefault(rank, []).append((name, value))
    return sorted(grouped.items())


# ---------------------------------------------------------------- chains


@dataclass(frozen=True)
class ChainFacts:
    """The seven chains' 新引进 projects (from the 项目库, the only per-chain source), their most and
    least with ties, and the count of record (the 完成情况 table's 七大产业链项目) beside the 项目库's."""

    seven: tuple[ChainFigures, ...]
    ledger_count: int  # signed chain projects in the 项目库
    reported_count: int  # 七大产业链项目 of the 完成情况 table (the figure of record)
    investment: float
    most: tuple[str, ...]
    most_count: int
    most_investment: float  # the total of the chains with the most projects
    least: tuple[str, ...]
    least_count: int
    empty: tuple[str, ...]  # chains with no project

    @property
    def counts_differ(self) -> bool:
        return self.ledger_count != self.reported_count

    @property
    def all_equal(self) -> bool:
        return self.most_count == self.least_count


def chain_facts(figures: QuarterFigures) -> ChainFacts:
    seven = tuple(c for c in figures.chains if c.chain != figures.registry.other_chain)
    most = max(c.projects for c in seven)
    least = min(c.projects for c in seven)
    return ChainFacts(
        seven=seven,
        ledger_count=sum(c.projects for c in seven),
        reported_count=round(figures.city["chain_projects"].actual),
        investment=sum(c.investment for c in seven),
        most=tuple(c.chain for c in seven if c.projects == most),
        most_count=most,
        most_investment=sum(c.investment for c in seven if c.projects == most),
        least=tuple(c.chain for c in seven if c.projects == least),
        least_count=least,
        empty=tuple(c.chain for c in seven if c.projects == 0),
    )


def share_text(part: float, whole: float) -> str:
    """part ÷ whole in per cent, one decimal, half-up, exact."""
    return f"{fmt.decimal_text(fmt.half_up_fraction(fmt.exact(part) / fmt.exact(whole) * 100, 1))}%"


# ---------------------------------------------------------------- projects


@dataclass(frozen=True)
class StageFacts:
    """Key projects' stages against last quarter: forward moves (progress), backward ones (named),
    and the new ones. Empty when there was no last quarter to compare with."""

    advanced: tuple[ProjectView, ...]
    went_back: tuple[ProjectView, ...]
    fresh: tuple[ProjectView, ...]


def stage_facts(projects: tuple[ProjectView, ...]) -> StageFacts:
    return StageFacts(
        advanced=tuple(p for p in projects if p.advanced),
        went_back=tuple(p for p in projects if p.went_back),
        fresh=tuple(p for p in projects if p.is_new_this_quarter),
    )


# ---------------------------------------------------------------- the city's problems


@dataclass(frozen=True)
class ProblemFacts:
    """The conditions behind each of 存在的问题: a problem is said only when its condition holds."""

    behind: tuple[str, ...]  # units behind 序时进度 on 省外境内资金
    far: tuple[str, ...]  # of those, more than 10 points behind
    near: tuple[str, ...]  # the others behind
    empty_chains: tuple[str, ...]
    lagging_quality: tuple[str, ...]  # labels of 5亿元以上制造业 / 500强 lagging 序时进度 (city)
    project_problems: int  # key projects with an open problem


def problem_facts(figures: QuarterFigures) -> ProblemFacts:
    city = figures.city
    quality = ("big_manufacturing", "top500")
    behind = standing(figures, "provincial_funds").behind
    far = far_behind(figures, "provincial_funds")
    return ProblemFacts(
        behind=behind,
        far=far,
        near=tuple(n for n in behind if n not in far),
        empty_chains=chain_facts(figures).empty,
        lagging_quality=tuple(city[k].indicator.short_label for k in quality if city[k].on_schedule is False),
        project_problems=sum(len(v) for v in figures.problems_by_kind().values()),
    )


def signed_count_differs(area: AreaFigures) -> bool:
    """A unit's 新引进 count (完成情况) against its signed projects in the 项目库."""
    return area.reported and round(area["new_projects"].actual) != len(area.signed_projects)
