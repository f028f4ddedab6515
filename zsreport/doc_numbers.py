"""The quarter's 发文字号 against the archive's 文号 registry, before anything is built.

``check`` and ``build`` refuse a number already issued to another document (``issue`` would refuse
it too, but only after the set was built and checked by hand) and name the next free one. A
quarter rebuilt after issue keeps its own numbers: the registry holds them for the same documents.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from zsreport.archive import Archive, ArchiveError
from zsreport.compose import Issuance, Office, Planned
from zsreport.compose.numbering import BRIEFING
from zsreport.ingest.dataset import Problem
from zsreport.ingest.issuance import issuance_problem, number_text
from zsreport.ingest.problems import ERROR


def with_minutes_number(
    issuance: Issuance, office: Office, plan: list[Planned], archive_root: Path
) -> Issuance:
    """发文.toml without ``minutes_number``: the 纪要 keeps the number the archive already gave it
    (a rebuild after issue), else takes the next free one of its series."""
    briefing = next((p for p in plan if p.kind == BRIEFING and p.prefix == office.minutes_prefix), None)
    if briefing is None or issuance.minutes_number is not None:
        return issuance
    archive = Archive(archive_root)
    prefix, year = office.minutes_prefix, issuance.year
    try:
        serials = archive.issued_serials(prefix, year)
    except ArchiveError:
        return issuance  # an archive that cannot be read: number_problems says why
    for serial in serials:
        number = number_text(prefix, year, serial)
        if not archive.number_holders({number: briefing.slug}):  # held by this very 纪要
            return dataclasses.replace(issuance, minutes_number=serial)
    return dataclasses.replace(issuance, minutes_number=archive.next_number(prefix, year))


def number_problems(
    plan: list[Planned], office: Office, archive_root: Path, data_dir: Path, year: int, quarter: int
) -> list[Problem]:
    """One problem per series (邵承办发, 邵承办纪) whose numbers the archive gave to other documents."""
    archive = Archive(archive_root)
    try:
        holders = archive.number_holders({p.doc_number: p.slug for p in plan})
    except ArchiveError as exc:
        return [Problem(ERROR, str(archive_root), "", "", str(exc), "可读取的文号登记库", "见上文说明。")]
    problems = []
    for prefix in dict.fromkeys(p.prefix for p in plan):
        clashes = [p for p in plan if p.prefix == prefix and p.doc_number in holders]
        if clashes:
            found, expected, fix = _clash_message(clashes, holders, archive, office, prefix)
            problems.append(issuance_problem(data_dir, year, quarter, found, expected, fix))
    return problems


def _clash_message(
    clashes: list[Planned], holders: dict[str, str], archive: Archive, office: Office, prefix: str
) -> tuple[str, str, str]:
    year = clashes[0].year
    free = archive.next_number(prefix, year)
    shown = "；".join(f"{p.doc_number} 已发给“{holders[p.doc_number]}”" for p in clashes[:3])
    more = f"等{len(clashes)}个文号" if len(clashes) > 3 else ""
    found = f"本季度公文要用的发文字号已归档使用过：{shown}{more}"
    expected = f"未使用过的发文字号：{prefix}〔{year}〕{free}号起均未使用"
    if prefix == office.minutes_prefix:
        key, hint = "minutes_number（联席调度会纪要编号）", f" --prefix {prefix}"
    else:
        key, hint = "first_number（起始发文字号）", ""
    fix = (
        f"把 发文.toml 中的 {key} 改为 {free}，再重新运行（下一个可用号可运行"
        f" zsreport archive next-number --year {year}{hint} 查询）。"
    )
    return found, expected, fix
