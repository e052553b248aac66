"""Killing a till at any moment leaves a sound shop; the invariant checker itself can fail."""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from tests.fault import invariants, workload

from tui_pos.config import load_config
from tui_pos.services import staff as staff_service
from tui_pos.services.context import close_shop, open_shop

HARNESS = Path(__file__).with_name("harness.py")


def test_two_hundred_kills_leave_every_invariant_true(tmp_path):
    done = subprocess.run(
        [sys.executable, str(HARNESS), "--kills", "200", "--seed", "2026", "--keep", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "200 kills" in done.stdout and "every invariant held" in done.stdout
    sales = int(done.stdout.split(" kills, ")[1].split(" sales")[0])
    # the tills got real work done between kills: some kills land mid-sale, not all at start-up.
    # How many depends on the machine's load (CI runs this beside another test worker), so the
    # bar is work at all, not a rate (a rate is for bench/)
    assert sales >= 20, done.stdout


@pytest.fixture(scope="module")
def sound_shop(tmp_path_factory):
    """A shop after a couple of hundred random operations, closed cleanly."""
    folder = tmp_path_factory.mktemp("shop")
    config = load_config(env={"TUI_POS_HOME": str(folder), "HOME": str(folder)}, training=False)
    ctx = open_shop(config)
    workload.seed(ctx)
    till = workload.Till(ctx, staff_service.login(ctx, *workload.MANAGER), random.Random(5))
    for _ in range(200):
        till.step()
    assert till.done["sale"] > 50 and till.done["refund"] > 20, till.done
    close_shop()
    assert invariants.violations(config.db_path) == []
    return config.db_path


@pytest.fixture
def busy_shop(sound_shop, tmp_path):
    copy = tmp_path / "shop.db"
    source, target = sqlite3.connect(sound_shop), sqlite3.connect(copy)
    source.backup(target)
    source.close()
    target.close()
    return copy


TAMPERING = {
    "sale payments equal its total": (
        "DELETE FROM payment WHERE id = (SELECT MIN(id) FROM payment WHERE refund_id IS NULL)"
    ),
    "sale lines add up to the total": "UPDATE sale_line SET paid = paid + 1 WHERE id = (SELECT MIN(id) FROM sale_line)",
    "refunds per line never exceed what was paid": """UPDATE refund_line SET qty = qty + 100
        WHERE id = (SELECT MIN(rl.id) FROM refund_line rl JOIN refund r ON r.id = rl.refund_id
                    WHERE r.status IN ('paid', 'completed'))""",
    "stock equals initial plus moves": "UPDATE product SET stock = stock - 1 WHERE id = 1",
    "member points equal the sum of points moves": (
        "DELETE FROM points_move WHERE id = (SELECT MAX(id) FROM points_move)"
    ),
    "stored value equals its moves and is never negative": "UPDATE member SET balance = balance + 1 WHERE id = 2",
    "a paid or completed refund has its money going back": (
        "DELETE FROM payment WHERE id = "
        "(SELECT MAX(id) FROM payment WHERE refund_id IS NOT NULL AND tender != 'points')"
    ),
    "an unpaid refund has moved no money": (
        "UPDATE refund SET status = 'cancelled' WHERE id = (SELECT MIN(id) FROM refund WHERE amount > 0)"
    ),
    "every sale and refund has its ticket": "DELETE FROM print_job WHERE id = (SELECT MAX(id) FROM print_job)",
    "daily totals equal the sales": """UPDATE sale_day SET amount = amount + 1
        WHERE (day, staff_id, level) IN (SELECT day, staff_id, level FROM sale_day LIMIT 1)""",
    "daily product and category totals equal the sale lines": (
        "UPDATE category_day SET amount = amount + 1"
        " WHERE (day, category) IN (SELECT day, category FROM category_day LIMIT 1)"
    ),
    "sequence": "UPDATE sequence SET value = value - 1 WHERE id = 1",
}


@pytest.mark.parametrize("rule", TAMPERING)
def test_the_checker_sees_each_kind_of_damage(busy_shop, rule):
    db = sqlite3.connect(busy_shop)
    with db:
        db.execute("DROP TRIGGER IF EXISTS payment_into_closed_shift")
        assert db.execute(TAMPERING[rule]).rowcount == 1
    db.close()
    assert any(v.startswith(rule) for v in invariants.violations(busy_shop)), rule


@pytest.mark.parametrize("rule", [rule for rule in TAMPERING if rule in invariants.SINCE])
def test_the_check_after_a_kill_sees_damage_in_new_rows(busy_shop, rule):
    """After a kill only rows newer than the last check are looked at (its cost does not grow
    with the shop); damage there is seen, damage older than the mark is left to the full check."""
    everything_new = dict.fromkeys(invariants.MARKED, 0)
    db = sqlite3.connect(busy_shop)
    with db:
        db.execute("DROP TRIGGER IF EXISTS payment_into_closed_shift")
        assert db.execute(TAMPERING[rule]).rowcount == 1
    db.close()
    assert any(v.startswith(rule) for v in invariants.violations(busy_shop, everything_new)), rule
    assert invariants.violations(busy_shop, invariants.mark(busy_shop)) == []
