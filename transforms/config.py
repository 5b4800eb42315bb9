"""kith.toml: sources, warehouse, owner addresses, schedule and metric settings in one file.

Found at `--config PATH`, else `$KITH_HOME/kith.toml` (written by `kith init`); a missing
file means defaults. Command-line flags override what the file says. Errors are
`ConfigError` with one sentence naming the file and the key.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomlkit

from transforms import paths


class ConfigError(ValueError):
    """The config file cannot be used; the message says where and why."""


@dataclass
class Config:
    path: Path | None = None  # the file it came from, if any
    sources: list[Path] = field(default_factory=list)
    warehouse: Path | None = None
    owner_emails: list[str] = field(default_factory=list)
    schedule_cron: str = "30 2 * * *"
    schedule_timezone: str | None = None  # None = the machine's local zone
    metrics: dict[str, Any] = field(default_factory=dict)
    calendar_bots: list[str] = field(default_factory=list)
    dask_address: str | None = None  # tcp://HOST:PORT: parse on this Dask cluster
    process_pool_min_mb: int | None = None  # None: transforms.run.units.POOL_MIN_MB


TEMPLATE = """\
# kith configuration. Command-line flags override these values.

[sources]
# LinkedIn exports (zip or folder), mbox files, Maildirs, .eml folders, or folders of them.
paths = []

[owner]
# Your own addresses (kith also finds them in the LinkedIn export and in Sent mail).
emails = []

[warehouse]
path = ""

[schedule]
# When `kith serve` runs the nightly flow (cron syntax, minute hour day month weekday).
cron = "30 2 * * *"
# An IANA zone such as "Europe/Berlin"; leave empty for this machine's local time.
timezone = ""

[calendar]
# More note-takers and recorders that join meetings as guests, besides kith's own list: a
# domain ("notes.example.com") or a part of the name they join with ("Acme Notes").
bots = []

[run]
# Parse on an existing Dask cluster (its scheduler's address, e.g. "tcp://10.0.0.5:8786");
# every worker needs the sources and kith's cache folder at the same paths. Empty: this
# machine (Prefect's process pool once there is at least process_pool_min_mb to parse).
dask_address = ""
process_pool_min_mb = 4096

[metrics]
# Tunables of the marts; see docs/metrics.md. Unset keys keep their defaults.
"""


def default_path() -> Path:
    return paths.kith_home() / "kith.toml"


def load(path: Path | None = None) -> Config:
    """Read the config file (explicit path must exist; the default one may be absent)."""
    target = path or default_path()
    if not target.exists():
        if path is not None:
            raise ConfigError(f"config file {target} does not exist")
        return Config()
    try:
        data = tomllib.loads(target.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"cannot read {target}: {type(err).__name__}") from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{target} is not valid TOML: {err}") from None
    return _from_dict(data, target)


def _from_dict(data: dict[str, Any], origin: Path) -> Config:
    def section(name: str) -> dict[str, Any]:
        value = data.get(name, {})
        if not isinstance(value, dict):
            raise ConfigError(f"{origin}: [{name}] must be a table")
        return value

    def str_list(sec: str, key: str) -> list[str]:
        value = section(sec).get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{origin}: {sec}.{key} must be a list of strings")
        return value

    def opt_str(sec: str, key: str) -> str | None:
        value = section(sec).get(key)
        if value is not None and not isinstance(value, str):
            raise ConfigError(f"{origin}: {sec}.{key} must be a string")
        return value or None

    def opt_int(sec: str, key: str) -> int | None:
        value = section(sec).get(key)
        if value is not None and (not isinstance(value, int) or value < 0):
            raise ConfigError(f"{origin}: {sec}.{key} must be a whole number of 0 or more")
        return value

    known = {"sources", "owner", "warehouse", "schedule", "metrics", "run", "calendar"}
    unknown = set(data) - known
    if unknown:
        raise ConfigError(f"{origin}: unknown section [{sorted(unknown)[0]}]")
    base = origin.parent
    warehouse = opt_str("warehouse", "path")
    return Config(
        path=origin,
        sources=[_resolve(p, base) for p in str_list("sources", "paths")],
        warehouse=_resolve(warehouse, base) if warehouse else None,
        owner_emails=str_list("owner", "emails"),
        schedule_cron=opt_str("schedule", "cron") or "30 2 * * *",
        schedule_timezone=opt_str("schedule", "timezone"),
        metrics=dict(section("metrics")),
        calendar_bots=str_list("calendar", "bots"),
        dask_address=opt_str("run", "dask_address"),
        process_pool_min_mb=opt_int("run", "process_pool_min_mb"),
    )


def _resolve(raw: str, base: Path) -> Path:
    """`~` expanded; relative paths are relative to the config file's folder."""
    path = Path(raw).expanduser()
    return path if path.is_absolute() else base / path


def render(sources: list[Path], emails: list[str], warehouse: Path) -> str:
    """The text `kith init` writes: the template, its comments kept, with these values."""
    doc = tomlkit.parse(TEMPLATE)
    doc["sources"]["paths"] = [str(s) for s in sources]
    doc["owner"]["emails"] = list(emails)
    doc["warehouse"]["path"] = str(warehouse)
    return tomlkit.dumps(doc)
