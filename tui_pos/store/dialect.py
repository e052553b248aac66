"""The few SQL expressions that SQLite and PostgreSQL spell differently, for the report code.

A store's reports run on its SQLite file; head office runs the very same report functions on
the central PostgreSQL (`tui-pos report ... --central`). Everything else in the reports is
plain peewee; what the two engines write differently (dates, week numbers, time spans) is
here, chosen by the database the models are bound to at the moment the query is built.

The PostgreSQL forms keep every constant inline (no bound parameters): PostgreSQL matches a
GROUP BY expression with the selected one by its text, and two parameters of equal value
are two different expressions to it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from peewee import SQL, ColumnBase, NodeList, PostgresqlDatabase, Select, Value, fn

from tui_pos.store import models


def postgres() -> bool:
    """True while the models are bound to the central PostgreSQL."""
    return isinstance(models.database.obj, PostgresqlDatabase)


def among(field: ColumnBase, values: Sequence[Any]) -> Iterator[ColumnBase]:
    """`field IN values` as few statements as the engine takes: one array parameter in
    PostgreSQL (a chain's year can name 200,000 products; a statement holds 65,535 parameters),
    lists of 10,000 in SQLite (it takes 32,766)."""
    if postgres():
        yield NodeList((field, SQL("= ANY("), Value(list(values), unpack=False), SQL(")")))
        return
    for start in range(0, len(values), 10000):
        yield field.in_(values[start : start + 10000])


def _date(expr: ColumnBase) -> ColumnBase:
    # the local day: a timestamptz is read in the session's zone (the shop's, set on connect)
    return NodeList((SQL("CAST("), expr, SQL(" AS date)")), glue="")


def week(expr: ColumnBase) -> ColumnBase:
    """'2026-W47': the year and SQLite's %W week (weeks start on Monday; the days of a year
    before its first Monday are week 00), the same on both engines."""
    if not postgres():
        return fn.strftime("%Y-W%W", expr)
    date = _date(expr)
    # %W = (day of the year counted from 0 + 7 - weekday counted from Monday = 0) / 7
    number = NodeList(
        (
            SQL("((EXTRACT(DOY FROM "),
            date,
            SQL(")::int + 7 - EXTRACT(ISODOW FROM "),
            date,
            SQL(")::int) / 7)::text"),
        ),
        glue="",
    )
    return NodeList(
        (SQL("to_char("), date, SQL(", 'YYYY') || '-W' || lpad("), number, SQL(", 2, '0')")),
        glue="",
    )


def minutes_between(start: ColumnBase, end: ColumnBase) -> ColumnBase:
    """Minutes from `start` to `end` (a fraction; negative when `end` is earlier)."""
    if postgres():
        return NodeList((SQL("(EXTRACT(EPOCH FROM ("), end, SQL(" - "), start, SQL("))::float8 / 60)")), glue="")
    return NodeList((SQL("((julianday("), end, SQL(") - julianday("), start, SQL(")) * 1440)")), glue="")


def hours_between(start: ColumnBase, end: ColumnBase) -> ColumnBase:
    """Hours from `start` to `end` (a fraction)."""
    if postgres():
        return NodeList((SQL("(EXTRACT(EPOCH FROM ("), end, SQL(" - "), start, SQL("))::float8 / 3600)")), glue="")
    return NodeList((SQL("((julianday("), end, SQL(") - julianday("), start, SQL(")) * 24)")), glue="")


def medians(query: Select) -> dict[Any, float]:
    """The median value of each key of `query`, which selects (key AS k, value AS v): the middle
    value of a key's, or the mean of the middle two. PostgreSQL works it out (percentile_cont,
    so a chain's year of values never crosses the wire); SQLite hands them over to be sorted."""
    if postgres():
        values = query.alias("kv")
        middle = NodeList((SQL("percentile_cont(0.5) WITHIN GROUP (ORDER BY "), values.c.v, SQL(")")), glue="")
        rows = Select([values], [values.c.k, middle]).group_by(values.c.k).bind(models.database).tuples()
        return {key: float(value) for key, value in rows}
    grouped: dict[Any, list[float]] = {}
    text, params = query.sql()  # the plain cursor: peewee's row wrapper would cost more than SQLite
    for key, value in models.database.execute_sql(text, params):
        grouped.setdefault(key, []).append(value)
    out = {}
    for key, found in grouped.items():
        found.sort()
        half = len(found) // 2
        out[key] = found[half] if len(found) % 2 else (found[half - 1] + found[half]) / 2
    return out
