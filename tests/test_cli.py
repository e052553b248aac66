"""The `tui-pos` command line, run in-process against temp files."""

from __future__ import annotations

import io
import sqlite3
import sys
import types
from datetime import date, timedelta
from pathlib import Path

import pytest

from tui_pos.cli import main
from tui_pos.store.db import close_database, open_database
from tui_pos.store.models import AuditRow, MemberRow, ProductRow, SaleRow, StaffRow


def counts(path: Path) -> dict[str, int]:
    open_database(path, create=False)
    try:
        return {
            "staff": StaffRow.select().count(),
            "products": ProductRow.select().count(),
            "members": MemberRow.select().count(),
            "sales": SaleRow.select().count(),
        }
    finally:
        close_database()


def test_help_lists_the_commands(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for word in (
        "run",
        "init",
        "demo",
        "import",
        "--training",
        "--db PATH",
        "--config PATH",
        "import products",
        "import members",
    ):
        assert word in out


def test_import_help_lists_what_can_be_imported(capsys):
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    out = capsys.readouterr().out
    assert "products" in out and "members" in out


def test_demo_in_a_chosen_file_twice(home, tmp_path, capsys):
    path = tmp_path / "shop-demo.db"
    assert main(["--db", str(path), "demo"]) == 0
    out = capsys.readouterr().out
    assert str(path) in out
    for pin in ("001 / 1111", "002 / 2222", "003 / 3333"):
        assert pin in out
    assert counts(path) == {"staff": 3, "products": 50, "members": 20, "sales": 200}
    assert main(["--db", str(path), "demo"]) == 0
    assert counts(path) == {"staff": 3, "products": 50, "members": 20, "sales": 200}
    assert not home.exists() or not (home / "shop.db").exists()


@pytest.mark.parametrize("argv", [["--training", "demo"], ["demo", "--training"]])
def test_training_demo_never_touches_the_live_file(home, argv):
    assert main(argv) == 0
    assert (home / "training.db").exists()
    assert not (home / "shop.db").exists()
    assert counts(home / "training.db")["sales"] == 200


def test_training_refuses_the_live_file(home, capsys):
    assert main(["--training", "--db", str(home / "shop.db"), "demo"]) == 2
    assert "never opens the live database" in capsys.readouterr().err
    assert not (home / "shop.db").exists()


def test_demo_refuses_a_real_shop(home, capsys):
    assert main(["init", "--manager-code", "009", "--manager-name", "Owner", "--manager-pin", "2580"]) == 0
    assert main(["demo"]) == 1
    assert "holds a real shop" in capsys.readouterr().err
    assert counts(home / "shop.db")["products"] == 0


def test_config_error_exits_2(home, tmp_path, capsys):
    assert main(["--config", str(tmp_path / "missing.toml"), "demo"]) == 2
    assert "config file not found" in capsys.readouterr().err
    bad = tmp_path / "bad.toml"
    bad.write_text("[printer]\nwidth = 33\n")
    assert main(["--config", str(bad), "demo"]) == 2
    assert "printer.width" in capsys.readouterr().err


class TestInit:
    def test_options(self, home, capsys):
        argv = ["init", "--manager-code", "001", "--manager-name", "店长", "--manager-pin", "2580"]
        assert main(argv) == 0
        assert "Shop created" in capsys.readouterr().out
        assert counts(home / "shop.db") == {"staff": 1, "products": 0, "members": 0, "sales": 0}
        assert main(argv) == 1
        assert "already set up" in capsys.readouterr().err

    def test_no_terminal_and_no_options(self, home, monkeypatch, capsys):
        monkeypatch.setattr(sys, "stdin", io.StringIO(""))
        assert main(["init", "--manager-code", "001"]) == 2
        assert "--manager-name" in capsys.readouterr().err
        assert not (home / "shop.db").exists()

    def test_answers_from_a_script(self, home, monkeypatch, capsys):
        monkeypatch.setattr(sys, "stdin", io.StringIO("小店\n007\n王姐\n2468\n2468\n"))
        assert main(["init"]) == 0
        assert "Manager 007" in capsys.readouterr().out
        open_database(home / "shop.db", create=False)
        try:
            assert [(s.code, s.name) for s in StaffRow.select()] == [("007", "王姐")]
        finally:
            close_database()

    def test_a_script_whose_pins_differ_creates_nothing(self, home, monkeypatch, capsys):
        monkeypatch.setattr(sys, "stdin", io.StringIO("小店\n007\n王姐\n2468\n2469\n"))
        assert main(["init"]) == 2
        assert "differ" in capsys.readouterr().err
        assert not (home / "shop.db").exists()

    def test_bad_pin_creates_nothing(self, home, capsys):
        assert main(["init", "--manager-code", "001", "--manager-name", "x", "--manager-pin", "12"]) == 2
        assert "PIN must be 4 to 8 digits" in capsys.readouterr().err
        assert not (home / "shop.db").exists()

    def test_prompts_on_a_terminal(self, home, monkeypatch):
        class Tty(io.StringIO):
            def isatty(self) -> bool:
                return True

        monkeypatch.setattr(sys, "stdin", Tty("小店\n\n王姐\n"))
        monkeypatch.setattr("getpass.getpass", lambda prompt="": "2468")
        assert main(["init"]) == 0
        open_database(home / "shop.db", create=False)
        try:
            assert [(s.code, s.name) for s in StaffRow.select()] == [("001", "王姐")]
        finally:
            close_database()


SIGNED_IN = ("--staff", "001", "--pin", "2580")


class TestImport:
    @pytest.fixture
    def shop(self, home) -> Path:
        assert main(["init", "--manager-code", "001", "--manager-name", "x", "--manager-pin", "2580"]) == 0
        return home / "shop.db"

    def test_good_and_bad_rows(self, shop, tmp_path, capsys):
        csv = tmp_path / "goods.csv"
        csv.write_bytes(
            (
                "barcode,name,category,price,stock\n"
                "111,可乐,饮料,3.00,10\n"
                "112,雪碧,饮料,3.00,10\n"
                "113,Bad,饮料,abc,1\n"
                "114,芬达,饮料,3.50,\n"
            ).encode("gbk")
        )
        capsys.readouterr()
        assert main(["import", "products", str(csv), *SIGNED_IN]) == 1
        out, err = capsys.readouterr()
        assert "3 new, 0 updated, 0 unchanged, 1 rejected" in out
        assert "row 4: price 'abc' is not an amount" in out
        assert "3/3" not in err  # no bar redrawn with \r into a pipe or a log
        assert counts(shop)["products"] == 3
        open_database(shop, create=False)
        try:
            assert AuditRow.select().where(AuditRow.action == "import_products").get().staff_code == "001"
        finally:
            close_database()

    def test_a_terminal_gets_the_progress_bar(self, shop, tmp_path, capsys, monkeypatch):
        csv = tmp_path / "goods.csv"
        csv.write_text("barcode,name,category,price,stock\n111,可乐,饮料,3.00,10\n112,雪碧,饮料,3.00,10\n")
        capsys.readouterr()
        monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
        assert main(["import", "products", str(csv), *SIGNED_IN]) == 0
        err = capsys.readouterr().err
        assert "\r[" in err and "2/2" in err

    def test_all_rows_good_exits_0(self, shop, tmp_path, capsys):
        csv = tmp_path / "members.csv"
        csv.write_text(
            "card_no,phone,name,level,points,balance,joined\nM000001,13800000001,张三,gold,10,5.00,2024-01-01\n",
            encoding="utf-8-sig",
        )
        assert main(["import", "members", str(csv), *SIGNED_IN]) == 0
        assert counts(shop)["members"] == 1

    def test_wrong_header_exits_2_and_writes_nothing(self, shop, tmp_path, capsys):
        csv = tmp_path / "members.csv"
        csv.write_text("card,phone,name\nM000001,13800000001,张三\n")
        assert main(["import", "members", str(csv), *SIGNED_IN]) == 2
        err = capsys.readouterr().err
        assert "Unknown column(s): card" in err and "Nothing was imported" in err
        assert counts(shop)["members"] == 0

    def test_no_database_yet(self, home, tmp_path, capsys):
        csv = tmp_path / "goods.csv"
        csv.write_text("barcode,name,price\n1,x,1\n")
        assert main(["import", "products", str(csv), *SIGNED_IN]) == 2
        assert "tui-pos init" in capsys.readouterr().err
        assert not (home / "shop.db").exists()


class TestRun:
    @pytest.fixture
    def apps(self, monkeypatch) -> list:
        """A stand-in for tui_pos.ui.app: records the config instead of starting the screens."""
        started: list = []

        class App:
            def __init__(self, config) -> None:
                self.config = config

            def run(self) -> None:
                started.append(self.config)

        fake = types.ModuleType("tui_pos.ui.app")
        fake.make_app = lambda config, **kwargs: App(config)
        monkeypatch.setitem(sys.modules, "tui_pos.ui.app", fake)
        return started

    def test_training_on_a_fresh_machine_starts_the_demo_shop(self, home, apps):
        assert main(["--training"]) == 0
        assert [c.training for c in apps] == [True]
        assert apps[0].db_path == home / "training.db"
        assert counts(home / "training.db")["sales"] == 200
        assert not (home / "shop.db").exists()
        assert main(["--training", "run"]) == 0  # second start: no new demo history
        assert counts(home / "training.db")["sales"] == 200

    def test_live_without_a_shop_says_what_to_do(self, home, apps, capsys):
        assert main([]) == 2
        assert "tui-pos init" in capsys.readouterr().err
        assert apps == []
        assert not (home / "shop.db").exists()

    def test_live_shop(self, home, apps):
        assert main(["init", "--manager-code", "001", "--manager-name", "x", "--manager-pin", "2580"]) == 0
        assert main(["run"]) == 0
        assert [(c.training, c.db_path) for c in apps] == [(False, home / "shop.db")]
        assert (home / "shop.db").stat().st_mode & 0o777 == 0o600

    def test_live_till_refuses_a_world_writable_database(self, home, apps, capsys, monkeypatch):
        monkeypatch.setenv("TUI_POS_LANGUAGE", "en")
        assert main(["init", "--manager-code", "001", "--manager-name", "x", "--manager-pin", "2580"]) == 0
        (home / "shop.db").chmod(0o666)
        assert main(["run"]) == 1
        err = capsys.readouterr().err
        assert "can be changed by other users" in err and "chmod 600" in err
        assert apps == []
        (home / "shop.db").chmod(0o600)
        assert main(["run"]) == 0 and len(apps) == 1


class TestPrinterCommands:
    def test_training_test_page_shows_on_screen(self, home, capsys):
        assert main(["--training", "printer", "test", "--drawer"]) == 0
        out = capsys.readouterr().out
        assert "中文：打印机测试" in out and "TEST-0123" in out
        assert "Test page sent to the on-screen training printer" in out and "Cash drawer kicked (pin 2)" in out

    def test_training_test_page_is_a_calibration_page(self, home, monkeypatch, capsys):
        """issue 21: a ruler as wide as the configured width, both codes, GBK text and the code
        page's letters, in the training printer's preview."""
        monkeypatch.setenv("TUI_POS_PRINTER_WIDTH", "42")
        monkeypatch.setenv("TUI_POS_PRINTER_ENCODING", "cp858")
        assert main(["--training", "printer", "test"]) == 0
        lines = capsys.readouterr().out.splitlines()
        assert "....+....1....+....2....+....3....+....4.." in lines  # exactly 42 columns
        assert "|||| TEST-0123 ||||" in "\n".join(lines) and "[QR TEST-0123]" in "\n".join(lines)
        assert any(line.startswith("GBK: 喆丼") for line in lines)
        at = lines.index("Code page letters:")
        assert lines[at + 1] == "àáâäçèéêëíïñóôöúüÀÄÉÑÖÜß£￥€"  # all in cp858 (￥ prints as its ¥)
        assert "width / encoding" in "\n".join(lines) and "42 / cp858" in "\n".join(lines)

    def test_missing_device_says_what_failed(self, home, tmp_path, monkeypatch, capsys):
        monkeypatch.setenv("TUI_POS_PRINTER_BACKEND", "device")
        monkeypatch.setenv("TUI_POS_PRINTER_DEVICE", str(tmp_path / "nope" / "lp0"))
        assert main(["printer", "test"]) == 1
        err = capsys.readouterr().err
        assert "Test page failed: Printer offline: not found" in err and "nope" in err

    def test_list_shows_ids_and_marks_printers(self, home, monkeypatch, capsys):
        from tui_pos.devices import printer as devices

        monkeypatch.setattr(
            devices,
            "list_usb_devices",
            lambda: [
                devices.UsbDevice(0x0416, 0x5011, "Winbond", "POS58 Printer", True),
                devices.UsbDevice(0x046D, 0xC31C, "Logitech", "Keyboard", False),
            ],
        )
        assert main(["printer", "list"]) == 0
        out = capsys.readouterr().out
        assert "0416:5011  Winbond  POS58 Printer  <- printer  (configured)" in out
        assert "046d:c31c  Logitech  Keyboard\n" in out

    def test_list_without_libusb(self, home, monkeypatch, capsys):
        import usb.core

        def no_backend(**kwargs):
            raise usb.core.NoBackendError("No backend available")

        monkeypatch.setattr(usb.core, "find", no_backend)
        assert main(["printer", "list"]) == 0  # the printer nodes and settings are still shown
        captured = capsys.readouterr()
        assert "libusb" in captured.err and "Configured: backend none" in captured.out


class TestReportCommands:
    @pytest.fixture
    def shop(self, home, capsys):
        assert main(["--training", "demo"]) == 0
        capsys.readouterr()

    def test_refunds_by_reason_to_csv(self, shop, tmp_path, capsys):
        out_file = tmp_path / "r.csv"
        assert (
            main(
                [
                    "--training",
                    "report",
                    "refunds",
                    "--staff",
                    "003",
                    "--pin",
                    "3333",
                    "--by",
                    "reason",
                    "--from",
                    f"{date.today() - timedelta(days=365):%Y-%m-%d}",
                    "--csv",
                    str(out_file),
                ]
            )
            == 0
        )
        out = capsys.readouterr().out
        assert "refunds" in out and "Refund rate" in out and "Saved" in out
        data = out_file.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")
        csv_text = data.decode("utf-8-sig")
        # headed by what the rows are (reasons), in words, never by their codes
        assert csv_text.startswith("Reason,Refunds,Refunded,Sales,Refund rate")
        assert "Quality problem" in csv_text and "quality" not in csv_text

    def test_needs_a_manager_and_a_sane_range(self, shop, capsys):
        assert main(["--training", "report", "refunds", "--staff", "001", "--pin", "1111"]) == 1
        assert "may not" in capsys.readouterr().err
        assert (
            main(
                [
                    "--training",
                    "report",
                    "refunds",
                    "--staff",
                    "003",
                    "--pin",
                    "3333",
                    "--from",
                    "2026-12-01",
                    "--to",
                    "2026-11-01",
                ]
            )
            == 1
        )
        assert "ends before it starts" in capsys.readouterr().err
        assert main(["--training", "report", "shift", "--staff", "003", "--pin", "0000"]) == 1

    def test_shift_and_day(self, shop, home, capsys):
        assert main(["--training", "report", "shift", "--staff", "001", "--pin", "1111"]) == 0
        assert "X report" in capsys.readouterr().out
        # a cashier sees only their own shift; a supervisor any
        with sqlite3.connect(home / "training.db") as db:
            db.execute("UPDATE shift SET opened_by = '003' WHERE status = 'open'")
        db.close()
        assert main(["--training", "report", "shift", "--staff", "001", "--pin", "1111"]) == 1
        assert "not yours" in capsys.readouterr().err
        assert main(["--training", "report", "shift", "--staff", "002", "--pin", "2222"]) == 0
        assert "X report" in capsys.readouterr().out
        assert main(["--training", "report", "day", "--staff", "002", "--pin", "2222"]) == 0
        assert "Expected cash" in capsys.readouterr().out


def test_price_command_needs_a_supervisor_and_is_audited(home, capsys, monkeypatch):
    monkeypatch.setenv("TUI_POS_LANGUAGE", "en")
    assert main(["--training", "demo"]) == 0
    capsys.readouterr()
    assert main(["--training", "price", "6900100001003", "9.90", "--staff", "001", "--pin", "1111"]) == 1
    assert "may not" in capsys.readouterr().err
    assert (
        main(
            [
                "--training",
                "price",
                "6900100001003",
                "9.90",
                "--member-price",
                "8.80",
                "--staff",
                "002",
                "--pin",
                "2222",
            ]
        )
        == 0
    )
    assert "now costs 9.90, member price 8.80" in capsys.readouterr().out
    assert main(["--training", "price", "6900100001003", "-1", "--staff", "002", "--pin", "2222"]) == 1
    assert "negative" in capsys.readouterr().err
    db = sqlite3.connect(home / "training.db")
    assert db.execute("SELECT price, member_price FROM product WHERE barcode = '6900100001003'").fetchone() == (
        990,
        880,
    )
    assert db.execute("SELECT COUNT(*) FROM audit_log WHERE action = 'price_change'").fetchone()[0] == 1
