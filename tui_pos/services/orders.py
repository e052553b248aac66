"""Orders looked up afterwards: what was bought, and what came back from it, by whom and when.

A member's history (purchases marked when something came back, and their refunds with the
refund rate) and one order's detail are both read here, so that screens never add up
refunds themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tui_pos.domain.catalog import clean_text
from tui_pos.domain.errors import InvalidInput, NotFound
from tui_pos.domain.money import normalize_digits
from tui_pos.domain.numbers import read_number
from tui_pos.domain.sales import PaymentView, SaleDetail, SaleLineView, SaleSummary, is_refund_no
from tui_pos.services import members
from tui_pos.services.context import Context
from tui_pos.services.members import MemberProfile
from tui_pos.store import queries, refund_queries
from tui_pos.store.refund_queries import RefundedLine, RefundSummary

REFUNDED = ("paid", "completed")  # the money has gone back
PENDING = "pending_approval"  # holds its units, no money moved yet


@dataclass(frozen=True)
class OrderLine:
    line: SaleLineView
    refunded_qty: int  # units in paid or completed refunds
    refunded_amount: int  # their value as paid
    pending_qty: int  # units in refunds waiting for approval

    @property
    def remaining(self) -> int:
        return self.line.qty - self.refunded_qty - self.pending_qty


@dataclass(frozen=True)
class OrderRefund:
    refund_no: str
    created_at: datetime
    staff_code: str
    staff_name: str
    approver_code: str  # empty: nobody had to approve
    approver_name: str
    amount: int
    tender: str
    status: str
    lines: tuple[RefundedLine, ...]

    @property
    def counts(self) -> bool:
        """Money went back (paid or completed); rejected, cancelled and parked refunds do not count."""
        return self.status in REFUNDED


@dataclass(frozen=True)
class OrderDetail:
    sale: SaleDetail  # its `payments` also hold the refunds paid out; `tenders` does not
    lines: tuple[OrderLine, ...]
    refunds: tuple[OrderRefund, ...]
    tenders: tuple[PaymentView, ...]  # how the customer paid

    @property
    def refunded_total(self) -> int:
        return sum(r.amount for r in self.refunds if r.counts)

    @property
    def refunded_qty(self) -> int:
        return sum(ln.refunded_qty for ln in self.lines)

    @property
    def fully_refunded(self) -> bool:
        return bool(self.lines) and all(ln.refunded_qty >= ln.line.qty for ln in self.lines)


@dataclass(frozen=True)
class Purchase:
    """One order in a member's history, with what came back from it."""

    sale: SaleSummary
    refund_count: int  # paid or completed refunds
    refunded: int  # money given back
    refunded_qty: int
    pending_count: int  # refunds waiting for approval

    @property
    def mark(self) -> str:
        """'' (nothing came back), 'full', 'part' or 'pending' (only a parked refund)."""
        if self.refund_count:
            return "full" if self.refunded_qty >= self.sale.item_count else "part"
        return "pending" if self.pending_count else ""


@dataclass(frozen=True)
class MemberHistory:
    profile: MemberProfile
    purchases: tuple[Purchase, ...]  # newest first
    refunds: tuple[RefundSummary, ...]  # newest first, every status

    @property
    def refund_count(self) -> int:
        return self.profile.refund_count

    @property
    def refund_total(self) -> int:
        return self.profile.refund_total

    @property
    def sales_total(self) -> int:
        return self.profile.sale_total

    @property
    def rate_bp(self) -> int:
        """Refunded / bought, in basis points (100 = 1 %)."""
        return self.profile.refund_rate_bp


def _purchases(sales: list[SaleSummary]) -> tuple[Purchase, ...]:
    totals = refund_queries.refund_totals_by_sale([s.id for s in sales])
    out = []
    for sale in sales:
        by_status = totals.get(sale.id, {})
        done = [by_status[s] for s in REFUNDED if s in by_status]
        pending = by_status.get(PENDING)
        out.append(
            Purchase(
                sale,
                sum(t.count for t in done),
                sum(t.amount for t in done),
                sum(t.qty for t in done),
                pending.count if pending else 0,
            )
        )
    return tuple(out)


def member_history(ctx: Context, member_id: int, limit: int = 50) -> MemberHistory:
    """The member's profile, their latest purchases (marked when refunded) and their refunds."""
    profile = members.profile(ctx, member_id)
    sales = queries.recent_sales(member_id, limit)
    return MemberHistory(profile, _purchases(sales), tuple(refund_queries.refunds_of_member(member_id, limit)))


def order_detail(order_no: str | None = None, *, sale_id: int | None = None) -> OrderDetail:
    """One order: its lines with what each gave back, tenders, and every refund made from it."""
    if sale_id is None:
        order_no = read_number(normalize_digits(clean_text(order_no or "", 40)).upper())
        if not order_no:
            raise InvalidInput("Scan the receipt or type the order no.")
        sale = queries.sale_detail(order_no=order_no)
    else:
        sale = queries.sale_detail(sale_id=sale_id)
    if sale is None:
        if order_no and is_refund_no(order_no):
            raise NotFound("{no} is a refund no., not an order no.: find it in the refund list", no=order_no[:30])
        raise NotFound("No order {no}", no=(order_no or str(sale_id))[:30])
    refunds = tuple(
        OrderRefund(
            r.summary.refund_no,
            r.summary.created_at,
            r.summary.staff_code,
            r.staff_name,
            r.approver_code,
            r.approver_name,
            r.summary.amount,
            r.summary.tender,
            r.summary.status,
            r.lines,
        )
        for r in refund_queries.refunds_of_sale_detailed(sale.id)
    )
    lines = []
    for line in sale.lines:
        mine = [(ln, r.status) for r in refunds for ln in r.lines if ln.sale_line_id == line.id]
        lines.append(
            OrderLine(
                line,
                refunded_qty=sum(ln.qty for ln, status in mine if status in REFUNDED),
                refunded_amount=sum(ln.amount for ln, status in mine if status in REFUNDED),
                pending_qty=sum(ln.qty for ln, status in mine if status == PENDING),
            )
        )
    return OrderDetail(sale, tuple(lines), refunds, tuple(sale.payments))
