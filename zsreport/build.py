"""One quarter, end to end: load → compute → compose → render (PDF, DOCX) into out/<year>Q<q>/.

Nothing is written unless the input validated. The set is written into a staging folder and swapped
in whole (``staging``), so a failed or interrupted build leaves the previous set as it was.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path

from zsreport import compose, config_file, faults, fonts, is_sample_data
from zsreport.archive.checks import BUILD_RECORD
from zsreport.atomic import sha256_file, write_text_atomic
from zsreport.batch import Progress, render_set
from zsreport.compose.chart_cache import session as charts_kept
from zsreport.compose.numbering import ASSESSMENT, BRIEFING, CITY, Planned
from zsreport.compute import QuarterFigures, compute
from zsreport.doc_numbers import number_problems, serial_problems, with_minutes_number
from zsreport.fingerprint import build_options, input_key
from zsreport.formatting import cn_date
from zsreport.ingest import InputError, load_dataset
from zsreport.ingest.dataset import NOT_REPORTED, Dataset, Ledger, Problem, Registry
from zsreport.ingest.issuance import ISSUANCE_FILE, read_issuance
from zsreport.ingest.problems import ERROR, WARNING
from zsreport.ingest.scan import display_path
from zsreport.model import Document, Mode
from zsreport.records import (
    BUILD_LOG,
    BuildResult,
    build_log,
    font_fallbacks,
    warnings_report,
    write_build_record,
    write_index,
)
from zsreport.render.ofd import OfdError as OfdError  # raised by build_quarter; the CLI catches it
from zsreport.staging import check_folders, quarter_lock, staged_set

# Charts drawn by earlier builds, kept beside the quarter folders: hidden, never issued or archived
CHART_CACHE = Path(".cache", "charts")

# 套打 covers every document with a red 版头: the 红头 ones and the 纪要 (clause 10.3 标志)
_RED_HEADED = (Mode.FORMAL, Mode.MINUTES)


def quarter_dir(data_dir: Path, year: int, quarter: int) -> Path:
    return data_dir / str(year) / f"{year}Q{quarter}"


def compose_all(
    figures: QuarterFigures,
    office: compose.Office,
    issuance: compose.Issuance,
    briefing_mode: Mode = Mode.MINUTES,
    preprinted: bool = False,
    plain: bool = False,
    draft: bool = False,
    sample: bool = False,
    chart_cache: Path | None = None,
) -> list[Document]:
    """Every document the office issues for the quarter, in issuing order, numbered without gaps
    (``compose.issuing_plan``). A chart two documents show is drawn once; with ``chart_cache``, a
    folder, a chart drawn by an earlier build from the same data and style is not drawn again
    (``compose.chart_cache``).

    ``preprinted``: the documents with a red 版头 will be printed on pre-printed paper (套打): the
    红头 documents on letterhead paper, the 纪要 on paper pre-printed with the 纪要标志. Their red
    标志 and rule are left blank and everything else stays where it is.
    ``plain``: every document without a 版头 (no 标志, 发文字号 or red rule), e.g. a draft sent for
    comment before issue; the briefing too, whatever ``briefing_mode`` says.
    ``draft``: a 征求意见稿 (plain, and marked so under each title); the only set a quarter with
    units that have not reported may make. Those units get no bulletin of their own.
    ``sample``: built from the shipped sample data: every document says so under its title.
    """
    plain = plain or draft
    mode = Mode.PLAIN if plain else Mode.FORMAL
    plan = issuing_plan(figures, office, issuance, Mode.PLAIN if plain else briefing_mode)
    with charts_kept(chart_cache):
        documents = [
            _compose_one(entry, figures, office, issuance, mode, briefing_mode, plan, draft) for entry in plan
        ]
    if preprinted:
        documents = [dataclasses.replace(d, preprinted=d.mode in _RED_HEADED) for d in documents]
    if sample:
        documents = [compose.marked_as_sample(d) for d in documents]
    return documents


def issuing_plan(
    figures: QuarterFigures, office: compose.Office, issuance: compose.Issuance, briefing_mode: Mode
) -> list[Planned]:
    registry = figures.registry
    return compose.issuing_plan(
        figures.year,
        figures.quarter,
        registry.unit_names,
        office,
        issuance,
        briefing_mode,
        figures.unreported,
    )


def _compose_one(
    entry: Planned,
    figures: QuarterFigures,
    office: compose.Office,
    issuance: compose.Issuance,
    mode: Mode,
    briefing_mode: Mode,
    plan: list[Planned],
    draft: bool = False,
) -> Document:
    if entry.kind == CITY:
        return compose.compose_city_bulletin(figures, office, issuance, mode, plan, draft)
    if entry.kind == BRIEFING:
        briefing = mode if mode is Mode.PLAIN else briefing_mode
        return compose.compose_briefing(figures, office, issuance, briefing, plan, draft)
    if entry.kind == ASSESSMENT:
        return compose.compose_assessment(figures, office, issuance, mode, plan, draft)
    return compose.compose_unit_bulletin(figures, entry.unit, office, issuance, mode, plan, draft)


def load_issuance(data_dir: Path, year: int, quarter: int) -> compose.Issuance:
    """The quarter's 发文.toml (``ingest.issuance``); its problems raise ``InputError`` like a spreadsheet's."""
    return read_issuance(data_dir, year, quarter)


@dataclass
class Prepared:
    """Everything a quarter's set is made from, checked: nothing is built before this succeeds."""

    dataset: Dataset
    figures: QuarterFigures
    office: compose.Office
    issuance: compose.Issuance
    plan: list[Planned]
    history: Ledger | None  # last December's ledger, for a first quarter (None: no history)
    warnings: tuple[Problem, ...]

    @property
    def sources(self) -> list:
        history = [self.history.source] if self.history is not None else []
        return [*self.dataset.sources, *history]


