"""Ticket -> ESC/POS bytes, printer backends, and the print queue surviving printer faults."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest
from test_tickets import make_sale

from tui_pos.config import PrinterConfig
from tui_pos.devices.printer import (
    CHINESE_OFF,
    CHINESE_ON,
    EscposPrinter,
    Printer,
    PrinterError,
    TrainingPrinter,
    drawer_kick,
    encode_text,
    open_printer,
    render,
)
from tui_pos.devices.tickets import Item, Ticket, receipt
from tui_pos.domain.basket import Basket
from tui_pos.domain.tenders import TenderKind
from tui_pos.i18n import set_language
from tui_pos.services import catalog, checkout, printing
from tui_pos.services.context import Context
from tui_pos.store.models import PrintJobRow, SaleRow

from escpos_helpers import UnknownSequence, sequences, strip_escpos

GBK = PrinterConfig(encoding="gbk")


def text_lines(ticket: Ticket) -> list[str]:
    """What the paper should carry as text, in order: text items, the readable line under each
    barcode and empty feed lines."""
    out = []
    for item in ticket.items:
        if item.kind == "text":
            out.append(item.text)
        elif item.kind == "barcode":
            out.append(item.caption or item.text)
        elif item.kind == "feed":
            out.append("")
    return out


# --- the helper itself ------------------------------------------------------------------------


def test_strip_escpos_helper_knows_the_sequences():
    data = (
        b"\x1b@"
        + b"\x1ba\x01"
        + b"\x1bE\x01"
        + b"\x1d!\x11"
        + b"\x1c&"
        + "中".encode("gbk")
        + b"\x1c."
        + b"\x1d!\x00"
        + b"A\n"
        + b"\x1dh<\x1dw\x02\x1df\x00\x1dH\x02\x1dkI\x04{B12"
        + b"\x1d(k\x03\x001C\x05"
        + b"\x1bd\x06\x1dV\x00"
        + b"\x1bp\x0022"
        + b"\x1dVA\x10"
        + b"B"
    )
    assert strip_escpos(data) == "中".encode("gbk") + b"A\nB"
    assert sequences(b"\x1b@x\x1bE\x01")[1] == b"\x1bE\x01"
    with pytest.raises(UnknownSequence):
        strip_escpos(b"\x1b\x7b\x01")  # upside-down printing: nobody asked for it


# --- render -----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("width", [32, 48])
def test_render_decodes_to_the_ticket_text(config, language, width):
    set_language(language)
    cfg = replace(config, printer=replace(config.printer, width=width, encoding="gbk"))
    ticket = receipt(cfg, make_sale())
    data = render(ticket, cfg.printer)
    assert data.startswith(b"\x1b@")
    text = strip_escpos(data).decode("gbk")
    assert text.split("\n")[:-1] == text_lines(ticket)
    assert text.endswith("\n")
    # and the on-screen preview shows the same words on the same lines
    preview = [
        line for line, item in zip(ticket.preview().split("\n"), ticket.items, strict=True) if item.kind == "text"
    ]
    printed = [item.text for item in ticket.items if item.kind == "text"]
    assert [p.strip() for p in preview] == [p.strip() for p in printed]
    assert "\u00a5" not in text
    assert "￥32.27" in text


def test_render_styles_are_switched_back_off():
    ticket = Ticket(32, [Item("text", "大字 BIG", bold=True, double=True, align="center"), Item("text", "small")])
    data = render(ticket, GBK)
    seqs = sequences(data)
    assert seqs[:5] == [b"\x1b@", b"\x1c&", b"\x1ba\x01", b"\x1bE\x01", b"\x1d!\x11"]
    assert b"\x1d!\x00" in seqs and b"\x1bE\x00" in seqs
    assert seqs.index(b"\x1d!\x00") < seqs.index(b"\x1ba\x00")  # size reset before the next line
    assert strip_escpos(data).decode("gbk") == "大字 BIG\nsmall\n"


def test_fullwidth_yen_encodes_and_half_width_is_replaced():
    assert "￥".encode("gbk")
    with pytest.raises(UnicodeEncodeError):
        "\u00a5".encode("gbk")
    data = encode_text("\u00a512.50 ￥3", "gbk")
    assert strip_escpos(data).decode("gbk") == "?12.50 ￥3"  # counted one cell: never printed as two
    ticket = Ticket(32)
    ticket.text("价格 \u00a512.50")
    assert strip_escpos(render(ticket, GBK)).decode("gbk") == "价格 ￥12.50\n"
    assert strip_escpos(render(ticket, PrinterConfig(encoding="cp437"))).decode("cp437") == "????  \u00a512.50\n"


def test_lines_do_not_switch_chinese_mode():
    """FS & ends the line on some Chinese firmware: the job is switched once, never inside lines."""
    data = encode_text("ab中文cd", "gbk")
    assert data == b"ab" + "中文".encode("gbk") + b"cd"
    assert CHINESE_ON not in data and CHINESE_OFF not in data
    assert encode_text("plain", "gbk") == b"plain"


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "cp437", "cp858"])
def test_unencodable_characters_become_question_marks(encoding):
    data = encode_text("可乐🥤 ok", encoding)
    text = strip_escpos(data).decode(encoding, errors="strict")
    assert text.endswith("?? ok")  # the emoji took two cells in the layout, so two marks
    if encoding.startswith("gb"):
        assert text == "可乐?? ok"
    ticket = Ticket(32, [Item("text", "emoji 🥤🎉 表情")])
    rendered = render(ticket, PrinterConfig(encoding=encoding))
    assert rendered.startswith(b"\x1b@")


def test_barcode_bytes_carry_the_order_number():
    ticket = Ticket(32)
    ticket.number_codes("S01-20261122-0001")
    data = render(ticket, GBK)
    # the number without its dashes: S in code set B, its 14 digits in set C (one byte holds two)
    payload = b"{BS{C" + bytes([1, 20, 26, 11, 22, 0, 1])
    assert b"\x1dH\x00\x1dkI" + bytes([len(payload)]) + payload in data  # no HRI: the readable line below
    assert strip_escpos(data) == b"S01-20261122-0001\n"


def test_receipt_render_contains_barcode_and_cut(config):
    data = render(receipt(config, make_sale()), GBK)
    assert b"\x1dkI\x0b{BS{C" + bytes([20, 26, 11, 22, 0, 1]) in data  # S20261122-0001 without the dash
    assert b"\x1dV" in data  # cut


def test_qr_is_a_native_block():
    ticket = Ticket(32)
    ticket.qr("S20261122-0001")
    data = render(ticket, GBK)
    assert b"\x1d(k" in data and b"S20261122-0001" in data
    assert strip_escpos(data) == b""


def test_render_prints_nothing_on_stdout(capsys):
    ticket = Ticket(32)
    ticket.barcode("S1")
    render(ticket, GBK)
    assert capsys.readouterr().out == ""


# --- printers ---------------------------------------------------------------------------------


def test_training_printer_collects_bytes_and_counts_drawer_kicks():
    printer = TrainingPrinter(drawer_pin=2)
    printer.send(b"abc")
    printer.send(b"def")
    assert printer.output == b"abcdef"
    printer.kick_drawer()
    printer.kick_drawer()
    assert printer.drawer_kicks == 2
    assert printer.output.count(b"\x1bp") == 2
    assert printer.output.endswith(drawer_kick(2))
    printer.close()


def test_drawer_kick_pins():
    assert drawer_kick(2).startswith(b"\x1bp\x00")
    assert drawer_kick(5).startswith(b"\x1bp\x01")


def test_open_printer_picks_backend(tmp_path):
    assert isinstance(open_printer(PrinterConfig(backend="training")), TrainingPrinter)
    assert isinstance(open_printer(PrinterConfig(backend="device", device=str(tmp_path / "lp0"))), EscposPrinter)


def test_escpos_device_backend_writes_the_bytes(tmp_path, config):
    target = tmp_path / "lp0"
    cfg = PrinterConfig(backend="device", device=str(target))
    data = render(receipt(config, make_sale()), cfg)
    printer = EscposPrinter(cfg)
    printer.send(data)
    printer.close()
    assert target.read_bytes() == data


def test_escpos_device_backend_missing_directory_raises_printer_error(tmp_path):
    cfg = PrinterConfig(backend="device", device=str(tmp_path / "no-such-dir" / "lp0"))
    printer = EscposPrinter(cfg)
    with pytest.raises(PrinterError) as info:
        printer.send(b"\x1b@hello\n")
    error = info.value
    assert error.message.startswith("Printer offline")
    assert "not found" in error.message
    assert "no-such-dir" not in error.message  # the path is for the owner's hint, not the cashier
    assert "no-such-dir" in error.hint
    set_language("zh")
    assert error.message.startswith("打印机离线")
    printer.close()


def test_unknown_backend_is_a_printer_error():
    with pytest.raises(PrinterError):
        EscposPrinter(PrinterConfig(backend="carrier-pigeon")).send(b"x")


# --- the print queue --------------------------------------------------------------------------


class FailingPrinter(Printer):
    def __init__(self) -> None:
        self.calls = 0

    def send(self, data: bytes) -> None:
        self.calls += 1
        raise PrinterError("Printer offline: no answer - check cable, power and paper", hint="unplugged")


def sell(ctx, cashier) -> checkout.SaleResult:
    basket = Basket()
    basket.add(catalog.product_for_scan("6901"), 2)
    basket.add(catalog.product_for_scan("6902"))
    plan = checkout.new_plan(ctx, basket)
    plan.add(TenderKind.CASH, 5000)
    return checkout.complete_sale(ctx, cashier, basket, plan)


def test_failed_print_keeps_the_job_and_the_sale(ctx, cashier):
    fctx = Context(ctx.config, clock=lambda: datetime(2026, 11, 22, 10, 0))
    result = sell(fctx, cashier)

    failing = FailingPrinter()
    outcome = printing.print_job(fctx, result.print_job_id, kick_drawer=True, printer=failing)
    assert outcome.ok is False
    assert "Printer offline" in outcome.error and outcome.hint == "unplugged"
    assert failing.calls == 2  # the ticket, then the drawer anyway: change must still be given
    assert "Printer offline" in outcome.drawer_error
    job = PrintJobRow.get_by_id(result.print_job_id)
    assert job.status == "queued"
    assert job.attempts == 1
    assert "Printer offline" in job.last_error
    assert SaleRow.get_by_id(result.sale_id).status == "completed"
    assert [j.id for j in printing.waiting_jobs(ctx)] == [result.print_job_id]

    good = TrainingPrinter()
    outcome = printing.print_job(fctx, result.print_job_id, kick_drawer=True, printer=good)
    assert outcome.ok is True and outcome.error == ""
    job = PrintJobRow.get_by_id(result.print_job_id)
    assert (job.status, job.attempts, job.last_error) == ("printed", 2, "")
    assert good.drawer_kicks == 1
    assert good.output.startswith(outcome.data)
    assert result.order_no in strip_escpos(outcome.data).decode("gbk")
    assert printing.waiting_count(ctx) == 0


def test_print_job_with_the_training_backend(ctx, cashier):
    """Training mode's printer (config.py gives it to training mode only; a live till gets none)."""
    tctx = Context(replace(ctx.config, training=True, printer=replace(ctx.config.printer, backend="training")))
    result = sell(tctx, cashier)
    outcome = printing.print_job(tctx, result.print_job_id)
    assert outcome.ok
    assert outcome.data.startswith(b"\x1b@")
    assert PrintJobRow.get_by_id(result.print_job_id).status == "printed"


