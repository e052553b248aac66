"""What crosses the wire between a store and head office: plain records, no database types.

The store's outbox hands `Change`s to the uploader; head office hands `HqChange`s down. Both
sides import these, so neither depends on the other's storage."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class Change:
    """One outbox row: a business row as it was written (local ids, SQLite's text values)."""

    seq: int  # the outbox row's id: upload order
    uid: str  # the change's own id: head office applies each change once
    table: str
    op: str  # "upsert" | "delete"
    row_uid: str  # the business row's uid
    data: dict[str, Any] = field(default_factory=dict)
    at: str = ""  # local time of the write, SQLite text


@dataclass(frozen=True)
class QueueStatus:
    unsent: int
    oldest_at: datetime | None  # local time of the oldest unsent change
    attempted_unsent: int  # sent to head office, acknowledgement not yet recorded


@dataclass(frozen=True)
class HqChange:
    """A head-office edit pulled down by a store: a product's price, a member level, a policy."""

    seq: int
    kind: str  # "product" | "level" | "policy"
    key: str  # barcode, level code, or [refund_policy] setting name
    data: dict[str, Any]
    at: datetime
