"""A chain's till by keys: stored value refused in the pay dialog while head office is out of
reach (cash still pays); at store 02 a member of store 01 found at head office with F2 and
Enter, sold to, and their profile (F4) listing both stores' purchases with the store's code."""

from __future__ import annotations

from dataclasses import replace

import pytest
from tests.sync.chain import closed_port, make_shop, refund_all

from tui_pos.devices.printer import TrainingPrinter
from tui_pos.domain.basket import Basket
from tui_pos.domain.tenders import TenderKind
from tui_pos.services import catalog, checkout, head_office, members
from tui_pos.services import staff as staff_service
from tui_pos.services.context import close_shop
from tui_pos.services.sync import sync_once
from tui_pos.store.models import MemberRow, SaleRow
from tui_pos.ui.app import make_app
from tui_pos.ui.screens.checkout import CheckoutScreen
from tui_pos.ui.screens.member_profile import MemberProfileScreen
from tui_pos.ui.screens.members import MembersScreen
from tui_pos.ui.screens.pay import PayScreen

from conftest import PINS
from ui_helpers import log_in, scan, screen_text, type_text

OFFLINE = "Stored value and points need the link to head office: choose another tender"


@pytest.fixture(autouse=True)
def _hang_up():
    yield
    head_office.close()


def pay_error(app) -> str:
    return str(app.screen.query_one("#pay-error").content)


def rows(table) -> list[list[str]]:
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_stored_value_is_refused_in_the_pay_dialog_offline_and_cash_pays(ctx):
    url = f"postgresql://store01@127.0.0.1:{closed_port()}/chain"
    app = make_app(
        replace(ctx.config, language="en", central=replace(ctx.config.central, url=url)), printer=TrainingPrinter()
    )
    app.offer_left_over = False
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot)
        await scan(pilot, "6902")  # 12.99, 12.34 for a gold member
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, MembersScreen)
        await type_text(pilot, "M000001")
        await pilot.press("enter")  # found here; head office cannot be asked for the balance
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen) and app.basket.member.card_no == "M000001"
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, PayScreen)

        await pilot.press("v")  # stored value picked before an amount
        await pilot.pause()
        assert pay_error(app) == OFFLINE
        assert "Stored value and points need the link to head office: choose another" in screen_text(app)
        assert app.screen.kind is TenderKind.CASH  # still cash
        await type_text(pilot, "5")
        await pilot.press("p")  # 5.00 in points, typed first
        await pilot.pause()
        assert pay_error(app) == OFFLINE
        assert app.screen.plan.paid == 0 and app.screen.query_one("#pay-amount").value == "5"  # what was typed stays
        await pilot.press("w")  # another tender takes it
        await pilot.pause()
        assert app.screen.plan.paid == 500 and pay_error(app) == ""
        await pilot.press("enter")  # the rest in cash
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, CheckoutScreen)
        order_no = app.last_sale.order_no
    sale = checkout.sale_by_order_no(order_no)
    assert [(p.tender, p.amount) for p in sale.payments] == [("wechat", 500), ("cash", 1234 - 500)]
    assert sale.member_card == "M000001"
    assert MemberRow.get(MemberRow.card_no == "M000001").balance == 10000  # no stored value taken
    assert not app.unexpected, app.unexpected


