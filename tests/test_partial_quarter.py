"""Issue 12 item 3: a partial collection is a draft.

One unit's return is missing: ``collect`` writes the consolidated tables with that unit's row
reading 未报送; ``check`` and ``build`` refuse the quarter without ``--draft``; the draft says
「截至X月X日，XX未按时报送」, shows the unit as 未报送 in every table (never 0 or 0.0%), leaves it
out of ranks, sums and charts, gives it no bulletin of its own, and cannot be issued.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from docx import Document as DocxDocument

from tests.ingest.test_returns import (  # noqa: F401  (fixtures)
    blank_q4,
    collect,
    copy_of,
    filled,
    forms,
    shipped,
)
from tests.readback import pdf_text
from zsreport.cli import main
from zsreport.ingest import InputError, load_dataset

MISSING = "隆回县"
PERIOD = ["--year", "2020", "--quarter", "4"]
CUTOFF = dt.date(2021, 1, 8)  # after the quarter's end, before the 成文日期 (2021年1月12日)


def _by_unit(folder: Path) -> dict[str, Path]:
    return {openpyxl.load_workbook(p)["表单信息"]["B2"].value: p for p in folder.glob("*.xlsx")}


@pytest.fixture(scope="module")
def partial(tmp_path_factory, filled, blank_q4) -> tuple[Path, Path, dt.date]:  # noqa: F811
    """(data, returns folder, the cut-off stated): every return but MISSING's, collected."""
    root = tmp_path_factory.mktemp("partial")
    returned = copy_of(filled, root, "returned")
    _by_unit(returned)[MISSING].unlink()
    data = copy_of(blank_q4, root, "data")
    day = CUTOFF
    assert collect(returned, data, "--cutoff", "2021年1月8日") == 0
    return data, returned, day


def _actuals_rows(data: Path) -> dict[str, list[object]]:
    ws = openpyxl.load_workbook(data / "2020/2020Q4/季度完成情况.xlsx").active
    return {str(row[0]): list(row[1:]) for row in ws.iter_rows(min_row=5, values_only=True) if row[0]}


# --- collect and load -----------------------------------------------------------------------------


def test_collect_marks_the_missing_unit_not_reported(partial, shipped, capsys):  # noqa: F811
    data, _, day = partial
    rows = _actuals_rows(data)
    assert set(rows[MISSING]) == {"未报送"}
    note = next(k for k in rows if k.startswith("说明"))
    assert f"截至{day.year}年{day.month}月{day.day}日，{MISSING}未报送" in note
    report = (data / "2020/2020Q4/报送情况.txt").read_text(encoding="utf-8")
    assert f"未报送：{MISSING}" in report and re.search(rf"{MISSING}\s+未报送", report)

    got, want = load_dataset(data, 2020, 4), load_dataset(shipped, 2020, 4)
    assert got.unreported == (MISSING,) and got.current.cutoff == day
    assert got.current.values.loc[MISSING].isna().all()  # not reported: never 0
    others = want.current.values.drop(index=MISSING)
    pd.testing.assert_frame_equal(got.current.values.drop(index=MISSING), others)
    assert not (got.ledger.projects["unit"] == MISSING).any()


def test_a_number_beside_not_reported_is_an_error_at_its_cell(partial, tmp_path):
    data = copy_of(partial[0], tmp_path, "data")
    path = data / "2020/2020Q4/季度完成情况.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    row = next(r for r in range(5, ws.max_row + 1) if ws.cell(r, 1).value == MISSING)
    ws.cell(row, 2, 3.5)
    wb.save(path)
    with pytest.raises(InputError) as caught:
        load_dataset(data, 2020, 4)
    told = [str(p) for p in caught.value.problems if f"单元格 B{row}" in str(p)]
    assert told and "未报送" in told[0] and MISSING in told[0]


# --- check and build refuse without --draft -------------------------------------------------------


