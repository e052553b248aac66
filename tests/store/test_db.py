"""The store on a real SQLite file: pragmas, permissions, schema, uniqueness, numbers, audit chain."""

from __future__ import annotations

import os
import sqlite3
import stat
from dataclasses import replace
from datetime import date
from itertools import pairwise

import pytest
from peewee import IntegrityError

from tui_pos.config import load_config
from tui_pos.domain.errors import Conflict
from tui_pos.services.context import close_shop, open_shop
from tui_pos.store import audit, models
from tui_pos.store.db import BUSY_TIMEOUT_MS, SCHEMA_VERSION, close_database, open_database, write
from tui_pos.store.models import (
    AuditRow,
    MemberRow,
    ProductRow,
    SaleLineRow,
    SchemaVersionRow,
    SequenceRow,
    StaffRow,
)
from tui_pos.store.sequences import next_number


def pragma(name: str):
    return models.database.execute_sql(f"PRAGMA {name}").fetchone()[0]


def test_pragmas_in_effect(ctx):
    assert str(pragma("journal_mode")).lower() == "wal"
    assert pragma("foreign_keys") == 1
    assert pragma("busy_timeout") > 0
    assert pragma("busy_timeout") == BUSY_TIMEOUT_MS
    assert pragma("synchronous") == 2  # FULL: a committed sale survives a power cut


def test_training_keeps_normal_sync(tmp_path):
    """Nothing in training is money: the faster NORMAL is enough there."""
    config = load_config(env={"TUI_POS_HOME": str(tmp_path), "HOME": str(tmp_path)}, training=True)
    open_shop(config)
    try:
        assert pragma("synchronous") == 1  # NORMAL
    finally:
        close_shop()


def test_an_upgrade_keeps_a_copy_of_the_old_database_first(ctx):
    """A shop that installs a newer release: its database migrates on the first start, and the
    file as it was waits in backups/ (a name backup rotation never deletes)."""
    path = ctx.config.db_path
    models.database.execute_sql("UPDATE schema_version SET version = ?", (SCHEMA_VERSION - 1,))
    products = ProductRow.select().count()
    close_database()
    open_database(path, create=False)
    assert max(r.version for r in SchemaVersionRow.select()) == SCHEMA_VERSION
    copies = list((path.parent / "backups").glob(f"{path.stem}.v{SCHEMA_VERSION - 1}-*.db"))
    assert len(copies) == 1
    assert stat.S_IMODE(os.stat(copies[0]).st_mode) == 0o600
    old = sqlite3.connect(copies[0])
    try:
        assert old.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == SCHEMA_VERSION - 1
        assert old.execute("SELECT COUNT(*) FROM product").fetchone()[0] == products
    finally:
        old.close()
    assert not list((path.parent / "backups").glob(f"{path.stem}-*.db"))  # not one of the rotated backups


def test_a_database_from_a_newer_release_is_left_alone(ctx):
    path = ctx.config.db_path
    models.SchemaVersionRow.create(version=SCHEMA_VERSION + 1)
    close_database()
    with pytest.raises(Conflict, match="newer tui-pos"):
        open_database(path, create=False)
    close_database()
    check = sqlite3.connect(path)
    try:
        assert check.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == SCHEMA_VERSION + 1
    finally:
        check.close()
    assert not (path.parent / "backups").exists()


def test_database_file_is_private(ctx):
    path = ctx.config.db_path
    assert path.exists()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    # SQLite gives its side files the database file's permissions
    for side in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if side.exists():
            assert stat.S_IMODE(os.stat(side).st_mode) & 0o077 == 0


def test_fresh_database_is_private_even_with_a_lax_umask(tmp_path):
    old = os.umask(0o022)
    try:
        db_path = tmp_path / "sub" / "new.db"
        open_database(db_path)
        assert stat.S_IMODE(os.stat(db_path).st_mode) == 0o600
    finally:
        os.umask(old)
        close_database()


def test_schema_version_row_and_reopen_is_idempotent(ctx):
    assert [r.version for r in SchemaVersionRow.select()] == [SCHEMA_VERSION]
    close_database()
    open_database(ctx.config.db_path, create=False)
    assert [r.version for r in SchemaVersionRow.select()] == [SCHEMA_VERSION]
    assert StaffRow.select().count() == 3  # the data survived


def test_open_without_create_refuses_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        open_database(tmp_path / "missing.db", create=False)
    assert not (tmp_path / "missing.db").exists()


def test_unique_barcode(ctx):
    with pytest.raises(IntegrityError), models.database.atomic():
        ProductRow.create(barcode="6901", name="dup", category="x", price=1)
    assert ProductRow.select().where(ProductRow.barcode == "6901").count() == 1


def test_unique_member_card_and_phone(ctx):
    with pytest.raises(IntegrityError), models.database.atomic():
        MemberRow.create(card_no="M000001", phone="13900000000", phone_tail="0000", name="x")
    with pytest.raises(IntegrityError), models.database.atomic():
        MemberRow.create(card_no="M000099", phone="13800001234", phone_tail="1234", name="x")
    assert MemberRow.select().count() == 1


