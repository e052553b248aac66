"""Member lookup, sign-up and attaching a member to the sale."""

from __future__ import annotations

from textual import events

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
        error = str(form.query_one("#form-error").content)
        assert "Phone 138****1234 already belongs to member M000001" in error and "13800001234" not in error
        assert form.focused is form.query_one("#form-phone")  # the field at fault
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


async def test_a_refused_form_puts_the_cursor_on_the_field_at_fault(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await open_form(pilot, "")
        form = app.screen
        assert isinstance(form, MemberFormScreen) and form.focused is form.query_one("#form-phone")
        await type_text(pilot, "13912345678")
        await pilot.press("enter")  # no name yet
        await pilot.pause()
        assert "Enter a name" in str(form.query_one("#form-error").content)
        assert form.focused is form.query_one("#form-name")  # so the name goes into the name field
        await type_text(pilot, "Li Si")
        await pilot.press("shift+tab", "ctrl+u")  # back to the phone, emptied
        await type_text(pilot, "139")
        await pilot.press("enter")
        await pilot.pause()
        assert "11 digits" in str(form.query_one("#form-error").content)
        assert form.focused is form.query_one("#form-phone")
        await type_text(pilot, "12345678")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MembersScreen)
    row = MemberRow.get(MemberRow.card_no == "M000002")
    assert (row.phone, row.name) == ("13912345678", "Li Si")


async def test_the_phone_field_takes_digits_only(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await open_form(pilot, "")
        form = app.screen
        phone = form.query_one("#form-phone")
        await type_text(pilot, "张三 a-")  # a name typed into the phone: refused, and the form says why
        await pilot.pause()
        assert phone.value == ""
        assert "A phone number is 11 digits, nothing else" in str(form.query_one("#form-error").content)
        await type_text(pilot, "１３９")  # full-width digits, as a Chinese input method types them
        await type_text(pilot, "123456789")  # one digit too many
        await pilot.pause()
        assert phone.value == "１３９12345678"
        await pilot.press("tab")
        await type_text(pilot, "王五")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MembersScreen)
    assert MemberRow.get(MemberRow.card_no == "M000002").phone == "13912345678"


async def test_enter_right_after_a_burst_of_digits_takes_them_all(app):
    """A phone typed (or a card scanned) faster than the form handles keys, then Enter at once."""
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await open_form(pilot, "")
        form = app.screen
        for char in "13912345678\r":
            app.post_message(events.Key("enter" if char == "\r" else char, char))
        await pilot.pause()
        await pilot.pause()
        assert form.query_one("#form-phone").value == "13912345678"
        assert "Enter a name" in str(form.query_one("#form-error").content)  # not "Phone must be 11 digits"
        assert form.focused is form.query_one("#form-name")
        await type_text(pilot, "Li Si")
        await pilot.press("tab", "tab")  # the level list has the focus: Enter still saves
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MembersScreen)
    assert MemberRow.get(MemberRow.card_no == "M000002").phone == "13912345678"
