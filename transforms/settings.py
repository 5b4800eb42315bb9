"""Every tunable default of the relationship marts, in one place.

The marts' SQL never hard-codes a number: it reads the one-row table `metric_settings`,
which `MetricSettings.to_frame()` produces. The config file (later) fills a
`MetricSettings` with `MetricSettings.from_dict(toml["metrics"])`; anything it leaves out
keeps the default below. docs/metrics.md explains what each value changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

import polars as pl


@dataclass(frozen=True)
class MetricSettings:
    """Defaults of every metric; frozen so one run cannot change them half-way."""

    # relationship_strength: an event's weight halves every `half_life_d` days.
    half_life_d: float = 90.0
    # Base weight of one event by kind; Cc/Bcc and group messages are multiplied down.
    message_weight: float = 1.0
    connection_weight: float = 1.0
    invitation_weight: float = 0.5
    endorsement_weight: float = 1.0
    recommendation_weight: float = 2.0
    # One occurrence of a meeting, per person in it (a group meeting is multiplied down by
    # group_weight like a group message).
    meeting_weight: float = 1.0
    cc_weight: float = 0.5  # the counterparty was only in Cc/Bcc of my message
    group_weight: float = 0.5  # the message had `group_min_participants` or more addresses
    group_min_participants: int = 3  # the owner + at least two others
    # Tiers by strength rank: ranks 1-5 are tier 1, 6-15 tier 2, 16-50 tier 3, 51-150
    # tier 4, the rest (and anyone with zero strength) tier 5.
    tier_sizes: tuple[int, int, int, int] = (5, 15, 50, 150)
    # Default contact cadence of tiers 1..5, in days.
    tier_cadences_d: tuple[int, int, int, int, int] = (14, 30, 90, 180, 365)
    # A person's own typical gap replaces the tier's cadence when shorter, once they have
    # at least `min_gaps_for_own_cadence` gaps between contact days; never below
    # `min_cadence_d`.
    min_gaps_for_own_cadence: int = 3
    min_cadence_d: int = 7
    # person_id -> cadence in days, set by the user; beats tier and own gap.
    cadence_overrides: dict[str, int] = field(default_factory=dict)
    # reciprocity windows (days ending with the as-of date), besides 'all'.
    windows_d: tuple[int, ...] = (90, 365)
    # A message answered within this many days (inclusive) counts as replied to.
    reply_window_d: float = 7.0
    # network_growth: a gap in contact longer than this makes a person dormant.
    dormant_after_d: int = 180
    # network_composition / relationship_history: "active" = contact in this many days.
    active_window_d: int = 90
    # network_composition: tiers at or beyond this one are weak ties.
    weak_tie_min_tier: int = 4
    # follow_up_queue: open messages and invitations older than this are dropped;
    # cadence items only for tiers up to `overdue_max_tier`.
    follow_up_horizon_d: int = 90
    overdue_max_tier: int = 4
    # follow_up_queue: "met on DATE, no message since" for tiers up to this one.
    meeting_follow_up_max_tier: int = 2

    def __post_init__(self) -> None:
        if len(self.tier_sizes) != 4 or list(self.tier_sizes) != sorted(self.tier_sizes):
            raise ValueError("tier_sizes must be four increasing ranks")
        if len(self.tier_cadences_d) != 5 or min(self.tier_cadences_d) <= 0:
            raise ValueError("tier_cadences_d must be five positive day counts")
        if self.half_life_d <= 0 or self.reply_window_d < 0:
            raise ValueError("half_life_d must be positive and reply_window_d not negative")
        if not self.windows_d or min(self.windows_d) <= 0:
            raise ValueError("windows_d must be positive day counts")

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> MetricSettings:
        """Settings from a plain mapping (e.g. the config's [metrics] table); lists become
        tuples, unknown keys are an error so a typo does not silently keep a default."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"unknown metric settings: {', '.join(unknown)}")
        cleaned: dict[str, Any] = {}
        for key, value in values.items():
            if isinstance(value, list):
                value = tuple(value)
            if key == "cadence_overrides":
                value = {str(k): int(v) for k, v in dict(value).items()}
            cleaned[key] = value
        return cls(**cleaned)

    def to_frame(self) -> pl.DataFrame:
        """The one-row `metric_settings` table the marts read (tiers spread into columns)."""
        row: dict[str, Any] = {
            "half_life_d": float(self.half_life_d),
            "message_weight": float(self.message_weight),
            "connection_weight": float(self.connection_weight),
            "invitation_weight": float(self.invitation_weight),
            "endorsement_weight": float(self.endorsement_weight),
            "recommendation_weight": float(self.recommendation_weight),
            "meeting_weight": float(self.meeting_weight),
            "cc_weight": float(self.cc_weight),
            "group_weight": float(self.group_weight),
            "group_min_participants": int(self.group_min_participants),
        }
        for i, size in enumerate(self.tier_sizes, start=1):
            row[f"tier_{i}_size"] = int(size)
        for i, days in enumerate(self.tier_cadences_d, start=1):
            row[f"tier_{i}_cadence_d"] = int(days)
        row |= {
            "min_gaps_for_own_cadence": int(self.min_gaps_for_own_cadence),
            "min_cadence_d": int(self.min_cadence_d),
            "windows_d": [int(d) for d in self.windows_d],
            "reply_window_d": float(self.reply_window_d),
            "dormant_after_d": int(self.dormant_after_d),
            "active_window_d": int(self.active_window_d),
            "weak_tie_min_tier": int(self.weak_tie_min_tier),
            "follow_up_horizon_d": int(self.follow_up_horizon_d),
            "overdue_max_tier": int(self.overdue_max_tier),
            "meeting_follow_up_max_tier": int(self.meeting_follow_up_max_tier),
        }
        overrides = [
            {"person_id": pid, "cadence_d": int(days)}
            for pid, days in sorted(self.cadence_overrides.items())
        ]
        schema = {k: (pl.Float64 if isinstance(v, float) else pl.Int32) for k, v in row.items()}
        schema["windows_d"] = pl.List(pl.Int32)
        schema["cadence_overrides"] = pl.List(
            pl.Struct({"person_id": pl.String, "cadence_d": pl.Int32})
        )
        row["cadence_overrides"] = overrides
        return pl.DataFrame({k: [v] for k, v in row.items()}, schema=schema)
