"""A shop that sold on its own for a while, then joins a chain: migration 9 queues its history
(tui_pos.store.outbox.backfill), and head office must end with the members' balances and
points the shop has, not those plus their history counted again."""

from __future__ import annotations

import pytest
from tests.sync.chain import make_shop
from tests.sync.test_members_chain import central_member, import_with_balance, sell_to

from tui_pos.domain.tenders import TenderKind
from tui_pos.services import head_office, members
from tui_pos.services import staff as staff_service
from tui_pos.services.sync import sync_once
from tui_pos.store import fast, outbox
from tui_pos.store.db import write
from tui_pos.store.models import MemberRow, database

from conftest import PINS


@pytest.fixture(autouse=True)
def _hang_up():
    yield
    head_office.close()


def test_a_shop_joining_the_chain_brings_its_members_balances_once(central, tmp_path):
    shop = make_shop(tmp_path, "01", "")  # on its own: stored value pays without head office
    with shop.open() as ctx:
        cashier = staff_service.login(ctx, "001", PINS["001"])
        import_with_balance(ctx, "M900001", "13900000001", "Chen", "100.00")
        member = members.find_one("M900001")
        sell_to(ctx, cashier, member, {"6901": 2}, [(TenderKind.STORED_VALUE, None)])
        sell_to(ctx, cashier, members.find_one("M900001"), {"6902": 1}, [(TenderKind.CASH, None)])
        row = MemberRow.get(MemberRow.card_no == "M900001")
        assert row.balance < 10000 and row.points > 0  # spent some, earned some

        # the shop as it was before the chain: its rows were written with no outbox; joining
        # (migration 9) queues every row once, members as they are now
        def as_before_the_chain() -> int:
            fast.run("DELETE FROM outbox")
            return outbox.backfill(database.obj)

        write(as_before_the_chain)
        sync_once(central.db, ctx)
        _, balance, points = central_member(central.db, row.uid)
        assert (balance, points) == (row.balance, row.points)
