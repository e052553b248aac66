"""F1: the keys of the screen the cashier is on, in words, plus how scanning works there."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label

from tui_pos.i18n import tr
from tui_pos.ui.screens.base import PosModal
from tui_pos.ui.scrolling import LongView, ScrollsLongView, scroll_keys
from tui_pos.ui.widgets.key_footer import KeyFooter
from tui_pos.ui.widgets.plain import Plain


class HelpScreen(ScrollsLongView, PosModal[None]):
    """Lists (key, what it does) pairs handed over by the app; any of Esc/F1 closes it. A page
    longer than the screen scrolls by the keys in its footer; the title stays."""

    CSS_PATH = "../styles/help.tcss"
    BINDINGS = [
        Binding("escape,enter", "close", "Back"),
        Binding("f1", "close", "Back", show=False),
        *scroll_keys(ends=True, lines=True),
    ]

    def __init__(self, keys: list[tuple[str, str]], note: str = "") -> None:
        super().__init__()
        self.keys = keys
        self.note = note

    def compose(self) -> ComposeResult:
        yield from self.compose_banner()
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column()
        for key, description in self.keys:
            grid.add_row(key, description)
        with Vertical(id="help-dialog", classes="dialog"):
            yield Label(tr("Keys on this screen"), id="help-title")
            with LongView(id="help-body"):
                yield Plain(grid, id="help-keys")
                if self.note:
                    yield Plain(self.note, id="help-note")
        yield KeyFooter()

    def action_close(self) -> None:
        self.dismiss(None)
