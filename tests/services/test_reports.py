"""Refund analytics on a seeded database, checked against an independent count in Python,
and the CSV export (BOM, formula escaping)."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime, timedelta

import pytest

from tui_pos.domain.basket import Basket
from tui_pos.domain.errors import InsufficientPermission, InvalidInput
from tui_pos.domain.refund import Pick
from tui_pos.domain.tenders import TenderKind
from tui_pos.services import catalog, checkout, export, members, refunds, reports
from tui_pos.services.context import Context
from tui_pos.services.refunds import RefundDraft
from tui_pos.store.models import ProductRow, RefundLineRow, RefundRow, SaleLineRow, SaleRow, StaffRow

START = datetime(2026, 11, 1, 9, 0)
REASONS = ("quality", "wrong_item", "changed_mind")


@pytest.fixture
def seeded(ctx, cashier, supervisor):
    """40 sales over 10 days by two staff, some to the member; about a third partly refunded."""
    rng = random.Random(7)
    member = members.find_one("M000001")
    for i in range(40):
        at = Context(ctx.config, lambda i=i: START + timedelta(hours=6 * i))
        actor = cashier if i % 3 else supervisor
        basket = Basket()
        for code in rng.sample(["6901", "6902", "6903"], rng.randint(1, 3)):
            basket.add(catalog.product_for_scan(code), rng.randint(1, 3))
        if i % 4 == 0:
            profile = members.profile(ctx, member.id)
            basket.attach(profile.member, profile.discount_bp)
        plan = checkout.new_plan(at, basket)
        plan.add(TenderKind.CASH, plan.due)
        sale = checkout.complete_sale(at, actor, basket, plan)
        if i % 3 == 0 or i % 7 == 2:  # the supervisor's and some of the cashier's
            later = Context(ctx.config, lambda i=i: START + timedelta(hours=6 * i + 5))
            lookup = refunds.load_order(later, sale.sale_id)
            line = rng.choice(list(lookup.history.values()))
            draft = RefundDraft(sale.sale_id, (Pick(line.sale_line_id, 1),), REASONS[i % len(REASONS)])
            refunds.confirm(later, actor, draft, ("003", "3333"))
    return ctx


def independent(view: str, since: datetime, until: datetime) -> dict[str, tuple[int, int, int]]:
    """key -> (refund count, refund amount, sales amount), by walking every row in Python."""
    refunds_by, sales_by = defaultdict(lambda: [set(), 0]), defaultdict(int)
    total_sales = 0
    # codes by id, read without the PIN columns (head office has none: tests/central reads this too)
    codes = dict(StaffRow.select(StaffRow.id, StaffRow.code).tuples())
    for sale in SaleRow.select():
        if not since <= sale.created_at < until or sale.status != "completed":
            continue
        total_sales += sale.total
        for line in SaleLineRow.select().where(SaleLineRow.sale == sale.id):
            key = {"product": str(line.product_id), "category": line.category}.get(view)
            if key is not None:
                sales_by[key] += line.paid
        if view == "cashier":
            sales_by[codes[sale.staff_id]] += sale.total
    for refund in RefundRow.select():
        if not since <= refund.created_at < until or refund.status not in ("paid", "completed"):
            continue
        if view in ("product", "category"):
            for line in RefundLineRow.select().where(RefundLineRow.refund == refund.id):
                key = str(line.product_id) if view == "product" else ProductRow.get_by_id(line.product_id).category
                refunds_by[key][0].add(refund.id)
                refunds_by[key][1] += line.amount
        else:
            key = refund.reason if view == "reason" else codes[refund.staff_id]
            refunds_by[key][0].add(refund.id)
            refunds_by[key][1] += refund.amount
    if view == "reason":
        sales_by = defaultdict(lambda: total_sales)
    return {key: (len(ids), amount, sales_by[key]) for key, (ids, amount) in refunds_by.items()}


@pytest.mark.parametrize("view", ["product", "category", "reason", "cashier"])
def test_breakdowns_match_an_independent_count(seeded, manager, view):
    since, until = reports.date_range("2026-11-01", "2026-11-11")
    got = {
        r.key: (r.refunds, r.refund_amount, r.sales_amount)
        for r in reports.breakdown(seeded, manager, view, since, until)
    }
    assert got == independent(view, since, until)
    assert got  # there is something to compare
    for r in reports.breakdown(seeded, manager, view, since, until):
        assert r.rate_bp == (r.refund_amount * 10000 * 2 + r.sales_amount) // (2 * r.sales_amount)


def test_summary_and_a_narrower_range(seeded, manager):
    since, until = reports.date_range("2026-11-01", "2026-11-11")
    s = reports.summary(seeded, manager, since, until)
    assert s.refunds == RefundRow.select().count() == 18
    assert s.refund_amount == sum(r.amount for r in RefundRow.select())
    assert s.sales_amount == sum(x.total for x in SaleRow.select())
    assert s.median_hours_to_refund == pytest.approx(5.0)
    narrow = reports.summary(seeded, manager, *reports.date_range("2026-11-02", "2026-11-02"))
    assert narrow.refunds == sum(1 for r in RefundRow.select() if r.created_at.date() == datetime(2026, 11, 2).date())
    # sums by reason add back up to the whole, to the cent
    by_reason = reports.breakdown(seeded, manager, "reason", since, until)
    assert sum(r.refund_amount for r in by_reason) == s.refund_amount


def test_reports_are_for_managers_and_ranges_are_checked(seeded, cashier, supervisor, manager):
    since, until = reports.date_range("2026-11-01", "2026-11-11")
    for actor in (cashier, supervisor):
        with pytest.raises(InsufficientPermission):
            reports.summary(seeded, actor, since, until)
        with pytest.raises(InsufficientPermission):
            reports.table(seeded, actor, "flags", since, until)
    with pytest.raises(InvalidInput, match="ends before it starts"):
        reports.date_range("2026-11-10", "2026-11-01")
    with pytest.raises(InvalidInput, match="Not a date"):
        reports.date_range("yesterday", "2026-11-01")
    with pytest.raises(InvalidInput):
        reports.breakdown(seeded, manager, "horoscope", since, until)


def test_every_table_renders(seeded, manager):
    since, until = reports.date_range("2026-11-01", "2026-11-11")
    for view in reports.TABLES:
        t = reports.table(seeded, manager, view, since, until)
        assert all(len(row) == len(t.headers) for row in t.rows), view
    cashiers = {c.code: c for c in reports.cashiers(seeded, manager, since, until)}
    assert (cashiers["001"].handled, cashiers["002"].handled) == (4, 14)


def strict(ctx):
    """The shop with flags that trip easily: every seeded pattern is worth a look."""
    config = ctx.config
    return Context(
        config.__class__(
            **{
                **config.__dict__,
                "refund_flags": config.refund_flags.__class__(
                    member_count=2, edge_minutes=24 * 60, just_under_bp=0, just_under_count=1
                ),
            }
        ),
        lambda: START + timedelta(days=10),
    )


def test_flags(seeded, ctx, manager):
    strict_ctx = strict(ctx)
    since, until = reports.date_range("2026-11-01", "2026-11-11")
    kinds = {f.kind for f in reports.flags(strict_ctx, manager, since, until)}
    assert {"member", "edge", "just_under"} <= kinds
    member = members.find_one("M000001")
    flag = reports.member_flag(strict_ctx, member.id)
    assert flag is not None and flag.params["count"] >= 2
    assert reports.member_flag(ctx, None) is None


def test_refund_wizard_shows_the_member_flag(seeded, ctx):
    """Refund wizard step 1 says so when a flagged member's order is loaded."""
    strict_ctx = strict(ctx)
    member = members.find_one("M000001")
    member_sale = SaleRow.select().where(SaleRow.member == member.id).first()
    warnings = refunds.load_order(strict_ctx, member_sale.id).warnings
    assert any(w.startswith("Worth a look: this member made") for w in warnings)
    plain = SaleRow.select().where(SaleRow.member.is_null()).first()
    assert not any("Worth a look" in w for w in refunds.load_order(strict_ctx, plain.id).warnings)


def test_csv_has_a_bom_and_no_formulas(tmp_path, manager):
    text = export.csv_text(
        ["名称", "金额"], [['=HYPERLINK("x")', "-5.70"], ["+1+1", "@SUM(A1)"], ["-cmd", "普通"], ["\tTAB", "12.5%"]]
    )
    assert text.startswith("\ufeff")
    lines = text[1:].split("\r\n")
    assert lines[0] == "名称,金额"
    assert lines[1] == '"\'=HYPERLINK(""x"")",-5.70'  # a formula is defused, a negative number stays
    assert lines[2] == "'+1+1,'@SUM(A1)"
    assert lines[3] == "'-cmd,普通"
    assert lines[4] == "'\tTAB,12.5%"
    path = export.write_csv(manager, tmp_path / "out" / "r.csv", "test", ["a"], [["1"]])
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert path.stat().st_mode & 0o777 == 0o600
