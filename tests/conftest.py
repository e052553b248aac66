"""Shared fixtures: a real SQLite shop in a temp dir with staff, products and a member."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui_pos.config import Config, load_config
from tui_pos.domain.shift import CashCount
from tui_pos.domain.staff import Role
from tui_pos.i18n import set_console, set_language
from tui_pos.services import shifts
from tui_pos.services import staff as staff_service
from tui_pos.services.context import Context, close_shop, open_shop
from tui_pos.store.models import MemberRow, ProductRow

# The UI tests' fixtures (app, printer) live with their helpers in tests/ui/ui_helpers.py; the
# snapshot tests' shop (fixed data, fixed clock, the looks) in tests/ui/snapshot_shop.py.
pytest_plugins = ["ui_helpers", "snapshot_shop"]

PINS = {"001": "1111", "002": "2222", "003": "3333"}


@pytest.fixture(autouse=True)
def english():
    set_console(False)  # console mode is the app's to turn on (TERM=linux); never left on for the next test
    set_language("en")
    yield
    set_console(False)
    set_language("en")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The machine as the command line reads it, in tmp: no TUI_POS_* settings of the tester's,
    the data folder tmp/home, the config folder tmp/xdg, English."""
    for name in list(os.environ):
        if name.startswith("TUI_POS_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("TUI_POS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("TUI_POS_LANGUAGE", "en")
    return tmp_path / "home"


@pytest.fixture
def config(tmp_path: Path) -> Config:
    return load_config(env={"TUI_POS_HOME": str(tmp_path), "HOME": str(tmp_path)}, training=False)


def seed(ctx: Context) -> None:
    staff_service.create_staff(ctx, None, "003", "Manager Wang", Role.MANAGER, PINS["003"])
    manager = staff_service.login(ctx, "003", PINS["003"])
    staff_service.create_staff(ctx, manager, "001", "Cashier Li", Role.CASHIER, PINS["001"])
    staff_service.create_staff(ctx, manager, "002", "Supervisor Zhao", Role.SUPERVISOR, PINS["002"])
    ProductRow.create(barcode="6901", name="可口可乐 330ml", category="drinks", price=350, member_price=300, stock=100)
    ProductRow.create(barcode="6902", name="全麦面包", category="food", price=1299, stock=50)
    ProductRow.create(barcode="6903", name="Notebook A5", category="stationery", price=599, stock=20)
    MemberRow.create(
        card_no="M000001", phone="13800001234", phone_tail="1234", name="张三", level="gold", points=500, balance=10000
    )
    # Till 01 is open for business: sales and refunds need an open shift (float ￥500.00).
    shifts.open_shift(ctx, manager, CashCount(50000))


@pytest.fixture
def ctx(config: Config):
    context = open_shop(config)
    seed(context)
    yield context
    close_shop()


@pytest.fixture
def cashier(ctx):
    return staff_service.login(ctx, "001", PINS["001"])


@pytest.fixture
def supervisor(ctx):
    return staff_service.login(ctx, "002", PINS["002"])


@pytest.fixture
def manager(ctx):
    return staff_service.login(ctx, "003", PINS["003"])


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A new, empty PostgreSQL database on the test server that `.ci/postgres.sh` started (its
    URL in TUI_POS_TEST_PG_URL), dropped afterwards. Without a server the test is skipped, and
    on CI (TUI_POS_REQUIRE_PG=1) it fails: a PostgreSQL test that never runs proves nothing."""
    server = os.environ.get("TUI_POS_TEST_PG_URL", "")
    if not server:
        reason = "no PostgreSQL test server: run `source .ci/postgres.sh` first (it sets TUI_POS_TEST_PG_URL)"
        if os.environ.get("TUI_POS_REQUIRE_PG") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    import psycopg

    name = f"tp_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield server.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
