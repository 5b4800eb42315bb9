"""What every `kith` command shares: the console, one-sentence errors, common options, and
Prefect's settings (which must be in the environment before prefect is imported)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from transforms import config, paths

console = Console()

DbOption = Annotated[Path | None, typer.Option(help="Warehouse file.")]
ConfigOption = Annotated[
    Path | None, typer.Option("--config", help="Config file (default: $KITH_HOME/kith.toml).")
]


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print one sentence on stderr and return the Exit to raise."""
    print(f"kith: {message}", file=sys.stderr)  # one line, never wrapped
    return typer.Exit(code)


def load_config(path: Path | None) -> config.Config:
    """The config file, or a one-sentence error naming what is wrong in it."""
    try:
        return config.load(path)
    except config.ConfigError as error:
        raise fail(str(error)) from None


def quiet_prefect() -> None:
    """Settings that must be in the environment before `import prefect`: no telemetry, no
    logs shipped to its database, a private PREFECT_HOME, a start-up timeout long enough
    for a 2-core machine."""
    defaults = {
        "PREFECT_HOME": str(paths.prefect_home()),
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_LOGGING_TO_API_ENABLED": "false",
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
        "PREFECT_RESULTS_PERSIST_BY_DEFAULT": "false",
    }
    for key, value in defaults.items():
        os.environ.setdefault(key, value)
    Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)
