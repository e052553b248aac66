"""`tui-pos doctor`: what breaks a till in the field, each with how to fix it.

Every check is a small function of `Surroundings` (paths, environment, disk, clock, USB and
network probes), so tests give it a broken world without breaking the machine they run on.
A check says OK, WARN or FAIL; the command's exit code is the worst of them (0, 1, 2).
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import stat
import sys
from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import IntEnum
from pathlib import Path
from typing import NamedTuple

from tui_pos.config import Config
from tui_pos.domain.errors import PosError
from tui_pos.i18n import tr
from tui_pos.store import health

MIN_PYTHON = (3, 11, 0)
MIN_YEAR = 2025  # a clock before this is certainly wrong (no tui-pos existed)
LOW_DISK_MB = 500
FULL_DISK_MB = 100
BACKUP_WARN_DAYS = 2
BACKUP_FAIL_DAYS = 7
CLOCK_AHEAD_SLACK = timedelta(minutes=10)  # tills' clocks differ a little; a sale "from the future" is more
CLOCK_FAR = timedelta(days=366)
NETWORK_TIMEOUT = 2.0
UDEV_RULE = (
    'SUBSYSTEM=="usb", ATTRS{{idVendor}}=="{vendor:04x}", ATTRS{{idProduct}}=="{product:04x}", MODE="0660", GROUP="lp"'
)


class Level(IntEnum):
    OK = 0
    WARN = 1
    FAIL = 2


@dataclass(frozen=True)
class Finding:
    level: Level
    what: str
    fix: str = ""


class DiskUsage(NamedTuple):
    total: int
    used: int
    free: int


def _connect(host: str, port: int, timeout: float) -> None:
    with socket.create_connection((host, port), timeout=timeout):
        pass


def _usb_node(vendor: int, product: int) -> str | None:
    from tui_pos.devices.printer import usb_node

    return usb_node(vendor, product)


def _head_office_skew(url: str, timeout: float) -> int:
    """Seconds this machine's clock is ahead of head office's; CentralDown when it cannot be reached."""
    from tui_pos.central.apply import server_now
    from tui_pos.central.connect import open_central

    central = open_central(url, timeout_s=timeout)
    try:
        server = server_now(central)
    finally:
        central.close()
    if server.tzinfo is None:
        server = server.replace(tzinfo=UTC)
    return round((datetime.now(UTC) - server).total_seconds())


def _user(env: Mapping[str, str]) -> str:
    return env.get("USER") or env.get("LOGNAME") or str(os.getuid())


@dataclass(frozen=True)
class Surroundings:
    """Everything a check looks at; `real()` is this machine."""

    config: Config
    env: Mapping[str, str]
    now: Callable[[], datetime] = datetime.now
    disk_usage: Callable[[Path], DiskUsage] = lambda path: DiskUsage(*shutil.disk_usage(path))
    uid: int = field(default_factory=os.getuid)
    groups: frozenset[int] = field(default_factory=lambda: frozenset([os.getgid(), *os.getgroups()]))
    usb_node: Callable[[int, int], str | None] = _usb_node  # raises PosError without libusb
    connect: Callable[[str, int, float], None] = _connect  # raises OSError when nothing answers
    python: tuple[int, int, int] = (sys.version_info.major, sys.version_info.minor, sys.version_info.micro)
    sqlite: tuple[int, int, int] = sqlite3.sqlite_version_info
    head_office: Callable[[str, float], int] = _head_office_skew  # clock skew; raises when unreachable

    @property
    def user(self) -> str:
        return _user(self.env)


def real(config: Config) -> Surroundings:
    return Surroundings(config, dict(os.environ))


def _version(parts: tuple[int, int, int]) -> str:
    return ".".join(str(p) for p in parts)


def _mode(st: os.stat_result) -> str:
    return oct(stat.S_IMODE(st.st_mode))


def _writable(st: os.stat_result, s: Surroundings) -> bool:
    """By the mode bits, as the kernel decides for this user (root may write anything)."""
    if s.uid == 0:
        return True
    if st.st_uid == s.uid:
        return bool(st.st_mode & stat.S_IWUSR)
    if st.st_gid in s.groups:
        return bool(st.st_mode & stat.S_IWGRP)
    return bool(st.st_mode & stat.S_IWOTH)


# -- the checks ---------------------------------------------------------------------------------


def check_python(s: Surroundings) -> list[Finding]:
    findings = []
    if s.python < MIN_PYTHON:
        findings.append(
            Finding(
                Level.FAIL,
                tr("Python {version} is too old (tui-pos needs {minimum})", version=_version(s.python), minimum="3.11"),
                tr("install Python 3.11 or newer (Debian 12, Ubuntu 24.04), then tui-pos again"),
            )
        )
    else:
        findings.append(Finding(Level.OK, tr("Python {version}", version=_version(s.python))))
    from tui_pos.store.db import MIN_SQLITE

    if s.sqlite < MIN_SQLITE:
        findings.append(
            Finding(
                Level.FAIL,
                tr(
                    "SQLite {version} is too old (tui-pos needs {minimum})",
                    version=_version(s.sqlite),
                    minimum=_version(MIN_SQLITE),
                ),
                tr("use a Python built with a newer SQLite (Debian 12, Ubuntu 22.04 or newer have one)"),
            )
        )
    else:
        findings.append(Finding(Level.OK, tr("SQLite {version}", version=_version(s.sqlite))))
    return findings


def check_data_folder(s: Surroundings) -> list[Finding]:
    folder = s.config.data_dir
    if not folder.is_dir():
        return [Finding(Level.FAIL, tr("No data folder at {path}", path=folder), tr("create the shop: tui-pos init"))]
    st = folder.stat()
    findings = []
    if st.st_uid != s.uid:  # the till refuses to start (maintenance.refuse_exposed)
        findings.append(
            Finding(
                Level.FAIL,
                tr("Data folder {path} belongs to another user (uid {owner})", path=folder, owner=st.st_uid),
                tr("run the till as that user, or: sudo chown -R {user} {path}", user=s.user, path=folder),
            )
        )
    if st.st_mode & stat.S_IWOTH:
        findings.append(
            Finding(
                Level.FAIL,
                tr("Data folder {path} can be changed by any user (mode {mode})", path=folder, mode=_mode(st)),
                f"chmod 700 {folder}",
            )
        )
    elif st.st_mode & stat.S_IWGRP:
        findings.append(
            Finding(
                Level.FAIL,
                tr("Data folder {path} can be changed by its group (mode {mode})", path=folder, mode=_mode(st)),
                f"chmod 700 {folder}",
            )
        )
    elif stat.S_IMODE(st.st_mode) & 0o077:
        findings.append(
            Finding(
                Level.WARN,
                tr(
                    "Data folder {path} is open to other users (mode {mode}; 0o700 expected)",
                    path=folder,
                    mode=_mode(st),
                ),
                f"chmod 700 {folder}",
            )
        )
    if not findings:
        findings.append(Finding(Level.OK, tr("Data folder {path} (mode {mode})", path=folder, mode=_mode(st))))
    return findings


def check_database_file(s: Surroundings) -> list[Finding]:
    path = s.config.db_path
    if not path.exists():
        return [Finding(Level.FAIL, tr("No database at {path}", path=path), tr("create the shop: tui-pos init"))]
    worst = Finding(Level.OK, tr("Database {path} is readable by its owner only", path=path))
    for file in (path, Path(f"{path}-wal")):
        if not file.exists():
            continue
        st = file.stat()
        fix = f"chmod 600 {file}"
        if st.st_mode & stat.S_IWOTH:
            found = Finding(
                Level.FAIL, tr("{path} can be changed by any user (mode {mode})", path=file, mode=_mode(st)), fix
            )
        elif st.st_mode & stat.S_IROTH:
            found = Finding(
                Level.FAIL,
                tr(
                    "{path} can be read by any user: PIN hashes, members' phones (mode {mode})",
                    path=file,
                    mode=_mode(st),
                ),
                fix,
            )
        elif st.st_uid != s.uid:
            found = Finding(
                Level.FAIL,
                tr("{path} belongs to another user (uid {owner})", path=file, owner=st.st_uid),
                tr("run the till as that user, or: sudo chown {user} {path}", user=s.user, path=file),
            )
        elif st.st_mode & stat.S_IWGRP:
            found = Finding(
                Level.FAIL, tr("{path} can be changed by its group (mode {mode})", path=file, mode=_mode(st)), fix
            )
        elif st.st_mode & stat.S_IRGRP:
            found = Finding(Level.WARN, tr("{path} is open to its group (mode {mode})", path=file, mode=_mode(st)), fix)
        else:
            continue
        if found.level > worst.level:
            worst = found
    return [worst]


def check_database(s: Surroundings) -> list[Finding]:
    from tui_pos.store.db import SCHEMA_VERSION

    path = s.config.db_path
    if not path.exists():
        return []  # said by check_database_file
    restore = tr("close the tills, then put a backup back: tui-pos restore FILE")
    try:
        found = health.look(path)
    except sqlite3.DatabaseError as exc:
        return [Finding(Level.FAIL, tr("{path} cannot be read: {error}", path=path, error=str(exc)[:80]), restore)]
    if found.quick_check != "ok":
        return [Finding(Level.FAIL, tr("Database is damaged: {error}", error=found.quick_check[:80]), restore)]
    version = found.schema_version
    if version is None:
        return [
            Finding(
                Level.FAIL,
                tr("{path} is not a tui-pos database (no schema version)", path=path),
                tr("check the path (--db, TUI_POS_HOME) or put a backup back: tui-pos restore FILE"),
            )
        ]
    if version > SCHEMA_VERSION:
        return [
            Finding(
                Level.FAIL,
                tr(
                    "Database schema {found} is newer than this tui-pos knows ({known})",
                    found=version,
                    known=SCHEMA_VERSION,
                ),
                tr("install the tui-pos version that wrote it (every till of the shop needs the same one)"),
            )
        ]
    if version < SCHEMA_VERSION:
        return [
            Finding(
                Level.WARN,
                tr("Database schema {found} is older than this tui-pos ({known})", found=version, known=SCHEMA_VERSION),
                tr("start the till once: it upgrades the database and keeps a copy in backups/"),
            )
        ]
    return [Finding(Level.OK, tr("Database intact, schema {version}", version=version))]


def check_disk(s: Surroundings) -> list[Finding]:
    folder = s.config.data_dir
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    free_mb = s.disk_usage(folder).free // (1024 * 1024)
    what = tr("Free disk space: {free} MB at {path}", free=free_mb, path=folder)
    fix = tr("delete old files, or keep backups on a USB stick ([backup] folder in the config file)")
    if free_mb < FULL_DISK_MB:
        return [Finding(Level.FAIL, what, fix)]
    if free_mb < LOW_DISK_MB:
        return [Finding(Level.WARN, what, fix)]
    return [Finding(Level.OK, what)]


def _backup_time(path: Path, stem: str) -> datetime:
    """From the name backup() gives (shop-YYYYmmdd-HHMMSS-micro.db), else the file's time."""
    try:
        return datetime.strptime(path.name[len(stem) + 1 : len(stem) + 16], "%Y%m%d-%H%M%S")
    except ValueError:
        return datetime.fromtimestamp(path.stat().st_mtime)


