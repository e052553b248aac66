"""The five-step cash refund (现金退款), one screen per step.

Escape goes back one step and nothing is stored before step 4: steps 1-3 only fill a
`WizardState`; step 4 calls `refunds.confirm` (or `park`), step 5 `refunds.complete`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Footer, Input, Static

from tui_pos.domain.errors import NeedsApproval, PosError
from tui_pos.domain.money import format_money, parse_money
from tui_pos.domain.policy import DISPOSITION_LABELS, DISPOSITIONS, REASON_LABELS, REASONS
from tui_pos.domain.refund import Pick, RefundQuote
from tui_pos.devices.tickets import tender_label
from tui_pos.i18n import tr
from tui_pos.services import refunds
from tui_pos.services.refunds import OrderLookup, RefundDraft, RefundResult
from tui_pos.ui.screens.base import PosScreen


def money(cents: int) -> str:
    return format_money(cents, "￥")


@dataclass
class WizardState:
    lookup: OrderLookup | None = None
    qty: dict[int, int] = field(default_factory=dict)  # sale line id -> units to refund
    reason: str = "quality"
    note: str = ""
    disposition: str = "restock"
    tender: str = "cash"
    reference: str = ""
    amount: int | None = None
    quote: RefundQuote | None = None
    result: RefundResult | None = None
    opened_at: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))

    def draft(self) -> RefundDraft:
        assert self.lookup is not None
        picks = tuple(Pick(line_id, qty, self.disposition) for line_id, qty in self.qty.items() if qty)
        return RefundDraft(self.lookup.sale.id, picks, self.reason, self.note, self.tender, self.reference,
                           self.amount, self.opened_at)


class WizardStep(PosScreen):
    """Common frame: step title, banner, an error line, footer; F1 opens the policy page."""

    CSS_PATH = "../styles/refund_wizard.tcss"
    STEP = 0
    TITLE_TEXT = ""
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("f1", "policy", "Policy"),
    ]

    def __init__(self, state: WizardState) -> None:
        super().__init__()
        self.state = state

    def on_mount(self) -> None:
        """Steps extend this; nothing shared to do yet."""

    def compose(self) -> ComposeResult:
        yield from self.compose_chrome()
        yield Static(f"{tr('Cash refund')}  {self.STEP}/5  {tr(self.TITLE_TEXT)}", classes="step-title")
        yield from self.body()
        yield Static("", id="error", classes="error")
        yield Footer()

    def body(self) -> ComposeResult:
        yield from ()

    def show_error(self, text: str) -> None:
        self.query_one("#error", Static).update(text)

    def clear_error(self) -> None:
        self.show_error("")

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_policy(self) -> None:
        self.app.push_screen(PolicyScreen())


class FindOrderStep(WizardStep):
    """Step 1: scan the receipt barcode, type the order no., or a member's card/phone."""

    STEP = 1
    TITLE_TEXT = "Find the order"
    BINDINGS = WizardStep.BINDINGS + [
        Binding("f9", "next", "Next"),
        Binding("f4", "refund_list", "Refund list"),
    ]

    def body(self) -> ComposeResult:
        yield Input(placeholder=tr("Scan receipt / order no. / member card or phone"), id="find")
        yield DataTable(id="orders", cursor_type="row")
        yield Static("", id="order-info")
        yield DataTable(id="lines", cursor_type="row")

    def on_mount(self) -> None:
        super().on_mount()
        orders = self.query_one("#orders", DataTable)
        orders.add_columns(tr("Order no."), tr("Time"), tr("Total"), tr("Status"))
        orders.display = False
        lines = self.query_one("#lines", DataTable)
        lines.add_columns(tr("Item"), tr("Qty"), tr("Paid"), tr("Refunded"))
        self.query_one("#find", Input).focus()

    @on(Input.Submitted, "#find")
    def find(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        self.clear_error()
        try:
            if text.upper().lstrip("T").startswith("R"):
                self.app.push_screen(RefundDetailScreen(refunds.detail(text).summary.refund_no))
                return
            try:
                self.show_order(refunds.find_order(self.app.ctx, text))
            except PosError as not_order:
                if not text.isdigit() and not text.upper().startswith("M"):
                    raise not_order
                self.show_member_orders(text)
        except PosError as exc:
            self.show_error(exc.message)

    def show_member_orders(self, text: str) -> None:
        _member_id, name, orders = refunds.member_orders(self.app.ctx, text)
        table = self.query_one("#orders", DataTable)
        table.clear()
        for sale in orders:
            table.add_row(sale.order_no, sale.created_at.strftime("%m-%d %H:%M"), money(sale.total), tr(sale.status),
                          key=str(sale.id))
        table.display = True
        self.query_one("#order-info", Static).update(tr("Orders of {name}: pick one, Enter", name=name))
        table.focus()

    @on(DataTable.RowSelected, "#orders")
    def pick_order(self, event: DataTable.RowSelected) -> None:
        try:
            self.show_order(refunds.load_order(self.app.ctx, int(event.row_key.value)))
        except PosError as exc:
            self.show_error(exc.message)

    def show_order(self, lookup: OrderLookup) -> None:
        self.state.lookup = lookup
        self.state.qty = {h.sale_line_id: h.remaining for h in lookup.history.values()}
        sale = lookup.sale
        self.query_one("#orders", DataTable).display = False
        tenders = ", ".join(f"{tender_label(p.tender)} {money(p.amount)}" for p in sale.payments)
        member = f"{sale.member_card} {sale.member_name}" if sale.member_id else tr("no member")
        info = [f"{sale.order_no}  {sale.created_at:%Y-%m-%d %H:%M}  {tr('Total')} {money(sale.total)}",
                f"{tr('Member')}: {member}  {tenders}"]
        if lookup.refunds:
            info.append(tr("Refunded before: {list}", list=", ".join(
                f"{r.refund_no} {money(r.amount)} {tr(r.status)}" for r in lookup.refunds)))
        if lookup.refusal:
            info.append(f"[b]{tr('Not refundable')}: {lookup.refusal}[/b]")
        info.extend(lookup.warnings)
        self.query_one("#order-info", Static).update("\n".join(info))
        table = self.query_one("#lines", DataTable)
        table.clear()
        for h in lookup.history.values():
            table.add_row(h.name, str(h.qty), money(h.paid), f"{h.refunded_qty} / {money(h.refunded_amount)}")
        if lookup.refundable:
            self.query_one("#find", Input).value = ""
            self.query_one("#find", Input).focus()

    def action_next(self) -> None:
        lookup = self.state.lookup
        if lookup is None:
            self.show_error(tr("Scan the receipt or type the order no."))
        elif not lookup.refundable:
            self.show_error(lookup.refusal)
        else:
            self.app.push_screen(ChooseLinesStep(self.state))

    def action_refund_list(self) -> None:
        self.app.push_screen(RefundListScreen())


class ChooseLinesStep(WizardStep):
    """Step 2: quantities per line, the reason and what happens to the goods."""

    STEP = 2
    TITLE_TEXT = "Choose what comes back"
    BINDINGS = WizardStep.BINDINGS + [
        Binding("plus,equals_sign", "more", "+1"),
        Binding("minus", "less", "-1"),
        Binding("0", "zero", "None"),
        Binding("a", "all", "All"),
        Binding("r", "reason", "Reason"),
        Binding("d", "disposition", "Goods"),
        Binding("n", "note", "Note"),
        Binding("f9", "next", "Next"),
    ]

    def body(self) -> ComposeResult:
        yield DataTable(id="pick", cursor_type="row")
        yield Static("", id="choice")
        yield Input(placeholder=tr("Note (for 'Other')"), id="note")

    def on_mount(self) -> None:
        super().on_mount()
        table = self.query_one("#pick", DataTable)
        table.add_columns(tr("Item"), tr("Sold"), tr("Left"), tr("Refund qty"))
        for h in self.lookup.history.values():
            table.add_row(h.name, str(h.qty), str(h.remaining), str(self.state.qty.get(h.sale_line_id, 0)),
                          key=str(h.sale_line_id))
        note = self.query_one("#note", Input)
        note.value = self.state.note
        note.display = self.state.reason == "other"
        self.show_choice()
        table.focus()

    @property
    def lookup(self) -> OrderLookup:
        assert self.state.lookup is not None
        return self.state.lookup

    def show_choice(self) -> None:
        total = sum(self.state.qty.values())
        self.query_one("#choice", Static).update(
            f"{tr('Reason')}: [b]{tr(REASON_LABELS[self.state.reason])}[/b]   "
            f"{tr('Goods')}: [b]{tr(DISPOSITION_LABELS[self.state.disposition])}[/b]   "
            f"{tr('Units')}: {total}"
        )

    def _set(self, qty_for) -> None:
        table = self.query_one("#pick", DataTable)
        if table.row_count == 0:
            return
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        line = self.lookup.history[int(key.value)]
        qty = max(0, min(line.remaining, qty_for(self.state.qty.get(line.sale_line_id, 0), line.remaining)))
        self.state.qty[line.sale_line_id] = qty
        table.update_cell(key, table.ordered_columns[3].key, str(qty))
        self.show_choice()

    def action_more(self) -> None:
        self._set(lambda q, left: q + 1)

    def action_less(self) -> None:
        self._set(lambda q, left: q - 1)

    def action_zero(self) -> None:
        self._set(lambda q, left: 0)

    def action_all(self) -> None:
        self._set(lambda q, left: left)

    def action_reason(self) -> None:
        self.state.reason = REASONS[(REASONS.index(self.state.reason) + 1) % len(REASONS)]
        self.query_one("#note", Input).display = self.state.reason == "other"
        self.show_choice()

    def action_disposition(self) -> None:
        self.state.disposition = DISPOSITIONS[(DISPOSITIONS.index(self.state.disposition) + 1) % len(DISPOSITIONS)]
        self.show_choice()

    def action_note(self) -> None:
        note = self.query_one("#note", Input)
        note.display = True
        note.focus()

    @on(Input.Submitted, "#note")
    def note_done(self, event: Input.Submitted) -> None:
        self.query_one("#pick", DataTable).focus()

    def action_next(self) -> None:
        self.state.note = self.query_one("#note", Input).value.strip()
        if self.state.reason == "other" and not self.state.note:
            self.show_error(tr("Write a note for 'Other'"))
            return
        if not any(self.state.qty.values()):
            self.show_error(tr("Choose at least one item to refund"))
            return
        self.state.amount = None
        try:
            self.state.quote = refunds.quote(self.app.ctx, self.app.staff, self.state.draft())
        except PosError as exc:
            self.show_error(exc.message)
            return
        self.clear_error()
        self.app.push_screen(ReviewStep(self.state))


TENDER_KEYS = {"c": "cash", "o": "original", "v": "stored_value", "k": "card", "w": "wechat", "l": "alipay"}


class ReviewStep(WizardStep):
    """Step 3: what the policy allows, the tender, and a lower amount if agreed."""

    STEP = 3
    TITLE_TEXT = "Review the amount"
    BINDINGS = WizardStep.BINDINGS + [
        Binding("ctrl+t", "tender", "Tender"),
        Binding("f9", "next", "Next"),
    ]

    def body(self) -> ComposeResult:
        yield Static("", id="quote")
        with Horizontal(id="amount-row"):
            yield Input(placeholder=tr("Refund amount"), id="amount")
            yield Input(placeholder=tr("Reference (card/app)"), id="reference")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#amount", Input).value = format_money(self.quote.amount)
        self.query_one("#reference", Input).value = self.state.reference
        self.render_quote()
        self.query_one("#amount", Input).focus()

    @property
    def quote(self) -> RefundQuote:
        assert self.state.quote is not None
        return self.state.quote

    def render_quote(self) -> None:
        q = self.quote
        rows = [f"{l.name} x{l.qty}  {money(l.amount)}  {tr(DISPOSITION_LABELS[l.disposition])}" for l in q.lines]
        rows.append(f"{tr('Paid for these units')}: {money(q.value)}")
        if q.points_returned:
            rows.append(f"{tr('Points returned')}: +{q.points_returned}")
        if q.points_reversed:
            rows.append(f"{tr('Points taken back')}: -{q.points_reversed}")
        if q.fee:
            rows.append(f"{tr('Fee')}: -{money(q.fee)}")
        rows.append(f"[b]{tr('Policy allows')}: {money(q.allowed)}   {tr('Refund via')}: "
                    f"{tender_label(q.tender)}[/b]  (Ctrl+T)")
        if q.rules:
            rows.append(tr("Policy: {rules}", rules="; ".join(q.rules)))
        if q.approvals:
            rows.append(tr("Needs approval: {why}", why="; ".join(refunds.approval_text(q))))
        self.query_one("#quote", Static).update("\n".join(rows))
        self.query_one("#reference", Input).display = q.tender not in ("cash", "stored_value")

    def requote(self) -> bool:
        try:
            self.state.quote = refunds.quote(self.app.ctx, self.app.staff, self.state.draft())
        except PosError as exc:
            self.show_error(exc.message)
            return False
        self.clear_error()
        self.render_quote()
        return True

    def action_tender(self) -> None:
        order = ["cash", "original", "stored_value", "card", "wechat", "alipay"]
        current = self.state.tender
        nxt = order[(order.index(current) + 1) % len(order)] if current in order else "cash"
        if nxt == "original":
            tenders = [p.tender for p in self.state.lookup.sale.payments if p.tender != "points"]
            nxt = max(set(tenders), key=tenders.count) if tenders else "cash"
            if nxt == "cash":
                nxt = "stored_value"
        self.state.tender = nxt
        self.state.amount = None
        if self.requote():
            self.query_one("#amount", Input).value = format_money(self.quote.amount)

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        self.action_next()

    def action_next(self) -> None:
        try:
            amount = parse_money(self.query_one("#amount", Input).value)
        except PosError as exc:
            self.show_error(exc.message)
            return
        self.state.amount = None if amount == self.quote.allowed else amount
        self.state.reference = self.query_one("#reference", Input).value.strip()
        if self.requote():
            self.app.push_screen(ConfirmStep(self.state))


class ConfirmStep(WizardStep):
    """Step 4: a supervisor's code and PIN where policy demands; records the refund."""

    STEP = 4
    TITLE_TEXT = "Confirm"
    BINDINGS = WizardStep.BINDINGS + [
        Binding("f9", "confirm", "Confirm"),
        Binding("f6", "park", "Park for approval"),
    ]

    def body(self) -> ComposeResult:
        yield Static("", id="summary")
        with Vertical(id="approval"):
            yield Static("", id="approval-why")
            yield Input(placeholder=tr("Approver staff code"), id="approver")
            yield Input(placeholder=tr("Approver PIN"), password=True, id="approver-pin")

    def on_mount(self) -> None:
        super().on_mount()
        q = self.state.quote
        assert q is not None
        self.query_one("#summary", Static).update(
            f"{tr('Order no.')}: {self.state.lookup.sale.order_no}\n"
            f"[b]{tr('Refund amount')}: {money(q.amount)}  {tr('Refund via')}: {tender_label(q.tender)}[/b]\n"
            f"{tr('Reason')}: {tr(REASON_LABELS[self.state.reason])}  {self.state.note}\n"
            f"{tr('Press F9 to record the refund and print the voucher')}"
        )
        needs = q.approver_role is not None and self.app.staff.role < q.approver_role
        self.query_one("#approval", Vertical).display = needs
        if needs:
            self.query_one("#approval-why", Static).update(
                tr("A {role} must approve: {why}", role=tr(q.approver_role.code),
                   why="; ".join(refunds.approval_text(q))))
            self.query_one("#approver", Input).focus()

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
            result = refunds.confirm(self.app.ctx, self.app.staff, self.state.draft(), approval,
                                     expected=self.state.quote)
        except NeedsApproval as exc:
            self.query_one("#approval", Vertical).display = True
            self.show_error(exc.message)
            self.query_one("#approver", Input).focus()
            return
        except PosError as exc:
            self.query_one("#approver-pin", Input).value = ""
            self.show_error(exc.message)
            return
        self.state.result = result
        self.app.switch_screen(PayOutStep(self.state))

    def action_park(self) -> None:
        try:
            result = refunds.park(self.app.ctx, self.app.staff, self.state.draft())
        except PosError as exc:
            self.show_error(exc.message)
            return
        self.app.notify(tr("Refund {no} parked: a manager picks it up from the refund list", no=result.refund_no))
        close_wizard(self.app)


class PayOutStep(WizardStep):
    """Step 5: the drawer opens, the cash goes over, the customer signs the store copy."""

    STEP = 5
    TITLE_TEXT = "Pay out"
    BINDINGS = [
        Binding("f9", "done", "Handed over & signed"),
        Binding("f8", "reprint", "Reprint voucher"),
        Binding("escape", "back", "Later"),
        Binding("f1", "policy", "Policy"),
    ]

    def body(self) -> ComposeResult:
        yield Static("", id="payout")
        yield Static("", id="printer-status")
        yield Static("", id="preview", classes="ticket-preview")

    def on_mount(self) -> None:
        super().on_mount()
        result = self.state.result
        assert result is not None
        cash = result.tender == "cash"
        text = (tr("Hand over {amount} in cash", amount=money(result.amount)) if cash else
                tr("Refund {amount} via {tender}", amount=money(result.amount), tender=tender_label(result.tender)))
        self.query_one("#payout", Static).update(
            f"{tr('Refund no.')}: {result.refund_no}\n[b]{text}[/b]\n"
            f"{tr('Then press F9: cash handed over, customer signed')}")
        self.print_voucher(result.print_job_id, kick=cash)

    def print_voucher(self, job_id: int | None, kick: bool = False) -> None:
        if job_id is not None:
            self.query_one("#printer-status", Static).update(tr("Printing..."))
            self._print(job_id, kick)

    @work(thread=True, exclusive=True)
    def _print(self, job_id: int, kick: bool) -> None:
        from tui_pos.services import printing

        outcome = printing.print_job(self.app.ctx, job_id, kick_drawer=kick, printer=self.app.printer)
        preview = printing.get_job(job_id).ticket.preview() if self.app.ctx.config.training else ""
        self.app.call_from_thread(self.printed, outcome.ok, outcome.error, preview)

    def printed(self, ok: bool, error: str, preview: str) -> None:
        status = self.query_one("#printer-status", Static)
        status.update(tr("Voucher printed") if ok else f"{error} — {tr('press F8 to reprint')}")
        status.set_class(not ok, "error")
        if preview:
            self.query_one("#preview", Static).update(preview)

    def action_reprint(self) -> None:
        try:
            job = refunds.reprint_voucher(self.app.ctx, self.app.staff, self.state.result.refund_no)
        except PosError as exc:
            self.show_error(exc.message)
            return
        self.print_voucher(job)

    def action_done(self) -> None:
        try:
            refunds.complete(self.app.ctx, self.app.staff, self.state.result.refund_no)
        except PosError as exc:
            self.show_error(exc.message)
            return
        self.app.notify(tr("Refund {no} completed", no=self.state.result.refund_no))
        close_wizard(self.app)

    def action_back(self) -> None:
        self.app.notify(tr("Refund {no} is paid; complete it from the refund list", no=self.state.result.refund_no))
        close_wizard(self.app)


def close_wizard(app) -> None:
    """Back to the screen the wizard was opened from."""
    while isinstance(app.screen, (WizardStep, PolicyScreen)):
        app.pop_screen()


def open_refund_wizard(app) -> None:
    app.push_screen(FindOrderStep(WizardState()))


from tui_pos.ui.screens.refund_list import PolicyScreen, RefundDetailScreen, RefundListScreen  # noqa: E402
