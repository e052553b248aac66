"""The shop the snapshot tests photograph: fixed data at fixed times, so every picture is the same
on every run and every machine.

The demo catalogue, members and staff (tui_pos/data, services.demo) with two days of history rung up
through the real services: Saturday 2026-11-21 (a closed shift with its Z report) and Sunday
2026-11-22 from 08:00, the till's clock standing at 10:00 on that Sunday. The shop is built once per
test session and copied for each test (a SQLite file copy is a few milliseconds; the scrypt PINs and
the catalogue's pinyin are not).

A snapshot is taken in one of three looks: `zh` and `en` on a colour terminal, and `linux`: the bare
Linux console (TERM=linux, 16 colours), where the till turns console-safe (English, names in their
English form or their code, CNY, plain box lines). The colour system and TERM are set for every look,
so a developer's or CI's own terminal never leaks into a picture.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import textual.constants
from rich.color import ColorSystem
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.filter import LineFilter

from tui_pos.config import BackupConfig, Config, load_config
from tui_pos.devices.printer import Printer, TrainingPrinter
from tui_pos.domain.basket import Basket
from tui_pos.domain.refund import Pick
from tui_pos.domain.shift import parse_cash_count
from tui_pos.domain.staff import Staff
from tui_pos.domain.tenders import TenderKind
from tui_pos.resources import data_bytes
from tui_pos.services import catalog, checkout, imports, members, printing, refunds, shifts
from tui_pos.services import staff as staff_service
from tui_pos.services.context import Context, close_shop, open_shop
from tui_pos.services.demo import DEMO_ACTOR, DEMO_STAFF
from tui_pos.services.refunds import RefundDraft
from tui_pos.ui.app import PosApp, make_app

# The till's clock in every snapshot: Sunday 2026-11-22, 10:00.
NOW = datetime(2026, 11, 22, 10, 0)
YESTERDAY = datetime(2026, 11, 21)
TODAY = datetime(2026, 11, 22)

PINS = {s.code: s.pin for s in DEMO_STAFF}  # 001 cashier 1111, 002 supervisor 2222, 003 manager 3333

# Products by their demo barcodes.
COLA = "6900100001003"  # 可口可乐 330ml, 3.00 (member 2.80)
BUN = "2000002000006"  # 肉包子 2.50
EGG = "2000001000007"  # 茶叶蛋 1.50
MILK = "6900177703732"  # 光明 鲜牛奶 950ml, 15.80 (14.80)
OREO = "6900140702434"  # 奥利奥 9.90 (8.90)
TISSUE = "6900196204388"  # 清风 抽纸 12.90 (11.90)
UMBRELLA = "6900222105290"  # 折叠雨伞 29.90 (25.90)
TOOTHPASTE = "6900207304779"  # 高露洁 牙膏 12.80 (11.80)
MENGNIU = "6900170303472"  # 蒙牛纯牛奶 3.50 (3.20)
DOVE = "6900151802826"  # 德芙 8.50 (7.90)
CHIPS = "6900137002301"  # 乐事薯片 7.50 (6.90)
YOGURT = "6900174003606"  # 伊利 安慕希 6.50 (5.90)
BENTO = "2000007000001"  # 红烧肉便当 18.00 (16.00)
JASMINE_TEA = "6900125901913"  # 东方树叶 5.00

# The orders the tests open (numbers carry the date).
COLA_ORDER = "S01-20261122-0001"  # cash 14.00, one cola refunded since (R01-20261122-0001)
MEMBER_ORDER = "S01-20261122-0002"  # 张伟 (gold), stored value
BIG_ORDER = "S01-20261122-0003"  # 213.70 cash: refunding all of it is over a cashier's limit
PARKED_REFUND = "R01-20261122-0002"  # 李娜's chocolate, amount lowered, waiting for a supervisor
GOLD_CARD = "M000001"  # 张伟, gold


def at(config: Config, when: datetime) -> Context:
    """A context whose clock stands at `when`: what the history is recorded with."""
    return Context(config, lambda: when)


def _sell(
    ctx: Context,
    cashier: Staff,
    items: dict[str, int],
    tender: TenderKind,
    *,
    member: str | None = None,
    given: int | None = None,
    reference: str = "",
) -> int:
    basket = Basket()
    if member:
        found = members.find_one(member)
        basket.attach(found, ctx.config.level(found.level).discount_bp)
    for code, qty in items.items():
        basket.add(catalog.product_for_scan(code), qty)
    plan = checkout.new_plan(ctx, basket)
    plan.add(tender, given if given is not None else plan.due, reference)
    return checkout.complete_sale(ctx, cashier, basket, plan).sale_id


def _refund(
    ctx: Context, sale_id: int, lines: dict[str, int], reason: str, *, note: str = "", amount: int | None = None
) -> RefundDraft:
    """The refund of `lines` (barcode -> units) of a sale, as the wizard would draft it (opened 4 minutes before)."""
    lookup = refunds.load_order(ctx, sale_id)
    picks = tuple(Pick(h.sale_line_id, lines[h.barcode]) for h in lookup.history.values() if h.barcode in lines)
    opened = ctx.now() - timedelta(minutes=4)
    return RefundDraft(sale_id, picks, reason, note=note, amount=amount, opened_at=opened)


def seed_snapshot_shop(config: Config, *, history: bool = True) -> None:
    """Staff, the demo catalogue and members, an open shift; with `history`, the two days."""
    ctx = open_shop(config, clock=lambda: YESTERDAY.replace(hour=7, minute=30))
    try:
        manager = None
        for demo in DEMO_STAFF[::-1]:  # the manager first: the first staff member of a shop is made without one
            made = staff_service.create_staff(
                ctx, manager, demo.code, demo.name, demo.role, demo.pin, name_en=demo.name_en
            )
            manager = manager or made
        imports.import_products(ctx, DEMO_ACTOR, imports.read_table(data_bytes("demo_products.csv")))
        imports.import_members(ctx, DEMO_ACTOR, imports.read_table(data_bytes("demo_members.csv")))
        cashier, supervisor = (staff_service.login(ctx, c, PINS[c]) for c in ("001", "002"))
        if history:
            _saturday(config, cashier, supervisor)
            _sunday(config, cashier)
        else:
            shifts.open_shift(at(config, TODAY.replace(hour=8)), cashier, parse_cash_count("500"))
        # every ticket of the history came out of the printer; a test that wants one waiting makes it
        printing.mark_printed([job.id for job in printing.waiting_jobs(ctx)])
    finally:
        close_shop()


def _saturday(config: Config, cashier: Staff, supervisor: Staff) -> None:
    day = YESTERDAY
    shifts.open_shift(at(config, day.replace(hour=8)), cashier, parse_cash_count("100x3 50x2 10x10"))
    _sell(at(config, day.replace(hour=8, minute=31)), cashier, {COLA: 2, BUN: 1}, TenderKind.CASH, given=1000)
    _sell(
        at(config, day.replace(hour=12, minute=10)),
        cashier,
        {BENTO: 1, JASMINE_TEA: 1},
        TenderKind.WECHAT,
        member="M000006",
        reference="4200001871202611",
    )
    snacks = _sell(
        at(config, day.replace(hour=18, minute=40)),
        cashier,
        {YOGURT: 2, CHIPS: 1},
        TenderKind.ALIPAY,
        reference="2026112122001456",
    )
    evening = at(config, day.replace(hour=20, minute=50))  # ten minutes before the close: worth a look
    done = refunds.confirm(evening, cashier, _refund(evening, snacks, {CHIPS: 1}, "wrong_item"))
    refunds.complete(evening, cashier, done.refund_no)
    night = at(config, day.replace(hour=21))
    expected = shifts.report(night).expected_cash
    shifts.close_shift(
        Context(replace(config, backup=BackupConfig(at_shift_close=False)), night.clock),
        supervisor,
        parse_cash_count(f"{(expected - 100) / 100:.2f}"),
        "找零时多给了顾客一元",
    )


def _sunday(config: Config, cashier: Staff) -> None:
    day = TODAY
    shifts.open_shift(at(config, day.replace(hour=8)), cashier, parse_cash_count("100x3 50x2 10x10"))
    cola = _sell(
        at(config, day.replace(hour=8, minute=12)), cashier, {COLA: 2, BUN: 2, EGG: 2}, TenderKind.CASH, given=2000
    )
    _sell(
        at(config, day.replace(hour=8, minute=47)),
        cashier,
        {MILK: 1, OREO: 1, TISSUE: 1},
        TenderKind.STORED_VALUE,
        member=GOLD_CARD,
    )
    _sell(
        at(config, day.replace(hour=9, minute=5)),
        cashier,
        {UMBRELLA: 5, TISSUE: 2, TOOTHPASTE: 3},
        TenderKind.CASH,
        given=22000,
    )
    chocolate = _sell(
        at(config, day.replace(hour=9, minute=20)),
        cashier,
        {MENGNIU: 4, DOVE: 1},
        TenderKind.ALIPAY,
        member="M000003",
        reference="2026112222000873",
    )
    half_past = at(config, day.replace(hour=9, minute=30))
    done = refunds.confirm(half_past, cashier, _refund(half_past, cola, {COLA: 1}, "changed_mind"))
    refunds.complete(half_past, cashier, done.refund_no)
    parked = at(config, day.replace(hour=9, minute=40))
    refunds.park(parked, cashier, _refund(parked, chocolate, {DOVE: 1}, "quality", note="包装破损", amount=500))
    shifts.cash_move(at(config, day.replace(hour=9, minute=45)), cashier, "paid_out", 1500, "快递到付运费")


@dataclass(frozen=True)
class Look:
    """How the till is seen: its language, and whether it is the bare Linux console."""

    name: str
    language: str
    term: str
    colors: str  # Textual's colour system: what the terminal reports


LOOKS = {
    "zh": Look("zh", "zh", "xterm-256color", "truecolor"),
    "en": Look("en", "en", "xterm-256color", "truecolor"),
    # the bare Linux console: 16 colours, and the till decides for itself (language and console_safe auto)
    "linux": Look("linux", "auto", "linux", "standard"),
}


@pytest.fixture(scope="session")
def snapshot_shop_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shop (shop.db) and a training shop (training.db, no history) built once per session."""
    folder = tmp_path_factory.mktemp("snapshot-shop")
    env = {"TUI_POS_HOME": str(folder), "HOME": str(folder)}
    seed_snapshot_shop(load_config(env=env))
    seed_snapshot_shop(load_config(env=env, training=True), history=False)
    return folder


