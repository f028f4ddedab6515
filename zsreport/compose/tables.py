"""The bulletins' tables, built from the computed figures (structure in code; captions in the wording).

Each builder takes ``(figures, area, **options)`` — ``options`` are the attributes of the
``<table ref="…">`` element in the wording template — and returns a ``Table`` that compose numbers.
"""

from __future__ import annotations

from collections.abc import Callable

from zsreport import formatting as fmt
from zsreport.compute import AreaFigures, IndicatorResult, QuarterFigures
from zsreport.ingest.dataset import NOT_REPORTED
from zsreport.model import Cell, Table

NA = fmt.NO_VALUE


def _num(value: float | None, decimals: int) -> Cell:
    return Cell(fmt.amount(value, decimals), align="right")


def _unreported_note(figures: QuarterFigures) -> tuple[str, ...]:
    """A partial quarter's tables say how the units that have not reported are treated."""
    if not figures.unreported:
        return ()
    return (
        f"{fmt.join_cn(figures.unreported)}{NOT_REPORTED}，不参加排名，"
        f"{figures.city.name}合计为其余{len(figures.reported_units)}个单位之和。",
    )


def _result_cells(result: IndicatorResult, with_yoy: bool = True) -> list[Cell]:
    d = result.indicator.decimals
    if not result.reported:  # the target is known; every figure of the unit is 未报送, none is 0
        return [_num(result.target, d), Cell(NOT_REPORTED, colspan=4 if with_yoy else 3)]
    cells = [
        _num(result.target, d),
        _num(result.actual, d),
        Cell(fmt.percent(result.rate), align="right"),
        Cell(fmt.signed_points(result.gap_points), align="right"),
    ]
    if with_yoy:
        cells.append(Cell(fmt.signed_percent(result.yoy) if result.indicator.money else NA, align="right"))
    return cells


def indicator_overview(figures: QuarterFigures, area: AreaFigures | None, **_: str) -> Table:
    """One area's eight indicators: 目标, 累计完成, 完成率, 较序时进度, 同比."""
    area = area or figures.city
    header = (
        tuple(
            Cell(text)
            for text in ("指标", "单位", "年度目标", "累计完成", "完成率", "较序时进度（百分点）", "同比")
        ),
    )
    body = tuple(
        (Cell(ind.label, align="left"), Cell(ind.unit), *_result_cells(area[ind.key]))
        for ind in figures.registry.indicators
    )
    return Table(
        number=0,
        caption=f"{area.name}主要指标完成情况",
        header=header,
        body=body,
        widths=(4.2, 1.3, 1.8, 1.8, 1.6, 2.0, 1.5),
        notes=(
            f"注：序时进度为{fmt.percent(figures.time_progress, 0)}；“—”表示未下达目标或无上年同期数。",
            *_unreported_note(figures),
        ),
    )


def unit_ranking(
    figures: QuarterFigures, area: AreaFigures | None, indicator: str = "provincial_funds", **_: str
) -> Table:
    """Units ranked by 完成率 on one indicator, the city total first; units without a target last."""
    ind = figures.registry.indicator(indicator)
    header = (
        tuple(
            Cell(t)
            for t in ("排名", "单位", "年度目标", "累计完成", "完成率", "较序时进度（百分点）", "同比")
        ),
    )
    ranked = sorted(
        figures.units,
        key=lambda u: (
            not u.reported,
            u[indicator].rank is None,
            u[indicator].rank or 0,
            figures.registry.unit_names.index(u.name),
        ),
    )
    with_yoy = ind.money
    city = figures.city[indicator]
    rows = [(Cell("—", bold=True), Cell(figures.city.name, bold=True), *_bold(_result_cells(city, with_yoy)))]
    for unit in ranked:
        result = unit[indicator]
        rows.append(
            (
                Cell(str(result.rank) if result.rank else NA),
                Cell(unit.name, align="left"),
                *_result_cells(result, with_yoy),
            )
        )
    if not with_yoy:
        header = (header[0][:-1],)
    return Table(
        number=0,
        caption=f"各县市区{ind.label}完成情况",
        header=header,
        body=tuple(rows),
        widths=(1.1, 2.6, 1.8, 1.8, 1.6, 2.1, 1.5)[: len(header[0])],
        unit_note=f"单位：{ind.unit}",
        notes=(
            "注：按完成率排名；较序时进度为正数表示超序时进度，负数表示落后序时进度。",
            *_unreported_note(figures),
        ),
    )


def _bold(cells: list[Cell]) -> list[Cell]:
    return [Cell(c.text, c.colspan, c.rowspan, c.align, bold=True) for c in cells]


