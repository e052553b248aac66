"""Messages the print worker sends back to the screen that asked for a ticket."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:
    from tui_pos.services.printing import PrintOutcome


class PrintFinished(Message):
    """A queued ticket was sent to the printer, or could not be (see `outcome.ok`)."""

    def __init__(self, outcome: PrintOutcome, waiting: int, preview: str) -> None:
        super().__init__()
        self.outcome = outcome
        self.waiting = waiting  # tickets still queued after this attempt
        self.preview = preview  # ticket text, only in training mode and only when printed


class DrawerOpened(Message):
    """A 'no sale' drawer opening was recorded; `error` says why the drawer did not open."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error
