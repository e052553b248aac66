"""A recorded sale as screens, tickets and refunds read it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

# R01-20261122-0001 (the store's code, then the day); R20261122-0001 from before the chain
_REFUND_NO = re.compile(r"T?R(?:[0-9A-Z]{1,8}-)?\d{8}-\d{4,}")
_ORDER_NO = re.compile(r"T?S(?:[0-9A-Z]{1,8}-)?\d{8}-\d{4,}")


def is_refund_no(text: str) -> bool:
    """R01-20261122-0001 (TR... in training): a refund's number, typed or scanned from a voucher
    where an order no. or a barcode goes; the cashier is told so instead of 'unknown'."""
    return bool(_REFUND_NO.fullmatch((text or "").strip().upper()))


def is_order_no(text: str) -> bool:
    """S01-20261122-0001 (TS... in training): a receipt scanned where a product barcode goes."""
    return bool(_ORDER_NO.fullmatch((text or "").strip().upper()))


@dataclass(frozen=True)
class SaleLineView:
    id: int
    line_no: int
    product_id: int
    barcode: str
    name: str
    category: str
    qty: int
    list_price: int
    unit_price: int
    discount: int
    paid: int
    name_en: str = ""  # the product's English name today (the line keeps the name it was sold by)


@dataclass(frozen=True)
class PaymentView:
    tender: str
    amount: int
    given: int
    change: int
    points: int
    reference: str


@dataclass(frozen=True)
class SaleSummary:
    id: int
    order_no: str
    created_at: datetime
    total: int
    status: str
    item_count: int


@dataclass(frozen=True)
class SaleDetail:
    id: int
    order_no: str
    till_code: str
    staff_code: str
    staff_name: str
    member_id: int | None
    member_card: str
    member_name: str
    member_phone: str
    status: str
    created_at: datetime
    subtotal: int
    discount: int
    total: int
    change: int
    points_earned: int
    points_redeemed: int
    training: bool
    lines: tuple[SaleLineView, ...]
    payments: tuple[PaymentView, ...]
    staff_name_en: str = ""
