"""Issue 24 item 1: table cells a 文书 would not re-set. Every cell's lines are filled by one rule
for both renderers (``linebreak.cell_lines``), never with a character alone on a line; the
columns are given the width their text can use; a unit's project problems stand in a row of
their own; and a document's 横排 tables share one size."""

from __future__ import annotations

import pytest

from tests.shipped import shipped_data
from zsreport import build
from zsreport import gbt9704 as g
from zsreport.compose.tables import PROBLEM_LEAD
from zsreport.fonts import estimated_width_em
from zsreport.linebreak import cell_lines, fill_lines, units
from zsreport.model import Document, Table, iter_blocks, place_cells


def _lines(text: str, room_em: float, keep: tuple[str, ...] = ()) -> list[str]:
    return fill_lines(units(text, keep), estimated_width_em, room_em)


def test_a_last_character_takes_the_one_before_it_down() -> None:
    # filled to the room, 目 would stand alone: 项 goes down with it, as a typesetter pulls a 字
    assert _lines("恒科纸制品生产基地项目", 10.3) == ["恒科纸制品生产基地", "项目"]
    assert _lines("受疫情影响", 4.2) == ["受疫情", "影响"]
    assert _lines("人缺口约50人", 5.2) == ["人缺口约", "50人"]  # 50 is one word, 人 not alone


def test_a_kept_word_moves_down_whole() -> None:
    # the word before the lone 字 is 邵阳经开区: it goes down whole, never broken
    assert _lines("新设邵阳经开区园", 7.5, ("邵阳经开区",)) == ["新设", "邵阳经开区园"]


def test_text_that_fits_or_is_one_character_stays_as_it_is() -> None:
    assert _lines("开工", 6) == ["开工"]
    assert _lines("—", 1) == ["—"]
    assert _lines("", 3) == []


def _shipped_documents() -> list[Document]:
    prepared = build.prepare(shipped_data(), 2020, 4)
    return build.compose_all(prepared.figures, prepared.office, prepared.issuance)


@pytest.fixture(scope="module")
def documents() -> list[Document]:
    return _shipped_documents()


def _tables(documents: list[Document]) -> list[tuple[Document, Table]]:
    return [(d, b) for d in documents for b in iter_blocks(d) if isinstance(b, Table)]


def _cell_lines(table: Table) -> list[tuple[str, list[str]]]:
    width = g.LANDSCAPE_TEXT_WIDTH_MM if table.landscape else g.TEXT_WIDTH_MM
    columns = [width * w / sum(table.widths) for w in table.widths]
    return [
        (cell.text, cell_lines(cell.text, cell.keep, sum(columns[c : c + cell.colspan]), table.size_pt))
        for _, c, cell in place_cells((*table.header, *table.body))
    ]


def test_no_cell_of_the_shipped_quarter_has_a_character_alone(documents) -> None:
    lone = [
        (table.caption, text, lines)
        for _, table in _tables(documents)
        for text, lines in _cell_lines(table)
        if len(text) > 1 and any(len(line) == 1 for line in lines)
    ]
    assert not lone


def test_header_words_fit_their_columns(documents) -> None:
    """项目名称, 存在问题, 总投资 …: a header word is never broken in two."""
    for _, table in _tables(documents):
        for _, c, cell in place_cells(table.header):
            width = g.LANDSCAPE_TEXT_WIDTH_MM if table.landscape else g.TEXT_WIDTH_MM
            column = sum(width * w / sum(table.widths) for w in table.widths[c : c + cell.colspan])
            lines = cell_lines(cell.text, cell.keep, column, table.size_pt)
            assert all(any(word in line for line in lines) for word in cell.keep), (table.caption, lines)


def test_unit_projects_set_each_problem_in_a_row_under_its_project(documents) -> None:
    unit_tables = [t for _, t in _tables(documents) if t.caption.endswith("招商项目推进情况")]
    assert len(unit_tables) == 13
    for table in unit_tables:
        assert [c.text for c in table.header[0]] == ["序号", "项目名称", "产业链", "总投资（亿元）", "进展"]
        for row, below in zip(table.body, (*table.body[1:], ()), strict=True):
            if len(row) == 1:
                continue
            has_problem = row[0].rowspan == 2
            assert has_problem == (len(below) == 1)
            if has_problem:
                assert below[0].text.startswith(PROBLEM_LEAD) and below[0].colspan == 4
        rows = sum(1 for row in table.body if len(row) == 1)
        assert rows == 0 or table.notes, "a table with problem rows says how to read them"


def test_project_tables_are_at_most_four_lines_a_row(documents) -> None:
    """Issue 24: the 存在问题 column of 4.5 字 grew rows 34–47 mm (five to seven lines) tall; the
    longest problem of the shipped ledgers (39 字) now takes four lines of the 纪要's 横排 table."""
    for _, table in _tables(documents):
        if "项目" not in table.caption:
            continue
        for text, lines in _cell_lines(table):
            assert len(lines) <= 4, (table.caption, text, lines)


def test_landscape_tables_of_a_document_share_one_size(documents) -> None:
    city = documents[0]
    landscape = [b for b in iter_blocks(city) if isinstance(b, Table) and b.landscape]
    assert len(landscape) == 2
    assert {t.size_pt for t in landscape} == {g.TABLE_SIZES_PT[1]}  # 表7 needs 五号, so 表6 too
    for table in landscape:  # each sized for it: its columns fill the 横排 版心
        assert sum(table.widths) == pytest.approx(g.LANDSCAPE_TEXT_WIDTH_MM, abs=0.1)
