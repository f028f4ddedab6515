"""A small dataset built in code (no files), so compute and compose can be tested on exact numbers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from tests.shipped import shipped_data
from zsreport.ingest.dataset import (
    INFO_COUNT,
    LEDGER_COLUMNS,
    PREV_SUFFIX,
    Actuals,
    Dataset,
    Ledger,
    Plan,
    Registry,
    SourceFile,
)

REGISTRY = Registry.from_toml(shipped_data() / "registry.toml")
SRC = SourceFile(Path("synthetic.xlsx"), "0" * 64, "Sheet1")


def plan_frame(scale: float = 1.0) -> pd.DataFrame:
    keys = [i.key for i in REGISTRY.indicators]
    rows = {}
    for n, unit in enumerate(REGISTRY.unit_names, 1):
        rows[unit] = [10.0 * n * scale, 6.0 * n * scale, 1000.0 * n, 4.0 + n, 2.0 + n, 2.0, 1.0, 1.0]
    rows["北塔区"][2] = np.nan  # no 外资 target, as in the real plan
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=keys)
    city = frame.sum(min_count=1)
    return pd.concat([city.to_frame(REGISTRY.city).T, frame])


def actual_frame(progress: float) -> pd.DataFrame:
    plan = plan_frame().drop(index=REGISTRY.city)
    frame = plan.fillna(0.0) * progress
    for n, unit in enumerate(REGISTRY.unit_names):
        frame.loc[unit] *= 0.7 + 0.05 * n  # units spread from behind to ahead of schedule
    for ind in REGISTRY.indicators:
        if ind.money:
            frame[ind.key + PREV_SUFFIX] = frame[ind.key] / 1.1
    frame[INFO_COUNT] = [10 * (n + 1) for n in range(len(frame))]
    return frame


def ledger_frame(statuses: dict[str, str]) -> pd.DataFrame:
    rows = []
    for i, (name, status) in enumerate(statuses.items()):
        row = dict.fromkeys(LEDGER_COLUMNS, "")
        row.update(
            name=name,
            unit=REGISTRY.unit_names[i % 13],
            chain=REGISTRY.chains[i % 7],
            investment=float(i + 1),
            provincial_funds=float(i + 1),
            foreign_capital=0.0,
            status=status,
            sign_date=pd.NaT,
            start_date=pd.NaT,
            production_date=pd.NaT,
            hightech=i % 2 == 0,
            big_manufacturing=i >= 4,
            key_project=True,
        )
        rows.append(row)
    return pd.DataFrame(rows, columns=list(LEDGER_COLUMNS))


def dataset(quarter: int = 2) -> Dataset:
    actuals = {q: Actuals(2020, q, actual_frame(q / 4), SRC) for q in range(1, quarter + 1)}
    ledgers = {
        1: Ledger(2020, 1, ledger_frame({"甲项目": "洽谈", "乙项目": "签约"}), SRC),
        2: Ledger(2020, 2, ledger_frame({"甲项目": "签约", "乙项目": "开工", "丙项目": "洽谈"}), SRC),
    }
    for q in (3, 4):
        ledgers[q] = Ledger(2020, q, ledgers[2].projects.copy(), SRC)
    return Dataset(
        registry=REGISTRY,
        year=2020,
        quarter=quarter,
        plan=Plan(2020, plan_frame(), SRC),
        actuals=actuals,
        ledgers={q: ledgers[q] for q in range(1, quarter + 1) if q in ledgers},
    )
