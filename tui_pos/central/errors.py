"""Why head office cannot be used, said plainly: the link being down is normal for a store, so
the message says what still works and what to check, never a driver's traceback."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import peewee

from tui_pos.domain.errors import PosError


class CentralDown(PosError):
    """Head office is unreachable or refused us; `cause` is a short code for tests and logs
    (refused, timeout, password, no_database, tls_required, tls_unavailable, unknown_host, gone, other)."""

    cause: str = "other"

    def because(self, cause: str) -> CentralDown:
        self.cause = cause
        return self


def describe(
    exc: BaseException, where: str, *, database: str = "", user: str = "", timeout_s: float = 5
) -> CentralDown:
    """The plain cause behind a psycopg / peewee error from talking to head office at `where` (HOST:PORT)."""
    text = str(exc)
    low = text.lower()
    if "connection refused" in low:
        return CentralDown(
            "Head office cannot be reached at {where} (connection refused): "
            "selling goes on; the queue uploads when the link is back",
            where=where,
        ).because("refused")
    if "timeout expired" in low or "timed out" in low or "connection timeout" in low:
        return CentralDown(
            "Head office did not answer at {where} within {seconds} s: "
            "selling goes on; the queue uploads when the link is back",
            where=where,
            seconds=timeout_s,
        ).because("timeout")
    if "password authentication failed" in low or "no password supplied" in low:
        return CentralDown(
            "Head office at {where} refused the password of {user}: check the user and password in [central] url",
            where=where,
            user=user or "?",
        ).because("password")
    if "does not exist" in low and "database" in low:
        return CentralDown(
            "Head office at {where} has no database {name}: check [central] url, "
            "or create it (createdb, then tui-pos central init)",
            where=where,
            name=database or "?",
        ).because("no_database")
    if "no encryption" in low or ("pg_hba.conf" in low and "ssl off" in low):
        return CentralDown(
            "Head office at {where} accepts only encrypted (TLS) connections: "
            "add sslmode=verify-full and sslrootcert=... to [central] url",
            where=where,
        ).because("tls_required")
    if "ssl was required" in low or "server does not support ssl" in low:
        return CentralDown(
            "Head office at {where} does not offer TLS, but [central] url asks for it (sslmode)", where=where
        ).because("tls_unavailable")
    if "could not translate host name" in low or "name or service not known" in low:
        return CentralDown(
            "Head office's host name in {where} is unknown: check [central] url "
            "(selling goes on; the queue uploads when the link is back)",
            where=where,
        ).because("unknown_host")
    if (
        "server closed the connection" in low
        or "connection is lost" in low
        or "connection already closed" in low
        or "the connection is closed" in low
        or "terminating connection" in low
        or "consuming input failed" in low
        or "server conn crashed" in low
        or "ssl syscall error" in low
    ):
        return CentralDown(
            "The link to head office at {where} broke during an upload: nothing of that batch was kept "
            "there, it is sent again when the link is back",
            where=where,
        ).because("gone")
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return CentralDown("Head office at {where} cannot be used: {detail}", where=where, detail=first)


LINK_ERRORS: tuple[type[BaseException], ...] = (peewee.OperationalError, peewee.InterfaceError)


def where_of(db: peewee.Database) -> str:
    params = getattr(db, "connect_params", {}) or {}
    host = str(params.get("host") or "localhost")
    port = str(params.get("port") or 5432)
    return f"{host}:{port}"


@contextmanager
def guard(db: peewee.Database) -> Iterator[None]:
    """Turn a lost link inside the block into CentralDown; errors of the data (a constraint or
    trigger refused a row: IntegrityError, InternalError) pass through as they are."""
    try:
        yield
    except LINK_ERRORS as exc:
        raise down(db, exc) from exc


def down(db: peewee.Database, exc: BaseException) -> CentralDown:
    params = getattr(db, "connect_params", {}) or {}
    return describe(
        exc,
        where_of(db),
        database=str(getattr(db, "database", "")),
        user=str(params.get("user", "")),
        timeout_s=float(params.get("connect_timeout", 5)),
    )


class ChainRefused(PosError):
    """Head office refused a refund claim or an online debit: `remaining` names what is left
    (units per sale line uid for a refund; "balance"/"points" for a member)."""

    def __init__(self, template: str, *, remaining: dict[str, int] | None = None, **params: object) -> None:
        super().__init__(template, **params)
        self.remaining: dict[str, int] = dict(remaining or {})
