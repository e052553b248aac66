"""The outbox: every business write, as the row it left, waiting to go up to head office.

SQLite triggers fill it (AFTER INSERT / UPDATE / DELETE on every synced table), so no write path
can forget it and each change lands in its write's own transaction: a sale rolled back leaves no
change behind. The sync agent reads it in id order (`pending`), marks a batch attempted before the
central transaction and sent after its commit, so a crash between the two only sends a batch again
(head office applies each change once, by its uid).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from peewee import Database, Model

from tui_pos.domain.sync import Change, QueueStatus
from tui_pos.store import fast, models

# Local bookkeeping (store numbers, prices of head office) and print queues stay in the store.
LOCAL_ONLY: tuple[type[Model], ...] = (
    models.SchemaVersionRow,
    models.StoreRow,
    models.TillRow,
    models.SequenceRow,
    models.PrintJobRow,
)
SYNCED: tuple[type[Model], ...] = tuple(m for m in models.ALL_TABLES if m not in LOCAL_ONLY)

# A PIN's hash and its lockout never leave the store; the UPDATE trigger of staff fires only for
# the columns that are sent, so a failed log in is no change to upload.
PRIVATE_COLUMNS: dict[str, frozenset[str]] = {
    "staff": frozenset({"pin_hash", "failed_pins", "locked_until", "must_change_pin"}),
}
# Kept by the store's own triggers from other columns (product_search.py): a change of it alone is
# no change of the product, and would double every product written.
DERIVED_COLUMNS: dict[str, frozenset[str]] = {
    "product": frozenset({"search_key"}),
    "sale_line": frozenset({"refunded_elsewhere"}),  # head office's count, refreshed on each look-up
}
# Mirrors (another store's order or member copied here) never go up: head office has the original.
# A refund's payment of a mirrored order is this store's own money and does go up.
_MIRROR = "'elsewhere'"
MIRRORS_SKIPPED: dict[str, str] = {
    "sale": "{row}.status != " + _MIRROR,
    "sale_line": "(SELECT status FROM sale WHERE id = {row}.sale_id) IS NOT " + _MIRROR,
    "payment": "({row}.refund_id IS NOT NULL OR (SELECT status FROM sale WHERE id = {row}.sale_id) IS NOT "
    + _MIRROR
    + ")",
    "member": "{row}.origin_store = ''",
}

NEW_ID = "lower(hex(randomblob(16)))"  # 32 hex digits, which PostgreSQL's uuid type reads
NOW = "strftime('%Y-%m-%d %H:%M:%f', 'now', 'localtime')"

# local_authority asks after one sale among a month of changes (sent ones are kept 30 days):
# an index of the sale table's changes only costs a sale one entry, not one per row it writes
SALE_INDEX = "CREATE INDEX IF NOT EXISTS outbox_sale ON outbox (row_uid) WHERE tbl = 'sale'"
TABLES = (
    """CREATE TABLE IF NOT EXISTS outbox (
        id INTEGER PRIMARY KEY, uid TEXT NOT NULL, tbl TEXT NOT NULL, op TEXT NOT NULL,
        row_uid TEXT NOT NULL, data TEXT NOT NULL, at TEXT NOT NULL, attempted_at TEXT, sent_at TEXT)""",
    "CREATE INDEX IF NOT EXISTS outbox_unsent ON outbox (id) WHERE sent_at IS NULL",
    SALE_INDEX,
    "CREATE TABLE IF NOT EXISTS sync_state (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE IF NOT EXISTS hq_setting (
        key TEXT PRIMARY KEY, value TEXT NOT NULL, seq INTEGER NOT NULL, at TEXT NOT NULL)""",
)


def table_name(model: type[Model]) -> str:
    name: str = model._meta.table_name
    return name


def columns(model: type[Model]) -> list[str]:
    """The columns a change carries: all of the row's, less what stays in the store."""
    private = PRIVATE_COLUMNS.get(table_name(model), frozenset())
    return [f.column_name for f in model._meta.sorted_fields if f.column_name not in private]


