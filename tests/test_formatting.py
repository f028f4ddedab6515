import datetime as dt

import pytest

from zsreport import formatting as fmt


@pytest.mark.parametrize(
    ("n", "text"), [(1, "一"), (4, "四"), (10, "十"), (12, "十二"), (20, "二十"), (21, "二十一")]
)
def test_cn_number(n: int, text: str) -> None:
    assert fmt.cn_number(n) == text


def test_dates_have_no_leading_zeros() -> None:
    assert fmt.cn_date(dt.date(2021, 1, 8)) == "2021年1月8日"


@pytest.mark.parametrize(
    ("points", "text"),
    [
        (3.24, "超序时进度3.2个百分点"),
        (-4.0, "落后序时进度4.0个百分点"),
        (0.04, "与序时进度持平"),
        (None, ""),
    ],
)
def test_progress_phrase(points: float | None, text: str) -> None:
    assert fmt.progress_phrase(points) == text


def test_at_year_end_the_gap_is_said_against_the_annual_target() -> None:
    assert fmt.progress_phrase(-14.04, year_end=True) == "距年度目标还差14.0个百分点"
    assert fmt.progress_phrase(3.9, year_end=True) == "超额完成年度目标3.9个百分点"


@pytest.mark.parametrize(
    ("fraction", "text"),
    [(0.125, "同比增长12.5%"), (-0.031, "同比下降3.1%"), (0.0, "与上年同期持平"), (None, "")],
)
def test_yoy_phrase(fraction: float | None, text: str) -> None:
    assert fmt.yoy_phrase(fraction) == text


def test_amounts_and_percentages_as_the_office_writes_them() -> None:
    assert fmt.amount(540.1234) == "540.12"
    assert fmt.amount(37600.0, 0) == "37600"
    assert fmt.amount(None) == "—"
    assert fmt.percent(1.0321) == "103.2%"
    assert fmt.signed_points(-4.04) == "-4.0"  # hyphen-minus: 仿宋 faces lack U+2212
    assert fmt.signed_percent(-0.031) == "-3.1%"
    assert fmt.signed_percent(0.2) == "+20.0%"


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


def test_phrases_and_signed_figures_use_the_same_rounding() -> None:
    assert fmt.signed_points(3.25) == "+3.3" and fmt.progress_phrase(3.25) == "超序时进度3.3个百分点"
    assert fmt.signed_percent(0.1125) == "+11.3%" and fmt.yoy_phrase(0.1125) == "同比增长11.3%"
    assert fmt.progress_phrase(-0.04) == "与序时进度持平" and fmt.signed_points(-0.04) == "0.0"
