"""Horizontal bars in block characters: a trend at a glance over SSH and on the Linux console."""

from __future__ import annotations

from textual.widgets import Static

from tui_pos.devices.layout import cells, fit, pad


def bars(items: list[tuple[str, int, str]], width: int, label_cells: int = 14) -> str:
    """One line per (label, value, shown value): the bar is the value's share of the largest."""
    if not items:
        return ""
    largest = max(value for _, value, _ in items) or 1
    shown = max(cells(text) for _, _, text in items)
    room = max(4, width - label_cells - shown - 3)
    lines = []
    for label, value, text in items:
        length = value * room // largest
        bar = "█" * length or ("▏" if value else "")
        lines.append(f"{pad(fit(label, label_cells), label_cells)} {pad(bar, room)} {pad(text, shown, 'right')}")
    return "\n".join(lines)


class BarChart(Static):
    def show(self, items: list[tuple[str, int, str]]) -> None:
        self.update(bars(items, max(30, self.size.width or 78)))
