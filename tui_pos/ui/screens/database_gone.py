"""The till's database was replaced (a restore) or removed under it: selling stops here."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical

from tui_pos.i18n import tr
from tui_pos.ui.screens.base import PosModal
from tui_pos.ui.widgets.key_footer import KeyFooter
from tui_pos.ui.widgets.plain import Plain


class DatabaseGoneScreen(PosModal[None]):
    """Stays up until the till is closed: a sale rung up now would go into a file nobody reads
    again, so no key takes the cashier back to selling. Enter closes the till."""

    CSS_PATH = "../styles/confirm.tcss"
    BINDINGS = [Binding("enter", "close_till", "Close the till")]

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what  # "replaced" or "removed"

    def compose(self) -> ComposeResult:
        happened = (
            tr("The shop database was replaced while this till was open (a restore?)")
            if self.what == "replaced"
            else tr("The shop database was removed while this till was open")
        )
        yield from self.compose_banner()
        with Vertical(id="confirm-dialog", classes="dialog error-dialog"):
            yield Plain(happened, id="confirm-question")
            yield Plain(
                tr("This till cannot sell any more: nothing more is saved. Restart the till, then log in again."),
                id="confirm-detail",
            )
        yield KeyFooter()

    def action_close_till(self) -> None:
        self.app.exit()
