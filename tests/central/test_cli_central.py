"""`tui-pos central ...` through the real command line (tui_pos.cli.main)."""

from __future__ import annotations

import socket

from tui_pos.central.connect import open_central
from tui_pos.central.hq import changes_since
from tui_pos.central.sql import one, run
from tui_pos.cli import main


def test_init_makes_the_tables_once_and_a_price_in_yuan_goes_down_in_cents(pg_url, home, capsys):
    assert main(["central", "init", "--url", pg_url]) == 0
    assert "Head office's tables are made (version 2)" in capsys.readouterr().out
    assert main(["central", "init", "--url", pg_url]) == 0
    assert "already there" in capsys.readouterr().out
    argv = ["central", "product", "set", "6901", "--price", "12.50", "--member-price", "11", "--name", "可乐"]
    assert main([*argv, "--inactive", "--url", pg_url, "--by", "boss"]) == 0
    assert "Change 1 kept" in capsys.readouterr().out
    db = open_central(pg_url)
    try:
        [change] = changes_since(db, 0)
        assert (change.kind, change.key) == ("product", "6901")
        assert change.data == {"price": 1250, "member_price": 1100, "name": "可乐", "active": False}
        assert one(db, 'SELECT "by" FROM hq_change') == "boss"
    finally:
        db.close()
    assert main(["central", "changes", "--url", pg_url]) == 0
    assert 'product  6901  {"name": "可乐", "price": 1250' in capsys.readouterr().out


def test_bad_prices_and_policies_are_refused_with_the_reason_and_nothing_kept(pg_url, home, capsys):
    assert main(["central", "init", "--url", pg_url]) == 0
    assert main(["central", "product", "set", "6901", "--price", "12.505", "--url", pg_url]) == 1
    assert "At most two decimals" in capsys.readouterr().err
    assert main(["central", "policy", "set", "spent_points", "maybe", "--url", pg_url]) == 1
    assert "spent_points must be one of deduct" in capsys.readouterr().err
    assert main(["central", "policy", "set", "window_days", "15", "--url", pg_url]) == 0
    assert main(["central", "policy", "set", "tender_order", '["cash", "card"]', "--url", pg_url]) == 0
    assert main(["central", "level", "set", "gold", "--name", "金卡", "--discount-bp", "800", "--url", pg_url]) == 0
    db = open_central(pg_url)
    try:
        assert [(c.key, c.data) for c in changes_since(db, 0)] == [
            ("window_days", {"value": 15}),
            ("tender_order", {"value": ["cash", "card"]}),
            ("gold", {"name": "金卡", "discount_bp": 800}),
        ]
    finally:
        db.close()


def test_a_head_office_that_is_down_is_said_plainly_with_exit_2(home, capsys):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert main(["central", "stores", "--url", f"postgresql://hq@127.0.0.1:{port}/chain"]) == 2
    err = capsys.readouterr().err
    assert err == (
        f"tui-pos: Head office cannot be reached at 127.0.0.1:{port} (connection refused): "
        "selling goes on; the queue uploads when the link is back\n"
    )


def test_without_a_url_the_command_says_where_to_give_one(home, capsys):
    assert main(["central", "stores"]) == 2
    assert "give --url postgresql://" in capsys.readouterr().err


def test_stores_lists_the_registered_stores(pg_url, home, capsys):
    from tui_pos.central.apply import register_store

    assert main(["central", "init", "--url", pg_url]) == 0
    db = open_central(pg_url)
    try:
        register_store(db, "01", "城东店")
    finally:
        db.close()
    assert main(["central", "stores", "--url", pg_url]) == 0
    assert "  1  01  城东店  " in capsys.readouterr().out


def test_grant_registers_the_store_and_limits_its_role(pg_url, home, capsys):
    import uuid

    assert main(["central", "init", "--url", pg_url]) == 0
    role = f"store07_{uuid.uuid4().hex[:8]}"
    db = open_central(pg_url)
    try:
        run(db, f'CREATE ROLE "{role}" LOGIN')
        assert main(["central", "grant", "07", "--role", role, "--name", "城西店", "--url", pg_url]) == 0
        assert f"Store 07 is number 1; role {role} may upload" in capsys.readouterr().out
        assert one(db, "SELECT name FROM chain_store WHERE code = '07'") == "城西店"
        # the store's own sync registers with the name in its config: head office's name stays
        assert one(db, "SELECT central_register_store('07', 'Shop 07')") == 1
        assert one(db, "SELECT name FROM chain_store WHERE code = '07'") == "城西店"
        # a store that registered itself first keeps its config's name until head office names it
        no = one(db, "SELECT central_register_store('08', 'Shop 08')")
        assert one(db, "SELECT central_register_store('08', 'Renamed')") == no
        assert one(db, "SELECT name FROM chain_store WHERE code = '08'") == "Shop 08"
        assert one(db, "SELECT count(*) FROM pg_policies WHERE policyname = %s", (f"{role}_own_rows",)) > 15
    finally:
        db.close()
