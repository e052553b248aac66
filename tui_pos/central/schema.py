"""Head office's tables: every synced store table, generated from `tui_pos.store.models` (the same
column names, so the store's report code runs here too), for all stores at once.

A row's central id is `store_no * SPAN + its local id`, so two stores' sale 1 are two rows and a
foreign key is remapped the same way; `store_no` is a generated column of every table. What the
stores promise is enforced here as constraints: one row per uid, one order (refund) number per
store, never more refunded than sold on a line, no money into a drawer after its Z. Foreign keys
are deferred to the commit, so an upload's rows may arrive in any order within its transaction.

Each registered store gets a schema `store_<no>` of views showing only its rows: a report for
one store is the same report run with `search_path = store_<no>`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import peewee
from peewee import AutoField, BooleanField, DateTimeField, ForeignKeyField, IntegerField, Model

from tui_pos.central.sql import run
from tui_pos.store.outbox import PRIVATE_COLUMNS, SYNCED

VERSION = 2  # 2: the chain's members and refunds (aliases, refund claims, member holds, conflicts)
SPAN = 10**10  # local ids stay below this: a store would need ten billion rows in one table

# What a store uploads and what never leaves it are the store's to say (store/outbox.py): head
# office holds exactly those tables and columns.
AGGREGATES = ("sale_day", "product_day", "category_day")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # id | fk | int | bool | time | text
    null: bool
    default: Any = None  # used when an upload lacks the column (a store one version behind)
    ref: str = ""  # the table a foreign key points at
    cascade: bool = False
    indexed: bool = False
    unique: bool = False  # unique within a store

    @property
    def sql_type(self) -> str:
        return {"bool": "BOOLEAN", "time": "TIMESTAMPTZ", "text": "TEXT"}.get(self.kind, "BIGINT")

    @property
    def array_type(self) -> str:
        return self.sql_type + "[]"


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)


def table_name(model: type[Model]) -> str:
    return str(model._meta.table_name)


def _column(field: peewee.Field) -> Column:
    default = None if callable(field.default) else field.default
    common: dict[str, Any] = dict(
        null=bool(field.null),
        default=default,
        indexed=bool(field.index),
        unique=bool(field.unique),
    )
    name = str(field.column_name)
    if isinstance(field, AutoField):
        return Column(name, "id", null=False)
    if isinstance(field, ForeignKeyField):
        cascade = str(field.on_delete or "").upper() == "CASCADE"
        common["indexed"] = True
        return Column(name, "fk", ref=table_name(field.rel_model), cascade=cascade, **common)
    if isinstance(field, BooleanField):
        return Column(name, "bool", **common)
    if isinstance(field, DateTimeField):
        return Column(name, "time", **common)
    if isinstance(field, IntegerField):
        return Column(name, "int", **common)
    return Column(name, "text", **common)


def _table(model: type[Model]) -> Table:
    name = table_name(model)
    private = PRIVATE_COLUMNS.get(name, frozenset())
    columns = [_column(f) for f in model._meta.sorted_fields if f.column_name not in private]
    columns = [Column("uid", "text", null=False) if c.name == "uid" else c for c in columns]
    if not any(c.name == "uid" for c in columns):  # a store model from before the uid
        columns.insert(1, Column("uid", "text", null=False))
    return Table(name, tuple(columns))


TABLES: tuple[Table, ...] = tuple(_table(m) for m in SYNCED)
BY_NAME: dict[str, Table] = {t.name: t for t in TABLES}


def q(name: str) -> str:
    return f'"{name}"'


def _table_sql(table: Table) -> str:
    parts = []
    for c in table.columns:
        if c.kind == "id":
            parts.append(f"{q(c.name)} BIGINT PRIMARY KEY")
        else:
            parts.append(f"{q(c.name)} {c.sql_type}{'' if c.null else ' NOT NULL'}")
    parts.append(f"store_no BIGINT GENERATED ALWAYS AS (id / {SPAN}) STORED")
    parts.append(f"CONSTRAINT {q(table.name + '_uid')} UNIQUE (uid)")
    for c in table.columns:
        if c.unique and c.name != "uid":
            parts.append(f"CONSTRAINT {q(f'{table.name}_{c.name}_per_store')} UNIQUE (store_no, {q(c.name)})")
    return f"CREATE TABLE IF NOT EXISTS {q(table.name)} (\n    " + ",\n    ".join(parts) + "\n)"


CHAIN_TABLES = (
    """CREATE TABLE IF NOT EXISTS central_version (version INT NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS chain_store (
        no SERIAL PRIMARY KEY, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL DEFAULT '',
        registered_at TIMESTAMPTZ NOT NULL DEFAULT now(), last_seen TIMESTAMPTZ, last_clock_skew_s INT)""",
    """CREATE TABLE IF NOT EXISTS received (
        uid UUID PRIMARY KEY, store_no BIGINT NOT NULL, seq BIGINT NOT NULL,
        at TIMESTAMPTZ NOT NULL DEFAULT now())""",
    """CREATE INDEX IF NOT EXISTS received_store_seq ON received (store_no, seq)""",
    """CREATE TABLE IF NOT EXISTS hq_change (
        seq BIGSERIAL PRIMARY KEY, kind TEXT NOT NULL, key TEXT NOT NULL, data JSONB NOT NULL,
        "by" TEXT NOT NULL DEFAULT '', at TIMESTAMPTZ NOT NULL DEFAULT now())""",
    # the daily totals of store/aggregates.py, per store; day is the store's local date (the
    # upload sets the session's time zone to the store's)
    """CREATE TABLE IF NOT EXISTS sale_day (
        store_no BIGINT NOT NULL, day TEXT NOT NULL, staff_id BIGINT NOT NULL, level TEXT NOT NULL,
        sales BIGINT NOT NULL, amount BIGINT NOT NULL, PRIMARY KEY (store_no, day, staff_id, level))""",
    """CREATE TABLE IF NOT EXISTS product_day (
        store_no BIGINT NOT NULL, product_id BIGINT NOT NULL, day TEXT NOT NULL,
        qty BIGINT NOT NULL, amount BIGINT NOT NULL, PRIMARY KEY (store_no, product_id, day))""",
    """CREATE TABLE IF NOT EXISTS category_day (
        store_no BIGINT NOT NULL, day TEXT NOT NULL, category TEXT NOT NULL,
        amount BIGINT NOT NULL, PRIMARY KEY (store_no, day, category))""",
    """CREATE INDEX IF NOT EXISTS sale_day_day ON sale_day (day)""",
    """CREATE INDEX IF NOT EXISTS product_day_day ON product_day (day)""",
    """CREATE INDEX IF NOT EXISTS category_day_day ON category_day (day)""",
    # a store's local id of a mirrored row (another store's order or member copied there)
    """CREATE TABLE IF NOT EXISTS id_alias (
        store_no BIGINT NOT NULL, tbl TEXT NOT NULL, local_id BIGINT NOT NULL, central_id BIGINT NOT NULL,
        at TIMESTAMPTZ NOT NULL DEFAULT now(), PRIMARY KEY (store_no, tbl, local_id))""",
    # units of a sale line taken by a store's refund before its refund line arrives
    """CREATE TABLE IF NOT EXISTS refund_claim (
        uid UUID PRIMARY KEY, sale_line_id BIGINT NOT NULL, qty INT NOT NULL CHECK (qty > 0),
        store_no BIGINT NOT NULL, refund_uid TEXT NOT NULL DEFAULT '', at TIMESTAMPTZ NOT NULL DEFAULT now())""",
    """CREATE INDEX IF NOT EXISTS refund_claim_line ON refund_claim (sale_line_id)""",
    # stored value or points debited online before the store's move row arrives
    """CREATE TABLE IF NOT EXISTS member_hold (
        uid UUID PRIMARY KEY, member_id BIGINT NOT NULL, amount INT NOT NULL DEFAULT 0,
        points INT NOT NULL DEFAULT 0, store_no BIGINT NOT NULL, at TIMESTAMPTZ NOT NULL DEFAULT now())""",
    """CREATE TABLE IF NOT EXISTS conflict (
        id BIGSERIAL PRIMARY KEY, store_no BIGINT NOT NULL, change_uid UUID UNIQUE, kind TEXT NOT NULL,
        tbl TEXT NOT NULL DEFAULT '', ref_no TEXT NOT NULL DEFAULT '', data JSONB NOT NULL DEFAULT '{}',
        error TEXT NOT NULL DEFAULT '', amount BIGINT NOT NULL DEFAULT 0, at TIMESTAMPTZ NOT NULL DEFAULT now(),
        resolved_at TIMESTAMPTZ, resolved_by TEXT NOT NULL DEFAULT '', resolution TEXT NOT NULL DEFAULT '')""",
    """CREATE INDEX IF NOT EXISTS conflict_open ON conflict (store_no) WHERE resolved_at IS NULL""",
)

# One member per card and per phone across the chain. A store that created one offline with a
# card or phone another store's member has keeps its row (its sales refer to it) marked as a
# duplicate, and a conflict says so; balance and points never go below zero.
MEMBERS = (
    """ALTER TABLE member ADD COLUMN IF NOT EXISTS duplicate_of BIGINT""",
    # members from before version 2 that another store had first
    """UPDATE member m SET duplicate_of = (
        SELECT min(o.id) FROM member o WHERE o.id < m.id AND o.store_no <> m.store_no
        AND (o.card_no = m.card_no OR (m.phone <> '' AND o.phone = m.phone)))
    WHERE m.duplicate_of IS NULL AND EXISTS (
        SELECT 1 FROM member o WHERE o.id < m.id AND o.store_no <> m.store_no
        AND (o.card_no = m.card_no OR (m.phone <> '' AND o.phone = m.phone)))""",
    """INSERT INTO conflict (store_no, kind, tbl, ref_no, data, error, amount)
    SELECT m.store_no, 'member', 'member', m.card_no,
        jsonb_build_object('uid', m.uid, 'card_no', m.card_no, 'phone', m.phone, 'name', m.name,
                           'duplicate_of', o.uid, 'other_store', COALESCE(s.code, '')),
        format('member %s (phone %s) has the card or phone of member %s (card %s, phone %s) of store %s',
               m.card_no, m.phone, o.name, o.card_no, o.phone, COALESCE(s.code, '')),
        m.balance
    FROM member m JOIN member o ON o.id = m.duplicate_of LEFT JOIN chain_store s ON s.no = o.store_no
    WHERE NOT EXISTS (SELECT 1 FROM conflict c WHERE c.kind = 'member' AND c.data->>'uid' = m.uid)""",
    """CREATE UNIQUE INDEX IF NOT EXISTS member_card_chain ON member (card_no) WHERE duplicate_of IS NULL""",
    """CREATE UNIQUE INDEX IF NOT EXISTS member_phone_chain ON member (phone)
        WHERE duplicate_of IS NULL AND phone <> ''""",
)
CHECKS = (
    ("member", "member_balance_not_negative", "balance >= 0"),
    ("member", "member_points_not_negative", "points >= 0"),
)

_DAY = "to_char({t}.created_at, 'YYYY-MM-DD')"  # in the session's zone: the store's, during an upload
_LEVEL = "COALESCE((SELECT level FROM public.member WHERE id = {t}.member_id), '')"

FUNCTIONS = (
    # refunded <= sold per sale line, counting refunds that are not rejected or cancelled; checked
    # at the commit, so a refund's lines and status may arrive in any order within an upload
    """CREATE OR REPLACE FUNCTION central_check_refunded(line_id BIGINT) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE sold BIGINT; back BIGINT;
    BEGIN
        IF line_id IS NULL THEN RETURN; END IF;
        -- the line is locked: a claim (central/refunds.py) and an upload of the same line wait in turn
        SELECT qty INTO sold FROM public.sale_line WHERE id = line_id FOR UPDATE;
        IF sold IS NULL THEN RETURN; END IF;  -- the foreign key names a missing line
        SELECT COALESCE(SUM(rl.qty), 0) INTO back FROM public.refund_line rl
            JOIN public.refund r ON r.id = rl.refund_id
            WHERE rl.sale_line_id = line_id AND r.status NOT IN ('rejected', 'cancelled');
        back := back + COALESCE((SELECT SUM(c.qty) FROM public.refund_claim c WHERE c.sale_line_id = line_id), 0);
        IF back > sold THEN
            RAISE EXCEPTION 'sale line % (store %): % refunded but % sold', line_id % """
    + str(SPAN)
    + """, line_id / """
    + str(SPAN)
    + """, back, sold
                USING ERRCODE = 'check_violation';
        END IF;
    END $$""",
    """CREATE OR REPLACE FUNCTION central_refund_line_check() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    BEGIN
        PERFORM central_check_refunded(NEW.sale_line_id);
        RETURN NULL;
    END $$""",
    """CREATE OR REPLACE FUNCTION central_refund_check() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE line BIGINT;
    BEGIN
        FOR line IN SELECT DISTINCT sale_line_id FROM public.refund_line WHERE refund_id = NEW.id LOOP
            PERFORM central_check_refunded(line);
        END LOOP;
        RETURN NULL;
    END $$""",
    # a refund line settles the claim of the same uid (its units were counted by the claim)
    """CREATE OR REPLACE FUNCTION central_uuid(t TEXT) RETURNS UUID
    LANGUAGE sql IMMUTABLE AS $$
        SELECT CASE WHEN t ~* '^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$' THEN t::uuid END
    $$""",
    """CREATE OR REPLACE FUNCTION central_refund_line_settle() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    BEGIN
        DELETE FROM public.refund_claim WHERE uid = central_uuid(NEW.uid);
        RETURN NULL;
    END $$""",
    # balance and points follow the ledger; a move settles the online debit (hold) of its uid,
    # which took the money already. Imported moves are already in the member's first row.
    *(
        f"""CREATE OR REPLACE FUNCTION central_{table}_apply() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE held RECORD;
    BEGIN
        IF NEW.reason = 'import' THEN RETURN NULL; END IF;
        SELECT member_id, {column} AS value INTO held FROM public.member_hold
            WHERE uid = central_uuid(NEW.uid) FOR UPDATE;
        IF FOUND THEN
            UPDATE public.member_hold SET {column} = 0 WHERE uid = central_uuid(NEW.uid);
            DELETE FROM public.member_hold WHERE uid = central_uuid(NEW.uid) AND amount = 0 AND points = 0;
            IF held.value <> 0 THEN
                UPDATE public.member SET {field} = {field} + held.value WHERE id = held.member_id;
            END IF;
        END IF;
        IF NEW.{column} <> 0 THEN
            UPDATE public.member SET {field} = {field} + NEW.{column} WHERE id = NEW.member_id;
        END IF;
        RETURN NULL;
    END $$"""
        for table, column, field in (("stored_value_move", "amount", "balance"), ("points_move", "points", "points"))
    ),
    # a member with another member's card or phone: kept apart as a duplicate, and said so
    f"""CREATE OR REPLACE FUNCTION central_member_duplicate() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE other RECORD;
    BEGIN
        IF NEW.duplicate_of IS NOT NULL OR EXISTS (SELECT 1 FROM public.member WHERE uid = NEW.uid) THEN
            RETURN NEW;
        END IF;
        SELECT m.id, m.uid, m.card_no, m.phone, m.name, COALESCE(s.code, '') AS code INTO other
            FROM public.member m LEFT JOIN public.chain_store s ON s.no = m.store_no
            WHERE m.duplicate_of IS NULL AND (m.card_no = NEW.card_no OR (NEW.phone <> '' AND m.phone = NEW.phone))
            ORDER BY m.id LIMIT 1;
        IF FOUND THEN
            NEW.duplicate_of := other.id;
            INSERT INTO public.conflict (store_no, kind, tbl, ref_no, data, error, amount)
            VALUES (NEW.id / {SPAN}, 'member', 'member', NEW.card_no,
                jsonb_build_object('uid', NEW.uid, 'card_no', NEW.card_no, 'phone', NEW.phone, 'name', NEW.name,
                    'duplicate_of', other.uid, 'other_store', other.code),
                format('member %s (phone %s) has the card or phone of member %s (card %s, phone %s) of store %s',
                    NEW.card_no, NEW.phone, other.name, other.card_no, other.phone, other.code),
                NEW.balance);
        END IF;
        RETURN NEW;
    END $$""",
    # no payment or cash move into a drawer after its Z: by time, so history uploaded after the
    # close (a shop joining the chain) is accepted, and in whichever order the rows come
    *(
        f"""CREATE OR REPLACE FUNCTION central_{table}_in_open_shift() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE closed TIMESTAMPTZ;
    BEGIN
        IF NEW.shift_id IS NULL THEN RETURN NEW; END IF;
        SELECT closed_at INTO closed FROM public.shift WHERE id = NEW.shift_id AND status = 'closed';
        IF closed IS NOT NULL AND NEW.{moved} > closed THEN
            RAISE EXCEPTION '{table} % (store %) at % goes into shift %, closed at %',
                NEW.id % {SPAN}, NEW.id / {SPAN}, NEW.{moved}, NEW.shift_id % {SPAN}, closed
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END $$"""
        for table, moved in (("payment", "created_at"), ("cash_move", "at"))
    ),
    """CREATE OR REPLACE FUNCTION central_shift_close_check() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE late TIMESTAMPTZ;
    BEGIN
        IF NEW.status <> 'closed' OR NEW.closed_at IS NULL THEN RETURN NULL; END IF;
        SELECT max(t) INTO late FROM (
            SELECT created_at AS t FROM public.payment WHERE shift_id = NEW.id
            UNION ALL SELECT at FROM public.cash_move WHERE shift_id = NEW.id) moves;
        IF late > NEW.closed_at THEN
            RAISE EXCEPTION 'shift % (store %) closed at % but money moved in it at %',
                NEW.id % """
    + str(SPAN)
    + """, NEW.id / """
    + str(SPAN)
    + """, NEW.closed_at, late
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
    END $$""",
    # daily totals, the same meaning as store/aggregates.py's SQLite triggers
    f"""CREATE OR REPLACE FUNCTION central_sale_day_add() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    BEGIN
        INSERT INTO public.sale_day (store_no, day, staff_id, level, sales, amount)
        VALUES (NEW.id / {SPAN}, {_DAY.format(t="NEW")}, NEW.staff_id, {_LEVEL.format(t="NEW")}, 1, NEW.total)
        ON CONFLICT (store_no, day, staff_id, level)
        DO UPDATE SET sales = sale_day.sales + 1, amount = sale_day.amount + EXCLUDED.amount;
        RETURN NULL;
    END $$""",
    f"""CREATE OR REPLACE FUNCTION central_sale_line_day_add() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    BEGIN
        INSERT INTO public.product_day (store_no, product_id, day, qty, amount)
        SELECT NEW.id / {SPAN}, NEW.product_id, {_DAY.format(t="s")}, NEW.qty, NEW.paid FROM public.sale s
        WHERE s.id = NEW.sale_id AND s.status = 'completed'
        ON CONFLICT (store_no, product_id, day)
        DO UPDATE SET qty = product_day.qty + EXCLUDED.qty, amount = product_day.amount + EXCLUDED.amount;
        INSERT INTO public.category_day (store_no, day, category, amount)
        SELECT NEW.id / {SPAN}, {_DAY.format(t="s")}, NEW.category, NEW.paid FROM public.sale s
        WHERE s.id = NEW.sale_id AND s.status = 'completed'
        ON CONFLICT (store_no, day, category) DO UPDATE SET amount = category_day.amount + EXCLUDED.amount;
        RETURN NULL;
    END $$""",
    f"""CREATE OR REPLACE FUNCTION central_sale_day_void() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE store BIGINT := OLD.id / {SPAN}; d TEXT := {_DAY.format(t="OLD")};
    BEGIN
        UPDATE public.sale_day SET sales = sales - 1, amount = amount - OLD.total
        WHERE store_no = store AND day = d AND staff_id = OLD.staff_id AND level = {_LEVEL.format(t="OLD")};
        UPDATE public.product_day p SET qty = p.qty - l.qty, amount = p.amount - l.paid
        FROM (SELECT product_id, SUM(qty) AS qty, SUM(paid) AS paid FROM public.sale_line
              WHERE sale_id = OLD.id GROUP BY product_id) l
        WHERE p.store_no = store AND p.day = d AND p.product_id = l.product_id;
        UPDATE public.category_day c SET amount = c.amount - l.paid
        FROM (SELECT category, SUM(paid) AS paid FROM public.sale_line
              WHERE sale_id = OLD.id GROUP BY category) l
        WHERE c.store_no = store AND c.day = d AND c.category = l.category;
        RETURN NULL;
    END $$""",
)

# What a store asks head office about the whole chain (central/refunds.py, members.py,
# conflicts.py). A store's role sees only its own rows (store_role_sql); these functions answer
# with the owner's rights, and only what the question needs: one order by its number, the
# members matching what was typed, a guarded debit, a locked count of what is left to refund.
_REFUNDED = (
    "COALESCE((SELECT SUM(rl.qty) FROM public.refund_line rl JOIN public.refund r ON r.id = rl.refund_id "
    "WHERE rl.sale_line_id = l.id AND r.status NOT IN ('rejected', 'cancelled')), 0) "
    "+ COALESCE((SELECT SUM(c.qty) FROM public.refund_claim c WHERE c.sale_line_id = l.id), 0)"
)
CHAIN_API = (
    f"""CREATE OR REPLACE FUNCTION central_order(p_order_no TEXT, p_store_code TEXT) RETURNS jsonb
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE head RECORD;
    BEGIN
        SELECT s.id, s.uid, s.order_no, s.created_at, s.status, s.training, s.subtotal, s.discount, s.total,
               s.points_earned, s.points_redeemed, s.store_no, COALESCE(cs.code, '') AS store_code,
               m.uid AS member_uid, m.card_no AS member_card, m.name AS member_name INTO head
            FROM public.sale s LEFT JOIN public.chain_store cs ON cs.no = s.store_no
            LEFT JOIN public.member m ON m.id = s.member_id
            WHERE s.order_no = p_order_no AND (p_store_code IS NULL OR cs.code = p_store_code)
            ORDER BY s.created_at DESC, s.id DESC LIMIT 1;
        IF NOT FOUND THEN RETURN NULL; END IF;
        RETURN jsonb_build_object(
            'head', to_jsonb(head),
            'lines', COALESCE((SELECT jsonb_agg(to_jsonb(x) ORDER BY x.line_no, x.id) FROM (
                SELECT l.id, l.uid, l.line_no, l.barcode, l.name, l.category, l.qty, l.list_price, l.unit_price,
                       l.discount, l.paid, {_REFUNDED} AS refunded
                FROM public.sale_line l WHERE l.sale_id = head.id) x), '[]'::jsonb),
            'payments', COALESCE((SELECT jsonb_agg(to_jsonb(x) ORDER BY x.id) FROM (
                SELECT p.id, p.tender, p.amount, p.reference FROM public.payment p
                WHERE p.sale_id = head.id AND p.refund_id IS NULL) x), '[]'::jsonb),
            'refunds', COALESCE((SELECT jsonb_agg(to_jsonb(x) ORDER BY x.created_at, x.id) FROM (
                SELECT r.id, r.refund_no, COALESCE(cs.code, '') AS store_code, r.amount, r.status, r.created_at
                FROM public.refund r LEFT JOIN public.chain_store cs ON cs.no = r.store_no
                WHERE r.sale_id = head.id) x), '[]'::jsonb));
    END $$""",
    # the order's lines locked (a claim of another store waits here), then what is left of each
    f"""CREATE OR REPLACE FUNCTION central_lock_order(p_sale_uid TEXT) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE head RECORD; lines jsonb;
    BEGIN
        SELECT s.id, s.order_no, s.status INTO head FROM public.sale s WHERE s.uid = p_sale_uid;
        IF NOT FOUND THEN RETURN NULL; END IF;
        PERFORM 1 FROM public.sale_line WHERE sale_id = head.id ORDER BY id FOR UPDATE;
        SELECT jsonb_agg(jsonb_build_object('id', l.id, 'uid', l.uid, 'qty', l.qty, 'name', l.name,
                                            'refunded', {_REFUNDED}) ORDER BY l.id) INTO lines
            FROM public.sale_line l WHERE l.sale_id = head.id;
        RETURN jsonb_build_object('id', head.id, 'order_no', head.order_no, 'status', head.status,
                                  'lines', COALESCE(lines, '[]'::jsonb));
    END $$""",
    """CREATE OR REPLACE FUNCTION central_line_ref(p_line_id BIGINT) RETURNS jsonb
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT jsonb_build_object('order_no', s.order_no, 'uid', l.uid, 'unit_price', l.unit_price)
        FROM public.sale_line l JOIN public.sale s ON s.id = l.sale_id WHERE l.id = p_line_id
    $$""",
    """CREATE OR REPLACE FUNCTION central_member_json(m public.member) RETURNS jsonb
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT jsonb_build_object('uid', m.uid, 'store_code', COALESCE((SELECT code FROM public.chain_store
            WHERE no = m.store_no), ''), 'card_no', m.card_no, 'phone', m.phone, 'phone_tail', m.phone_tail,
            'name', m.name, 'level', m.level, 'points', m.points, 'balance', m.balance, 'joined', m.joined,
            'held', COALESCE((SELECT SUM(h.amount) FROM public.member_hold h WHERE h.member_id = m.id), 0),
            'held_points', COALESCE((SELECT SUM(h.points) FROM public.member_hold h WHERE h.member_id = m.id), 0))
    $$""",
    """CREATE OR REPLACE FUNCTION central_member(p_uid TEXT) RETURNS jsonb
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT central_member_json(m) FROM public.member m WHERE m.uid = p_uid
    $$""",
    """CREATE OR REPLACE FUNCTION central_find_members(p_text TEXT, p_limit INT) RETURNS jsonb
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT COALESCE(jsonb_agg(j ORDER BY exact DESC, name, id), '[]'::jsonb) FROM (
            SELECT central_member_json(m) AS j, (m.card_no = p_text OR m.phone = p_text) AS exact, m.name, m.id
            FROM public.member m
            WHERE m.duplicate_of IS NULL AND (m.card_no = p_text OR m.phone = p_text
                OR (p_text ~ '^[0-9]{4}$' AND m.phone_tail = p_text)
                OR m.name ILIKE '%' || replace(replace(replace(p_text, '\', '\\'), '%', '\\%'), '_', '\\_') || '%')
            ORDER BY exact DESC, m.name, m.id LIMIT p_limit) found
    $$""",
    """CREATE OR REPLACE FUNCTION central_member_history(p_uid TEXT, p_limit INT) RETURNS jsonb
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE ids BIGINT[];
    BEGIN
        SELECT array_agg(id) INTO ids FROM (
            SELECT m.id FROM public.member m WHERE m.uid = p_uid
            UNION SELECT d.id FROM public.member d JOIN public.member m ON d.duplicate_of = m.id
            WHERE m.uid = p_uid) x;
        IF ids IS NULL THEN RETURN NULL; END IF;
        RETURN jsonb_build_object(
            'sales', COALESCE((SELECT jsonb_agg(to_jsonb(x) ORDER BY x.created_at DESC, x.id DESC) FROM (
                SELECT s.id, COALESCE(cs.code, '') AS store_code, s.order_no, s.created_at, s.status, s.total,
                       s.points_earned, s.points_redeemed
                FROM public.sale s LEFT JOIN public.chain_store cs ON cs.no = s.store_no
                WHERE s.member_id = ANY(ids) AND NOT s.training
                ORDER BY s.created_at DESC, s.id DESC LIMIT p_limit) x), '[]'::jsonb),
            'refunds', COALESCE((SELECT jsonb_agg(to_jsonb(x) ORDER BY x.created_at DESC, x.id DESC) FROM (
                SELECT r.id, COALESCE(cs.code, '') AS store_code, r.refund_no, COALESCE(s.order_no, '') AS order_no,
                       r.created_at, r.status, r.amount
                FROM public.refund r LEFT JOIN public.sale s ON s.id = r.sale_id
                LEFT JOIN public.chain_store cs ON cs.no = r.store_no
                WHERE (r.member_id = ANY(ids) OR s.member_id = ANY(ids)) AND NOT r.training
                ORDER BY r.created_at DESC, r.id DESC LIMIT p_limit) x), '[]'::jsonb));
    END $$""",
    # stored value and points taken at once and guarded: never below zero, whoever pays at once
    """CREATE OR REPLACE FUNCTION central_debit(p_uid TEXT, p_amount INT, p_points INT) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE taken BIGINT; there RECORD;
    BEGIN
        UPDATE public.member SET balance = balance - p_amount, points = points - p_points
            WHERE uid = p_uid AND balance >= p_amount AND points >= p_points RETURNING id INTO taken;
        IF taken IS NOT NULL THEN RETURN jsonb_build_object('id', taken); END IF;
        SELECT name, balance, points INTO there FROM public.member WHERE uid = p_uid;
        IF NOT FOUND THEN RETURN NULL; END IF;
        RETURN jsonb_build_object('refused', true, 'name', there.name, 'balance', there.balance,
                                  'points', there.points);
    END $$""",
    # a stale online debit given back (its sale never came): the member gets what it took
    """CREATE OR REPLACE FUNCTION central_release_hold(p_uid UUID) RETURNS BOOLEAN
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE held RECORD;
    BEGIN
        DELETE FROM public.member_hold WHERE uid = p_uid RETURNING member_id, amount, points INTO held;
        IF NOT FOUND THEN RETURN false; END IF;
        UPDATE public.member SET balance = balance + held.amount, points = points + held.points
            WHERE id = held.member_id;
        RETURN true;
    END $$""",
    # a store's alias names another store's row, which its role cannot see
    """CREATE OR REPLACE FUNCTION central_id_of(p_table TEXT, p_uid TEXT) RETURNS BIGINT
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE found BIGINT;
    BEGIN
        IF NOT p_table = ANY({tables}) THEN
            RAISE EXCEPTION 'head office holds no table %', p_table USING ERRCODE = 'undefined_table';
        END IF;
        EXECUTE format('SELECT id FROM public.%I WHERE uid = $1', p_table) INTO found USING p_uid;
        RETURN found;
    END $$""".replace("{tables}", "ARRAY[" + ", ".join(f"'{t.name}'" for t in TABLES) + "]"),
    # claims and holds unsettled for p_secs become conflicts (once); those settled since are closed
    """CREATE OR REPLACE FUNCTION central_record_stale(p_secs INT) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    BEGIN
        INSERT INTO public.conflict (store_no, change_uid, kind, tbl, ref_no, data, error, amount, at)
        SELECT c.store_no, c.uid, 'claim', 'refund_claim', s.order_no,
            jsonb_build_object('sale_line', l.uid, 'name', l.name, 'qty', c.qty, 'refund_uid', c.refund_uid,
                               'claimed_at', c.at),
            format('%s x %s of order %s claimed for a refund at %s: the refund never arrived',
                   c.qty, l.name, s.order_no, to_char(c.at, 'YYYY-MM-DD HH24:MI')),
            CASE WHEN l.qty > 0 THEN l.paid * c.qty / l.qty ELSE 0 END, now()
        FROM public.refund_claim c JOIN public.sale_line l ON l.id = c.sale_line_id
        JOIN public.sale s ON s.id = l.sale_id
        WHERE c.at < now() - make_interval(secs => p_secs) ON CONFLICT (change_uid) DO NOTHING;
        INSERT INTO public.conflict (store_no, change_uid, kind, tbl, ref_no, data, error, amount, at)
        SELECT h.store_no, h.uid, 'hold', 'member_hold', m.card_no,
            jsonb_build_object('member', m.uid, 'name', m.name, 'amount', h.amount, 'points', h.points,
                               'held_at', h.at),
            format('%s stored value and %s points of member %s taken online at %s: the sale never arrived',
                   to_char(h.amount / 100.0, 'FM999999990.00'), h.points, m.card_no,
                   to_char(h.at, 'YYYY-MM-DD HH24:MI')),
            h.amount, now()
        FROM public.member_hold h JOIN public.member m ON m.id = h.member_id
        WHERE h.at < now() - make_interval(secs => p_secs) ON CONFLICT (change_uid) DO NOTHING;
        UPDATE public.conflict c SET resolved_at = now(), resolved_by = 'head office',
            resolution = CASE c.kind WHEN 'claim' THEN 'settled: the refund arrived'
                         ELSE 'settled: the sale arrived' END
        WHERE c.kind IN ('claim', 'hold') AND c.resolved_at IS NULL
            AND NOT EXISTS (SELECT 1 FROM public.refund_claim r WHERE r.uid = c.change_uid)
            AND NOT EXISTS (SELECT 1 FROM public.member_hold h WHERE h.uid = c.change_uid);
    END $$""",
)
API_SIGNATURES = (
    "central_order(TEXT, TEXT)",
    "central_lock_order(TEXT)",
    "central_line_ref(BIGINT)",
    "central_member_json(public.member)",
    "central_member(TEXT)",
    "central_find_members(TEXT, INT)",
    "central_member_history(TEXT, INT)",
    "central_debit(TEXT, INT, INT)",
    "central_release_hold(UUID)",
    "central_id_of(TEXT, TEXT)",
    "central_record_stale(INT)",
)

# A store registers itself through this (its role needs no right to create schemas): the row in
# chain_store and its schema of views, made with the owner's rights.
REGISTER = (
    """CREATE OR REPLACE FUNCTION central_register_store(p_code TEXT, p_name TEXT) RETURNS BIGINT
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    DECLARE n BIGINT; t TEXT;
    BEGIN
        INSERT INTO chain_store (code, name) VALUES (p_code, p_name)
        -- a store's sync never renames it once head office named it (central grant --name), nor another store
        ON CONFLICT (code) DO UPDATE SET name = CASE WHEN chain_store.name IN ('', chain_store.code)
            THEN EXCLUDED.name ELSE chain_store.name END RETURNING no INTO n;
        EXECUTE format('CREATE SCHEMA IF NOT EXISTS %I', 'store_' || n);
        FOREACH t IN ARRAY {tables} LOOP
            EXECUTE format('CREATE OR REPLACE VIEW %I.%I AS SELECT * FROM public.%I WHERE store_no = %s',
                           'store_' || n, t, t, n);
        END LOOP;
        RETURN n;
    END $$""".replace(
        "{tables}", "ARRAY[" + ", ".join(f"'{t.name}'" for t in TABLES) + ", 'sale_day', 'product_day', 'category_day']"
    ),
    """CREATE OR REPLACE FUNCTION central_store_seen(p_no BIGINT, p_skew INT) RETURNS void
    LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
        UPDATE chain_store SET last_seen = now(), last_clock_skew_s = p_skew WHERE no = p_no
    $$""",
)

TRIGGERS = (
    """CREATE CONSTRAINT TRIGGER refund_line_within_sold AFTER INSERT OR UPDATE ON refund_line
       DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION central_refund_line_check()""",
    """CREATE CONSTRAINT TRIGGER refund_within_sold AFTER UPDATE OF status ON refund
       DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION central_refund_check()""",
    """CREATE TRIGGER payment_in_open_shift BEFORE INSERT OR UPDATE ON payment
       FOR EACH ROW EXECUTE FUNCTION central_payment_in_open_shift()""",
    """CREATE TRIGGER cash_move_in_open_shift BEFORE INSERT OR UPDATE ON cash_move
       FOR EACH ROW EXECUTE FUNCTION central_cash_move_in_open_shift()""",
    """CREATE TRIGGER shift_close_after_moves AFTER INSERT OR UPDATE ON shift
       FOR EACH ROW EXECUTE FUNCTION central_shift_close_check()""",
    """CREATE TRIGGER refund_line_settles_claim AFTER INSERT ON refund_line
       FOR EACH ROW EXECUTE FUNCTION central_refund_line_settle()""",
    """CREATE TRIGGER stored_value_move_apply AFTER INSERT ON stored_value_move
       FOR EACH ROW EXECUTE FUNCTION central_stored_value_move_apply()""",
    """CREATE TRIGGER points_move_apply AFTER INSERT ON points_move
       FOR EACH ROW EXECUTE FUNCTION central_points_move_apply()""",
    """CREATE TRIGGER member_duplicate BEFORE INSERT ON member
       FOR EACH ROW EXECUTE FUNCTION central_member_duplicate()""",
    """CREATE TRIGGER sale_day_add AFTER INSERT ON sale FOR EACH ROW WHEN (NEW.status = 'completed')
       EXECUTE FUNCTION central_sale_day_add()""",
    """CREATE TRIGGER sale_line_day_add AFTER INSERT ON sale_line
       FOR EACH ROW EXECUTE FUNCTION central_sale_line_day_add()""",
    """CREATE TRIGGER sale_day_void AFTER UPDATE OF status ON sale
       FOR EACH ROW WHEN (OLD.status = 'completed' AND NEW.status <> 'completed')
       EXECUTE FUNCTION central_sale_day_void()""",
)


def _trigger_name(sql: str) -> tuple[str, str]:
    words = sql.split()
    name = words[words.index("TRIGGER") + 1]
    return name, words[words.index("ON") + 1]


def _has(db: peewee.Database, sql: str, params: tuple[Any, ...]) -> bool:
    return run(db, sql, params).fetchone() is not None


def version(db: peewee.Database) -> int | None:
    """The schema's version, None when head office's tables were never made here."""
    if not _has(db, "SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = 'central_version'", ()):
        return None
    row = run(db, "SELECT max(version) FROM central_version").fetchone()
    return None if row is None or row[0] is None else int(row[0])


def _install(db: peewee.Database) -> None:
    """Everything, idempotently: tables and chain tables if missing, columns a newer store model
    added, foreign keys, indexes, functions and triggers (re-made), and every store's views."""
    for table in TABLES:
        run(db, _table_sql(table))
        have = {
            r[0]
            for r in run(
                db,
                "SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = %s",
                (table.name,),
            ).fetchall()
        }
        for c in table.columns:
            if c.name not in have:  # a column a later store migration added: nullable, old rows have none
                run(db, f"ALTER TABLE {q(table.name)} ADD COLUMN {q(c.name)} {c.sql_type}")
    for sql in CHAIN_TABLES:
        run(db, sql)
    for table in TABLES:
        for c in table.columns:
            if c.kind == "fk":
                name = f"{table.name}_{c.name}_fkey"
                if not _has(db, "SELECT 1 FROM pg_constraint WHERE conname = %s", (name,)):
                    run(
                        db,
                        f"ALTER TABLE {q(table.name)} ADD CONSTRAINT {q(name)} FOREIGN KEY ({q(c.name)}) "
                        f"REFERENCES {q(c.ref)} (id){' ON DELETE CASCADE' if c.cascade else ''} "
                        "DEFERRABLE INITIALLY DEFERRED",
                    )
            if c.indexed and not c.unique:
                run(db, f"CREATE INDEX IF NOT EXISTS {q(f'{table.name}_{c.name}')} ON {q(table.name)} ({q(c.name)})")
        run(db, f"CREATE INDEX IF NOT EXISTS {q(table.name + '_store_no')} ON {q(table.name)} (store_no)")
    for sql in MEMBERS:
        run(db, sql)
    for table_, name, check in CHECKS:  # NOT VALID: rows from before are not re-checked, new ones are
        if not _has(db, "SELECT 1 FROM pg_constraint WHERE conname = %s", (name,)):
            run(db, f"ALTER TABLE {q(table_)} ADD CONSTRAINT {q(name)} CHECK ({check}) NOT VALID")
    # what the reports ask for most: a store's sales and refunds over a period
    for name in ("sale", "refund", "payment"):
        run(db, f"CREATE INDEX IF NOT EXISTS {name}_store_created ON {q(name)} (store_no, created_at)")
    # the refund report's hours from sale to refund: a year's refunds find their sale's time in the
    # index alone (without it PostgreSQL reads every sale of the chain)
    run(db, "CREATE INDEX IF NOT EXISTS sale_id_created ON sale (id) INCLUDE (created_at)")
    for sql in FUNCTIONS + REGISTER + CHAIN_API:
        run(db, sql)
    for sql in TRIGGERS:
        name, on = _trigger_name(sql)
        run(db, f"DROP TRIGGER IF EXISTS {q(name)} ON {q(on)}")
        run(db, sql)
    for (no,) in run(db, "SELECT no FROM chain_store ORDER BY no").fetchall():
        store_views(db, int(no))


def create(db: peewee.Database) -> int:
    """Make head office's schema in an empty database (or bring an existing one up to date); the version."""
    with db.atomic():
        _install(db)
        run(db, "DELETE FROM central_version")
        run(db, "INSERT INTO central_version (version) VALUES (%s)", (VERSION,))
    return VERSION


def migrate(db: peewee.Database) -> tuple[int | None, int]:
    """Bring the schema to VERSION in one transaction: (the version before, the version now)."""
    with db.atomic():
        before = version(db)
        if before is not None and before > VERSION:
            raise ValueError(f"head office's schema is version {before}, newer than this tui-pos ({VERSION})")
        _install(db)
        run(db, "DELETE FROM central_version")
        run(db, "INSERT INTO central_version (version) VALUES (%s)", (VERSION,))
    return before, VERSION


def store_schema(store_no: int) -> str:
    return f"store_{int(store_no)}"


def store_views(db: peewee.Database, store_no: int) -> None:
    """Schema store_<no>: one view per table showing only that store's rows."""
    schema = store_schema(store_no)
    run(db, f"CREATE SCHEMA IF NOT EXISTS {schema}")
    for name in [t.name for t in TABLES] + list(AGGREGATES):
        run(db, f"DROP VIEW IF EXISTS {schema}.{q(name)}")
        run(db, f"CREATE VIEW {schema}.{q(name)} AS SELECT * FROM public.{q(name)} WHERE store_no = {int(store_no)}")


DATA_TABLES: tuple[str, ...] = tuple(t.name for t in TABLES)


def store_role_sql(role: str, store_no: int) -> list[str]:
    """What a store's own database role needs to upload and pull, and no more: its rows only
    (row-level security on every table it writes), the head-office edits and the store list to
    read. Head office's owner role is not bound by the policies."""
    if not role.replace("_", "").isalnum():
        raise ValueError(f"a role name of letters, digits and _ please, not {role!r}")
    r, no = q(role), int(store_no)
    tables = ", ".join(q(t) for t in DATA_TABLES)
    out = [
        f"GRANT USAGE ON SCHEMA public TO {r}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON {tables} TO {r}",
        f"GRANT SELECT, INSERT ON received TO {r}",
        f"GRANT SELECT ON hq_change, chain_store, central_version TO {r}",
        f"GRANT EXECUTE ON FUNCTION central_register_store(TEXT, TEXT), central_store_seen(BIGINT, INT) TO {r}",
        # an upload maps the store's mirrors and keeps what a constraint refused
        f"GRANT SELECT, INSERT, UPDATE ON id_alias TO {r}",
        f"GRANT SELECT, INSERT, UPDATE ON conflict TO {r}",  # a store's manager may resolve its own
        f"GRANT USAGE, SELECT ON SEQUENCE conflict_id_seq TO {r}",
        # its own refund claims and online debits; the chain's orders and members only through
        # head office's functions, which answer one question each
        f"GRANT SELECT, INSERT, DELETE ON refund_claim TO {r}",
        f"GRANT SELECT, INSERT ON member_hold TO {r}",
        f"GRANT EXECUTE ON FUNCTION {', '.join(API_SIGNATURES)} TO {r}",
    ]
    for table in (*DATA_TABLES, "received", "id_alias", "conflict", "refund_claim", "member_hold"):
        policy = q(f"{role}_own_rows")
        out.append(f"ALTER TABLE {q(table)} ENABLE ROW LEVEL SECURITY")
        out.append(f"DROP POLICY IF EXISTS {policy} ON {q(table)}")
        out.append(f"CREATE POLICY {policy} ON {q(table)} TO {r} USING (store_no = {no}) WITH CHECK (store_no = {no})")
    return out


def grant_store(db: peewee.Database, role: str, store_no: int) -> None:
    """Give a store's role its rights and its rows, in one transaction."""
    with db.atomic():
        for sql in store_role_sql(role, store_no):
            run(db, sql)
