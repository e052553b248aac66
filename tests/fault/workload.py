"""A till's random but realistic day, for the crash harness and the several-tills test.

Every operation goes through the services, exactly as the screens call them. Refusals
(`PosError`: fully refunded, not enough balance, ...) are part of a normal day and are
counted; anything else escapes, because a till must never fail that way.
"""

from __future__ import annotations

import random
from collections import Counter

from tui_pos.domain.basket import Basket
from tui_pos.domain.errors import PosError
from tui_pos.domain.refund import Pick
from tui_pos.domain.staff import Role, Staff
from tui_pos.domain.tenders import TenderKind
from tui_pos.services import checkout, members, refunds
from tui_pos.services import staff as staff_service
from tui_pos.services.context import Context
from tui_pos.services.refunds import RefundDraft
from tui_pos.store.models import (
    MemberRow,
    PointsMoveRow,
    ProductRow,
    RefundRow,
    SaleRow,
    StockMoveRow,
    StoredValueMoveRow,
    database,
)
from tui_pos.store.queries import to_product

PRODUCTS = 20
MEMBERS = 8
MANAGER = ("003", "3333")


def seed(ctx: Context) -> None:
    """Staff, products and members whose opening stock, points and balance are moves too,
    so every balance must equal the sum of its moves ever after."""
    from tui_pos.domain.shift import CashCount
    from tui_pos.services import shifts

    staff_service.create_staff(ctx, None, *MANAGER[:1], "Manager", Role.MANAGER, MANAGER[1])
    manager = staff_service.login(ctx, *MANAGER)
    with database.atomic():
        for i in range(PRODUCTS):
            product = ProductRow.create(
                barcode=f"69{i:04d}",
                name=f"商品 {i}",
                category="food" if i % 2 else "drinks",
                price=199 + 137 * i,
                member_price=(150 + 120 * i) if i % 3 == 0 else None,
                stock=40,
            )
            StockMoveRow.create(product=product, qty=40, reason="import")
        for i in range(MEMBERS):
            member = MemberRow.create(
                card_no=f"M{i:06d}",
                phone=f"1380000{i:04d}",
                phone_tail=f"{i:04d}",
                name=f"会员{i}",
                level=("regular", "silver", "gold")[i % 3],
                points=300,
                balance=5000,
            )
            PointsMoveRow.create(member=member, points=300, reason="adjust")
            StoredValueMoveRow.create(member=member, amount=5000, reason="topup")
    shifts.open_shift(ctx, manager, CashCount(50000))


class Till:
    """One cashier ringing up sales and refunds; `shared` makes every till pick from the
    same old orders, so refunds collide."""

    def __init__(self, ctx: Context, actor: Staff, rng: random.Random) -> None:
        self.ctx, self.actor, self.rng = ctx, actor, rng
        self.done: Counter[str] = Counter()

    def step(self) -> None:
        roll = self.rng.random()
        try:
            if roll < 0.55:
                self.sale()
            elif roll < 0.9:
                self.refund()
            else:
                self.complete_refund()
        except PosError as exc:
            self.done[f"refused {type(exc).__name__}"] += 1

    def sale(self) -> None:
        basket = Basket()
        for _ in range(self.rng.randint(1, 5)):
            row = ProductRow.get(ProductRow.barcode == f"69{self.rng.randrange(PRODUCTS):04d}")
            basket.add(to_product(row), self.rng.randint(1, 3))
        if self.rng.random() < 0.6:
            member = members.find_one(f"M{self.rng.randrange(MEMBERS):06d}")
            basket.attach(member, self.ctx.config.level(member.level).discount_bp)
        plan = checkout.new_plan(self.ctx, basket)
        how = self.rng.random()
        if basket.member and how < 0.3 and basket.member.balance >= plan.due:
            plan.add(TenderKind.STORED_VALUE, plan.due)
        elif basket.member and how < 0.5 and basket.member.points >= 50 and plan.due > 50:
            plan.add(TenderKind.POINTS, 50 * self.ctx.config.cents_per_point)
            plan.add(TenderKind.CASH, plan.remaining + self.rng.choice((0, 5, 100)))
        elif how < 0.7:
            plan.add(self.rng.choice((TenderKind.CARD, TenderKind.WECHAT, TenderKind.ALIPAY)), plan.due, "ref")
        else:
            plan.add(TenderKind.CASH, plan.due + self.rng.choice((0, 1, 50, 1000)))
        checkout.complete_sale(self.ctx, self.actor, basket, plan)
        self.done["sale"] += 1

    def refund(self) -> None:
        newest = SaleRow.select(SaleRow.id).order_by(SaleRow.id.desc()).limit(30)
        ids = [row.id for row in newest]
        if not ids:
            return
        lookup = refunds.load_order(self.ctx, self.rng.choice(ids))
        open_lines = [h for h in lookup.history.values() if h.remaining > 0]
        if not lookup.refundable or not open_lines:
            self.done["nothing to refund"] += 1
            return
        chosen = self.rng.sample(open_lines, self.rng.randint(1, len(open_lines)))
        picks = tuple(Pick(h.sale_line_id, self.rng.randint(1, h.remaining)) for h in chosen)
        tender = "stored_value" if lookup.sale.member_id and self.rng.random() < 0.3 else "cash"
        draft = RefundDraft(lookup.sale.id, picks, "quality", tender=tender)
        expected = refunds.quote(self.ctx, self.actor, draft)
        refunds.confirm(self.ctx, self.actor, draft, expected=expected)
        self.done["refund"] += 1

    def complete_refund(self) -> None:
        row = RefundRow.select(RefundRow.refund_no).where(RefundRow.status == "paid").order_by(RefundRow.id).first()
        if row is not None:
            refunds.complete(self.ctx, self.actor, row.refund_no)
            self.done["completed"] += 1
