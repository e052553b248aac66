"""The manager's staff list: add someone, disable or enable them, reset a PIN, change a role,
names or a personal refund limit. Reached from the shift screen (Ctrl+O, then F2), beside the
day summary and the refund reports. The staff service checks the manager and every rule."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable

from tui_pos import labels
from tui_pos.domain.errors import PosError
from tui_pos.domain.money import parse_money
from tui_pos.domain.staff import Role, Staff
from tui_pos.i18n import tr
from tui_pos.services import staff as staff_service
from tui_pos.services.staff import StaffEntry
from tui_pos.ui.screens.base import PosScreen
from tui_pos.ui.screens.confirm import ConfirmScreen
from tui_pos.ui.screens.staff_form import StaffFormScreen
from tui_pos.ui.widgets.key_footer import KeyFooter
from tui_pos.ui.widgets.money import show_money
from tui_pos.ui.widgets.plain import Plain
from tui_pos.ui.widgets.text_table import TextTable


class StaffScreen(PosScreen[None]):
    CSS_PATH = "../styles/staff.tcss"
    HELP = (
        "Everyone who may log in at this shop. Up and Down pick a person. F2 adds staff; F4 changes a role; "
        "F5 disables or enables; F6 gives a new PIN, to be changed at their next log in (it also unlocks); "
        "F7 changes names; F8 sets what they may refund without approval (* = set for that person)."
    )
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("f2", "add", "Add staff"),
        Binding("f4", "role", "Role"),
        Binding("f5", "disable_enable", "Disable/enable"),
        Binding("f6", "reset_pin", "Reset PIN"),
        Binding("f7", "rename", "Names"),
        Binding("f8", "limit", "Refund limit"),
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[StaffEntry] = []

    def compose(self) -> ComposeResult:
        yield from self.compose_chrome()
        yield Plain(tr("Staff"), classes="step-title")
        yield TextTable(id="staff-list", cursor_type="row", zebra_stripes=True)
        yield Plain("", id="status")
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#staff-list", TextTable)
        table.add_column(tr("Code"), key="code", width=6)
        table.add_column(tr("Name"), key="name", width=18)
        table.add_column(tr("Role"), key="role", width=10)
        table.add_column(tr("Status"), key="active", width=8)
        table.add_column(tr("PIN"), key="pin", width=12)
        table.add_column(tr("Refund limit"), key="limit", width=12)
        self.refresh_list()

    def refresh_list(self, keep: str = "") -> None:
        try:
            self.entries = staff_service.list_staff(self.pos.ctx, self.pos.user)
        except PosError as exc:
            self.say(exc.message, problem=True)
            return
        table = self.query_one("#staff-list", TextTable)
        row = table.cursor_row
        table.clear()
        for e in self.entries:
            table.add_row(
                e.code,
                labels.staff(e.name, e.name_en),
                labels.role(e.role),
                tr("Active") if e.active else tr("Disabled"),
                tr("Locked") if e.locked else (tr("New PIN due") if e.must_change_pin else ""),
                self._limit(e),
                key=e.code,
            )
        codes = [e.code for e in self.entries]
        table.move_cursor(row=codes.index(keep) if keep in codes else min(row, max(0, len(codes) - 1)))

    def _limit(self, entry: StaffEntry) -> str:
        if entry.refund_limit is not None:
            return show_money(entry.refund_limit) + " *"
        limit = self.pos.ctx.config.refund_policy.limit(entry.role)
        return tr("any amount") if limit is None else show_money(limit)

    @property
    def chosen(self) -> StaffEntry | None:
        row = self.query_one("#staff-list", TextTable).cursor_row
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def action_move(self, step: int) -> None:
        table = self.query_one("#staff-list", TextTable)
        if self.entries:
            table.move_cursor(row=max(0, min(len(self.entries) - 1, table.cursor_row + step)))

    def _person(self, entry: StaffEntry) -> str:
        return labels.with_code(entry.code, labels.staff(entry.name, entry.name_en))

    # -- the keys ---------------------------------------------------------------------
    def action_add(self) -> None:
        ctx, user = self.pos.ctx, self.pos.user

        def save(v: dict[str, str]) -> Staff:
            return staff_service.add_staff(
                ctx, user, v["code"], v["name"], Role.parse(v["role"]), v["pin"], name_en=v["name_en"]
            )

        form = StaffFormScreen(tr("Add staff"), ("code", "name", "name_en", "role", "pin", "pin2"), save)
        self.app.push_screen(
            form, self._after(lambda who: tr("{staff} added; they log in with the PIN you gave", staff=who))
        )

    def _after(self, words: Callable[[str], str]) -> Callable[[Staff | None], None]:
        """What to do when a form or a change is done: the list again, the person changed under
        the cursor, and `words` (given who) on the status line."""

        def after(staff: Staff | None) -> None:
            if staff is not None:
                self.refresh_list(keep=staff.code)
                self.say(words(labels.with_code(staff.code, labels.staff(staff.name, staff.name_en))))

        return after

    def action_disable_enable(self) -> None:
        entry = self.chosen
        if entry is None:
            return
        ctx, user = self.pos.ctx, self.pos.user
        if not entry.active:
            self._run(
                lambda: staff_service.enable_staff(ctx, user, entry.code),
                lambda who: tr("{staff} can log in again", staff=who),
            )
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self._run(
                    lambda: staff_service.disable_staff(ctx, user, entry.code),
                    lambda who: tr("{staff} can no longer log in", staff=who),
                )

        question = tr("Disable {staff}?", staff=self._person(entry))
        self.app.push_screen(
            ConfirmScreen(question, tr("They can no longer log in; their sales and refunds stay theirs.")), answered
        )

    def _run(self, change: Callable[[], Staff], words: Callable[[str], str]) -> None:
        try:
            staff = change()
        except PosError as exc:
            self.say(exc.message, problem=True)
            return
        self._after(words)(staff)

    def action_reset_pin(self) -> None:
        entry = self.chosen
        if entry is None:
            return
        ctx, user = self.pos.ctx, self.pos.user
        form = StaffFormScreen(
            tr("New PIN for {staff}", staff=self._person(entry)),
            ("pin", "pin2"),
            lambda v: staff_service.reset_pin(ctx, user, entry.code, v["pin"]),
            note=tr("Tell them this PIN; they choose their own at their next log in."),
        )
        self.app.push_screen(
            form,
            self._after(lambda who: tr("PIN of {staff} reset; they choose a new one at their next log in", staff=who)),
        )

    def action_role(self) -> None:
        entry = self.chosen
        if entry is None:
            return
        ctx, user = self.pos.ctx, self.pos.user
        form = StaffFormScreen(
            tr("Role of {staff}", staff=self._person(entry)),
            ("role",),
            lambda v: staff_service.change_role(ctx, user, entry.code, Role.parse(v["role"])),
            values={"role": entry.role.code},
            note=tr("A refund limit set for this person is dropped with the old role."),
        )
        self.app.push_screen(form, self._after(lambda who: tr("{staff}: role changed", staff=who)))

    def action_rename(self) -> None:
        entry = self.chosen
        if entry is None:
            return
        ctx, user = self.pos.ctx, self.pos.user
        form = StaffFormScreen(
            tr("Names of {code}", code=entry.code),
            ("name", "name_en"),
            lambda v: staff_service.rename_staff(ctx, user, entry.code, v["name"], v["name_en"]),
            values={"name": entry.name, "name_en": entry.name_en},
        )
        self.app.push_screen(form, self._after(lambda who: tr("{staff}: names changed", staff=who)))

    def action_limit(self) -> None:
        entry = self.chosen
        if entry is None:
            return
        ctx, user = self.pos.ctx, self.pos.user

        def save(v: dict[str, str]) -> Staff:
            cents = parse_money(v["amount"]) if v["amount"].strip() else None
            return staff_service.set_refund_limit(ctx, user, entry.code, cents)

        cents = entry.refund_limit
        current = "" if cents is None else f"{cents // 100}.{cents % 100:02d}"
        form = StaffFormScreen(
            tr("Refund limit of {staff}", staff=self._person(entry)),
            ("amount",),
            save,
            values={"amount": current},
            note=tr("What they may refund without approval, in yuan; empty = their role's limit."),
        )
        self.app.push_screen(form, self._after(lambda who: tr("{staff}: refund limit changed", staff=who)))

    def action_back(self) -> None:
        self.app.pop_screen()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
