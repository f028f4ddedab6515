"""Finding the data files: which quarters have a folder, and which files of a folder are tables.

Files are recognised by their *content* (the header's words), never by their names, inside
``data/<year>/`` (the plan) and ``data/<year>/<year>Q<q>/`` (季度完成情况 and 项目库).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from zsreport.ingest.cells import OPEN_AND_SAVE, Grid, Unreadable, read_grids
from zsreport.ingest.dataset import Registry, SourceFile
from zsreport.ingest.headers import Header, find_header
from zsreport.ingest.messages import TEMPLATE_HINT
from zsreport.ingest.parse import is_blank
from zsreport.ingest.problems import ERROR, Problems
from zsreport.ingest.quarters import QUARTER_FOLDER, is_data_file


@dataclass
class Found:
    """A data file with its recognised sheet and header."""

    path: Path
    display: str
    quarter: int | None  # None: the year folder
    grid: Grid
    header: Header
    source: SourceFile


def display_path(path: Path, data_dir: Path) -> str:
    """A path as the clerk knows it: from the data folder on ("data/2020/…")."""
    try:
        return str(path.relative_to(data_dir.parent))
    except ValueError:
        return str(path)


def quarter_folders(year_dir: Path, year: int) -> dict[int, Path]:
    """Quarter → its folder ``<year>Q<q>`` inside ``year_dir`` (a folder of another year is not one)."""
    qdirs: dict[int, Path] = {}
    for d in sorted(year_dir.iterdir()):
        m = QUARTER_FOLDER.match(d.name)
        if d.is_dir() and m and int(m[1]) == year:
            qdirs[int(m[2])] = d
    return qdirs


def scan_folder(
    folder: Path,
    quarter: int | None,
    data_dir: Path,
    registry: Registry,
    problems: Problems,
    failed: set[int | None],
) -> list[Found]:
    """The recognised data files of a folder; ``failed`` collects the quarters (None: the year
    folder) where a data file could not be read or recognised."""
    found: list[Found] = []
    for path in sorted(folder.iterdir()):
        if not is_data_file(path):
            continue
        display = display_path(path, data_dir)
        hit = _recognise(path, display, registry, problems)
        if hit is None:
            failed.add(quarter)
            continue
        grid, header, source = hit
        found.append(Found(path, display, quarter, grid, header, source))
    return found


def _recognise(
    path: Path, display: str, registry: Registry, problems: Problems
) -> tuple[Grid, Header, SourceFile] | None:
    """The first sheet of the file with a recognisable header; ``None`` (reported) otherwise."""
    grids = _read_file(path, display, problems)
    if grids is None:
        return None
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    for grid in grids:
        header = find_header(grid, registry)
        if header is not None:
            return grid, header, SourceFile(path, digest, grid.sheet)
    _no_header(grids, display, problems)
    return None


def _read_file(path: Path, display: str, problems: Problems) -> list[Grid] | None:
    """The sheets of a data file; ``None`` (reported) when it cannot be read."""
    if path.suffix.lower() == ".xls":
        problems.add(
            ERROR,
            display,
            "",
            "",
            "旧版 Excel 文件（.xls 格式），程序无法读取",
            ".xlsx 或 .csv 格式的文件",
            OPEN_AND_SAVE + "，然后把原来的 .xls 文件删除或移出该文件夹。",
        )
        return None
    try:
        return read_grids(path)
    except Unreadable as exc:
        problems.error(display, "", "", exc.issue)
    except OSError:
        problems.add(
            ERROR,
            display,
            "",
            "",
            "无法读取该文件（可能正被其他程序占用，或没有读取权限）",
            "可以正常打开的文件",
            "请关闭正在使用该文件的程序（如 Excel、WPS），确认能正常打开后再运行一次。",
        )
    return None


def _no_header(grids: list[Grid], display: str, problems: Problems) -> None:
    sheets = "、".join(f"“{g.sheet}”" for g in grids if g.sheet)
    where = f"工作表{sheets}中" if sheets else "文件中"
    empty = all(not any(not is_blank(v) for row in g.rows for v in row) for g in grids)
    problems.add(
        ERROR,
        display,
        "",
        "",
        "文件是空的，没有任何内容" if empty else f"{where}找不到能识别的表头行",
        "计划表和季度完成情况表的表头有“单位”和各指标列（如“省外境内资金”）；项目库的表头有“项目名称”",
        "请使用统一模板填报，不要改动表头文字（如“单位”“省外境内资金”“项目名称”）；" + TEMPLATE_HINT + "。",
    )
