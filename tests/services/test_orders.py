"""Order detail and member history on a real SQLite file: what came back, by whom, when, and the rate."""

from __future__ import annotations

import pytest

from tui_pos.domain.basket import Basket
from tui_pos.domain.errors import InvalidInput, NotFound
from tui_pos.domain.refund import Pick
from tui_pos.domain.tenders import TenderKind
from tui_pos.services import catalog, checkout, members, orders, refunds
from tui_pos.services.refunds import RefundDraft
from tui_pos.store.models import ProductRow


def sell(ctx, actor, items: dict[str, int], member: str | None = None) -> checkout.SaleResult:
    basket = Basket()
    for code, qty in items.items():
        basket.add(catalog.product_for_scan(code), qty)
    if member:
        profile = members.profile(ctx, members.find_one(member).id)
        basket.attach(profile.member, profile.discount_bp)
    plan = checkout.new_plan(ctx, basket)
    plan.add(TenderKind.CASH, plan.due)
    return checkout.complete_sale(ctx, actor, basket, plan)


def line_of(sale_id: int, ctx, name: str):
    return next(h for h in refunds.load_order(ctx, sale_id).history.values() if h.name == name)


@pytest.fixture
def refunded_order(ctx, cashier, supervisor):
    """A member's order: cola x2, notebook (￥250, needs approval), bread (￥300, refund rejected).

    Refund 1: one cola by the cashier alone, then completed. Refund 2: the notebook, approved by 002.
    Refund 3: the bread, parked and rejected: listed, but gives back nothing."""
    ProductRow.update(price=25000).where(ProductRow.barcode == "6903").execute()
    ProductRow.update(price=30000).where(ProductRow.barcode == "6902").execute()
    sale = sell(ctx, cashier, {"6901": 2, "6903": 1, "6902": 1}, member="M000001")
    cola = line_of(sale.sale_id, ctx, "可口可乐 330ml")
    first = refunds.confirm(ctx, cashier, RefundDraft(sale.sale_id, (Pick(cola.sale_line_id, 1),), "quality"))
    refunds.complete(ctx, cashier, first.refund_no)
    book = line_of(sale.sale_id, ctx, "Notebook A5")
    second = refunds.confirm(
        ctx, cashier, RefundDraft(sale.sale_id, (Pick(book.sale_line_id, 1),), "quality"), ("002", "2222")
    )
    bread = line_of(sale.sale_id, ctx, "全麦面包")
    third = refunds.park(ctx, cashier, RefundDraft(sale.sale_id, (Pick(bread.sale_line_id, 1),), "quality"))
    refunds.reject(ctx, supervisor, third.refund_no, "customer ate half")
    return sale, first, second, third


def test_order_detail_names_each_refund_with_cashier_approver_and_time(ctx, refunded_order):
    sale, first, second, third = refunded_order
    detail = orders.order_detail(sale.order_no.lower())  # typed as it comes
    assert detail.sale.order_no == sale.order_no and detail.sale.member_card == "M000001"
    assert [(r.refund_no, r.status, r.staff_code, r.approver_code) for r in detail.refunds] == [
        (first.refund_no, "completed", "001", ""),
        (second.refund_no, "paid", "001", "002"),
        (third.refund_no, "rejected", "001", ""),
    ]
    assert detail.refunds[1].approver_name == "Supervisor Zhao"
    assert detail.refunds[0].staff_name == "Cashier Li"
    assert [r.amount for r in detail.refunds[:2]] == [first.amount, second.amount]
    assert all(r.created_at is not None for r in detail.refunds)
    assert [r.counts for r in detail.refunds] == [True, True, False]
    assert detail.refunded_total == first.amount + second.amount
    per_line = {ln.line.name: (ln.line.qty, ln.refunded_qty, ln.pending_qty, ln.remaining) for ln in detail.lines}
    assert per_line == {"可口可乐 330ml": (2, 1, 0, 1), "Notebook A5": (1, 1, 0, 0), "全麦面包": (1, 0, 0, 1)}
    assert not detail.fully_refunded
    assert [(p.tender, p.amount) for p in detail.tenders] == [("cash", sale.total)]  # not the refunds paid out
    # the same order found by its id
    assert orders.order_detail(sale_id=sale.sale_id).refunds == detail.refunds


def test_parked_refund_holds_units_but_no_money(ctx, cashier):
    ProductRow.update(price=25000).where(ProductRow.barcode == "6903").execute()
    sale = sell(ctx, cashier, {"6903": 1}, member="M000001")
    book = line_of(sale.sale_id, ctx, "Notebook A5")
    parked = refunds.park(ctx, cashier, RefundDraft(sale.sale_id, (Pick(book.sale_line_id, 1),), "quality"))
    detail = orders.order_detail(sale.order_no)
    assert [(ln.refunded_qty, ln.pending_qty, ln.remaining) for ln in detail.lines] == [(0, 1, 0)]
    assert detail.refunded_total == 0
    (purchase,) = orders.member_history(ctx, members.find_one("M000001").id).purchases
    assert (purchase.mark, purchase.refunded, purchase.pending_count) == ("pending", 0, 1)
    assert parked.status == "pending_approval"


def test_member_history_marks_refunded_purchases_and_counts_the_rate(ctx, cashier, refunded_order):
    sale, first, second, third = refunded_order
    untouched = sell(ctx, cashier, {"6901": 1}, member="M000001")
    everything = sell(ctx, cashier, {"6901": 1}, member="M000001")
    all_back = refunds.confirm(
        ctx,
        cashier,
        RefundDraft(
            everything.sale_id, (Pick(line_of(everything.sale_id, ctx, "可口可乐 330ml").sale_line_id, 1),), "quality"
        ),
    )
    sell(ctx, cashier, {"6901": 1})  # someone else's sale is not in the history

    history = orders.member_history(ctx, members.find_one("M000001").id)
    marks = {p.sale.order_no: (p.mark, p.refund_count, p.refunded) for p in history.purchases}
    assert marks == {
        sale.order_no: ("part", 2, first.amount + second.amount),
        untouched.order_no: ("", 0, 0),
        everything.order_no: ("full", 1, all_back.amount),
    }
    assert [p.sale.order_no for p in history.purchases][0] == everything.order_no  # newest first
    assert [r.refund_no for r in history.refunds] == [
        all_back.refund_no,
        third.refund_no,
        second.refund_no,
        first.refund_no,
    ]
    assert {r.refund_no: r.order_no for r in history.refunds}[second.refund_no] == sale.order_no
    refunded = first.amount + second.amount + all_back.amount  # the rejected one does not count
    bought = sale.total + untouched.total + everything.total
    assert (history.refund_count, history.refund_total, history.sales_total) == (3, refunded, bought)
    assert history.rate_bp == refunded * 10000 // bought
    stats = refunds.member_stats(history.profile.member.id)  # the refund service agrees
    assert (stats.count, stats.amount, stats.rate_bp) == (3, refunded, history.rate_bp)


def test_order_detail_of_an_unknown_or_empty_order_says_so(ctx):
    with pytest.raises(NotFound):
        orders.order_detail("S20000101-0001")
    with pytest.raises(InvalidInput):
        orders.order_detail("  ")
