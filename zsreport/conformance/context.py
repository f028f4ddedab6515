"""What the document is: its format and the texts that locate its elements, taken from the
document tree when given, else guessed from page 1.

The tree only helps to *find* elements (title lines, headings, 文号 text); it is never a reason to
skip a measurement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from zsreport import gbt9704 as g
from zsreport.conformance.reading import Page, red_ink, rule_bands
from zsreport.model import Document, Heading, Mode, Paragraph, Table, iter_blocks, plain_paragraphs

DOC_NUMBER_RE = re.compile(r"\S+〔\d{4}〕[1-9]\d*号")  # 7.2.5: 六角括号, no 第, no leading zero
MINUTES_NUMBER_RE = re.compile(r"\S*〔\d{4}〕[1-9]\d*号|（第[1-9]\d*号）")  # 10.3 practice
# the 纪要's second line: 编印机关 and date (10.3); a 红头 document goes on to its title instead
MINUTES_ORGAN_DATE_RE = re.compile(r"\S+\d{4}年\d{1,2}月\d{1,2}日")


@dataclass(frozen=True)
class Context:
    mode: Mode
    organ_lines: tuple[str, ...] = ()
    suffix: str = ""
    doc_number: str = ""
    minutes_line: str = ""
    title_lines: tuple[str, ...] = ()
    addressee: str = ""
    headings: tuple[Heading, ...] = ()
    table_notes: tuple[str, ...] = ()  # each table's first 注 line, compact
    paragraphs: tuple[str, ...] = ()  # every paragraph-like text, compact (no spaces)
    mixed_paragraphs: tuple[str, ...] = ()  # paragraphs with runs in other faces (run-in heads)
    display_texts: tuple[str, ...] = ()  # title lines, attachment titles: not body text
    signoff_date: str = ""
    attachment_labels: tuple[str, ...] = ()
    attachment_titles: dict[str, str] = field(default_factory=dict)  # label → title
    attendance_labels: tuple[str, ...] = ()
    colophon: bool = True
    preprinted: bool = False  # 套打: the red 标志 and rule are on the paper, not in the file
    known: bool = False  # built from a Document
    # (text, words) of every table cell with words no line may break inside (Cell.keep)
    table_words: tuple[tuple[str, tuple[str, ...]], ...] = ()


def compact(text: str) -> str:
    """Text without any whitespace, as lines are compared."""
    return "".join(text.split())


def context_of(document: Document) -> Context:
    head = document.letterhead
    paragraphs = [*plain_paragraphs(document), document.addressee, *document.attachment_note]
    attendance = [f"{a.label}：{a.names}" for a in document.attendance]
    paragraphs += attendance
    mixed = [*map(compact, attendance)] + [
        compact(block.text)
        for block in iter_blocks(document)
        if isinstance(block, Paragraph) and any(run.role != "body" for run in block.runs)
    ]
    return Context(
        mode=document.mode,
        preprinted=document.preprinted,
        organ_lines=head.organ_lines if head else (),
        suffix=head.suffix if head and document.mode is Mode.FORMAL else "",
        doc_number=head.doc_number if head else "",
        minutes_line=(head.minutes_organ + head.minutes_date) if head else "",
        title_lines=document.title_lines,
        addressee=document.addressee,
        headings=tuple(b for b in iter_blocks(document) if isinstance(b, Heading)),
        table_notes=tuple(
            compact(b.notes[0]) for b in iter_blocks(document) if isinstance(b, Table) and b.notes
        ),
        paragraphs=tuple(compact(p) for p in paragraphs if p),
        mixed_paragraphs=tuple(mixed),
        display_texts=tuple(
            compact(t)
            for t in (
                *document.title_lines,
                *(a.title for a in document.attachments),
                *(head.organ_lines if head else ()),
            )
        ),
        signoff_date=document.signoff.date if document.signoff else "",
        attachment_labels=tuple(a.label for a in document.attachments),
        attachment_titles={compact(a.label): a.title for a in document.attachments},
        attendance_labels=tuple(a.label for a in document.attendance),
        colophon=document.colophon is not None,
        known=True,
        table_words=tuple(
            sorted(
                {
                    (compact(cell.text), cell.keep)
                    for block in iter_blocks(document)
                    if isinstance(block, Table)
                    for row in (*block.header, *block.body)
                    for cell in row
                    if cell.keep
                }
            )
        ),
    )


def guess_context(pages: list[Page]) -> Context:
    """Without the tree: red text on page 1 means a 版头; a red "…纪要" means the 纪要 format."""
    first = pages[0] if pages else None
    red = [line for line in (first.text_lines if first else []) if any(red_ink(c) for c in line.ink())]
    red_rule = bool(first and rule_bands(first, red=True))
    big = [line for line in (first.text_lines if first else []) if line.size > g.TITLE_SIZE_PT + 2]
    opening = first.text_lines[0].compact if first and first.text_lines else ""
    # 套打 prints the 发文字号 (or the 纪要's 期数) where the paper's 版头 ends; plain starts with its title
    headless = not red and not red_rule and not big
    preprinted = headless and bool(MINUTES_NUMBER_RE.fullmatch(opening))  # 〔…〕N号 or （第N号）
    if preprinted:
        second = first.text_lines[1].compact if len(first.text_lines) > 1 else ""
        numbered_like_a_file = DOC_NUMBER_RE.fullmatch(opening) is not None
        dated_like_minutes = MINUTES_ORGAN_DATE_RE.fullmatch(second) is not None
        mode = Mode.FORMAL if numbered_like_a_file and not dated_like_minutes else Mode.MINUTES
    elif headless:
        mode = Mode.PLAIN
    elif any(line.compact.endswith("纪要") for line in red or big):
        mode = Mode.MINUTES
    else:
        mode = Mode.FORMAL
    last_text = " ".join(line.compact for line in pages[-1].text_lines) if pages else ""
    return Context(mode=mode, colophon="印发" in last_text, preprinted=preprinted)
