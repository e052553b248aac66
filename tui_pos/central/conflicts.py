"""The chain's conflicts: what head office refused of a store's upload (a refund above what was
left, a stored-value payment the balance did not cover, a duplicate card), and online claims and
debits never settled, for a manager to resolve with the money position in view.

A refused change is kept by apply.py. A refund claim or member hold older than an hour whose
refund or sale never arrived is listed too: the first listing records it as a conflict row (so
it has a number to resolve by), and one settled meanwhile is marked resolved by head office.
Resolving writes who, when and how into the row itself: the conflict is its own audit trail.
Resolving a stale claim releases its units; a stale hold gives the stored value and points back."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import peewee

from tui_pos.central.errors import guard
from tui_pos.central.refunds import local_time
from tui_pos.central.sql import one, run
from tui_pos.domain.chain import Conflict
from tui_pos.domain.errors import InvalidInput, NotFound
from tui_pos.i18n import tr

STALE = timedelta(hours=1)

_SELECT = (
    "SELECT c.id, c.store_no, COALESCE(cs.code, ''), c.kind, c.tbl, c.ref_no, c.error, c.amount, c.at, "
    "c.resolved_at, c.resolved_by, c.resolution, COALESCE(c.change_uid::text, ''), c.data "
    "FROM conflict c LEFT JOIN chain_store cs ON cs.no = c.store_no "
)


def _conflict(row: Any, zone: ZoneInfo | None) -> Conflict:
    data = row[13]
    loaded = json.loads(data) if isinstance(data, str) else dict(data or {})
    kind = str(row[3])
    change_uid = str(row[12])
    key = f"{kind}:{change_uid}" if kind in ("claim", "hold") and change_uid else str(row[0])
    return Conflict(
        id=int(row[0]),
        key=key,
        store_no=int(row[1]),
        store_code=str(row[2]),
        kind=kind,
        table=str(row[4]),
        ref_no=str(row[5]),
        error=str(row[6]),
        amount=int(row[7]),
        at=local_time(row[8], zone),
        resolved_at=local_time(row[9], zone),
        resolved_by=str(row[10] or ""),
        resolution=str(row[11] or ""),
        change_uid=change_uid,
        data=loaded,
    )


def record_stale(db: peewee.Database, *, stale_after: timedelta = STALE) -> None:
    """Claims and holds unsettled for longer than `stale_after` become conflict rows (once); those
    recorded before and settled since are marked resolved by head office."""
    run(db, "SELECT central_record_stale(%s)", (int(stale_after.total_seconds()),))


def conflicts(
    db: peewee.Database,
    store_no: int | None = None,
    open_only: bool = True,
    *,
    zone: ZoneInfo | None = None,
    stale_after: timedelta = STALE,
) -> list[Conflict]:
    """The chain's conflicts (or one store's: a store's sync fetches its own), oldest first;
    stale claims and holds among them. `open_only=False` adds the resolved ones."""
    where = []
    params: list[Any] = []
    if store_no is not None:
        where.append("c.store_no = %s")
        params.append(int(store_no))
    if open_only:
        where.append("c.resolved_at IS NULL")
    with guard(db), db.atomic():
        record_stale(db, stale_after=stale_after)
        rows = run(
            db, _SELECT + (f"WHERE {' AND '.join(where)} " if where else "") + "ORDER BY c.at, c.id", params
        ).fetchall()
    return [_conflict(r, zone) for r in rows]


def resolve_conflict(
    db: peewee.Database, conflict_id: int, by: str, resolution: str, *, zone: ZoneInfo | None = None
) -> Conflict:
    """Close conflict `conflict_id` with who resolved it and how; the row as it is now.

    A stale refund claim is released (its units can be refunded again); a stale hold gives the
    member back what it took. The row keeps the resolution: it is the audit of it."""
    who, note = by.strip(), resolution.strip()
    if not who:
        raise InvalidInput("Say who resolves the conflict (--by NAME)")
    if not note:
        raise InvalidInput("Say how the conflict was resolved (--note TEXT)")
    with guard(db), db.atomic():
        row = run(db, _SELECT + "WHERE c.id = %s FOR UPDATE OF c", (int(conflict_id),)).fetchone()
        if row is None:
            raise NotFound("No conflict {id} at head office: list them with tui-pos central conflicts", id=conflict_id)
        found = _conflict(row, zone)
        if found.resolved_at is not None:
            raise InvalidInput(
                "Conflict {id} was resolved already by {by}: {note}",
                id=conflict_id,
                by=found.resolved_by,
                note=found.resolution,
            )
        undone = ""
        if found.kind == "claim" and found.change_uid:
            gone = run(db, "DELETE FROM refund_claim WHERE uid = %s::uuid RETURNING qty", (found.change_uid,))
            if gone.fetchone() is not None:
                undone = tr(" (claim released: its units can be refunded again)")
        elif (
            found.kind == "hold"
            and found.change_uid
            and one(db, "SELECT central_release_hold(%s::uuid)", (found.change_uid,))
        ):
            undone = tr(" (the debit was given back to the member)")
        run(
            db,
            "UPDATE conflict SET resolved_at = now(), resolved_by = %s, resolution = %s WHERE id = %s",
            (who, note + undone, int(conflict_id)),
        )
        after = run(db, _SELECT + "WHERE c.id = %s", (int(conflict_id),)).fetchone()
    return _conflict(after, zone)