def check_backups(s: Surroundings) -> list[Finding]:
    if s.config.training:
        return []  # training data is made again from the demo
    folder = Path(s.config.backup.folder) if s.config.backup.folder else s.config.data_dir / "backups"
    stem = s.config.db_path.stem
    copies = sorted(folder.glob(f"{stem}-*.db")) if folder.is_dir() else []
    fix = tr("run: tui-pos backup (the till also backs up at every shift close)")
    if not copies:
        return [Finding(Level.WARN, tr("No backup in {path}", path=folder), fix)]
    newest = max(_backup_time(p, stem) for p in copies)
    age = s.now() - newest
    what = tr("Last backup {when} ({days} days ago)", when=f"{newest:%Y-%m-%d %H:%M}", days=max(age.days, 0))
    if age > timedelta(days=BACKUP_FAIL_DAYS):
        return [Finding(Level.FAIL, what, fix)]
    if age > timedelta(days=BACKUP_WARN_DAYS):
        return [Finding(Level.WARN, what, fix)]
    return [Finding(Level.OK, what)]


def udev_fix(s: Surroundings) -> str:
    """The rule that lets the lp group use the printer, and the user into that group."""
    p = s.config.printer
    rule = UDEV_RULE.format(vendor=p.usb_vendor, product=p.usb_product)
    return tr(
        "add the udev rule {rule} to /etc/udev/rules.d/60-tui-pos-printer.rules, run sudo udevadm control "
        "--reload-rules and sudo usermod -aG lp {user}, then replug the printer and log in again",
        rule=rule,
        user=s.user,
    )


