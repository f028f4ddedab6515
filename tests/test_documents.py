"""Issue 4: every kind of document carries the computed numbers, and they agree with each other."""

from __future__ import annotations

import re

import pytest

from tests.readback import docx_paragraphs, pdf_text, squash
from tests.shipped import shipped_data
from zsreport import formatting
from zsreport.build import BuildResult
from zsreport.compute import QuarterFigures, compute
from zsreport.ingest import load_dataset
from zsreport.model import Document, Table, iter_blocks, plain_paragraphs


@pytest.fixture(scope="module")
def figures() -> QuarterFigures:
    return compute(load_dataset(shipped_data(), 2020, 4))


def _kind(built: BuildResult, kind: str) -> list[Document]:
    return [d for d in built.documents if d.meta.kind == kind]


def _table(document: Document, caption_part: str) -> Table:
    return next(b for b in iter_blocks(document) if isinstance(b, Table) and caption_part in b.caption)


def _found_after(docx: list[str], paragraph: str, start: int) -> int:
    """Where the DOCX paragraph holding ``paragraph`` ends (from ``start``): the paragraph whole, or
    in two where the PDF broke it across the 署名's page (``Document.last_paragraph_head``)."""
    for at in range(start, len(docx)):
        if docx[at] == paragraph:
            return at + 1
        if docx[at] and at + 1 < len(docx) and docx[at] + docx[at + 1] == paragraph:
            return at + 2
    raise AssertionError(f"not in the DOCX: {paragraph[:30]}")


def test_every_document_says_the_same_in_pdf_and_docx(built: BuildResult) -> None:
    for document in built.documents:
        paragraphs = plain_paragraphs(document)
        docx = docx_paragraphs(built.out_dir / f"{document.meta.slug}.docx")
        position = 0
        for paragraph in paragraphs:
            position = _found_after(docx, paragraph, position)
        pdf = pdf_text(built.out_dir / f"{document.meta.slug}.pdf")
        missing = [p[:30] for p in paragraphs if squash(p) not in pdf]
        assert not missing, (document.meta.slug, missing)


def test_unit_bulletins_quote_the_same_rank_as_the_city_table(
    built: BuildResult, figures: QuarterFigures
) -> None:
    city = _kind(built, "city")[0]
    ranking = _table(city, "各县市区省外境内资金完成情况")
    city_ranks = {row[1].text: row[0].text for row in ranking.body[1:]}
    for document in _kind(built, "unit"):
        unit = figures.unit(document.meta.unit)["provincial_funds"]
        text = "".join(plain_paragraphs(document))
        assert f"在全市13个单位中排第{unit.rank}位" in text, document.meta.unit
        assert city_ranks[document.meta.unit] == str(unit.rank)


def test_unit_bulletin_figures_are_its_own(built: BuildResult, figures: QuarterFigures) -> None:
    for document in _kind(built, "unit"):
        unit = figures.unit(document.meta.unit)
        pf = unit["provincial_funds"]
        text = "".join(plain_paragraphs(document))
        assert (
            f"引进省外境内资金{formatting.amount(pf.actual)}亿元，完成年度目标的{formatting.percent(pf.rate)}"
            in text
        )
        assert document.addressee == f"{figures.registry.unit(unit.name).addressee}："
        projects = _table(document, "招商项目推进情况") if unit.projects else None
        # one row a project, and under a project with a problem a row of its own (issue 24)
        rows = [row for row in projects.body if len(row) > 1] if projects else []
        assert sorted(row[1].text for row in rows) == sorted(p.name for p in unit.projects)
        problems = [row[0].text for row in projects.body if len(row) == 1] if projects else []
        assert problems == [
            f"存在问题：{row.problem}" for row in _ordered(unit.projects, rows) if row.problem
        ]


def test_briefing_dispatches_every_key_project_with_its_owners(
    built: BuildResult, figures: QuarterFigures
) -> None:
    briefing = _kind(built, "briefing")[0]
    dispatch = _table(briefing, "重点项目调度情况")
    assert [row[2].text for row in dispatch.body] == [p.name for p in figures.key_projects]
    assert [row[6].text for row in dispatch.body] == [p.leader or "—" for p in figures.key_projects]
    text = "".join(plain_paragraphs(briefing))
    for kind, projects in figures.problems_by_kind().items():
        assert f"{kind}问题（{len(projects)}个）" in text
    assert briefing.attendance and briefing.attendance[0].label == "出席"


def test_assessment_commends_the_top_three_from_the_data(built: BuildResult, figures: QuarterFigures) -> None:
    assessment = _kind(built, "assessment")[0]
    text = "".join(plain_paragraphs(assessment))
    info_counts = {u.name: u.info_count for u in figures.units}
    top = sorted(info_counts, key=lambda n: -info_counts[n])[:3]
    assert f"报送招商引资信息量前三名：{'、'.join(top)}。" in text


