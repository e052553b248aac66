"""The store's side of the chain: upload the outbox to head office, pull its changes down.

A round (`sync_once`) registers the store the first time, uploads the outbox in batches (each
batch marked attempted here, applied centrally in one PostgreSQL transaction that skips what
it has already received, and marked sent only after that commit returned: a crash in between
uploads the batch again and head office keeps one copy), then pulls head office's changes
since the last one it applied and applies them here in one SQLite transaction with an audit
row each, and compares the clocks. `SyncAgent` runs rounds for ever (the till's background
thread and `tui-pos sync`), backing off 1, 2, 4 ... 60 s while head office cannot be reached.
Nothing here ever stops the till: every failure becomes a `LinkStatus` saying why.

psycopg and the central package load only when a round runs, so a store on its own (no
[central] url) never pays for them."""

from __future__ import annotations

import fcntl
import json
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from tui_pos.config import shop_zone, with_head_office
from tui_pos.domain.errors import PosError
from tui_pos.domain.sync import Change, HqChange
from tui_pos.i18n import tr
from tui_pos.services.context import Context, refreshed
from tui_pos.store import audit, hq_settings, outbox
from tui_pos.store.db import write
from tui_pos.store.models import ProductRow, database

if TYPE_CHECKING:
    from peewee import Database

log = logging.getLogger("tui_pos")

CLOCK_WARN_S = 300  # a store clock more than 5 minutes off head office's is warned
BACKOFF_S = (1, 2, 4, 8, 16, 32, 60)
PRUNE_AFTER = timedelta(days=30)  # sent outbox rows are kept this long, then deleted
PRUNE_EVERY_S = 3600
PULL_PAGE = 1000
HQ_ACTOR = "HQ"  # the audit trail's staff code for what head office changed
LINK_KEY = "link"  # sync_state: the uploading agent's last link state, for the other tills' title bars
PRODUCT_FIELDS = ("name", "name_en", "category", "price", "member_price", "active")

# Called right after a batch's central transaction committed, before the store marks it sent:
# the crash test sets it to kill the process at the worst moment. Nothing else uses it.
after_central_commit: Callable[[list[Change]], None] | None = None


@dataclass(frozen=True)
class LinkStatus:
    """What the till's title bar and `tui-pos doctor` say about head office."""

    state: str  # "off" (no [central] url) | "up" | "down"
    unsent: int = 0
    oldest_age_s: int | None = None  # seconds since the oldest unsent change was written
    clock_skew_s: int | None = None  # this store's clock minus head office's
    error: str = ""  # why the link is down, in plain words

    @property
    def clock_off(self) -> bool:
        return self.clock_skew_s is not None and abs(self.clock_skew_s) > CLOCK_WARN_S


@dataclass(frozen=True)
class SyncResult:
    store_no: int
    uploaded: int  # outbox rows sent this round
    applied: int  # of those, new to head office (the rest it had already: a replay)
    pulled: int  # head office changes applied here
    settings_changed: bool  # member levels or refund policy changed: the config must be read again
    status: LinkStatus
    pulled_kinds: dict[str, int] = field(default_factory=dict)


class SyncFailed(Exception):
    """A round that could not finish; the message is the plain cause."""


def link_status(ctx: Context, state: str, error: str = "", clock_skew_s: int | None = None) -> LinkStatus:
    if state == "off":
        return LinkStatus("off")
    queue = outbox.queue_status()
    age = None
    if queue.oldest_at is not None:
        age = max(0, int((ctx.now() - queue.oldest_at).total_seconds()))
    return LinkStatus(state, queue.unsent, age, clock_skew_s, error)


