"""Opening head office's PostgreSQL: psycopg 3 through peewee's db_url, a short connect timeout,
and optionally a session in the shop's time zone whose timestamps come back as naive local
datetimes, the same kind of values the store's report code gets from SQLite."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import peewee
from playhouse import db_url  # type: ignore[import-untyped]  # peewee 4 types peewee, not playhouse

from tui_pos.central.errors import LINK_ERRORS, down


def _naive_loaders(zone: ZoneInfo) -> Any:
    """An adapters map whose timestamptz values load as naive datetimes in `zone`."""
    import psycopg
    from psycopg.types.datetime import TimestamptzBinaryLoader, TimestamptzLoader

    class Naive(TimestamptzLoader):
        def load(self, data: Any) -> datetime:
            return super().load(data).astimezone(zone).replace(tzinfo=None)

    class NaiveBinary(TimestamptzBinaryLoader):
        def load(self, data: Any) -> datetime:
            return super().load(data).astimezone(zone).replace(tzinfo=None)

    adapters = psycopg.adapt.AdaptersMap(psycopg.adapters)
    adapters.register_loader("timestamptz", Naive)
    adapters.register_loader("timestamptz", NaiveBinary)
    return adapters


def open_central(url: str, *, timezone: str | None = None, timeout_s: float = 5) -> peewee.PostgresqlDatabase:
    """A connected head-office database; CentralDown with the plain cause when it cannot be reached.

    With `timezone` (e.g. "Asia/Shanghai") the session runs in that zone: naive datetimes given
    as parameters are read as local time there, and timestamptz values come back naive and local."""
    params: dict[str, Any] = {"prefer_psycopg3": True, "connect_timeout": max(1, round(timeout_s))}
    if timezone:
        try:
            zone = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {timezone!r} (e.g. Asia/Shanghai)") from None
        params["options"] = f"-c TimeZone={timezone}"
        params["context"] = _naive_loaders(zone)
    if not url.startswith(("postgresql://", "postgres://")):
        raise ValueError(f"head office's URL must start with postgresql:// (not {url.split(':', 1)[0]!r})")
    # a password with @ : / or % in it is written %-encoded in a URL (p%40ss for p@ss)
    db = db_url.connect(url, unquote_password=True, unquote_user=True, **params)
    if not isinstance(db, peewee.PostgresqlDatabase):
        raise ValueError("head office's URL must start with postgresql://")
    try:
        db.connect(reuse_if_open=True)
    except LINK_ERRORS as exc:
        raise down(db, exc) from exc
    return db
