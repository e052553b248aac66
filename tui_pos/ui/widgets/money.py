"""Amounts as the cashier reads them on screen: currency symbol and two decimals."""

from __future__ import annotations

from tui_pos.domain.money import format_money
from tui_pos.labels import money_symbol


def show_money(cents: int, symbol: str = "￥") -> str:
    """'￥12.50' (the configured sign); 'CNY 12.50' on the Linux console, which cannot draw ￥."""
    return format_money(cents, money_symbol(symbol))
