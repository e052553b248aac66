"""Reads for refunds: what each sold line already gave back, lists and histories."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from peewee import JOIN, ModelSelect, fn

from tui_pos.domain.refund import LineHistory, SaleFacts
from tui_pos.domain.refund_tenders import Paid, SpentPoints, TenderPart
from tui_pos.store import fast
from tui_pos.store.models import (
    MemberRow,
    RefundLineRow,
    RefundRow,
    SaleLineRow,
    SaleRow,
    StaffRow,
    database,
)

LIVE_STATUSES = ("pending_approval", "paid", "completed")  # these hold their quantities


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
    name_en: str = ""  # the product's English name and barcode (labels.product)
    barcode: str = ""


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
    staff_name_en: str = ""
    approver_name_en: str = ""
    parts: tuple[TenderPart, ...] = ()  # the money per tender (refund_tender)
    spent: SpentPoints = SpentPoints()  # earned points the member had spent, as settled


@dataclass(frozen=True)
class OrderToRefund:
    """What the refund rules weigh of one order, and nothing the screens show: each line with
    what live refunds already took, the money and points facts, the member."""

    sale_id: int
    order_no: str
    status: str
    training: bool
    member_id: int | None
    member_card: str
    facts: SaleFacts
    history: dict[int, LineHistory]  # by sale line id, in line order
    product_of: dict[int, int]  # sale line id -> product id


# Plain SQL in two statements: the over-refund guard re-reads this under the write lock on every
# refund, where the whole SaleDetail (staff, payments, every column) and separate reads for
# products, member and earlier refunds took seven.
_LIVE = f"r.status IN ({', '.join(repr(s) for s in LIVE_STATUSES)})"
_ORDER = f"""SELECT s.id, s.order_no, s.status, s.training, s.created_at, s.points_earned, s.member_id,
       m.card_no, m.level, m.points,
       (SELECT COALESCE(SUM(p.amount), 0) FROM payment p
         WHERE p.sale_id = s.id AND p.refund_id IS NULL AND p.tender = 'points'),
       (SELECT COALESCE(SUM(r.points_returned), 0) FROM refund r WHERE r.sale_id = s.id AND {_LIVE}),
       (SELECT COALESCE(SUM(r.points_reversed), 0) FROM refund r WHERE r.sale_id = s.id AND {_LIVE}),
       (SELECT COALESCE(SUM(r.points_spent), 0) FROM refund r WHERE r.sale_id = s.id AND {_LIVE})
  FROM sale s LEFT JOIN member m ON m.id = s.member_id WHERE s.id = ?"""
# The money by tender (points aside) and what live refunds took of each (refund_tender).
_PAID = f"""SELECT p.tender, SUM(p.amount), MAX(p.reference),
       (SELECT COALESCE(SUM(t.amount + t.fee), 0) FROM refund_tender t JOIN refund r ON r.id = t.refund_id
         WHERE r.sale_id = p.sale_id AND t.paid_by = p.tender AND {_LIVE})
  FROM payment p WHERE p.sale_id = ? AND p.refund_id IS NULL AND p.tender != 'points'
 GROUP BY p.tender ORDER BY MIN(p.id)"""
# A line's units refunded at other stores of a chain (refunded_elsewhere, head office's count when
# the order was last looked up online) count as refunded here, at the line's own unit price.
_LINES = f"""SELECT l.id, l.product_id, l.name, l.category, COALESCE(p.refund_policy, ''), l.qty, l.paid,
       COALESCE(done.qty, 0) + l.refunded_elsewhere,
       COALESCE(done.amount, 0) + (CASE WHEN l.qty > 0 THEN l.refunded_elsewhere * l.paid / l.qty ELSE 0 END),
       COALESCE(p.name_en, ''), l.barcode
  FROM sale_line l
  LEFT JOIN product p ON p.id = l.product_id
  LEFT JOIN (SELECT rl.sale_line_id AS line, SUM(rl.qty) AS qty, SUM(rl.amount) AS amount
               FROM refund_line rl JOIN refund r ON r.id = rl.refund_id
              WHERE r.sale_id = ? AND {_LIVE} GROUP BY rl.sale_line_id) done ON done.line = l.id
 WHERE l.sale_id = ? ORDER BY l.line_no"""


def order_to_refund(sale_id: int) -> OrderToRefund | None:
    row = fast.run(_ORDER, (sale_id,)).fetchone()
    if row is None:
        return None
    (
        sid,
        order_no,
        status,
        training,
        created_at,
        earned,
        member_id,
        card,
        level,
        member_points,
        points_cents,
        returned,
        reversed_,
        spent,
    ) = row
    by_tender = tuple(Paid(t, amount, ref or "", done) for t, amount, ref, done in fast.run(_PAID, (sid,)))
    history, product_of = {}, {}
    for line_id, product_id, name, category, policy, qty, paid, done_qty, done_amount, name_en, barcode in fast.run(
        _LINES, (sid, sid)
    ):
        history[line_id] = LineHistory(
            line_id, name, category, policy, qty, paid, done_qty, done_amount, name_en=name_en, barcode=barcode
        )
        product_of[line_id] = product_id
    facts = SaleFacts(
        sold_at=SaleRow.created_at.python_value(created_at),  # type: ignore[no-untyped-call]  # untyped in peewee
        total=sum(h.paid for h in history.values()),
        points_cents=points_cents,
        points_earned=earned,
        member_level=level,
        member_points=member_points or 0,
        refunded_value=sum(h.refunded_amount for h in history.values()),
        points_returned=returned,
        points_reversed=reversed_,
        points_spent=spent,
        paid=by_tender,
    )
    return OrderToRefund(sid, order_no, status, bool(training), member_id, card or "", facts, history, product_of)


def _summaries(query: Iterable[RefundRow]) -> list[RefundSummary]:
    return [
        RefundSummary(
            r.refund_no,
            r.sale.order_no if r.sale_id and r.sale else "",
            r.status,
            r.amount,
            r.tender,
            r.reason,
            r.staff.code,
            r.member.card_no if r.member_id and r.member else "",
            r.created_at,
            r.no_receipt,
        )
        for r in query
    ]


def _base() -> ModelSelect[RefundRow]:
    return (
        RefundRow.select(RefundRow, SaleRow, StaffRow, MemberRow)
        .join(SaleRow, JOIN.LEFT_OUTER, on=(RefundRow.sale == SaleRow.id))
        .switch(RefundRow)
        .join(StaffRow, on=(RefundRow.staff == StaffRow.id))
        .switch(RefundRow)
        .join(MemberRow, JOIN.LEFT_OUTER, on=(RefundRow.member == MemberRow.id))
    )


def search_refunds(
    text: str = "", status: str = "", since: datetime | None = None, until: datetime | None = None, limit: int = 100
) -> list[RefundSummary]:
    query = _base()
    text = text.strip()
    if text:
        query = query.where(
            (RefundRow.refund_no == text)
            | (SaleRow.order_no == text)
            | (MemberRow.card_no == text)
            | (MemberRow.phone == text)
        )
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
    row = (
        RefundRow.select(fn.COUNT(RefundRow.id), fn.COALESCE(fn.SUM(RefundRow.amount), 0))
        .where((RefundRow.member == member_id) & (RefundRow.status.in_(("paid", "completed"))))
        .tuples()
        .first()
    )
    return (row[0], row[1]) if row else (0, 0)


_DETAIL = """SELECT r.id, r.refund_no, s.order_no, r.status, r.amount, r.tender, r.reason, st.code, m.card_no,
                    r.created_at, r.no_receipt, r.sale_id, r.member_id, st.name, ap.code, ap.name, r.allowed,
                    r.fee, r.points_returned, r.points_reversed, r.note, r.reference, r.override, r.training,
                    r.policy_text, r.approval_reasons, r.reject_reason, r.paid_at, r.completed_at,
                    st.name_en, ap.name_en, r.points_spent, r.spent_deducted, r.spent_policy
             FROM refund r LEFT JOIN sale s ON s.id = r.sale_id JOIN staff st ON st.id = r.staff_id
             LEFT JOIN member m ON m.id = r.member_id LEFT JOIN staff ap ON ap.id = r.approver_id
             WHERE r.refund_no = ?"""


def refund_detail(refund_no: str) -> RefundDetail | None:
    """Plain SQL: read inside every refund's transaction for its voucher, where the ORM's
    four-table model join cost more than the whole refund's writes."""
    run = database.execute_sql
    when: Callable[[Any], datetime] = RefundRow.created_at.python_value  # peewee's stubs leave it untyped
    row = run(_DETAIL, (refund_no,)).fetchone()
    if row is None:
        return None
    (
        rid,
        number,
        order_no,
        status,
        amount,
        tender,
        reason,
        staff_code,
        card,
        created_at,
        no_receipt,
        sale_id,
        member_id,
        staff_name,
        approver_code,
        approver_name,
        allowed,
        fee,
        returned,
        reversed_,
        note,
        reference,
        override,
        training,
        policy_text,
        approvals,
        reject_reason,
        paid_at,
        completed_at,
        staff_name_en,
        approver_name_en,
        points_spent,
        spent_deducted,
        spent_policy,
    ) = row
    lines = tuple(
        RefundLineView(*line)
        for line in run(
            "SELECT l.name, l.qty, l.amount, l.disposition, COALESCE(p.name_en, ''), COALESCE(p.barcode, '')"
            " FROM refund_line l LEFT JOIN product p ON p.id = l.product_id WHERE l.refund_id = ? ORDER BY l.id",
            (rid,),
        )
    )
    parts = tuple(
        TenderPart(*part)
        for part in run(
            "SELECT paid_by, tender, amount, fee, reference FROM refund_tender WHERE refund_id = ? ORDER BY id", (rid,)
        )
    )
    events = tuple(
        RefundEvent(when(at), code, event, text)
        for at, code, event, text in run(
            "SELECT at, staff_code, event, note FROM refund_event WHERE refund_id = ? ORDER BY id", (rid,)
        )
    )
    summary = RefundSummary(
        number,
        order_no or "",
        status,
        amount,
        tender,
        reason,
        staff_code,
        card or "",
        when(created_at),
        bool(no_receipt),
    )
    return RefundDetail(
        id=rid,
        summary=summary,
        sale_id=sale_id,
        member_id=member_id,
        staff_name=staff_name,
        approver_code=approver_code or "",
        approver_name=approver_name or "",
        allowed=allowed,
        fee=fee,
        points_returned=returned,
        points_reversed=reversed_,
        note=note,
        reference=reference,
        override=bool(override),
        training=bool(training),
        policy_text=policy_text,
        approval_reasons=approvals,
        reject_reason=reject_reason,
        paid_at=when(paid_at) if paid_at else None,
        completed_at=when(completed_at) if completed_at else None,
        lines=lines,
        events=events,
        parts=parts,
        spent=SpentPoints(points_spent, spent_deducted, spent_policy),
        staff_name_en=staff_name_en or "",
        approver_name_en=approver_name_en or "",
    )


