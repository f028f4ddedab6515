"""One quarter, end to end: load → compute → compose → render (PDF, DOCX) into out/<year>Q<q>/.

Nothing is written unless the input validated. The set is written into a staging folder and swapped
in whole (``staging``), so a failed or interrupted build leaves the previous set as it was.
"""

from __future__ import annotations

import dataclasses
import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from zsreport import TEMPLATES_DIR, compose, faults, fonts
from zsreport.archive.checks import BUILD_RECORD
from zsreport.atomic import sha256_file, write_text_atomic
from zsreport.batch import Progress, render_set
from zsreport.compose.numbering import ASSESSMENT, BRIEFING, CITY, Planned
from zsreport.compute import QuarterFigures, compute
from zsreport.doc_numbers import number_problems, with_minutes_number
from zsreport.fingerprint import input_key
from zsreport.ingest import InputError, format_problems, load_dataset
from zsreport.ingest.dataset import Dataset, Ledger, Problem, Registry
from zsreport.ingest.issuance import ISSUANCE_FILE, read_issuance
from zsreport.ingest.problems import WARNING
from zsreport.ingest.scan import display_path
from zsreport.model import Document, Mode
from zsreport.render.pdf import fallback_characters
from zsreport.staging import quarter_lock, staged_set


@dataclass
class BuildResult:
    year: int
    quarter: int
    out_dir: Path
    documents: list[Document] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    warnings: tuple[Problem, ...] = ()
    fallbacks: tuple[FontFallback, ...] = ()
    seconds: float = 0.0
    reused: int = 0  # documents copied unchanged from the previous set


# Typeface roles as the office names them (data/fonts.toml [roles.*]).
ROLE_CN = {"body": "仿宋", "hei": "黑体", "kai": "楷体", "title": "小标宋", "song": "宋体"}


@dataclass(frozen=True)
class FontFallback:
    """Characters of a document that its face lacks, set in another face (a name such as 堃 镕 崀)."""

    slug: str
    role: str  # 仿宋, 黑体 …
    face: str  # the face the role is set in (FandolFang)
    chars: str
    fallback: str  # the face that drew them, or "" when none installed has them

    def __str__(self) -> str:
        drawn = (
            f"已改用 {self.fallback} 排印"
            if self.fallback
            else "没有任何已安装的字体有这些字，PDF 中显示为空白或方框"
        )
        return f"{self.slug}：{self.role}字库 {self.face} 缺少“{'”“'.join(self.chars)}”，{drawn}"


def quarter_dir(data_dir: Path, year: int, quarter: int) -> Path:
    return data_dir / str(year) / f"{year}Q{quarter}"


def compose_all(
    figures: QuarterFigures,
    office: compose.Office,
    issuance: compose.Issuance,
    briefing_mode: Mode = Mode.MINUTES,
    preprinted: bool = False,
    plain: bool = False,
) -> list[Document]:
    """Every document the office issues for the quarter, in issuing order, numbered without gaps
    (``compose.issuing_plan``).

    ``preprinted``: the 红头 documents will be printed on letterhead paper (套打), so their red
    标志 and rule are left blank and everything else stays where it is.
    ``plain``: every document without a 版头 (no 标志, 发文字号 or red rule), e.g. a draft sent for
    comment before issue; the briefing too, whatever ``briefing_mode`` says.
    """
    mode = Mode.PLAIN if plain else Mode.FORMAL
    plan = issuing_plan(figures, office, issuance, Mode.PLAIN if plain else briefing_mode)
    documents = [_compose_one(entry, figures, office, issuance, mode, briefing_mode, plan) for entry in plan]
    if preprinted:
        documents = [dataclasses.replace(d, preprinted=d.mode is Mode.FORMAL) for d in documents]
    return documents


def issuing_plan(
    figures: QuarterFigures, office: compose.Office, issuance: compose.Issuance, briefing_mode: Mode
) -> list[Planned]:
    registry = figures.registry
    return compose.issuing_plan(
        figures.year, figures.quarter, registry.unit_names, office, issuance, briefing_mode
    )


