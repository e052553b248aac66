"""Who is at the till: staff code and PIN, checked by the staff service."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle, Vertical
from textual.widgets import Input, Label, Static

from tui_pos.domain.errors import PosError
from tui_pos.domain.staff import Staff
from tui_pos.i18n import tr
from tui_pos.ui.screens.base import PosScreen
from tui_pos.ui.widgets.key_footer import KeyFooter
from tui_pos.ui.widgets.plain import Plain


class LoginScreen(PosScreen[None]):
    """Enter in the code field moves to the PIN; Enter in the PIN logs in."""

    BINDINGS = [
        Binding("escape", "back", "Clear"),
        Binding("ctrl+q", "app.ask_quit", "Quit", priority=True),
    ]

    def __init__(self, note: str = "") -> None:
        super().__init__()
        self.note = note  # why the till came back here, e.g. locked after no key for a while

    def compose(self) -> ComposeResult:
        yield from self.compose_chrome()
        with Middle(), Center(), Vertical(id="login-box"):
            yield Label(tr("Staff log in"), id="login-title")
            yield Label(tr("Staff code"), classes="field-label")
            yield Input(id="login-code", max_length=20)
            yield Label(tr("PIN"), classes="field-label")
            yield Input(id="login-pin", password=True, max_length=8, restrict=r"[0-9]*")
            yield Plain(self.note, id="login-error", classes="error")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#login-code", Input).focus()

    @on(Input.Submitted, "#login-code")
    def code_entered(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.query_one("#login-pin", Input).focus()

    @on(Input.Submitted, "#login-pin")
    def pin_entered(self) -> None:
        code = self.query_one("#login-code", Input)
        pin = self.query_one("#login-pin", Input)
        error = self.query_one("#login-error", Static)
        if not code.value.strip():
            error.update(tr("Enter your staff code"))
            code.focus()
            return
        from tui_pos.services import staff as staff_service

        try:
            staff = staff_service.login(self.pos.ctx, code.value, pin.value)
        except PosError as exc:
            error.update(exc.message)
            pin.focus()
            pin.select_all()
            return
        error.update("")
        if staff.must_change_pin:
            self.choose_pin(staff.code, pin.value)
            return
        self.pos.login(staff)

    def choose_pin(self, code: str, current: str) -> None:
        """A manager reset this PIN: the till opens only after its owner chose a new one."""
        from tui_pos.services import staff as staff_service
        from tui_pos.ui.screens.staff_form import StaffFormScreen

        ctx = self.pos.ctx
        security = ctx.config.security

        def chosen(staff: Staff | None) -> None:
            if staff is None:
                self.action_back()
                self.query_one("#login-error", Static).update(tr("Choose a new PIN to log in"))
                return
            self.pos.login(staff)

        form = StaffFormScreen(
            tr("Your PIN was reset: choose a new one"),
            ("pin", "pin2"),
            lambda v: staff_service.change_pin(ctx, code, current, v["pin"]),
            note=tr("{count} to 8 digits; not one digit repeated or a run like 1234.", count=security.min_pin_length)
            if security.weak_pins == "refuse"
            else tr("{count} to 8 digits.", count=security.min_pin_length),
        )
        self.app.push_screen(form, chosen)

    def action_back(self) -> None:
        """One step back: clear the PIN, then the code."""
        pin = self.query_one("#login-pin", Input)
        code = self.query_one("#login-code", Input)
        self.query_one("#login-error", Static).update("")
        if pin.value:
            pin.clear()
            pin.focus()
        else:
            code.clear()
            code.focus()
