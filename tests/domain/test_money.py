"""Money: parsing what a cashier types, formatting, rounding and exact proration."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_pos.domain.errors import InvalidInput
from tui_pos.domain.money import MAX_CENTS, apply_bp, format_money, parse_money, prorate, share_of

# --- parse_money -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, cents",
    [
        ("12.5", 1250),
        ("12.50", 1250),
        ("12", 1200),
        ("12.", 1200),
        ("0.01", 1),
        ("0", 0),
        ("１２３", 12300),  # full-width digits from a Chinese IME
        ("１２．５", 1250),  # full-width point
        ("1,234.50", 123450),
        ("1，234.50", 123450),  # full-width comma
        ("￥3", 300),
        ("¥3", 300),
        ("$3.10", 310),
        (" 7.05 ", 705),
        ("1000000", MAX_CENTS),
        ("1000000.00", MAX_CENTS),
        ("1,000,000", MAX_CENTS),
        ("123,456.7", 12345670),
    ],
)
def test_parse_money_accepts(text, cents):
    assert parse_money(text) == cents


@pytest.mark.parametrize(
    "text",
    [
        "-1",
        "-0.01",
        "－1",  # full-width minus
        "1.234",
        "NaN",
        "nan",
        "inf",
        "Infinity",
        "",
        "   ",
        "￥",
        "1e5",
        "0x10",
        "1.2.3",
        "abc",
        "12a",
        "1000000.01",  # one fen above the maximum
        "99999999999",
        "9" * 400,
        # a comma anywhere but between thousands is a slip for a decimal point, never x10 or x100
        "12,5",
        "１２，５",
        ",5",
        "12,34",
        "1,2,3",
        "1,,234",
        "1234,567",
        "1,234,5",
    ],
)
def test_parse_money_rejects(text):
    with pytest.raises(InvalidInput):
        parse_money(text)


def test_parse_money_rejects_none_without_type_error():
    with pytest.raises(InvalidInput):
        parse_money(None)  # type: ignore[arg-type]


def test_parse_money_messages_are_specific():
    with pytest.raises(InvalidInput, match="negative"):
        parse_money("-1")
    with pytest.raises(InvalidInput, match="negative"):
        parse_money("-1,234")
    with pytest.raises(InvalidInput, match="Not an amount"):
        parse_money("12,5")
    with pytest.raises(InvalidInput, match="two decimals"):
        parse_money("1.234")
    with pytest.raises(InvalidInput, match="too large"):
        parse_money("1000000.01")
    with pytest.raises(InvalidInput, match="Enter an amount"):
        parse_money("")


def test_parse_money_zero_and_maximum_options():
    assert parse_money("0") == 0
    with pytest.raises(InvalidInput):
        parse_money("0", allow_zero=False)
    with pytest.raises(InvalidInput):
        parse_money("0.00", allow_zero=False)
    assert parse_money("5.00", maximum=500) == 500
    with pytest.raises(InvalidInput):
        parse_money("5.01", maximum=500)


@settings(max_examples=200)
@given(st.integers(min_value=0, max_value=MAX_CENTS))
def test_parse_money_round_trips_format_money(cents):
    assert parse_money(format_money(cents)) == cents
    assert parse_money(format_money(cents, "￥")) == cents


# --- format_money ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cents, symbol, text",
    [
        (0, "", "0.00"),
        (1, "", "0.01"),
        (1250, "", "12.50"),
        (123450, "", "1234.50"),
        (-5, "", "-0.05"),
        (-1250, "￥", "-￥12.50"),
        (300, "￥", "￥3.00"),
    ],
)
def test_format_money(cents, symbol, text):
    assert format_money(cents, symbol) == text


# --- apply_bp ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cents, bp, expected",
    [
        (1, 5000, 1),  # 0.5 rounds up
        (1, 4999, 0),
        (149, 100, 1),  # 1.49
        (150, 100, 2),  # 1.50 rounds half up
        (1299, 500, 65),  # 64.95
        (3397, 500, 170),  # 169.85
        (10000, 10000, 10000),
        (12345, 0, 0),
        (0, 500, 0),
        (-150, 100, -2),  # symmetric for negative amounts
    ],
)
def test_apply_bp(cents, bp, expected):
    assert apply_bp(cents, bp) == expected


@settings(max_examples=200)
@given(st.integers(min_value=0, max_value=MAX_CENTS), st.integers(min_value=0, max_value=10000))
def test_apply_bp_is_half_up_rounding(cents, bp):
    exact = Fraction(cents * bp, 10000)
    result = apply_bp(cents, bp)
    assert result - Fraction(1, 2) <= exact < result + Fraction(1, 2)
    assert 0 <= result <= cents


# --- prorate ----------------------------------------------------------------------------------

weights_st = st.lists(st.integers(min_value=0, max_value=1_000_000), min_size=1, max_size=20)


@settings(max_examples=300)
@given(st.integers(min_value=0, max_value=MAX_CENTS), weights_st)
def test_prorate_properties(total, weights):
    parts = prorate(total, weights)
    assert len(parts) == len(weights)
    assert sum(parts) == total
    assert all(p >= 0 for p in parts)
    weight_sum = sum(weights)
    if weight_sum:
        for part, weight in zip(parts, weights, strict=True):
            exact = Fraction(total * weight, weight_sum)
            assert abs(part - exact) < 1
            if weight == 0:
                assert part == 0
    # stable: the same input always gives the same split
    assert prorate(total, list(weights)) == parts


@settings(max_examples=200)
@given(st.integers(min_value=-MAX_CENTS, max_value=-1), weights_st)
def test_prorate_negative_total_mirrors_positive(total, weights):
    parts = prorate(total, weights)
    assert sum(parts) == total
    assert parts == [-p for p in prorate(-total, weights)]


def test_prorate_ties_go_to_earlier_weights():
    assert prorate(1, [1, 1, 1]) == [1, 0, 0]
    assert prorate(2, [1, 1, 1]) == [1, 1, 0]
    assert prorate(10, [1, 1, 1]) == [4, 3, 3]
    assert prorate(100, [1, 2, 3, 4]) == [10, 20, 30, 40]


def test_prorate_edge_cases():
    assert prorate(0, []) == []
    with pytest.raises(ValueError):
        prorate(1, [])
    with pytest.raises(ValueError):
        prorate(10, [1, -1])
    assert prorate(7, [0, 0, 0]) == [7, 0, 0]


# --- share_of ---------------------------------------------------------------------------------


@st.composite
def takes(draw):
    whole = draw(st.integers(min_value=1, max_value=200))
    total = draw(st.integers(min_value=0, max_value=MAX_CENTS))
    sizes = []
    left = whole
    complete = draw(st.booleans())
    while left:
        size = draw(st.integers(min_value=1, max_value=left))
        sizes.append(size)
        left -= size
        if not complete and draw(st.booleans()):
            break
    return total, whole, sizes


@settings(max_examples=300)
@given(takes())
def test_share_of_sequence_never_exceeds_and_completes_exactly(case):
    total, whole, sizes = case
    already = already_units = 0
    for size in sizes:
        share = share_of(total, size, whole, already, already_units)
        assert share >= 0
        already += share
        already_units += size
        assert already <= total
        # every partial take is within one fen of its exact proportional value
        assert abs(already - Fraction(total * already_units, whole)) < 1
    if already_units == whole:
        assert already == total


def test_share_of_examples():
    # 3 items for 10.00: 3.33 + 3.33 + 3.34
    assert share_of(1000, 1, 3) == 333
    assert share_of(1000, 1, 3, 333, 1) == 333
    assert share_of(1000, 1, 3, 666, 2) == 334
    assert share_of(1000, 3, 3) == 1000


@pytest.mark.parametrize("part, whole, already_units", [(0, 3, 0), (4, 3, 0), (2, 3, 2), (-1, 3, 0)])
def test_share_of_rejects_out_of_range(part, whole, already_units):
    with pytest.raises(ValueError):
        share_of(1000, part, whole, 0, already_units)