def _json(model: type[Model], prefix: str) -> str:
    return "json_object(" + ", ".join(f"'{c}', {prefix}\"{c}\"" for c in columns(model)) + ")"


def _trigger_names(db: Database) -> list[str]:
    rows = fast.execute(
        db, "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'outbox\\_%' ESCAPE '\\'"
    )
    return [row[0] for row in rows]


def trigger_sql(model: type[Model]) -> list[str]:
    table = table_name(model)
    insert = f"INSERT INTO outbox (uid, tbl, op, row_uid, data, at) VALUES ({NEW_ID}, '{table}'"
    skipped = PRIVATE_COLUMNS.get(table, frozenset()) | DERIVED_COLUMNS.get(table, frozenset())
    if skipped:
        updated = [f.column_name for f in model._meta.sorted_fields if f.column_name not in skipped]
        of = " OF " + ", ".join(f'"{c}"' for c in updated)
    else:
        of = ""
    upsert = f"{insert}, 'upsert', NEW.uid, {_json(model, 'NEW.')}, {NOW}); END"
    delete = f"{insert}, 'delete', OLD.uid, '{{}}', {NOW}); END"
    skip = MIRRORS_SKIPPED.get(table)
    new = f" WHEN {skip.format(row='NEW')}" if skip else ""
    old = f" WHEN {skip.format(row='OLD')}" if skip else ""
    return [
        f'CREATE TRIGGER outbox_{table}_insert AFTER INSERT ON "{table}"{new} BEGIN {upsert}',
        f'CREATE TRIGGER outbox_{table}_update AFTER UPDATE{of} ON "{table}"{new} BEGIN {upsert}',
        f'CREATE TRIGGER outbox_{table}_delete AFTER DELETE ON "{table}"{old} BEGIN {delete}',
    ]


def alias(table: str, central_uid: str, local_id: int) -> None:
    """A mirrored row's local id, for head office to map this store's references to its row
    (a refund line of a mirrored sale line). Joins the mirror's own write transaction."""
    fast.run(
        f"INSERT INTO outbox (uid, tbl, op, row_uid, data, at) VALUES ({NEW_ID}, ?, 'alias', ?, ?, {NOW})",
        (table, central_uid, json.dumps({"id": local_id})),
    )


