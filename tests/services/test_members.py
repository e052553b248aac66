"""Member search, sign-up and profile on the real SQLite file."""

from __future__ import annotations

import pytest

from tui_pos.domain.basket import Basket
from tui_pos.domain.errors import Conflict, InvalidInput, NotFound
from tui_pos.domain.tenders import TenderKind
from tui_pos.i18n import set_language
from tui_pos.services import catalog, checkout, members
from tui_pos.store.models import AuditRow, MemberRow


@pytest.fixture
def more_members(ctx, cashier):
    members.create(ctx, cashier, "M000002", "13912345678", "李四", "silver")
    members.create(ctx, cashier, "M000003", "13700005678", "张伟")
    members.create(ctx, cashier, "V100", "15011112222", "Alice")


def cards(result) -> list[str]:
    return sorted(m.card_no for m in result)


def test_search_by_card_prefix(more_members):
    assert cards(members.search("M0000")) == ["M000001", "M000002", "M000003"]
    assert cards(members.search("M000002")) == ["M000002"]
    assert cards(members.search("V1")) == ["V100"]


def test_search_by_last_four_phone_digits(more_members):
    assert cards(members.search("1234")) == ["M000001"]
    assert cards(members.search("5678")) == ["M000002", "M000003"]
    assert cards(members.search("５６７８")) == ["M000002", "M000003"]  # full-width digits


def test_search_by_full_phone_and_phone_prefix(more_members):
    assert cards(members.search("13800001234")) == ["M000001"]
    assert cards(members.search("1391234")) == ["M000002"]


def test_search_by_chinese_name_prefix(more_members):
    assert cards(members.search("张")) == ["M000001", "M000003"]
    assert cards(members.search("张伟")) == ["M000003"]
    assert cards(members.search("李")) == ["M000002"]
    assert cards(members.search("Ali")) == ["V100"]
    assert members.search("王") == []


@pytest.mark.parametrize("text", ["", "   ", "1", "12", "123", "１２３", "\x1b[", "\x00"])
def test_short_or_empty_queries_return_nothing(more_members, text):
    assert members.search(text) == []


def test_search_limit(more_members):
    assert len(members.search("M", limit=2)) == 2


def test_find_one_by_card_or_phone(ctx):
    assert members.find_one("M000001").name == "张三"
    assert members.find_one("13800001234").card_no == "M000001"
    assert members.find_one(" １３８００００１２３４ ").card_no == "M000001"
    with pytest.raises(NotFound):
        members.find_one("1234")  # a phone tail is a search, not an identification
    with pytest.raises(NotFound):
        members.find_one("M999999")


def test_lowercase_card_no_is_found(ctx, cashier):
    # sign-up upper-cases card numbers, so a lower-case typed card must still find the member
    created = members.create(ctx, cashier, "v200", "15100000000", "Bob")
    assert created.card_no == "V200"
    assert members.find_one("v200").id == created.id
    assert cards(members.search("v2")) == ["V200"]


def test_create_member(ctx, cashier):
    member = members.create(ctx, cashier, "m000009", "１３６００００９９９９", " 王五\x1b[0m ", "silver")
    assert member.card_no == "M000009"
    assert member.phone == "13600009999"
    assert "\x1b" not in member.name and member.name.startswith("王五")
    assert (member.level, member.points, member.balance) == ("silver", 0, 0)
    row = MemberRow.get_by_id(member.id)
    assert row.phone_tail == "9999"
    assert cards(members.search("9999")) == ["M000009"]
    entry = AuditRow.select().where(AuditRow.action == "member_create").get()
    assert entry.entity == "member:M000009" and entry.staff_code == "001"


@pytest.mark.parametrize(
    "card, phone, name, level, message",
    [
        ("M000010", "1380000", "王五", "regular", "11 digits"),
        ("M000010", "23800001234", "王五", "regular", "11 digits"),
        ("M000010", "138000012345", "王五", "regular", "11 digits"),
        ("M000010", "1380000123a", "王五", "regular", "11 digits"),
        ("M1", "13600001111", "王五", "regular", "Card no."),
        ("M-0001", "13600001111", "王五", "regular", "Card no."),
        ("M" * 21, "13600001111", "王五", "regular", "Card no."),
        ("M000010", "13600001111", "", "regular", "name"),
        ("M000010", "13600001111", "\x1b\x00", "regular", "name"),
        ("M000010", "13600001111", "王五", "diamond", "level"),
    ],
)
def test_create_validates(ctx, cashier, card, phone, name, level, message):
    before = MemberRow.select().count()
    with pytest.raises(InvalidInput, match=message):
        members.create(ctx, cashier, card, phone, name, level)
    assert MemberRow.select().count() == before


def test_duplicate_phone_is_a_clear_conflict(ctx, cashier):
    with pytest.raises(Conflict) as info:
        members.create(ctx, cashier, "M000010", "13800001234", "王五")
    assert "138****1234" in str(info.value) and "M000001" in str(info.value)
    assert "13800001234" not in str(info.value)  # the full number is never shown
    set_language("zh")
    assert "M000001" in info.value.message and "手机号" in info.value.message
    assert MemberRow.select().count() == 1


def test_duplicate_card_is_a_clear_conflict(ctx, cashier):
    with pytest.raises(Conflict, match="M000001 already exists"):
        members.create(ctx, cashier, "m000001", "13600001111", "王五")
    assert MemberRow.select().count() == 1
    assert AuditRow.select().where(AuditRow.action == "member_create").count() == 0


def sell_to_member(ctx, cashier, barcode: str, qty: int = 1) -> int:
    basket = Basket()
    basket.add(catalog.product_for_scan(barcode), qty)
    basket.attach(members.find_one("M000001"), ctx.config.level("gold").discount_bp)
    plan = checkout.new_plan(ctx, basket)
    plan.add(TenderKind.CARD, plan.due)
    return checkout.complete_sale(ctx, cashier, basket, plan).total


def test_profile_counts_purchases(ctx, cashier):
    member = members.find_one("M000001")
    empty = members.profile(ctx, member.id)
    assert (empty.sale_count, empty.sale_total, empty.recent) == (0, 0, ())
    assert empty.level_name == "金卡会员" and empty.discount_bp == 500

    first = sell_to_member(ctx, cashier, "6901", 2)
    second = sell_to_member(ctx, cashier, "6902", 3)
    # a sale without the member does not count
    basket = Basket()
    basket.add(catalog.product_for_scan("6903"))
    plan = checkout.new_plan(ctx, basket)
    plan.add(TenderKind.CASH, 1000)
    checkout.complete_sale(ctx, cashier, basket, plan)

    prof = members.profile(ctx, member.id)
    assert prof.sale_count == 2
    assert prof.sale_total == first + second
    assert len(prof.recent) == 2
    assert sorted(s.item_count for s in prof.recent) == [2, 3]
    assert prof.recent[0].id > prof.recent[1].id  # newest first
    assert prof.member.points == 500 + first // 100 + second // 100


def test_profile_of_unknown_member(ctx):
    with pytest.raises(NotFound):
        members.profile(ctx, 424242)


def test_next_card_no(ctx, cashier):
    assert members.next_card_no() == "M000002"
    members.create(ctx, cashier, "M000041", "13600001111", "王五")
    assert members.next_card_no() == "M000042"
