"""Ctrl+Q asks before the till quits, and says what quitting would drop (what is only in memory)."""

from __future__ import annotations

from tui_pos.ui.screens.checkout import CheckoutScreen
from tui_pos.ui.screens.login import LoginScreen
from tui_pos.ui.screens.quit import QuitScreen

from ui_helpers import log_in, scan, sell, type_text


def dialog_text(app) -> str:
    screen = app.screen
    assert isinstance(screen, QuitScreen)
    return f"{screen.query_one('#confirm-question').content}\n{screen.query_one('#confirm-detail').content}"


def footer_keys(app) -> list[str]:
    return [active.binding.description for active in app.screen.active_bindings.values() if active.binding.show]


async def test_quit_with_a_basket_asks_and_says_the_basket_goes(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await scan(pilot, "6901")
        await scan(pilot, "6902")
        await pilot.press("ctrl+q")
        await pilot.pause()
        text = dialog_text(app)
        assert "Quit the till?" in text
        assert "The basket (items: 2, total ￥16.49) is kept in memory only: quitting drops it" in text
        assert "Everything recorded stays" in text
        assert "Quit" in footer_keys(app) and "Stay" in footer_keys(app)
        await pilot.press("ctrl+q")  # asked already: one question, not two
        await pilot.pause()
        assert len([s for s in app.screen_stack if isinstance(s, QuitScreen)]) == 1
        await pilot.press("escape")  # stay
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen) and app.return_code is None
        assert len(app.basket.lines) == 2  # nothing happened to the sale
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("enter")  # quit
        await pilot.pause()
        assert app.return_code == 0


async def test_quit_from_the_login_screen_with_nothing_to_lose(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert "Nothing is lost: every sale and refund is already recorded." in dialog_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen) and app.return_code is None
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.return_code == 0


async def test_quit_during_a_refund_says_it_is_not_recorded(ctx, app):
    sale = sell(ctx, {"6902": 1})
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("f8")  # the refund wizard: find the order
        await pilot.pause()
        await type_text(pilot, sale.order_no)
        await pilot.press("enter")
        await pilot.pause()
        step = app.screen
        await pilot.press("ctrl+q")
        await pilot.pause()
        text = dialog_text(app)
        assert "The refund being entered is not recorded yet: quitting drops it; nothing was paid out." in text
        assert "basket" not in text
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is step and app.return_code is None
