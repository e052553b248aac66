"""Head office's conflicts of this store at the till: what it refused of the store's upload, with
the money at stake, for a manager to resolve with a note. Reached from the shift screen (Ctrl+O,
then F12) in a chain's till. The list is the copy the last sync left (it reads offline); the
conflicts service checks the manager and resolves at head office."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from tui_pos import labels
from tui_pos.domain.errors import PosError
from tui_pos.i18n import tr
from tui_pos.services import conflicts as conflict_service
from tui_pos.services.conflicts import LocalConflict
from tui_pos.ui.screens.base import PosModal, PosScreen
from tui_pos.ui.widgets.key_footer import KeyFooter
from tui_pos.ui.widgets.money import show_money
from tui_pos.ui.widgets.plain import Plain, plain
from tui_pos.ui.widgets.text_table import TextTable


def amount_words(conflict: LocalConflict) -> str:
    """A points change is in points; everything else is money."""
    if conflict.kind == "points":
        return tr("{points} points", points=conflict.amount)
    return show_money(conflict.amount)


class ConflictsScreen(PosScreen[None]):
    CSS_PATH = "../styles/conflicts.tcss"
    HELP = (
        "What head office refused of this store's uploads, as of the last sync: a refund above what was left, "
        "stored value the balance did not cover, a member another store has. Up and Down pick one; Enter or F9 "
        "resolves it with a note (a manager, with the link to head office up)."
    )
    BINDINGS = [
        Binding("escape", "back", "Back"),
        # priority: the table would take Enter as its own (select) and hide it from the footer
        Binding("enter", "resolve", "Resolve", priority=True),
        Binding("f9", "resolve_by_f9", "Resolve"),  # its own action: the bar shows keys of one action once
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[LocalConflict] = []

    def compose(self) -> ComposeResult:
        yield from self.compose_chrome()
        yield Plain(tr("Conflicts with head office"), classes="step-title")
        yield TextTable(id="conflict-list", cursor_type="row", zebra_stripes=True)
        yield Plain("", id="status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.refresh_list()

    def refresh_list(self) -> None:
        self.entries = conflict_service.open_conflicts()
        table = self.query_one("#conflict-list", TextTable)
        row = table.cursor_row
        heads = [
            tr("ID"),
            tr("Kind"),
            tr("Order/refund no."),
            tr("Amount"),
            tr("When"),
            tr("Head office said"),
        ]
        rows = [[e.uid, labels.conflict(e.kind), e.ref_no, amount_words(e), e.at, e.detail] for e in self.entries]
        table.show_table(heads, rows, wrap=True, keys=[str(e.id) for e in self.entries])
        if self.entries:
            table.move_cursor(row=min(max(row, 0), len(self.entries) - 1))
        else:
            self.say(tr("No open conflicts: nothing was refused"))

    @property
    def chosen(self) -> LocalConflict | None:
        row = self.query_one("#conflict-list", TextTable).cursor_row
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def action_move(self, step: int) -> None:
        table = self.query_one("#conflict-list", TextTable)
        if self.entries:
            table.move_cursor(row=max(0, min(len(self.entries) - 1, table.cursor_row + step)))

    def action_resolve(self) -> None:
        chosen = self.chosen
        if chosen is None:
            self.say(tr("No open conflicts: nothing was refused"))
            return

        def resolve(note: str | None) -> None:
            if note is None:
                return
            try:
                done = conflict_service.resolve(self.pos.ctx, self.pos.user, chosen.id, note)
            except PosError as exc:
                self.say(exc.message, problem=True)
                return
            self.refresh_list()
            self.say(tr("Conflict {id} resolved by {by}: {note}", id=done.uid, by=done.resolved_by, note=note))

        self.app.push_screen(NoteScreen(chosen), resolve)

    def action_resolve_by_f9(self) -> None:
        self.action_resolve()

    def action_back(self) -> None:
        self.app.pop_screen()


class NoteScreen(PosModal[str | None]):
    """How the conflict was resolved: the note head office and the audit trail keep."""

    CSS_PATH = "../styles/conflicts.tcss"
    AUTO_FOCUS = "#note"
    # priority: the box would take Enter as its own and hide it from the footer
    BINDINGS = [Binding("enter", "submit", "Resolve", priority=True), Binding("escape", "cancel", "Back")]

    def __init__(self, conflict: LocalConflict) -> None:
        super().__init__()
        self.conflict = conflict

    def compose(self) -> ComposeResult:
        c = self.conflict
        yield from self.compose_banner()
        with Vertical(classes="dialog", id="note-dialog"):
            yield Label(
                plain(
                    tr(
                        "Resolve conflict {id}: {kind} {no}, {amount}",
                        id=c.uid,
                        kind=labels.conflict(c.kind),
                        no=c.ref_no,
                        amount=amount_words(c),
                    )
                ),
                classes="title",
            )
            yield Plain(c.detail, id="note-detail")
            yield Input(
                placeholder=tr("How it was resolved (e.g. refunded in cash at store 01)"), id="note", max_length=200
            )
            yield Plain("", id="error", classes="error")
        yield KeyFooter()

    def action_submit(self) -> None:
        note = self.query_one("#note", Input).value
        if not note.strip():
            self.query_one("#error", Static).update(tr("Say how the conflict was resolved"))
            return
        self.dismiss(note)

    def action_cancel(self) -> None:
        self.dismiss(None)
