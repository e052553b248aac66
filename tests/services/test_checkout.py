"""Checkout on the real SQLite file: a sale writes every row or none."""

from __future__ import annotations

from datetime import datetime

import pytest

from tui_pos.domain.basket import Basket
from tui_pos.domain.errors import InsufficientPermission, InvalidInput, PaymentError
from tui_pos.domain.refund import Pick
from tui_pos.domain.staff import Role, Staff
from tui_pos.domain.tenders import TenderKind
from tui_pos.services import catalog, checkout, members, printing, refunds
from tui_pos.services.context import Context
from tui_pos.services.refunds import RefundDraft
from tui_pos.store import audit
from tui_pos.store.models import (
    AuditRow,
    MemberRow,
    PaymentRow,
    PointsMoveRow,
    PrintJobRow,
    ProductRow,
    SaleLineRow,
    SaleRow,
    SequenceRow,
    StockMoveRow,
    StoredValueMoveRow,
)

FIXED = datetime(2026, 11, 22, 10, 30)


@pytest.fixture
def fixed_ctx(ctx):
    return Context(ctx.config, clock=lambda: FIXED)


def member_basket() -> Basket:
    basket = Basket()
    basket.add(catalog.product_for_scan("6901"), 3)
    basket.add(catalog.product_for_scan("6902"))
    basket.add(catalog.product_for_scan("6903"), 2)
    member = members.find_one("M000001")
    basket.attach(member, 500)  # gold level: 5 %
    return basket


def full_plan(ctx, basket):
    plan = checkout.new_plan(ctx, basket)
    plan.add(TenderKind.POINTS, 200)
    plan.add(TenderKind.STORED_VALUE, 1000)
    plan.add(TenderKind.CASH, 5000)
    return plan


def stock(barcode: str) -> int:
    return ProductRow.get(ProductRow.barcode == barcode).stock


def member_row() -> MemberRow:
    return MemberRow.get(MemberRow.card_no == "M000001")


def snapshot():
    return {
        "sales": SaleRow.select().count(),
        "lines": SaleLineRow.select().count(),
        "payments": PaymentRow.select().count(),
        "stock_moves": StockMoveRow.select().count(),
        "points_moves": PointsMoveRow.select().count(),
        "sv_moves": StoredValueMoveRow.select().count(),
        "jobs": PrintJobRow.select().count(),
        "audit": AuditRow.select().count(),
        "sequences": SequenceRow.select().count(),
        "stock": {b: stock(b) for b in ("6901", "6902", "6903")},
        "points": member_row().points,
        "balance": member_row().balance,
    }


def test_completed_sale_writes_every_row(fixed_ctx, cashier):
    basket = member_basket()
    totals = basket.totals()
    assert totals.total == 3227  # 3397 after member prices, minus 170 (5 %)
    plan = full_plan(fixed_ctx, basket)
    assert plan.complete

    result = checkout.complete_sale(fixed_ctx, cashier, basket, plan)

    assert result.order_no == "S01-20261122-0001"
    assert result.total == 3227
    assert result.change == 5000 - (3227 - 200 - 1000)
    assert result.paid_cash is True
    earned = (3227 - 200) // 100  # points redeemed earn nothing
    assert result.points_earned == earned

    sale = SaleRow.get_by_id(result.sale_id)
    assert sale.order_no == result.order_no
    assert sale.status == "completed"
    assert sale.staff_id == cashier.id
    assert sale.member_id == member_row().id
    assert (sale.subtotal, sale.discount, sale.total) == (totals.subtotal, totals.discount, 3227)
    assert sale.subtotal - sale.discount == sale.total
    assert sale.points_redeemed == 200 and sale.points_earned == earned
    assert sale.training is False
    assert sale.created_at == FIXED

    lines = list(SaleLineRow.select().where(SaleLineRow.sale == sale).order_by(SaleLineRow.line_no))
    assert [(ln.barcode, ln.qty) for ln in lines] == [("6901", 3), ("6902", 1), ("6903", 2)]
    assert [ln.line_no for ln in lines] == [1, 2, 3]
    assert sum(ln.paid for ln in lines) == sale.total
    assert lines[0].unit_price == 300 and lines[0].list_price == 350

    payments = list(PaymentRow.select().where(PaymentRow.sale == sale).order_by(PaymentRow.id))
    assert sum(p.amount for p in payments) == sale.total
    assert [(p.tender, p.amount) for p in payments] == [("points", 200), ("stored_value", 1000), ("cash", 2027)]
    cash = payments[-1]
    assert (cash.given, cash.change) == (5000, 2973)
    assert payments[0].points == 200

    assert (stock("6901"), stock("6902"), stock("6903")) == (97, 49, 18)
    moves = list(StockMoveRow.select().where(StockMoveRow.sale == sale))
    assert sorted((m.product.barcode, m.qty, m.reason) for m in moves) == [
        ("6901", -3, "sale"),
        ("6902", -1, "sale"),
        ("6903", -2, "sale"),
    ]

    points = sorted((m.points, m.reason) for m in PointsMoveRow.select().where(PointsMoveRow.sale == sale))
    assert points == [(-200, "redeem"), (earned, "earn")]
    assert member_row().points == 500 - 200 + earned

    sv = list(StoredValueMoveRow.select().where(StoredValueMoveRow.sale == sale))
    assert [(m.amount, m.reason) for m in sv] == [(-1000, "sale")]
    assert member_row().balance == 10000 - 1000

    entry = AuditRow.select().where((AuditRow.action == "sale") & (AuditRow.entity == result.order_no)).get()
    assert entry.staff_code == "001"
    assert audit.verify() is None

    job = PrintJobRow.get_by_id(result.print_job_id)
    assert (job.kind, job.ref_no, job.status, job.attempts) == ("receipt", result.order_no, "queued", 0)
    assert result.order_no in job.text
    assert printing.waiting_count(fixed_ctx) == 1

    detail = checkout.sale_by_order_no(" " + result.order_no + " ")
    assert detail is not None and detail.id == sale.id
    assert len(detail.lines) == 3 and len(detail.payments) == 3


