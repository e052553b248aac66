"""Small helpers for driving the till with the keyboard and reading what it printed."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from textual import events
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key
from textual.pilot import Pilot

from tui_pos.devices.printer import TrainingPrinter
from tui_pos.domain.basket import Basket
from tui_pos.domain.tenders import TenderKind
from tui_pos.services import catalog, checkout, members
from tui_pos.services import staff as staff_service
from tui_pos.services.checkout import SaleResult
from tui_pos.services.context import Context
from tui_pos.ui.app import PosApp, make_app

from escpos_helpers import strip_escpos  # noqa: F401 (re-exported for the UI tests)


def sell(ctx, items: dict[str, int], *, member: str | None = None, ago: timedelta = timedelta(0)) -> SaleResult:
    """A cash sale recorded through the service (by cashier 001), `ago` in the past."""
    when = datetime.now().replace(microsecond=0) - ago
    at = Context(ctx.config, lambda: when)
    basket = Basket()
    for code, qty in items.items():
        basket.add(catalog.product_for_scan(code), qty)
    if member:
        basket.attach(members.find_one(member))
    plan = checkout.new_plan(at, basket)
    plan.add(TenderKind.CASH, plan.due)
    return checkout.complete_sale(at, staff_service.login(ctx, "001", "1111"), basket, plan)


async def type_text(pilot: Pilot, text: str) -> None:
    """Type like a keyboard (or a barcode scanner) would, one key at a time."""
    await pilot.press(*text)


async def burst(pilot: Pilot, *keys: str) -> None:
    """Keys as a terminal delivers a scanner's code or a fast typist's keys: all of them in the
    app's queue before the first is handled (`pilot.press` waits for the app after each key).
    Single characters type themselves ("-" is the minus key); names ("f5", "enter") are keys."""
    app = pilot.app
    for name in keys:
        key = _character_to_key(name) if len(name) == 1 and not name.isalnum() else name
        try:
            char: str | None = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
        except KeyError:
            char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(app)
        app.post_message(event)
    for _ in range(3):
        await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


def screen_text(app: PosApp) -> str:
    """What the terminal shows of the current screen (a dialog: the dialog), line by line."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def scan(pilot: Pilot, code: str) -> None:
    await type_text(pilot, code)
    await pilot.press("enter")
    await pilot.pause()


async def log_in(pilot: Pilot, code: str = "001", pin: str = "1111") -> None:
    await pilot.pause()
    await type_text(pilot, code)
    await pilot.press("enter")
    await type_text(pilot, pin)
    await pilot.press("enter")
    await pilot.pause()


# Fixtures shared by the UI tests, loaded as a plugin by tests/conftest.py (a conftest.py here
# would shadow tests/conftest.py for modules that `from conftest import ...`).
@pytest.fixture
def printer() -> TrainingPrinter:
    return TrainingPrinter()


@pytest.fixture
def app(ctx, printer) -> Iterator[PosApp]:
    """`ctx` has seeded the database; the app opens the same file again, as the CLI would."""
    till = make_app(replace(ctx.config, language="en"), printer=printer)
    till.offer_left_over = False  # the tests' history is recorded through services, never printed
    yield till
    assert not till.unexpected, till.unexpected  # a bug the till caught and showed is still a bug
