"""Who the current sale is for: card, name, level, points and stored value."""

from __future__ import annotations

from rich.table import Table
from textual.widgets import Static

from tui_pos import labels
from tui_pos.config import Config
from tui_pos.domain.catalog import Member
from tui_pos.i18n import tr
from tui_pos.ui.widgets.money import show_money
from tui_pos.ui.widgets.plain import plain


class MemberPanel(Static):
    """Shows the attached member, or how to attach one."""

    def on_mount(self) -> None:
        self.border_title = tr("Member")

    def show_member(self, member: Member | None, config: Config) -> None:
        if member is None:
            self.update(tr("No member. F2 to look one up."))
            self.remove_class("attached")
            return
        level = config.level(member.level)
        grid = Table.grid(padding=(0, 1))
        grid.add_column(style="bold", no_wrap=True)
        grid.add_column(no_wrap=True, overflow="ellipsis")
        grid.add_row(tr("Card no."), plain(member.card_no))
        grid.add_row(tr("Name"), plain(labels.member(member.name, "-")))
        level_text = labels.level(config, member.level) + (
            f" -{level.discount_bp / 100:g}%" if level.discount_bp else ""
        )
        grid.add_row(tr("Level"), plain(level_text))
        grid.add_row(tr("Points"), str(member.points))
        grid.add_row(tr("Balance"), show_money(member.balance, config.currency_symbol))
        self.update(grid)
        self.add_class("attached")
