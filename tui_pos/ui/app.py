"""The till application: opens the shop, logs staff in and out, and prints in the background.

Screens reach the shared state through the app: `ctx` (settings + clock), `staff` (who is
logged in), `basket` (the sale being rung up; it survives a log out so a shift change does
not lose a customer's items) and `printer`. Tickets are printed by `start_print`, which
runs in a worker thread and posts `PrintFinished` back to the screen that asked.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import events, work
from textual.app import App
from textual.binding import Binding
from textual.content import Content
from textual.filter import LineFilter
from textual.message_pump import MessagePump
from textual.notifications import SeverityLevel

from tui_pos import i18n, labels
from tui_pos.config import Config
from tui_pos.domain.errors import PosError
from tui_pos.files import create_owner_only
from tui_pos.i18n import tr
from tui_pos.ui.console import CutMarks, key_display, use_console_glyphs
from tui_pos.ui.key_order import KeysInOrder
from tui_pos.ui.keys import translate_bindings
from tui_pos.ui.messages import DrawerOpened, PrintFinished
from tui_pos.ui.textual_fixes import free_removed_widgets
from tui_pos.ui.widgets.plain import visible

if TYPE_CHECKING:  # the checkout and refund stacks load when first used, not before the login screen
    from tui_pos.devices.printer import Printer
    from tui_pos.domain.basket import Basket
    from tui_pos.domain.staff import Staff
    from tui_pos.services.checkout import SaleResult
    from tui_pos.services.context import Context
    from tui_pos.services.exchange import ExchangeCredit
    from tui_pos.services.sync import SyncAgent
    from tui_pos.ui.till import Till


PRINTER_RETRY_SECONDS = 30
LINK_CHECK_SECONDS = 1.0  # how often the title bar looks at head office's link
SYNC_STOP_SECONDS = 3.0  # at exit, how long the uploader may take to finish its step
IDLE_CHECK_SECONDS = 10
log = logging.getLogger("tui_pos")


TITLE_BAR_MARGINS = 18  # Textual's Header keeps 8 cells on the left (icon) and 10 on the right (clock)
TITLE_NAME_FLOOR = 8  # cells a name keeps, at least, when the title bar is short of room


def fit_title(title: str, sub_title: str, room: int) -> tuple[str, str]:
    """Store name and 'till · staff · ...' cut to `room` cells with the dash between them: the
    staff name (the second part) first, then the store's name, down to TITLE_NAME_FLOOR cells."""
    from rich.cells import cell_len

    def cut(text: str, width: int) -> str:
        kept = ""
        for char in text:
            if cell_len(kept + char) > width - 1:  # room for the '…'
                break
            kept += char
        return kept + "…"

    over = cell_len(title) + 3 + cell_len(sub_title) - room
    parts = sub_title.split(" · ")
    if over > 0 and len(parts) > 2 and cell_len(parts[1]) > TITLE_NAME_FLOOR:
        parts[1] = cut(parts[1], max(TITLE_NAME_FLOOR, cell_len(parts[1]) - over))
        sub_title = " · ".join(parts)
        over = cell_len(title) + 3 + cell_len(sub_title) - room
    if over > 0 and cell_len(title) > TITLE_NAME_FLOOR:
        title = cut(title, max(TITLE_NAME_FLOOR, cell_len(title) - over))
    return title, sub_title


def log_to(folder: Path) -> Path:
    """The till's log file (owner-only, like the database), for tracebacks support needs;
    opened on the first entry, so a till that never logs never loads the handlers."""
    from logging.handlers import RotatingFileHandler

    path = folder / "tui-pos.log"
    if not any(isinstance(h, RotatingFileHandler) and h.baseFilename == str(path) for h in log.handlers):
        create_owner_only(path)
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
    return path


