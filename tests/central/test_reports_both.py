"""The store's report tests, run again on head office's PostgreSQL after the shop's upload: the
same report functions must give the same figures, to the fen, on both engines, for one store
(its schema of views) and for the chain (every store's rows)."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from tests.conftest import PINS, seed
from tests.services import test_reports as same
from tests.services.test_reports import REASONS, START
from tests.services.test_reports import seeded as seeded_fixture  # noqa: F401  # the shop these tests read

from tui_pos.central import schema
from tui_pos.central.connect import open_central
from tui_pos.config import load_config
from tui_pos.domain.basket import Basket
from tui_pos.domain.refund import Pick
from tui_pos.domain.shift import CashCount
from tui_pos.domain.tenders import TenderKind
from tui_pos.services import catalog, checkout, refunds, reports, shifts
from tui_pos.services import staff as staff_service
from tui_pos.services.chain_reports import on_central, stores_table
from tui_pos.services.context import Context, close_shop, open_shop
from tui_pos.services.refunds import RefundDraft
from tui_pos.store import models

from .report_upload import ZONE, register, upload

RANGE = ("2026-11-01", "2026-11-11")


@pytest.fixture
def shop(seeded_fixture):  # noqa: F811  # the imported fixture, by name
    """tests/services/test_reports.py's shop: 40 sales over 10 days, 18 partly refunded."""
    return seeded_fixture


@pytest.fixture
def central(pg_url):
    db = open_central(pg_url, timezone=ZONE)
    schema.create(db)
    yield db
    db.close()


def everything(ctx, manager) -> dict[str, object]:
    """Every report the store offers, as its reader sees them: refund analytics (summary and
    every table), the open shift's X report, a closed shift's Z, and the day summary."""
    since, until = reports.date_range(*RANGE)
    out: dict[str, object] = {"summary": reports.summary(ctx, manager, since, until)}
    for view in reports.TABLES:
        out[view] = reports.table(ctx, manager, view, since, until)
    for shift in models.ShiftRow.select().order_by(models.ShiftRow.id):
        report = shifts.report_for(ctx, manager, shift.id)
        out[f"shift {shift.id % 10**10}"] = dataclasses.replace(report, shift_id=report.shift_id % 10**10)
    for day in range(11):
        summary = shifts.day_summary(ctx, manager, START + timedelta(days=day))
        out[f"day {day}"] = [dataclasses.replace(r, shift_id=r.shift_id % 10**10) for r in summary.shifts]
    return out


def close_and_reopen(ctx, manager) -> None:
    """A Z for the seeded shift and a new one open: both kinds of shift report have something."""
    late = Context(ctx.config, lambda: START + timedelta(days=11))
    report = shifts.report(late)
    shifts.close_shift(late, manager, CashCount(report.expected_cash), note="counted")
    shifts.open_shift(late, manager, CashCount(30000))


def refund_twice(ctx, manager) -> None:
    """One order refunded twice by one person on the last day: an order run for the flags."""
    at = Context(ctx.config, lambda: START + timedelta(days=10, hours=1))
    basket = Basket()
    basket.add(catalog.product_for_scan("6903"), 3)
    plan = checkout.new_plan(at, basket)
    plan.add(TenderKind.CASH, plan.due)
    sale = checkout.complete_sale(at, manager, basket, plan)
    for hour in (2, 3):
        later = Context(ctx.config, lambda hour=hour: START + timedelta(days=10, hours=hour))
        line = next(iter(refunds.load_order(later, sale.sale_id).history.values()))
        refunds.confirm(later, manager, RefundDraft(sale.sale_id, (Pick(line.sale_line_id, 1),), "quality"))


@pytest.fixture
def uploaded(shop, manager, central):
    """The seeded shop with an order refunded twice, a closed and an open shift, as store 01 at
    head office."""
    refund_twice(shop, manager)
    close_and_reopen(shop, manager)
    store = register(central, "01", "Store one")
    upload(central, store)
    return store


