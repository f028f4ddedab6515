"""Issue 13: a long table's DOCX costs time in proportion to its cells, never their square.

No timings: the quadratic paths of python-docx (``Table.cell`` rebuilding the whole cell grid
on every call; the ``Paragraph.style`` setter scanning every style on every assignment) are
counted instead, so the test fails the moment either comes back.
"""

from __future__ import annotations

from dataclasses import replace

import docx
import pytest
from docx.styles.styles import Styles
from docx.table import Table as DocxTable

from tests.demo_document import demo_document, demo_table
from zsreport.model import Mode
from zsreport.render.docx import build_docx


def _document_with_table(rows: int):
    table = demo_table(rows=rows)
    return replace(demo_document(Mode.FORMAL), body=(table,), attachments=()), table


@pytest.fixture
def counted(monkeypatch) -> dict[str, int]:
    """Counts of the grid builds (``Table._cells``) and of style lookups by name."""
    counts = {"grid": 0, "style_by_name": 0}
    grid = DocxTable._cells
    by_name = Styles._get_style_id_from_name

    def counted_grid(self):
        counts["grid"] += 1
        return grid.fget(self)

    def counted_by_name(self, *args, **kwargs):
        counts["style_by_name"] += 1
        return by_name(self, *args, **kwargs)

    monkeypatch.setattr(DocxTable, "_cells", property(counted_grid))
    monkeypatch.setattr(Styles, "_get_style_id_from_name", counted_by_name)
    return counts


def _render_counts(counted: dict[str, int], rows: int) -> tuple[dict[str, int], bytes]:
    counted.update(grid=0, style_by_name=0)
    document, _ = _document_with_table(rows)
    data = build_docx(document)
    return dict(counted), data


def test_long_table_builds_its_cell_grid_once_and_looks_styles_up_once(counted, tmp_path):
    small, _ = _render_counts(counted, 10)
    large, data = _render_counts(counted, 200)
    # the table really is there, every row of it, with its merged header cells
    path = tmp_path / "large.docx"
    path.write_bytes(data)
    tables = docx.Document(str(path)).tables
    body_tables = [t for t in tables if "单位200" in t._tbl.xml]
    assert len(body_tables) == 1
    assert len(body_tables[0].rows) == 2 + 1 + 200  # header, 全市, the units
    # the work that used to grow with the table does not grow with it now
    assert large == small
    assert large["grid"] <= 1 + len(tables)  # one grid per table (the 版头 table reads its two cells)
    assert large["style_by_name"] < 30  # once per style name, not once per paragraph or cell
