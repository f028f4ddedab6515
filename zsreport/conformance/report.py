"""Findings: one measured rule each, the tolerances they are judged with, and the plain-text
report ``python -m zsreport conform`` prints."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from zsreport import gbt9704 as g
from zsreport.conformance.faces import wrong_face


@dataclass(frozen=True)
class Finding:
    """One measured rule: what was measured, what the standard wants, and whether it holds."""

    rule: str
    clause: str
    ok: bool
    measured: str
    expected: str
    page: int | None = None


@dataclass(frozen=True)
class Tolerance:
    """Tolerances in mm/pt; LibreOffice-rendered PDFs get wider ones (substituted faces)."""

    mm: float = g.MARGIN_TOLERANCE_MM  # positions, ±1 mm
    size_pt: float = 0.3  # body size
    title_pt: float = 0.5
    pitch_pt: float = 0.5
    blank_lines_mm: float = 1.0  # beyond the "下空N行" band
    page_number_mm: float = 1.5
    rule_mm: float = 0.08  # 版记 rule thickness
    faces: bool = True  # False: the faces were substituted, so face rules report but do not judge
    note: str = ""  # appended to every expected value, e.g. "(LibreOffice rendering, ±2 mm)"


STRICT = Tolerance()
LIBREOFFICE = Tolerance(
    mm=2.0,
    size_pt=0.5,
    title_pt=0.5,
    pitch_pt=1.0,
    blank_lines_mm=3.0,
    page_number_mm=2.5,
    rule_mm=0.12,
    faces=False,
    note="（DOCX 经 LibreOffice 转换后测量：字体已替换，另在 XML 中核对；容差放宽）",
)


class Report:
    """Collects findings with the tolerance note appended to every expected value."""

    def __init__(self, tol: Tolerance) -> None:
        self.tol = tol
        self.findings: list[Finding] = []

    def wrong_face(self, chars: Iterable[dict], role: str) -> list[dict]:
        """Characters not in the role's face; none when the renderer substituted every face (the
        DOCX's face names are then checked in its XML instead)."""
        return wrong_face(chars, role) if self.tol.faces else []

    def add(
        self, rule: str, clause: str, ok: bool, measured: str, expected: str, page: int | None = None
    ) -> None:
        self.findings.append(Finding(rule, clause, bool(ok), measured, expected + self.tol.note, page))


def failures(findings: Iterable[Finding]) -> list[Finding]:
    return [f for f in findings if not f.ok]


# What each rule measures, by the part of the document its name starts with (``title.shape`` → 标题).
AREAS = {
    "addressee": "主送机关", "attachment": "附件", "body": "正文", "colophon": "版记", "date": "成文日期",
    "doc-number": "发文字号", "docx": "DOCX", "figure": "图表", "fonts": "字体", "heading": "层次标题",
    "issuer": "发文机关标志", "landscape": "横排页", "minutes": "纪要", "page": "页面", "page-number": "页码",
    "pages": "页数", "pdf": "PDF", "preprinted": "套打", "red-rule": "红色分隔线", "signoff": "署名", "table": "表格",
    "text-block": "版心", "title": "标题",
}  # fmt: skip


def rule_name(rule: str) -> str:
    """``title.shape`` → ``标题 title.shape``: the part in Chinese, the rule's own name kept (the
    README and the tests name rules by it)."""
    area = AREAS.get(rule.split(".")[0])
    return f"{area} {rule}" if area else rule


def format_report(findings: Sequence[Finding], title: str = "") -> str:
    """A plain-text table: rule, clause, page, measured, expected, 合格/不合格."""
    rows = [("规则", "条款", "页", "测得", "应为", "结果")]
    rows += [
        (
            rule_name(f.rule),
            f.clause,
            "" if f.page is None else str(f.page),
            f.measured,
            f.expected,
            "合格" if f.ok else "不合格",
        )
        for f in findings
    ]
    widths = [
        min(max(_width(row[i]) for row in rows), 60 if i in (3, 4) else 40) for i in range(len(rows[0]))
    ]
    out = [title] if title else []
    for n, row in enumerate(rows):
        cells = [_pad(cell, widths[i]) if i < len(row) - 1 else cell for i, cell in enumerate(row)]
        out.append("  ".join(cells).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    bad = len(failures(findings))
    out.append(f"共 {len(findings)} 项测量，{bad} 项不合格")
    return "\n".join(out)


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    """Left-justify to ``width`` columns (CJK counts two), wrapping nothing: long cells overflow."""
    return text + " " * max(0, width - _width(text))
