"""Member profile by keyboard: F2, find the member, F4; refunds and rate; Enter opens the refunded order."""

from __future__ import annotations

import io
from datetime import timedelta

from rich.console import Console
from textual import events

from tui_pos.domain.refund import Pick
from tui_pos.services import refunds
from tui_pos.services import staff as staff_service
from tui_pos.services.members import find_one
from tui_pos.services.refunds import RefundDraft
from tui_pos.ui.screens.checkout import CheckoutScreen
from tui_pos.ui.screens.member_profile import MemberProfileScreen
from tui_pos.ui.screens.members import MembersScreen
from tui_pos.ui.screens.order_detail import OrderDetailScreen
from tui_pos.ui.screens.refund_list import RefundDetailScreen

from ui_helpers import log_in, sell, type_text


def rows(table) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def rendered(widget, width: int = 78) -> str:
    """The widget's content as plain text, the way it is laid out at this width."""
    console = Console(width=width, file=io.StringIO(), record=True)
    console.print(widget.content)
    return console.export_text()


async def test_profile_shows_refund_and_rate_and_opens_the_refunded_order(ctx, app):
    refunded = sell(ctx, {"6902": 1, "6903": 2}, member="M000001", ago=timedelta(minutes=30))  # older: second row
    later = sell(ctx, {"6901": 1}, member="M000001")
    lookup = refunds.find_order(ctx, refunded.order_no)
    book = next(h for h in lookup.history.values() if h.name == "Notebook A5")
    done = refunds.confirm(
        ctx,
        staff_service.login(ctx, "001", "1111"),
        RefundDraft(lookup.sale.id, (Pick(book.sale_line_id, 1),), "quality"),
    )
    bought = refunded.total + later.total
    rate = done.amount * 10000 // bought

    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("f2")
        await pilot.pause()
        await type_text(pilot, "M000001")
        await pilot.pause()
        assert isinstance(app.screen, MembersScreen)
        await pilot.press("f4")
        await pilot.pause()
        profile = app.screen
        assert isinstance(profile, MemberProfileScreen)

        rate_line = str(profile.query_one("#profile-rate").content)
        assert rate_line == (
            f"Refunds: 1, ￥{done.amount / 100:.2f} of ￥{bought / 100:.2f} bought (rate {rate / 100:.1f}%)"
        )
        summary = rendered(profile.query_one("#profile-summary"))
        member = find_one("M000001")
        for label, value in (
            ("Points", str(member.points)),
            ("Balance", f"￥{member.balance / 100:.2f}"),
            ("Level", "Gold"),  # the level's English name from the config, with the English UI
            ("Joined", f"{member.joined:%Y-%m-%d}"),
        ):
            assert label in summary and value in summary, (label, value, summary)
        refund_rows = rows(profile.query_one("#profile-refunds"))
        assert refund_rows == [
            [done.refund_no, refund_rows[0][1], refunded.order_no, f"￥{done.amount / 100:.2f}", "paid"]
        ]
        purchases = rows(profile.query_one("#profile-purchases"))
        assert [r[0] for r in purchases] == [later.order_no, refunded.order_no]
        assert purchases[0][4] == ""  # nothing came back from the later order
        assert purchases[1][4] == f"Part ￥{done.amount / 100:.2f}"
        # at 80x24 both lists are on screen with room for rows, and the footer shows the keys
        for table_id in ("#profile-purchases", "#profile-refunds"):
            region = profile.query_one(table_id).region
            assert region.height >= 5 and region.bottom <= 23, (table_id, region)
        footer = profile.query_one("KeyFooter")
        assert footer.region.bottom == 24

        await pilot.press("down", "enter")  # the refunded order
        await pilot.pause()
        order = app.screen
        assert isinstance(order, OrderDetailScreen) and order.order_no == refunded.order_no
        info = rendered(order.query_one("#order-info"))
        assert refunded.order_no in info and "M000001" in info and "Cash" in info
        lines = {r[0]: r for r in rows(order.query_one("#order-lines"))}
        assert lines["Notebook A5"][1:] == ["2", f"￥{book.paid / 100:.2f}", "1"]
        assert lines["全麦面包"][3] == ""
        assert rows(order.query_one("#order-refunds")) == [
            [
                done.refund_no,
                rows(order.query_one("#order-refunds"))[0][1],
                "001",
                "-",
                f"￥{done.amount / 100:.2f}",
                "paid",
            ]
        ]
        assert order.query_one("#order-refunds").region.bottom <= 23

        await pilot.press("tab", "enter")  # the refund itself
        await pilot.pause()
        assert isinstance(app.screen, RefundDetailScreen) and app.screen.refund_no == done.refund_no
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is order
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is profile
        await pilot.press("f2")  # attach from the profile: back to checkout with the member
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen)
        assert app.basket.member is not None and app.basket.member.card_no == "M000001"


async def test_enter_right_after_arrow_keys_opens_the_row_they_reached(ctx, app):
    """A terminal delivers quick keys in one burst: Enter must not overtake the arrows before it."""
    sales = [sell(ctx, {"6901": 1}, member="M000001", ago=timedelta(minutes=m)) for m in (3, 2, 1)]  # newest last
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("f2")
        await type_text(pilot, "M000001")
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, MemberProfileScreen)
        for key in ("down", "down", "enter"):  # all queued before any is handled
            app.post_message(events.Key(key, None))
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, OrderDetailScreen)
        assert app.screen.order_no == sales[0].order_no  # the third row: the oldest order
