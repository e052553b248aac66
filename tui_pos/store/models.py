"""Tables. Every class ends in `Row` so it is never mistaken for a domain object.

Money columns are integer cents (IntegerField): peewee's DecimalField is REAL in SQLite.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from peewee import (
    SQL,
    AutoField,
    BooleanField,
    CharField,
    DatabaseProxy,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

database = DatabaseProxy()


def now() -> datetime:
    return datetime.now().replace(microsecond=0)


def new_uid() -> str:
    """A row's identity across the chain: head office keeps every store's rows in one table."""
    return str(uuid.uuid4())


def _table_name(model: type) -> str:
    """SaleRow -> sale, SaleLineRow -> sale_line: plain names for anyone reading the file with sqlite3."""
    name = model.__name__.removesuffix("Row")
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


class BaseRow(Model):
    # What peewee adds by itself when a table names no primary key; declared so that `.id` is typed.
    # Each foreign key `x` below is followed by `x_id`: peewee's accessor for the column's value
    # (no query), declared for the type checker only.
    id = AutoField()
    # the same row in every store and at head office (ids are only local); raw INSERTs pass one
    uid = CharField(default=new_uid, unique=True)

    class Meta:
        database = database
        table_function = _table_name


class SchemaVersionRow(BaseRow):
    version = IntegerField()


class StoreRow(BaseRow):
    code = CharField(unique=True)
    name = CharField()


class TillRow(BaseRow):
    store = ForeignKeyField(StoreRow, backref="tills")
    store_id: int
    code = CharField()

    class Meta:
        indexes = ((("store", "code"), True),)


class StaffRow(BaseRow):
    code = CharField(unique=True)
    name = CharField()
    name_en = CharField(default="", constraints=[SQL("DEFAULT ''")])  # with the English UI and on the console
    role = CharField()  # cashier / supervisor / manager
    pin_hash = CharField()
    active = BooleanField(default=True)
    failed_pins = IntegerField(default=0)
    locked_until = DateTimeField(null=True)
    must_change_pin = BooleanField(default=False, constraints=[SQL("DEFAULT 0")])  # reset by a manager
    refund_limit = IntegerField(null=True)  # cents without approval, set per person; NULL = the role's


class ProductRow(BaseRow):
    barcode = CharField(unique=True)
    name = CharField(index=True)
    name_en = CharField(default="", index=True)
    category = CharField(index=True)
    price = IntegerField()
    member_price = IntegerField(null=True)
    stock = IntegerField(default=0)
    refund_policy = CharField(default="")
    active = BooleanField(default=True)
    # name, English name and pinyin as a search compares them; kept by triggers (store/product_search.py)
    search_key = CharField(default="", constraints=[SQL("DEFAULT ''")])


class MemberRow(BaseRow):
    card_no = CharField(unique=True)
    phone = CharField(unique=True)
    phone_tail = CharField(index=True, default="")  # last 4 digits: what customers say at the till
    name = CharField(index=True)
    level = CharField(default="regular")
    points = IntegerField(default=0)
    balance = IntegerField(default=0)  # stored value, cents
    joined = DateTimeField(default=now)
    # another store's member copied here (a mirror); "" = this store's
    origin_store = CharField(default="", constraints=[SQL("DEFAULT ''")])


class ShiftRow(BaseRow):
    """One till's drawer from opening float to Z report. Closed shifts are frozen by triggers."""

    till_code = CharField(index=True)
    status = CharField(default="open", index=True)  # open / closed
    opened_by = CharField()
    opened_at = DateTimeField(index=True)
    opening_float = IntegerField()
    float_detail = CharField(default="")  # the denominations counted, if counted that way
    voids = IntegerField(default=0)  # baskets thrown away before payment
    closed_by = CharField(default="")
    closed_at = DateTimeField(null=True, index=True)
    counted = IntegerField(null=True)
    counted_detail = CharField(default="")
    expected = IntegerField(null=True)
    note = CharField(default="")
    z_report = TextField(default="")  # the Z report as printed, JSON: what was signed off stays as it was
    training = BooleanField(default=False)


class CashMoveRow(BaseRow):
    """Cash into or out of the drawer that is not a sale or refund (change from the bank, a delivery paid)."""

    shift = ForeignKeyField(ShiftRow, backref="cash_moves")
    shift_id: int
    kind = CharField()  # paid_in / paid_out
    amount = IntegerField()  # positive cents
    reason = CharField()
    staff_code = CharField()
    at = DateTimeField(default=now)


