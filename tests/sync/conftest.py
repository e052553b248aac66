"""Head office for the sync tests: a fresh PostgreSQL database with the central schema."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest


@dataclass
class Central:
    url: str
    db: Any  # peewee PostgresqlDatabase, connected


@pytest.fixture
def central(pg_url: str) -> Iterator[Central]:
    from tui_pos.central import schema
    from tui_pos.central.connect import open_central

    db = open_central(pg_url)
    schema.create(db)
    yield Central(pg_url, db)
    db.close()
