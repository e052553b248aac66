"""The sums the customer is asked to pay, and after a sale the change to hand back."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from tui_pos.domain.basket import Totals
from tui_pos.i18n import tr
from tui_pos.services.checkout import SaleResult
from tui_pos.ui.widgets.money import show_money


def figures_grid(rows: list[tuple[str | Text, str | Text]]) -> Table:
    """Label and figure rows. A figure is never cut (its column is as wide as the widest); a label
    too long for the rest of the 26 cells would end in '…' (the labels are kept short enough)."""
    widest = max(cell_len(figure if isinstance(figure, str) else figure.plain) for _, figure in rows)
    grid = Table.grid(padding=(0, 0, 0, 1), expand=True)  # one space between label and figure
    grid.add_column(no_wrap=True, overflow="ellipsis")
    grid.add_column(justify="right", no_wrap=True, min_width=widest)
    for label, figure in rows:
        grid.add_row(label, figure)
    return grid


PANEL_CELLS = 26  # inside the 30-cell sidebar's border and padding


def number_rows(label: str, number: str) -> RenderableType:
    """An order no. with its label on one line when both fit, else the number on a line of its
    own (a chain's numbers carry the store code: S01-20261122-0001, TSBJ01-... in training)."""
    if cell_len(label) + 1 + cell_len(number) <= PANEL_CELLS:
        return figures_grid([(label, number)])
    return Group(Text(label, no_wrap=True, overflow="ellipsis"), Text(number, justify="right", no_wrap=True))


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
        rows: list[tuple[str | Text, str | Text]] = [
            (tr("Items"), str(totals.item_count)),
            (tr("Saved"), show_money(totals.discount, symbol)),
            (tr("Total"), show_money(totals.total, symbol)),
        ]
        label, amount = tr("Total due"), totals.due(credit or 0)
        if credit is not None:
            rows.append((tr("Exchange credit"), "-" + show_money(credit, symbol)))
            if totals.give_back(credit):
                label, amount = tr("Give back"), totals.give_back(credit)
        rows.append((Text(label, style="bold"), Text(show_money(amount, symbol), style="bold")))
        self.update(figures_grid(rows))
        self.remove_class("done")

    def show_done(self, result: SaleResult, symbol: str = "￥") -> None:
        """After payment the change is what matters most: shown large until the next scan."""
        rows: list[tuple[str | Text, str | Text]] = [
            (tr("Total"), show_money(result.total, symbol)),
            (Text(tr("Change"), style="bold"), Text(show_money(result.change, symbol), style="bold")),
        ]
        if result.points_earned:
            rows.append((tr("New points"), f"+{result.points_earned}"))
        # the number apart from the figures, so its width does not squeeze their labels
        self.update(Group(number_rows(tr("Order no."), result.order_no), figures_grid(rows)))
        self.add_class("done")