def _node(s: Surroundings, node: Path, what: str, fix: str) -> Finding:
    if not node.exists():
        return Finding(
            Level.FAIL,
            tr("Printer {what}: {path} is not there", what=what, path=node),
            tr("check the cable and power; tui-pos printer list shows what is plugged in"),
        )
    if not _writable(node.stat(), s):
        return Finding(Level.FAIL, tr("Printer {what}: no permission to write to {path}", what=what, path=node), fix)
    if s.uid == 0:  # root may write anything: say so, the till's own user may not
        return Finding(
            Level.OK,
            tr("Printer {what}: {path} is there (checked as root, not as the till's user)", what=what, path=node),
        )
    return Finding(Level.OK, tr("Printer {what}: {path} is there and writable", what=what, path=node))


def check_printer(s: Surroundings) -> list[Finding]:
    p = s.config.printer
    if p.backend == "training":
        return [Finding(Level.OK, tr("Training printer: tickets show on screen, nothing is printed"))]
    if p.backend == "none":
        return [
            Finding(
                Level.WARN,
                tr("No printer is set up: every ticket waits in the print queue"),
                tr("run: tui-pos setup printer"),
            )
        ]
    if p.backend == "usb":
        ids = f"{p.usb_vendor:04x}:{p.usb_product:04x}"
        try:
            node = s.usb_node(p.usb_vendor, p.usb_product)
        except PosError as exc:
            return [
                Finding(
                    Level.FAIL, tr("USB printer {ids}: {error}", ids=ids, error=exc.message), getattr(exc, "hint", "")
                )
            ]
        if node is None:
            return [
                Finding(
                    Level.FAIL,
                    tr("USB printer {ids} is not plugged in (or is switched off)", ids=ids),
                    tr("check the cable and power; tui-pos printer list shows what is plugged in"),
                )
            ]
        return [_node(s, Path(node), f"USB {ids}", udev_fix(s))]
    if p.backend in ("device", "file"):
        return [_node(s, Path(p.device), p.backend, udev_fix(s))]
    if p.backend == "serial":
        fix = tr("add the user to the dialout group: sudo usermod -aG dialout {user}, then log in again", user=s.user)
        return [_node(s, Path(p.serial_port), "serial", fix)]
    where = f"{p.host}:{p.port}"
    try:
        s.connect(p.host, p.port, NETWORK_TIMEOUT)
    except OSError as exc:
        return [
            Finding(
                Level.FAIL,
                tr("Network printer {where} does not answer: {error}", where=where, error=str(exc)[:60]),
                tr("check its power and network cable, and host and port under [printer] in the config file"),
            )
        ]
    return [Finding(Level.OK, tr("Network printer {where} answers", where=where))]


