"""OFD (GB/T 33190-2016) from our own PDF: the same marks, text that stays text, fonts embedded.

``render_ofd(document, pdf, target)`` reads the finished PDF's pages (``pdfpage``), and writes
them as OFD TextObjects and PathObjects (``package``) under a temporary name, renamed into place
only when whole: a failure leaves no ``.ofd`` and names the document (``OfdError``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf

from zsreport import fonts
from zsreport.atomic import atomic_path
from zsreport.model import Document
from zsreport.render.ofd.package import DocInfo, package_files, write_zip
from zsreport.render.ofd.pdfpage import PdfFont, UnsupportedContent, read_pages


class OfdError(RuntimeError):
    """The OFD of a document could not be written; the message is for the clerk."""


def doc_info(document: Document) -> DocInfo:
    """Title, organ, 成文日期 and 发文字号 as the document prints them."""
    organ = ""
    if document.signoff is not None:
        organ = "".join(document.signoff.organ_lines)
    elif document.letterhead is not None:
        organ = "".join(document.letterhead.organ_lines)
    date = document.signoff.date if document.signoff else ""
    if not date and document.letterhead is not None:
        date = document.letterhead.minutes_date
    return DocInfo(
        title=document.title,
        author=organ,
        creation_date=_iso_date(date),
        doc_number=document.letterhead.doc_number if document.letterhead else "",
        subject=document.meta.subject,
    )


def _iso_date(printed: str) -> str:
    """ "2021年1月12日" → "2021-01-12" (OFD's xs:date); "" when the document prints no date."""
    match = re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})日", printed)
    if not match:
        return ""
    year, month, day = (int(v) for v in match.groups())
    return f"{year:04d}-{month:02d}-{day:02d}"


def official_name(font: PdfFont) -> str:
    """The official face a stand-in prints for (仿宋_GB2312 for FandolFang…), where one role
    uses it; else the face's own family (a fallback face set for a character Fandol lacks)."""
    for role, spec in fonts.FONT_ROLES.items():
        if fonts.first_installed(role) != font.family:
            continue
        if font.bold == (fonts.css_weight(role) == 700):
            return spec.official
    return font.family


def render_ofd(document: Document, pdf: Path, target: Path) -> Path:
    """``target`` (.ofd) from ``document``'s finished PDF; whole or not at all."""
    try:
        with pikepdf.open(pdf) as source:
            pages = read_pages(source)
        files = package_files(pages, doc_info(document), official_name)
        with atomic_path(target) as tmp:
            write_zip(files, tmp)
    except (UnsupportedContent, pikepdf.PdfError, OSError, ValueError, KeyError) as error:
        raise OfdError(
            f"{document.meta.slug}：无法生成 OFD 文件（{error}），未写出 {target.name}。"
        ) from error
    return target