def test_second_sale_takes_the_next_number(fixed_ctx, cashier):
    for expected in ("S01-20261122-0001", "S01-20261122-0002"):
        basket = Basket()
        basket.add(catalog.product_for_scan("6903"))
        plan = checkout.new_plan(fixed_ctx, basket)
        plan.add(TenderKind.CARD, 599)
        assert checkout.complete_sale(fixed_ctx, cashier, basket, plan).order_no == expected


def test_tickets_wait_stamped_by_the_tills_clock(fixed_ctx, cashier):
    """The print queue shows when each ticket was recorded: by the till's clock, as the sale,
    the refund and the reprint themselves are (it showed the computer's clock)."""
    basket = Basket()
    basket.add(catalog.product_for_scan("6901"))
    plan = checkout.new_plan(fixed_ctx, basket)
    plan.add(TenderKind.CASH, 350)
    sale = checkout.complete_sale(fixed_ctx, cashier, basket, plan)
    line = SaleLineRow.get(SaleLineRow.sale == sale.sale_id)
    refund = refunds.confirm(fixed_ctx, cashier, RefundDraft(sale.sale_id, (Pick(line.id, 1),), "changed_mind"))
    again = printing.reprint(fixed_ctx, cashier, sale.order_no)
    jobs = {job.id: job for job in printing.waiting_jobs(fixed_ctx)}
    assert refund.print_job_id is not None
    assert [jobs[i].created_at for i in (sale.print_job_id, refund.print_job_id, again)] == [FIXED] * 3


def test_sale_without_member_touches_no_member_rows(fixed_ctx, cashier):
    before = snapshot()
    basket = Basket()
    basket.add(catalog.product_for_scan("6901"), 2)
    plan = checkout.new_plan(fixed_ctx, basket)
    assert plan.due == 700  # list price: no member
    plan.add(TenderKind.WECHAT, 700, reference="4200000001")
    result = checkout.complete_sale(fixed_ctx, cashier, basket, plan)
    assert result.points_earned == 0 and result.paid_cash is False and result.change == 0
    assert PointsMoveRow.select().count() == before["points_moves"]
    assert StoredValueMoveRow.select().count() == before["sv_moves"]
    assert member_row().points == before["points"]
    assert PaymentRow.get(PaymentRow.sale == result.sale_id).reference == "4200000001"
    assert SaleRow.get_by_id(result.sale_id).member_id is None


@pytest.mark.parametrize("target", ["tui_pos.store.audit.append", "tui_pos.services.printing.queue_receipt"])
def test_failure_before_commit_writes_nothing(fixed_ctx, cashier, monkeypatch, target):
    before = snapshot()
    basket = member_basket()
    plan = full_plan(fixed_ctx, basket)

    def boom(*args, **kwargs):
        raise RuntimeError("injected failure")

    monkeypatch.setattr(target, boom)
    with pytest.raises(RuntimeError, match="injected"):
        checkout.complete_sale(fixed_ctx, cashier, basket, plan)
    after = snapshot()
    assert after == before
    assert SaleRow.select().count() == 0
    assert SaleLineRow.select().count() == 0
    assert PaymentRow.select().count() == 0
    assert StockMoveRow.select().count() == 0
    assert PointsMoveRow.select().count() == 0

    # the number was not used up either: the next good sale is still -0001
    monkeypatch.undo()
    result = checkout.complete_sale(fixed_ctx, cashier, basket, plan)
    assert result.order_no == "S01-20261122-0001"


