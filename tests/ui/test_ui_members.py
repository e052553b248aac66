"""Member lookup, sign-up and attaching a member to the sale."""

from __future__ import annotations

from tui_pos.store.models import MemberRow
from tui_pos.ui.screens.checkout import CheckoutScreen
from tui_pos.ui.screens.member_form import MemberFormScreen
from tui_pos.ui.screens.members import MembersScreen

from ui_helpers import log_in, scan, type_text


async def open_form(pilot, search: str) -> None:
    await pilot.press("f2")
    await pilot.pause()
    await type_text(pilot, search)
    await pilot.pause()
    await pilot.press("f3")
    await pilot.pause()


async def test_duplicate_phone_shows_conflict_and_keeps_the_form(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await open_form(pilot, "13800001234")
        form = app.screen
        assert isinstance(form, MemberFormScreen)
        assert form.query_one("#form-phone").value == "13800001234"  # prefilled from the search
        card = form.query_one("#form-card").value
        assert card == "M000002"
        await pilot.press("tab")
        await type_text(pilot, "Li Si")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is form
        assert "Phone 13800001234 already belongs to member M000001" in str(form.query_one("#form-error").content)
        assert form.query_one("#form-phone").value == "13800001234"
        assert form.query_one("#form-name").value == "Li Si"
        assert form.query_one("#form-card").value == card
    assert MemberRow.select().count() == 1


async def test_create_member_then_attach(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await scan(pilot, "6901")
        await open_form(pilot, "13912345678")
        await pilot.press("tab")
        await type_text(pilot, "Li Si")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, MembersScreen)
        assert "M000002 created" in str(app.screen.query_one("#member-error").content)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen)
        assert app.basket.member.card_no == "M000002" and app.basket.member.name == "Li Si"
        # member price applies to the line already in the basket
        assert app.basket.totals().total == 300
        await pilot.press("ctrl+d")  # detach
        await pilot.pause()
        assert app.basket.member is None and app.basket.totals().total == 350
    row = MemberRow.get(MemberRow.card_no == "M000002")
    assert (row.phone, row.name, row.level) == ("13912345678", "Li Si", "regular")


async def test_short_search_and_no_match(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("f2")
        await pilot.pause()
        await type_text(pilot, "123")  # fewer than 4 digits: no list, Enter says so
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MembersScreen)
        assert "No member matches 123" in str(app.screen.query_one("#member-error").content)
        await pilot.press("4")  # 1234 = last four digits of the seeded member's phone
        await pilot.pause()
        assert [m.card_no for m in app.screen.results] == ["M000001"]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen) and app.basket.member is None
