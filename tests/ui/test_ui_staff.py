"""The manager's staff screen by keys (Ctrl+O, F2): add a cashier, disable and enable them,
reset their PIN; then that cashier, logging in, must choose a new PIN before the till opens."""

from __future__ import annotations

from tui_pos.store.models import StaffRow
from tui_pos.ui.screens.checkout import CheckoutScreen
from tui_pos.ui.screens.confirm import ConfirmScreen
from tui_pos.ui.screens.login import LoginScreen
from tui_pos.ui.screens.shift import ShiftScreen
from tui_pos.ui.screens.staff import StaffScreen
from tui_pos.ui.screens.staff_form import StaffFormScreen

from ui_helpers import log_in, screen_text, type_text


def row(code: str) -> StaffRow:
    return StaffRow.get(StaffRow.code == code)


async def open_staff(pilot) -> StaffScreen:
    await pilot.press("ctrl+o")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ShiftScreen)
    await pilot.press("f2")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, StaffScreen)
    return screen


async def fill(pilot, *answers: str) -> None:
    """Each answer typed into the next box of a form, then Enter (which moves on, or saves)."""
    for answer in answers:
        await type_text(pilot, answer)
        await pilot.press("enter")
        await pilot.pause()


def status(screen) -> str:
    return str(screen.query_one("#status").content)


async def test_add_disable_enable_reset_then_the_new_pin_is_asked_at_login(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "003", "3333")
        staff = await open_staff(pilot)
        text = screen_text(app)
        assert "Manager Wang" in text and "manager" in text and "Cashier Li" in text
        assert "f2 Add staff" in text and "f5 Disable/enable" in text and "f6 Reset PIN" in text

        # F2: a new cashier; the PINs typed twice, and a weak one refused first
        await pilot.press("f2")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, StaffFormScreen)
        await fill(pilot, "004", "小陈", "Chen", "1234", "1234")
        assert app.screen is form
        assert "too easy to guess" in str(form.query_one("#staff-form-error").content)
        assert form.focused is form.query_one("#form-pin")
        assert form.query_one("#form-code").value == "004"  # nothing typed is lost
        await pilot.press(*["backspace"] * 4)
        await fill(pilot, "5831")
        await pilot.press(*["backspace"] * 4)
        await fill(pilot, "5831")
        assert app.screen is staff
        assert "004 Chen added" in status(staff)
        assert (row("004").name, row("004").role, row("004").active) == ("小陈", "cashier", True)
        assert "Chen" in screen_text(app)

        # F5 on the new cashier (the cursor stays on them): disable after a yes, enable at once
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Disable 004 Chen?" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert not row("004").active
        assert "004 Chen can no longer log in" in status(staff)
        assert "Disabled" in screen_text(app)
        await pilot.press("f5")
        await pilot.pause()
        assert row("004").active and "004 Chen can log in again" in status(staff)

        # F6: a new PIN for them, to be changed at their next log in
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, StaffFormScreen)
        assert "New PIN for 004 Chen" in screen_text(app)
        await fill(pilot, "2580", "2580")
        assert app.screen is staff
        assert row("004").must_change_pin
        assert "New PIN due" in screen_text(app)

        # the last manager cannot disable themself: the refusal is said, nothing changes
        await pilot.press("up")
        await pilot.press("f5")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert "003 is the last active manager" in status(staff)
        assert row("003").active

        await pilot.press("escape")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen)
        await pilot.press("f10")
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)

        # 004 logs in with the PIN the manager gave: the till asks for a new one, twice
        await log_in(pilot, "004", "2580")
        assert isinstance(app.screen, StaffFormScreen)
        assert "Your PIN was reset: choose a new one" in screen_text(app)
        await fill(pilot, "7395", "7396")  # differ: asked again
        assert "The two PINs differ" in str(app.screen.query_one("#staff-form-error").content)
        await fill(pilot, "7395", "7395")
        assert isinstance(app.screen, CheckoutScreen)
        assert app.user.code == "004" and not row("004").must_change_pin


async def test_escape_from_the_new_pin_leaves_the_till_locked(app):
    from tui_pos.services import staff as staff_service
    from tui_pos.services.context import Context

    manager = staff_service.login(Context(app.config), "003", "3333")
    staff_service.reset_pin(Context(app.config), manager, "001", "5831")
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "001", "5831")
        assert isinstance(app.screen, StaffFormScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LoginScreen)
        assert "Choose a new PIN to log in" in screen_text(app)
        assert app.staff is None and row("001").must_change_pin


async def test_a_cashier_is_told_their_role_may_not(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, ShiftScreen)
        assert "Your role may not manage staff" in str(app.screen.query_one("#status").content)
