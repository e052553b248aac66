"""Ctrl+Q: quit the till only when asked twice, and say first what quitting would drop."""

from __future__ import annotations

from textual.binding import Binding

from tui_pos.ui.screens.confirm import ConfirmScreen


class QuitScreen(ConfirmScreen, inherit_bindings=False):  # Quit and Stay, not Yes/No and y/n
    """Dismisses with True (Enter: quit) or False (Escape: stay); the detail says what is only
    in memory, so it goes with the till, and that everything recorded stays."""

    BINDINGS = [
        Binding("enter", "answer(True)", "Quit"),
        Binding("escape", "answer(False)", "Stay"),
        Binding("f1", "app.help", "Help"),
    ]
