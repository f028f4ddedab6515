"""The problem list of a run: severities, ``Problems`` (collected in the order found),
``InputError`` (raised when any is an error) and ``format_problems`` (the report the clerk reads,
wrapped for a Chinese text width)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from zsreport.ingest.dataset import Problem

ERROR = "error"
WARNING = "warning"

Issue = tuple[str, str, str]  # found, expected, fix


class Problems:
    """Collects every problem of a run, in the order found."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(
        self,
        severity: str,
        file: str,
        sheet: str,
        cell: str,
        found: str,
        expected: str,
        fix: str,
    ) -> None:
        self.items.append(Problem(severity, file, sheet, cell, found, expected, fix))

    def error(self, file: str, sheet: str, cell: str, issue: Issue) -> None:
        self.add(ERROR, file, sheet, cell, *issue)

    def warning(self, file: str, sheet: str, cell: str, issue: Issue) -> None:
        self.add(WARNING, file, sheet, cell, *issue)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == WARNING]


SEVERITY_CN = {ERROR: "错误", WARNING: "警告"}
REPORT_WIDTH = 80  # display columns of a report line (a CJK character takes two)

# Chinese line-breaking rules: these never start a line / never end one.
_NO_LINE_START = set("，。、；：？！）》」』】〕”’％%…·,.;:!?)]}")
_NO_LINE_END = set("（《「『【〔“‘([{")


def _char_width(ch: str) -> int:
    if unicodedata.combining(ch) or ch in "\u200b\ufeff":
        return 0
    # W/F are double-width; A (ambiguous: “”、…、≤) is double-width in Chinese fonts too.
    return 2 if unicodedata.east_asian_width(ch) in "WFA" else 1


def text_width(text: str) -> int:
    """Display width in a terminal or a text editor with a Chinese font."""
    return sum(_char_width(ch) for ch in text)


# A unit's name (邵阳县, 北塔区, 武冈市) is one word: a line never breaks inside it ("邵/阳县").
_PLACE_NAME = r"[\u4e00-\u9fff]{1,4}(?:县|市|区)"


# A file path or file name is one word whatever its characters (data/2021/2021Q1/邵东市-报表.xlsx):
# broken across lines it can be neither read nor copied.
_NOT_IN_PATH = r"\s，。；、：“”"  # not （）: a clerk's file may be named 报表（已填）.xlsx
_PATH = rf"[^{_NOT_IN_PATH}]*/[^{_NOT_IN_PATH}]+|[^{_NOT_IN_PATH}]+\.(?:xlsx|xlsm|xls|csv|toml|txt|json|pdf|docx)\b"


def _is_path(token: str) -> bool:
    return re.fullmatch(_PATH, token.rstrip("".join(_NO_LINE_START))) is not None


def _tokens(text: str) -> list[str]:
    """Break opportunities: a path or file name, or a run of ASCII (a number, a formula), stays
    whole; CJK text may break between any two characters, except before a closing or after an
    opening mark."""
    raw = re.findall(rf"{_PATH}|[!-~]+| +|{_PLACE_NAME}|.", text)
    out: list[str] = []
    glue = False  # the previous token ended with an opening mark
    for tok in raw:
        if out and not out[-1].isspace() and not tok.isspace() and (glue or tok[0] in _NO_LINE_START):
            out[-1] += tok
        else:
            out.append(tok)
        glue = tok[-1] in _NO_LINE_END
    return out


def wrap(text: str, width: int) -> list[str]:
    """``text`` cut into lines of at most ``width`` display columns; nothing is dropped except
    spaces at a line break. A token wider than a whole line is split by character."""
    lines: list[str] = []
    for para in text.replace("\r\n", "\n").replace("\t", " ").split("\n"):
        line, w = "", 0
        for tok in _tokens(para):
            tw = text_width(tok)
            if tok.isspace():
                if line:
                    line, w = line + tok, w + tw
                continue
            if w + tw > width and line.strip():
                lines.append(line.rstrip())
                line, w = "", 0
            if tw > width and _is_path(tok):  # a path longer than a line: whole, on a line of its own
                line, w = tok, tw
                continue
            if tw > width:  # longer than a whole line: split it
                for ch in tok:
                    cw = _char_width(ch)
                    if w + cw > width and line:
                        lines.append(line.rstrip())
                        line, w = "", 0
                    line, w = line + ch, w + cw
                continue
            line, w = line + tok, w + tw
        lines.append(line.rstrip())
    return lines


def _field(label: str, text: str, width: int, indent: int = 2) -> list[str]:
    """``  发现：…`` with the continuation lines aligned under the text."""
    head = " " * indent + label + "："
    hang = text_width(head)
    body = wrap(text, max(20, width - hang))
    return [head + body[0], *(" " * hang + line for line in body[1:])]


def format_problems(problems: Iterable[Problem], width: int = REPORT_WIDTH) -> str:
    """The problems as numbered blocks (errors first), for the terminal and 数据校验报告.txt.

    Nothing is ever shortened: long texts wrap within ``width`` display columns (a Chinese character
    counts two) with their continuation lines indented. The last line counts the problems."""
    items = sorted(problems, key=lambda p: p.severity != ERROR)
    if not items:
        return "未发现问题。"
    out: list[str] = []
    numbers = {ERROR: 0, WARNING: 0}
    for p in items:
        numbers[p.severity] = numbers.get(p.severity, 0) + 1
        label = SEVERITY_CN.get(p.severity, p.severity)
        note = "须改正后才能生成公文" if p.severity == ERROR else "不影响生成，请核实"
        if out:
            out.append("")
        out.append(f"【{label} {numbers[p.severity]}】{note}")
        if p.file:
            out += _field("文件", p.file, width)
        sheet = f"工作表“{p.sheet}”" if p.sheet else ""
        cell = f"单元格 {p.cell}" if p.cell else ""
        where = "，".join(part for part in (sheet, cell) if part)
        if where:
            out += _field("位置", where, width)
        out += _field("发现", p.found or "（无）", width)
        out += _field("应为", p.expected or "（无）", width)
        out += _field("修改方法", p.fix or "（无）", width)
    n_err = sum(p.severity == ERROR for p in items)
    out += ["", f"共 {n_err} 个错误、{len(items) - n_err} 个警告。"]
    return "\n".join(out)


class InputError(Exception):
    """The inputs cannot be used: ``problems`` lists every error (and the warnings) found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        n = sum(p.severity == ERROR for p in self.problems)
        super().__init__(
            f"输入文件中有 {n} 个错误，改正后才能生成公文：\n\n" + format_problems(self.problems)
        )
