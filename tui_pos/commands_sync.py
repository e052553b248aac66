"""`tui-pos sync [--once] [--url URL]`: upload this store's outbox to head office and pull its
prices and policies, once (exit 2 with the cause when head office cannot be reached) or for ever
(backing off 1, 2, 4 ... 60 s while it is down; Ctrl+C stops)."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from typing import TYPE_CHECKING

from tui_pos.config import Config
from tui_pos.i18n import tr

if TYPE_CHECKING:
    from tui_pos.services.sync import SyncAgent


def _kind(kind: str) -> str:
    if kind == "product":
        return tr("products")
    if kind == "level":
        return tr("member levels")
    if kind == "policy":
        return tr("refund policy")
    return tr("other")


def _say(agent: SyncAgent) -> None:
    from tui_pos.services.sync import age_words, link_words

    status, result = agent.status, agent.last
    if result is not None:
        kinds = ", ".join(f"{_kind(kind)} {count}" for kind, count in sorted(result.pulled_kinds.items()))
        print(
            tr(
                "Uploaded {sent} changes ({new} new at head office); pulled {pulled} from head office",
                sent=result.uploaded,
                new=result.applied,
                pulled=result.pulled,
            )
            + (f" ({kinds})" if kinds else ""),
            flush=True,
        )
        print(tr("Store no. {number} at head office: {link}", number=result.store_no, link=link_words(status)))
    else:
        print(status.error, file=sys.stderr, flush=True)
        if status.unsent:
            oldest = age_words(status.oldest_age_s or 0)
            print(tr("{count} changes wait to upload (oldest {age} ago)", count=status.unsent, age=oldest))
    if status.clock_off and status.clock_skew_s is not None:
        print(
            tr(
                "This machine's clock is {age} {way} head office's: set it right (timedatectl, NTP)",
                age=age_words(abs(status.clock_skew_s)),
                way=tr("ahead of") if status.clock_skew_s > 0 else tr("behind"),
            ),
            file=sys.stderr,
        )


def sync_command(config: Config, args: argparse.Namespace) -> int:
    from tui_pos.services.context import close_shop, open_shop
    from tui_pos.services.sync import SyncAgent

    if config.training:
        print(tr("Training mode never uploads to head office"), file=sys.stderr)
        return 2
    url = (getattr(args, "url", None) or config.central.url).strip()
    if not url:
        print(tr("No head office is set: give --url or set [central] url in the config"), file=sys.stderr)
        return 2
    ctx = open_shop(replace(config, central=replace(config.central, url=url)))
    try:
        agent = SyncAgent(ctx)
        if getattr(args, "once", False):
            try:
                agent.round()
            finally:
                agent.close()
            _say(agent)
            return 0 if agent.status.state == "up" else 2
        said: list[object] = [None]

        def news(agent: SyncAgent) -> None:
            """A line when something moved or the link changed, not every few seconds."""
            moved = agent.last is not None and (agent.last.uploaded or agent.last.pulled)
            seen = (agent.status.state, agent.status.error, agent.status.clock_off)
            if moved or seen != said[0]:
                said[0] = seen
                _say(agent)

        try:
            agent.run(on_round=news)
        except KeyboardInterrupt:
            agent.halt()
        return 0
    finally:
        close_shop()
