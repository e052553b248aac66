"""The key bar: Textual's Footer, wrapped onto more lines when the keys do not fit in one.

At 80 columns a till screen has more function keys than one line holds; a key that is
scrolled out of sight might as well not exist. The keys sit in a grid of equal cells,
each as wide as the longest key label, as many per line as the width allows.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

MIN_CELL = 12


class KeyFooter(Footer):
    """A Footer laid out as a grid, so that every key stays on screen."""

    def __init__(self) -> None:
        super().__init__(compact=True, show_command_palette=False)
        self._cell = MIN_CELL

    def compose(self) -> ComposeResult:
        keys = list(super().compose())
        labels = [key for key in keys if isinstance(key, FooterKey)]
        self._cell = max([MIN_CELL, *(cell_len(f"{k.key_display} {k.description}") + 2 for k in labels)])
        self._fit()
        yield from keys

    async def recompose(self) -> None:
        """Textual binds each key to the bar's `compact` and drops that binding only when
        `compact` changes, which it never does here: without the pruning, every redraw of the
        bar (each time the keys change) kept its old keys alive, about 1 MiB per sale."""
        await super().recompose()
        watchers = getattr(self, "__watchers", {}).get("compact")
        if watchers:
            watchers[:] = [(node, callback) for node, callback in watchers if node.is_attached]

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        width = self.size.width or self.app.size.width
        self.styles.grid_size_columns = max(1, width // self._cell)
