"""Exchange: the returned goods pay for a new sale; both are written together or not at all."""

from __future__ import annotations

import pytest

from tui_pos.domain.basket import Basket
from tui_pos.domain.errors import NeedsApproval
from tui_pos.domain.refund import Pick
from tui_pos.domain.tenders import TenderKind
from tui_pos.services import catalog, checkout, exchange, refunds
from tui_pos.services.refunds import RefundDraft
from tui_pos.store import audit
from tui_pos.store.models import PaymentRow, ProductRow, RefundRow, SaleRow


def sell(ctx, actor, items: dict[str, int]) -> int:
    basket = Basket()
    for code, qty in items.items():
        basket.add(catalog.product_for_scan(code), qty)
    plan = checkout.new_plan(ctx, basket)
    plan.add(TenderKind.CARD, plan.due)
    return checkout.complete_sale(ctx, actor, basket, plan).sale_id


def draft_all(ctx, sale_id: int) -> RefundDraft:
    lookup = refunds.load_order(ctx, sale_id)
    return RefundDraft(sale_id, tuple(Pick(h.sale_line_id, h.remaining) for h in lookup.history.values()), "wrong_item")


def basket_of(items: dict[str, int]) -> Basket:
    basket = Basket()
    for code, qty in items.items():
        basket.add(catalog.product_for_scan(code), qty)
    return basket


def test_cheaper_new_goods_give_the_rest_back_the_way_it_was_paid(ctx, cashier):
    old = sell(ctx, cashier, {"6902": 1})  # 12.99 by card
    credit = exchange.start(ctx, cashier, draft_all(ctx, old))
    assert credit.amount == 1299 and credit.back_tender == "card"
    basket = basket_of({"6903": 1})  # 5.99
    plan = exchange.new_plan(ctx, basket, credit)
    assert plan.complete and plan.used(TenderKind.EXCHANGE) == 599
    result = exchange.complete(ctx, cashier, basket, plan, credit)
    assert result.given_back == 700

    refund = RefundRow.get(RefundRow.refund_no == result.refund.refund_no)
    new_sale = SaleRow.get_by_id(result.sale.sale_id)
    assert refund.exchange_sale_id == new_sale.id and refund.tender == "exchange"
    assert refund.status == "completed" and refund.amount == 1299
    assert exchange.refund_of_sale(new_sale.id) == refund.refund_no
    refund_pays = {p.tender: p.amount for p in PaymentRow.select().where(PaymentRow.refund == refund)}
    assert refund_pays == {"exchange": -599, "card": -700}
    sale_pays = [
        (p.tender, p.amount)
        for p in PaymentRow.select().where(PaymentRow.sale == new_sale).where(PaymentRow.refund.is_null())
    ]
    assert sale_pays == [("exchange", 599)]
    # the exchange tender nets to zero across the refund and the sale
    assert sum(p.amount for p in PaymentRow.select().where(PaymentRow.tender == "exchange")) == 0
    assert ProductRow.get(ProductRow.barcode == "6902").stock == 50  # sold one, got it back
    assert ProductRow.get(ProductRow.barcode == "6903").stock == 19


def test_dearer_new_goods_pay_the_difference(ctx, cashier):
    old = sell(ctx, cashier, {"6903": 1})  # 5.99
    credit = exchange.start(ctx, cashier, draft_all(ctx, old))
    basket = basket_of({"6902": 1})  # 12.99
    plan = exchange.new_plan(ctx, basket, credit)
    assert plan.remaining == 700
    plan.add(TenderKind.CASH, 1000)
    result = exchange.complete(ctx, cashier, basket, plan, credit)
    assert result.given_back == 0 and result.sale.change == 300
    refund = RefundRow.get(RefundRow.refund_no == result.refund.refund_no)
    assert {p.tender: p.amount for p in PaymentRow.select().where(PaymentRow.refund == refund)} == {"exchange": -599}


def test_a_failure_in_the_sale_writes_neither_half(ctx, cashier, monkeypatch):
    old = sell(ctx, cashier, {"6902": 1})
    credit = exchange.start(ctx, cashier, draft_all(ctx, old))
    basket = basket_of({"6903": 1})
    plan = exchange.new_plan(ctx, basket, credit)
    sales_before = SaleRow.select().count()

    def boom(*args, **kwargs):
        raise RuntimeError("power cut")

    monkeypatch.setattr(audit, "append", boom)
    with pytest.raises(RuntimeError):
        exchange.complete(ctx, cashier, basket, plan, credit)
    assert RefundRow.select().count() == 0 and SaleRow.select().count() == sales_before
    assert PaymentRow.select().where(PaymentRow.tender == "exchange").count() == 0


def test_exchange_over_the_limit_needs_approval_first(ctx, cashier):
    ProductRow.update(price=30000).where(ProductRow.barcode == "6903").execute()
    old = sell(ctx, cashier, {"6903": 1})
    with pytest.raises(NeedsApproval):
        exchange.start(ctx, cashier, draft_all(ctx, old))
    credit = exchange.start(ctx, cashier, draft_all(ctx, old), approver=("002", "2222"))
    assert credit.approver.code == "002"