def test_every_report_is_the_same_on_both_engines(shop, manager, central, uploaded):
    local = everything(shop, manager)
    assert local["summary"].refunds == 20  # something to compare, an order run among the flags
    assert any("2 refunds of order" in row[2] for row in local["flags"].rows)
    with on_central(central, uploaded):
        assert everything(shop, manager) == local
    with on_central(central):  # the chain: one store in it
        assert everything(shop, manager) == local


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, shop, manager):
    """The seeded shop's reports read from SQLite, or from head office (store 01's views)."""
    if request.param == "sqlite":
        yield shop
        return
    central = request.getfixturevalue("central")
    store = register(central, "01", "Store one")
    upload(central, store)
    with on_central(central, store):
        yield shop


def test_the_store_report_tests(engine, ctx, manager):
    """tests/services/test_reports.py's assertions, read from the engine's database (one shop
    made and uploaded for all of them: each costs a few seconds)."""
    for view in ("product", "category", "reason", "cashier"):
        same.test_breakdowns_match_an_independent_count(engine, manager, view)
    same.test_summary_and_a_narrower_range(engine, manager)
    same.test_every_table_renders(engine, manager)
    same.test_flags(engine, ctx, manager)


def trade(ctx: Context, sales: int) -> None:
    """A second store's fortnight: `sales` sales in the seeded range, every other one partly refunded."""
    cashier = staff_service.login(ctx, "001", PINS["001"])
    for i in range(sales):
        at = Context(ctx.config, lambda i=i: START + timedelta(hours=5 * i))
        basket = Basket()
        basket.add(catalog.product_for_scan("6902" if i % 3 else "6901"), 1 + i % 3)
        plan = checkout.new_plan(at, basket)
        plan.add(TenderKind.CASH, plan.due)
        sale = checkout.complete_sale(at, cashier, basket, plan)
        if i % 2 == 0:
            later = Context(ctx.config, lambda i=i: START + timedelta(hours=5 * i + 2))
            line = next(iter(refunds.load_order(later, sale.sale_id).history.values()))
            draft = RefundDraft(sale.sale_id, (Pick(line.sale_line_id, 1),), REASONS[i % len(REASONS)])
            refunds.confirm(later, cashier, draft, ("003", PINS["003"]))


def figures(ctx, manager) -> tuple[reports.Summary, dict[str, tuple[int, int]]]:
    since, until = reports.date_range(*RANGE)
    by_reason = {r.key: (r.refunds, r.refund_amount) for r in reports.breakdown(ctx, manager, "reason", since, until)}
    return reports.summary(ctx, manager, since, until), by_reason


@pytest.fixture
def two_stores(shop, manager, central, tmp_path):
    """Store 01 (the seeded shop) and store 02 (a smaller one) uploaded; the figures each
    store's own database gives; store 01's shop open again afterwards."""
    one = register(central, "01", "Store one")
    own = {"01": figures(shop, manager)}
    upload(central, one)
    close_shop()
    env = {"TUI_POS_HOME": str(tmp_path / "two"), "HOME": str(tmp_path / "two")}
    config = dataclasses.replace(load_config(env=env, training=False), store_code="02")
    second = open_shop(config)
    seed(second)
    trade(second, 12)
    own["02"] = figures(second, staff_service.login(second, "003", PINS["003"]))
    two = register(central, "02", "Store two")
    upload(central, two)
    close_shop()
    open_shop(shop.config)
    return {"01": one, "02": two}, own


