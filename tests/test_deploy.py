"""The boot, SSH and udev files `tui-pos example` makes: filled in for this install, and accepted by
the tools that read them where this machine has them (systemd-analyze)."""

from __future__ import annotations

import getpass
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from tui_pos import deploy
from tui_pos.cli import main
from tui_pos.config import PrinterConfig
from tui_pos.domain.errors import InvalidInput


@pytest.fixture
def install(config):
    return deploy.this_install(config, user="till", till="02")


def test_the_boot_unit_runs_this_tui_pos_on_the_console_and_restarts_it(install):
    ((name, unit),) = deploy.render("systemd", install)
    assert name == "tui-pos@.service"
    lines = unit.splitlines()
    assert f"ExecStart={install.exe} run" in lines
    for line in (
        "User=till",
        "Environment=TUI_POS_TILL_CODE=02",
        "Environment=TERM=linux",
        "TTYPath=/dev/%I",
        "StandardInput=tty",
        "Restart=always",
        "Conflicts=getty@%i.service",
        "WantedBy=getty.target",
    ):
        assert line in lines
    assert "{" not in unit  # every placeholder filled


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not on this machine")
def test_systemd_accepts_the_boot_unit(config, tmp_path):
    """systemd-analyze verify reads the unit as systemd would: a misspelt key or a value it cannot parse
    is printed even where the exit code stays 0, so any output fails. The user must exist: this one."""
    install = deploy.this_install(config, user=getpass.getuser())
    ((name, unit),) = deploy.render("systemd", install)
    (tmp_path / name).write_text(unit)
    if not Path(install.exe.split()[0]).exists():
        pytest.skip("no tui-pos executable in this environment")
    done = subprocess.run(
        ["systemd-analyze", "verify", "./tui-pos@tty1.service"], cwd=tmp_path, capture_output=True, text=True
    )
    assert (done.returncode, done.stdout + done.stderr) == (0, "")


def test_ssh_gives_only_the_till_and_each_key_its_till_code(install):
    files = dict(deploy.render("ssh", install))
    sshd = files["sshd_config.conf"].splitlines()
    assert "PermitUserEnvironment TUI_POS_TILL_CODE" in sshd
    match = sshd.index("Match User till")
    assert f"    ForceCommand {install.exe} run" in sshd[match:]
    assert "    PasswordAuthentication no" in sshd[match:]
    assert "    AllowTcpForwarding no" in sshd[match:]
    # a Match block runs to the end of the configuration: close it so nothing after it is caught
    assert [line for line in sshd if line and not line.startswith("#")][-1] == "Match all"
    keys = [line for line in files["authorized_keys"].splitlines() if line and not line.startswith("#")]
    assert keys == ['restrict,pty,environment="TUI_POS_TILL_CODE=02" ssh-ed25519 AAAA...paste-the-key-here till-02']


def test_udev_rule_names_the_configured_printer(config):
    config = replace(config, printer=replace(PrinterConfig(), usb_vendor=0x0FE6, usb_product=0x811E))
    ((name, rule),) = deploy.render("udev", deploy.this_install(config, user="till"))
    assert name == "99-tui-pos-printer.rules"
    assert 'ATTRS{idVendor}=="0fe6", ATTRS{idProduct}=="811e", MODE="0660", GROUP="lp"' in rule
    assert "usermod -aG lp till" in rule


@pytest.mark.parametrize(("user", "till"), [("root;rm", "01"), ("till", "0 1"), ("till", "$(id)"), ("Till", "01")])
def test_names_that_would_break_root_s_files_are_refused(config, user, till):
    with pytest.raises(InvalidInput):
        deploy.this_install(config, user=user, till=till)


def test_cli_writes_the_files_or_prints_them(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TUI_POS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("TUI_POS_TILL_CODE", "03")
    monkeypatch.setenv("TUI_POS_LANGUAGE", "en")
    assert main(["example", "ssh", "--user", "till", "--to", str(tmp_path / "out")]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["authorized_keys", "sshd_config.conf"]
    assert "TUI_POS_TILL_CODE=03" in (tmp_path / "out" / "authorized_keys").read_text()
    capsys.readouterr()
    assert main(["example", "systemd", "--till", "04"]) == 0
    assert "Environment=TUI_POS_TILL_CODE=04" in capsys.readouterr().out
    assert main(["example", "systemd", "--till", "0 4"]) == 1
    assert "till code is 1 to 8" in capsys.readouterr().err
