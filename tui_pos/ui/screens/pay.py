"""Taking payment: one or more tenders until nothing is left to pay, then the sale is recorded.

Two keys pay, and the dialog says so: type the amount, then press the tender's letter
(c cash, k card, w WeChat, a Alipay, v stored value, p points); Enter takes the amount in the
tender shown, cash to begin with. A letter pressed before any amount is typed picks that
tender and suggests what it can take. The amount box only takes digits, so the letters are
free while it has the focus; in the reference box (Tab) they type normally, since that box
claims them. Nothing is recorded until the whole amount is paid: Escape with tenders taken
asks first, and either way leaves nothing behind.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Static

from tui_pos import labels
from tui_pos.devices.tickets import tender_label
from tui_pos.domain.errors import PosError
from tui_pos.domain.money import parse_money
from tui_pos.domain.tenders import PaymentPlan, TenderKind
from tui_pos.i18n import tr
from tui_pos.services import checkout, exchange
from tui_pos.ui.screens.base import PosModal
from tui_pos.ui.screens.confirm import ConfirmScreen
from tui_pos.ui.widgets.amount_input import AmountInput
from tui_pos.ui.widgets.key_footer import KeyFooter
from tui_pos.ui.widgets.money import show_money
from tui_pos.ui.widgets.plain import Plain

if TYPE_CHECKING:
    from tui_pos.services.checkout import SaleResult
    from tui_pos.services.exchange import ExchangeResult

TENDER_KEYS: dict[str, TenderKind] = {
    "c": TenderKind.CASH,
    "k": TenderKind.CARD,
    "w": TenderKind.WECHAT,
    "a": TenderKind.ALIPAY,
    "v": TenderKind.STORED_VALUE,
    "p": TenderKind.POINTS,
}
NEEDS_REFERENCE = {TenderKind.CARD, TenderKind.WECHAT, TenderKind.ALIPAY}


class PayScreen(PosModal["SaleResult | ExchangeResult | None"]):
    """Dismisses with the recorded sale, or None if the cashier backs out (nothing is written)."""

    CSS_PATH = "../styles/pay.tcss"
    AUTO_FOCUS = "#pay-amount"
    HELP = (
        "Two keys pay: 1. type the amount, 2. press the tender's letter: c cash, k card, w WeChat Pay, "
        "a Alipay, v stored value, p points. Typing 10 then v takes 10.00 in stored value; a tender "
        "that cannot take it says why and the amount stays. Enter takes the amount in the tender "
        "shown, cash unless you picked another; for cash type what the customer hands over and the "
        "change is shown. A letter pressed before typing picks the tender and puts in what it can "
        "take; then Tab moves to the reference of a card or mobile payment, and Enter takes it. "
        "s takes exactly the cash amount typed as part of the payment (never more than is left) "
        "and the rest is collected next. x removes the last tender. Escape leaves without paying; "
        "with tenders taken it lists them and asks first. Nothing is recorded until the whole "
        "amount is paid."
    )
    BINDINGS = [
        *(
            Binding(key, f"tender('{kind.value}')", labels.TENDERS[kind.value], priority=True)
            for key, kind in TENDER_KEYS.items()
        ),
        Binding("s", "split", "Part cash", priority=True),
        Binding("x", "undo", "Undo tender", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.plan: PaymentPlan | None = None
        self.kind = TenderKind.CASH

    def compose(self) -> ComposeResult:
        yield from self.compose_banner()
        with Vertical(id="pay-dialog", classes="dialog"):
            yield Label(tr("Payment"), id="pay-title")
            yield Plain("", id="pay-summary")
            yield Plain(tr("1. Type the amount   2. Press the tender's letter   Enter = cash"), id="pay-how")
            yield Plain("", id="pay-tenders")
            with Horizontal(classes="pay-field"):
                yield Label(tr("Amount"), classes="pay-label")
                yield AmountInput(id="pay-amount")
            with Horizontal(classes="pay-field", id="reference-row"):
                yield Label(tr("Reference"), classes="pay-label")
                yield Input(id="pay-reference", max_length=64, placeholder=tr("optional"))
            yield Plain("", id="pay-error", classes="error")
            yield Plain("", id="pay-taken")
        yield KeyFooter()

    def on_mount(self) -> None:
        credit = self.pos.exchange_credit
        self.plan = (
            exchange.new_plan(self.pos.ctx, self.pos.basket, credit)
            if credit is not None
            else checkout.new_plan(self.pos.ctx, self.pos.basket)
        )
        self.choose(TenderKind.CASH)

    # -- showing --------------------------------------------------------------
    @property
    def symbol(self) -> str:
        return self.pos.ctx.config.currency_symbol

    def money(self, cents: int) -> str:
        return show_money(cents, self.symbol)

    def default_amount(self, kind: TenderKind) -> int:
        """What the amount box starts with: what is left, or what the member still has."""
        plan = self.plan
        assert plan is not None
        amount = plan.remaining
        member = plan.member
        if member is not None and kind is TenderKind.STORED_VALUE:
            amount = min(amount, member.balance - plan.used(kind))
        elif member is not None and kind is TenderKind.POINTS:
            amount = min(amount, (member.points - plan.points_spent) * plan.cents_per_point)
        return max(0, amount)

    def refresh_summary(self) -> None:
        plan = self.plan
        assert plan is not None
        grid = Table.grid(padding=(0, 2))
        grid.add_column(no_wrap=True)
        grid.add_column(justify="right", no_wrap=True)
        grid.add_row(tr("Due"), self.money(plan.due))
        grid.add_row(tr("Paid"), self.money(plan.paid))
        grid.add_row(Text(tr("Remaining"), style="bold"), Text(self.money(plan.remaining), style="bold"))
        back = plan.credit - plan.used(TenderKind.EXCHANGE)
        credit = self.pos.exchange_credit
        if back and credit is not None:  # credit to give back comes only with an exchange
            grid.add_row(
                Text(tr("Give back ({tender})", tender=tender_label(credit.back_tender)), style="bold reverse"),
                Text(self.money(back), style="bold reverse"),
            )
        if plan.change:
            grid.add_row(Text(tr("Change"), style="bold reverse"), Text(self.money(plan.change), style="bold reverse"))
        self.query_one("#pay-summary", Static).update(grid)
        taken = Text()
        for tender in plan.tenders:
            line = f"{labels.tender(tender.kind)} {self.money(tender.amount)}"
            if tender.change:
                line += " (" + tr("given {given}", given=self.money(tender.given)) + ")"
            if tender.reference:
                line += f" #{tender.reference}"
            taken.append(line + "\n")
        self.query_one("#pay-taken", Static).update(taken)

    def refresh_tenders(self) -> None:
        bar = Text()
        for key, kind in TENDER_KEYS.items():
            bar.append(f"{key} {labels.tender(kind)}", style="reverse bold" if kind is self.kind else "")
            bar.append("  ")
        self.query_one("#pay-tenders", Static).update(bar)
        self.query_one("#pay-dialog").set_class(self.kind in NEEDS_REFERENCE, "-reference")

    def choose(self, kind: TenderKind) -> None:
        """Show `kind` as the tender Enter takes, and suggest what it can take."""
        self.kind = kind
        self.refresh_tenders()
        self.refresh_summary()
        amount = self.query_one("#pay-amount", AmountInput)
        amount.put(show_money(self.default_amount(kind), ""))
        amount.focus()

    # -- keys -----------------------------------------------------------------
    def action_tender(self, kind: str) -> None:
        """A tender letter: after a typed amount it takes that amount in this tender (or says why
        not, keeping the amount); before any is typed it picks the tender."""
        error = self.query_one("#pay-error", Static)
        error.update("")
        tender = TenderKind(kind)
        if tender in checkout.MEMBER_TENDERS:
            try:  # in a chain they need head office; the tender shown and the amount typed stay
                checkout.member_tenders_ready(self.pos.ctx)
            except PosError as exc:
                error.update(exc.message)
                self.query_one("#pay-amount", AmountInput).focus()
                return
        if self.query_one("#pay-amount", AmountInput).typed:
            self.kind = tender
            self.refresh_tenders()
            self.add_tender(tender)
        else:
            self.choose(tender)

    def action_split(self) -> None:
        """Part cash: exactly the cash amount typed goes towards the sale, the rest is collected next."""
        if not self.query_one("#pay-amount", AmountInput).typed:
            self.query_one("#pay-error", Static).update(tr("Type the cash the customer gives first, then s"))
            return
        self.add_tender(TenderKind.CASH, partial_cash=True)

    def action_undo(self) -> None:
        assert self.plan is not None
        if self.plan.tenders and self.plan.tenders[-1].kind is TenderKind.EXCHANGE:
            return  # the exchange credit stays; Escape and F7 in checkout drop the exchange
        self.plan.remove_last()
        self.query_one("#pay-error", Static).update("")
        self.choose(self.kind)

    def action_cancel(self) -> None:
        """Back to the sale; with tenders taken, only once the cashier says so (nothing is recorded)."""
        assert self.plan is not None
        taken = [t for t in self.plan.tenders if t.kind is not TenderKind.EXCHANGE]  # the credit stays
        if not taken:
            self.dismiss(None)
            return
        listed = "\n".join(f"  {labels.tender(t.kind)} {self.money(t.amount)}" for t in taken)
        detail = "\n".join(
            [tr("Tenders taken so far:"), listed, tr("Nothing is recorded. Give back any money already taken.")]
        )

        def answered(leave: bool | None) -> None:
            if leave:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen(tr("Leave the payment?"), detail), answered)

    @on(Input.Submitted)
    def submitted(self) -> None:
        self.add_tender(self.kind)

    # -- paying ---------------------------------------------------------------
    def add_tender(self, kind: TenderKind, *, partial_cash: bool = False) -> None:
        plan = self.plan
        assert plan is not None
        error = self.query_one("#pay-error", Static)
        amount_input = self.query_one("#pay-amount", Input)
        reference = self.query_one("#pay-reference", Input)
        if plan.complete:  # recording failed before (e.g. busy database): try again
            self.finish()
            return
        try:
            amount = parse_money(amount_input.value, allow_zero=False)
            plan.add(kind, amount, reference.value if kind in NEEDS_REFERENCE else "", partial_cash=partial_cash)
        except PosError as exc:
            error.update(exc.message)
            amount_input.focus()
            return
        error.update("")
        reference.clear()
        if plan.complete:
            self.refresh_summary()
            self.finish()
        else:
            self.choose(TenderKind.CASH)

    def finish(self) -> None:
        """Record the sale; the checkout screen shows the change and prints the receipt."""
        assert self.plan is not None
        credit = self.pos.exchange_credit
        result: SaleResult | ExchangeResult
        try:
            if credit is not None:
                result = exchange.complete(self.pos.ctx, self.pos.user, self.pos.basket, self.plan, credit)
                self.pos.exchange_credit = None
            else:
                result = checkout.complete_sale(self.pos.ctx, self.pos.user, self.pos.basket, self.plan)
        except PosError as exc:
            self.query_one("#pay-error", Static).update(exc.message + " " + tr("(x removes the last tender)"))
            return
        self.dismiss(result)
