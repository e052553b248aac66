"""What every service call needs besides its arguments: the settings and a clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from tui_pos.config import Config
from tui_pos.store.db import close_database, open_database
from tui_pos.store.models import StoreRow, TillRow


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


@dataclass(frozen=True)
class Context:
    config: Config
    clock: Callable[[], datetime] = field(default=_now)

    def now(self) -> datetime:
        return self.clock()


def open_shop(config: Config, *, clock: Callable[[], datetime] | None = None) -> Context:
    """Open the configured database (creating it and this store/till on first run)."""
    open_database(config.db_path, durable=not config.training)
    # the ignores: get_or_create is untyped in peewee's stubs
    store, _ = StoreRow.get_or_create(code=config.store_code, defaults={"name": config.store_name})  # type: ignore[no-untyped-call]
    TillRow.get_or_create(store=store, code=config.till_code)  # type: ignore[no-untyped-call]
    return Context(config, clock or _now)


def close_shop() -> None:
    close_database()
