"""Which quarters have data: folder names only, so that the commands can find the latest quarter
(and ``build`` can see that nothing changed) without importing pandas or openpyxl."""

from __future__ import annotations

import re
from pathlib import Path

DATA_SUFFIXES = (".xlsx", ".xlsm", ".csv")
QUARTER_FOLDER = re.compile(r"^(\d{4})\s*[Qq]([1-4])$")


def available_quarters(data_dir: Path) -> list[tuple[int, int]]:
    """(year, quarter) of every ``data/<year>/<year>Q<q>/`` folder that holds a data file, sorted."""
    out: set[tuple[int, int]] = set()
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        return []
    for year_dir in data_dir.iterdir():
        if not (year_dir.is_dir() and re.fullmatch(r"\d{4}", year_dir.name)):
            continue
        for qdir in year_dir.iterdir():
            m = QUARTER_FOLDER.match(qdir.name)
            if (
                qdir.is_dir()
                and m
                and int(m[1]) == int(year_dir.name)
                and any(is_data_file(f) for f in qdir.iterdir())
            ):
                out.add((int(m[1]), int(m[2])))
    return sorted(out)


def started_quarters(data_dir: Path, returns_dir: Path) -> dict[tuple[int, int], str]:
    """Quarters begun but holding no data yet, each with what there is of it: a quarter folder with
    no data file (发文.toml written ahead, say), or the units' return forms sent out (``forms``)
    and not collected. A bare ``build`` names them, so nobody takes the older quarter it builds
    for the new one."""
    found: dict[tuple[int, int], str] = {}
    have = set(available_quarters(data_dir))
    for folder in Path(data_dir).glob("[0-9][0-9][0-9][0-9]/*"):
        m = QUARTER_FOLDER.match(folder.name)
        if folder.is_dir() and m and m[1] == folder.parent.name and (int(m[1]), int(m[2])) not in have:
            found[int(m[1]), int(m[2])] = f"{folder} 中还没有季度完成情况表和项目库"
    for folder in Path(returns_dir).glob("*"):
        m = QUARTER_FOLDER.match(folder.name)
        if folder.is_dir() and m and (int(m[1]), int(m[2])) not in have:
            found.setdefault((int(m[1]), int(m[2])), f"单位报表已发出（{folder}），还没有汇总")
    return dict(sorted(found.items()))


def is_data_file(path: Path) -> bool:
    name = path.name
    return (
        path.is_file()
        and path.suffix.lower() in (*DATA_SUFFIXES, ".xls")
        and not name.startswith(("~$", ".", ".~"))  # Excel/WPS lock files and hidden files
    )
