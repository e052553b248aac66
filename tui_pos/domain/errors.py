"""Errors the rules raise; every message is fit to show a cashier."""

from typing import Self

from tui_pos.domain.text import without_controls
from tui_pos.i18n import tr


def _shown(value: object) -> object:
    """What was typed is echoed in messages: without its control characters, which a
    terminal would obey (an ESC sequence from a barcode scanner must not clear the screen)."""
    return without_controls(value) if isinstance(value, str) else value


class PosError(Exception):
    """Base of every error a cashier may see.

    Raised with an English template and its values; `message` is the text in the
    cashier's language, from the one catalogue in `tui_pos.i18n`.
    """

    field: str | None = None  # the form field at fault, if one is (e.g. "phone"); see `at`

    def __init__(self, template: str, **params: object) -> None:
        self.template = template
        self.params = {key: _shown(value) for key, value in params.items()}
        super().__init__(template.format(**self.params) if params else template)

    @property
    def message(self) -> str:
        return tr(self.template, **self.params)

    def at(self, field: str) -> Self:
        """Name the field at fault, so that a form can put the cursor there:
        `raise InvalidInput("Enter a name").at("name")`."""
        self.field = field
        return self


class InvalidInput(PosError):
    """A typed value that cannot be used (amount, quantity, barcode...)."""


class NotFound(PosError):
    """Nothing matches what was typed or scanned."""


class Conflict(PosError):
    """The value is already taken (duplicate phone, card no...)."""


class PaymentError(PosError):
    """A tender cannot be taken as entered."""


class InsufficientPermission(PosError):
    """The acting staff member's role may not do this."""


class AuthError(PosError):
    """Wrong staff code or PIN, or the code is locked."""


class RefundNotAllowed(PosError):
    """The refund policy forbids this refund."""


class NeedsApproval(PosError):
    """A supervisor or manager has to approve; `reasons` says why."""

    def __init__(self, template: str, reasons: tuple[str, ...] = (), **params: object) -> None:
        super().__init__(template, **params)
        self.reasons = reasons


class DatabaseGone(PosError):
    """The database file was replaced (a restore) or removed while this till had it open."""


class StoreBusy(PosError):
    """The database stayed locked by another till; retrying is safe."""


class StorageFault(PosError):
    """The disk or the database file failed under a write (full, read-only, gone, damaged):
    the transaction was rolled back, so nothing was saved and retrying is safe once fixed."""
