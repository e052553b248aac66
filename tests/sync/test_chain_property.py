"""Three stores and head office under interleaved sales, refunds, price pushes, outages and
crashes between head office's commit and the store's mark: afterwards no uid is there twice,
head office holds exactly the union of the stores, every store's shift figures are its own,
and every store sells at head office's last price."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.sync.chain import (
    central_figures,
    central_uids,
    closed_port,
    local_figures,
    local_uids,
    make_shop,
    refund_all,
    sell,
    synced_tables,
    url_at,
)

from tui_pos.central import schema
from tui_pos.central.connect import open_central
from tui_pos.central.hq import record_change
from tui_pos.central.sql import run as central_run
from tui_pos.domain.tenders import TenderKind
from tui_pos.services import sync
from tui_pos.services.sync import SyncAgent, sync_once
from tui_pos.store import outbox
from tui_pos.store.models import ProductRow

BARCODES = ("6901", "6902", "6903")
STEP = st.tuples(
    st.integers(0, 2),  # which store
    st.sampled_from(("sale", "sale", "refund", "price", "outage", "sync", "crash")),
    st.integers(0, 999),  # what varies: item, quantity, tender, price
)


@pytest.fixture
def template(pg_url: str) -> str:
    """pg_url's database with head office's schema, copied for each example (faster than making it)."""
    db = open_central(pg_url)
    schema.create(db)
    db.close()
    return pg_url.rsplit("/", 1)[1]


@contextmanager
def head_office(template: str) -> Iterator[tuple[str, object]]:
    """A new database on the test server for each example, a copy of the template."""
    import psycopg

    server = os.environ["TUI_POS_TEST_PG_URL"]
    name = f"tp_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    url = server.rsplit("/", 1)[0] + "/" + name
    db = open_central(url)
    try:
        yield url, db
    finally:
        db.close()
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Crash(Exception):
    pass


def crash(changes: object) -> None:
    raise Crash("killed between head office's commit and the store's mark")


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(STEP, min_size=6, max_size=16))
def test_three_stores_and_head_office_agree(template, steps):
    with head_office(template) as (url, db), tempfile.TemporaryDirectory() as root:
        shops = [make_shop(Path(root), f"0{n + 1}", url, batch=25) for n in range(3)]
        sales: list[list[int]] = [[], [], []]
        prices: dict[str, int] = {}
        for store, kind, n in steps:
            with shops[store].open() as ctx:
                if kind == "sale":
                    tender = (TenderKind.CASH, TenderKind.CARD)[n % 2]
                    sales[store].append(sell(ctx, {BARCODES[n % 3]: 1 + n % 4}, tender))
                elif kind == "refund" and sales[store]:
                    refund_all(ctx, sales[store].pop(n % len(sales[store])))
                elif kind == "price":
                    barcode = BARCODES[n % 3]
                    prices[barcode] = 300 + n
                    record_change(db, "product", barcode, {"price": 300 + n}, "hq")
                elif kind == "outage":
                    before = outbox.queue_status().unsent
                    agent = SyncAgent(ctx, url=url_at(url, "127.0.0.1", closed_port()), timeout_s=1)
                    status = agent.round()
                    agent.close()
                    assert status.state == "down" and status.unsent == before
                elif kind == "sync":
                    assert sync_once(db, ctx).status.state == "up"
                elif kind == "crash" and outbox.queue_status().unsent:  # nothing queued: nothing to crash in
                    sync.after_central_commit = crash
                    try:
                        with pytest.raises(Crash):
                            sync_once(db, ctx)
                    finally:
                        sync.after_central_commit = None

        numbers = {}
        union: dict[str, set[str]] = {t: set() for t in synced_tables()}
        for shop in shops:
            with shop.open() as ctx:
                numbers[shop.code] = sync_once(db, ctx).store_no
                assert outbox.queue_status().unsent == 0
                for table in synced_tables():
                    mine = local_uids(table)
                    assert not union[table] & mine, table  # no uid in two stores
                    union[table] |= mine
                    there = central_uids(db, table, numbers[shop.code])
                    assert len(there) == len(set(there)) and set(there) == mine, (shop.code, table)
                assert central_figures(db, numbers[shop.code]) == local_figures(), shop.code
                for barcode, price in prices.items():
                    assert ProductRow.get(ProductRow.barcode == barcode).price == price, (shop.code, barcode)
        for table in synced_tables():
            everything = [str(r[0]) for r in central_run(db, f'SELECT uid::text FROM "{table}"').fetchall()]
            assert len(everything) == len(set(everything)) and set(everything) == union[table], table
