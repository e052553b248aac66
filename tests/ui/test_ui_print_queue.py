"""The printer goes offline mid-shift: the header says so, Ctrl+P lists what is waiting,
Enter prints one, F5 prints all, F6 discards (a supervisor only), and the timer empties
the queue by itself once the printer answers again."""

from __future__ import annotations

from tui_pos.devices.printer import Printer, PrinterError, TrainingPrinter
from tui_pos.services import printing
from tui_pos.store.models import PrintJobRow
from tui_pos.ui.screens.checkout import CheckoutScreen
from tui_pos.ui.screens.print_queue import PrintQueueScreen

from escpos_helpers import strip_escpos
from ui_helpers import log_in, scan, sell


class OfflinePrinter(Printer):
    def send(self, data: bytes) -> None:
        raise PrinterError("Printer offline: unplugged - check the cable, then print again", hint="USB 0416:5011")


async def settle(pilot, app) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def ring_up_and_pay(pilot, app) -> None:
    await scan(pilot, "6901")
    await pilot.press("f4")
    await pilot.pause()
    await pilot.press("enter")  # exact cash
    await settle(pilot, app)


async def test_offline_printer_queue_by_keys(app, ctx):
    app.printer = OfflinePrinter()
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await ring_up_and_pay(pilot, app)
        await ring_up_and_pay(pilot, app)
        assert "printer offline: 2 to print" in app.sub_title
        first, second = (j.ref_no for j in printing.waiting_jobs(app.ctx))

        await pilot.press("ctrl+p")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PrintQueueScreen)
        assert screen.query_one("#jobs").row_count == 2
        assert first in screen.query_one("#job-preview").text  # the highlighted ticket, as it will print
        footer = {b.binding.key: b.binding.description for b in screen.active_bindings.values() if b.binding.show}
        assert footer["enter"] == "Print" and footer["f5"] == "Print all" and footer["f6"] == "Discard"

        await pilot.press("enter")  # still offline: it stays, with the reason
        await settle(pilot, app)
        assert "unplugged" in str(screen.query_one("#status").content)
        assert printing.waiting_count(app.ctx) == 2

        await pilot.press("f6")  # a cashier may not throw a receipt away
        await pilot.pause()
        assert "may not" in str(screen.query_one("#status").content)
        assert printing.waiting_count(app.ctx) == 2

        app.printer = paper = TrainingPrinter()  # cable back in
        await pilot.press("enter")
        await settle(pilot, app)
        assert printing.waiting_count(app.ctx) == 1
        assert first in strip_escpos(paper.output).decode("gbk")
        assert screen.query_one("#jobs").row_count == 1
        assert "1 to print" in app.sub_title and "offline" not in app.sub_title

        await pilot.press("f5")  # print all
        await settle(pilot, app)
        assert printing.waiting_count(app.ctx) == 0
        assert second in strip_escpos(paper.output).decode("gbk")
        assert "to print" not in app.sub_title
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen)


async def test_supervisor_discards_and_the_timer_retries(app, ctx):
    app.printer = OfflinePrinter()
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "002", "2222")  # supervisor
        await ring_up_and_pay(pilot, app)
        await ring_up_and_pay(pilot, app)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press("f6")
        await pilot.pause()
        assert printing.waiting_count(app.ctx) == 1
        assert PrintJobRow.select().where(PrintJobRow.status == "discarded").count() == 1
        await pilot.press("escape")

        app.printer = paper = TrainingPrinter()
        app.retry_print_queue()  # what the 30-second timer calls
        await settle(pilot, app)
        assert printing.waiting_count(app.ctx) == 0 and paper.output
        assert "to print" not in app.sub_title


async def test_tickets_left_from_before_are_shown_at_start(app, ctx):
    sell(ctx, {"6901": 1})  # committed, never printed (the till died before the worker ran)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "1 to print" in app.sub_title
        await log_in(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert app.screen.query_one("#jobs").row_count == 1


async def test_a_waiting_refund_voucher_is_laid_out_to_show_and_to_print(app, ctx, printer):
    """A voucher's job only names its refund: the queue lists it by number, and lays the
    voucher out from the refund when it is highlighted and when Enter prints it."""
    from tui_pos.domain.refund import Pick
    from tui_pos.services import refunds
    from tui_pos.services import staff as staff_service
    from tui_pos.services.refunds import RefundDraft

    sale = sell(ctx, {"6901": 2})
    line = next(iter(refunds.load_order(ctx, sale.sale_id).history.values()))
    done = refunds.confirm(
        ctx,
        staff_service.login(ctx, "001", "1111"),
        RefundDraft(sale.sale_id, (Pick(line.sale_line_id, 1),), "quality"),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        screen = app.screen
        assert [j.ref_no for j in printing.waiting_jobs(app.ctx)] == [sale.order_no, done.refund_no]
        await pilot.press("down")  # the voucher
        await pilot.pause()
        shown = screen.query_one("#job-preview").text
        assert done.refund_no in shown and sale.order_no in shown and "Refund voucher" in shown

        await pilot.press("enter")
        await settle(pilot, app)
        assert done.refund_no in strip_escpos(printer.output).decode("gbk")
        assert [j.ref_no for j in printing.waiting_jobs(app.ctx)] == [sale.order_no]


async def test_tickets_left_unprinted_by_a_crash_are_offered_at_start(ctx, printer):
    """A sale committed just before the till died (its receipt never printed) is offered to
    the first person who logs in; Enter prints it, and the offer is not repeated."""
    from dataclasses import replace

    from tui_pos.ui.app import make_app

    sale = sell(ctx, {"6901": 2})  # recorded through the service: queued, never printed
    app = make_app(replace(ctx.config, language="en"), printer=printer)
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        assert isinstance(app.screen, PrintQueueScreen)
        assert "not printed when the till last stopped" in str(app.screen.query_one(".step-title").render())
        await pilot.press("enter")
        await settle(pilot, app)
        assert sale.order_no in strip_escpos(printer.output).decode("gbk")
        assert PrintJobRow.get(PrintJobRow.ref_no == sale.order_no).status == "printed"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen)
        await pilot.press("f10")  # log out and in again: no second offer
        await pilot.pause()
        await log_in(pilot)
        assert isinstance(app.screen, CheckoutScreen)
