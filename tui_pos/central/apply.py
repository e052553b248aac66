"""A store's upload, applied at head office: each change exactly once, a batch in one transaction.

`received` remembers every change's uid; a batch sent again (the store crashed after our commit,
before it marked the rows sent) finds its uids there and applies nothing twice. The new changes
go in as few statements as keeps their meaning: consecutive changes of one table become one
`INSERT ... SELECT FROM unnest(...) ON CONFLICT (uid) DO UPDATE`, and a change may join an
earlier statement of its table unless something between touches the same row, sale or member
(the daily totals read a sale's member level and a line's sale). The refund and shift checks do
not depend on the order (see schema.py), and foreign keys wait for the commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import peewee

from tui_pos.central import schema
from tui_pos.central.errors import guard
from tui_pos.central.schema import SPAN, Column, Table, q
from tui_pos.central.sql import one, run
from tui_pos.domain.sync import Change

# Changes that must keep their order relative to others sharing one of these: (key, column).
_KEYS: dict[str, tuple[tuple[str, str], ...]] = {
    "sale": (("sale", "id"), ("member", "member_id")),
    "sale_line": (("sale", "sale_id"),),
    "member": (("member", "id"),),
}
# Tables whose triggers see each state a row goes through: a second change of a row there is a
# statement of its own rather than replacing the first.
_EVERY_STATE = frozenset({"sale", "sale_line"})


def register_store(db: peewee.Database, code: str, name: str) -> int:
    """The store's number in the chain, the same on every call with its code; its views are made."""
    with guard(db):
        no = one(db, "SELECT central_register_store(%s, %s)", (code, name))
    return int(no)


def store_no_of(db: peewee.Database, code: str) -> int | None:
    with guard(db):
        no = one(db, "SELECT no FROM chain_store WHERE code = %s", (code,))
    return None if no is None else int(no)


def server_now(db: peewee.Database) -> datetime:
    """Head office's clock (UTC, aware): a store's clock is checked against it."""
    with guard(db):
        value = one(db, "SELECT now() AT TIME ZONE 'UTC'")
    assert isinstance(value, datetime)
    return value.replace(tzinfo=UTC)


def store_seen(db: peewee.Database, store_no: int, clock_skew_s: int | None) -> None:
    """Note the store's last contact and how far its clock was off (for `tui-pos central stores`)."""
    with guard(db):
        run(db, "SELECT central_store_seen(%s, %s)", (store_no, clock_skew_s))


@dataclass
class _Group:
    table: str
    op: str
    rows: dict[str, Change] = field(default_factory=dict)
    keys: set[tuple[str, Any]] = field(default_factory=set)
    barrier: bool = False


def _keys(change: Change) -> set[tuple[str, Any]]:
    keys: set[tuple[str, Any]] = {("row", change.row_uid)}
    for key, column in _KEYS.get(change.table, ()):
        value = change.data.get(column)
        if value is not None:
            keys.add((key, value))
    return keys


def plan(changes: Sequence[Change]) -> list[_Group]:
    """The statements, in order: each change joins the latest statement of its table and op
    unless a statement after it shares a key with the change."""
    groups: list[_Group] = []
    for change in changes:
        keys = _keys(change)
        if change.op == "delete":  # rare: nothing moves past a delete
            groups.append(_Group(change.table, "delete", {change.row_uid: change}, keys, barrier=True))
            continue
        target: _Group | None = None
        for group in reversed(groups):
            if group.table == change.table and group.op == change.op:
                if change.row_uid not in group.rows or change.table not in _EVERY_STATE:
                    target = group
                break
            if group.barrier or group.keys & keys:
                break
        if target is None:
            target = _Group(change.table, change.op)
            groups.append(target)
        target.rows[change.row_uid] = change  # a row's later change replaces its earlier one
        target.keys |= keys
    return groups


def _converter(column: Column, store_no: int, zone: ZoneInfo) -> Any:
    base = store_no * SPAN
    if column.kind in ("id", "fk"):
        return lambda v: None if v is None else base + int(v)
    if column.kind == "bool":
        return lambda v: None if v is None else bool(v)
    if column.kind == "int":
        return lambda v: None if v is None else int(v)
    if column.kind == "time":

        def when(v: Any) -> datetime | None:
            if v is None or v == "":
                return None
            moment = datetime.fromisoformat(str(v))
            return moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(UTC)

        return when
    return lambda v: None if v is None else str(v)


def _upsert(db: peewee.Database, table: Table, rows: Sequence[Change], store_no: int, zone: ZoneInfo) -> None:
    columns = table.columns
    values: list[list[Any]] = []
    for column in columns:
        if column.name == "uid":
            values.append([c.row_uid for c in rows])
            continue
        convert = _converter(column, store_no, zone)
        name, default = column.name, column.default
        values.append([convert(c.data.get(name, default)) for c in rows])
    names = ", ".join(q(c.name) for c in columns)
    arrays = ", ".join(f"%s::{c.array_type}" for c in columns)
    updates = ", ".join(f"{q(c.name)} = EXCLUDED.{q(c.name)}" for c in columns if c.name not in ("id", "uid"))
    run(
        db,
        f"INSERT INTO {q(table.name)} ({names}) SELECT * FROM unnest({arrays}) "
        f"ON CONFLICT (uid) DO UPDATE SET {updates}",
        values,
    )


def apply_changes(db: peewee.Database, store_no: int, changes: Sequence[Change], zone: ZoneInfo) -> int:
    """Apply one uploaded batch in one transaction; the number of changes not seen before.

    Times arrive as the store's local text and are stored as UTC instants read in `zone`; ids
    become `store_no * SPAN + local id`; 0/1 become booleans. A change of a table head office
    does not hold raises ValueError (nothing of the batch is kept)."""
    if not changes:
        return 0
    unknown = sorted({c.table for c in changes} - set(schema.BY_NAME))
    if unknown:
        raise ValueError(f"head office holds no table {', '.join(unknown)}: run tui-pos central migrate")
    with guard(db), db.atomic():
        run(db, "SELECT set_config('TimeZone', %s, true)", (zone.key,))  # the totals' days are the store's
        cursor = run(
            db,
            "INSERT INTO received (uid, store_no, seq) SELECT u, %s, s "
            "FROM unnest(%s::uuid[], %s::bigint[]) AS x(u, s) ON CONFLICT (uid) DO NOTHING RETURNING uid",
            (store_no, [c.uid for c in changes], [c.seq for c in changes]),
        )
        new = {row[0] for row in cursor.fetchall()}
        fresh: list[Change] = []
        for change in changes:
            key = uuid.UUID(change.uid)
            if key in new:
                new.discard(key)  # a uid twice in one batch is applied once
                fresh.append(change)
        for group in plan(fresh):
            table = schema.BY_NAME[group.table]
            rows = list(group.rows.values())
            if group.op == "delete":
                run(db, f"DELETE FROM {q(table.name)} WHERE uid = ANY(%s::text[])", ([c.row_uid for c in rows],))
            elif group.op == "upsert":
                _upsert(db, table, rows, store_no, zone)
            else:
                raise ValueError(f"unknown change {group.op!r} of {group.table}")
    return len(fresh)
