"""Readable numbers (S20261122-0001): one counter per kind and day, taken inside the
writing transaction, which holds the write lock from BEGIN, so two tills never get the same."""

from __future__ import annotations

from datetime import date

from tui_pos.store.models import SequenceRow


def next_number(kind: str, day: date, prefix: str = "") -> str:
    key = f"{prefix}{kind}{day:%Y%m%d}"
    updated = SequenceRow.update(value=SequenceRow.value + 1).where(SequenceRow.key == key).execute()
    if not updated:
        SequenceRow.create(key=key, value=1)
    value = SequenceRow.get(SequenceRow.key == key).value
    return f"{key}-{value:04d}"
