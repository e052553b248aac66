"""A store's SQLite shop uploaded to head office the way its sync agent does it: the outbox's
changes (tui_pos.store.outbox.pending), applied in batches by tui_pos.central.apply."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import peewee

from tui_pos.central.apply import apply_changes, register_store
from tui_pos.services.chain_reports import Store
from tui_pos.store import outbox

ZONE = "Asia/Shanghai"


def register(db: peewee.Database, code: str, name: str) -> Store:
    return Store(register_store(db, code, name), code, name)


def upload(db: peewee.Database, store: Store) -> int:
    """Everything the bound shop's outbox holds, in batches of 500, marked sent after each commit."""
    applied = 0
    while batch := outbox.pending(500):
        applied += apply_changes(db, store.no, batch, ZoneInfo(ZONE))
        outbox.mark_sent([c.seq for c in batch])
    return applied
