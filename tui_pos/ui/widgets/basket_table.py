"""The lines of the sale being rung up: each at list price, with its discount and what the
customer pays for it. A row adds up on its own (qty x price - discount = amount), the amounts
add up to the total in the totals panel and the discounts to what the customer saved: the
figures are the basket's totals (domain.basket), never worked out again here.

A scan touches one row: `show` adds it or updates it in place, so the time per scan does not
grow with the number of lines already there. Only a member-level discount, spread over every
line to the fen, can move the other lines' amounts; then the rows whose figures changed are
updated too. Each figure column is as wide as its widest figure, never cut; the item name
gets what is left.
"""

from __future__ import annotations

from operator import attrgetter

from rich.cells import cell_len
from rich.text import Text
from textual.widgets.data_table import ColumnKey

from tui_pos import labels
from tui_pos.domain.basket import Basket, LineTotal, Totals
from tui_pos.i18n import tr
from tui_pos.ui.widgets.money import show_money
from tui_pos.ui.widgets.text_table import TextTable

COLUMNS = (("no", "#"), ("item", "Item"), ("qty", "Qty"), ("price", "Price"), ("disc", "Disc"), ("amount", "Amount"))
FIGURES = ("qty", "price", "disc", "amount")
FIELDS = ("qty", "list_price", "discount", "net")  # of domain.basket.LineTotal, in FIGURES order
NO_WIDTH = 3
MIN_ITEM = 10
ITEM_FLOOR = 4  # two Chinese characters: all the name keeps when huge figures need the room


def figures(line: LineTotal) -> tuple[str, str, str, str]:
    """Quantity, list price, discount and amount as a row shows them (no discount: blank)."""
    discount = "-" + show_money(line.discount, "") if line.discount else ""
    return str(line.qty), show_money(line.list_price, ""), discount, show_money(line.net, "")


class BasketTable(TextTable, can_focus=False):
    """One row per basket line, keyed by product id (a product has one line; scans raise its qty)."""

    def __init__(self, basket: Basket, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.basket = basket
        self._shown: dict[str, tuple[str, ...]] = {}  # row key -> the figures on screen
        self._headers: dict[str, int] = {}

    def on_mount(self) -> None:
        for key, label in COLUMNS:
            self._headers[key] = cell_len(tr(label))
            width = NO_WIDTH if key == "no" else MIN_ITEM if key == "item" else self._headers[key]
            self.add_column(tr(label), key=key, width=width)
        self.rebuild()

    def _add(self, index: int, line: LineTotal) -> None:
        key = str(line.product.id)
        shown = figures(line)
        self.add_row(
            Text(str(index + 1), justify="right"),
            Text(labels.item(line.product)),  # shop data: text, never markup
            *(Text(figure, justify="right") for figure in shown),
            key=key,
        )
        self._shown[key] = shown

    def _update(self, line: LineTotal) -> None:
        key = str(line.product.id)
        shown = figures(line)
        for column, new, old in zip(FIGURES, shown, self._shown[key], strict=True):
            if new != old:
                self.update_cell(key, column, Text(new, justify="right"))
        self._shown[key] = shown

    def show(self, totals: Totals, index: int | None = None) -> None:
        """Line `index` was added or changed (None: a line was voided): show it and select it.
        With a member-level discount every line's share may have moved: those rows too."""
        if index is not None:
            line = totals.lines[index]
            if str(line.product.id) in self._shown:
                self._update(line)
            else:
                self._add(index, line)
        if self.basket.level_discount_bp:
            for other, line in enumerate(totals.lines):
                if other != index:
                    self._update(line)
        self.fit_columns(totals)
        if index is not None:
            self.move_cursor(row=index, animate=False)

    def remove_line(self, index: int, product_id: int) -> None:
        """Drop a voided line and renumber only the rows that came after it (then `show` the totals)."""
        basket = self.basket
        self.remove_row(str(product_id))
        self._shown.pop(str(product_id), None)
        for later in range(index, len(basket.lines)):
            self.update_cell(str(basket.lines[later].product.id), "no", Text(str(later + 1), justify="right"))
        if basket.lines:
            self.move_cursor(row=min(index, len(basket.lines) - 1), animate=False)

    def rebuild(self) -> None:
        """Redraw every row: only when prices change for all lines (member attached or removed)."""
        basket = self.basket
        totals = basket.totals()
        self.clear()
        self._shown.clear()
        for index, line in enumerate(totals.lines):
            self._add(index, line)
        self.fit_columns(totals)
        if basket.lines:
            self.move_cursor(row=len(basket.lines) - 1, animate=False)

    def fit_columns(self, totals: Totals | None = None) -> None:
        """Each figure column as wide as its header or its widest figure; the item name gets the rest."""
        if not self._headers:  # not mounted yet
            return
        lines = (totals if totals is not None else self.basket.totals()).lines
        widths = dict(self._headers)
        for index, (key, field) in enumerate(zip(FIGURES, FIELDS, strict=True)):
            if lines:  # the largest value has the widest figure
                widths[key] = max(widths[key], len(figures(max(lines, key=attrgetter(field)))[index]))
        room = self.scrollable_content_region.width - NO_WIDTH - sum(widths[key] for key in FIGURES) - 2 * len(COLUMNS)
        widths = {key: widths[key] for key in FIGURES} | {"item": max(ITEM_FLOOR, room)}  # figures are never cut
        changed = False
        for key, width in widths.items():
            column = self.columns.get(ColumnKey(key))
            if column is not None and column.width != width:
                column.width = width
                changed = True
        if changed:
            self._require_update_dimensions = True
            self.refresh()

    def on_resize(self) -> None:
        self.fit_columns()

    @property
    def selected_index(self) -> int | None:
        return self.cursor_row if self.row_count else None
