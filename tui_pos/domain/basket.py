"""The basket at the till: lines, member price, member-level discount and totals.

All amounts are integer cents. The sale-level discount is spread over the lines with
`prorate`, so the per-line paid amounts always add up to the sale total; a later refund
works from those per-line amounts.

The screen and the receipt show exactly these figures, so what sits side by side adds up:
each line at list price with its discount and what is paid for it (list_price * qty -
discount = net), the lines' amounts summed to the total, their discounts to what the
customer saved, and in an exchange the credit with what is left to pay (`due`) or to give
back (`give_back`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tui_pos.domain.catalog import MAX_QTY, Member, Product
from tui_pos.domain.errors import InvalidInput
from tui_pos.domain.money import MAX_CENTS, apply_bp, prorate


@dataclass
class BasketLine:
    product: Product
    qty: int


@dataclass(frozen=True)
class LineTotal:
    product: Product
    qty: int
    list_price: int  # unit price before member price
    unit_price: int  # unit price charged
    gross: int  # unit_price * qty
    discount: int  # member price saving + share of the sale discount
    net: int  # what the customer pays for this line: list_price * qty - discount


@dataclass(frozen=True)
class Totals:
    lines: tuple[LineTotal, ...]
    subtotal: int  # at list prices
    member_saving: int
    level_discount: int
    total: int
    item_count: int

    @property
    def discount(self) -> int:
        """Member price saving plus the level discount: the sum of the lines' discounts."""
        return self.member_saving + self.level_discount

    def due(self, credit: int = 0) -> int:
        """What the customer still pays once an exchange credit has paid what it can."""
        return max(0, self.total - credit)

    def give_back(self, credit: int = 0) -> int:
        """Exchange credit the new goods do not use: it goes back to the customer."""
        return max(0, credit - self.total)


@dataclass
class Basket:
    lines: list[BasketLine] = field(default_factory=list)
    member: Member | None = None
    level_discount_bp: int = 0

    def add(self, product: Product, qty: int = 1) -> int:
        """Add `qty`; a product already in the basket gets its quantity raised. Returns the line index."""
        for index, line in enumerate(self.lines):
            if line.product.id == product.id:
                self._check_line(product, line.qty + qty)
                line.qty += qty
                return index
        self._check_line(product, qty)
        self.lines.append(BasketLine(product, qty))
        return len(self.lines) - 1

    def set_qty(self, index: int, qty: int) -> None:
        line = self._line(index)
        self._check_line(line.product, qty)
        line.qty = qty

    def void_line(self, index: int) -> BasketLine:
        self._line(index)
        return self.lines.pop(index)

    def clear(self) -> None:
        self.lines.clear()
        self.member = None
        self.level_discount_bp = 0

    def attach(self, member: Member | None, level_discount_bp: int = 0) -> None:
        self.member = member
        self.level_discount_bp = level_discount_bp if member else 0

    def totals(self) -> Totals:
        is_member = self.member is not None
        grosses = [line.product.unit_price(is_member) * line.qty for line in self.lines]
        after_member = sum(grosses)
        level_discount = apply_bp(after_member, self.level_discount_bp)
        shares = prorate(level_discount, grosses) if self.lines else []
        line_totals = []
        for line, gross, share in zip(self.lines, grosses, shares, strict=True):
            list_gross = line.product.price * line.qty
            line_totals.append(
                LineTotal(
                    product=line.product,
                    qty=line.qty,
                    list_price=line.product.price,
                    unit_price=line.product.unit_price(is_member),
                    gross=gross,
                    discount=list_gross - gross + share,
                    net=gross - share,
                )
            )
        subtotal = sum(line.product.price * line.qty for line in self.lines)
        return Totals(
            lines=tuple(line_totals),
            subtotal=subtotal,
            member_saving=subtotal - after_member,
            level_discount=level_discount,
            total=after_member - level_discount,
            item_count=sum(line.qty for line in self.lines),
        )

    def _line(self, index: int) -> BasketLine:
        if not 0 <= index < len(self.lines):
            raise InvalidInput("No such line")
        return self.lines[index]

    def _check_line(self, product: Product, qty: int) -> None:
        if not 1 <= qty <= MAX_QTY:
            raise InvalidInput("Quantity must be a whole number from 1 to {max}", max=MAX_QTY)
        if product.price * qty > MAX_CENTS:
            raise InvalidInput("Line price too large")
        others = sum(ln.product.price * ln.qty for ln in self.lines if ln.product.id != product.id)
        if others + product.price * qty > MAX_CENTS:
            raise InvalidInput("Sale total too large")


def points_earned(paid_cents: int, earn_per_yuan: int) -> int:
    """Whole yuan actually paid (points redeemed excluded) times the earn rate."""
    return max(0, paid_cents) // 100 * earn_per_yuan
