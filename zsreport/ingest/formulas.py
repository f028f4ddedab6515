"""A formula's saved result against its inputs: a 合计 row or a total column whose result was
saved before a figure changed (manual calculation, a file edited by a program that does not
recalculate, a result typed over) prints a total the table's own figures contradict.

The formulas an office table uses are recomputed from the saved values of their cells: + - * /,
parentheses, SUM over cells and ranges, ROUND. Anything else (another sheet, other functions) is
not judged. A mismatch is refused at the formula's cell."""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal

from zsreport.ingest.cells import Grid, cell_ref
from zsreport.ingest.messages import fmt_number
from zsreport.ingest.problems import Problems
from zsreport.ingest.scan import Found

_TOKEN = re.compile(
    r"\s*(?:(\d+(?:\.\d*)?(?:E[+-]?\d+)?)|([A-Z]{1,3}\d{1,7}(?::[A-Z]{1,3}\d{1,7})?)|(SUM|ROUND)\(|(.))"
)


class _NotJudged(Exception):
    """The formula uses something not recomputed here, or a cell that is not a plain number."""


def _col(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _cell(ref: str) -> tuple[int, int]:
    m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    assert m is not None
    return int(m[2]) - 1, _col(m[1])


class _Evaluator:
    """Recursive descent over the tokens of one formula, reading cells from ``grid``."""

    def __init__(self, grid: Grid, text: str):
        self.grid = grid
        self.tokens: list[tuple[str, str]] = []
        for m in _TOKEN.finditer(text.upper().replace("$", "")):
            kind = "num" if m[1] else "ref" if m[2] else "fn" if m[3] else "op"
            value = m[1] or m[2] or m[3] or m[4]
            if kind == "op" and value.isspace():
                continue
            self.tokens.append((kind, value))
        self.pos = 0

    def run(self) -> float:
        value = self.expr()
        if self.pos != len(self.tokens):
            raise _NotJudged
        return value

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _take(self) -> tuple[str, str]:
        if self.pos >= len(self.tokens):
            raise _NotJudged
        self.pos += 1
        return self.tokens[self.pos - 1]

    def expr(self) -> float:
        value = self.term()
        while (t := self._peek()) and t[1] in "+-" and t[0] == "op":
            self._take()
            value = value + self.term() if t[1] == "+" else value - self.term()
        return value

    def term(self) -> float:
        value = self.factor()
        while (t := self._peek()) and t[1] in "*/" and t[0] == "op":
            self._take()
            other = self.factor()
            if t[1] == "/" and other == 0:
                raise _NotJudged
            value = value * other if t[1] == "*" else value / other
        return value

    def factor(self) -> float:
        kind, value = self._take()
        if kind == "op" and value == "-":
            return -self.factor()
        if kind == "op" and value == "(":
            inner = self.expr()
            self._expect(")")
            return inner
        if kind == "num":
            return float(value)
        if kind == "ref":
            if ":" in value:
                raise _NotJudged  # a range outside SUM
            return self._value(*_cell(value))
        if kind == "fn":
            return self._sum() if value == "SUM" else self._round()
        raise _NotJudged

    def _expect(self, op: str) -> None:
        if self._take() != ("op", op):
            raise _NotJudged

    def _sum(self) -> float:
        total = 0.0
        while True:
            t = self._peek()
            if t is not None and t[0] == "ref" and ":" in t[1]:
                self._take()
                (r1, c1), (r2, c2) = (_cell(x) for x in t[1].split(":"))
                for r in range(min(r1, r2), max(r1, r2) + 1):
                    for c in range(min(c1, c2), max(c1, c2) + 1):
                        total += self._value(r, c, in_sum=True)
            else:
                total += self.expr()
            kind, value = self._take()
            if (kind, value) == ("op", ")"):
                return total
            if (kind, value) != ("op", ","):
                raise _NotJudged

    def _round(self) -> float:
        value = self.expr()
        self._expect(",")
        digits = self.expr()
        self._expect(")")
        if not float(digits).is_integer():
            raise _NotJudged
        q = Decimal(1).scaleb(-int(digits))
        return float(Decimal(repr(value)).quantize(q, rounding=ROUND_HALF_UP))

    def _value(self, r: int, c: int, in_sum: bool = False) -> float:
        if (r, c) in self.grid.uncached:
            raise _NotJudged
        v = self.grid.raw(r, c)
        if v is None:
            return 0.0
        if isinstance(v, bool):
            raise _NotJudged
        if isinstance(v, int | float):
            return float(v)
        if in_sum:  # SUM passes over text, as Excel does
            return 0.0
        raise _NotJudged


def recompute(grid: Grid, formula: str) -> float | None:
    """The formula's value from the saved values of its cells; None when it cannot be judged."""
    text = formula.lstrip("=")
    if "!" in text or not text:
        return None
    try:
        return _Evaluator(grid, text).run()
    except (_NotJudged, RecursionError, ValueError, ArithmeticError):
        return None


def check_formulas(f: Found, problems: Problems) -> None:
    """Every formula of the table's sheet whose saved result its own inputs contradict."""
    grid = f.grid
    for (r, c), formula in sorted(grid.formulas.items()):
        saved = grid.raw(r, c)
        if isinstance(saved, bool) or not isinstance(saved, int | float):
            continue
        value = recompute(grid, formula)
        if value is None or math.isclose(value, saved, rel_tol=1e-9, abs_tol=1e-9):
            continue
        problems.error(
            f.display,
            grid.sheet,
            cell_ref(r, c),
            (
                f"公式“={formula.lstrip('=')}”保存的结果是 {fmt_number(float(saved))}，但按表中现在的数字"
                f"算得 {fmt_number(value)}（公式的结果没有随数字更新，或被手工改写过）",
                f"公式的结果与它引用的单元格一致（{fmt_number(value)}）",
                "请用 Excel 或 WPS 打开这个文件，按 F9（或点“公式”→“开始计算”）重新计算后保存；"
                "如果这个格子的数字是手工改过的，请核对后改正，再运行一次。",
            ),
        )
