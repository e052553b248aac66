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


def describe(exc: BaseException) -> str:
    """The fault in one line, whatever its message holds: markup-like text stays text, control
    characters are dropped, and an exception whose `str()` itself fails is named by its type."""
    try:
        message = str(exc)
    except Exception:
        message = ""
    summary = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return visible(summary.replace("\n", " "))[:SUMMARY_CHARS]


class ErrorScreen(PosModal[bool]):
    """Names the fault in one line and says that nothing half-done was saved: every sale,
    refund and payment is one transaction, so it is either recorded whole or not at all.

    The dialog hides the screen under it (a screen that failed while being drawn would fail
    again behind it) and dismisses with whether the till should start that screen afresh.
    If the dialog itself fails, the fault is said in a notice instead."""

    CSS_PATH = "../styles/confirm.tcss"
    BINDINGS = [Binding("enter,escape", "close", "Continue")]

    def __init__(self, summary: str, log_path: str, *, restart: bool = False) -> None:
        super().__init__()
        self.summary = summary
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
        self.app.notify(
            tr("Something went wrong in the till") + ": " + self.summary, severity="error", markup=False, timeout=30
        )

    def action_close(self) -> None:
        self.dismiss(self.restart)
