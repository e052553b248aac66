"""Step 3 (核对退款金额): the amount the policy allows, how the money goes back, or an exchange."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Static

from tui_pos import labels
from tui_pos.devices.tickets import tender_label
from tui_pos.domain.errors import PosError
from tui_pos.domain.money import format_money, parse_money
from tui_pos.domain.refund import RefundQuote
from tui_pos.i18n import tr
from tui_pos.services import refunds
from tui_pos.ui.screens.refund.confirm import ConfirmStep
from tui_pos.ui.screens.refund.step import WizardStep, hand_over_parts, money, tenders_text
from tui_pos.ui.scrolling import LongView, scroll_keys
from tui_pos.ui.widgets.plain import Plain, bold, lines


def spent_words(q: RefundQuote) -> list[str]:
    """Earned points the member already spent, as the policy settled them, in plain words."""
    spent = q.spent
    out = []
    if spent.deducted:
        out.append(f"{tr('Points already spent')}: -{money(spent.deducted)}")
    elif spent.points:
        out.append(tr("Points already spent, forgiven: {points} (flagged)", points=spent.points))
    if spent.below_zero:
        out.append(tr("Points go below zero by {points}; later points pay it back", points=spent.below_zero))
    return out


class ReviewStep(WizardStep):
    """Step 3: what the policy allows, the tender, and a lower amount if agreed."""

    STEP = 3
    TITLE_TEXT = "Review the amount"
    AUTO_FOCUS = "#amount"
    HELP = (
        "The amount is what the policy allows; you may lower it (a supervisor then approves), never "
        "raise it. Money goes back the way it was paid, as the policy (F2) says; Ctrl+T picks another "
        "way the policy allows for all of it (cash for money not paid in cash needs a supervisor)."
    )
    BINDINGS = WizardStep.BINDINGS + [
        Binding("ctrl+t", "tender", "Tender"),
        Binding("f9", "next", "Next"),
        Binding("f7", "exchange", "Exchange"),
        *scroll_keys(),
    ]

    def body(self) -> ComposeResult:
        with LongView(id="quote-view"):  # many lines scroll; the figure stays
            yield Plain("", id="quote")
        yield Plain(tr("Refund amount (you may lower it, never raise it)"), id="amount-label")
        with Horizontal(id="amount-row"):
            yield Input(placeholder=tr("Refund amount"), id="amount", max_length=16)
            yield Input(placeholder=tr("Reference (card/app)"), id="reference", max_length=64)

    def on_mount(self) -> None:
        self.query_one("#amount", Input).value = format_money(self.quote.amount)
        self.query_one("#reference", Input).value = self.state.reference
        self.render_quote()

    @property
    def quote(self) -> RefundQuote:
        assert self.state.quote is not None
        return self.state.quote

    def render_quote(self) -> None:
        q = self.quote
        rows: list[str | Text] = [
            f"{labels.item(ln)} x{ln.qty}  {money(ln.amount)}  {labels.disposition(ln.disposition)}" for ln in q.lines
        ]
        rows.append(f"{tr('Paid for these units')}: {money(q.value)}")
        if q.points_returned:
            rows.append(f"{tr('Points returned')}: +{q.points_returned}")
        if q.points_reversed:
            rows.append(f"{tr('Points taken back')}: -{q.points_reversed}")
        rows.extend(spent_words(q))
        if q.fee:
            rows.append(f"{tr('Fee')}: -{money(q.fee)}")
        split = len([p for p in q.parts if p.amount]) > 1
        for part in q.parts:  # a split refund, or money going back another way than it was paid
            if part.paid_by and part.amount and (split or part.tender != part.paid_by):
                rows.append(
                    tr(
                        "Paid by {paid}: {amount} back by {tender}",
                        paid=tender_label(part.paid_by),
                        amount=money(part.amount),
                        tender=tender_label(part.tender),
                    )
                )
        rows.append(
            bold(f"{tr('Policy allows')}: {money(q.allowed)}   {tr('Refund via')}: {tenders_text(q.parts, q.tender)}")
        )
        if q.rules:
            rows.append(tr("Policy: {rules}", rules="; ".join(q.rules)))
        if q.approvals:
            rows.append(tr("Needs approval: {why}", why="; ".join(refunds.approval_text(q))))
        self.query_one("#quote", Static).update(lines(rows))  # product names: text
        self.show_figure(hand_over_parts(q.parts, q.amount, q.tender))
        self.query_one("#reference", Input).display = any(
            p.tender not in ("cash", "stored_value") for p in q.parts
        ) or (not q.parts and q.tender not in ("cash", "stored_value"))

    def requote(self) -> bool:
        try:
            self.state.quote = refunds.quote(self.pos.ctx, self.pos.user, self.state.draft())
        except PosError as exc:
            self.show_error(exc.message)
            return False
        self.clear_error()
        self.render_quote()
        return True

    def action_tender(self) -> None:
        """The next way back the policy allows for all of the order's money (refunds.tender_choices)."""
        try:
            choices = refunds.tender_choices(self.pos.ctx, self.state.draft())
        except PosError as exc:
            self.show_error(exc.message)
            return
        if len(choices) < 2:
            self.show_error(tr("The policy sends this money back only the way it was paid"))
            return
        current = self.state.tender
        self.state.tender = choices[(choices.index(current) + 1) % len(choices)] if current in choices else choices[0]
        self.state.amount = None
        if self.requote():
            self.query_one("#amount", Input).value = format_money(self.quote.amount)

    @on(Input.Submitted)
    def submitted(self) -> None:
        self.action_next()

    def action_next(self) -> None:
        try:
            amount = parse_money(self.query_one("#amount", Input).value)
        except PosError as exc:
            self.show_error(exc.message)
            return
        previous = self.state.amount
        self.state.amount = None if amount == self.quote.allowed else amount
        self.state.reference = self.query_one("#reference", Input).value.strip()
        if self.requote():
            self.app.push_screen(ConfirmStep(self.state))
        else:
            self.state.amount = previous

    def action_exchange(self) -> None:
        """The customer takes other goods instead: the amount becomes credit on a new sale."""
        if self.pos.basket.lines or self.pos.exchange_credit is not None:
            self.show_error(tr("Finish or void the sale in checkout first"))
            return
        self.state.exchange = True
        self.action_next()
        self.state.exchange = isinstance(self.app.screen, ConfirmStep)
