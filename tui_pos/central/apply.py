"""A store's upload, applied at head office: each change exactly once, a batch in one transaction.

`received` remembers every change's uid; a batch sent again (the store crashed after our commit,
before it marked the rows sent) finds its uids there and applies nothing twice. The new changes
go in as few statements as keeps their meaning: consecutive changes of one table become one
`INSERT ... SELECT FROM unnest(...) ON CONFLICT (uid) DO UPDATE`, and a change may join an
earlier statement of its table unless something between touches the same row, sale or member
(the daily totals read a sale's member level and a line's sale). The refund and shift checks do
not depend on the order (see schema.py), and foreign keys wait for the commit.

A batch a constraint refuses (a refund above what is left, a stored-value payment the balance
does not cover, a duplicate card) is applied again change by change, a savepoint each: a refused
change is kept in `conflict` for a manager (and in `received`, so it is not sent again), the rest
goes in. Nothing is dropped silently.

A store's copy of another store's row (a "mirror": an order looked up for a refund, a member) has
a local id of its own; the store sends an 'alias' change naming the central uid, and every id and
foreign key the store sends afterwards is mapped through its aliases before `store_no * SPAN + id`.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Sequence
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
    # a balance or points move applies on top of the member's first row: never before it
    "stored_value_move": (("member", "member_id"),),
    "points_move": (("member", "member_id"),),
}
# Tables whose triggers see each state a row goes through: a second change of a row there is a
# statement of its own rather than replacing the first (a member's first row sets its balance).
_EVERY_STATE = frozenset({"sale", "sale_line", "member"})
# Kept by head office's ledger triggers once the member is there: a store's upsert never sets them.
_LEDGER_COLUMNS: dict[str, frozenset[str]] = {"member": frozenset({"balance", "points"})}
# What a refused change is about, for the conflicts list.
_KIND = {
    "refund": "refund",
    "refund_line": "refund",
    "refund_tender": "refund",
    "refund_event": "refund",
    "stored_value_move": "stored_value",
    "points_move": "points",
    "member": "member",
    "payment": "payment",
    "cash_move": "payment",
    "sale": "sale",
    "sale_line": "sale",
}
# Errors of the data (a constraint or trigger refused a row), as opposed to a lost link.
REFUSALS: tuple[type[BaseException], ...] = (peewee.IntegrityError, peewee.InternalError, peewee.DataError)
Aliases = dict[tuple[str, int], int]


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


def _converter(column: Column, table: str, store_no: int, zone: ZoneInfo, aliases: Aliases) -> Any:
    base = store_no * SPAN
    if column.kind in ("id", "fk"):
        ref = table if column.kind == "id" else column.ref
        if aliases:

            def central_id(v: Any) -> int | None:
                if v is None:
                    return None
                local = int(v)
                return aliases.get((ref, local), base + local)

            return central_id
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


def _upsert(
    db: peewee.Database, table: Table, rows: Sequence[Change], store_no: int, zone: ZoneInfo, aliases: Aliases
) -> None:
    columns = table.columns
    values: list[list[Any]] = []
    for column in columns:
        if column.name == "uid":
            values.append([c.row_uid for c in rows])
            continue
        convert = _converter(column, table.name, store_no, zone, aliases)
        name, default = column.name, column.default
        values.append([convert(c.data.get(name, default)) for c in rows])
    names = ", ".join(q(c.name) for c in columns)
    arrays = ", ".join(f"%s::{c.array_type}" for c in columns)
    kept = {"id", "uid"} | _LEDGER_COLUMNS.get(table.name, frozenset())
    updates = ", ".join(f"{q(c.name)} = EXCLUDED.{q(c.name)}" for c in columns if c.name not in kept)
    run(
        db,
        f"INSERT INTO {q(table.name)} ({names}) SELECT * FROM unnest({arrays}) "
        f"ON CONFLICT (uid) DO UPDATE SET {updates}",
        values,
    )


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _local_refs(changes: Sequence[Change]) -> tuple[list[str], list[int]]:
    """Every (table, local id) the changes name, as two arrays for one alias query."""
    seen: set[tuple[str, int]] = set()
    for change in changes:
        for column in schema.BY_NAME[change.table].columns:
            if column.kind not in ("id", "fk"):
                continue
            value = change.data.get(column.name)
            if value is not None:
                seen.add((change.table if column.kind == "id" else column.ref, int(value)))
    return [t for t, _ in seen], [i for _, i in seen]


def _aliases(db: peewee.Database, store_no: int, changes: Sequence[Change]) -> Aliases:
    """The store's aliases for the ids these changes name (most stores have none)."""
    if not changes or not one(db, "SELECT EXISTS (SELECT 1 FROM id_alias WHERE store_no = %s)", (store_no,)):
        return {}
    tables, ids = _local_refs(changes)
    rows = run(
        db,
        "SELECT a.tbl, a.local_id, a.central_id FROM id_alias a "
        "JOIN unnest(%s::text[], %s::bigint[]) AS x(t, i) ON a.tbl = x.t AND a.local_id = x.i "
        "WHERE a.store_no = %s",
        (tables, ids, store_no),
    ).fetchall()
    return {(str(t), int(local)): int(central) for t, local, central in rows}