def test_numbers_are_written_as_the_office_writes_them(built: BuildResult) -> None:
    city = _kind(built, "city")[0]
    text = "".join(plain_paragraphs(city))
    assert re.search(r"省外境内资金\d+\.\d{2}亿元", text)  # 亿元: two decimals
    assert re.search(r"实际利用外资\d+万美元", text)  # 万美元: integers
    assert re.search(r"完成年度目标的\d+\.\d%", text)  # percentages: one decimal
    assert re.search(r"(超额完成年度目标|距年度目标还差)\d+\.\d个百分点", text)  # Q4: 序时进度 is the target
    assert "序时进度" not in text.split("二、")[0].split("表1")[0]
    assert re.search(r"同比(增长|下降)\d+\.\d%", text)


def test_the_set_prints_consecutive_numbers_and_the_minutes_their_own(built: BuildResult) -> None:
    """Issue 10, item 6: read each PDF's 版头 back; 邵承办发 without a gap, the 纪要 in its own series."""
    import json

    import pdfplumber

    record = json.loads((built.out_dir / "build.json").read_text(encoding="utf-8"))
    printed = []
    for document in record["documents"]:
        with pdfplumber.open(built.out_dir / document["files"][0]) as pdf:
            head = squash(pdf.pages[0].extract_text() or "")
        found = re.findall(r"邵承办[发纪]〔\d{4}〕\d+号", head)
        assert found == [document["doc_number"]], document["slug"]
        printed.append(found[0])
    issued = [int(re.search(r"〕(\d+)号", n).group(1)) for n in printed if n.startswith("邵承办发")]
    assert issued == list(range(issued[0], issued[0] + len(issued)))
    assert [n for n in printed if n.startswith("邵承办纪")] == ["邵承办纪〔2021〕1号"]


def test_font_fallbacks_are_recorded_in_the_report_and_the_index(built: BuildResult) -> None:
    """Issue 10, item 9: 堃 (in 堃泰精密机械零部件生产项目) is missing from the 仿宋 face: the report and
    index.html say which document sets it in which face, instead of 未发现问题."""
    report = (built.out_dir / "数据校验报告.txt").read_text(encoding="utf-8")
    index = (built.out_dir / "index.html").read_text(encoding="utf-8")
    assert built.fallbacks, "the shipped data has names the 仿宋 face lacks"
    lines = [line.strip() for line in report.splitlines()]
    for fallback in built.fallbacks:
        assert str(fallback) in lines
        assert str(fallback) in index
    unit = next(
        f for f in built.fallbacks if f.slug == "2020Q4-10-邵阳经开区招商引资工作通报" and "堃" in f.chars
    )
    assert unit.role == "仿宋" and unit.fallback  # set in a face that has it
    assert "未发现问题" not in report.split("字库缺字")[1]
    assert "所有文字均以规定字体排印" not in index


def test_index_says_the_period_checks_when_and_from_what(built: BuildResult) -> None:
    """Issue 15: index.html in the documents' own words, with the warnings, the build time and the
    inputs; build.log records the run."""
    import json

    index = (built.out_dir / "index.html").read_text(encoding="utf-8")
    record = json.loads((built.out_dir / "build.json").read_text(encoding="utf-8"))
    assert "2020年第四季度 印发文件目录" in index and "第4季度" not in index
    assert f"生成于 {built.built_at}" in index
    for item in record["inputs"]:
        assert item["path"] in index and item["sha256"][:16] in index
    for document in built.documents:
        assert document.title in index
    log = (built.out_dir / "build.log").read_text(encoding="utf-8")
    assert "生成 2020年第4季度" in log and all(d.meta.slug in log for d in built.documents)
    assert "build.log" in record["files"], "the log is part of the set"


def test_index_opens_in_a_browser(built: BuildResult, tmp_path) -> None:
    """The page as a clerk opens it: headless Chromium lays it out and shows the list."""
    import shutil
    import subprocess

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    assert browser, "make test installs Debian's chromium (zsreport/system/setup-system.sh test)"
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--no-first-run", f"--user-data-dir={tmp_path / 'profile'}"]  # fmt: skip
    page = (built.out_dir / "index.html").as_uri()
    dom = subprocess.run([browser, *flags, "--dump-dom", page], capture_output=True, text=True, timeout=120)
    assert "2020年第四季度 印发文件目录" in dom.stdout and "邵承办发〔2021〕1号" in dom.stdout
    shot = tmp_path / "index.png"
    subprocess.run([browser, *flags, f"--screenshot={shot}", "--window-size=1200,1600", page],
                   capture_output=True, timeout=120)  # fmt: skip
    assert shot.exists() and shot.stat().st_size > 20_000, "a page with text, not a blank"


def _ordered(projects: list, rows: list) -> list:
    """The projects in the table's order (by name, as each row prints it)."""
    by_name = {p.name: p for p in projects}
    return [by_name[row[1].text] for row in rows]
