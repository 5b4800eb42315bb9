"""Parse units: the pieces of parse work, one Prefect task each.

An input (a LinkedIn export, an mbox, a Maildir, ...) is one unit, except a big plain
mbox, which is cut into byte ranges at message starts (about `RANGE_BYTES` each), so that
its parse spreads over Prefect's task runner and its memory stays that of one range. A
unit names its files and the folder its Parquet goes to, and needs nothing else: it runs
the same in the flow's process, in a process of Prefect's ProcessPoolTaskRunner, or on a
Dask worker of another machine (which then needs the input files and that folder at the
same paths). It returns a `UnitResult`: the stats of the files it read, no data.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from transforms import schemas
from transforms.rejects import Parsed, whole_file
from transforms.sources import formats, linkedin
from transforms.sources.discover import Input
from transforms.sources.mail import eml, maildir, mbox

#: In the flow's process, a plain mbox of at least two ranges' size is cut into ranges of
#: about this many bytes: the run's memory is then that of one range, whatever the file.
RANGE_BYTES = 64 << 20
#: On a process pool or a cluster each range is a task whose own cost (a task run, a
#: worker's Parquet files) is ~0.1-0.25 s: ranges there are a share of the work per
#: worker, between RANGE_BYTES and this, so that tasks stay few and workers stay busy.
MAX_RANGE_BYTES = 256 << 20
#: Below this much parse work, Prefect's process pool costs more than it saves: its workers
#: are fresh processes (spawned) that import Prefect, polars and DuckDB (3-4 s on a 2-core
#: machine), and n workers save (1 - 1/n) of the parse, at ~400 MB/s a core. On 2 cores
#: that pays from about 3 GB. `[run] process_pool_min_mb` in kith.toml changes it.
POOL_MIN_MB = 4096

FileStat = dict  # the FILE_STATS columns of one file (JSON-able: Prefect returns it)


#: How each kind of input is read whole: every reader returns one Parsed per file.
def _linkedin(item: Input) -> list[Parsed]:
    return linkedin.read_linkedin_export(item.path)


def _mbox(item: Input) -> list[Parsed]:
    return [mbox.read_mbox(item.path, folder=item.folder)]


def _eml(item: Input) -> list[Parsed]:
    return [eml.read_eml(item.path, folder=item.folder)]


def _maildir(item: Input) -> list[Parsed]:
    return [maildir.read_maildir(item.path)]


def _calendar(item: Input) -> list[Parsed]:
    # Imported when a calendar is read: icalendar and its expander cost a third of a
    # second, and most nights read no calendar (unchanged inputs come from the cache).
    from transforms.sources import calendar

    return [calendar.read_calendar(item.path, _horizon(item), item.bots)]


def _vcard(item: Input) -> list[Parsed]:
    from transforms.sources import vcard  # as for calendars: vobject only when needed

    return [vcard.read_vcards(item.path)]


READERS: dict[str, Callable[[Input], list[Parsed]]] = {
    "linkedin": _linkedin,
    "mbox": _mbox,
    "eml": _eml,
    "maildir": _maildir,
    "calendar": _calendar,
    "vcard": _vcard,
}


def _horizon(item: Input) -> date:
    """The run's expansion horizon for a calendar (set at discovery), else today's."""
    if item.horizon:
        return date.fromisoformat(item.horizon)
    return formats.horizon_for(datetime.now(UTC).date())


@dataclass(frozen=True)
class Unit:
    """One parse task: a whole input, or the byte range [start, stop) of a plain mbox."""

    index: int  # the input's position in the run
    part: int  # the unit's position within its input
    item: Input
    out_dir: str  # where its Parquet goes: the input's cache entry while it is built
    start: int | None = None
    stop: int | None = None  # None: to the end of the file
    size: int = 0  # bytes it reads (for choosing where it runs)

    @property
    def is_range(self) -> bool:
        return self.start is not None


@dataclass
class UnitResult:
    index: int
    part: int
    stats: list[FileStat] = field(default_factory=list)  # one per file, in file order


def placement(total_bytes: int, dask_address: str, pool_min_bytes: int) -> str:
    """Where a run's parse units go: `dask` (a cluster address is configured),
    `process_pool` (enough work to pay for the pool), or `in_process`."""
    if dask_address:
        return "dask"
    if total_bytes >= pool_min_bytes:
        return "process_pool"
    return "in_process"


def range_bytes(where: str, total_bytes: int, workers: int) -> int:
    """How big the byte ranges of a big mbox are, for where the units run."""
    if where == "in_process":
        return RANGE_BYTES
    return min(max(total_bytes // max(workers, 1), RANGE_BYTES), MAX_RANGE_BYTES)


def input_size(item: Input) -> int:
    """Bytes an input holds (a folder: all its files)."""
    path = item.path
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def cut(
    index: int,
    item: Input,
    out_dir: Path,
    start: int | None = None,
    target: int | None = None,
) -> list[Unit]:
    """The units of one input: a plain mbox of at least two `target`-sized ranges (default
    RANGE_BYTES) in ranges, anything else whole. `start` (an appended mbox) reads only
    from that offset on."""
    target = target or RANGE_BYTES
    size = input_size(item)
    if start is not None:
        return [Unit(index, 0, item, str(out_dir), start, None, size - start)]
    if item.kind != "mbox" or size < 2 * target or not mbox.is_plain_mbox(item.path):
        return [Unit(index, 0, item, str(out_dir), size=size)]
    cuts = mbox.range_cuts(item.path, target)
    ends = [*cuts[1:], size]
    return [
        Unit(index, part, item, str(out_dir), begin, end if end < size else None, end - begin)
        for part, (begin, end) in enumerate(zip(cuts, ends, strict=True))
    ]


def read(unit: Unit) -> list[Parsed]:
    """Parse what the unit names. A reader crash on an input refuses that input only."""
    item = unit.item
    reader = READERS.get(item.kind)
    if reader is None:
        raise ValueError(f"unknown input kind {item.kind}")
    try:
        if unit.is_range:
            return [mbox.read_mbox_range(item.path, unit.start or 0, unit.stop, item.folder)]
        return reader(item)
    except Exception as err:  # noqa: BLE001 - one bad file must not stop the night
        return [whole_file(item.path, f"unreadable ({type(err).__name__})", kind=item.kind)]


def part_name(table: str, part: int) -> str:
    """The Parquet file of one table from one unit (`stg_email_messages.00003.parquet`)."""
    return f"{table}.{part:05d}.parquet"


def write_tables(folder: Path, result: Parsed, part: int = 0) -> None:
    """One parsed file's staged tables and rejects as Parquet files in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for table, frame in result.tables.items():
        schemas.conform(frame, schemas.STAGED[table]).write_parquet(folder / part_name(table, part))
    result.rejects.write_parquet(folder / part_name("rejects", part))


def file_stat(result: Parsed, parse_seconds: float) -> FileStat:
    """The run report's row for one parsed file."""
    return {
        "source_file": result.source_file,
        "kind": result.kind,
        "rows_in": result.rows_in,
        "rows_loaded": result.rows_loaded,
        "rows_rejected": result.rows_rejected,
        "skipped_reason": result.skipped_reason,
        "note": result.note,
        "parse_seconds": round(parse_seconds, 4),
        "is_cached": False,
    }


def result_path(out_dir: Path, part: int) -> Path:
    """Where a finished unit leaves its result (progress is read from these)."""
    return out_dir / f"unit-{part:05d}.json"


def run_unit(unit: Unit) -> UnitResult:
    """Parse one unit into Parquet under its folder (one sub-folder per file)."""
    started = time.perf_counter()
    parsed = read(unit)
    out = Path(unit.out_dir)
    for n, result in enumerate(parsed):
        write_tables(out / f"{n:04d}", result, unit.part)
    seconds = (time.perf_counter() - started) / max(len(parsed), 1)
    done = UnitResult(unit.index, unit.part, [file_stat(r, seconds) for r in parsed])
    result_path(out, unit.part).write_text(json.dumps(asdict(done)), encoding="utf-8")
    return done
