"""What a build writes beside the documents: the list of what to check before issuing.

``index.html`` and ``目录.txt`` (the set in issuing order; the warnings and the characters set in
another face; when it was built and from which inputs), ``数据校验报告.txt`` (the warnings in full,
every file read with its checksum), ``build.json`` (what ``issue`` archives, every file's checksum)
and ``build.log`` (the run, as it went).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from zsreport import TEMPLATES_DIR, fonts
from zsreport.archive.checks import BUILD_RECORD
from zsreport.atomic import sha256_file, write_text_atomic
from zsreport.formatting import quarter_name
from zsreport.ingest import format_problems
from zsreport.ingest.dataset import Problem, SourceFile
from zsreport.model import Document
from zsreport.render.pdf import fallback_characters

BUILD_LOG = "build.log"


@dataclass
class BuildResult:
    """A built set: its documents, files, warnings and the characters set in another face."""

    year: int
    quarter: int
    out_dir: Path
    documents: list[Document] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    warnings: tuple[Problem, ...] = ()
    fallbacks: tuple[FontFallback, ...] = ()
    seconds: float = 0.0
    reused: int = 0  # documents copied unchanged from the previous set
    draft: dict = field(default_factory=dict)  # a 征求意见稿: {kind, unreported, cutoff} (build.json)
    built_at: str = field(default_factory=lambda: dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M"))


# Typeface roles as the office names them (zsreport/fonts.toml [roles.*]).
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


def write_index(out_dir: Path, result: BuildResult, inputs: list[dict[str, str]]) -> list[Path]:
    """index.html and 目录.txt: what was built, in issuing order, with what to check before issuing
    (the warnings, the characters set in another face), when and from which inputs. The HTML is
    autoescaped: every text in it came from a spreadsheet or the tree."""
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
    period = f"{result.year}年{quarter_name(result.quarter)}"
    html = env.get_template("index.html.j2").render(
        period=period,
        rows=rows,
        warnings=[_warning_line(p) for p in result.warnings],
        fallbacks=[str(f) for f in result.fallbacks],
        built_at=result.built_at,
        inputs=inputs,
        draft=result.draft,
    )
    listing = "\n".join(
        f"{i:>2}. {r['number']}  {r['title']}\n    {r['pdf']}\n    {r['docx']}" for i, r in enumerate(rows, 1)
    )
    write_text_atomic(out_dir / "index.html", html)
    head = f"{period} 印发文件目录"
    if result.draft:
        missing = "、".join(result.draft["unreported"])
        head += f"（征求意见稿，不能印发归档{'；未报送：' + missing if missing else ''}）"
    write_text_atomic(out_dir / "目录.txt", f"{head}\n\n{listing}\n")
    return [out_dir / "index.html", out_dir / "目录.txt"]


def _warning_line(problem: Problem) -> str:
    """One warning on one line: where (file, sheet, cell) and what was found."""
    where = "，".join(part for part in (problem.file, problem.sheet and f"工作表“{problem.sheet}”",
                                        problem.cell and f"单元格 {problem.cell}") if part)  # fmt: skip
    return f"{where}：{problem.found}" if where else problem.found


def warnings_report(
    result: BuildResult, sources: list[SourceFile], data_dir: Path, fallbacks: tuple[FontFallback, ...] = ()
) -> str:
    """数据校验报告: the warnings (which do not stop the build), the characters set in another face,
    and every file read, with its checksum."""
    lines = [f"{result.year}年{quarter_name(result.quarter)} 数据校验报告", ""]
    lines.append(format_problems(result.warnings) if result.warnings else "输入数据未发现问题。")
    lines += ["", "字库缺字（这些字已改用其他字体排印，请在 PDF 中核对显示是否正常）："]
    lines += [f"  {f}" for f in fallbacks] or ["  无。"]
    lines += ["", "读取的文件（sha256）："]
    for source in sources:
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
    document_files: dict[str, list[str]] | None = None,
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
                # the files made of it (PDF, DOCX, and the OFD when asked for), as rendered
                "files": (document_files or {}).get(
                    d.meta.slug, [f"{d.meta.slug}.pdf", f"{d.meta.slug}.docx"]
                ),
                "key": keys[d.meta.slug],
            }
            for d in result.documents
        ],
        "files": {name: sha256_file(out_dir / name) for name in names},
    }
    path = out_dir / BUILD_RECORD
    write_text_atomic(path, json.dumps(record, ensure_ascii=False, indent=2) + "\n")
    return path


@contextlib.contextmanager
def build_log(folder: Path) -> Iterator[logging.Logger]:
    """Log the run into ``folder/build.log`` (and keep what zsreport's modules log there too)."""
    logger = logging.getLogger("zsreport")
    handler = logging.FileHandler(folder / BUILD_LOG, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.INFO)
    previous_level = logger.level
    logger.addHandler(handler)
    if logger.getEffectiveLevel() > logging.INFO:
        logger.setLevel(logging.INFO)
    try:
        yield logger
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous_level)
        handler.close()
