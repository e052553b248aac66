"""The files that start the till at boot, serve it over SSH and let it write to the USB printer.

They ship inside the package (tui_pos/data/deploy/) because a shop installs a release, not a checkout,
and they are filled in for this install (the path of this `tui-pos`, the till's user, its till code and
printer ids), so the owner copies them as they are instead of editing paths by hand.
"""

from __future__ import annotations

import getpass
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from tui_pos.config import Config
from tui_pos.domain import setup
from tui_pos.domain.errors import InvalidInput
from tui_pos.resources import data_bytes

FILES: dict[str, tuple[str, ...]] = {
    "systemd": ("tui-pos@.service",),
    "ssh": ("sshd_config.conf", "authorized_keys"),
    "udev": ("99-tui-pos-printer.rules",),
}
_USER = re.compile(r"[a-z_][a-z0-9_-]{0,31}")


@dataclass(frozen=True)
class Install:
    exe: str
    user: str
    till: str
    vendor: str
    product: str


def this_install(config: Config, *, user: str = "", till: str = "") -> Install:
    """What the files need, from this process and the config; names checked, as they end up in root's files."""
    user = user or getpass.getuser()
    till = setup.till_code(till or config.till_code)
    if not _USER.fullmatch(user):
        raise InvalidInput("Not a Linux user name: {name}", name=user[:40])
    return Install(
        exe=executable(),
        user=user,
        till=till,
        vendor=f"{config.printer.usb_vendor:04x}",
        product=f"{config.printer.usb_product:04x}",
    )


def executable() -> str:
    """The `tui-pos` that is running (pipx: ~/.local/bin/tui-pos), not the venv behind its symlink."""
    argv0 = Path(sys.argv[0])
    if argv0.name == "tui-pos" and argv0.exists():
        return str(argv0.absolute())
    found = shutil.which("tui-pos")
    return str(Path(found).absolute()) if found else f"{sys.executable} -m tui_pos"


def render(kind: str, install: Install) -> list[tuple[str, str]]:
    """(file name, text) of each file of one kind, filled in for this install."""
    values = vars(install)
    return [(name, data_bytes(f"deploy/{name}").decode("utf-8").format(**values)) for name in FILES[kind]]
