"""What resolution hands the rest of the pipeline, and what it reads of the last run: plain
frames in dataclasses. Light on purpose: the build and a night whose inputs did not change
import these, never the matcher behind them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:
    from transforms.resolve.state import ResolverState


@dataclass
class Previous:
    """What the last good warehouse knew: identity -> person, and when each person appeared."""

    identity_map: pl.DataFrame  # kind, value, person_id
    first_seen: pl.DataFrame  # person_id, first_seen_at
    history: pl.DataFrame  # PERSON_ID_HISTORY rows so far


@dataclass
class PreviousTables:
    """The last good warehouse's resolver output."""

    people: pl.DataFrame
    person_identities: pl.DataFrame
    match_decisions: pl.DataFrame
    person_id_history: pl.DataFrame


@dataclass
class Resolution:
    people: pl.DataFrame
    person_identities: pl.DataFrame
    match_decisions: pl.DataFrame
    person_id_history: pl.DataFrame
    state: ResolverState | None = None  # what the next run needs to resolve only new mail
