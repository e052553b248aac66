"""Told once, to the first manager who logs in on a live till with no printer: how to set one up."""

from __future__ import annotations

from textual.binding import Binding

from tui_pos.i18n import tr
from tui_pos.ui.screens.confirm import ConfirmScreen

SETUP_COMMAND = "tui-pos setup printer"


class NoPrinterScreen(ConfirmScreen, inherit_bindings=False):
    """A notice, not a question: Enter or Escape closes it and the till works on, queueing tickets."""

    BINDINGS = [
        Binding("enter,escape", "answer(False)", "OK"),
        Binding("f1", "app.help", "Help"),
    ]

    def __init__(self) -> None:
        super().__init__(
            tr("No printer is set up on this till"),
            "\n".join(
                [
                    tr("Nothing prints: every receipt waits in the print queue (Ctrl+P) until a printer is set up."),
                    "",
                    tr("To set one up, quit the till (Ctrl+Q) and run:"),
                    f"  {SETUP_COMMAND}",
                    "",
                    tr("then check it with: {command}", command="tui-pos doctor"),
                ]
            ),
        )
