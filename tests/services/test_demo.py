"""The demo shop: made through the real services, consistent to the cent, idempotent."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from peewee import fn

from tui_pos.config import load_config
from tui_pos.domain.errors import Conflict
from tui_pos.domain.staff import Role
from tui_pos.resources import data_bytes
from tui_pos.services import demo
from tui_pos.services import staff as staff_service
from tui_pos.services.context import close_shop, open_shop
from tui_pos.services.imports import read_table
from tui_pos.store.models import (
    MemberRow,
    PaymentRow,
    PointsMoveRow,
    PrintJobRow,
    ProductRow,
    RefundRow,
    SaleLineRow,
    SaleRow,
    ShiftRow,
    StaffRow,
    StockMoveRow,
    StoredValueMoveRow,
)

NOW = datetime(2026, 11, 22, 20, 30)


@pytest.fixture
def shop(config):
    """An empty shop (tables, store and till only), its clock stopped at NOW."""
    ctx = open_shop(config, clock=lambda: NOW)
    yield ctx
    close_shop()


@pytest.fixture
def seeded(shop):
    started = time.monotonic()
    summary = demo.seed_demo(shop)
    return shop, summary, time.monotonic() - started


def test_demo_contents(seeded):
    ctx, summary, elapsed = seeded
    assert elapsed < 15
    assert summary.staff_created == 3
    assert (summary.products.imported, summary.products.errors) == (50, [])
    assert (summary.members.imported, summary.members.errors) == (20, [])
    assert summary.sales_created == SaleRow.select().count() == 200
    staff = {s.code: (s.name, s.role) for s in StaffRow.select()}
    assert staff == {
        "001": ("收银员 小李", "cashier"),
        "002": ("值班主管 老赵", "supervisor"),
        "003": ("店长 王姐", "manager"),
    }
    for demo_staff in demo.DEMO_STAFF:
        assert staff_service.login(ctx, demo_staff.code, demo_staff.pin).role is demo_staff.role
    categories = {p.category for p in ProductRow.select()}
    assert categories == {"饮料", "零食", "乳制品", "日用品", "文具", "熟食", "服务"}
    assert all(p.name_en for p in ProductRow.select())
    assert ProductRow.select().where(ProductRow.member_price.is_null(False)).count() >= 10
    assert {p.refund_policy for p in ProductRow.select()} == {"", "food_opened", "no_refund"}
    assert {m.level for m in MemberRow.select()} == {"regular", "silver", "gold"}
    assert all(m.phone_tail == m.phone[-4:] and len(m.phone) == 11 for m in MemberRow.select())


def test_sales_add_up_to_the_cent(seeded):
    for sale in SaleRow.select():
        paid = (
            PaymentRow.select(fn.SUM(PaymentRow.amount))
            .where((PaymentRow.sale == sale.id) & PaymentRow.refund.is_null())
            .scalar()
        )
        lines = SaleLineRow.select(fn.SUM(SaleLineRow.paid)).where(SaleLineRow.sale == sale.id).scalar()
        assert paid == sale.total == lines, sale.order_no
        assert sale.subtotal - sale.discount == sale.total


def test_history_is_a_plausible_mix(seeded):
    ctx, _, _ = seeded
    sales = list(SaleRow.select().order_by(SaleRow.id))
    assert all(NOW - timedelta(days=61) < s.created_at < NOW for s in sales)
    assert [s.created_at for s in sales] == sorted(s.created_at for s in sales)
    assert len({s.created_at.date() for s in sales}) > 40
    with_member = sum(1 for s in sales if s.member_id)
    assert 0.25 * len(sales) < with_member < 0.55 * len(sales)
    tenders = Counter(p.tender for p in PaymentRow.select())
    assert {"cash", "card", "wechat", "alipay", "stored_value"} <= set(tenders)
    assert tenders["cash"] == max(tenders.values())
    assert {s.staff.code for s in sales} == {"001", "002", "003"}
    # none of the 200 past receipts is waiting at the printer
    assert PrintJobRow.select().where(PrintJobRow.status == "queued").count() == 0
    assert PrintJobRow.select().where(PrintJobRow.kind == "receipt").count() == 200
    # the days ran in shifts: one per day with sales, closed with a Z report (today's stays open)
    days = {s.created_at.date() for s in sales}
    closed = list(ShiftRow.select().where(ShiftRow.status == "closed"))
    assert {sh.opened_at.date() for sh in ShiftRow.select()} >= days
    assert all(sh.z_report and sh.counted is not None for sh in closed)
    assert ShiftRow.select().where(ShiftRow.status == "open").count() <= 1
    assert all(s.shift_id is not None for s in sales)
    # and some sales came back later, through the real refund services
    done = list(RefundRow.select().where(RefundRow.status == "completed"))
    assert 5 <= len(done) < 40
    assert len({r.reason for r in done}) >= 3
    assert PrintJobRow.select().where(PrintJobRow.kind == "refund").count() == len(done)


def test_ledgers_match_balances(seeded):
    """Stock, points and stored value each equal the sum of their moves."""
    for product in ProductRow.select():
        moved = StockMoveRow.select(fn.SUM(StockMoveRow.qty)).where(StockMoveRow.product == product.id).scalar()
        assert (moved or 0) == product.stock, product.barcode
    for member in MemberRow.select():
        points = PointsMoveRow.select(fn.SUM(PointsMoveRow.points)).where(PointsMoveRow.member == member.id).scalar()
        balance = (
            StoredValueMoveRow.select(fn.SUM(StoredValueMoveRow.amount))
            .where(StoredValueMoveRow.member == member.id)
            .scalar()
        )
        assert (points or 0) == member.points >= 0, member.card_no
        assert (balance or 0) == member.balance >= 0, member.card_no


def test_stock_is_at_demo_level_after_the_history(seeded):
    levels = {row["barcode"]: int(row["stock"]) for _, row in read_table(data_bytes("demo_products.csv")).rows}
    assert {p.barcode: p.stock for p in ProductRow.select()} == levels


def test_refresh_does_not_duplicate(seeded):
    ctx, _, _ = seeded
    cola = ProductRow.get(ProductRow.barcode == "6900100001003")
    ProductRow.update(stock=3, price=999).where(ProductRow.id == cola.id).execute()
    again = demo.seed_demo(replace(ctx, clock=lambda: NOW + timedelta(days=1)))
    assert again.staff_created == 0
    assert (again.products.imported, again.products.updated, again.products.unchanged) == (0, 1, 49)
    assert (again.members.imported, again.members.unchanged, again.members.errors) == (0, 20, [])
    assert again.sales_created == 0
    assert again.restocked == 1
    assert (
        StaffRow.select().count(),
        ProductRow.select().count(),
        MemberRow.select().count(),
        SaleRow.select().count(),
    ) == (3, 50, 20, 200)
    cola = ProductRow.get_by_id(cola.id)
    assert (cola.price, cola.stock) == (300, 120)


def test_same_seed_same_history(config, tmp_path):
    def history(name: str) -> list[tuple[datetime, int, str]]:
        other = replace(config, db_path=tmp_path / name)
        ctx = open_shop(other, clock=lambda: NOW)
        try:
            demo.seed_demo(ctx, sales=30)
            return [(s.created_at, s.total, s.order_no) for s in SaleRow.select().order_by(SaleRow.id)]
        finally:
            close_shop()

    assert history("a.db") == history("b.db")


def test_training_sales_are_marked(tmp_path):
    config = load_config(env={"TUI_POS_HOME": str(tmp_path), "HOME": str(tmp_path)}, training=True)
    ctx = open_shop(config)
    try:
        demo.seed_demo(ctx, sales=10)
        sales = list(SaleRow.select())
        assert len(sales) == 10
        assert all(s.training and s.order_no.startswith("TS") for s in sales)
    finally:
        close_shop()


def test_demo_is_not_mixed_into_a_real_shop(config):
    demo.init_shop(config, "009", "Owner", "9999")
    with pytest.raises(Conflict):
        demo.seed_shop(config)
    open_shop(config)
    try:
        assert ProductRow.select().count() == 0
    finally:
        close_shop()


def test_init_shop(config):
    staff = demo.init_shop(config, "007", "老板", "123456")
    assert (staff.code, staff.role) == ("007", Role.MANAGER)
    assert demo.shop_state(config) == "ready"
    with pytest.raises(Conflict):
        demo.init_shop(config, "008", "Someone", "123456")


def test_shop_state(config):
    assert demo.shop_state(config) == "missing"
    open_shop(config)
    close_shop()
    assert demo.shop_state(config) == "empty"
