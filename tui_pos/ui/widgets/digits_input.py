"""A box for numbers like a phone: digits only (full-width ones too, as a Chinese input method
types them); anything else is refused on the spot, with a `Refused` message the screen shows."""

from __future__ import annotations

from textual.message import Message
from textual.widgets import Input

DIGITS = r"[0-9０-９]*"


class DigitsInput(Input):
    """An Input that takes digits only, up to `max_length`, and says when it refuses a key."""

    class Refused(Message):
        """A key (or pasted text) was not taken: not a digit, or one too many."""

        def __init__(self, digits_input: DigitsInput) -> None:
            super().__init__()
            self.digits_input = digits_input

        @property
        def control(self) -> DigitsInput:
            return self.digits_input

    def __init__(self, value: str = "", *, id: str | None = None, max_length: int = 0, compact: bool = False) -> None:
        super().__init__(value, id=id, max_length=max_length, restrict=DIGITS, compact=compact)

    def restricted(self) -> None:
        super().restricted()  # the bell, as for any refused key
        self.post_message(self.Refused(self))
