"""Reading generated PDFs and DOCX back as text, for tests that compare them with the document tree."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber
from docx import Document as DocxDocument

from zsreport.linebreak import strip_breaks


def squash(text: str) -> str:
    """Without whitespace: PDF text extraction breaks lines where the layout did."""
    return re.sub(r"\s+", "", text)


def pdf_text(path: Path) -> str:
    """The running text of a PDF without whitespace and page numbers (a paragraph may cross a page)."""
    with pdfplumber.open(path) as pdf:
        text = squash("".join(p.extract_text() or "" for p in pdf.pages))
    return re.sub(r"—\d+—", "", text)


def docx_paragraphs(path: Path) -> list[str]:
    """The body paragraphs of a DOCX as a reader sees them (the zero-width break marks dropped)."""
    return [strip_breaks(p.text) for p in DocxDocument(str(path)).paragraphs]


def line_starting(page: pdfplumber.page.Page, text: str) -> list[dict] | None:
    """The characters, left to right, of the page's first printed line that starts with ``text``."""
    rows: dict[int, list[dict]] = {}
    for c in page.chars:
        rows.setdefault(round(c["top"]), []).append(c)
    for chars in rows.values():
        chars.sort(key=lambda c: c["x0"])
        if "".join(c["text"] for c in chars).startswith(text):
            return chars
    return None
