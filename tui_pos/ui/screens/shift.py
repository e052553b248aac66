"""The till's shift by keys: open with the float, X report, paid in/out, close with a Z report.

Counting is typed as a total (500) or by notes and coins (100x3 50x2 1x12); the services
check and record everything, these screens only ask and show.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from tui_pos.devices.tickets import shift_ticket
from tui_pos.domain.errors import PosError
from tui_pos.domain.money import parse_money
from tui_pos.domain.shift import parse_cash_count
from tui_pos.i18n import tr
from tui_pos.services import shifts
from tui_pos.ui.messages import DrawerOpened, PrintFinished
from tui_pos.ui.screens.base import PosModal, PosScreen
from tui_pos.ui.scrolling import LONG_VIEW, ScrollsLongView, scroll_keys
from tui_pos.ui.widgets.key_footer import KeyFooter
from tui_pos.ui.widgets.money import show_money
from tui_pos.ui.widgets.plain import Plain, bold, plain
from tui_pos.ui.widgets.ticket_preview import TicketPreview

COUNT_HINT = "A total like 500, or notes and coins like 100x3 50x2 1x12"


class OpenShiftScreen(PosScreen[None]):
    """After log in, when the till has no open shift: count the float, then sell."""

    CSS_PATH = "../styles/shift.tcss"
    AUTO_FOCUS = "#float"
    HELP = COUNT_HINT
    BINDINGS = [
        # priority: the box would take Enter as its own and hide it from the footer; the app hands
        # keys over in order (key_order.py), so Enter never overtakes the last figures typed
        Binding("enter", "open", "Open shift", priority=True),
        Binding("f10", "logout", "Log out"),
    ]

    def compose(self) -> ComposeResult:
        yield from self.compose_chrome()
        with Vertical(classes="dialog", id="open-dialog"):
            yield Label(plain(tr("Open a shift on till {till}", till=self.pos.config.till_code)), classes="title")
            yield Label(tr("Count the cash in the drawer (the float):"))
            yield Input(placeholder=tr(COUNT_HINT), id="float", max_length=120)
            yield Plain("", id="error", classes="error")
        yield KeyFooter()

    def action_open(self) -> None:
        try:
            count = parse_cash_count(self.query_one("#float", Input).value)
            shifts.open_shift(self.pos.ctx, self.pos.user, count)
        except PosError as exc:
            self.query_one("#error", Static).update(exc.message)
            return
        self.app.notify(tr("Shift opened with a float of {amount}", amount=show_money(count.total)))
        self.pos.start_selling()

    def action_logout(self) -> None:
        self.pos.logout()


def drawer_figures(expected: int, counted: int | None) -> Text:
    """What the drawer should hold and, once counted, how far off it is: the figures of a shift's
    close, kept above the report so that scrolling it never takes them away."""
    shown = bold(tr("Expected in the drawer: {amount}", amount=show_money(expected)))
    if counted is not None:
        diff = counted - expected
        shown.append("\n")
        shown.append_text(
            bold(
                tr(
                    "Counted {counted}, variance {diff}",
                    counted=show_money(counted),
                    diff=("+" if diff > 0 else "") + show_money(diff),
                )
            )
        )
    return shown


class ShiftScreen(ScrollsLongView, PosScreen[None]):
    """The open shift as an X report, with the cash keys and the way to close."""

    CSS_PATH = "../styles/shift.tcss"
    HELP = (
        "The X report of this till's open shift: sales and refunds per tender; the cash the drawer "
        "should hold stays at the top. PageDown and PageUp scroll the report (End and Home jump to its "
        "ends). F5 prints it. F6/F7 record cash put in or taken out. F9 counts the drawer and closes "
        "the shift (Z report)."
    )
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("f5", "print_x", "Print X"),
        Binding("f6", "cash('paid_in')", "Paid in"),
        Binding("f7", "cash('paid_out')", "Paid out"),
        Binding("f8", "drawer", "Open drawer"),
        Binding("f9", "close", "Close shift"),
        Binding("f3", "day", "Day summary"),
        Binding("f4", "analytics", "Refund reports"),
        Binding("f2", "staff", "Staff"),
        Binding("f12", "conflicts", "Conflicts"),  # a chain's till only (check_action)
        *scroll_keys(),
    ]

    def compose(self) -> ComposeResult:
        yield from self.compose_chrome()
        yield Plain(tr("X report (shift open)"), classes="step-title")
        yield Plain("", id="x-expected", classes="figure")
        yield TicketPreview(id="report", classes=LONG_VIEW)
        yield Plain("", id="status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.refresh_report()

    def on_screen_resume(self) -> None:
        self.refresh_report()

    def refresh_report(self) -> None:
        try:
            report = shifts.report(self.pos.ctx)
        except PosError as exc:
            self.say(exc.message, problem=True)
            return
        self.query_one("#x-expected", Static).update(drawer_figures(report.expected_cash, None))
        self.query_one(TicketPreview).show_ticket(shift_ticket(self.pos.config, report).preview())

    def action_print_x(self) -> None:
        try:
            job = shifts.print_x_report(self.pos.ctx, self.pos.user)
        except PosError as exc:
            self.say(exc.message, problem=True)
            return
        self.pos.start_print(job, reply_to=self)

    def on_print_finished(self, message: PrintFinished) -> None:
        ok = message.outcome.ok
        self.say(tr("Report printed") if ok else message.outcome.error, problem=not ok)

    def action_cash(self, kind: str) -> None:
        self.app.push_screen(CashMoveScreen(kind), lambda done: self.refresh_report())

    def action_close(self) -> None:
        self.app.push_screen(CloseShiftScreen())

    def action_drawer(self) -> None:
        def opened(reason: str | None) -> None:
            if reason:
                self.say(tr("Opening the drawer..."))
                self.pos.open_drawer(reason, reply_to=self)

        self.app.push_screen(DrawerScreen(), opened)

    def on_drawer_opened(self, message: DrawerOpened) -> None:
        self.say(message.error or tr("Drawer opened; recorded in the audit trail"), problem=bool(message.error))

    def action_day(self) -> None:
        from tui_pos.ui.screens.reports import DaySummaryScreen

        self.app.push_screen(DaySummaryScreen())

    def action_analytics(self) -> None:
        from tui_pos.ui.screens.reports import RefundReportScreen

        self.app.push_screen(RefundReportScreen())

    def action_staff(self) -> None:
        """The manager's staff list; anyone else is told their role may not."""
        from tui_pos.services import staff as staff_service
        from tui_pos.ui.screens.staff import StaffScreen

        try:
            staff_service.list_staff(self.pos.ctx, self.pos.user)
        except PosError as exc:
            self.say(exc.message, problem=True)
            return
        self.app.push_screen(StaffScreen())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "conflicts":
            return bool(self.pos.config.central.url)
        return True

    def action_conflicts(self) -> None:
        """Head office's conflicts of this store, as the last sync left them."""
        from tui_pos.ui.screens.conflicts import ConflictsScreen

        self.app.push_screen(ConflictsScreen())

    def action_back(self) -> None:
        self.app.pop_screen()


