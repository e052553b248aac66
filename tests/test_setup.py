"""`tui-pos setup` and `tui-pos init` end to end: a real SQLite file, the config file in tmp_path,
the test page printed by the "file" backend into a tmp file; answers as flags or on stdin."""

from __future__ import annotations

import io
import stat
import sys
import tomllib
from pathlib import Path

import pytest

from tui_pos import config_file
from tui_pos.cli import main
from tui_pos.config import ConfigError, load_config
from tui_pos.devices.printer import drawer_kick
from tui_pos.services import printing
from tui_pos.store.db import close_database, open_database
from tui_pos.store.models import MemberRow, ProductRow, StaffRow, StoreRow


@pytest.fixture
def shop(home, tmp_path, monkeypatch) -> dict[str, Path]:
    """The `home` machine with no printer on it (what the test machine's USB bus holds must not
    change the questions)."""
    monkeypatch.setattr(printing, "usb_devices", lambda: [])
    monkeypatch.setattr(printing, "printer_nodes", lambda: [])
    return {
        "db": tmp_path / "home" / "shop.db",
        "config": tmp_path / "xdg" / "tui-pos" / "config.toml",
        "tickets": tmp_path / "tickets.bin",
    }


def answers(monkeypatch, *lines: str) -> None:
    """stdin that is not a terminal, one answer a line."""
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(line + "\n" for line in lines)))


def loaded(paths: dict[str, Path]):
    """The config as the till reads it: the user file by its default path."""
    return load_config(
        env={"TUI_POS_HOME": str(paths["db"].parent), "XDG_CONFIG_HOME": str(paths["config"].parents[1])}
    )


def rows(db: Path, model) -> list:
    open_database(db, create=False)
    try:
        return list(model.select())
    finally:
        close_database()