class SaleRow(BaseRow):
    order_no = CharField(unique=True)
    till_code = CharField()
    staff = ForeignKeyField(StaffRow, backref="sales")
    staff_id: int
    member = ForeignKeyField(MemberRow, null=True, backref="sales")
    member_id: int | None
    status = CharField(default="completed", index=True)  # completed / voided
    created_at = DateTimeField(default=now, index=True)
    completed_at = DateTimeField(null=True)
    subtotal = IntegerField()
    discount = IntegerField()
    total = IntegerField()
    change = IntegerField(default=0)
    points_earned = IntegerField(default=0)
    points_redeemed = IntegerField(default=0)
    training = BooleanField(default=False)
    shift = ForeignKeyField(ShiftRow, null=True, backref="sales")
    shift_id: int | None
    # a mirror of another store's order, looked up for a refund (status 'elsewhere'): its code
    origin_store = CharField(default="", constraints=[SQL("DEFAULT ''")])


class RefundRow(BaseRow):
    refund_no = CharField(unique=True)
    sale = ForeignKeyField(SaleRow, null=True, backref="refunds")  # None = no-receipt refund
    sale_id: int | None
    member = ForeignKeyField(MemberRow, null=True, backref="refunds")
    member_id: int | None
    staff = ForeignKeyField(StaffRow, backref="refunds")
    staff_id: int
    approver = ForeignKeyField(StaffRow, null=True, backref="approved_refunds")
    approver_id: int | None
    status = CharField(index=True)  # pending_approval / paid / completed / rejected / cancelled
    reason = CharField()
    note = CharField(default="")
    tender = CharField()
    reference = CharField(default="")
    allowed = IntegerField()  # what the policy allowed, cents
    amount = IntegerField()  # money going back (after fee and any lowering), cents
    fee = IntegerField(default=0)
    points_returned = IntegerField(default=0)  # redeemed points given back
    points_reversed = IntegerField(default=0)  # earned points taken back
    no_receipt = BooleanField(default=False)
    override = BooleanField(default=False)
    training = BooleanField(default=False)
    policy_text = TextField(default="")
    approval_reasons = TextField(default="")
    reject_reason = CharField(default="")
    created_at = DateTimeField(default=now, index=True)
    paid_at = DateTimeField(null=True)
    completed_at = DateTimeField(null=True)
    opened_at = DateTimeField(null=True)  # when the wizard started: refund handling time
    exchange_sale = ForeignKeyField(SaleRow, null=True, backref="exchanged_from")  # exchange: the new sale
    exchange_sale_id: int | None
    shift = ForeignKeyField(ShiftRow, null=True, backref="refunds")  # where it was recorded (and paid)
    shift_id: int | None
    # earned points the member had already spent, settled by [refund_policy] spent_points
    points_spent = IntegerField(default=0, constraints=[SQL("DEFAULT 0")])
    spent_deducted = IntegerField(default=0, constraints=[SQL("DEFAULT 0")])  # cents off the money for them
    spent_policy = CharField(default="", constraints=[SQL("DEFAULT ''")])  # deduct / forgive; "" = none spent


class SaleLineRow(BaseRow):
    sale = ForeignKeyField(SaleRow, backref="lines", on_delete="CASCADE")
    sale_id: int
    line_no = IntegerField()
    product = ForeignKeyField(ProductRow, backref="sale_lines")
    product_id: int
    barcode = CharField()
    name = CharField()
    category = CharField()
    qty = IntegerField()
    list_price = IntegerField()
    unit_price = IntegerField()
    discount = IntegerField()
    paid = IntegerField()  # what the customer paid for this line, after every discount
    # units refunded at other stores, as head office last said
    refunded_elsewhere = IntegerField(default=0, constraints=[SQL("DEFAULT 0")])


class RefundLineRow(BaseRow):
    refund = ForeignKeyField(RefundRow, backref="lines", on_delete="CASCADE")
    refund_id: int
    sale_line = ForeignKeyField(SaleLineRow, null=True, backref="refund_lines")
    sale_line_id: int | None
    product = ForeignKeyField(ProductRow, backref="refund_lines")
    product_id: int
    name = CharField()
    qty = IntegerField()
    amount = IntegerField()  # value of these units as paid (money + points share), cents
    disposition = CharField()  # restock / damaged / scrap


class RefundTenderRow(BaseRow):
    """One part of a refund's money: the tender it was paid by and the one it goes back by. Kept
    from the moment the refund is recorded (parked too), so later refunds of the order split
    what is left of each tender."""

    refund = ForeignKeyField(RefundRow, backref="tenders", on_delete="CASCADE")
    refund_id: int
    paid_by = CharField()  # "" without a receipt
    tender = CharField()
    amount = IntegerField()  # money going back this way, cents
    fee = IntegerField(default=0)
    reference = CharField(default="")


