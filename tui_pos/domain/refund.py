"""What a refund may give back: prorated amounts, points, fee, and who must approve.

Every amount is derived from what the customer actually paid per line (after line and
sale discounts), cumulatively: a take of k units gets (paid * (done+k) // qty) minus what
earlier takes got, and the take that empties a line gets the exact rest. So any number of
partial refunds sums to at most what was paid, and a full refund to exactly that.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tui_pos.domain.errors import InvalidInput, RefundNotAllowed
from tui_pos.domain.money import format_money, share_of
from tui_pos.domain.policy import DISPOSITIONS, REASONS, PolicyRule, RefundPolicy, within_window
from tui_pos.domain.refund_tenders import ORIGINAL, Paid, SpentPoints, TenderPart, lower, settle_spent, split_refund
from tui_pos.domain.staff import Role

REFUND_TENDERS = ("cash", "card", "wechat", "alipay", "stored_value", ORIGINAL)
# Why someone above the cashier must approve (their words: tui_pos.labels.APPROVALS).
APPROVALS = ("over_limit", "outside_window", "no_receipt", "override", "cash_for_non_cash", "second_person")


@dataclass(frozen=True)
class LineHistory:
    """One sold line and what earlier refunds (including ones waiting for approval) took."""

    sale_line_id: int
    name: str
    category: str
    policy_code: str
    qty: int
    paid: int
    refunded_qty: int = 0
    refunded_amount: int = 0
    name_en: str = ""  # the product's English name and barcode: what the English UI shows (labels.product)
    barcode: str = ""

    @property
    def remaining(self) -> int:
        return self.qty - self.refunded_qty


@dataclass(frozen=True)
class SaleFacts:
    sold_at: datetime
    total: int  # sum of the lines' paid amounts
    points_cents: int  # part of the total paid with points
    points_earned: int
    member_level: str | None
    member_points: int  # the member's points now
    refunded_value: int = 0  # earlier refunds of this sale, line values summed
    points_returned: int = 0  # earlier refunds: redeemed points given back
    points_reversed: int = 0  # earlier refunds: earned points taken back
    points_spent: int = 0  # earlier refunds: earned points the member had spent (settled by policy)
    paid: tuple[Paid, ...] = ()  # the money by tender (points aside), with what earlier refunds took of it


@dataclass(frozen=True)
class Pick:
    sale_line_id: int
    qty: int
    disposition: str = "restock"


@dataclass(frozen=True)
class LineQuote:
    sale_line_id: int
    name: str
    qty: int
    amount: int
    disposition: str
    rule: PolicyRule
    name_en: str = ""
    barcode: str = ""


@dataclass(frozen=True)
class RefundQuote:
    lines: tuple[LineQuote, ...]
    value: int  # what the units were paid, money and points together
    points_returned: int  # redeemed points going back to the member
    points_reversed: int  # earned points taken back
    fee: int
    allowed: int  # the most money policy lets go back
    amount: int  # the money that will go back (allowed, or lower if the cashier lowered it)
    tender: str
    approvals: tuple[str, ...]  # why someone above the cashier must approve (APPROVALS codes)
    approver_role: Role | None
    rules: tuple[str, ...]  # the policy rules that applied, in plain words
    outside_window: bool
    parts: tuple[TenderPart, ...] = ()  # the money per tender, in the policy's order
    spent: SpentPoints = SpentPoints()  # earned points the member already spent, as settled
    limit_base: int = 0  # refunded before, counted with this one against the approval limit

    @property
    def override(self) -> bool:
        return self.amount != self.allowed

    @property
    def counted(self) -> int:
        """This refund and the earlier ones it is counted with against the limits."""
        return self.amount + self.limit_base


def _cumulative(total: int, done: int, taking: int, whole: int, already: int) -> int:
    """Part of `total` that belongs to `done + taking` of `whole`, less what was already given."""
    if whole <= 0 or total <= 0:
        return 0
    if done + taking >= whole:
        return total - already
    return max(0, total * (done + taking) // whole - already)


def quote_refund(
    policy: RefundPolicy,
    facts: SaleFacts,
    history: dict[int, LineHistory],
    picks: list[Pick],
    *,
    reason: str,
    tender: str,
    actor_role: Role,
    now: datetime,
    cents_per_point: int = 1,
    no_receipt: bool = False,
    requested_amount: int | None = None,
    actor_limit: int | None = None,
    limit_base: int = 0,
) -> RefundQuote:
    """`actor_limit` is the refunder's own limit when a manager set one (Staff.refund_limit);
    None = their role's limit from the policy. `limit_base` is what counts against that limit
    before this refund (earlier refunds of the order, and of the shift if so configured): limits
    are cumulative, so a split refund needs approval once the sum passes the limit."""
    if reason not in REASONS:
        raise InvalidInput("Choose a refund reason")
    if tender not in REFUND_TENDERS:
        raise InvalidInput("Choose how the money goes back")
    picks = [p for p in picks if p.qty]
    if not picks:
        raise InvalidInput("Choose at least one item to refund")
    if len({p.sale_line_id for p in picks}) < len(picks):
        # each pick is checked against what is left of its line; twice the same line would pass twice
        raise InvalidInput("The same item is chosen twice")
    lines: list[LineQuote] = []
    rules: dict[str, str] = {}
    outside = False
    for pick in picks:
        line = history.get(pick.sale_line_id)
        if line is None:
            raise InvalidInput("No such line")
        if pick.disposition not in DISPOSITIONS:
            raise InvalidInput("Choose what happens to the goods")
        if not 0 < pick.qty <= line.remaining:
            raise RefundNotAllowed("Only {left} of {name} left to refund", left=line.remaining, name=line.name)
        rule = policy.rule_for(line.policy_code, line.category)
        if not rule.refundable:
            raise RefundNotAllowed("{name}: {rule}", name=line.name, rule=rule.text())
        if rule.unopened_only and pick.disposition != "restock" and reason != "quality":
            raise RefundNotAllowed("{name}: {rule}", name=line.name, rule=rule.text())
        if not no_receipt and not within_window(policy, rule, facts.sold_at, now, facts.member_level):
            if not policy.approval_outside_window:
                raise RefundNotAllowed("Outside the refund window: {rule}", rule=rule.text() or "")
            outside = True
        rules[rule.code] = rule.text()
        amount = share_of(line.paid, pick.qty, line.qty, line.refunded_amount, line.refunded_qty) if line.paid else 0
        lines.append(
            LineQuote(
                line.sale_line_id, line.name, pick.qty, amount, pick.disposition, rule, line.name_en, line.barcode
            )
        )

    value = sum(ln.amount for ln in lines)
    points_cents = _cumulative(
        facts.points_cents, facts.refunded_value, value, facts.total, facts.points_returned * cents_per_point
    )
    points_returned = points_cents // cents_per_point
    owed = _cumulative(
        facts.points_earned, facts.refunded_value, value, facts.total, facts.points_reversed + facts.points_spent
    )
    # earned points the member already spent elsewhere: settled as the policy says (deduct,
    # negative or forgive), never silently kept
    money = value - points_returned * cents_per_point
    reversed_, spent = settle_spent(
        policy.spent_points, owed, facts.member_points + points_returned, money, cents_per_point
    )
    money -= spent.deducted
    parts = split_refund(policy.tender_ways, policy.tender_order, facts.paid, money, tender, policy.fee)
    tender = parts[0].tender if parts else ("cash" if tender == ORIGINAL else tender)
    fee = sum(p.fee for p in parts)
    allowed = money - fee
    amount = allowed
    if requested_amount is not None:
        if requested_amount < 0:
            raise InvalidInput("The amount cannot be negative")
        if requested_amount > allowed:
            raise RefundNotAllowed("The refund cannot be more than {allowed}", allowed=format_money(allowed, "￥"))
        amount = requested_amount
        parts = lower(parts, amount) if parts else parts

    needs: dict[str, Role] = {}
    limit = policy.limit(actor_role) if actor_limit is None else actor_limit
    counted = amount + limit_base
    if limit is not None and amount and counted > limit:
        # someone above the refunder, even when the amount is within their role's limit
        # (a personal limit set lower than the role's)
        needs["over_limit"] = max(policy.role_for_amount(counted), Role(min(actor_role + 1, Role.MANAGER)))
    if outside:
        needs["outside_window"] = Role.SUPERVISOR
    if no_receipt:
        needs["no_receipt"] = policy.no_receipt_role
    if amount != allowed:
        needs["override"] = Role.SUPERVISOR
    if any(p.cash_for_non_cash and p.amount for p in parts):
        needs["cash_for_non_cash"] = Role.SUPERVISOR
    if amount and counted > policy.self_approval_max:
        # dual control: above this no refund goes through on one person's authority, whatever
        # their role or limit (a manager's own limit is none); services refuse the refunder's own PIN
        needs["second_person"] = Role.SUPERVISOR
    approver = None
    if needs:
        approver = max(max(needs.values()), policy.role_for_amount(counted), Role.SUPERVISOR)
    return RefundQuote(
        lines=tuple(lines),
        value=value,
        points_returned=points_returned,
        points_reversed=reversed_,
        fee=fee,
        allowed=allowed,
        amount=amount,
        tender=tender,
        approvals=tuple(needs),
        approver_role=approver,
        rules=tuple(t for t in rules.values() if t),
        outside_window=outside,
        parts=parts,
        spent=spent,
        limit_base=limit_base,
    )
