"""Backups taken while a till writes restore to a consistent shop; a tampered audit trail is caught."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from tui_pos.cli import main
from tui_pos.domain.basket import Basket
from tui_pos.domain.errors import Conflict
from tui_pos.domain.tenders import TenderKind
from tui_pos.services import catalog, checkout, maintenance
from tui_pos.store import audit
from tui_pos.store.models import database


def sell_one(ctx, cashier) -> None:
    basket = Basket()
    basket.add(catalog.product_for_scan("6901"))
    plan = checkout.new_plan(ctx, basket)
    plan.add(TenderKind.CASH, plan.due)
    checkout.complete_sale(ctx, cashier, basket, plan)


def consistent(path) -> int:
    """Integrity ok and every sale's payments, lines and stock moves agree; returns the sale count."""
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert (
            db.execute("""SELECT COUNT(*) FROM sale s WHERE s.total !=
            (SELECT COALESCE(SUM(amount), 0) FROM payment WHERE sale_id = s.id AND refund_id IS NULL)
            OR s.total != (SELECT COALESCE(SUM(paid), 0) FROM sale_line WHERE sale_id = s.id)""").fetchone()[0]
            == 0
        )
        sold = db.execute("SELECT COALESCE(SUM(qty), 0) FROM sale_line").fetchone()[0]
        moved = db.execute("SELECT COALESCE(-SUM(qty), 0) FROM stock_move WHERE reason = 'sale'").fetchone()[0]
        assert sold == moved
        stock = db.execute("SELECT stock FROM product WHERE barcode = '6901'").fetchone()[0]
        assert stock == 100 - sold
        return db.execute("SELECT COUNT(*) FROM sale").fetchone()[0]
    finally:
        db.close()


def test_backup_while_a_till_is_selling_restores_consistently(ctx, cashier, tmp_path):
    stop = threading.Event()
    errors: list[BaseException] = []

    def till() -> None:
        try:
            while not stop.is_set():
                sell_one(ctx, cashier)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            database.close()

    sell_one(ctx, cashier)
    worker = threading.Thread(target=till)
    worker.start()
    copies = [maintenance.backup(ctx.config, tmp_path / "b", keep=3, at=None).path for _ in range(5)]
    stop.set()
    worker.join()
    assert not errors
    kept = sorted((tmp_path / "b").glob("*.db"))
    assert len(kept) <= 3 and copies[-1] in kept
    counts = [consistent(path) for path in kept]
    assert all(c >= 1 for c in counts)
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in kept)

    # restore the newest copy over the live file (tills closed), and it is that shop again
    database.close()
    replaced = maintenance.restore(ctx.config, kept[-1]).kept
    assert consistent(ctx.config.db_path) == counts[-1]
    assert replaced is not None and replaced.exists() and consistent(replaced) >= counts[-1]


def test_restore_refuses_a_file_that_is_not_a_shop(ctx, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(Conflict):
        maintenance.restore(ctx.config, junk)


def test_audit_verify_catches_an_edited_row(ctx, cashier, monkeypatch, capsys):
    sell_one(ctx, cashier)
    sell_one(ctx, cashier)
    assert audit.verify() is None
    target = database.execute_sql("SELECT id FROM audit_log WHERE action = 'sale' ORDER BY id LIMIT 1").fetchone()[0]
    database.execute_sql("UPDATE audit_log SET detail = '{\"total\": 1}' WHERE id = ?", (target,))
    assert audit.verify() == target
    database.close()
    monkeypatch.setenv("TUI_POS_LANGUAGE", "en")
    assert main(["--db", str(ctx.config.db_path), "audit", "verify"]) == 1
    assert f"broken at entry {target}" in capsys.readouterr().err


def test_backup_and_restore_commands(ctx, cashier, tmp_path, monkeypatch, capsys):
    sell_one(ctx, cashier)
    database.close()
    monkeypatch.setenv("TUI_POS_LANGUAGE", "en")
    db = str(ctx.config.db_path)
    assert main(["--db", db, "backup", "--to", str(tmp_path / "usb"), "--staff", "002", "--pin", "2222"]) == 0
    written = next((tmp_path / "usb").glob("*.db"))
    assert "Backup written" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    manager = ["--staff", "003", "--pin", "3333"]
    assert main(["--db", db, "restore", str(written), *manager]) == 2  # not without --yes
    assert main(["--db", db, "restore", str(written), "--yes", *manager]) == 0
    assert consistent(ctx.config.db_path) == 1
    assert main(["--db", db, "audit", "verify"]) == 0


def test_shift_close_takes_a_backup_and_a_failed_backup_does_not_undo_the_close(ctx, cashier, manager, tmp_path):
    from dataclasses import replace

    from tui_pos.config import BackupConfig
    from tui_pos.domain.shift import CashCount
    from tui_pos.services import shifts
    from tui_pos.services.context import Context

    sell_one(ctx, cashier)
    closed = shifts.close_shift(ctx, manager, CashCount(shifts.report(ctx).expected_cash))
    copy = Path(closed.backup)
    assert copy.parent == ctx.config.data_dir / "backups" and closed.backup_error == ""
    assert consistent(copy) == 1
    assert sqlite3.connect(copy).execute("SELECT status FROM shift").fetchone() == ("closed",)

    shifts.open_shift(ctx, manager, CashCount(10000))
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the USB stick should be")
    broken = Context(replace(ctx.config, backup=BackupConfig(folder=str(blocked))), ctx.clock)
    closed = shifts.close_shift(broken, manager, CashCount(10000))
    assert closed.backup == "" and closed.backup_error
    assert shifts.current(ctx) is None  # closed all the same

    shifts.open_shift(ctx, manager, CashCount(10000))
    off = Context(replace(ctx.config, backup=BackupConfig(at_shift_close=False)), ctx.clock)
    assert shifts.close_shift(off, manager, CashCount(10000)).backup == ""
