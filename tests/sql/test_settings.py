"""MetricSettings: built from a plain dict (as the config file will give it) and turned
into the one-row metric_settings table the marts read."""

from __future__ import annotations

import pytest

from transforms.settings import MetricSettings


def test_defaults_are_the_documented_ones():
    row = MetricSettings().to_frame().to_dicts()
    assert len(row) == 1
    assert row[0] == {
        "half_life_d": 90.0,
        "message_weight": 1.0,
        "connection_weight": 1.0,
        "invitation_weight": 0.5,
        "endorsement_weight": 1.0,
        "recommendation_weight": 2.0,
        "meeting_weight": 1.0,
        "cc_weight": 0.5,
        "group_weight": 0.5,
        "group_min_participants": 3,
        "tier_1_size": 5,
        "tier_2_size": 15,
        "tier_3_size": 50,
        "tier_4_size": 150,
        "tier_1_cadence_d": 14,
        "tier_2_cadence_d": 30,
        "tier_3_cadence_d": 90,
        "tier_4_cadence_d": 180,
        "tier_5_cadence_d": 365,
        "min_gaps_for_own_cadence": 3,
        "min_cadence_d": 7,
        "windows_d": [90, 365],
        "reply_window_d": 7.0,
        "dormant_after_d": 180,
        "active_window_d": 90,
        "weak_tie_min_tier": 4,
        "follow_up_horizon_d": 90,
        "overdue_max_tier": 4,
        "meeting_follow_up_max_tier": 2,
        "cadence_overrides": [],
    }


def test_from_dict_takes_lists_and_overrides():
    s = MetricSettings.from_dict(
        {"windows_d": [30, 180], "half_life_d": 30, "cadence_overrides": {"p_x": "21"}}
    )
    assert s.windows_d == (30, 180) and s.half_life_d == 30
    row = s.to_frame().to_dicts()[0]
    assert row["windows_d"] == [30, 180]
    assert row["cadence_overrides"] == [{"person_id": "p_x", "cadence_d": 21}]


@pytest.mark.parametrize(
    "values",
    [
        {"half_lfe_d": 30},  # typo
        {"tier_sizes": [15, 5, 50, 150]},  # not increasing
        {"tier_cadences_d": [7, 30, 90]},  # not five
        {"half_life_d": 0},
        {"windows_d": []},
    ],
)
def test_bad_values_are_refused(values):
    with pytest.raises(ValueError):
        MetricSettings.from_dict(values)
