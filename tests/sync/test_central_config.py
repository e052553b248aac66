"""[central] settings, the shop's zone, and head office's levels and policy over the config file's."""

from __future__ import annotations

from dataclasses import replace
from zoneinfo import ZoneInfo

import pytest

from tui_pos.config import CentralConfig, ConfigError, load_config, shop_zone, with_head_office
from tui_pos.domain.staff import Role


def test_central_is_off_by_default_and_read_from_the_file_and_the_environment(tmp_path):
    env = {"TUI_POS_HOME": str(tmp_path), "HOME": str(tmp_path)}
    assert load_config(env=env).central == CentralConfig()
    path = tmp_path / "config.toml"
    path.write_text(
        '[central]\nurl = "postgresql://store01@hq:5432/chain"\nbatch = 200\ninterval_s = 10\n'
        'timezone = "Asia/Shanghai"\n'
    )
    config = load_config(path, env=env)
    assert config.central == CentralConfig("postgresql://store01@hq:5432/chain", 200, 10, "Asia/Shanghai")
    assert shop_zone(config) == ZoneInfo("Asia/Shanghai")
    moved = load_config(path, env={**env, "TUI_POS_CENTRAL_URL": "postgresql://store01@hq2/chain"})
    assert moved.central.url == "postgresql://store01@hq2/chain" and moved.central.batch == 200


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('url = "mysql://hq/chain"', "central.url must start with postgresql://"),
        ("batch = 0", "central.batch must be between 1 and 10000"),
        ("interval_s = -1", "central.interval_s must be between 1 and 3600"),
        ('timezone = "Mars/Olympus"', "central.timezone 'Mars/Olympus' is not a time zone name"),
        ("uri = 1", "[central] has unknown keys: uri"),
    ],
)
def test_a_bad_central_setting_is_named(tmp_path, text, words):
    path = tmp_path / "config.toml"
    path.write_text(f"[central]\n{text}\n")
    with pytest.raises(ConfigError, match=words.replace("[", r"\[").replace("]", r"\]")):
        load_config(path, env={"TUI_POS_HOME": str(tmp_path), "HOME": str(tmp_path)})


def test_the_machine_zone_without_a_setting(config, monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Paris")
    assert shop_zone(config) == ZoneInfo("Europe/Paris")
    assert shop_zone(replace(config, central=CentralConfig(timezone="Asia/Urumqi"))) == ZoneInfo("Asia/Urumqi")


def test_head_office_levels_and_policy_over_the_file(config):
    merged, problems = with_head_office(
        config,
        {
            "gold": {"name": "金卡", "discount_bp": 800},
            "vip": {"name": "至尊卡", "name_en": "VIP", "discount_bp": 1000},
        },
        {"window_days": 14, "no_receipt_role": "supervisor", "self_approval_max": 30000},
    )
    assert problems == []
    assert merged.level("gold").discount_bp == 800 and merged.level("gold").name_en == "Gold"  # kept from the file
    assert merged.level("vip").name == "至尊卡" and merged.level("silver") == config.level("silver")
    assert merged.refund_policy.window_days == 14 and merged.refund_policy.no_receipt_role is Role.SUPERVISOR
    assert merged.refund_policy.self_approval_max == 30000
    assert merged.refund_policy.rules == config.refund_policy.rules  # what was not sent stays


def test_a_head_office_value_that_cannot_be_used_is_skipped_and_named(config):
    merged, problems = with_head_office(
        config,
        {"gold": {"discount_bp": 20000}},
        {"tender_order": ["bitcoin"], "printer": 1, "window_days": "soon"},
    )
    assert merged == config
    assert problems == [
        "member_levels.gold: discount must be between 0 and 10000 basis points",
        "refund_policy.tender_order must list tenders from cash, card, wechat, alipay, stored_value, exchange, "
        "not ['bitcoin']",
        "refund_policy.printer is not a setting head office can send",
        "refund_policy.window_days must be a whole number, not 'soon'",
    ]