def _alias(db: peewee.Database, store_no: int, change: Change) -> str | None:
    """Map the store's local id of a mirrored row to head office's row; why not, when it cannot."""
    local = change.data.get("id")
    central = one(db, "SELECT central_id_of(%s, %s)", (change.table, change.row_uid))  # another store's row
    if central is None or local is None:
        return f"head office has no {change.table} {change.row_uid} for the store's copy (local id {local})"
    run(
        db,
        "INSERT INTO id_alias (store_no, tbl, local_id, central_id) VALUES (%s, %s, %s, %s) "
        "ON CONFLICT (store_no, tbl, local_id) DO UPDATE SET central_id = EXCLUDED.central_id",
        (store_no, change.table, int(local), int(central)),
    )
    return None


def record_conflict(
    db: peewee.Database,
    store_no: int,
    *,
    kind: str,
    error: str,
    change_uid: str | None = None,
    table: str = "",
    ref_no: str = "",
    amount: int = 0,
    data: dict[str, Any] | None = None,
) -> None:
    """Keep a refused change (or an unsettled claim or hold) for a manager; once per change uid."""
    run(
        db,
        "INSERT INTO conflict (store_no, change_uid, kind, tbl, ref_no, data, error, amount) "
        "VALUES (%s, %s::uuid, %s, %s, %s, %s::jsonb, %s, %s) ON CONFLICT (change_uid) DO NOTHING",
        (store_no, change_uid, kind, table, ref_no, json.dumps(data or {}, ensure_ascii=False), error, amount),
    )


def _position(db: peewee.Database, change: Change, store_no: int, aliases: Aliases) -> tuple[str, int]:
    """The money position of a refused change: (order, refund or card no., cents or points)."""
    d = change.data

    def central(ref: str, value: Any) -> int | None:
        return None if value is None else aliases.get((ref, int(value)), store_no * SPAN + int(value))

    def lookup(sql: str, ref: str, value: Any) -> str:
        key = central(ref, value)
        found = None if key is None else one(db, sql, (key,))
        return "" if found is None else str(found)

    def cents(name: str) -> int:
        value = d.get(name)
        return int(value) if isinstance(value, int) else 0

    refund_no = "SELECT refund_no FROM refund WHERE id = %s"
    order_no = "SELECT order_no FROM sale WHERE id = %s"
    card_no = "SELECT card_no FROM member WHERE id = %s"
    table = change.table
    if table == "refund":
        return str(d.get("refund_no") or ""), cents("amount")
    if table in ("refund_line", "refund_tender", "refund_event"):
        return lookup(refund_no, "refund", d.get("refund_id")), cents("amount")
    if table == "sale":
        return str(d.get("order_no") or ""), cents("total")
    if table == "sale_line":
        return lookup(order_no, "sale", d.get("sale_id")), cents("paid")
    if table == "payment":
        if d.get("refund_id") is not None:
            return lookup(refund_no, "refund", d.get("refund_id")), cents("amount")
        return lookup(order_no, "sale", d.get("sale_id")), cents("amount")
    if table == "stored_value_move":
        return lookup(card_no, "member", d.get("member_id")), cents("amount")
    if table == "points_move":
        return lookup(card_no, "member", d.get("member_id")), cents("points")
    if table == "member":
        return str(d.get("card_no") or ""), cents("balance")
    return "", cents("amount")


