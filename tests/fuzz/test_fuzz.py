"""Hostile and wrong input, generated: every parser and service entry point answers with a
clear validation error or a correct result; never an unhandled exception, never a partial
write, never a control sequence on the screen or a ticket. About 10,000 examples a run."""

from __future__ import annotations

import random
import unicodedata

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from tests.fault import invariants, workload

from tui_pos.config import load_config
from tui_pos.devices.printer import render
from tui_pos.domain.basket import Basket
from tui_pos.domain.catalog import Member, clean_barcode, clean_text, parse_quantity, split_quantity
from tui_pos.domain.errors import PosError
from tui_pos.domain.money import MAX_CENTS, format_money, parse_money
from tui_pos.domain.refund import Pick
from tui_pos.domain.shift import parse_cash_count
from tui_pos.domain.tenders import PaymentPlan, TenderKind
from tui_pos.services import catalog, checkout, imports, members, printing, refunds, shifts
from tui_pos.services import staff as staff_service
from tui_pos.services.context import close_shop, open_shop
from tui_pos.services.refunds import RefundDraft
from tui_pos.store.models import MemberRow, database

NASTY = [
    "\x1b[31m",
    "\x1b]0;owned\x07",
    "\x1b[2J",
    "\u202e",
    "\u200f",
    "\x00",
    "\r",
    "\t",
    "NaN",
    "nan",
    "inf",
    "-0",
    "1e9",
    "0x10",
    "１２３",
    "，",
    "。",
    "．",
    "¥",
    "￥",
    "$",
    "-",
    "+",
    "*",
    "×",
    "😀",
    "👨‍👩‍👧",
    "مرحبا",
    "עברית",
    "中文",
    "٣",
    "𝟗",
    "9" * 30,
    " ",
    ",",
    ".",
    "..",
    "%s",
    "{amount}",
    "'; DROP TABLE sale; --",
]
hostile = st.lists(
    st.one_of(st.sampled_from(NASTY), st.text(max_size=8), st.text(alphabet="0123456789.,-", max_size=8)), max_size=6
).map("".join)


