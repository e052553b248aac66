"""The banner that tells everyone at the till that nothing here is real."""

from __future__ import annotations

from textual.widgets import Static

from tui_pos.i18n import tr


class TrainingBanner(Static):
    """Docked at the top of every screen while the till runs in training mode."""

    def __init__(self) -> None:
        super().__init__(tr("TRAINING MODE - practice only, no real sales"), classes="training-banner")
