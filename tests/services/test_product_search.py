"""Product search (F3) the way Chinese cashiers search, on a real SQLite file: any part of the
Chinese or English name, pinyin initials or full pinyin, the start of a barcode; the kept key
follows every write of a name (an import, a rename) and a migration fills it for the products
a shop already has."""

from __future__ import annotations

import sqlite3
import sys

import pytest

from tui_pos.domain import search
from tui_pos.services import catalog
from tui_pos.services.imports import import_products
from tui_pos.store import db as store_db
from tui_pos.store import models, product_search
from tui_pos.store.db import close_database, open_database
from tui_pos.store.models import ProductRow

HEADER = "barcode,name,name_en,category,price\n"


def found(text: str) -> list[str]:
    return [p.barcode for p in catalog.search_products(text)]


@pytest.fixture
def shop(ctx, manager):
    """The test shop (可口可乐 330ml 6901, 全麦面包 6902, Notebook A5 6903) with English names and
    a product whose name looks like Rich markup."""
    rows = [
        "6901,可口可乐 330ml,Coca-Cola 330ml,drinks,3.50",
        "6902,全麦面包,Wholemeal bread,food,12.99",
        "6904,[bold]红牛[/bold] 250ml,Red Bull [energy] 250ml,drinks,6.50",
        "6905,绿箭口香糖,Doublemint chewing gum,snacks,2.50",
    ]
    report = import_products(ctx, manager, (HEADER + "\n".join(rows) + "\n").encode())
    assert not report.errors
    return ctx


def test_any_part_of_a_chinese_name(shop):
    assert found("可乐") == ["6901"]
    assert found("麦面") == ["6902"]
    assert found("口香") == ["6905"]
    assert found("可口可乐 330ml") == ["6901"]
    assert found("330 可乐") == ["6901"]  # every word, in any order
    assert found("可乐 250") == []


def test_any_part_of_an_english_name(shop):
    assert found("cola") == ["6901"]
    assert found("COLA") == ["6901"]
    assert found("ＣＯＬＡ") == ["6901"]  # full-width, as some input methods type it
    assert found("book") == ["6903"]  # Notebook A5: part of a word
    assert found("mint gum") == ["6905"]
    assert found("wholemeal") == ["6902"]


def test_pinyin_initials_and_full_pinyin(shop):
    assert found("kkkl") == ["6901"]
    assert found("KKKL") == ["6901"]
    assert found("kl") == ["6901"]  # 可乐 inside 可口可乐
    assert found("qmmb") == ["6902"]
    assert found("kekoukele") == ["6901"]
    assert found("mianbao") == ["6902"]
    assert found("lvjian") == ["6905"]  # 绿: lv, as cashiers type ü
    assert found("ljkxt") == ["6905"]


def test_barcode_prefix_comes_first(shop):
    assert found("690") == ["6901", "6902", "6903", "6904", "6905"]
    assert found("6902") == ["6902"]
    assert found("69039") == []


def test_a_name_that_looks_like_markup_is_found_as_typed(shop):
    assert found("红牛") == ["6904"]
    assert found("[bold]") == ["6904"]
    assert found("[energy]") == ["6904"]
    assert found("hn") == ["6904"]
    (product,) = catalog.search_products("[bold]红牛")
    assert product.name == "[bold]红牛[/bold] 250ml" and product.name_en == "Red Bull [energy] 250ml"


def test_an_import_that_renames_a_product_renames_its_key(shop, manager):
    report = import_products(shop, manager, (HEADER + "6902,黑麦面包,Rye bread,food,12.99\n").encode())
    assert report.updated == 1
    assert found("hmmb") == ["6902"] and found("rye") == ["6902"]
    assert found("qmmb") == [] and found("全麦") == [] and found("wholemeal") == []
    ProductRow.update(name_en="").where(ProductRow.barcode == "6902").execute()  # any write of a name
    assert found("rye") == [] and found("黑麦") == ["6902"]


