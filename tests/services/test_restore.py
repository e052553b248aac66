"""Restore and backups that hold up (issue 20, failures 1 and 2): no restore under an open till,
no fake, training or foreign file, a corrupt database replaced, and rotation that keeps good copies."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from test_maintenance import consistent, sell_one

from tui_pos.config import BackupConfig, load_config
from tui_pos.domain.errors import Conflict
from tui_pos.services import maintenance, staff, till_sessions
from tui_pos.services.context import close_shop, open_shop
from tui_pos.store.models import database

from conftest import PINS, seed

TILL = """
import sys
from dataclasses import replace
from tui_pos.config import load_config
from tui_pos.services import context, till_sessions
config = replace(load_config(env={"TUI_POS_HOME": sys.argv[1], "HOME": sys.argv[1]}), till_code="07")
context.open_shop(config)
session = till_sessions.register(config)
print("open", flush=True)
sys.stdin.read()
till_sessions.unregister(session)
context.close_shop()
"""


def sales(path: Path) -> int:
    db = sqlite3.connect(path)
    try:
        return int(db.execute("SELECT COUNT(*) FROM sale").fetchone()[0])
    finally:
        db.close()


def test_restore_is_refused_while_another_till_has_the_database_open(ctx, cashier, tmp_path):
    sell_one(ctx, cashier)
    copy = maintenance.backup(ctx.config).path
    sell_one(ctx, cashier)
    database.close()
    till = subprocess.Popen(
        [sys.executable, "-c", TILL, str(ctx.config.data_dir)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
    )
    try:
        assert till.stdout is not None and till.stdout.readline().strip() == "open"
        with pytest.raises(Conflict) as refused:
            maintenance.restore(ctx.config, copy)
        assert "Till 07" in refused.value.message and f"pid {till.pid}" in refused.value.message
        assert sales(ctx.config.db_path) == 2  # nothing changed
    finally:
        till.communicate("", timeout=60)
    assert till.returncode == 0
    assert till_sessions.open_tills(ctx.config) == []  # a clean exit removes its file
    maintenance.restore(ctx.config, copy)
    assert sales(ctx.config.db_path) == 1


def test_a_stale_heartbeat_does_not_block_a_restore(ctx, cashier):
    session = till_sessions.register(replace(ctx.config, till_code="09"))
    assert [t.till for t in till_sessions.open_tills(ctx.config)] == ["09"]
    old = session.stat().st_mtime - till_sessions.STALE_SECONDS - 5
    os.utime(session, (old, old))  # a till that lost power half a minute ago
    assert till_sessions.open_tills(ctx.config) == []


def test_a_file_with_only_the_schema_version_is_refused(ctx, tmp_path):
    fake = tmp_path / "fake.db"
    db = sqlite3.connect(fake)
    db.execute("CREATE TABLE schema_version (version INTEGER)")
    db.execute("INSERT INTO schema_version VALUES (8)")
    db.commit()
    db.close()
    database.close()
    with pytest.raises(Conflict) as refused:
        maintenance.restore(ctx.config, fake)
    assert "not a whole tui-pos database" in refused.value.message and "audit_log" in refused.value.message
    assert consistent(ctx.config.db_path) == 0  # the live shop is untouched


def test_a_training_database_is_not_restored_into_the_live_shop(ctx, cashier, tmp_path):
    database.close()
    training = load_config(env={"TUI_POS_HOME": str(ctx.config.data_dir), "HOME": str(tmp_path)}, training=True)
    trainee = open_shop(training)
    seed(trainee)
    sell_one(trainee, staff.login(trainee, "001", PINS["001"]))
    close_shop()
    with pytest.raises(Conflict) as refused:
        maintenance.restore(ctx.config, training.db_path)
    assert "training database" in refused.value.message
    assert sales(ctx.config.db_path) == 0


def test_another_stores_backup_needs_other_store(ctx, cashier, tmp_path):
    sell_one(ctx, cashier)
    copy = maintenance.backup(ctx.config, tmp_path / "b").path
    database.close()
    db = sqlite3.connect(copy)
    db.execute("UPDATE store SET code = '02'")
    db.commit()
    db.close()
    with pytest.raises(Conflict) as refused:
        maintenance.restore(ctx.config, copy)
    assert "store 02" in refused.value.message and "--other-store" in refused.value.message
    maintenance.restore(ctx.config, copy, other_store=True)
    assert sales(ctx.config.db_path) == 1


def test_a_corrupt_database_is_replaced_and_kept_aside(ctx, cashier, tmp_path):
    sell_one(ctx, cashier)
    copy = maintenance.backup(ctx.config, tmp_path / "b").path
    database.close()
    garbage = b"this was shop.db before the disk went bad " * 200
    ctx.config.db_path.write_bytes(garbage)
    done = maintenance.restore(ctx.config, copy, actor="003")
    assert done.kept is None and done.broken is not None
    assert done.broken.name.startswith("shop.db.broken-") and done.broken.read_bytes() == garbage
    assert consistent(ctx.config.db_path) == 1
    db = sqlite3.connect(ctx.config.db_path)
    who, detail = db.execute("SELECT staff_code, detail FROM audit_log WHERE action = 'restore'").fetchone()
    db.close()
    assert who == "003" and maintenance.sha256_of(copy) in detail  # audited with the file's hash


def test_rotation_after_a_failed_backup_keeps_the_good_ones(ctx, cashier, tmp_path, monkeypatch):
    folder = tmp_path / "b"
    sell_one(ctx, cashier)
    good = [maintenance.backup(ctx.config, folder, keep=2).path for _ in range(2)]
    real_copy = maintenance._copy

    def disk_full(source: Path, target: Path, self_contained: bool = True) -> None:
        target.write_bytes(b"")  # what a full disk leaves: an empty file, then the error
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(maintenance, "_copy", disk_full)
    with pytest.raises(Conflict) as full:
        maintenance.backup(ctx.config, folder, keep=2)
    assert "The disk is full: free space, nothing was saved" in full.value.message
    assert sorted(folder.glob("*.db")) == good  # nothing left behind, the good ones untouched

    # an empty file with a backup's name (left by an older tui-pos) never counts as a good copy
    (folder / "shop-29991231-235959-000000.db").write_bytes(b"")
    monkeypatch.setattr(maintenance, "_copy", real_copy)
    newest = maintenance.backup(ctx.config, folder, keep=2).path
    assert sorted(folder.glob("*.db")) == [good[1], newest]


def test_a_full_disk_by_max_page_count_leaves_nothing_and_says_so(ctx, cashier, tmp_path, monkeypatch):
    sell_one(ctx, cashier)
    real_connect = sqlite3.connect

    def small_disk(target: object, *args: object, **kwargs: object) -> sqlite3.Connection:
        conn = real_connect(target, *args, **kwargs)  # type: ignore[arg-type]
        if str(target).endswith(".part"):
            conn.execute("PRAGMA max_page_count = 2")  # the copy runs out of room
        return conn

    monkeypatch.setattr(maintenance.sqlite3, "connect", small_disk)
    with pytest.raises(Conflict) as full:
        maintenance.backup(ctx.config, tmp_path / "b")
    assert "The disk is full" in full.value.message
    assert list((tmp_path / "b").iterdir()) == []


def test_pre_restore_copies_outlive_rotation(ctx, cashier):
    sell_one(ctx, cashier)
    copy = maintenance.backup(ctx.config).path
    database.close()
    kept = maintenance.restore(ctx.config, copy).kept
    assert kept is not None and kept.name.startswith("shop.pre-restore-") and consistent(kept) == 1
    for _ in range(3):
        maintenance.backup(ctx.config, keep=1)
    assert kept.exists()
    assert len(list(kept.parent.glob("shop-*.db"))) == 1


def test_copy_to_a_second_place_and_a_failure_there_keeps_the_first(ctx, cashier, tmp_path):
    sell_one(ctx, cashier)
    usb = tmp_path / "usb"
    config = replace(ctx.config, backup=BackupConfig(copy_to=str(usb)))
    done = maintenance.backup(config)
    assert done.copy == usb / done.path.name and consistent(done.copy) == 1 and not done.copy_error

    pulled = tmp_path / "pulled"
    pulled.write_text("a file where the stick was mounted")
    done = maintenance.backup(replace(ctx.config, backup=BackupConfig(copy_to=str(pulled))))
    assert done.copy is None and done.copy_error and done.path.exists()
