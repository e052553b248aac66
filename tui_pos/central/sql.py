"""One typed way to run SQL on head office's database (peewee's stubs leave execute_sql untyped)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import peewee


def run(db: peewee.Database, sql: str, params: Sequence[Any] | None = None) -> Any:
    """The cursor of `sql`; without params the text goes as written (psycopg would still read a
    '%' in a PL/pgSQL body as a placeholder, so it is doubled)."""
    if params is None:
        sql = sql.replace("%", "%%")
    return db.execute_sql(sql, params)  # type: ignore[no-untyped-call]


def one(db: peewee.Database, sql: str, params: Sequence[Any] | None = None) -> Any:
    """The first row's first value, None without a row."""
    row = run(db, sql, params).fetchone()
    return None if row is None else row[0]
