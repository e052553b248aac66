"""The statements every sale and refund runs, without the ORM's SQL building on each call.

peewee composes a query's SQL text anew every time (about 0.1 ms for these wide tables, ten
times what SQLite needs to run it). Here the text is composed once per table and kept; the
values still go through each field's db_value, and the table and column names still come
from the models, so the two cannot drift apart.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from peewee import Database, Field, Model

from tui_pos.store.models import database

_AS_IS = (int, str, type(None))
_INSERTS: dict[type, tuple[str, list[Field], frozenset[str]]] = {}
_ADDS: dict[tuple[type, tuple[str, ...]], str] = {}
_UPDATES: dict[tuple[type, tuple[str, ...]], str] = {}


def _connection(model: type[Model]) -> sqlite3.Connection:
    """The sqlite3 connection itself: peewee's execute_sql adds a cursor, a log call and an
    exception wrapper per statement, about as much again as SQLite needs for these inserts.
    (store.db.write still sees SQLite's own OperationalError, e.g. 'database is locked'.)"""
    connection: sqlite3.Connection = model._meta.database.connection()
    return connection


def _default(field: Field) -> Any:
    return field.default() if callable(field.default) else field.default


def _db(field: Field, value: Any) -> Any:
    # ints, strings and None go to SQLite as they are (the column affinity does the rest);
    # the ignore: peewee's stubs leave Field.db_value untyped
    return value if type(value) in _AS_IS else field.db_value(value)  # type: ignore[no-untyped-call]


def insert(model: type[Model], **values: Any) -> int:
    """Model.create without the object: every column written (defaults for the rest); the new id."""
    cached = _INSERTS.get(model)
    if cached is None:
        fields = [f for f in model._meta.sorted_fields if f.name != "id"]
        columns = ", ".join(f'"{f.column_name}"' for f in fields)
        sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({", ".join("?" for _ in fields)})'
        cached = _INSERTS[model] = (sql, fields, frozenset(f.name for f in fields))
    sql, fields, names = cached
    if not names.issuperset(values):
        raise TypeError(f"{model.__name__} has no {', '.join(sorted(set(values) - names))}")
    params = [_db(f, values[f.name] if f.name in values else _default(f)) for f in fields]
    row_id = _connection(model).execute(sql, params).lastrowid
    assert row_id is not None  # set by every INSERT
    return row_id


def update(model: type[Model], row_id: int, **values: Any) -> None:
    """UPDATE ... SET column = value for one row, by id."""
    key = (model, tuple(values))
    sql = _UPDATES.get(key)
    if sql is None:
        sets = ", ".join(f'"{model._meta.fields[n].column_name}" = ?' for n in values)
        sql = _UPDATES[key] = f'UPDATE "{model._meta.table_name}" SET {sets} WHERE "id" = ?'
    fields = model._meta.fields
    _connection(model).execute(sql, [*(_db(fields[n], v) for n, v in values.items()), row_id])


def add(model: type[Model], row_id: int, **deltas: int) -> None:
    """UPDATE ... SET column = column + delta for one row (stock, points, balance)."""
    key = (model, tuple(deltas))
    sql = _ADDS.get(key)
    if sql is None:
        sets = ", ".join(
            f'"{model._meta.fields[n].column_name}" = "{model._meta.fields[n].column_name}" + ?' for n in deltas
        )
        sql = _ADDS[key] = f'UPDATE "{model._meta.table_name}" SET {sets} WHERE "id" = ?'
    _connection(model).execute(sql, [*deltas.values(), row_id])


def run(sql: str, params: tuple[Any, ...] = ()) -> sqlite3.Cursor:
    """A plain statement on the models' database, for the few reads every sale makes."""
    connection: sqlite3.Connection = database.connection()
    return connection.execute(sql, params)


def execute(db: Database, sql: str, params: tuple[Any, ...] | None = None) -> sqlite3.Cursor:
    """`db.execute_sql`, typed (peewee's stubs leave it untyped): DDL and migrations on the
    database being opened."""
    cursor: sqlite3.Cursor = db.execute_sql(sql, params)  # type: ignore[no-untyped-call]
    return cursor
