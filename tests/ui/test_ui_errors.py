"""A bug inside a screen shows an error dialog and is logged; the till carries on with the
basket intact instead of dying with a traceback in front of the customer."""

from __future__ import annotations

from tui_pos.services import catalog, checkout
from tui_pos.ui.screens.checkout import CheckoutScreen
from tui_pos.ui.screens.error import ErrorScreen

from ui_helpers import log_in, scan


def boom(*args, **kwargs):
    raise RuntimeError("boom in the till")


async def see_error_then_continue(pilot, app) -> None:
    await pilot.pause()
    assert isinstance(app.screen, ErrorScreen), app.screen
    dialog = "\n".join(str(line.content) for line in app.screen.query("#confirm-dialog Plain"))
    assert "The till hit a fault it did not expect." in dialog and "Details: boom in the till" in dialog
    assert "RuntimeError" not in dialog  # the class name is for the log, not the cashier
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, CheckoutScreen)
    log = app.log_path.read_text(encoding="utf-8")
    assert "boom in the till" in log and "Traceback" in log
    app.unexpected.clear()  # seen on purpose; the fixture fails tests that leave any


async def test_bug_in_a_message_handler(app, monkeypatch):
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await scan(pilot, "6901")
        monkeypatch.setattr(catalog, "product_for_scan", boom)
        await scan(pilot, "6902")
        await see_error_then_continue(pilot, app)
        monkeypatch.undo()
        await scan(pilot, "6903")  # the same screen keeps working
        assert [line.product.barcode for line in app.basket.lines] == ["6901", "6903"]


async def test_bug_in_a_key_action(app, monkeypatch):
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await scan(pilot, "6901")
        monkeypatch.setattr(CheckoutScreen, "action_pay", boom)
        await pilot.press("f4")
        await see_error_then_continue(pilot, app)
        monkeypatch.undo()
        await pilot.press("f4")
        await pilot.pause()
        assert type(app.screen).__name__ == "PayScreen"


async def test_bug_while_a_screen_opens_restarts_checkout_with_the_basket(app, monkeypatch):
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await scan(pilot, "6902")
        monkeypatch.setattr(checkout, "new_plan", boom)  # the pay screen fails while mounting
        await pilot.press("f4")
        await pilot.pause()
        await see_error_then_continue(pilot, app)
        assert app.screen is not None and [line.product.barcode for line in app.basket.lines] == ["6902"]
        await scan(pilot, "6901")
        assert len(app.basket.lines) == 2
        assert app.screen_stack[-1] is app.screen and len(app.screen_stack) == 2


async def test_bug_in_a_timer_is_reported_not_fatal(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await scan(pilot, "6901")
        app.set_timer(0.01, boom)
        await pilot.pause(0.1)
        await see_error_then_continue(pilot, app)
        assert len(app.basket.lines) == 1


async def test_a_database_fault_is_told_in_words(app, monkeypatch):
    """What the cashier reads: what happened and what to do; the exception's class is in the log."""
    import sqlite3

    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        monkeypatch.setattr(catalog, "product_for_scan", raising(sqlite3.OperationalError("database is locked")))
        await scan(pilot, "6901")
        await pilot.pause()
        assert isinstance(app.screen, ErrorScreen)
        dialog = "\n".join(str(line.content) for line in app.screen.query("#confirm-dialog Plain"))
        assert "The shop database is busy" in dialog and "Wait a few seconds, then try again." in dialog
        assert "OperationalError" not in dialog
        await pilot.press("enter")
        await pilot.pause()
        assert "OperationalError: database is locked" in app.log_path.read_text(encoding="utf-8")
        app.unexpected.clear()


def raising(exc: BaseException):
    def fail(*args, **kwargs):
        raise exc

    return fail