def create_tables(db: Database) -> bool:
    """The outbox and the sync bookkeeping; True when the outbox was not there before."""
    made = not fast.execute(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'outbox'").fetchone()
    for sql in TABLES:
        fast.execute(db, sql)
    return made


def create_triggers(db: Database) -> None:
    """Dropped and made again on every migrate: a later migration's columns join the changes."""
    drop_triggers(db)
    for model in SYNCED:
        for sql in trigger_sql(model):
            fast.execute(db, sql)


def drop_triggers(db: Database) -> None:
    for name in _trigger_names(db):
        fast.execute(db, f'DROP TRIGGER IF EXISTS "{name}"')


# A member's balance and points as they were before the moves that follow them in the queue:
# head office adds each uploaded stored-value and points move to the member (all but 'import',
# which the member's first row already holds), so a member queued with today's figures and then
# their history would be counted twice.
_OPENING = {
    "balance": "balance - (SELECT COALESCE(SUM(amount), 0) FROM stored_value_move m"
    " WHERE m.member_id = member.id AND m.reason != 'import')",
    "points": "points - (SELECT COALESCE(SUM(points), 0) FROM points_move m"
    " WHERE m.member_id = member.id AND m.reason != 'import')",
}


def backfill(db: Database) -> int:
    """Every row already there as an upsert, parents first (ALL_TABLES order, rows by id): a shop
    that joins a chain uploads its history. Members go with their opening balance and points
    (see _OPENING), so head office ends with what the shop has."""
    added = 0
    for model in SYNCED:
        table = table_name(model)
        data = _json(model, "")
        if table == "member":
            data = "json_set(" + data + "".join(f", '$.{c}', {sql}" for c, sql in _OPENING.items()) + ")"
        added += fast.execute(
            db,
            f"INSERT INTO outbox (uid, tbl, op, row_uid, data, at) SELECT {NEW_ID}, '{table}', 'upsert', uid,"
            f' {data}, {NOW} FROM "{table}" ORDER BY id',
        ).rowcount
    return added


def pending(limit: int) -> list[Change]:
    """Unsent changes, oldest first."""
    rows = fast.run(
        "SELECT id, uid, tbl, op, row_uid, data, at FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT ?", (limit,)
    ).fetchall()
    return [Change(seq, uid, tbl, op, row_uid, json.loads(data), at) for seq, uid, tbl, op, row_uid, data, at in rows]


def take_batch(limit: int) -> list[Change]:
    """Unsent changes, oldest first, marked attempted in the same write transaction: a refund
    either committed before (and rides in this batch) or runs after and finds its order's
    changes attempted, so head office holds it (see local_authority). Nothing slips between."""
    from tui_pos.store.db import write

    def take() -> list[Change]:
        changes = pending(limit)
        _stamp_now("attempted_at", [c.seq for c in changes])
        return changes

    return write(take)


def local_authority(sale_uid: str) -> bool:
    """True while every change of the sale is still unattempted: the store alone may refund it.
    Once an upload started (or the rows were pruned, so it went long ago) head office holds it.
    Call it inside the refund's own write transaction; a shop without [central] url never asks."""
    row = fast.run(
        "SELECT MIN(attempted_at IS NULL AND sent_at IS NULL) FROM outbox"
        " WHERE tbl = 'sale' AND row_uid = ? AND op != 'alias'",
        (sale_uid,),
    ).fetchone()
    return row is not None and row[0] == 1


def _stamp_now(column: str, seqs: Sequence[int]) -> None:
    at = datetime.now().isoformat(sep=" ", timespec="milliseconds")
    for start in range(0, len(seqs), 500):  # SQLite's limit on parameters
        part = list(seqs[start : start + 500])
        fast.run(f"UPDATE outbox SET {column} = ? WHERE id IN ({', '.join('?' for _ in part)})", (at, *part))


def _stamp(column: str, seqs: Sequence[int]) -> None:
    from tui_pos.store.db import write  # db makes the outbox: imported here, not at the top

    if not seqs:
        return

    write(lambda: _stamp_now(column, seqs))


def mark_attempted(seqs: Sequence[int]) -> None:
    """In its own short transaction, before the central one: the queue then knows these may
    already be at head office."""
    _stamp("attempted_at", seqs)


def mark_sent(seqs: Sequence[int]) -> None:
    """Only after head office's COMMIT returned."""
    _stamp("sent_at", seqs)


def queue_status() -> QueueStatus:
    count, oldest, attempted = fast.run(
        "SELECT COUNT(*), MIN(at), COUNT(attempted_at) FROM outbox WHERE sent_at IS NULL"
    ).fetchone()
    return QueueStatus(count, datetime.fromisoformat(oldest) if oldest else None, attempted)


def prune(older_than: datetime) -> int:
    """Sent changes sent before `older_than` go; unsent ones stay whatever their age. The count removed."""
    from tui_pos.store.db import write

    cutoff = older_than.isoformat(sep=" ", timespec="milliseconds")

    def remove() -> int:
        removed: int = fast.run("DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < ?", (cutoff,)).rowcount
        return removed

    return write(remove)


def state_get(key: str) -> str | None:
    row = fast.run("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def state_set(key: str, value: str) -> None:
    """Joins the caller's transaction if there is one (pulled_seq with the changes it pulled)."""
    from tui_pos.store.db import write

    write(
        lambda: fast.run(
            "INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
    )
