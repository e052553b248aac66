"""Step 5 (退款): the money goes over and the voucher prints; the refund is already recorded."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from tui_pos import labels
from tui_pos.domain.errors import PosError
from tui_pos.i18n import tr
from tui_pos.services import refunds
from tui_pos.services.refunds import RefundResult
from tui_pos.ui.messages import PrintFinished
from tui_pos.ui.screens.refund.step import WizardStep, close_wizard, hand_over
from tui_pos.ui.scrolling import LONG_VIEW, scroll_keys
from tui_pos.ui.widgets.plain import Plain, bold, lines
from tui_pos.ui.widgets.ticket_preview import TicketPreview


class PayOutStep(WizardStep):
    """Step 5: the drawer opens, the cash goes over, the customer signs the store copy.

    The refund is already recorded: Escape leaves it `paid` (finish it later from the refund
    list) and a printer failure only means F8 prints the voucher again.
    """

    STEP = 5
    TITLE_TEXT = "Pay out"
    HELP = (
        "Hand over what the line under the title says, have the customer sign the store copy of the "
        "voucher, then press F9. PageDown and PageUp scroll the voucher (End and Home jump to its "
        "ends); the amount stays at the top. F8 prints the voucher again. Escape finishes later: the "
        "refund stays paid, to complete from the refund list."
    )
    BINDINGS = [
        Binding("f9", "done", "Handed over & signed"),
        Binding("f8", "reprint", "Reprint voucher"),
        Binding("escape", "back", "Later"),
        Binding("f2", "policy", "Policy"),
        *scroll_keys(ends=True),
    ]

    def body(self) -> ComposeResult:
        yield Plain("", id="payout")
        yield Plain("", id="printer-status")
        yield TicketPreview(id="voucher-preview", classes=LONG_VIEW)

    def on_mount(self) -> None:
        result = self.result
        cash = any(p.tender == "cash" and p.amount for p in result.parts) if result.parts else result.tender == "cash"
        shown = [p for p in result.parts if p.amount]
        self.query_one("#payout", Static).update(  # above the voucher, which scrolls under it
            lines(
                [
                    Text.assemble(f"{tr('Refund no.')}: ", bold(result.refund_no)),
                    *(
                        [bold(hand_over(p.amount, p.tender)) for p in shown]
                        if shown
                        else [bold(hand_over(result.amount, result.tender))]
                    ),
                    tr("Then press F9: cash handed over, customer signed")
                    if cash
                    else tr("Then press F9: customer signed"),
                ]
            )
        )
        self.query_one(TicketPreview).display = False
        self.print_voucher(result.print_job_id, kick=cash)

    @property
    def result(self) -> RefundResult:
        assert self.state.result is not None
        return self.state.result

    def print_voucher(self, job_id: int | None, kick: bool = False) -> None:
        if job_id is not None:
            self.query_one("#printer-status", Static).update(tr("Printing..."))
            self.pos.start_print(job_id, kick_drawer=kick, reply_to=self)

    def on_print_finished(self, message: PrintFinished) -> None:
        status = self.query_one("#printer-status", Static)
        ok = message.outcome.ok
        text = tr("Voucher printed") if ok else f"{message.outcome.error}{labels.dash()}{tr('press F8 to reprint')}"
        if message.outcome.drawer_error:
            text += "\n" + tr("Cash drawer did not open: {error}", error=message.outcome.drawer_error)
        status.update(text)
        status.set_class(not ok or bool(message.outcome.drawer_error), "error")
        if message.preview:
            preview = self.query_one(TicketPreview)
            preview.show_ticket(message.preview)
            preview.display = True

    def action_reprint(self) -> None:
        try:
            job = refunds.voucher_job_to_print(self.pos.ctx, self.pos.user, self.result.refund_no)
        except PosError as exc:
            self.show_error(exc.message)
            return
        self.print_voucher(job)

    def action_done(self) -> None:
        try:
            refunds.complete(self.pos.ctx, self.pos.user, self.result.refund_no)
        except PosError as exc:
            self.show_error(exc.message)
            return
        self.app.notify(tr("Refund {no} completed", no=self.result.refund_no))
        close_wizard(self.app)

    def action_back(self) -> None:
        self.app.notify(tr("Refund {no} is paid; complete it from the refund list", no=self.result.refund_no))
        close_wizard(self.app)
