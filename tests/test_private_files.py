"""The shop's folders are its owner's alone whatever the umask, an export never writes through a
link planted where it writes, and the till will not start on data another user may change
(issue 20, failure 4)."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from tui_pos.cli import main
from tui_pos.config import load_config
from tui_pos.domain.errors import Conflict
from tui_pos.domain.staff import Role, Staff
from tui_pos.files import write_private
from tui_pos.services import export
from tui_pos.services.maintenance import refuse_exposed

MANAGER = Staff(id=1, code="003", name="王姐", role=Role.MANAGER)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


@pytest.fixture
def umask_000():
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def test_with_umask_000_the_shop_its_backups_and_exports_are_the_owners_alone(home, umask_000, monkeypatch):
    assert main(["init", "--manager-code", "003", "--manager-name", "王姐", "--manager-pin", "2580"]) == 0
    monkeypatch.setattr(sys, "stdin", __import__("io").StringIO("2580\n"))
    assert main(["backup", "--staff", "003"]) == 0
    written = export.write_csv(MANAGER, home / "exports" / "day-20261201.csv", "day", ["a"], [["1"]])
    assert {p.name: oct(mode(p)) for p in (home, home / "backups", home / "exports")} == {
        "home": "0o700",
        "backups": "0o700",
        "exports": "0o700",
    }
    assert mode(home / "shop.db") == 0o600 and mode(written) == 0o600
    (copy,) = (home / "backups").glob("shop-*.db")
    assert mode(copy) == 0o600


def test_a_link_planted_where_the_day_export_goes_is_replaced_not_followed(home, tmp_path):
    assert main(["init", "--manager-code", "003", "--manager-name", "王姐", "--manager-pin", "2580"]) == 0
    db = home / "shop.db"
    before = db.read_bytes()
    exports = home / "exports"
    exports.mkdir()
    target = exports / "day-20261201.csv"
    target.symlink_to("../shop.db")
    pid = os.getpid()  # the temporary names too: a link there is skipped, never opened
    for attempt in range(3):
        (exports / f".day-20261201.csv.{pid}.{attempt}.tmp").symlink_to("../shop.db")
    export.write_csv(MANAGER, target, "day", ["Till", "Net"], [["01", "3.00"]])
    assert db.read_bytes() == before
    assert not target.is_symlink() and target.read_text(encoding="utf-8-sig").startswith("Till,Net")
    assert mode(target) == 0o600
    assert main(["--db", str(db), "audit", "verify"]) == 0


def test_write_private_leaves_no_temporary_file_behind_when_it_fails(tmp_path):
    folder = tmp_path / "out"
    (folder / "day.csv").mkdir(parents=True)  # os.replace cannot put a file over a folder
    with pytest.raises(OSError):
        write_private(folder / "day.csv", b"x")
    assert [p.name for p in folder.iterdir()] == ["day.csv"]


class TestStartUpRefusesExposedData:
    @pytest.fixture
    def config(self, home):
        assert main(["init", "--manager-code", "003", "--manager-name", "王姐", "--manager-pin", "2580"]) == 0
        home.chmod(0o700)
        return load_config(env={"TUI_POS_HOME": str(home), "HOME": str(home)}, training=False)

    def test_a_private_shop_starts(self, config):
        refuse_exposed(config)

    def test_a_folder_its_group_may_write_is_refused_with_the_fix(self, config):
        config.data_dir.chmod(0o770)
        with pytest.raises(Conflict) as refused:
            refuse_exposed(config)
        assert f"fix it with: chmod 700 {config.data_dir}" in refused.value.message
        assert "(mode 0o770)" in refused.value.message

    def test_a_database_others_may_write_is_refused(self, config):
        config.db_path.chmod(0o606)
        with pytest.raises(Conflict) as refused:
            refuse_exposed(config)
        assert f"chmod 600 {config.db_path}" in refused.value.message

    def test_data_owned_by_another_user_is_refused(self, config):
        """As the till's user sees a folder another user made: its uid is not ours."""
        with pytest.raises(Conflict) as refused:
            refuse_exposed(config, uid=os.getuid() + 1)
        message = refused.value.message
        assert f"{config.data_dir} belongs to another user (uid {os.getuid()})" in message
        assert "sudo chown " in message and str(config.data_dir) in message

    def test_the_till_does_not_start(self, config, monkeypatch, capsys):
        def no_app(config):
            raise AssertionError("the till started on an exposed folder")

        monkeypatch.setattr("tui_pos.ui.app.make_app", no_app)
        config.data_dir.chmod(0o777)
        assert main(["run"]) == 1
        assert "can be changed by other users" in capsys.readouterr().err
