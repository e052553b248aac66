"""Ringing up: scans, unknown codes, quantities, voids, product search, log out."""

from __future__ import annotations

from textual import events

from tui_pos.store.models import AuditRow
from tui_pos.ui.screens.checkout import CheckoutScreen
from tui_pos.ui.screens.login import LoginScreen
from tui_pos.ui.widgets.basket_table import BasketTable
from tui_pos.ui.widgets.totals import TotalsPanel

from ui_helpers import log_in, scan, type_text


def totals_text(app) -> str:
    panel = app.screen.query_one(TotalsPanel)
    return "\n".join(strip.text for strip in panel.render_lines(panel.region.reset_offset))


def error_text(app) -> str:
    return str(app.screen.query_one("#scan-error").content)


async def test_unknown_barcode_keeps_basket_and_code(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await scan(pilot, "6901")
        await scan(pilot, "6902")
        await scan(pilot, "0000123")
        assert "Unknown barcode: 0000123" in error_text(app)
        assert [line.product.barcode for line in app.basket.lines] == ["6901", "6902"]
        assert app.screen.query_one(BasketTable).row_count == 2
        scan_input = app.screen.query_one("#scan")
        assert scan_input.value == "0000123"  # kept, selected: the next scan replaces it
        await scan(pilot, "6903")
        assert [line.product.barcode for line in app.basket.lines] == ["6901", "6902", "6903"]
        assert error_text(app) == ""
        assert scan_input.value == ""


async def test_rescan_raises_quantity_in_place(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await scan(pilot, "6901")
        await scan(pilot, "6902")
        await scan(pilot, "6901")
        await scan(pilot, "3*6903")
        table = app.screen.query_one(BasketTable)
        assert table.row_count == 3
        assert [(ln.product.barcode, ln.qty) for ln in app.basket.lines] == [("6901", 2), ("6902", 1), ("6903", 3)]
        assert str(table.get_cell(str(app.basket.lines[0].product.id), "qty")) == "2"
        assert str(table.get_cell(str(app.basket.lines[0].product.id), "amount")) == "7.00"
        assert app.basket.totals().total == 700 + 1299 + 3 * 599


async def test_scanner_burst_keeps_every_code(app):
    """A scanner types several codes and Enters faster than the screen handles them."""
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        for char in "6901\r6902\r6901\r":
            key = "enter" if char == "\r" else char
            app.post_message(events.Key(key, char))
        await pilot.pause()
        await pilot.pause()
        assert [(ln.product.barcode, ln.qty) for ln in app.basket.lines] == [("6901", 2), ("6902", 1)]
        assert error_text(app) == ""


async def test_quantity_change_and_line_void_update_totals(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await scan(pilot, "6901")
        await scan(pilot, "6902")
        assert "16.49" in totals_text(app)
        # F5 changes the selected line: the one just scanned (6902)
        await pilot.press("f5")
        await pilot.pause()
        await pilot.press("backspace")
        await type_text(pilot, "0")  # 0 is refused, the dialog stays with the message
        await pilot.press("enter")
        await pilot.pause()
        assert "Quantity must be a whole number" in str(app.screen.query_one("#qty-error").content)
        await pilot.press("backspace")
        await type_text(pilot, "3")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen)
        assert [(ln.product.barcode, ln.qty) for ln in app.basket.lines] == [("6901", 1), ("6902", 3)]
        text = totals_text(app)
        assert "42.47" in text and "4" in text  # 3.50 + 3 x 12.99
        # Up selects the first line; F6 voids it
        await pilot.press("up")
        await pilot.press("f6")
        await pilot.pause()
        assert [(ln.product.barcode, ln.qty) for ln in app.basket.lines] == [("6902", 3)]
        table = app.screen.query_one(BasketTable)
        assert table.row_count == 1
        assert str(table.get_cell(str(app.basket.lines[0].product.id), "no")) == "1"
        assert "38.97" in totals_text(app)
        # Delete with an empty scan box voids the selected line too
        await pilot.press("delete")
        await pilot.pause()
        assert app.basket.lines == []
        assert "0.00" in totals_text(app)


async def test_void_sale_asks_first_and_leaves_a_trace(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await scan(pilot, "6901")
        await pilot.press("f7")
        await pilot.pause()
        await pilot.press("escape")  # no: nothing happens
        await pilot.pause()
        assert len(app.basket.lines) == 1
        await pilot.press("f7")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.basket.lines == []
        assert app.screen.query_one(BasketTable).row_count == 0
        assert "Sale voided" in str(app.screen.query_one("#status").content)
    assert AuditRow.select().where(AuditRow.action == "void").count() == 1


async def test_find_product_by_name(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("f3")
        await pilot.pause()
        await type_text(pilot, "Note")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen)
        assert [ln.product.barcode for ln in app.basket.lines] == ["6903"]


async def test_log_out_keeps_the_basket(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await scan(pilot, "6901")
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen) and app.staff is None
        await log_in(pilot, "002", "2222")
        assert isinstance(app.screen, CheckoutScreen) and app.staff.code == "002"
        assert app.screen.query_one(BasketTable).row_count == 1
        assert "002" in app.sub_title


async def test_a_notice_goes_when_the_cashier_moves_on(app):
    """A notice such as "Line voided" is about the last action: it does not stay through member
    lookup, payment or the next scan."""

    def status() -> str:
        return str(app.screen.query_one("#status").content)

    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        for code in ("6901", "6902", "6903", "6903"):
            await scan(pilot, code)
        await pilot.press("f6")  # void the selected line
        await pilot.pause()
        assert "Line voided" in status()
        await pilot.press("f2")  # member lookup, and back
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen) and status() == ""
        await pilot.press("f6")
        await pilot.pause()
        assert "Line voided" in status()
        await pilot.press("f4")  # payment, and back
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen) and status() == ""
        await pilot.press("f6")
        await pilot.pause()
        assert "Line voided" in status()
        await scan(pilot, "6901")  # the next item
        assert status() == ""
        assert len(app.basket.lines) == 1
