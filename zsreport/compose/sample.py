"""Documents built from the shipped 2020 sample say so on their face.

A clerk who runs zsreport in a folder without ``data/`` gets the sample quarter: official-looking
bulletins with real 发文字号. The mark goes into the document tree, as the last title line, so that
the PDF and the DOCX both print it where a reader looks first (and ``issue`` refuses the set).
"""

from __future__ import annotations

import dataclasses

from zsreport.model import Document

SAMPLE_MARK = "（示例数据，不得印发）"


def marked_as_sample(document: Document) -> Document:
    return dataclasses.replace(document, title_lines=(*document.title_lines, SAMPLE_MARK))