class CashMoveScreen(PosModal[bool]):
    """Paid in (change from the bank) or paid out (a delivery paid from the drawer), with a reason."""

    CSS_PATH = "../styles/shift.tcss"
    AUTO_FOCUS = "#amount"
    BINDINGS = [
        Binding("enter", "submit", "OK"),
        Binding("escape", "cancel", "Back"),
    ]

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind

    def compose(self) -> ComposeResult:
        yield from self.compose_banner()
        with Vertical(classes="dialog", id="cash-dialog"):
            yield Label(tr("Paid in") if self.kind == "paid_in" else tr("Paid out"), classes="title")
            yield Input(placeholder=tr("Amount"), id="amount", max_length=12)
            yield Input(
                placeholder=tr("Reason (e.g. change from the bank, milk delivery)"), id="reason", max_length=100
            )
            yield Plain("", id="error", classes="error")
        yield KeyFooter()

    def action_submit(self) -> None:
        amount_box, reason_box = self.query_one("#amount", Input), self.query_one("#reason", Input)
        if self.focused is amount_box and not reason_box.value:
            reason_box.focus()
            return
        try:
            amount = parse_money(amount_box.value, allow_zero=False)
            shifts.cash_move(self.pos.ctx, self.pos.user, self.kind, amount, reason_box.value)
        except PosError as exc:
            self.query_one("#error", Static).update(exc.message)
            return
        self.app.notify(
            tr(
                "{what} {amount} recorded",
                what=tr("Paid in") if self.kind == "paid_in" else tr("Paid out"),
                amount=show_money(amount),
            )
        )
        self.dismiss(True)

    def on_input_submitted(self) -> None:
        self.action_submit()

    def action_cancel(self) -> None:
        self.dismiss(False)


class DrawerScreen(PosModal[str | None]):
    """'No sale': why the drawer is opened; the till records it before it opens."""

    CSS_PATH = "../styles/shift.tcss"
    AUTO_FOCUS = "#reason"
    BINDINGS = [Binding("enter", "submit", "Open drawer"), Binding("escape", "cancel", "Back")]

    def compose(self) -> ComposeResult:
        yield from self.compose_banner()
        with Vertical(classes="dialog", id="cash-dialog"):
            yield Label(tr("Open the drawer without a sale"), classes="title")
            yield Input(placeholder=tr("Reason (e.g. change for till 02)"), id="reason", max_length=80)
            yield Plain("", id="error", classes="error")
        yield KeyFooter()

    def action_submit(self) -> None:
        reason = self.query_one("#reason", Input).value
        if not reason.strip():
            self.query_one("#error", Static).update(tr("Say why the drawer is opened"))
            return
        self.dismiss(reason)

    def on_input_submitted(self) -> None:
        self.action_submit()

    def action_cancel(self) -> None:
        self.dismiss(None)


