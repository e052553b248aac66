"""Reads for refunds: what each sold line already gave back, lists and histories."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from peewee import JOIN, fn

from tui_pos.store.models import (
    MemberRow,
    RefundEventRow,
    RefundLineRow,
    RefundRow,
    SaleLineRow,
    SaleRow,
    StaffRow,
)

LIVE_STATUSES = ("pending_approval", "paid", "completed")  # these hold their quantities


@dataclass(frozen=True)
class RefundedSoFar:
    qty: int
    amount: int


@dataclass(frozen=True)
class RefundSummary:
    refund_no: str
    order_no: str
    status: str
    amount: int
    tender: str
    reason: str
    staff_code: str
    member_card: str
    created_at: datetime
    no_receipt: bool


@dataclass(frozen=True)
class RefundEvent:
    at: datetime
    staff_code: str
    event: str
    note: str


@dataclass(frozen=True)
class RefundLineView:
    name: str
    qty: int
    amount: int
    disposition: str


@dataclass(frozen=True)
class RefundDetail:
    id: int
    summary: RefundSummary
    sale_id: int | None
    member_id: int | None
    staff_name: str
    approver_code: str
    approver_name: str
    allowed: int
    fee: int
    points_returned: int
    points_reversed: int
    note: str
    reference: str
    override: bool
    training: bool
    policy_text: str
    approval_reasons: str
    reject_reason: str
    paid_at: datetime | None
    completed_at: datetime | None
    lines: tuple[RefundLineView, ...]
    events: tuple[RefundEvent, ...]


def refunded_per_line(sale_id: int) -> dict[int, RefundedSoFar]:
    query = (
        RefundLineRow.select(RefundLineRow.sale_line, fn.SUM(RefundLineRow.qty), fn.SUM(RefundLineRow.amount))
        .join(RefundRow)
        .where((RefundRow.sale == sale_id) & (RefundRow.status.in_(LIVE_STATUSES)))
        .group_by(RefundLineRow.sale_line)
        .tuples()
    )
    return {line_id: RefundedSoFar(qty, amount) for line_id, qty, amount in query}


def refunded_points(sale_id: int) -> tuple[int, int]:
    row = (
        RefundRow.select(fn.COALESCE(fn.SUM(RefundRow.points_returned), 0),
                         fn.COALESCE(fn.SUM(RefundRow.points_reversed), 0))
        .where((RefundRow.sale == sale_id) & (RefundRow.status.in_(LIVE_STATUSES)))
        .tuples()
        .first()
    )
    return (row[0], row[1]) if row else (0, 0)


def _summaries(query) -> list[RefundSummary]:
    return [
        RefundSummary(r.refund_no, r.sale.order_no if r.sale_id else "", r.status, r.amount, r.tender, r.reason,
                      r.staff.code, r.member.card_no if r.member_id else "", r.created_at, r.no_receipt)
        for r in query
    ]


def _base():
    return (
        RefundRow.select(RefundRow, SaleRow, StaffRow, MemberRow)
        .join(SaleRow, JOIN.LEFT_OUTER, on=(RefundRow.sale == SaleRow.id))
        .switch(RefundRow).join(StaffRow, on=(RefundRow.staff == StaffRow.id))
        .switch(RefundRow).join(MemberRow, JOIN.LEFT_OUTER, on=(RefundRow.member == MemberRow.id))
    )


def search_refunds(text: str = "", status: str = "", since: datetime | None = None,
                   until: datetime | None = None, limit: int = 100) -> list[RefundSummary]:
    query = _base()
    text = text.strip()
    if text:
        query = query.where((RefundRow.refund_no == text) | (SaleRow.order_no == text)
                            | (MemberRow.card_no == text) | (MemberRow.phone == text))
    if status:
        query = query.where(RefundRow.status == status)
    if since:
        query = query.where(RefundRow.created_at >= since)
    if until:
        query = query.where(RefundRow.created_at < until)
    return _summaries(query.order_by(RefundRow.created_at.desc(), RefundRow.id.desc()).limit(limit))


def refunds_of_sale(sale_id: int) -> list[RefundSummary]:
    return _summaries(_base().where(RefundRow.sale == sale_id).order_by(RefundRow.id))


def refunds_of_member(member_id: int, limit: int = 20) -> list[RefundSummary]:
    return _summaries(_base().where(RefundRow.member == member_id).order_by(RefundRow.id.desc()).limit(limit))


def member_refund_totals(member_id: int) -> tuple[int, int]:
    row = (RefundRow.select(fn.COUNT(RefundRow.id), fn.COALESCE(fn.SUM(RefundRow.amount), 0))
           .where((RefundRow.member == member_id) & (RefundRow.status.in_(("paid", "completed"))))
           .tuples().first())
    return (row[0], row[1]) if row else (0, 0)


def refund_detail(refund_no: str) -> RefundDetail | None:
    row = _base().where(RefundRow.refund_no == refund_no).first()
    if row is None:
        return None
    approver = StaffRow.get_or_none(StaffRow.id == row.approver_id) if row.approver_id else None
    lines = tuple(RefundLineView(l.name, l.qty, l.amount, l.disposition)
                  for l in RefundLineRow.select().where(RefundLineRow.refund == row.id).order_by(RefundLineRow.id))
    events = tuple(RefundEvent(e.at, e.staff_code, e.event, e.note)
                   for e in RefundEventRow.select().where(RefundEventRow.refund == row.id).order_by(RefundEventRow.id))
    return RefundDetail(
        id=row.id, summary=_summaries([row])[0], sale_id=row.sale_id, member_id=row.member_id,
        staff_name=row.staff.name, approver_code=approver.code if approver else "",
        approver_name=approver.name if approver else "", allowed=row.allowed, fee=row.fee,
        points_returned=row.points_returned, points_reversed=row.points_reversed, note=row.note,
        reference=row.reference, override=row.override, training=row.training, policy_text=row.policy_text,
        approval_reasons=row.approval_reasons, reject_reason=row.reject_reason, paid_at=row.paid_at,
        completed_at=row.completed_at, lines=lines, events=events,
    )


def sale_lines_by_id(sale_id: int) -> dict[int, SaleLineRow]:
    return {l.id: l for l in SaleLineRow.select().where(SaleLineRow.sale == sale_id)}
