"""Finding the data files: which quarters have a folder, and which files of a folder are tables.

Files are recognised by their *content* (the header's words), never by their names, inside
``data/<year>/`` (the plan) and ``data/<year>/<year>Q<q>/`` (季度完成情况 and 项目库).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from zsreport.ingest.cells import Grid, Unreadable, cell_ref, read_grids
from zsreport.ingest.dataset import Registry, SourceFile
from zsreport.ingest.headers import HEADER_SEARCH_ROWS, Header, find_header
from zsreport.ingest.messages import template_hint
from zsreport.ingest.parse import is_blank
from zsreport.ingest.problems import ERROR, Problems
from zsreport.ingest.quarters import QUARTER_FOLDER, is_data_file
from zsreport.ingest.sheets import choose_sheets


@dataclass
class Found:
    """A data file with its recognised sheet and header."""

    path: Path
    display: str
    year: int
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
    year: int,
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
        if path.is_file() and path.suffix.lower() in (".et", ".ett"):
            _wps_file(display_path(path, data_dir), problems)
            failed.add(quarter)
        if not is_data_file(path):
            continue
        display = display_path(path, data_dir)
        hits = _recognise(path, display, year, quarter, registry, problems)
        if not hits:
            failed.add(quarter)
        for grid, header, source in hits:
            found.append(Found(path, display, year, quarter, grid, header, source))
    return found


def _recognise(
    path: Path, display: str, year: int, quarter: int | None, registry: Registry, problems: Problems
) -> list[tuple[Grid, Header, SourceFile]]:
    """The table(s) of a file: for each kind of table, the one sheet that holds it; none
    (reported) when the file cannot be read, holds no table or holds two for the period."""
    grids = _read_file(path, display, problems)
    if grids is None:
        return []
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    sheets = [(grid, header) for grid in grids if (header := find_header(grid, registry)) is not None]
    if not sheets:
        _no_header(grids, display, year, problems)
        return []
    chosen = choose_sheets(sheets, year, quarter, display, problems)
    return [(grid, header, SourceFile(path, digest, grid.sheet)) for grid, header in chosen]


def _read_file(path: Path, display: str, problems: Problems) -> list[Grid] | None:
    """The sheets of a data file; ``None`` (reported) when it cannot be read."""
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


def _wps_file(display: str, problems: Problems) -> None:
    """A WPS 表格 file (.et) is never skipped without a word: it is likely the very table wanted."""
    problems.add(
        ERROR,
        display,
        "",
        "",
        "WPS 表格专用格式（.et）的文件，程序无法读取",
        ".xlsx、.xls 或 .csv 格式的文件",
        "请用 WPS 打开这个文件，点“文件”→“另存为”，保存类型选“Excel 工作簿（*.xlsx）”，"
        "然后把 .et 文件删除或移出该文件夹。",
    )


def _no_header(grids: list[Grid], display: str, year: int, problems: Problems) -> None:
    """No table found: each sheet with content is named with the cells searched. The clerk is not
    told to restore a header they never changed; the file may simply not be a table of ours."""
    filled = [g for g in grids if any(not is_blank(v) for row in g.rows for v in row)]
    if not filled:
        problems.add(
            ERROR, display, "", "", "文件是空的，没有任何内容", "填有数据的表格", "请检查是否放错了文件。"
        )
        return
    for g in filled:
        region = f"A1:{cell_ref(min(len(g.rows), HEADER_SEARCH_ROWS) - 1, max(g.width - 1, 0))}"
        problems.add(
            ERROR,
            display,
            g.sheet,
            region,
            f"在 {region} 中找不到表格的表头：既没有“项目名称”列，也没有写着单位名称"
            "（如“全市”“邵东市”）的一列和旁边写明指标名称（如“省外境内资金”）的列",
            "年度招商计划表或季度完成情况表：一列单位名称（可含“全市”），其右侧各列的表头写明指标名称，"
            "如“省外境内资金”“工业引资”“新引进产业招商项目”；项目库：有一列表头是“项目名称”",
            "请确认这个文件是计划表、季度完成情况表或项目库之一（不是说明、通知或其他表格）；"
            "如果是，请核对单位名称和指标名称是否写全。" + template_hint(year) + "。",
        )
