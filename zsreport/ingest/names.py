"""How units are written in the office's tables: every spelling of a unit (and of the city's total)
→ its registry name. Shared by the header search (a unit column found by its contents) and the
readers (which unit a row is for)."""

from __future__ import annotations

from zsreport.ingest.dataset import Registry
from zsreport.ingest.parse import squash

CITY_ALIASES = ("全市", "合计", "全市合计", "总计", "全市总计", "邵阳市", "全市汇总")


def unit_lookup(registry: Registry) -> dict[str, str]:
    """Every way a unit (or the city) is written, squashed → its registry name."""
    table = {squash(registry.city): registry.city}
    for alias in CITY_ALIASES:
        table[squash(alias)] = registry.city
    for u in registry.units:
        table[squash(u.name)] = u.name
        long = u.addressee.split("委")[0]  # "城步苗族自治县委、…" → "城步苗族自治县"
        if long.endswith(("县", "市", "区")):
            table.setdefault(squash(long), u.name)
    return table


# What a unit's name ends with: typed wrong as often as the name itself (邵东县 for 邵东市).
_SUFFIXES = ("苗族自治县", "自治县", "县", "市", "区")
CLOSE = 0.15  # every name within this of the best score is offered too


def _stem(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _likeness(typed: str, name: str) -> float:
    """How alike two unit names are, judged on the place name: 邵东县 is 邵东市 (1.0), not 邵阳县."""
    import difflib

    a, b = _stem(typed), _stem(name)
    score = difflib.SequenceMatcher(None, a, b).ratio()
    if a and b and (a in b or b in a):
        score = max(score, 0.9)  # 经开区 → 邵阳经开区
    return score


def close_units(typed: str, registry: Registry) -> list[str]:
    """The registry units a mistyped name most likely meant, every close one (registry order)."""
    typed = squash(typed)
    spellings = unit_lookup(registry)
    scores: dict[str, float] = {}
    for spelling, unit in spellings.items():
        if unit != registry.city:
            scores[unit] = max(scores.get(unit, 0.0), _likeness(typed, spelling))
    best = max(scores.values(), default=0.0)
    if best < 0.5:
        return []
    return [u for u in registry.unit_names if scores.get(u, 0.0) >= best - CLOSE]


def suggest_unit(typed: str, registry: Registry) -> str:
    """The fix for a unit name not in the registry: the close names, else the whole list."""
    close = close_units(typed, registry)
    if close:
        options = "或".join(f"“{u}”" for u in close)
        return f"是否应为{options}？请按规范名称填写（可从下拉列表中选择）。"
    return "请从以下规范名称中选择一个填写：" + "、".join(registry.unit_names) + "。"
