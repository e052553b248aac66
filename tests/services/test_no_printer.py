"""A live till with no printer never says printed: the training printer is training mode's
only, every ticket stays queued, and the test page says nothing came out."""

from __future__ import annotations

from tui_pos.cli import main
from tui_pos.config import load_config
from tui_pos.devices.printer import NoPrinter, open_printer
from tui_pos.domain.basket import Basket
from tui_pos.domain.tenders import TenderKind
from tui_pos.services import catalog, checkout, printing
from tui_pos.store.models import PrintJobRow, SaleRow


def env(tmp_path, **extra: str) -> dict[str, str]:
    return {"TUI_POS_HOME": str(tmp_path), "HOME": str(tmp_path), **extra}


def test_a_live_till_has_no_printer_until_one_is_set_up(tmp_path):
    assert load_config(env=env(tmp_path)).printer.backend == "none"
    assert isinstance(open_printer(load_config(env=env(tmp_path)).printer), NoPrinter)


def test_the_training_printer_is_never_the_live_printer(tmp_path):
    configured = tmp_path / "config.toml"
    configured.write_text('[printer]\nbackend = "training"\n')
    assert load_config(configured, env=env(tmp_path)).printer.backend == "none"
    assert load_config(env=env(tmp_path, TUI_POS_PRINTER_BACKEND="training")).printer.backend == "none"
    assert load_config(configured, env=env(tmp_path), training=True).printer.backend == "training"
    assert load_config(env=env(tmp_path, TUI_POS_PRINTER_BACKEND="usb")).printer.backend == "usb"


def sell(ctx, cashier) -> checkout.SaleResult:
    basket = Basket()
    basket.add(catalog.product_for_scan("6901"))
    plan = checkout.new_plan(ctx, basket)
    plan.add(TenderKind.CASH, 500)
    return checkout.complete_sale(ctx, cashier, basket, plan)


def test_a_sale_without_a_printer_stays_queued_and_is_never_printed(ctx, cashier):
    assert ctx.config.printer.backend == "none"  # the shared fixture is a live till as installed
    result = sell(ctx, cashier)

    outcome = printing.print_job(ctx, result.print_job_id, kick_drawer=True)
    assert not outcome.ok and outcome.ticket is None
    assert outcome.error == "No printer connected: the ticket waits in the print queue"
    assert "tui-pos setup printer" in outcome.hint
    assert "no printer connected" in outcome.drawer_error
    again = printing.retry_waiting(ctx, None)
    assert [o.ok for o in again] == [False]

    job = PrintJobRow.get_by_id(result.print_job_id)
    assert (job.status, job.attempts) == ("queued", 2)
    assert [j.id for j in printing.waiting_jobs(ctx)] == [result.print_job_id]
    assert SaleRow.get_by_id(result.sale_id).status == "completed"  # the sale itself stands


def test_no_drawer_without_a_printer(ctx, cashier):
    assert "no printer connected" in printing.open_drawer(ctx, cashier, "change")


def test_the_test_page_says_nothing_was_printed(config):
    result = printing.print_test_page(config, kick_drawer=True)
    assert not result.ok and result.data == b""
    assert result.message == "No printer is configured: nothing was printed"
    assert "no printer connected" in result.drawer_error


def test_printer_test_command_fails_without_a_printer(home, capsys):
    assert main(["printer", "test", "--drawer"]) == 1
    captured = capsys.readouterr()
    assert "Test page failed: No printer is configured: nothing was printed" in captured.err
    assert "tui-pos setup printer" in captured.err
    assert "Cash drawer did not open" in captured.err
    assert "sent" not in captured.out and "kicked" not in captured.out
