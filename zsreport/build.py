"""One quarter, end to end: load → compute → compose → render (PDF, DOCX) into out/<year>Q<q>/.

Nothing is written unless the input validated. The set is written into a staging folder and swapped
in whole (``staging``), so a failed or interrupted build leaves the previous set as it was.
"""

from __future__ import annotations

import dataclasses
import json
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from zsreport import TEMPLATES_DIR, compose, faults
from zsreport.archive.checks import BUILD_RECORD
from zsreport.atomic import sha256_file, write_text_atomic
from zsreport.batch import Progress, render_set
from zsreport.compute import QuarterFigures, compute
from zsreport.fingerprint import input_key
from zsreport.ingest import InputError, format_problems, load_dataset
from zsreport.ingest.dataset import Dataset, Problem
from zsreport.model import Document, Mode
from zsreport.staging import quarter_lock, staged_set


@dataclass
class BuildResult:
    year: int
    quarter: int
    out_dir: Path
    documents: list[Document] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    warnings: tuple[Problem, ...] = ()
    seconds: float = 0.0
    reused: int = 0  # documents copied unchanged from the previous set


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
    """Every document the office issues for the quarter, in issuing order.

    ``preprinted``: the 红头 documents will be printed on letterhead paper (套打), so their red
    标志 and rule are left blank and everything else stays where it is.
    ``plain``: every document without a 版头 (no 标志, 发文字号 or red rule), e.g. a draft sent for
    comment before issue; the briefing too, whatever ``briefing_mode`` says.
    """
    mode = Mode.PLAIN if plain else Mode.FORMAL
    documents = [compose.compose_city_bulletin(figures, office, issuance, mode)]
    if issuance.meeting is not None:
        documents.append(
            compose.compose_briefing(figures, office, issuance, mode if plain else briefing_mode)
        )
    if figures.quarter == 4:
        documents.append(compose.compose_assessment(figures, office, issuance, mode))
    documents += [
        compose.compose_unit_bulletin(figures, name, office, issuance, mode)
        for name in figures.registry.unit_names
    ]
    if preprinted:
        documents = [dataclasses.replace(d, preprinted=d.mode is Mode.FORMAL) for d in documents]
    return documents


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
    html = env.get_template("index.html.j2").render(year=result.year, quarter=result.quarter, rows=rows)
    listing = "\n".join(
        f"{i:>2}. {r['number']}  {r['title']}\n    {r['pdf']}\n    {r['docx']}" for i, r in enumerate(rows, 1)
    )
    write_text_atomic(out_dir / "index.html", html)
    write_text_atomic(
        out_dir / "目录.txt", f"{result.year}年第{result.quarter}季度 印发文件目录\n\n{listing}\n"
    )
    return [out_dir / "index.html", out_dir / "目录.txt"]


def warnings_report(dataset: Dataset, data_dir: Path) -> str:
    """数据校验报告: the warnings (which do not stop the build) and every file read, with its checksum."""
    lines = [f"{dataset.year}年第{dataset.quarter}季度 数据校验报告", ""]
    lines.append(format_problems(dataset.warnings) if dataset.warnings else "未发现问题。")
    lines += ["", "读取的文件（sha256）："]
    for source in dataset.sources:
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


ISSUANCE_FILE = "发文.toml"


def load_issuance(data_dir: Path, year: int, quarter: int) -> compose.Issuance:
    """The quarter's 发文信息; any problem with it is reported like a spreadsheet problem."""
    path = quarter_dir(data_dir, year, quarter) / ISSUANCE_FILE
    expected = "本季度发文信息：date（成文日期）、first_number（起始发文字号）和 [meeting]（联席调度会）"
    fix = "可复制上一季度的 发文.toml 到本季度文件夹后修改日期和文号"
    try:
        return compose.Issuance.from_toml(path)
    except FileNotFoundError:
        found = "文件不存在"
    except tomllib.TOMLDecodeError as exc:
        found = f"格式错误：{exc}"
    except KeyError as exc:
        found = f"缺少 {exc.args[0]}"
    except (TypeError, ValueError) as exc:
        found = str(exc)
    raise InputError([Problem("error", str(path), "", "", found, expected, fix)])


CONFIG_FILES = ("office.toml", "registry.toml", "fonts.toml")


def input_records(dataset: Dataset, data_dir: Path) -> list[dict[str, str]]:
    """Every file the set was made from, with its checksum: the spreadsheets read, 发文.toml and the
    office's configuration. ``issue`` compares them with ``data/`` to refuse a stale build."""
    paths = [s.path for s in dataset.sources]
    paths.append(quarter_dir(data_dir, dataset.year, dataset.quarter) / ISSUANCE_FILE)
    paths += [data_dir / name for name in CONFIG_FILES if (data_dir / name).exists()]
    digests = {s.path: s.sha256 for s in dataset.sources}
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
    workers: int = 1,
    reuse: bool = True,
    progress: Progress | None = None,
) -> BuildResult:
    """Build the quarter's whole set and swap it in as one: ``out_root/<year>Q<q>/`` holds either the
    previous set or this one, never a mixture (see ``staging``). Raises ``InputError`` before anything
    is written, and ``BusyError`` if another build of the same quarter is running.

    ``workers``: processes laying documents out at once; ``reuse``: copy a document unchanged since
    the previous set instead of laying it out again. Neither changes a byte of the output.
    """
    started = time.perf_counter()
    options = {"briefing_mode": str(briefing_mode), "preprinted": preprinted, "plain": plain}
    fingerprint = input_key(data_dir, year, quarter, options)
    dataset = load_dataset(data_dir, year, quarter)  # raises InputError before anything is written
    figures = compute(dataset)
    office = compose.Office.from_toml(data_dir / "office.toml")
    issuance = load_issuance(data_dir, year, quarter)
    documents = compose_all(figures, office, issuance, briefing_mode, preprinted, plain)

    live = out_root / f"{year}Q{quarter}"
    result = BuildResult(year, quarter, live, documents=documents, warnings=dataset.warnings)
    with quarter_lock(live), staged_set(live) as staging:
        previous = live if reuse and live.is_dir() else None
        rendered = render_set(documents, staging, previous, workers, progress)
        names = [name for r in rendered for name in r.names]
        result.reused = sum(r.reused for r in rendered)
        write_text_atomic(staging / "数据校验报告.txt", warnings_report(dataset, data_dir))
        names.append("数据校验报告.txt")
        names += [path.name for path in write_index(staging, result)]
        issued = {
            "date": issuance.date.isoformat(),
            "organ": office.printer,
            "data_dir": str(data_dir.resolve()),
            "fingerprint": fingerprint,
        }
        keys = {r.slug: r.key for r in rendered}
        write_build_record(staging, result, input_records(dataset, data_dir), names, issued, keys)
        names.append(BUILD_RECORD)
        faults.checkpoint("build-swap")
    result.files = [live / name for name in names]
    result.seconds = time.perf_counter() - started
    return result
