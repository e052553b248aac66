"""Order and refund numbers as a barcode carries them, and back.

A ticket prints the readable number (S01-20261201-0001) and its code carries it without the
dashes (S01202612010001): the letters go in CODE128 set B, the twelve digits of day and counter
in set C, so even a training refund's number (TR01...) fits a 58 mm line at 2 dots a module,
which every 1D shop scanner reads. What a scanner types back is turned into the number again.
"""

from __future__ import annotations

import re
from datetime import date

# T (training), S (sale) or R (refund), then the store code, the day and the counter, no dashes
_PAYLOAD = re.compile(r"(T?[SR])([0-9A-Z]*)")
COUNTER_DIGITS = 4  # at least: the counter grows a digit past 9999
DAY_DIGITS = 8


def scan_payload(number: str) -> str:
    """What the code carries: the number without its dashes."""
    return number.replace("-", "")


def _is_day(digits: str) -> bool:
    """A YYYYMMDD this century: rules out the wrong split of a counter of five digits."""
    if len(digits) != DAY_DIGITS or not digits.isdigit() or not digits.startswith("20"):
        return False
    try:
        date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return False
    return True


def read_number(text: str) -> str:
    """A scanned payload back to the number (S01202612010001 -> S01-20261201-0001; from before
    the chain S202612010001 -> S20261201-0001), read from the right: the counter, the day, and
    what is left after the letter prefix is the store code. Numbers typed with their dashes and
    anything that is not a number come back unchanged."""
    found = _PAYLOAD.fullmatch(text.strip().upper())
    if found is None:
        return text
    prefix, rest = found.groups()
    for counter_digits in range(COUNTER_DIGITS, len(rest) - DAY_DIGITS + 1):
        counter = rest[-counter_digits:]
        day = rest[-counter_digits - DAY_DIGITS : -counter_digits]
        if counter.isdigit() and _is_day(day):
            store = rest[: -counter_digits - DAY_DIGITS]
            return f"{prefix}{store}-{day}-{counter}" if store else f"{prefix}{day}-{counter}"
    return text
