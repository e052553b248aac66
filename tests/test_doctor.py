"""`tui-pos doctor` on a healthy till and on broken ones: each broken thing is the right verdict
with its fix, and the exit code is the worst verdict. The world is injected (paths, environment,
disk, clock, USB and network probes); the files and the database are real ones in tmp_path."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from tui_pos.cli import main
from tui_pos.devices.printer import PrinterError
from tui_pos.domain.basket import Basket
from tui_pos.domain.tenders import TenderKind
from tui_pos.services import catalog, checkout, doctor, maintenance
from tui_pos.services import staff as staff_service
from tui_pos.services.context import close_shop, open_shop
from tui_pos.services.doctor import DiskUsage, Level, Surroundings

from conftest import seed

NOW = datetime(2026, 11, 30, 18, 0)
GB = 1024**3
MB = 1024**2
HEALTHY_ENV = {"TERM": "xterm-256color", "LANG": "zh_CN.UTF-8", "USER": "shop"}


@pytest.fixture
def shop(config, tmp_path):
    """A live shop as `tui-pos init` and a day's trade leave it: a database (0600) with a sale,
    a backup from an hour ago, and a printer node this user may write to."""
    tmp_path.chmod(0o700)
    node = tmp_path / "lp0"
    node.write_bytes(b"")
    node.chmod(0o660)
    cfg = replace(config, printer=replace(config.printer, backend="device", device=str(node)))
    ctx = open_shop(cfg, clock=lambda: NOW - timedelta(hours=2))
    seed(ctx)
    basket = Basket()
    basket.add(catalog.product_for_scan("6901"))
    plan = checkout.new_plan(ctx, basket)
    plan.add(TenderKind.CASH, 350)
    checkout.complete_sale(ctx, staff_service.login(ctx, "001", "1111"), basket, plan)
    close_shop()
    maintenance.backup(cfg, at=NOW - timedelta(hours=1))
    return cfg


def world(cfg, **changes) -> Surroundings:
    import os

    base = Surroundings(
        cfg,
        HEALTHY_ENV,
        now=lambda: NOW,
        disk_usage=lambda path: DiskUsage(100 * GB, 20 * GB, 80 * GB),
        uid=os.getuid(),
        groups=frozenset([os.getgid()]),
        usb_node=lambda vendor, product: None,
        connect=lambda host, port, timeout: None,
    )
    return replace(base, **changes)


def verdicts(s: Surroundings) -> list[tuple[str, str, str]]:
    return [(f.level.name, f.what, f.fix) for f in doctor.run(s)]


def failing(s: Surroundings) -> list[tuple[str, str, str]]:
    return [v for v in verdicts(s) if v[0] != "OK"]


def test_a_healthy_till_is_all_ok(shop):
    s = world(shop)
    findings = doctor.run(s)
    assert [f for f in findings if f.level is not Level.OK] == []
    whats = [f.what for f in findings]
    assert len(findings) == 11
    assert any(w.startswith("Database intact, schema ") for w in whats)
    assert "Last backup 2026-11-30 17:00 (0 days ago)" in whats
    printer = f"Printer device: {shop.printer.device} is there"
    assert any(w in (f"{printer} and writable", f"{printer} (checked as root, not as the till's user)") for w in whats)
    assert doctor.exit_code(findings) == 0
    assert doctor.line(findings[0]).startswith("OK    Python ")


def test_world_writable_data_folder_fails(shop):
    shop.data_dir.chmod(0o777)
    try:
        (verdict,) = failing(world(shop))
    finally:
        shop.data_dir.chmod(0o700)
    level, what, fix = verdict
    assert level == "FAIL" and "can be changed by any user (mode 0o777)" in what
    assert fix == f"chmod 700 {shop.data_dir}"


def test_readable_database_is_reported(shop):
    shop.db_path.chmod(0o644)
    assert failing(world(shop)) == [
        (
            "FAIL",
            f"{shop.db_path} can be read by any user: PIN hashes, members' phones (mode 0o644)",
            f"chmod 600 {shop.db_path}",
        )
    ]
    for file in (shop.db_path, shop.db_path.with_name("shop.db-wal")):  # the -wal holds sales too
        file.chmod(0o640)
    assert failing(world(shop)) == [
        ("WARN", f"{shop.db_path} is open to its group (mode 0o640)", f"chmod 600 {shop.db_path}")
    ]


def test_printer_node_without_permission_fails_with_the_udev_rule(shop):
    """A node only readable (0444) stands for /dev/usb/lp0 without the udev rule: this till's
    user (not root, not the owner) may not write to it."""
    node = shop.db_path.parent / "lp0"
    node.chmod(0o444)
    s = world(shop, uid=4242, groups=frozenset([4242]), env={**HEALTHY_ENV, "USER": "kasse"})
    found = [v for v in failing(s) if v[1].startswith("Printer")]
    assert len(found) == 1
    level, what, fix = found[0]
    assert level == "FAIL" and what == f"Printer device: no permission to write to {node}"
    assert 'SUBSYSTEM=="usb", ATTRS{idVendor}=="0416", ATTRS{idProduct}=="5011", MODE="0660", GROUP="lp"' in fix
    assert "sudo usermod -aG lp kasse" in fix
    node.chmod(0o660)  # the same user in the node's group may write: the rule's doing
    s = world(shop, uid=4242, groups=frozenset([4242, node.stat().st_gid]))
    assert not [v for v in failing(s) if v[1].startswith("Printer")]


def test_usb_printer_checks(shop, tmp_path):
    cfg = replace(shop, printer=replace(shop.printer, backend="usb"))
    node = tmp_path / "001-005"
    node.write_bytes(b"")
    node.chmod(0o444)
    s = world(cfg, uid=4242, usb_node=lambda vendor, product: str(node))
    (printer,) = [v for v in verdicts(s) if v[1].startswith(("Printer", "USB"))]
    assert printer[0] == "FAIL" and "USB 0416:5011: no permission" in printer[1] and "udev" in printer[2]

    (printer,) = [v for v in verdicts(world(cfg)) if v[1].startswith(("Printer", "USB"))]
    assert printer[:2] == ("FAIL", "USB printer 0416:5011 is not plugged in (or is switched off)")

    def no_libusb(vendor: int, product: int) -> str | None:
        raise PrinterError("Printer offline: USB support (libusb) is missing", hint="install libusb-1.0-0")

    (printer,) = [v for v in verdicts(world(cfg, usb_node=no_libusb)) if v[1].startswith(("Printer", "USB"))]
    assert printer == (
        "FAIL",
        "USB printer 0416:5011: Printer offline: USB support (libusb) is missing",
        "install libusb-1.0-0",
    )


def test_network_printer_that_does_not_answer_fails(shop):
    cfg = replace(shop, printer=replace(shop.printer, backend="network", host="192.0.2.9", port=9100))

    def refused(host: str, port: int, timeout: float) -> None:
        assert timeout <= 3  # a short wait, not the system's minutes
        raise ConnectionRefusedError(111, "Connection refused")

    (verdict,) = failing(world(cfg, connect=refused))
    assert verdict[0] == "FAIL" and verdict[1].startswith("Network printer 192.0.2.9:9100 does not answer")
    assert "Network printer 192.0.2.9:9100 answers" in [v[1] for v in verdicts(world(cfg))]


def test_no_printer_is_a_warning_with_setup_printer(shop):
    cfg = replace(shop, printer=replace(shop.printer, backend="none"))
    assert failing(world(cfg)) == [
        ("WARN", "No printer is set up: every ticket waits in the print queue", "run: tui-pos setup printer")
    ]


@pytest.mark.parametrize(("free_mb", "level"), [(50, "FAIL"), (300, "WARN"), (800, "OK")])
def test_disk_space(shop, free_mb, level):
    s = world(shop, disk_usage=lambda path: DiskUsage(100 * GB, 100 * GB - free_mb * MB, free_mb * MB))
    (disk,) = [v for v in verdicts(s) if v[1].startswith("Free disk space")]
    assert disk[0] == level and f"{free_mb} MB" in disk[1]


def _schema(cfg, sql: str) -> None:
    conn = sqlite3.connect(cfg.db_path)
    with conn:
        conn.execute(sql)
    conn.close()


def test_wrong_schema_version(shop):
    from tui_pos.store.db import SCHEMA_VERSION

    _schema(shop, "INSERT INTO schema_version (uid, version) VALUES ('a', 99)")
    (verdict,) = failing(world(shop))
    assert verdict[0] == "FAIL"
    assert verdict[1] == f"Database schema 99 is newer than this tui-pos knows ({SCHEMA_VERSION})"

    _schema(shop, "DELETE FROM schema_version")
    _schema(shop, f"INSERT INTO schema_version (uid, version) VALUES ('b', {SCHEMA_VERSION - 1})")
    (verdict,) = failing(world(shop))
    assert verdict[0] == "WARN" and "is older than this tui-pos" in verdict[1]  # the till upgrades it itself

    _schema(shop, "DROP TABLE schema_version")
    (verdict,) = failing(world(shop))
    assert verdict[0] == "FAIL" and "not a tui-pos database" in verdict[1]


def test_a_file_that_is_no_database_fails(shop):
    shop.db_path.write_bytes(b"this is not SQLite" * 100)
    for wal in (shop.db_path.with_name("shop.db-wal"), shop.db_path.with_name("shop.db-shm")):
        wal.unlink(missing_ok=True)
    (found,) = [v for v in failing(world(shop)) if v[1].startswith(f"{shop.db_path} cannot be read")]
    assert found[0] == "FAIL" and "tui-pos restore FILE" in found[2]


def test_terminal_and_locale(shop):
    s = world(shop, env={"TERM": "linux", "LANG": "zh_CN.UTF-8"})
    assert [v[:2] for v in failing(s)] == [
        ("WARN", "TERM=linux: the Linux console cannot draw Chinese; the till shows English there")
    ]
    s = world(shop, env={"TERM": "xterm", "LANG": "zh_CN.GB2312"})
    assert [v[:2] for v in failing(s)] == [
        ("WARN", "Locale zh_CN.GB2312 is not UTF-8: Chinese may show as question marks")
    ]
    s = world(shop, env={"TERM": "xterm", "LC_ALL": "C.UTF-8", "LANG": "C"})
    assert failing(s) == []


@pytest.mark.parametrize(
    "now",
    [NOW - timedelta(days=3 * 365), datetime(2001, 1, 1), NOW + timedelta(days=4 * 365)],
    ids=["behind-the-newest-sale", "years-behind", "years-ahead"],
)
def test_clock_far_off_fails(shop, now):
    (clock,) = [v for v in verdicts(world(shop, now=lambda: now)) if v[1].startswith(("Clock", "The clock"))]
    assert clock[0] == "FAIL" and "timedatectl" in clock[2]


def test_backup_age(shop):
    (backup,) = [
        v
        for v in verdicts(world(shop, now=lambda: NOW + timedelta(days=4)))
        if v[1].startswith(("Last backup", "No backup"))
    ]
    assert backup[0] == "WARN"
    (backup,) = [
        v
        for v in verdicts(world(shop, now=lambda: NOW + timedelta(days=10)))
        if v[1].startswith(("Last backup", "No backup"))
    ]
    assert backup[:2] == ("FAIL", "Last backup 2026-11-30 17:00 (10 days ago)")
    for copy in (shop.data_dir / "backups").glob("shop-*.db"):
        copy.unlink()
    (backup,) = [v for v in verdicts(world(shop)) if v[1].startswith(("Last backup", "No backup"))]
    assert backup[0] == "WARN" and backup[2].startswith("run: tui-pos backup")


def test_old_python_fails(shop):
    assert failing(world(shop, python=(3, 10, 12), sqlite=(3, 22, 0))) == [
        ("FAIL", "Python 3.10.12 is too old (tui-pos needs 3.11)", failing(world(shop, python=(3, 10, 0)))[0][2]),
        ("FAIL", "SQLite 3.22.0 is too old (tui-pos needs 3.24.0)", failing(world(shop, sqlite=(3, 1, 0)))[0][2]),
    ]


def test_exit_code_is_the_worst_verdict(shop):
    assert doctor.exit_code(doctor.run(world(shop))) == 0
    assert doctor.exit_code(doctor.run(world(shop, env={**HEALTHY_ENV, "TERM": "linux"}))) == 1
    full = world(shop, env={**HEALTHY_ENV, "TERM": "linux"}, disk_usage=lambda path: DiskUsage(GB, GB, 0))
    assert doctor.exit_code(doctor.run(full)) == 2


def test_a_check_that_breaks_is_a_fail_line(shop):
    def broken(path):
        raise OSError(5, "Input/output error")

    found = [v for v in verdicts(world(shop, disk_usage=broken)) if v[0] != "OK"]
    assert found == [("FAIL", "Check check_disk could not run: OSError [Errno 5] Input/output error", "")]


def test_the_command_on_a_bare_machine(home, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TUI_POS_HOME", str(tmp_path / "none-yet"))
    assert main(["doctor"]) == 2
    out = capsys.readouterr().out
    assert f"FAIL  No data folder at {tmp_path / 'none-yet'}  ->  create the shop: tui-pos init" in out
    assert "WARN  No printer is set up: every ticket waits in the print queue  ->  run: tui-pos setup printer" in out


def test_the_doctor_never_creates_the_database(shop):
    """The doctor never opens the shop (open_database would create or migrate what it looks at)."""
    shop.db_path.unlink()
    for extra in ("shop.db-wal", "shop.db-shm"):
        (shop.data_dir / extra).unlink(missing_ok=True)
    found = failing(world(shop))
    assert found[0] == ("FAIL", f"No database at {shop.db_path}", "create the shop: tui-pos init")
    assert not shop.db_path.exists()


def test_the_folder_rule_is_the_tills_own(shop):
    """What makes the till refuse to start is a FAIL here; a folder others may only look into is
    a WARN, since 0700 is what the till creates."""
    shop.data_dir.chmod(0o750)
    try:
        assert failing(world(shop)) == [
            (
                "WARN",
                f"Data folder {shop.data_dir} is open to other users (mode 0o750; 0o700 expected)",
                f"chmod 700 {shop.data_dir}",
            )
        ]
        shop.data_dir.chmod(0o770)
        assert [v[0] for v in failing(world(shop))] == ["FAIL"]
    finally:
        shop.data_dir.chmod(0o700)
    shop.db_path.chmod(0o660)
    assert failing(world(shop)) == [
        ("FAIL", f"{shop.db_path} can be changed by its group (mode 0o660)", f"chmod 600 {shop.db_path}")
    ]
    shop.db_path.chmod(0o600)
    owned = [v for v in failing(world(shop, uid=4242, env={**HEALTHY_ENV, "USER": "kasse"})) if "another user" in v[1]]
    assert [v[0] for v in owned] == ["FAIL", "FAIL"]
    assert owned[1][2] == f"run the till as that user, or: sudo chown kasse {shop.db_path}"
