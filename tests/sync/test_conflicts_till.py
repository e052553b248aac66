"""Head office's conflicts reach the till, on the real PostgreSQL: a member both stores signed up
(the same card and phone, offline) is refused at head office for the second store, and lands in
that store's local list at its next sync; a cashier may not resolve it; a manager resolves it with
a note (head office's row, the local row and the store's audit trail all record it); offline the
till says plainly that head office is needed."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from tests.sync.chain import closed_port, make_shop
from tests.sync.test_members_chain import cashier, manager, offline

from tui_pos.central.sql import run as central_run
from tui_pos.devices.printer import TrainingPrinter
from tui_pos.domain.errors import InsufficientPermission, InvalidInput
from tui_pos.services import conflicts, head_office
from tui_pos.services.sync import sync_once
from tui_pos.store.models import AuditRow, ConflictRow
from tui_pos.ui.app import make_app
from tui_pos.ui.screens.conflicts import ConflictsScreen, NoteScreen
from tui_pos.ui.screens.shift import ShiftScreen

from ui_helpers import log_in, screen_text, type_text


@pytest.fixture(autouse=True)
def _hang_up():
    yield
    head_office.close()


def test_a_refused_member_reaches_the_till_and_a_manager_resolves_it(central, tmp_path):
    a = make_shop(tmp_path, "01", central.url)
    b = make_shop(tmp_path, "02", central.url)
    with a.open() as ctx:
        sync_once(central.db, ctx)
        assert conflicts.open_conflicts() == []
    with b.open() as ctx:  # both shops are seeded with member M000001: the second is refused
        sync_once(central.db, ctx)
        listed = conflicts.open_conflicts()
        assert [(c.kind, c.ref_no) for c in listed] == [("member", "M000001")]
        found = listed[0]
        hq_id = central_run(central.db, "SELECT id FROM conflict WHERE ref_no = 'M000001'").fetchone()[0]
        assert found.uid == str(hq_id) and found.detail and found.at

        with pytest.raises(InsufficientPermission):
            conflicts.resolve(ctx, cashier(ctx), found.id, "merged by hand")
        assert conflicts.open_conflicts() == listed

        boss = manager(ctx)
        with pytest.raises(InvalidInput, match="Say how the conflict was resolved"):
            conflicts.resolve(ctx, boss, found.id, "  ")
        done = conflicts.resolve(ctx, boss, found.uid, "same person: card kept at store 01")
        assert done.resolved_at and done.resolution == "same person: card kept at store 01"
        assert conflicts.open_conflicts() == []
        assert ConflictRow.get_by_id(found.id).resolved_by == done.resolved_by
        audit = AuditRow.get(AuditRow.action == "resolve_conflict")
        assert audit.staff_code == boss.code and audit.entity == f"conflict:{hq_id}"
        assert json.loads(audit.detail)["note"] == "same person: card kept at store 01"
        sync_once(central.db, ctx)  # the next sync keeps it resolved, not open again
        assert conflicts.open_conflicts() == []
    row = central_run(
        central.db, "SELECT resolved_at, resolved_by, resolution FROM conflict WHERE id = %s", (hq_id,)
    ).fetchone()
    assert row[0] is not None
    assert row[1] == f"{boss.name} (02/{boss.code})"
    assert row[2] == "same person: card kept at store 01"


def test_resolving_offline_is_refused_plainly_and_the_conflict_stays_open(central, tmp_path):
    a = make_shop(tmp_path, "01", central.url)
    b = make_shop(tmp_path, "02", central.url)
    with a.open() as ctx:
        sync_once(central.db, ctx)
    with b.open() as ctx:
        sync_once(central.db, ctx)
    with offline(b).open() as ctx:
        (found,) = conflicts.open_conflicts()  # the list reads offline
        with pytest.raises(InvalidInput) as refused:
            conflicts.resolve(ctx, manager(ctx), found.id, "merged")
        assert refused.value.message == conflicts.OFFLINE
        assert [c.id for c in conflicts.open_conflicts()] == [found.id]
        assert AuditRow.select().where(AuditRow.action == "resolve_conflict").count() == 0
    open_rows = central_run(central.db, "SELECT count(*) FROM conflict WHERE resolved_at IS NULL").fetchone()[0]
    assert open_rows == 1


async def test_the_manager_opens_the_conflicts_by_keys_and_is_told_when_head_office_is_out_of_reach(ctx):
    ConflictRow.create(
        uid="7", kind="refund", ref_no="R0102", detail="only 1 left to refund", amount=1299, at="2026-12-01 10:05"
    )
    url = f"postgresql://store01@127.0.0.1:{closed_port()}/chain"
    app = make_app(
        replace(ctx.config, language="en", central=replace(ctx.config.central, url=url)), printer=TrainingPrinter()
    )
    app.offer_left_over = False
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "003", "3333")
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, ShiftScreen)
        assert "f12 Conflicts" in screen_text(app)
        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(app.screen, ConflictsScreen)
        text = screen_text(app)
        for shown in ("Refund", "refused", "R0102", "￥12.99", "2026-12-01 10:05", "only 1 left"):
            assert shown in text, text
        assert "⏎ Resolve" in text and "f9 Resolve" in text and "esc Back" in text
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        await type_text(pilot, "refunded in cash")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConflictsScreen)
        assert str(app.screen.query_one("#status").content) == conflicts.OFFLINE
        assert ConflictRow.get(ConflictRow.uid == "7").resolved_at is None
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ShiftScreen)


async def test_a_shop_without_head_office_has_no_conflicts_key(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "003", "3333")
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, ShiftScreen)
        assert "Conflicts" not in screen_text(app)
        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(app.screen, ShiftScreen)
