"""A store's upload at head office: each change once, in one transaction, ids per store, times in UTC."""

from __future__ import annotations

import socket
import threading
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from tests.central.shopday import Outbox, busy_day, open_shift, sale, store_basics

from tui_pos.central import schema
from tui_pos.central.apply import apply_changes, plan, register_store, server_now, store_seen
from tui_pos.central.connect import open_central
from tui_pos.central.errors import CentralDown, describe
from tui_pos.central.sql import one, run
from tui_pos.domain.sync import Change

ZONE = ZoneInfo("Asia/Shanghai")


def counts(db) -> dict[str, int]:
    return {t.name: one(db, f'SELECT count(*) FROM "{t.name}"') for t in schema.TABLES}


def test_a_batch_applied_twice_is_kept_once_and_received_holds_each_change_once(central_db):
    store = register_store(central_db, "01", "One")
    assert register_store(central_db, "01", "One") == store  # by code: the same number again
    out = busy_day(20, 3)
    first = out.changes[:150]
    assert apply_changes(central_db, store, first, ZONE) == 150
    once = counts(central_db)
    assert apply_changes(central_db, store, first, ZONE) == 0  # the store crashed before marking them sent
    assert counts(central_db) == once
    # a resent batch that goes on past where the first stopped applies only the new part
    assert apply_changes(central_db, store, out.changes[100:], ZONE) == len(out.changes) - 150
    assert one(central_db, "SELECT count(*) FROM received") == len(out.changes)
    assert one(central_db, "SELECT count(DISTINCT uid) FROM received") == len(out.changes)
    assert one(central_db, "SELECT max(seq) FROM received WHERE store_no = %s", (store,)) == len(out.changes)
    assert one(central_db, "SELECT count(*) FROM sale") == 20
    assert one(central_db, "SELECT count(*) FROM refund") == 3


def test_a_change_twice_in_one_batch_is_applied_once(central_db):
    store = register_store(central_db, "01", "One")
    out = busy_day(1, 0)
    assert apply_changes(central_db, store, out.changes + out.changes[:3], ZONE) == len(out.changes)


def test_a_refused_change_lands_in_conflict_and_the_rest_of_its_batch_goes_in(central_db):
    store = register_store(central_db, "01", "One")
    out = busy_day(2, 0)
    bad = Change(999, str(uuid.uuid4()), "sale_line", "upsert", str(uuid.uuid4()), {"id": 99})
    broken = [*out.changes[:5], bad, *out.changes[5:]]  # a line without its sale, product or amounts
    assert apply_changes(central_db, store, broken, ZONE) == len(broken)
    assert one(central_db, "SELECT count(*) FROM received") == len(broken)  # the whole batch: never sent again
    assert one(central_db, "SELECT count(*) FROM sale") == 2
    assert one(central_db, "SELECT count(*) FROM sale_line WHERE uid = %s", (bad.row_uid,)) == 0
    conflict = run(central_db, "SELECT store_no, change_uid::text, kind, tbl, error, data FROM conflict").fetchall()
    assert len(conflict) == 1
    store_no, change_uid, kind, table, error, data = conflict[0]
    assert (store_no, change_uid, kind, table) == (store, bad.uid, "sale", "sale_line")
    assert "null value" in error and data["row"] == {"id": 99} and data["row_uid"] == bad.row_uid
    assert apply_changes(central_db, store, broken, ZONE) == 0  # sent again: nothing twice, no second conflict
    assert one(central_db, "SELECT count(*) FROM conflict") == 1


def test_ids_foreign_keys_and_booleans_are_remapped(central_db):
    register_store(central_db, "01", "One")
    store = register_store(central_db, "02", "Two")
    apply_changes(central_db, store, busy_day(2, 1).changes, ZONE)
    span = schema.SPAN
    line = run(central_db, "SELECT id, sale_id, product_id, store_no FROM sale_line ORDER BY id LIMIT 1").fetchone()
    assert line == (2 * span + 1, 2 * span + 1, 2 * span + 1, 2)
    assert run(central_db, "SELECT training, member_id FROM sale ORDER BY id").fetchall() == [
        (False, 2 * span + 1),  # the first sale is the member's
        (False, None),
    ]
    assert one(central_db, "SELECT sale_line_id FROM refund_line") == 2 * span + 1
    assert one(central_db, "SELECT active FROM product ORDER BY id LIMIT 1") is True


def test_times_arrive_in_utc_and_read_back_in_the_shops_zone(central_db, pg_url):
    store = register_store(central_db, "01", "One")
    out = Outbox()
    store_basics(out)
    shift = open_shift(out, datetime(2026, 12, 1, 8))
    sale(out, shift, datetime(2026, 12, 1, 8, 30, 15), [(1, 1)], order_no="S01-20261201-0001")
    apply_changes(central_db, store, out.changes, ZONE)
    utc = one(central_db, "SELECT created_at AT TIME ZONE 'UTC' FROM sale")
    assert utc == datetime(2026, 12, 1, 0, 30, 15)  # 08:30:15 in Shanghai
    shop = open_central(pg_url, timezone="Asia/Shanghai")
    try:
        assert one(shop, "SELECT created_at FROM sale") == datetime(2026, 12, 1, 8, 30, 15)  # naive, local
        # a naive parameter is the shop's local time too, as report ranges are
        assert one(shop, "SELECT count(*) FROM sale WHERE created_at >= %s", (datetime(2026, 12, 1, 8, 30),)) == 1
    finally:
        shop.close()


