"""`tui-pos doctor`'s head office line: only with [central] url; reachable or not, what waits to
upload and how old it is, and a clock off head office's."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from tests.sync.chain import closed_port, make_shop, sell

from tui_pos.services import doctor
from tui_pos.services.doctor import Level, Surroundings, check_head_office


def test_no_line_without_a_head_office(tmp_path):
    shop = make_shop(tmp_path, "01", "")
    assert check_head_office(Surroundings(shop.config, {})) == []


def test_unreachable_head_office_is_a_warning_with_the_queue(tmp_path):
    shop = make_shop(tmp_path, "01", f"postgresql://store01@127.0.0.1:{closed_port()}/chain")
    with shop.open() as ctx:
        sell(ctx, {"6901": 1})
    later = datetime.now() + timedelta(minutes=12, seconds=5)
    [finding] = check_head_office(Surroundings(shop.config, {}, now=lambda: later))
    assert finding.level is Level.WARN
    assert finding.what.startswith("Head office: Head office cannot be reached at 127.0.0.1:")
    assert "(connection refused)" in finding.what and "to upload, oldest 12 min ago)" in finding.what
    assert "`tui-pos sync --once` tries again" in finding.fix
    assert doctor.exit_code([finding]) == 1  # selling goes on: a warning, not a failure


def test_a_clock_off_head_office_is_a_warning(tmp_path):
    shop = make_shop(tmp_path, "01", "postgresql://store01@hq.example/chain")
    with shop.open():
        pass
    world = Surroundings(shop.config, {}, head_office=lambda url, timeout: -420)
    [finding] = check_head_office(world)
    assert finding.level is Level.WARN and "this clock is 7 min off its clock" in finding.what
    [fine] = check_head_office(replace(world, head_office=lambda url, timeout: 3))
    assert fine.level is Level.OK and fine.what.endswith("clocks 3 s apart")


def test_a_reachable_head_office(central, tmp_path):
    shop = make_shop(tmp_path, "01", central.url)
    with shop.open():
        pass
    [finding] = check_head_office(Surroundings(shop.config, {}))
    assert finding.level is Level.OK and finding.what.startswith("Head office reachable (")
