"""Signing up a new member at the till: phone, name, card no. and level."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select, Static

from tui_pos import labels
from tui_pos.domain.catalog import Member
from tui_pos.domain.errors import PosError
from tui_pos.i18n import tr
from tui_pos.services import members
from tui_pos.ui.screens.base import PosModal
from tui_pos.ui.widgets.digits_input import DigitsInput
from tui_pos.ui.widgets.key_footer import KeyFooter
from tui_pos.ui.widgets.plain import Plain, plain

# the form's widget for each field a refusal may name (PosError.field)
FIELDS = {"phone": "#form-phone", "name": "#form-name", "card": "#form-card", "level": "#form-level"}


class MemberFormScreen(PosModal[Member | None]):
    """Dismisses with the new member; a refused form stays open with everything still typed in,
    the cursor on the field at fault."""

    CSS_PATH = "../styles/member_form.tcss"
    AUTO_FOCUS = "#form-phone"
    BINDINGS = [
        Binding("enter", "enter", "Save", priority=True),
        Binding("ctrl+s", "save", "Save", show=False),
        Binding("escape", "cancel", "Back"),
        Binding("tab", "app.focus_next", "Next field"),
        Binding("shift+tab", "app.focus_previous", "Previous field", show=False),
    ]

    def __init__(self, phone: str = "") -> None:
        super().__init__()
        self.phone = phone

    def compose(self) -> ComposeResult:
        config = self.pos.ctx.config
        levels = [(plain(labels.level(config, level.code)), level.code) for level in config.member_levels] or [
            (plain(tr("Regular")), "regular")
        ]
        with Vertical(id="form-dialog", classes="dialog"):
            yield Label(tr("New member"), id="form-title")
            with Horizontal(classes="form-field"):
                yield Label(tr("Phone"), classes="form-label")
                yield DigitsInput(self.phone, id="form-phone", max_length=members.PHONE_DIGITS, compact=True)
            with Horizontal(classes="form-field"):
                yield Label(tr("Name"), classes="form-label")
                yield Input(id="form-name", max_length=40, compact=True)
            with Horizontal(classes="form-field"):
                yield Label(tr("Card no."), classes="form-label")
                yield Input(members.next_card_no(), id="form-card", max_length=20, compact=True)
            with Horizontal(classes="form-field"):
                yield Label(tr("Level"), classes="form-label")
                yield Select(levels, id="form-level", allow_blank=False, compact=True, value=levels[0][1])
            yield Plain("", id="form-error", classes="error")
        yield from self.compose_banner()
        yield KeyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter saves, except while the level list is open: there it picks the level."""
        if action == "enter":
            levels = self.query("#form-level").results(Select)
            return not any(select.expanded for select in levels)
        return True

    def action_enter(self) -> None:
        if isinstance(self.focused, Input):
            # In a box, Enter saves through the box's own Submitted, which comes after every key
            # typed before it: run from here, it would overtake a fast typist's or a scanner's last
            # characters (and refuse a phone number that was still arriving).
            raise SkipAction()
        self.action_save()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        level = self.query_one("#form-level", Select).value
        try:
            member = members.create(
                self.pos.ctx,
                self.pos.user,
                card_no=self.query_one("#form-card", Input).value,
                phone=self.query_one("#form-phone", Input).value,
                name=self.query_one("#form-name", Input).value,
                level=str(level),
            )
        except PosError as exc:
            self.show_error(exc.message)
            if exc.field in FIELDS:
                self.query_one(FIELDS[exc.field]).focus()
            return
        self.dismiss(member)

    def show_error(self, message: str) -> None:
        self.query_one("#form-error", Static).update(Text(message))

    @on(DigitsInput.Refused, "#form-phone")
    def phone_refused(self) -> None:
        self.show_error(tr("A phone number is {count} digits, nothing else", count=members.PHONE_DIGITS))

    def action_cancel(self) -> None:
        self.dismiss(None)
