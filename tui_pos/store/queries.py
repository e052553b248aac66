"""Reads the screens and reports need, each on an index, each returning domain objects."""

from __future__ import annotations

from peewee import fn

from tui_pos.domain.catalog import Member, Product
from tui_pos.domain.sales import PaymentView, SaleDetail, SaleLineView, SaleSummary
from tui_pos.domain.staff import Role, Staff
from tui_pos.store.models import MemberRow, PaymentRow, ProductRow, SaleLineRow, SaleRow, StaffRow

PREFIX_END = "\U0010ffff"


def to_product(row: ProductRow) -> Product:
    return Product(
        id=row.id, barcode=row.barcode, name=row.name, category=row.category, price=row.price,
        member_price=row.member_price, stock=row.stock, refund_policy=row.refund_policy, name_en=row.name_en,
    )


def to_member(row: MemberRow) -> Member:
    return Member(
        id=row.id, card_no=row.card_no, name=row.name, phone=row.phone, level=row.level,
        points=row.points, balance=row.balance, joined=row.joined,
    )


def to_staff(row: StaffRow) -> Staff:
    return Staff(id=row.id, code=row.code, name=row.name, role=Role.parse(row.role))


def _prefix(field, text: str):
    """`field LIKE 'text%'` written as a range, so SQLite uses the index (also for Chinese)."""
    return (field >= text) & (field < text + PREFIX_END)


def product_by_barcode(barcode: str) -> Product | None:
    row = ProductRow.get_or_none((ProductRow.barcode == barcode) & (ProductRow.active == True))  # noqa: E712
    return to_product(row) if row else None


def product_by_id(product_id: int) -> Product | None:
    row = ProductRow.get_or_none(ProductRow.id == product_id)
    return to_product(row) if row else None


def search_products(text: str, limit: int = 20) -> list[Product]:
    text = text.strip()
    if not text:
        return []
    query = (
        ProductRow.select()
        .where(
            (ProductRow.active == True)  # noqa: E712
            & (_prefix(ProductRow.barcode, text) | _prefix(ProductRow.name, text) | _prefix(ProductRow.name_en, text))
        )
        .order_by(ProductRow.name)
        .limit(limit)
    )
    return [to_product(r) for r in query]


def member_by_id(member_id: int) -> Member | None:
    row = MemberRow.get_or_none(MemberRow.id == member_id)
    return to_member(row) if row else None


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
    cond = _prefix(MemberRow.card_no, text.upper()) | _prefix(MemberRow.name, text)  # cards are upper-case
    if text.isdigit() and len(text) >= 4:
        cond = cond | _prefix(MemberRow.phone, text)
        if len(text) == 4:
            cond = cond | (MemberRow.phone_tail == text)
    query = MemberRow.select().where(cond).order_by(MemberRow.name).limit(limit)
    return [to_member(r) for r in query]


def last_card_no() -> str | None:
    row = MemberRow.select(MemberRow.card_no).order_by(MemberRow.id.desc()).first()
    return row.card_no if row else None


def staff_row(code: str) -> StaffRow | None:
    return StaffRow.get_or_none(StaffRow.code == code)


def recent_sales(member_id: int, limit: int = 10) -> list[SaleSummary]:
    items = fn.COALESCE(
        SaleLineRow.select(fn.SUM(SaleLineRow.qty)).where(SaleLineRow.sale == SaleRow.id), 0
    )
    query = (
        SaleRow.select(SaleRow.id, SaleRow.order_no, SaleRow.created_at, SaleRow.total, SaleRow.status,
                       items.alias("items"))
        .where(SaleRow.member == member_id)
        .order_by(SaleRow.created_at.desc(), SaleRow.id.desc())
        .limit(limit)
    )
    return [SaleSummary(r.id, r.order_no, r.created_at, r.total, r.status, r.items) for r in query]


def member_sales_total(member_id: int) -> tuple[int, int]:
    row = (
        SaleRow.select(fn.COUNT(SaleRow.id), fn.COALESCE(fn.SUM(SaleRow.total), 0))
        .where((SaleRow.member == member_id) & (SaleRow.status == "completed"))
        .tuples()
        .first()
    )
    return (row[0], row[1]) if row else (0, 0)


def sale_detail(*, order_no: str | None = None, sale_id: int | None = None) -> SaleDetail | None:
    cond = (SaleRow.order_no == order_no) if order_no is not None else (SaleRow.id == sale_id)
    sale = SaleRow.select(SaleRow, StaffRow).join(StaffRow).where(cond).first()
    if sale is None:
        return None
    member = MemberRow.get_or_none(MemberRow.id == sale.member_id) if sale.member_id else None
    lines = tuple(
        SaleLineView(l.id, l.line_no, l.product_id, l.barcode, l.name, l.category, l.qty, l.list_price,
                     l.unit_price, l.discount, l.paid)
        for l in SaleLineRow.select().where(SaleLineRow.sale == sale.id).order_by(SaleLineRow.line_no)
    )
    payments = tuple(
        PaymentView(p.tender, p.amount, p.given, p.change, p.points, p.reference)
        # the sale's own tenders; refunds paid out against it carry a refund id and are not part of it
        for p in PaymentRow.select().where((PaymentRow.sale == sale.id) & PaymentRow.refund.is_null())
        .order_by(PaymentRow.id)
    )
    return SaleDetail(
        id=sale.id, order_no=sale.order_no, till_code=sale.till_code, staff_code=sale.staff.code,
        staff_name=sale.staff.name, member_id=sale.member_id,
        member_card=member.card_no if member else "", member_name=member.name if member else "",
        member_phone=member.phone if member else "", status=sale.status, created_at=sale.created_at,
        subtotal=sale.subtotal, discount=sale.discount, total=sale.total, change=sale.change,
        points_earned=sale.points_earned, points_redeemed=sale.points_redeemed, training=sale.training,
        lines=lines, payments=payments,
    )


def last_order_no(till_code: str) -> str | None:
    """The newest sale rung up at one till (what 'reprint last receipt' prints)."""
    row = (SaleRow.select(SaleRow.order_no).where(SaleRow.till_code == till_code)
           .order_by(SaleRow.id.desc()).first())
    return row.order_no if row else None
