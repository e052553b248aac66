"""What every service call needs besides its arguments: the settings and a clock."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from tui_pos.config import Config, with_head_office
from tui_pos.store import hq_settings
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
    return Context(head_office_config(config), clock or _now)


def head_office_config(config: Config) -> Config:
    """The config with what head office sent (member levels, refund policy) over the file's:
    the one place they take effect, when the shop opens and after each pull (services/sync.py).
    A value that cannot be used is skipped; the pull's audit row already said so."""
    settings = hq_settings.all_settings()
    if not settings:
        return config
    levels = {s.key: s.data for s in settings if s.kind == "level"}
    policy = {s.key: s.data.get("value") for s in settings if s.kind == "policy"}
    merged, problems = with_head_office(config, levels, policy)
    for problem in problems:
        logging.getLogger("tui_pos").warning("head office setting not used: %s", problem)
    return merged


def refreshed(ctx: Context) -> Context:
    """The same shop with head office's latest settings (after a pull changed some)."""
    return replace(ctx, config=head_office_config(ctx.config))


def close_shop() -> None:
    close_database()