class RefundEventRow(BaseRow):
    refund = ForeignKeyField(RefundRow, backref="events", on_delete="CASCADE")
    refund_id: int
    at = DateTimeField(default=now)
    staff_code = CharField()
    event = CharField()  # created / parked / approved / rejected / cancelled / paid / completed / reprint
    note = CharField(default="")


class PaymentRow(BaseRow):
    sale = ForeignKeyField(SaleRow, null=True, backref="payments")
    sale_id: int | None
    refund = ForeignKeyField(RefundRow, null=True, backref="payments")
    refund_id: int | None
    tender = CharField()
    amount = IntegerField()  # negative for money going back
    given = IntegerField(default=0)
    change = IntegerField(default=0)
    points = IntegerField(default=0)
    reference = CharField(default="")
    created_at = DateTimeField(default=now, index=True)
    shift = ForeignKeyField(ShiftRow, null=True, backref="payments")  # the drawer the money went in or out of
    shift_id: int | None


class StockMoveRow(BaseRow):
    product = ForeignKeyField(ProductRow, backref="stock_moves")
    product_id: int
    qty = IntegerField()  # signed
    reason = CharField()  # sale / refund / damaged / scrap / import / adjust
    sale = ForeignKeyField(SaleRow, null=True, backref="stock_moves")
    sale_id: int | None
    refund = ForeignKeyField(RefundRow, null=True, backref="stock_moves")
    refund_id: int | None
    at = DateTimeField(default=now)


class PointsMoveRow(BaseRow):
    member = ForeignKeyField(MemberRow, backref="points_moves")
    member_id: int
    points = IntegerField()  # signed
    reason = CharField()  # earn / redeem / refund / adjust
    sale = ForeignKeyField(SaleRow, null=True, backref="points_moves")
    sale_id: int | None
    refund = ForeignKeyField(RefundRow, null=True, backref="points_moves")
    refund_id: int | None
    at = DateTimeField(default=now)


class StoredValueMoveRow(BaseRow):
    member = ForeignKeyField(MemberRow, backref="balance_moves")
    member_id: int
    amount = IntegerField()  # signed cents
    reason = CharField()  # topup / sale / refund / adjust
    sale = ForeignKeyField(SaleRow, null=True, backref="balance_moves")
    sale_id: int | None
    refund = ForeignKeyField(RefundRow, null=True, backref="balance_moves")
    refund_id: int | None
    at = DateTimeField(default=now)


class SequenceRow(BaseRow):
    key = CharField(unique=True)  # e.g. S20261122
    value = IntegerField(default=0)


class AuditRow(BaseRow):
    class Meta:
        table_name = "audit_log"

    at = DateTimeField(default=now, index=True)
    staff_code = CharField(default="")
    action = CharField(index=True)
    entity = CharField(default="")
    detail = TextField(default="")
    prev_hash = CharField(default="")
    hash = CharField(default="")


class PrintJobRow(BaseRow):
    """A ticket that was committed; kept until it has printed, so nothing is lost to a printer fault."""

    kind = CharField()  # receipt / refund / report / test
    ref_no = CharField(index=True)
    till = CharField(default="")  # the till whose printer it is for (tills may share one database)
    text = TextField()  # what the ticket says, for the on-screen preview
    layout = TextField()  # the ticket as JSON (devices.tickets); rendered to ESC/POS at print time
    status = CharField(default="queued", index=True)  # queued / printed / discarded
    attempts = IntegerField(default=0)
    last_error = CharField(default="")
    created_at = DateTimeField(default=now)


class ConflictRow(BaseRow):
    """Head office's conflicts of this store (a refused upload), pulled down for the till's list.
    Not in ALL_TABLES: it is made by the migration and never goes up again."""

    kind = TextField(default="")
    ref_no = TextField(default="")
    detail = TextField(default="")
    amount = IntegerField(default=0)
    at = TextField(default="")
    resolved_at = TextField(null=True)
    resolved_by = TextField(null=True)
    resolution = TextField(null=True)

    class Meta:
        table_name = "conflict"


ALL_TABLES = [
    SchemaVersionRow,
    StoreRow,
    TillRow,
    StaffRow,
    ProductRow,
    MemberRow,
    ShiftRow,
    CashMoveRow,
    SaleRow,
    RefundRow,
    SaleLineRow,
    RefundLineRow,
    RefundTenderRow,
    RefundEventRow,
    PaymentRow,
    StockMoveRow,
    PointsMoveRow,
    StoredValueMoveRow,
    SequenceRow,
    AuditRow,
    PrintJobRow,
]
