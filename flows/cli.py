"""`kith` command line: run the nightly flow once, query the warehouse, generate data.

Prefect is configured here, before it is imported: no telemetry, no logs shipped to its
database, a private PREFECT_HOME, and a start-up timeout long enough for a 2-core machine.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from flows.people_cli import people_app
from transforms import config, paths

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__.split("\n")[0])
app.add_typer(people_app, name="people")
console = Console()


def _quiet_prefect() -> None:
    """Settings that must be in the environment before `import prefect`."""
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


def fail(message: str, code: int = 2) -> typer.Exit:
    """Print one sentence on stderr and return the Exit to raise."""
    print(f"kith: {message}", file=sys.stderr)  # one line, never wrapped
    return typer.Exit(code)


ConfigOption = Annotated[
    Path | None, typer.Option("--config", help="Config file (default: $KITH_HOME/kith.toml).")
]


def _load_config(path: Path | None) -> config.Config:
    try:
        return config.load(path)
    except config.ConfigError as error:
        raise fail(str(error)) from None


@app.command()
def run(
    sources: Annotated[
        list[Path] | None,
        typer.Argument(help="LinkedIn export (zip/folder), mbox, .eml, or a folder of them."),
    ] = None,
    db: Annotated[Path | None, typer.Option(help="Warehouse file.")] = None,
    owner_email: Annotated[
        list[str] | None, typer.Option("--owner-email", help="Your own address (repeatable).")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option(help="Compute marts as of this date (YYYY-MM-DD).")
    ] = None,
    config_file: ConfigOption = None,
    full: Annotated[bool, typer.Option(help="Parse every file again, ignoring the cache.")] = False,
) -> None:
    """Run the nightly flow once and print the run report."""
    from transforms import pipeline
    from transforms.lock import AlreadyRunning, run_lock
    from transforms.sources.discover import NotAnExport

    try:
        as_of_date = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise fail(f"--as-of {as_of!r} is not a date like 2026-11-25") from None
    cfg = _load_config(config_file)
    spec = pipeline.plan_run(cfg, sources, db, owner_email, as_of_date, full)
    try:
        with run_lock(pipeline.lock_path()):
            try:  # fail fast, before paying for Prefect's start-up, when a path is no source
                found = pipeline.discover_inputs(spec)
            except NotAnExport as error:
                raise fail(str(error)) from None
            pipeline.remove_stale_builds(spec)
            result, seconds = _run_flow(spec, len(found.inputs))
    except AlreadyRunning as error:
        raise fail(str(error), code=3) from None
    _print_report(result, Path(spec.db), seconds)


def _run_flow(spec, n_inputs: int) -> tuple[dict, float]:
    """Run the flow on the local kith server when one is up, else on Prefect's temporary one.

    A progress display follows the run folder from a thread of its own (the flow shares
    nothing with it): starting Prefect, inputs parsed so far, building the warehouse.
    """
    import threading

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from transforms import pipeline
    from transforms.sources.discover import NotAnExport

    _quiet_prefect()
    from flows import server

    if "PREFECT_API_URL" not in os.environ and (url := server.running_server_url()):
        os.environ["PREFECT_API_URL"] = url
    spec_path = spec.save()
    started = time.perf_counter()
    done = threading.Event()
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("starting Prefect", total=n_inputs)

        def follow() -> None:
            while not done.wait(0.25):
                step, staged = pipeline.progress(spec, n_inputs)
                bar.update(task, description=step, completed=staged)

        watcher = threading.Thread(target=follow, daemon=True)
        watcher.start()
        from flows.nightly import nightly

        try:
            result = nightly(str(spec_path))
        except NotAnExport as error:
            raise fail(str(error)) from None
        finally:
            done.set()
            watcher.join()
    return result, time.perf_counter() - started


def _print_report(result: dict, db: Path, seconds: float) -> None:
    files = result["files"]
    table = Table(title="kith run")
    table.add_column("file", overflow="fold")
    for col in ("rows in", "loaded", "rejected"):
        table.add_column(col, justify="right")
    table.add_column("note")
    for row in files:
        table.add_row(
            _short(row["source_file"]),
            str(row["rows_in"]),
            str(row["rows_loaded"]),
            str(row["rows_rejected"]),
            row["skipped_reason"] or "",
        )
    console.print(table)
    counts = result["counts"]
    read = [f for f in files if f["skipped_reason"] is None]
    console.print(
        f"files read {len(read)}, rows in {sum(f['rows_in'] for f in read)}, "
        f"loaded {sum(f['rows_loaded'] for f in read)}, "
        f"rejected {sum(f['rows_rejected'] for f in read)}; "
        f"people {counts['people']}, interactions {counts['interactions']}; "
        f"{seconds:.1f} s -> {db}",
        highlight=False,
    )


def _short(path: str) -> str:
    try:
        return str(Path(path).relative_to(Path.cwd()))
    except ValueError:
        return path


@app.command()
def sql(
    query: Annotated[str, typer.Argument(help="SQL to run read-only on the warehouse.")],
    db: Annotated[Path | None, typer.Option(help="Warehouse file.")] = None,
) -> None:
    """Run a query read-only on the warehouse and print the result as a table."""
    import duckdb

    from transforms.readers import connect_read_only

    target = db or paths.default_warehouse()
    if not target.exists():
        raise fail(f"no warehouse at {target}; run `kith run` first")
    con = connect_read_only(target)
    try:
        rel = con.sql(query)
        if rel is None:
            return
        columns = rel.columns
        rows = rel.fetchall()
    except duckdb.Error as error:
        raise fail(str(error).splitlines()[0], code=1) from None
    finally:
        con.close()
    table = Table(*columns)
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    console.print(table)


@app.command()
def generate(
    out: Annotated[Path, typer.Option(help="Folder to write the network into.")],
    people: Annotated[int, typer.Option(help="How many people.")] = 150,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same files).")] = 7,
    noise: Annotated[float, typer.Option(help="0 = exact keys suffice; 1 = very messy.")] = 0.3,
    body_bytes: Annotated[int, typer.Option(help="Padding per email body (benchmarks).")] = 0,
) -> None:
    """Write a synthetic network in real export formats, with its truth files."""
    from synthetic import generate as make

    result = make(people=people, seed=seed, out=out, noise=noise, body_bytes=body_bytes)
    console.print(
        f"wrote {result.people} people ({result.truth_people} with counted contact) to {out}: "
        f"LinkedIn export in {result.linkedin_dir.name}/, mbox {result.mbox_path.name}, "
        f"truth in {result.truth_path.name}, {result.truth_people_path.name}, "
        f"{result.meta_path.name}",
        highlight=False,
    )


@app.command()
def init(
    sources: Annotated[list[Path] | None, typer.Argument(help="Sources to read nightly.")] = None,
    owner_email: Annotated[
        list[str] | None, typer.Option("--owner-email", help="Your own address (repeatable).")
    ] = None,
    db: Annotated[Path | None, typer.Option(help="Warehouse file.")] = None,
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


@app.command()
def doctor(config_file: ConfigOption = None) -> None:
    """Check the config and the environment, and say what is wrong in plain words."""
    import duckdb

    from flows import server
    from transforms import pipeline
    from transforms.sources.discover import NotAnExport, discover

    problems: list[str] = []
    notes: list[str] = []
    try:
        cfg = config.load(config_file)
        notes.append(f"config: {cfg.path or 'none (defaults)'}")
    except config.ConfigError as error:
        problems.append(str(error))
        cfg = config.Config()
    spec = pipeline.plan_run(cfg)
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
    url = server.running_server_url()
    notes.append(f"prefect: {'kith serve server at ' + url if url else 'temporary server per run'}")
    for note in notes:
        console.print(f"ok  {note}", highlight=False)
    for problem in problems:
        console.print(f"bad {problem}", highlight=False)
    if problems:
        raise typer.Exit(1)


@app.command()
def serve(config_file: ConfigOption = None) -> None:
    """Run the nightly flow on the config's cron schedule until stopped (Ctrl-C)."""
    import signal
    import subprocess

    cfg = _load_config(config_file)
    _quiet_prefect()
    from flows import server  # does not import prefect: its settings must see the API URL

    proc = None
    if "PREFECT_API_URL" not in os.environ:
        with console.status("starting a local Prefect server…"):
            proc = server.start_server()
    console.print(f"Prefect UI: {os.environ['PREFECT_API_URL'].removesuffix('/api')}")
    console.print(f"schedule: {cfg.schedule_cron} ({cfg.schedule_timezone or 'local time'})")
    # Prefect's runner keeps running through SIGINT, so it works in a child process that
    # this one stops, with the server, however kith serve itself is asked to stop.
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
        if proc is not None:
            server.stop_server(proc)
        console.print("stopped")


