"""`kith` command line: run the nightly flow once, query the warehouse, generate data.

Prefect is configured before it is imported (flows/console.py): no telemetry, no logs
shipped to its database, a private PREFECT_HOME. Setting up nightly runs (init, doctor,
serve) is in flows/setup_cli.py, correcting people (`kith people`) in flows/people_cli.py.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from flows import setup_cli
from flows.console import ConfigOption, DbOption, console, fail, load_config, quiet_prefect
from flows.people_cli import people_app
from transforms import paths

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__.split("\n")[0])
app.add_typer(people_app, name="people")


@app.command()
def run(
    sources: Annotated[
        list[Path] | None,
        typer.Argument(help="LinkedIn export (zip/folder), mbox, .eml, or a folder of them."),
    ] = None,
    db: DbOption = None,
    owner_email: Annotated[
        list[str] | None, typer.Option("--owner-email", help="Your own address (repeatable).")
    ] = None,
    as_of: Annotated[
        str | None, typer.Option(help="Compute marts as of this date (YYYY-MM-DD).")
    ] = None,
    config_file: ConfigOption = None,
    full: Annotated[bool, typer.Option(help="Parse every file again, ignoring the cache.")] = False,
    ephemeral: Annotated[
        bool, typer.Option(help="Run on a temporary Prefect server instead of kith's lasting one.")
    ] = False,
    dask_address: Annotated[
        str | None,
        typer.Option(help="Parse on this Dask cluster (tcp://HOST:PORT of its scheduler)."),
    ] = None,
) -> None:
    """Run the nightly flow once and print the run report."""
    from transforms.lock import AlreadyRunning, run_lock
    from transforms.run import spec as run_spec
    from transforms.run import steps
    from transforms.sources.discover import NotAnExport

    try:
        as_of_date = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise fail(f"--as-of {as_of!r} is not a date like 2026-11-25") from None
    cfg = load_config(config_file)
    spec = run_spec.plan_run(cfg, sources, db, owner_email, as_of_date, full, dask_address)
    try:
        with run_lock(run_spec.lock_path()):
            try:  # fail fast, before paying for Prefect's start-up, when a path is no source
                steps.discover(spec)
            except NotAnExport as error:
                raise fail(str(error)) from None
            run_spec.remove_stale_builds(spec)
            result, seconds = _run_flow(spec, ephemeral)
    except AlreadyRunning as error:
        raise fail(str(error), code=3) from None
    _print_report(result, Path(spec.db), seconds)


def _use_lasting_server() -> None:
    """Point Prefect at kith's lasting server, starting it (once, said once) if it is down.
    A PREFECT_API_URL the user set wins: their own server is used as it is."""
    from flows import server

    if "PREFECT_API_URL" in os.environ:
        return
    with console.status("starting kith's Prefect server (once: it keeps running)…"):
        found, started = server.start()
    if started:
        console.print(
            f"started kith's Prefect server: its UI is at {found.ui_url} "
            "(it keeps running; `kith server stop` stops it)",
            highlight=False,
        )
    os.environ["PREFECT_API_URL"] = found.api_url


def _run_flow(spec, ephemeral: bool = False) -> tuple[dict, float]:
    """Run the flow on kith's lasting Prefect server (started if it is down), or on a
    temporary one with `--ephemeral`.

    A progress display follows the run folder from a thread of its own (the flow shares
    nothing with it): starting Prefect, parse units done so far, building the warehouse.
    """
    import threading

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from transforms.run.progress import progress
    from transforms.sources.discover import NotAnExport

    quiet_prefect()
    if ephemeral:
        os.environ.pop("PREFECT_API_URL", None)
    else:
        _use_lasting_server()
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
        task = bar.add_task("starting Prefect", total=None)

        def follow() -> None:
            while not done.wait(0.25):
                step, done_units, all_units = progress(spec)
                bar.update(task, description=step, completed=done_units, total=all_units or None)

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
            row["skipped_reason"] or row.get("note") or "",
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
    db: DbOption = None,
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
    calendar: Annotated[bool, typer.Option(help="Add a Takeout calendar (.ics).")] = False,
    address_book: Annotated[bool, typer.Option(help="Add Takeout contacts (.vcf).")] = False,
) -> None:
    """Write a synthetic network in real export formats, with its truth files."""
    from synthetic import generate as make

    result = make(
        people=people,
        seed=seed,
        out=out,
        noise=noise,
        body_bytes=body_bytes,
        calendar=calendar,
        address_book=address_book,
    )
    takeout = f", calendar and contacts in {result.takeout_dir.name}/" if result.takeout_dir else ""
    meetings = ", truth_meetings.csv" if result.calendar_paths else ""
    console.print(
        f"wrote {result.people} people ({result.truth_people} with counted contact) to {out}: "
        f"LinkedIn export in {result.linkedin_dir.name}/, mbox {result.mbox_path.name}"
        f"{takeout}, truth in {result.truth_path.name}, {result.truth_people_path.name}"
        f"{meetings}, {result.meta_path.name}",
        highlight=False,
    )


@app.command()
def runs(
    db: DbOption = None,
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
    db: DbOption = None,
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
    db: DbOption = None,
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


for command in (setup_cli.init, setup_cli.doctor, setup_cli.serve):
    app.command()(command)
app.add_typer(setup_cli.server_app, name="server")


def main() -> None:
    """Console-script entry point."""
    os.umask(0o077)  # the warehouse, caches and Prefect's database are the owner's only
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
