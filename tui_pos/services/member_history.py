"""A chain member's purchases and refunds at every store, for the member profile.

Head office holds every store's orders and refunds of the member; a store that cannot reach it
shows its own, and says so. Each row names its store, so a cashier sees where an order was
bought or a refund paid out. A shop of its own has no use for this (orders.member_history)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime

from tui_pos.config import shop_zone
from tui_pos.domain.chain import MemberRefund, MemberSale
from tui_pos.services import head_office, orders
from tui_pos.services.context import Context
from tui_pos.store import member_mirror

log = logging.getLogger("tui_pos")

LIMIT = 50  # rows of each list, newest first


@dataclass(frozen=True)
class StorePurchase:
    store_code: str
    order_no: str
    created_at: datetime | None
    total: int
    status: str
    refunded: int  # money gone back (paid or completed refunds), at any store
    mark: str  # "" | "full" | "part" | "pending" (a refund awaiting approval only)


@dataclass(frozen=True)
class ChainHistory:
    purchases: tuple[StorePurchase, ...]  # newest first
    refunds: tuple[MemberRefund, ...]  # newest first, every status
    sale_count: int  # completed sales
    sale_total: int
    refund_count: int  # paid or completed refunds
    refund_total: int
    everywhere: bool  # False: head office was out of reach, these are this store's only
    cause: str = ""  # why head office could not be asked

    @property
    def rate_bp(self) -> int:
        """Refunded / bought, in basis points (100 = 1 %)."""
        return self.refund_total * 10000 // self.sale_total if self.sale_total else 0


def _newest(when: datetime | None) -> datetime:
    return when or datetime.min


def _history(sales: list[MemberSale], refunds: list[MemberRefund], *, everywhere: bool, cause: str) -> ChainHistory:
    back: dict[tuple[str, str], int] = {}
    pending: set[tuple[str, str]] = set()
    sold_at = {s.order_no: s.store_code for s in sales}
    for r in refunds:
        key = (sold_at.get(r.order_no, ""), r.order_no)
        if r.status in orders.REFUNDED:
            back[key] = back.get(key, 0) + r.amount
        elif r.status == orders.PENDING:
            pending.add(key)
    purchases = []
    for s in sales:
        key = (s.store_code, s.order_no)
        refunded = back.get(key, 0)
        mark = ("full" if refunded >= s.total else "part") if refunded else ("pending" if key in pending else "")
        purchases.append(StorePurchase(s.store_code, s.order_no, s.created_at, s.total, s.status, refunded, mark))
    purchases.sort(key=lambda p: _newest(p.created_at), reverse=True)
    done = [r for r in refunds if r.status in orders.REFUNDED]
    completed = [s for s in sales if s.status == "completed"]
    return ChainHistory(
        tuple(purchases[:LIMIT]),
        tuple(sorted(refunds, key=lambda r: _newest(r.created_at), reverse=True)[:LIMIT]),
        len(completed),
        sum(s.total for s in completed),
        len(done),
        sum(r.amount for r in done),
        everywhere,
        cause,
    )


def _local(ctx: Context, member_id: int) -> tuple[list[MemberSale], list[MemberRefund], orders.MemberHistory]:
    """This store's own rows of the member, in the chain's shape."""
    local = orders.member_history(ctx, member_id, LIMIT)
    code = ctx.config.store_code
    sales = [
        MemberSale(code, p.sale.order_no, p.sale.created_at, p.sale.status, p.sale.total, 0, 0) for p in local.purchases
    ]
    refunds = [MemberRefund(code, r.refund_no, r.order_no, r.created_at, r.status, r.amount) for r in local.refunds]
    return sales, refunds, local


def chain_history(ctx: Context, member_id: int) -> ChainHistory | None:
    """The member's orders and refunds at every store (head office's, with this store's not
    uploaded yet); this store's alone when head office cannot be reached. None for a shop of its own."""
    if not head_office.linked(ctx):
        return None
    from tui_pos.central.errors import CentralDown
    from tui_pos.central.members import member_history

    sales, refunds, local = _local(ctx, member_id)
    uid = member_mirror.uid_of(member_id)
    try:
        chain_sales, chain_refunds = head_office.call(
            ctx, lambda db: member_history(db, uid, zone=shop_zone(ctx.config), limit=LIMIT)
        )
    except CentralDown as exc:
        log.info("member history from this store only: %s", exc.message)
        here = _history(sales, refunds, everywhere=False, cause=exc.message)
        # the totals count every order here, not only the latest LIMIT shown
        p = local.profile
        return replace(
            here,
            sale_count=p.sale_count,
            sale_total=p.sale_total,
            refund_count=p.refund_count,
            refund_total=p.refund_total,
        )
    known_sales = {s.order_no for s in chain_sales}
    known_refunds = {r.refund_no for r in chain_refunds}
    return _history(
        [*chain_sales, *(s for s in sales if s.order_no not in known_sales)],
        [*chain_refunds, *(r for r in refunds if r.refund_no not in known_refunds)],
        everywhere=True,
        cause="",
    )
