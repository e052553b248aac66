"""The sums the customer is asked to pay, and after a sale the change to hand back."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from tui_pos.domain.basket import Totals
from tui_pos.i18n import tr
from tui_pos.services.checkout import SaleResult
from tui_pos.ui.widgets.money import show_money


class TotalsPanel(Static):
    """Items, subtotal, discount and total due; or the last sale's total and change."""

    def on_mount(self) -> None:
        self.border_title = tr("Totals")

    def show_totals(self, totals: Totals, symbol: str = "￥") -> None:
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(no_wrap=True)
        grid.add_column(justify="right", no_wrap=True)
        grid.add_row(tr("Items"), str(totals.item_count))
        grid.add_row(tr("Subtotal"), show_money(totals.subtotal, symbol))
        grid.add_row(tr("Discount"), ("-" if totals.discount else "") + show_money(totals.discount, symbol))
        grid.add_row(Text(tr("Total due"), style="bold"), Text(show_money(totals.total, symbol), style="bold"))
        self.update(grid)
        self.remove_class("done")

    def show_done(self, result: SaleResult, symbol: str = "￥") -> None:
        """After payment the change is what matters most: shown large until the next scan."""
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(no_wrap=True)
        grid.add_column(justify="right", no_wrap=True)
        grid.add_row(tr("Order no."), result.order_no)
        grid.add_row(tr("Total"), show_money(result.total, symbol))
        grid.add_row(Text(tr("Change"), style="bold"), Text(show_money(result.change, symbol), style="bold"))
        if result.points_earned:
            grid.add_row(tr("Points earned"), f"+{result.points_earned}")
        self.update(grid)
        self.add_class("done")
