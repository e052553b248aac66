"""Issue 17's last smaller defects, each driven by keys."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from tui_pos.domain.shift import CashCount
from tui_pos.services import members, shifts
from tui_pos.store.models import RefundRow
from tui_pos.ui.app import make_app
from tui_pos.ui.screens.checkout import CheckoutScreen
from tui_pos.ui.screens.login import LoginScreen
from tui_pos.ui.screens.shift import CloseShiftScreen, OpenShiftScreen

from ui_helpers import burst, log_in, scan, screen_text, sell, type_text


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


async def test_a_refund_is_opened_at_by_the_tills_clock(ctx, printer):
    """A till whose clock is not the computer's (fixed, training) records when the wizard was
    opened by its own clock, as it stamps the refund itself."""
    order_no = sell(ctx, {"6902": 1}).order_no
    till_time = datetime.now().replace(microsecond=0) + timedelta(hours=3)
    app = make_app(replace(ctx.config, language="en"), printer=printer, clock=lambda: till_time)
    app.offer_left_over = False
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("f8")
        await pilot.pause()
        await type_text(pilot, order_no)
        await pilot.press("enter")
        await pilot.pause()
        for _ in range(4):  # choose (all) -> review -> confirm -> record
            await pilot.press("f9")
            await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
    refund = RefundRow.get()
    assert (refund.created_at, refund.opened_at) == (till_time, till_time)


async def test_the_policy_page_names_each_rule_once_with_its_categories(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("end")
        await pilot.pause()
        policy = str(app.screen.query_one("#policy").content)
        shown = screen_text(app)
    assert "Services: refund within 24 hours of the sale (categories: Services)" in policy
    assert "Food: refund only unopened goods that go back to stock, or for a quality problem (categories: Deli)" in policy
    assert policy.count("refund within 24 hours") == 1 and "Services: Services" not in policy
    assert "(categories: Services)" in shown  # the end of the page, scrolled to by keys
