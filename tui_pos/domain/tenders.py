"""Taking payment: tenders against the amount due, split tenders, change."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from tui_pos.domain.catalog import Member, clean_text
from tui_pos.domain.errors import PaymentError
from tui_pos.domain.money import format_money


class TenderKind(StrEnum):
    """How money is taken; tui_pos.labels.TENDERS says what each is called."""

    CASH = "cash"
    CARD = "card"
    WECHAT = "wechat"
    ALIPAY = "alipay"
    STORED_VALUE = "stored_value"
    POINTS = "points"
    EXCHANGE = "exchange"  # credit from goods returned in an exchange


@dataclass(frozen=True)
class Tender:
    kind: TenderKind
    amount: int  # cents applied to the sale
    given: int = 0  # cash handed over (amount + change)
    reference: str = ""
    points: int = 0  # points spent, for POINTS

    @property
    def change(self) -> int:
        return self.given - self.amount if self.kind is TenderKind.CASH else 0


@dataclass
class PaymentPlan:
    """Tenders being collected for one sale; complete when nothing is left to pay."""

    due: int
    member: Member | None = None
    cents_per_point: int = 1
    tenders: list[Tender] = field(default_factory=list)
    credit: int = 0  # exchange credit available to this sale
    # In a chain, head office's debit of the stored value and points: the uid of its hold there,
    # which the sale's stored_value_move and points_move rows then carry. Kept while those tenders
    # stand, so recording the sale again after a failure debits nothing twice.
    hold_uid: str = ""

    @property
    def paid(self) -> int:
        return sum(t.amount for t in self.tenders)

    @property
    def remaining(self) -> int:
        return self.due - self.paid

    @property
    def change(self) -> int:
        return sum(t.change for t in self.tenders)

    @property
    def complete(self) -> bool:
        return self.remaining == 0

    @property
    def points_spent(self) -> int:
        return sum(t.points for t in self.tenders)

    def used(self, kind: TenderKind) -> int:
        return sum(t.amount for t in self.tenders if t.kind is kind)

    def add(self, kind: TenderKind, amount: int, reference: str = "", *, partial_cash: bool = False) -> Tender:
        """Validate and record one tender. For cash, `amount` is what the customer handed over;
        `partial_cash` takes exactly that amount towards the sale (no change), so never more than
        what is left. Every other tender takes exactly `amount`, never more than what is left."""
        remaining = self.remaining
        if remaining <= 0:
            raise PaymentError("Nothing left to pay")
        if amount <= 0:
            raise PaymentError("The amount must be more than zero")
        reference = clean_text(reference, 64)
        if kind is TenderKind.CASH:
            if partial_cash and amount > remaining:
                raise PaymentError(
                    "Part cash cannot be more than what is left ({due}); Enter takes cash with change",
                    due=format_money(remaining),
                )
            if amount < remaining and not partial_cash:
                raise PaymentError("Cash given is less than due ({due})", due=format_money(remaining))
            tender = Tender(kind, min(amount, remaining), given=amount)
        else:
            if amount > remaining:
                raise PaymentError("Only cash can be more than what is due ({due})", due=format_money(remaining))
            tender = self._member_tender(kind, amount, reference)
        self.tenders.append(tender)
        return tender

    def remove_last(self) -> Tender | None:
        if not self.tenders:
            return None
        tender = self.tenders.pop()
        if tender.kind in (TenderKind.STORED_VALUE, TenderKind.POINTS):
            self.hold_uid = ""  # other amounts are another debit
        return tender

    def _member_tender(self, kind: TenderKind, amount: int, reference: str) -> Tender:
        if kind is TenderKind.EXCHANGE:
            if self.used(kind) + amount > self.credit:
                raise PaymentError("Exchange credit is {credit}", credit=format_money(self.credit - self.used(kind)))
            return Tender(kind, amount, reference=reference)
        if kind not in (TenderKind.STORED_VALUE, TenderKind.POINTS):
            return Tender(kind, amount, reference=reference)
        if self.member is None:
            raise PaymentError("Attach a member to pay with stored value or points")
        if kind is TenderKind.STORED_VALUE:
            if self.used(kind) + amount > self.member.balance:
                raise PaymentError(
                    "Stored value balance is {balance}, not enough",
                    balance=format_money(self.member.balance - self.used(kind)),
                )
            return Tender(kind, amount, reference=reference)
        if amount % self.cents_per_point:
            raise PaymentError("Points pay whole points only ({cents} fen per point)", cents=self.cents_per_point)
        points = amount // self.cents_per_point
        if self.points_spent + points > self.member.points:
            raise PaymentError("Member has {points} points, not enough", points=self.member.points - self.points_spent)
        return Tender(kind, amount, reference=reference, points=points)

    def require_complete(self) -> None:
        if not self.complete:
            raise PaymentError("Not fully paid: {due} still due", due=format_money(self.remaining))
