"""Where refunded money goes and how spent points are settled: the pure rules."""

from __future__ import annotations

import pytest

from tui_pos.domain.errors import RefundNotAllowed
from tui_pos.domain.refund_tenders import (
    DEFAULT_TENDER_ORDER,
    DEFAULT_TENDER_WAYS,
    ORIGINAL,
    Paid,
    TenderPart,
    lower,
    settle_spent,
    split_refund,
)


def no_fee(tender: str, amount: int) -> int:
    return 0


def split(paid, money, chosen=ORIGINAL, fee=no_fee):
    return [
        (p.paid_by, p.tender, p.amount, p.fee)
        for p in split_refund(DEFAULT_TENDER_WAYS, DEFAULT_TENDER_ORDER, tuple(paid), money, chosen, fee)
    ]


def test_money_goes_back_tender_by_tender_in_the_policys_order():
    paid = [Paid("cash", 2000), Paid("wechat", 1500, "WX1"), Paid("stored_value", 1000)]
    assert split(paid, 3000) == [
        ("stored_value", "stored_value", 1000, 0),
        ("wechat", "wechat", 1500, 0),
        ("cash", "cash", 500, 0),
    ]
    # what earlier refunds took of a tender is not given again
    taken = [Paid("cash", 2000), Paid("wechat", 1500, "WX1", refunded=1500), Paid("stored_value", 1000, refunded=400)]
    assert split(taken, 1000) == [("stored_value", "stored_value", 600, 0), ("cash", "cash", 400, 0)]
    (part,) = split_refund(
        DEFAULT_TENDER_WAYS, DEFAULT_TENDER_ORDER, (Paid("wechat", 900, "WX1"),), 900, ORIGINAL, no_fee
    )
    assert part.reference == "WX1" and not part.cash_for_non_cash


def test_a_chosen_tender_must_be_allowed_for_every_part():
    assert split([Paid("card", 500)], 500, "cash") == [("card", "cash", 500, 0)]
    with pytest.raises(RefundNotAllowed):
        split([Paid("stored_value", 500)], 500, "cash")
    with pytest.raises(RefundNotAllowed):
        split([Paid("cash", 500), Paid("stored_value", 500)], 1000, "cash")
    assert split([], 700) == [("", "cash", 700, 0)]  # without a receipt: cash unless chosen
    assert split([], 700, "wechat", fee=lambda t, a: a // 100) == [("", "wechat", 693, 7)]


def test_a_lowered_refund_cuts_the_last_parts_first():
    parts = (TenderPart("stored_value", "stored_value", 1000), TenderPart("cash", "cash", 500))
    assert [p.amount for p in lower(parts, 1200)] == [1000, 200]
    assert [p.amount for p in lower(parts, 300)] == [300, 0]
    assert sum(p.amount for p in lower(parts, 0)) == 0


def test_spent_points_are_settled_as_the_policy_says():
    # 100 points to take back, the member has 29 (1 fen a point, ￥99.00 of money)
    assert settle_spent("deduct", 100, 29, 9900, 1)[0] == 29
    assert settle_spent("deduct", 100, 29, 9900, 1)[1].deducted == 71
    reversed_, spent = settle_spent("negative", 100, 29, 9900, 1)
    assert (reversed_, spent.points, spent.below_zero) == (100, 0, 71)
    reversed_, spent = settle_spent("forgive", 100, 29, 9900, 1)
    assert (reversed_, spent.points, spent.deducted, spent.policy) == (29, 71, 0, "forgive")
    # the money cannot cover it all: deduct what it can, the rest below zero
    reversed_, spent = settle_spent("deduct", 100, 0, 40, 1)
    assert (reversed_, spent.points, spent.deducted, spent.below_zero) == (60, 40, 40, 60)
    # enough points: nothing to settle
    assert settle_spent("deduct", 100, 500, 9900, 1) == (100, settle_spent("forgive", 0, 0, 0, 1)[1])
