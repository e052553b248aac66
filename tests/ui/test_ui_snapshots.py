"""What the cashier sees, screen by screen, at 80x24: zh-CN, English, and the bare Linux console
(TERM=linux, 16 colours). Each picture is an SVG under tests/ui/__snapshots__/test_ui_snapshots/,
named Class.test[look].svg; open one in a browser to review a screen.

Every test reaches its screen by keys only, the way a cashier would, in a shop with fixed data and
the till's clock at Sunday 2026-11-22 10:00 (tests/ui/snapshot_shop.py). After a change to a
screen, look at the report pytest prints for the pictures that changed; once they show what a
cashier should see, `pytest tests/ui/test_ui_snapshots.py --snapshot-update` keeps the new ones.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path

import pytest
from textual import events
from textual.keys import _character_to_key
from textual.pilot import Pilot
from textual.widgets import Input

from tui_pos.devices.printer import Printer, PrinterError
from tui_pos.services import catalog
from tui_pos.store import audit
from tui_pos.store.audit import Anchor

from snapshot_shop import BIG_ORDER, COLA, GOLD_CARD, MILK, PINS, TISSUE, Look, TillFactory

SIZE = (80, 24)
Keys = Callable[[Pilot], Awaitable[None]]


@pytest.fixture(autouse=True)
def steady_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """A box's cursor blinks on a timer; a picture taken half a second later would lose it. It
    stays on (Textual still hides it when the box loses focus)."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


async def settle(pilot: Pilot) -> None:
    """A ticket printing in the background (a worker thread): until it is done and the screen
    has heard back. `pilot.press` itself waits for the keys' own handlers."""
    if pilot.app.workers:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


class Typed(str):
    """Text typed in one go, as a barcode scanner (or a quick typist) sends it: every key in the
    till's queue before the first is handled. Pressing them one by one waits for the app after
    each key, which for a 13-digit barcode takes a second of the test's time."""


def type_in(pilot: Pilot, text: str) -> None:
    """The keys join the app's queue; the next key pressed (or the picture) waits for them."""
    app = pilot.app
    for char in text:
        event = events.Key(char if char.isalnum() else _character_to_key(char), char)
        event.set_sender(app)
        app.post_message(event)


Step = str | Typed | Iterable[str]


def log_in(code: str = "001") -> list[str]:
    return [Typed(code), "enter", Typed(PINS[code]), "enter"]


def keys(*steps: Step) -> Keys:
    """What the cashier presses, in order: key names ('f8', 'enter', 'ctrl+o') and Typed text,
    alone or in lists. The till settles after each, so a ticket printing is done before the next."""
    pressed: list[str] = []
    for step in steps:
        pressed.extend([step] if isinstance(step, str) else step)

    async def press(pilot: Pilot) -> None:
        await pilot.pause()
        for key in pressed:
            if isinstance(key, Typed):
                type_in(pilot, key)
            else:
                await pilot.press(key)
                await settle(pilot)

    return press


BASKET = [Typed(COLA), "enter", Typed(MILK), "enter", Typed(TISSUE), "enter"]
WITH_GOLD_MEMBER = [*BASKET, "f2", Typed(GOLD_CARD), "enter"]


class TestLoginSnapshots:
    def test_login(self, snap_compare, snapshot_till: TillFactory):
        assert snap_compare(snapshot_till(), terminal_size=SIZE, run_before=keys())


class TestCheckoutSnapshots:
    def test_empty(self, snap_compare, snapshot_till: TillFactory):
        assert snap_compare(snapshot_till(), terminal_size=SIZE, run_before=keys(log_in()))

    def test_three_lines_and_a_gold_member(self, snap_compare, snapshot_till: TillFactory):
        assert snap_compare(snapshot_till(), terminal_size=SIZE, run_before=keys(log_in(), WITH_GOLD_MEMBER))

    def test_quantity_dialog(self, snap_compare, snapshot_till: TillFactory):
        run = keys(log_in(), WITH_GOLD_MEMBER, "f5", "backspace", Typed("3"))
        assert snap_compare(snapshot_till(), terminal_size=SIZE, run_before=run)

    def test_pay_dialog_with_a_tender(self, snap_compare, snapshot_till: TillFactory):
        """10.00 from stored value taken, 50 typed for the cash the customer hands over."""
        run = keys(log_in(), WITH_GOLD_MEMBER, "f4", Typed("10"), "v", Typed("50"))
        assert snap_compare(snapshot_till(), terminal_size=SIZE, run_before=run)

    def test_after_the_sale(self, snap_compare, snapshot_till: TillFactory):
        """Paid 50 in cash: the order no., the change and the points earned, the receipt printed."""
        run = keys(log_in(), WITH_GOLD_MEMBER, "f4", Typed("50"), "enter")
        assert snap_compare(snapshot_till(), terminal_size=SIZE, run_before=run)

    def test_help(self, snap_compare, snapshot_till: TillFactory):
        assert snap_compare(snapshot_till(), terminal_size=SIZE, run_before=keys(log_in(), BASKET, "f1"))


