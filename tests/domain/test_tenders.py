"""Taking payment: cash and change, split tenders, stored value and points limits."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_pos.domain.catalog import Member
from tui_pos.domain.errors import PaymentError
from tui_pos.domain.tenders import PaymentPlan, Tender, TenderKind

MEMBER = Member(1, "M000001", "张三", "13800001234", "gold", points=50, balance=1000)


def test_cash_gives_change():
    plan = PaymentPlan(1234)
    tender = plan.add(TenderKind.CASH, 2000)
    assert tender == Tender(TenderKind.CASH, 1234, given=2000)
    assert tender.change == 766
    assert plan.change == 766
    assert plan.paid == 1234
    assert plan.remaining == 0
    assert plan.complete
    plan.require_complete()


def test_exact_cash_has_no_change():
    plan = PaymentPlan(500)
    plan.add(TenderKind.CASH, 500)
    assert plan.complete and plan.change == 0


def test_cash_less_than_due_rejected_unless_partial():
    plan = PaymentPlan(1234)
    with pytest.raises(PaymentError, match="less than due"):
        plan.add(TenderKind.CASH, 1000)
    assert plan.tenders == []
    tender = plan.add(TenderKind.CASH, 1000, partial_cash=True)
    assert (tender.amount, tender.given, tender.change) == (1000, 1000, 0)
    assert plan.remaining == 234
    assert not plan.complete
    with pytest.raises(PaymentError, match="Not fully paid"):
        plan.require_complete()


@pytest.mark.parametrize("kind", [TenderKind.CARD, TenderKind.WECHAT, TenderKind.ALIPAY])
def test_non_cash_over_remaining_rejected(kind):
    plan = PaymentPlan(1234)
    with pytest.raises(PaymentError, match="Only cash"):
        plan.add(kind, 1235)
    assert plan.tenders == []
    tender = plan.add(kind, 1234, reference="4200001234")
    assert tender.change == 0 and tender.reference == "4200001234"
    assert plan.complete


def test_non_cash_tender_change_is_zero_even_if_given_set():
    assert Tender(TenderKind.CARD, 100, given=500).change == 0


@pytest.mark.parametrize("amount", [0, -1])
def test_amount_must_be_positive(amount):
    plan = PaymentPlan(100)
    for kind in TenderKind:
        with pytest.raises(PaymentError):
            plan.add(kind, amount)
    assert plan.tenders == []


def test_split_tenders_complete_only_when_fully_paid():
    plan = PaymentPlan(5000)
    plan.add(TenderKind.CARD, 1000)
    assert not plan.complete and plan.remaining == 4000
    plan.add(TenderKind.WECHAT, 1500)
    assert not plan.complete and plan.remaining == 2500
    plan.add(TenderKind.CASH, 2000, partial_cash=True)
    assert not plan.complete and plan.remaining == 500
    plan.add(TenderKind.CASH, 1000)
    assert plan.complete
    assert plan.paid == 5000
    assert plan.change == 500
    assert plan.used(TenderKind.CASH) == 2500
    assert plan.used(TenderKind.CARD) == 1000


def test_nothing_left_to_pay():
    plan = PaymentPlan(100)
    plan.add(TenderKind.CARD, 100)
    for kind in TenderKind:
        with pytest.raises(PaymentError, match="Nothing left to pay"):
            plan.add(kind, 100)
    assert len(plan.tenders) == 1


def test_zero_due_is_complete_and_takes_nothing():
    plan = PaymentPlan(0)
    assert plan.complete
    with pytest.raises(PaymentError, match="Nothing left to pay"):
        plan.add(TenderKind.CASH, 100)


def test_remove_last():
    plan = PaymentPlan(300)
    assert plan.remove_last() is None
    plan.add(TenderKind.CARD, 100)
    plan.add(TenderKind.CASH, 500)
    assert plan.complete
    removed = plan.remove_last()
    assert removed.kind is TenderKind.CASH
    assert plan.remaining == 200 and plan.change == 0


def test_reference_is_cleaned():
    plan = PaymentPlan(100)
    tender = plan.add(TenderKind.CARD, 100, reference="\x1b[31m12\u202e34\x00")
    assert "\x1b" not in tender.reference and "\u202e" not in tender.reference and "\x00" not in tender.reference


# --- stored value -----------------------------------------------------------------------------


def test_stored_value_and_points_need_a_member():
    plan = PaymentPlan(1000)
    for kind in (TenderKind.STORED_VALUE, TenderKind.POINTS):
        with pytest.raises(PaymentError, match="member"):
            plan.add(kind, 100)


def test_stored_value_cannot_exceed_balance():
    plan = PaymentPlan(5000, MEMBER)
    with pytest.raises(PaymentError, match="balance"):
        plan.add(TenderKind.STORED_VALUE, 1001)
    plan.add(TenderKind.STORED_VALUE, 1000)
    assert plan.remaining == 4000


def test_stored_value_limit_spans_two_tenders():
    plan = PaymentPlan(5000, MEMBER)
    plan.add(TenderKind.STORED_VALUE, 600)
    with pytest.raises(PaymentError, match=r"4\.00"):  # what is left of the balance
        plan.add(TenderKind.STORED_VALUE, 401)
    plan.add(TenderKind.STORED_VALUE, 400)
    with pytest.raises(PaymentError):
        plan.add(TenderKind.STORED_VALUE, 1)
    assert plan.used(TenderKind.STORED_VALUE) == 1000


# --- points -----------------------------------------------------------------------------------


def test_points_must_be_whole_points():
    plan = PaymentPlan(5000, MEMBER, cents_per_point=10)
    with pytest.raises(PaymentError, match="whole points"):
        plan.add(TenderKind.POINTS, 15)
    tender = plan.add(TenderKind.POINTS, 200)
    assert tender.points == 20
    assert plan.points_spent == 20


def test_points_cannot_exceed_member_points():
    plan = PaymentPlan(5000, MEMBER, cents_per_point=10)
    with pytest.raises(PaymentError, match="points"):
        plan.add(TenderKind.POINTS, 510)  # 51 points, member has 50
    plan.add(TenderKind.POINTS, 300)
    with pytest.raises(PaymentError, match="20 points"):
        plan.add(TenderKind.POINTS, 300)  # 30 more, only 20 left
    plan.add(TenderKind.POINTS, 200)
    assert plan.points_spent == 50
    assert plan.used(TenderKind.POINTS) == 500


def test_points_one_cent_per_point():
    plan = PaymentPlan(100, MEMBER)
    tender = plan.add(TenderKind.POINTS, 50)
    assert tender.points == 50 and plan.remaining == 50


# --- properties -------------------------------------------------------------------------------

NON_CASH = [TenderKind.CARD, TenderKind.WECHAT, TenderKind.ALIPAY]


@st.composite
def split_payment(draw):
    due = draw(st.integers(min_value=1, max_value=1_000_000))
    cuts = sorted(draw(st.lists(st.integers(min_value=1, max_value=due), max_size=5, unique=True)))
    bounds = [0] + [c for c in cuts if c < due] + [due]
    parts = [b - a for a, b in pairwise(bounds) if b > a]
    kinds = [draw(st.sampled_from(NON_CASH + [TenderKind.CASH])) for _ in parts]
    extra = draw(st.integers(min_value=0, max_value=100_000))
    return due, parts, kinds, extra


@settings(max_examples=250)
@given(split_payment())
def test_random_split_completes_exactly_when_fully_paid(case):
    due, parts, kinds, extra = case
    plan = PaymentPlan(due)
    expected_change = 0
    for i, (part, kind) in enumerate(zip(parts, kinds, strict=True)):
        last = i == len(parts) - 1
        if kind is TenderKind.CASH:
            given_amount = part + (extra if last else 0)
            plan.add(kind, given_amount, partial_cash=not last)
            if last:
                expected_change = extra
        else:
            plan.add(kind, part)
        assert plan.change >= 0
        assert plan.paid <= due
        assert plan.complete == (plan.paid == due) == last
    assert plan.paid == due
    assert plan.remaining == 0
    assert plan.change == expected_change


attempts_st = st.lists(
    st.tuples(st.sampled_from(list(TenderKind)), st.integers(min_value=-10, max_value=20_000), st.booleans()),
    max_size=12,
)


@settings(max_examples=250)
@given(
    st.integers(min_value=0, max_value=10_000),
    attempts_st,
    st.integers(min_value=0, max_value=5000),
    st.integers(min_value=0, max_value=500),
    st.integers(min_value=1, max_value=10),
)
def test_random_attempts_keep_the_plan_consistent(due, attempts, balance, points, cents_per_point):
    member = Member(1, "M1", "x", "13800001234", "regular", points=points, balance=balance)
    plan = PaymentPlan(due, member, cents_per_point)
    for kind, amount, partial in attempts:
        before = list(plan.tenders)
        try:
            plan.add(kind, amount, partial_cash=partial)
        except PaymentError:
            assert plan.tenders == before  # a rejected tender changes nothing
        assert 0 <= plan.paid <= due
        assert plan.change >= 0
        assert plan.complete == (plan.paid == due)
        assert plan.used(TenderKind.STORED_VALUE) <= balance
        assert plan.points_spent <= points
        assert plan.used(TenderKind.POINTS) == plan.points_spent * cents_per_point
        assert all(t.amount > 0 for t in plan.tenders)


def test_part_cash_takes_exactly_what_was_given_never_more_than_left():
    plan = PaymentPlan(1299)
    with pytest.raises(PaymentError, match="Part cash cannot be more than what is left"):
        plan.add(TenderKind.CASH, 2000, partial_cash=True)
    assert plan.tenders == []
    tender = plan.add(TenderKind.CASH, 500, partial_cash=True)
    assert (tender.amount, tender.given, tender.change) == (500, 500, 0)
    tender = plan.add(TenderKind.CASH, 799, partial_cash=True)  # exactly what is left completes the sale
    assert (tender.amount, tender.given) == (799, 799) and plan.complete and plan.change == 0
