"""`kith init`, `kith doctor`, `kith serve`, `kith server`: setting kith up to run nightly.

init writes a config file to edit, doctor says in plain words what is wrong with it or the
machine, serve runs the nightly flow on the config's schedule, and `kith server
start|stop|status` manages kith's lasting local Prefect server (flows/server.py).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from flows.console import ConfigOption, DbOption, console, fail, load_config, quiet_prefect
from transforms import config, paths


def init(
    sources: Annotated[list[Path] | None, typer.Argument(help="Sources to read nightly.")] = None,
    owner_email: Annotated[
        list[str] | None, typer.Option("--owner-email", help="Your own address (repeatable).")
    ] = None,
    db: DbOption = None,
    config_file: ConfigOption = None,
    force: Annotated[bool, typer.Option(help="Overwrite an existing config file.")] = False,
) -> None:
    """Write a config file (kith.toml) to edit, with the defaults spelled out."""
    target = config_file or config.default_path()
    if target.exists() and not force:
        raise fail(f"{target} exists; use --force to overwrite it")
    target.parent.mkdir(parents=True, exist_ok=True)
    warehouse_path = (db or paths.default_warehouse()).expanduser().absolute()
    text = config.render(
        [p.expanduser().absolute() for p in sources or []], owner_email or [], warehouse_path
    )
    target.write_text(text, encoding="utf-8")
    os.chmod(target, 0o600)
    console.print(f"wrote {target}", highlight=False)


def doctor(config_file: ConfigOption = None) -> None:
    """Check the config and the environment, and say what is wrong in plain words."""
    import duckdb

    from flows import server
    from transforms.run.spec import plan_run
    from transforms.sources.discover import NotAnExport, discover

    problems: list[str] = []
    notes: list[str] = []
    try:
        cfg = config.load(config_file)
        notes.append(f"config: {cfg.path or 'none (defaults)'}")
    except config.ConfigError as error:
        problems.append(str(error))
        cfg = config.Config()
    spec = plan_run(cfg)
    try:
        found = discover([Path(s) for s in spec.sources])
        notes.append(f"sources: {len(found.inputs)} input(s) found")
        if not found.inputs:
            problems.append("no sources to read: give paths to `kith run` or in kith.toml")
    except NotAnExport as error:
        problems.append(str(error))
    live = Path(spec.db)
    if not live.parent.exists():
        notes.append(f"warehouse: {live} (its folder will be created)")
    elif not os.access(live.parent, os.W_OK):
        problems.append(f"cannot write to {live.parent}: the warehouse cannot be swapped in")
    if live.exists():
        mode = live.stat().st_mode & 0o777
        if mode & 0o077:
            problems.append(f"{live} is readable by others (mode {mode:o}): chmod 600 it")
        try:
            duckdb.connect(str(live), read_only=True).close()
            notes.append(f"warehouse: {live} opens read-only")
        except duckdb.Error as error:
            problems.append(f"{live} cannot be opened: {str(error).splitlines()[0]}")
    else:
        notes.append(f"warehouse: {live} not built yet (run `kith run`)")
    home = paths.kith_home()
    if home.exists() and home.stat().st_mode & 0o077:
        problems.append(f"{home} is readable by others: chmod 700 it")
    up = server.running()
    notes.append(
        f"prefect: kith's server at {up.ui_url}"
        if up
        else "prefect: kith's server is not running (the next `kith run` starts it)"
    )
    for note in notes:
        console.print(f"ok  {note}", highlight=False)
    for problem in problems:
        console.print(f"bad {problem}", highlight=False)
    if problems:
        raise typer.Exit(1)


def serve(config_file: ConfigOption = None) -> None:
    """Run the nightly flow on the config's cron schedule until stopped (Ctrl-C)."""
    import signal
    import subprocess

    cfg = load_config(config_file)
    quiet_prefect()
    from flows import server  # does not import prefect: its settings must see the API URL

    if "PREFECT_API_URL" not in os.environ:
        with console.status("starting kith's Prefect server…"):
            found, _ = server.start()
        os.environ["PREFECT_API_URL"] = found.api_url
    console.print(f"Prefect UI: {os.environ['PREFECT_API_URL'].removesuffix('/api')}")
    console.print(f"schedule: {cfg.schedule_cron} ({cfg.schedule_timezone or 'local time'})")
    # Prefect's runner keeps running through SIGINT, so it works in a child process that
    # this one stops, however kith serve itself is asked to stop. The server stays up.
    worker = subprocess.Popen(
        [sys.executable, "-m", "flows.serve_worker", str(cfg.path or "")],
        start_new_session=True,
    )

    def stop(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        worker.wait()
    except KeyboardInterrupt:
        pass
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
        console.print("stopped (kith's Prefect server keeps running: `kith server stop`)")


server_app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="kith's lasting local Prefect server."
)


@server_app.command("start")
def server_start(
    port: Annotated[int | None, typer.Option(help="Port on 127.0.0.1 (default 4200).")] = None,
) -> None:
    """Start kith's Prefect server in the background (its UI shows every run)."""
    quiet_prefect()
    from flows import server

    with console.status("starting kith's Prefect server…"):
        try:
            found, started = server.start(port)
        except RuntimeError as error:
            raise fail(str(error), code=1) from None
    state = "started" if started else "already running"
    console.print(f"{state}: UI at {found.ui_url} (pid {found.pid})", highlight=False)


@server_app.command("stop")
def server_stop() -> None:
    """Stop kith's Prefect server (runs then start it again when needed)."""
    from flows import server

    stopped = server.stop()
    console.print("stopped" if stopped else "not running", highlight=False)


@server_app.command("status")
def server_status() -> None:
    """Say whether kith's Prefect server is running, and where."""
    from flows import server

    up = server.running()
    if up is None:
        console.print("not running (the next `kith run` starts it)")
        raise typer.Exit(1)
    console.print(f"running: UI at {up.ui_url} (pid {up.pid}), data in {server.log_file().parent}")
