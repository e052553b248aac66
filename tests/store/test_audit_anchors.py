"""Issue 20, failure 5: the audit trail against someone with the database file and an editor.

Each attack below gave `Audit trail intact` before: the chain alone cannot see a cut tail, and
plain SHA-256 can be recomputed by anyone. Now the chain is keyed (HMAC under `audit.key`
beside the database) and held against anchors (the head printed on X/Z reports and written
beside backups)."""

from __future__ import annotations

from datetime import datetime

import pytest

from tui_pos.domain.shift import CashCount
from tui_pos.services import audit_anchors, maintenance, shifts
from tui_pos.store import audit, models
from tui_pos.store.audit import Anchor
from tui_pos.store.db import write
from tui_pos.store.models import AuditRow, ShiftRow


def sql(text: str, params: tuple = ()) -> None:
    models.database.execute_sql(text, params)


def entries(n: int) -> None:
    for i in range(n):
        write(lambda i=i: audit.append("001", "test", f"e{i}", {"n": i}))


def rehash_plain(start: int = 1) -> None:
    """What a file editor can do without the key: recompute every hash with plain SHA-256."""
    prev = ""
    for row in AuditRow.select().order_by(AuditRow.id):
        if row.id >= start:
            at = row.at if isinstance(row.at, datetime) else datetime.fromisoformat(str(row.at))
            digest = audit._digest(prev, at, row.staff_code, row.action, row.entity, row.detail)
            sql("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?", (prev, digest, row.id))
            prev = digest
        else:
            prev = row.hash


@pytest.fixture
def old_shop(ctx):
    """A shop from before the key: every entry plain SHA-256, no audit.key yet."""
    audit.key_path(ctx.config.db_path).unlink()
    audit.use_key(None)
    sql("DELETE FROM audit_log")
    entries(6)
    return ctx


def kinds(anchors: list[Anchor]) -> list[str]:
    return [p.kind for p in audit.check(anchors)]


def test_the_key_is_beside_the_database_owner_only(ctx):
    path = audit.key_path(ctx.config.db_path)
    assert path.name == "audit.key" and path.parent == ctx.config.db_path.parent
    assert path.stat().st_mode & 0o777 == 0o600
    assert audit.key_path(ctx.config.db_path.with_name("training.db")).name == "training-audit.key"


def test_a_cut_tail_is_seen_against_an_anchor(ctx):
    entries(5)
    anchor = audit.head()
    assert kinds([anchor]) == []
    sql("DELETE FROM audit_log WHERE id > ?", (anchor.count - 2,))
    assert audit.verify() is None  # the chain alone cannot tell: this is what passed before
    [problem] = audit.check([anchor])
    assert (problem.kind, problem.entry, problem.found) == ("cut", anchor.count, anchor.count - 2)
    sql("DELETE FROM audit_log")  # every row gone
    assert kinds([anchor]) == ["cut"]


def test_renumbering_is_seen(ctx, old_shop):
    """Numbers are not in a plain entry's hash, so an editor may renumber freely; the chain
    still sees every entry off its place (entries are numbered 1, 2, 3 ... with no gaps)."""
    sql("UPDATE audit_log SET id = id + 100")
    [problem] = audit.check()
    assert (problem.kind, problem.entry, problem.found) == ("renumbered", 101, 1)
    assert audit_anchors.describe(problem) == (
        "The audit trail was renumbered: entry 101 stands where entry 1 should be"
    )
    sql("UPDATE audit_log SET id = id - 100")
    assert audit.check() == []
    sql("UPDATE audit_log SET id = id + 1000 WHERE id >= 4")
    sql("UPDATE audit_log SET id = id - 999 WHERE id >= 1000")  # a gap where entry 4 was
    assert [(p.kind, p.entry) for p in audit.check()] == [("renumbered", 5)]


def test_renumbering_keyed_entries_is_seen(ctx):
    entries(3)
    sql("UPDATE audit_log SET id = id + 1000")
    sql("UPDATE audit_log SET id = id - 999")  # all moved up one: 2, 3, ...
    assert kinds([]) == ["renumbered"]


def test_a_rehash_without_the_key_is_seen_by_the_chain(ctx):
    entries(4)
    target = AuditRow.select().order_by(AuditRow.id.desc()).offset(2).first()
    sql("UPDATE audit_log SET detail = ? WHERE id = ?", ('{"n": 99}', target.id))
    rehash_plain()  # every hash recomputed, as plain SHA-256 would allow
    [problem] = audit.check()
    assert problem.kind == "rehashed" and problem.entry == 1  # keyed from the shop's first entry
    assert "without the shop's audit key" in audit_anchors.describe(problem)


def test_a_rehash_with_a_guessed_key_is_seen(ctx):
    entries(3)
    real = audit._key
    assert real is not None
    audit.use_key(audit.AuditKey(b"x" * 32, real.keyed_from))
    try:
        sql("DELETE FROM audit_log")
        entries(3)  # a forged trail, consistent under the wrong key
    finally:
        audit.use_key(real)
    assert kinds([]) == ["changed"]


def test_a_rehash_of_plain_entries_is_seen_against_an_anchor(ctx, old_shop):
    anchor = audit.head()
    sql("UPDATE audit_log SET detail = ? WHERE id = 3", ('{"n": 99}',))
    assert audit.verify() == 3
    rehash_plain(3)
    assert audit.verify() is None  # old entries have no key: only the anchor can tell
    [problem] = audit.check([anchor])
    assert problem.kind == "rehashed"
    assert "re-hashed" in audit_anchors.describe(problem)


def test_old_plain_entries_still_verify_and_new_ones_are_keyed(ctx, old_shop):
    assert audit.verify() is None
    key = audit.load_key(ctx.config.db_path, create=True)  # the first start after the upgrade
    assert key is not None and key.keyed_from == 7
    audit.use_key(key)
    entries(2)
    assert audit.verify() is None
    # a keyed entry cannot be passed off as an old plain one
    sql("UPDATE audit_log SET detail = ? WHERE id = 8", ('{"n": 5}',))
    rehash_plain(8)
    assert kinds([]) == ["rehashed"]


def test_x_and_z_reports_print_and_keep_the_head(ctx, manager, supervisor):
    shifts.print_x_report(ctx, supervisor)
    x_anchor = AuditRow.select().where(AuditRow.action == "x_report").get()
    assert ":" in x_anchor.detail
    closed = shifts.close_shift(ctx, manager, CashCount(50000))
    assert closed.report.audit_anchor == str(audit.head())
    stored = ShiftRow.get_by_id(closed.report.shift_id).z_report
    assert closed.report.audit_anchor in stored
    count, short = closed.report.audit_anchor.split(":")
    ticket = shifts.shift_ticket(ctx.config, closed.report).preview()
    assert f"{count} · {short}" in ticket
    assert audit_anchors.check(ctx.config, []) == []
    sql("DELETE FROM audit_log WHERE id > ?", (int(count) - 1,))
    said = audit_anchors.check(ctx.config, [])  # the Z's own and the backup taken at the close
    assert (
        f"The audit trail was cut: the Z report of shift {closed.report.shift_id} showed {count} entries, "
        f"it now has {int(count) - 1}"
    ) in said


def test_a_backup_has_its_anchor_beside_it(ctx):
    entries(2)
    done = maintenance.backup(ctx.config)
    path = getattr(done, "path", done)
    beside = path.with_name(path.name + ".anchor")
    assert beside.read_text().strip() == str(audit.head())
    sql("DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)")
    [said] = audit_anchors.check(ctx.config, [])
    assert said.startswith(f"The audit trail was cut: backup {path.name} showed")
