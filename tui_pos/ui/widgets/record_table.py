"""A list of records (orders, refunds) where Enter opens the highlighted one.

DataTable's own Enter (select_cursor) is hidden from the footer; here it is shown as "Open".
Screens react to `DataTable.RowSelected`, which arrives after any arrow keys typed before
Enter; a priority binding on the screen would overtake them and open the wrong row.
"""

from __future__ import annotations

from rich.console import RenderableType
from textual.binding import Binding
from textual.widgets import DataTable

from tui_pos.ui.keys import translate_bindings


class RecordTable(DataTable[RenderableType]):
    BINDINGS = [Binding("enter", "select_cursor", "Open")]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        translate_bindings(self)