def products_csv(path: Path, count: int) -> Path:
    lines = ["barcode,name,category,price,stock"] + [f"69{n:08d},Item {n},饮料,3.50,10" for n in range(count)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def members_csv(path: Path) -> Path:
    path.write_text("card_no,phone,name\nM0001,13800001111,张三\n", encoding="utf-8")
    return path


def test_flags_end_to_end_ask_nothing(shop, tmp_path, monkeypatch, capsys):
    answers(monkeypatch)  # no terminal, nothing on stdin: a question would fail the run
    argv = [
        "setup",
        "--store-name", "好邻居便利店",
        "--store-name-en", "Good Neighbour",
        "--store-code", "07",
        "--till-code", "02",
        "--language", "en",
        "--manager-code", "009",
        "--manager-name", "王姐",
        "--manager-pin", "2580",
        "--printer", f"file:{shop['tickets']}",
        "--width", "80",
        "--profile", "simple",
        "--yes",
        "--products", str(products_csv(tmp_path / "goods.csv", 1200)),
        "--members", str(members_csv(tmp_path / "members.csv")),
    ]  # fmt: skip
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert err == ""  # no question, no warning
    progress = [line.split()[1] for line in out.splitlines() if line.startswith("  goods.csv: ")]
    assert progress == ["504", "1008", "1200"]  # about every 500 rows as they go in, and the total
    config = loaded(shop)
    assert (config.store_name, config.store_name_en, config.store_code, config.till_code) == (
        "好邻居便利店",
        "Good Neighbour",
        "07",
        "02",
    )
    assert config.language == "en"
    printer = config.printer
    assert (printer.backend, printer.device, printer.width, printer.profile) == (
        "file",
        str(shop["tickets"]),
        48,
        "simple",
    )
    page = shop["tickets"].read_bytes()
    assert page.startswith(b"\x1b@") and page.endswith(drawer_kick(2))  # the test page, then the drawer
    assert [(s.code, s.name, s.role) for s in rows(shop["db"], StaffRow)] == [("009", "王姐", "manager")]
    assert len(rows(shop["db"], ProductRow)) == 1200
    assert [m.card_no for m in rows(shop["db"], MemberRow)] == ["M0001"]
    assert [s.name for s in rows(shop["db"], StoreRow)] == ["好邻居便利店"]
    assert stat.S_IMODE(shop["config"].stat().st_mode) == 0o600


def test_answers_on_stdin_each_wrong_one_asked_again(shop, tmp_path, monkeypatch, capsys):
    answers(
        monkeypatch,
        "",  # store name: required
        "好邻居便利店",
        "",  # English name: none
        "",  # store code: 01
        "A-1",  # till code: not letters or digits
        "03",
        "fr",
        "en",
        "",  # manager code: 001
        "Owner",
        "12",  # PIN too short
        "2580",
        "2581",  # differs
        "2580",
        "2580",
        "device:/nowhere/lp9",  # nothing there
        f"file:{shop['tickets']}",
        "60",
        "58",
        "bogus",
        "",  # profile: default
        "n",  # the page did not come out right: back to the printer
        "none",
        str(tmp_path / "missing.csv"),
        "",
        "",
    )
    assert main(["setup"]) == 0
    err = capsys.readouterr().err
    expected = [
        "Enter the store's name",
        "A till code is 1 to 8 letters or digits",
        "Type zh (Chinese), en (English) or auto",
        "PIN must be 4 to 8 digits",
        "The two PINs differ",
        "Nothing at /nowhere/lp9",
        "Type the paper width: 58 or 80",
        "Unknown printer profile bogus",
        "No file",
    ]
    at = [err.find(text) for text in expected]
    assert -1 not in at and at == sorted(at), err  # each said when its answer was typed, in order
    assert shop["tickets"].read_bytes().startswith(b"\x1b@")  # the page that was not right was printed
    config = loaded(shop)
    assert (config.store_name, config.till_code, config.language) == ("好邻居便利店", "03", "en")
    assert "backend" not in tomllib.loads(shop["config"].read_text()).get("printer", {})  # no printer yet
    assert [(s.code, s.name) for s in rows(shop["db"], StaffRow)] == [("001", "Owner")]


def test_setup_printer_changes_only_the_printer(shop, monkeypatch, capsys):
    shop["config"].parent.mkdir(parents=True)
    mine = (
        "# my shop\n"
        'store_name = "小店"  # on every receipt\n'
        'till_code = "05"\n'
        "\n"
        "[security]\n"
        "idle_lock_minutes = 9\n"
        "\n"
        "[printer]\n"
        'backend = "network"  # the old one\n'
        'host = "10.0.0.9"\n'
        "drawer_pin = 5\n"
    )
    shop["config"].write_text(mine)
    answers(monkeypatch)
    argv = ["setup", "printer", "--printer", f"file:{shop['tickets']}", "--width", "58", "--yes"]
    assert main(argv) == 0
    text = shop["config"].read_text()
    before, after = mine.split("[printer]")[0], text.split("[printer]")[0]
    assert after == before  # the store, the comments and [security] as they were
    assert 'backend = "file"  # the old one' in text and 'host = "10.0.0.9"' in text
    config = loaded(shop)
    assert (config.store_name, config.till_code, config.security.idle_lock_minutes) == ("小店", "05", 9)
    assert (config.printer.backend, config.printer.device, config.printer.width) == ("file", str(shop["tickets"]), 32)
    assert config.printer.drawer_pin == 5 and shop["tickets"].read_bytes().endswith(drawer_kick(5))
    assert not shop["db"].exists()  # the printer part touches no database


def test_a_missing_answer_without_a_terminal_names_its_flag(shop, monkeypatch, capsys):
    answers(monkeypatch)
    assert main(["setup", "--printer", "none"]) == 2
    assert "--store-name" in capsys.readouterr().err
    assert not shop["config"].exists() and not shop["db"].exists()


def test_a_wrong_flag_is_refused_before_anything_is_written(shop, monkeypatch, capsys):
    answers(monkeypatch)
    argv = ["setup", "--store-name", "x", "--till-code", "A-1", "--manager-name", "x", "--manager-pin", "2580"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "--till-code" in err and "1 to 8 letters or digits" in err
    assert not shop["config"].exists() and not shop["db"].exists()


def test_the_printer_is_picked_from_what_is_found(shop, tmp_path, monkeypatch, capsys):
    node = tmp_path / "lp0"  # stands for /dev/usb/lp0, which `printer list` shows
    node.write_bytes(b"")
    monkeypatch.setattr(printing, "printer_nodes", lambda: [str(node)])
    answers(monkeypatch, "", "", "", "y", "")  # Enter: printer 1, 58 mm, profile default; page right; no drawer
    assert main(["setup", "printer"]) == 0
    out = capsys.readouterr().out
    assert f"  1  {node}" in out
    config = loaded(shop)
    assert (config.printer.backend, config.printer.device, config.printer.width) == ("device", str(node), 32)
    assert node.read_bytes().startswith(b"\x1b@")


def test_a_drawer_that_stays_shut_is_tried_on_its_other_pin(shop, monkeypatch):
    answers(monkeypatch, f"file:{shop['tickets']}", "", "", "y", "n", "y")  # page right, drawer shut, then open
    assert main(["setup", "printer"]) == 0
    assert shop["tickets"].read_bytes() == drawer_kick(5)  # the second kick (a file backend starts afresh)
    assert loaded(shop).printer.drawer_pin == 5


def test_a_printer_that_fails_in_a_script_stops_it(shop, tmp_path, monkeypatch, capsys):
    answers(monkeypatch)
    (tmp_path / "folder").mkdir()  # not a file a ticket can be written to
    argv = ["setup", "printer", "--printer", f"file:{tmp_path / 'folder'}", "--yes"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Test page failed" in err and "--printer none" in err
    assert not shop["config"].exists()


def test_manager_part_only_for_a_shop_without_staff(shop, monkeypatch, capsys):
    answers(monkeypatch)
    assert main(["init", "--manager-code", "001", "--manager-name", "x", "--manager-pin", "2580"]) == 0
    assert main(["setup", "manager"]) == 1
    assert "tui-pos staff" in capsys.readouterr().err


class TestInit:
    def test_asks_the_store_name_and_asks_again_at_once(self, shop, monkeypatch, capsys):
        answers(monkeypatch, "", "好邻居便利店", "00 1", "007", "", "王姐", "99", "1234", "2468", "2468")
        assert main(["init"]) == 0
        out, err = capsys.readouterr()
        assert "Enter the store's name" in err and "Staff code must be" in err and "Enter a name" in err
        assert "PIN must be 4 to 8 digits" in err and "PIN too easy to guess" in err
        assert "Manager 007" in out
        assert loaded(shop).store_name == "好邻居便利店"
        assert [s.name for s in rows(shop["db"], StoreRow)] == ["好邻居便利店"]

    def test_flags_keep_working_without_a_store_name(self, shop, monkeypatch):
        answers(monkeypatch)
        assert main(["init", "--manager-code", "001", "--manager-name", "x", "--manager-pin", "2580"]) == 0
        assert not shop["config"].exists()  # nothing asked, nothing of the owner's changed
        assert main(["init", "--manager-code", "001", "--manager-name", "x", "--manager-pin", "2580"]) == 1

    def test_a_weak_pin_flag_is_refused_unless_the_config_allows_it(self, shop, monkeypatch, capsys):
        answers(monkeypatch)
        argv = ["init", "--manager-name", "x", "--manager-pin", "1111"]
        assert main(argv) == 2
        assert "--manager-pin: PIN too easy to guess" in capsys.readouterr().err
        assert not shop["db"].exists()
        shop["config"].parent.mkdir(parents=True)
        shop["config"].write_text('[security]\nweak_pins = "allow"\n')
        assert main(argv) == 0

    def test_store_name_flag(self, shop, monkeypatch):
        answers(monkeypatch)
        argv = ["init", "--store-name", "小店", "--manager-code", "1", "--manager-name", "x", "--manager-pin", "2580"]
        assert main(argv) == 0
        assert loaded(shop).store_name == "小店"

    def test_training_init_stays_in_the_training_file(self, shop, monkeypatch):
        answers(monkeypatch)
        argv = ["--training", "init", "--store-name", "小店", "--manager-name", "x", "--manager-pin", "2580"]
        assert main(argv) == 0
        assert (shop["db"].parent / "training.db").exists() and not shop["db"].exists()


class TestConfigFile:
    def test_keeps_every_other_line(self, tmp_path):
        path = tmp_path / "c.toml"
        path.write_text('# top\nstore_name = "a" # name\n\n[printer]\nwidth = 32\n\n[backup]\nkeep = 3\n')
        config_file.update(
            path, {"": {"store_name": "b", "till_code": "02"}, "printer": {"width": 48, "backend": None}}
        )
        assert path.read_text() == (
            '# top\nstore_name = "b" # name\ntill_code = "02"\n\n[printer]\nwidth = 48\n\n[backup]\nkeep = 3\n'
        )

    def test_writes_usb_ids_in_hex_and_new_sections(self, tmp_path):
        path = tmp_path / "new" / "c.toml"
        config_file.update(path, {"printer": {"usb_vendor": config_file.Hex(0x0416)}})
        assert path.read_text() == "[printer]\nusb_vendor = 0x0416\n"
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700

    def test_refuses_what_it_cannot_change_safely(self, tmp_path):
        path = tmp_path / "c.toml"
        path.write_text("printer = { width = 32 }\n")
        with pytest.raises(ConfigError, match="by hand"):
            config_file.update(path, {"printer": {"width": 48}})
        assert path.read_text() == "printer = { width = 32 }\n"

    def test_a_check_that_fails_leaves_the_old_file(self, tmp_path):
        path = tmp_path / "c.toml"
        path.write_text("[printer]\nwidth = 32\n")

        def refuse(new: Path) -> None:
            raise ConfigError("no")

        with pytest.raises(ConfigError):
            config_file.update(path, {"printer": {"width": 33}}, check=refuse)
        assert path.read_text() == "[printer]\nwidth = 32\n"
        assert [p.name for p in tmp_path.iterdir()] == ["c.toml"]


def test_setup_writes_a_config_file_given_by_path_that_is_not_there_yet(shop, tmp_path, monkeypatch, capsys):
    """`--config FILE` for a till of its own (one file per till on a shared PC): setup makes it,
    0600; any other command still refuses a missing file."""
    answers(monkeypatch)
    mine = tmp_path / "tills" / "till-02.toml"
    argv = ["--config", str(mine), "setup", "store", "--store-name", "Corner Shop", "--till-code", "02"]
    assert main(argv) == 0, capsys.readouterr().err
    assert stat.S_IMODE(mine.stat().st_mode) == 0o600
    assert load_config(mine).till_code == "02" and load_config(mine).store_name == "Corner Shop"
    assert main(["--config", str(tmp_path / "typo.toml"), "doctor"]) == 2
    assert "config file not found" in capsys.readouterr().err
    assert not (tmp_path / "typo.toml").exists()