def prepare(
    data_dir: Path,
    year: int,
    quarter: int,
    archive_root: Path | None = None,
    briefing_mode: Mode = Mode.MINUTES,
    plain: bool = False,
    draft: bool = False,
) -> Prepared:
    """Read and check the quarter's input, 发文.toml and its 发文字号 against the archive's 文号
    registry (``archive_root``; None: no archive to ask, as in tests). Raises ``InputError`` listing
    every problem found (the spreadsheets' and 发文.toml's together), and when a unit has not
    reported unless ``draft`` (a 征求意见稿: plain, no 发文字号)."""
    problems: list[Problem] = []
    dataset = issuance = None
    try:
        dataset = load_dataset(data_dir, year, quarter)
    except InputError as exc:
        problems += exc.problems
    try:
        issuance = load_issuance(data_dir, year, quarter)
    except InputError as exc:
        problems += exc.problems
    if dataset is not None and dataset.unreported and not draft:
        problems.append(_unreported_problem(dataset, data_dir))
    if dataset is not None and issuance is not None and dataset.unreported and draft:
        problems += _cutoff_problems(dataset, issuance.date, data_dir)
    if dataset is None or issuance is None or problems:
        raise InputError(problems)
    plain = plain or draft
    history, history_warnings = load_history(data_dir, year, quarter, dataset.registry)
    office = compose.Office.from_toml(config_file(data_dir, "office.toml"))
    figures = compute(dataset, history)
    numbered_mode = Mode.PLAIN if plain else briefing_mode
    plan = issuing_plan(figures, office, issuance, numbered_mode)
    if not plain and (over := serial_problems(plan, data_dir, year, quarter)):
        raise InputError(over)
    if not plain and archive_root is not None:  # a draft without 版头 prints no 发文字号
        issuance = with_minutes_number(issuance, office, plan, archive_root)
        plan = issuing_plan(figures, office, issuance, numbered_mode)
        clashes = number_problems(plan, office, archive_root, data_dir, year, quarter)
        if clashes:
            raise InputError(clashes)
    warnings = (*dataset.warnings, *history_warnings)
    return Prepared(dataset, figures, office, issuance, plan, history, warnings)


def _unreported_problem(dataset: Dataset, data_dir: Path) -> Problem:
    """A partial collection is a draft: refused for an official set, with the way to either."""
    units = "、".join(dataset.unreported)
    cutoff = dataset.current.cutoff
    when = f"截至{cutoff.year}年{cutoff.month}月{cutoff.day}日，" if cutoff else ""
    return Problem(
        ERROR,
        display_path(dataset.current.source.path, data_dir),
        dataset.current.source.sheet,
        "",
        f"{when}{units}{NOT_REPORTED}（完成情况表中这些单位记为“{NOT_REPORTED}”）",
        f"{len(dataset.registry.units)}个单位都已报送，才能生成正式印发的公文",
        f"收到{units}的报表后，放入报表文件夹运行 collect --replace 重新汇总；"
        f"如需先出征求意见稿，请加 --draft（例如 build --draft），征求意见稿不能归档印发。",
    )


