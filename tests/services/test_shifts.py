"""Shifts and cash reconciliation on a real SQLite file: a scripted day, checked by hand."""

from __future__ import annotations

from datetime import datetime

import peewee
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui_pos.domain.basket import Basket
from tui_pos.domain.errors import Conflict, InsufficientPermission, InvalidInput, NotFound
from tui_pos.domain.refund import Pick
from tui_pos.domain.shift import DENOMINATIONS, CashCount, parse_cash_count
from tui_pos.domain.tenders import TenderKind
from tui_pos.services import catalog, checkout, refunds, shifts
from tui_pos.services.context import Context
from tui_pos.services.refunds import RefundDraft
from tui_pos.store.models import CashMoveRow, PaymentRow, ShiftRow, database


def sell(ctx, actor, items: dict[str, int], tender=TenderKind.CASH, given: int | None = None):
    basket = Basket()
    for code, qty in items.items():
        basket.add(catalog.product_for_scan(code), qty)
    plan = checkout.new_plan(ctx, basket)
    plan.add(tender, given or plan.due, reference="" if tender == TenderKind.CASH else "REF1")
    return checkout.complete_sale(ctx, actor, basket, plan)


def refund_one(ctx, actor, sale_id: int, qty: int = 1, tender: str = "cash") -> str:
    lookup = refunds.load_order(ctx, sale_id)
    line = next(iter(lookup.history.values()))
    draft = RefundDraft(sale_id, (Pick(line.sale_line_id, qty),), "quality", tender=tender)
    return refunds.confirm(ctx, actor, draft, ("002", "2222")).refund_no


# --- parsing what the cashier counted --------------------------------------------------------------


def test_cash_count_total_or_denominations():
    assert parse_cash_count("500") == CashCount(50000)
    assert parse_cash_count("１２３.５") == CashCount(12350)  # full-width digits from a Chinese IME
    count = parse_cash_count("100x3 50*2，1x12 0.5x4")
    assert count.total == 30000 + 10000 + 1200 + 200
    assert count.pieces == ((10000, 3), (5000, 2), (100, 12), (50, 4))
    assert count.describe() == "100.00x3 50.00x2 1.00x12 0.50x4"
    for bad, words in (
        ("", "Enter the cash"),
        ("abc", "Not a cash count"),
        ("-5", "negative"),
        ("100x-2", "negative"),
        ("-100x2", "negative"),
        ("30x2", "not a note"),
        ("100x3 junk", "Not a cash count"),
    ):
        with pytest.raises(InvalidInput) as info:
            parse_cash_count(bad)
        assert words in info.value.message, bad


@given(st.lists(st.tuples(st.sampled_from(DENOMINATIONS), st.integers(0, 500)), max_size=8))
def test_cash_count_adds_up(pieces):
    text = " ".join(f"{d // 100}.{d % 100:02d}x{n}" for d, n in pieces)
    if not text:
        return
    assert parse_cash_count(text).total == sum(d * n for d, n in pieces)


# --- a scripted day ----------------------------------------------------------------------------------


def test_a_scripted_day_reconciles_to_the_cent(ctx, cashier, supervisor, manager):
    """Float 500.00 (from conftest). Then, by hand:
    cash sales: 6901 x2 = 7.00, 6902 = 12.99, 6903 x3 = 17.97      -> cash sales 37.96
    card sale: 6902 x2 = 25.98, wechat sale: 6901 = 3.50
    cash refund of one 6903 (5.99) and of one 6901 (3.50)           -> cash refunds 9.49
    card refund of one 6902 (12.99)
    paid in 200.00 (change from the bank), paid out 35.50 (delivery)
    expected cash = 500.00 + 37.96 - 9.49 + 200.00 - 35.50 = 692.97"""
    a = sell(ctx, cashier, {"6901": 2})
    sell(ctx, cashier, {"6902": 1}, given=2000)  # 20.00 given, 7.01 change: only 12.99 stays
    c = sell(ctx, cashier, {"6903": 3})
    d = sell(ctx, cashier, {"6902": 2}, tender=TenderKind.CARD)
    sell(ctx, cashier, {"6901": 1}, tender=TenderKind.WECHAT)
    refund_one(ctx, cashier, c.sale_id)
    refund_one(ctx, cashier, a.sale_id)
    refund_one(ctx, cashier, d.sale_id, tender="card")
    shifts.cash_move(ctx, cashier, "paid_in", 20000, "change from the bank")
    shifts.cash_move(ctx, cashier, "paid_out", 3550, "milk delivery")
    basket = Basket()
    basket.add(catalog.product_for_scan("6901"))
    checkout.void_basket(ctx, cashier, basket)

    x = shifts.report(ctx)
    assert x.tender("cash").sales == 3796 and x.tender("cash").refunds == 949
    assert x.tender("card").sales == 2598 and x.tender("card").refunds == 1299
    assert x.tender("wechat").sales == 350 and x.tender("wechat").refunds == 0
    assert (x.paid_in, x.paid_out) == (20000, 3550)
    assert x.expected_cash == 69297
    assert (x.sales_count, x.refund_count, x.voids) == (5, 3, 1)
    assert x.net_total == 3796 + 2598 + 350 - 949 - 1299
    # every tender figure equals the payments table, to the cent
    total = PaymentRow.select(peewee.fn.SUM(PaymentRow.amount)).where(PaymentRow.shift == x.shift_id).scalar()
    assert x.net_total == total
    assert not x.is_closed and x.counted is None

    # counted 692.90 by denomination: 0.07 short, under the ￥10 note limit
    closed = shifts.close_shift(ctx, cashier, parse_cash_count("100x6 50x1 20x2 1x2 0.1x4 0.5x1"))  # 692.90
    z = closed.report
    assert z.is_closed and z.counted == 69290 and z.variance == -7 and z.expected_cash == 69297
    assert shifts.report(ctx, x.shift_id) == z  # the stored Z report reads back the same
    assert shifts.current(ctx) is None


