"""Figures + wording → the document tree.

The wording of each document lives in ``templates/wording/<kind>.xml.j2``: Jinja that writes a
small XML vocabulary (``<title>``, ``<addressee>``, ``<h1>``–``<h4>``, ``<p>``, ``<run role>``,
``<table ref>``, ``<figure ref>``, ``<attachment>``, ``<note>``). The office can reword a bulletin
there without touching Python. Templates run in Jinja's sandbox with autoescaping on, and text
from the units' spreadsheets reaches them only as values, so a project called ``{{ 7*7 }}`` or
``<img …>`` is printed as typed. Headings are numbered here (一、（一）1.（1）), tables and figures
too (表1, 图1), so a conditional section never leaves a gap in the numbering.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from jinja2 import FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

from zsreport import TEMPLATES_DIR, formatting
from zsreport.compose import charts, facts
from zsreport.compose.numbering import ASSESSMENT, BRIEFING, CITY, UNIT, Planned, issuing_plan, planned
from zsreport.compose.office import Office
from zsreport.compose.tables import TABLE_BUILDERS, one_landscape_size
from zsreport.compute import AreaFigures, IndicatorResult, QuarterFigures
from zsreport.ingest.issuance import Issuance, Meeting
from zsreport.model import (
    Attachment,
    Attendance,
    Block,
    Colophon,
    DocMeta,
    Document,
    Figure,
    Heading,
    Letterhead,
    Mode,
    PageBreak,
    Paragraph,
    Run,
    Signoff,
    Table,
)

WORDING_DIR = TEMPLATES_DIR / "wording"

__all__ = ["Issuance", "Meeting", "Office"]  # and the compose_* functions below


# ---------------------------------------------------------------- wording (Jinja → XML)


@pass_context
def _gap_filter(context: Context, result: IndicatorResult) -> str:
    """``r|gap``: the gap to 序时进度 as printed, said as the annual result in the fourth quarter."""
    return facts.gap_phrase(result, year_end=context.get("quarter") == 4)


def wording_environment(directory: Path = WORDING_DIR) -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(directory),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters.update(
        amount=formatting.amount,
        percent=formatting.percent,
        rate=facts.rate_text,
        gap=_gap_filter,
        yoy=facts.yoy_phrase,
        share=facts.share_text,
        names=facts.place_names,
        commended=facts.commended_places,
        cn=formatting.cn_number,
        joincn=formatting.join_cn,
    )
    env.globals.update(quarter_name=formatting.quarter_name, cn_date=formatting.cn_date)
    return env


@functools.cache
def _shipped_wording() -> ImmutableSandboxedEnvironment:
    """One environment per process for the shipped templates, so that Jinja compiles each template
    once (a new environment per document compiled them all again: most of composing's time)."""
    return wording_environment()


def render_wording(
    template: str, context: dict[str, object], env: ImmutableSandboxedEnvironment
) -> ET.Element:
    xml = env.get_template(template).render(**context)
    try:
        return ET.fromstring(xml)
    except ET.ParseError as exc:  # a template edit broke the XML: say where
        line = xml.splitlines()[exc.position[0] - 1] if exc.position[0] <= len(xml.splitlines()) else ""
        raise ValueError(
            f"templates/wording/{template} produced invalid XML ({exc}): {line.strip()}"
        ) from exc


def _clean(text: str | None) -> str:
    """Template line breaks and indentation are not part of the text (Chinese has no word spaces)."""
    return re.sub(r"\s*\n\s*", "", text or "").strip()


HEADING_NUMBERS: dict[int, Callable[[int], str]] = {
    1: lambda n: f"{formatting.cn_number(n)}、",
    2: lambda n: f"（{formatting.cn_number(n)}）",
    3: lambda n: f"{n}.",
    4: lambda n: f"（{n}）",
}


@dataclass
class _Numbering:
    headings: list[int] = dataclasses.field(default_factory=lambda: [0, 0, 0, 0])
    tables: int = 0
    figures: int = 0

    def heading(self, level: int) -> str:
        self.headings[level - 1] += 1
        for deeper in range(level, 4):
            self.headings[deeper] = 0
        return HEADING_NUMBERS[level](self.headings[level - 1])


class _BlockBuilder:
    """Turns the wording XML into blocks, building the referenced tables and figures."""

    def __init__(self, figures: QuarterFigures, area: AreaFigures | None) -> None:
        self.figures = figures
        self.area = area
        self.numbering = _Numbering()

    def blocks(self, parent: ET.Element) -> list[Block]:
        out: list[Block] = []
        for elem in parent:
            if elem.tag == "figure":  # a chart of many units may come in parts
                out += self.figure(elem)
                continue
            block = self.block(elem)
            if block is not None:
                out.append(block)
        return out

    def block(self, elem: ET.Element) -> Block | None:
        tag = elem.tag
        if tag in ("h1", "h2", "h3", "h4"):
            level = int(tag[1])
            return Heading(level, self.numbering.heading(level), _clean("".join(elem.itertext())))
        if tag == "p":
            return self.paragraph(elem)
        if tag == "table":
            return self.table(elem)
        if tag == "pagebreak":
            return PageBreak()
        if tag in ("title", "addressee", "attachment", "note"):
            return None  # document-level parts, read by compose_document
        raise ValueError(f"unknown element <{tag}> in the wording template")

    def paragraph(self, elem: ET.Element) -> Paragraph | None:
        runs: list[Run] = []
        if _clean(elem.text):
            runs.append(Run(_clean(elem.text)))
        for child in elem:
            if child.tag != "run":
                raise ValueError(f"<p> may contain only <run>, not <{child.tag}>")
            runs.append(Run(_clean(child.text), role=child.get("role", "body")))  # type: ignore[arg-type]
            if _clean(child.tail):
                runs.append(Run(_clean(child.tail)))
        if not runs:
            return None  # a paragraph whose every sentence was conditional and false
        return Paragraph(
            runs=tuple(runs),
            indent=elem.get("indent", "yes") != "no",
            align=elem.get("align", "justify"),  # type: ignore[arg-type]
        )

    def _built(self, elem: ET.Element, builders: dict[str, Callable[..., object]]) -> object:
        """Call the builder named by ``ref``; the element's other attributes are its options."""
        ref = elem.get("ref", "")
        if ref not in builders:
            raise ValueError(
                f'<{elem.tag} ref="{ref}">: no such {elem.tag}; known: {", ".join(sorted(builders))}'
            )
        options = {k: v for k, v in elem.attrib.items() if k not in ("ref", "caption")}
        return builders[ref](self.figures, self.area, **options)

    def table(self, elem: ET.Element) -> Table:
        table = self._built(elem, TABLE_BUILDERS)
        assert isinstance(table, Table)
        self.numbering.tables += 1
        return dataclasses.replace(
            table, number=self.numbering.tables, caption=elem.get("caption", table.caption)
        )

    def figure(self, elem: ET.Element) -> list[Figure]:
        """The figure, or its parts (one number, captions ending （一）（二）…) when the chart
        would hold more bars than one page shows legibly (``charts.MAX_BARS``)."""
        built = self._built(elem, FIGURE_BUILDERS)
        images = built if isinstance(built, list) else [built]
        assert images and all(isinstance(i, charts.ChartImage) for i in images)
        self.numbering.figures += 1
        caption = elem.get("caption", "")
        return [
            Figure(
                number=self.numbering.figures,
                caption=f"{caption}（{formatting.cn_number(k + 1)}）" if len(images) > 1 else caption,
                svg=image.svg,
                png=image.png,
                width_mm=image.width_mm,
                height_mm=image.height_mm,
                alt=image.alt,
            )
            for k, image in enumerate(images)
        ]


# ---------------------------------------------------------------- figures


def _printed_rate(result: IndicatorResult) -> float | None:
    """The 完成率 a chart shows: as the text prints it (``IndicatorResult.shown_rate``)."""
    return None if result.shown_rate is None else float(result.shown_rate) / 100


def _completion_figure(
    figures: QuarterFigures, area: AreaFigures | None, indicator: str
) -> list[charts.ChartImage]:
    """Units that have not reported are left out (no bar, not a zero one): the text names them."""
    ind = figures.registry.indicator(indicator)
    units = figures.reported_units
    return charts.completion_by_unit_parts(
        [u.name for u in units],
        [_printed_rate(u[indicator]) for u in units],
        figures.time_progress,
        ind.label,
    )


def _chains_figure(figures: QuarterFigures, area: AreaFigures | None) -> charts.ChartImage:
    return charts.chains_overview(
        [c.chain for c in figures.chains],
        [c.projects for c in figures.chains],
        [c.investment for c in figures.chains],
    )


def _trend_figure(figures: QuarterFigures, area: AreaFigures | None, indicator: str) -> charts.ChartImage:
    ind = figures.registry.indicator(indicator)
    target = figures.city[indicator].target or 0.0
    quarters = figures.trend_quarters
    return charts.quarterly_trend(
        [f"{formatting.cn_number(q)}季度" for q in quarters],
        list(figures.trend[indicator]),
        target,
        [target * q / 4 for q in quarters],
        ind.label,
        ind.unit,
    )


def _unit_indicators_figure(figures: QuarterFigures, area: AreaFigures | None) -> charts.ChartImage:
    assert area is not None, "unit_indicators needs a unit"
    return charts.unit_indicators(
        [ind.short_label for ind in figures.registry.indicators],
        [_printed_rate(area[ind.key]) for ind in figures.registry.indicators],
        figures.time_progress,
        area.name,
    )


FIGURE_BUILDERS: dict[str, Callable[..., charts.ChartImage | list[charts.ChartImage]]] = {
    "completion_by_unit": _completion_figure,
    "chains": _chains_figure,
    "quarterly_trend": _trend_figure,
    "unit_indicators": _unit_indicators_figure,
}


# ---------------------------------------------------------------- documents


def _title_lines(root: ET.Element) -> tuple[str, ...]:
    lines = tuple(_clean(t.text) for t in root.findall("title"))
    if not lines:
        raise ValueError("the wording template has no <title>")
    return lines


def compose_document(
    *,
    template: str,
    context: dict[str, object],
    figures: QuarterFigures,
    area: AreaFigures | None,
    meta: DocMeta,
    mode: Mode,
    letterhead: Letterhead | None,
    signoff: Signoff | None,
    colophon: Colophon | None,
    attendance: tuple[Attendance, ...] = (),
    env: ImmutableSandboxedEnvironment | None = None,
) -> Document:
    env = env or _shipped_wording()
    root = render_wording(template, context, env)
    builder = _BlockBuilder(figures, area)
    body = builder.blocks(root)
    attachments = tuple(
        Attachment(
            label=att.get("label", "附件"),
            title=_clean(att.get("title")),
            blocks=tuple(builder.blocks(att)),
        )
        for att in root.findall("attachment")
    )
    body, attachments = one_landscape_size(body, attachments)
    if len(attachments) > 1:  # 附件1, 附件2 … when there are several (clause 7.3.6)
        attachments = tuple(dataclasses.replace(a, label=f"附件{i}") for i, a in enumerate(attachments, 1))
    addressee = _clean(root.findtext("addressee"))
    note = _clean(root.findtext("note"))
    return Document(
        meta=meta,
        mode=mode,
        letterhead=None if mode is Mode.PLAIN else letterhead,
        title_lines=_title_lines(root),
        addressee=addressee,
        body=tuple(body),
        signoff=signoff,
        attachments=attachments,
        colophon=colophon,
        attendance=attendance,
        note=note,
    )


def _units_ranked(figures: QuarterFigures, key: str) -> list[AreaFigures]:
    order = figures.registry.unit_names
    return sorted(figures.units, key=lambda u: (u[key].rank is None, u[key].rank or 0, order.index(u.name)))


def _meta(figures: QuarterFigures, entry: Planned, subject: str) -> DocMeta:
    return DocMeta(
        kind=entry.kind,
        year=figures.year,
        quarter=figures.quarter,
        unit=entry.unit,
        slug=entry.slug,
        subject=subject,
    )


def _entry(
    figures: QuarterFigures,
    office: Office,
    issuance: Issuance,
    kind: str,
    unit: str = "",
    plan: list[Planned] | None = None,
) -> Planned:
    """The document's place in the quarter's set (its slug and 发文字号); ``compose_all`` passes the
    plan of the set it builds, a lone document takes its place in the default set."""
    plan = plan or issuing_plan(
        figures.year, figures.quarter, figures.registry.unit_names, office, issuance, skip=figures.unreported
    )
    return planned(plan, kind, unit)


def base_context(
    figures: QuarterFigures, office: Office, issuance: Issuance, draft: bool = False
) -> dict[str, object]:
    return {
        # A draft (征求意见稿) says so under its title. A partial quarter (drafts only) names the
        # units that had not reported by ``cutoff``: the date collect noted under the 完成情况
        # table, else the 成文日期 of 发文.toml.
        "draft": draft,
        "unreported": figures.unreported,
        # The cut-off stated under the 完成情况 table, printed as a full date (build refuses a
        # partial quarter without one, or with one outside the quarter's end and the 成文日期).
        "cutoff": formatting.cn_date(figures.cutoff) if figures.cutoff else "",
        "reported_units": figures.reported_units,
        "standing": lambda key: facts.standing(figures, key),
        "top_places": lambda key, within=3: facts.top_places(figures, key, within),
        "units_ranked": lambda key: [u.name for u in _units_ranked(figures, key)],
        "chain_facts": facts.chain_facts(figures),
        "stage_facts": facts.stage_facts(figures.key_projects),
        "problem_facts": facts.problem_facts(figures),
        "f": figures,
        "city": figures.city,
        "units": figures.units,
        "chains": figures.chains,
        "registry": figures.registry,
        "year": figures.year,
        "quarter": figures.quarter,
        "quarter_cn": formatting.cn_number(figures.quarter),
        "end": formatting.quarter_end_phrase(figures.quarter),
        "time_progress": figures.time_progress,
        "office": office,
        "issued": formatting.cn_date(issuance.date),
        # At the year's end 序时进度 is the annual target: say "完成年度目标", not "达到序时进度".
        "reached": "完成年度目标" if figures.quarter == 4 else "达到序时进度",
        "lagging": "未完成年度目标" if figures.quarter == 4 else "落后序时进度",
    }


def _formal_parts(
    office: Office, issuance: Issuance, doc_number: str
) -> tuple[Letterhead, Signoff, Colophon]:
    letterhead = Letterhead(organ_lines=office.letterhead_lines, suffix="文件", doc_number=doc_number)
    date = formatting.cn_date(issuance.date)
    signoff = Signoff(organ_lines=office.signoff_lines, date=date)
    colophon = Colophon(printer=office.printer, print_date=date, cc=office.cc)
    return letterhead, signoff, colophon


def _subject(figures: QuarterFigures, what: str) -> str:
    return f"{figures.year}年{formatting.quarter_name(figures.quarter)}{what}"


def compose_city_bulletin(
    figures: QuarterFigures,
    office: Office,
    issuance: Issuance,
    mode: Mode = Mode.FORMAL,
    plan: list[Planned] | None = None,
    draft: bool = False,
) -> Document:
    """季度招商引资工作通报 for the whole city."""
    entry = _entry(figures, office, issuance, CITY, plan=plan)
    letterhead, signoff, colophon = _formal_parts(office, issuance, entry.doc_number)
    return compose_document(
        template="city.xml.j2",
        context=base_context(figures, office, issuance, draft),
        figures=figures,
        area=figures.city,
        meta=_meta(figures, entry, _subject(figures, "全市招商引资工作推进情况通报")),
        mode=mode,
        letterhead=letterhead,
        signoff=signoff,
        colophon=colophon,
    )


def compose_unit_bulletin(
    figures: QuarterFigures,
    unit_name: str,
    office: Office,
    issuance: Issuance,
    mode: Mode = Mode.FORMAL,
    plan: list[Planned] | None = None,
    draft: bool = False,
) -> Document:
    """The quarter's bulletin for one unit: its figures, its rank among the units, its projects."""
    entry = _entry(figures, office, issuance, UNIT, unit_name, plan)
    letterhead, signoff, colophon = _formal_parts(office, issuance, entry.doc_number)
    area = figures.unit(unit_name)
    context = base_context(figures, office, issuance, draft) | {
        "u": area,
        "addressee": figures.registry.unit(unit_name).addressee,
        "count_differs": facts.signed_count_differs(area),
    }
    return compose_document(
        template="unit.xml.j2",
        context=context,
        figures=figures,
        area=area,
        meta=_meta(figures, entry, _subject(figures, f"{unit_name}招商引资工作推进情况通报")),
        mode=mode,
        letterhead=letterhead,
        signoff=signoff,
        colophon=colophon,
    )


def compose_briefing(
    figures: QuarterFigures,
    office: Office,
    issuance: Issuance,
    mode: Mode = Mode.MINUTES,
    plan: list[Planned] | None = None,
    draft: bool = False,
) -> Document:
    """The quarterly 联席调度会: as a 纪要 (GB/T 9704 clause 10.3) or as meeting material under the 红头."""
    if issuance.meeting is None:
        raise ValueError(
            "发文.toml 缺少 [meeting] 部分：联席调度会纪要需要会议日期、主持人、地点和出席单位。"
        )
    meeting = issuance.meeting
    date = formatting.cn_date(issuance.date)
    minutes = mode is Mode.MINUTES
    plan = plan or issuing_plan(
        figures.year, figures.quarter, figures.registry.unit_names, office, issuance, mode, figures.unreported
    )
    entry = planned(plan, BRIEFING)
    if minutes:
        letterhead: Letterhead | None = Letterhead(
            organ_lines=(office.minutes_mark,),
            suffix="",
            doc_number=entry.doc_number,
            minutes_organ=office.printer,
            minutes_date=date,
        )
        signoff = None  # a 纪要 carries no 署名 and no seal
    else:
        letterhead, signoff, _ = _formal_parts(office, issuance, entry.doc_number)
    attendance = tuple(
        Attendance(label, names)
        for label, names in (("出席", meeting.attend), ("请假", meeting.absent), ("列席", meeting.observers))
        if names
    )
    context = base_context(figures, office, issuance, draft) | {
        "meeting": meeting,
        "minutes": minutes,
        "problems": figures.problems_by_kind(),
        "solvers": figures.registry.problem_kinds,
    }
    return compose_document(
        template="briefing.xml.j2",
        context=context,
        figures=figures,
        area=None,
        meta=_meta(figures, entry, _subject(figures, "招商引资联席调度会")),
        mode=mode,
        letterhead=letterhead,
        signoff=signoff,
        colophon=Colophon(printer=office.printer, print_date=date, cc=office.cc),
        attendance=attendance if minutes else (),
    )


def compose_assessment(
    figures: QuarterFigures,
    office: Office,
    issuance: Issuance,
    mode: Mode = Mode.FORMAL,
    plan: list[Planned] | None = None,
    draft: bool = False,
) -> Document:
    """年度考核 (fourth quarter only): the three single-item rankings and the top three of each."""
    if figures.quarter != 4:
        raise ValueError("年度考核只随第四季度文件印发。")
    entry = _entry(figures, office, issuance, ASSESSMENT, plan=plan)
    letterhead, signoff, colophon = _formal_parts(office, issuance, entry.doc_number)
    return compose_document(
        template="assessment.xml.j2",
        context=base_context(figures, office, issuance, draft) | {"rankings": figures.assessment},
        figures=figures,
        area=None,
        meta=_meta(figures, entry, f"{figures.year}年度招商引资工作单项考核结果"),
        mode=mode,
        letterhead=letterhead,
        signoff=signoff,
        colophon=colophon,
    )
