"""Signing up a new member at the till: phone, name, card no. and level."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select, Static

from tui_pos.domain.catalog import Member
from tui_pos.domain.errors import PosError
from tui_pos.i18n import tr
from tui_pos.services import members
from tui_pos.ui.screens.base import PosModal
from tui_pos.ui.widgets.key_footer import KeyFooter


class MemberFormScreen(PosModal[Member | None]):
    """Dismisses with the new member; a refused form stays open with everything still typed in."""

    CSS_PATH = "../styles/member_form.tcss"
    AUTO_FOCUS = "#form-phone"
    BINDINGS = [
        Binding("enter", "save", "Save", priority=True),
        Binding("ctrl+s", "save", "Save", show=False),
        Binding("escape", "cancel", "Back"),
    ]

    def __init__(self, phone: str = "") -> None:
        super().__init__()
        self.phone = phone

    def compose(self) -> ComposeResult:
        config = self.pos.ctx.config
        levels = [(level.name, level.code) for level in config.member_levels] or [(tr("Regular"), "regular")]
        with Vertical(id="form-dialog", classes="dialog"):
            yield Label(tr("New member"), id="form-title")
            with Horizontal(classes="form-field"):
                yield Label(tr("Phone"), classes="form-label")
                yield Input(self.phone, id="form-phone", max_length=20, compact=True)
            with Horizontal(classes="form-field"):
                yield Label(tr("Name"), classes="form-label")
                yield Input(id="form-name", max_length=40, compact=True)
            with Horizontal(classes="form-field"):
                yield Label(tr("Card no."), classes="form-label")
                yield Input(members.next_card_no(), id="form-card", max_length=20, compact=True)
            with Horizontal(classes="form-field"):
                yield Label(tr("Level"), classes="form-label")
                yield Select(levels, id="form-level", allow_blank=False, compact=True, value=levels[0][1])
            yield Static("", id="form-error", classes="error")
        yield from self.compose_banner()
        yield KeyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter saves, except while the level list is open: there it picks the level."""
        if action == "save":
            levels = self.query("#form-level").results(Select)
            return not any(select.expanded for select in levels)
        return True

    def action_save(self) -> None:
        level = self.query_one("#form-level", Select).value
        try:
            member = members.create(
                self.pos.ctx,
                self.pos.staff,
                card_no=self.query_one("#form-card", Input).value,
                phone=self.query_one("#form-phone", Input).value,
                name=self.query_one("#form-name", Input).value,
                level=str(level),
            )
        except PosError as exc:
            self.query_one("#form-error", Static).update(exc.message)
            return
        self.dismiss(member)

    def action_cancel(self) -> None:
        self.dismiss(None)
