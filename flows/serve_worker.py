"""The process `kith serve` runs: Prefect's runner serving the nightly deployment.

Started by `kith serve` with PREFECT_API_URL pointing at a real (scheduling) server;
argv[1] is the config file path, or empty for the defaults.
"""

from __future__ import annotations

import sys
from pathlib import Path

from prefect.schedules import Cron

from flows.nightly import nightly_from_config
from transforms import config


def main(config_path: str) -> None:
    cfg = config.load(Path(config_path) if config_path else None)
    nightly_from_config.serve(
        name="kith-nightly",
        schedules=[Cron(cfg.schedule_cron, timezone=cfg.schedule_timezone)],
        parameters={"config_path": config_path or None},
    )


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "")
