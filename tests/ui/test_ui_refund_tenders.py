"""Step 3 to 5 of the refund wizard say the policy that applied: where the money goes back (stored
value onto the balance, not 'hand over cash'), earned points already spent, cash for card money."""

from __future__ import annotations

from tui_pos.domain.basket import Basket
from tui_pos.domain.tenders import TenderKind
from tui_pos.services import catalog, checkout, members
from tui_pos.services import staff as staff_service
from tui_pos.store.models import MemberRow, PaymentRow, ProductRow, RefundRow
from tui_pos.ui.screens.refund import ConfirmStep, PayOutStep, ReviewStep

from ui_helpers import log_in, type_text


def sell_by(ctx, price: int, tender: TenderKind, reference: str = "", member: str | None = "M000001") -> str:
    """One notebook at `price`, paid all by `tender`; its order no."""
    ProductRow.update(price=price).where(ProductRow.barcode == "6903").execute()
    basket = Basket()
    basket.add(catalog.product_for_scan("6903"), 1)
    if member:
        basket.attach(members.find_one(member))
    plan = checkout.new_plan(ctx, basket)
    plan.add(tender, plan.due, reference)
    return checkout.complete_sale(ctx, staff_service.login(ctx, "001", "1111"), basket, plan).order_no


async def to_review(pilot, order_no: str) -> None:
    await pilot.press("f8")
    await pilot.pause()
    await type_text(pilot, order_no)
    await pilot.press("enter", "f9", "f9")  # find the order; every line; step 3
    await pilot.pause()
    assert isinstance(pilot.app.screen, ReviewStep)


def text(app, selector: str) -> str:
    return str(app.screen.query_one(selector).content)


async def test_stored_value_goes_back_to_the_balance_with_the_default_keys(ctx, app, printer):
    """F9 four times on a ￥50 stored-value sale: no cash, the balance is credited."""
    order_no = sell_by(ctx, 5000, TenderKind.STORED_VALUE)
    balance = MemberRow.get(MemberRow.card_no == "M000001").balance
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await to_review(pilot, order_no)
        quote = text(app, "#quote")
        assert "Refund via: Stored value" in quote
        assert "Credit ￥50.00 to the member's stored value" in text(app, "#figure")
        await pilot.press("ctrl+t")  # nothing else the policy allows for stored value
        await pilot.pause()
        assert "only the way it was paid" in text(app, "#error")
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmStep) and not app.screen.query_one("#approval").display
        await pilot.press("f9")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, PayOutStep)
        payout = text(app, "#payout")
        assert "Credit ￥50.00 to the member's stored value" in payout
        assert "cash" not in payout.lower()
        assert printer.drawer_kicks == 0
        refund_no = app.screen.state.result.refund_no
    row = RefundRow.get(RefundRow.refund_no == refund_no)
    assert [(p.tender, p.amount) for p in PaymentRow.select().where(PaymentRow.refund == row)] == [
        ("stored_value", -5000)
    ]
    assert MemberRow.get(MemberRow.card_no == "M000001").balance == balance + 5000


async def test_step_3_and_the_policy_page_say_the_spent_points_deducted(ctx, app):
    """￥100 earned 100 points; the member spent all but 29 elsewhere: 71 fen come off the refund."""
    order_no = sell_by(ctx, 10000, TenderKind.CASH)
    MemberRow.update(points=29).where(MemberRow.card_no == "M000001").execute()
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await to_review(pilot, order_no)
        quote = text(app, "#quote")
        assert "Points taken back: -29" in quote
        assert "Points already spent: -￥0.71" in quote
        assert "Policy allows: ￥99.29" in quote
        assert "Hand over ￥99.29 in cash" in text(app, "#figure")
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("end")
        await pilot.pause()
        policy = text(app, "#policy")
        assert "Earned points the member already spent: their value comes off the money refunded." in policy
        assert "Paid by Stored value: back by Stored value." in policy
        assert "Paid by Card: back by Card. Or by Cash. Cash only with a supervisor's approval, and flagged." in policy


async def test_cash_for_a_card_payment_asks_a_supervisor(ctx, app):
    order_no = sell_by(ctx, 3000, TenderKind.CARD, "TXN 42", member=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await to_review(pilot, order_no)
        assert "Refund ￥30.00 via Card" in text(app, "#figure")
        assert "Needs approval" not in text(app, "#quote")
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert "Hand over ￥30.00 in cash" in text(app, "#figure")
        assert "Needs approval: Cash back for money not paid in cash" in text(app, "#quote")
        assert "Paid by Card: ￥30.00 back by Cash" in text(app, "#quote")
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmStep) and app.screen.query_one("#approval").display
        assert "A supervisor must approve: Cash back for money not paid in cash" in text(app, "#approval-why")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+t")  # back to the card
        await pilot.pause()
        assert "Refund ￥30.00 via Card" in text(app, "#figure")
