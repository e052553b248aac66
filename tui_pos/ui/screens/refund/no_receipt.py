"""Step 1 without a receipt: the goods brought back are scanned and priced at today's price."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input

from tui_pos import labels
from tui_pos.domain.catalog import split_quantity
from tui_pos.domain.errors import PosError
from tui_pos.i18n import tr
from tui_pos.services import refunds
from tui_pos.ui.screens.refund.choose_lines import ChooseLinesStep
from tui_pos.ui.screens.refund.step import WizardStep, money
from tui_pos.ui.widgets.plain import Plain
from tui_pos.ui.widgets.scan_input import ScanInput
from tui_pos.ui.widgets.text_table import TextTable


class NoReceiptStep(WizardStep):
    """Step 1 without a receipt: scan what the customer brought back; a manager must approve."""

    STEP = 1
    TITLE_TEXT = "No receipt"
    AUTO_FOCUS = "#scan-back"
    HELP = (
        "Scan each item the customer brought back (3*barcode for three). Type the member's card or "
        "phone in the second box if they have one. The refund is at today's price, needs a manager's "
        "approval and is flagged in the refund list."
    )
    BINDINGS = WizardStep.BINDINGS + [Binding("f9", "next", "Next")]

    def body(self) -> ComposeResult:
        yield Plain(tr("Without a receipt a manager must approve, and the refund is flagged."), id="order-info")
        yield ScanInput(placeholder=tr("Scan the items brought back"), id="scan-back", max_length=80)
        yield Input(placeholder=tr("Member card or phone (optional), Enter"), id="member", max_length=40)
        yield TextTable(id="lines", cursor_type="row")

    def on_mount(self) -> None:
        self.query_one("#lines", DataTable).add_columns(tr("Item"), tr("Qty"), tr("Today's price"))
        self.scanned: dict[int, int] = {}

    @on(ScanInput.Scanned, "#scan-back")
    def scanned_item(self, event: ScanInput.Scanned) -> None:
        from tui_pos.services import catalog

        try:
            qty, code = split_quantity(event.code.strip())
            product = catalog.product_for_scan(code)
            self.scanned[product.id] = self.scanned.get(product.id, 0) + qty
            self.show_lines()
        except PosError as exc:
            self.show_error(exc.message)
            self.query_one("#scan-back", ScanInput).keep(event.code)
            return
        self.clear_error()

    @on(Input.Submitted, "#member")
    def member_entered(self, event: Input.Submitted) -> None:
        from tui_pos.services import members

        text = event.value.strip()
        try:
            member = members.find_one(text) if text else None
        except PosError as exc:
            self.show_error(exc.message)
            return
        self.state.member_id = member.id if member else None
        self.clear_error()
        self.show_lines()
        self.query_one("#scan-back", ScanInput).focus()

    def show_lines(self) -> None:
        self.state.history = refunds.lines_without_receipt(self.pos.ctx, self.scanned, self.state.member_id)
        table = self.query_one("#lines", DataTable)
        table.clear()
        for h in self.state.history.values():
            table.add_row(labels.item(h), str(h.qty), money(h.paid))

    def action_next(self) -> None:
        if not self.state.history:
            self.show_error(tr("Scan the items brought back"))
            return
        self.state.qty = {line_id: h.qty for line_id, h in self.state.history.items()}
        self.app.push_screen(ChooseLinesStep(self.state))