def _cutoff_problems(dataset: Dataset, issued: dt.date, data_dir: Path) -> list[Problem]:
    """A draft names the units that had not reported "截至<cut-off>": a date the office states
    (the note collect writes under the 完成情况 table, from ``collect --cutoff``). It must be
    there, after the quarter's end, and not after the 成文日期 of 发文.toml."""
    cutoff = dataset.current.cutoff
    quarter_end = dt.date(dataset.year, dataset.quarter * 3, 1) + dt.timedelta(days=31)
    quarter_end = quarter_end.replace(day=1) - dt.timedelta(days=1)
    if cutoff is None:
        found = "完成情况表下没有“截至某年某月某日，……未报送”的说明"
    elif cutoff <= quarter_end:
        found = f"说明中的截止日期{cn_date(cutoff)}不在{cn_date(quarter_end)}（本季度末）之后"
    elif cutoff > issued:
        found = f"说明中的截止日期{cn_date(cutoff)}晚于发文.toml的成文日期{cn_date(issued)}"
    else:
        return []
    source = dataset.current.source
    return [
        Problem(
            ERROR,
            display_path(source.path, data_dir),
            source.sheet,
            "",
            found,
            f"报表收取截止日期：本季度末（{cn_date(quarter_end)}）之后、"
            f"成文日期（{cn_date(issued)}）当日或之前的完整日期",
            "运行 collect --replace --cutoff <截止日期>（如 --cutoff "
            f"{issued.isoformat()}）重新汇总，或在完成情况表下的说明中改正日期。",
        )
    ]


def load_history(
    data_dir: Path, year: int, quarter: int, registry: Registry
) -> tuple[Ledger | None, tuple[Problem, ...]]:
    """For a first quarter, last December's 项目库 (``data/<year-1>/<year-1>Q4/``): a project already
    in it is carried over and its stage is compared with December's. No folder: no history, and the
    documents say nothing that needs one. A folder that cannot be read: the same, with a warning."""
    if quarter != 1:
        return None, ()
    folder = quarter_dir(data_dir, year - 1, 4)
    if not folder.is_dir():
        return None, ()
    try:
        return load_dataset(data_dir, year - 1, 4, registry).ledger, ()
    except InputError as exc:
        errors = sum(p.severity == "error" for p in exc.problems)
        warning = Problem(
            WARNING,
            display_path(folder, data_dir),
            "",
            "",
            f"上年第四季度的数据有{errors}个错误，未能读取上年12月底的项目库",
            "可以读取的上年第四季度数据（用来判断第一季度各项目较上年12月底的进展）",
            f"运行 zsreport check --year {year - 1} --quarter 4 查看并改正；改正之前，"
            "本季度公文不写与上季度相比的项目进展。",
        )
        return None, (warning,)


# The office's configuration: the data folder's own, else the shipped default (fonts.toml is the
# package's, covered by the render key and the version).
CONFIG_FILES = ("office.toml", "registry.toml")


def input_records(prepared: Prepared, data_dir: Path) -> list[dict[str, str]]:
    """Every file the set was made from, with its checksum: the spreadsheets read (last December's
    ledger too), 发文.toml and the office's configuration. ``issue`` compares them with ``data/``
    to refuse a stale build."""
    dataset = prepared.dataset
    paths = [s.path for s in prepared.sources]
    paths.append(quarter_dir(data_dir, dataset.year, dataset.quarter) / ISSUANCE_FILE)
    paths += [config_file(data_dir, name) for name in CONFIG_FILES]
    digests = {s.path: s.sha256 for s in prepared.sources}
    records = []
    for path in dict.fromkeys(paths):  # in order, once each
        shown = path.relative_to(data_dir) if path.is_relative_to(data_dir) else path
        records.append({"path": str(shown), "sha256": digests.get(path) or sha256_file(path)})
    return records


def draft_record(figures: QuarterFigures, draft: bool) -> dict[str, object]:
    """What build.json says of a draft: ``issue`` refuses a set that carries it."""
    if not draft:
        return {}
    cutoff = figures.cutoff.isoformat() if figures.cutoff else ""
    return {"draft": {"kind": "征求意见稿", "unreported": list(figures.unreported), "cutoff": cutoff}}


