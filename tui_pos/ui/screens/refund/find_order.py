"""Step 1 (查找原订单): find the original order by receipt, order no. or member."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from tui_pos import labels
from tui_pos.devices.tickets import tender_label
from tui_pos.domain.errors import PosError
from tui_pos.i18n import tr
from tui_pos.services import refunds
from tui_pos.services.refunds import OrderLookup
from tui_pos.ui.row_keys import row_id
from tui_pos.ui.screens.refund.choose_lines import ChooseLinesStep
from tui_pos.ui.screens.refund.no_receipt import NoReceiptStep
from tui_pos.ui.screens.refund.state import WizardState
from tui_pos.ui.screens.refund.step import WizardStep, money
from tui_pos.ui.screens.refund_list import RefundDetailScreen, RefundListScreen
from tui_pos.ui.widgets.plain import Plain, bold, lines
from tui_pos.ui.widgets.scan_input import ScanInput
from tui_pos.ui.widgets.text_table import TextTable

if TYPE_CHECKING:
    from tui_pos.ui.till import Till


class FindOrderStep(WizardStep):
    """Step 1: scan the receipt barcode, type the order no., or a member's card/phone."""

    STEP = 1
    TITLE_TEXT = "Find the order"
    AUTO_FOCUS = "#find"
    HELP = (
        "Scan the receipt barcode or type the order no. and press Enter. A member card or phone "
        "lists that member's orders: pick one with Enter. A refund no. opens that refund."
    )
    BINDINGS = WizardStep.BINDINGS + [
        Binding("f9", "next", "Next"),
        Binding("f4", "refund_list", "Refund list"),
        Binding("f7", "no_receipt", "No receipt"),
    ]

    def body(self) -> ComposeResult:
        yield ScanInput(placeholder=tr("Scan receipt / order no. / member card or phone"), id="find", max_length=40)
        yield TextTable(id="orders", cursor_type="row")
        yield Plain("", id="order-info")
        yield TextTable(id="lines", cursor_type="row")

    def on_mount(self) -> None:
        orders = self.query_one("#orders", DataTable)
        orders.add_columns(tr("Order no."), tr("Time"), tr("Total"), tr("Status"))
        orders.display = False
        lines = self.query_one("#lines", DataTable)
        lines.add_columns(tr("Item"), tr("Qty"), tr("Paid"), tr("Refunded"))
        if self.state.lookup is not None:
            self.show_order(self.state.lookup)

    @on(ScanInput.Scanned, "#find")
    def find(self, event: ScanInput.Scanned) -> None:
        text = event.code.strip()
        self.clear_error()
        try:
            if text.upper().lstrip("T").startswith("R"):
                self.app.push_screen(RefundDetailScreen(refunds.detail(text).summary.refund_no))
                return
            try:
                self.show_order(refunds.find_order(self.pos.ctx, text))
            except PosError as not_order:
                if not text.isdigit() and not text.upper().startswith("M"):
                    raise not_order
                self.show_member_orders(text)
        except PosError as exc:
            self.show_error(exc.message)
            self.query_one("#find", ScanInput).keep(text)

    def show_member_orders(self, text: str) -> None:
        _member_id, name, orders = refunds.member_orders(self.pos.ctx, text)
        table = self.query_one("#orders", DataTable)
        table.clear()
        for sale in orders:
            table.add_row(
                sale.order_no,
                sale.created_at.strftime("%m-%d %H:%M"),
                money(sale.total),
                labels.status(sale.status),
                key=str(sale.id),
            )
        table.display = True
        self.query_one("#lines", DataTable).display = False
        self.query_one("#order-info", Static).update(
            tr("Orders of {name}: pick one, Enter", name=labels.member(name, text.strip()))
        )
        table.focus()

    @on(DataTable.RowSelected, "#orders")
    def pick_order(self, event: DataTable.RowSelected) -> None:
        try:
            self.show_order(refunds.load_order(self.pos.ctx, row_id(event.row_key)))
        except PosError as exc:
            self.show_error(exc.message)

    def show_order(self, lookup: OrderLookup) -> None:
        """Show the order and what was refunded from it; the quantities start at all remaining."""
        self.state.lookup = lookup
        self.state.qty = {h.sale_line_id: h.remaining for h in lookup.history.values()}
        self.state.disposition = {}
        sale = lookup.sale
        self.query_one("#orders", DataTable).display = False
        tenders = ", ".join(f"{tender_label(p.tender)} {money(p.amount)}" for p in sale.payments)
        member = (
            labels.with_code(sale.member_card, labels.member(sale.member_name)) if sale.member_id else tr("no member")
        )
        info: list[str | Text] = [
            Text.assemble(
                bold(sale.order_no), f"  {sale.created_at:%Y-%m-%d %H:%M}  {tr('Total')} {money(sale.total)}"
            ),
            f"{tr('Member')}: {member}   {tenders}",
        ]
        if lookup.refunds:
            info.append(
                tr(
                    "Refunded before: {list}",
                    list=", ".join(
                        f"{r.refund_no} {r.created_at:%m-%d %H:%M} {r.staff_code} "
                        f"{money(r.amount)} {labels.status(r.status)}"
                        for r in lookup.refunds
                    ),
                )
            )
        if lookup.refusal:
            info.append(bold(f"{tr('Not refundable')}: {lookup.refusal}"))
        else:
            info.append(tr("Refundable. F9: choose what comes back"))
        info.extend(lookup.warnings)
        self.query_one("#order-info", Static).update(lines(info))  # the member's name: text
        table = self.query_one("#lines", DataTable)
        table.clear()
        table.display = True
        for h in lookup.history.values():
            table.add_row(labels.item(h), str(h.qty), money(h.paid), f"{h.refunded_qty} / {money(h.refunded_amount)}")
        self.query_one("#find", ScanInput).focus()

    def action_next(self) -> None:
        lookup = self.state.lookup
        if lookup is None:
            self.show_error(tr("Scan the receipt or type the order no."))
        elif not lookup.refundable:
            self.show_error(lookup.refusal)
        else:
            self.clear_error()
            self.app.push_screen(ChooseLinesStep(self.state))

    def action_refund_list(self) -> None:
        self.app.push_screen(RefundListScreen())

    def action_no_receipt(self) -> None:
        self.app.push_screen(NoReceiptStep(WizardState(opened_at=opened_now(self.app), no_receipt=True)))


def opened_now(app: App[Any]) -> datetime:
    """The wizard's start by the till's clock (the refund records it), to the second."""
    return cast("Till", app).ctx.now().replace(microsecond=0)


def open_refund_wizard(app: App[Any]) -> None:
    """Checkout's F8: the wizard opens on step 1 with nothing gathered yet."""
    app.push_screen(FindOrderStep(WizardState(opened_at=opened_now(app))))
