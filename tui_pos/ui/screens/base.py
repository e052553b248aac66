"""What every till screen shares: translated key labels, the title bar and the mode banner."""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, TypeVar, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widgets import Header, Static

from tui_pos.ui.keys import translate_bindings
from tui_pos.ui.widgets.training_banner import TrainingBanner

if TYPE_CHECKING:
    from tui_pos.ui.app import PosApp

R = TypeVar("R")


def compose_chrome(training: bool) -> ComposeResult:
    """Title bar, plus the training banner when the till is not live."""
    yield Header(icon="")
    if training:
        yield TrainingBanner()


class PosScreen(Screen[R], Generic[R]):
    """A full screen of the till."""

    def __init__(self, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        translate_bindings(self)

    @property
    def pos(self) -> "PosApp":
        return cast("PosApp", self.app)

    def compose_chrome(self) -> ComposeResult:
        return compose_chrome(self.pos.ctx.config.training)

    def say(self, text: str, *, problem: bool = False) -> None:
        """The screen's one-line `#status`: what just happened, or (problem) what went wrong."""
        status = self.query_one("#status", Static)
        status.update(text)
        status.set_class(problem, "error")


class PosModal(ModalScreen[R], Generic[R]):
    """A dialog over a till screen; it repeats the training banner so it is never hidden."""

    BINDINGS = [Binding("f1", "app.help", "Help")]  # app keys do not reach into a dialog

    def __init__(self, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        translate_bindings(self)

    @property
    def pos(self) -> "PosApp":
        return cast("PosApp", self.app)

    def compose_banner(self) -> ComposeResult:
        if self.pos.ctx.config.training:
            yield TrainingBanner()
