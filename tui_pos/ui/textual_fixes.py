"""Work-arounds for Textual bugs that cost a till memory over a day of sales.

Each names the upstream issue and applies only while Textual still has the bug, so an upgrade
that fixes it (or reorganises the code around it) leaves Textual's own code in place.
"""

from __future__ import annotations

from functools import lru_cache

from textual.color import Color
from textual.style import Style


@lru_cache(1024)
def _inner_outer(base_background: Color, background: Color) -> tuple[Style, Style]:
    return Style(background=base_background + background), Style(background=base_background)


def free_removed_widgets() -> None:
    """Textual issue 6665: `StylesCache.get_inner_outer` is an lru_cache on a method, so its
    1,024 keys keep the render caches of widgets long removed, with every line they drew. A
    till builds and removes the payment and receipt screens for each sale, which held about
    9 MiB after 30 sales. The answer depends only on the two colours, so cache on those."""
    try:
        from textual._styles_cache import StylesCache
    except ImportError:
        return
    if getattr(getattr(StylesCache, "get_inner_outer", None), "cache_info", None) is not None:
        # typeshed calls the attribute an lru_cache wrapper; a cached plain function does the same job
        StylesCache.get_inner_outer = staticmethod(_inner_outer)  # type: ignore[method-assign,assignment]
