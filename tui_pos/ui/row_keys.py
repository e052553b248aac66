"""The till's tables key each row by its record's id (`key=str(id)`); this reads the id back.

Textual types a row key's value as optional, because a row may be added without one; ours never are.
"""

from __future__ import annotations

from textual.widgets.data_table import RowKey


def row_id(key: RowKey) -> int:
    """The record id a row was added with."""
    if key.value is None:
        raise ValueError("a table row was added without a key")
    return int(key.value)