def chain_table(figures: QuarterFigures, area: AreaFigures | None, **_: str) -> Table:
    header = (
        tuple(
            Cell(t)
            for t in ("产业链", "新引进项目（个）", "总投资（亿元）", "其中重点项目（个）", "在谈项目（个）")
        ),
    )
    rows = [
        (
            Cell(c.chain, align="left"),
            Cell(str(c.projects), align="right"),
            _num(c.investment, 2),
            Cell(str(c.key_projects), align="right"),
            Cell(str(c.in_talks), align="right"),
        )
        for c in figures.chains
    ]
    rows.append(
        (
            Cell("合计", bold=True),
            Cell(str(sum(c.projects for c in figures.chains)), align="right", bold=True),
            Cell(fmt.amount(sum(c.investment for c in figures.chains)), align="right", bold=True),
            Cell(str(sum(c.key_projects for c in figures.chains)), align="right", bold=True),
            Cell(str(sum(c.in_talks for c in figures.chains)), align="right", bold=True),
        )
    )
    return Table(
        number=0,
        caption="七大产业链招商情况",
        header=header,
        body=tuple(rows),
        widths=(2.6, 2.0, 2.0, 2.2, 2.0),
        notes=("注：新引进项目指年内已签约（含已开工、已投产）的项目；在谈项目不计入。",),
    )


def key_projects(figures: QuarterFigures, area: AreaFigures | None, scope: str = "city", **_: str) -> Table:
    """Key projects: 序号, 项目名称, 单位, 产业链, 总投资, 进展 (with the change since last quarter)."""
    projects = (
        figures.key_projects
        if scope == "city" or area is None
        else [p for p in area.projects if p.key_project]
    )
    header = (
        tuple(Cell(t) for t in ("序号", "项目名称", "所属单位", "产业链", "总投资（亿元）", "进展情况")),
    )
    rows = []
    for i, p in enumerate(projects, 1):
        progress = _progress(p)
        rows.append(
            (
                Cell(str(i)),
                Cell(p.name, align="left"),
                Cell(p.unit),
                Cell(p.chain),
                _num(p.investment, 2),
                Cell(progress),
            )
        )
    return Table(
        number=0,
        caption="重点项目推进情况",
        header=header,
        body=tuple(rows),
        widths=(0.9, 5.2, 1.9, 1.9, 1.6, 2.4),
    )


def full_money(figures: QuarterFigures, area: AreaFigures | None, **_: str) -> Table:
    """附件: the three money indicators for the city and every unit (landscape)."""
    return _full_table(
        figures,
        [i for i in figures.registry.indicators if i.money],
        with_yoy=True,
        caption="引资金额完成情况",
    )


def full_counts(figures: QuarterFigures, area: AreaFigures | None, **_: str) -> Table:
    """附件: the five project counts for the city and every unit (landscape)."""
    return _full_table(
        figures,
        [i for i in figures.registry.indicators if not i.money],
        with_yoy=False,
        caption="招商产业项目完成情况",
    )


def _full_table(figures: QuarterFigures, indicators: list, with_yoy: bool, caption: str) -> Table:
    per = 4 if with_yoy else 3
    top = [Cell("单位", rowspan=2)]
    sub = []
    for ind in indicators:
        top.append(Cell(f"{ind.short_label}（{ind.unit}）", colspan=per))
        sub += [Cell("目标"), Cell("完成"), Cell("完成率")] + ([Cell("同比")] if with_yoy else [])
    rows = []
    for area in (figures.city, *figures.units):
        is_city = area is figures.city
        cells = [Cell(area.name, align="left" if not is_city else "center", bold=is_city)]
        for ind in indicators:
            r = area[ind.key]
            if not r.reported:
                cells += [_num(r.target, ind.decimals), Cell(NOT_REPORTED, colspan=per - 1)]
                continue
            group = [
                _num(r.target, ind.decimals),
                _num(r.actual, ind.decimals),
                Cell(fmt.percent(r.rate), align="right"),
            ]
            if with_yoy:
                group.append(Cell(fmt.signed_percent(r.yoy), align="right"))
            cells += _bold(group) if is_city else group
        rows.append(tuple(cells))
    return Table(
        number=0,
        caption=caption,
        header=(tuple(top), tuple(sub)),
        body=tuple(rows),
        widths=(2.2, *([1.0] * per * len(indicators))),
        unit_note=f"截至{figures.year}年{fmt.quarter_end_phrase(figures.quarter)}",
        notes=(
            "注：完成率＝累计完成÷年度目标；“—”表示未下达目标或无上年同期数。",
            *_unreported_note(figures),
        ),
        landscape=True,
    )