async def test_store_02_finds_a_member_of_store_01_by_keys_and_sees_both_stores_purchases(central, tmp_path):
    a = make_shop(tmp_path, "01", central.url)
    b = make_shop(tmp_path, "02", central.url)
    with a.open() as ctx:
        who = staff_service.login(ctx, "001", PINS["001"])
        member = members.create(ctx, who, "H0002", "13900000008", "Lucy")
        basket = Basket()
        basket.add(catalog.product_for_scan("6903"), 1)
        basket.attach(member, 0)
        plan = checkout.new_plan(ctx, basket)
        plan.add(TenderKind.CASH, plan.due)
        at_a = checkout.complete_sale(ctx, who, basket, plan)
        refund_no = refund_all(ctx, at_a.sale_id)
        sync_once(central.db, ctx)
    with b.open():
        pass  # seeded: staff, products, an open shift

    app = make_app(replace(b.config, language="en"), printer=TrainingPrinter())
    app.offer_left_over = False
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await log_in(pilot)
            await pilot.press("f2")
            await pilot.pause()
            await type_text(pilot, "H0002")
            await pilot.pause()
            assert app.screen.results == []  # nobody of that card at this store ...
            await pilot.press("enter")  # ... Enter asks head office, which has them: attached
            await pilot.pause()
            assert isinstance(app.screen, CheckoutScreen)
            assert (app.basket.member.card_no, app.basket.member.name) == ("H0002", "Lucy")
            await scan(pilot, "6901")
            await pilot.press("f4")
            await pilot.pause()
            await pilot.press("enter")  # exact cash
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            at_b = app.last_sale.order_no
            assert SaleRow.get(SaleRow.order_no == at_b).member.card_no == "H0002"

            await pilot.press("f2")
            await pilot.pause()
            await type_text(pilot, "H0002")  # here now, as a copy of store 01's member
            await pilot.pause()
            assert [m.card_no for m in app.screen.results] == ["H0002"]
            await pilot.press("f4")
            await pilot.pause()
            profile = app.screen
            assert isinstance(profile, MemberProfileScreen)
            purchases = rows(profile.query_one("#profile-purchases"))
            assert [r[:2] for r in purchases] == [["02", at_b], ["01", at_a.order_no]]
            assert purchases[1][4] == "Full ￥5.99"  # refunded at store 01
            refunded = rows(profile.query_one("#profile-refunds"))
            assert [r[:2] + r[3:] for r in refunded] == [["01", refund_no, at_a.order_no, "￥5.99", "paid"]]
            text = screen_text(app)
            assert "Store" in text and "Purchase history (2, every store)" in text
            assert at_a.order_no in text and at_b in text  # nothing cut at 80 columns

            await pilot.press("down")  # store 01's order: kept there and at head office
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, MemberProfileScreen)
            error = str(profile.query_one("#profile-error").content)
            assert error == f"{at_a.order_no} is store 01's: its detail is kept there and at head office"
        assert not app.unexpected, app.unexpected
    finally:
        close_shop()


async def test_signing_up_at_store_02_a_phone_store_01_has_is_refused_naming_the_store(central, tmp_path):
    a = make_shop(tmp_path, "01", central.url)
    b = make_shop(tmp_path, "02", central.url)
    with a.open() as ctx:
        members.create(ctx, staff_service.login(ctx, "001", PINS["001"]), "A0011", "13900000011", "Mia")
        sync_once(central.db, ctx)
    with b.open():
        pass

    app = make_app(replace(b.config, language="en"), printer=TrainingPrinter())
    app.offer_left_over = False
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await log_in(pilot)
            await pilot.press("f2")
            await pilot.pause()
            await type_text(pilot, "13900000011")
            await pilot.press("f3")  # new member, with the phone typed
            await pilot.pause()
            await pilot.press("tab")
            await type_text(pilot, "Mia")
            await pilot.press("enter")
            await pilot.pause()
            message = (
                "Phone 139****0011 already belongs to member A0011, signed up at store 01: "
                "find the member (F2) instead of signing them up again"
            )
            assert str(app.screen.query_one("#form-error").content) == message
            assert app.screen.focused.id == "form-phone"
            shown = " ".join(screen_text(app).replace("│", " ").split())
            assert "signed up at store 01" in shown and "instead of signing them up again" in shown
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, MembersScreen)
        assert MemberRow.select().where(MemberRow.phone == "13900000011").count() == 0
        assert not app.unexpected, app.unexpected
    finally:
        close_shop()
