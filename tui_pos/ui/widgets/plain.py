"""Shop data on screen: text, never markup.

Names, notes, reasons and references come from suppliers' files and from people typing. A
string handed to a Textual widget is read as markup: `Cable [/w plug] 3m` raises (a closing
tag that closes nothing) and takes the screen down, `[red]Red[/red] cola` comes out as a red
"Red cola" and `[new] cola` as " cola". And a control character (an ANSI escape) in a name
goes straight to the terminal. So whatever the till did not write itself reaches the screen
through `plain` (one value as rich Text), `lines` (several, some of them bold), a `Plain`
(a Static whose strings are text) or a `TextTable` (a DataTable whose strings are text).
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.style import StyleType
from rich.table import Table
from rich.text import Text
from textual.content import Content
from textual.visual import VisualType
from textual.widgets import Static

from tui_pos.domain.text import without_controls


def visible(text: str) -> str:
    """`text` without the characters a terminal would obey instead of showing; lines stay lines."""
    if text.isprintable():
        return text
    return "\n".join(
        line if line.isprintable() else without_controls(line.replace("\t", " ")) for line in text.split("\n")
    )


def plain(value: object, style: StyleType = "") -> Text:
    """Any value as it reads: a str (or a number, None as nothing) as literal text; a Text as it
    is, less any control character in it."""
    if isinstance(value, Text):
        shown = visible(value.plain)
        if shown == value.plain:
            return value
        cleaned = value.copy()
        cleaned.plain = shown
        return cleaned
    return Text(visible("" if value is None else str(value)), style=style, end="")


def bold(value: object) -> Text:
    return plain(value, "bold")


def lines(parts: Iterable[object]) -> Text:
    """One text of several lines: str parts literal, Text parts (e.g. `bold(...)`) as they are."""
    return Text("\n", end="").join(plain(part) for part in parts)


def labelled(rows: Iterable[tuple[object, object]]) -> Table:
    """Label and value rows (labels bold). A label is never cut; a value too long for the width
    left ends in '…': only the value column may narrow (Rich narrows wrapping columns first and
    cuts every column alike after that), while each value keeps to its line."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(no_wrap=False)
    for label, value in rows:
        cell = plain(value)
        cell.no_wrap, cell.overflow = True, "ellipsis"
        grid.add_row(plain(label), cell)
    return grid


def as_text(content: VisualType) -> VisualType:
    """What a widget should be given: a str as literal Content (Textual's own text, the cheapest
    to draw), a Text less any control character; anything else (a table, a group) is built of
    such texts already."""
    if isinstance(content, str):
        return Content(visible(content))
    return plain(content) if isinstance(content, Text) else content


class Plain(Static):
    """A Static for text the till did not word itself (or words around shop data): a string is
    shown exactly as it is, never as markup; styled parts come as rich Text (`bold`, `lines`)."""

    def __init__(
        self,
        content: VisualType = "",
        *,
        expand: bool = False,
        shrink: bool = False,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(
            as_text(content),
            expand=expand,
            shrink=shrink,
            markup=False,
            name=name,
            id=id,
            classes=classes,
            disabled=disabled,
        )

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        super().update(as_text(content), layout=layout)

    @property
    def content(self) -> VisualType:
        return super().content

    @content.setter
    def content(self, content: VisualType) -> None:
        Static.content.fset(self, as_text(content))  # type: ignore[attr-defined]
