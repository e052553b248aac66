"""Commands that change or reveal shop data ask who you are (issue 20, failure 3): a CSV import, a
backup and a restore need a staff code and PIN of the right role, given as --pin or on stdin."""

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
from tui_pos.store.models import AuditRow, MemberRow, ProductRow, StaffRow


@pytest.fixture
def shop(home, tmp_path, monkeypatch) -> Path:
    """Manager 003 (PIN 3333), supervisor 002 (2222), cashier 001 (1111); cola at 3.00; English."""
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    db = tmp_path / "data" / "shop.db"
    ctx = open_shop(load_config(db_path=db))
    try:
        staff_service.create_staff(ctx, None, "003", "王姐", Role.MANAGER, "3333")
        manager = staff_service.login(ctx, "003", "3333")
        staff_service.create_staff(ctx, manager, "002", "老赵", Role.SUPERVISOR, "2222")
        staff_service.create_staff(ctx, manager, "001", "小李", Role.CASHIER, "1111")
        ProductRow.create(barcode="6901", name="可乐", category="drinks", price=300, stock=10)
    finally:
        close_shop()
    return db


def run(shop: Path, monkeypatch, args: list[str], stdin: str = "") -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return main([*args, "--db", str(shop)])


def read(shop: Path, fn):
    open_database(shop, create=False)
    try:
        return fn()
    finally:
        close_database()


def price(shop: Path) -> int:
    return read(shop, lambda: ProductRow.get(ProductRow.barcode == "6901").price)


@pytest.fixture
def cheap(tmp_path) -> Path:
    """The attack of issue 20: a products file that sets 3.00 to 0.01."""
    path = tmp_path / "goods.csv"
    path.write_text("barcode,name,price\n6901,可乐,0.01\n")
    return path


@pytest.fixture
def rich(tmp_path) -> Path:
    """... and a members file that makes a member with ￥99,999 stored value and 99,999 points."""
    path = tmp_path / "members.csv"
    path.write_text("card_no,phone,name,points,balance\nM0099,13900000099,X,99999,99999.00\n")
    return path


class TestImport:
    def test_without_a_staff_code_it_is_refused(self, shop, cheap, monkeypatch, capsys):
        with pytest.raises(SystemExit) as exit_:
            run(shop, monkeypatch, ["import", "products", str(cheap)])
        assert exit_.value.code == 2 and "--staff" in capsys.readouterr().err
        assert price(shop) == 300

    def test_without_a_pin_it_is_refused(self, shop, cheap, monkeypatch, capsys):
        assert run(shop, monkeypatch, ["import", "products", str(cheap), "--staff", "002"]) == 2
        assert "Give --pin, the PIN on stdin" in capsys.readouterr().err
        assert price(shop) == 300

    def test_a_wrong_pin_is_refused(self, shop, cheap, monkeypatch, capsys):
        assert run(shop, monkeypatch, ["import", "products", str(cheap), "--staff", "002", "--pin", "9999"]) == 1
        assert price(shop) == 300

    def test_a_cashier_is_refused(self, shop, cheap, monkeypatch, capsys):
        assert run(shop, monkeypatch, ["import", "products", str(cheap), "--staff", "001"], stdin="1111\n") == 1
        assert "Your role may not import products" in capsys.readouterr().err
        assert price(shop) == 300

    def test_a_supervisor_with_the_pin_on_stdin_imports_and_is_the_actor(self, shop, cheap, monkeypatch):
        assert run(shop, monkeypatch, ["import", "products", str(cheap), "--staff", "002"], stdin="2222\n") == 0
        assert price(shop) == 1
        rows = read(shop, lambda: list(AuditRow.select().where(AuditRow.action.startswith("import_"))))
        assert {(r.staff_code, r.action, r.entity) for r in rows} == {
            ("002", "import_product", "product:6901"),
            ("002", "import_products", "products"),
        }
        (change,) = [json.loads(r.detail) for r in rows if r.action == "import_product"]
        assert change == {"before": {"price": 300}, "after": {"price": 1}}

    def test_members_points_and_stored_value_need_a_manager(self, shop, rich, monkeypatch, capsys):
        assert run(shop, monkeypatch, ["import", "members", str(rich), "--staff", "002", "--pin", "2222"]) == 1
        assert "may not import members' points and stored value" in capsys.readouterr().err
        assert read(shop, lambda: MemberRow.select().count()) == 0
        assert run(shop, monkeypatch, ["import", "members", str(rich), "--staff", "003", "--pin", "3333"]) == 0
        member = read(shop, lambda: MemberRow.get(MemberRow.card_no == "M0099"))
        assert (member.points, member.balance) == (99999, 9999900)


class TestBackupAndRestore:
    def test_backup_needs_a_supervisor(self, shop, tmp_path, monkeypatch, capsys):
        usb = tmp_path / "usb"
        with pytest.raises(SystemExit):
            run(shop, monkeypatch, ["backup", "--to", str(usb)])
        assert run(shop, monkeypatch, ["backup", "--to", str(usb), "--staff", "001"], stdin="1111\n") == 1
        assert "Your role may not back up the database" in capsys.readouterr().err
        assert not usb.exists()
        assert run(shop, monkeypatch, ["backup", "--to", str(usb), "--staff", "002"], stdin="2222\n") == 0
        assert len(list(usb.glob("shop-*.db"))) == 1

    def test_restore_needs_a_manager_of_the_database_it_replaces(self, shop, tmp_path, monkeypatch, capsys):
        usb = tmp_path / "usb"
        assert run(shop, monkeypatch, ["backup", "--to", str(usb), "--staff", "002", "--pin", "2222"]) == 0
        (copy,) = usb.glob("shop-*.db")
        read(shop, lambda: ProductRow.update(price=500).execute())  # the day goes on after the backup
        restore = ["restore", str(copy), "--yes"]
        with pytest.raises(SystemExit):
            run(shop, monkeypatch, restore)
        assert run(shop, monkeypatch, [*restore, "--staff", "002", "--pin", "2222"]) == 1
        assert "Your role may not restore a backup" in capsys.readouterr().err
        assert price(shop) == 500
        assert run(shop, monkeypatch, [*restore, "--staff", "003"], stdin="3333\n") == 0
        assert price(shop) == 300


class TestSetupImport:
    """`tui-pos setup import` on a shop set up before signs the importer in too."""

    def test_refused_without_a_sign_in_then_imported_as_the_supervisor(self, shop, cheap, monkeypatch, capsys):
        assert run(shop, monkeypatch, ["setup", "import", "--products", str(cheap)]) == 2
        assert "give --staff" in capsys.readouterr().err
        assert price(shop) == 300
        assert run(shop, monkeypatch, ["setup", "import", "--products", str(cheap), "--staff", "001"], "1111\n") == 1
        assert price(shop) == 300
        assert run(shop, monkeypatch, ["setup", "import", "--products", str(cheap), "--staff", "002"], "2222\n") == 0
        assert price(shop) == 1
        codes = read(shop, lambda: {r.staff_code for r in AuditRow.select().where(AuditRow.action == "import_product")})
        assert codes == {"002"}
        assert read(shop, lambda: StaffRow.select().count()) == 3
