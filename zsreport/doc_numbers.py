"""The quarter's 发文字号 against the archive's 文号 registry, before anything is built.

``check`` and ``build`` refuse a number already issued to another document (``issue`` would refuse
it too, but only after the set was built and checked by hand) and name the next free one. A
quarter rebuilt after issue keeps its own numbers: the registry holds them for the same documents,
and a document already issued is refused a second number (``first_number`` changed after issue).
No 序号 of the set may pass 999 (``first_number`` near the end of the range).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from zsreport.archive import Archive, ArchiveError
from zsreport.compose import Issuance, Office, Planned
from zsreport.compose.numbering import BRIEFING
from zsreport.ingest.dataset import Problem
from zsreport.ingest.issuance import MAX_SERIAL, issuance_problem, number_text
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
        renumbered = archive.renumbered({p.doc_number: p.slug for p in plan})
    except ArchiveError as exc:
        return [Problem(ERROR, str(archive_root), "", "", str(exc), "可读取的文号登记库", "见上文说明。")]
    if renumbered:  # the clashes of a renumbered quarter would only repeat it
        return [issuance_problem(data_dir, year, quarter, *_renumbered_message(renumbered, plan, office))]
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


def _renumbered_message(
    renumbered: list[tuple[str, str, str]], plan: list[Planned], office: Office
) -> tuple[str, str, str]:
    shown = "；".join(f"“{slug}”已以 {held} 印发，这次编为 {new}" for slug, held, new in renumbered[:3])
    more = f"等 {len(renumbered)} 份" if len(renumbered) > 3 else ""
    held_by = {slug: held for slug, held, _new in renumbered}
    first = next((p for p in plan if p.prefix == office.doc_prefix), None)
    original = serial_of_text(held_by[first.slug]) if first is not None and first.slug in held_by else None
    back = f"改回 {original}" if original else "改回印发时的号"
    found = f"本季度公文已经印发归档，这次换了发文字号：{shown}{more}"
    expected = "已印发的公文沿用原来的发文字号（一份公文只有一个发文字号）"
    fix = (
        f"把 发文.toml 中的 first_number {back}（纪要另有 minutes_number 的，也改回原号）。"
        "若已印发的公文有误需要更正：改正数据后按原号重新生成、归档（归档中保存为新版本，原件保留）；"
        "或另行起草一份更正通知，作为新的公文使用新的发文字号，而不是给原公文换一个号。"
    )
    return found, expected, fix


def serial_of_text(doc_number: str) -> int | None:
    """邵承办发〔2021〕3号 → 3."""
    digits = doc_number.rpartition("〕")[2].removesuffix("号")
    return int(digits) if digits.isdigit() else None


def serial_problems(plan: list[Planned], data_dir: Path, year: int, quarter: int) -> list[Problem]:
    """The documents whose 序号 would pass 999: ``first_number`` leaves too little room for the set."""
    over = [p for p in plan if p.serial > MAX_SERIAL]
    if not over:
        return []
    first = over[0]
    found = f"按 发文.toml 的编号，{first.slug} 起 {len(over)} 份公文的序号超过 {MAX_SERIAL}（如 {first.doc_number}）"
    expected = f"本季度每份公文的序号都在 1 至 {MAX_SERIAL} 之间"
    count = sum(1 for p in plan if p.prefix == first.prefix)
    fix = (
        f"本季度 {first.prefix} 共 {count} 份公文，first_number 最大只能填 {MAX_SERIAL - count + 1}。"
        f"序号不够时，请与文书商定（下一个可用号可运行 zsreport archive next-number --year {first.year} 查询）。"
    )
    return [issuance_problem(data_dir, year, quarter, found, expected, fix)]
