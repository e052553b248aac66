"""A DataTable for shop data: its string cells and labels are text, never markup.

Textual reads a str cell as markup, so a product called `Cable [/w plug] 3m` raised while the
table was drawn, and took the screen down with it. Here a str (a cell, a column label, a row
label) becomes literal rich Text as it goes in; Text and other renderables go in as they are.
A cell read back (`get_cell`, `get_row_at`) is that Text: `str()` of it is the string put in.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import overload

from rich.cells import cell_len
from rich.console import RenderableType
from rich.text import Text, TextType
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey

from tui_pos.ui.widgets.plain import plain

FIGURE_CHARS = frozenset("0123456789.,:%+-/ ")
NAME_FLOOR = 6  # cells a text column keeps, at least, when figures need the room
SCROLLBAR = 2  # a table with more rows than room shows a scroll bar this wide


@overload
def literal(value: None, height: int | None = 1) -> None: ...
@overload
def literal(value: RenderableType, height: int | None = 1) -> RenderableType: ...
def literal(value: RenderableType | None, height: int | None = 1) -> RenderableType | None:
    """A cell as DataTable would show a str, only literal: one line unless the row is taller.
    A Text stays as it is, less any control character. On one line, a text too long for its
    column ends in '…' (DataTable would cut it with no mark), unless it says how to overflow."""
    if isinstance(value, Text):
        text = plain(value)
    elif isinstance(value, str):
        text = plain(value)
        text.no_wrap = height == 1
    else:
        return value
    if height == 1 and text.overflow is None:
        text.overflow = "ellipsis"
    return text


def is_figure(cell: str) -> bool:
    """A number, amount, rate or time, a barcode or an order/refund no. (S01-20261122-0001): what
    must never be cut."""
    digits = sum(c.isdigit() for c in cell)
    if not digits:
        return False
    return set(cell) <= FIGURE_CHARS or (" " not in cell and 2 * digits >= len(cell))


def fit_widths(headers: Sequence[str], rows: Sequence[Sequence[str]], room: int, padding: int = 2) -> list[int]:
    """Column widths for `room` cells: a column of figures (and its head) is as wide as its widest
    cell, never less; the text columns give way, the widest first, down to NAME_FLOOR cells (or
    their head, if shorter), and end in '…' in the table."""
    widths = [max([cell_len(head), *(cell_len(row[i]) for row in rows)]) for i, head in enumerate(headers)]
    text = [i for i in range(len(headers)) if not rows or not all(is_figure(row[i]) or not row[i] for row in rows)]
    floors = {i: min(NAME_FLOOR, widths[i]) for i in text}
    over = sum(widths) + padding * len(widths) - room
    while over > 0:
        shrinkable = [i for i in text if widths[i] > floors[i]]
        if not shrinkable:
            break
        widths[max(shrinkable, key=lambda i: widths[i])] -= 1
        over -= 1
    return widths


class TextTable(DataTable[RenderableType]):
    """A DataTable whose strings (cells, column and row labels) are shown exactly as they are."""

    def add_column(
        self,
        label: TextType,
        *,
        width: int | None = None,
        key: str | None = None,
        default: RenderableType | None = None,
    ) -> ColumnKey:
        return super().add_column(plain(label), width=width, key=key, default=literal(default))

    def show_table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
        *,
        wrap: bool = False,
        keys: Sequence[str] | None = None,
    ) -> None:
        """Columns and rows at once, fitted to the table's width (`fit_widths`): figures whole,
        text cut with '…', or (`wrap`) going on to more lines in its row. `keys`: the rows' keys."""
        room = (self.size.width or self.app.size.width) - SCROLLBAR
        self.clear(columns=True)
        for head, width in zip(headers, fit_widths(headers, rows, room, 2 * self.cell_padding), strict=True):
            self.add_column(head, width=width)
        for index, row in enumerate(rows):
            self.add_row(*row, height=None if wrap else 1, key=None if keys is None else keys[index])

    def add_row(
        self,
        *cells: RenderableType,
        height: int | None = 1,
        key: str | None = None,
        label: TextType | None = None,
    ) -> RowKey:
        return super().add_row(
            *(literal(cell, height) for cell in cells),
            height=height,
            key=key,
            label=None if label is None else plain(label),
        )

    def update_cell(
        self,
        row_key: RowKey | str,
        column_key: ColumnKey | str,
        value: RenderableType,
        *,
        update_width: bool = False,
    ) -> None:
        row = self.rows.get(RowKey(row_key) if isinstance(row_key, str) else row_key)
        height = row.height if row is not None and not row.auto_height else None
        super().update_cell(row_key, column_key, literal(value, height), update_width=update_width)