def test_variance_over_the_limit_needs_a_note(ctx, cashier):
    sell(ctx, cashier, {"6902": 1})  # expected 500.00 + 12.99 = 512.99
    with pytest.raises(InvalidInput) as info:
        shifts.close_shift(ctx, cashier, CashCount(50000))  # 12.99 short, limit 10.00
    assert "note" in info.value.message
    assert shifts.current(ctx) is not None  # nothing happened
    z = shifts.close_shift(ctx, cashier, CashCount(50000), "gave change for 20 instead of 10").report
    assert z.variance == -1299 and z.note.startswith("gave change")


def test_a_closed_shift_cannot_change(ctx, cashier):
    shift_id = shifts.current(ctx).id
    shifts.close_shift(ctx, cashier, CashCount(50000))
    with pytest.raises(Conflict):
        shifts.close_shift(ctx, cashier, CashCount(50000))
    with pytest.raises(Conflict):  # no sale without an open shift
        sell(ctx, cashier, {"6901": 1})
    with pytest.raises(Conflict):
        shifts.cash_move(ctx, cashier, "paid_in", 100, "x")
    # not even by hand with SQL: the database refuses
    for sql in (
        "UPDATE shift SET counted = 1 WHERE id = ?",
        "DELETE FROM shift WHERE id = ?",
        "INSERT INTO payment (shift_id, tender, amount, given, change, points, reference, created_at) "
        "VALUES (?, 'cash', 100, 0, 0, 0, '', '2026-11-23')",
        "INSERT INTO cash_move (shift_id, kind, amount, reason, staff_code, at) "
        "VALUES (?, 'paid_in', 100, 'x', '001', '2026-11-23')",
    ):
        with pytest.raises(peewee.IntegrityError, match="shift is closed"):
            database.execute_sql(sql, (shift_id,))
    assert ShiftRow.get_by_id(shift_id).counted == 50000


def test_late_refund_goes_into_the_current_shift(ctx, cashier):
    sale = sell(ctx, cashier, {"6903": 2})  # 11.98 cash in shift 1
    first = shifts.current(ctx).id
    shifts.close_shift(ctx, cashier, CashCount(50000 + 1198))
    second = shifts.open_shift(ctx, cashier, CashCount(30000))
    refund_no = refund_one(ctx, cashier, sale.sale_id)
    x = shifts.report(ctx)
    assert x.shift_id == second and x.late_refunds == 1 and x.late_refund_amount == 599
    assert x.expected_cash == 30000 - 599
    assert shifts.report(ctx, first).tender("cash").refunds == 0  # the closed one is untouched
    assert refunds.detail(refund_no).summary.refund_no == refund_no


def test_pending_refund_blocks_close_unless_carried_over(ctx, cashier, manager):
    big = sell(ctx, cashier, {"6902": 20})  # 259.80: over the cashier's 200.00 limit
    lookup = refunds.load_order(ctx, big.sale_id)
    line = next(iter(lookup.history.values()))
    parked = refunds.park(ctx, cashier, RefundDraft(big.sale_id, (Pick(line.sale_line_id, 20),), "quality"))
    expected = shifts.report(ctx).expected_cash
    with pytest.raises(Conflict) as info:
        shifts.close_shift(ctx, cashier, CashCount(expected))
    assert parked.refund_no in info.value.message
    z = shifts.close_shift(ctx, cashier, CashCount(expected), carry_over=True).report
    assert z.pending_refunds == (parked.refund_no,)
    # approved next morning: paid from the new shift's drawer
    new = shifts.open_shift(ctx, cashier, CashCount(50000))
    refunds.approve_parked(ctx, manager, parked.refund_no)
    x = shifts.report(ctx)
    assert x.shift_id == new and x.tender("cash").refunds == 25980 and x.late_refunds == 1


def test_paid_out_cannot_exceed_the_drawer_and_needs_a_reason(ctx, cashier):
    with pytest.raises(InvalidInput, match="Only"):
        shifts.cash_move(ctx, cashier, "paid_out", 50001, "too much")
    with pytest.raises(InvalidInput):
        shifts.cash_move(ctx, cashier, "paid_in", 100, "  ")
    with pytest.raises(InvalidInput):
        shifts.cash_move(ctx, cashier, "paid_in", -100, "negative")
    assert CashMoveRow.select().count() == 0


def test_one_open_shift_per_till_and_day_summary_across_tills(ctx, cashier, supervisor):
    with pytest.raises(Conflict):
        shifts.open_shift(ctx, cashier, CashCount(0))
    till2 = Context(ctx.config.__class__(**{**ctx.config.__dict__, "till_code": "02"}), ctx.clock)
    shifts.open_shift(till2, cashier, CashCount(20000))
    sell(ctx, cashier, {"6901": 1})
    sell(till2, cashier, {"6902": 1}, tender=TenderKind.ALIPAY)
    with pytest.raises(InsufficientPermission):
        shifts.day_summary(ctx, cashier)
    day = shifts.day_summary(ctx, supervisor)
    assert [r.till_code for r in day.shifts] == ["01", "02"]
    assert day.tender_net() == {"cash": (350, 0), "alipay": (1299, 0)}
    assert day.total("opening_float") == 70000
    with pytest.raises(NotFound):
        shifts.report(ctx, 999)
    with pytest.raises(InvalidInput):
        shifts.parse_day("2026-13-45")
    assert shifts.parse_day("2026-11-23") == datetime(2026, 11, 23)
