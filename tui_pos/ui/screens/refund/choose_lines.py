"""Step 2 (选择退货商品): how many of each line come back, what happens to them, and why."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static
from textual.widgets.data_table import RowKey

from tui_pos import labels
from tui_pos.domain.errors import PosError
from tui_pos.domain.policy import DISPOSITIONS, REASONS
from tui_pos.domain.refund import LineHistory
from tui_pos.i18n import tr
from tui_pos.services import refunds
from tui_pos.ui.row_keys import row_id
from tui_pos.ui.screens.refund.review import ReviewStep
from tui_pos.ui.screens.refund.step import WizardStep
from tui_pos.ui.widgets.plain import Plain, bold
from tui_pos.ui.widgets.text_table import TextTable


class ChooseLinesStep(WizardStep):
    """Step 2: quantities and what happens to the goods per line, and the reason."""

    STEP = 2
    TITLE_TEXT = "Choose what comes back"
    AUTO_FOCUS = "#pick"
    HELP = (
        "Up and Down pick a line; + and - change its refund quantity, 0 none, a all that is left; "
        "d changes what happens to that line's goods. r changes the reason; n writes a note."
    )
    BINDINGS = WizardStep.BINDINGS + [
        Binding("plus,equals_sign", "more", "+1"),
        Binding("minus", "less", "-1"),
        Binding("0", "zero", "None"),
        Binding("a", "all", "All"),
        Binding("d", "disposition", "Goods"),
        Binding("r", "reason", "Reason"),
        Binding("n", "note", "Note"),
        Binding("f9", "next", "Next"),
    ]

    def body(self) -> ComposeResult:
        yield TextTable(id="pick", cursor_type="row")
        yield Plain("", id="choice")
        yield Input(placeholder=tr("Note (for 'Other')"), id="note", max_length=200)

    def on_mount(self) -> None:
        table = self.query_one("#pick", DataTable)
        self.columns = table.add_columns(tr("Item"), tr("Qty sold"), tr("Left"), tr("Refund qty"), tr("Goods"))
        for h in self.state.lines.values():
            table.add_row(
                labels.item(h),
                str(h.qty),
                str(h.remaining),
                str(self.state.qty.get(h.sale_line_id, 0)),
                self.disposition_text(h.sale_line_id),
                key=str(h.sale_line_id),
            )
        note = self.query_one("#note", Input)
        note.value = self.state.note
        note.display = self.state.reason == "other" or bool(self.state.note)
        self.show_choice()

    def disposition_text(self, line_id: int) -> str:
        return labels.disposition(self.state.disposition.get(line_id, "restock"))

    def show_choice(self) -> None:
        total = sum(self.state.qty.values())
        self.query_one("#choice", Static).update(
            Text.assemble(f"{tr('Reason')} (r): ", bold(labels.reason(self.state.reason)), f"   {tr('Units')}: {total}")
        )

    def _selected(self) -> tuple[RowKey, LineHistory] | None:
        """The highlighted row's key and its sale line; None while the table is empty."""
        table = self.query_one("#pick", DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return key, self.state.lines[row_id(key)]

    def _set(self, qty_for: Callable[[int, int], int]) -> None:
        """`qty_for(current, left)` gives the highlighted line's new quantity, kept in 0..left."""
        selected = self._selected()
        if selected is None:
            return
        key, line = selected
        qty = max(0, min(line.remaining, qty_for(self.state.qty.get(line.sale_line_id, 0), line.remaining)))
        self.state.qty[line.sale_line_id] = qty
        self.query_one("#pick", DataTable).update_cell(key, self.columns[3], str(qty))
        self.show_choice()

    def action_more(self) -> None:
        self._set(lambda q, left: q + 1)

    def action_less(self) -> None:
        self._set(lambda q, left: q - 1)

    def action_zero(self) -> None:
        self._set(lambda q, left: 0)

    def action_all(self) -> None:
        self._set(lambda q, left: left)

    def action_disposition(self) -> None:
        selected = self._selected()
        if selected is None:
            return
        key, line = selected
        now = self.state.disposition.get(line.sale_line_id, "restock")
        self.state.disposition[line.sale_line_id] = DISPOSITIONS[(DISPOSITIONS.index(now) + 1) % len(DISPOSITIONS)]
        self.query_one("#pick", DataTable).update_cell(key, self.columns[4], self.disposition_text(line.sale_line_id))

    def action_reason(self) -> None:
        self.state.reason = REASONS[(REASONS.index(self.state.reason) + 1) % len(REASONS)]
        if self.state.reason == "other":
            self.query_one("#note", Input).display = True
        self.show_choice()

    def action_note(self) -> None:
        note = self.query_one("#note", Input)
        note.display = True
        note.focus()

    @on(Input.Submitted, "#note")
    def note_done(self) -> None:
        self.query_one("#pick", DataTable).focus()

    def action_next(self) -> None:
        self.state.note = self.query_one("#note", Input).value.strip()
        if self.state.reason == "other" and not self.state.note:
            self.show_error(tr("Write a note for 'Other'"))
            self.action_note()
            return
        self.state.amount = None
        try:
            self.state.quote = refunds.quote(self.pos.ctx, self.pos.user, self.state.draft())
        except PosError as exc:
            self.show_error(exc.message)
            return
        self.clear_error()
        self.app.push_screen(ReviewStep(self.state))
