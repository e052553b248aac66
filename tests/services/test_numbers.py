"""Order and refund numbers carry the store code (S01-20261122-0001); the numbers a shop printed
before it joined a chain (S20261122-0001) are still found and still recognised."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui_pos.domain.basket import Basket
from tui_pos.domain.errors import NotFound, RefundNotAllowed
from tui_pos.domain.numbers import read_number, scan_payload
from tui_pos.domain.refund import Pick
from tui_pos.domain.sales import is_refund_no
from tui_pos.domain.tenders import TenderKind
from tui_pos.services import catalog, checkout, orders, refunds
from tui_pos.services.refunds import RefundDraft
from tui_pos.store.models import RefundRow, SaleRow


def sell(ctx, actor) -> int:
    basket = Basket()
    basket.add(catalog.product_for_scan("6901"), 2)
    plan = checkout.new_plan(ctx, basket)
    plan.add(TenderKind.CASH, plan.due)
    return checkout.complete_sale(ctx, actor, basket, plan).sale_id


def refund_one(ctx, actor, sale_id: int) -> str:
    (line,) = refunds.load_order(ctx, sale_id).history.values()
    return refunds.confirm(ctx, actor, RefundDraft(sale_id, (Pick(line.sale_line_id, 1),), "quality")).refund_no


@pytest.mark.parametrize(
    ("text", "refund"),
    [
        ("R01-20261122-0001", True),
        ("TR01-20261122-0001", True),
        ("rbj1-20261122-0012", True),  # as typed; the lookups upper-case first
        ("R20261122-0001", True),  # before the chain
        ("TR20261122-0001", True),
        ("S01-20261122-0001", False),
        ("S20261122-0001", False),
        ("R123456789-20261122-0001", False),  # a store code has at most 8 characters
        ("6901234567890", False),
    ],
)
def test_refund_numbers_old_and_new(text, refund):
    assert is_refund_no(text.upper()) is refund


def test_the_store_code_is_in_every_new_number(ctx, cashier):
    sale_id = sell(ctx, cashier)
    order_no = SaleRow.get_by_id(sale_id).order_no
    refund_no = refund_one(ctx, cashier, sale_id)
    assert order_no.startswith("S01-") and refund_no.startswith("R01-")
    assert refunds.find_order(ctx, order_no.lower()).sale.id == sale_id
    for lookup in (lambda: refunds.find_order(ctx, refund_no), lambda: orders.order_detail(refund_no)):
        with pytest.raises(NotFound, match="is a refund no., not an order no."):
            lookup()
    with pytest.raises(NotFound, match="is a refund no., not a product barcode"):
        catalog.product_for_scan(refund_no)
    with pytest.raises(RefundNotAllowed, match="training order"):
        refunds.find_order(ctx, "T" + order_no)
    assert refunds.detail(refund_no.lower()).summary.order_no == order_no


def test_numbers_from_before_the_chain_are_still_found(ctx, cashier):
    """A shop's receipts and vouchers printed before the upgrade: scanned or typed, as before."""
    sale_id = sell(ctx, cashier)
    SaleRow.update(order_no="S20261122-0007").where(SaleRow.id == sale_id).execute()
    refund_no = refund_one(ctx, cashier, sale_id)
    RefundRow.update(refund_no="R20261122-0003").where(RefundRow.refund_no == refund_no).execute()
    assert refunds.find_order(ctx, "s20261122-0007").sale.id == sale_id
    assert orders.order_detail("S20261122-0007").sale.id == sale_id
    assert refunds.detail("R20261122-0003").summary.order_no == "S20261122-0007"
    with pytest.raises(NotFound, match="is a refund no., not an order no."):
        refunds.find_order(ctx, "R20261122-0003")
    with pytest.raises(NotFound, match="is a refund no., not a product barcode"):
        catalog.product_for_scan("R20261122-0003")
    with pytest.raises(RefundNotAllowed, match="training order"):
        refunds.find_order(ctx, "TS20261122-0007")


# --- scan payloads: the code carries the number without its dashes ------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("S01202612010001", "S01-20261201-0001"),
        ("TR01202611220001", "TR01-20261122-0001"),
        ("rbj1202611220012", "RBJ1-20261122-0012"),  # as typed
        ("SR1202612010001", "SR1-20261201-0001"),  # a store code that starts like a kind
        ("S202612010001", "S20261201-0001"),  # before the chain
        ("S01-20261201-0001", "S01-20261201-0001"),  # typed with its dashes
        ("S012026120110001", "S01-20261201-10001"),  # a counter past 9999
        ("6901234567890", "6901234567890"),  # a product's barcode
        ("M000001", "M000001"),  # a member's card
        ("S01202613010001", "S01202613010001"),  # no such day: not a number
        ("S0120261201001", "S0120261201001"),  # a digit short
    ],
)
def test_read_number(text, number):
    assert read_number(text) == number


@given(
    kind=st.sampled_from(["S", "R", "TS", "TR"]),
    store=st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=0, max_size=4),
    day=st.dates(date(2000, 1, 1), date(2099, 12, 31)),
    counter=st.integers(1, 99_999),
)
def test_scan_payload_reads_back(kind, store, day, counter):
    """Any store code of up to four letters or digits ("" before the chain), any day, any
    counter the sequence gives (a fifth digit past 9999)."""
    number = f"{kind}{store}-{day:%Y%m%d}-{counter:04d}" if store else f"{kind}{day:%Y%m%d}-{counter:04d}"
    payload = scan_payload(number)
    assert "-" not in payload
    assert read_number(payload) == number
    assert read_number(payload.lower()) == number
    assert read_number(number) == number
    assert is_refund_no(read_number(payload)) is ("R" in kind)


def test_scanned_payloads_find_the_order_and_the_refund(ctx, cashier):
    """What a 1D scanner types from a receipt or a voucher (no dashes) finds what the number does:
    refund step 1, order lookup, the refund list and detail, checkout's scan."""
    sale_id = sell(ctx, cashier)
    order_no = SaleRow.get_by_id(sale_id).order_no
    refund_no = refund_one(ctx, cashier, sale_id)
    order_code, refund_code = scan_payload(order_no), scan_payload(refund_no)
    assert order_code == order_no.replace("-", "") and order_code != order_no
    assert refunds.find_order(ctx, order_code).sale.id == sale_id
    assert refunds.find_order(ctx, f" {order_code.lower()}\n").sale.id == sale_id
    assert orders.order_detail(order_code).sale.id == sale_id
    assert refunds.detail(refund_code).summary.refund_no == refund_no
    assert [r.refund_no for r in refunds.search(refund_code)] == [refund_no]
    assert [r.refund_no for r in refunds.search(order_code)] == [refund_no]
    with pytest.raises(NotFound, match=f"{refund_no} is a refund no., not an order no."):
        refunds.find_order(ctx, refund_code)
    with pytest.raises(NotFound, match=f"{refund_no} is a refund no., not a product barcode"):
        catalog.product_for_scan(refund_code)
    with pytest.raises(NotFound, match=f"{order_no} is an order no. \\(a receipt\\), not a product barcode"):
        catalog.product_for_scan(order_code)
    with pytest.raises(RefundNotAllowed, match="training order"):
        refunds.find_order(ctx, "T" + order_code)
