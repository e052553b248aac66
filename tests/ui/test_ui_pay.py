"""Paying: split tenders, refused amounts, and a printer that is offline."""

from __future__ import annotations

from tui_pos.devices.printer import Printer, PrinterError, TrainingPrinter
from tui_pos.services import checkout, printing
from tui_pos.ui.screens.checkout import CheckoutScreen
from tui_pos.ui.screens.pay import PayScreen

from ui_helpers import log_in, scan, type_text


class OfflinePrinter(Printer):
    def send(self, data: bytes) -> None:
        raise PrinterError("Printer offline: no answer - check cable, power and paper")


def pay_error(app) -> str:
    return str(app.screen.query_one("#pay-error").content)


async def test_short_cash_refused_then_split_card_and_cash(app, printer):
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await scan(pilot, "6902")  # 12.99
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, PayScreen)
        assert app.screen.query_one("#pay-amount").value == "12.99"
        await type_text(pilot, "10")
        await pilot.press("enter")
        await pilot.pause()
        assert "Cash given is less than due (12.99)" in pay_error(app)
        assert app.screen.query_one("#pay-amount").value == "10"  # what was typed stays
        # s takes the 10.00 as part payment; the rest goes on a card with a reference
        await pilot.press("s")
        await pilot.pause()
        assert app.screen.plan.remaining == 299
        await pilot.press("k")
        await pilot.pause()
        assert app.screen.query_one("#pay-amount").value == "2.99"
        await pilot.press("tab")
        await type_text(pilot, "A1b2")  # letters type into the reference box
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen)
        order_no = app.last_sale.order_no
    sale = checkout.sale_by_order_no(order_no)
    assert [(p.tender, p.amount, p.given, p.reference) for p in sale.payments] == [
        ("cash", 1000, 1000, ""),
        ("card", 299, 0, "A1b2"),
    ]
    assert printer.drawer_kicks == 1


async def test_undo_tender_and_member_tenders(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await scan(pilot, "6902")
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press("v")  # stored value without a member
        await pilot.press("enter")
        await pilot.pause()
        assert "Attach a member" in pay_error(app)
        await pilot.press("w")
        await type_text(pilot, "5")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.plan.paid == 500
        await pilot.press("x")
        await pilot.pause()
        assert app.screen.plan.paid == 0 and app.screen.query_one("#pay-amount").value == "12.99"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen)
        assert len(app.basket.lines) == 1 and app.last_sale is None  # nothing recorded


async def test_offline_printer_keeps_the_sale_and_f9_prints_again(app):
    app.printer = OfflinePrinter()
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await scan(pilot, "6901")
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press("enter")  # exact cash
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        status = str(app.screen.query_one("#status").content)
        assert "Printer offline" in status and "1 tickets waiting" in status
        assert checkout.sale_by_order_no(app.last_sale.order_no).status == "completed"
        assert printing.waiting_count(app.ctx) == 1
        # paper back in: F9 prints the same waiting ticket, not a second copy
        app.printer = fixed = TrainingPrinter()
        await pilot.press("f9")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Ticket printed" in str(app.screen.query_one("#status").content)
        assert printing.waiting_count(app.ctx) == 0
        order_no = app.last_sale.order_no.encode()
        once = fixed.output.count(order_no)
        assert once > 0
        # F9 again: a fresh copy
        await pilot.press("f9")
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert fixed.output.count(order_no) == 2 * once
