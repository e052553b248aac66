"""Finding a product without its barcode: type any part of its name (Chinese or English), its
pinyin initials or the start of its barcode; Enter adds the highlighted one."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Input, Label, Static

from tui_pos import labels
from tui_pos.domain.catalog import Product
from tui_pos.domain.errors import PosError
from tui_pos.i18n import tr
from tui_pos.services import catalog
from tui_pos.ui.screens.base import PosModal
from tui_pos.ui.widgets.key_footer import KeyFooter
from tui_pos.ui.widgets.money import show_money
from tui_pos.ui.widgets.plain import Plain
from tui_pos.ui.widgets.text_table import TextTable


class ProductSearchScreen(PosModal[Product | None]):
    """Search as you type; arrows pick a result while the cursor stays in the search box."""

    CSS_PATH = "../styles/product_search.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Back"),
        Binding("enter", "choose", "Add", priority=True),
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.results: list[Product] = []

    def compose(self) -> ComposeResult:
        yield from self.compose_banner()
        with Vertical(id="search-dialog", classes="dialog"):
            yield Label(tr("Find a product: part of a name, pinyin initials or barcode"), id="search-title")
            yield Input(placeholder=tr("e.g. 可乐, cola, kkkl (可口可乐) or 6901"), id="search-input")
            yield Plain("", id="search-error", classes="error")
            yield TextTable(id="search-results", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#search-results", DataTable)
        table.can_focus = False
        table.add_column(tr("Barcode"), key="barcode", width=14)
        table.add_column(tr("Item"), key="item", width=24)
        table.add_column(tr("Price"), key="price", width=9)
        self.query_one("#search-input", Input).focus()

    @on(Input.Changed, "#search-input")
    def search(self, event: Input.Changed) -> None:
        error = self.query_one("#search-error", Static)
        table = self.query_one("#search-results", DataTable)
        try:
            self.results = catalog.search_products(event.value)
        except PosError as exc:
            error.update(exc.message)
            return
        error.update(
            tr("No product matches {query}", query=event.value.strip()[:20])
            if event.value.strip() and not self.results
            else ""
        )
        table.clear()
        symbol = self.pos.ctx.config.currency_symbol
        for product in self.results:
            table.add_row(
                product.barcode,
                labels.item(product),
                Text(show_money(product.price, symbol), justify="right"),
                key=str(product.id),
            )

    def action_choose(self) -> None:
        table = self.query_one("#search-results", DataTable)
        if not self.results:
            self.query_one("#search-error", Static).update(tr("Type part of a name or barcode first"))
            return
        self.dismiss(self.results[min(table.cursor_row, len(self.results) - 1)])

    def action_move(self, step: int) -> None:
        table = self.query_one("#search-results", DataTable)
        if self.results:
            table.move_cursor(row=max(0, min(len(self.results) - 1, table.cursor_row + step)))

    def action_cancel(self) -> None:
        self.dismiss(None)
