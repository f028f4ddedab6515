"""Issue 22 §3: everything ``zsreport conform -v`` prints a clerk reads is Chinese. The real
command runs on a correct PDF, on wrong PDFs and a wrong DOCX (tests/wrong_documents.py), and on
files that are no PDF/DOCX at all; no line may hold an English word beyond the allow-list below."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.demo_document import demo_document
from tests.wrong_documents import WRONG_DOCX, edit_docx, render_with_css
from zsreport.conformance.report import AREAS
from zsreport.render.docx import render_docx

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# Wrong documents whose failures print the longest measured/expected texts (shape, positions,
# page numbers, full lines, notes kept with their tables).
WRONG_NAMES = ("title-zigzag", "page-number-centred", "body-short-lines", "table-note-overleaf")

# What may stay in ASCII letters, and why: units, file formats, the standard's name, the
# converter and its install command, Word's field and part names, and the font names the
# rules quote (fonts.py's families, Fandol*/Noto as installed here).
ALLOWED_WORDS = frozenset(
    {
        "mm", "pt",  # units
        "PDF", "DOCX", "XML", "ZIP",  # file formats
        "GB", "GB/T",  # GB/T 9704
        "LibreOffice", "soffice", "sudo", "apt-get", "install", "libreoffice-writer-nogui",
        "PAGE",  # Word's page-number field, as a DOCX names it
        "GB2312", "FangSong", "SimHei", "SimSun", "KaiTi", "FZXiaoBiaoSong", "B05S",
        "Fandol", "FandolFang", "FandolHei", "FandolKai", "FandolSong", "Regular", "Bold",
        "Noto", "Serif", "Sans", "CJK", "UKai",
    }
)  # fmt: skip
RULE_ID = re.compile(rf"(?:{'|'.join(map(re.escape, [*AREAS, 'pdf']))})(?:\.[A-Za-z0-9-]+)*")
XML_NAME = re.compile(r"w:[A-Za-z]+|word/[a-z_./]+\.xml")  # element and part names of a DOCX
CHUNK = re.compile(r"[A-Za-z0-9_.:/+-]*[A-Za-z]{3,}[A-Za-z0-9_.:/+-]*")


def english_words(line: str) -> list[str]:
    """The chunks of ``line`` with 3+ ASCII letters that are neither rule ids, DOCX names nor
    on the allow-list (a font chain ``A/B`` or a face ``X-Bold`` is judged part by part)."""
    found = []
    for chunk in CHUNK.findall(line):
        chunk = chunk.strip(".:,")
        if chunk in ALLOWED_WORDS or RULE_ID.fullmatch(chunk) or XML_NAME.fullmatch(chunk):
            continue
        parts = [p for p in re.split(r"[/_,+-]", chunk) if re.search(r"[A-Za-z]{3,}", p)]
        found += [p for p in parts if p not in ALLOWED_WORDS]
    return found


def test_the_allow_list_catches_english() -> None:
    assert english_words("neither: widths 150, 120 mm") == ["neither", "widths"]
    assert (
        english_words("标题 title.shape  7.3.1  菱形：各行宽 150 mm  FandolHei-Bold/Noto Sans CJK SC") == []
    )
    assert english_words("w:eastAsia 未设；word/styles.xml；GB/T 9704") == []
    assert english_words("section 1: PAGE field") == ["section", "field"]


@pytest.fixture(scope="module")
def documents(wrong_pdfs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("chinese")
    demo = demo_document()
    paths = [render_with_css(demo, "", out / "正确.pdf")]
    paths += [wrong_pdfs[name] for name in WRONG_NAMES]
    docx = render_docx(demo, out / "demo.docx")
    name, edit, _ = next(w for w in WRONG_DOCX if w[0] == "no-eastAsia")
    paths.append(edit_docx(docx, out / f"{name}.docx", edit))
    (out / "损坏.pdf").write_text("不是 PDF", encoding="utf-8")
    (out / "损坏.docx").write_text("不是 DOCX", encoding="utf-8")
    return [*paths, out / "损坏.pdf", out / "损坏.docx"]


def test_conform_speaks_chinese_on_every_line(documents: list[Path]) -> None:
    # LibreOffice off the PATH: the DOCX's XML is checked and the missing converter is said;
    # the faces it would substitute differ from machine to machine.
    env = {**os.environ, "PATH": str(Path(sys.executable).parent)}
    result = subprocess.run(
        [sys.executable, "-m", "zsreport", "conform", "-v", *map(str, documents)],
        capture_output=True, text=True, cwd=PROJECT_ROOT, env=env, check=False,
    )  # fmt: skip
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    out = result.stdout
    assert all(f"== {path}：" in out for path in documents), out
    for name in WRONG_NAMES:  # the wrong documents failed, so their texts were printed
        assert "不合格" in out.split(f"{name}.pdf")[1].split("\n== ")[0]
    assert "不是有效的 PDF 文件" in out and "不是有效的 DOCX 文件" in out
    assert "本机没有 LibreOffice" in out and "docx.eastAsia.runs" in out
    english = {}
    for line in out.splitlines():
        for path in documents:  # a path is the clerk's own text
            line = line.replace(str(path), "")
        if words := english_words(line):
            english[line.strip()] = words
    assert not english, "\n".join(f"{words}: {line}" for line, words in english.items())
