"""A store's own database role (README: one per store): it uploads and pulls, and with row-level
security it cannot write or read another store's rows."""

from __future__ import annotations

import uuid
from zoneinfo import ZoneInfo

import peewee
import pytest
from tests.central.shopday import busy_day

from tui_pos.central import schema
from tui_pos.central.apply import apply_changes, register_store, server_now, store_seen
from tui_pos.central.connect import open_central
from tui_pos.central.hq import changes_since, record_change
from tui_pos.central.sql import one, run

ZONE = ZoneInfo("Asia/Shanghai")


def test_a_store_role_uploads_its_own_rows_and_nobody_elses(central_db, pg_url):
    one_, two = register_store(central_db, "01", "One"), register_store(central_db, "02", "Two")
    apply_changes(central_db, two, busy_day(2, 0, code="02").changes, ZONE)
    record_change(central_db, "product", "6901", {"price": 400}, "boss")
    role = f"store01_{uuid.uuid4().hex[:8]}"
    run(central_db, f'CREATE ROLE "{role}" LOGIN')
    schema.grant_store(central_db, role, one_)
    store = open_central(pg_url.replace("postgres@", f"{role}@", 1))
    try:
        assert register_store(store, "01", "One") == one_  # its first sync: the number head office gave it
        store_seen(store, one_, 3)
        server_now(store)
        assert apply_changes(store, one_, busy_day(3, 1).changes, ZONE) > 0
        assert one(store, "SELECT count(*) FROM sale") == 3  # store 02's two sales are not shown to it
        assert [c.key for c in changes_since(store, 0)] == ["6901"]
        with pytest.raises(peewee.DatabaseError, match="row-level security"):
            apply_changes(store, two, busy_day(1, 0, code="02").changes, ZONE)  # under store 02's number
    finally:
        store.close()
    assert run(central_db, "SELECT store_no, count(*) FROM sale GROUP BY 1 ORDER BY 1").fetchall() == [
        (one_, 3),
        (two, 2),
    ]
    assert one(central_db, "SELECT sum(sales) FROM sale_day WHERE store_no = %s", (one_,)) == 3
