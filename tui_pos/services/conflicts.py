"""Head office's conflicts of this store at the till: what it refused of the store's upload (a
refund above what was left, stored value the balance did not cover, a duplicate member), for a
manager to resolve with the money in view.

The sync keeps a copy in the local `conflict` table (`keep`), so the list reads offline;
resolving is done at head office (its row is the chain's record) over the till's own line, then
the local copy and this store's audit trail record it in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from tui_pos.config import shop_zone
from tui_pos.domain.chain import Conflict
from tui_pos.domain.errors import InvalidInput, NotFound
from tui_pos.domain.staff import Staff, require
from tui_pos.services import head_office
from tui_pos.services.context import Context
from tui_pos.store import audit
from tui_pos.store.db import write
from tui_pos.store.models import ConflictRow

if TYPE_CHECKING:
    from peewee import Database

KEEP_RESOLVED = timedelta(days=30)  # resolved conflicts stay listed here this long after
OFFLINE = "Head office cannot be reached: conflicts are resolved there; try again when the link is back"


@dataclass(frozen=True)
class LocalConflict:
    id: int
    uid: str  # head office's conflict number
    kind: str
    ref_no: str
    detail: str  # what head office said
    amount: int  # cents (points for a points change)
    at: str
    resolved_at: str | None
    resolved_by: str | None
    resolution: str | None


def _when(at: datetime | None) -> str:
    return at.strftime("%Y-%m-%d %H:%M") if at is not None else ""


def keep(found: Sequence[Conflict], *, now: datetime | None = None) -> int:
    """Head office's conflicts of this store (open, and resolved within KEEP_RESOLVED) upserted
    into the local table by head office's number, in one transaction; how many were kept."""
    kept = [
        c
        for c in found
        if c.id > 0
        and (c.resolved_at is None or now is None or c.resolved_at.replace(tzinfo=None) >= now - KEEP_RESOLVED)
    ]

    def save() -> int:
        for c in kept:
            values = {
                "kind": c.kind,
                "ref_no": c.ref_no,
                "detail": c.error,
                "amount": c.amount,
                "at": _when(c.at),
                "resolved_at": _when(c.resolved_at) or None,
                "resolved_by": c.resolved_by or None,
                "resolution": c.resolution or None,
            }
            ConflictRow.insert(uid=str(c.id), **values).on_conflict(
                conflict_target=[ConflictRow.uid], update=values
            ).execute()
        return len(kept)

    return write(save) if kept else 0


def fetch(central: Database, ctx: Context, store_no: int) -> int:
    """This store's conflicts from head office into the local table (called by the sync)."""
    from tui_pos.central.conflicts import conflicts

    zone = shop_zone(ctx.config)
    found = conflicts(central, store_no, open_only=False, zone=zone)
    return keep(found, now=datetime.now(zone).replace(tzinfo=None))


def _local(row: ConflictRow) -> LocalConflict:
    return LocalConflict(
        id=row.id,
        uid=row.uid,
        kind=row.kind,
        ref_no=row.ref_no,
        detail=row.detail,
        amount=row.amount,
        at=row.at,
        resolved_at=row.resolved_at,
        resolved_by=row.resolved_by,
        resolution=row.resolution,
    )


def open_conflicts() -> list[LocalConflict]:
    """The open ones as the last sync left them, oldest first (works offline)."""
    rows = ConflictRow.select().where(ConflictRow.resolved_at.is_null()).order_by(ConflictRow.at, ConflictRow.id)
    return [_local(r) for r in rows]


def _find(conflict: int | str) -> ConflictRow:
    query = ConflictRow.id == conflict if isinstance(conflict, int) else ConflictRow.uid == str(conflict)
    row = ConflictRow.get_or_none(query)
    if row is None:
        raise NotFound("No conflict {id} at this till: the list shows those of the last sync", id=conflict)
    return row


def resolve(ctx: Context, actor: Staff, conflict: int | str, note: str) -> LocalConflict:
    """A manager closes the conflict at head office with a note; the local copy and the audit
    trail record it in one transaction. Online only: head office's row is the record."""
    require(actor, "resolve_conflict")
    note = note.strip()
    if not note:
        raise InvalidInput("Say how the conflict was resolved")
    row = _find(conflict)
    if row.resolved_at is not None:
        raise InvalidInput(
            "Conflict {id} was resolved already by {by}: {note}",
            id=row.uid,
            by=row.resolved_by or "",
            note=row.resolution or "",
        )
    from tui_pos.central.conflicts import resolve_conflict
    from tui_pos.central.errors import CentralDown

    by = f"{actor.name} ({ctx.config.store_code}/{actor.code})"
    zone = shop_zone(ctx.config)
    try:
        done = head_office.call(ctx, lambda db: resolve_conflict(db, int(row.uid), by, note, zone=zone))
    except CentralDown:
        raise InvalidInput(OFFLINE) from None

    def save() -> LocalConflict:
        ConflictRow.update(
            resolved_at=_when(done.resolved_at) or _when(datetime.now(zone)),
            resolved_by=done.resolved_by,
            resolution=done.resolution,
        ).where(ConflictRow.id == row.id).execute()
        audit.append(
            actor.code,
            "resolve_conflict",
            f"conflict:{row.uid}",
            {"kind": row.kind, "ref_no": row.ref_no, "amount": row.amount, "note": done.resolution},
        )
        return _local(ConflictRow.get_by_id(row.id))

    return write(save)
