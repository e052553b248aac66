"""One small form for every staff change that needs typing: a new staff member, a PIN (reset by
a manager, or chosen at log in after a reset), a role, names, a refund limit. The caller names
the fields and gives the service call; a refusal keeps the form open with what was typed, the
cursor on the field at fault."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Generic, TypeVar

from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, Select, Static

from tui_pos import labels
from tui_pos.domain.errors import PosError
from tui_pos.domain.staff import Role
from tui_pos.i18n import tr
from tui_pos.ui.screens.base import PosModal
from tui_pos.ui.widgets.key_footer import KeyFooter
from tui_pos.ui.widgets.plain import Plain, plain

R = TypeVar("R")

# field -> its label (a catalogue key)
LABELS = {
    "code": "Staff code",
    "name": "Name",
    "name_en": "English name",
    "role": "Role",
    "pin": "New PIN",
    "pin2": "PIN again",
    "amount": "Refund limit",
}


class StaffFormScreen(PosModal[R | None], Generic[R]):
    """Dismisses with what `save` returned; Escape with None. Enter in a box goes to the next
    box, and saves from the last one."""

    CSS_PATH = "../styles/staff.tcss"
    BINDINGS = [
        Binding("enter", "enter", "Next / Save", priority=True),
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Back"),
        Binding("tab", "app.focus_next", "Next field"),
        Binding("shift+tab", "app.focus_previous", "Previous field", show=False),
    ]

    def __init__(
        self,
        title: str,
        fields: Sequence[str],
        save: Callable[[dict[str, str]], R],
        *,
        values: Mapping[str, str] | None = None,
        note: str = "",
    ) -> None:
        super().__init__()
        self.title_text = title  # shop data may be in it (a name): shown as text
        self.fields = list(fields)
        self.saver = save
        self.values = dict(values or {})
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="staff-form", classes="dialog"):
            yield Plain(self.title_text, id="staff-form-title")
            for key in self.fields:
                with Horizontal(classes="form-field"):
                    yield Label(tr(LABELS[key]), classes="form-label")
                    yield self._widget(key)
            yield Plain(self.note, id="staff-form-note")
            yield Plain("", id="staff-form-error", classes="error")
        yield from self.compose_banner()
        yield KeyFooter()

    def _widget(self, key: str) -> Input | Select[str]:
        value = self.values.get(key, "")
        if key == "role":
            roles = [(plain(labels.role(role)), role.code) for role in Role]
            return Select(roles, id="form-role", allow_blank=False, compact=True, value=value or Role.CASHIER.code)
        if key in ("pin", "pin2"):
            return Input(value, id=f"form-{key}", password=True, restrict=r"[0-9]*", max_length=8, compact=True)
        if key == "amount":
            return Input(value, id="form-amount", max_length=12, compact=True, placeholder=tr("empty = the role's"))
        return Input(value, id=f"form-{key.replace('_', '-')}", max_length=20 if key == "code" else 40, compact=True)

    def on_mount(self) -> None:
        boxes = self._boxes()
        (boxes[0] if boxes else self.query_one(Select)).focus()

    def _boxes(self) -> list[Input]:
        return list(self.query(Input).results(Input))

    def read(self) -> dict[str, str]:
        values: dict[str, str] = {}
        for key in self.fields:
            if key == "role":
                values[key] = str(self.query_one("#form-role", Select).value)
            else:
                values[key] = self.query_one(f"#form-{key.replace('_', '-')}", Input).value
        return values

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter picks from the open role list instead of saving."""
        if action == "enter":
            return not any(select.expanded for select in self.query(Select).results(Select))
        return True

    def action_enter(self) -> None:
        if isinstance(self.focused, Input):
            # through the box's own Submitted, after every key typed before the Enter
            raise SkipAction()
        self.action_save()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        boxes = self._boxes()
        if event.input in boxes and event.input is not boxes[-1]:
            boxes[boxes.index(event.input) + 1].focus()
        else:
            self.action_save()

    def action_save(self) -> None:
        values = self.read()
        if "pin2" in values and values["pin"] != values["pin2"]:
            self.show_error(tr("The two PINs differ; type the new PIN twice"))
            for key in ("pin", "pin2"):
                self.query_one(f"#form-{key}", Input).clear()
            self.query_one("#form-pin", Input).focus()
            return
        try:
            result = self.saver(values)
        except PosError as exc:
            self.show_error(exc.message)
            field = exc.field if exc.field in self.fields else None
            if field is not None:
                self.query_one(f"#form-{field.replace('_', '-')}").focus()
            return
        self.dismiss(result)

    def show_error(self, message: str) -> None:
        self.query_one("#staff-form-error", Static).update(plain(message))

    def action_cancel(self) -> None:
        self.dismiss(None)