def _refuse(db: peewee.Database, store_no: int, change: Change, error: str, aliases: Aliases) -> None:
    ref_no, amount = _position(db, change, store_no, aliases)
    record_conflict(
        db,
        store_no,
        kind="alias" if change.op == "alias" else _KIND.get(change.table, "refused"),
        error=error,
        change_uid=change.uid,
        table=change.table,
        ref_no=ref_no,
        amount=amount,
        data={"op": change.op, "row_uid": change.row_uid, "seq": change.seq, "row": change.data},
    )


def _apply(
    db: peewee.Database,
    table_name: str,
    op: str,
    rows: Sequence[Change],
    store_no: int,
    zone: ZoneInfo,
    aliases: Aliases,
) -> None:
    table = schema.BY_NAME[table_name]
    if op == "delete":
        run(db, f"DELETE FROM {q(table.name)} WHERE uid = ANY(%s::text[])", ([c.row_uid for c in rows],))
    elif op == "upsert":
        _upsert(db, table, rows, store_no, zone, aliases)
    else:
        raise ValueError(f"unknown change {op!r} of {table_name}")


def _check_now(db: peewee.Database) -> None:
    """Run the deferred checks (foreign keys, refunded <= sold) here, inside the savepoint, so a
    refusal is caught now and not at a commit that may be the caller's."""
    run(db, "SET CONSTRAINTS ALL IMMEDIATE")
    run(db, "SET CONSTRAINTS ALL DEFERRED")


def _attempt(db: peewee.Database, step: Callable[[], None]) -> str | None:
    """Run `step` in a savepoint with its checks; the refusal's first line, or None."""
    try:
        with db.atomic():
            step()
            _check_now(db)
    except REFUSALS as exc:
        return _first_line(exc)
    return None


def _one_by_one(db: peewee.Database, store_no: int, rows: Sequence[Change], zone: ZoneInfo, aliases: Aliases) -> None:
    """The batch again, each change in a savepoint of its own: the refused ones become conflicts.
    A change refused for want of a parent that came later in the batch gets a second go, unless
    a later change of the same row went in meanwhile (it would be overwritten by older data)."""

    def step(change: Change) -> Callable[[], None]:
        return lambda: _apply(db, change.table, change.op, [change], store_no, zone, aliases)

    failed: list[tuple[int, Change, str]] = []
    applied_at: dict[str, int] = {}
    for position, change in enumerate(rows):
        error = _attempt(db, step(change))
        if error is None:
            applied_at[change.row_uid] = position
        else:
            failed.append((position, change, error))
    for position, change, error in failed:
        if applied_at.get(change.row_uid, -1) < position:
            error = _attempt(db, step(change)) or ""
            if not error:
                continue
        _refuse(db, store_no, change, error, aliases)


def apply_changes(db: peewee.Database, store_no: int, changes: Sequence[Change], zone: ZoneInfo) -> int:
    """Apply one uploaded batch in one transaction; the number of changes not seen before.

    Times arrive as the store's local text and are stored as UTC instants read in `zone`; ids
    become `store_no * SPAN + local id` (or the central row the store's alias names); 0/1 become
    booleans. A change of a table head office does not hold raises ValueError (nothing of the
    batch is kept); a change a constraint refuses becomes a conflict and the rest is applied."""
    if not changes:
        return 0
    unknown = sorted({c.table for c in changes} - set(schema.BY_NAME))
    if unknown:
        raise ValueError(f"head office holds no table {', '.join(unknown)}: run tui-pos central migrate")
    odd = sorted({c.op for c in changes} - {"upsert", "delete", "alias"})
    if odd:
        raise ValueError(f"unknown change {', '.join(odd)}: this tui-pos at head office is older than the store's")
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
        rows = [c for c in fresh if c.op != "alias"]
        for change in fresh:  # a mirror is made before anything of the store refers to it
            if change.op == "alias":
                error = _alias(db, store_no, change)
                if error:
                    _refuse(db, store_no, change, error, {})
        aliases = _aliases(db, store_no, rows)

        def everything() -> None:
            for group in plan(rows):
                _apply(db, group.table, group.op, list(group.rows.values()), store_no, zone, aliases)

        if rows and _attempt(db, everything) is not None:
            _one_by_one(db, store_no, rows, zone, aliases)
    return len(fresh)
