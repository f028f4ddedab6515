"""The document tree: the one contract between content (compose) and layout (renderers).

A bulletin is 版头 + title + 主送 + blocks + 附件说明 + 落款 + 附件 + 版记, in the order of
GB/T 9704-2012 clause 7. Both renderers (``render_pdf`` and ``render_docx``) take the same
``Document`` and neither knows where its words or numbers came from, so the PDF and the DOCX of
one bulletin cannot say different things. Every string here is plain text (never markup):
renderers escape it for their own format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal


class Mode(StrEnum):
    """Which GB/T 9704 format a document is set in."""

    FORMAL = "formal"  # 文件格式: red 发文机关标志, 发文字号, red rule (clause 7.2)
    MINUTES = "minutes"  # 纪要格式 (clause 10.3): red "…纪要" 标志, no seal
    PLAIN = "plain"  # same fonts and grid, no red header


FontRole = Literal["body", "hei", "kai", "title"]
"""Typeface roles; ``fonts.py`` maps each role to real families (仿宋, 黑体, 楷体, 小标宋)."""

Align = Literal["left", "center", "right", "justify"]


@dataclass(frozen=True)
class Run:
    """A stretch of text in one typeface role, e.g. a run-in heading "1.装备制造产业链。"."""

    text: str
    role: FontRole = "body"


@dataclass(frozen=True)
class Paragraph:
    """A body paragraph: 三号仿宋, first line 左空二字 unless ``indent`` is False."""

    runs: tuple[Run, ...]
    indent: bool = True
    align: Align = "justify"
    # May leave a single line at a page's foot or top (orphans and widows of one line): set by the
    # PDF's layout where going over whole would leave the page short (``render.pdf.remedies``).
    split_anywhere: bool = False

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)

    @classmethod
    def of(cls, text: str, **kwargs: object) -> Paragraph:
        return cls(runs=(Run(text),), **kwargs)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Heading:
    """A numbered heading. Level 1 "一、" 黑体, 2 "（一）" 楷体, 3 "1." and 4 "（1）" 仿宋.

    ``number`` is the numbering as printed ("一、", "（二）", "3.", "（4）"), kept apart from
    ``text`` so renderers may style it; the printed heading is ``number + text``.
    """

    level: int
    number: str
    text: str

    @property
    def full_text(self) -> str:
        return f"{self.number}{self.text}"


@dataclass(frozen=True)
class Cell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    align: Literal["left", "center", "right"] = "center"
    bold: bool = False  # 合计/全市 rows
    # Words no line may break inside (a unit or chain name, a status pair "签约→开工", a unit of
    # measure "（亿元）", a header word); elsewhere the text breaks by Chinese rules.
    keep: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    """A table with header rows that repeat on every page and rows that never split.

    ``header`` and ``body`` are rows of cells; merged cells use colspan/rowspan and the cells
    they cover are simply absent from later rows (as in HTML). ``widths`` are the column widths
    in mm (compose sizes them from the cells' words, ``compose.columns``; renderers scale them to
    the text block). ``landscape`` asks for a 横排 page (GB/T 9704 clause 8).
    """

    number: int  # 表1, 表2 … numbered per document by compose
    caption: str  # without the number: "各县市区省外境内资金完成情况"
    header: tuple[tuple[Cell, ...], ...]
    body: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...]
    unit_note: str = ""  # printed right-aligned above the table, e.g. "单位：亿元、万美元、个"
    # cell size in pt, chosen by compose with the widths (0: each renderer chooses by its own faces)
    size_pt: float = 0.0
    notes: tuple[str, ...] = ()  # "注：…" lines below the table
    landscape: bool = False
    # Rows set closer (``TABLE_CELL_PADDING_COMPACT_MM``): the PDF's layout tightens a table whose
    # page would otherwise end short (``render.pdf.floats``); the DOCX follows the same tree.
    compact: bool = False

    @property
    def label(self) -> str:
        return f"表{self.number}"


def place_cells(rows: tuple[tuple[Cell, ...], ...]) -> list[tuple[int, int, Cell]]:
    """(row, first column, cell) of every cell, HTML-style: positions covered by a cell spanned
    from a row above are skipped."""
    taken: set[tuple[int, int]] = set()
    placed = []
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            placed.append((r, c, cell))
            taken.update((r + dr, c + dc) for dr in range(cell.rowspan) for dc in range(cell.colspan))
            c += cell.colspan
    return placed


def rows_held_together(rows: tuple[tuple[Cell, ...], ...]) -> set[int]:
    """Indices of the rows that stay on the page of the row after them: a cell spans down from
    them into it (a project's 序号 over the row of its problem), and a page break would cut it."""
    held: set[int] = set()
    for r, _, cell in place_cells(rows):
        held.update(range(r, r + cell.rowspan - 1))
    return held


@dataclass(frozen=True)
class Figure:
    """A chart drawn once by ``charts``: SVG for the PDF (vector), PNG for the DOCX."""

    number: int  # 图1, 图2 …
    caption: str
    svg: bytes
    png: bytes  # ≥ 200 dpi
    width_mm: float
    height_mm: float
    alt: str = ""

    @property
    def label(self) -> str:
        return f"图{self.number}"


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Heading | Paragraph | Table | Figure | PageBreak


@dataclass(frozen=True)
class Letterhead:
    """版头 (clause 7.2). ``organ_lines`` are stacked and centred; ``suffix`` ("文件") stands to
    their right, vertically centred on the stack, as a long organ name is set in practice."""

    organ_lines: tuple[str, ...]
    suffix: str = "文件"  # "" for a name-only 标志; "纪要" text goes in organ_lines for MINUTES
    doc_number: str = ""  # 发文字号 "邵承办发〔2020〕12号"; for MINUTES the 纪要编号
    copy_number: str = ""  # 份号, six digits
    secrecy: str = ""  # 密级和保密期限
    urgency: str = ""  # 紧急程度
    minutes_organ: str = ""  # MINUTES: 机关 (左空一字) on the line under the 编号 …
    minutes_date: str = ""  # … and its date (右空一字)


@dataclass(frozen=True)
class Attendance:
    """纪要格式 出席/请假/列席 line (clause 10.3): label in 黑体, names in 仿宋."""

    label: str  # "出席" | "请假" | "列席"
    names: str


@dataclass(frozen=True)
class Signoff:
    """落款 without a seal (clause 7.3.5.2): 署名 右空二字, date on the next line 2 字 further."""

    organ_lines: tuple[str, ...]
    date: str  # "2021年1月15日": Arabic numerals, no leading zeros


@dataclass(frozen=True)
class Attachment:
    """附件 (clause 7.3.7): a new page, "附件1" in 黑体 顶格, title centred on the third line."""

    label: str  # "附件" or "附件1"
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Colophon:
    """版记 (clause 7.4) at the foot of the last (even) page."""

    printer: str  # 印发机关
    print_date: str  # "2021年1月15日" (renderers append 印发)
    cc: str = ""  # 抄送 organs, ending with "。"
    addressee: str = ""  # 主送 moved here when too long for page 1


@dataclass(frozen=True)
class DocMeta:
    kind: str  # "city" | "unit" | "briefing" | "assessment"
    year: int
    quarter: int
    slug: str  # file stem, e.g. "2020Q4-全市招商引资工作通报"
    unit: str = ""
    subject: str = ""  # PDF/DOCX subject metadata


@dataclass(frozen=True)
class Document:
    meta: DocMeta
    mode: Mode
    title_lines: tuple[str, ...]  # 二号小标宋, broken at whole words by the template (梯形/菱形)
    body: tuple[Block, ...]
    letterhead: Letterhead | None = None
    addressee: str = ""  # 主送机关, ends with "："
    attendance: tuple[Attendance, ...] = ()  # MINUTES only, after the 正文
    signoff: Signoff | None = None
    attachments: tuple[Attachment, ...] = ()
    colophon: Colophon | None = None
    note: str = ""  # 附注, printed as "（…）" under the date
    # Printing on pre-printed letterhead paper (套打): the red 标志 and red rule are already on the
    # paper, so renderers leave their area blank and put everything else exactly where it would be.
    preprinted: bool = False
    # The body's last paragraph may leave one line at a page's foot and take the other over with
    # the 署名 (7.3.5.5), when going over whole would leave that page short (``render.pdf.floats``).
    split_last_paragraph: bool = False
    # The blank line above the 署名 closed to ``SIGNOFF_TIGHT_BLANK_LINES`` (7.3.5.5), so the 署名
    # stays on the page with the text's last lines (``render.pdf.floats``).
    signoff_tight: bool = False
    # From body block ``tail_from`` to the 署名, lines set at ``tail_pitch_pt`` instead of the
    # 行 (7.3.5.5 调整行距: the text's last lines and the 署名 kept on one page, not the page before
    # it left short); 0: not squeezed. The PDF's layout sets it (``render.pdf.floats``).
    tail_from: int = 0
    tail_pitch_pt: float = 0.0
    # Characters (not counting spaces) of the body's last paragraph the PDF set on the page before the
    # 署名's, the rest going over with it (0: not split). The DOCX splits the paragraph there, as
    # LibreOffice moves a keep-with-next paragraph whole (``render.pdf.layout``, issue 24).
    last_paragraph_head: int = 0
    warnings: tuple[str, ...] = field(default=(), compare=False)

    @property
    def title(self) -> str:
        return "".join(self.title_lines)

    @property
    def attachment_note(self) -> tuple[str, ...]:
        """附件说明 lines: "附件：名称" or numbered "附件：1.名称" / "2.名称" (clause 7.3.6)."""
        if not self.attachments:
            return ()
        if len(self.attachments) == 1:
            return (f"附件：{self.attachments[0].title}",)
        return tuple(
            ("附件：" if i == 1 else "") + f"{i}.{a.title}" for i, a in enumerate(self.attachments, 1)
        )


def iter_blocks(document: Document):
    """Every block of the document in reading order, attachments included."""
    yield from document.body
    for attachment in document.attachments:
        yield from attachment.blocks


def plain_paragraphs(document: Document) -> list[str]:
    """The document's running text, one string per paragraph/heading, in reading order.

    Tests compare this list with what they read back from the PDF and the DOCX.
    """
    texts: list[str] = []
    for block in iter_blocks(document):
        if isinstance(block, Heading):
            texts.append(block.full_text)
        elif isinstance(block, Paragraph):
            texts.append(block.text)
    return texts
