"""Step 4 (确认): a supervisor approves where policy demands; the refund is recorded (or parked,
or handed to checkout as exchange credit)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from tui_pos import labels
from tui_pos.domain.errors import NeedsApproval, PosError
from tui_pos.i18n import tr
from tui_pos.services import refunds
from tui_pos.ui.screens.refund.pay_out import PayOutStep
from tui_pos.ui.screens.refund.step import WizardStep, close_wizard, hand_over_parts, money, tenders_text
from tui_pos.ui.scrolling import LongView, scroll_keys
from tui_pos.ui.widgets.plain import Plain, bold, lines


class ConfirmStep(WizardStep):
    """Step 4: a supervisor's code and PIN where policy demands; records the refund."""

    STEP = 4
    TITLE_TEXT = "Confirm"
    HELP = (
        "F9 records the refund and prints the voucher. If the policy needs approval, the supervisor "
        "or manager types their staff code and PIN here. F6 parks the refund for a manager."
    )
    BINDINGS = WizardStep.BINDINGS + [
        Binding("f9", "confirm", "Confirm"),
        Binding("f6", "park", "Park for approval"),
        *scroll_keys(),
    ]

    def body(self) -> ComposeResult:
        with LongView(id="summary-view"):  # a long note scrolls; the figure stays
            yield Plain("", id="summary")
        with Vertical(id="approval"):
            yield Plain("", id="approval-why")
            yield Input(placeholder=tr("Approver staff code"), id="approver", max_length=16)
            yield Input(placeholder=tr("Approver PIN"), password=True, id="approver-pin", max_length=16)

    def on_mount(self) -> None:
        q = self.state.quote
        assert q is not None
        how = (
            tr("Exchange: {amount} credit towards new goods", amount=money(q.amount))
            if self.state.exchange
            else f"{tr('Refund amount')}: {money(q.amount)}  {tr('Refund via')}: {tenders_text(q.parts, q.tender)}"
        )
        self.show_figure(how if self.state.exchange else hand_over_parts(q.parts, q.amount, q.tender))
        self.query_one("#summary", Static).update(
            lines(  # the note is the cashier's words: text
                [
                    f"{tr('Order no.')}: {self.state.order_no}",
                    bold(how),
                    f"{tr('Reason')}: {labels.reason(self.state.reason)}  {self.state.note}",
                    tr("Press F9, then scan the new goods in checkout")
                    if self.state.exchange
                    else tr("Press F9 to record the refund and print the voucher")
                    if self.pos.has_printer
                    else tr("Press F9 to record the refund (the voucher waits: no printer)"),
                ]
            )
        )
        # whose code and PIN (another person's above what one may approve alone): the service says
        wanted = refunds.approval_wanted(self.pos.ctx, self.pos.user, q)
        self.query_one("#approval", Vertical).display = bool(wanted)
        if wanted:
            self.query_one("#approval-why", Static).update(wanted)
            self.query_one("#approver", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "park":  # only a refund that waits for someone can be parked
            q = self.state.quote
            return q is not None and bool(refunds.approval_wanted(self.pos.ctx, self.pos.user, q))
        return True

    @on(Input.Submitted, "#approver")
    def to_pin(self) -> None:
        self.query_one("#approver-pin", Input).focus()

    @on(Input.Submitted, "#approver-pin")
    def pin_entered(self) -> None:
        self.action_confirm()

    def action_confirm(self) -> None:
        approval = None
        if self.query_one("#approval", Vertical).display:
            approval = (self.query_one("#approver", Input).value, self.query_one("#approver-pin", Input).value)
        try:
            if self.state.exchange:
                self.start_exchange(approval)
                return
            result = refunds.confirm(
                self.pos.ctx, self.pos.user, self.state.draft(), approval, expected=self.state.quote
            )
        except NeedsApproval as exc:
            self.query_one("#approval", Vertical).display = True
            self.show_error(exc.message)
            self.query_one("#approver", Input).focus()
            return
        except PosError as exc:
            pin = self.query_one("#approver-pin", Input)
            pin.value = ""
            self.show_error(exc.message)
            if pin.display and self.query_one("#approval", Vertical).display:
                pin.focus()
            return
        self.state.result = result
        self.app.switch_screen(PayOutStep(self.state))

    def start_exchange(self, approval: tuple[str, str] | None) -> None:
        from tui_pos.services import exchange, members

        credit = exchange.start(self.pos.ctx, self.pos.user, self.state.draft(), approval)
        if credit.member_id is not None:
            profile = members.profile(self.pos.ctx, credit.member_id)
            self.pos.basket.attach(profile.member, profile.discount_bp)
        self.pos.exchange_credit = credit
        close_wizard(self.app)  # checkout picks the credit up when it is shown again

    def action_park(self) -> None:
        try:
            result = refunds.park(self.pos.ctx, self.pos.user, self.state.draft())
        except PosError as exc:
            self.show_error(exc.message)
            return
        self.app.notify(tr("Refund {no} parked: a manager picks it up from the refund list", no=result.refund_no))
        close_wizard(self.app)
