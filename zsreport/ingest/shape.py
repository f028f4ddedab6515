"""What a table's shape says beyond its header words: a header shifted against its figures, merged
cells that make several data cells share one value, and hidden rows or columns that hold data.

Each is found on the cells themselves and reported at them; a shifted header is told as what it
is (and its figures are not read), never as the odd figures it would produce.
"""

from __future__ import annotations

from zsreport.ingest.cells import cell_ref
from zsreport.ingest.dataset import Registry
from zsreport.ingest.headers import LEDGER
from zsreport.ingest.messages import indicator_label
from zsreport.ingest.names import unit_lookup
from zsreport.ingest.parse import is_blank, shown
from zsreport.ingest.problems import Issue, Problems
from zsreport.ingest.rows import data_rows
from zsreport.ingest.scan import Found

# Ledger columns whose cells must each hold their own value (a merged 所属单位 over a county's
# projects is the office's usual layout and means the same unit for each).
LEDGER_OWN_CELLS = ("name", "investment", "provincial_funds", "foreign_capital")


def column_letter(c: int) -> str:
    return cell_ref(0, c)[:-1]


def unit_rows(f: Found, registry: Registry) -> list[int]:
    """The data rows of a unit table that name a unit (or the city)."""
    lookup = unit_lookup(registry)
    return [r for r in data_rows(f) if f.grid.text(r, f.header.anchor_col) in lookup]


def _filled_columns(f: Found, rows: list[int]) -> set[int]:
    grid = f.grid
    return {c for c in range(grid.width) for r in rows if not is_blank(grid.raw(r, c))}


def header_shift(f: Found, registry: Registry) -> tuple[str, Issue] | None:
    """The header of a unit table typed one column off its figures: every indicator header stands
    one column beside a column of figures, a column of figures has no header, and a header column
    has no figures (or an indicator is missing). Returns (header cell, issue)."""
    h = f.header
    keys = [k for k in h.columns if not k.endswith("_prev") and k != "info_count"]
    headed = set(h.columns.values())
    filled = _filled_columns(f, unit_rows(f, registry)) - {h.anchor_col}
    for step in (-1, 1):
        if not {c + step for c in headed} <= filled:
            continue
        strays = sorted(c for c in filled - headed if c - step in headed and _unheaded(h.texts.get(c, "")))
        unfilled = sorted(headed - filled)
        missing = len(keys) < len(registry.indicators)
        if strays and (unfilled or missing):
            return _shift_issue(f, registry, step, strays, unfilled)
    return None


def header_aligned(f: Found, registry: Registry, problems: Problems) -> bool:
    """Whether the header stands over its figures (reported when it does not)."""
    shift = header_shift(f, registry)
    if shift is not None:
        problems.error(f.display, f.grid.sheet, *shift)
    return shift is None


def _unheaded(text: str) -> bool:
    """A column whose header names no figure of ours (blank, or only a group name above)."""
    words = ("完成率", "增长", "同比", "排名", "序时", "进度", "比例", "占比", "备注", "序号", "%")
    return not any(w in text for w in words)


def _shift_issue(
    f: Found, registry: Registry, step: int, strays: list[int], unfilled: list[int]
) -> tuple[str, Issue]:
    h, label = f.header, indicator_label(registry)
    order = [i.key for i in registry.indicators if i.key in h.columns]
    first = order[0]
    should = [f"“{label(k)}”的表头应在 {column_letter(h.columns[k] + step)} 列" for k in order[:3]]
    unfilled_text = "、".join(f"{column_letter(c)} 列" for c in unfilled)
    found = (
        f"表头与数字错开了一列：{'、'.join(column_letter(c) + ' 列' for c in strays)}有数字但没有指标表头"
        + (f"，{unfilled_text}有表头但没有数字" if unfilled else "")
        + f"；“{label(first)}”的表头在 {h.header_cells[first]}，它的数字却在 "
        f"{column_letter(h.columns[first] + step)} 列"
    )
    direction = "左" if step < 0 else "右"
    return h.header_cells[first], (
        found,
        "每个表头正对着它下面的数字：" + "，".join(should) + ("……" if len(order) > 3 else ""),
        f"请把表头整体向{direction}移一列（或核对是否多插入、删去了一列），使每一列的表头和它下面的数字对齐；"
        "数字本身不用改。",
    )