def check_terminal(s: Surroundings) -> list[Finding]:
    findings = []
    term = s.env.get("TERM", "")
    if term == "linux":
        findings.append(
            Finding(
                Level.WARN,
                tr("TERM=linux: the Linux console cannot draw Chinese; the till shows English there"),
                tr("for Chinese, use a terminal that can (a desktop terminal over SSH, or kmscon/fbterm on tty1)"),
            )
        )
    elif term in ("", "dumb"):
        findings.append(
            Finding(
                Level.WARN,
                tr("TERM is not set for a full-screen terminal"),
                tr("start the till from a terminal, e.g. with TERM=xterm-256color"),
            )
        )
    else:
        findings.append(Finding(Level.OK, tr("Terminal {term}", term=term)))
    name = next((s.env[key] for key in ("LC_ALL", "LC_CTYPE", "LANG") if s.env.get(key)), "")
    if not name:
        findings.append(Finding(Level.WARN, tr("No locale is set (LANG)"), tr("set LANG=C.UTF-8 (or zh_CN.UTF-8)")))
    elif "utf-8" not in name.lower() and "utf8" not in name.lower():
        findings.append(
            Finding(
                Level.WARN,
                tr("Locale {name} is not UTF-8: Chinese may show as question marks", name=name),
                tr("set LANG=C.UTF-8 (or zh_CN.UTF-8)"),
            )
        )
    else:
        findings.append(Finding(Level.OK, tr("Locale {name}", name=name)))
    return findings