def mostly(valid: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Half plausible input, half hostile: so the accepted paths are exercised too."""
    return st.one_of(valid, hostile)


FAST = settings(max_examples=1500, deadline=None)
DB = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


def printable(text: str) -> bool:
    """Nothing a terminal or a printer would take as a command."""
    return not any(unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\n" for ch in text)


# -- form parsers -----------------------------------------------------------------------------
@FAST
@given(hostile)
def test_amounts(text):
    try:
        cents = parse_money(text)
    except PosError as exc:
        assert exc.message and printable(exc.message)
        return
    assert 0 <= cents <= MAX_CENTS


@settings(max_examples=500, deadline=None)
@given(st.integers(0, MAX_CENTS), st.booleans())
def test_an_amount_reads_back_as_itself_in_any_digits(cents, wide):
    text = format_money(cents)
    if wide:
        text = text.translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))
    assert parse_money(text) == cents


@FAST
@given(hostile)
def test_quantities_and_scans(text):
    try:
        qty, code = split_quantity(text)
        assert isinstance(parse_quantity(qty), int)
        code = clean_barcode(code)
    except PosError as exc:
        assert exc.message and printable(exc.message)
        return
    assert code and code.isascii() and printable(code) and len(code) <= 64


@FAST
@given(hostile)
def test_cash_counts(text):
    try:
        count = parse_cash_count(text)
    except PosError as exc:
        assert printable(exc.message)
        return
    assert 0 <= count.total <= MAX_CENTS


@FAST
@given(hostile)
def test_free_text_is_cleaned(text):
    cleaned = clean_text(text, 40)
    assert printable(cleaned) and len(cleaned) <= 40


@FAST
@given(
    st.lists(st.tuples(st.sampled_from(list(TenderKind)), st.integers(-(10**12), 10**12)), max_size=6),
    st.integers(1, 10**7),
)
def test_tenders(tenders, due):
    member = Member(1, "M1", "13800000000", "x", "gold", points=500, balance=2000)
    plan = PaymentPlan(due, member, 1, credit=300)
    for kind, amount in tenders:
        try:
            plan.add(kind, amount)
        except PosError as exc:
            assert printable(exc.message)
    assert 0 <= plan.paid <= due and plan.used(TenderKind.STORED_VALUE) <= 2000
    assert plan.points_spent <= 500 and plan.used(TenderKind.EXCHANGE) <= 300


# -- services on a real shop --------------------------------------------------------------------
@pytest.fixture
def shop(tmp_path):
    config = load_config(env={"TUI_POS_HOME": str(tmp_path), "HOME": str(tmp_path)}, training=False)
    ctx = open_shop(config)
    workload.seed(ctx)
    actor = staff_service.login(ctx, *workload.MANAGER)
    till = workload.Till(ctx, actor, random.Random(1))
    for _ in range(30):
        till.sale()
    yield ctx, actor
    close_shop()
    assert invariants.violations(config.db_path) == []


def counts() -> tuple[int, ...]:
    tables = (
        "sale",
        "sale_line",
        "payment",
        "refund",
        "refund_line",
        "stock_move",
        "points_move",
        "stored_value_move",
        "member",
        "product",
        "cash_move",
        "print_job",
    )
    return tuple(database.execute_sql(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables)


def refused_cleanly(before: tuple[int, ...], exc: PosError) -> None:
    event(f"refused: {type(exc).__name__}: {exc.template[:30]}")  # --hypothesis-show-statistics shows the mix
    assert printable(exc.message)
    assert counts() == before, "a refused request wrote something"


@DB
@given(text=hostile)
def test_scanning_anything(shop, text):
    try:
        product = catalog.product_for_scan(text)
    except PosError as exc:
        assert printable(exc.message)
        return
    assert product.barcode.startswith("69")


@DB
@given(
    card=mostly(st.from_regex(r"[A-Za-z]{0,2}[0-9]{4,12}", fullmatch=True)),
    phone=mostly(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)),
    name=mostly(st.text(min_size=1, max_size=30)),
)
def test_new_members(shop, card, phone, name):
    ctx, actor = shop
    before = counts()
    try:
        member = members.create(ctx, actor, card, phone, name)
    except PosError as exc:
        refused_cleanly(before, exc)
        return
    assert printable(member.name) and printable(member.card_no) and member.name
    event("accepted")
    assert counts()[8] == before[8] + 1
    # the name goes on a screen and a ticket: nothing in it may act as a command
    basket = Basket()
    basket.add(catalog.product_for_scan("690000"))
    basket.attach(member)
    plan = checkout.new_plan(ctx, basket)
    plan.add(TenderKind.CASH, plan.due)
    sale = checkout.complete_sale(ctx, actor, basket, plan)
    ticket = printing.job_ticket(ctx, sale.print_job_id)
    assert printable(ticket.preview())
    data = render(ticket, ctx.config.printer)
    assert member.phone not in data.decode("gbk", "replace")  # masked on the ticket


@DB
@given(
    lines=st.lists(
        st.tuples(st.integers(0, 21), st.sampled_from(["1", "2", "3", "１", " 2 "])), min_size=1, max_size=4
    ),
    bad_qty=st.none() | st.sampled_from(["0", "-1", "1e3", "99999999999", "\x1b[2J", "三"]) | hostile,
    given_cash=st.sampled_from(["5000", "５０００", "9,999.99", "20000.5", "0.01"]) | hostile,
    member=st.none() | st.integers(0, 9),
)
def test_ringing_up_and_paying(shop, lines, bad_qty, given_cash, member):
    ctx, actor = shop
    before = counts()
    if bad_qty is not None:
        lines[0] = (lines[0][0], bad_qty)
    try:
        basket = Basket()
        for product, qty in lines:
            basket.add(catalog.product_for_scan(f"69{product:04d}"), parse_quantity(qty))
        if member is not None:
            basket.attach(members.find_one(f"M{member:06d}"))
        plan = checkout.new_plan(ctx, basket)
        plan.add(TenderKind.CASH, parse_money(given_cash))
        sale = checkout.complete_sale(ctx, actor, basket, plan)
    except PosError as exc:
        refused_cleanly(before, exc)
        return
    event("accepted")
    assert sale.total == basket.totals().total and counts()[0] == before[0] + 1


@DB
@given(
    order=st.integers(0, 35),
    picks=st.lists(st.tuples(st.integers(-2, 200), st.one_of(st.integers(1, 3), st.integers(-5, 10**6))), max_size=4),
    amount=st.none() | st.integers(-(10**6), 10**8) | st.integers(0, 3000),
    tender=st.sampled_from(["cash", "card", "stored_value", "points", "", "\x1b[2J", "wechat", "exchange"]),
    reason=mostly(st.sampled_from(["quality", "wrong_item", "other"])),
    note=hostile,
)
def test_refunds(shop, order, picks, amount, tender, reason, note):
    ctx, actor = shop
    before = counts()
    try:
        lookup = refunds.load_order(ctx, order)
        ids = [h.sale_line_id for h in lookup.history.values()]
        chosen = tuple(Pick(ids[i % len(ids)] if i >= 0 else i, qty) for i, qty in picks)
        draft = RefundDraft(lookup.sale.id, chosen, reason, note=note, tender=tender, amount=amount)
        refunds.confirm(ctx, actor, draft, expected=refunds.quote(ctx, actor, draft))
    except PosError as exc:
        refused_cleanly(before, exc)
        return
    event("accepted")
    assert counts()[3] == before[3] + 1


@DB
@given(
    kind=st.sampled_from(["paid_in", "paid_out", "", "drop table"]),
    amount=st.one_of(st.integers(1, 20000), st.integers(-(10**9), 10**12)),
    reason=mostly(st.text(min_size=1)),
)
def test_paid_in_and_out(shop, kind, amount, reason):
    ctx, actor = shop
    before = counts()
    try:
        shifts.cash_move(ctx, actor, kind, amount, reason)
    except PosError as exc:
        refused_cleanly(before, exc)
        return
    event("accepted")
    assert counts()[10] == before[10] + 1 and shifts.report(ctx).expected_cash >= 0


COLUMNS = ["barcode", "name", "price", "member_price", "stock", "category", "card_no", "phone", "level", "", "价格"]


@DB
@given(
    header=st.one_of(
        st.lists(st.sampled_from(COLUMNS), max_size=7),
        st.sampled_from([["barcode", "name", "price", "stock"], ["card_no", "phone", "name", "level"]]),
    ),
    rows=st.lists(
        st.lists(mostly(st.from_regex(r"[0-9]{4,13}|[0-9]{1,3}\.[0-9]{2}|1[3-9][0-9]{9}", fullmatch=True)), max_size=7),
        max_size=5,
    ),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gbk", "utf-16", "latin-1"]),
    kind=st.booleans(),
    junk=st.binary(max_size=40),
)
@example(header=["card_no", "phone", "name", "level"], rows=[], encoding="utf-8", kind=False, junk=b"\x00\r\x00")
def test_csv_imports(shop, header, rows, encoding, kind, junk):
    ctx, actor = shop
    text = "\n".join(",".join(cells) for cells in [header, *rows])
    data = text.encode(encoding, "replace") + (junk if len(junk) % 3 == 0 else b"")
    before = counts()
    run = imports.import_products if kind else imports.import_members
    try:
        report = run(ctx, actor, data)
    except PosError as exc:
        refused_cleanly(before, exc)
        return
    event("accepted")
    lines = data.count(b"\n") + data.count(b"\r")  # a CR (also in the junk bytes) starts a row too
    assert report.imported + report.updated + report.unchanged + report.rejected <= lines
    assert all(printable(e.message) for e in report.errors)
    for member in MemberRow.select():
        assert printable(member.name) and member.balance >= 0
