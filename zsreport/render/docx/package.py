"""The DOCX package: core properties, no stale thumbnail, and zip entries that make the same
tree give the same bytes."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from docx.document import Document as DocxDocument

from zsreport.model import Document


def _parse_cn_date(text: str) -> dt.datetime | None:
    m = re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日", text)
    return dt.datetime(int(m[1]), int(m[2]), int(m[3]), 9, 0, 0) if m else None


def document_date(document: Document) -> dt.datetime:
    """The date stamped into core properties and zip entries (never the wall clock)."""
    candidates = (
        document.signoff.date if document.signoff else "",
        document.colophon.print_date if document.colophon else "",
        document.letterhead.minutes_date if document.letterhead else "",
    )
    for text in candidates:
        if (when := _parse_cn_date(text)) is not None:
            return when
    quarter_end_month = 3 * document.meta.quarter
    return dt.datetime(document.meta.year, quarter_end_month, 28, 9, 0, 0)


def document_author(document: Document) -> str:
    """The issuing organ as the document signs it (署名), else as its 版头 or 版记 names it."""
    if document.signoff is not None:
        return "".join(document.signoff.organ_lines)
    if document.letterhead is not None and document.letterhead.organ_lines:
        return "".join(document.letterhead.organ_lines)
    return document.colophon.printer if document.colophon is not None else ""


def set_core_properties(doc: DocxDocument, src: Document) -> None:
    """core.xml: the title, the organ as author, dates from the document (never the clock)."""
    when = document_date(src)
    author = document_author(src)
    core = doc.core_properties
    core.title = src.title
    core.subject = src.meta.subject or src.title
    core.author = author
    core.last_modified_by = author
    core.comments = ""
    core.keywords = ""
    core.category = src.meta.kind
    core.revision = 1
    core.created = when
    core.modified = when
    core.last_printed = when


def stable_zip(raw: bytes, when: dt.datetime) -> bytes:
    """Rewrite the package with one fixed timestamp and fixed attributes: same tree, same bytes."""
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            dst.writestr(info, src.read(item.filename))
    return out.getvalue()
