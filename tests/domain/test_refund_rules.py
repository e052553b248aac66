"""What a refund may give back: proration to the cent, points, fees and who must approve."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_pos.domain.errors import InvalidInput, RefundNotAllowed
from tui_pos.domain.policy import PolicyRule, RefundPolicy
from tui_pos.domain.refund import LineHistory, Pick, SaleFacts, quote_refund
from tui_pos.domain.staff import Role

NOW = datetime(2026, 11, 23, 12, 0)
POLICY = RefundPolicy(
    window_days=7,
    level_window_days={"gold": 30},
    fee_bp={"card": 100},
    categories={"熟食": "food_opened"},
    rules={
        "food_opened": PolicyRule("food_opened", "Food: unopened only", unopened_only=True),
        "no_refund": PolicyRule("no_refund", "Not refundable", refundable=False),
        "service_24h": PolicyRule("service_24h", "Within 24 h", window_hours=24),
    },
    limits={Role.CASHIER: 20000, Role.SUPERVISOR: 100000, Role.MANAGER: None},
)


def facts(
    history: dict[int, LineHistory],
    *,
    points_cents: int = 0,
    earned: int = 0,
    member_points: int = 0,
    sold_at: datetime = NOW - timedelta(days=1),
    level: str | None = None,
    done: tuple[int, int, int] = (0, 0, 0),
) -> SaleFacts:
    return SaleFacts(
        sold_at=sold_at,
        total=sum(h.paid for h in history.values()),
        points_cents=points_cents,
        points_earned=earned,
        member_level=level,
        member_points=member_points,
        refunded_value=done[0],
        points_returned=done[1],
        points_reversed=done[2],
    )


def quote(history, picks, *, role=Role.CASHIER, tender="cash", reason="quality", sale_facts=None, policy=POLICY, **kw):
    return quote_refund(
        policy,
        sale_facts or facts(history),
        history,
        picks,
        reason=reason,
        tender=tender,
        actor_role=role,
        now=NOW,
        **kw,
    )


FORGIVE = replace(POLICY, spent_points="forgive")


def one_line(qty=3, paid=1000, **kw) -> dict[int, LineHistory]:
    return {1: LineHistory(1, "Cola", kw.pop("category", "drinks"), kw.pop("policy", ""), qty, paid, **kw)}


# ---- proration properties -------------------------------------------------------------

lines_strategy = st.lists(st.tuples(st.integers(1, 20), st.integers(0, 10**7)), min_size=1, max_size=5)


@settings(max_examples=300, deadline=None)
@given(
    lines=lines_strategy,
    redeemed_share=st.integers(0, 100),
    earned=st.integers(0, 5000),
    member_points=st.integers(0, 5000),
    data=st.data(),
)
def test_any_sequence_of_partial_refunds_never_exceeds_what_was_paid(
    lines, redeemed_share, earned, member_points, data
):
    paid = {i: p for i, (_, p) in enumerate(lines, start=1)}
    qty = {i: q for i, (q, _) in enumerate(lines, start=1)}
    total = sum(paid.values())
    points_cents = total * redeemed_share // 100  # part of the sale paid with points (1 fen per point)
    got_amount = dict.fromkeys(paid, 0)
    got_qty = dict.fromkeys(paid, 0)
    returned = reversed_ = value_done = 0
    points_now = member_points
    while any(got_qty[i] < qty[i] for i in qty):
        history = {i: LineHistory(i, f"L{i}", "x", "", qty[i], paid[i], got_qty[i], got_amount[i]) for i in qty}
        open_lines = [i for i in qty if got_qty[i] < qty[i]]
        picks = []
        for i in data.draw(st.lists(st.sampled_from(open_lines), min_size=1, unique=True)):
            picks.append(Pick(i, data.draw(st.integers(1, qty[i] - got_qty[i]))))
        q = quote(
            history,
            picks,
            role=Role.MANAGER,
            sale_facts=SaleFacts(NOW, total, points_cents, earned, None, points_now, value_done, returned, reversed_),
            policy=FORGIVE,  # spent points are kept: the money is the value less the points, to the cent
        )
        for lq in q.lines:
            got_amount[lq.sale_line_id] += lq.amount
            got_qty[lq.sale_line_id] += lq.qty
            assert got_amount[lq.sale_line_id] <= paid[lq.sale_line_id]
        value_done += q.value
        returned += q.points_returned
        reversed_ += q.points_reversed
        points_now += q.points_returned - q.points_reversed
        assert points_now >= 0  # never below zero
        assert returned <= points_cents and reversed_ <= earned
        assert q.amount == q.value - q.points_returned  # cash fen + points fen = value of the units
    assert got_amount == paid  # emptied: exactly what was paid, per line
    assert returned == points_cents  # every redeemed point back once the sale is fully refunded


@settings(max_examples=200, deadline=None)
@given(qty=st.integers(1, 50), paid=st.integers(0, 10**8))
def test_full_refund_returns_exactly_what_was_paid(qty, paid):
    q = quote(one_line(qty, paid), [Pick(1, qty)], role=Role.MANAGER)
    assert q.amount == q.allowed == paid and q.lines[0].amount == paid


def test_partial_refunds_spread_the_odd_cent():
    # 10.00 for 3: 3.33, then 3.33, then 3.34: never more than paid, to the cent
    taken, amounts = 0, []
    for _ in range(3):
        h = one_line(3, 1000, refunded_qty=len(amounts), refunded_amount=taken)
        q = quote(h, [Pick(1, 1)])
        amounts.append(q.amount)
        taken += q.amount
    assert amounts == [333, 333, 334]


# ---- fees, lowering, approvals --------------------------------------------------------


def test_card_refund_fee_is_taken_from_the_amount():
    q = quote(one_line(1, 12345), [Pick(1, 1)], tender="card")
    assert (q.value, q.fee, q.allowed) == (12345, 123, 12222)


def test_lowering_needs_a_supervisor_and_raising_is_refused():
    q = quote(one_line(1, 5000), [Pick(1, 1)], requested_amount=4000)
    assert q.amount == 4000 and q.override and q.approvals == ("override",) and q.approver_role == Role.SUPERVISOR
    with pytest.raises(RefundNotAllowed):
        quote(one_line(1, 5000), [Pick(1, 1)], requested_amount=5001)
    with pytest.raises(InvalidInput):
        quote(one_line(1, 5000), [Pick(1, 1)], requested_amount=-1)


@pytest.mark.parametrize(
    ("paid", "role", "approver"),
    [
        (20000, Role.CASHIER, None),  # exactly ￥200.00: within a cashier's limit
        (20001, Role.CASHIER, Role.SUPERVISOR),
        (100001, Role.CASHIER, Role.MANAGER),
        (100001, Role.SUPERVISOR, Role.MANAGER),
        (50000, Role.MANAGER, None),  # ￥500.00: what one person may refund alone
    ],
)
def test_limits_per_role(paid, role, approver):
    q = quote(one_line(1, paid), [Pick(1, 1)], role=role)
    assert q.approver_role == approver
    assert ("over_limit" in q.approvals) == (approver is not None)


@pytest.mark.parametrize(
    ("paid", "role", "approvals", "approver"),
    [
        (50001, Role.SUPERVISOR, ("second_person",), Role.SUPERVISOR),  # within their limit, not alone
        (10**7, Role.MANAGER, ("second_person",), Role.MANAGER),  # no limit, still not alone
        (100001, Role.CASHIER, ("over_limit", "second_person"), Role.MANAGER),
    ],
)
def test_above_what_one_person_may_refund_alone_a_second_is_needed(paid, role, approvals, approver):
    q = quote(one_line(1, paid), [Pick(1, 1)], role=role)
    assert (q.approvals, q.approver_role) == (approvals, approver)


def test_outside_the_window_needs_approval_or_is_refused():
    h = one_line()
    late = facts(h, sold_at=NOW - timedelta(days=8))
    q = quote(h, [Pick(1, 1)], sale_facts=late)
    assert q.outside_window and "outside_window" in q.approvals and q.approver_role == Role.SUPERVISOR
    strict = replace(POLICY, approval_outside_window=False)
    with pytest.raises(RefundNotAllowed):
        quote_refund(strict, late, h, [Pick(1, 1)], reason="quality", tender="cash", actor_role=Role.CASHIER, now=NOW)
    gold = facts(h, sold_at=NOW - timedelta(days=20), level="gold")
    assert not quote(h, [Pick(1, 1)], sale_facts=gold).approvals  # gold members: 30 days


def test_category_and_product_rules():
    food = one_line(category="熟食")
    with pytest.raises(RefundNotAllowed):
        quote(food, [Pick(1, 1, "scrap")], reason="changed_mind")  # opened food
    assert quote(food, [Pick(1, 1, "restock")], reason="changed_mind").amount > 0
    assert quote(food, [Pick(1, 1, "scrap")], reason="quality").amount > 0  # a quality problem always
    with pytest.raises(RefundNotAllowed):
        quote(one_line(policy="no_refund"), [Pick(1, 1)])
    service = one_line(policy="service_24h")
    assert not quote(service, [Pick(1, 1)], sale_facts=facts(service, sold_at=NOW - timedelta(hours=23))).approvals
    q = quote(service, [Pick(1, 1)], sale_facts=facts(service, sold_at=NOW - timedelta(hours=25)))
    assert q.outside_window


def test_bad_picks_are_refused():
    with pytest.raises(RefundNotAllowed):
        quote(one_line(3, refunded_qty=2, refunded_amount=666), [Pick(1, 2)])
    with pytest.raises(InvalidInput):
        quote(one_line(), [Pick(1, 0)])
    with pytest.raises(InvalidInput):
        quote(one_line(), [Pick(9, 1)])
    with pytest.raises(InvalidInput):
        quote(one_line(), [Pick(1, 1)], reason="because")
    with pytest.raises(InvalidInput):
        quote(one_line(), [Pick(1, 1)], tender="bitcoin")


def test_no_receipt_needs_a_manager():
    q = quote(one_line(1, 500), [Pick(1, 1)], no_receipt=True)
    assert "no_receipt" in q.approvals and q.approver_role == Role.MANAGER


def test_the_same_line_twice_in_one_refund_is_refused():
    """Found by the fuzz tests: 2 + 2 of a 3-unit line passed, as each pick was checked alone."""
    history = one_line(qty=3, paid=3000)
    with pytest.raises(InvalidInput, match="twice"):
        quote(history, [Pick(1, 2), Pick(1, 2)])
    assert quote(history, [Pick(1, 3)]).amount == 3000
