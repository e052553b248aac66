"""What every till screen shares: translated key labels, the title bar and the mode banner."""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, TypeVar, cast

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Header, Static

from tui_pos.ui.keys import translate_bindings
from tui_pos.ui.widgets.plain import plain
from tui_pos.ui.widgets.training_banner import TrainingBanner

if TYPE_CHECKING:
    from textual.message_pump import MessagePump

    from tui_pos.ui.till import ReportsUnexpected, Till

    _Mixin = MessagePump  # what Guarded is mixed into, so its own body is type-checked
else:
    _Mixin = object

R = TypeVar("R")


def compose_chrome(training: bool) -> ComposeResult:
    """Title bar, plus the training banner when the till is not live."""
    yield Header(icon="")
    if training:
        yield TrainingBanner()


class Guarded(_Mixin):
    """A bug in a handler becomes an error dialog; the screen itself stays usable (Textual
    would otherwise stop the screen's message loop and end the app with a traceback)."""

    async def _dispatch_message(self, message: Message) -> None:
        try:
            await super()._dispatch_message(message)
        except Exception as exc:
            # a screen that failed while opening is half-built: start again from checkout
            self.fault(exc, opening=isinstance(message, (events.Mount, events.Compose)))

    def fault(self, exc: Exception, *, opening: bool) -> None:
        """A handler of this screen failed: the app logs it and shows it."""
        cast("ReportsUnexpected", self.app).report_unexpected(exc, restart_screen=opening)


class PosScreen(Guarded, Screen[R], Generic[R]):
    """A full screen of the till."""

    def __init__(self, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        translate_bindings(self)

    @property
    def pos(self) -> Till:
        return cast("Till", self.app)

    def compose_chrome(self) -> ComposeResult:
        return compose_chrome(self.pos.config.training)

    def say(self, text: str | Text, *, problem: bool = False) -> None:
        """The screen's one-line `#status`: what just happened, or (problem) what went wrong.
        A string is shown as it is (it may hold a name or an error's words), never as markup."""
        status = self.query_one("#status", Static)
        status.update(plain(text))
        status.set_class(problem, "error")


class PosModal(Guarded, ModalScreen[R], Generic[R]):
    """A dialog over a till screen; it repeats the training banner so it is never hidden."""

    BINDINGS = [Binding("f1", "app.help", "Help")]  # app keys do not reach into a dialog

    def __init__(self, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        translate_bindings(self)

    @property
    def pos(self) -> Till:
        return cast("Till", self.app)

    def compose_banner(self) -> ComposeResult:
        if self.pos.config.training:
            yield TrainingBanner()
