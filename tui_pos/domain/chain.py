"""What head office answers a store about the whole chain: an order of any store with what is
left to refund, a member with their balance, a conflict a manager must resolve.

Plain records (integer cents, naive local datetimes), so the store's services use them without
importing head office's database code."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class CentralLine:
    uid: str  # the sale line's central uid (a mirror keeps it)
    line_no: int
    barcode: str
    name: str
    category: str
    qty: int
    list_price: int
    unit_price: int
    discount: int
    paid: int
    refunded: int  # units refunded anywhere in the chain, plus open claims

    @property
    def remaining(self) -> int:
        return max(0, self.qty - self.refunded)


@dataclass(frozen=True)
class CentralPayment:
    tender: str
    amount: int
    reference: str = ""


@dataclass(frozen=True)
class CentralRefund:
    refund_no: str
    store_code: str  # the store that paid it out
    amount: int
    status: str
    created_at: datetime | None


@dataclass(frozen=True)
class CentralOrder:
    """An order as head office holds it, whichever store sold it."""

    store_code: str  # the selling store
    store_no: int
    uid: str
    order_no: str
    created_at: datetime | None  # naive, local time
    status: str
    training: bool
    member_uid: str | None
    member_card: str | None
    member_name: str | None
    subtotal: int
    discount: int
    total: int
    points_earned: int
    points_redeemed: int
    lines: tuple[CentralLine, ...] = ()
    payments: tuple[CentralPayment, ...] = ()
    refunds: tuple[CentralRefund, ...] = ()

    def line(self, uid: str) -> CentralLine:
        for line in self.lines:
            if line.uid == uid:
                return line
        raise KeyError(uid)


@dataclass(frozen=True)
class CentralMember:
    """A member as the chain knows them: balance and points are head office's (its ledger)."""

    uid: str
    store_code: str  # the store that created the member
    card_no: str
    phone: str
    phone_tail: str
    name: str
    level: str
    points: int
    balance: int  # stored value, cents
    joined: datetime | None
    held: int = 0  # cents debited online whose sale has not arrived yet
    held_points: int = 0


@dataclass(frozen=True)
class MemberSale:
    store_code: str
    order_no: str
    created_at: datetime | None
    status: str
    total: int
    points_earned: int
    points_redeemed: int


@dataclass(frozen=True)
class MemberRefund:
    store_code: str  # the store that paid it out
    refund_no: str
    order_no: str  # "" without a receipt
    created_at: datetime | None
    status: str
    amount: int


@dataclass(frozen=True)
class Conflict:
    """A change head office refused, or a claim or hold never settled: money a manager must look at.

    `id` is the conflict row's number; a stale claim or hold has none yet (0) until it is
    resolved, and is named by `key` ("claim:UID" / "hold:UID")."""

    id: int
    key: str
    store_no: int
    store_code: str
    kind: str  # refund | stored_value | points | member | payment | alias | claim | hold | refused
    table: str
    ref_no: str  # order, refund or card no.
    error: str
    amount: int  # cents (points for a points change)
    at: datetime | None
    resolved_at: datetime | None = None
    resolved_by: str = ""
    resolution: str = ""
    change_uid: str = ""
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def open(self) -> bool:
        return self.resolved_at is None
