"""A live till with no printer set up, driven by keys: its header says so, a sale's receipt is
queued and the cashier is told so (never "printed"), and the first manager is told how to set
one up."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from tui_pos.services import printing
from tui_pos.ui.app import PosApp, make_app
from tui_pos.ui.screens.checkout import CheckoutScreen
from tui_pos.ui.screens.no_printer import NoPrinterScreen
from tui_pos.ui.screens.refund.confirm import ConfirmStep
from tui_pos.ui.screens.refund.pay_out import PayOutStep

from ui_helpers import log_in, scan, screen_text, type_text


@pytest.fixture
def live_app(ctx) -> Iterator[PosApp]:
    """The till as `tui-pos run` starts it on a shop whose config names no printer."""
    assert ctx.config.printer.backend == "none" and not ctx.config.training
    till = make_app(replace(ctx.config, language="en"))  # no printer handed in: the configured one
    till.offer_left_over = False
    yield till
    assert not till.unexpected, till.unexpected


def notices(app: PosApp) -> list[str]:
    return [n.message for n in app._notifications]


async def test_a_sale_without_a_printer_is_queued_not_printed(live_app, ctx):
    app = live_app
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "No printer" in screen_text(app)  # already on the login screen's header
        await log_in(pilot)  # a cashier: no printer setup offered
        assert isinstance(app.screen, CheckoutScreen)
        assert "No printer" in screen_text(app)

        await scan(pilot, "6901")
        await pilot.press("f4")
        await pilot.pause()
        await type_text(pilot, "50")
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()

        assert isinstance(app.screen, CheckoutScreen)
        order_no = app.last_sale.order_no
        status = str(app.screen.query_one("#status").content)
        assert status == "Receipt queued, not printed: no printer (1 waiting, Ctrl+P lists them)"
        shown = screen_text(app)
        assert "Receipt queued, not printed" in shown and "No printer: 1 to pr" in shown
        assert app.sub_title.endswith("No printer: 1 to print")
        assert "Ticket printed" not in shown
        assert not [text for text in notices(app) if "printed" in text.lower()]
        assert any("Cash drawer did not open" in text for text in notices(app))  # the drawer hangs off the printer

        # Ctrl+P lists the receipt, still to print
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert order_no in screen_text(app)

        # a refund of it: step 4 does not promise a voucher, step 5 says it waits
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        await type_text(pilot, order_no)
        await pilot.press("enter")
        await pilot.pause()
        for _step in range(3):
            await pilot.press("f9")
            await pilot.pause()
        assert isinstance(app.screen, ConfirmStep)
        shown = screen_text(app)
        assert "Press F9 to record the refund (the voucher waits: no printer)" in shown
        assert "print the voucher" not in shown
        await pilot.press("f9")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, PayOutStep)
        assert "Voucher printed" not in screen_text(app)

    kinds = sorted((job.kind, job.status) for job in printing.waiting_jobs(ctx))
    assert kinds == [("receipt", "queued"), ("refund", "queued")]  # the voucher is the refund's ticket


async def test_the_first_manager_is_told_how_to_set_up_a_printer(live_app):
    app = replace_language(live_app, "zh")
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "003", "3333")
        assert isinstance(app.screen, NoPrinterScreen)
        shown = screen_text(app)
        assert "本收银台未设置打印机" in shown and "tui-pos setup printer" in shown
        assert "未连接打印机" in shown  # the header under the dialog
        await pilot.press("enter")  # dismissed; the till works on
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen)

        app.logout()
        await pilot.pause()
        await log_in(pilot, "003", "3333")
        assert isinstance(app.screen, CheckoutScreen)  # told once, not at every log in


def replace_language(app: PosApp, language: str) -> PosApp:
    app.config = replace(app.config, language=language)
    return app
