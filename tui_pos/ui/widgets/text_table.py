"""A DataTable for shop data: its string cells and labels are text, never markup.

Textual reads a str cell as markup, so a product called `Cable [/w plug] 3m` raised while the
table was drawn, and took the screen down with it. Here a str (a cell, a column label, a row
label) becomes literal rich Text as it goes in; Text and other renderables go in as they are.
A cell read back (`get_cell`, `get_row_at`) is that Text: `str()` of it is the string put in.
"""

from __future__ import annotations

from typing import overload

from rich.console import RenderableType
from rich.text import Text, TextType
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey

from tui_pos.ui.widgets.plain import plain


@overload
def literal(value: None, height: int | None = 1) -> None: ...
@overload
def literal(value: RenderableType, height: int | None = 1) -> RenderableType: ...
def literal(value: RenderableType | None, height: int | None = 1) -> RenderableType | None:
    """A cell as DataTable would show a str, only literal: one line unless the row is taller.
    A Text stays as it is, less any control character."""
    if isinstance(value, Text):
        return plain(value)
    if not isinstance(value, str):
        return value
    text = plain(value)
    text.no_wrap = height == 1
    return text


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
