"""`tui-pos staff ...` run in-process: the manager's PIN and new PINs as stdin lines, as a script
(or someone typing at a terminal without echo) gives them."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from tui_pos.cli import main
from tui_pos.config import load_config
from tui_pos.domain.staff import Role
from tui_pos.services import staff as staff_service
from tui_pos.services.context import close_shop, open_shop
from tui_pos.store.db import close_database, open_database
from tui_pos.store.models import AuditRow, StaffRow


@pytest.fixture
def shop(home, tmp_path, monkeypatch) -> Path:
    """A shop with manager 003 (PIN 3333) and cashier 001 (PIN 1111), English output."""
    db = tmp_path / "shop.db"
    ctx = open_shop(load_config(db_path=db))
    try:
        staff_service.create_staff(ctx, None, "003", "王姐", Role.MANAGER, "3333", name_en="Wang")
        manager = staff_service.login(ctx, "003", "3333")
        staff_service.create_staff(ctx, manager, "001", "小李", Role.CASHIER, "1111", name_en="Li")
    finally:
        close_shop()
    return db


def run(shop: Path, monkeypatch, args: list[str], answers: str = "") -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(answers))
    return main(["staff", *args, "--db", str(shop)])


def staff_rows(shop: Path) -> dict[str, StaffRow]:
    open_database(shop, create=False)
    try:
        return {row.code: row for row in StaffRow.select()}
    finally:
        close_database()


def audit_actions(shop: Path) -> list[str]:
    open_database(shop, create=False)
    try:
        return [row.action for row in AuditRow.select().order_by(AuditRow.id)]
    finally:
        close_database()


def test_add_with_pins_from_stdin_then_list(shop, monkeypatch, capsys):
    assert (
        run(
            shop,
            monkeypatch,
            ["add", "004", "--name", "小陈", "--name-en", "Chen", "--staff", "003"],
            "3333\n5831\n5831\n",
        )
        == 0
    )
    out, err = capsys.readouterr()
    assert "004 Chen added as cashier" in out
    assert "PIN of 003" in err and "New PIN for 004" in err and "5831" not in out + err
    rows = staff_rows(shop)
    assert rows["004"].role == "cashier" and rows["004"].name == "小陈"
    assert run(shop, monkeypatch, ["list", "--staff", "003"], "3333\n") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["Code", "Name", "Role", "Active", "PIN", "Refund", "limit"]
    assert any(line.split()[:4] == ["004", "Chen", "cashier", "Yes"] for line in lines)
    assert any(line.split()[:4] == ["003", "Wang", "manager", "Yes"] for line in lines)


def test_new_pins_that_differ_or_are_weak_are_asked_again(shop, monkeypatch, capsys):
    """Each refusal is said at once and the PIN asked again; three wrong tries change nothing."""
    answers = "3333\n5831\n5832\n5831\n5831\n"  # the second entry differs, then both agree
    assert run(shop, monkeypatch, ["add", "004", "--name", "小陈", "--staff", "003"], answers) == 0
    assert "The two PINs differ: type the new PIN again" in capsys.readouterr().err
    assert run(shop, monkeypatch, ["add", "005", "--name", "小周", "--staff", "003"], "3333\n1234\n5831\n5831\n") == 0
    assert "too easy to guess" in capsys.readouterr().err
    assert {"004", "005"} <= set(staff_rows(shop))
    assert run(shop, monkeypatch, ["add", "006", "--name", "小吴", "--staff", "003"], "3333\n1111\n2222\n3333\n") == 1
    assert "No new PIN after three tries; nothing was changed" in capsys.readouterr().err
    assert "006" not in staff_rows(shop)
    assert run(shop, monkeypatch, ["add", "007", "--name", "小郑", "--staff", "003"], "3333\n5831\n") == 2
    assert "the answers ended early" in capsys.readouterr().err
    assert "007" not in staff_rows(shop)


def test_cashier_is_refused_and_wrong_pin_counts(shop, monkeypatch, capsys):
    assert run(shop, monkeypatch, ["list", "--staff", "001"], "1111\n") == 1
    assert "Your role may not manage staff" in capsys.readouterr().err
    assert run(shop, monkeypatch, ["disable", "001", "--staff", "003"], "0000\n") == 1
    assert "Wrong staff code or PIN" in capsys.readouterr().err
    rows = staff_rows(shop)
    assert rows["001"].active and rows["003"].failed_pins == 1


def test_disable_enable_role_and_last_manager(shop, monkeypatch, capsys):
    assert run(shop, monkeypatch, ["disable", "003", "--staff", "003", "--pin", "3333"]) == 1
    assert "003 is the last active manager" in capsys.readouterr().err
    assert run(shop, monkeypatch, ["role", "003", "supervisor", "--staff", "003", "--pin", "3333"]) == 1
    assert "003 is the last active manager" in capsys.readouterr().err
    assert run(shop, monkeypatch, ["disable", "001", "--staff", "003", "--pin", "3333"]) == 0
    assert "001 Li can no longer log in" in capsys.readouterr().out
    assert not staff_rows(shop)["001"].active
    assert run(shop, monkeypatch, ["enable", "001", "--staff", "003", "--pin", "3333"]) == 0
    assert run(shop, monkeypatch, ["role", "001", "supervisor", "--staff", "003", "--pin", "3333"]) == 0
    assert "001 Li is now a supervisor" in capsys.readouterr().out
    assert run(shop, monkeypatch, ["role", "001", "boss", "--staff", "003", "--pin", "3333"]) == 1
    assert "Unknown role: boss" in capsys.readouterr().err
    assert staff_rows(shop)["001"].role == "supervisor"
    assert [a for a in audit_actions(shop) if a.startswith("staff_")][-3:] == [
        "staff_disable",
        "staff_enable",
        "staff_role",
    ]


def test_reset_pin_then_the_old_pin_fails_and_the_new_one_must_be_changed(shop, monkeypatch, capsys):
    assert run(shop, monkeypatch, ["reset-pin", "001", "--staff", "003"], "3333\n5831\n5831\n") == 0
    assert "PIN of 001 Li reset; they choose a new one at their next log in" in capsys.readouterr().out
    assert staff_rows(shop)["001"].must_change_pin
    # with the PIN the manager set, nothing is done from the shell: it is changed at the till first
    assert run(shop, monkeypatch, ["role", "003", "cashier", "--staff", "001", "--pin", "5831"]) == 1
    assert "Your PIN was reset: log in at the till and choose a new one first" in capsys.readouterr().err
    open_database(shop, create=False)
    try:
        entry = AuditRow.select().where(AuditRow.action == "staff_reset_pin").get()
        detail = json.loads(entry.detail)
        assert (detail["before"]["must_change_pin"], detail["after"]["must_change_pin"]) == (False, True)
    finally:
        close_database()


def test_rename_and_limit(shop, monkeypatch, capsys):
    assert run(shop, monkeypatch, ["rename", "001", "--name-en", "Li Ming", "--staff", "003", "--pin", "3333"]) == 0
    rows = staff_rows(shop)
    assert (rows["001"].name, rows["001"].name_en) == ("小李", "Li Ming")
    assert run(shop, monkeypatch, ["limit", "001", "500", "--staff", "003", "--pin", "3333"]) == 0
    assert "may refund up to ￥500.00 without approval" in capsys.readouterr().out
    assert staff_rows(shop)["001"].refund_limit == 50000
    assert run(shop, monkeypatch, ["limit", "001", "1000.01", "--staff", "003", "--pin", "3333"]) == 1
    assert "at most ￥1000.00" in capsys.readouterr().err
    assert run(shop, monkeypatch, ["limit", "001", "default", "--staff", "003", "--pin", "3333"]) == 0
    assert "may refund up to ￥200.00 without approval" in capsys.readouterr().out
    assert staff_rows(shop)["001"].refund_limit is None
