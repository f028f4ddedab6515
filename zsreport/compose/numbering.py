"""Which documents a quarter issues, in issuing order, with their file names and 发文字号.

The 邵承办发 documents take consecutive numbers from 发文.toml's ``first_number`` in issuing order,
whatever set is produced (a quarter without a meeting, the 考核 only in Q4), so the 文书's
register has no holes. The 纪要 has its own series (``office.minutes_prefix``, 邵承办纪〔2021〕1号)
and takes no number from the 邵承办发 series; as meeting material under the 红头 it is a 邵承办发
document like the others.
"""

from __future__ import annotations

from dataclasses import dataclass

from zsreport.compose.office import Office
from zsreport.ingest.issuance import Issuance, number_text
from zsreport.model import Mode

CITY, BRIEFING, ASSESSMENT, UNIT = "city", "briefing", "assessment", "unit"


@dataclass(frozen=True)
class Planned:
    """One document of the quarter's set, before it is composed."""

    kind: str  # city | briefing | assessment | unit
    unit: str  # the unit of a unit bulletin, else ""
    slug: str  # file stem: 2021Q1-01-全市招商引资工作通报 (stems sort in issuing order)
    prefix: str  # 机关代字 of its 发文字号: 邵承办发, or 邵承办纪 for the 纪要
    serial: int  # 序号 in that series
    year: int  # the 文号's year: the year of the 成文日期

    @property
    def doc_number(self) -> str:
        """The 发文字号 as printed: 邵承办发〔2021〕3号."""
        return number_text(self.prefix, self.year, self.serial)


def issuing_plan(
    year: int,
    quarter: int,
    unit_names: tuple[str, ...],
    office: Office,
    issuance: Issuance,
    briefing_mode: Mode = Mode.MINUTES,
    skip: tuple[str, ...] = (),
) -> list[Planned]:
    """The quarter's documents in issuing order: city bulletin, briefing (when there was a meeting),
    年度考核 (Q4), one bulletin per unit in registry order. ``skip``: units that get no bulletin
    (they have not reported: nothing to say of them); the others keep their file names."""
    minutes = briefing_mode is Mode.MINUTES
    stem = f"{year}Q{quarter}-"
    entries: list[tuple[str, str, str]] = [(CITY, "", "01-全市招商引资工作通报")]
    if issuance.meeting is not None:
        entries.append((BRIEFING, "", f"02-招商引资联席调度会{'纪要' if minutes else '材料'}"))
    if quarter == 4:
        entries.append((ASSESSMENT, "", f"03-{year}年度招商引资单项考核结果通报"))
    entries += [
        (UNIT, name, f"{10 + i:02d}-{name}招商引资工作通报")
        for i, name in enumerate(unit_names)
        if name not in skip
    ]

    plan, serial = [], issuance.first_number
    for kind, unit, tail in entries:
        if kind == BRIEFING and minutes:
            # Built without an archive to ask, the 纪要 series starts at 1 (build resolves it first).
            own = issuance.minutes_number if issuance.minutes_number is not None else 1
            plan.append(Planned(kind, unit, stem + tail, office.minutes_prefix, own, issuance.year))
            continue
        plan.append(Planned(kind, unit, stem + tail, office.doc_prefix, serial, issuance.year))
        serial += 1
    return plan


def planned(plan: list[Planned], kind: str, unit: str = "") -> Planned:
    return next(p for p in plan if p.kind == kind and p.unit == unit)
