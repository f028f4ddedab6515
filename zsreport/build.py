"""One quarter, end to end: load → compute → compose → render (PDF, DOCX) into out/<year>Q<q>/.

Nothing is written unless the input validated; each file is written under a temporary name and
renamed, so a failed or interrupted build never leaves a half-written document behind.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from zsreport import compose
from zsreport.atomic import write_text_atomic
from zsreport.compute import QuarterFigures, compute
from zsreport.dataset import Dataset, Problem
from zsreport.load import load_dataset
from zsreport.model import Document
from zsreport.render_docx import render_docx
from zsreport.render_pdf import render_pdf


@dataclass
class BuildResult:
    year: int
    quarter: int
    out_dir: Path
    documents: list[Document] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    warnings: tuple[Problem, ...] = ()
    seconds: float = 0.0


def quarter_dir(data_dir: Path, year: int, quarter: int) -> Path:
    return data_dir / str(year) / f"{year}Q{quarter}"


def compose_all(
    figures: QuarterFigures, office: compose.Office, issuance: compose.Issuance
) -> list[Document]:
    """Every document the office issues for the quarter, in issuing order."""
    return [compose.compose_city_bulletin(figures, office, issuance)]


def warnings_report(dataset: Dataset) -> str:
    lines = [f"{dataset.year}年第{dataset.quarter}季度 数据校验报告", ""]
    if not dataset.warnings:
        lines.append("未发现问题。")
    lines += [str(w) for w in dataset.warnings]
    lines += ["", "读取的文件："]
    lines += [f"  {s.path.name}  [{s.sheet}]  sha256={s.sha256}" for s in dataset.sources]
    return "\n".join(lines) + "\n"


def build_quarter(data_dir: Path, year: int, quarter: int, out_root: Path) -> BuildResult:
    started = time.perf_counter()
    dataset = load_dataset(data_dir, year, quarter)  # raises InputError before anything is written
    figures = compute(dataset)
    office = compose.Office.from_toml(data_dir / "office.toml")
    issuance = compose.Issuance.from_toml(quarter_dir(data_dir, year, quarter) / "发文.toml")
    documents = compose_all(figures, office, issuance)

    out_dir = out_root / f"{year}Q{quarter}"
    result = BuildResult(year, quarter, out_dir, documents=documents, warnings=dataset.warnings)
    for document in documents:
        result.files.append(render_pdf(document, out_dir / f"{document.meta.slug}.pdf"))
        result.files.append(render_docx(document, out_dir / f"{document.meta.slug}.docx"))
    report = out_dir / "数据校验报告.txt"
    write_text_atomic(report, warnings_report(dataset))
    result.files.append(report)
    result.seconds = time.perf_counter() - started
    return result
