"""Which tills have the shop database open: one small file per running till, beside the database.

A file, not a table: a restore replaces the database, and a table inside it would go with it.
The till touches its file every HEARTBEAT_SECONDS and removes it on a clean exit; a file left by
a till that crashed or lost power goes stale after STALE_SECONDS and stops counting.
"""

from __future__ import annotations

import json
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path

from tui_pos.config import Config
from tui_pos.store.db import database_gone

HEARTBEAT_SECONDS = 10
STALE_SECONDS = 30


@dataclass(frozen=True)
class OpenTill:
    till: str
    host: str
    pid: int
    seen_seconds_ago: int


def folder(config: Config) -> Path:
    return config.db_path.parent / "tills"


def _pattern(config: Config) -> str:
    return f"{config.db_path.name}.till-*.json"


def register(config: Config) -> Path:
    """Say that this process has the database open; returns the file to pass to beat/unregister."""
    where = folder(config)
    where.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = where / f"{config.db_path.name}.till-{config.till_code}-{os.getpid()}.json"
    text = json.dumps({"till": config.till_code, "host": socket.gethostname(), "pid": os.getpid()})
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    return path


def beat(config: Config, path: Path) -> None:
    """Still here (written again if something removed it)."""
    try:
        os.utime(path)
    except FileNotFoundError:
        register(config)


def unregister(path: Path) -> None:
    path.unlink(missing_ok=True)


def open_tills(config: Config, *, now: float | None = None) -> list[OpenTill]:
    """Tills whose heartbeat is fresh, oldest file first."""
    where = folder(config)
    if not where.is_dir():
        return []
    moment = time.time() if now is None else now
    found: list[OpenTill] = []
    for path in sorted(where.glob(_pattern(config))):
        try:
            age = moment - path.stat().st_mtime
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if age <= STALE_SECONDS:
            found.append(
                OpenTill(str(data.get("till", "?")), str(data.get("host", "")), int(data.get("pid", 0)), int(age))
            )
    return found


def database_replaced() -> str:
    """ "replaced" or "removed" when the database this till opened is no longer at its path."""
    return database_gone()
