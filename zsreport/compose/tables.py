"""The bulletins' tables, built from the computed figures (structure in code; captions in the wording).

Each builder takes ``(figures, area, **options)`` — ``options`` are the attributes of the
``<table ref="…">`` element in the wording template — and returns a ``Table`` that compose numbers.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import TypeGuard

from zsreport import formatting as fmt
from zsreport import gbt9704 as g
from zsreport.compose import facts
from zsreport.compose.columns import column_widths, table_size_pt
from zsreport.compute import AreaFigures, IndicatorResult, QuarterFigures
from zsreport.ingest.dataset import NOT_REPORTED
from zsreport.model import Attachment, Block, Cell, Table

NA = fmt.NO_VALUE
PROBLEM_LEAD = "存在问题："  # a project's problem, in the row under it (``unit_projects``)


def _heads(*texts: str) -> tuple[Cell, ...]:
    """Header cells; "|" marks where a header may break ("较序时进度|（百分点）"), nowhere else."""
    return tuple(Cell(t.replace("|", ""), keep=tuple(t.split("|"))) for t in texts)


def _word(text: str, **kwargs) -> Cell:
    """A cell holding one word no line may break inside: a unit or chain name, a unit of measure."""
    return Cell(text, keep=(text,), **kwargs)


def _sized(header, body, landscape: bool = False) -> dict:
    """``widths`` and ``size_pt`` of a table, from its cells: both renderers set it alike."""
    width = g.LANDSCAPE_TEXT_WIDTH_MM if landscape else g.TEXT_WIDTH_MM
    return {"widths": column_widths(header, body, width), "size_pt": table_size_pt(header, body, width)}


def _num(value: float | None, decimals: int) -> Cell:
    return Cell(fmt.amount(value, decimals), align="right")


def _unreported_note(figures: QuarterFigures) -> tuple[str, ...]:
    """A partial quarter's tables say how the units that have not reported are treated."""
    if not figures.unreported:
        return ()
    return (
        f"{fmt.join_cn(figures.unreported)}{NOT_REPORTED}，不参加排名，"
        f"{figures.city.name}合计为其余{len(figures.reported_units)}个单位之和，"
        f"{figures.city.name}年度目标相应扣除其目标（同口径）。",
    )


def _yoy_note(figures: QuarterFigures, keys: list[str]) -> tuple[str, ...]:
    """The city's 同比 is like for like: the units without a 上年同期 figure are named."""
    notes = []
    for key in keys:
        r = figures.city[key]
        if r.yoy_left_out and r.yoy is not None:
            notes.append(
                f"{figures.city.name}{r.indicator.short_label}同比按有上年同期数的单位同口径计算，"
                f"不含{fmt.join_cn(r.yoy_left_out)}。"
            )
    return tuple(notes)


def _money_keys(figures: QuarterFigures) -> list[str]:
    return [i.key for i in figures.registry.indicators if i.money]


def _result_cells(result: IndicatorResult, with_yoy: bool = True) -> list[Cell]:
    d = result.indicator.decimals
    if not result.reported:  # the target is known; every figure of the unit is 未报送, none is 0
        return [_num(result.target, d), Cell(NOT_REPORTED, colspan=4 if with_yoy else 3)]
    cells = [
        _num(result.target, d),
        _num(result.actual, d),
        Cell(facts.rate_text(result), align="right"),
        Cell(facts.gap_cell(result), align="right"),
    ]
    if with_yoy:
        cells.append(Cell(facts.yoy_cell(result) if result.indicator.money else NA, align="right"))
    return cells


def indicator_overview(figures: QuarterFigures, area: AreaFigures | None, **_: str) -> Table:
    """One area's eight indicators: 目标, 累计完成, 完成率, 较序时进度, 同比."""
    area = area or figures.city
    header = (_heads("指标", "单位", "年度|目标", "累计|完成", "完成率", "较序时进度|（百分点）", "同比"),)
    body = tuple(
        (Cell(ind.label, align="left"), _word(ind.unit), *_result_cells(area[ind.key]))
        for ind in figures.registry.indicators
    )
    return Table(
        number=0,
        caption=f"{area.name}主要指标完成情况",
        header=header,
        body=body,
        **_sized(header, body),
        notes=(
            f"注：序时进度为{fmt.percent(figures.time_progress, 0)}；“—”表示未下达目标或无上年同期数。",
            *_unreported_note(figures),
            *(_yoy_note(figures, _money_keys(figures)) if area is figures.city else ()),
        ),
    )


