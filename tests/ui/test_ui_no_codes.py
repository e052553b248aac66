"""No internal code on a Chinese screen: a shop whose data uses every tender, refund status,
reason, disposition, approval reason, member level, flag kind and history event is driven by
keys through the main screens in zh-CN, and no code (cash, over_limit, gold, edge, reports...)
may stand on screen as a word."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import timedelta

import pytest
from rich.console import Console

from tui_pos import labels
from tui_pos.domain.basket import Basket
from tui_pos.domain.policy import DISPOSITIONS, REASONS
from tui_pos.domain.refund import APPROVALS, Pick
from tui_pos.domain.staff import PERMISSIONS, Role
from tui_pos.domain.tenders import TenderKind
from tui_pos.i18n import set_language
from tui_pos.services import catalog, checkout, exchange, members, refunds
from tui_pos.services.context import Context
from tui_pos.services.refunds import RefundDraft
from tui_pos.store.models import MemberRow, ProductRow
from tui_pos.ui.app import make_app
from tui_pos.ui.screens.refund import ChooseLinesStep, FindOrderStep, ReviewStep
from tui_pos.ui.screens.refund_list import RefundDetailScreen, RefundListScreen
from tui_pos.ui.screens.reports import RefundReportScreen

from ui_helpers import log_in, scan, type_text

FLAG_KINDS = ("member", "cashier", "edge", "just_under", "order_run")


def codes(config) -> set[str]:
    """Every code a screen could leak."""
    found = {kind.value for kind in TenderKind} | {role.code for role in Role}
    found |= set(PERMISSIONS) | set(APPROVALS) | set(REASONS) | set(DISPOSITIONS) | set(FLAG_KINDS)
    found |= set(labels.STATUSES) | set(labels.EVENTS) | {level.code for level in config.member_levels}
    return found


def screen_text(app) -> str:
    """What the cashier sees: the current screen over the ones under it, as plain text."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True, color_system=None)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


def leaked(text: str, words: set[str]) -> set[str]:
    return {w for w in words if re.search(rf"(?<![A-Za-z0-9_]){re.escape(w)}(?![A-Za-z0-9_])", text)}


def _sale(ctx, staff, items, tenders, *, member=None, ago=timedelta(0)):
    """A sale paid with `tenders` [(kind, amount or None for the rest)], `ago` in the past."""
    when = ctx.now() - ago
    at = Context(ctx.config, lambda: when)
    basket = Basket()
    for code, qty in items.items():
        basket.add(catalog.product_for_scan(code), qty)
    if member:
        profile = members.profile(ctx, members.find_one(member).id)
        basket.attach(profile.member, profile.discount_bp)
    plan = checkout.new_plan(at, basket)
    for kind, amount in tenders:
        plan.add(kind, plan.remaining if amount is None else amount, "ref-1" if kind is TenderKind.CARD else "")
    return checkout.complete_sale(at, staff, basket, plan)


def _draft(ctx, sale_id, reason, *, tender="cash", disposition="restock", qty=None, amount=None, note=""):
    lookup = refunds.load_order(ctx, sale_id)
    picks = tuple(
        Pick(line_id, qty or h.remaining, disposition) for line_id, h in lookup.history.items() if h.remaining
    )
    return RefundDraft(sale_id, picks, reason, note, tender, "ref-2" if tender != "cash" else "", amount)


