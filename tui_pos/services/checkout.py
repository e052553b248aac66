"""Completing and voiding sales.

In a chain, stored value and points are the chain's money: a sale paying with them is debited at
head office first (guarded there, so two stores paying at once never take a balance below zero)
under hold uids the sale's stored value and points moves then carry, and only then written
here; a failed local write tried again debits nothing twice. Without the link they are refused
and every other tender still pays. A shop of its own keeps them as ever, here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tui_pos.config import shop_zone
from tui_pos.domain.basket import Basket, points_earned
from tui_pos.domain.errors import InvalidInput, PaymentError
from tui_pos.domain.money import format_money
from tui_pos.domain.sales import PaymentView, SaleDetail, SaleLineView
from tui_pos.domain.staff import Staff, require
from tui_pos.domain.tenders import PaymentPlan, TenderKind
from tui_pos.services import head_office, printing, shifts
from tui_pos.services.context import Context
from tui_pos.store import audit, fast, member_mirror, queries
from tui_pos.store.db import write
from tui_pos.store.models import (
    MemberRow,
    PaymentRow,
    PointsMoveRow,
    ProductRow,
    SaleLineRow,
    SaleRow,
    StockMoveRow,
    StoredValueMoveRow,
    new_uid,
)
from tui_pos.store.sequences import next_number

if TYPE_CHECKING:
    from peewee import Database

    from tui_pos.domain.catalog import Member
    from tui_pos.domain.chain import CentralMember

MEMBER_TENDERS = (TenderKind.STORED_VALUE, TenderKind.POINTS)
OFFLINE = "Stored value and points need the link to head office: choose another tender"


@dataclass(frozen=True)
class SaleResult:
    sale_id: int
    order_no: str
    total: int
    change: int
    points_earned: int
    paid_cash: bool
    print_job_id: int


def new_plan(ctx: Context, basket: Basket, credit: int = 0) -> PaymentPlan:
    return PaymentPlan(basket.totals().total, basket.member, ctx.config.cents_per_point, credit=credit)


def member_tenders_ready(ctx: Context) -> None:
    """Before stored value or points is taken: in a chain, head office must answer (it holds the
    member's money); PaymentError with what to do when it does not. A shop of its own: always."""
    if not head_office.linked(ctx):
        return
    from tui_pos.central.errors import CentralDown
    from tui_pos.central.sql import one

    try:
        head_office.call(ctx, lambda db: one(db, "SELECT 1"))
    except CentralDown as exc:
        raise PaymentError(OFFLINE) from exc


def _debit_at_head_office(ctx: Context, member: Member | None, plan: PaymentPlan) -> CentralMember | None:
    """In a chain, the plan's stored value and points taken from the member at head office in one
    guarded debit, under the plan's hold uid (made here the first time, kept for a retry: head
    office debits a uid once); head office's member after it. None when nothing is debited there."""
    stored_value, points = plan.used(TenderKind.STORED_VALUE), plan.points_spent
    if member is None or not head_office.linked(ctx) or not (stored_value or points):
        return None
    from tui_pos.central.errors import CentralDown
    from tui_pos.central.members import debit_member

    member_uid = member_mirror.uid_of(member.id)
    if not plan.hold_uid:
        plan.hold_uid = new_uid()
    hold_uid = plan.hold_uid

    def debit(db: Database) -> CentralMember:
        number = head_office.store_no(ctx, db)
        return debit_member(
            db, number, member_uid, amount=stored_value, points=points, hold_uid=hold_uid, zone=shop_zone(ctx.config)
        )

    try:
        return head_office.call(ctx, debit)
    except CentralDown as exc:
        raise PaymentError(OFFLINE) from exc


def complete_sale(
    ctx: Context, actor: Staff, basket: Basket, plan: PaymentPlan, also: Callable[[int, datetime], None] | None = None
) -> SaleResult:
    """Record the whole sale in one transaction: sale, lines, payments, stock, points,
    stored value, audit entry and the queued receipt. Nothing is written unless all is.

    `also(sale_id, at)` runs inside the same transaction before the receipt is queued: an
    exchange records its refund there, so the two stand or fall together."""
    require(actor, "sell")
    totals = basket.totals()
    if not totals.lines:
        raise InvalidInput("The basket is empty")
    if plan.due != totals.total:
        raise PaymentError("Not fully paid: {due} still due", due=format_money(totals.total - plan.paid))
    plan.require_complete()
    member = basket.member
    stored_value = plan.used(TenderKind.STORED_VALUE)
    points_spent = plan.points_spent
    earned = (
        points_earned(totals.total - plan.used(TenderKind.POINTS), ctx.config.earn_points_per_yuan) if member else 0
    )
    chain = _debit_at_head_office(ctx, member, plan)  # head office's word on the money, first

    def record() -> SaleResult:
        now = ctx.now()
        if member is not None and chain is None:
            # Checked again under the write lock: another till may have spent it meanwhile.
            balance, points = queries.member_money(member.id)
            if balance < stored_value:
                raise PaymentError("Stored value balance is {balance}, not enough", balance=format_money(balance))
            # points below zero ([refund_policy] spent_points = "negative") stop only spending them
            if points_spent and points < points_spent:
                raise PaymentError("Member has {points} points, not enough", points=points)
        shift_id = shifts.open_shift_id(ctx)
        order_no = next_number("S", now.date(), ctx.config.order_prefix, store=ctx.config.store_code)
        # the hot path of the till: statements with their SQL kept (store/fast.py), no re-reading
        sale_id = fast.insert(
            SaleRow,
            order_no=order_no,
            till_code=ctx.config.till_code,
            staff=actor.id,
            member=member.id if member else None,
            status="completed",
            created_at=now,
            completed_at=now,
            subtotal=totals.subtotal,
            discount=totals.discount,
            total=totals.total,
            change=plan.change,
            points_earned=earned,
            points_redeemed=points_spent,
            training=ctx.config.training,
            shift=shift_id,
        )
        lines = []
        for line_no, line in enumerate(totals.lines, start=1):
            values: dict[str, Any] = dict(
                line_no=line_no,
                product_id=line.product.id,
                barcode=line.product.barcode,
                name=line.product.name,
                category=line.product.category,
                qty=line.qty,
                list_price=line.list_price,
                unit_price=line.unit_price,
                discount=line.discount,
                paid=line.net,
            )
            line_id = fast.insert(
                SaleLineRow, sale=sale_id, **{k if k != "product_id" else "product": v for k, v in values.items()}
            )
            lines.append(SaleLineView(line_id, **values, name_en=line.product.name_en))
            fast.add(ProductRow, line.product.id, stock=-line.qty)
            fast.insert(StockMoveRow, product=line.product.id, qty=-line.qty, reason="sale", sale=sale_id, at=now)
        for tender in plan.tenders:
            fast.insert(
                PaymentRow,
                sale=sale_id,
                tender=tender.kind.value,
                amount=tender.amount,
                given=tender.given,
                change=tender.change,
                points=tender.points,
                reference=tender.reference,
                created_at=now,
                shift=shift_id,
            )
        if member is not None:
            hold = plan.hold_uid if chain is not None else ""  # these moves settle head office's hold
            if stored_value:
                fast.insert(
                    StoredValueMoveRow,
                    uid=hold or new_uid(),
                    member=member.id,
                    amount=-stored_value,
                    reason="sale",
                    sale=sale_id,
                    at=now,
                )
            if points_spent:
                fast.insert(
                    PointsMoveRow,
                    uid=hold or new_uid(),
                    member=member.id,
                    points=-points_spent,
                    reason="redeem",
                    sale=sale_id,
                    at=now,
                )
            if earned:
                fast.insert(PointsMoveRow, member=member.id, points=earned, reason="earn", sale=sale_id, at=now)
            if chain is None:
                fast.add(MemberRow, member.id, balance=-stored_value, points=earned - points_spent)
            else:  # head office's figures after the debit, and the points earned here on top
                member_mirror.set_money(member.id, chain.balance, chain.points)
        audit.append(
            actor.code,
            "sale",
            order_no,
            {
                "total": totals.total,
                "tenders": {t.kind.value: t.amount for t in plan.tenders},
                "member": member.card_no if member else None,
            },
        )
        if also is not None:
            also(sale_id, now)
        detail = SaleDetail(
            id=sale_id,
            order_no=order_no,
            till_code=ctx.config.till_code,
            staff_code=actor.code,
            staff_name=actor.name,
            staff_name_en=actor.name_en,
            member_id=member.id if member else None,
            member_card=member.card_no if member else "",
            member_name=member.name if member else "",
            member_phone=member.phone if member else "",
            status="completed",
            created_at=now,
            subtotal=totals.subtotal,
            discount=totals.discount,
            total=totals.total,
            change=plan.change,
            points_earned=earned,
            points_redeemed=points_spent,
            training=ctx.config.training,
            lines=tuple(lines),
            payments=tuple(
                PaymentView(t.kind.value, t.amount, t.given, t.change, t.points, t.reference) for t in plan.tenders
            ),
        )
        job_id = printing.queue_receipt(ctx, detail)
        return SaleResult(sale_id, order_no, totals.total, plan.change, earned, plan.used(TenderKind.CASH) > 0, job_id)

    return write(record)


def void_basket(ctx: Context, actor: Staff, basket: Basket) -> None:
    """Throwing away a whole sale before payment leaves a trace, so voids can be reviewed."""
    require(actor, "void_sale")
    totals = basket.totals()
    if not totals.lines:
        raise InvalidInput("The basket is empty")

    def record() -> None:
        audit.append(
            actor.code,
            "void",
            "basket",
            {
                "total": totals.total,
                "lines": [[ln.product.barcode, ln.qty] for ln in totals.lines],
            },
        )
        shifts.count_void(ctx)

    write(record)
    basket.clear()


def sale_by_order_no(order_no: str) -> SaleDetail | None:
    return queries.sale_detail(order_no=order_no.strip())


def last_order_no(ctx: Context) -> str | None:
    """The newest sale of this till, for 'reprint last receipt' after a restart too."""
    return queries.last_order_no(ctx.config.till_code)
