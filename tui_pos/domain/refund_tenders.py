"""Where refunded money goes, and what happens to earned points the member already spent.

Both are policy (config [refund_policy]): money goes back the way it was paid, split over the
sale's tenders in the policy's order; points go back as points (never as cash); earned points
the member no longer has are deducted from the money, taken below zero, or forgiven.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from tui_pos import labels
from tui_pos.domain.errors import RefundNotAllowed
from tui_pos.i18n import language, tr

# How the earned points of a refunded sale that the member already spent are settled.
SPENT_POINTS = ("deduct", "negative", "forgive")

# Paid by -> the tenders its money may go back by; the first is the default. Points are not
# here: redeemed points always go back as points, never as money.
DEFAULT_TENDER_WAYS: Mapping[str, tuple[str, ...]] = {
    "cash": ("cash", "stored_value"),
    "card": ("card", "cash"),
    "wechat": ("wechat", "cash"),
    "alipay": ("alipay", "cash"),
    "stored_value": ("stored_value",),
    "exchange": ("cash", "stored_value"),
}
# A refund of a sale paid several ways takes its money from the tenders in this order: stored
# value first (it stays in the shop), then e-payment, then cash (it leaves the drawer last).
DEFAULT_TENDER_ORDER: tuple[str, ...] = ("stored_value", "card", "wechat", "alipay", "exchange", "cash")
ORIGINAL = "original"  # the draft's tender: every part back the way it was paid


@dataclass(frozen=True)
class TenderPart:
    """One part of a refund's money: how it was paid and how it goes back."""

    paid_by: str  # "" without a receipt
    tender: str
    amount: int  # money going back this way, after its fee
    fee: int = 0
    reference: str = ""  # the original payment's reference (e-payment) when it goes back the same way

    @property
    def cash_for_non_cash(self) -> bool:
        return self.tender == "cash" and self.paid_by not in ("", "cash")


@dataclass(frozen=True)
class Paid:
    """Money a sale took by one tender (change deducted), and what earlier refunds gave back of it."""

    tender: str
    amount: int
    reference: str = ""
    refunded: int = 0

    @property
    def left(self) -> int:
        return max(0, self.amount - self.refunded)


def ways(tender_ways: Mapping[str, tuple[str, ...]], paid_by: str) -> tuple[str, ...]:
    return tender_ways.get(paid_by) or ("cash",)


def allocate(order: tuple[str, ...], paid: tuple[Paid, ...], money: int) -> list[tuple[Paid | None, int]]:
    """Split `money` over what each tender has left, in the policy's order. More than the tenders
    hold (a sale recorded before payments were kept per tender) goes with the last part."""
    rank = {t: i for i, t in enumerate(order)}
    parts: list[tuple[Paid | None, int]] = []
    left = money
    for p in sorted(paid, key=lambda p: (rank.get(p.tender, len(order)), p.tender)):
        take = min(left, p.left)
        if take > 0:
            parts.append((p, take))
            left -= take
    if left > 0:
        if parts:
            parts[-1] = (parts[-1][0], parts[-1][1] + left)
        else:
            parts.append((paid[0] if paid else None, left))
    return parts


def split_refund(
    tender_ways: Mapping[str, tuple[str, ...]],
    order: tuple[str, ...],
    paid: tuple[Paid, ...],
    money: int,
    chosen: str,
    fee: Callable[[str, int], int],
) -> tuple[TenderPart, ...]:
    """The refund's money per tender. `chosen` is ORIGINAL (each part its default way back) or a
    tender every part must be allowed to go back by; without a receipt (`paid` empty) it is the
    tender, ORIGINAL meaning cash."""
    out: list[TenderPart] = []
    for p, gross in allocate(order, paid, money):
        if p is None:
            tender = "cash" if chosen == ORIGINAL else chosen
            out.append(TenderPart("", tender, gross - fee(tender, gross), fee(tender, gross)))
            continue
        allowed = ways(tender_ways, p.tender)
        tender = allowed[0] if chosen == ORIGINAL else chosen
        if tender not in allowed:
            raise RefundNotAllowed(
                "Money paid by {paid} goes back by {ways} only", paid=labels.tender(p.tender), ways=_names(allowed)
            )
        part_fee = fee(tender, gross)
        out.append(TenderPart(p.tender, tender, gross - part_fee, part_fee, p.reference if tender == p.tender else ""))
    return tuple(out)


def lower(parts: tuple[TenderPart, ...], amount: int) -> tuple[TenderPart, ...]:
    """The parts of a refund lowered to `amount`: what is cut comes off the last parts first."""
    cut = sum(p.amount for p in parts) - amount
    out = list(parts)
    for i in range(len(out) - 1, -1, -1):
        if cut <= 0:
            break
        take = min(cut, out[i].amount)
        out[i] = TenderPart(out[i].paid_by, out[i].tender, out[i].amount - take, out[i].fee, out[i].reference)
        cut -= take
    return tuple(out)


@dataclass(frozen=True)
class SpentPoints:
    """How this refund settles earned points the member no longer has."""

    points: int = 0  # earned points the member had already spent (not taken back as points)
    deducted: int = 0  # cents taken off the money for them (deduct)
    policy: str = ""
    below_zero: int = 0  # points taken back that the member does not have: their points go below zero


def settle_spent(policy: str, owed: int, available: int, money: int, cents_per_point: int) -> tuple[int, SpentPoints]:
    """Of `owed` earned points to take back, with `available` points on the member's account:
    the points reversed, and how the rest is settled. deduct takes their value off the money;
    what the money cannot cover goes below zero, as with negative."""
    short = owed - max(0, available)
    if short <= 0:
        return owed, SpentPoints()
    if policy == "negative":
        return owed, SpentPoints(below_zero=short)
    if policy == "forgive":
        return owed - short, SpentPoints(short, 0, policy)
    covered = min(short, max(0, money) // cents_per_point)
    return owed - covered, SpentPoints(covered, covered * cents_per_point, policy if covered else "", short - covered)


def _names(tenders: tuple[str, ...]) -> str:
    return ("、" if language() == "zh" else ", ").join(labels.tender(t) for t in tenders)


def policy_words(spent_points: str, tender_ways: Mapping[str, tuple[str, ...]], order: tuple[str, ...]) -> list[str]:
    """The policy page's sentences on where money goes back and on spent points."""
    lines = [tr("Points paid with go back as points, never as cash.")]
    for paid_by in sorted(tender_ways, key=lambda t: order.index(t) if t in order else len(order)):
        allowed = tender_ways[paid_by]
        others = allowed[1:]
        said = [tr("Paid by {paid}: back by {tender}.", paid=labels.tender(paid_by), tender=labels.tender(allowed[0]))]
        if others:
            said.append(tr("Or by {others}.", others=_names(others)))
        if paid_by != "cash" and "cash" in allowed:
            said.append(tr("Cash only with a supervisor's approval, and flagged."))
        lines.append(("" if language() == "zh" else " ").join(said))
    lines.append(tr("A sale paid several ways is refunded in this order: {order}.", order=_names(order)))
    lines.append(
        {
            "deduct": tr("Earned points the member already spent: their value comes off the money refunded."),
            "negative": tr("Earned points the member already spent: taken back below zero; later points pay it back."),
            "forgive": tr("Earned points the member already spent: not taken back; the refund is flagged."),
        }[spent_points]
    )
    return lines
