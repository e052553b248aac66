"""Column layout in display cells: a CJK character takes two cells on paper and on screen."""

from __future__ import annotations

import unicodedata
from functools import lru_cache


def char_cells(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


@lru_cache(maxsize=4096)  # product names and labels come back on every ticket
def cells(text: str) -> int:
    if text.isascii() and text.isprintable():  # most of a ticket: one cell each, no lookups
        return len(text)
    return sum(char_cells(ch) for ch in text)


def wrap(text: str, width: int) -> list[str]:
    """Break `text` into lines of at most `width` cells, never splitting a wide character.

    Chinese may break between any two characters; a Latin word moves to the next line whole
    (unless it is longer than a line)."""
    if "\n" not in text and cells(text) <= width:  # most ticket lines fit as they are
        return [text.rstrip()]
    lines: list[str] = []
    current: list[str] = []
    used = 0
    for ch in text:
        w = char_cells(ch)
        if used + w > width and current:
            carry: list[str] = []
            if ch != " " and w == 1 and current[-1] != " " and char_cells(current[-1]) == 1 and " " in current:
                cut = len(current) - current[::-1].index(" ")  # just after the last space
                if "".join(current[:cut]).strip() and all(char_cells(c) == 1 for c in current[cut:]):
                    carry = current[cut:]
                    current = current[:cut]
            lines.append("".join(current).rstrip())
            current, used = carry, sum(char_cells(c) for c in carry)
            if ch == " " and not current:
                continue
        current.append(ch)
        used += w
    if current or not lines:
        lines.append("".join(current).rstrip())
    return lines


def fit(text: str, width: int, ellipsis: str = "…") -> str:
    """Cut `text` to `width` cells (ending in `ellipsis` when cut)."""
    if cells(text) <= width:
        return text
    room = width - cells(ellipsis)
    if room < 0:
        return ellipsis[: max(0, width)]
    out, used = [], 0
    for ch in text:
        w = char_cells(ch)
        if used + w > room:
            break
        out.append(ch)
        used += w
    return "".join(out) + ellipsis


def pad(text: str, width: int, align: str = "left") -> str:
    gap = max(0, width - cells(text))
    if align == "right":
        return " " * gap + text
    if align == "center":
        return " " * (gap // 2) + text + " " * (gap - gap // 2)
    return text + " " * gap


def columns(left: str, right: str, width: int) -> list[str]:
    """`left` … `right` on one line; if they do not fit, left wraps and right goes on the last line."""
    room = width - cells(right) - 1
    if room >= cells(left):
        return [left + " " * (width - cells(left) - cells(right)) + right]
    lines = wrap(left, width)
    if cells(lines[-1]) + 1 + cells(right) > width:
        lines.append("")
    last = lines.pop()
    lines.append(last + " " * (width - cells(last) - cells(right)) + right)
    return lines
