"""One order looked up afterwards: lines, tenders, member, and what was refunded from it, by whom and when."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from tui_pos import labels
from tui_pos.devices.tickets import tender_label
from tui_pos.domain.catalog import mask_phone
from tui_pos.domain.errors import PosError
from tui_pos.i18n import tr
from tui_pos.services import orders
from tui_pos.services.orders import OrderDetail, OrderLine
from tui_pos.ui.screens.base import PosScreen
from tui_pos.ui.scrolling import LONG_VIEW, ScrollsLongView, scroll_keys
from tui_pos.ui.widgets.key_footer import KeyFooter
from tui_pos.ui.widgets.money import show_money
from tui_pos.ui.widgets.plain import Plain, labelled, plain
from tui_pos.ui.widgets.record_table import RecordTable
from tui_pos.ui.widgets.text_table import TextTable

TABLES = ("#order-lines", "#order-refunds")


def refunded_qty_text(line: OrderLine) -> str:
    if line.pending_qty:
        return tr("{qty} +{pending} awaiting", qty=line.refunded_qty, pending=line.pending_qty)
    return str(line.refunded_qty) if line.refunded_qty else ""


class OrderDetailScreen(ScrollsLongView, PosScreen[None]):
    CSS_PATH = "../styles/order_detail.tcss"
    AUTO_FOCUS = "#order-lines"
    HELP = (
        "The order's lines with what each gave back, how it was paid, and every refund made from it. "
        "Tab moves to the refunds; Enter opens the highlighted refund."
    )
    BINDINGS = [
        Binding("tab", "switch", "Lines/Refunds"),
        Binding("shift+tab", "switch", "Lines/Refunds", show=False),
        Binding("escape", "back", "Back"),
        *scroll_keys(ends=None, lines=None),  # a page of the table in focus
    ]

    def __init__(self, order_no: str) -> None:
        super().__init__()
        self.order_no = order_no
        self.detail: OrderDetail | None = None

    def compose(self) -> ComposeResult:
        yield from self.compose_chrome()
        yield Plain("", id="order-info")
        yield TextTable(id="order-lines", cursor_type="row", zebra_stripes=True).add_class(LONG_VIEW)
        yield RecordTable(id="order-refunds").add_class(LONG_VIEW)
        yield Plain("", id="order-error", classes="error")
        yield KeyFooter()

    def on_mount(self) -> None:
        lines = self.query_one("#order-lines", DataTable)
        lines.add_column(tr("Item"), key="item", width=28)
        lines.add_column(tr("Qty"), key="qty", width=4)
        lines.add_column(tr("Paid"), key="paid", width=10)
        lines.add_column(tr("Refunded qty"), key="refunded", width=16)
        refunds = self.query_one("#order-refunds", DataTable)
        refunds.add_column(tr("Refund no."), key="refund", width=17)  # R01-20261122-0001
        refunds.add_column(tr("Time"), key="time", width=11)
        refunds.add_column(tr("Cashier"), key="cashier", width=7)
        refunds.add_column(tr("Approver"), key="approver", width=8)
        refunds.add_column(tr("Amount"), key="amount", width=10)
        refunds.add_column(tr("Status"), key="status", width=12)  # 'awaiting approval' ends in '…'; zh is whole
        self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        try:
            detail = orders.order_detail(self.order_no)
        except PosError as exc:
            self.show_error(exc.message)
            return
        self.detail = detail
        symbol = self.pos.ctx.config.currency_symbol
        sale = detail.sale
        head = Text(sale.order_no, style="bold")
        head.append(f"  {sale.created_at:%m-%d %H:%M}  {labels.status(sale.status)}  ")  # the year is in the no.
        cashier = labels.with_code(sale.staff_code, labels.staff(sale.staff_name, sale.staff_name_en))
        head.append(plain(f"{tr('Cashier')} {cashier}"))
        member = (
            f"{labels.with_code(sale.member_card, labels.member(sale.member_name))} {mask_phone(sale.member_phone)}"
            if sale.member_id
            else "-"
        )
        total = show_money(sale.total, symbol)
        if sale.discount:
            total += f" ({tr('Discount')} {show_money(sale.discount, symbol)})"
        tenders = ", ".join(f"{tender_label(p.tender)} {show_money(p.amount, symbol)}" for p in detail.tenders)
        refunded = tr(
            "{amount} in {count} refunds",
            amount=show_money(detail.refunded_total, symbol),
            count=sum(1 for r in detail.refunds if r.counts),
        )
        rows = [
            (tr("Order no."), head),  # the cashier's name last: what a cut takes first
            (tr("Member"), member),
            (tr("Total"), total),
            (tr("Tender"), tenders or "-"),
            (tr("Refunded"), refunded),
        ]
        self.query_one("#order-info", Static).update(labelled(rows))

        lines = self.query_one("#order-lines", DataTable)
        lines.clear()
        for ln in detail.lines:
            lines.add_row(
                labels.item(ln.line),
                str(ln.line.qty),
                show_money(ln.line.paid, symbol),
                refunded_qty_text(ln),
                key=str(ln.line.id),
            )
        lines.border_title = tr("Order lines")
        refunds = self.query_one("#order-refunds", DataTable)
        row = refunds.cursor_row
        refunds.clear()
        for r in detail.refunds:
            refunds.add_row(
                r.refund_no,
                r.created_at.strftime("%m-%d %H:%M"),
                r.staff_code,
                r.approver_code or "-",
                show_money(r.amount, symbol),
                labels.status(r.status),
                key=r.refund_no,
            )
        refunds.border_title = tr("Refunded from this order") + f" ({len(detail.refunds)})"
        if detail.refunds:
            refunds.move_cursor(row=min(row, len(detail.refunds) - 1))

    def show_error(self, message: str) -> None:
        line = self.query_one("#order-error", Static)
        line.update(message)
        line.display = bool(message)  # no blank line taking a table row at 80x24

    # -- keys -----------------------------------------------------------------------
    def action_switch(self) -> None:
        lines, refunds = (self.query_one(t, DataTable) for t in TABLES)
        (refunds if self.focused is lines else lines).focus()

    @on(DataTable.RowSelected, "#order-lines")
    def to_refunds(self) -> None:
        """Enter on a line moves to the refunds, where Enter opens one."""
        table = self.query_one("#order-refunds", DataTable)
        if table.row_count:
            table.focus()

    @on(DataTable.RowSelected, "#order-refunds")
    def open_refund(self, event: DataTable.RowSelected) -> None:
        """Enter on a refund: its own screen (its lines and history)."""
        from tui_pos.ui.screens.refund_list import RefundDetailScreen

        self.app.push_screen(RefundDetailScreen(str(event.row_key.value)))

    def action_back(self) -> None:
        self.app.pop_screen()
