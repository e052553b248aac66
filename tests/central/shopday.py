"""A store's outbox as the SQLite triggers write it (local ids, text times, 0/1 booleans), made
up in the order a till writes: staff, products and a member first, then a shift, sales with
their lines, payments, stock moves and product updates, refunds, and the shift's close.

Used where a real store would be slow (the 30,000-change day) or where a test needs a change the
store would refuse to make (a payment after the Z)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from tui_pos.domain.sync import Change


def text(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


@dataclass
class Outbox:
    changes: list[Change] = field(default_factory=list)
    uids: dict[tuple[str, int], str] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)
    rows: dict[tuple[str, int], dict[str, Any]] = field(default_factory=dict)

    def next_id(self, table: str) -> int:
        self.ids[table] = self.ids.get(table, 0) + 1
        return self.ids[table]

    def upsert(self, table: str, row: dict[str, Any]) -> dict[str, Any]:
        key = (table, row["id"])
        uid = self.uids.setdefault(key, str(uuid.uuid4()))
        row = {**self.rows.get(key, {}), **row, "uid": uid}
        self.rows[key] = row
        self.changes.append(
            Change(
                seq=len(self.changes) + 1,
                uid=uuid.uuid4().hex,
                table=table,
                op="upsert",
                row_uid=uid,
                data=dict(row),
                at=text(datetime(2026, 12, 1, 9)),
            )
        )
        return row

    def insert(self, table: str, **values: Any) -> dict[str, Any]:
        return self.upsert(table, {"id": self.next_id(table), **values})

    def update(self, table: str, row_id: int, **values: Any) -> dict[str, Any]:
        return self.upsert(table, {"id": row_id, **values})


def store_basics(out: Outbox, code: str = "01") -> None:
    out.insert("staff", code="001", name="Cashier Li", name_en="", role="cashier", active=1, refund_limit=None)
    for n, (price, category) in enumerate([(350, "drinks"), (1299, "food"), (599, "stationery")], start=1):
        out.insert(
            "product",
            barcode=f"690{n}",
            name=f"Product {n}",
            name_en="",
            category=category,
            price=price,
            member_price=None,
            stock=100,
            refund_policy="",
            active=1,
            search_key="",
        )
    out.insert(
        "member",
        card_no="M000001",
        phone="13800001234",
        phone_tail="1234",
        name="张三",
        level="gold",
        points=0,
        balance=0,
        joined=text(datetime(2026, 1, 1, 9)),
    )


def open_shift(out: Outbox, at: datetime) -> int:
    row = out.insert(
        "shift",
        till_code="01",
        status="open",
        opened_by="001",
        opened_at=text(at),
        opening_float=50000,
        float_detail="",
        voids=0,
        closed_by="",
        closed_at=None,
        counted=None,
        counted_detail="",
        expected=None,
        note="",
        z_report="",
        training=0,
    )
    return int(row["id"])


def close_shift(out: Outbox, shift_id: int, at: datetime) -> None:
    out.update("shift", shift_id, status="closed", closed_by="001", closed_at=text(at), counted=0, expected=0)


def sale(
    out: Outbox, shift_id: int, at: datetime, lines: list[tuple[int, int]], *, order_no: str, member: bool = False
) -> tuple[int, list[int]]:
    """A completed sale of (product id, qty) lines paid in cash; (sale id, line ids)."""
    prices = {1: 350, 2: 1299, 3: 599}
    categories = {1: "drinks", 2: "food", 3: "stationery"}
    total = sum(prices[p] * qty for p, qty in lines)
    row = out.insert(
        "sale",
        order_no=order_no,
        till_code="01",
        staff_id=1,
        member_id=1 if member else None,
        status="completed",
        created_at=text(at),
        completed_at=text(at),
        subtotal=total,
        discount=0,
        total=total,
        change=0,
        points_earned=0,
        points_redeemed=0,
        training=0,
        shift_id=shift_id,
    )
    line_ids = []
    for n, (product, qty) in enumerate(lines, start=1):
        line = out.insert(
            "sale_line",
            sale_id=row["id"],
            line_no=n,
            product_id=product,
            barcode=f"690{product}",
            name=f"Product {product}",
            category=categories[product],
            qty=qty,
            list_price=prices[product],
            unit_price=prices[product],
            discount=0,
            paid=prices[product] * qty,
        )
        line_ids.append(int(line["id"]))
        stock = out.rows[("product", product)]["stock"] - qty
        out.update("product", product, stock=stock)
        out.insert(
            "stock_move", product_id=product, qty=-qty, reason="sale", sale_id=row["id"], refund_id=None, at=text(at)
        )
    out.insert(
        "payment",
        sale_id=row["id"],
        refund_id=None,
        tender="cash",
        amount=total,
        given=total,
        change=0,
        points=0,
        reference="",
        created_at=text(at),
        shift_id=shift_id,
    )
    if member:
        member_row = out.rows[("member", 1)]
        out.update("member", 1, points=member_row["points"] + total // 100)
    return int(row["id"]), line_ids


def refund(
    out: Outbox,
    shift_id: int,
    at: datetime,
    sale_id: int,
    lines: list[tuple[int, int, int]],
    *,
    refund_no: str,
    status: str = "completed",
) -> int:
    """A refund of (sale line id, product id, qty) lines, paid back in cash."""
    prices = {1: 350, 2: 1299, 3: 599}
    amount = sum(prices[p] * qty for _, p, qty in lines)
    row = out.insert(
        "refund",
        refund_no=refund_no,
        sale_id=sale_id,
        member_id=None,
        staff_id=1,
        approver_id=None,
        status="paid",
        reason="quality",
        note="",
        tender="cash",
        reference="",
        allowed=amount,
        amount=amount,
        fee=0,
        points_returned=0,
        points_reversed=0,
        no_receipt=0,
        override=0,
        training=0,
        policy_text="",
        approval_reasons="",
        reject_reason="",
        created_at=text(at),
        paid_at=text(at),
        completed_at=None,
        opened_at=text(at - timedelta(minutes=2)),
        exchange_sale_id=None,
        shift_id=shift_id,
        points_spent=0,
        spent_deducted=0,
        spent_policy="",
    )
    for line_id, product, qty in lines:
        out.insert(
            "refund_line",
            refund_id=row["id"],
            sale_line_id=line_id,
            product_id=product,
            name=f"Product {product}",
            qty=qty,
            amount=prices[product] * qty,
            disposition="restock",
        )
    out.insert(
        "payment",
        sale_id=None,
        refund_id=row["id"],
        tender="cash",
        amount=-amount,
        given=0,
        change=0,
        points=0,
        reference="",
        created_at=text(at),
        shift_id=shift_id,
    )
    out.insert("refund_event", refund_id=row["id"], at=text(at), staff_code="001", event="paid", note="")
    if status != "paid":
        out.update("refund", int(row["id"]), status=status, completed_at=text(at))
    return int(row["id"])


def busy_day(sales: int, refunds: int, *, day: datetime = datetime(2026, 12, 1), code: str = "01") -> Outbox:
    """A day of `sales` sales (1-3 lines each, every fifth by the member) and `refunds` refunds of
    earlier lines, in one shift closed at the end of the day."""
    out = Outbox()
    store_basics(out, code)
    start = day.replace(hour=8)
    shift_id = open_shift(out, start)
    sold: list[tuple[int, list[tuple[int, int, int]]]] = []
    for n in range(sales):
        at = start + timedelta(seconds=10 * (n + 1))
        lines = [(1 + (n + k) % 3, 1 + k) for k in range(1 + n % 3)]
        sale_id, line_ids = sale(
            out, shift_id, at, lines, order_no=f"S{code}-{day:%Y%m%d}-{n + 1:04d}", member=n % 5 == 0
        )
        sold.append((sale_id, [(line_ids[i], lines[i][0], lines[i][1]) for i in range(len(lines))]))
    for n in range(refunds):
        sale_id, lines = sold[n * max(1, sales // max(1, refunds))]
        at = start + timedelta(seconds=10 * (sales + 1) + n)
        refund(out, shift_id, at, sale_id, lines[:1], refund_no=f"R{code}-{day:%Y%m%d}-{n + 1:04d}")
    close_shift(out, shift_id, start + timedelta(hours=13, minutes=59))
    return out