@app.command()
def runs(
    db: Annotated[Path | None, typer.Option(help="Warehouse file.")] = None,
    limit: Annotated[int, typer.Option(help="How many runs to list.")] = 10,
) -> None:
    """List recent runs recorded in the warehouse."""
    sql(
        "select run_id, started_at, status, as_of, n_files, rows_in, rows_loaded, "
        "rows_rejected, n_people, n_interactions, round(duration_s, 1) as seconds "
        f"from pipeline_runs order by started_at desc limit {int(limit)}",
        db=db,
    )


@app.command()
def export(
    parquet: Annotated[Path, typer.Option("--parquet", help="Folder to write the marts into.")],
    db: Annotated[Path | None, typer.Option(help="Warehouse file.")] = None,
) -> None:
    """Write every mart as Parquet (dated folder, `current` link) for BI tools."""
    from transforms.export import export_parquet

    target = db or paths.default_warehouse()
    if not target.exists():
        raise fail(f"no warehouse at {target}; run `kith run` first")
    written = export_parquet(target, parquet)
    console.print(f"wrote {written} (and {parquet / 'current'})", highlight=False)


@app.command()
def dashboard(
    db: Annotated[Path | None, typer.Option(help="Warehouse file.")] = None,
    port: Annotated[int, typer.Option(help="Local port.", min=1, max=65535)] = 8501,
) -> None:
    """Open the dashboard on http://127.0.0.1:PORT (read-only; survives nightly runs)."""
    import subprocess

    target = (db or paths.default_warehouse()).expanduser().absolute()
    if not target.exists():
        console.print(f"no warehouse at {target} yet: run `kith run` first", highlight=False)
    console.print(f"kith dashboard: http://127.0.0.1:{port}", highlight=False)
    env = os.environ | {"STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    command = [
        sys.executable, "-m", "streamlit", "run", "dashboards/app.py",
        "--server.address", "127.0.0.1", "--server.port", str(port),
        "--", "--db", str(target),
    ]  # fmt: skip
    # cwd = the checkout, so that its .streamlit/config.toml (headless, no usage stats) applies
    child = subprocess.Popen(command, cwd=paths.PROJECT_ROOT, env=env)
    try:
        code = child.wait()
    except KeyboardInterrupt:  # Ctrl-C reached streamlit too: let it finish shutting down
        code = child.wait()
    raise typer.Exit(code)


def main() -> None:
    """Console-script entry point."""
    os.umask(0o077)  # the warehouse, caches and Prefect's database are the owner's only
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
