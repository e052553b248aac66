"""Long views scroll by keys the footer shows; what the cashier must read stays put.

At 80x24 a Z report, a refund voucher or the refund policy is longer than the screen. Each
such view carries the class `long-view` (a TicketPreview, a VerticalScroll, a DataTable) and
its screen mixes in `ScrollsLongView` and lists `scroll_keys(...)` in its BINDINGS: PageDown
and PageUp always show in the footer; End/Home and Down/Up show where the footer has room and
work wherever no box in focus needs them, and so do j/k (as Down/Up, never shown). The figure
that matters (expected cash, the refund to hand over, change due) is kept outside the long view,
so scrolling never takes it away.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import DataTable

LONG_VIEW = "long-view"


def scroll_keys(*, ends: bool | None = False, lines: bool | None = False) -> list[Binding]:
    """The scroll bindings. PageDown/PageUp always show in the footer, and are priority keys: a
    focused box or table would otherwise take them (Textual's Input binds them too) and hide
    them. End/Home (`ends`) and Down/Up (`lines`) show if True, work unshown if False, and are
    left to the focused widget if None (a table's cursor keys); a box in focus keeps them."""
    keys = [
        Binding("pagedown", "scroll_view('page_down')", "Page down", priority=True),
        Binding("pageup", "scroll_view('page_up')", "Page up", priority=True),
    ]
    if ends is not None:
        keys += [
            Binding("end", "scroll_view('end')", "End", show=ends),
            Binding("home", "scroll_view('home')", "Top", show=ends),
        ]
    if lines is not None:
        keys += [
            Binding("down", "scroll_view('down')", "Scroll down", show=lines),
            Binding("up", "scroll_view('up')", "Scroll up", show=lines),
        ]
    # j/k as Down/Up (as in less and vi), never shown: Down/Up say it. Not priority keys, so a
    # box in focus types them as letters.
    keys += [
        Binding("j", "line('down')", "Scroll down", show=False),
        Binding("k", "line('up')", "Scroll up", show=False),
    ]
    return keys


def scroll(view: Widget, how: str) -> None:
    """Move `view` by a page, a line, or to either end; a table moves its cursor with it."""
    if isinstance(view, DataTable):
        actions = {
            "page_down": view.action_page_down,
            "page_up": view.action_page_up,
            "end": view.action_scroll_bottom,
            "home": view.action_scroll_top,
            "down": view.action_cursor_down,
            "up": view.action_cursor_up,
        }
        actions[how]()
        return
    moves = {
        "page_down": view.scroll_page_down,
        "page_up": view.scroll_page_up,
        "end": view.scroll_end,
        "home": view.scroll_home,
        "down": view.scroll_down,
        "up": view.scroll_up,
    }
    moves[how](animate=False)


class LongView(VerticalScroll, can_focus=False):
    """A scrolling part of a screen that never takes the focus (so the screen's scroll keys, not
    the container's unshown ones, are what the footer lists)."""

    DEFAULT_CLASSES = LONG_VIEW


class ScrollsLongView:
    """Mixed into a screen (before PosScreen/PosModal) whose long view has the class `long-view`."""

    def long_view(self) -> Widget | None:
        """The focused long view if there is one (a screen with two tables), else the first shown."""
        assert isinstance(self, Widget)
        focused = self.screen.focused
        if focused is not None and focused.has_class(LONG_VIEW):
            return focused
        for view in self.query(f".{LONG_VIEW}"):
            if view.display and view.parent is not None and view.parent.display:
                return view
        return None

    def action_scroll_view(self, how: str) -> None:
        view = self.long_view()
        if view is not None:
            scroll(view, how)

    def action_line(self, how: str) -> None:
        """j/k: what Down/Up do here: a table in focus moves its cursor, else the view scrolls."""
        assert isinstance(self, Widget)
        focused = self.screen.focused
        if isinstance(focused, DataTable):
            scroll(focused, how)
        else:
            self.action_scroll_view(how)
