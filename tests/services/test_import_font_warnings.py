"""[printer] font = "gb2312": an import says which product names hold characters the printer's
font lacks (issue 21), and imports them all the same."""

from __future__ import annotations

from dataclasses import replace

from test_imports import PRODUCT_HEADER, write_csv

from tui_pos.services.context import Context
from tui_pos.services.imports import import_products

ROWS = (
    "6920000000011,陶喆牛肉丼,Beef bowl,熟食,25.00,,10,\n"
    "6920000000028,光明鲜牛奶,Bright milk,乳制品,15.80,14.80,20,\n"
    "6920000000035,喆喆饼干,Biscuits,零食,5.00,,20,\n"
)


def with_font(ctx: Context, font: str) -> Context:
    return Context(replace(ctx.config, printer=replace(ctx.config.printer, font=font)), ctx.now)


def test_gb2312_font_names_each_product_with_gbk_only_characters(ctx, manager, tmp_path):
    report = import_products(with_font(ctx, "gb2312"), manager, write_csv(tmp_path, PRODUCT_HEADER + ROWS))
    assert (report.imported, report.errors) == (3, [])
    assert report.warnings == [
        "陶喆牛肉丼: 喆丼 print as □ on this printer's GB2312 font",
        "喆喆饼干: 喆 print as □ on this printer's GB2312 font",
    ]


def test_gbk_font_has_nothing_to_warn_about(ctx, manager, tmp_path):
    report = import_products(with_font(ctx, "gbk"), manager, write_csv(tmp_path, PRODUCT_HEADER + ROWS))
    assert (report.imported, report.warnings) == (3, [])