@pytest.fixture
def every_code(ctx, cashier, supervisor, manager):
    """Data that needs every word: tenders, statuses, reasons, dispositions, approvals, levels, flags."""
    ProductRow.create(barcode="6904", name="电饭煲", category="家电", price=25000, stock=20)
    ProductRow.create(barcode="6905", name="保温杯", category="日用品", price=18000, stock=20)
    MemberRow.create(card_no="M000002", phone="13900002222", phone_tail="2222", name="李四", level="silver")
    MemberRow.create(card_no="M000003", phone="13700003333", phone_tail="3333", name="王五", level="regular")
    MemberRow.update(balance=100000, points=100000).execute()
    cash = [(TenderKind.CASH, None)]
    # every tender on one order (the member's): card, WeChat, Alipay, stored value, points, cash
    mixed = _sale(
        ctx,
        cashier,
        {"6902": 6},
        [
            (TenderKind.CARD, 1000),
            (TenderKind.WECHAT, 1000),
            (TenderKind.ALIPAY, 1000),
            (TenderKind.STORED_VALUE, 1000),
            (TenderKind.POINTS, 1000),
            (TenderKind.CASH, None),
        ],
        member="M000001",
    )
    # refunds in every status, with every reason, disposition, approval and refund tender
    done = refunds.confirm(ctx, cashier, _draft(ctx, _sale(ctx, cashier, {"6901": 1}, cash).sale_id, "quality"))
    refunds.complete(ctx, cashier, done.refund_no)
    refunds.reprint_voucher(ctx, cashier, done.refund_no)
    # each refund goes back by its sale's own tender (refund policy), so each sale is paid by it
    over = _sale(ctx, manager, {"6904": 1}, [(TenderKind.WECHAT, None)], member="M000002")  # over the cashier's limit
    refunds.confirm(
        ctx, cashier, _draft(ctx, over.sale_id, "wrong_item", tender="wechat", disposition="damaged"), ("002", "2222")
    )
    lowered = _sale(ctx, manager, {"6903": 2}, [(TenderKind.CARD, None)])
    refunds.confirm(
        ctx, cashier, _draft(ctx, lowered.sale_id, "changed_mind", tender="card", amount=500), ("002", "2222")
    )
    late = _sale(ctx, manager, {"6903": 1}, [(TenderKind.ALIPAY, None)], ago=timedelta(days=10))
    refunds.confirm(
        ctx, cashier, _draft(ctx, late.sale_id, "service", tender="alipay", disposition="scrap"), ("002", "2222")
    )
    # back the way it was paid: stored value first, then the card
    refunds.confirm(ctx, cashier, _draft(ctx, mixed.sale_id, "price_error", tender="original", qty=1))
    for what in ("park", "reject", "cancel"):
        sale = _sale(ctx, manager, {"6904": 1}, cash, member="M000003")
        parked = refunds.park(ctx, cashier, _draft(ctx, sale.sale_id, "other", note="包装破损"))
        if what == "reject":
            refunds.reject(ctx, supervisor, parked.refund_no, "不符合规定")
        elif what == "cancel":
            refunds.cancel(ctx, supervisor, parked.refund_no)
    history = refunds.lines_without_receipt(ctx, {catalog.product_for_scan("6903").id: 1})
    no_receipt = RefundDraft(None, tuple(Pick(i, h.qty) for i, h in history.items()), "quality")
    refunds.confirm(ctx, cashier, no_receipt, ("003", "3333"))
    # three refunds just under the cashier's limit (flag), five by the cashier in all (flag)
    for _ in range(3):
        sale = _sale(ctx, cashier, {"6905": 1}, cash)
        refunds.confirm(ctx, cashier, _draft(ctx, sale.sale_id, "quality"))
    # an exchange: goods back, new goods paid partly with the credit
    swap_sale = _sale(ctx, cashier, {"6901": 2}, cash, member="M000001")
    credit = exchange.start(ctx, cashier, _draft(ctx, swap_sale.sale_id, "wrong_item"))
    basket = Basket()
    basket.add(catalog.product_for_scan("6902"), 1)
    plan = exchange.new_plan(ctx, basket, credit)
    plan.add(TenderKind.CASH, plan.remaining)
    exchange.complete(ctx, cashier, basket, plan, credit)
    # the manager sells a lot, so the cashier's refund rate stands out
    _sale(ctx, manager, {"6904": 8}, cash)
    return mixed


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


class Seen:
    """Screens visited, and the codes found on any of them."""

    def __init__(self, app, words: set[str]) -> None:
        self.app, self.words = app, words
        self.leaks: dict[str, set[str]] = {}
        self.texts: list[str] = []

    def look(self, where: str) -> str:
        text = screen_text(self.app)
        self.texts.append(text)
        found = leaked(text, self.words)
        if found:
            self.leaks[f"{where} ({type(self.app.screen).__name__})"] = found
        return text


@pytest.fixture
def zh():
    set_language("zh")
    yield
    set_language("en")