@pytest.fixture(params=list(LOOKS))
def snapshot_look(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Look:
    """Each snapshot test runs in every look; the terminal it pretends to be is set here."""
    chosen = LOOKS[request.param]
    monkeypatch.setenv("TERM", chosen.term)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr(textual.constants, "COLOR_SYSTEM", chosen.colors)
    return chosen


class SixteenColours(LineFilter):
    """What a 16-colour terminal gets: each colour as Textual's driver sends it there (the nearest
    of the 16). The picture is drawn in full colour otherwise, whatever the app's console has."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [Segment(text, _sixteen(style), control) for text, style, control in segments]


def _sixteen(style: Style | None) -> Style | None:
    if style is None:
        return None
    color = style.color.downgrade(ColorSystem.STANDARD) if style.color else None
    bgcolor = style.bgcolor.downgrade(ColorSystem.STANDARD) if style.bgcolor else None
    return style + Style(color=color, bgcolor=bgcolor)


TillFactory = Callable[..., PosApp]


@pytest.fixture
def snapshot_till(snapshot_shop_files: Path, tmp_path: Path, snapshot_look: Look) -> Iterator[TillFactory]:
    """Builds the till on a fresh copy of the shop, in the test's look, with its clock at NOW.

    `training=True` opens the training shop; `printer` replaces the on-screen TrainingPrinter."""
    apps: list[PosApp] = []

    def build(*, training: bool = False, printer: Printer | None = None) -> PosApp:
        name = "training.db" if training else "shop.db"
        shutil.copyfile(snapshot_shop_files / name, tmp_path / name)
        config = load_config(env={"TUI_POS_HOME": str(tmp_path), "HOME": str(tmp_path)}, training=training)
        config = replace(
            config,
            store_name_en="Good Neighbour Store",
            language=snapshot_look.language,
            console_safe="auto",
            # a backup's file name carries the wall clock and the temporary folder
            backup=BackupConfig(at_shift_close=False),
        )
        app = make_app(config, printer=printer or TrainingPrinter(), clock=lambda: NOW)
        app.offer_left_over = False
        if snapshot_look.colors == "standard":
            own = app.get_line_filters
            sixteen = SixteenColours()
            app.get_line_filters = lambda: [*own(), sixteen]  # type: ignore[method-assign]
        apps.append(app)
        return app

    yield build
    for app in apps:
        assert not app.unexpected, app.unexpected  # a bug the till caught and showed is still a bug
