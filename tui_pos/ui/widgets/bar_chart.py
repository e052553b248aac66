"""Horizontal bars in block characters: a trend at a glance over SSH and on the Linux console."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from tui_pos.devices.layout import cells, fit, pad
from tui_pos.ui.widgets.plain import visible

# What a cut label ends with: every console font draws "..", while "…" is missing from some
# and two cells wide in others. The bars use full and half blocks, which the Linux console has.
ELLIPSIS = ".."
FULL, SOME = "█", "▌"


def bars(items: Sequence[tuple[str, int, str]], width: int) -> str:
    """One line per (label, value, shown value), none wider than `width` cells.

    The shown value is always whole, at the right. The labels get as many cells as the longest
    one needs, up to half of what the values leave, and are cut with ".." past that; the bar, the
    value's share of the largest, fills the rest."""
    if not items:
        return ""
    largest = max(value for _, value, _ in items) or 1
    shown = max(cells(text) for _, _, text in items)
    free = max(0, width - shown - 2)  # a space after the label and one before the value
    label_cells = min(max(cells(label) for label, _, _ in items), free // 2)
    room = free - label_cells
    lines = []
    for label, value, text in items:
        bar = (FULL * max(0, value * room // largest) or (SOME if value > 0 else ""))[:room]
        name = pad(fit(label, label_cells, ELLIPSIS), label_cells)
        lines.append(f"{name} {pad(bar, room)} {pad(text, shown, 'right')}")
    return "\n".join(lines)


class BarChart(Static):
    """The bars of `show(items)`, laid out again whenever the chart's width changes."""

    _items: Sequence[tuple[str, int, str]] = ()

    def show(self, items: Sequence[tuple[str, int, str]]) -> None:
        self._items = tuple((visible(label), value, text) for label, value, text in items)  # names: text
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def _draw(self) -> None:
        # before the first layout the width is not known yet: the screen's, until on_resize
        width = self.content_size.width or self.app.size.width - 2
        self.update(Text(bars(self._items, max(0, width)), no_wrap=True, overflow="crop"))  # names are text
