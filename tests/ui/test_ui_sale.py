"""A whole sale by keyboard: log in, scan, attach a member, pay cash, print the receipt."""

from __future__ import annotations

from tui_pos.services import checkout
from tui_pos.store.models import MemberRow, PaymentRow, PointsMoveRow, SaleRow
from tui_pos.ui.screens.checkout import CheckoutScreen
from tui_pos.ui.screens.login import LoginScreen
from tui_pos.ui.widgets.basket_table import BasketTable
from tui_pos.ui.widgets.totals import TotalsPanel

from ui_helpers import log_in, scan, strip_escpos, type_text


def totals_text(app) -> str:
    panel = app.screen.query_one(TotalsPanel)
    return "\n".join(strip.text for strip in panel.render_lines(panel.region.reset_offset))


async def test_sale_with_member_and_cash_change(app, printer):
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        assert isinstance(app.screen, CheckoutScreen)
        await scan(pilot, "6901")
        await scan(pilot, "6902")
        assert app.screen.query_one(BasketTable).row_count == 2

        await pilot.press("f2")
        await type_text(pilot, "13800001234")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen)
        assert app.basket.member is not None and app.basket.member.card_no == "M000001"
        # member price 3.00 + 12.99 = 15.99, gold 5 % off = 0.80 -> 15.19
        assert app.basket.totals().total == 1519

        await pilot.press("f4")
        await pilot.pause()
        await type_text(pilot, "50")
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()

        assert isinstance(app.screen, CheckoutScreen)
        assert app.last_sale is not None
        order_no = app.last_sale.order_no
        assert not app.basket.lines and app.basket.member is None
        status = str(app.screen.query_one("#status").content)
        assert "printed" in status.lower()

    sale = checkout.sale_by_order_no(order_no)
    assert sale.total == 1519 and sale.subtotal == 350 + 1299 and sale.discount == 130
    assert [(ln.barcode, ln.qty, ln.unit_price) for ln in sale.lines] == [("6901", 1, 300), ("6902", 1, 1299)]
    assert sum(ln.paid for ln in sale.lines) == 1519
    (payment,) = sale.payments
    assert (payment.tender, payment.amount, payment.given, payment.change) == ("cash", 1519, 5000, 3481)
    row = SaleRow.get(SaleRow.order_no == order_no)
    assert PaymentRow.get(PaymentRow.sale == row).change == 3481
    moves = [(m.points, m.reason) for m in PointsMoveRow.select().where(PointsMoveRow.sale == row)]
    assert moves == [(15, "earn")]
    assert MemberRow.get(MemberRow.card_no == "M000001").points == 515

    output = printer.output
    assert order_no.encode("gbk") in output
    # ￥ is a GBK character, so the printer gets it inside FS & ... FS . (Chinese mode)
    assert "￥".encode("gbk") in output and b"15.19" in output and b"34.81" in output
    text = strip_escpos(output).decode("gbk", errors="strict")
    assert "可口可乐" in text and order_no in text
    assert "￥15.19" in text and "￥50.00" in text and "￥34.81" in text
    assert printer.drawer_kicks == 1


async def test_wrong_pin_stays_on_login(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "001", "9999")
        assert isinstance(app.screen, LoginScreen)
        assert "Wrong staff code or PIN" in str(app.screen.query_one("#login-error").content)
        assert app.staff is None
        # the code is kept, the PIN is selected so typing replaces it
        assert app.screen.query_one("#login-code").value == "001"


async def test_a_new_session_starts_with_its_own_totals(app):
    """After a shift close and the next log in, the totals are the (empty) basket's, not the
    last customer's change."""
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await scan(pilot, "6902")
        await pilot.press("f4")
        await pilot.pause()
        await type_text(pilot, "20")
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "7.01" in totals_text(app)  # the change, shown to the customer
        await pilot.press("ctrl+o", "f9")  # close the shift: 500.00 float + 12.99 in cash
        await pilot.pause()
        await type_text(pilot, "512.99")
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.press("enter")  # closed: log out
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        await log_in(pilot, "002", "2222")
        await type_text(pilot, "500")  # the next shift's float
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen)
        totals = totals_text(app)
        assert app.last_sale.order_no not in totals and "7.01" not in totals
        assert "Total due" in totals and "0.00" in totals
        await scan(pilot, "6901")
        assert "3.50" in totals_text(app)