class PosApp(KeysInOrder, App[None]):
    """A keyboard-only till. Build it with `make_app`; see the module docstring for its state."""

    # The login screen's sheet loads with the app's: a screen's own CSS_PATH makes Textual parse
    # every sheet again when it is first shown, which the first screen need not pay for.
    CSS_PATH = ["styles/app.tcss", "styles/login.tcss"]
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("f1", "help", "Help"),
        Binding("ctrl+q", "ask_quit", "Quit", show=False, priority=True),  # in place of Textual's own
    ]
    offer_left_over = True  # tickets found unprinted at start are offered for printing after log in

    def __init__(
        self, config: Config, *, printer: Printer | None = None, clock: Callable[[], datetime] | None = None
    ) -> None:
        super().__init__()
        free_removed_widgets()
        self.config = config
        self._clock = clock
        self._ctx: Context | None = None  # set on mount, when the database is opened
        self.staff: Staff | None = None
        self._basket: Basket | None = None
        self.printer: Printer | None = printer
        self._own_printer = printer is None
        # A live till with no printer set up says so in its header and queues every ticket; it
        # never takes the training printer (config.py gives a live till "none" instead).
        self.has_printer = printer is not None or config.printer.backend != "none"
        self._offer_printer_setup = not self.has_printer  # once, to the first manager who logs in
        self._print_lock = threading.Lock()
        self.printer_problem = ""  # the last print error while tickets are waiting; "" = fine
        self._waiting = 0
        self._offer_reprint = False
        self.last_sale: SaleResult | None = None
        self.exchange_credit: ExchangeCredit | None = None  # goods returned, paying for this basket
        self.unexpected: list[str] = []  # bugs shown to the cashier this run (tests assert it stays empty)
        self.log_path = config.data_dir / "tui-pos.log"
        self.last_key = time.monotonic()
        self._cut_marks = CutMarks()
        self._session: Path | None = None  # this till's heartbeat file (services/till_sessions.py)
        self.database_gone = ""  # "replaced" or "removed": the till stops selling and says so
        self._sync: SyncAgent | None = None  # head office's uploader, on its own thread ([central] url)
        self._sync_thread: threading.Thread | None = None
        self._link: tuple[str, ...] = ("", "", "")  # head office in the title bar: full, short, tiny; "" = none
        self._link_width = 0  # the bar's width the words were fitted to
        self._settings_seen = 0

    @property
    def ctx(self) -> Context:
        """The open shop (settings, clock, database); opened on mount, before any screen shows."""
        if self._ctx is None:
            raise RuntimeError("the shop is not open yet")
        return self._ctx

    @property
    def user(self) -> Staff:
        """Who is logged in; every screen but the login screen has someone."""
        if self.staff is None:
            raise RuntimeError("nobody is logged in")
        return self.staff

    @property
    def basket(self) -> Basket:
        if self._basket is None:
            from tui_pos.domain.basket import Basket

            self._basket = Basket()
        return self._basket

    # -- start, log in, log out -------------------------------------------------
    def on_mount(self) -> None:
        from tui_pos.services import context, printing, till_sessions
        from tui_pos.ui.screens.login import LoginScreen

        i18n.set_language(i18n.resolve_language(self.config.language))
        # console mode (TERM=linux, or console_safe = true): English, names in their English form,
        # CNY for ￥, nothing the console's font lacks (tui_pos/labels.py, tui_pos/ui/console.py)
        i18n.set_console(i18n.resolve_console(self.config.console_safe))
        use_console_glyphs(i18n.console())
        translate_bindings(self)
        # 16 colours usually means the bare Linux console, whose font lacks rounded corners
        # and eighth blocks: the stylesheet switches to plain box lines there.
        self.set_class(i18n.console() or self.console.color_system in ("standard", "windows"), "-plain")
        self.title = visible(labels.store(self.config))  # the Header shows titles as text, not markup
        self._ctx = context.open_shop(self.config, clock=self._clock)
        self.config = self._ctx.config  # with what head office sent (member levels, refund policy)
        # restore refuses while this file is fresh; the heartbeat also notices a replaced database
        self._session = till_sessions.register(self.config)
        self.set_interval(till_sessions.HEARTBEAT_SECONDS, self.heartbeat)
        self._waiting = printing.waiting_count(self.ctx)  # e.g. committed before a crash, never printed
        # once, to the first who logs in (a till without a printer has nothing to print them on)
        self._offer_reprint = self._waiting > 0 and self.offer_left_over and self.has_printer
        self._update_sub_title()
        # A printer that was offline is tried again now and then, so the queue empties itself.
        self.set_interval(PRINTER_RETRY_SECONDS, self.retry_print_queue)
        if self.config.security.idle_lock_minutes:
            self.set_interval(IDLE_CHECK_SECONDS, self.lock_if_idle)
        self._start_sync()
        self.push_screen(LoginScreen())

    def _start_sync(self) -> None:
        """With [central] url set (never in training), head office's uploader runs on a thread of
        its own: the till never waits for it, and the title bar shows the link once a round ends."""
        if not self.config.central.url or self.config.training:
            return
        from tui_pos.services.sync import SyncAgent

        self._sync = SyncAgent(self.ctx)
        self._sync_thread = threading.Thread(target=self._sync.run, name="head-office-sync", daemon=True)
        self._sync_thread.start()
        self.set_interval(LINK_CHECK_SECONDS, self.show_link)

    def show_link(self) -> None:
        """Every second: the head office words in the title bar, and head office's settings
        (member levels, refund policy) taken into the till's config once a pull brought new ones."""
        from tui_pos.services import context
        from tui_pos.services.sync import link_words

        agent = self._sync
        if agent is None or not agent.started:
            return
        if agent.settings_pulled != self._settings_seen and self._ctx is not None:
            self._settings_seen = agent.settings_pulled
            self._ctx = context.refreshed(self._ctx)
            self.config = self._ctx.config
        words = (
            link_words(agent.status),
            link_words(agent.status, short=True),
            link_words(agent.status, tiny=True),
        )
        if words != self._link or self.size.width != self._link_width:
            self._link, self._link_width = words, self.size.width
            self._update_sub_title()

    def _stop_sync(self) -> None:
        if self._sync is not None:
            self._sync.halt()
        if self._sync_thread is not None:
            self._sync_thread.join(timeout=SYNC_STOP_SECONDS)  # a round cut short by the exit is sent again

    def on_unmount(self) -> None:
        from tui_pos.services import till_sessions

        self._stop_sync()
        if self._session is not None:
            till_sessions.unregister(self._session)
        if self._own_printer and self.printer is not None:
            self.printer.close()

    def heartbeat(self) -> None:
        """Every few seconds: this till is still open, and its database is still the one it opened."""
        from tui_pos.services import till_sessions
        from tui_pos.ui.screens.database_gone import DatabaseGoneScreen

        if self.database_gone:
            return
        gone = till_sessions.database_replaced()
        if gone:
            self.database_gone = gone
            self.push_screen(DatabaseGoneScreen(gone))
        elif self._session is not None:
            till_sessions.beat(self.config, self._session)

    def _update_sub_title(self) -> None:
        parts = [tr("Till {till}", till=self.config.till_code)]
        if self.staff is not None:
            parts.append(visible(labels.with_code(self.staff.code, labels.staff(self.staff.name, self.staff.name_en))))
        if self.config.training:
            parts.append(tr("TRAINING"))
        printer, printer_tiny = self._printer_words()
        if self._link[0]:
            self.sub_title = self._with_link(parts, printer, printer_tiny)
            return
        self.sub_title = " · ".join(parts + printer)

    def _printer_words(self) -> tuple[list[str], list[str]]:
        """The printer's state in the title bar, in words and in the fewest cells."""
        count = self._waiting
        if not self.has_printer:
            if not count:
                return [tr("No printer")], [tr("No printer")]
            return [tr("No printer: {count} to print", count=count)], [tr("No printer: {count}", count=count)]
        if self.printer_problem:
            return [tr("printer offline: {count} to print", count=count)], [tr("Printer off: {count}", count=count)]
        if count:
            return [tr("{count} to print", count=count)], [tr("{count} to print", count=count)]
        return [], []

    def _with_link(self, parts: list[str], printer: list[str], printer_tiny: list[str]) -> str:
        """Head office's words in full (with the oldest row's age) where the bar has room for
        them beside the names cut to their floor, else shorter, down to the link and the queue
        in a few cells beside the printer's shortest words: neither is ever cut off the bar."""
        from rich.cells import cell_len

        room = self.size.width - TITLE_BAR_MARGINS
        tries = [parts + printer + [words] for words in self._link] + [parts + printer_tiny + [self._link[-1]]]
        for words in tries:
            title, sub_title = fit_title(self.title, " · ".join(words), room)
            if cell_len(title) + 3 + cell_len(sub_title) <= room:
                return " · ".join(words)
        return " · ".join(tries[-1])

    def _printer_state(self, ok: bool, waiting: int, error: str) -> None:
        """After every print attempt: the header says if tickets are stuck."""
        self._waiting = waiting
        # without a printer nothing is retried: the tickets wait until one is set up
        self.printer_problem = "" if ok or not waiting or not self.has_printer else error
        self._update_sub_title()

    def login(self, staff: Staff) -> None:
        """Called by the login screen: the till opens on the checkout screen, or first asks
        for the float when no shift is open on this till."""
        from tui_pos.services import shifts
        from tui_pos.ui.screens.shift import OpenShiftScreen

        self.staff = staff
        self._update_sub_title()
        if shifts.current(self.ctx) is None:
            self.switch_screen(OpenShiftScreen())
        else:
            self.start_selling()
        self._offer_setup_printer(staff)

    def _offer_setup_printer(self, staff: Staff) -> None:
        """The first manager to log in on a till without a printer is told how to set one up."""
        from tui_pos.domain.staff import Role

        if self._offer_printer_setup and staff.role >= Role.MANAGER:
            from tui_pos.ui.screens.no_printer import NoPrinterScreen

            self._offer_printer_setup = False
            self.push_screen(NoPrinterScreen())

    def start_selling(self) -> None:
        from tui_pos.ui.screens.checkout import CheckoutScreen

        self.switch_screen(CheckoutScreen())
        if self._offer_reprint:
            from tui_pos.ui.screens.print_queue import PrintQueueScreen

            self._offer_reprint = False
            self.push_screen(PrintQueueScreen(left_over=True))

    def logout(self, note: str = "") -> None:
        """Back to the login screen from wherever the till is; the basket is kept for whoever
        logs in next (nothing unpaid was written, so nothing is left half-done)."""
        from tui_pos.ui.screens.login import LoginScreen

        self.staff = None
        self._update_sub_title()
        self._to_base_screen()
        self.switch_screen(LoginScreen(note))

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self.last_key = time.monotonic()
        await super().on_event(event)

    def lock_if_idle(self) -> None:
        """On a timer: a till left logged in with nobody at it goes back to the login screen."""
        minutes = self.config.security.idle_lock_minutes
        if self.staff is not None and minutes and time.monotonic() - self.last_key >= minutes * 60:
            log_to(self.config.data_dir)
            log.info("till %s locked after %s idle minutes (staff %s)", self.config.till_code, minutes, self.staff.code)
            self.logout(tr("Locked after {minutes} minutes without a key; the basket is kept", minutes=minutes))

    def _to_base_screen(self) -> None:
        while len(self.screen_stack) > 2:  # Textual's default screen, then the till's own
            self.pop_screen()

    def get_line_filters(self) -> Sequence[LineFilter]:
        """Textual's filters, and in console mode the one that makes Rich's cut marks drawable."""
        filters = super().get_line_filters()
        return [*filters, self._cut_marks] if i18n.console() else filters

    def get_key_display(self, binding: Binding) -> str:
        """Keys in the footer and help; on the console by name where Textual shows a symbol (⏎)."""
        return key_display(super().get_key_display(binding), binding)

    def format_title(self, title: str, sub_title: str) -> Content:
        """The title bar: 'store — till · staff · printer'; the console gets a dash it can draw.
        Too long for the bar (the printer's state makes it so at 80 columns), the store's name and
        then the staff name give way, each ending in '…', so the till and the printer's state stay."""
        title, sub_title = fit_title(title, sub_title, self.size.width - TITLE_BAR_MARGINS)
        if not i18n.console():
            return super().format_title(title, sub_title)
        return Content.assemble(Content(title), (" - ", "dim"), Content(sub_title).stylize("dim"))

    def action_help(self) -> None:
        """F1: the keys shown in the footer, spelled out, and the screen's own HELP note."""
        from tui_pos.ui.screens.help import HelpScreen

        screen = self.screen
        keys = [
            (self.get_key_display(active.binding), active.binding.description)
            for active in screen.active_bindings.values()
            if active.binding.show and active.binding.action not in ("help", "app.help")
        ]
        note = getattr(screen, "HELP", "")
        self.push_screen(HelpScreen(keys, tr(note) if note else ""))

    # -- quitting -----------------------------------------------------------------
    def action_ask_quit(self) -> None:
        """Ctrl+Q, from any screen: ask first (Enter quits, Escape stays), saying what would go."""
        from tui_pos.ui.screens.quit import QuitScreen

        if isinstance(self.screen, QuitScreen):
            return

        def answered(quit_now: bool | None) -> None:
            if quit_now:
                self.exit()

        self.push_screen(QuitScreen(tr("Quit the till?"), self._what_quitting_drops()), answered)

    def _what_quitting_drops(self) -> str:
        """Everything recorded is in the database and stays; what is only in memory goes."""
        from tui_pos.ui.screens.refund.step import WizardStep
        from tui_pos.ui.widgets.money import show_money  # CNY on the console, as every screen

        symbol = self.config.currency_symbol
        lost = []
        if self._basket is not None and self._basket.lines:
            totals = self._basket.totals()
            lost.append(
                tr(
                    "The basket (items: {items}, total {total}) is kept in memory only: quitting drops it. "
                    "Nothing of it was sold; scan it again after the restart.",
                    items=totals.item_count,
                    total=show_money(totals.total, symbol),
                )
            )
        if self.exchange_credit is not None:
            lost.append(
                tr(
                    "The exchange (credit {amount}) is not recorded yet: quitting drops it.",
                    amount=show_money(self.exchange_credit.amount, symbol),
                )
            )
        wizard = next((screen for screen in self.screen_stack if isinstance(screen, WizardStep)), None)
        if wizard is not None and wizard.state.result is None and (wizard.state.lookup or wizard.state.history):
            lost.append(tr("The refund being entered is not recorded yet: quitting drops it; nothing was paid out."))
        elif wizard is not None and wizard.state.result is not None:
            lost.append(
                tr(
                    "Refund {no} is recorded; after the restart, finish the payout from the refund list.",
                    no=wizard.state.result.refund_no,
                )
            )
        if not lost:
            return tr("Nothing is lost: every sale and refund is already recorded.")
        return "\n".join([*lost, tr("Everything recorded stays.")])

    def action_help_quit(self) -> None:
        """Ctrl+C does not quit (in a box it copies): say which key does."""
        self.notify(tr("Ctrl+Q quits the till"), markup=False)

    # -- bugs ---------------------------------------------------------------------
    def report_unexpected(self, exc: BaseException, *, restart_screen: bool = False) -> None:
        """A bug must not end the till with a traceback in front of a customer: log it, show
        it in a dialog; `restart_screen` when Textual already stopped the screen that failed.

        Never raises and never stacks dialogs: a fault while the dialog is up is only logged
        (a screen failing to draw reports itself more than once), and if the dialog cannot be
        shown the fault is said in a notice. Either way the till keeps running and the basket,
        which lives on the app, stays."""
        from tui_pos.ui.screens.error import ErrorScreen, describe, notice_text

        summary = describe(exc)
        self.unexpected.append(summary)
        try:
            log_to(self.config.data_dir)
            log.error("unexpected error: %s", summary, exc_info=exc)
        except Exception:  # e.g. a full disk: the fault is still shown
            pass
        if self._closing or not self.is_running:  # on the way out: the log is all that is left to do
            return
        shown = next((screen for screen in self.screen_stack if isinstance(screen, ErrorScreen)), None)
        if shown is not None:
            shown.restart = shown.restart or restart_screen
            return

        def after(restart: bool | None) -> None:
            if restart:
                self._fresh_screen()

        try:
            self.push_screen(ErrorScreen(exc, str(self.log_path), restart=restart_screen), after)
        except Exception:
            try:
                self.notify(notice_text(exc), severity="error", markup=False, timeout=30)
                if restart_screen:
                    self._fresh_screen()
            except Exception:
                log.exception("could not show the fault")

    def _fresh_screen(self) -> None:
        """Back to a new checkout (or login) screen; the basket lives on the app, so it stays."""
        self._to_base_screen()
        if self.staff is None:
            self.logout()
        else:
            self.start_selling()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """A notice in the corner. Its words are text, not markup, unless a caller says otherwise:
        they often name a product, a refund or hold an error's own words."""
        super().notify(visible(message), title=visible(title), severity=severity, timeout=timeout, markup=markup)

    async def _dispatch_action(self, namespace: Any, action_name: str, params: Any) -> bool:
        try:
            return await super()._dispatch_action(namespace, action_name, params)
        except Exception as exc:  # a key's action failed: the screen is intact, so just report it
            self.report_unexpected(exc)
            return True

    def _handle_exception(self, error: Exception) -> None:
        """Textual's last resort (a timer, a worker, a widget's own handler or drawing): report
        instead of quitting, unless the app is not up yet."""
        if not self.is_running or self._ctx is None:
            super()._handle_exception(error)
            return
        self.report_unexpected(error, restart_screen=True)

    # -- printing -----------------------------------------------------------------
    def start_print(self, job_id: int, *, kick_drawer: bool = False, reply_to: MessagePump | None = None) -> None:
        """Print a queued ticket without blocking the till; `reply_to` (default: the current
        screen) receives `PrintFinished` with the outcome, the queue length and, in training
        mode, the ticket text for the preview."""
        self._print_worker(job_id, kick_drawer, reply_to or self.screen)

    def _device(self) -> Printer:
        if self.printer is None:
            from tui_pos.devices.printer import open_printer  # escpos loads only when printing

            self.printer = open_printer(self.config.printer)
        return self.printer

    @work(thread=True, exclusive=False, group="print", exit_on_error=False)
    def _print_worker(self, job_id: int, kick_drawer: bool, reply_to: MessagePump) -> None:
        from tui_pos.services import printing

        ctx = self.ctx
        preview = ""
        with self._print_lock:  # one ticket at a time on one printer
            try:
                outcome = printing.print_job(ctx, job_id, kick_drawer=kick_drawer, printer=self._device())
                if outcome.ok and self.config.training and outcome.ticket is not None:
                    preview = outcome.ticket.preview()
            except Exception as exc:  # a printing fault must never take the till down
                message = exc.message if isinstance(exc, PosError) else f"{type(exc).__name__}: {exc}"
                outcome = printing.PrintOutcome(job_id, False, tr("Printer: {error}", error=message), "", b"")
            waiting = self._safe_waiting()
        self.call_from_thread(self._printer_state, outcome.ok, waiting, outcome.error)
        reply_to.post_message(PrintFinished(outcome, waiting, preview))

    @work(thread=True, exclusive=False, group="print", exit_on_error=False)
    def open_drawer(self, reason: str, reply_to: MessagePump) -> None:
        """'No sale' from the shift screen: recorded in the audit trail, then the drawer kicked."""
        from tui_pos.services import printing

        ctx, staff = self.ctx, self.user
        with self._print_lock:
            try:
                error = printing.open_drawer(ctx, staff, reason, printer=self._device())
            except PosError as exc:
                error = exc.message
        reply_to.post_message(DrawerOpened(error))

    def retry_print_queue(self) -> None:
        """On a timer: once the printer failed, try the waiting tickets again now and then."""
        if self.printer_problem:
            self._queue_worker(None)

    def print_waiting(self, reply_to: MessagePump) -> None:
        """Print this till's whole queue, oldest first; `reply_to` gets the last outcome."""
        self._queue_worker(reply_to)

    @work(thread=True, exclusive=True, group="print-queue", exit_on_error=False)
    def _queue_worker(self, reply_to: MessagePump | None) -> None:
        from tui_pos.services import printing

        ctx = self.ctx
        # the timer skips a round while a ticket is printing; a cashier's request waits its turn
        if not self._print_lock.acquire(blocking=reply_to is not None):
            return
        try:
            try:
                outcomes = printing.retry_waiting(ctx, self._device())
            except Exception as exc:  # a printing fault must never take the till down
                message = exc.message if isinstance(exc, PosError) else f"{type(exc).__name__}: {exc}"
                outcomes = [printing.PrintOutcome(0, False, tr("Printer: {error}", error=message), "", b"")]
            waiting = self._safe_waiting()
        finally:
            self._print_lock.release()
        last = outcomes[-1] if outcomes else printing.PrintOutcome(0, True, "", "", b"")
        self.call_from_thread(self._printer_state, last.ok, waiting, last.error)
        if reply_to is not None:
            reply_to.post_message(PrintFinished(last, waiting, ""))

    def _safe_waiting(self) -> int:
        try:
            from tui_pos.services import printing

            return printing.waiting_count(self.ctx)
        except Exception:
            return 0


def make_app(config: Config, *, printer: Printer | None = None, clock: Callable[[], datetime] | None = None) -> PosApp:
    """The one way to build the till, for the command line and for tests.

    `printer` replaces the configured one (tests pass a `TrainingPrinter` and read its
    `.output`); `clock` fixes the time stamped on sales.
    """
    return PosApp(config, printer=printer, clock=clock)


if TYPE_CHECKING:

    def _screens_may_take_it_for_a_till(app: PosApp) -> Till:
        """Never called: mypy checks here that `PosApp` is the `Till` screens see."""
        return app
