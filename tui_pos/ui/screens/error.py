"""What the cashier sees instead of a traceback when the till hits a bug."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical

from tui_pos.i18n import tr
from tui_pos.ui.screens.base import PosModal
from tui_pos.ui.widgets.key_footer import KeyFooter
from tui_pos.ui.widgets.plain import Plain, visible

SUMMARY_CHARS = 300


def message_of(exc: BaseException) -> str:
    """The exception's own words in one line, whatever they hold: markup-like text stays text,
    control characters are dropped; "" when there are none, or when `str()` itself fails."""
    try:
        message = str(exc)
    except Exception:
        message = ""
    return visible(message.replace("\n", " "))[:SUMMARY_CHARS]


def describe(exc: BaseException) -> str:
    """The fault in one line for the log and support: its class and its message."""
    message = message_of(exc)
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


# What happened and what to do, by the kind of fault: a cashier cannot act on "OperationalError".
FAULT_LABELS: dict[str, tuple[str, str]] = {
    "database_busy": (
        "The shop database is busy: another till or a backup is using it.",
        "Wait a few seconds, then try again.",
    ),
    "database": (
        "The till could not read or write its database.",
        "Try again; if it happens again, call the manager (the disk may be full or damaged).",
    ),
    "files": (
        "The till could not read or write a file or a device (disk, printer port).",
        "Check the disk and the cables, then try again; if it happens again, call the manager.",
    ),
    "memory": ("The till ran out of memory.", "Finish this sale, then restart the till."),
    "bug": ("The till hit a fault it did not expect.", "Try again; if it happens again, call the manager."),
}
DATABASE_FAULTS = {"OperationalError", "DatabaseError", "IntegrityError", "InterfaceError", "InternalError"}


def in_words(exc: BaseException) -> tuple[str, str]:
    """What happened and what to do, in the cashier's words (the class name stays in the log).
    Database faults are told by their class names (sqlite3's and peewee's share them), so the
    screens need not import the store's libraries."""
    if DATABASE_FAULTS & {cls.__name__ for cls in type(exc).__mro__}:
        message = message_of(exc)
        kind = "database_busy" if "locked" in message or "busy" in message else "database"
    elif isinstance(exc, OSError):
        kind = "files"
    elif isinstance(exc, MemoryError):
        kind = "memory"
    else:
        kind = "bug"
    return FAULT_LABELS[kind]


def notice_text(exc: BaseException) -> str:
    """The fault as a notice, when the dialog cannot be shown: the same words in one line."""
    happened, to_do = in_words(exc)
    details = message_of(exc)
    said = [tr("Something went wrong in the till") + ": " + tr(happened)]
    if details:
        said.append(tr("Details: {details}", details=details))
    return " ".join([*said, tr(to_do)])


class ErrorScreen(PosModal[bool]):
    """Names the fault in one line and says that nothing half-done was saved: every sale,
    refund and payment is one transaction, so it is either recorded whole or not at all.

    The dialog hides the screen under it (a screen that failed while being drawn would fail
    again behind it) and dismisses with whether the till should start that screen afresh.
    If the dialog itself fails, the fault is said in a notice instead."""

    CSS_PATH = "../styles/confirm.tcss"
    BINDINGS = [Binding("enter,escape", "close", "Continue")]

    def __init__(self, exc: BaseException, log_path: str, *, restart: bool = False) -> None:
        super().__init__()
        happened, to_do = in_words(exc)
        self.exc = exc
        self.summary = tr(happened)
        self.to_do = tr(to_do)
        self.details = message_of(exc)  # the fault's own words, without its class name
        self.log_path = log_path
        self.restart = restart  # faults reported while the dialog is up may set it too
        self._failed = False

    def compose(self) -> ComposeResult:
        try:
            widgets = [*self.compose_banner(), self.dialog(), KeyFooter()]
        except Exception as exc:  # Textual would only log it, leaving a blank screen up
            self.fault(exc, opening=True)
            return
        yield from widgets

    def dialog(self) -> Vertical:
        return Vertical(
            Plain(tr("Something went wrong in the till"), id="confirm-question"),
            Plain(self.summary, id="error-summary"),
            Plain(tr("Details: {details}", details=self.details) if self.details else "", id="error-details"),
            Plain(self.to_do, id="error-to-do"),
            Plain(
                tr(
                    "Nothing half-done was saved: check the last sale or refund, then carry on. "
                    "Details for support are in {path}",
                    path=self.log_path,
                ),
                id="confirm-detail",
            ),
            id="confirm-dialog",
            classes="dialog error-dialog",
        )

    def fault(self, exc: Exception, *, opening: bool) -> None:
        """The dialog itself failed: logged like any fault, then closed, and the first fault
        goes to the cashier as a notice."""
        super().fault(exc, opening=False)  # what failed is the dialog, not the screen under it
        if not self._failed:
            self._failed = True
            self.app.call_later(self._give_up)

    def _give_up(self) -> None:
        if self.app.screen is self:
            self.dismiss(self.restart)
        self.app.notify(notice_text(self.exc), severity="error", markup=False, timeout=30)

    def action_close(self) -> None:
        self.dismiss(self.restart)
