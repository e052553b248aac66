"""One member's profile: points, balance, level, purchases and refunds with the refund rate."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from tui_pos import labels
from tui_pos.domain.catalog import mask_phone
from tui_pos.domain.errors import PosError
from tui_pos.i18n import tr
from tui_pos.services import head_office, member_history, orders, reports
from tui_pos.services.member_history import ChainHistory, StorePurchase
from tui_pos.services.orders import MemberHistory, Purchase
from tui_pos.ui.screens.base import PosScreen
from tui_pos.ui.widgets.key_footer import KeyFooter
from tui_pos.ui.widgets.money import show_money
from tui_pos.ui.widgets.plain import Plain, bold, lines, plain
from tui_pos.ui.widgets.record_table import RecordTable

TABLES = ("#profile-purchases", "#profile-refunds")


def purchase_mark(purchase: Purchase | StorePurchase, symbol: str) -> str:
    """What the cashier sees next to an order: voided, refunded in full or in part, or waiting."""
    status = purchase.sale.status if isinstance(purchase, Purchase) else purchase.status
    if status == "voided":
        return tr("voided")
    marks = {
        "full": tr("Full {amount}", amount=show_money(purchase.refunded, symbol)),
        "part": tr("Part {amount}", amount=show_money(purchase.refunded, symbol)),
        "pending": tr("Awaiting approval"),
    }
    text = marks.get(purchase.mark, "")
    if isinstance(purchase, Purchase) and purchase.refund_count and purchase.pending_count:
        text += " +" + tr("Awaiting approval")
    return text


class MemberProfileScreen(PosScreen[bool]):
    """Dismisses with True when the cashier asks to attach this member to the sale (F2)."""

    CSS_PATH = "../styles/member_profile.tcss"
    AUTO_FOCUS = "#profile-purchases"
    HELP = (
        "Up and Down move in a list, Tab switches between purchases and refunds. "
        "Enter opens the order or the refund; F2 attaches the member to the sale."
    )
    BINDINGS = [
        Binding("tab", "switch", "Purchases/Refunds"),
        Binding("shift+tab", "switch", "Purchases/Refunds", show=False),
        Binding("f2", "attach", "Attach"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, member_id: int) -> None:
        super().__init__()
        self.member_id = member_id
        self.history: MemberHistory | None = None
        self.chain: ChainHistory | None = None  # in a chain: every store's orders and refunds
        self.bought_at: dict[str, str] = {}  # order or refund no. -> the store's code, in a chain

    def compose(self) -> ComposeResult:
        yield from self.compose_chrome()
        yield Plain("", id="profile-summary")
        yield Plain("", id="profile-rate")
        yield RecordTable(id="profile-purchases")
        yield RecordTable(id="profile-refunds")
        yield Plain("", id="profile-error", classes="error")
        yield KeyFooter()

    def on_mount(self) -> None:
        if head_office.linked(self.pos.ctx):
            self.chain_columns()
            self.reload()
            return
        purchases = self.query_one("#profile-purchases", DataTable)
        purchases.add_column(tr("Order no."), key="order", width=17)  # S01-20261122-0001
        purchases.add_column(tr("Time"), key="time", width=16)
        purchases.add_column(tr("Items"), key="items", width=4)
        purchases.add_column(tr("Total"), key="total", width=10)
        purchases.add_column(tr("Refunded"), key="refunded", width=16)
        refunds = self.query_one("#profile-refunds", DataTable)
        refunds.add_column(tr("Refund no."), key="refund", width=17)
        refunds.add_column(tr("Time"), key="time", width=11)
        refunds.add_column(tr("Original order"), key="order", width=17)
        refunds.add_column(tr("Amount"), key="amount", width=10)
        refunds.add_column(tr("Status"), key="status", width=10)
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()  # a refund opened from here may have been approved or completed meanwhile

    def chain_columns(self) -> None:
        """A chain's lists name the store of each order and refund (the item count and a refund's
        hour give way: 80 columns)."""
        purchases = self.query_one("#profile-purchases", DataTable)
        purchases.add_column(tr("Store"), key="store", width=5)
        purchases.add_column(tr("Order no."), key="order", width=17)
        purchases.add_column(tr("Time"), key="time", width=16)
        purchases.add_column(tr("Total"), key="total", width=10)
        purchases.add_column(tr("Refunded"), key="refunded", width=16)
        refunds = self.query_one("#profile-refunds", DataTable)
        refunds.add_column(tr("Store"), key="store", width=5)
        refunds.add_column(tr("Refund no."), key="refund", width=17)
        refunds.add_column(tr("Date"), key="time", width=5)  # the store takes the time's room
        refunds.add_column(tr("Original order"), key="order", width=17)
        refunds.add_column(tr("Amount"), key="amount", width=10)
        refunds.add_column(tr("Status"), key="status", width=10)

    def reload(self) -> None:
        try:
            history = orders.member_history(self.pos.ctx, self.member_id)
            chain = member_history.chain_history(self.pos.ctx, self.member_id)
        except PosError as exc:
            self.show_error(exc.message)
            return
        self.history = history
        self.chain = chain
        symbol = self.pos.ctx.config.currency_symbol
        profile, m = history.profile, history.profile.member
        level = labels.level(self.pos.config, m.level) + (
            f" -{profile.discount_bp / 100:g}%" if profile.discount_bp else ""
        )
        grid = Table.grid(padding=(0, 1))
        for _ in range(4):
            grid.add_column(no_wrap=True, overflow="ellipsis")
        grid.columns[0].style = grid.columns[2].style = "bold"
        grid.add_row(
            tr("Name"),
            plain(f"{labels.member(m.name)}  {m.card_no}  {mask_phone(m.phone)}".strip()),
            tr("Level"),
            plain(level),
        )
        grid.add_row(tr("Points"), str(m.points), tr("Balance"), show_money(m.balance, symbol))
        counted = chain or profile
        grid.add_row(
            tr("Purchases"),
            f"{counted.sale_count} / {show_money(counted.sale_total, symbol)}",
            tr("Joined"),
            m.joined.strftime("%Y-%m-%d") if m.joined else "-",
        )
        self.query_one("#profile-summary", Static).update(grid)
        rate = tr(
            "Refunds: {count}, {amount} of {bought} bought (rate {rate}%)",
            count=(chain or history).refund_count,
            amount=show_money((chain or history).refund_total, symbol),
            bought=show_money(chain.sale_total if chain else history.sales_total, symbol),
            rate=f"{(chain or history).rate_bp / 100:.1f}",
        )
        flag = reports.member_flag(self.pos.ctx, self.member_id)
        worth = tr("Worth a look: this member made {text}", text=tr(flag.text, **flag.params)) if flag else None
        self.query_one("#profile-rate", Static).update(lines([rate, *([bold(worth)] if worth else [])]))
        if chain is not None:
            self.show_chain(chain)
            return

        purchases = self._refill(
            "#profile-purchases",
            [
                (
                    p.sale.order_no,
                    (
                        p.sale.order_no,
                        p.sale.created_at.strftime("%Y-%m-%d %H:%M"),
                        str(p.sale.item_count),
                        show_money(p.sale.total, symbol),
                        purchase_mark(p, symbol),
                    ),
                )
                for p in history.purchases
            ],
        )
        purchases.border_title = tr("Purchase history") + f" ({profile.sale_count})"
        refunds = self._refill(
            "#profile-refunds",
            [
                (
                    r.refund_no,
                    (
                        r.refund_no,
                        r.created_at.strftime("%m-%d %H:%M"),
                        r.order_no or tr("No receipt"),
                        show_money(r.amount, symbol),
                        labels.status(r.status),
                    ),
                )
                for r in history.refunds
            ],
        )
        refunds.border_title = tr("Refund history") + f" ({len(history.refunds)})"

    def _refill(self, selector: str, rows: list[tuple[str, tuple[Any, ...]]]) -> DataTable[Any]:
        """The table's rows replaced by `rows` (key, cells), its cursor kept on the same line
        (or the last, when fewer): a refresh must not move the cashier's place."""
        table = self.query_one(selector, DataTable)
        row = table.cursor_row
        table.clear()
        for key, cells in rows:
            table.add_row(*cells, key=key)
        if rows:
            table.move_cursor(row=min(row, len(rows) - 1))
        return table

    def show_chain(self, chain: ChainHistory) -> None:
        """Every store's orders and refunds, each with its store; offline this store's, said so."""
        symbol = self.pos.ctx.config.currency_symbol
        self.bought_at = {p.order_no: p.store_code for p in chain.purchases}
        self.bought_at.update({r.refund_no: r.store_code for r in chain.refunds})
        purchases = self._refill(
            "#profile-purchases",
            [
                (
                    p.order_no,
                    (
                        p.store_code,
                        p.order_no,
                        p.created_at.strftime("%Y-%m-%d %H:%M") if p.created_at else "-",
                        show_money(p.total, symbol),
                        purchase_mark(p, symbol),
                    ),
                )
                for p in chain.purchases
            ],
        )
        every = tr("every store") if chain.everywhere else tr("this store")
        purchases.border_title = tr("Purchase history") + f" ({chain.sale_count}, {every})"
        refunds = self._refill(
            "#profile-refunds",
            [
                (
                    r.refund_no,
                    (
                        r.store_code,
                        r.refund_no,
                        r.created_at.strftime("%m-%d") if r.created_at else "-",
                        r.order_no or tr("No receipt"),
                        show_money(r.amount, symbol),
                        labels.status(r.status),
                    ),
                )
                for r in chain.refunds
            ],
        )
        refunds.border_title = tr("Refund history") + f" ({len(chain.refunds)}, {every})"
        self.show_error(
            ""
            if chain.everywhere
            else tr("Head office cannot be reached: only this store's purchases and refunds are shown")
        )

    def elsewhere(self, number: str) -> bool:
        """An order or refund of another store: its detail is kept there and at head office."""
        store = self.bought_at.get(number, "")
        if not store or store == self.pos.ctx.config.store_code:
            return False
        self.show_error(
            tr("{no} is store {store}'s: its detail is kept there and at head office", no=number, store=store)
        )
        return True

    def show_error(self, message: str) -> None:
        line = self.query_one("#profile-error", Static)
        line.update(message)
        line.display = bool(message)  # no blank line taking a table row at 80x24

    # -- keys -----------------------------------------------------------------------
    def action_switch(self) -> None:
        purchases, refunds = (self.query_one(t, DataTable) for t in TABLES)
        (refunds if self.focused is purchases else purchases).focus()

    @on(DataTable.RowSelected, "#profile-purchases")
    def open_order(self, event: DataTable.RowSelected) -> None:
        """Enter on a purchase: the order, with what was refunded from it."""
        from tui_pos.ui.screens.order_detail import OrderDetailScreen

        if self.elsewhere(str(event.row_key.value)):
            return
        self.app.push_screen(OrderDetailScreen(str(event.row_key.value)))

    @on(DataTable.RowSelected, "#profile-refunds")
    def open_refund(self, event: DataTable.RowSelected) -> None:
        from tui_pos.ui.screens.refund_list import RefundDetailScreen

        if self.elsewhere(str(event.row_key.value)):
            return
        self.app.push_screen(RefundDetailScreen(str(event.row_key.value)))

    def action_attach(self) -> None:
        self.dismiss(True)

    def action_back(self) -> None:
        self.dismiss(False)
