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