def check_merged_data_cells(f: Found, registry: Registry, problems: Problems) -> None:
    """A merged range over two or more cells that must each hold their own value: each would
    silently read the top-left value."""
    grid, h = f.grid, f.header
    if h.kind == LEDGER:
        rows = set(data_rows(f))
        columns = {h.columns[k] for k in LEDGER_OWN_CELLS if k in h.columns}
    else:
        rows = set(unit_rows(f, registry))
        columns = {*h.columns.values(), h.anchor_col}
    for r1, c1, r2, c2 in grid.merged:
        cells = [(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1) if r in rows and c in columns]
        if len(cells) < 2:
            continue
        span = f"{cell_ref(r1, c1)}:{cell_ref(r2, c2)}"
        names = _row_names(f, sorted({r for r, _ in cells}))
        problems.error(
            f.display,
            grid.sheet,
            cell_ref(r1, c1),
            (
                f"{span} 是合并单元格，占了 {len(cells)} 个应各自填写的格子"
                f"（{names}），合并后这些格子共用一个值{_value(grid.raw(r1, c1))}",
                "每个数据格单独填写，不合并",
                f"请选中 {span}，点“合并后居中”取消合并，再在每一格分别填写各自的数字或内容。",
            ),
        )


def _row_names(f: Found, rows: list[int]) -> str:
    names = [f.grid.text(r, f.header.anchor_col) for r in rows]
    names = [n for n in dict.fromkeys(names) if n]
    if len(names) > 1:
        return "、".join(names[:5]) + ("等" if len(names) > 5 else "")
    return "第 " + "、".join(str(r + 1) for r in rows[:5]) + " 行"


def _value(v: object) -> str:
    return "（空白）" if is_blank(v) else f"“{shown(v)}”"


def check_hidden_data(f: Found, registry: Registry, problems: Problems) -> None:
    """Hidden rows or columns that hold data are read like the others; the clerk who hid them may
    not expect that (a filtered ledger, an old column hidden instead of deleted)."""
    grid, h = f.grid, f.header
    rows = list(data_rows(f)) if h.kind == LEDGER else unit_rows(f, registry)
    hidden_rows = [r for r in rows if r in grid.hidden_rows]
    if hidden_rows:
        listed = "、".join(str(r + 1) for r in hidden_rows[:10]) + ("等" if len(hidden_rows) > 10 else "")
        problems.warning(
            f.display,
            grid.sheet,
            cell_ref(hidden_rows[0], h.anchor_col),
            (
                f"第 {listed} 行是隐藏的（共 {len(hidden_rows)} 行），但填有数据，程序照样读入了",
                "要报送的数据都显示出来；不报送的行删除，不要只是隐藏",
                "请选中整张表，右键单击行号，选“取消隐藏”（如用了筛选，请点“筛选”取消），核对这些行："
                "要报送的保留，不该报送的整行删除。",
            ),
        )
    hidden_columns = sorted(c for c in _filled_columns(f, rows) if c in grid.hidden_columns)
    if hidden_columns:
        letters = "、".join(column_letter(c) for c in hidden_columns)
        problems.warning(
            f.display,
            grid.sheet,
            cell_ref(h.row, hidden_columns[0]),
            (
                f"{letters} 列是隐藏的，但填有数据（表头“{_header_text(f, hidden_columns[0])}”），程序照样读入了",
                "要报送的数据都显示出来；不报送的列删除，不要只是隐藏",
                "请选中整张表，右键单击列标，选“取消隐藏”，核对这些列：要报送的保留，不该报送的整列删除。",
            ),
        )


def _header_text(f: Found, c: int) -> str:
    text = f.header.texts.get(c, "").replace("|", " ")
    return text or "空白"