def sale_lines_by_id(sale_id: int) -> dict[int, SaleLineRow]:
    return {ln.id: ln for ln in SaleLineRow.select().where(SaleLineRow.sale == sale_id)}


# ---- an order's refunds with who did them; refund totals per order -------------------------


@dataclass(frozen=True)
class RefundedLine:
    """One line of a refund of an order: which sale line gave back how many units."""

    refund_no: str
    status: str
    sale_line_id: int | None
    name: str
    qty: int
    amount: int


@dataclass(frozen=True)
class SaleRefund:
    """One refund of an order, with the names of the cashier and the approver."""

    summary: RefundSummary
    staff_name: str
    approver_code: str
    approver_name: str
    paid_at: datetime | None
    completed_at: datetime | None
    lines: tuple[RefundedLine, ...]


def refunds_of_sale_detailed(sale_id: int) -> list[SaleRefund]:
    rows = list(_base().where(RefundRow.sale == sale_id).order_by(RefundRow.id))
    if not rows:
        return []
    approver_ids = {r.approver_id for r in rows if r.approver_id}
    approvers = (
        {
            s.id: s
            for s in StaffRow.select(StaffRow.id, StaffRow.code, StaffRow.name).where(StaffRow.id.in_(approver_ids))
        }
        if approver_ids
        else {}
    )
    lines: dict[int, list[RefundedLine]] = {}
    for refund_id, refund_no, status, sale_line_id, name, qty, amount in cast(
        "Iterable[tuple[int, str, str, int | None, str, int, int]]",
        RefundLineRow.select(
            RefundRow.id,
            RefundRow.refund_no,
            RefundRow.status,
            RefundLineRow.sale_line,
            RefundLineRow.name,
            RefundLineRow.qty,
            RefundLineRow.amount,
        )
        .join(RefundRow)
        .where(RefundRow.sale == sale_id)
        .order_by(RefundLineRow.id)
        .tuples(),
    ):
        lines.setdefault(refund_id, []).append(RefundedLine(refund_no, status, sale_line_id, name, qty, amount))
    out = []
    for r, summary in zip(rows, _summaries(rows), strict=True):
        approver = approvers.get(r.approver_id) if r.approver_id else None
        out.append(
            SaleRefund(
                summary,
                r.staff.name,
                approver.code if approver else "",
                approver.name if approver else "",
                r.paid_at,
                r.completed_at,
                tuple(lines.get(r.id, ())),
            )
        )
    return out


