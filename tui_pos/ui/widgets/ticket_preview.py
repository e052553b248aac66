"""The last ticket as text: in training mode this is the only 'printer' there is."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui_pos import labels
from tui_pos.i18n import tr
from tui_pos.ui.widgets.plain import Plain


class TicketPreview(VerticalScroll, can_focus=False):
    """A scrollable paper-width view of a ticket; the screen decides when it is shown."""

    def compose(self) -> ComposeResult:
        yield Plain("", id="ticket-text")

    def on_mount(self) -> None:
        self.border_title = tr("Ticket preview")

    @property
    def text(self) -> str:
        return str(self.query_one("#ticket-text", Static).content)

    def show_ticket(self, text: str) -> None:
        """A ticket's text; on the Linux console made drawable (one laid out by a Chinese till)."""
        self.query_one("#ticket-text", Static).update(labels.console_text(text))
        self.scroll_home(animate=False)
