"""Small helpers for driving the till with the keyboard and reading what it printed."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from textual.pilot import Pilot

from tui_pos.devices.printer import TrainingPrinter
from tui_pos.domain.basket import Basket
from tui_pos.domain.tenders import TenderKind
from tui_pos.services import catalog, checkout, members
from tui_pos.services import staff as staff_service
from tui_pos.services.checkout import SaleResult
from tui_pos.services.context import Context
from tui_pos.ui.app import PosApp, make_app

ESC, GS, FS = 0x1B, 0x1D, 0x1C
# command byte -> number of parameter bytes, for the ESC/POS commands the renderer emits
ESC_ARGS = {ord("@"): 0, ord("a"): 1, ord("E"): 1, ord("d"): 1, ord("p"): 3, ord("!"): 1}
GS_ARGS = {ord("!"): 1, ord("h"): 1, ord("w"): 1, ord("f"): 1, ord("H"): 1, ord("V"): 1}
FS_ARGS = {ord("&"): 0, ord("."): 0}


def strip_escpos(data: bytes) -> bytes:
    """The printable text of an ESC/POS job: control sequences (and barcode data) removed."""
    out = bytearray()
    i = 0
    while i < len(data):
        byte = data[i]
        if byte in (ESC, FS) or byte == GS:
            command = data[i + 1]
            if byte == GS and command == ord("k"):  # GS k m n d1..dn (function B)
                i += 4 + data[i + 3]
                continue
            if byte == GS and command == ord("("):  # GS ( k pL pH ...
                i += 5 + data[i + 3] + 256 * data[i + 4]
                continue
            table = {ESC: ESC_ARGS, GS: GS_ARGS, FS: FS_ARGS}[byte]
            if command not in table:
                raise AssertionError(f"unexpected control sequence {data[i:i + 4]!r} at {i}")
            i += 2 + table[command]
            continue
        out.append(byte)
        i += 1
    return bytes(out)


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


# Fixtures shared by the UI tests (imported by name into each test module; a conftest.py
# here would shadow tests/conftest.py for modules that `from conftest import ...`).
@pytest.fixture
def printer() -> TrainingPrinter:
    return TrainingPrinter()


@pytest.fixture
def app(ctx, printer) -> PosApp:
    """`ctx` has seeded the database; the app opens the same file again, as the CLI would."""
    return make_app(replace(ctx.config, language="en"), printer=printer)