class TestMemberSnapshots:
    def test_lookup_with_results(self, snap_compare, snapshot_till: TillFactory):
        """The last four digits of a phone shared by two members."""
        assert snap_compare(snapshot_till(), terminal_size=SIZE, run_before=keys(log_in(), "f2", Typed("1380")))

    def test_profile(self, snap_compare, snapshot_till: TillFactory):
        run = keys(log_in(), "f2", Typed(GOLD_CARD), "f4")
        assert snap_compare(snapshot_till(), terminal_size=SIZE, run_before=run)

    def test_new_member_form(self, snap_compare, snapshot_till: TillFactory):
        run = keys(log_in(), "f2", Typed("13912345678"), "f3")
        assert snap_compare(snapshot_till(), terminal_size=SIZE, run_before=run)


class TestProductSearchSnapshots:
    def test_results(self, snap_compare, snapshot_till: TillFactory):
        """Pinyin initials: kl (可乐, 巧克力...)."""
        assert snap_compare(snapshot_till(), terminal_size=SIZE, run_before=keys(log_in(), "f3", Typed("kl")))


class TestRefundWizardSnapshots:
    """The cash refund of a 213.70 order, all of it: over a cashier's limit, so step 4 asks for a
    supervisor, who types their code and PIN there."""

    FIND = ("f8", Typed(BIG_ORDER), "enter")

    def test_step_1_order_found(self, snap_compare, snapshot_till: TillFactory):
        assert snap_compare(snapshot_till(), terminal_size=SIZE, run_before=keys(log_in(), self.FIND))

    def test_step_2_choose_lines(self, snap_compare, snapshot_till: TillFactory):
        run = keys(log_in(), self.FIND, "f9", "down", "minus")
        assert snap_compare(snapshot_till(), terminal_size=SIZE, run_before=run)

    def test_step_3_review(self, snap_compare, snapshot_till: TillFactory):
        run = keys(log_in(), self.FIND, "f9", "f9")
        assert snap_compare(snapshot_till(), terminal_size=SIZE, run_before=run)

    def test_step_4_needs_approval(self, snap_compare, snapshot_till: TillFactory):
        run = keys(log_in(), self.FIND, "f9", "f9", "f9")
        assert snap_compare(snapshot_till(), terminal_size=SIZE, run_before=run)

    def test_step_5_pay_out(self, snap_compare, snapshot_till: TillFactory):
        run = keys(log_in(), self.FIND, "f9", "f9", "f9", Typed("002"), "enter", Typed(PINS["002"]), "enter")
        assert snap_compare(snapshot_till(), terminal_size=SIZE, run_before=run)

    def test_policy_page(self, snap_compare, snapshot_till: TillFactory):
        assert snap_compare(snapshot_till(), terminal_size=SIZE, run_before=keys(log_in(), self.FIND, "f2"))

    def test_no_receipt(self, snap_compare, snapshot_till: TillFactory):
        """F7 on step 1: the goods scanned at today's price."""
        run = keys(log_in(), "f8", "f7", Typed(COLA), "enter", Typed(TISSUE), "enter")
        assert snap_compare(snapshot_till(), terminal_size=SIZE, run_before=run)


class TestRefundRecordSnapshots:
    def test_refund_list(self, snap_compare, snapshot_till: TillFactory):
        assert snap_compare(snapshot_till(), terminal_size=SIZE, run_before=keys(log_in(), "f8", "f4"))

    def test_refund_awaiting_approval(self, snap_compare, snapshot_till: TillFactory):
        """The newest refund: a lowered amount, parked for a supervisor, with the cashier's note."""
        run = keys(log_in(), "f8", "f4", "tab", "enter")
        assert snap_compare(snapshot_till(), terminal_size=SIZE, run_before=run)

    def test_order_detail(self, snap_compare, snapshot_till: TillFactory):
        """李娜's order from her profile: its lines and the refund waiting on it."""
        run = keys(log_in(), "f2", Typed("M000003"), "f4", "enter")
        assert snap_compare(snapshot_till(), terminal_size=SIZE, run_before=run)


# The drawer holds 709.70: float 500 + cash sales 14.00 and 213.70 - refund 3.00 - paid out 15.00.
DRAWER_COUNT = "100x7 5x1 1x4 0.5x1 0.1x2"


