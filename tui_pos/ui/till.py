"""What a screen may ask of the till application, as a protocol.

Screens are opened by the app, so they cannot import it back without closing an import
circle; they see the app through `Till` instead (`PosScreen.pos`), and mypy checks in
app.py that `PosApp` really is one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from textual.message_pump import MessagePump

    from tui_pos.config import Config
    from tui_pos.domain.basket import Basket
    from tui_pos.domain.staff import Staff
    from tui_pos.services.checkout import SaleResult
    from tui_pos.services.context import Context
    from tui_pos.services.exchange import ExchangeCredit


class ReportsUnexpected(Protocol):
    """Where a bug caught in a screen goes: the log and an error dialog, not a traceback."""

    def report_unexpected(self, exc: BaseException, *, restart_screen: bool = False) -> None: ...


class Till(ReportsUnexpected, Protocol):
    """The shared state and the routing a screen uses; Textual's own App API stays on `app`."""

    config: Config
    has_printer: bool  # False: a live till with no printer set up (tickets wait in the queue)
    last_sale: SaleResult | None
    exchange_credit: ExchangeCredit | None

    @property
    def ctx(self) -> Context: ...

    @property
    def user(self) -> Staff: ...

    @property
    def basket(self) -> Basket: ...

    def login(self, staff: Staff) -> None: ...

    def logout(self, note: str = "") -> None: ...

    def start_selling(self) -> None: ...

    def start_print(self, job_id: int, *, kick_drawer: bool = False, reply_to: MessagePump | None = None) -> None: ...

    def print_waiting(self, reply_to: MessagePump) -> None: ...

    def open_drawer(self, reason: str, reply_to: MessagePump) -> object: ...