def check_clock(s: Surroundings) -> list[Finding]:
    now = s.now()
    fix = tr("set the clock: sudo timedatectl set-ntp true (or timedatectl set-time 'YYYY-MM-DD HH:MM')")
    shown = f"{now:%Y-%m-%d %H:%M}"
    if now.year < MIN_YEAR:
        return [Finding(Level.FAIL, tr("The clock says {now}: years behind", now=shown), fix)]
    newest = None
    if s.config.db_path.exists():
        try:
            newest = health.look(s.config.db_path).newest_sale
        except sqlite3.DatabaseError:
            newest = None  # said by check_database
    if newest is not None and newest > now + CLOCK_AHEAD_SLACK:
        return [
            Finding(
                Level.FAIL,
                tr("The clock says {now}, before the newest sale ({sale})", now=shown, sale=f"{newest:%Y-%m-%d %H:%M}"),
                fix,
            )
        ]
    if newest is not None and now - newest > CLOCK_FAR:
        return [
            Finding(
                Level.FAIL,
                tr(
                    "The clock says {now}, over a year after the newest sale ({sale})",
                    now=shown,
                    sale=f"{newest:%Y-%m-%d %H:%M}",
                ),
                fix,
            )
        ]
    return [Finding(Level.OK, tr("Clock {now}", now=shown))]


def _queue(path: Path) -> tuple[int, datetime | None]:
    """Unsent outbox rows and the oldest one's time, read without opening the shop."""
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        count, oldest = db.execute("SELECT COUNT(*), MIN(at) FROM outbox WHERE sent_at IS NULL").fetchone()
    finally:
        db.close()
    return int(count), datetime.fromisoformat(oldest) if oldest else None


def check_head_office(s: Surroundings) -> list[Finding]:
    """With [central] url: head office reachable, what waits to upload, and the clocks agree."""
    from tui_pos.services.sync import CLOCK_WARN_S, age_words

    url = s.config.central.url
    if not url or s.config.training:
        return []
    unsent, oldest = (0, None)
    if s.config.db_path.exists():
        # an old database without the outbox, or a damaged one: said by check_database
        with suppress(sqlite3.DatabaseError):
            unsent, oldest = _queue(s.config.db_path)
    age = age_words(max(0, int((s.now() - oldest).total_seconds()))) if oldest else ""
    queue = tr("{count} to upload, oldest {age} ago", count=unsent, age=age) if unsent else tr("nothing to upload")
    try:
        skew = s.head_office(url, NETWORK_TIMEOUT)
    except PosError as exc:
        return [
            Finding(
                Level.WARN,
                tr("Head office: {cause} ({queue})", cause=exc.message, queue=queue),
                tr("check the network and [central] url; `tui-pos sync --once` tries again"),
            )
        ]
    if abs(skew) > CLOCK_WARN_S:
        return [
            Finding(
                Level.WARN,
                tr(
                    "Head office reachable ({queue}), but this clock is {age} off its clock",
                    queue=queue,
                    age=age_words(abs(skew)),
                ),
                tr("set the clock: sudo timedatectl set-ntp true (or timedatectl set-time 'YYYY-MM-DD HH:MM')"),
            )
        ]
    return [
        Finding(
            Level.OK, tr("Head office reachable ({queue}), clocks {seconds} s apart", queue=queue, seconds=abs(skew))
        )
    ]


CHECKS: tuple[Callable[[Surroundings], list[Finding]], ...] = (
    check_python,
    check_data_folder,
    check_database_file,
    check_database,
    check_disk,
    check_backups,
    check_printer,
    check_terminal,
    check_clock,
    check_head_office,
)


def run(s: Surroundings) -> list[Finding]:
    """Every check, in order; a check that itself fails is a FAIL line, not a traceback."""
    findings: list[Finding] = []
    for check in CHECKS:
        try:
            findings.extend(check(s))
        except Exception as exc:
            findings.append(
                Finding(
                    Level.FAIL,
                    tr(
                        "Check {name} could not run: {error}",
                        name=check.__name__,
                        error=f"{type(exc).__name__} {exc}"[:100],
                    ),
                )
            )
    return findings


def exit_code(findings: list[Finding]) -> int:
    return int(max((f.level for f in findings), default=Level.OK))


def line(finding: Finding) -> str:
    """OK/WARN/FAIL, what, and how to fix it, on one line."""
    text = f"{finding.level.name:<4}  {finding.what}"
    return f"{text}  ->  {finding.fix}" if finding.fix else text
