"""A read-only look at a database file for `tui-pos doctor`.

It never creates, migrates or writes the file (open_database would do all three), so the
doctor can look at a damaged or too-new database and at one a till is using.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path


@dataclass(frozen=True)
class DatabaseLook:
    quick_check: str  # "ok", or SQLite's first complaint
    schema_version: int | None  # None: no schema_version table, so not a tui-pos database
    newest_sale: datetime | None  # by the till's clock when it was rung up


def look(path: Path) -> DatabaseLook:
    """Raises sqlite3.DatabaseError when the file is not an SQLite database at all."""
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)) as conn:
        quick = str(conn.execute("PRAGMA quick_check").fetchone()[0])
        version = _scalar(conn, "SELECT MAX(version) FROM schema_version")
        newest = _scalar(conn, "SELECT MAX(created_at) FROM sale")
    return DatabaseLook(quick, version if isinstance(version, int) else None, _when(newest))


def _scalar(conn: sqlite3.Connection, sql: str) -> object:
    try:
        row = conn.execute(sql).fetchone()
    except sqlite3.OperationalError:  # no such table
        return None
    return row[0] if row else None


def _when(value: object) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None
