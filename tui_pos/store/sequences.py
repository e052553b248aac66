"""Readable numbers (S01-20261122-0001: kind, store code, day, counter): one counter per kind,
store and day, taken inside the writing transaction, which holds the write lock from BEGIN, so two
tills never get the same; the store code keeps two stores of a chain apart on the same day."""

from __future__ import annotations

from datetime import date

from tui_pos.store import fast
from tui_pos.store.models import new_uid


def next_number(kind: str, day: date, prefix: str = "", *, store: str) -> str:
    """`store`: the store code; "" only for a shop that has none (the numbers before the chain)."""
    key = f"{prefix}{kind}{store.upper()}-{day:%Y%m%d}" if store else f"{prefix}{kind}{day:%Y%m%d}"
    run = fast.run  # on every sale and refund: plain statements, no query objects
    if not run("UPDATE sequence SET value = value + 1 WHERE key = ?", (key,)).rowcount:
        run("INSERT INTO sequence (uid, key, value) VALUES (?, ?, 1)", (new_uid(), key))
    value = run("SELECT value FROM sequence WHERE key = ?", (key,)).fetchone()[0]
    return f"{key}-{value:04d}"