def test_print_job_to_a_missing_device_is_queued(ctx, cashier, tmp_path):
    cfg = replace(
        ctx.config, printer=replace(ctx.config.printer, backend="device", device=str(tmp_path / "gone" / "lp0"))
    )
    dctx = Context(cfg)
    result = sell(dctx, cashier)
    outcome = printing.print_job(dctx, result.print_job_id)
    assert not outcome.ok and "not found" in outcome.error
    job = PrintJobRow.get_by_id(result.print_job_id)
    assert (job.status, job.attempts) == ("queued", 1)
    assert SaleRow.get_by_id(result.sale_id).status == "completed"


# ---- python-escpos's printer database -----------------------------------------------------


def test_escpos_database_is_kept_in_a_private_folder(tmp_path):
    from tui_pos.devices.printer import _keep_escpos_capabilities

    env = {"XDG_CACHE_HOME": str(tmp_path)}
    _keep_escpos_capabilities(env)
    folder = tmp_path / "tui-pos" / "escpos"
    assert env["ESCPOS_CAPABILITIES_PICKLE_DIR"] == str(folder)
    assert folder.stat().st_mode & 0o777 == 0o700

    chosen = {"ESCPOS_CAPABILITIES_PICKLE_DIR": "/elsewhere", "XDG_CACHE_HOME": str(tmp_path)}
    _keep_escpos_capabilities(chosen)  # the owner's own setting wins
    assert chosen["ESCPOS_CAPABILITIES_PICKLE_DIR"] == "/elsewhere"

    folder.chmod(0o777)  # others could plant a pickle there: escpos keeps its temporary folder
    shared = {"XDG_CACHE_HOME": str(tmp_path)}
    _keep_escpos_capabilities(shared)
    assert "ESCPOS_CAPABILITIES_PICKLE_DIR" not in shared


def test_escpos_parses_its_database_once_per_install(tmp_path):
    """The first print of a run loads the pickled database instead of parsing YAML again, and
    no run leaves a temporary folder behind."""
    import json
    import subprocess
    import sys

    probe = (
        "import json, tempfile, tui_pos.devices.printer, escpos.capabilities as c; "
        "print(json.dumps([c.full_load, c.pickle_dir]))"
    )
    env = {"XDG_CACHE_HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    runs = [
        json.loads(
            subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True).stdout
        )
        for _ in range(2)
    ]
    folder = str(tmp_path / "tui-pos" / "escpos")
    assert runs == [[True, folder], [False, folder]]
