"""Who may refund an order: the store while its sale's changes wait unattempted, head office from
the moment an upload took them (take_batch reads and marks them in one write transaction)."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.store.test_outbox import sell

from tui_pos.store import fast, outbox
from tui_pos.store.models import SaleRow, database


def _sale_seqs(uid: str) -> list[int]:
    return [row[0] for row in fast.run("SELECT id FROM outbox WHERE tbl = 'sale' AND row_uid = ?", (uid,))]


def test_take_batch_marks_what_it_reads_attempted(ctx, cashier):
    sell(ctx, cashier, {"6901": 1})
    unsent = outbox.queue_status().unsent
    batch = outbox.take_batch(3)
    assert len(batch) == 3 and [c.seq for c in batch] == sorted(c.seq for c in batch)
    attempted = {row[0] for row in fast.run("SELECT id FROM outbox WHERE attempted_at IS NOT NULL")}
    assert attempted == {c.seq for c in batch}
    assert outbox.queue_status().attempted_unsent == 3 and outbox.queue_status().unsent == unsent
    again = outbox.take_batch(1000)  # attempted but unsent rows go again (head office skips them by uid)
    assert [c.seq for c in again][:3] == [c.seq for c in batch] and len(again) == unsent


def test_local_authority_ends_when_the_upload_starts(ctx, cashier):
    first = SaleRow.get_by_id(sell(ctx, cashier, {"6901": 1}))
    second = SaleRow.get_by_id(sell(ctx, cashier, {"6901": 1}))
    assert outbox.local_authority(first.uid) and outbox.local_authority(second.uid)
    seqs = _sale_seqs(first.uid)
    batch = outbox.take_batch(max(seqs))  # up to the first sale's row: the second's stay unattempted
    assert {c.seq for c in batch} >= set(seqs)
    assert not outbox.local_authority(first.uid)  # attempted, acknowledgement not back: head office's
    assert outbox.local_authority(second.uid)
    outbox.mark_sent([c.seq for c in batch])
    assert not outbox.local_authority(first.uid)
    outbox.prune(datetime.now() + timedelta(seconds=1))
    assert not _sale_seqs(first.uid) and not outbox.local_authority(first.uid)  # pruned: long at head office
    assert not outbox.local_authority("no-such-uid")


def test_the_authority_question_reads_an_index_not_the_whole_queue(ctx):
    """A month of sent changes stays in the outbox; step 1 asks about one sale among them."""
    connection = database.connection()
    asked: list[str] = []
    connection.set_trace_callback(asked.append)
    try:
        outbox.local_authority("no-such-sale")
    finally:
        connection.set_trace_callback(None)
    (sql,) = [s for s in asked if "FROM outbox" in s]
    plan = " ".join(str(row[-1]) for row in fast.run(f"EXPLAIN QUERY PLAN {sql}"))
    assert "outbox_sale" in plan, plan
