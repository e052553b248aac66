"""Head office for the central tests: a fresh PostgreSQL database (tests/conftest.py's pg_url)
with the central schema made, as an open peewee database."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture
def central_db(pg_url: str) -> Iterator[Any]:
    from tui_pos.central import schema
    from tui_pos.central.connect import open_central

    db = open_central(pg_url)
    schema.create(db)
    yield db
    db.close()
