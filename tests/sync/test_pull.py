"""Head office's edits pulled down on the real PostgreSQL: prices and products by barcode, member
levels and refund policy, applied in one transaction with an audit row each, and taking effect
where the till reads them (the refund wizard's policy, the member's discount)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from tests.sync.chain import make_shop, sell

from tui_pos.central.hq import record_change
from tui_pos.central.sql import run as central_run
from tui_pos.domain.refund import Pick
from tui_pos.services import refunds
from tui_pos.services import staff as staff_service
from tui_pos.services.context import Context, refreshed
from tui_pos.services.refunds import RefundDraft
from tui_pos.services.sync import sync_once
from tui_pos.store import audit, hq_settings, outbox
from tui_pos.store.models import AuditRow, ProductRow


def audit_rows(action: str) -> list[tuple[str, dict]]:
    rows = AuditRow.select().where(AuditRow.action == action).order_by(AuditRow.id)
    return [(r.entity, json.loads(r.detail)) for r in rows]


def test_a_price_push_is_applied_and_audited(central, tmp_path):
    shop = make_shop(tmp_path, "01", central.url)
    with shop.open() as ctx:
        sync_once(central.db, ctx)
        record_change(central.db, "product", "6901", {"price": 399, "member_price": 350}, "hq-anna")
        record_change(central.db, "product", "6909", {"name": "矿泉水 550ml", "category": "drinks", "price": 200}, "hq")
        record_change(central.db, "product", "6903", {"active": False}, "hq")
        pulled = sync_once(central.db, ctx)
        assert pulled.pulled == 3 and pulled.pulled_kinds == {"product": 3} and not pulled.settings_changed

        cola = ProductRow.get(ProductRow.barcode == "6901")
        assert (cola.price, cola.member_price, cola.name) == (399, 350, "可口可乐 330ml")
        water = ProductRow.get(ProductRow.barcode == "6909")
        assert (water.name, water.category, water.price, water.stock, water.active) == (
            "矿泉水 550ml",
            "drinks",
            200,
            0,
            True,
        )
        assert ProductRow.get(ProductRow.barcode == "6903").active is False

        changed = audit_rows("hq_product")
        assert changed[0][0] == "product:6901"
        assert changed[0][1]["before"]["price"] == 350 and changed[0][1]["after"]["price"] == 399
        assert changed[0][1]["before"]["member_price"] == 300 and changed[0][1]["after"]["member_price"] == 350
        assert changed[1][1]["after"]["active"] is False
        assert audit_rows("hq_product_new") == [
            (
                "product:6909",
                {
                    "seq": 2,
                    "before": None,
                    "after": {"name": "矿泉水 550ml", "category": "drinks", "price": 200},
                },
            )
        ]
        assert all(
            staff == "HQ"
            for (staff,) in AuditRow.select(AuditRow.staff_code).where(AuditRow.action.startswith("hq_")).tuples()
        )
        assert audit.verify() is None  # the chain holds with head office's rows in it
        assert outbox.state_get("pulled_seq") == "3"
        # the new prices went back up as the store's rows in the same round; nothing is pulled twice
        assert outbox.queue_status().unsent == 0
        uploaded = central_run(
            central.db, "SELECT price FROM product WHERE store_no = %s AND barcode = '6901'", (pulled.store_no,)
        ).fetchone()
        assert uploaded == (399,)
        again = sync_once(central.db, ctx)
        assert (again.pulled, again.uploaded) == (0, 0) and len(audit_rows("hq_product")) == 2


def test_a_pull_that_fails_applies_nothing(central, tmp_path, monkeypatch):
    shop = make_shop(tmp_path, "01", central.url)
    with shop.open() as ctx:
        sync_once(central.db, ctx)
        record_change(central.db, "product", "6901", {"price": 399}, "hq")
        record_change(central.db, "product", "6902", {"price": 1500}, "hq")
        real = audit.append
        calls = []

        def fail_second(*args, **kw):
            calls.append(args)
            if len(calls) == 2:
                raise OSError("disk gone")
            return real(*args, **kw)

        monkeypatch.setattr("tui_pos.store.audit.append", fail_second)
        try:
            sync_once(central.db, ctx)
        except OSError:
            pass
        else:
            raise AssertionError("the failing pull went through")
        monkeypatch.setattr("tui_pos.store.audit.append", real)
        assert ProductRow.get(ProductRow.barcode == "6901").price == 350  # the first change rolled back too
        assert outbox.state_get("pulled_seq") is None
        assert sync_once(central.db, ctx).pulled == 2
        assert ProductRow.get(ProductRow.barcode == "6902").price == 1500


def three_days_old(ctx: Context) -> Context:
    then = datetime.now().replace(microsecond=0) - timedelta(days=3)
    return Context(ctx.config, lambda: then)


def test_levels_and_policy_from_head_office_take_effect_and_are_audited(central, tmp_path):
    shop = make_shop(tmp_path, "01", central.url)
    with shop.open() as ctx:
        sale = sell(three_days_old(ctx), {"6901": 1})
        cashier = staff_service.login(ctx, "001", "1111")
        lookup = refunds.load_order(ctx, sale)
        draft = RefundDraft(sale, tuple(Pick(h.sale_line_id, h.remaining) for h in lookup.history.values()), "quality")
        assert not refunds.quote(ctx, cashier, draft).outside_window  # the file's 7 days

        record_change(central.db, "policy", "window_days", {"value": 2}, "hq")
        record_change(central.db, "level", "gold", {"name": "金卡会员", "name_en": "Gold", "discount_bp": 800}, "hq")
        record_change(central.db, "level", "vip", {"name": "至尊会员", "name_en": "VIP", "discount_bp": 1200}, "hq")
        result = sync_once(central.db, ctx)
        assert result.settings_changed and result.pulled_kinds == {"policy": 1, "level": 2}
        assert {(s.kind, s.key) for s in hq_settings.all_settings()} == {
            ("policy", "window_days"),
            ("level", "gold"),
            ("level", "vip"),
        }

        fresh = refreshed(ctx)  # what the till does after a pull that brought settings
        assert fresh.config.refund_policy.window_days == 2
        assert fresh.config.level("gold").discount_bp == 800 and fresh.config.level("vip").name == "至尊会员"
        quote = refunds.quote(fresh, cashier, draft)
        assert quote.outside_window and "outside_window" in quote.approvals

        [(entity, detail)] = audit_rows("hq_policy")
        assert entity == "policy:window_days" and detail == {"seq": 1, "before": None, "after": {"value": 2}}
        levels = audit_rows("hq_level")
        assert [e for e, _ in levels] == ["level:gold", "level:vip"]

        record_change(central.db, "policy", "window_days", {"value": 30}, "hq")
        sync_once(central.db, ctx)
        [_, (_, detail)] = audit_rows("hq_policy")
        assert detail["before"] == {"value": 2} and detail["after"] == {"value": 30}

    with shop.open() as reopened:  # the shop opened again (the till's start): the same settings
        assert reopened.config.refund_policy.window_days == 30
        assert reopened.config.level("vip").discount_bp == 1200


def test_two_tills_pulling_at_once_apply_each_change_once(central, tmp_path, monkeypatch):
    """Another till's pull lands between this one's fetch and its transaction: nothing twice."""
    from tui_pos.central import hq
    from tui_pos.services import sync

    shop = make_shop(tmp_path, "01", central.url)
    with shop.open() as ctx:
        sync_once(central.db, ctx)
        record_change(central.db, "product", "6901", {"price": 399}, "hq")
        real = hq.changes_since
        raced = []

        def fetch_then_race(db, seq, limit=500):
            page = real(db, seq, limit)
            if not raced:
                raced.append(True)
                monkeypatch.setattr(hq, "changes_since", real)
                assert sync.pull(db, ctx)[0] == 1  # the other till
            return page

        monkeypatch.setattr(hq, "changes_since", fetch_then_race)
        assert sync.pull(central.db, ctx) == (0, False, {})
        assert raced and len(audit_rows("hq_product")) == 1
        assert outbox.state_get("pulled_seq") == "1"


def test_a_watching_till_takes_the_uploaders_settings(central, tmp_path):
    from tui_pos.services.sync import SyncAgent

    shop = make_shop(tmp_path, "01", central.url)
    with shop.open() as ctx:
        uploader, watcher = SyncAgent(ctx, timeout_s=2), SyncAgent(ctx, timeout_s=2)
        uploader.round()
        watcher.round()
        assert (uploader.settings_pulled, watcher.settings_pulled) == (0, 0) and not watcher.uploading
        record_change(central.db, "policy", "window_days", {"value": 3}, "hq")
        uploader.round()
        watcher.round()
        assert (uploader.settings_pulled, watcher.settings_pulled) == (1, 1)
        assert watcher.ctx.config.refund_policy.window_days == 3
        assert uploader.ctx.config.refund_policy.window_days == 3
        uploader.close()
        watcher.close()