async def test_no_code_reaches_a_chinese_screen(ctx, every_code, printer, zh):
    config = replace(ctx.config, language="zh")
    app = make_app(config, printer=printer)
    app.offer_left_over = False
    seen = Seen(app, codes(config))
    mixed = every_code
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "003", "3333")
        for code in ("6901", "6902"):
            await scan(pilot, code)
        # members of every level, attached: the member panel names the level
        await pilot.press("f2")
        await type_text(pilot, "M00000")
        await pilot.pause()
        seen.look("member list")
        await pilot.press("f4")
        await pilot.pause()
        seen.look("member profile")
        await pilot.press("escape")
        await pilot.press("enter")
        await pilot.pause()
        seen.look("checkout with a member")
        await pilot.press("f4")
        await pilot.pause()
        for key in "ckwavp":  # every tender picked in turn
            await pilot.press(key)
            await pilot.pause()
            seen.look(f"pay, tender {key}")
        await pilot.press("escape")
        await pilot.press("ctrl+d")  # detach: the refund wizard wants an empty basket for exchanges
        for _ in range(2):
            await pilot.press("f6")
        await pilot.pause()

        # the refund wizard on the order paid with every tender and refunded before
        await pilot.press("f8")
        await pilot.pause()
        await type_text(pilot, mixed.order_no)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FindOrderStep)
        seen.look("refund step 1")
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, ChooseLinesStep)
        for _ in range(len(REASONS)):
            await pilot.press("r")
            await pilot.press("d")
            await pilot.pause()
            seen.look("refund step 2")
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, ReviewStep), seen.texts[-1]
        for _ in range(6):
            seen.look("refund step 3")
            await pilot.press("ctrl+t")
            await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        seen.look("refund policy")
        await pilot.press("escape")
        for _ in range(2):
            await pilot.press("escape")
        await pilot.pause()

        # the refund list in every status, and every refund's detail and history
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, RefundListScreen)
        for _ in range(6):
            seen.look("refund list")
            await pilot.press("ctrl+s")
            await pilot.pause()
        list_screen = app.screen
        table = list_screen.query_one("#refunds")
        table.focus()
        for row in range(table.row_count):
            table.move_cursor(row=row)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, RefundDetailScreen)
            detail = seen.look(f"refund {row}")
            if app.screen.status in ("paid", "completed"):  # the voucher's key names the voucher
                assert "重打退款单据" in detail and "重打小票" not in detail
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("escape")  # back to step 1
        await pilot.press("escape")  # back to checkout
        await pilot.pause()

        # the shift: X report, day summary, every refund report view
        await pilot.press("ctrl+o")
        await pilot.pause()
        seen.look("X report")
        await pilot.press("f3")
        await pilot.pause()
        seen.look("day summary")
        await pilot.press("escape")
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, RefundReportScreen)
        views = []
        for _ in range(10):
            views.append(seen.look("refund reports"))
            await pilot.press("f6")
            await pilot.pause()

    assert not seen.leaks, "\n".join(f"{where}: {sorted(words)}" for where, words in seen.leaks.items())
    # each view headed by what its rows are: categories and weeks are not "code / name"
    assert "编码" not in "\n".join(views)
    assert "分类" in views[1] and "退款原因" in views[2] and "等级" in views[4] and "周" in views[6]
    assert all("退款记录" not in text for text in seen.texts if "日汇总" in text)  # an amount is not a list
    everything = "\n".join(seen.texts)
    for word in ("现金", "银行卡", "微信支付", "支付宝", "储值卡", "积分", "换货抵扣"):
        assert word in everything, word  # the tenders were on screen, in words
    for word in ("待审批", "已退款", "已完成", "已驳回", "已取消", "金卡会员", "银卡会员", "普通会员"):
        assert word in everything, word
    for word in (
        "临近开班/交班",
        "略低于审批额度",
        "金额超出您的退款权限",
        "超出退款期限",
        "收银员调低了金额",
        "无小票",
    ):
        assert word in everything, word  # flag kinds and approval reasons


async def test_a_refused_permission_is_named_in_words(ctx, printer, zh):
    config = replace(ctx.config, language="zh")
    app = make_app(config, printer=printer)
    app.offer_left_over = False
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "001", "1111")  # a cashier may not see the owner's reports
        await pilot.press("ctrl+o")
        await pilot.pause()
        await pilot.press("f4")
        await pilot.pause()
        text = screen_text(app)
        assert not leaked(text, codes(config))
        assert "您的角色无权查看报表" in text
