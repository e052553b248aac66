"""Issue 17's last smaller defects, each driven by keys."""

from __future__ import annotations

from tui_pos.domain.shift import CashCount
from tui_pos.services import members, shifts
from tui_pos.ui.screens.checkout import CheckoutScreen
from tui_pos.ui.screens.login import LoginScreen
from tui_pos.ui.screens.shift import CloseShiftScreen, OpenShiftScreen

from ui_helpers import burst, log_in, scan, screen_text, type_text


def footer_text(app) -> str:
    """The key bar: the last three lines of the screen."""
    return "\n".join(screen_text(app).splitlines()[-3:])


async def test_member_card_no_and_enter_in_one_burst_attaches_that_member(ctx, manager, app):
    for n in range(2, 7):
        members.create(ctx, manager, f"M00000{n}", f"1390000000{n}", f"Member {n}")
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await scan(pilot, "6901")
        await burst(pilot, "f2", *"M000005", "enter")  # "M00000" alone lists M000001 first
        assert isinstance(app.screen, CheckoutScreen)
        assert app.basket.member is not None and app.basket.member.card_no == "M000005"
        await pilot.press("f2")
        await pilot.pause()
        await burst(pilot, *"M000006", "enter")  # the search box already showing
        assert isinstance(app.screen, CheckoutScreen)
        assert app.basket.member.card_no == "M000006"


async def test_shift_footers_say_what_enter_does_and_a_close_is_a_notice(ctx, manager, app):
    shifts.close_shift(ctx, manager, CashCount(50000))
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        assert isinstance(app.screen, OpenShiftScreen)
        assert "Open shift" in footer_text(app)  # the key that opens it is shown
        await burst(pilot, *"100", "enter")  # Enter does not overtake the float typed before it
        assert isinstance(app.screen, CheckoutScreen)
        assert shifts.current(app.ctx).opening_float == 10000
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, CloseShiftScreen)
        assert "Close shift" in footer_text(app) and "Log out" not in footer_text(app)
        await type_text(pilot, "100")
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert shifts.current(app.ctx) is None
        status = app.screen.query_one("#error")
        assert "Shift closed" in str(status.content)
        assert status.has_class("notice")  # told as done, not in the error's colour
        footer = footer_text(app)
        assert "Log out" in footer and "Close shift" not in footer and "Carry over" not in footer
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
