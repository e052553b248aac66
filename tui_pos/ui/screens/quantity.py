"""Typing a new quantity for the selected line."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from tui_pos.domain.catalog import parse_quantity
from tui_pos.domain.errors import PosError
from tui_pos.i18n import tr
from tui_pos.ui.screens.base import PosModal
from tui_pos.ui.widgets.key_footer import KeyFooter
from tui_pos.ui.widgets.plain import Plain, plain


class QuantityScreen(PosModal[int | None]):
    """Asks for a quantity; `apply` (the basket) may still refuse it, and then the dialog stays."""

    CSS_PATH = "../styles/quantity.tcss"
    BINDINGS = [
        Binding("enter", "submit", "OK", priority=True),
        Binding("escape", "cancel", "Back"),
    ]

    def __init__(self, item: str, current: int, apply: Callable[[int], None]) -> None:
        super().__init__()
        self.item = item
        self.current = current
        self.apply = apply

    def compose(self) -> ComposeResult:
        yield from self.compose_banner()
        with Vertical(id="qty-dialog", classes="dialog"):
            yield Label(plain(tr("Quantity for {item}", item=self.item)), id="qty-title")
            yield Input(str(self.current), id="qty-input", restrict=r"[0-9０-９]*", max_length=6)
            yield Plain("", id="qty-error", classes="error")
        yield KeyFooter()

    def action_submit(self) -> None:
        error = self.query_one("#qty-error", Static)
        try:
            qty = parse_quantity(self.query_one("#qty-input", Input).value)
            self.apply(qty)
        except PosError as exc:
            error.update(exc.message)
            return
        self.dismiss(qty)

    def action_cancel(self) -> None:
        self.dismiss(None)
