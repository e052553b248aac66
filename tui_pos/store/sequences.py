"""Readable numbers (S20261122-0001): one counter per kind and day, taken inside the
writing transaction, which holds the write lock from BEGIN, so two tills never get the same."""

from __future__ import annotations

from datetime import date

from tui_pos.store import fast
from tui_pos.store.models import new_uid


def next_number(kind: str, day: date, prefix: str = "") -> str:
    key = f"{prefix}{kind}{day:%Y%m%d}"
    run = fast.run  # on every sale and refund: plain statements, no query objects
    if not run("UPDATE sequence SET value = value + 1 WHERE key = ?", (key,)).rowcount:
        run("INSERT INTO sequence (uid, key, value) VALUES (?, ?, 1)", (new_uid(), key))
    value = run("SELECT value FROM sequence WHERE key = ?", (key,)).fetchone()[0]
    return f"{key}-{value:04d}"