def test_check_and_build_refuse_without_draft(partial, tmp_path, capsys):
    data = partial[0]
    common = [*PERIOD, "--data", str(data), "--archive", str(tmp_path / "archive")]
    assert main(["check", *common]) == 1
    err = capsys.readouterr().err
    assert MISSING in err and "--draft" in err and "未报送" in err
    assert main(["build", *common, "--out", str(tmp_path / "out"), "-q"]) == 1
    err = capsys.readouterr().err
    assert MISSING in err and "--draft" in err
    assert not (tmp_path / "out" / "2020Q4").exists()
    assert main(["check", *common, "--draft"]) == 0
    assert "征求意见稿" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("note", "said"),
    [
        ("截至2021年2月1日", "截止日期2021年2月1日晚于发文.toml的成文日期2021年1月12日"),
        ("截至2020年12月20日", "截止日期2020年12月20日不在2020年12月31日（本季度末）之后"),
        ("截至本月", "完成情况表下没有“截至某年某月某日，……未报送”的说明"),
    ],
)
def test_a_draft_refuses_a_cut_off_outside_the_quarter_and_the_issue_date(
    partial, tmp_path, capsys, note, said
):
    """Issue 20 class 9: the cut-off a draft prints is the office's stated date, checked."""
    data = copy_of(partial[0], tmp_path, "data")
    path = data / "2020/2020Q4/季度完成情况.xlsx"
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    cell = next(c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "截至" in c.value)
    cell.value = re.sub(r"截至\d{4}年\d{1,2}月\d{1,2}日", note, cell.value)
    wb.save(path)
    common = [*PERIOD, "--data", str(data), "--archive", str(tmp_path / "archive"), "--draft"]
    assert main(["check", *common]) == 1
    err = capsys.readouterr().err
    assert said in err and "collect --replace --cutoff" in err


# --- the draft set --------------------------------------------------------------------------------

KEEP = ("city", "assessment")  # and the first unit's bulletin: the mini set's size


@pytest.fixture(scope="module")
def draft(partial, tmp_path_factory):
    """The draft set: city bulletin, 年度考核 and one unit bulletin, rendered (PDF and DOCX)."""
    import zsreport.build as b

    data = partial[0]
    out = tmp_path_factory.mktemp("draft-out")
    whole = b.compose_all
    plans: list[list[str]] = []

    def some(*a, **k):
        documents = whole(*a, **k)
        plans.append([d.meta.slug for d in documents])
        units = [d for d in documents if d.meta.kind == "unit"]
        return [d for d in documents if d.meta.kind in KEEP] + units[:1]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(b, "compose_all", some)
        result = b.build_quarter(data, 2020, 4, out, draft=True, reuse=False)
    return result, plans[0], out / "2020Q4"


def _doc(result, kind: str):
    return next(d for d in result.documents if d.meta.kind == kind)


def _docx_rows(path: Path) -> list[list[str]]:
    rows = []
    for table in DocxDocument(str(path)).tables:
        for row in table.rows:
            cells = []
            for cell in row.cells:  # a merged cell repeats: keep it once
                if not cells or cell._tc is not cells[-1][0]:
                    cells.append((cell._tc, cell.text.strip()))
            rows.append([text for _, text in cells])
    return rows


ZERO = re.compile(r"^[+-]?0(\.0+)?%?$")


def test_draft_city_bulletin_names_the_missing_unit(draft, partial):
    result, _, live = draft
    day = partial[2]
    city = _doc(result, "city")
    sentence = f"截至{day.year}年{day.month}月{day.day}日，{MISSING}未按时报送"  # a full date
    text = pdf_text(live / f"{city.meta.slug}.pdf")
    assert sentence in text and "（征求意见稿）" in text
    paragraphs = "".join(p.text for p in DocxDocument(str(live / f"{city.meta.slug}.docx")).paragraphs)
    assert sentence in paragraphs and "（征求意见稿）" in paragraphs
    assert city.letterhead is None  # a draft prints no 版头 and no 发文字号


# The tables with a row per unit: two rankings and the two 附件 tables; the three 考核 rankings.
@pytest.mark.parametrize(("kind", "tables"), [("city", 4), ("assessment", 3)])
def test_missing_unit_shows_not_reported_in_every_table_never_zero(draft, kind, tables):
    result, _, live = draft
    doc = _doc(result, kind)
    rows = [r for r in _docx_rows(live / f"{doc.meta.slug}.docx") if MISSING in r]
    assert len(rows) == tables
    for row in rows:
        figures = row[row.index(MISSING) + 1 :]
        assert "未报送" in figures
        assert not [c for c in figures if ZERO.match(c)], row
    pdf = pdf_text(live / f"{doc.meta.slug}.pdf")
    assert pdf.count(MISSING) >= len(rows)
    assert not re.search(rf"{MISSING}[\d.]*?(0\.0%|\b0\b)", pdf)
    for m in re.finditer(MISSING, pdf):  # its target, then 未报送; or a sentence saying so
        after = pdf[m.end() : m.end() + 20]
        assert re.match(r"(\d+(\.\d+)?)?(未报送|未按时报送|要立即补报)", after), MISSING + after


