"""Receipts as printable lines: pure layout, checked for content, widths and training marks."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import datetime

import pytest

from tui_pos.config import PrinterConfig
from tui_pos.devices.layout import cells
from tui_pos.devices.tickets import Item, Ticket, receipt
from tui_pos.domain.basket import Basket
from tui_pos.domain.sales import PaymentView, SaleDetail, SaleLineView
from tui_pos.domain.tenders import TenderKind
from tui_pos.i18n import set_language, tr
from tui_pos.services import catalog, checkout, members


def make_sale(**overrides) -> SaleDetail:
    lines = (
        SaleLineView(1, 1, 1, "6901", "可口可乐 330ml", "drinks", 3, 350, 300, 150, 855),
        SaleLineView(
            2, 2, 2, "6902", "有机全麦面包 Organic Wholemeal Bread 500g 超长名称测试", "food", 1, 1299, 1299, 65, 1234
        ),
        SaleLineView(3, 3, 3, "6903", "Notebook A5", "stationery", 2, 599, 599, 60, 1138),
    )
    payments = (
        PaymentView("points", 200, 0, 0, 200, ""),
        PaymentView("stored_value", 1000, 0, 0, 0, ""),
        PaymentView("wechat", 27, 0, 0, 0, "4200001234"),
        PaymentView("cash", 2000, 5000, 3000, 0, ""),
    )
    base = dict(
        id=1,
        order_no="S20261122-0001",
        till_code="01",
        staff_code="001",
        staff_name="Cashier Li",
        member_id=1,
        member_card="M000001",
        member_name="张三",
        member_phone="13800001234",
        status="completed",
        created_at=datetime(2026, 11, 22, 10, 30),
        subtotal=3547,
        discount=320,
        total=3227,
        change=3000,
        points_earned=30,
        points_redeemed=200,
        training=False,
        lines=lines,
        payments=payments,
    )
    base.update(overrides)
    return SaleDetail(**base)


def check_widths(ticket: Ticket) -> None:
    for item in ticket.items:
        if item.kind == "text":
            room = ticket.width // 2 if item.double else ticket.width
            assert cells(item.text) <= room, item.text


@pytest.mark.parametrize("width", [32, 48])
@pytest.mark.parametrize("language", ["en", "zh"])
def test_receipt_content_and_widths(config, width, language):
    set_language(language)
    cfg = replace(config, printer=replace(config.printer, width=width))
    ticket = receipt(cfg, make_sale())
    assert ticket.width == width
    check_widths(ticket)
    text = ticket.preview()
    for line in text.splitlines():
        if "✂" not in line:
            assert cells(line) <= width, line
    assert "S20261122-0001" in text
    assert "￥32.27" in text
    assert "138****1234" in text
    assert "13800001234" not in text
    assert "\u00a5" not in text  # never the half-width yen GBK cannot encode
    assert "TRAINING" not in text
    assert "+30" in text
    assert "￥30.00" in text  # change
    barcodes = [i for i in ticket.items if i.kind == "barcode"]
    # the code carries the number without its dashes, the paper shows it readable under it
    assert [(b.text, b.caption) for b in barcodes] == [("S202611220001", "S20261122-0001")]
    assert "|||| S20261122-0001 ||||" in text
    assert ticket.items[-1].kind == "cut"
    if language == "zh":
        assert "订单号" in text and "合计" in text and "现金" in text
    else:
        assert "Order no." in text and "Total" in text and "Cash" in text


def test_amounts_right_aligned(config):
    ticket = receipt(config, make_sale())
    total_lines = [i.text for i in ticket.items if i.kind == "text" and i.text.startswith("Total")]
    assert total_lines == ["Total" + " " * (32 - 5 - cells("￥32.27")) + "￥32.27"]
    # a long product name wraps, the qty x price line keeps its amount at the right edge
    for item in ticket.items:
        if item.kind == "text" and " x ￥" in item.text:
            assert cells(item.text) == 32
            assert re.search(r" ￥\d+\.\d\d$", item.text), item.text


def test_training_mark_only_in_training(config):
    live = receipt(config, make_sale()).preview()
    assert "TRAINING" not in live
    training = receipt(replace(config, training=True), make_sale(training=True)).preview()
    assert training.count("TRAINING") == 2  # top and bottom


def test_receipt_without_member_or_discount(config):
    sale = make_sale(
        member_id=None,
        member_card="",
        member_phone="",
        member_name="",
        discount=0,
        points_earned=0,
        payments=(PaymentView("card", 3227, 0, 0, 0, ""),),
    )
    text = receipt(config, sale).preview()
    assert "Member" not in text and "****" not in text
    assert "Saved" not in text and "Discount" not in text
    assert "Change" not in text


def test_ticket_json_round_trip(config):
    ticket = receipt(config, make_sale())
    again = Ticket.from_json(ticket.to_json())
    assert again == ticket
    assert again.preview() == ticket.preview()


def test_ticket_queued_by_an_earlier_version_still_prints(config):
    """Tickets left in a shop's print queue across an upgrade carry items with named fields."""
    ticket = receipt(config, make_sale())
    old = json.dumps(
        {
            "width": ticket.width,
            "items": [
                {"kind": i.kind, "text": i.text, "bold": i.bold, "double": i.double, "align": i.align}
                for i in ticket.items
            ],
        }
    )
    assert Ticket.from_json(old) == Ticket(ticket.width, [replace(i, caption="") for i in ticket.items])
    assert Ticket.from_json(ticket.to_json()) == ticket


