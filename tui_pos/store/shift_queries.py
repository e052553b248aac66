"""Sums for shift reports, in SQL: one indexed pass per figure, however busy the shift was."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import cast

from peewee import JOIN, Case, fn

from tui_pos.domain.shift import ShiftReport, TenderTotals
from tui_pos.store import fast
from tui_pos.store.models import CashMoveRow, PaymentRow, RefundRow, SaleRow, ShiftRow

PAID = ("paid", "completed")


def open_shift(till_code: str) -> ShiftRow | None:
    shift_id = open_shift_id(till_code)
    return ShiftRow.get_by_id(shift_id) if shift_id is not None else None


def open_shift_id(till_code: str) -> int | None:
    """The open shift's id alone: asked on every sale, so without building a query object."""
    row = fast.run(
        "SELECT id FROM shift WHERE till_code = ? AND status = 'open' ORDER BY id DESC LIMIT 1", (till_code,)
    ).fetchone()
    return row[0] if row else None


def tender_totals(shift_id: int) -> tuple[TenderTotals, ...]:
    refund = PaymentRow.refund.is_null(False)
    rows = cast(
        "Iterable[tuple[str, int | None, int | None]]",
        PaymentRow.select(
            PaymentRow.tender,
            fn.SUM(Case(None, [(refund, 0)], PaymentRow.amount)).alias("sales"),
            fn.SUM(Case(None, [(refund, PaymentRow.amount * -1)], 0)).alias("refunds"),
        )
        .where(PaymentRow.shift == shift_id)
        .group_by(PaymentRow.tender)
        .order_by(PaymentRow.tender)
        .tuples(),
    )
    return tuple(TenderTotals(tender, sales or 0, refunds or 0) for tender, sales, refunds in rows)


def cash_moves(shift_id: int) -> tuple[tuple[str, int, str], ...]:
    rows = cast(
        "Iterable[tuple[str, int, str]]",
        CashMoveRow.select(CashMoveRow.kind, CashMoveRow.amount, CashMoveRow.reason)
        .where(CashMoveRow.shift == shift_id)
        .order_by(CashMoveRow.id)
        .tuples(),
    )
    return tuple(rows)


def build_report(shift: ShiftRow) -> ShiftReport:
    """The live figures of a shift (an X report; the Z report is this, frozen at close)."""
    sid = shift.id
    sales = cast(
        "tuple[int, int | None, int | None]",
        SaleRow.select(fn.COUNT(SaleRow.id), fn.SUM(SaleRow.discount), fn.SUM(SaleRow.points_earned))
        .where((SaleRow.shift == sid) & (SaleRow.status == "completed"))
        .tuples()
        .get(),
    )
    paid = RefundRow.status.in_(PAID)
    refunds = cast(
        "tuple[int, int | None, int | None]",
        RefundRow.select(fn.COUNT(RefundRow.id), fn.SUM(RefundRow.points_reversed), fn.SUM(RefundRow.points_returned))
        .where((RefundRow.shift == sid) & paid)
        .tuples()
        .get(),
    )
    original = SaleRow.alias()
    late = cast(
        "tuple[int, int | None]",
        RefundRow.select(fn.COUNT(RefundRow.id), fn.SUM(RefundRow.amount))
        .join(original, JOIN.INNER, on=(RefundRow.sale == original.id))
        .where((RefundRow.shift == sid) & paid & (original.shift.is_null() | (original.shift != sid)))
        .tuples()
        .get(),
    )
    pending = tuple(
        r
        for (r,) in cast(
            "Iterable[tuple[str]]",
            RefundRow.select(RefundRow.refund_no)
            .where((RefundRow.shift == sid) & (RefundRow.status == "pending_approval"))
            .order_by(RefundRow.id)
            .tuples(),
        )
    )
    moves = cash_moves(sid)
    return ShiftReport(
        shift_id=sid,
        till_code=shift.till_code,
        opened_by=shift.opened_by,
        opened_at=shift.opened_at,
        closed_at=shift.closed_at,
        opening_float=shift.opening_float,
        tenders=tender_totals(sid),
        sales_count=sales[0] or 0,
        refund_count=refunds[0] or 0,
        voids=shift.voids,
        discounts=sales[1] or 0,
        points_issued=sales[2] or 0,
        points_taken_back=refunds[1] or 0,
        points_returned=refunds[2] or 0,
        paid_in=sum(a for k, a, _ in moves if k == "paid_in"),
        paid_out=sum(a for k, a, _ in moves if k == "paid_out"),
        late_refunds=late[0] or 0,
        late_refund_amount=late[1] or 0,
        pending_refunds=pending,
        counted=shift.counted,
        note=shift.note,
        closed_by=shift.closed_by,
        cash_moves=moves,
    )


def shifts_between(since: datetime, until: datetime) -> list[ShiftRow]:
    """Shifts opened in [since, until), every till: a day summary."""
    return list(
        ShiftRow.select()
        .where((ShiftRow.opened_at >= since) & (ShiftRow.opened_at < until))
        .order_by(ShiftRow.till_code, ShiftRow.opened_at)
    )
