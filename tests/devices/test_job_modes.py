"""One Chinese mode per job, code pages from the profile, and the printable fallbacks
(issue 21): exact bytes, counted per job."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tui_pos.config import Config, ConfigError, PrinterConfig, load_config
from tui_pos.devices.encoding import CHINESE_OFF, CHINESE_ON, encode_text, gbk_only_chars
from tui_pos.devices.printer import PrinterError, paced_chunks, pacing_seconds, render
from tui_pos.devices.profiles import ProfileFacts, profile_facts
from tui_pos.devices.tickets import Item, Ticket

from escpos_helpers import strip_escpos

ESC_AT = b"\x1b@"


def text_job(width: int = 32) -> Ticket:
    """Every kind of text a receipt holds, two copies with a cut after each, no codes (whose
    picture bytes could hold 1C 26 by chance)."""
    t = Ticket(width)
    for _copy in range(2):
        t.text("好邻居便利店", double=True, bold=True, align="center")
        t.pair("可口可乐 330ml", "￥3.50")
        t.pair("Café crème x2", "\u00a57.00")
        t.text("Total 合计 ￥10.50", bold=True)
        t.feed()
        t.cut()
    return t


@pytest.mark.parametrize("profile", ["default", "POS-5890", "TM-T88V"])
@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_chinese_output_switches_once_per_job(profile, encoding):
    data = render(text_job(), PrinterConfig(encoding=encoding, profile=profile))
    assert data.startswith(ESC_AT + CHINESE_ON + b"\x1ba")
    assert data.count(CHINESE_ON) == 1
    assert data.count(CHINESE_OFF) == 0
    assert "可口可乐 330ml".encode(encoding) + b" " in data  # ASCII single bytes right beside Chinese


@pytest.mark.parametrize(
    ("profile", "encoding", "page"),
    [("default", "cp858", 19), ("TM-T88V", "cp1252", 16), ("TH230", "cp852", 2), ("POS-5890", "cp437", 0)],
)
def test_code_page_output_leaves_chinese_mode_and_reads_the_page_from_the_profile(profile, encoding, page):
    data = render(text_job(), PrinterConfig(encoding=encoding, profile=profile))
    assert data.startswith(ESC_AT + CHINESE_OFF + b"\x1bt" + bytes([page]) + b"\x1ba")
    assert data.count(CHINESE_OFF) == 1
    assert data.count(CHINESE_ON) == 0
    line = next(x for x in strip_escpos(data).decode(encoding).splitlines() if x.startswith("Caf"))
    name = line.split("  ")[0]  # cp852 has no yen sign: the amount may be ?? there
    assert "?" not in name and name.replace("é", "e").replace("è", "e") == "Cafe creme x2"


@pytest.mark.parametrize(("profile", "encoding"), [("ZJ-5870", "cp858"), ("TM-T88III", "cp852")])
def test_a_code_page_the_profile_lacks_is_refused_with_the_fix(tmp_path: Path, profile, encoding):
    with pytest.raises(PrinterError) as caught:
        render(text_job(), PrinterConfig(encoding=encoding, profile=profile))
    assert f"printer profile {profile} has no code page {encoding}" in caught.value.message
    assert "set [printer] encoding to one it has" in caught.value.message
    if profile == "TM-T88III":  # only pages a till can be set to are offered
        assert "(cp1252, cp437, cp850, cp858, cp860, cp863, cp865, cp866)" in caught.value.message
    user = tmp_path / "config.toml"
    user.write_text(f'[printer]\nprofile = "{profile}"\nencoding = "{encoding}"\n')
    with pytest.raises(ConfigError, match=f"has no code page {encoding}: set \\[printer\\] encoding"):
        load_config(user, env={})


def test_accented_latin_prints_as_the_base_letter_in_chinese_modes():
    assert encode_text("Café crème", "gbk") == b"Cafe creme"
    assert encode_text("Ångström Ñandú", "gb18030") == b"Angstrom Nandu"
    assert encode_text("Café", "cp1252") == "Café".encode("cp1252")  # a code page that has é keeps it


def test_gb2312_font_prints_gbk_only_characters_as_a_box():
    assert gbk_only_chars("陶喆的丼饭 喆") == "喆丼"
    assert encode_text("陶喆丼", "gbk", "gbk") == "陶喆丼".encode("gbk")
    assert encode_text("陶喆丼", "gbk", "gb2312") == "陶□□".encode("gbk")  # same cells, printable
    data = render(Ticket(32, [Item("text", "陶喆 x1")]), PrinterConfig(font="gb2312"))
    assert strip_escpos(data).decode("gbk") == "陶□ x1\n"


def test_tear_line_between_copies_when_the_profile_has_no_cutter():
    data = render(text_job(), PrinterConfig(profile="POS-5890"))
    assert b"\x1dV" not in data
    tear = b"\x1ba\x00" + b"- " * 16 + b"\n\x1bd\x04"
    assert data.count(tear) == 2
    first, second = data.split(tear)[:2]
    assert "好邻居便利店".encode("gbk") in first and "好邻居便利店".encode("gbk") in second


def test_cut_command_is_chosen_by_the_profile():
    assert render(Ticket(32, [Item("cut")]), PrinterConfig()).endswith(b"\x1bd\x06\x1dV\x00")
    both = ProfileFacts("x", None, {}, full_cut=True, part_cut=True)
    part_only = ProfileFacts("x", None, {}, full_cut=False, part_cut=True)
    none = ProfileFacts("x", None, {}, full_cut=False, part_cut=False)
    assert (both.cut_command(), part_only.cut_command(), none.cut_command()) == (b"\x1dV\x00", b"\x1dV\x01", b"")
    assert not profile_facts("ZJ-5870").has_cutter and profile_facts("TM-T88V").has_cutter


@pytest.mark.parametrize(("profile", "width"), [("TM-T88V", 42), ("TM-T20II", 48), ("POS-5890", 32), ("default", 32)])
def test_width_comes_from_the_profiles_dots_unless_set(tmp_path: Path, profile, width):
    user = tmp_path / "config.toml"
    user.write_text(f'[printer]\nprofile = "{profile}"\n')
    assert load_config(user, env={}).printer.width == width
    user.write_text(f'[printer]\nprofile = "{profile}"\nwidth = 48\n')
    assert load_config(user, env={}).printer.width == 48
    if width == 42:  # 512 dots: 42 columns of 12-dot Font A, never 48 (576 dots)
        assert profile_facts(profile).dots == 512


def test_serial_output_is_paced_without_flow_control():
    picture = bytes(16 * 1024)
    slept: list[float] = []
    cfg = PrinterConfig(backend="serial", baudrate=9600)
    chunks = list(paced_chunks(cfg, picture, slept.append))
    assert b"".join(chunks) == picture
    assert max(len(c) for c in chunks) <= 1024 and len(chunks) == 16
    # each pause lasts longer than the line takes to carry the piece: the 4 KB buffer never fills
    assert all(pause > 1024 * 10 / 9600 for pause in slept)
    assert pacing_seconds(cfg, len(picture)) > 16 * 1024 * 10 / 9600
    for paced_by_the_line in (replace(cfg, flow_control="rtscts"), replace(cfg, flow_control="xonxoff")):
        assert list(paced_chunks(paced_by_the_line, picture, slept.append)) == [picture]
    assert list(paced_chunks(PrinterConfig(backend="usb"), picture, slept.append)) == [picture]
    assert len(slept) == 16


def test_font_and_flow_control_settings_are_checked(tmp_path: Path):
    user = tmp_path / "config.toml"
    user.write_text('[printer]\nfont = "big5"\n')
    with pytest.raises(ConfigError, match="printer.font"):
        load_config(user, env={})
    user.write_text('[printer]\nfont = "gb2312"\nflow_control = "rtscts"\n')
    printer = load_config(user, env={}).printer
    assert (printer.font, printer.flow_control) == ("gb2312", "rtscts")
    assert isinstance(Config().printer, PrinterConfig)
