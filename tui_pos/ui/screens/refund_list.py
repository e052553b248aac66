"""Tracking refunds by number: the list, one refund's history, and the policy page."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static

from tui_pos import labels
from tui_pos.devices.tickets import tender_label
from tui_pos.domain.errors import PosError
from tui_pos.i18n import tr
from tui_pos.services import refunds
from tui_pos.ui.messages import PrintFinished
from tui_pos.ui.screens.base import PosScreen
from tui_pos.ui.scrolling import LongView, ScrollsLongView, scroll_keys
from tui_pos.ui.widgets.key_footer import KeyFooter
from tui_pos.ui.widgets.money import show_money
from tui_pos.ui.widgets.plain import Plain, bold, lines
from tui_pos.ui.widgets.text_table import TextTable

STATUSES = ("", "pending_approval", "paid", "completed", "rejected", "cancelled")


class RefundListScreen(PosScreen[None]):
    CSS_PATH = "../styles/refund.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+s", "status", "Status filter"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.status = ""

    def compose(self) -> ComposeResult:
        yield from self.compose_chrome()
        yield Plain(tr("Refund list"), classes="step-title", id="list-title")
        yield Input(placeholder=tr("Refund no. / order no. / member card or phone"), id="search")
        yield TextTable(id="refunds", cursor_type="row")
        yield Plain("", id="error", classes="error")
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#refunds", DataTable)
        table.add_columns(tr("Refund no."), tr("Order no."), tr("Status"), tr("Amount"), tr("Time"))
        self.reload()
        self.query_one("#search", Input).focus()

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        table = self.query_one("#refunds", DataTable)
        table.clear()
        text = self.query_one("#search", Input).value
        for r in refunds.search(text, self.status):
            flag = "!" if r.no_receipt else ""
            table.add_row(
                r.refund_no + flag,
                r.order_no,
                labels.status(r.status),
                show_money(r.amount),
                r.created_at.strftime("%m-%d %H:%M"),
                key=r.refund_no,
            )
        self.query_one("#list-title", Static).update(
            tr("Refund list") + (f"{labels.dash()}{labels.status(self.status)}" if self.status else "")
        )

    @on(Input.Changed, "#search")
    def search_changed(self) -> None:
        self.reload()

    @on(Input.Submitted, "#search")
    def search_submitted(self) -> None:
        table = self.query_one("#refunds", DataTable)
        if table.row_count:
            table.focus()

    @on(DataTable.RowSelected, "#refunds")
    def open_refund(self, event: DataTable.RowSelected) -> None:
        self.app.push_screen(RefundDetailScreen(str(event.row_key.value)))

    def action_status(self) -> None:
        self.status = STATUSES[(STATUSES.index(self.status) + 1) % len(STATUSES)]
        self.reload()

    def action_back(self) -> None:
        self.app.pop_screen()


class RefundDetailScreen(ScrollsLongView, PosScreen[None]):
    """Everything about one refund, and what can still be done with it."""

    CSS_PATH = "../styles/refund.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("f5", "approve", "Approve"),
        Binding("f6", "reject", "Reject"),
        Binding("f7", "cancel_refund", "Cancel refund"),
        Binding("f8", "reprint", "Reprint voucher"),  # 重打退款单据, not the receipt
        Binding("f9", "complete", "Handed over & signed"),
        *scroll_keys(),
    ]

    def __init__(self, refund_no: str) -> None:
        super().__init__()
        self.refund_no = refund_no
        self.status = ""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only the keys that make sense for this refund's status are offered."""
        allowed = {
            "approve": ("pending_approval",),
            "reject": ("pending_approval",),
            "cancel_refund": ("pending_approval",),
            "complete": ("paid",),
            "reprint": ("paid", "completed"),
        }
        return self.status in allowed[action] if action in allowed else True

    def compose(self) -> ComposeResult:
        yield from self.compose_chrome()
        with LongView(id="detail-view"):  # a long history scrolls
            yield Plain("", id="detail")
        yield Input(placeholder=tr("Rejection reason, then Enter"), id="reject-reason")
        yield Plain("", id="error", classes="error")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#reject-reason", Input).display = False
        self.refresh_detail()

    def refresh_detail(self) -> None:
        try:
            d = refunds.detail(self.refund_no)
        except PosError as exc:
            self.query_one("#error", Static).update(exc.message)
            return
        s = d.summary
        self.status = s.status
        self.refresh_bindings()
        ways = [p for p in d.parts if p.amount]
        via = (  # a split refund: each tender with its part
            " + ".join(f"{tender_label(p.tender)} {show_money(p.amount)}" for p in ways)
            if len(ways) > 1
            else tender_label(s.tender)
        )
        head = Text.assemble(bold(s.refund_no), f"  {labels.status(s.status)}  {show_money(s.amount)} {via}")
        if s.no_receipt:
            head.append_text(Text("  ").append_text(bold(tr("No receipt"))))
        rows: list[str | Text] = [
            head,
            f"{tr('Original order')}: {s.order_no or '-'}   {tr('Member')}: {s.member_card or '-'}",
            f"{tr('Reason')}: {labels.reason(s.reason)} {labels.console_text(d.note)}",
            f"{tr('Cashier')}: {labels.with_code(s.staff_code, labels.staff(d.staff_name, d.staff_name_en))}   "
            f"{tr('Approved by')}: "
            + (labels.with_code(d.approver_code, labels.staff(d.approver_name, d.approver_name_en)) or "-"),
        ]
        rows += [
            f"  {labels.item(ln)} x{ln.qty} {show_money(ln.amount)} {labels.disposition(ln.disposition)}"
            for ln in d.lines
        ]
        if d.reject_reason:
            rows.append(f"{tr('Rejected')}: {labels.console_text(d.reject_reason)}")
        rows.append(tr("History") + ":")
        rows += [
            f"  {e.at:%m-%d %H:%M} {e.staff_code} {labels.event(e.event)} {labels.event_note(e.event, e.note)}"
            for e in d.events
        ]
        self.query_one("#detail", Static).update(lines(rows))  # the note, names, reasons: text

    def _do(self, fn: Callable[..., object], *args: str) -> None:
        """Run a refund service on this refund; its error, if any, goes on the error line."""
        try:
            fn(self.pos.ctx, self.pos.user, self.refund_no, *args)
        except PosError as exc:
            self.query_one("#error", Static).update(exc.message)
            return
        self.query_one("#error", Static).update("")
        self.refresh_detail()

    def action_approve(self) -> None:
        try:
            result = refunds.approve_parked(self.pos.ctx, self.pos.user, self.refund_no)
        except PosError as exc:
            self.query_one("#error", Static).update(exc.message)
            return
        self.refresh_detail()
        self._print(result.print_job_id, any(p.tender == "cash" and p.amount for p in result.parts))

    def action_reject(self) -> None:
        box = self.query_one("#reject-reason", Input)
        box.display = True
        box.focus()

    @on(Input.Submitted, "#reject-reason")
    def rejected(self, event: Input.Submitted) -> None:
        self._do(refunds.reject, event.value)

    def action_cancel_refund(self) -> None:
        self._do(refunds.cancel)

    def action_complete(self) -> None:
        self._do(refunds.complete)

    def action_reprint(self) -> None:
        try:
            job = refunds.voucher_job_to_print(self.pos.ctx, self.pos.user, self.refund_no)
        except PosError as exc:
            self.query_one("#error", Static).update(exc.message)
            return
        self.refresh_detail()
        self._print(job, False)

    def _print(self, job_id: int | None, kick: bool) -> None:
        if job_id is not None:
            self.pos.start_print(job_id, kick_drawer=kick, reply_to=self)

    def on_print_finished(self, message: PrintFinished) -> None:
        ok = message.outcome.ok
        self.query_one("#error", Static).update(
            "" if ok else f"{message.outcome.error}{labels.dash()}{tr('press F8 to reprint')}"
        )
        self.app.notify(
            tr("Voucher printed") if ok else message.outcome.error, severity="information" if ok else "error"
        )
        if message.outcome.drawer_error:
            self.app.notify(
                tr("Cash drawer did not open: {error}", error=message.outcome.drawer_error), severity="error"
            )

    def action_back(self) -> None:
        self.app.pop_screen()


class PolicyScreen(ScrollsLongView, PosScreen[None]):
    """Every refund rule in plain words, so the cashier can explain it to the customer."""

    CSS_PATH = "../styles/refund.tcss"
    BINDINGS = [Binding("escape", "back", "Back"), *scroll_keys(ends=True, lines=True)]

    def compose(self) -> ComposeResult:
        yield from self.compose_chrome()
        yield Plain(tr("Refund policy"), classes="step-title")
        config = self.pos.config
        rules = config.refund_policy.plain_words(
            level_name=lambda code: labels.level(config, code),
            category_name=lambda code: labels.category(config, code),
            money=show_money,
        )
        rules = [*rules, *refunds.chain_rules(self.pos.ctx)]
        with LongView(id="policy-view"):
            yield Plain("\n".join(labels.bullet() + labels.console_text(line) for line in rules), id="policy")
        yield KeyFooter()

    def action_back(self) -> None:
        self.app.pop_screen()
