"""Other stores' orders at this store: the copy (a mirror) a refund of a foreign order works on,
and what the chain refunded of an order beyond this store's own refunds.

A mirror is a sale with status 'elsewhere' (every report, daily total and X/Z counts 'completed'
and skips it), `origin_store` = the selling store's code and head office's uids on the sale and
its lines; the outbox triggers skip it, and one 'alias' change per sale and line tells head office
this store's ids for them, so this store's refund of it lands against the selling store's sale.
Call these inside the caller's write transaction."""

from __future__ import annotations

from datetime import datetime

from tui_pos.domain.chain import CentralOrder
from tui_pos.store import fast, outbox
from tui_pos.store.models import (
    MemberRow,
    PaymentRow,
    ProductRow,
    SaleLineRow,
    SaleRow,
    StaffRow,
)
from tui_pos.store.refund_queries import LIVE_STATUSES

MIRROR_STATUS = "elsewhere"


def _own_units(sale_id: int) -> dict[int, int]:
    """Units of each line this store's live refunds hold."""
    marks = ", ".join("?" for _ in LIVE_STATUSES)
    rows = fast.run(
        "SELECT rl.sale_line_id, SUM(rl.qty) FROM refund_line rl JOIN refund r ON r.id = rl.refund_id"
        f" WHERE r.sale_id = ? AND r.status IN ({marks}) GROUP BY rl.sale_line_id",
        (sale_id, *LIVE_STATUSES),
    )
    return {int(line): int(qty) for line, qty in rows}


def refresh_elsewhere(sale_id: int, order: CentralOrder) -> None:
    """Each line's units refunded anywhere but here, as head office counts them now (its
    refund lines and open claims of every store, less this store's own)."""
    own = _own_units(sale_id)
    for line_id, uid in fast.run("SELECT id, uid FROM sale_line WHERE sale_id = ?", (sale_id,)).fetchall():
        try:
            central = order.line(str(uid)).refunded
        except KeyError:
            continue
        elsewhere = max(0, central - own.get(int(line_id), 0))
        fast.run("UPDATE sale_line SET refunded_elsewhere = ? WHERE id = ?", (elsewhere, int(line_id)))


def _product(barcode: str, name: str, category: str, price: int) -> int:
    """This store's product with the barcode, else a new inactive one (the goods come back here
    though this store never sold them: the refund's stock move needs a product)."""
    row = ProductRow.get_or_none(ProductRow.barcode == barcode)
    if row is not None:
        return int(row.id)
    return fast.insert(ProductRow, barcode=barcode, name=name, category=category, price=price, stock=0, active=False)


def keep(order: CentralOrder) -> int:
    """The order kept here (new mirror with its aliases, or refreshed): the local sale id.
    A sale of this store's own only has what others refunded refreshed."""
    found = fast.run("SELECT id FROM sale WHERE uid = ?", (order.uid,)).fetchone()
    if found is not None:
        sale_id = int(found[0])
        refresh_elsewhere(sale_id, order)
        return sale_id
    staff = StaffRow.select(StaffRow.id).order_by(StaffRow.id).first()  # a mirror names nobody here
    member = (
        MemberRow.select(MemberRow.id).where(MemberRow.uid == order.member_uid).first() if order.member_uid else None
    )
    sale_id = fast.insert(
        SaleRow,
        uid=order.uid,
        order_no=order.order_no,
        till_code="",
        staff=staff.id if staff is not None else None,
        member=member.id if member is not None else None,
        status=MIRROR_STATUS,
        origin_store=order.store_code,
        created_at=order.created_at or datetime.now().replace(microsecond=0),
        completed_at=order.created_at,
        subtotal=order.subtotal,
        discount=order.discount,
        total=order.total,
        points_earned=order.points_earned,
        points_redeemed=order.points_redeemed,
        training=order.training,
    )
    outbox.alias("sale", order.uid, sale_id)
    for line in order.lines:
        line_id = fast.insert(
            SaleLineRow,
            uid=line.uid,
            sale=sale_id,
            line_no=line.line_no,
            product=_product(line.barcode, line.name, line.category, line.unit_price),
            barcode=line.barcode,
            name=line.name,
            category=line.category,
            qty=line.qty,
            list_price=line.list_price,
            unit_price=line.unit_price,
            discount=line.discount,
            paid=line.paid,
            refunded_elsewhere=min(line.qty, line.refunded),
        )
        outbox.alias("sale_line", line.uid, line_id)
    for payment in order.payments:
        fast.insert(
            PaymentRow,
            sale=sale_id,
            tender=payment.tender,
            amount=payment.amount,
            reference=payment.reference,
            created_at=order.created_at or datetime.now().replace(microsecond=0),
        )
    return sale_id
