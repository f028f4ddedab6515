"""Reading generated PDFs back as text, for tests that compare them with the document tree."""

from __future__ import annotations

import re
from pathlib import Path

import pdfplumber


def squash(text: str) -> str:
    """Without whitespace: PDF text extraction breaks lines where the layout did."""
    return re.sub(r"\s+", "", text)


def pdf_text(path: Path) -> str:
    """The running text of a PDF without whitespace and page numbers (a paragraph may cross a page)."""
    with pdfplumber.open(path) as pdf:
        text = squash("".join(p.extract_text() or "" for p in pdf.pages))
    return re.sub(r"—\d+—", "", text)
