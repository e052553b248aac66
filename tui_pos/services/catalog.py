"""Finding products at the till."""

from __future__ import annotations

from tui_pos.domain.catalog import Product, clean_barcode, clean_text
from tui_pos.domain.errors import NotFound
from tui_pos.store import queries


def product_for_scan(text: str) -> Product:
    """What a scan (or a typed barcode + Enter) finds; a clear error if nothing."""
    code = clean_barcode(text)
    product = queries.product_by_barcode(code)
    if product is None:
        raise NotFound("Unknown barcode: {code}", code=code)
    return product


def search_products(text: str, limit: int = 20) -> list[Product]:
    return queries.search_products(clean_text(text, 40), limit)
