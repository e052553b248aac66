"""A till left logged in goes back to the login screen after the configured idle minutes,
from wherever it was, and the next person finds the customer's basket as it was."""

from __future__ import annotations

import time

from tui_pos.ui.screens.checkout import CheckoutScreen
from tui_pos.ui.screens.login import LoginScreen

from ui_helpers import log_in, scan


async def test_idle_till_locks_and_keeps_the_basket(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await scan(pilot, "6901")
        await scan(pilot, "6902")
        await pilot.press("f4")  # half-way through paying
        await pilot.pause()
        assert type(app.screen).__name__ == "PayScreen"

        app.last_key = time.monotonic() - 4 * 60  # 4 of the 5 minutes: still open
        app.lock_if_idle()
        await pilot.pause()
        assert app.staff is not None

        app.last_key = time.monotonic() - 5 * 60 - 1
        app.lock_if_idle()
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen) and app.staff is None
        assert "Locked after 5 minutes" in str(app.screen.query_one("#login-error").render())
        assert len(app.screen_stack) == 2

        await log_in(pilot, "002", "2222")  # someone else takes over
        assert isinstance(app.screen, CheckoutScreen)
        assert [line.product.barcode for line in app.basket.lines] == ["6901", "6902"]


async def test_a_key_resets_the_idle_time(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        app.last_key = time.monotonic() - 10 * 60
        await pilot.press("6")
        app.lock_if_idle()
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen)