class TestShiftSnapshots:
    def test_x_report(self, snap_compare, snapshot_till: TillFactory):
        assert snap_compare(snapshot_till(), terminal_size=SIZE, run_before=keys(log_in(), "ctrl+o"))

    def test_paid_out_dialog(self, snap_compare, snapshot_till: TillFactory, snapshot_look: Look):
        reason = "打印纸" if snapshot_look.language == "zh" else "Printer paper"
        run = keys(log_in(), "ctrl+o", "f7", Typed("20"), "enter", Typed(reason))
        assert snap_compare(snapshot_till(), terminal_size=SIZE, run_before=run)

    def test_close_shift_count(self, snap_compare, snapshot_till: TillFactory):
        """Counted by notes and coins; a parked refund still waits (Ctrl+K carries it over)."""
        run = keys(log_in(), "ctrl+o", "f9", Typed(DRAWER_COUNT))
        assert snap_compare(snapshot_till(), terminal_size=SIZE, run_before=run)

    def test_z_report(self, snap_compare, snapshot_till: TillFactory, monkeypatch: pytest.MonkeyPatch):
        # the audit line's hash is keyed by a key made with the shop and the entries' times: fixed here
        monkeypatch.setattr(audit, "head", lambda: Anchor(1234, "9f3a1c2e"))
        run = keys(log_in(), "ctrl+o", "f9", Typed(DRAWER_COUNT), "ctrl+k", "enter")
        assert snap_compare(snapshot_till(), terminal_size=SIZE, run_before=run)

    def test_open_the_next_shift(self, snap_compare, snapshot_till: TillFactory):
        """After the close, the next cashier logs in and counts the float."""
        run = keys(
            log_in(), "ctrl+o", "f9", Typed(DRAWER_COUNT), "ctrl+k", "enter", "enter", log_in("002"), Typed("500")
        )
        assert snap_compare(snapshot_till(), terminal_size=SIZE, run_before=run)

    def test_day_summary(self, snap_compare, snapshot_till: TillFactory):
        """A supervisor's view of the day across tills."""
        assert snap_compare(snapshot_till(), terminal_size=SIZE, run_before=keys(log_in("002"), "ctrl+o", "f3"))


class TestRefundReportSnapshots:
    """The manager's refund reports over the last 90 days."""

    def test_by_product(self, snap_compare, snapshot_till: TillFactory):
        assert snap_compare(snapshot_till(), terminal_size=SIZE, run_before=keys(log_in("003"), "ctrl+o", "f4"))

    def test_worth_a_look(self, snap_compare, snapshot_till: TillFactory):
        run = keys(log_in("003"), "ctrl+o", "f4", "f5")
        assert snap_compare(snapshot_till(), terminal_size=SIZE, run_before=run)


class TestStaffSnapshots:
    """The manager's staff list (Ctrl+O, F2) and its form for a new staff member."""

    def test_staff_list(self, snap_compare, snapshot_till: TillFactory):
        assert snap_compare(snapshot_till(), terminal_size=SIZE, run_before=keys(log_in("003"), "ctrl+o", "f2"))

    def test_add_staff_form(self, snap_compare, snapshot_till: TillFactory):
        run = keys(log_in("003"), "ctrl+o", "f2", "f2", Typed("004"), "enter")
        assert snap_compare(snapshot_till(), terminal_size=SIZE, run_before=run)


class OfflinePrinter(Printer):
    """A printer whose cable came out."""

    def send(self, data: bytes) -> None:
        raise PrinterError("Printer offline: unplugged - check the cable, then print again", hint="USB 0416:5011")


class TestPrintQueueSnapshots:
    def test_a_ticket_waiting(self, snap_compare, snapshot_till: TillFactory):
        """The printer went offline during a sale (paid by WeChat Pay: no drawer to open, whose
        failure would be a passing notice): the receipt waits, with the reason."""
        app = snapshot_till(printer=OfflinePrinter())
        run = keys(log_in(), Typed(COLA), "enter", "f4", "w", "enter", "ctrl+p")
        assert snap_compare(app, terminal_size=SIZE, run_before=run)


class TestTillSnapshots:
    def test_error_dialog(self, snap_compare, snapshot_till: TillFactory, monkeypatch: pytest.MonkeyPatch):
        """A bug behind a key: the dialog names it, the basket stays."""

        def broken(*args: object) -> None:
            raise OSError(5, "Input/output error")

        app = snapshot_till()
        # the dialog names the log file: a shop's, not this test's temporary folder (the log goes there)
        app.log_path = Path("/home/till/.local/share/tui-pos/tui-pos.log")
        run = keys(log_in(), Typed(COLA), "enter")

        async def then_the_bug(pilot: Pilot) -> None:
            await run(pilot)
            monkeypatch.setattr(catalog, "product_for_scan", broken)
            await keys(Typed(MILK), "enter")(pilot)
            app.unexpected.clear()  # shown on purpose

        assert snap_compare(app, terminal_size=SIZE, run_before=then_the_bug)

    def test_quit_asks_first(self, snap_compare, snapshot_till: TillFactory):
        run = keys(log_in(), BASKET, "ctrl+q")
        assert snap_compare(snapshot_till(), terminal_size=SIZE, run_before=run)

    def test_training_banner(self, snap_compare, snapshot_till: TillFactory):
        """Training mode: the banner on every screen, the receipt shown instead of printed."""
        run = keys(log_in(), Typed(COLA), "enter", "f4", Typed("10"), "enter")
        assert snap_compare(snapshot_till(training=True), terminal_size=SIZE, run_before=run)
