"""Amounts as the cashier reads them on screen: currency symbol and two decimals."""

from __future__ import annotations

from tui_pos.domain.money import format_money


def show_money(cents: int, symbol: str = "￥") -> str:
    return format_money(cents, symbol)
