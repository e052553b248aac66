"""Where refunds will live; a later release replaces this screen with the refund wizard."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle
from textual.widgets import Static

from tui_pos.i18n import tr
from tui_pos.ui.screens.base import PosScreen
from tui_pos.ui.widgets.key_footer import KeyFooter


class RefundPlaceholderScreen(PosScreen[None]):
    """Says plainly that refunds are not here yet, instead of a key that does nothing."""

    CSS_PATH = "../styles/refund_placeholder.tcss"
    BINDINGS = [Binding("escape", "back", "Back")]

    def compose(self) -> ComposeResult:
        yield from self.compose_chrome()
        with Middle():
            with Center():
                yield Static(tr("Refunds arrive in the next release"), id="refund-message")
        yield KeyFooter()

    def action_back(self) -> None:
        self.dismiss(None)