def unit_ranking(
    figures: QuarterFigures, area: AreaFigures | None, indicator: str = "provincial_funds", **_: str
) -> Table:
    """Units ranked by 完成率 on one indicator, the city total first; units without a target last."""
    ind = figures.registry.indicator(indicator)
    header = (_heads("排名", "单位", "年度|目标", "累计|完成", "完成率", "较序时进度|（百分点）", "同比"),)
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
    rows = [
        (Cell("—", bold=True), _word(figures.city.name, bold=True), *_bold(_result_cells(city, with_yoy)))
    ]
    for unit in ranked:
        result = unit[indicator]
        rows.append(
            (
                Cell(str(result.rank) if result.rank else NA),
                _word(unit.name, align="left"),
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
        **_sized(header, tuple(rows)),
        unit_note=f"单位：{ind.unit}",
        notes=(
            "注：按完成率排名；较序时进度为正数表示超序时进度，负数表示落后序时进度。",
            *_unreported_note(figures),
            *(_yoy_note(figures, [indicator]) if with_yoy else ()),
        ),
    )


def _bold(cells: list[Cell]) -> list[Cell]:
    return [Cell(c.text, c.colspan, c.rowspan, c.align, bold=True, keep=c.keep) for c in cells]


def chain_table(figures: QuarterFigures, area: AreaFigures | None, **_: str) -> Table:
    header = (
        _heads("产业链", "新引进|项目|（个）", "总投资|（亿元）", "其中|重点项目|（个）", "在谈|项目|（个）"),
    )
    rows = [
        (
            _word(c.chain, align="left"),
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
        **_sized(header, tuple(rows)),
        notes=(
            "注：新引进项目指年内已签约（含已开工、已投产）的项目；在谈项目不计入。",
            *_chain_note(figures),
        ),
    )


def _chain_note(figures: QuarterFigures) -> tuple[str, ...]:
    """表 of the chains counts the 项目库; when the 完成情况 table reports another total, say so."""
    chains = facts.chain_facts(figures)
    if not chains.counts_differ:
        return ()
    return (
        f"本表按项目库逐项统计，七大产业链项目合计{chains.ledger_count}个；各单位完成情况表报送"
        f"{chains.reported_count}个，相差{abs(chains.reported_count - chains.ledger_count)}个，待核实。",
    )


def key_projects(figures: QuarterFigures, area: AreaFigures | None, scope: str = "city", **_: str) -> Table:
    """Key projects: 序号, 项目名称, 单位, 产业链, 总投资, 进展 (with the change since last quarter)."""
    projects = (
        figures.key_projects
        if scope == "city" or area is None
        else [p for p in area.projects if p.key_project]
    )
    header = (_heads("序号", "项目名称", "所属|单位", "产业链", "总投资|（亿元）", "进展|情况"),)
    rows = []
    for i, p in enumerate(projects, 1):
        progress = _progress(p)
        rows.append(
            (
                Cell(str(i)),
                Cell(p.name, align="left"),
                _word(p.unit),
                _word(p.chain),
                _num(p.investment, 2),
                _progress_cell(progress),
            )
        )
    return Table(
        number=0,
        caption="重点项目推进情况",
        header=header,
        body=tuple(rows),
        **_sized(header, tuple(rows)),
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
    sub: list[Cell] = []
    for ind in indicators:
        top.append(
            Cell(f"{ind.short_label}（{ind.unit}）", colspan=per, keep=(ind.short_label, f"（{ind.unit}）"))
        )
        sub += _heads("目标", "完成", "完成率", *(["同比"] if with_yoy else []))
    rows = []
    for area in (figures.city, *figures.units):
        is_city = area is figures.city
        cells = [_word(area.name, align="left" if not is_city else "center", bold=is_city)]
        for ind in indicators:
            r = area[ind.key]
            if not r.reported:
                cells += [_num(r.target, ind.decimals), Cell(NOT_REPORTED, colspan=per - 1)]
                continue
            group = [
                _num(r.target, ind.decimals),
                _num(r.actual, ind.decimals),
                Cell(facts.rate_text(r), align="right"),
            ]
            if with_yoy:
                group.append(Cell(facts.yoy_cell(r), align="right"))
            cells += _bold(group) if is_city else group
        rows.append(tuple(cells))
    return Table(
        number=0,
        caption=caption,
        header=(tuple(top), tuple(sub)),
        body=tuple(rows),
        **_sized((tuple(top), tuple(sub)), tuple(rows), landscape=True),
        unit_note=f"截至{figures.year}年{fmt.quarter_end_phrase(figures.quarter)}",
        notes=(
            "注：完成率＝累计完成÷年度目标；“—”表示未下达目标或无上年同期数。",
            *_unreported_note(figures),
            *(_yoy_note(figures, [i.key for i in indicators]) if with_yoy else ()),
        ),
        landscape=True,
    )


def unit_position(figures: QuarterFigures, area: AreaFigures | None, **_: str) -> Table:
    """One unit on every indicator: target, done, 完成率, gap, its rank among the units."""
    assert area is not None, "unit_position needs a unit"
    header = (
        _heads("指标", "单位", "年度|目标", "累计|完成", "完成率", "较序时进度|（百分点）", "全市|排名"),
    )
    body = []
    for ind in figures.registry.indicators:
        r = area[ind.key]
        rank = f"{r.rank}/{r.ranked}" if r.rank else NA
        body.append(
            (Cell(ind.label, align="left"), _word(ind.unit), *_result_cells(r, with_yoy=False), Cell(rank))
        )
    return Table(
        number=0,
        caption=f"{area.name}主要指标完成情况及全市排名",
        header=header,
        body=tuple(body),
        **_sized(header, tuple(body)),
        notes=("注：全市排名按完成率在有目标任务的单位中排列，如“3/13”表示13个单位中第3名。",),
    )


def unit_projects(figures: QuarterFigures, area: AreaFigures | None, **_: str) -> Table:
    """A unit's ledger: every project with its chain, investment and status; a project with an
    open problem has it in a row of its own under it, across the columns.

    Why a row of its own (issue 24): on a portrait page six columns leave a 存在问题 column of
    five to seven 字, and its sentences (up to 39 字 in the ledgers) grew rows five lines tall
    beside one-line cells. Under its project the problem reads as a sentence on the text block's
    width, the project name gets the room the column gave up, and a project without a problem
    takes one line instead of a row with "—". The 序号 spans both rows, which stay on one page."""
    assert area is not None, "unit_projects needs a unit"
    order = {s: i for i, s in enumerate(reversed(figures.registry.statuses))}
    projects = sorted(area.projects, key=lambda p: (order.get(p.status, 9), -p.investment, p.name))
    header = (_heads("序号", "项目名称", "产业链", "总投资|（亿元）", "进展"),)
    body: list[tuple[Cell, ...]] = []
    for i, p in enumerate(projects, 1):
        body.append(
            (
                Cell(str(i), rowspan=2 if p.problem else 1),
                Cell(p.name, align="left"),
                _word(p.chain),
                _num(p.investment, 2),
                _progress_cell(_progress(p)),
            )
        )
        if p.problem:
            body.append((Cell(f"{PROBLEM_LEAD}{p.problem}", colspan=4, align="left", keep=(PROBLEM_LEAD,)),))
    notes = (f"注：项目存在的问题列于该项目下一行（“{PROBLEM_LEAD}”），未列的暂无问题。",)
    return Table(
        number=0,
        caption=f"{area.name}招商项目推进情况",
        header=header,
        body=tuple(body),
        **_sized(header, tuple(body)),
        notes=notes if any(p.problem for p in projects) else (),
    )


def _progress(p) -> str:
    """签约（本季度新增）, 签约→开工, or the status alone (unchanged, or nothing to compare with)."""
    if p.is_new_this_quarter:
        return f"{p.status}（本季度新增）"
    if p.went_back:  # no arrow: an arrow reads as progress
        return f"{p.status}（由{p.prev_status}退回）"
    if p.status_changed:
        return f"{p.prev_status}→{p.status}"
    return p.status


def _progress_cell(progress: str) -> Cell:
    """进展: a status and a status pair "签约→开工" stay whole; "（本季度新增）" breaks after 本季度."""
    return Cell(progress, keep=(progress.split("（")[0], "本季度", "新增", "退回"))


def dispatch(figures: QuarterFigures, area: AreaFigures | None, **_: str) -> Table:
    """联席调度会: key projects with their change since last quarter, problem and 五个一 owners."""
    header = (
        _heads(
            "序号",
            "单位",
            "项目名称",
            "总投资|（亿元）",
            "进展|（较上季度）" if figures.compared else "进展",
            "存在问题",
            "市级|联系领导",
            "牵头部门",
        ),
    )
    body = tuple(
        (
            Cell(str(i)),
            _word(p.unit),
            Cell(p.name, align="left"),
            _num(p.investment, 2),
            _progress_cell(_progress(p)),
            Cell(p.problem or NA, align="left"),
            Cell(p.leader or NA, keep=tuple((p.leader or NA).split("、"))),  # 市委常委、副市长
            Cell(p.lead_dept or NA, keep=(p.unit,)),
        )
        for i, p in enumerate(figures.key_projects, 1)
    )
    return Table(
        number=0,
        caption="重点项目调度情况",
        header=header,
        body=body,
        **_sized(header, body, landscape=True),
        landscape=True,
    )


def assessment_ranking(figures: QuarterFigures, area: AreaFigures | None, item: str = "0", **_: str) -> Table:
    """年度考核: one of the three single-item rankings (信息量, 签约项目数, 引进投资额)."""
    ranking = figures.assessment[int(item)]
    header = (_heads("名次", "单位", f"{ranking.title}|（{ranking.unit_of_measure}）"),)
    body = tuple(
        (
            Cell(str(rank)),
            _word(name),
            Cell(fmt.amount(value, ranking.decimals), align="right", bold=rank <= 3),
        )
        for rank, name, value in ranking.entries
    ) + tuple((Cell(NA), _word(name), _word(NOT_REPORTED)) for name in figures.unreported)
    return Table(
        number=0,
        caption=f"{ranking.title}排名",
        header=header,
        body=body,
        **_sized(header, body),
        notes=tuple(f"注：{n}" for n in _unreported_note(figures)),
    )


def one_landscape_size(
    body: list[Block], attachments: tuple[Attachment, ...]
) -> tuple[list[Block], tuple[Attachment, ...]]:
    """A document's 横排 tables in one size (issue 24: 表6 in 小四 and 表7 in 五号 on facing
    横排 pages read as two styles): the largest size at which every one of them fits its words
    (``table_size_pt``), so a table is set smaller than its own fit only because another 横排
    table of the document cannot fit otherwise; each keeps its columns sized for that size."""
    landscape = [b for b in (*body, *(x for a in attachments for x in a.blocks)) if _landscape(b)]
    if len({t.size_pt for t in landscape}) <= 1:
        return body, attachments
    size = min(t.size_pt for t in landscape)

    def resized(block: Block) -> Block:
        if not _landscape(block) or block.size_pt == size:
            return block
        widths = column_widths(block.header, block.body, g.LANDSCAPE_TEXT_WIDTH_MM, size)
        return dataclasses.replace(block, widths=widths, size_pt=size)

    return [resized(b) for b in body], tuple(
        dataclasses.replace(a, blocks=tuple(resized(b) for b in a.blocks)) for a in attachments
    )


def _landscape(block: Block) -> TypeGuard[Table]:
    return isinstance(block, Table) and block.landscape


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
