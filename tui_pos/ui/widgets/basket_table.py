"""The lines of the sale being rung up.

A scan touches one row: `show_line` adds it or updates its quantity and amount cells in
place, so the time per scan does not grow with the number of lines already there.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import DataTable

from tui_pos.domain.basket import Basket, BasketLine
from tui_pos.i18n import tr
from tui_pos.ui.widgets.money import show_money

COLUMNS = (("no", "#", 3), ("item", "Item", 16), ("qty", "Qty", 4), ("price", "Price", 8), ("amount", "Amount", 9))
FIXED_WIDTH = sum(width for key, _, width in COLUMNS if key != "item") + 2 * len(COLUMNS)


class BasketTable(DataTable, can_focus=False):
    """One row per basket line, keyed by product id (a product has one line; scans raise its qty)."""

    def __init__(self, basket: Basket, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.basket = basket

    def on_mount(self) -> None:
        for key, label, width in COLUMNS:
            self.add_column(tr(label), key=key, width=width)
        self.rebuild()

    def _cells(self, index: int, line: BasketLine, member: bool) -> list[Text | str]:
        unit = line.product.unit_price(member)
        return [
            Text(str(index + 1), justify="right"),
            line.product.name,
            Text(str(line.qty), justify="right"),
            Text(show_money(unit, ""), justify="right"),
            Text(show_money(unit * line.qty, ""), justify="right"),
        ]

    def show_line(self, index: int) -> None:
        """Add line `index` if it is new, else update its quantity and amount; select it."""
        basket = self.basket
        line = basket.lines[index]
        key = str(line.product.id)
        cells = self._cells(index, line, basket.member is not None)
        if key in self.rows:
            for column, value in zip(("qty", "price", "amount"), cells[2:], strict=True):
                self.update_cell(key, column, value)
        else:
            self.add_row(*cells, key=key)
        self.move_cursor(row=index, animate=False)

    def remove_line(self, index: int, product_id: int) -> None:
        """Drop a voided line and renumber only the rows that came after it."""
        basket = self.basket
        self.remove_row(str(product_id))
        for later in range(index, len(basket.lines)):
            self.update_cell(str(basket.lines[later].product.id), "no", Text(str(later + 1), justify="right"))
        if basket.lines:
            self.move_cursor(row=min(index, len(basket.lines) - 1), animate=False)

    def rebuild(self) -> None:
        """Redraw every row: only when prices change for all lines (member attached or removed)."""
        basket = self.basket
        self.clear()
        member = basket.member is not None
        for index, line in enumerate(basket.lines):
            self.add_row(*self._cells(index, line, member), key=str(line.product.id))
        if basket.lines:
            self.move_cursor(row=len(basket.lines) - 1, animate=False)

    def fit_item_column(self) -> None:
        """Give the item name whatever width the other columns leave."""
        width = max(10, self.scrollable_content_region.width - FIXED_WIDTH)
        column = self.columns.get("item")
        if column is not None and column.width != width:
            column.width = width
            self._require_update_dimensions = True
            self.refresh()

    def on_resize(self) -> None:
        self.fit_item_column()

    @property
    def selected_index(self) -> int | None:
        return self.cursor_row if self.row_count else None
