"""A box for money: it takes digits, a decimal point and a currency sign, nothing else.

Because it does not claim the other printable keys, screens can bind plain letters
(c for cash, k for card ...) while it has the focus. It knows whether the amount in it was
typed by the cashier or suggested by the screen (`put`), so a screen can treat "10 then v"
as "take 10 in stored value" without mistaking its own suggestion for the cashier's.
"""

from __future__ import annotations

import re

from textual.widgets import Input

AMOUNT_CHAR = re.compile(r"[0-9０-９.,。，．￥¥]")


class AmountInput(Input):
    """An Input for amounts that leaves letters to the screen's key bindings."""

    def __init__(self, value: str = "", *, id: str | None = None, max_length: int = 14) -> None:
        super().__init__(value, id=id, max_length=max_length, restrict=AMOUNT_CHAR.pattern + "*")
        self.typed = False  # True once the cashier changed the amount the screen put there

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return character is not None and AMOUNT_CHAR.fullmatch(character) is not None

    def put(self, value: str) -> None:
        """Suggest an amount, selected, so that typing replaces it; it does not count as typed."""
        self.value = value
        self.select_all()
        self.typed = False

    def watch_value(self) -> None:
        self.typed = True  # typing, deleting or pasting; `put` sets it back after its own change
