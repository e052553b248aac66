"""Tickets that never came out of this till's printer: print them again or throw them away.

The sale or refund behind each ticket is already recorded; this screen only deals with
paper. Discarding needs a supervisor (the service checks it), because a discarded
refund voucher means the store copy was never signed.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable

from tui_pos import labels
from tui_pos.domain.errors import PosError
from tui_pos.i18n import tr
from tui_pos.services import printing
from tui_pos.ui.messages import PrintFinished
from tui_pos.ui.row_keys import row_id
from tui_pos.ui.screens.base import PosScreen
from tui_pos.ui.scrolling import LONG_VIEW, ScrollsLongView, scroll_keys
from tui_pos.ui.widgets.key_footer import KeyFooter
from tui_pos.ui.widgets.plain import Plain
from tui_pos.ui.widgets.record_table import RecordTable
from tui_pos.ui.widgets.ticket_preview import TicketPreview


class JobTable(RecordTable):
    BINDINGS = [Binding("enter", "select_cursor", "Print")]


class PrintQueueScreen(ScrollsLongView, PosScreen[None]):
    CSS_PATH = "../styles/print_queue.tcss"
    HELP = (
        "Tickets that did not print. Enter prints the highlighted one, F5 prints them all "
        "(oldest first), F6 discards one (supervisor). The sale or refund itself is already saved."
    )
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("f5", "print_all", "Print all"),
        Binding("f6", "discard", "Discard"),
        *scroll_keys(ends=None, lines=None),  # the ticket scrolls; Up/Down pick the job
    ]

    def __init__(self, *, left_over: bool = False) -> None:
        super().__init__()
        self.left_over = left_over  # shown at start: the till stopped before these printed

    def compose(self) -> ComposeResult:
        yield from self.compose_chrome()
        title = (
            tr("Recorded but not printed when the till last stopped: print them now?")
            if self.left_over
            else tr("Tickets waiting to print")
        )
        yield Plain(title, classes="step-title")
        yield JobTable(id="jobs")
        yield TicketPreview(id="job-preview", classes=LONG_VIEW)
        yield Plain("", id="status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#jobs", DataTable).focus()

    def reload(self) -> None:
        table = self.query_one("#jobs", JobTable)
        jobs = printing.waiting_jobs(self.pos.ctx)
        rows = [
            (
                job.ref_no,
                labels.print_job(job.kind),
                job.created_at.strftime("%m-%d %H:%M"),
                str(job.attempts),
                job.last_error,
            )
            for job in jobs
        ]
        # the error is what to put right: at 80 columns it goes on to more lines, never cut
        heads = (tr("No."), tr("Ticket"), tr("Time"), tr("Tries"), tr("Last error"))
        table.show_table(heads, rows, wrap=True, keys=[str(job.id) for job in jobs])
        if not table.row_count:
            self.say(tr("Nothing waiting: every ticket has printed"))
        self.show_highlighted()

    def _selected(self) -> int | None:
        table = self.query_one("#jobs", DataTable)
        if not table.row_count:
            return None
        return row_id(table.coordinate_to_cell_key(table.cursor_coordinate).row_key)

    @on(DataTable.RowHighlighted, "#jobs")
    def show_highlighted(self) -> None:
        job_id = self._selected()
        preview = self.query_one(TicketPreview)
        preview.show_ticket(printing.job_ticket(self.pos.ctx, job_id).preview() if job_id is not None else "")

    @on(DataTable.RowSelected, "#jobs")
    def print_selected(self) -> None:
        job_id = self._selected()
        if job_id is not None:
            self.say(tr("Printing..."))
            self.pos.start_print(job_id, reply_to=self)

    def on_print_finished(self, message: PrintFinished) -> None:
        outcome = message.outcome
        if outcome.ok:
            self.say(tr("Ticket printed; {count} tickets waiting", count=message.waiting))
        else:
            self.say(f"{outcome.error} ({outcome.hint})" if outcome.hint else outcome.error, problem=True)
        self.reload()

    def action_print_all(self) -> None:
        jobs = printing.waiting_jobs(self.pos.ctx)
        if not jobs:
            self.say(tr("Nothing waiting: every ticket has printed"))
            return
        self.say(tr("Printing..."))
        self.pos.print_waiting(reply_to=self)

    def action_discard(self) -> None:
        job_id = self._selected()
        if job_id is None:
            return
        try:
            printing.discard(self.pos.ctx, self.pos.user, job_id)
        except PosError as exc:
            self.say(exc.message, problem=True)
            return
        self.say(tr("Ticket discarded"))
        self.reload()

    def action_back(self) -> None:
        self.dismiss(None)