def test_server_now_is_utc_and_store_seen_notes_the_skew(central_db):
    store = register_store(central_db, "01", "One")
    now = server_now(central_db)
    assert now.tzinfo is UTC and abs(now - datetime.now(UTC)) < timedelta(minutes=1)
    store_seen(central_db, store, -42)
    assert run(central_db, "SELECT last_seen IS NOT NULL, last_clock_skew_s FROM chain_store").fetchone() == (True, -42)


def test_plan_groups_a_till_s_writes_into_few_statements_and_keeps_what_must_stay_in_order():
    out = busy_day(60, 0)
    groups = plan(out.changes)
    assert len(groups) < len(out.changes) // 10
    # a row's last statement carries its last change (an earlier one in that statement was replaced)
    kept = [c for g in groups for c in g.rows.values()]
    final = {}
    for group in groups:
        for row_uid, change in group.rows.items():
            final[row_uid] = change.seq
    assert final == {c.row_uid: c.seq for c in out.changes}  # later changes overwrite: the last one wins
    # a sale's lines come after their sale, and a member's change between two of their sales splits them
    position = {c.seq: i for i, g in enumerate(groups) for c in g.rows.values()}
    sales = {c.data["id"]: position[c.seq] for c in kept if c.table == "sale"}
    assert all(position[c.seq] > sales[c.data["sale_id"]] for c in kept if c.table == "sale_line")
    assert len(set(sales.values())) > 1


def test_a_thirty_thousand_change_day_in_batches_of_500_adds_up(central_db):
    """THE test of a busy day's upload: 3,500 sales and 100 refunds (about 30,000 changes); its
    speed is measured by bench/, not here."""
    store = register_store(central_db, "01", "One")
    out = busy_day(3500, 100)
    assert len(out.changes) > 29_000
    applied = sum(
        apply_changes(central_db, store, out.changes[i : i + 500], ZONE) for i in range(0, len(out.changes), 500)
    )
    assert applied == len(out.changes)
    expected_total = sum(row["total"] for (table, _), row in out.rows.items() if table == "sale")
    assert run(central_db, "SELECT count(*), sum(total) FROM sale").fetchone() == (3500, expected_total)
    assert one(central_db, "SELECT sum(amount) FROM sale_day") == expected_total
    assert one(central_db, "SELECT sum(amount) FROM product_day") == expected_total
    assert one(central_db, "SELECT sum(amount) FROM payment") == expected_total - sum(
        row["amount"] for (table, _), row in out.rows.items() if table == "refund"
    )
    stock = {pid: out.rows[("product", pid)]["stock"] for pid in (1, 2, 3)}
    assert dict(run(central_db, "SELECT id % 10000000000, stock FROM product").fetchall()) == stock
    assert one(central_db, "SELECT status FROM shift") == "closed"
    assert one(central_db, "SELECT count(*) FROM received") == len(out.changes)


def test_a_server_that_does_not_answer_is_a_timeout_not_a_hang():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts the connection, never says a word
    port = listener.getsockname()[1]
    stop = threading.Event()
    try:
        with pytest.raises(CentralDown) as caught:
            open_central(f"postgresql://u@127.0.0.1:{port}/chain", timeout_s=1)
        assert caught.value.cause == "timeout"
        assert f"127.0.0.1:{port}" in caught.value.message
    finally:
        stop.set()
        listener.close()


def test_a_closed_port_is_refused_in_plain_words():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(CentralDown) as caught:
        open_central(f"postgresql://u@127.0.0.1:{port}/chain", timeout_s=1)
    assert caught.value.cause == "refused"
    assert caught.value.message == (
        f"Head office cannot be reached at 127.0.0.1:{port} (connection refused): "
        "selling goes on; the queue uploads when the link is back"
    )


@pytest.mark.parametrize(
    ("text", "cause"),
    [
        ('connection failed: FATAL:  password authentication failed for user "store01"', "password"),
        ('connection failed: FATAL:  database "chain" does not exist', "no_database"),
        (
            'FATAL:  no pg_hba.conf entry for host "10.0.0.5", user "store01", database "chain", no encryption',
            "tls_required",
        ),
        ("server does not support SSL, but SSL was required", "tls_unavailable"),
        ("consuming input failed: server closed the connection unexpectedly", "gone"),
        ("terminating connection due to administrator command", "gone"),
    ],
)
def test_each_cause_has_its_plain_message(text, cause):
    down = describe(Exception(text), "hq.example:5432", database="chain", user="store01")
    assert down.cause == cause
    assert "hq.example:5432" in down.message and "Traceback" not in down.message


def test_a_server_gone_mid_transaction_is_central_down_and_keeps_nothing(central_db, pg_url, monkeypatch):
    from tui_pos.central import apply

    store = register_store(central_db, "01", "One")
    victim = open_central(pg_url)
    pid = one(victim, "SELECT pg_backend_pid()")
    upsert = apply._upsert

    def cut_then_upsert(*args, **kwargs):  # the receipts are written, the rows not yet
        run(central_db, "SELECT pg_terminate_backend(%s)", (pid,))
        return upsert(*args, **kwargs)

    monkeypatch.setattr(apply, "_upsert", cut_then_upsert)
    with pytest.raises(CentralDown) as caught:
        apply_changes(victim, store, busy_day(3, 0).changes, ZONE)
    assert caught.value.cause == "gone"
    assert "broke during an upload" in caught.value.message
    assert one(central_db, "SELECT count(*) FROM received") == 0
    assert one(central_db, "SELECT count(*) FROM sale") == 0
