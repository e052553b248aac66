"""Finding products at the till."""

from __future__ import annotations

from tui_pos.domain.catalog import Product, clean_barcode, clean_text
from tui_pos.domain.errors import InvalidInput, NotFound
from tui_pos.domain.money import parse_money
from tui_pos.domain.numbers import read_number
from tui_pos.domain.sales import is_order_no, is_refund_no
from tui_pos.domain.staff import Staff, require
from tui_pos.services.context import Context
from tui_pos.store import audit, queries
from tui_pos.store.db import write
from tui_pos.store.models import ProductRow

MAX_PRICE = 10_000_000  # ￥100,000.00: a price above that is a typo


def product_for_scan(text: str) -> Product:
    """What a scan (or a typed barcode + Enter) finds; a clear error if nothing."""
    code = clean_barcode(text)
    product = queries.product_by_barcode(code)
    if product is None:
        number = read_number(code.upper())
        if is_refund_no(number):  # a refund voucher scanned at checkout
            raise NotFound("{code} is a refund no., not a product barcode", code=number)
        if is_order_no(number):  # a receipt scanned at checkout
            raise NotFound("{code} is an order no. (a receipt), not a product barcode", code=number)
        raise NotFound("Unknown barcode: {code}", code=code)
    return product


def search_products(text: str, limit: int = 20) -> list[Product]:
    return queries.search_products(clean_text(text, 40), limit)


def change_price(ctx: Context, actor: Staff, barcode: str, price: str, member_price: str | None = None) -> Product:
    """A supervisor re-prices a product at the till; old and new prices go to the audit trail
    (a price cut just before a refund is how money walks out of a shop)."""
    require(actor, "change_price")
    code = clean_barcode(barcode)
    cents = parse_money(price, allow_zero=False, maximum=MAX_PRICE)
    member_text = member_price or ""
    member_cents = None if not member_text.strip() else parse_money(member_text, allow_zero=False, maximum=MAX_PRICE)
    if member_cents is not None and member_cents > cents:
        raise InvalidInput("The member price cannot be more than the price")

    def record() -> Product:
        row = ProductRow.get_or_none(ProductRow.barcode == code)
        if row is None:
            raise NotFound("Unknown barcode: {code}", code=code)
        before = {"price": row.price, "member_price": row.member_price}
        ProductRow.update(price=cents, member_price=member_cents).where(ProductRow.id == row.id).execute()
        audit.append(
            actor.code,
            "price_change",
            f"product:{code}",
            {"before": before, "after": {"price": cents, "member_price": member_cents}},
        )
        product = queries.product_by_barcode(code) or queries.product_by_id(row.id)
        assert product is not None  # the row this transaction just updated
        return product

    return write(record)