def unit_position(figures: QuarterFigures, area: AreaFigures | None, **_: str) -> Table:
    """One unit on every indicator: target, done, 完成率, gap, its rank among the units."""
    assert area is not None, "unit_position needs a unit"
    header = (
        tuple(
            Cell(t)
            for t in ("指标", "单位", "年度目标", "累计完成", "完成率", "较序时进度（百分点）", "全市排名")
        ),
    )
    body = []
    for ind in figures.registry.indicators:
        r = area[ind.key]
        rank = f"{r.rank}/{r.ranked}" if r.rank else NA
        body.append(
            (Cell(ind.label, align="left"), Cell(ind.unit), *_result_cells(r, with_yoy=False), Cell(rank))
        )
    return Table(
        number=0,
        caption=f"{area.name}主要指标完成情况及全市排名",
        header=header,
        body=tuple(body),
        widths=(4.2, 1.3, 1.8, 1.8, 1.6, 2.0, 1.6),
        notes=("注：全市排名按完成率在有目标任务的单位中排列，如“3/13”表示13个单位中第3名。",),
    )


def unit_projects(figures: QuarterFigures, area: AreaFigures | None, **_: str) -> Table:
    """A unit's ledger: every project with its chain, investment, status and open problem."""
    assert area is not None, "unit_projects needs a unit"
    order = {s: i for i, s in enumerate(reversed(figures.registry.statuses))}
    projects = sorted(area.projects, key=lambda p: (order.get(p.status, 9), -p.investment, p.name))
    header = (tuple(Cell(t) for t in ("序号", "项目名称", "产业链", "总投资（亿元）", "进展", "存在问题")),)
    body = tuple(
        (
            Cell(str(i)),
            Cell(p.name, align="left"),
            Cell(p.chain),
            _num(p.investment, 2),
            Cell(_progress(p)),
            Cell(p.problem or NA, align="left"),
        )
        for i, p in enumerate(projects, 1)
    )
    return Table(
        number=0,
        caption=f"{area.name}招商项目推进情况",
        header=header,
        body=body,
        widths=(0.9, 4.6, 1.7, 1.6, 2.0, 4.2),
    )


def _progress(p) -> str:
    """签约（本季度新增）, 签约→开工, or the status alone (unchanged, or nothing to compare with)."""
    if p.is_new_this_quarter:
        return f"{p.status}（本季度新增）"
    if p.status_changed:
        return f"{p.prev_status}→{p.status}"
    return p.status


def dispatch(figures: QuarterFigures, area: AreaFigures | None, **_: str) -> Table:
    """联席调度会: key projects with their change since last quarter, problem and 五个一 owners."""
    header = (
        tuple(
            Cell(t)
            for t in (
                "序号",
                "单位",
                "项目名称",
                "总投资（亿元）",
                "进展（较上季度）" if figures.compared else "进展",
                "存在问题",
                "市级联系领导",
                "牵头部门",
            )
        ),
    )
    body = tuple(
        (
            Cell(str(i)),
            Cell(p.unit),
            Cell(p.name, align="left"),
            _num(p.investment, 2),
            Cell(_progress(p)),
            Cell(p.problem or NA, align="left"),
            Cell(p.leader or NA),
            Cell(p.lead_dept or NA),
        )
        for i, p in enumerate(figures.key_projects, 1)
    )
    return Table(
        number=0,
        caption="重点项目调度情况",
        header=header,
        body=body,
        widths=(0.8, 1.6, 4.0, 1.4, 2.0, 4.4, 2.2, 2.4),
        landscape=True,
    )


def assessment_ranking(figures: QuarterFigures, area: AreaFigures | None, item: str = "0", **_: str) -> Table:
    """年度考核: one of the three single-item rankings (信息量, 签约项目数, 引进投资额)."""
    ranking = figures.assessment[int(item)]
    header = (tuple(Cell(t) for t in ("名次", "单位", f"{ranking.title}（{ranking.unit_of_measure}）")),)
    body = tuple(
        (
            Cell(str(rank)),
            Cell(name),
            Cell(fmt.amount(value, ranking.decimals), align="right", bold=rank <= 3),
        )
        for rank, name, value in ranking.entries
    ) + tuple((Cell(NA), Cell(name), Cell(NOT_REPORTED)) for name in figures.unreported)
    return Table(
        number=0,
        caption=f"{ranking.title}排名",
        header=header,
        body=body,
        widths=(1.2, 3.0, 3.2),
        notes=tuple(f"注：{n}" for n in _unreported_note(figures)),
    )


TABLE_BUILDERS: dict[str, Callable[..., Table]] = {
    "dispatch": dispatch,
    "assessment_ranking": assessment_ranking,
    "unit_position": unit_position,
    "unit_projects": unit_projects,
    "indicator_overview": indicator_overview,
    "unit_ranking": unit_ranking,
    "chains": chain_table,
    "key_projects": key_projects,
    "full_money": full_money,
    "full_counts": full_counts,
}
