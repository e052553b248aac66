"""`tui-pos central ...`: head office's own commands (schema, stores, prices, levels, refund policy).

Run at head office, not at a till: nothing here needs a shop database. The URL comes from
--url, else the config's [central] url (or TUI_POS_CENTRAL_URL)."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
import tomllib
from collections.abc import Callable
from typing import Any

from tui_pos.config import Config, ConfigError, shop_zone
from tui_pos.domain.errors import InvalidInput
from tui_pos.domain.money import parse_money
from tui_pos.i18n import tr


def add_parser(commands: Any, global_options: Callable[[argparse.ArgumentParser], None]) -> None:
    central = commands.add_parser("central", help="head office: its PostgreSQL schema, stores, prices, levels, policy")
    actions = central.add_subparsers(dest="central_action", metavar="ACTION", required=True)

    def sub(name: str, text: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = actions.add_parser(name, help=text)
        parser.add_argument("--url", metavar="URL", help="head office's postgresql:// URL (default: [central] url)")
        global_options(parser)
        return parser

    sub("init", "create head office's tables in an empty database (createdb first)")
    sub("migrate", "bring head office's tables up to this version of tui-pos")
    sub("stores", "the stores that have registered, their numbers and last contact")
    grant = sub("grant", "register a store and give its database role the rights to upload its own rows only")
    grant.add_argument("code", help="the store's code ([store_code] in its config)")
    grant.add_argument("--role", required=True, help="the PostgreSQL role the store logs in as (CREATE ROLE first)")
    grant.add_argument("--name", default="", help="the store's name (default: its code)")
    changes = sub("changes", "what head office has sent down to the stores, newest last")
    changes.add_argument("--since", type=int, default=0, metavar="SEQ", help="only changes after this number")
    changes.add_argument("--limit", type=int, default=50, metavar="N")

    conflicts = sub("conflicts", "what head office refused of the stores' uploads; resolve ID --by NAME --note TEXT")
    conflicts.add_argument("resolve", nargs="?", choices=["resolve"], help="resolve conflict ID")
    conflicts.add_argument("id", nargs="?", type=int, metavar="ID", help="the conflict's number (its first column)")
    conflicts.add_argument("--store", metavar="CODE", help="one store's conflicts (its store_code, e.g. 02)")
    conflicts.add_argument("--all", action="store_true", help="the resolved ones too")
    conflicts.add_argument("--by", default="", help="with resolve: who resolved it")
    conflicts.add_argument("--note", default="", help="with resolve: how it was resolved")

    product = sub("product", "set a product's price, name or category for every store")
    product.add_argument("set", choices=["set"])
    product.add_argument("barcode")
    product.add_argument("--price", metavar="YUAN", help="e.g. 12.50")
    product.add_argument("--member-price", metavar="YUAN", help="e.g. 11.00; 'none' for no member price")
    product.add_argument("--name")
    product.add_argument("--name-en")
    product.add_argument("--category")
    state = product.add_mutually_exclusive_group()
    state.add_argument("--inactive", action="store_true", help="no longer sold")
    state.add_argument("--active", action="store_true", help="sold again")
    product.add_argument("--by", default="", help="who made the change (default: your login name)")

    level = sub("level", "set a member level's name and discount for every store")
    level.add_argument("set", choices=["set"])
    level.add_argument("code")
    level.add_argument("--name")
    level.add_argument("--name-en")
    level.add_argument("--discount-bp", type=int, metavar="BP", help="discount in basis points (500 = 5 %%)")
    level.add_argument("--by", default="")

    policy = sub("policy", "set a [refund_policy] setting for every store")
    policy.add_argument("set", choices=["set"])
    policy.add_argument("key")
    policy.add_argument("value", help='a TOML value: 15, true, "manager", ["cash", "card"], { gold = 30 }')
    policy.add_argument("--by", default="")


def central_url(config: Config, args: argparse.Namespace) -> str:
    """--url, else [central] url (which TUI_POS_CENTRAL_URL overrides when the config is read)."""
    return str(args.url or config.central.url)


def _print(text: str) -> None:
    print(text)


def _err(text: str) -> None:
    print(f"tui-pos: {text}", file=sys.stderr)


def central_command(config: Config, args: argparse.Namespace) -> int:
    from tui_pos.central.connect import open_central
    from tui_pos.central.errors import CentralDown

    url = central_url(config, args)
    if not url:
        _err(tr("No head office URL: give --url postgresql://..., or set [central] url in the config"))
        return 2
    action = args.central_action
    try:
        data = _data(args) if action in ("product", "level", "policy") else {}
        db = open_central(url, timezone=shop_zone(config).key)  # times shown in this machine's zone
        try:
            return _run(db, action, args, data)
        finally:
            db.close()
    except CentralDown as exc:
        _err(exc.message)
        return 2
    except ValueError as exc:  # a URL that is not postgresql://, a schema newer than this tui-pos
        _err(str(exc))
        return 2


def _data(args: argparse.Namespace) -> dict[str, Any]:
    if args.central_action == "product":
        data: dict[str, Any] = {}
        if args.price is not None:
            data["price"] = parse_money(args.price)
        if args.member_price is not None:
            none = args.member_price.strip().lower() in ("none", "")
            data["member_price"] = None if none else parse_money(args.member_price)
        for name in ("name", "name_en", "category"):
            if getattr(args, name) is not None:
                data[name] = getattr(args, name)
        if args.inactive or args.active:
            data["active"] = bool(args.active)
        return data
    if args.central_action == "level":
        data = {
            name: getattr(args, name) for name in ("name", "name_en", "discount_bp") if getattr(args, name) is not None
        }
        return data
    return {"value": policy_value(args.key, args.value)}


def policy_value(key: str, text: str) -> Any:
    """VALUE read as TOML (a bare word is text), then checked as load_config checks [refund_policy]."""
    from tui_pos.central.hq import POLICY_KEYS
    from tui_pos.config import _refund_policy  # the same checks as the config file's

    if key not in POLICY_KEYS:
        raise InvalidInput(
            "{key} is not a [refund_policy] setting: one of {keys}", key=key, keys=", ".join(POLICY_KEYS)
        )
    try:
        value = tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        value = text
    try:
        _refund_policy({key: value}, {})
    except (ConfigError, TypeError, ValueError, AttributeError) as exc:
        raise InvalidInput("Not a valid refund_policy.{key}: {error}", key=key, error=str(exc)) from None
    return value


def _run(db: Any, action: str, args: argparse.Namespace, data: dict[str, Any]) -> int:
    from tui_pos.central import hq, schema

    if action == "init":
        before = schema.version(db)
        version = schema.create(db)
        if before is None:
            _print(tr("Head office's tables are made (version {version})", version=version))
        else:
            _print(tr("Head office's tables were already there; brought to version {version}", version=version))
        return 0
    if action == "migrate":
        old, new = schema.migrate(db)
        _print(tr("Head office's tables: version {old} -> {new}", old=old if old is not None else "-", new=new))
        return 0
    if action == "stores":
        return _stores(db)
    if action == "conflicts":
        from tui_pos.commands_conflicts import conflicts_command

        return conflicts_command(db, args)
    if action == "grant":
        from tui_pos.central.apply import register_store
        from tui_pos.central.sql import run

        no = register_store(db, args.code, args.name or args.code)
        if args.name:  # head office's name for the store wins over the one its own config gives
            run(db, "UPDATE chain_store SET name = %s WHERE no = %s", (args.name, no))
        schema.grant_store(db, args.role, no)
        _print(
            tr(
                "Store {code} is number {no}; role {role} may upload and read its own rows only",
                code=args.code,
                no=no,
                role=args.role,
            )
        )
        return 0
    if action == "changes":
        for change in hq.changes_since(db, args.since, args.limit):
            _print(
                f"{change.seq:>6}  {change.at:%Y-%m-%d %H:%M}  {change.kind:<8} {change.key}  "
                + json.dumps(change.data, ensure_ascii=False)
            )
        return 0
    key = args.barcode if action == "product" else args.code if action == "level" else args.key
    seq = hq.record_change(db, action, key, data, args.by or getpass.getuser())
    _print(tr("Change {seq} kept: the stores take it at their next sync", seq=seq))
    return 0


def _stores(db: Any) -> int:
    from tui_pos.central.sql import run

    rows = run(
        db,
        "SELECT no, code, name, registered_at, last_seen, last_clock_skew_s FROM chain_store ORDER BY no",
    ).fetchall()
    if not rows:
        _print(tr("No store has registered yet: a store registers at its first sync"))
        return 0
    _print(tr("No.  Code  Name  Registered  Last seen  Clock off (s)"))
    for no, code, name, registered, seen, skew in rows:
        last = f"{seen:%Y-%m-%d %H:%M}" if seen is not None else "-"
        _print(f"{no:>3}  {code}  {name}  {registered:%Y-%m-%d}  {last}  {skew if skew is not None else '-'}")
    return 0
