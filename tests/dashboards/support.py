"""Shared pieces of the dashboard tests: the generated network's settings and builds.

`network` is a generated network (noise 0: every identity links by exact keys) built twice
into one file: as of 2026-11-01 (the generator's as-of date) and again as of 2026-11-08
with the same inputs, so relationship_history holds a snapshot exactly a week older and
every truth figure of the later run is the truth file's figure shifted by 7 days.

The metric settings make the expected values derivable from the truth files by hand:
every person with any counted contact ranks in tier 1 (cadence 14 days), and nobody gets
an own cadence, so a person is overdue by days_since_last_contact - 14 days.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flows.nightly import run_in_process
from synthetic import GeneratedNetwork
from transforms.run.spec import new_run

FIRST_AS_OF = date(2026, 11, 1)
AS_OF = date(2026, 11, 8)
SHIFT_D = (AS_OF - FIRST_AS_OF).days
CADENCE_D = 14
SETTINGS = {
    "tier_sizes": [100_000, 100_000, 100_000, 100_000],
    "tier_cadences_d": [CADENCE_D, 30, 90, 180, 365],
    "min_gaps_for_own_cadence": 1_000_000,
}
APP = Path(__file__).resolve().parents[2] / "dashboards" / "app.py"


@dataclass
class Built:
    net: GeneratedNetwork
    db: Path
    truth: list[dict]  # truth_people.csv rows

    @property
    def sources(self) -> list[Path]:
        return [self.net.linkedin_dir, self.net.mbox_path]


def build(sources: list[Path], db: Path, as_of: date, metrics: dict | None = None) -> None:
    """One pipeline run in this process (the nightly flow's steps, without Prefect)."""
    spec = new_run(sources, db, [], as_of)
    spec.metrics = dict(metrics if metrics is not None else SETTINGS)
    run_in_process(spec)


def read_truth(net: GeneratedNetwork) -> list[dict]:
    with open(net.truth_people_path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))
