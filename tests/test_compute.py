import math

import pytest

from tests.synthetic import REGISTRY, dataset
from zsreport.compute import _competition_ranks, compute, time_progress


def test_time_progress_is_quarter_over_four() -> None:
    assert [time_progress(q) for q in (1, 2, 3, 4)] == [0.25, 0.5, 0.75, 1.0]
    with pytest.raises(ValueError):
        time_progress(5)


def test_completion_rate_gap_and_yoy_follow_the_data() -> None:
    data = dataset(quarter=2)
    figures = compute(data)
    unit = figures.unit("新邵县")  # third unit: factor 0.8 of the 序时进度 share
    result = unit["provincial_funds"]
    target = data.plan.targets.loc["新邵县", "provincial_funds"]
    actual = data.current.values.loc["新邵县", "provincial_funds"]
    assert result.target == target and result.actual == pytest.approx(actual)
    assert result.rate == pytest.approx(actual / target)
    assert result.gap_points == pytest.approx((actual / target - 0.5) * 100)
    assert result.yoy == pytest.approx(0.1)


def test_city_actual_is_the_sum_of_units_and_target_the_plan_city_row() -> None:
    data = dataset(quarter=2)
    figures = compute(data)
    expected = data.current.values.loc[list(REGISTRY.unit_names), "new_projects"].sum()
    assert figures.city["new_projects"].actual == pytest.approx(expected)
    assert figures.city["provincial_funds"].target == data.plan.targets.loc["全市", "provincial_funds"]


def test_no_target_means_no_rate_and_no_rank() -> None:
    figures = compute(dataset())
    beita = figures.unit("北塔区")["foreign_capital"]
    assert beita.target is None and beita.rate is None and beita.rank is None
    assert figures.unit("邵东市")["foreign_capital"].ranked == 12


def test_ranks_follow_completion_rate_and_ties_share_a_rank() -> None:
    figures = compute(dataset())
    rates = {u.name: u["provincial_funds"].rate for u in figures.units}
    best = max(rates, key=rates.get)
    assert figures.unit(best)["provincial_funds"].rank == 1
    assert _competition_ranks({"a": 1.0, "b": 2.0, "c": 2.0, "d": None}) == {"b": 1, "c": 1, "a": 3}


def test_key_project_changes_since_last_quarter() -> None:
    figures = compute(dataset(quarter=2))
    by_name = {p.name: p for p in figures.key_projects}
    assert by_name["甲项目"].prev_status == "洽谈" and by_name["甲项目"].status_changed
    assert by_name["丙项目"].is_new_this_quarter


def test_chains_count_only_signed_projects() -> None:
    figures = compute(dataset(quarter=2))
    chains = {c.chain: c for c in figures.chains}
    # 甲 (装备制造, 签约) and 乙 (显示功能材料, 开工) count; 丙 (智能家居家电, 洽谈) is pipeline only
    assert chains["装备制造"].projects == 1 and chains["显示功能材料"].projects == 1
    assert chains["智能家居家电"].projects == 0 and chains["智能家居家电"].in_talks == 1
    assert math.isclose(sum(c.investment for c in figures.chains), 1.0 + 2.0)


def test_trend_has_one_city_total_per_quarter() -> None:
    figures = compute(dataset(quarter=2))
    assert figures.trend_quarters == (1, 2)
    assert figures.trend["provincial_funds"][0] < figures.trend["provincial_funds"][1]


def test_assessment_commends_the_top_three_but_never_a_zero() -> None:
    figures = compute(dataset(quarter=4))
    info, signed, _investment = figures.assessment
    assert [name for _, name, _ in info.commended] == ["北塔区", "双清区", "大祥区"]  # 130, 120, 110 条
    assert all(value > 0 for _, _, value in signed.commended)
    assert len(signed.commended) == 2 and "新邵县" in signed.zero_units
