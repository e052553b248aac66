"""The basket: lines, member price, member-level discount, totals that always add up."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_pos.domain.basket import Basket, points_earned
from tui_pos.domain.catalog import MAX_QTY, Member, Product
from tui_pos.domain.errors import InvalidInput
from tui_pos.domain.money import MAX_CENTS, apply_bp

COLA = Product(1, "6901", "可口可乐 330ml", "drinks", price=350, member_price=300)
BREAD = Product(2, "6902", "全麦面包", "food", price=1299)
BOOK = Product(3, "6903", "Notebook A5", "stationery", price=599, member_price=650)  # "member price" above list
GOLD = Member(1, "M000001", "张三", "13800001234", "gold", points=500, balance=10000)


def test_empty_basket_totals_are_zero():
    totals = Basket().totals()
    assert totals.lines == ()
    assert (totals.subtotal, totals.member_saving, totals.level_discount, totals.total, totals.item_count) == (
        0,
        0,
        0,
        0,
        0,
    )
    assert totals.discount == 0


def test_subtotal_without_member_uses_list_prices():
    basket = Basket()
    basket.add(COLA, 3)
    basket.add(BREAD)
    totals = basket.totals()
    assert totals.subtotal == 3 * 350 + 1299
    assert totals.member_saving == 0
    assert totals.total == totals.subtotal
    assert totals.item_count == 4
    assert [line.unit_price for line in totals.lines] == [350, 1299]


def test_member_price_applies_only_with_a_member():
    basket = Basket()
    basket.add(COLA, 2)
    basket.add(BOOK)
    assert basket.totals().total == 2 * 350 + 599
    basket.attach(GOLD)
    totals = basket.totals()
    assert totals.lines[0].unit_price == 300
    assert totals.lines[0].list_price == 350
    assert totals.lines[1].unit_price == 599  # a member price above list is never charged
    assert totals.subtotal == 2 * 350 + 599
    assert totals.member_saving == 100
    assert totals.total == 2 * 300 + 599
    basket.attach(None)
    assert basket.totals().total == 2 * 350 + 599


def test_level_discount_rounds_half_up_and_spreads_over_lines():
    basket = Basket()
    basket.add(COLA, 3)
    basket.add(BREAD)
    basket.add(BOOK, 2)
    basket.attach(GOLD, 500)  # 5 % off
    totals = basket.totals()
    after_member = 3 * 300 + 1299 + 2 * 599
    assert after_member == 3397
    assert totals.level_discount == 170  # 169.85 rounds up
    assert totals.total == 3397 - 170
    assert sum(line.net for line in totals.lines) == totals.total
    assert totals.discount == totals.subtotal - totals.total
    assert [line.discount for line in totals.lines] == [line.list_price * line.qty - line.net for line in totals.lines]


def test_level_discount_needs_a_member():
    basket = Basket()
    basket.add(BREAD)
    basket.attach(None, 500)
    assert basket.level_discount_bp == 0
    assert basket.totals().total == 1299


def test_adding_the_same_product_merges_lines():
    basket = Basket()
    assert basket.add(COLA) == 0
    assert basket.add(BREAD, 2) == 1
    assert basket.add(COLA, 4) == 0
    assert len(basket.lines) == 2
    assert basket.lines[0].qty == 5
    assert basket.totals().item_count == 7


@pytest.mark.parametrize("qty", [0, -1, MAX_QTY + 1])
def test_add_rejects_quantities_out_of_bounds(qty):
    basket = Basket()
    with pytest.raises(InvalidInput):
        basket.add(COLA, qty)
    assert basket.lines == []


def test_quantity_bounds_on_merge_and_set_qty():
    basket = Basket()
    basket.add(COLA, MAX_QTY)
    with pytest.raises(InvalidInput):
        basket.add(COLA)
    assert basket.lines[0].qty == MAX_QTY
    basket.set_qty(0, 1)
    assert basket.lines[0].qty == 1
    for bad in (0, -3, MAX_QTY + 1):
        with pytest.raises(InvalidInput):
            basket.set_qty(0, bad)
    assert basket.lines[0].qty == 1
    with pytest.raises(InvalidInput):
        basket.set_qty(5, 1)


def test_line_price_overflow_rejected():
    dear = Product(9, "9999", "Gold bar", "misc", price=100_000)  # 1000.00 x 9999 > 1,000,000.00
    basket = Basket()
    with pytest.raises(InvalidInput, match="too large"):
        basket.add(dear, MAX_QTY)
    basket.add(dear, 1000)  # exactly 1,000,000.00
    assert basket.totals().total == MAX_CENTS
    with pytest.raises(InvalidInput, match="too large"):
        basket.add(dear)
    assert basket.lines[0].qty == 1000


def test_sale_total_overflow_rejected():
    big_a = Product(10, "A", "A", "misc", price=60_000_000)
    big_b = Product(11, "B", "B", "misc", price=50_000_000)
    basket = Basket()
    basket.add(big_a)
    with pytest.raises(InvalidInput, match="Sale total too large"):
        basket.add(big_b)
    assert len(basket.lines) == 1
    small = Product(12, "C", "C", "misc", price=20_000_000)
    basket.add(small)
    with pytest.raises(InvalidInput, match="Sale total too large"):
        basket.set_qty(1, 3)
    assert basket.lines[1].qty == 1


def test_void_line():
    basket = Basket()
    basket.add(COLA)
    basket.add(BREAD)
    voided = basket.void_line(0)
    assert voided.product == COLA
    assert [line.product for line in basket.lines] == [BREAD]
    assert basket.totals().total == 1299
    for bad in (-1, 1, 7):
        with pytest.raises(InvalidInput):
            basket.void_line(bad)
    assert len(basket.lines) == 1


def test_clear_drops_lines_member_and_discount():
    basket = Basket()
    basket.add(COLA)
    basket.attach(GOLD, 500)
    basket.clear()
    assert basket.lines == []
    assert basket.member is None
    assert basket.level_discount_bp == 0
    assert basket.totals().total == 0


@pytest.mark.parametrize(
    "paid, rate, earned", [(1999, 1, 19), (100, 1, 1), (99, 1, 0), (0, 1, 0), (-500, 1, 0), (2500, 2, 50)]
)
def test_points_earned(paid, rate, earned):
    assert points_earned(paid, rate) == earned


# --- properties -------------------------------------------------------------------------------


@st.composite
def products(draw):
    count = draw(st.integers(min_value=1, max_value=8))
    out = []
    for i in range(count):
        price = draw(st.integers(min_value=0, max_value=200_000))
        member_price = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=250_000)))
        out.append(
            (
                Product(i + 1, f"B{i}", f"P{i}", "c", price=price, member_price=member_price),
                draw(st.integers(min_value=1, max_value=MAX_QTY)),
            )
        )
    return out


@settings(max_examples=250, deadline=None)
@given(products(), st.booleans(), st.integers(min_value=0, max_value=10000))
def test_totals_always_add_up(items, with_member, bp):
    basket = Basket()
    for product, qty in items:
        with contextlib.suppress(InvalidInput):  # over the price limit: rejected, the basket stays as it was
            basket.add(product, qty)
    basket.attach(GOLD if with_member else None, bp)
    totals = basket.totals()

    assert totals.subtotal == sum(line.product.price * line.qty for line in basket.lines)
    assert totals.subtotal <= MAX_CENTS
    grosses = []
    for line in totals.lines:
        expected_unit = line.product.price
        if with_member and line.product.member_price is not None:
            expected_unit = min(line.product.price, line.product.member_price)
        assert line.unit_price == expected_unit
        assert line.gross == line.unit_price * line.qty
        assert 0 <= line.net <= line.gross
        assert line.discount == line.list_price * line.qty - line.net
        assert line.discount >= 0
        grosses.append(line.gross)
    after_member = sum(grosses)
    assert totals.member_saving == totals.subtotal - after_member
    assert totals.level_discount == apply_bp(after_member, bp if with_member else 0)
    assert totals.total == after_member - totals.level_discount
    assert sum(line.net for line in totals.lines) == totals.total
    assert sum(line.discount for line in totals.lines) == totals.discount
    assert totals.discount == totals.subtotal - totals.total
    assert totals.item_count == sum(line.qty for line in basket.lines)
    assert totals.total >= 0


@settings(max_examples=250, deadline=None)
@given(products(), st.booleans(), st.integers(min_value=0, max_value=10000), st.integers(0, 2 * MAX_CENTS))
def test_what_the_screen_shows_adds_up_with_an_exchange_credit(items, with_member, bp, credit):
    """The basket table shows each line's qty, list price, discount and amount; the totals panel
    what was saved, the total, the exchange credit and what is due or given back. Each figure is
    read from these totals, so every sum a cashier or customer can do on screen comes out, to the fen."""
    basket = Basket()
    for product, qty in items:
        with contextlib.suppress(InvalidInput):
            basket.add(product, qty)
    basket.attach(GOLD if with_member else None, bp)
    totals = basket.totals()

    for line in totals.lines:  # one row: qty x price - discount = amount
        assert line.qty * line.list_price - line.discount == line.net
    assert sum(line.net for line in totals.lines) == totals.total  # the amounts sum to the total
    assert sum(line.discount for line in totals.lines) == totals.discount  # the discounts to "saved"
    due, back = totals.due(credit), totals.give_back(credit)
    assert due >= 0 and back >= 0 and not (due and back)
    assert totals.total - credit == due - back
    assert totals.subtotal - totals.discount - credit == due - back  # list prices - discount - credit
    assert totals.due() == totals.total and totals.give_back() == 0  # no exchange: the total is due