def test_inactive_products_are_not_found(shop):
    ProductRow.update(active=False).where(ProductRow.barcode == "6901").execute()
    assert found("kkkl") == [] and found("6901") == []


def test_more_matches_than_shown_names_that_start_with_it_first(shop, manager):
    rows = [f"7{i:04d},百事可乐 {i}号,,drinks,1.00" for i in range(60)] + ["6909,可乐糖 50g,,snacks,1.00"]
    import_products(shop, manager, (HEADER + "\n".join(rows) + "\n").encode())
    results = catalog.search_products("可乐")
    assert len(results) == 20
    assert [p.barcode for p in results[:3]] == ["6909", "6901", "70000"]  # 可乐糖 starts with it; then by name
    assert all("可乐" in p.name for p in results)


def test_searching_never_loads_pypinyin_and_an_import_lets_it_go(shop, manager):
    search.release()
    assert found("kkkl") == ["6901"]
    assert "pypinyin" not in sys.modules
    ProductRow.create(barcode="6906", name="百事可乐", category="drinks", price=300)  # a name written
    assert "pypinyin" in sys.modules and found("bskl") == ["6906"]
    import_products(shop, manager, (HEADER + "6907,雪碧 330ml,Sprite,drinks,3.00\n").encode())
    assert "pypinyin" not in sys.modules  # the import is done: its dictionaries are let go
    assert found("xb") == ["6907"]


def test_without_fts5_a_search_reads_every_key(shop):
    """An SQLite built without FTS5 keeps the key only; the search still finds everything."""
    for name in ("product_search_index", "product_search_gone"):
        models.database.execute_sql(f"DROP TRIGGER {name}")
    models.database.execute_sql(f"DROP TABLE {product_search.INDEX}")
    assert not product_search.has_index()
    assert found("kkkl") == ["6901"] and found("cola") == ["6901"] and found("红牛") == ["6904"]
    ProductRow.update(name="雪碧").where(ProductRow.barcode == "6901").execute()
    assert found("xb") == ["6901"] and found("kkkl") == []


def test_the_migration_fills_the_keys_of_products_already_there(shop, monkeypatch):
    """A shop upgrading from the schema before this one: its products had no key, there was no index."""
    version = next(v for v, step in store_db.MIGRATIONS.items() if step is store_db._product_search)
    monkeypatch.setattr(store_db, "SCHEMA_VERSION", version)  # this step alone, not the later ones
    path = shop.config.db_path
    close_database()
    old = sqlite3.connect(path)
    with old:  # the database as the release before this one left it
        for name in ("product_search_key_new", "product_search_key_renamed", "product_search_index"):
            old.execute(f"DROP TRIGGER {name}")
        old.execute("DROP TRIGGER product_search_gone")
        for op in ("insert", "update", "delete"):  # the outbox came later
            old.execute(f"DROP TRIGGER outbox_product_{op}")
        old.execute(f"DROP TABLE {product_search.INDEX}")
        old.execute("ALTER TABLE product DROP COLUMN search_key")
        old.execute(
            "INSERT INTO product (uid, barcode, name, name_en, category, price, stock, refund_policy, active)"
            " VALUES ('6908-uid', '6908', '农夫山泉 550ml', 'Nongfu Spring water', 'drinks', 200, 0, '', 1)"
        )
        old.execute("UPDATE schema_version SET version = ?", (version - 1,))
    old.close()
    open_database(path, create=False)
    assert {r.version for r in models.SchemaVersionRow.select()} >= {version}
    keys = dict(ProductRow.select(ProductRow.barcode, ProductRow.search_key).tuples())
    assert all(keys.values()), keys
    assert keys["6908"] == "农夫山泉550ml nongfuspringwater nfsq550ml nongfushanquan550ml"
    assert found("nfsq") == ["6908"] and found("山泉") == ["6908"] and found("spring") == ["6908"]
    assert found("kkkl") == ["6901"] and found("红牛") == ["6904"]
    assert list((path.parent / "backups").glob(f"{path.stem}.v{version - 1}-*.db"))  # kept as it was
