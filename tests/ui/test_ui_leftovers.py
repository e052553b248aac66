"""Issue 17's last smaller defects, each driven by keys."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from test_ui_print_queue import OfflinePrinter
from tui_pos.domain.shift import CashCount
from tui_pos.services import members, shifts
from tui_pos.store.models import ProductRow, RefundRow
from tui_pos.ui.app import make_app
from tui_pos.ui.screens.checkout import CheckoutScreen
from tui_pos.ui.screens.login import LoginScreen
from tui_pos.ui.screens.order_detail import OrderDetailScreen
from tui_pos.ui.screens.print_queue import PrintQueueScreen
from tui_pos.ui.screens.quantity import QuantityScreen
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
    food = "Food: refund only unopened goods that go back to stock, or for a quality problem"
    assert f"{food} (categories: Deli)" in policy
    assert policy.count("refund within 24 hours") == 1 and "Services: Services" not in policy
    assert "(categories: Services)" in shown  # the end of the page, scrolled to by keys


async def test_figures_and_labels_are_never_cut_and_names_show_the_cut(ctx):
    """At 80x24: a long name ends in '…'; order numbers, amounts, points and the labels beside
    them are whole; the printer's state in the title bar is whole (the names give way)."""
    long_name = "Breeze facial tissues 3 packs of 100 sheets"
    ProductRow.create(barcode="7777", name=long_name, category="household", price=1290, stock=10)
    app = make_app(replace(ctx.config, language="en"), printer=OfflinePrinter())
    app.offer_left_over = False
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("f2", *"1234", "enter")  # the gold member: points and a discount
        await pilot.pause()
        await scan(pilot, "7777")
        row = next(line for line in screen_text(app).splitlines() if "Breeze" in line)
        assert "…" in row and long_name not in row  # the name is cut, with the mark
        assert "12.90" in row  # the figures beside it are whole
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, QuantityScreen)
        title = app.screen.query_one("#qty-title")
        shown = " ".join(strip.text.strip() for strip in title.render_lines(title.region.reset_offset))
        assert long_name in shown  # the title goes on to a second line
        await pilot.press("escape", "f4")
        await pilot.pause()
        await pilot.press("enter")  # exact cash; the printer is offline
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        sale = app.last_sale
        totals = "\n".join(line for line in screen_text(app).splitlines()[1:12])
        assert sale.order_no in totals and f"+{sale.points_earned}" in totals and "New points" in totals
        title = screen_text(app).splitlines()[0]
        assert "printer offline: 1 to print" in title and "…" in title  # the names gave way
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, PrintQueueScreen)
        shown = " ".join(screen_text(app).split())
        assert "Printer offline: unplugged - check the cable, then print again" in shown  # wrapped, whole
        assert sale.order_no in shown


async def test_order_detail_labels_and_report_figures_are_whole(ctx, manager, app):
    long_name = "Wholemeal sandwich bread with seeds, sliced, family pack 800g"
    ProductRow.update(name=long_name).where(ProductRow.barcode == "6902").execute()
    order_no = sell(ctx, {"6902": 1}).order_no
    members_order = sell(ctx, {"6901": 1}, member="M000001").order_no
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "003", "3333")
        await pilot.press("f2", *"1234", "f4", "enter")  # member, profile, the order
        await pilot.pause()
        assert isinstance(app.screen, OrderDetailScreen)
        head = screen_text(app).splitlines()[1:6]
        labels = ("Order no.", "Member", "Total", "Tender", "Refunded")
        assert [line.split()[0] for line in head] == [label.split()[0] for label in labels]
        assert all(f" {label} " in line for label, line in zip(labels, head, strict=True))  # never cut
        assert members_order in head[0]
        await pilot.press("escape", "escape", "escape")
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        await type_text(pilot, order_no)
        await pilot.press("enter", "f9", "f9", "f9", "f9")  # refund it all
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.press("f9")
        await pilot.pause()
        await pilot.press("ctrl+o", "f4")  # refund reports, by product
        await pilot.pause()
        text = screen_text(app)
        row = next(line for line in text.splitlines() if line.startswith(" 6902"))
        assert "Refund rate" in text and row.rstrip().endswith("100.00%")  # the last figure, whole
        assert "Wholemeal sandwich" in row and long_name not in row and "…" in row  # the name gives way