class CloseShiftScreen(ScrollsLongView, PosScreen[None]):
    """Count the drawer; the variance shows before anything is closed. Enter closes (Z report).

    Enter and Ctrl+K are priority keys: the boxes would otherwise take them (Enter as the box's
    own, Ctrl+K as delete-to-end) and hide them from the footer. The app hands keys over in
    order, so Enter never overtakes the last figures typed."""

    CSS_PATH = "../styles/shift.tcss"
    AUTO_FOCUS = "#counted"
    HELP = COUNT_HINT + ". Ctrl+K carries refunds that still wait for approval over to the next shift."
    BINDINGS = [
        Binding("enter", "submit", "Close shift", priority=True),
        Binding("enter", "logout", "Log out", priority=True),  # once closed (check_action)
        Binding("ctrl+k", "carry", "Carry over approvals", priority=True),
        Binding("escape", "back", "Back"),
        *scroll_keys(),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.carry_over = False
        self.closed = False

    def compose(self) -> ComposeResult:
        yield from self.compose_chrome()
        yield Plain(tr("Close the shift: count the drawer"), classes="step-title")
        yield Plain("", id="expected")
        yield Input(placeholder=tr(COUNT_HINT), id="counted", max_length=200)
        yield Input(
            placeholder=tr(
                "Note (needed when the drawer is off by more than {limit})",
                limit=show_money(self.pos.config.shifts.variance_note_over),
            ),
            id="note",
            max_length=200,
        )
        yield Plain("", id="error", classes="error")
        yield TicketPreview(id="z-report", classes=LONG_VIEW)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#z-report", TicketPreview).display = False
        self.show_expected()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "logout":
            return self.closed
        return not (action in ("submit", "carry") and self.closed)  # nothing left to close or carry

    def show_expected(self) -> None:
        report = shifts.report(self.pos.ctx)
        notes = []
        if report.pending_refunds:
            notes.append(
                tr("Waiting for approval: {nos} (Ctrl+K carries them over)", nos=", ".join(report.pending_refunds))
            )
        if self.carry_over:
            notes.append(tr("They will be carried over to the next shift"))
        try:
            counted: int | None = parse_cash_count(self.query_one("#counted", Input).value).total
        except PosError:
            counted = None
        text = drawer_figures(report.expected_cash, counted)
        for note in notes:
            text.append("\n" + note)
        self.query_one("#expected", Static).update(text)

    def on_input_changed(self) -> None:
        if not self.closed:
            self.show_expected()

    def on_input_submitted(self) -> None:
        self.action_submit()

    def action_carry(self) -> None:
        self.carry_over = True
        self.show_expected()

    def action_logout(self) -> None:
        self.pos.logout()  # the till is closed: the next person logs in and opens a shift

    def action_submit(self) -> None:
        if self.closed:
            return  # Enter logs out now (action_logout)
        counted_box, note_box = self.query_one("#counted", Input), self.query_one("#note", Input)
        if self.focused is counted_box and not note_box.value:
            try:
                parse_cash_count(counted_box.value)
            except PosError as exc:
                self.query_one("#error", Static).update(exc.message)
                return
        try:
            closed = shifts.close_shift(
                self.pos.ctx,
                self.pos.user,
                parse_cash_count(counted_box.value),
                note_box.value,
                carry_over=self.carry_over,
            )
        except PosError as exc:
            self.query_one("#error", Static).update(exc.message)
            if "note" in exc.template:
                note_box.focus()
            return
        self.closed = True
        self.refresh_bindings()
        if closed.backup_error:
            done = tr("Shift closed, but the backup failed: {error}. Enter: log out", error=closed.backup_error)
        elif closed.copy_error:
            done = tr(
                "Shift closed; backup in {path}, but its second copy failed: {error}. Enter: log out",
                path=closed.backup,
                error=closed.copy_error,
            )
        elif closed.backup:
            done = tr("Shift closed; backup in {path}. Enter: log out", path=closed.backup)
        else:
            done = tr("Shift closed. Enter: log out")
        status = self.query_one("#error", Static)
        status.update(done)
        status.set_class(not (closed.backup_error or closed.copy_error), "notice")  # done: a notice, not an error
        report = closed.report
        self.query_one("#expected", Static).update(drawer_figures(report.expected_cash, report.counted))
        for box in (counted_box, note_box):  # done with: the Z report gets their room
            box.display = False
        preview = self.query_one("#z-report", TicketPreview)
        preview.show_ticket(shift_ticket(self.pos.config, closed.report).preview())
        preview.display = True
        self.pos.start_print(closed.print_job_id, reply_to=self)

    def on_print_finished(self, message: PrintFinished) -> None:
        if not message.outcome.ok:
            status = self.query_one("#error", Static)
            status.update(message.outcome.error)
            status.set_class(False, "notice")

    def action_back(self) -> None:
        if self.closed:
            self.pos.logout()
        else:
            self.app.pop_screen()
