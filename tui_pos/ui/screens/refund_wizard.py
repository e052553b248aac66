"""The five-step cash refund (现金退款), one screen per step.

Escape goes back one step and nothing is stored before step 4: steps 1-3 only fill a
`WizardState`; step 4 calls `refunds.confirm` (or `park`), step 5 `refunds.complete`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, Static

from tui_pos.devices.tickets import tender_label
from tui_pos.domain.catalog import split_quantity
from tui_pos.domain.errors import NeedsApproval, PosError
from tui_pos.domain.money import format_money, parse_money
from tui_pos.domain.policy import DISPOSITION_LABELS, DISPOSITIONS, REASON_LABELS, REASONS
from tui_pos.domain.refund import LineHistory, Pick, RefundQuote
from tui_pos.i18n import tr
from tui_pos.services import refunds
from tui_pos.services.refunds import OrderLookup, RefundDraft, RefundResult
from tui_pos.ui.messages import PrintFinished
from tui_pos.ui.screens.base import PosScreen
from tui_pos.ui.screens.refund_list import PolicyScreen, RefundDetailScreen, RefundListScreen
from tui_pos.ui.widgets.key_footer import KeyFooter
from tui_pos.ui.widgets.scan_input import ScanInput
from tui_pos.ui.widgets.ticket_preview import TicketPreview


def money(cents: int) -> str:
    return format_money(cents, "￥")


@dataclass
class WizardState:
    lookup: OrderLookup | None = None
    qty: dict[int, int] = field(default_factory=dict)  # sale line id -> units to refund
    disposition: dict[int, str] = field(default_factory=dict)  # sale line id -> what happens to the goods
    reason: str = "quality"
    note: str = ""
    tender: str = "cash"
    reference: str = ""
    amount: int | None = None
    quote: RefundQuote | None = None
    result: RefundResult | None = None
    opened_at: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))
    # without a receipt: the products brought back (product id -> units) and the customer
    no_receipt: bool = False
    exchange: bool = False  # step 4 hands the amount to checkout as credit instead of paying out
    history: dict[int, LineHistory] = field(default_factory=dict)
    member_id: int | None = None

    @property
    def lines(self) -> dict[int, LineHistory]:
        return self.lookup.history if self.lookup is not None else self.history

    @property
    def order_no(self) -> str:
        return self.lookup.sale.order_no if self.lookup is not None else tr("No receipt")

    @property
    def has_member(self) -> bool:
        return (self.lookup.sale.member_id if self.lookup is not None else self.member_id) is not None

    def draft(self) -> RefundDraft:
        picks = tuple(
            Pick(line_id, qty, self.disposition.get(line_id, "restock")) for line_id, qty in self.qty.items() if qty
        )
        sale_id = self.lookup.sale.id if self.lookup is not None else None
        return RefundDraft(
            sale_id,
            picks,
            self.reason,
            self.note,
            self.tender,
            self.reference,
            self.amount,
            self.opened_at,
            self.member_id,
        )


class WizardStep(PosScreen[None]):
    """Common frame: step title, banner, an error line and the keys; F2 opens the policy page."""

    CSS_PATH = "../styles/refund_wizard.tcss"
    STEP = 0
    TITLE_TEXT = ""
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("f2", "policy", "Policy"),
    ]

    def __init__(self, state: WizardState) -> None:
        super().__init__()
        self.state = state

    def compose(self) -> ComposeResult:
        yield from self.compose_chrome()
        yield Static(f"{tr('Cash refund')}  {self.STEP}/5  {tr(self.TITLE_TEXT)}", classes="step-title")
        yield from self.body()
        yield Static("", id="error", classes="error")
        yield KeyFooter()

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
        yield DataTable(id="orders", cursor_type="row")
        yield Static("", id="order-info")
        yield DataTable(id="lines", cursor_type="row")

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
                self.show_order(refunds.find_order(self.app.ctx, text))
            except PosError as not_order:
                if not text.isdigit() and not text.upper().startswith("M"):
                    raise not_order
                self.show_member_orders(text)
        except PosError as exc:
            self.show_error(exc.message)
            self.query_one("#find", ScanInput).keep(text)

    def show_member_orders(self, text: str) -> None:
        _member_id, name, orders = refunds.member_orders(self.app.ctx, text)
        table = self.query_one("#orders", DataTable)
        table.clear()
        for sale in orders:
            table.add_row(
                sale.order_no,
                sale.created_at.strftime("%m-%d %H:%M"),
                money(sale.total),
                tr(sale.status),
                key=str(sale.id),
            )
        table.display = True
        self.query_one("#lines", DataTable).display = False
        self.query_one("#order-info", Static).update(tr("Orders of {name}: pick one, Enter", name=name))
        table.focus()

    @on(DataTable.RowSelected, "#orders")
    def pick_order(self, event: DataTable.RowSelected) -> None:
        try:
            self.show_order(refunds.load_order(self.app.ctx, int(event.row_key.value)))
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
        member = f"{sale.member_card} {sale.member_name}" if sale.member_id else tr("no member")
        info = [
            f"[b]{sale.order_no}[/b]  {sale.created_at:%Y-%m-%d %H:%M}  {tr('Total')} {money(sale.total)}",
            f"{tr('Member')}: {member}   {tenders}",
        ]
        if lookup.refunds:
            info.append(
                tr(
                    "Refunded before: {list}",
                    list=", ".join(
                        f"{r.refund_no} {r.created_at:%m-%d %H:%M} {r.staff_code} {money(r.amount)} {tr(r.status)}"
                        for r in lookup.refunds
                    ),
                )
            )
        if lookup.refusal:
            info.append(f"[b]{tr('Not refundable')}: {lookup.refusal}[/b]")
        else:
            info.append(tr("Refundable. F9: choose what comes back"))
        info.extend(lookup.warnings)
        self.query_one("#order-info", Static).update("\n".join(info))
        table = self.query_one("#lines", DataTable)
        table.clear()
        table.display = True
        for h in lookup.history.values():
            table.add_row(h.name, str(h.qty), money(h.paid), f"{h.refunded_qty} / {money(h.refunded_amount)}")
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
        self.app.push_screen(NoReceiptStep(WizardState(no_receipt=True)))


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
        yield Static(tr("Without a receipt a manager must approve, and the refund is flagged."), id="order-info")
        yield ScanInput(placeholder=tr("Scan the items brought back"), id="scan-back", max_length=80)
        yield Input(placeholder=tr("Member card or phone (optional), Enter"), id="member", max_length=40)
        yield DataTable(id="lines", cursor_type="row")

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
        self.state.history = refunds.lines_without_receipt(self.app.ctx, self.scanned, self.state.member_id)
        table = self.query_one("#lines", DataTable)
        table.clear()
        for h in self.state.history.values():
            table.add_row(h.name, str(h.qty), money(h.paid))

    def action_next(self) -> None:
        if not self.state.history:
            self.show_error(tr("Scan the items brought back"))
            return
        self.state.qty = {line_id: h.qty for line_id, h in self.state.history.items()}
        self.app.push_screen(ChooseLinesStep(self.state))


class ChooseLinesStep(WizardStep):
    """Step 2: quantities and what happens to the goods per line, and the reason."""

    STEP = 2
    TITLE_TEXT = "Choose what comes back"
    AUTO_FOCUS = "#pick"
    HELP = (
        "Up and Down pick a line; + and - change its refund quantity, 0 none, a all that is left; "
        "d changes what happens to that line's goods. r changes the reason; n writes a note."
    )
    BINDINGS = WizardStep.BINDINGS + [
        Binding("plus,equals_sign", "more", "+1"),
        Binding("minus", "less", "-1"),
        Binding("0", "zero", "None"),
        Binding("a", "all", "All"),
        Binding("d", "disposition", "Goods"),
        Binding("r", "reason", "Reason"),
        Binding("n", "note", "Note"),
        Binding("f9", "next", "Next"),
    ]

    def body(self) -> ComposeResult:
        yield DataTable(id="pick", cursor_type="row")
        yield Static("", id="choice")
        yield Input(placeholder=tr("Note (for 'Other')"), id="note", max_length=200)

    def on_mount(self) -> None:
        table = self.query_one("#pick", DataTable)
        self.columns = table.add_columns(tr("Item"), tr("Qty sold"), tr("Left"), tr("Refund qty"), tr("Goods"))
        for h in self.state.lines.values():
            table.add_row(
                h.name,
                str(h.qty),
                str(h.remaining),
                str(self.state.qty.get(h.sale_line_id, 0)),
                self.disposition_text(h.sale_line_id),
                key=str(h.sale_line_id),
            )
        note = self.query_one("#note", Input)
        note.value = self.state.note
        note.display = self.state.reason == "other" or bool(self.state.note)
        self.show_choice()

    def disposition_text(self, line_id: int) -> str:
        return tr(DISPOSITION_LABELS[self.state.disposition.get(line_id, "restock")])

    def show_choice(self) -> None:
        total = sum(self.state.qty.values())
        self.query_one("#choice", Static).update(
            f"{tr('Reason')} (r): [b]{tr(REASON_LABELS[self.state.reason])}[/b]   {tr('Units')}: {total}"
        )

    def _selected(self):
        table = self.query_one("#pick", DataTable)
        if table.row_count == 0:
            return None, None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return key, self.state.lines[int(key.value)]

    def _set(self, qty_for) -> None:
        key, line = self._selected()
        if line is None:
            return
        qty = max(0, min(line.remaining, qty_for(self.state.qty.get(line.sale_line_id, 0), line.remaining)))
        self.state.qty[line.sale_line_id] = qty
        self.query_one("#pick", DataTable).update_cell(key, self.columns[3], str(qty))
        self.show_choice()

    def action_more(self) -> None:
        self._set(lambda q, left: q + 1)

    def action_less(self) -> None:
        self._set(lambda q, left: q - 1)

    def action_zero(self) -> None:
        self._set(lambda q, left: 0)

    def action_all(self) -> None:
        self._set(lambda q, left: left)

    def action_disposition(self) -> None:
        key, line = self._selected()
        if line is None:
            return
        now = self.state.disposition.get(line.sale_line_id, "restock")
        self.state.disposition[line.sale_line_id] = DISPOSITIONS[(DISPOSITIONS.index(now) + 1) % len(DISPOSITIONS)]
        self.query_one("#pick", DataTable).update_cell(key, self.columns[4], self.disposition_text(line.sale_line_id))

    def action_reason(self) -> None:
        self.state.reason = REASONS[(REASONS.index(self.state.reason) + 1) % len(REASONS)]
        if self.state.reason == "other":
            self.query_one("#note", Input).display = True
        self.show_choice()

    def action_note(self) -> None:
        note = self.query_one("#note", Input)
        note.display = True
        note.focus()

    @on(Input.Submitted, "#note")
    def note_done(self) -> None:
        self.query_one("#pick", DataTable).focus()

    def action_next(self) -> None:
        self.state.note = self.query_one("#note", Input).value.strip()
        if self.state.reason == "other" and not self.state.note:
            self.show_error(tr("Write a note for 'Other'"))
            self.action_note()
            return
        self.state.amount = None
        try:
            self.state.quote = refunds.quote(self.app.ctx, self.app.staff, self.state.draft())
        except PosError as exc:
            self.show_error(exc.message)
            return
        self.clear_error()
        self.app.push_screen(ReviewStep(self.state))


TENDER_CYCLE = ("cash", "original", "stored_value", "card", "wechat", "alipay")


class ReviewStep(WizardStep):
    """Step 3: what the policy allows, the tender, and a lower amount if agreed."""

    STEP = 3
    TITLE_TEXT = "Review the amount"
    AUTO_FOCUS = "#amount"
    HELP = (
        "The amount is what the policy allows; you may lower it (a supervisor then approves), never "
        "raise it. Ctrl+T changes how the money goes back: cash, the original tender, stored value."
    )
    BINDINGS = WizardStep.BINDINGS + [
        Binding("ctrl+t", "tender", "Tender"),
        Binding("f9", "next", "Next"),
        Binding("f7", "exchange", "Exchange"),
    ]

    def body(self) -> ComposeResult:
        yield Static("", id="quote")
        yield Static(tr("Refund amount (you may lower it, never raise it)"), id="amount-label")
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
        rows = [f"{ln.name} x{ln.qty}  {money(ln.amount)}  {tr(DISPOSITION_LABELS[ln.disposition])}" for ln in q.lines]
        rows.append(f"{tr('Paid for these units')}: {money(q.value)}")
        if q.points_returned:
            rows.append(f"{tr('Points returned')}: +{q.points_returned}")
        if q.points_reversed:
            rows.append(f"{tr('Points taken back')}: -{q.points_reversed}")
        if q.fee:
            rows.append(f"{tr('Fee')}: -{money(q.fee)}")
        rows.append(f"[b]{tr('Policy allows')}: {money(q.allowed)}   {tr('Refund via')}: {tender_label(q.tender)}[/b]")
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
        current = self.state.tender
        nxt = TENDER_CYCLE[(TENDER_CYCLE.index(current) + 1) % len(TENDER_CYCLE)] if current in TENDER_CYCLE else "cash"
        if nxt == "original":
            nxt = refunds.original_tender(self.state.lookup.sale) if self.state.lookup else "cash"
            if nxt == "cash":
                nxt = "stored_value"
        if nxt == "stored_value" and not self.state.has_member:
            nxt = "card"
        self.state.tender = nxt
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
    ]

    def body(self) -> ComposeResult:
        yield Static("", id="summary")
        with Vertical(id="approval"):
            yield Static("", id="approval-why")
            yield Input(placeholder=tr("Approver staff code"), id="approver", max_length=16)
            yield Input(placeholder=tr("Approver PIN"), password=True, id="approver-pin", max_length=16)

    def on_mount(self) -> None:
        q = self.state.quote
        assert q is not None
        how = (
            tr("Exchange: {amount} credit towards new goods", amount=money(q.amount))
            if self.state.exchange
            else f"{tr('Refund amount')}: {money(q.amount)}  {tr('Refund via')}: {tender_label(q.tender)}"
        )
        self.query_one("#summary", Static).update(
            f"{tr('Order no.')}: {self.state.order_no}\n[b]{how}[/b]\n"
            f"{tr('Reason')}: {tr(REASON_LABELS[self.state.reason])}  {self.state.note}\n"
            + (
                tr("Press F9, then scan the new goods in checkout")
                if self.state.exchange
                else tr("Press F9 to record the refund and print the voucher")
            )
        )
        needs = q.approver_role is not None and self.app.staff.role < q.approver_role
        self.query_one("#approval", Vertical).display = needs
        if needs:
            self.query_one("#approval-why", Static).update(
                tr(
                    "A {role} must approve: {why}",
                    role=tr(q.approver_role.code),
                    why="; ".join(refunds.approval_text(q)),
                )
            )
            self.query_one("#approver", Input).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "park":  # only a refund that waits for someone can be parked
            q = self.state.quote
            return q is not None and q.approver_role is not None and self.pos.staff.role < q.approver_role
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
                self.app.ctx, self.app.staff, self.state.draft(), approval, expected=self.state.quote
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

        credit = exchange.start(self.app.ctx, self.app.staff, self.state.draft(), approval)
        if credit.member_id is not None:
            profile = members.profile(self.app.ctx, credit.member_id)
            self.pos.basket.attach(profile.member, profile.discount_bp)
        self.pos.exchange_credit = credit
        close_wizard(self.app)  # checkout picks the credit up when it is shown again

    def action_park(self) -> None:
        try:
            result = refunds.park(self.app.ctx, self.app.staff, self.state.draft())
        except PosError as exc:
            self.show_error(exc.message)
            return
        self.app.notify(tr("Refund {no} parked: a manager picks it up from the refund list", no=result.refund_no))
        close_wizard(self.app)


class PayOutStep(WizardStep):
    """Step 5: the drawer opens, the cash goes over, the customer signs the store copy.

    The refund is already recorded: Escape leaves it `paid` (finish it later from the refund
    list) and a printer failure only means F8 prints the voucher again.
    """

    STEP = 5
    TITLE_TEXT = "Pay out"
    BINDINGS = [
        Binding("f9", "done", "Handed over & signed"),
        Binding("f8", "reprint", "Reprint voucher"),
        Binding("escape", "back", "Later"),
        Binding("f2", "policy", "Policy"),
    ]

    def body(self) -> ComposeResult:
        yield Static("", id="payout")
        yield Static("", id="printer-status")
        yield TicketPreview(id="voucher-preview")

    def on_mount(self) -> None:
        result = self.result
        cash = result.tender == "cash"
        text = (
            tr("Hand over {amount} in cash", amount=money(result.amount))
            if cash
            else tr("Refund {amount} via {tender}", amount=money(result.amount), tender=tender_label(result.tender))
        )
        self.query_one("#payout", Static).update(
            f"{tr('Refund no.')}: [b]{result.refund_no}[/b]\n[b]{text}[/b]\n"
            f"{tr('Then press F9: cash handed over, customer signed')}"
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
        text = tr("Voucher printed") if ok else f"{message.outcome.error} — {tr('press F8 to reprint')}"
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
            job = refunds.voucher_job_to_print(self.app.ctx, self.app.staff, self.result.refund_no)
        except PosError as exc:
            self.show_error(exc.message)
            return
        self.print_voucher(job)

    def action_done(self) -> None:
        try:
            refunds.complete(self.app.ctx, self.app.staff, self.result.refund_no)
        except PosError as exc:
            self.show_error(exc.message)
            return
        self.app.notify(tr("Refund {no} completed", no=self.result.refund_no))
        close_wizard(self.app)

    def action_back(self) -> None:
        self.app.notify(tr("Refund {no} is paid; complete it from the refund list", no=self.result.refund_no))
        close_wizard(self.app)


def close_wizard(app) -> None:
    """Back to the screen the wizard was opened from."""
    while isinstance(app.screen, (WizardStep, PolicyScreen)):
        app.pop_screen()


def open_refund_wizard(app) -> None:
    app.push_screen(FindOrderStep(WizardState()))
