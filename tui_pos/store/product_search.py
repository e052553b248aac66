"""Finding products by any part of a name, pinyin initials or full pinyin (domain/search.py).

Each product keeps its `search_key`, and an FTS5 index holds the key's 1- to 3-character pieces,
so a search reads the few products that have the typed pieces instead of all 20,000 keys: on a
2-core till the scan of every key took 4-7 ms, the index about 0.1 ms (bench/lookups.py).

Triggers keep both, whatever writes a product (an import, the demo shop, a test, a later sync):
they call two functions that `register` puts on every connection the app opens. A connection
without them (the sqlite3 shell) cannot add or rename a product; it fails loudly rather than
leave a name that no search finds. The index is contentless (it stores which product has which
piece, about 3.5 MB for 20,000 products), so a product's old pieces are taken out by working
them out again from its old key: if the way keys or pieces are made ever changes, a migration
must `rebuild`. An SQLite built without FTS5 gets the key and its triggers only, and a search
then reads every key.
"""

from __future__ import annotations

import re
import sqlite3

from peewee import OperationalError, SqliteDatabase

from tui_pos.domain import search
from tui_pos.domain.catalog import Product
from tui_pos.store import fast

KEY = "tui_pos_search_key"  # (name, name_en) -> the key
PIECES = "tui_pos_search_pieces"  # key -> the index's tokens
INDEX = "product_search"
CANDIDATES = 200  # products the index hands over for one search, at most (F3 lists 20)

KEY_TRIGGERS = (
    f"""CREATE TRIGGER IF NOT EXISTS product_search_key_new AFTER INSERT ON product BEGIN
       UPDATE product SET search_key = {KEY}(NEW.name, NEW.name_en) WHERE id = NEW.id; END""",
    f"""CREATE TRIGGER IF NOT EXISTS product_search_key_renamed AFTER UPDATE OF name, name_en ON product
       WHEN OLD.name IS NOT NEW.name OR OLD.name_en IS NOT NEW.name_en BEGIN
       UPDATE product SET search_key = {KEY}(NEW.name, NEW.name_en) WHERE id = NEW.id; END""",
)
INDEX_TRIGGERS = (
    f"""CREATE TRIGGER IF NOT EXISTS product_search_index AFTER UPDATE OF search_key ON product
       WHEN OLD.search_key IS NOT NEW.search_key BEGIN
       INSERT INTO {INDEX} ({INDEX}, rowid, pieces)
         SELECT 'delete', OLD.id, {PIECES}(OLD.search_key) WHERE OLD.search_key != '';
       INSERT INTO {INDEX} (rowid, pieces) SELECT NEW.id, {PIECES}(NEW.search_key) WHERE NEW.search_key != '';
       END""",
    f"""CREATE TRIGGER IF NOT EXISTS product_search_gone AFTER DELETE ON product
       WHEN OLD.search_key != '' BEGIN
       INSERT INTO {INDEX} ({INDEX}, rowid, pieces) VALUES ('delete', OLD.id, {PIECES}(OLD.search_key)); END""",
)
_COLUMNS = "id, barcode, name, category, price, member_price, stock, refund_policy, name_en"


def register(db: SqliteDatabase | sqlite3.Connection) -> None:
    """Give a connection the two functions the triggers call (the app's database: each connection
    it opens; a plain sqlite3 connection that writes products, e.g. a benchmark's: that one)."""
    if isinstance(db, sqlite3.Connection):
        db.create_function(KEY, 2, search.search_key, deterministic=True)
        db.create_function(PIECES, 1, search.index_document, deterministic=True)
    else:
        db.register_function(search.search_key, KEY, 2, deterministic=True)
        db.register_function(search.index_document, PIECES, 1, deterministic=True)


def _index_table(db: SqliteDatabase) -> bool:
    """Create the index if this SQLite has FTS5; whether it has it."""
    try:
        fast.execute(
            db,
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {INDEX} USING fts5"
            "(pieces, content='', detail=none, columnsize=0, tokenize='ascii')",
        )
    except OperationalError as exc:
        if "fts5" not in str(exc):
            raise
        return False
    return True


def create(db: SqliteDatabase) -> None:
    """The index and the triggers, if missing (a new database, and after every migration)."""
    register(db)
    for sql in KEY_TRIGGERS:
        fast.execute(db, sql)
    if _index_table(db):
        for sql in INDEX_TRIGGERS:
            fast.execute(db, sql)


def rebuild(db: SqliteDatabase) -> None:
    """Every product's key made again and the index filled anew from the keys (a migration)."""
    register(db)
    for name in ("product_search_index", "product_search_gone"):
        fast.execute(db, f"DROP TRIGGER IF EXISTS {name}")
    fast.execute(db, f"DROP TABLE IF EXISTS {INDEX}")
    fast.execute(db, f"UPDATE product SET search_key = {KEY}(name, name_en)")
    if _index_table(db):
        fast.execute(
            db,
            f"INSERT INTO {INDEX} (rowid, pieces) SELECT id, {PIECES}(search_key) FROM product WHERE search_key != ''",
        )
    create(db)
    search.release()


def has_index() -> bool:
    return fast.run("SELECT 1 FROM sqlite_master WHERE name = ?", (INDEX,)).fetchone() is not None


_SELECT = f"SELECT {_COLUMNS} FROM product WHERE active AND "
_BARCODE = re.compile(r"[0-9A-Za-z\-_.]+")  # what domain.catalog.clean_barcode lets through
_END = "\U0010ffff"


def find(text: str, limit: int = 20) -> list[Product]:
    """What F3 lists for `text`: products whose barcode starts with it, then whose name starts with
    it, then the others whose key holds every typed word (by name); active products only."""
    text = text.strip()
    words = search.terms(text)
    if not words:
        return []
    found: dict[int, Product] = {}

    def take(sql: str, params: tuple[object, ...]) -> None:
        for row in fast.run(sql, (*params, limit)):
            found.setdefault(row[0], Product(*row))

    if _BARCODE.fullmatch(text):  # ranges on the indexes, as LIKE 'text%' would not use them
        take(_SELECT + "barcode >= ? AND barcode < ? ORDER BY barcode LIMIT ?", (text, text + _END))
    if len(found) < limit:
        take(_SELECT + "name >= ? AND name < ? ORDER BY name LIMIT ?", (text, text + _END))
    if len(found) < limit:
        checks = " AND ".join("instr(search_key, ?) > 0" for _ in words)
        ranked = " ORDER BY name, id LIMIT ?"
        indexed = f" AND id IN (SELECT rowid FROM {INDEX} WHERE {INDEX} MATCH ? LIMIT {CANDIDATES})"
        try:
            take(_SELECT + checks + indexed + ranked, (*words, search.match_expression(words)))
        except sqlite3.OperationalError as exc:  # an SQLite without FTS5: read every key
            if INDEX not in str(exc):
                raise
            take(_SELECT + checks + ranked, tuple(words))
    return list(found.values())[:limit]