@dataclass(frozen=True)
class StatusTotals:
    count: int
    amount: int  # money going back
    qty: int  # units


def refund_totals_by_sale(sale_ids: list[int]) -> dict[int, dict[str, StatusTotals]]:
    """sale id -> refund status -> how many refunds, how much money and how many units."""
    if not sale_ids:
        return {}
    money = cast(
        "Iterable[tuple[int, str, int, int | None]]",
        RefundRow.select(RefundRow.sale, RefundRow.status, fn.COUNT(RefundRow.id), fn.SUM(RefundRow.amount))
        .where(RefundRow.sale.in_(sale_ids))
        .group_by(RefundRow.sale, RefundRow.status)
        .tuples(),
    )
    units = {
        (sale_id, status): qty
        for sale_id, status, qty in cast(
            "Iterable[tuple[int, str, int | None]]",
            RefundLineRow.select(RefundRow.sale, RefundRow.status, fn.SUM(RefundLineRow.qty))
            .join(RefundRow)
            .where(RefundRow.sale.in_(sale_ids))
            .group_by(RefundRow.sale, RefundRow.status)
            .tuples(),
        )
    }
    out: dict[int, dict[str, StatusTotals]] = {}
    for sale_id, status, count, amount in money:
        out.setdefault(sale_id, {})[status] = StatusTotals(count, amount or 0, units.get((sale_id, status)) or 0)
    return out


_ORDER_REFUNDED = f"SELECT COALESCE(SUM(r.amount), 0) FROM refund r WHERE r.sale_id = ? AND r.id < ? AND {_LIVE}"
_SHIFT_REFUNDED = (
    f"SELECT COALESCE(SUM(r.amount), 0) FROM refund r WHERE r.staff_id = ? AND r.shift_id = ? AND r.id < ? AND {_LIVE}"
)


def refunded_before(sale_id: int | None, staff_id: int | None, shift_id: int | None, before: int = 0) -> int:
    """What counts against an approval limit ahead of a refund: the money of the order's live
    refunds, or (given a staff member and shift) of their refunds of the shift, whichever is more.
    `before`: only refunds recorded before that one (the parked refund being approved)."""
    last = before or 2**62
    order = fast.run(_ORDER_REFUNDED, (sale_id, last)).fetchone()[0] if sale_id is not None else 0
    shift = 0
    if staff_id is not None and shift_id is not None:
        shift = fast.run(_SHIFT_REFUNDED, (staff_id, shift_id, last)).fetchone()[0]
    return int(max(order, shift))
