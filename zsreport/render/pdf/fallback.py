"""Characters a role's face lacks: weasyprint draws them from the next face; say so, once."""

from __future__ import annotations

import logging

from zsreport import fonts
from zsreport import gbt9704 as g
from zsreport.model import Document, Figure, Heading, Mode, Paragraph, Table, iter_blocks

log = logging.getLogger(__name__)


def _role_texts(document: Document) -> dict[str, list[str]]:
    """Every string the PDF prints, by the typeface role it is set in."""
    texts: dict[str, list[str]] = {role: [] for role in fonts.FONT_ROLES}
    head = document.letterhead
    if head is not None and document.mode is not Mode.PLAIN:
        if not document.preprinted:
            texts["title"] += [*head.organ_lines, "" if document.mode is Mode.MINUTES else head.suffix]
        texts["body"] += [head.copy_number, head.doc_number]
        texts["hei"] += [head.secrecy, head.urgency]
        if document.mode is Mode.MINUTES:
            texts["body"] += [head.minutes_organ, head.minutes_date]
    texts["title"] += [*document.title_lines, *(a.title for a in document.attachments)]
    texts["hei"] += [a.label for a in document.attachments]
    texts["body"] += [document.addressee, document.note, *document.attachment_note]
    for block in iter_blocks(document):
        if isinstance(block, Heading):
            texts[g.HEADING_ROLES[block.level]].append(block.full_text)
        elif isinstance(block, Paragraph):
            for run in block.runs:
                texts[run.role].append(run.text)
        elif isinstance(block, Table):
            texts["hei"] += [block.label, block.caption, *(c.text for row in block.header for c in row)]
            texts["body"] += [block.unit_note, *block.notes]
            for row in block.body:
                for cell in row:
                    texts["hei" if cell.bold else "body"].append(cell.text)
        elif isinstance(block, Figure):
            texts["hei"] += [block.label, block.caption]
    for attendance in document.attendance:
        texts["hei"].append(attendance.label + "：")
        texts["body"].append(attendance.names)
    if document.signoff is not None:
        texts["body"] += [*document.signoff.organ_lines, document.signoff.date]
    if document.colophon is not None:
        c = document.colophon
        texts["body"] += [c.addressee, c.cc, c.printer, c.print_date, "主送：抄送：印发"]
    texts["song"].append(f"{g.PAGE_NUMBER_DASH} 0123456789 {g.PAGE_NUMBER_DASH}")
    return texts


def fallback_characters(document: Document) -> dict[str, set[str]]:
    """Characters missing from the face a role is set in (role → characters), e.g. 堃 镕 喆 from
    the Fandol faces. weasyprint draws them in the next face of the role's chain that has them
    (Noto CJK, see ``fonts.FALLBACK_FAMILIES``)."""
    found = {}
    for role, parts in _role_texts(document).items():
        missing = set(fonts.uncovered("".join(parts), role))
        if missing:
            found[role] = missing
    return found


def warn_fallbacks(document: Document) -> None:
    for role, chars in sorted(fallback_characters(document).items()):
        by_face: dict[str, list[str]] = {}
        for ch in sorted(chars):
            by_face.setdefault(fonts.fallback_family(ch, role) or "no installed face", []).append(ch)
        for face, group in by_face.items():
            log.warning(
                "%s：字库 %s 缺少“%s”，已改用 %s 排印（请核对该字显示是否正常）",
                document.meta.slug,
                fonts.first_installed(role),
                "”“".join(group),
                face,
            )