def test_foreign_keys_enforced(ctx):
    product = ProductRow.get(ProductRow.barcode == "6901")
    with pytest.raises(IntegrityError), models.database.atomic():
        SaleLineRow.create(
            sale=987654,
            line_no=1,
            product=product,
            barcode="6901",
            name="x",
            category="x",
            qty=1,
            list_price=1,
            unit_price=1,
            discount=0,
            paid=1,
        )


def test_sequences_count_per_day_and_prefix(ctx):
    day = date(2026, 11, 22)
    assert write(lambda: next_number("S", day, store="01")) == "S01-20261122-0001"
    assert write(lambda: next_number("S", day, store="01")) == "S01-20261122-0002"
    assert write(lambda: next_number("R", day, store="01")) == "R01-20261122-0001"  # each kind counts alone
    assert write(lambda: next_number("S", date(2026, 11, 23), store="01")) == "S01-20261123-0001"  # a new day
    assert write(lambda: next_number("S", day, store="01")) == "S01-20261122-0003"
    assert write(lambda: next_number("S", day, store="02")) == "S02-20261122-0001"  # each store counts alone
    assert write(lambda: next_number("S", day, store="bj1")) == "SBJ1-20261122-0001"  # as a lookup types it
    training = replace(ctx.config, training=True)
    assert training.order_prefix == "T"
    assert ctx.config.order_prefix == ""
    assert write(lambda: next_number("S", day, training.order_prefix, store="01")) == "TS01-20261122-0001"
    assert write(lambda: next_number("S", day, store="")) == "S20261122-0001"  # a shop without a code: as before


def test_sequence_rolls_back_with_its_transaction(ctx):
    day = date(2026, 11, 22)

    def take_and_fail():
        next_number("S", day, store="01")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write(take_and_fail)
    assert SequenceRow.select().where(SequenceRow.key == "S01-20261122").count() == 0
    assert write(lambda: next_number("S", day, store="01")) == "S01-20261122-0001"


def test_audit_chain_intact_then_detects_edit(ctx):
    # the fixture's staff set-up and logins already wrote entries
    assert AuditRow.select().count() > 0
    for i in range(3):
        write(lambda i=i: audit.append("001", "test", f"entity{i}", {"n": i, "name": "张三"}))
    assert audit.verify() is None

    rows = list(AuditRow.select().order_by(AuditRow.id))
    for a, b in pairwise(rows):
        assert b.prev_hash == a.hash
    target = rows[-2]
    models.database.execute_sql("UPDATE audit_log SET detail = ? WHERE id = ?", ('{"n": 99}', target.id))
    assert audit.verify() == target.id


def test_audit_chain_detects_deleted_row(ctx):
    for i in range(3):
        write(lambda i=i: audit.append("001", "test", f"entity{i}"))
    rows = list(AuditRow.select().order_by(AuditRow.id))
    models.database.execute_sql("DELETE FROM audit_log WHERE id = ?", (rows[-2].id,))
    assert audit.verify() == rows[-1].id


def test_audit_chain_detects_forged_hash(ctx):
    write(lambda: audit.append("001", "test", "a"))
    write(lambda: audit.append("001", "test", "b"))
    rows = list(AuditRow.select().order_by(AuditRow.id))
    # rewriting an entry *and* its own hash without the shop's key: the keyed hash no longer matches
    forged = rows[-2]
    new_detail = '{"forged": true}'
    new_hash = audit._digest(forged.prev_hash, forged.at, forged.staff_code, forged.action, forged.entity, new_detail)
    models.database.execute_sql(
        "UPDATE audit_log SET detail = ?, hash = ? WHERE id = ?", (new_detail, new_hash, forged.id)
    )
    assert audit.verify() == forged.id


def test_audit_entry_rolls_back_with_failed_change(ctx):
    before = AuditRow.select().count()

    def fail():
        audit.append("001", "test", "x")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        write(fail)
    assert AuditRow.select().count() == before


def test_busy_database_gives_a_clear_error_and_writes_nothing(ctx):
    """Another till holds the write lock: the cashier gets StoreBusy, not a traceback."""
    import sqlite3

    from tui_pos.domain.errors import StoreBusy

    models.database.execute_sql("PRAGMA busy_timeout = 20")  # keep the test quick
    other = sqlite3.connect(str(ctx.config.db_path), timeout=0)
    try:
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(StoreBusy) as info:
            write(lambda: next_number("S", date(2026, 11, 22), store="01"))
        assert "try again" in info.value.message
        assert not models.database.in_transaction()
    finally:
        other.rollback()
        other.close()
    # once the other till is done, the same write goes through
    assert write(lambda: next_number("S", date(2026, 11, 22), store="01")) == "S01-20261122-0001"


def test_too_old_sqlite_is_refused_with_a_clear_message(tmp_path, monkeypatch):
    import sqlite3

    import pytest

    from tui_pos.domain.errors import Conflict
    from tui_pos.store.db import open_database

    monkeypatch.setattr(sqlite3, "sqlite_version_info", (3, 22, 0))
    monkeypatch.setattr(sqlite3, "sqlite_version", "3.22.0")
    with pytest.raises(Conflict, match="3.24 or newer; this Python has 3.22.0"):
        open_database(tmp_path / "shop.db")
    assert not (tmp_path / "shop.db").exists()
