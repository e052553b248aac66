"""Issue 20, failure 6: a fault says its true cause, and nothing of the failed write is kept."""

from __future__ import annotations

import pytest

from tui_pos.cli import main
from tui_pos.domain.errors import StorageFault
from tui_pos.store import audit, models
from tui_pos.store.db import write
from tui_pos.store.models import AuditRow


@pytest.fixture(autouse=True)
def cli_env(tmp_path, monkeypatch):
    monkeypatch.setenv("TUI_POS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("TUI_POS_LANGUAGE", "en")


def pragma(text: str) -> int:
    return models.database.execute_sql(f"PRAGMA {text}").fetchone()[0]


def test_a_full_disk_says_so_and_keeps_nothing(ctx):
    """SQLite rolls back by itself on a full disk; the ROLLBACK after it failed with 'cannot
    rollback - no transaction is active', which is all a cashier saw before."""
    before = AuditRow.select().count()
    pragma(f"max_page_count = {pragma('page_count')}")  # the disk as full as the file is now

    def big() -> None:
        for i in range(50):
            audit.append("001", "test", f"e{i}", {"blob": "x" * 4000})

    with pytest.raises(StorageFault) as raised:
        write(big)
    assert raised.value.message == "The disk is full: free space, then Enter to retry; nothing was saved"
    assert AuditRow.select().count() == before
    pragma("max_page_count = 1073741823")  # space freed: Enter again, and it is saved
    write(big)
    assert AuditRow.select().count() == before + 50
    assert audit.verify() is None


def test_audit_verify_of_a_missing_database_creates_nothing(tmp_path, capsys):
    typo = tmp_path / "typo.db"
    assert main(["--db", str(typo), "audit", "verify"]) == 2
    assert f"No shop database at {typo}" in capsys.readouterr().err
    assert not typo.exists() and not (tmp_path / "home" / "shop.db").exists()


def test_a_garbage_database_is_named_without_a_traceback(tmp_path, capsys):
    junk = tmp_path / "shop.db"
    junk.write_bytes(b"this is not sqlite at all " * 100)
    assert main(["--db", str(junk), "audit", "verify"]) == 1
    err = capsys.readouterr().err
    assert f"{junk} is not a tui-pos database or is damaged" in err
    assert "Traceback" not in err
    assert junk.read_bytes().startswith(b"this is not sqlite")


def test_a_read_only_database_says_so(ctx):
    models.database.execute_sql("PRAGMA query_only = 1")  # as a file opened read-only behaves
    try:
        with pytest.raises(StorageFault) as raised:
            write(lambda: audit.append("001", "test"))
    finally:
        models.database.execute_sql("PRAGMA query_only = 0")
    assert "cannot be written (read-only)" in raised.value.message


def test_audit_verify_takes_a_printed_anchor(ctx, capsys):
    path = str(ctx.config.db_path)
    head = audit.head()
    assert main(["--db", path, "audit", "verify", "--anchor", f"{head.count} · {head.short}"]) == 0
    assert f"Audit trail intact: {head.count} entries" in capsys.readouterr().out
    assert main(["--db", path, "audit", "verify", "--anchor", f"{head.count + 5}:{head.short}"]) == 1
    assert (
        f"The audit trail was cut: the anchor {head.count + 5}:{head.short} showed {head.count + 5} entries"
        in capsys.readouterr().err
    )
    with pytest.raises(SystemExit):
        main(["--db", path, "audit", "verify", "--anchor", "twelve"])
    assert "is not an anchor" in capsys.readouterr().err
