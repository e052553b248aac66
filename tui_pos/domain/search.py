"""How a cashier finds a product by typing, the way Chinese cashiers search: any part of the
Chinese or English name (可乐 and cola find 可口可乐 330ml / Coca-Cola 330ml), the pinyin
initials of the Chinese name (kkkl), its full pinyin (kekoukele), upper or lower case, full-width
or not, with or without the spaces. Words separated by spaces must all be there, in any order.

A product's `search_key` is worked out once, when the product is written, and kept beside it
(store/product_search.py): the name and the English name in lower case without spaces, then
the name's pinyin initials and full pinyin, separated by spaces. A search then only asks whether
each typed word is part of the key. The key's 1-, 2- and 3-character pieces (`grams`) are what
the store indexes, so that question is answered without reading every key.

pypinyin (about 55 MB with its phrase dictionary, a quarter of a second to load) is imported
only to make the key of a name with Chinese characters in it: when a product is written, never
at the till's start and never for a search. `release` lets it go after a batch of writes.
"""

from __future__ import annotations

import gc
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable
from functools import cache

# CJK unified ideographs (and extension A, compatibility ideographs, the supplementary planes)
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
GRAM = 3  # the longest piece indexed; a longer word is found by all of its 3-character pieces


def compact(text: str) -> str:
    """What is compared: NFKC (full-width letters and digits become ASCII), lower case, no spaces."""
    return "".join(unicodedata.normalize("NFKC", text or "").lower().split())


def terms(query: str) -> list[str]:
    """The words a cashier typed, as they are compared; each must be part of the key."""
    words = unicodedata.normalize("NFKC", query or "").lower().split()
    return list(dict.fromkeys(words))


def search_key(name: str, name_en: str = "") -> str:
    """The key kept for a product: name, English name, pinyin initials, full pinyin."""
    chinese, english = compact(name), compact(name_en)
    parts = [chinese, english]
    if _HAN.search(chinese):
        initials, full = _pinyin()
        parts += [initials(chinese), full(chinese)]
    return " ".join(dict.fromkeys(part for part in parts if part))


def grams(key: str) -> set[str]:
    """Every piece of 1 to GRAM characters of each part of a key (a piece never spans two parts)."""
    out: set[str] = set()
    for part in key.split():
        for size in range(1, GRAM + 1):
            out.update(part[i : i + size] for i in range(len(part) - size + 1))
    return out


def token(gram: str) -> str:
    """A piece as the index stores it: its UTF-8 bytes in hex, one plain ASCII word whatever the
    characters (brackets, quotes and CJK punctuation would otherwise be split or dropped)."""
    return gram.encode("utf-8").hex()


def index_document(key: str) -> str:
    """What the index holds for one key: the tokens of its pieces, in a fixed order."""
    return " ".join(sorted(token(gram) for gram in grams(key)))


def match_expression(words: Iterable[str]) -> str:
    """The index query for words that must all be in a key: a word of up to GRAM characters is one
    piece; a longer one needs GRAM-character pieces that cover it (jinmailang: jin, mai, lan, ang),
    which narrows it down as well as all of them would, for fewer lists to intersect. The key
    itself is checked afterwards, so the pieces only have to let every true match through."""
    tokens: dict[str, None] = {}
    for word in words:
        if len(word) <= GRAM:
            pieces = [word]
        else:
            pieces = [word[i : i + GRAM] for i in range(0, len(word) - GRAM, GRAM)] + [word[-GRAM:]]
        tokens.update((f'"{token(piece)}"', None) for piece in pieces)
    return " AND ".join(tokens)


@cache
def _pinyin() -> tuple[Callable[[str], str], Callable[[str], str]]:
    from pypinyin import Style, lazy_pinyin  # 55 MB: imported only when a name is written

    def initials(text: str) -> str:
        return "".join(lazy_pinyin(text, style=Style.FIRST_LETTER)).lower()

    def full(text: str) -> str:
        return "".join(lazy_pinyin(text, style=Style.NORMAL)).lower()  # 绿 -> lv, as typed

    return initials, full


def release() -> None:
    """Let pypinyin and its dictionaries go after a batch of product writes (an import, a migration,
    the demo shop): a till that set up its demo shop at start would otherwise carry them all day."""
    if not _pinyin.cache_info().currsize:
        return
    _pinyin.cache_clear()
    for name in [name for name in sys.modules if name == "pypinyin" or name.startswith("pypinyin.")]:
        del sys.modules[name]
    gc.collect()