def _logged(log, progress: Progress | None) -> Progress:
    """Each document's line goes to build.log, and to ``progress`` (the terminal) when given."""

    def report(line: str) -> None:
        log.info(line.strip())
        if progress is not None:
            progress(line)

    return report


def build_quarter(
    data_dir: Path,
    year: int,
    quarter: int,
    out_root: Path,
    briefing_mode: Mode = Mode.MINUTES,
    preprinted: bool = False,
    plain: bool = False,
    archive_root: Path | None = None,
    workers: int = 1,
    reuse: bool = True,
    progress: Progress | None = None,
    draft: bool = False,
    ofd: bool = False,
) -> BuildResult:
    """Build the quarter's whole set and swap it in as one: ``out_root/<year>Q<q>/`` holds either the
    previous set or this one, never a mixture (see ``staging``). Raises ``InputError`` before anything
    is written (bad input, or a 发文字号 the archive at ``archive_root`` gave to another document),
    ``fonts.FontsMissing`` when a typeface role has no face on this machine, and ``BusyError`` if
    another build of the same quarter is running.

    ``workers``: processes laying documents out at once; ``reuse``: copy a document unchanged since
    the previous set instead of laying it out again. Neither changes a byte of the output.
    """
    started = time.perf_counter()
    check_folders(out_root / f"{year}Q{quarter}")  # before the input is read: a path in the way
    # Without its faces a PDF is a page of empty boxes, and the charts cannot be drawn at all:
    # refuse before reading anything (``fonts.FontsMissing``).
    fonts.require_fonts()
    say = progress or (lambda line: None)
    options = build_options(briefing_mode, preprinted, plain, draft, ofd)
    fingerprint = input_key(data_dir, year, quarter, options)
    say("  读取数据、核对发文字号…")
    prepared = prepare(data_dir, year, quarter, archive_root, briefing_mode, plain, draft)
    office, issuance = prepared.office, prepared.issuance
    ofd = ofd or "ofd" in office.formats
    sample = is_sample_data(data_dir)
    say("  计算、撰写、绘图…")
    documents = compose_all(
        prepared.figures,
        office,
        issuance,
        briefing_mode,
        preprinted,
        plain,
        draft,
        sample,
        chart_cache=out_root / CHART_CACHE,
    )
    say(f"  排版 {len(documents)} 份公文（PDF 和 DOCX，{min(max(workers, 1), len(documents))} 个进程）…")

    live = out_root / f"{year}Q{quarter}"
    fallbacks = font_fallbacks(documents)
    result = BuildResult(
        year, quarter, live, documents=documents, warnings=prepared.warnings, fallbacks=fallbacks
    )
    result.draft = draft_record(prepared.figures, draft).get("draft", {})
    with quarter_lock(live), staged_set(live) as staging, build_log(staging) as log:
        log.info("生成 %d年第%d季度：数据 %s，%d 份公文", year, quarter, data_dir, len(documents))
        previous = live if reuse and live.is_dir() else None
        rendered = render_set(documents, staging, previous, workers, _logged(log, progress), ofd)
        names = [name for r in rendered for name in r.names]
        result.reused = sum(r.reused for r in rendered)
        inputs = input_records(prepared, data_dir)
        report = warnings_report(result, prepared.sources, data_dir, fallbacks)
        write_text_atomic(staging / "数据校验报告.txt", report)
        names.append("数据校验报告.txt")
        names += [path.name for path in write_index(staging, result, inputs)]
        issued = {
            "date": issuance.date.isoformat(),
            "organ": office.printer,
            "data_dir": str(data_dir.resolve()),
            "fingerprint": fingerprint,
            **({"draft": result.draft} if draft else {}),
            **({"sample": True} if sample else {}),  # issue refuses it
        }
        keys = {r.slug: r.key for r in rendered}
        log.info(
            "已生成 %d 份公文（%d 份未变，沿用上次的文件），%d 个警告",
            len(documents),
            result.reused,
            len(result.warnings),
        )
        names.append(BUILD_LOG)
        made = {r.slug: list(r.names) for r in rendered}
        write_build_record(staging, result, inputs, names, issued, keys, made)
        names.append(BUILD_RECORD)
        faults.checkpoint("build-swap")
    result.files = [live / name for name in names]
    result.seconds = time.perf_counter() - started
    return result