def test_stored_value_spent_elsewhere_between_plan_and_commit(fixed_ctx, cashier):
    basket = member_basket()
    plan = checkout.new_plan(fixed_ctx, basket)
    plan.add(TenderKind.STORED_VALUE, 3000)
    plan.add(TenderKind.CASH, 1000)
    # another till spends most of the balance meanwhile
    MemberRow.update(balance=2000).where(MemberRow.card_no == "M000001").execute()
    before = snapshot()
    with pytest.raises(PaymentError, match="balance"):
        checkout.complete_sale(fixed_ctx, cashier, basket, plan)
    assert snapshot() == before
    assert before["balance"] == 2000


def test_points_spent_elsewhere_between_plan_and_commit(fixed_ctx, cashier):
    basket = member_basket()
    plan = checkout.new_plan(fixed_ctx, basket)
    plan.add(TenderKind.POINTS, 400)
    plan.add(TenderKind.CARD, basket.totals().total - 400)
    MemberRow.update(points=100).where(MemberRow.card_no == "M000001").execute()
    before = snapshot()
    with pytest.raises(PaymentError, match="points"):
        checkout.complete_sale(fixed_ctx, cashier, basket, plan)
    assert snapshot() == before


def test_unpaid_plan_raises_and_writes_nothing(fixed_ctx, cashier):
    before = snapshot()
    basket = member_basket()
    plan = checkout.new_plan(fixed_ctx, basket)
    plan.add(TenderKind.CARD, 1000)
    with pytest.raises(PaymentError, match="Not fully paid"):
        checkout.complete_sale(fixed_ctx, cashier, basket, plan)
    assert snapshot() == before


def test_plan_for_a_different_total_raises(fixed_ctx, cashier):
    basket = Basket()
    basket.add(catalog.product_for_scan("6903"))
    plan = checkout.new_plan(fixed_ctx, basket)
    plan.add(TenderKind.CARD, 599)
    basket.add(catalog.product_for_scan("6903"))  # basket changed after payment was taken
    before = snapshot()
    with pytest.raises(PaymentError):
        checkout.complete_sale(fixed_ctx, cashier, basket, plan)
    assert snapshot() == before


def test_empty_basket_cannot_be_sold(fixed_ctx, cashier):
    basket = Basket()
    plan = checkout.new_plan(fixed_ctx, basket)
    with pytest.raises(InvalidInput):
        checkout.complete_sale(fixed_ctx, cashier, basket, plan)
    assert SaleRow.select().count() == 0


def test_staff_without_sell_permission_is_refused(fixed_ctx, monkeypatch):
    from tui_pos.domain import staff as staff_rules

    monkeypatch.setitem(staff_rules.PERMISSIONS, "sell", Role.SUPERVISOR)
    basket = Basket()
    basket.add(catalog.product_for_scan("6903"))
    plan = checkout.new_plan(fixed_ctx, basket)
    plan.add(TenderKind.CARD, 599)
    with pytest.raises(InsufficientPermission):
        checkout.complete_sale(fixed_ctx, Staff(1, "001", "Li", Role.CASHIER), basket, plan)
    assert SaleRow.select().count() == 0


def test_training_sale_is_marked(config, tmp_path):
    from dataclasses import replace

    from tui_pos.services import staff as staff_service
    from tui_pos.services.context import close_shop, open_shop

    from conftest import PINS, seed

    training = replace(config, training=True, db_path=tmp_path / "training.db")
    tctx = open_shop(training, clock=lambda: FIXED)
    try:
        seed(tctx)
        cashier = staff_service.login(tctx, "001", PINS["001"])
        basket = Basket()
        basket.add(catalog.product_for_scan("6903"))
        plan = checkout.new_plan(tctx, basket)
        plan.add(TenderKind.CASH, 1000)
        result = checkout.complete_sale(tctx, cashier, basket, plan)
        assert result.order_no == "TS01-20261122-0001"
        assert SaleRow.get_by_id(result.sale_id).training is True
        assert "TRAINING" in PrintJobRow.get_by_id(result.print_job_id).text
    finally:
        close_shop()
    assert not config.db_path.exists()  # the live database was never opened


def test_void_basket_writes_an_audit_entry(fixed_ctx, cashier):
    basket = Basket()
    basket.add(catalog.product_for_scan("6901"), 2)
    basket.add(catalog.product_for_scan("6902"))
    before = snapshot()
    checkout.void_basket(fixed_ctx, cashier, basket)
    entry = AuditRow.select().where(AuditRow.action == "void").order_by(AuditRow.id.desc()).get()
    assert entry.staff_code == "001"
    assert "6901" in entry.detail and "6902" in entry.detail
    assert basket.lines == []
    after = snapshot()
    assert after["audit"] == before["audit"] + 1
    assert after["sales"] == 0 and after["stock"] == before["stock"]
    assert audit.verify() is None


def test_void_empty_basket_raises(fixed_ctx, cashier):
    with pytest.raises(InvalidInput):
        checkout.void_basket(fixed_ctx, cashier, Basket())
