"""What the unit tables and the ledger share below their header: which rows hold data, and the
problems of the header itself (a column missing or repeated)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from zsreport.ingest.cells import Grid, cell_ref
from zsreport.ingest.messages import template_hint
from zsreport.ingest.names import unit_lookup
from zsreport.ingest.parse import is_blank, squash
from zsreport.ingest.problems import ERROR, Problems
from zsreport.ingest.scan import Found

__all__ = ["data_rows", "header_problems", "missing_columns", "unit_lookup"]

# Rows at the bottom that are notes, not data.
NOTE_PREFIXES = (
    "备注",
    "注:",
    "注1",
    "说明",
    "填报人",
    "填表人",
    "审核人",
    "负责人",
    "联系人",
    "联系电话",
    "填报单位",
    "填报日期",
    "制表",
    "单位负责人",
    "数据来源",
    "资料来源",
)


def data_rows(f: Found) -> Iterator[int]:
    """The rows below the header that hold something other than a note ("备注：…", "填报人：…")."""
    grid, h = f.grid, f.header
    for r in range(h.row + h.depth, len(grid.rows)):
        if not (_row_blank(grid, r) or _is_note_row(grid, r)):
            yield r


def _is_note_row(grid: Grid, r: int) -> bool:
    for c in range(grid.width):
        t = grid.text(r, c)
        if t:
            return t.startswith(tuple(squash(p) for p in NOTE_PREFIXES))
    return False


def _row_blank(grid: Grid, r: int) -> bool:
    return all(is_blank(grid.raw(r, c)) for c in range(grid.width))


def header_problems(f: Found, problems: Problems) -> None:
    for ref, issue in f.header.problems:
        problems.error(f.display, f.grid.sheet, ref, issue)


def missing_columns(
    f: Found, keys: Iterable[str], severity: str, problems: Problems, label: Callable[[str], str]
) -> None:
    for key in keys:
        if key not in f.header.columns:
            problems.add(
                severity,
                f.display,
                f.grid.sheet,
                cell_ref(f.header.row, 0),
                f"缺少“{label(key)}”列",
                f"表头中有“{label(key)}”一列",
                (
                    f"请从统一模板中复制“{label(key)}”的表头，加到表中并填写数据（{template_hint(f.year)}）。"
                    if severity == ERROR
                    else "这一列不是必填项，缺少时按空白处理；"
                    f"如有数据，请从统一模板中复制“{label(key)}”的表头，加到表中并填写。"
                ),
            )
