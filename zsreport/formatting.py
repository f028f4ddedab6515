"""Numbers and dates as the office writes them (used by compose and, as filters, by the wording).

亿元 with two decimals, 万美元 and counts as integers, percentages with one decimal, dates in
Arabic numerals without leading zeros (GB/T 9704 clause 7.3.5.4).

Rounding is half-up, as Excel and WPS show a figure: 9/16 is 56.3%, where Python's own rounding
(half to even, on the binary value) gives 56.2% and a clerk cross-checking in Excel would see a
different figure. Like Excel, the value is first taken to 15 significant digits, so 0.565 (stored
as 0.56499999…) is 56.5%.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

CN_DIGITS = "〇一二三四五六七八九"
NO_VALUE = "—"
# Offices write negative figures with the ordinary hyphen-minus; U+2212 is missing from 仿宋 faces.
MINUS = "-"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (heading numbers, quarters); 1 ≤ n ≤ 99."""
    if not 1 <= n <= 99:
        raise ValueError(f"cn_number handles 1–99, not {n}")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CN_DIGITS[ones]
    head = "" if tens == 1 else CN_DIGITS[tens]
    return head + "十" + (CN_DIGITS[ones] if ones else "")


def quarter_name(quarter: int) -> str:
    """4 → 第四季度."""
    return f"第{cn_number(quarter)}季度"


def quarter_end_phrase(quarter: int) -> str:
    """截至3月底 / 6月底 / 9月底 / 12月底."""
    return f"{quarter * 3}月底"


def cn_date(day: dt.date) -> str:
    """2021-01-08 → 2021年1月8日 (no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def half_up(value: float, decimals: int = 0) -> float:
    """``value`` rounded half-up to ``decimals`` places, as Excel and WPS round."""
    exact = Decimal(format(value, ".15g"))
    return float(exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def fixed(value: float, decimals: int) -> str:
    """``value`` with exactly ``decimals`` places, rounded half-up; never "-0.0"."""
    rounded = half_up(value, decimals)
    return f"{rounded + 0.0:.{decimals}f}" if rounded else f"{0:.{decimals}f}"


def amount(value: float | None, decimals: int = 2) -> str:
    """540.1234 → 540.12; 37600.0 with decimals=0 → 37600; None → —."""
    if value is None:
        return NO_VALUE
    return fixed(value, decimals)


def percent(fraction: float | None, decimals: int = 1) -> str:
    """1.0321 → 103.2%."""
    if fraction is None:
        return NO_VALUE
    return f"{fixed(fraction * 100, decimals)}%"


def join_cn(items: list[str] | tuple[str, ...]) -> str:
    """["甲", "乙", "丙"] → 甲、乙、丙."""
    return "、".join(items)


# ---------------------------------------------------------------- exact figures, printed on their side
#
# A rate printed to one decimal may land on the wrong side of a line a sentence judges it by: 24.99 of
# 25.00 is 99.96%, printed "100.0%", yet the target was missed. Such a rate is printed with as many more
# decimals as it takes ("99.96%"), so that the printed figure is on the same side of 100% and of
# 序时进度 as the exact one, and the words, which judge the exact figure, never contradict it.

MAX_DECIMALS = 4


def exact(value: float) -> Fraction:
    """A spreadsheet figure as the exact decimal Excel shows (15 significant digits)."""
    return Fraction(Decimal(format(value, ".15g")))


def half_up_fraction(value: Fraction, decimals: int) -> Decimal:
    """``value`` rounded half-up (away from zero, as Excel's ROUND) to ``decimals`` places."""
    rounded = int(abs(value) * 10**decimals + Fraction(1, 2))
    return Decimal(rounded if value >= 0 else -rounded).scaleb(-decimals)


def _sign(value: Fraction | Decimal) -> int:
    return (value > 0) - (value < 0)


def on_its_side(value: Fraction, lines: tuple[Fraction, ...], decimals: int = 1) -> Decimal:
    """``value`` rounded half-up to ``decimals`` places, or to more (up to ``MAX_DECIMALS``, then
    rounded away from the line) when the rounding would put it on another side of one of ``lines``
    than the exact value: above, on, or below."""

    def keeps_side(shown: Decimal) -> bool:
        return all(_sign(Fraction(shown) - line) == _sign(value - line) for line in lines)

    for places in range(decimals, MAX_DECIMALS + 1):
        shown = half_up_fraction(value, places)
        if keeps_side(shown):
            return shown
    scaled = value * 10**MAX_DECIMALS  # a hair from a line even at four places
    down = Decimal(scaled.numerator // scaled.denominator).scaleb(-MAX_DECIMALS)
    return down if keeps_side(down) else down + Decimal(1).scaleb(-MAX_DECIMALS)


def decimal_text(value: Decimal, minimum: int = 1) -> str:
    """A rounded figure with at least ``minimum`` decimals and no "-0"."""
    places = max(minimum, -value.as_tuple().exponent) if value.as_tuple().exponent < 0 else minimum
    text = f"{abs(value):.{places}f}"
    return f"{MINUS}{text}" if value < 0 and float(text) != 0 else text