def test_chain_totals_are_the_sum_of_the_stores(shop, manager, central, two_stores, pg_url, home, monkeypatch, capsys):
    """Two stores: the chain's figures add up, each store's are its own, in the services and through
    `tui-pos report ... --central [--store CODE]`."""
    stores, own = two_stores
    (one, one_reasons), (two, two_reasons) = own["01"], own["02"]
    assert one.refunds and two.refunds and one.sales_amount != two.sales_amount
    with on_central(central):
        chain, chain_reasons = figures(shop, manager)
        since, until = reports.date_range(*RANGE)
        table = stores_table(shop, manager, since, until, list(stores.values()))
    for name in ("refunds", "refund_amount", "sales_amount", "no_receipt", "no_receipt_amount"):
        assert getattr(chain, name) == getattr(one, name) + getattr(two, name), name
    for reason in set(one_reasons) | set(two_reasons):
        a, b = one_reasons.get(reason, (0, 0)), two_reasons.get(reason, (0, 0))
        assert chain_reasons[reason] == (a[0] + b[0], a[1] + b[1])
    assert table.rows == tuple(
        (
            code,
            stores[code].name,
            str(s.refunds),
            reports.yuan(s.refund_amount),
            reports.yuan(s.sales_amount),
            reports.pct(s.rate_bp),
        )
        for code, (s, _) in sorted(own.items())
    )
    for code in ("01", "02"):
        with on_central(central, stores[code]):
            assert figures(shop, manager) == own[code]
    report_command_central(shop, own, pg_url, monkeypatch, capsys)


def summary_line(s: reports.Summary) -> str:
    amount, sales = reports.yuan(s.refund_amount), reports.yuan(s.sales_amount)
    return f"{s.refunds} refunds {amount} of {sales} sales: rate {reports.pct(s.rate_bp)}"


def report_command_central(shop, own, pg_url, monkeypatch, capsys):
    from tui_pos.cli import main

    monkeypatch.setenv("TUI_POS_CENTRAL_TIMEZONE", ZONE)
    base = ["--db", str(shop.config.db_path), "report"]
    who = ["--staff", "003", "--pin", PINS["003"], "--central", "--url", pg_url]
    days = ["--from", RANGE[0], "--to", RANGE[1]]
    assert main([*base, "refunds", *who, "--store", "02", *days]) == 0
    out = capsys.readouterr().out
    assert "Head office figures, store 02 Store two" in out
    assert summary_line(own["02"][0]) in out and "By store" not in out
    assert main([*base, "refunds", *who, *days, "--by", "cashier"]) == 0
    out = capsys.readouterr().out
    assert "Head office figures, every store (2)" in out and "By store" in out
    chain = [line.split() for line in out.split("By store")[1].splitlines() if line.strip()]
    assert [row[0] for row in chain[1:]] == ["01", "02"]
    assert [row[-3] for row in chain[1:]] == [reports.yuan(own[c][0].refund_amount) for c in ("01", "02")]
    # a shift is one store's; store 02's open shift is its number 1
    assert main([*base, "shift", *who]) == 1
    assert "add --store" in capsys.readouterr().err
    assert main([*base, "shift", *who, "--store", "02"]) == 0
    assert "X report" in capsys.readouterr().out
    assert main([*base, "day", *who, "--date", "2026-12-01"]) == 0
    assert main([*base, "refunds", "--staff", "003", "--pin", PINS["003"], "--store", "02"]) == 2
    assert "add --central" in capsys.readouterr().err  # not this store's figures under store 02's name
    assert main([*base, "refunds", *who, "--store", "09"]) == 1
    assert "knows no store 09; its stores are: 01, 02" in capsys.readouterr().err


def test_week_numbers_are_sqlites_on_postgresql(pg_url):
    """dialect.week on PostgreSQL gives SQLite's (and C's) %Y-W%W for every day of five years,
    including the days before a year's first Monday (week 00) and 31 December in week 53."""
    from datetime import date

    from peewee import SQL, Select

    from tui_pos.store import dialect

    db = open_central(pg_url, timezone=ZONE)
    before = models.database.obj
    models.database.initialize(db)
    try:
        day = SQL("d")
        query = Select(
            [SQL("generate_series('2024-01-01'::date, '2028-12-31'::date, '1 day') AS g(d)")],
            [SQL("d::date::text"), dialect.week(day)],
        ).bind(db)
        got = dict(query.tuples())
    finally:
        models.database.initialize(before)
        db.close()
    first = date(2024, 1, 1)
    want = {f"{first + timedelta(days=n)}": f"{first + timedelta(days=n):%Y-W%W}" for n in range(len(got))}
    assert len(got) == 1827  # 2024 and 2028 are leap years
    assert got == want
