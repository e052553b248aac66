"""The frame every refund step shares: title with the step number, an error line, the keys,
Escape back and F2 for the policy page; and the helpers the steps have in common."""

from __future__ import annotations

from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from tui_pos.devices.tickets import tender_label
from tui_pos.domain.refund_tenders import TenderPart
from tui_pos.i18n import tr
from tui_pos.ui.screens.base import PosScreen
from tui_pos.ui.screens.refund.state import WizardState
from tui_pos.ui.screens.refund_list import PolicyScreen
from tui_pos.ui.scrolling import ScrollsLongView
from tui_pos.ui.widgets.key_footer import KeyFooter
from tui_pos.ui.widgets.money import show_money
from tui_pos.ui.widgets.plain import Plain, bold


def money(cents: int) -> str:
    """An amount as the voucher prints it: ￥ (CNY on the Linux console, which cannot draw it)."""
    return show_money(cents)


def hand_over(amount: int, tender: str) -> str:
    """What the cashier hands over, in the words of step 5: cash, or the tender it goes back by."""
    if tender == "cash":
        return tr("Hand over {amount} in cash", amount=money(amount))
    if tender == "stored_value":
        return tr("Credit {amount} to the member's stored value", amount=money(amount))
    return tr("Refund {amount} via {tender}", amount=money(amount), tender=tender_label(tender))


def hand_over_parts(parts: tuple[TenderPart, ...], amount: int, tender: str) -> str:
    """Step 4 and 5's line: each tender's part (a split refund: one after the other)."""
    said = [hand_over(p.amount, p.tender) for p in parts if p.amount]
    return "; ".join(said) if said else hand_over(amount, tender)


def tenders_text(parts: tuple[TenderPart, ...], tender: str) -> str:
    """How the money goes back, in words: one tender, or each with its part."""
    shown = [p for p in parts if p.amount]
    if len(shown) <= 1:
        return tender_label(shown[0].tender if shown else tender)
    return " + ".join(f"{tender_label(p.tender)} {money(p.amount)}" for p in shown)


class WizardStep(ScrollsLongView, PosScreen[None]):
    """Common frame: step title, banner, an error line and the keys; F2 opens the policy page.

    Under the title, steps 3-5 keep the figure that matters (the refund and what to hand over,
    `show_figure`) where scrolling a long list never takes it away."""

    # resolved from each step's own file, so every step lives in this package
    CSS_PATH = "../../styles/refund.tcss"
    STEP = 0
    TITLE_TEXT = ""
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("f2", "policy", "Policy"),
    ]

    def __init__(self, state: WizardState) -> None:
        super().__init__()
        self.state = state

    def compose(self) -> ComposeResult:
        yield from self.compose_chrome()
        yield Plain(f"{tr('Cash refund')}  {self.STEP}/5  {tr(self.TITLE_TEXT)}", classes="step-title")
        figure = Plain("", id="figure", classes="figure")
        figure.display = False
        yield figure
        yield from self.body()
        yield Plain("", id="error", classes="error")
        yield KeyFooter()

    def body(self) -> ComposeResult:
        yield from ()

    def show_figure(self, text: str) -> None:
        figure = self.query_one("#figure", Static)
        figure.update(bold(text))
        figure.display = bool(text)

    def show_error(self, text: str) -> None:
        self.query_one("#error", Static).update(text)

    def clear_error(self) -> None:
        self.show_error("")

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_policy(self) -> None:
        self.app.push_screen(PolicyScreen())


def close_wizard(app: App[Any]) -> None:
    """Back to the screen the wizard was opened from."""
    while isinstance(app.screen, (WizardStep, PolicyScreen)):
        app.pop_screen()
