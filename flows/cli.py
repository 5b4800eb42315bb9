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

from transforms import paths

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__.split("\n")[0])
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
) -> None:
    """Run the nightly flow once and print the run report."""
    from transforms import pipeline
    from transforms.sources.discover import NotAnExport

    try:
        as_of_date = date.fromisoformat(as_of) if as_of else None
    except ValueError:
        raise fail(f"--as-of {as_of!r} is not a date like 2026-11-25") from None
    source_paths = sources or paths.default_sources()
    for path in source_paths:
        if not path.exists():
            raise fail(f"{path} does not exist")
    spec = pipeline.new_run(
        source_paths, db or paths.default_warehouse(), owner_email or [], as_of_date
    )
    try:  # fail fast, before paying for Prefect's start-up, when a path is no source at all
        pipeline.discover_inputs(spec)
    except NotAnExport as error:
        raise fail(str(error)) from None
    _quiet_prefect()
    spec_path = spec.save()
    started = time.perf_counter()
    with console.status("running the nightly flow…"):
        from flows.nightly import nightly

        try:
            result = nightly(str(spec_path))
        except NotAnExport as error:
            raise fail(str(error)) from None
    _print_report(result, Path(spec.db), time.perf_counter() - started)


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
    read = [f for f in files if f["kind"] != "skipped"]
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

    from transforms.warehouse import _connect_read_only

    target = db or paths.default_warehouse()
    if not target.exists():
        raise fail(f"no warehouse at {target}; run `kith run` first")
    con = _connect_read_only(target)
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
    from transforms.generate import generate as make

    result = make(people=people, seed=seed, out=out, noise=noise, body_bytes=body_bytes)
    console.print(
        f"wrote {result.people} people ({result.truth_people} with counted contact) to {out}: "
        f"LinkedIn export in {result.linkedin_dir.name}/, mbox {result.mbox_path.name}, "
        f"truth in {result.truth_path.name}, {result.truth_people_path.name}, "
        f"{result.meta_path.name}",
        highlight=False,
    )


def main() -> None:
    """Console-script entry point."""
    os.umask(0o077)  # the warehouse, caches and Prefect's database are the owner's only
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
