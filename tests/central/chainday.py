"""Stores of a chain for the head-office tests of issue 23: each store's own basics (its member
with a card and phone of its own), a sale of store 01, and a store's mirror of another store's
rows (the alias changes a store sends for its local copies)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tests.central.shopday import Outbox, open_shift, sale, store_basics

from tui_pos.central.apply import apply_changes, register_store
from tui_pos.domain.sync import Change

ZONE = ZoneInfo("Asia/Shanghai")
DAY = datetime(2026, 12, 1, 10)


def basics(code: str, *, balance: int = 0, points: int = 0) -> tuple[Outbox, int]:
    """A store's staff, products and member (card M0000<code>, its own phone), and an open shift."""
    out = Outbox()
    store_basics(out, code)
    member = next(c for c in out.changes if c.table == "member")
    member.data.update(card_no=f"M0000{code}", phone=f"138000{code}000", phone_tail=f"{code}000"[-4:])
    member.data.update(name=f"Member of {code}", balance=balance, points=points)
    out.rows[("member", 1)].update(member.data)
    shift = open_shift(out, DAY)
    return out, shift


def alias(out: Outbox, table: str, central_uid: str) -> int:
    """A mirror of another store's row made at this store: its local id, and the alias change."""
    local = out.next_id(table)
    out.changes.append(Change(len(out.changes) + 1, str(uuid.uuid4()), table, "alias", central_uid, {"id": local}, ""))
    return local


def after(out: Outbox) -> Outbox:
    """The same store's next upload (its ids and rows go on)."""
    return Outbox(uids=dict(out.uids), ids=dict(out.ids), rows={k: dict(v) for k, v in out.rows.items()})


def store_with_sale(db: Any, qty: int = 1) -> tuple[int, Outbox, int, str, str]:
    """Store 01 registered and uploaded with one sale of `qty` units of product 1:
    (store no, its outbox, shift id, the sale's uid, the line's uid)."""
    store = register_store(db, "01", "One")
    out, shift = basics("01")
    sale_id, (line_id,) = sale(out, shift, DAY + timedelta(minutes=1), [(1, qty)], order_no="S01-20261201-0001")
    apply_changes(db, store, out.changes, ZONE)
    return store, out, shift, out.uids[("sale", sale_id)], out.uids[("sale_line", line_id)]
