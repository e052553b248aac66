"""Head-office settings a store pulled down (member levels, refund policy), in `hq_setting`.

They sit beside the shop's own config.toml rather than in it: the config file stays the
machine's, and what head office decided is data with its change number and time, read back
over the config whenever the shop opens and after every pull (services/context.py)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from tui_pos.store import fast

KINDS = ("level", "policy")


@dataclass(frozen=True)
class HqSetting:
    kind: str  # "level" | "policy"
    key: str  # the level's code, or the [refund_policy] setting's name
    data: dict[str, Any]
    seq: int  # head office's change number
    at: str


def _row_key(kind: str, key: str) -> str:
    return f"{kind}:{key}"


def all_settings() -> list[HqSetting]:
    """Every setting head office sent, in key order; none on a database older than the table."""
    try:
        rows = fast.run("SELECT key, value, seq, at FROM hq_setting ORDER BY key").fetchall()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return []
        raise
    out = []
    for row_key, value, seq, at in rows:
        kind, _, key = str(row_key).partition(":")
        out.append(HqSetting(kind, key, json.loads(value), int(seq), str(at)))
    return out


def latest() -> int:
    """The newest head-office change applied here (0: none): a till sees another's pull by it."""
    try:
        row = fast.run("SELECT COALESCE(MAX(seq), 0) FROM hq_setting").fetchone()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return 0
        raise
    return int(row[0])


def get(kind: str, key: str) -> dict[str, Any] | None:
    row = fast.run("SELECT value FROM hq_setting WHERE key = ?", (_row_key(kind, key),)).fetchone()
    if row is None:
        return None
    data: dict[str, Any] = json.loads(row[0])
    return data


def put(kind: str, key: str, data: dict[str, Any], seq: int, at: str) -> None:
    """Call inside the pull's transaction, beside its audit row."""
    fast.run(
        "INSERT INTO hq_setting (key, value, seq, at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value, seq = excluded.seq, at = excluded.at",
        (_row_key(kind, key), json.dumps(data, ensure_ascii=False, sort_keys=True), seq, at),
    )
