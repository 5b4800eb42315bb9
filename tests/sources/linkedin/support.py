"""What the LinkedIn reader tests share: the fixtures folder and small helpers over it."""

from __future__ import annotations

import zipfile
from pathlib import Path

from transforms.sources.linkedin.csv_text import decode_bytes

FIX = Path(__file__).resolve().parents[2] / "fixtures" / "linkedin"
EXPORT = FIX / "export_nested" / "Basic_LinkedInDataExport_01-02-2026"
IN = "https://www.linkedin.com/in/"


def read_fixture(reader, name: str):
    """A fixture file through one reader, as the registry would pass it; it must balance."""
    path = FIX / name
    parsed = reader(decode_bytes(path.read_bytes()), str(path))
    assert parsed.balanced
    return parsed


def rows_of(parsed, table: str) -> list[dict]:
    """The staged rows of one table of a Parsed, as dicts."""
    return parsed.tables[table].to_dicts()


def zip_from(folder: Path, dest: Path, prefix: str = "") -> Path:
    """A zip of `folder` at `dest`, members under `prefix`: one fixture tests zip and folder."""
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                zf.write(file, prefix + file.relative_to(folder).as_posix())
    return dest


def base_name(source_file: str) -> str:
    """The file name of a folder path or a zip member ("x.zip!dir/Name.csv")."""
    return source_file.rsplit("!", 1)[-1].rsplit("/", 1)[-1]


def by_kind(results):
    """Parsed results by kind ("linkedin:Connections.csv")."""
    return {p.kind: p for p in results}
