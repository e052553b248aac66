"""Uploads on the real PostgreSQL: a batch sent twice is kept once; a store killed after head
office's commit but before it marked the rows sent keeps exactly one copy there; a link that is
down or cut in the middle of a batch stops nothing at the store, and once it is back the queue
drains and head office's figures per shift are the store's X/Z figures."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections import Counter
from dataclasses import replace

from tests.sync.chain import (
    Proxy,
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

from tui_pos.central.apply import apply_changes
from tui_pos.central.sql import run as central_run
from tui_pos.config import shop_zone
from tui_pos.domain.shift import CashCount
from tui_pos.domain.sync import Change
from tui_pos.services import shifts, sync
from tui_pos.services import staff as staff_service
from tui_pos.services.sync import SyncAgent, sync_once
from tui_pos.store import fast, outbox


def every_change() -> list[Change]:
    rows = fast.run("SELECT id, uid, tbl, op, row_uid, data, at FROM outbox ORDER BY id").fetchall()
    import json

    return [Change(i, u, t, o, r, json.loads(d), a) for i, u, t, o, r, d, a in rows]


def assert_one_copy_each(db, store_no: int) -> None:
    """Every row of the store is at head office exactly once, and nothing else of the store is."""
    for table in synced_tables():
        there = central_uids(db, table, store_no)
        twice = [uid for uid, n in Counter(there).items() if n > 1]
        assert not twice, (table, twice)
        assert set(there) == local_uids(table), table


def test_a_batch_sent_again_is_kept_once(central, tmp_path):
    shop = make_shop(tmp_path, "01", central.url)
    with shop.open() as ctx:
        sale = sell(ctx, {"6901": 2, "6902": 1})
        sell(ctx, {"6903": 1})
        refund_all(ctx, sale)
        first = sync_once(central.db, ctx)
        assert first.uploaded > 0 and first.applied == first.uploaded
        assert outbox.queue_status().unsent == 0
        counts = {t: len(central_uids(central.db, t, first.store_no)) for t in synced_tables()}

        # the same batch straight to head office again: nothing new
        with central.db.atomic():
            assert apply_changes(central.db, first.store_no, every_change(), shop_zone(ctx.config)) == 0
        # and the store believing nothing was sent (its marks lost): sent again, kept once
        fast.run("UPDATE outbox SET sent_at = NULL, attempted_at = NULL")
        again = sync_once(central.db, ctx)
        assert again.uploaded == first.uploaded and again.applied == 0
        assert outbox.queue_status().unsent == 0
        assert {t: len(central_uids(central.db, t, first.store_no)) for t in synced_tables()} == counts
        assert_one_copy_each(central.db, first.store_no)
        assert central_figures(central.db, first.store_no) == local_figures()


KILLED_UPLOAD = textwrap.dedent(
    """
    import os, signal, sys
    from dataclasses import replace
    from pathlib import Path
    from tui_pos.config import load_config
    from tui_pos.central.connect import open_central
    from tui_pos.services import sync
    from tui_pos.services.context import open_shop

    home, code, url = sys.argv[1], sys.argv[2], sys.argv[3]
    config = load_config(env={"TUI_POS_HOME": home, "HOME": home})
    config = replace(config, store_code=code, store_name="Store " + code, db_path=Path(home) / "shop.db",
                     central=replace(config.central, url=url, batch=40))
    # the worst moment: head office has committed the batch, the store has not marked it sent
    sync.after_central_commit = lambda changes: os.kill(os.getpid(), signal.SIGKILL)
    ctx = open_shop(config)
    sync.sync_once(open_central(url), ctx)
    print("not killed")
    """
)


def test_killed_after_head_office_commits_keeps_one_copy(central, tmp_path):
    shop = make_shop(tmp_path, "01", central.url, batch=40)
    with shop.open() as ctx:
        for n in range(12):
            sell(ctx, {"6901": 1 + n % 3, "6903": 1})
        total = outbox.queue_status().unsent
    assert total > 40

    killed = subprocess.run(
        [sys.executable, "-c", KILLED_UPLOAD, str(tmp_path / "store01"), "01", central.url],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=os.getcwd(),
    )
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    received = central_run(central.db, "SELECT COUNT(*) FROM received").fetchone()[0]
    assert received == 40  # the first batch reached head office ...

    with shop.open() as ctx:
        queue = outbox.queue_status()
        assert queue.unsent == total and queue.attempted_unsent == 40  # ... and the store does not know
        after = sync_once(central.db, ctx)  # the restart
        assert after.uploaded == total and after.applied == total - 40
        assert outbox.queue_status().unsent == 0
        assert_one_copy_each(central.db, after.store_no)
        assert central_figures(central.db, after.store_no) == local_figures()


def test_link_down_then_cut_mid_batch_then_back(central, tmp_path, monkeypatch):
    host_port = central.url.split("@", 1)[1].split("/", 1)[0]
    host, port = host_port.rsplit(":", 1)
    proxy = Proxy(host, int(port))
    shop = make_shop(tmp_path, "01", url_at(central.url, "127.0.0.1", proxy.port), batch=20)
    try:
        with shop.open() as ctx:
            # head office at a closed port: the store sells, the queue grows, the status says why
            nowhere = SyncAgent(ctx, url=url_at(central.url, "127.0.0.1", closed_port()), timeout_s=2)
            down = nowhere.round()
            assert down.state == "down" and "connection refused" in down.error, down
            before = down.unsent
            for n in range(8):
                sell(ctx, {"6901": 1, "6902": 1 + n % 2})
            grown = nowhere.round()
            assert grown.state == "down" and grown.unsent > before
            assert nowhere.delay() == 2  # backing off: 1 s, then 2 s ...
            nowhere.close()

            # the link is cut while the second batch is on the wire, before its commit
            calls = []
            real = apply_changes

            def cut_on_second(db, store_no, changes, zone):
                calls.append(len(changes))
                applied = real(db, store_no, changes, zone)
                if len(calls) == 2:
                    proxy.cut()
                return applied

            monkeypatch.setattr("tui_pos.central.apply.apply_changes", cut_on_second)
            agent = SyncAgent(ctx, timeout_s=2)
            cut = agent.round()
            assert cut.state == "down" and cut.error, cut
            queue = outbox.queue_status()
            assert queue.unsent == grown.unsent - 20 and queue.attempted_unsent == 20  # batch 1 sent, 2 lost
            received = central_run(central.db, "SELECT COUNT(*) FROM received").fetchone()[0]
            assert received == 20  # nothing of the cut batch was kept at head office

            # selling goes on with the link down; a refund and the shift's close too
            sale = sell(ctx, {"6903": 2})
            refund_all(ctx, sale)
            manager = staff_service.login(ctx, "003", "3333")
            report = shifts.report(ctx)
            shifts.close_shift(ctx, manager, CashCount(report.expected_cash))
            assert agent.round().state == "down"
            assert outbox.queue_status().unsent > queue.unsent

            proxy.mend()
            monkeypatch.setattr("tui_pos.central.apply.apply_changes", real)
            back = agent.round()
            assert back.state == "up" and back.unsent == 0 and back.error == "", back
            assert agent.last is not None and agent.last.applied == agent.last.uploaded
            agent.close()
            store_no = agent.last.store_no
            assert_one_copy_each(central.db, store_no)
            figures = local_figures()
            assert figures and central_figures(central.db, store_no) == figures
    finally:
        proxy.close()


def test_the_agent_never_raises_and_says_the_cause(tmp_path):
    """No PostgreSQL needed: head office at a closed port is a status, not an exception."""
    shop = make_shop(tmp_path, "01", f"postgresql://tui@127.0.0.1:{closed_port()}/chain")
    with shop.open() as ctx:
        agent = SyncAgent(ctx, timeout_s=1)
        status = agent.round()
        assert status.state == "down"
        assert status.error.startswith("Head office cannot be reached at 127.0.0.1:")
        assert "connection refused" in status.error
        assert status.unsent > 0 and status.oldest_age_s is not None  # the seeded shop waits to go up
        assert [sync.backoff(n, 5) for n in range(9)] == [5, 1, 2, 4, 8, 16, 32, 60, 60]
        assert sync.link_words(status).startswith(f"HQ down: {status.unsent} to send, oldest 1 min")
        agent.close()


def test_sync_command_once(central, tmp_path, capsys):
    from tui_pos.commands_sync import sync_command

    shop = make_shop(tmp_path, "01", "")
    with shop.open() as ctx:
        sell(ctx, {"6901": 1})
    import argparse

    nowhere = url_at(central.url, "127.0.0.1", closed_port())
    assert sync_command(shop.config, argparse.Namespace(once=True, url=nowhere)) == 2
    out = capsys.readouterr()
    assert "connection refused" in out.err and "changes wait to upload" in out.out

    assert sync_command(shop.config, argparse.Namespace(once=True, url=central.url)) == 0
    out = capsys.readouterr()
    assert "Uploaded " in out.out and "HQ linked" in out.out, out
    assert sync_command(replace(shop.config, training=True), argparse.Namespace(once=True, url=central.url)) == 2


def test_one_agent_uploads_the_others_watch(central, tmp_path):
    """Two tills of one store box with [central] url: the first to take the lock uploads, the
    other shows the queue and the link as the uploader recorded it, and takes over when it goes."""
    shop = make_shop(tmp_path, "01", central.url)
    with shop.open() as ctx:
        first, second = SyncAgent(ctx, timeout_s=2), SyncAgent(ctx, timeout_s=2)
        assert first.round().state == "up" and first.uploading
        sell(ctx, {"6901": 1})
        watched = second.round()
        assert not second.uploading and second.last is None
        assert watched.state == "up" and watched.unsent > 0  # the sale waits for the uploader
        first.round()
        assert second.round().unsent == 0

        first.url = url_at(central.url, "127.0.0.1", closed_port())  # the uploader's link goes down
        first.close()
        assert first.round().state == "down" and first.uploading
        down = second.round()
        assert down.state == "down" and "connection refused" in down.error and not second.uploading

        first.close()  # its till is closed: the lock is free
        sell(ctx, {"6902": 1})
        back = second.round()
        assert second.uploading and back.state == "up" and back.unsent == 0
        second.close()


def test_a_store_newer_than_head_office_is_told_to_migrate_there(central, tmp_path):
    """A store upgraded before head office sends a table head office lacks: the status says to
    run `tui-pos central migrate` at head office, and the queue stays whole for after it."""
    central_run(central.db, "DROP TABLE audit_log CASCADE")  # as a head office one version behind
    shop = make_shop(tmp_path, "01", central.url)
    with shop.open() as ctx:
        agent = SyncAgent(ctx, timeout_s=2)
        status = agent.round()
        agent.close()
        assert status.state == "down"
        assert "runs an older tui-pos than this store" in status.error, status.error
        assert "tui-pos central migrate" in status.error
        assert outbox.queue_status().unsent == status.unsent > 0