def describe(exc: BaseException, url: str = "") -> str:
    """The plain cause of a failed round: head office's own words for a down link, the first
    line of a database error otherwise (never a traceback)."""
    if isinstance(exc, PosError):
        return exc.message
    from tui_pos.central.errors import CentralDown

    if isinstance(exc, CentralDown):
        return str(exc)
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if _older_head_office(exc):
        return tr(
            "Head office at {where} runs an older tui-pos than this store ({error}): "
            "run `tui-pos central migrate` there; the queue waits, selling goes on",
            where=_where(url),
            error=text,
        )
    if _is_link_error(exc):
        return tr(
            "Head office at {where} stopped answering ({error}): "
            "selling goes on; the queue uploads when the link is back",
            where=_where(url),
            error=text,
        )
    return tr(
        "Head office at {where} refused the upload ({error}): the queue waits; tell head office",
        where=_where(url),
        error=text,
    )


def age_words(seconds: int) -> str:
    """How long ago, in the words of the title bar: 12 minutes, 3 hours, 2 days."""
    if seconds < 3600:
        return tr("{n} min", n=max(1, seconds // 60))
    if seconds < 2 * 86400:
        return tr("{n} h", n=seconds // 3600)
    return tr("{n} days", n=seconds // 86400)


def link_words(status: LinkStatus, *, short: bool = False, tiny: bool = False) -> str:
    """The title bar's words for head office: linked, or down with the queue and (unless `short`,
    for a bar without room) its oldest row's age, and the clock warning; "" for a store on its own.
    `tiny`: the fewest cells that still say the link and the queue (a crowded bar at 80 columns)."""
    if status.state == "off":
        return ""
    if tiny:
        if status.state == "up":
            return tr("HQ linked")
        return tr("HQ down {count}", count=status.unsent) if status.unsent else tr("HQ down")
    if status.state == "up":
        words = tr("HQ linked: {count} to send", count=status.unsent) if status.unsent else tr("HQ linked")
    elif status.unsent and status.oldest_age_s is not None and not short:
        words = tr("HQ down: {count} to send, oldest {age}", count=status.unsent, age=age_words(status.oldest_age_s))
    elif status.unsent:
        words = tr("HQ down: {count} to send", count=status.unsent)
    else:
        words = tr("HQ down")
    if status.clock_off and status.clock_skew_s is not None:
        words += tr(", clock off by {age}", age=age_words(abs(status.clock_skew_s)))
    return words


def _older_head_office(exc: BaseException) -> bool:
    """A table, column or function this store sends to is missing at head office: the store
    was upgraded first (psycopg's error is peewee's cause or context)."""
    import psycopg.errors as pg

    missing = (pg.UndefinedTable, pg.UndefinedColumn, pg.UndefinedFunction)
    seen: BaseException | None = exc
    for _ in range(4):
        if seen is None:
            return False
        if isinstance(seen, missing):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _where(url: str) -> str:
    """host:port of a URL, never its password."""
    rest = url.split("://", 1)[-1].split("/", 1)[0]
    return rest.rsplit("@", 1)[-1] or "?"


def _is_link_error(exc: BaseException) -> bool:
    from peewee import InterfaceError, OperationalError

    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return isinstance(exc, (OperationalError, InterfaceError))
    link = (OperationalError, InterfaceError, psycopg.OperationalError, psycopg.InterfaceError)
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, link):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


# -- one round ---------------------------------------------------------------------------------


def store_no(central: Database, ctx: Context) -> int:
    """This store's number at head office: asked for once, by store code, then kept."""
    from tui_pos.central.apply import register_store

    known = outbox.state_get("store_no")
    if known:
        return int(known)
    number = register_store(central, ctx.config.store_code, ctx.config.store_name)
    write(lambda: outbox.state_set("store_no", str(number)))
    return number


def upload(central: Database, ctx: Context, number: int, *, batch: int | None = None) -> tuple[int, int]:
    """Send the outbox until it is empty: (rows sent, rows new to head office)."""
    from tui_pos.central.apply import apply_changes

    size = batch or ctx.config.central.batch
    zone = shop_zone(ctx.config)
    sent = applied = 0
    while True:
        # read and marked attempted in one transaction: from here these orders are head office's to refund
        changes = outbox.take_batch(size)
        if not changes:
            return sent, applied
        seqs = [c.seq for c in changes]
        with central.atomic():
            applied += apply_changes(central, number, changes, zone)
        if after_central_commit is not None:
            after_central_commit(changes)
        outbox.mark_sent(seqs)
        sent += len(changes)


def pull(central: Database, ctx: Context) -> tuple[int, bool, dict[str, int]]:
    """Head office's changes since the last applied, applied here in one transaction with an
    audit row each and the new high-water mark: (changes applied, settings changed, per kind)."""
    from tui_pos.central.hq import changes_since

    since = int(outbox.state_get("pulled_seq") or 0)
    changes: list[HqChange] = []
    while True:
        page = changes_since(central, since, PULL_PAGE)
        changes.extend(page)
        if len(page) < PULL_PAGE:
            break
        since = page[-1].seq
    if not changes:
        return 0, False, {}
    kinds: dict[str, int] = {}

    def apply() -> bool:
        kinds.clear()  # a retry of the transaction (the database was busy) counts afresh
        settings = False
        # read again under the write lock: another till's pull may have applied some meanwhile
        done = int(outbox.state_get("pulled_seq") or 0)
        for change in changes:
            if change.seq <= done:
                continue
            kinds[change.kind] = kinds.get(change.kind, 0) + 1
            if change.kind == "product":
                _apply_product(ctx, change)
            elif change.kind in hq_settings.KINDS:
                _apply_setting(ctx, change)
                settings = True
            else:
                audit.append(
                    HQ_ACTOR, "hq_unknown", f"{change.kind}:{change.key}", {"seq": change.seq, "data": change.data}
                )
        if changes[-1].seq > done:
            outbox.state_set("pulled_seq", str(changes[-1].seq))
        return settings

    settings = write(apply)
    return sum(kinds.values()), settings, kinds


def _product_values(row: ProductRow) -> dict[str, Any]:
    return {name: getattr(row, name) for name in PRODUCT_FIELDS}


def _apply_product(ctx: Context, change: HqChange) -> None:
    """By barcode: head office's name, category, prices and active flag; a new barcode is a new
    product here (with no stock until goods arrive)."""
    wanted = {name: change.data[name] for name in PRODUCT_FIELDS if name in change.data}
    for money in ("price", "member_price"):
        if wanted.get(money) is not None:
            wanted[money] = int(wanted[money])
    if "active" in wanted:
        wanted["active"] = bool(wanted["active"])
    row = ProductRow.get_or_none(ProductRow.barcode == change.key)
    entity = f"product:{change.key}"
    if row is None:
        values: dict[str, Any] = {"name": change.key, "category": "", "price": 0, **wanted}
        ProductRow.create(barcode=change.key, stock=0, **values)
        audit.append(HQ_ACTOR, "hq_product_new", entity, {"seq": change.seq, "before": None, "after": values})
        return
    before = _product_values(row)
    changed = {k: v for k, v in wanted.items() if before.get(k) != v}
    if changed:
        ProductRow.update(**changed).where(ProductRow.id == row.id).execute()
    after = {**before, **changed}
    audit.append(HQ_ACTOR, "hq_product", entity, {"seq": change.seq, "before": before, "after": after})


def _apply_setting(ctx: Context, change: HqChange) -> None:
    """A member level or refund policy setting, kept in hq_setting; the audit row says what it
    was and, where the value cannot be used, why it is not applied."""
    before = hq_settings.get(change.kind, change.key)
    hq_settings.put(change.kind, change.key, dict(change.data), change.seq, change.at.isoformat(sep=" "))
    if change.kind == "level":
        _, problems = with_head_office(ctx.config, {change.key: change.data}, {})
    else:
        _, problems = with_head_office(ctx.config, {}, {change.key: change.data.get("value")})
    detail: dict[str, Any] = {"seq": change.seq, "before": before, "after": dict(change.data)}
    if problems:
        detail["not_used"] = problems
    audit.append(HQ_ACTOR, f"hq_{change.kind}", f"{change.kind}:{change.key}", detail)


def clock_skew(central: Database) -> int:
    """Seconds this machine's clock is ahead of head office's (negative: behind)."""
    from tui_pos.central.apply import server_now

    server = server_now(central)
    if server.tzinfo is None:
        server = server.replace(tzinfo=UTC)
    return round((datetime.now(UTC) - server).total_seconds())


def sync_once(central: Database, ctx: Context) -> SyncResult:
    """One round: register, upload until empty, pull, check the clock. Raises what failed
    (CentralDown, a database error); `SyncAgent` turns that into a LinkStatus."""
    number = store_no(central, ctx)
    sent, applied = upload(central, ctx, number)
    pulled, settings, kinds = pull(central, ctx)
    if pulled:  # what the pull changed here (prices, its audit rows) goes up in the same round
        more, more_new = upload(central, ctx, number)
        sent, applied = sent + more, applied + more_new
    skew = clock_skew(central)
    from tui_pos.central.apply import store_seen

    store_seen(central, number, skew)  # `tui-pos central stores` shows when each store last called
    from tui_pos.services.conflicts import fetch

    fetch(central, ctx, number)  # what head office refused of this store, for the till's list
    if abs(skew) > CLOCK_WARN_S:
        log.warning("this store's clock is %s s off head office's", skew)
    return SyncResult(number, sent, applied, pulled, settings, link_status(ctx, "up", clock_skew_s=skew), kinds)


def prune(ctx: Context) -> int:
    """Sent outbox rows older than 30 days go (head office has them)."""
    return outbox.prune(ctx.now() - PRUNE_AFTER)


# -- the loop ----------------------------------------------------------------------------------


def backoff(failures: int, interval_s: int) -> int:
    """Seconds before the next round: the interval while up; 1, 2, 4 ... 60 after failures."""
    if failures <= 0:
        return interval_s
    return BACKOFF_S[min(failures, len(BACKOFF_S)) - 1]


class SyncAgent:
    """Rounds for ever, on one thread: the till's background worker and `tui-pos sync`.

    The SQLite connection is this thread's own (peewee keeps one per thread); head office's is
    opened on the first round and again after a failure. `status` is read by other threads.

    One agent per store box uploads: the first to take the lock file beside the database (a till
    or `tui-pos sync`; the lock goes with its process). The others only watch: the queue from the
    database and the link as the uploader last recorded it, taking over when the lock is free."""

    def __init__(self, ctx: Context, *, url: str | None = None, timeout_s: float = 5.0) -> None:
        self.ctx = ctx
        self.url = url or ctx.config.central.url
        self.timeout_s = timeout_s
        self.status = LinkStatus("off") if not self.url else LinkStatus("down", error="")
        self.started = False  # a round has finished (the title bar waits for the first)
        self.last: SyncResult | None = None
        self.failures = 0
        self.settings_pulled = 0  # rounds that brought new member levels or refund policy
        self.stop = threading.Event()
        self.rounds = 0  # rounds finished
        self._wake = threading.Event()
        self._central: Database | None = None
        self._pruned_at = 0.0
        self._database = database.obj  # the shop this agent was started for
        self._lock: int | None = None  # the upload lock's file descriptor, while this agent holds it
        self._shared: tuple[str, str, int | None] | None = None  # the link state last recorded
        self._settings_seq = hq_settings.latest()  # head office's settings the ctx was made with

    @property
    def uploading(self) -> bool:
        return self._lock is not None

    def _take_lock(self) -> bool:
        if self._lock is not None:
            return True
        path = str(self.ctx.config.db_path)
        if path == ":memory:":
            return True
        fd = os.open(f"{path}.sync-lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._lock = fd
        return True

    def _release_lock(self) -> None:
        fd, self._lock = self._lock, None
        if fd is not None:
            os.close(fd)  # closing the descriptor lets the lock go

    def _watch(self) -> LinkStatus:
        """Another till uploads: the queue from the database, the link as it last recorded it."""
        shared = outbox.state_get(LINK_KEY)
        if not shared:
            return link_status(
                self.ctx, "down", tr("Another till uploads this store to head office; its first round is not done yet")
            )
        link = json.loads(shared)
        return link_status(self.ctx, str(link["state"]), str(link["error"]), link.get("clock_skew_s"))

    def _share(self) -> None:
        """Record the link for the other tills when it changed (not every round: each is a write)."""
        status = self.status
        now = (status.state, status.error, status.clock_skew_s if status.clock_off else None)
        if now == self._shared:
            return
        text = json.dumps({"state": status.state, "error": status.error, "clock_skew_s": status.clock_skew_s})
        write(lambda: outbox.state_set(LINK_KEY, text))
        self._shared = now

    def _connect(self) -> Database:
        from tui_pos.central.connect import open_central

        if self._central is None:
            self._central = open_central(self.url, timezone=None, timeout_s=self.timeout_s)
        return self._central

    def close(self) -> None:
        """Head office's connection closed and the upload lock let go (the caller is done)."""
        self._drop_connection()
        self._release_lock()

    def _drop_connection(self) -> None:
        central, self._central = self._central, None
        if central is not None:
            try:
                central.close()
            except Exception:  # a dead link may fail to close too; it is dropped either way
                log.debug("closing head office's connection failed", exc_info=True)

    def round(self) -> LinkStatus:
        """One round; never raises. The new status is kept in `status` and returned."""
        import time

        if database.obj is not self._database:  # the shop was closed (or another opened) under us
            self.stop.set()
            return self.status
        try:
            watching = not self._take_lock()
            if watching:
                self.status = self._watch()
        except Exception:  # the lock file or the database failing: try to upload, which says why
            log.info("the upload lock or the shared link state failed", exc_info=True)
            watching = False
        if watching:
            self._finish()
            return self.status
        try:
            result = sync_once(self._connect(), self.ctx)
        except Exception as exc:  # any failure is a link state, never a crash of the till
            self._drop_connection()
            self.failures += 1
            error = describe(exc, self.url)
            log.info("head office round failed: %s", error)
            try:
                self.status = link_status(self.ctx, "down", error, self.status.clock_skew_s)
            except Exception:  # the local database itself failing: say the cause, keep the counts
                self.status = LinkStatus("down", self.status.unsent, self.status.oldest_age_s, None, error)
            self.last = None
        else:
            self.failures = 0
            self.last = result
            self.status = result.status
            if time.monotonic() - self._pruned_at > PRUNE_EVERY_S:
                self._pruned_at = time.monotonic()
                try:
                    prune(self.ctx)
                except Exception:  # pruning waits for the next hour
                    log.info("pruning the outbox failed", exc_info=True)
        try:
            self._share()
        except Exception:  # the other tills' words wait for the next change
            log.info("recording the link state failed", exc_info=True)
        self._finish()
        return self.status

    def _finish(self) -> None:
        """After any round: head office's settings that arrived (by this agent's pull or another
        till's) taken into the config, then the round counted."""
        try:
            seq = hq_settings.latest()
            if seq != self._settings_seq:
                self._settings_seq = seq
                self.ctx = refreshed(self.ctx)
                self.settings_pulled += 1
        except Exception:  # the next round looks again
            log.info("reading head office's settings failed", exc_info=True)
        self.started = True
        self.rounds += 1

    def poke(self) -> None:
        """The next round now, not after the wait (a till that wants its status, a stop)."""
        self._wake.set()

    def halt(self) -> None:
        self.stop.set()
        self._wake.set()

    def delay(self) -> int:
        return backoff(self.failures, self.ctx.config.central.interval_s)

    def run(self, on_round: Callable[[SyncAgent], None] | None = None) -> None:
        """Rounds until `stop` is set; the first at once."""
        try:
            while not self.stop.is_set():
                self.round()
                if on_round is not None and not self.stop.is_set():
                    on_round(self)
                self._wake.wait(self.delay())
                self._wake.clear()
        finally:
            self.close()
            if not database.is_closed() and database.obj is self._database:
                database.close()  # this thread's own SQLite connection
