import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from zsreport import formatting as fmt


@pytest.mark.parametrize(
    ("n", "text"), [(1, "一"), (4, "四"), (10, "十"), (12, "十二"), (20, "二十"), (21, "二十一")]
)
def test_cn_number(n: int, text: str) -> None:
    assert fmt.cn_number(n) == text


def test_dates_have_no_leading_zeros() -> None:
    assert fmt.cn_date(dt.date(2021, 1, 8)) == "2021年1月8日"


def test_amounts_and_percentages_as_the_office_writes_them() -> None:
    assert fmt.amount(540.1234) == "540.12"
    assert fmt.amount(37600.0, 0) == "37600"
    assert fmt.amount(None) == "—"
    assert fmt.percent(1.0321) == "103.2%"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (9 / 16, "56.3%"),  # 56.25: half-up as Excel/WPS; Python's own rounding gives 56.2
        (0.565, "56.5%"),  # stored as 0.56499999…: Excel's 15 significant digits give 56.5
        (0.5625 / 10, "5.6%"),  # 5.625 → 5.6 (one decimal), the next digit decides
        (1 / 8, "12.5%"),
        (0.0005, "0.1%"),
        (-0.00049, "0.0%"),  # never "-0.0%"
    ],
)
def test_percentages_round_half_up_as_excel_shows_them(value: float, shown: str) -> None:
    assert fmt.percent(value) == shown


@pytest.mark.parametrize(
    ("value", "decimals", "shown"),
    [(2.675, 2, "2.68"), (1.005, 2, "1.01"), (0.125, 2, "0.13"), (37600.5, 0, "37601"), (-2.5, 0, "-3")],
)
def test_amounts_round_half_up_as_excel_shows_them(value: float, decimals: int, shown: str) -> None:
    assert fmt.amount(value, decimals) == shown


@pytest.mark.parametrize(
    ("value", "lines", "shown"),
    [
        (Fraction(9996, 100), (Fraction(100),), "99.96"),  # 24.99 of 25: a miss never reads 100.0
        (Fraction(10004, 100), (Fraction(100),), "100.04"),  # a hair over: never "100.0" (exactly met)
        (Fraction(100), (Fraction(100),), "100.0"),  # met exactly
        (Fraction(5625, 100), (Fraction(50),), "56.3"),  # far from the line: one decimal, half-up
        (Fraction(2499999, 100000), (Fraction(25),), "24.9999"),
        (Fraction(249999999, 10**7), (Fraction(25),), "24.9999"),  # four places, away from the line
        (Fraction(250000001, 10**7), (Fraction(25),), "25.0001"),
        (Fraction(-1, 10**5), (Fraction(0),), "-0.0001"),  # a fall of 0.00001%: not 持平
    ],
)
def test_figures_printed_on_their_side_of_each_line(value: Fraction, lines: tuple, shown: str) -> None:
    printed = fmt.on_its_side(value, lines)
    assert format(printed, "f") == shown
    assert all((printed > line) == (value > line) and (printed < line) == (value < line) for line in lines)


def test_exact_figures_and_half_up_from_fractions() -> None:
    assert fmt.exact(0.1 + 0.2) == Fraction(3, 10)  # as Excel shows it, 15 significant digits
    assert fmt.half_up_fraction(Fraction(5625, 100), 1) == Decimal("56.3")
    assert fmt.half_up_fraction(Fraction(-25, 10), 0) == Decimal("-3")
    assert fmt.decimal_text(Decimal("-0.04")) == "-0.04" and fmt.decimal_text(Decimal("6.2")) == "6.2"
