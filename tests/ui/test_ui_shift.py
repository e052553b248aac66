"""A till's day by keys only: open the shift with a float, sell, refund, X report, close with a
variance and a note; the owner's refund report and its CSV export."""

from __future__ import annotations

from tui_pos.domain.shift import CashCount
from tui_pos.services import shifts
from tui_pos.services import staff as staff_service
from tui_pos.store.models import AuditRow, ShiftRow
from tui_pos.ui.screens.checkout import CheckoutScreen
from tui_pos.ui.screens.login import LoginScreen
from tui_pos.ui.screens.reports import RefundReportScreen
from tui_pos.ui.screens.shift import CloseShiftScreen, OpenShiftScreen, ShiftScreen

from escpos_helpers import strip_escpos
from ui_helpers import log_in, scan, sell, type_text


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector).content)


async def test_a_day_at_the_till(ctx, app, printer):
    shifts.close_shift(ctx, staff_service.login(ctx, "003", "3333"), CashCount(50000))  # yesterday's, closed
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        assert isinstance(app.screen, OpenShiftScreen)  # no selling before the float is counted
        await type_text(pilot, "100x2 10x5 1x-3")
        await pilot.press("enter")
        await pilot.pause()
        assert "negative" in text_of(app, "#error")
        for _ in range(5):
            await pilot.press("backspace")
        await pilot.press("enter")  # 100x2 10x5 = 250.00
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen)
        assert shifts.current(app.ctx).opening_float == 25000

        await scan(pilot, "6902")  # 12.99 in cash
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        order_no = app.last_sale.order_no

        # refund one of it at once (F8, scan the receipt, F9 ... F9)
        await pilot.press("f8")
        await pilot.pause()
        await type_text(pilot, order_no)
        await pilot.press("enter")
        await pilot.pause()
        for _ in range(3):  # choose (all) -> review -> confirm
            await pilot.press("f9")
            await pilot.pause()
        await pilot.press("f9")  # confirm: records and pays out
        await settle(pilot)
        await pilot.press("f9")  # handed over and signed
        await settle(pilot)
        assert isinstance(app.screen, CheckoutScreen)

        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, ShiftScreen)
        x = app.screen.query_one("#report").text
        assert "X report" in x and "250.00" in x
        await pilot.press("f6")  # paid in
        await pilot.pause()
        await type_text(pilot, "20")
        await pilot.press("enter")
        await type_text(pilot, "coins from the bank")
        await pilot.press("enter")
        await pilot.pause()
        assert "270.00" in app.screen.query_one("#report").text  # expected cash now 250 + 12.99 - 12.99 + 20
        await pilot.press("f5")  # print the X report
        await settle(pilot)
        assert "X report" in strip_escpos(printer.output).decode("gbk")

        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, CloseShiftScreen)
        await type_text(pilot, "100x2 50x1")  # 250.00: 20.00 short, over the 10.00 limit
        await pilot.pause()
        assert "-￥20.00" in text_of(app, "#expected")
        await pilot.press("enter")
        await pilot.pause()
        assert "note" in text_of(app, "#error")
        assert shifts.current(app.ctx) is not None  # still open
        await type_text(pilot, "paid the window cleaner, receipt in drawer")
        await pilot.press("enter")
        await settle(pilot)
        shift = ShiftRow.select().order_by(ShiftRow.id.desc()).first()
        assert (shift.status, shift.counted, shift.expected, shift.note) == (
            "closed",
            25000,
            27000,
            "paid the window cleaner, receipt in drawer",
        )
        z = strip_escpos(printer.output).decode("gbk")
        assert "Z report" in z and "Variance" in z and "-￥20.00" in z
        await pilot.press("enter")  # done: log out
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)


async def test_refund_report_export_by_keys(ctx, app, tmp_path):
    sell(ctx, {"6901": 2})
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "003", "3333")
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, RefundReportScreen)
        await pilot.press("f6", "f6")  # product -> category -> reason
        await pilot.pause()
        assert "By reason" in text_of(app, "#report-title")
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert "Saved" in text_of(app, "#status")
        files = list((app.config.data_dir / "exports").glob("refunds-reason-*.csv"))
        assert len(files) == 1
        data = files[0].read_bytes()
        assert data.startswith(b"\xef\xbb\xbf") and b"Refund rate" in data.splitlines()[0]
        assert AuditRow.select().where(AuditRow.action == "export").count() == 1
        await pilot.press("f7")  # the dates: a range that ends before it starts
        await pilot.press("end", "ctrl+u")  # clear the field
        await type_text(pilot, "2030-01-01")
        await pilot.press("enter")
        await pilot.pause()
        assert "ends before it starts" in text_of(app, "#status")


async def test_cashier_sees_reports_are_for_managers(ctx, app):
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("ctrl+o", "f4")
        await pilot.pause()
        assert "may not" in text_of(app, "#status")


async def test_day_summary_for_a_supervisor(ctx, app):
    sell(ctx, {"6902": 1})
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "002", "2222")
        await pilot.press("ctrl+o", "f3")
        await pilot.pause()
        rows = app.screen.query_one("#rows")
        assert rows.row_count == 1 and str(rows.get_row_at(0)[0]) == "01"
        assert "Cash 12.99" in text_of(app, "#summary")  # the tender in words, not its code
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert "Saved" in text_of(app, "#status")
        await pilot.press("ctrl+a", "ctrl+k")  # clear the date
        await type_text(pilot, "1999-99-99")
        await pilot.press("enter")
        await pilot.pause()
        assert "Not a date" in text_of(app, "#status")


async def test_no_sale_drawer_opening_from_the_shift_screen(app, printer):
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("enter")  # no reason given: asked for one, nothing opens
        await pilot.pause()
        assert "Say why" in str(app.screen.query_one("#error").render())
        await type_text(pilot, "change for till 02")
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert b"\x1bp" in printer.output
        assert "recorded in the audit trail" in str(app.screen.query_one("#status").render())
        assert AuditRow.get(AuditRow.action == "drawer_open").detail == '{"reason": "change for till 02"}'
