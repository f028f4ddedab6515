"""The year's plan (年度招商计划表): each unit's targets; a blank 全市 figure is the units' sum."""

from __future__ import annotations

from zsreport.ingest.dataset import Plan, Registry
from zsreport.ingest.messages import indicator_label
from zsreport.ingest.problems import ERROR, Problems
from zsreport.ingest.rows import header_problems, missing_columns
from zsreport.ingest.scan import Found
from zsreport.ingest.shape import header_aligned
from zsreport.ingest.tables import (
    check_city_sum,
    check_industrial_within_provincial,
    missing_units,
    read_unit_table,
)


def read_plan(f: Found, year: int, registry: Registry, problems: Problems) -> Plan:
    keys = [i.key for i in registry.indicators]
    header_problems(f, problems)
    aligned = header_aligned(f, registry, problems)
    if aligned:
        missing_columns(f, keys, ERROR, problems, indicator_label(registry))
    table = read_unit_table(f, registry, problems, keys, figures=aligned)
    missing_units(f, table, registry, problems)
    check_city_sum(f, table, keys, registry, problems)
    check_industrial_within_provincial(f, table, table.values, problems)
    frame = table.values
    sums = frame.reindex(list(registry.unit_names)).sum(skipna=True, min_count=1)
    if registry.city not in frame.index:
        frame.loc[registry.city] = sums
    else:
        frame.loc[registry.city] = frame.loc[registry.city].fillna(sums)
    frame = frame.reindex([registry.city, *registry.unit_names])
    frame.index.name = "unit"
    return Plan(year=year, targets=frame.astype(float), source=f.source)
