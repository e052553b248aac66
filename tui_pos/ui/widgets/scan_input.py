"""The scan box. A barcode scanner types a code and Enter faster than messages are handled,
often several codes in a row. Textual runs Enter's binding only after the key has bubbled
up to the app, by which time the next code's digits are already in the box; so this box
takes Enter itself, in order with the digits, empties itself at once and hands the code
over in a `Scanned` message (one per Enter, in order)."""

from __future__ import annotations

from textual import events
from textual.message import Message
from textual.widgets import Input


class ScanInput(Input):
    """An Input whose Enter posts `Scanned(code)` and clears itself immediately."""

    class Scanned(Message):
        """A code was typed or scanned and Enter pressed."""

        def __init__(self, scan_input: ScanInput, code: str) -> None:
            super().__init__()
            self.scan_input = scan_input
            self.code = code

        @property
        def control(self) -> ScanInput:
            return self.scan_input

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            await self.action_submit()
            return
        await super()._on_key(event)

    async def action_submit(self) -> None:
        code = self.value
        self.value = ""
        if code.strip():
            self.post_message(self.Scanned(self, code))

    def keep(self, code: str) -> None:
        """Put a refused code back, selected, so the cashier sees it and the next scan replaces it.
        If the next code is already being typed, that one wins."""
        if not self.value:
            self.value = code
            self.select_all()
