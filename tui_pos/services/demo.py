"""Setting up a shop: an empty one (`tui-pos init`) or the demo shop (`tui-pos demo`,
and the training database on first start).

The demo catalogue and members are the CSV files in tui_pos/data/, loaded with the same import the
owner uses; its history is rung up through the real checkout, so every total, stock move
and points entry in it is what the till itself would have written.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

from tui_pos.config import BackupConfig, Config
from tui_pos.domain.basket import Basket
from tui_pos.domain.catalog import Member, Product, clean_text
from tui_pos.domain.errors import Conflict, InvalidInput, NeedsApproval, RefundNotAllowed
from tui_pos.domain.refund import Pick
from tui_pos.domain.shift import CashCount
from tui_pos.domain.staff import Role, Staff, check_pin_format
from tui_pos.domain.tenders import PaymentPlan, TenderKind
from tui_pos.resources import data_bytes
from tui_pos.services import checkout, imports, printing, refunds, shifts
from tui_pos.services import staff as staff_service
from tui_pos.services.context import Context, close_shop, open_shop
from tui_pos.services.refunds import RefundDraft
from tui_pos.store import audit, queries, staff_queries
from tui_pos.store.db import write
from tui_pos.store.models import ProductRow, SaleRow, StaffRow, StockMoveRow


@dataclass(frozen=True)
class DemoStaff:
    code: str
    name: str
    role: Role
    pin: str
    name_en: str = ""


# Documented in the README and printed by `tui-pos demo`: the PINs of the demo shop.
DEMO_STAFF = (
    DemoStaff("001", "收银员 小李", Role.CASHIER, "1111", "Xiao Li (cashier)"),
    DemoStaff("002", "值班主管 老赵", Role.SUPERVISOR, "2222", "Lao Zhao (supervisor)"),
    DemoStaff("003", "店长 王姐", Role.MANAGER, "3333", "Wang Jie (manager)"),
)
# Imports made by the demo loader appear in the audit trail under this code.
DEMO_ACTOR = Staff(id=0, code="demo", name="demo data", role=Role.MANAGER)

# How often each category turns up in a demo basket.
CATEGORY_WEIGHT = {"饮料": 10, "零食": 8, "乳制品": 6, "熟食": 6, "日用品": 3, "文具": 2, "服务": 1}
OPENING_HOURS = (7, 23)  # first and last-plus-one hour of the day with sales


@dataclass(frozen=True)
class DemoSummary:
    db_path: Path
    staff_created: int
    products: imports.ImportReport
    members: imports.ImportReport
    sales_created: int
    restocked: int  # products whose stock was topped up to the demo level
    staff: tuple[DemoStaff, ...] = DEMO_STAFF


# --- an empty shop -------------------------------------------------------------------------


def _fixed(moment: datetime) -> Callable[[], datetime]:
    """A clock stopped at `moment`, for recording history."""
    return lambda: moment


def shop_state(config: Config) -> str:
    """'missing' (no database file), 'empty' (no staff yet) or 'ready'."""
    if not config.db_path.exists():
        return "missing"
    open_shop(config)
    try:
        return "ready" if StaffRow.select().exists() else "empty"
    finally:
        close_shop()


def init_shop(config: Config, code: str, name: str, pin: str) -> Staff:
    """Create the database (tables, this store and till) with its first manager."""
    code = clean_text(code, 40)
    name = clean_text(name, 40)
    if not re.fullmatch(r"[0-9A-Za-z]{1,20}", code):
        raise InvalidInput("Staff code must be 1 to 20 letters or digits")
    if not name:
        raise InvalidInput("Enter a name")
    check_pin_format(pin)
    ctx = open_shop(config)
    try:
        if StaffRow.select().exists():
            raise Conflict("This shop is already set up: {path}", path=str(config.db_path))
        return staff_service.create_staff(ctx, None, code, name, Role.MANAGER, pin)
    finally:
        close_shop()


# --- the demo shop -------------------------------------------------------------------------


def demo_barcodes() -> set[str]:
    table = imports.read_table(data_bytes("demo_products.csv"))
    return {row["barcode"] for _, row in table.rows}


def holds_other_data() -> bool:
    """True when the open database has staff or products the demo would not have made:
    a real shop, which demo data must not be mixed into."""
    codes = {s.code for s in DEMO_STAFF}
    barcodes = demo_barcodes()
    if StaffRow.select().where(StaffRow.code.not_in(list(codes))).exists():
        return True
    return ProductRow.select().where(ProductRow.barcode.not_in(list(barcodes))).exists()


def seed_shop(config: Config, **options: int) -> DemoSummary:
    """Open the configured database, make or refresh the demo shop in it, close it. Demo data is
    never mixed into a live database that already holds a real shop."""
    ctx = open_shop(config)
    try:
        if not config.training and holds_other_data():
            raise Conflict(
                "{path} holds a real shop (staff or products not from the demo); demo data is "
                "not mixed into it. Use --training, or --db with another file.",
                path=str(config.db_path),
            )
        return seed_demo(ctx, **options)
    finally:
        close_shop()


def seed_demo(ctx: Context, *, days: int = 60, sales: int = 200, seed: int = 42) -> DemoSummary:
    """Create the demo shop, or refresh it: existing staff, products and members (by staff code,
    barcode and card no.) are not duplicated, existing sales are left alone, stock is topped up."""
    staff_created = _demo_staff(ctx)
    product_table = imports.read_table(data_bytes("demo_products.csv"))
    levels = {row["barcode"]: int(row["stock"] or 0) for _, row in product_table.rows}
    for _, row in product_table.rows:
        if queries.product_by_barcode(row["barcode"]) is not None:
            row["stock"] = ""  # keep the stock of a product already there; topped up below
    products = imports.import_products(ctx, DEMO_ACTOR, product_table)
    member_table = imports.read_table(data_bytes("demo_members.csv"))
    members = imports.import_members(ctx, DEMO_ACTOR, member_table)
    sales_created = 0
    if sales > 0 and not SaleRow.select().exists():
        cards = [row["card_no"] for _, row in member_table.rows]
        sales_created = _history(ctx, sorted(levels), cards, days=days, sales=sales, seed=seed)
    restocked = _top_up(ctx, levels)
    return DemoSummary(ctx.config.db_path, staff_created, products, members, sales_created, restocked)


def _demo_staff(ctx: Context) -> int:
    existing = {row.code for row in StaffRow.select(StaffRow.code)}
    missing = [s for s in DEMO_STAFF if s.code not in existing]
    actor: Staff | None = DEMO_ACTOR if existing else None
    # The manager first: in an empty shop the first staff member is created without an actor.
    for demo in sorted(missing, key=lambda s: -s.role):
        created = staff_service.create_staff(
            ctx, actor, demo.code, demo.name, demo.role, demo.pin, name_en=demo.name_en
        )
        if actor is None:
            actor = created
    return len(missing)


def _history(ctx: Context, barcodes: list[str], cards: list[str], *, days: int, sales: int, seed: int) -> int:
    """`sales` past sales over the last `days` days, rung up through the real checkout, day by
    day in shifts (float counted in the morning, Z report at night; today's shift stays open),
    with a few refunds a day or more later so the refund reports have something to show."""
    rng = random.Random(seed)
    products = [p for b in barcodes if (p := queries.product_by_barcode(b)) is not None]
    member_ids = [m.id for m in map(queries.member_by_card, cards) if m is not None]
    sellers: list[tuple[Staff, int]] = []
    for code, weight in (("001", 6), ("002", 3), ("003", 1)):  # the cashier rings up most sales
        row = staff_queries.staff_row(code)
        if row is not None:
            sellers.append((staff_queries.to_staff(row), weight))
    if not products or not sellers:
        return 0
    weights = [_product_weight(p) for p in products]
    now = ctx.now()
    by_day: dict[date, list[datetime]] = {}
    for at in _sale_times(rng, now, days, sales):
        by_day.setdefault(at.date(), []).append(at)
    refunds_due: dict[date, list[tuple[datetime, int]]] = {}
    jobs: list[int] = []
    opener = sellers[0][0]
    for offset in range(days, -1, -1):
        day = (now - timedelta(days=offset)).date()
        if day not in by_day and day not in refunds_due:
            continue

        def at_day(hour: int, minute: int = 0, day: date = day) -> datetime:
            return datetime.combine(day, time(hour, minute))

        if shifts.current(ctx) is None:
            shifts.open_shift(replace(ctx, clock=_fixed(at_day(6, 50))), opener, CashCount(50000))
        for at in by_day.get(day, []):
            member = queries.member_by_id(rng.choice(member_ids)) if member_ids and rng.random() < 0.4 else None
            basket = _basket(ctx, rng, products, weights, member)
            plan = checkout.new_plan(ctx, basket)
            _pay(rng, plan, member)
            actor = rng.choices([s for s, _ in sellers], [w for _, w in sellers])[0]
            result = checkout.complete_sale(replace(ctx, clock=_fixed(at)), actor, basket, plan)
            jobs.append(result.print_job_id)
            if rng.random() < 0.08:  # about one sale in twelve comes back, partly
                back = at + timedelta(days=rng.choice([0, 1, 1, 2, 3, 5]), hours=rng.randrange(1, 4))
                if not 8 <= back.hour < 22:  # customers come back in opening hours
                    back = back.replace(hour=rng.randrange(8, 22))
                if back > at and back < now - timedelta(minutes=5):
                    refunds_due.setdefault(back.date(), []).append((back, result.sale_id))
        for back, sale_id in sorted(refunds_due.pop(day, [])):
            jobs.extend(_refund(replace(ctx, clock=_fixed(back)), rng, opener, sale_id))
        if day != now.date():
            _close(replace(ctx, clock=_fixed(at_day(23, 10))), rng, opener)
    # History is history: its receipts and vouchers are not waiting at the printer.
    printing.mark_printed(jobs)
    return sum(len(times) for times in by_day.values())


REFUND_REASONS = ("quality", "quality", "wrong_item", "changed_mind", "changed_mind", "price_error")
MANAGER_APPROVAL = ("003", "3333")


def _refund(ctx: Context, rng: random.Random, actor: Staff, sale_id: int) -> list[int]:
    """One demo refund: a unit of one line, through the real wizard services (approval by the
    demo manager where the policy asks); refused ones (window, food rules) are simply skipped."""
    try:
        lookup = refunds.load_order(ctx, sale_id)
        lines = [h for h in lookup.history.values() if h.remaining > 0]
        if not lines or lookup.refusal:
            return []
        line = rng.choice(lines)
        draft = RefundDraft(
            sale_id,
            (Pick(line.sale_line_id, 1),),
            rng.choice(REFUND_REASONS),
            opened_at=ctx.now() - timedelta(minutes=rng.randrange(1, 6)),
        )
        result = refunds.confirm(ctx, actor, draft, MANAGER_APPROVAL)
        refunds.complete(ctx, actor, result.refund_no)
        return [result.print_job_id] if result.print_job_id is not None else []
    except (RefundNotAllowed, InvalidInput, NeedsApproval):
        return []


def _close(ctx: Context, rng: random.Random, actor: Staff) -> None:
    """Count the drawer at night: usually right, now and then a few yuan out (with a note)."""
    expected = shifts.report(ctx).expected_cash
    off = rng.choices([0, -100, 50, -1500], [85, 8, 5, 2])[0]
    note = "找零时多给了顾客" if off else ""
    history = Context(replace(ctx.config, backup=BackupConfig(at_shift_close=False)), ctx.clock)  # past days: no copies
    closed = shifts.close_shift(history, actor, CashCount(max(0, expected + off)), note, carry_over=True)
    printing.mark_printed([closed.print_job_id])


def _product_weight(product: Product) -> int:
    """How often a product is bought, relative to the others (a draw weight, not money)."""
    weight = CATEGORY_WEIGHT.get(product.category, 1)
    return weight * (1 if product.price >= 5000 else 5)  # phone top-ups now and then


def _sale_times(rng: random.Random, now: datetime, days: int, count: int) -> list[datetime]:
    start = (now - timedelta(days=days)).replace(hour=0, minute=0, second=0, microsecond=0)
    times: list[datetime] = []
    while len(times) < count:
        day = start + timedelta(days=rng.randrange(days + 1))
        at = day + timedelta(hours=rng.randrange(*OPENING_HOURS), minutes=rng.randrange(60), seconds=rng.randrange(60))
        if start < at < now - timedelta(minutes=5):
            times.append(at)
    return sorted(times)


def _basket(
    ctx: Context, rng: random.Random, products: list[Product], weights: Sequence[float], member: Member | None
) -> Basket:
    basket = Basket()
    if member is not None:
        basket.attach(member, ctx.config.level(member.level).discount_bp)
    lines = rng.choices([1, 2, 3, 4, 5], [35, 30, 18, 10, 7])[0]
    for _ in range(lines):
        product = rng.choices(products, weights)[0]
        qty = 1 if product.price >= 5000 else rng.choices([1, 2, 3], [75, 18, 7])[0]
        basket.add(product, qty)
    return basket


def _pay(rng: random.Random, plan: PaymentPlan, member: Member | None) -> None:
    if member is not None and member.balance > 0 and rng.random() < 0.35:
        plan.add(TenderKind.STORED_VALUE, min(member.balance, plan.due))
    elif member is not None and member.points >= 500 and rng.random() < 0.1:
        points = min(member.points // 2, plan.due // 2 // plan.cents_per_point)
        if points:
            plan.add(TenderKind.POINTS, points * plan.cents_per_point)
    if plan.complete:
        return
    kind = rng.choices([TenderKind.CASH, TenderKind.WECHAT, TenderKind.ALIPAY, TenderKind.CARD], [45, 25, 20, 10])[0]
    if kind is TenderKind.CASH:
        due = plan.remaining
        offers = sorted({due} | {-(-due // note) * note for note in (100, 500, 1000, 2000, 5000, 10000)})
        plan.add(kind, rng.choice(offers[:4]))
    else:
        plan.add(kind, plan.remaining, reference=f"{rng.randrange(10**8):08d}")


def _top_up(ctx: Context, levels: dict[str, int]) -> int:
    """Raise each demo product's stock back to its demo level (never lowers it)."""

    def restock() -> int:
        now = ctx.now()
        low = [
            r for r in ProductRow.select().where(ProductRow.barcode.in_(list(levels))) if r.stock < levels[r.barcode]
        ]
        for row in low:
            StockMoveRow.create(product=row.id, qty=levels[row.barcode] - row.stock, reason="adjust", at=now)
            ProductRow.update(stock=levels[row.barcode]).where(ProductRow.id == row.id).execute()
        if low:
            audit.append(DEMO_ACTOR.code, "demo_restock", "products", {"products": len(low)})
        return len(low)

    return write(restock)
