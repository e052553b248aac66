"""Reads the screens and reports need, each on an index, each returning domain objects."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import cast

from peewee import Expression, Field, fn

from tui_pos.domain.catalog import Member, Product
from tui_pos.domain.sales import PaymentView, SaleDetail, SaleLineView, SaleSummary
from tui_pos.store import fast, product_search
from tui_pos.store.models import MemberRow, ProductRow, SaleLineRow, SaleRow, database

PREFIX_END = "\U0010ffff"


def to_product(row: ProductRow) -> Product:
    return Product(
        id=row.id,
        barcode=row.barcode,
        name=row.name,
        category=row.category,
        price=row.price,
        member_price=row.member_price,
        stock=row.stock,
        refund_policy=row.refund_policy,
        name_en=row.name_en,
    )


def to_member(row: MemberRow) -> Member:
    return Member(
        id=row.id,
        card_no=row.card_no,
        name=row.name,
        phone=row.phone,
        level=row.level,
        points=row.points,
        balance=row.balance,
        joined=row.joined,
    )


def _prefix(field: Field[str], text: str) -> Expression:
    """`field LIKE 'text%'` written as a range, so SQLite uses the index (also for Chinese)."""
    return (field >= text) & (field < text + PREFIX_END)


def product_by_barcode(barcode: str) -> Product | None:
    row = ProductRow.get_or_none((ProductRow.barcode == barcode) & (ProductRow.active == True))  # noqa: E712
    return to_product(row) if row else None


def product_by_id(product_id: int) -> Product | None:
    row = ProductRow.get_or_none(ProductRow.id == product_id)
    return to_product(row) if row else None


def search_products(text: str, limit: int = 20) -> list[Product]:
    """Barcode or name prefix, any part of a name or English name, pinyin (store/product_search.py)."""
    return product_search.find(text, limit)


def member_money(member_id: int) -> tuple[int, int]:
    """(stored value, points) as they are now: checked again under the write lock of a sale."""
    row: tuple[int, int] = fast.run("SELECT balance, points FROM member WHERE id = ?", (member_id,)).fetchone()
    return row


def member_by_id(member_id: int) -> Member | None:
    """Plain SQL: read on every member sale."""
    row = fast.run(
        "SELECT id, card_no, name, phone, level, points, balance, joined FROM member WHERE id = ?", (member_id,)
    ).fetchone()
    if row is None:
        return None
    found_id, card_no, name, phone, level, points, balance, joined = row
    joined = MemberRow.joined.python_value(joined)  # type: ignore[no-untyped-call]  # untyped in peewee
    return Member(found_id, card_no, name, phone, level, points, balance, joined)


def member_by_card(card_no: str) -> Member | None:
    row = MemberRow.get_or_none(MemberRow.card_no == card_no)
    return to_member(row) if row else None


def member_by_phone(phone: str) -> Member | None:
    row = MemberRow.get_or_none(MemberRow.phone == phone)
    return to_member(row) if row else None


def search_members(text: str, limit: int = 20) -> list[Member]:
    """Card no. or phone prefix, last 4 digits of a phone, or name prefix."""
    text = text.strip()
    if not text:
        return []
    # One indexed range per way of matching, each cut at `limit`: an OR of them would make SQLite
    # collect and sort every match first (a prefix like "王" can match half the members).
    ways = [
        (_prefix(MemberRow.card_no, text.upper()), MemberRow.card_no),  # cards are upper-case
        (_prefix(MemberRow.name, text), MemberRow.name),
    ]
    if text.isdigit() and len(text) >= 4:
        ways.append((_prefix(MemberRow.phone, text), MemberRow.phone))
        if len(text) == 4:
            ways.append((MemberRow.phone_tail == text, MemberRow.phone_tail))
    found: dict[int, MemberRow] = {}
    for cond, order in ways:
        for row in MemberRow.select().where(cond).order_by(order).limit(limit):
            found.setdefault(row.id, row)
    return [to_member(r) for r in sorted(found.values(), key=lambda r: (r.name, r.id))[:limit]]


def last_card_no() -> str | None:
    row = MemberRow.select(MemberRow.card_no).order_by(MemberRow.id.desc()).first()
    return row.card_no if row else None


def recent_sales(member_id: int, limit: int = 10) -> list[SaleSummary]:
    items = fn.COALESCE(SaleLineRow.select(fn.SUM(SaleLineRow.qty)).where(SaleLineRow.sale == SaleRow.id), 0)
    query = (
        SaleRow.select(
            SaleRow.id, SaleRow.order_no, SaleRow.created_at, SaleRow.total, SaleRow.status, items.alias("items")
        )
        .where(SaleRow.member == member_id)
        .order_by(SaleRow.created_at.desc(), SaleRow.id.desc())
        .limit(limit)
        .tuples()
    )
    return [SaleSummary(*r) for r in cast("Iterable[tuple[int, str, datetime, int, str, int]]", query)]


def member_sales_total(member_id: int) -> tuple[int, int]:
    row = (
        SaleRow.select(fn.COUNT(SaleRow.id), fn.COALESCE(fn.SUM(SaleRow.total), 0))
        .where((SaleRow.member == member_id) & (SaleRow.status == "completed"))
        .tuples()
        .first()
    )
    return (row[0], row[1]) if row else (0, 0)


_SALE = """SELECT s.id, s.order_no, s.till_code, st.code, st.name, s.member_id, m.card_no, m.name, m.phone,
                  s.status, s.created_at, s.subtotal, s.discount, s.total, s.change, s.points_earned,
                  s.points_redeemed, s.training, st.name_en
           FROM sale s JOIN staff st ON st.id = s.staff_id LEFT JOIN member m ON m.id = s.member_id WHERE """


def sale_detail(*, order_no: str | None = None, sale_id: int | None = None) -> SaleDetail | None:
    """One order as the screens, tickets and refund rules see it. Plain SQL: the refund check
    reads it under the write lock on every refund, and the query objects cost more than SQLite."""
    run = database.execute_sql
    where, key = ("s.order_no = ?", order_no) if order_no is not None else ("s.id = ?", sale_id)
    row = run(_SALE + where, (key,)).fetchone()
    if row is None:
        return None
    (
        sid,
        number,
        till,
        staff_code,
        staff_name,
        member_id,
        card,
        member_name,
        phone,
        status,
        created_at,
        subtotal,
        discount,
        total,
        change,
        earned,
        redeemed,
        training,
        staff_name_en,
    ) = row
    lines = tuple(
        SaleLineView(*line)
        for line in run(
            "SELECT l.id, l.line_no, l.product_id, l.barcode, l.name, l.category, l.qty, l.list_price, l.unit_price,"
            " l.discount, l.paid, COALESCE(p.name_en, '') FROM sale_line l LEFT JOIN product p ON p.id = l.product_id"
            " WHERE l.sale_id = ? ORDER BY l.line_no",
            (sid,),
        )
    )
    # the sale's own tenders; refunds paid out against it carry a refund id and are not part of it
    payments = tuple(
        PaymentView(*p)
        for p in run(
            "SELECT tender, amount, given, change, points, reference FROM payment"
            " WHERE sale_id = ? AND refund_id IS NULL ORDER BY id",
            (sid,),
        )
    )
    return SaleDetail(
        id=sid,
        order_no=number,
        till_code=till,
        staff_code=staff_code,
        staff_name=staff_name,
        member_id=member_id,
        member_card=card or "",
        member_name=member_name or "",
        member_phone=phone or "",
        status=status,
        created_at=SaleRow.created_at.python_value(created_at),  # type: ignore[no-untyped-call]  # untyped in peewee
        subtotal=subtotal,
        discount=discount,
        total=total,
        change=change,
        points_earned=earned,
        points_redeemed=redeemed,
        training=bool(training),
        lines=lines,
        payments=payments,
        staff_name_en=staff_name_en or "",
    )


def order_no_of(sale_id: int) -> str:
    order_no: str = fast.run("SELECT order_no FROM sale WHERE id = ?", (sale_id,)).fetchone()[0]
    return order_no


def last_order_no(till_code: str) -> str | None:
    """The newest sale rung up at one till (what 'reprint last receipt' prints)."""
    row = SaleRow.select(SaleRow.order_no).where(SaleRow.till_code == till_code).order_by(SaleRow.id.desc()).first()
    return row.order_no if row else None
