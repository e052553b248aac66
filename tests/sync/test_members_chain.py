"""One member everywhere, on the real PostgreSQL: a member signed up at store 01 is found at store
02 once 01 synced and buys there at the member price, the points reaching head office when 02
syncs; two stores paying by stored value at once with a balance for one (one wins, the other is
told the balance, never below zero); a debit tried again after the store's write failed takes
nothing twice; stored value refused while head office is out of reach, cash still taken; a
phone another store has is refused, naming the store; the history of every store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from dataclasses import replace

import pytest
from tests.sync.chain import closed_port, make_shop

from tui_pos.central.errors import ChainRefused
from tui_pos.central.sql import one
from tui_pos.central.sql import run as central_run
from tui_pos.domain.basket import Basket
from tui_pos.domain.errors import Conflict, NotFound, PaymentError
from tui_pos.domain.tenders import TenderKind
from tui_pos.i18n import set_language, tr
from tui_pos.services import catalog, checkout, head_office, member_history, members, printing
from tui_pos.services import staff as staff_service
from tui_pos.services.imports import import_members
from tui_pos.services.sync import sync_once
from tui_pos.store import fast
from tui_pos.store.models import MemberRow, SaleLineRow, SaleRow, StoredValueMoveRow

from conftest import PINS


@pytest.fixture(autouse=True)
def _hang_up():
    yield
    head_office.close()  # the till's own connection, before the test's database is dropped


def cashier(ctx):
    return staff_service.login(ctx, "001", PINS["001"])


def manager(ctx):
    return staff_service.login(ctx, "003", PINS["003"])


def central_member(db, uid: str) -> tuple[int, int, int]:
    """(id, balance, points) of the member at head office."""
    row = central_run(db, "SELECT id, balance, points FROM member WHERE uid = %s", (uid,)).fetchone()
    return int(row[0]), int(row[1]), int(row[2])


def conflicts(db) -> list[tuple[str, str]]:
    """Head office's conflicts, less the one every two-store test has: both shops are seeded with
    their own member M000001 (same card and phone), and the second to upload is a duplicate."""
    rows = central_run(db, "SELECT kind, ref_no FROM conflict WHERE ref_no <> 'M000001' ORDER BY id").fetchall()
    return [(str(k), str(r)) for k, r in rows]


def sell_to(ctx, who, member, items: dict[str, int], tenders: list[tuple[TenderKind, int | None]]):
    basket = Basket()
    for code, qty in items.items():
        basket.add(catalog.product_for_scan(code), qty)
    basket.attach(member, 0)
    plan = checkout.new_plan(ctx, basket)
    for kind, amount in tenders:
        plan.add(kind, plan.remaining if amount is None else amount)
    return checkout.complete_sale(ctx, who, basket, plan), plan


def import_with_balance(ctx, card: str, phone: str, name: str, balance_yuan: str) -> None:
    report = import_members(
        ctx, manager(ctx), [{"card_no": card, "phone": phone, "name": name, "balance": balance_yuan}]
    )
    assert report.imported == 1, report


def test_member_of_store_01_buys_at_store_02_and_the_points_reach_head_office(central, tmp_path):
    a = make_shop(tmp_path, "01", central.url)
    b = make_shop(tmp_path, "02", central.url)
    with a.open() as ctx:
        signed_up = members.create(ctx, cashier(ctx), "A0001", "13900000001", "王芳")
        uid = MemberRow.get_by_id(signed_up.id).uid
        sync_once(central.db, ctx)
    central_id, _, points_before = central_member(central.db, uid)
    assert points_before == 0

    with b.open() as ctx:
        who = cashier(ctx)
        assert members.search("13900000001") == []  # not here ...
        [found] = members.lookup(ctx, who, "13900000001")  # ... but at head office
        assert (found.card_no, found.name, found.phone) == ("A0001", "王芳", "13900000001")
        row = MemberRow.get_by_id(found.id)
        assert row.origin_store == "01" and row.uid == uid  # a mirror, with the chain's uid
        queued = fast.run("SELECT tbl, op, data FROM outbox WHERE row_uid = ?", (uid,)).fetchall()
        assert [(t, op, json.loads(d)) for t, op, d in queued] == [("member", "alias", {"id": found.id})]
        assert [m.id for m in members.lookup(ctx, who, "A0001")] == [found.id]  # here now: no second copy

        sale, _ = sell_to(ctx, who, found, {"6901": 2}, [(TenderKind.CASH, None)])
        assert SaleLineRow.get(SaleLineRow.sale == sale.sale_id).unit_price == 300  # the member price
        assert sale.points_earned == 6
        assert MemberRow.get_by_id(found.id).points == 6
        sync_once(central.db, ctx)

    _, _, points = central_member(central.db, uid)
    assert points == 6  # earned at 02, on the member of 01
    member_of_sale = one(central.db, "SELECT member_id FROM sale WHERE order_no = %s", (sale.order_no,))
    assert member_of_sale == central_id  # 02's local id mapped to the chain's member
    assert one(central.db, "SELECT COUNT(*) FROM member WHERE card_no = 'A0001'") == 1
    assert conflicts(central.db) == []


PAY = textwrap.dedent(
    """
    import json, sys, time
    from dataclasses import replace
    from pathlib import Path
    from tui_pos.config import load_config
    from tui_pos.domain.basket import Basket
    from tui_pos.domain.errors import PosError
    from tui_pos.domain.tenders import TenderKind
    from tui_pos.services import catalog, checkout, members, staff
    from tui_pos.services.context import open_shop

    home, code, url, card, go = sys.argv[1:6]
    config = load_config(env={"TUI_POS_HOME": home, "HOME": home})
    config = replace(config, store_code=code, store_name="Store " + code, db_path=Path(home) / "shop.db",
                     central=replace(config.central, url=url, timezone="Asia/Shanghai"))
    ctx = open_shop(config)
    who = staff.login(ctx, "001", "1111")
    basket = Basket()
    basket.add(catalog.product_for_scan("6902"), 3)  # 38.97
    basket.attach(members.find_one(card), 0)
    plan = checkout.new_plan(ctx, basket)
    plan.add(TenderKind.STORED_VALUE, plan.due)
    checkout.member_tenders_ready(ctx)  # head office's connection open before the start
    Path(home, "ready").touch()
    while not Path(go).exists():  # both stores at the starting line, then at once
        time.sleep(0.005)
    try:
        print(json.dumps({"won": checkout.complete_sale(ctx, who, basket, plan).order_no}))
    except PosError as exc:
        print(json.dumps({"refused": exc.message}))
    """
)


def test_two_stores_pay_by_stored_value_at_once_with_a_balance_for_one(central, tmp_path):
    a = make_shop(tmp_path, "01", central.url)
    b = make_shop(tmp_path, "02", central.url)
    with a.open() as ctx:
        import_with_balance(ctx, "V0001", "13900000002", "李雷", "50.00")
        uid = MemberRow.get(MemberRow.card_no == "V0001").uid
        sync_once(central.db, ctx)
    assert central_member(central.db, uid)[1] == 5000
    with b.open() as ctx:
        [mirror] = members.lookup(ctx, cashier(ctx), "V0001")
        assert mirror.balance == 5000
        sync_once(central.db, ctx)

    go = tmp_path / "go"
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", PAY, str(tmp_path / f"store{code}"), code, central.url, "V0001", str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=os.getcwd(),
        )
        for code in ("01", "02")
    ]
    try:
        for code, run in zip(("01", "02"), runs, strict=True):
            ready = tmp_path / f"store{code}" / "ready"
            while not ready.exists():
                assert run.poll() is None, run.communicate()
        go.touch()
        answers = [run.communicate(timeout=120) for run in runs]
    finally:
        for run in runs:
            if run.poll() is None:
                run.kill()
    results = [json.loads(out.strip().splitlines()[-1]) for out, err in answers]
    assert sorted(next(iter(r)) for r in results) == ["refused", "won"], answers
    [refused] = [r["refused"] for r in results if "refused" in r]
    assert refused == "李雷's stored value is 11.03 at head office: not enough for 38.97"
    assert central_member(central.db, uid)[1] == 1103  # 50.00 - 38.97, once

    for shop in (a, b):
        with shop.open() as ctx:
            sync_once(central.db, ctx)
    assert central_member(central.db, uid)[1] == 1103  # the winner's move settled its hold
    assert one(central.db, "SELECT COUNT(*) FROM member_hold") == 0
    assert conflicts(central.db) == []
    assert one(central.db, "SELECT MIN(balance) FROM member") >= 0


def test_a_debit_tried_again_after_the_stores_write_failed_takes_nothing_twice(central, tmp_path, monkeypatch):
    shop = make_shop(tmp_path, "01", central.url)
    with shop.open() as ctx:
        import_with_balance(ctx, "V0002", "13900000003", "韩梅梅", "20.00")
        uid = MemberRow.get(MemberRow.card_no == "V0002").uid
        sync_once(central.db, ctx)
        who = cashier(ctx)
        member = members.refreshed(ctx, who, members.find_one("V0002"))
        basket = Basket()
        basket.add(catalog.product_for_scan("6901"), 2)  # 6.00 at the member price
        basket.attach(member, 0)
        plan = checkout.new_plan(ctx, basket)
        plan.add(TenderKind.STORED_VALUE, 500)
        plan.add(TenderKind.CASH, 100)

        real = printing.queue_receipt

        def broken(*args, **kwargs):
            raise OSError("disk trouble")

        monkeypatch.setattr(printing, "queue_receipt", broken)
        with pytest.raises(OSError):
            checkout.complete_sale(ctx, who, basket, plan)
        assert SaleRow.select().count() == 0  # nothing here ...
        assert central_member(central.db, uid)[1:] == (1500, 0)  # ... head office took 5.00
        hold = plan.hold_uid
        assert hold

        monkeypatch.setattr(printing, "queue_receipt", real)
        result = checkout.complete_sale(ctx, who, basket, plan)  # the cashier presses Enter again
        assert plan.hold_uid == hold
        assert central_member(central.db, uid)[1:] == (1500, 0)  # the same hold: nothing more taken
        move = StoredValueMoveRow.get(StoredValueMoveRow.sale == result.sale_id)
        assert (move.uid, move.amount) == (hold, -500)
        assert MemberRow.get_by_id(member.id).balance == 1500
        sync_once(central.db, ctx)
    assert central_member(central.db, uid)[1:] == (1500, 6)  # the move settled the hold; 6 points earned
    assert one(central.db, "SELECT COUNT(*) FROM member_hold") == 0


def test_a_points_debit_beyond_the_chains_points_is_refused_with_them(central, tmp_path):
    shop = make_shop(tmp_path, "01", central.url)
    with shop.open() as ctx:
        who = cashier(ctx)
        signed_up = members.create(ctx, who, "P0001", "13900000004", "Tom")
        sync_once(central.db, ctx)
        fast.run("UPDATE member SET points = 900 WHERE id = ?", (signed_up.id,))  # a stale copy here
        with pytest.raises(ChainRefused, match="Tom has 0 points at head office: not enough for 300"):
            sell_to(ctx, who, members.get(signed_up.id), {"6901": 1}, [(TenderKind.POINTS, None)])
        assert SaleRow.select().count() == 0


def offline(shop):
    url = f"postgresql://store@127.0.0.1:{closed_port()}/chain"
    return replace(shop, config=replace(shop.config, central=replace(shop.config.central, url=url)))


def test_stored_value_is_refused_offline_and_cash_still_pays(tmp_path):
    shop = offline(make_shop(tmp_path, "01", "postgresql://unused@127.0.0.1:1/chain"))
    with shop.open() as ctx:
        who = cashier(ctx)
        member = members.find_one("M000001")
        assert members.refreshed(ctx, who, member) == member  # offline: as this store has them
        with pytest.raises(PaymentError) as refused:
            checkout.member_tenders_ready(ctx)
        assert refused.value.message == "Stored value and points need the link to head office: choose another tender"
        for tender in (TenderKind.STORED_VALUE, TenderKind.POINTS):
            with pytest.raises(PaymentError, match="need the link to head office"):
                sell_to(ctx, who, member, {"6901": 1}, [(tender, None)])
        assert SaleRow.select().count() == 0
        assert MemberRow.get_by_id(member.id).balance == 10000  # nothing taken
        sale, _ = sell_to(ctx, who, member, {"6901": 1}, [(TenderKind.CASH, None)])
        assert SaleRow.get_by_id(sale.sale_id).member_id == member.id
    set_language("zh")
    assert tr(refused.value.template) == "储值和积分付款需要总部联网，请选其他付款方式"


def test_a_lookup_offline_says_head_office_could_not_be_asked(tmp_path):
    shop = offline(make_shop(tmp_path, "01", "postgresql://unused@127.0.0.1:1/chain"))
    with shop.open() as ctx:
        with pytest.raises(NotFound) as missing:
            members.lookup(ctx, cashier(ctx), "13900000009")
        assert missing.value.message.startswith(
            "No member matches 13900000009 at this store, and head office cannot be reached to look at the other stores"
        )


def test_a_phone_another_store_has_is_refused_online_and_lands_in_conflicts_offline(central, tmp_path):
    a = make_shop(tmp_path, "01", central.url)
    b = make_shop(tmp_path, "02", central.url)
    with a.open() as ctx:
        members.create(ctx, cashier(ctx), "A0005", "13900000005", "张丽")
        sync_once(central.db, ctx)
    with b.open() as ctx:
        who = cashier(ctx)
        with pytest.raises(Conflict) as taken:
            members.create(ctx, who, "B0005", "13900000005", "张丽")
        assert taken.value.message == (
            "Phone 139****0005 already belongs to member A0005, signed up at store 01: "
            "find the member (F2) instead of signing them up again"
        )
        assert taken.value.field == "phone"
        with pytest.raises(Conflict, match="Card no. A0005 already belongs to a member of store 01"):
            members.create(ctx, who, "A0005", "13900000006", "Other")
        assert MemberRow.select().where(MemberRow.card_no.in_(["A0005", "B0005"])).count() == 0
    down = offline(b)
    with down.open() as ctx:  # head office out of reach: the sign-up goes ahead ...
        created = members.create(ctx, cashier(ctx), "B0005", "13900000005", "张丽")
    with b.open() as ctx:
        sync_once(central.db, ctx)  # ... and the clash lands among head office's conflicts
    assert conflicts(central.db) == [("member", created.card_no)]


def test_the_history_shows_every_stores_purchases(central, tmp_path):
    a = make_shop(tmp_path, "01", central.url)
    b = make_shop(tmp_path, "02", central.url)
    with a.open() as ctx:
        who = cashier(ctx)
        signed_up = members.create(ctx, who, "H0001", "13900000007", "Ann")
        at_a, _ = sell_to(ctx, who, signed_up, {"6903": 1}, [(TenderKind.CASH, None)])
        sync_once(central.db, ctx)
    with b.open() as ctx:
        who = cashier(ctx)
        [mirror] = members.lookup(ctx, who, "H0001")
        at_b, _ = sell_to(ctx, who, mirror, {"6901": 1}, [(TenderKind.CASH, None)])
        before_sync = member_history.chain_history(ctx, mirror.id)  # 02's sale not uploaded yet: still shown
        sync_once(central.db, ctx)
        after_sync = member_history.chain_history(ctx, mirror.id)
    for history in (before_sync, after_sync):
        assert history is not None and history.everywhere
        assert {(p.store_code, p.order_no) for p in history.purchases} == {("01", at_a.order_no), ("02", at_b.order_no)}
        assert (history.sale_count, history.sale_total) == (2, at_a.total + at_b.total)
    down = offline(b)
    with down.open() as ctx:
        here = member_history.chain_history(ctx, mirror.id)
    assert here is not None and not here.everywhere and here.cause
    assert [(p.store_code, p.order_no) for p in here.purchases] == [("02", at_b.order_no)]


def test_a_phone_tail_several_members_of_another_store_share_lists_them_all(central, tmp_path):
    a = make_shop(tmp_path, "01", central.url)
    b = make_shop(tmp_path, "02", central.url)
    with a.open() as ctx:
        who = cashier(ctx)
        for n, name in enumerate(("Amy", "Bob", "Cai")):
            members.create(ctx, who, f"T000{n}", f"139{n:04d}0777", name)
        sync_once(central.db, ctx)
    with b.open() as ctx:
        who = cashier(ctx)
        found = members.lookup(ctx, who, "0777")  # nobody here: the last four digits at head office
        assert sorted(m.name for m in found) == ["Amy", "Bob", "Cai"]
        assert {MemberRow.get_by_id(m.id).origin_store for m in found} == {"01"}
        assert sorted(m.name for m in members.search("0777")) == ["Amy", "Bob", "Cai"]  # kept here now
        with pytest.raises(NotFound, match="No member matches 0778 at any store of the chain"):
            members.lookup(ctx, who, "0778")
