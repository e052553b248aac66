"""Text as it may reach a screen or a ticket."""

from __future__ import annotations

import unicodedata

# control (ANSI escapes, NUL), format (bidi overrides), surrogate, private use, unassigned
_NOT_SHOWN = ("Cc", "Cf", "Cs", "Co", "Cn")


def without_controls(text: str) -> str:
    """Drop the characters a terminal or a printer would obey instead of showing."""
    return "".join(ch for ch in text if unicodedata.category(ch) not in _NOT_SHOWN)