def _compose_one(
    entry: Planned,
    figures: QuarterFigures,
    office: compose.Office,
    issuance: compose.Issuance,
    mode: Mode,
    briefing_mode: Mode,
    plan: list[Planned],
) -> Document:
    if entry.kind == CITY:
        return compose.compose_city_bulletin(figures, office, issuance, mode, plan)
    if entry.kind == BRIEFING:
        briefing = mode if mode is Mode.PLAIN else briefing_mode
        return compose.compose_briefing(figures, office, issuance, briefing, plan)
    if entry.kind == ASSESSMENT:
        return compose.compose_assessment(figures, office, issuance, mode, plan)
    return compose.compose_unit_bulletin(figures, entry.unit, office, issuance, mode, plan)


def font_fallbacks(documents: list[Document]) -> tuple[FontFallback, ...]:
    """Every character a document's face lacks, by document, role and the face that drew it."""
    found = []
    for document in documents:
        for role, chars in sorted(fallback_characters(document).items()):
            by_face: dict[str, list[str]] = {}
            for ch in sorted(chars):
                by_face.setdefault(fonts.fallback_family(ch, role) or "", []).append(ch)
            face = fonts.first_installed(role) or ""
            for fallback, group in by_face.items():
                found.append(
                    FontFallback(document.meta.slug, ROLE_CN.get(role, role), face, "".join(group), fallback)
                )
    return tuple(found)


def write_index(out_dir: Path, result: BuildResult) -> list[Path]:
    """index.html and 目录.txt: what was built, in issuing order (the HTML is autoescaped)."""
    env = Environment(loader=FileSystemLoader(TEMPLATES_DIR), autoescape=True)
    rows = [
        {
            "number": d.letterhead.doc_number if d.letterhead else "",
            "title": d.title,
            "pdf": f"{d.meta.slug}.pdf",
            "docx": f"{d.meta.slug}.docx",
        }
        for d in result.documents
    ]
    html = env.get_template("index.html.j2").render(
        year=result.year,
        quarter=result.quarter,
        rows=rows,
        warnings=len(result.warnings),
        fallbacks=[str(f) for f in result.fallbacks],
    )
    listing = "\n".join(
        f"{i:>2}. {r['number']}  {r['title']}\n    {r['pdf']}\n    {r['docx']}" for i, r in enumerate(rows, 1)
    )
    write_text_atomic(out_dir / "index.html", html)
    write_text_atomic(
        out_dir / "目录.txt", f"{result.year}年第{result.quarter}季度 印发文件目录\n\n{listing}\n"
    )
    return [out_dir / "index.html", out_dir / "目录.txt"]


def warnings_report(prepared: Prepared, data_dir: Path, fallbacks: tuple[FontFallback, ...] = ()) -> str:
    """数据校验报告: the warnings (which do not stop the build), the characters set in another face,
    and every file read, with its checksum."""
    lines = [f"{prepared.dataset.year}年第{prepared.dataset.quarter}季度 数据校验报告", ""]
    lines.append(format_problems(prepared.warnings) if prepared.warnings else "输入数据未发现问题。")
    lines += ["", "字库缺字（这些字已改用其他字体排印，请在 PDF 中核对显示是否正常）："]
    lines += [f"  {f}" for f in fallbacks] or ["  无。"]
    lines += ["", "读取的文件（sha256）："]
    for source in prepared.sources:
        path = source.path.relative_to(data_dir) if source.path.is_relative_to(data_dir) else source.path
        lines.append(f"  {path}  [{source.sheet}]  {source.sha256}")
    return "\n".join(lines) + "\n"


