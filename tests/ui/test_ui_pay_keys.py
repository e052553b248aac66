"""The payment dialog a first-day cashier can use: the order of the keys is on the dialog and in
its F1 page; amount then tender letter takes the amount in that tender, or says why not and keeps
it; `s` takes exactly the cash typed; Escape with tenders taken asks first; nothing is recorded
before the sale completes."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tui_pos.i18n import set_language
from tui_pos.services import checkout, members
from tui_pos.ui.app import make_app
from tui_pos.ui.screens.checkout import CheckoutScreen
from tui_pos.ui.screens.confirm import ConfirmScreen
from tui_pos.ui.screens.help import HelpScreen
from tui_pos.ui.screens.pay import PayScreen

from ui_helpers import burst, log_in, scan, screen_text, type_text


def pay_error(app) -> str:
    return str(app.screen.query_one("#pay-error").content)


def amount(app) -> str:
    return app.screen.query_one("#pay-amount").value


def balance() -> int:
    return members.find_one("M000001").balance


async def with_member(pilot) -> None:
    await log_in(pilot)
    await pilot.press("f2")
    await type_text(pilot, "1234")
    await pilot.press("enter")
    await pilot.pause()


async def test_amount_then_tender_letter_takes_it_in_that_tender(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await with_member(pilot)
        await scan(pilot, "3*6902")  # 3 x 12.99, less the member's discount
        await burst(pilot, "f4", "1", "0", "v")  # as fast as a cashier types it
        assert isinstance(app.screen, PayScreen)
        plan = app.screen.plan
        assert [(t.kind.value, t.amount) for t in plan.tenders] == [("stored_value", 1000)]
        assert pay_error(app) == ""
        rest = plan.remaining
        assert amount(app) == f"{rest // 100}.{rest % 100:02d}"  # the rest, suggested in cash
        await pilot.press("w")  # a letter before typing picks the tender and suggests the rest
        await pilot.pause()
        assert plan.paid == 1000 and app.screen.kind.value == "wechat"
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen)
        sale = checkout.sale_by_order_no(app.last_sale.order_no)
    assert [(p.tender, p.amount) for p in sale.payments] == [("stored_value", 1000), ("wechat", rest)]
    assert balance() == 10000 - 1000


async def test_a_tender_that_cannot_take_the_amount_says_why_and_keeps_it(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await scan(pilot, "6902")  # 12.99, no member
        await pilot.press("f4", "1", "0", "v")
        await pilot.pause()
        assert "Attach a member" in pay_error(app)
        assert amount(app) == "10" and app.screen.plan.paid == 0  # not reset to 12.99
        await pilot.press("c")  # the same 10 in cash: less than due, said, kept
        await pilot.pause()
        assert "Cash given is less than due (12.99)" in pay_error(app)
        assert amount(app) == "10" and app.screen.plan.paid == 0
        await pilot.press("k")  # by card it can go
        await pilot.pause()
        assert [(t.kind.value, t.amount) for t in app.screen.plan.tenders] == [("card", 1000)]
        assert amount(app) == "2.99"


async def test_part_cash_takes_exactly_what_was_typed(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await scan(pilot, "6902")  # 12.99
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press("s")  # nothing typed: the suggested 12.99 is not the customer's cash
        await pilot.pause()
        assert isinstance(app.screen, PayScreen) and app.screen.plan.paid == 0
        assert "Type the cash the customer gives first" in pay_error(app)
        await pilot.press("2", "0", "s")  # more than is left: refused, not taken with change
        await pilot.pause()
        assert app.screen.plan.paid == 0 and amount(app) == "20"
        assert "Part cash cannot be more than what is left (12.99)" in pay_error(app)
        await pilot.press("backspace", "backspace", "5", "s")
        await pilot.pause()
        assert [(t.amount, t.given) for t in app.screen.plan.tenders] == [(500, 500)]
        assert amount(app) == "7.99"
        await pilot.press("1", "0", "enter")  # the rest in cash, with change
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen)
        sale = checkout.sale_by_order_no(app.last_sale.order_no)
    assert [(p.tender, p.amount, p.given) for p in sale.payments] == [("cash", 500, 500), ("cash", 799, 1000)]


async def test_escape_with_tenders_taken_lists_them_and_asks_first(ctx, app):
    async with app.run_test(size=(80, 24)) as pilot:
        await with_member(pilot)
        await scan(pilot, "3*6902")
        await burst(pilot, "f4", *"10", "v", *"20", "w", "escape")
        assert isinstance(app.screen, ConfirmScreen)
        question = screen_text(app)
        assert "Leave the payment?" in question
        assert "Stored value ￥10.00" in question and "WeChat Pay ￥20.00" in question
        await pilot.press("escape")  # no: back to the payment, the tenders still there
        await pilot.pause()
        assert isinstance(app.screen, PayScreen)
        assert [(t.kind.value, t.amount) for t in app.screen.plan.tenders] == [("stored_value", 1000), ("wechat", 2000)]
        await pilot.press("escape", "enter")  # yes: back to the sale
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen)
        assert len(app.basket.lines) == 1 and app.last_sale is None
        assert checkout.last_order_no(ctx) is None  # nothing recorded
    assert balance() == 10000  # nothing taken from the stored value


async def test_escape_with_nothing_taken_leaves_at_once(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await scan(pilot, "6902")
        await burst(pilot, "f4", "escape")
        assert isinstance(app.screen, CheckoutScreen)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["1. Type the amount", "2. Press the tender's letter", "Typing 10 then v takes 10.00"]),
        ("zh", ["1. 输入金额", "2. 按付款方式字母", "先输入 10 再按 v"]),
    ],
)
async def test_the_order_of_keys_is_on_the_dialog_and_its_help_page(ctx, language, words):
    app = make_app(replace(ctx.config, language=language))
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await log_in(pilot)
            await scan(pilot, "6902")
            await pilot.press("f4")
            await pilot.pause()
            dialog = screen_text(app)
            assert words[0] in dialog and words[1] in dialog
            await pilot.press("f1")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen)
            note = "".join(screen_text(app).replace("│", "").split())  # wrapped lines joined again
            assert "".join(words[2].split()) in note
    finally:
        set_language("en")
