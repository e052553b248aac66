"""A list of records (orders, refunds) where Enter opens the highlighted one.

DataTable's own Enter (select_cursor) is hidden from the footer; here it is shown as "Open".
Screens react to `DataTable.RowSelected`, which arrives after any arrow keys typed before
Enter; a priority binding on the screen would overtake them and open the wrong row.
"""

from __future__ import annotations

from textual.binding import Binding

from tui_pos.ui.keys import translate_bindings
from tui_pos.ui.widgets.text_table import TextTable


class RecordTable(TextTable):
    BINDINGS = [Binding("enter", "select_cursor", "Open")]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        translate_bindings(self)
