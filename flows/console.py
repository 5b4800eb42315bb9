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


# Prefect's own logging config, with its console handler swapped for kith's log file: a
# run that succeeded prints its report and nothing else; warnings, errors and tracebacks
# from Prefect (and kith's own notes: which resolution mode, a retried build) go to
# $KITH_HOME/kith.log. Nothing logged carries a name, an address or a subject.
LOGGING_YML = """\
version: 1
disable_existing_loggers: False
formatters:
  standard:
    format: "%(asctime)s | %(levelname)-7s | %(process)d | %(name)s - %(message)s"
handlers:
  file:
    level: 0
    class: logging.handlers.RotatingFileHandler
    filename: "{log_file}"
    maxBytes: 5000000
    backupCount: 2
    formatter: standard
  api:
    level: 0
    class: prefect.logging.handlers.APILogHandler
loggers:
  prefect:
    level: WARNING
  prefect.flow_runs:
    level: NOTSET
    handlers: [api]
  prefect.task_runs:
    level: NOTSET
    handlers: [api]
  prefect._internal:
    level: WARNING
  uvicorn:
    level: WARNING
    handlers: [file]
    propagate: false
  fastapi:
    level: WARNING
    handlers: [file]
    propagate: false
  transforms:
    level: INFO
  flows:
    level: INFO
root:
  level: WARNING
  handlers: [file]
"""


def log_file() -> Path:
    """kith's log: Prefect's warnings and tracebacks, and kith's own notes on each run."""
    return paths.kith_home() / "kith.log"


def quiet_prefect() -> None:
    """Settings that must be in the environment before `import prefect`: no telemetry, no
    logs shipped to its database or printed on the terminal (they go to kith.log), a
    private PREFECT_HOME, a start-up timeout long enough for a 2-core machine."""
    home = paths.prefect_home()
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    logging_yml = home / "logging.yml"
    logging_yml.write_text(LOGGING_YML.format(log_file=log_file()), encoding="utf-8")
    defaults = {
        "PREFECT_HOME": str(home),
        "PREFECT_LOGGING_SETTINGS_PATH": str(logging_yml),
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
