"""Console mode for Textual's own glyphs: what the bare Linux console's font can draw.

The till's words and names are made drawable where they are worded (tui_pos.labels); what is
left is what Textual and Rich draw by themselves: the eighth blocks that smooth a scrollbar
thumb's ends, key names shown as symbols (⏎ ↑ ↓), the ellipsis that ends a cut cell and a
select box's arrow. The stylesheet's `-plain` class does the borders.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from textual.binding import Binding
from textual.color import Color
from textual.filter import LineFilter
from textual.scrollbar import ScrollBar, ScrollBarRender

from tui_pos import labels
from tui_pos.i18n import console


class WholeCellScrollBar(ScrollBarRender):
    """A thumb of whole cells: no eighth blocks at its ends."""

    VERTICAL_BARS: ClassVar[list[str]] = [" "]
    HORIZONTAL_BARS: ClassVar[list[str]] = [" "]


def use_console_glyphs(on: bool) -> None:
    """Scrollbars for the console, or Textual's own (the setting is Textual's, for every app)."""
    ScrollBar.renderer = WholeCellScrollBar if on else ScrollBarRender


# Textual's own glyphs the console lacks, and what it draws instead
GLYPHS = str.maketrans({"…": "~", "▼": "v", "▲": "^"})


class CutMarks(LineFilter):
    """Rich ends a cut cell with '…', which the console cannot draw: it gets '~' (as DOS cut
    long file names, PROGRA~1); a Select's arrows ▼ ▲ become v ^. Only these: anything else
    undrawable on screen is a word or a name the till should have put in its English form."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [
            Segment(s.text.translate(GLYPHS), s.style, s.control)
            if "…" in s.text or "▼" in s.text or "▲" in s.text
            else s
            for s in segments
        ]


def key_display(shown: str, binding: Binding) -> str:
    """A key as the footer shows it; in console mode by its name where Textual drew a symbol."""
    if not console() or labels.all_drawable(shown):
        return shown
    modifiers, key = binding.parse_key()
    return "+".join([*modifiers, key]).replace("ctrl+", "^")
