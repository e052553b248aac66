"""Head office's edits for the stores: checked before they are kept, pulled in order."""

from __future__ import annotations

from datetime import datetime

import pytest

from tui_pos.central.hq import changes_since, latest, record_change, validated
from tui_pos.domain.errors import InvalidInput
from tui_pos.domain.sync import HqChange


def test_changes_are_pulled_after_a_sequence_number_oldest_first(central_db):
    first = record_change(central_db, "product", "6901", {"price": 1250, "member_price": 1100, "name": "可乐"}, "boss")
    second = record_change(central_db, "level", "gold", {"name": "金卡会员", "discount_bp": 800}, "boss")
    third = record_change(central_db, "policy", "window_days", {"value": 15}, "boss")
    assert first < second < third == latest(central_db)
    pulled = changes_since(central_db, 0)
    assert [(c.seq, c.kind, c.key) for c in pulled] == [
        (first, "product", "6901"),
        (second, "level", "gold"),
        (third, "policy", "window_days"),
    ]
    assert isinstance(pulled[0], HqChange) and isinstance(pulled[0].at, datetime)
    assert pulled[0].data == {"price": 1250, "member_price": 1100, "name": "可乐"}
    assert changes_since(central_db, first, limit=1) == [pulled[1]]
    assert changes_since(central_db, third) == []


@pytest.mark.parametrize(
    ("kind", "key", "data"),
    [
        ("product", "6901", {"price": 12.5}),  # a float is never money
        ("product", "6901", {"price": "1250"}),
        ("product", "6901", {"price": True}),
        ("product", "6901", {"price": -1}),
        ("product", "6901", {"price": 1000, "member_price": 1200}),
        ("product", "6901", {"stock": 5}),  # stock is each store's own
        ("product", "6901", {"active": 1}),
        ("product", " ", {"price": 100}),
        ("product", "6901", {}),
        ("level", "gold", {"discount_bp": 10001}),
        ("policy", "window_weeks", {"value": 2}),
        ("policy", "window_days", {}),
        ("price", "6901", {"price": 100}),
    ],
)
def test_what_a_store_could_not_take_is_refused_before_it_is_kept(central_db, kind, key, data):
    with pytest.raises(InvalidInput):
        record_change(central_db, kind, key, data, "boss")
    assert latest(central_db) == 0


def test_a_product_may_drop_its_member_price_and_stop_being_sold():
    assert validated("product", "6901", {"member_price": None, "active": False}) == {
        "member_price": None,
        "active": False,
    }
