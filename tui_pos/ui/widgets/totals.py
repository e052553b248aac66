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
    """Items, what was saved, the total and what is due; or the last sale's total and change.

    The total is the sum of the basket table's Amount column and "saved" the sum of its Disc
    column: the discounts are already in the amounts, so nothing below the lines is taken off
    twice. During an exchange the credit is taken off the total, leaving what the customer pays
    or what goes back to them. Always the same rows in the same places, the bottom one in bold.
    """

    def on_mount(self) -> None:
        self.border_title = tr("Totals")

    def show_totals(self, totals: Totals, symbol: str = "￥", *, credit: int | None = None) -> None:
        """`credit`: an exchange's credit, from the moment the exchange starts (None: no exchange)."""
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(no_wrap=True)
        grid.add_column(justify="right", no_wrap=True)
        grid.add_row(tr("Items"), str(totals.item_count))
        grid.add_row(tr("Saved"), show_money(totals.discount, symbol))
        grid.add_row(tr("Total"), show_money(totals.total, symbol))
        label, amount = tr("Total due"), totals.due(credit or 0)
        if credit is not None:
            grid.add_row(tr("Exchange credit"), "-" + show_money(credit, symbol))
            if totals.give_back(credit):
                label, amount = tr("Give back"), totals.give_back(credit)
        grid.add_row(Text(label, style="bold"), Text(show_money(amount, symbol), style="bold"))
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
