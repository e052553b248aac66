"""A yes/no question before something that cannot be taken back."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical

from tui_pos.ui.screens.base import PosModal
from tui_pos.ui.widgets.key_footer import KeyFooter
from tui_pos.ui.widgets.plain import Plain


class ConfirmScreen(PosModal[bool]):
    """Dismisses with True only on an explicit Enter or y."""

    CSS_PATH = "../styles/confirm.tcss"
    BINDINGS = [
        Binding("enter,y", "answer(True)", "Yes"),
        Binding("escape,n", "answer(False)", "No"),
    ]

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__()
        self.question = question
        self.detail = detail

    def compose(self) -> ComposeResult:
        yield from self.compose_banner()
        with Vertical(id="confirm-dialog", classes="dialog"):
            yield Plain(self.question, id="confirm-question")
            if self.detail:
                yield Plain(self.detail, id="confirm-detail")
        yield KeyFooter()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