def test_ranks_and_sums_leave_the_missing_unit_out(draft, partial, shipped):  # noqa: F811
    result, _, live = draft
    city = _doc(result, "city")
    rows = _docx_rows(live / f"{city.meta.slug}.docx")
    head = next(i for i, r in enumerate(rows) if r[:2] == ["排名", "单位"])
    body = rows[head + 1 : head + 1 + 14]
    ranked = [(int(r[0]), r[1], float(r[4].rstrip("%"))) for r in body[1:] if r[0].isdigit()]
    assert len(ranked) == 12 and MISSING not in [name for _, name, _ in ranked]
    assert body[-1][:2] == ["—", MISSING]  # last, without a rank
    for (rank, _, rate), (next_rank, _, next_rate) in itertools.pairwise(ranked):
        assert rate >= next_rate and rank <= next_rank
    # the ranks among the 12 that reported, recomputed here from the shipped figures and the plan
    shipped_set = load_dataset(shipped, 2020, 4)
    done = shipped_set.current.values["provincial_funds"].drop(index=MISSING)
    rates = done / shipped_set.plan.targets["provincial_funds"].loc[done.index]
    want = {u: 1 + int((rates > r + 1e-12).sum()) for u, r in rates.items()}
    assert {name: rank for rank, name, _ in ranked} == want
    # 全市 = the sum of the 12 that reported (the notes say so)
    values = load_dataset(shipped, 2020, 4).current.values.drop(index=MISSING)
    assert body[0][1] == "全市" and float(body[0][3]) == pytest.approx(
        values["provincial_funds"].sum(), abs=0.006
    )
    text = pdf_text(live / f"{city.meta.slug}.pdf")
    assert f"{MISSING}未报送，不参加排名，全市合计为其余12个单位之和，全市年度目标相应扣除其目标" in text


def test_no_bar_and_no_bulletin_for_the_missing_unit(draft):
    result, plan, live = draft
    unit = _doc(result, "unit")  # a unit that reported: ranked among those that did
    assert re.search("在全市已报送的12个单位中(排|并列)第", pdf_text(live / f"{unit.meta.slug}.pdf"))
    city = _doc(result, "city")
    figures = [b for b in city.body if hasattr(b, "alt")]
    completion = next(f for f in figures if "完成率" in f.alt)
    assert MISSING not in completion.alt and "大祥区" in completion.alt
    unit_bulletins = [s for s in plan if s.endswith("招商引资工作通报") and "全市" not in s]
    assert len(unit_bulletins) == 12 and not [s for s in plan if MISSING in s]


def test_draft_is_recorded_and_never_issued(draft, partial, tmp_path, capsys):
    _, _, live = draft
    record = json.loads((live / "build.json").read_text(encoding="utf-8"))
    assert record["draft"]["unreported"] == [MISSING] and record["draft"]["kind"] == "征求意见稿"
    assert "征求意见稿" in (live / "index.html").read_text(encoding="utf-8")
    out = tmp_path / "out"
    shutil.copytree(live, out / "2020Q4")
    archive = tmp_path / "archive"
    args = ["issue", *PERIOD, "--out", str(out), "--archive", str(archive), "--data", str(partial[0])]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "征求意见稿" in err and MISSING in err
    assert not (archive / "2020Q4").exists()


def test_an_earlier_partial_quarter_is_warned_about(shipped, tmp_path):  # noqa: F811
    data = copy_of(shipped, tmp_path, "data")
    path = next((data / "2020/2020Q3").glob("*完成情况*.xlsx"))
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == MISSING)
    for c in range(2, ws.max_column + 1):
        ws.cell(row, c, "未报送")
    city = next(r for r in range(1, ws.max_row + 1) if re.sub(r"\s", "", str(ws.cell(r, 1).value)) == "全市")
    for c in range(2, ws.max_column + 1):
        ws.cell(city, c).value = None  # the 全市 row left for load to add up
    wb.save(path)
    dataset = load_dataset(data, 2020, 4)
    assert dataset.unreported == () and dataset.actuals[3].unreported == (MISSING,)
    told = [str(p) for p in dataset.warnings if "第3季度的完成情况表中" in p.found]
    assert told and MISSING in told[0] and "collect --year 2020 --quarter 3 --replace" in told[0]
