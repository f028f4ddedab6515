"""No sentence contradicts its document's own tables (issue 10, item 5): progress, ahead/behind,
新纳入 and stage changes, for every shipped quarter, a first quarter with last December's ledger and
a first quarter without one. Documents are composed from the tests' own copy of the data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.compose import consistency as c
from tests.next_year import NEW_PROJECT, next_year
from tests.shipped import shipped_data
from zsreport.build import compose_all, prepare
from zsreport.compose import charts, documents
from zsreport.model import Document

CASES = ["2020Q1", "2020Q2", "2020Q3", "2020Q4", "2021Q1-carried", "2021Q1-no-history"]
STUB = charts.ChartImage(b"<svg/>", b"", 10.0, 10.0, "stub")


@pytest.fixture(scope="module")
def composed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[list[Document], object]]:
    """Every case's documents, composed once (charts stubbed: they say nothing the text must match)."""
    root = tmp_path_factory.mktemp("sentences")
    shipped = root / "shipped"
    shutil.copytree(shipped_data(), shipped / "data")
    sources = {f"2020Q{q}": (shipped / "data", 2020, q) for q in (1, 2, 3, 4)}
    for name, history in (("2021Q1-carried", True), ("2021Q1-no-history", False)):
        (root / name).mkdir()
        sources[name] = (next_year(root / name, history)[0], 2021, 1)
    out = {}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(documents, "FIGURE_BUILDERS", {k: lambda *a, **k: STUB for k in documents.FIGURE_BUILDERS})
        for name, (data, year, quarter) in sources.items():
            prepared = prepare(data, year, quarter)
            out[name] = (compose_all(prepared.figures, prepared.office, prepared.issuance), prepared)
    return out


@pytest.mark.parametrize("case", CASES)
def test_key_project_sentences_agree_with_the_tables(composed, case: str) -> None:
    docs, _ = composed[case]
    city, briefing = docs[0], docs[1]
    assert c.key_project_sentences(city, "重点项目推进情况") == []
    assert c.key_project_sentences(briefing, "重点项目调度情况") == []


@pytest.mark.parametrize("case", CASES)
def test_ahead_and_behind_agree_with_the_tables(composed, case: str) -> None:
    docs, prepared = composed[case]
    names = prepared.figures.registry.unit_names
    city = docs[0]
    assert c.ranking_sentence(city, "省外境内资金", "各县市区省外境内资金完成情况", names) == []
    assert c.ranking_sentence(city, "新引进产业招商项目", "各县市区新引进产业招商项目完成情况", names) == []
    assert c.overview_sentence(city, "全市", "省外境内资金", "全市招商引资主要指标完成情况") == []
    for document in docs:
        if document.meta.kind == "unit":
            assert c.unit_behind_sentence(document, document.meta.unit) == []


def test_a_first_quarter_with_history_compares_with_last_december(composed) -> None:
    docs, prepared = composed["2021Q1-carried"]
    text = "".join(c.paragraphs(docs[0]))
    moved = [p for p in prepared.figures.key_projects if p.status_changed]
    assert len(moved) == 4  # the four key projects next_year moved one stage on
    assert "本季度4个重点项目取得阶段性进展" in text and "新纳入重点项目1个" in text
    assert "均未取得阶段性进展" not in text
    dispatch = c.table(docs[1], "重点项目调度情况")
    cells = {row[2].text: row[4].text for row in dispatch.body}
    assert cells[NEW_PROJECT] == "签约（本季度新增）"
    assert sum("→" in v for v in cells.values()) == 4
    assert sum("本季度新增" in v for v in cells.values()) == 1


def test_a_first_quarter_without_history_says_nothing_that_needs_one(composed) -> None:
    docs, prepared = composed["2021Q1-no-history"]
    assert not prepared.figures.compared and prepared.history is None
    for document in docs[:2]:
        text = "".join(c.paragraphs(document))
        for phrase in ("阶段性进展", "新纳入", "进入新阶段", "与上季度相比"):
            assert phrase not in text, (document.meta.slug, phrase)
    dispatch = c.table(docs[1], "重点项目调度情况")
    assert [h.text for h in dispatch.header[-1]][4] == "进展"
    assert not any("新增" in row[4].text or "→" in row[4].text for row in dispatch.body)


def test_the_checks_catch_a_contradiction(composed) -> None:
    """The checker itself: a city bulletin that claims no progress while its table shows some."""
    import dataclasses

    from zsreport.model import Paragraph, Run

    docs, _ = composed["2021Q1-carried"]
    city = docs[0]
    body = tuple(
        Paragraph(runs=(Run("本季度重点项目均未取得阶段性进展，需加快推进。"),))
        if isinstance(b, Paragraph) and "阶段性进展" in b.text
        else b
        for b in city.body
    )
    assert c.key_project_sentences(dataclasses.replace(city, body=body), "重点项目推进情况")


def test_a_broken_last_december_is_a_warning_not_a_guess(tmp_path: Path) -> None:
    data, _ = next_year(tmp_path)
    (data / "2020" / "2020Q4" / "季度完成情况.xlsx").write_bytes(b"not a workbook")
    prepared = prepare(data, 2021, 1)
    assert prepared.history is None and not prepared.figures.compared
    warning = next(w for w in prepared.warnings if "上年第四季度" in w.found)
    assert warning.file == "data/2020/2020Q4" and "zsreport check --year 2020 --quarter 4" in warning.fix