def write_build_record(
    out_dir: Path,
    result: BuildResult,
    inputs: list[dict[str, str]],
    names: list[str],
    issued: dict[str, str],
    keys: dict[str, str],
) -> Path:
    """build.json: what was built from which inputs, with every file's checksum. ``issue`` reads it to
    archive exactly this set, and refuses a set whose files or inputs no longer match it."""
    record = {
        "year": result.year,
        "quarter": result.quarter,
        **issued,
        "inputs": inputs,
        "documents": [
            {
                "slug": d.meta.slug,
                "kind": d.meta.kind,
                "unit": d.meta.unit,
                "title": d.title,
                "doc_number": d.letterhead.doc_number if d.letterhead else "",
                "files": [f"{d.meta.slug}.pdf", f"{d.meta.slug}.docx"],
                "key": keys[d.meta.slug],
            }
            for d in result.documents
        ],
        "files": {name: sha256_file(out_dir / name) for name in names},
    }
    path = out_dir / BUILD_RECORD
    write_text_atomic(path, json.dumps(record, ensure_ascii=False, indent=2) + "\n")
    return path


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
) -> Prepared:
    """Read and check the quarter's input, 发文.toml and its 发文字号 against the archive's 文号
    registry (``archive_root``; None: no archive to ask, as in tests). Raises ``InputError`` listing
    every problem found (the spreadsheets' and 发文.toml's together)."""
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
    if dataset is None or issuance is None:
        raise InputError(problems)
    history, history_warnings = load_history(data_dir, year, quarter, dataset.registry)
    office = compose.Office.from_toml(data_dir / "office.toml")
    figures = compute(dataset, history)
    numbered_mode = Mode.PLAIN if plain else briefing_mode
    plan = issuing_plan(figures, office, issuance, numbered_mode)
    if not plain and archive_root is not None:  # a draft without 版头 prints no 发文字号
        issuance = with_minutes_number(issuance, office, plan, archive_root)
        plan = issuing_plan(figures, office, issuance, numbered_mode)
        clashes = number_problems(plan, office, archive_root, data_dir, year, quarter)
        if clashes:
            raise InputError(clashes)
    warnings = (*dataset.warnings, *history_warnings)
    return Prepared(dataset, figures, office, issuance, plan, history, warnings)


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


CONFIG_FILES = ("office.toml", "registry.toml", "fonts.toml")


def input_records(prepared: Prepared, data_dir: Path) -> list[dict[str, str]]:
    """Every file the set was made from, with its checksum: the spreadsheets read (last December's
    ledger too), 发文.toml and the office's configuration. ``issue`` compares them with ``data/``
    to refuse a stale build."""
    dataset = prepared.dataset
    paths = [s.path for s in prepared.sources]
    paths.append(quarter_dir(data_dir, dataset.year, dataset.quarter) / ISSUANCE_FILE)
    paths += [data_dir / name for name in CONFIG_FILES if (data_dir / name).exists()]
    digests = {s.path: s.sha256 for s in prepared.sources}
    records = []
    for path in dict.fromkeys(paths):  # in order, once each
        shown = path.relative_to(data_dir) if path.is_relative_to(data_dir) else path
        records.append({"path": str(shown), "sha256": digests.get(path) or sha256_file(path)})
    return records


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
) -> BuildResult:
    """Build the quarter's whole set and swap it in as one: ``out_root/<year>Q<q>/`` holds either the
    previous set or this one, never a mixture (see ``staging``). Raises ``InputError`` before anything
    is written (bad input, or a 发文字号 the archive at ``archive_root`` gave to another document),
    and ``BusyError`` if another build of the same quarter is running.

    ``workers``: processes laying documents out at once; ``reuse``: copy a document unchanged since
    the previous set instead of laying it out again. Neither changes a byte of the output.
    """
    started = time.perf_counter()
    options = {"briefing_mode": str(briefing_mode), "preprinted": preprinted, "plain": plain}
    fingerprint = input_key(data_dir, year, quarter, options)
    prepared = prepare(data_dir, year, quarter, archive_root, briefing_mode, plain)
    office, issuance = prepared.office, prepared.issuance
    documents = compose_all(prepared.figures, office, issuance, briefing_mode, preprinted, plain)

    live = out_root / f"{year}Q{quarter}"
    fallbacks = font_fallbacks(documents)
    result = BuildResult(
        year, quarter, live, documents=documents, warnings=prepared.warnings, fallbacks=fallbacks
    )
    with quarter_lock(live), staged_set(live) as staging:
        previous = live if reuse and live.is_dir() else None
        rendered = render_set(documents, staging, previous, workers, progress)
        names = [name for r in rendered for name in r.names]
        result.reused = sum(r.reused for r in rendered)
        write_text_atomic(staging / "数据校验报告.txt", warnings_report(prepared, data_dir, fallbacks))
        names.append("数据校验报告.txt")
        names += [path.name for path in write_index(staging, result)]
        issued = {
            "date": issuance.date.isoformat(),
            "organ": office.printer,
            "data_dir": str(data_dir.resolve()),
            "fingerprint": fingerprint,
        }
        keys = {r.slug: r.key for r in rendered}
        write_build_record(staging, result, input_records(prepared, data_dir), names, issued, keys)
        names.append(BUILD_RECORD)
        faults.checkpoint("build-swap")
    result.files = [live / name for name in names]
    result.seconds = time.perf_counter() - started
    return result
