"""`tui-pos report refunds|day|shift ... --central [--store CODE]`: head office's figures.

The manager signs in at this store, as for any report; the report then reads head office's
PostgreSQL ([central] url, TUI_POS_CENTRAL_URL or --url) through the same report functions as
the store's own (services/chain_reports.py binds them). Without --store it covers every store
and adds a table with one line per store; a shift report is always one store's.
"""

from __future__ import annotations

import argparse
from dataclasses import replace

from peewee import PostgresqlDatabase

from tui_pos.cli import (
    ReportTable,
    _print_table,
    day_rows,
    print_day_report,
    print_refund_report,
    print_shift_report,
    refund_range,
)
from tui_pos.config import Config, shop_zone
from tui_pos.domain.errors import InvalidInput, NotFound
from tui_pos.domain.staff import Staff
from tui_pos.i18n import tr
from tui_pos.services import chain_reports, reports, shifts
from tui_pos.services.chain_reports import Store, local_id
from tui_pos.services.context import Context

STORE_HEADS = ("Store", "Store name", "Shifts", "Sales", "Refunds", "Net", "Expected cash")
TOTALS = ("sales_total", "refunds_total", "net_total", "expected_cash")  # ShiftReport's, summed per store


def central_report(config: Config, args: argparse.Namespace, ctx: Context, actor: Staff) -> ReportTable:
    from tui_pos.central.connect import open_central  # psycopg loads only for head office's reports

    url = args.url or config.central.url
    if not url:
        raise InvalidInput("Head office's reports need its URL: give --url postgresql://... or set [central] url")
    db = open_central(url, timezone=shop_zone(config).key)
    try:
        store = chain_reports.find_store(db, args.store) if args.store else None
        if args.report == "shift" and store is None:
            raise InvalidInput("A shift belongs to one store: add --store CODE")
        known = chain_reports.stores(db)
        if store is not None:
            print(tr("Head office figures, store {code} {name}", code=store.code, name=store.name))
        else:
            print(tr("Head office figures, every store ({count})", count=len(known)))
        if args.report == "shift" and store is not None:
            return _shift(config, args, ctx, actor, db, store)
        if args.report == "day":
            return _day(args, ctx, actor, db, [store] if store else known)
        with chain_reports.on_central(db, store):
            table = print_refund_report(ctx, actor, args)
            if store is None:
                since, until = refund_range(ctx, args)
                by_store = chain_reports.stores_table(ctx, actor, since, until, known)
                print()
                print(tr("By store"))
                _print_table(by_store.headers, by_store.rows)
        return table
    finally:
        db.close()


def _shift(
    config: Config, args: argparse.Namespace, ctx: Context, actor: Staff, db: PostgresqlDatabase, store: Store
) -> ReportTable:
    """The shift's X report (open) or its Z (closed), numbered as the store numbers it."""
    with chain_reports.on_central(db, store):
        if args.shift is not None:
            shift_id = chain_reports.central_id(store, args.shift)
        else:
            found = chain_reports.open_shift_id(config.till_code)
            if found is None:
                raise NotFound("No shift is open on till {till}", till=config.till_code)
            shift_id = found
        report = shifts.report_for(ctx, actor, shift_id)
    # headed with that store's name, as its own till printed it
    named = replace(config, store_name=store.name or config.store_name, store_name_en="")
    return print_shift_report(named, replace(report, shift_id=local_id(report.shift_id)))


def _day(
    args: argparse.Namespace, ctx: Context, actor: Staff, db: PostgresqlDatabase, chosen: list[Store]
) -> ReportTable:
    """Each store's shifts of the day (one store: its own day report), then a line per store."""
    day = shifts.parse_day(args.date) if args.date else None
    rows: list[tuple[str, ...]] = []
    totals: list[tuple[str, ...]] = []
    summary = None
    for store in chosen:
        with chain_reports.on_central(db, store):
            found = shifts.day_summary(ctx, actor, day)
        summary = replace(found, shifts=tuple(replace(r, shift_id=local_id(r.shift_id)) for r in found.shifts))
        rows += [(store.code, *row) for row in day_rows(summary)]
        totals.append(
            (
                store.code,
                store.name,
                str(len(summary.shifts)),
                *(
                    reports.yuan(summary.total(f))
                    for f in ("sales_total", "refunds_total", "net_total", "expected_cash")
                ),
            )
        )
    if len(chosen) == 1 and summary is not None:
        return print_day_report(summary)
    from tui_pos.cli import DAY_HEADS

    headers = (tr("Store"), *(tr(h) for h in DAY_HEADS))
    _print_table(headers, rows)
    print()
    print(tr("By store"))
    _print_table(tuple(tr(h) for h in STORE_HEADS), totals)
    return headers, rows