def test_ticket_building_blocks():
    t = Ticket(32)
    t.text("店名很长很长很长很长很长很长很长很长", double=True, align="center")
    t.pair("合计", "￥1.00", bold=True)
    t.rule()
    t.qr("S1")
    t.feed()
    t.cut()
    check_widths(t)
    # 18 wide characters = 36 cells; double width leaves 16 cells a line: 3 lines
    assert [i.double for i in t.items[:4]] == [True, True, True, False]
    assert "".join(i.text for i in t.items[:3]) == "店名很长很长很长很长很长很长很长很长"
    assert t.items[3] == Item("text", "合计" + " " * (32 - 4 - 6) + "￥1.00", bold=True)
    assert t.items[4].text == "-" * 32
    assert [i.kind for i in t.items[5:]] == ["qr", "feed", "cut"]


def test_receipt_for_a_completed_sale(ctx, cashier):
    basket = Basket()
    basket.add(catalog.product_for_scan("6901"), 2)
    basket.add(catalog.product_for_scan("6902"))
    basket.attach(members.find_one("M000001"), 500)
    plan = checkout.new_plan(ctx, basket)
    plan.add(TenderKind.CASH, 10000)
    result = checkout.complete_sale(ctx, cashier, basket, plan)
    sale = checkout.sale_by_order_no(result.order_no)
    text = receipt(ctx.config, sale).preview()
    assert result.order_no in text
    assert "￥" + f"{result.total // 100}.{result.total % 100:02d}" in text
    assert "138****1234" in text and "13800001234" not in text
    assert "可口可乐 330ml" in text
    assert "TRAINING" not in text
    assert PrinterConfig().width == ctx.config.printer.width == 32


LINE = re.compile(r"^  (\d+) x ￥(\d+\.\d\d)(?: -￥(\d+\.\d\d))? +￥(\d+\.\d\d)$")


def cents(text: str | None) -> int:
    return round(float(text) * 100) if text else 0


@pytest.mark.parametrize("language", ["en", "zh"])
def test_receipt_adds_up_like_the_screen(ctx, cashier, language):
    """A gold member's sale: each line reads qty x list price - its discount = what was paid, the
    paid amounts sum to the total and the discounts to "saved" (nothing is taken off twice)."""
    set_language(language)
    basket = Basket()
    basket.add(catalog.product_for_scan("6901"), 2)  # member price 3.00, list 3.50
    basket.add(catalog.product_for_scan("6902"))
    basket.add(catalog.product_for_scan("6903"), 3)
    basket.attach(members.find_one("M000001"), ctx.config.level("gold").discount_bp)
    plan = checkout.new_plan(ctx, basket)
    plan.add(TenderKind.CASH, 10000)
    sale = checkout.sale_by_order_no(checkout.complete_sale(ctx, cashier, basket, plan).order_no)
    items = [i.text for i in receipt(ctx.config, sale).items if i.kind == "text"]
    rows = [m.groups() for text in items if (m := LINE.match(text))]
    assert len(rows) == 3
    paid = discounts = 0
    for qty, price, discount, amount in rows:
        assert int(qty) * cents(price) - cents(discount) == cents(amount)
        paid += cents(amount)
        discounts += cents(discount)
    saved, total = tr("Saved"), tr("Total")
    (saved_row,) = [t for t in items if t.startswith(saved)]
    (total_row,) = [t for t in items if t.startswith(total + " ")]
    assert paid == sale.total == cents(total_row.rsplit("￥", 1)[1])
    assert discounts == sale.discount == cents(saved_row.rsplit("￥", 1)[1]) > 0


def test_shift_report_shows_no_minus_zero(ctx, cashier):
    """A tender with no refunds and a shift with no paid-out read ￥0.00: '-￥0.00' reads as money
    taken out that was not; a real refund keeps its minus."""
    from tui_pos.devices.tickets import shift_ticket
    from tui_pos.domain.shift import CashCount
    from tui_pos.services import shifts

    if shifts.current(ctx) is None:
        shifts.open_shift(ctx, cashier, CashCount(50000))
    basket = Basket()
    basket.add(catalog.product_for_scan("6901"))
    plan = checkout.new_plan(ctx, basket)
    plan.add(TenderKind.CARD, plan.due)
    checkout.complete_sale(ctx, cashier, basket, plan)
    text = shift_ticket(ctx.config, shifts.report(ctx)).preview()
    assert "-￥0.00" not in text
    by_tender = [line for line in text.splitlines() if line.startswith("  " + tr("Refunds"))]
    assert by_tender and all(line.rstrip().endswith(" ￥0.00") for line in by_tender)
