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

from peewee import SQL, ColumnBase, NodeList, PostgresqlDatabase, fn

from tui_pos.store import models


def postgres() -> bool:
    """True while the models are bound to the central PostgreSQL."""
    return isinstance(models.database.obj, PostgresqlDatabase)


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
