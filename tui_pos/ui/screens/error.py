"""What the cashier sees instead of a traceback when the till hits a bug."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from tui_pos.i18n import tr
from tui_pos.ui.screens.base import PosModal
from tui_pos.ui.widgets.key_footer import KeyFooter


class ErrorScreen(PosModal[None]):
    """Names the fault in one line and says that nothing half-done was saved: every sale,
    refund and payment is one transaction, so it is either recorded whole or not at all."""

    CSS_PATH = "../styles/confirm.tcss"
    BINDINGS = [Binding("enter,escape", "close", "Continue")]

    def __init__(self, summary: str, log_path: str) -> None:
        super().__init__()
        self.summary = summary
        self.log_path = log_path

    def compose(self) -> ComposeResult:
        yield from self.compose_banner()
        with Vertical(id="confirm-dialog", classes="dialog error-dialog"):
            yield Static(tr("Something went wrong in the till"), id="confirm-question")
            yield Static(self.summary, id="error-summary", markup=False)
            yield Static(
                tr(
                    "Nothing half-done was saved: check the last sale or refund, then carry on. "
                    "Details for support are in {path}",
                    path=self.log_path,
                ),
                id="confirm-detail",
                markup=False,
            )
        yield KeyFooter()

    def action_close(self) -> None:
        self.dismiss(None)
