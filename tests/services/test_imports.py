"""CSV import of products and members against a real SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui_pos.domain.errors import InsufficientPermission
from tui_pos.services.imports import ImportFileError, import_members, import_products
from tui_pos.store import audit
from tui_pos.store.models import AuditRow, MemberRow, PointsMoveRow, ProductRow, StockMoveRow, StoredValueMoveRow

PRODUCT_HEADER = "barcode,name,name_en,category,price,member_price,stock,refund_policy\n"
MEMBER_HEADER = "card_no,phone,name,level,points,balance,joined\n"


def write_csv(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "in.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def product(barcode: str) -> ProductRow:
    return ProductRow.get(ProductRow.barcode == barcode)


def counts() -> tuple[int, int, int, int]:
    return (
        ProductRow.select().count(),
        MemberRow.select().count(),
        StockMoveRow.select().count(),
        AuditRow.select().count(),
    )


class TestProducts:
    def test_utf8_with_bom(self, ctx, manager, tmp_path):
        path = write_csv(
            tmp_path,
            PRODUCT_HEADER
            + "6920000000011,农夫山泉 550ml,Nongfu Spring 550ml,饮料,2.00,,200,\n"
            + "6920000000028,光明鲜牛奶,Bright milk,乳制品,15.80,14.80,20,food_opened\n",
            encoding="utf-8-sig",
        )
        report = import_products(ctx, manager, path)
        assert (report.imported, report.updated, report.errors) == (2, 0, [])
        water = product("6920000000011")
        assert (water.name, water.name_en, water.category, water.price, water.member_price, water.stock) == (
            "农夫山泉 550ml",
            "Nongfu Spring 550ml",
            "饮料",
            200,
            None,
            200,
        )
        milk = product("6920000000028")
        assert (milk.price, milk.member_price, milk.refund_policy) == (1580, 1480, "food_opened")
        move = StockMoveRow.get(StockMoveRow.product == water.id)
        assert (move.qty, move.reason) == (200, "import")

    def test_gbk_file_from_excel(self, ctx, manager, tmp_path):
        path = write_csv(
            tmp_path, PRODUCT_HEADER + "6920000000035,卫龙大面筋,Spicy strips,零食,5,,50,\n", encoding="gbk"
        )
        report = import_products(ctx, manager, path)
        assert report.imported == 1
        assert product("6920000000035").name == "卫龙大面筋"
        assert product("6920000000035").price == 500

    def test_chinese_headers_and_only_required_columns(self, ctx, manager, tmp_path):
        path = write_csv(tmp_path, "条码,商品名称,售价\n6920000000042,信封,3.00\n")
        report = import_products(ctx, manager, path)
        assert report.imported == 1
        row = product("6920000000042")
        assert (row.category, row.stock, row.name_en) == ("", 0, "")

    @pytest.mark.parametrize(
        "header, needle",
        [
            ("barcode,nme,price\n", "Unknown column(s): nme"),
            ("barcode,name\n", "Missing column(s): price"),
            ("barcode,name,price,price\n", "named twice: price"),
            ("", "The file is empty"),
        ],
    )
    def test_wrong_header_writes_nothing(self, ctx, manager, tmp_path, header, needle):
        before = counts()
        path = write_csv(tmp_path, header + ("111,x,1.00\n" if header else ""))
        with pytest.raises(ImportFileError) as err:
            import_products(ctx, manager, path)
        assert needle in err.value.message
        assert counts() == before

    def test_bad_rows_reported_and_skipped(self, ctx, manager, tmp_path):
        path = write_csv(
            tmp_path,
            PRODUCT_HEADER
            + "6920000000059,Good one,,零食,1.50,,5,\n"  # row 2
            + "6920000000066,Bad price,,零食,abc,,5,\n"  # row 3
            + "\n"  # row 4: blank, ignored
            + "6920000000073,,,零食,1.00,,5,\n"  # row 5: no name
            + "bad code!,Bad barcode,,零食,1.00,,5,\n"  # row 6
            + "6920000000080,Member dearer,,零食,1.00,2.00,5,\n"  # row 7
            + "6920000000097,Bad stock,,零食,1.00,,lots,\n"  # row 8
            + "6920000000103,Bad rule,,零食,1.00,,1,nope\n"  # row 9
            + "6920000000059,Twice,,零食,1.00,,1,\n"  # row 10
            + "6920000000110,Too many decimals,,零食,1.005,,1,\n"  # row 11
            + "6920000000127,Extra cells,,零食,1.00,,1,,surplus\n"  # row 12
            + "6920000000134,Good two,,零食,2.00,,5,\n",
        )  # row 13
        report = import_products(ctx, manager, path)
        assert (report.imported, report.rejected) == (2, 9)
        by_row = {e.row_no: e.message for e in report.errors}
        assert str(report.errors[0]) == "row 3: price 'abc' is not an amount"
        assert by_row[5] == "name is empty"
        assert by_row[6].startswith("barcode 'bad code!'")
        assert by_row[7] == "member_price 2.00 is above price 1.00"
        assert by_row[8] == "stock 'lots' is not a whole number"
        assert by_row[9].startswith("refund_policy 'nope' is not one of:")
        assert by_row[10] == "barcode 6920000000059 is already on row 2"
        assert by_row[11] == "price '1.005': At most two decimals (fen)"
        assert by_row[12].startswith("has 9 cells")
        assert sorted(by_row) == [3, 5, 6, 7, 8, 9, 10, 11, 12]
        assert product("6920000000134").price == 200
        assert ProductRow.get_or_none(ProductRow.barcode == "6920000000066") is None

    def test_existing_barcode_is_updated(self, ctx, manager, tmp_path):
        path = write_csv(
            tmp_path, "barcode,name,price,stock\n6901,可口可乐 330ml 新包装,3.20,120\n6902,全麦面包,12.99,\n"
        )
        report = import_products(ctx, manager, path)
        assert (report.imported, report.updated, report.unchanged) == (0, 1, 1)
        cola = product("6901")
        assert (cola.name, cola.price, cola.stock, cola.member_price) == ("可口可乐 330ml 新包装", 320, 120, 300)
        assert product("6902").stock == 50  # empty stock cell keeps the stock
        move = StockMoveRow.get(StockMoveRow.product == cola.id)
        assert (move.qty, move.reason) == (20, "import")

    def test_a_crash_mid_import_leaves_nothing(self, ctx, manager, tmp_path):
        rows = "".join(f"69200001{i:05d},Item {i},,零食,1.00,,1,\n" for i in range(10))
        path = write_csv(tmp_path, PRODUCT_HEADER + rows)
        before = counts()

        def crash(done: int, total: int) -> None:
            if done >= 5:
                raise RuntimeError("power cut")

        with pytest.raises(RuntimeError):
            import_products(ctx, manager, path, progress=crash)
        assert counts() == before

    def test_progress_reaches_the_end(self, ctx, manager, tmp_path):
        rows = "".join(f"69200002{i:05d},Item {i},,零食,1.00,,1,\n" for i in range(120))
        seen: list[tuple[int, int]] = []
        import_products(
            ctx,
            manager,
            write_csv(tmp_path, PRODUCT_HEADER + rows),
            progress=lambda done, total: seen.append((done, total)),
        )
        assert seen[-1] == (120, 120)
        assert 2 <= len(seen) < 120

    def test_cashier_may_not_import(self, ctx, cashier, tmp_path):
        with pytest.raises(InsufficientPermission):
            import_products(ctx, cashier, write_csv(tmp_path, PRODUCT_HEADER))

    def test_a_supervisor_imports_and_each_changed_row_is_audited_before_and_after(self, ctx, supervisor):
        """The attack of issue 20: a file sets 3.50 to 0.01; the trail must say which price, from what."""
        report = import_products(
            ctx,
            supervisor,
            "barcode,name,category,price,stock\n6901,可口可乐 330ml,drinks,0.01,100\n"
            "6902,全麦面包,food,12.99,50\n777,新品,food,1.00,5\n".encode(),
        )
        assert (report.imported, report.updated, report.unchanged) == (1, 1, 1)
        rows = {
            r.entity: json.loads(r.detail)
            for r in AuditRow.select().where(AuditRow.action == "import_product", AuditRow.staff_code == "002")
        }
        assert rows == {
            "product:6901": {"before": {"price": 350}, "after": {"price": 1}},
            "product:777": {"before": None, "after": {"name": "新品", "category": "food", "price": 100, "stock": 5}},
        }
        summary = AuditRow.select().where(AuditRow.action == "import_products").get()
        assert summary.staff_code == "002" and json.loads(summary.detail)["updated"] == 1
        assert audit.verify() is None

    def test_a_failed_import_leaves_no_audit_row(self, ctx, manager):
        def crash(done: int, total: int) -> None:
            raise RuntimeError("power cut")

        before = counts()
        with pytest.raises(RuntimeError):
            import_products(ctx, manager, b"barcode,name,price\n6901,X,0.01\n", progress=crash)
        assert counts() == before and product("6901").price == 350


class TestMembers:
    def test_members_with_points_and_balance(self, ctx, manager, tmp_path):
        path = write_csv(
            tmp_path,
            MEMBER_HEADER
            + "m000100,13912345678,李四,金卡会员,300,150.50,2024-03-05\n"
            + "M000101,139 1234 0000,王五,,,,\n",
            encoding="utf-8-sig",
        )
        report = import_members(ctx, manager, path)
        assert (report.imported, report.errors) == (2, [])
        lisi = MemberRow.get(MemberRow.card_no == "M000100")
        assert (lisi.phone, lisi.phone_tail, lisi.level, lisi.points, lisi.balance) == (
            "13912345678",
            "5678",
            "gold",
            300,
            15050,
        )
        assert lisi.joined.year == 2024
        assert PointsMoveRow.get(PointsMoveRow.member == lisi.id).points == 300
        assert StoredValueMoveRow.get(StoredValueMoveRow.member == lisi.id).amount == 15050
        wangwu = MemberRow.get(MemberRow.card_no == "M000101")
        assert (wangwu.phone_tail, wangwu.level, wangwu.points, wangwu.balance) == ("0000", "regular", 0, 0)

    def test_gbk_members(self, ctx, manager, tmp_path):
        path = write_csv(tmp_path, "卡号,手机号,姓名,等级\nM000200,13700000001,赵六,银卡会员\n", encoding="gbk")
        assert import_members(ctx, manager, path).imported == 1
        assert MemberRow.get(MemberRow.card_no == "M000200").name == "赵六"

    def test_duplicates_and_bad_rows(self, ctx, manager, tmp_path):
        path = write_csv(
            tmp_path,
            MEMBER_HEADER
            + "M000300,13600000001,甲,regular,0,0,\n"  # row 2 ok
            + "M000301,13600000001,乙,regular,0,0,\n"  # row 3 phone again in file
            + "M000300,13600000003,丙,regular,0,0,\n"  # row 4 card again in file
            + "M000001,13600000004,丁,regular,0,0,\n"  # row 5 card in shop
            + "M000305,13800001234,戊,regular,0,0,\n"  # row 6 phone in shop
            + "M000306,1360000,己,regular,0,0,\n"  # row 7 short phone
            + "M000307,13600000007,庚,platinum,0,0,\n"  # row 8 level
            + "M000308,13600000008,辛,regular,0,xyz,\n"  # row 9 balance
            + "M000309,13600000009,壬,regular,0,0,yesterday\n",
        )  # row 10 date
        report = import_members(ctx, manager, path)
        by_row = {e.row_no: e.message for e in report.errors}
        assert by_row == {
            3: "phone 13600000001 is already on row 2",
            4: "card no. M000300 is already on row 2",
            5: "Card no. M000001 already exists",
            6: "Phone 13800001234 already belongs to member M000001",
            7: "phone '1360000': Phone must be 11 digits",
            8: "level 'platinum': Unknown member level: platinum",
            9: "balance 'xyz' is not an amount",
            10: "joined 'yesterday' is not a date like 2024-03-15",
        }
        assert report.imported == 1
        assert MemberRow.select().count() == 2

    def test_the_same_member_again_is_left_alone(self, ctx, manager, tmp_path):
        path = write_csv(tmp_path, MEMBER_HEADER + "m000001,13800001234,张三,gold,1,1.00,\n")
        report = import_members(ctx, manager, path)
        assert (report.imported, report.unchanged, report.errors) == (0, 1, [])
        zhang = MemberRow.get(MemberRow.card_no == "M000001")
        assert (zhang.points, zhang.balance) == (500, 10000)  # an import never overwrites money

    def test_wrong_header_writes_nothing(self, ctx, manager, tmp_path):
        before = counts()
        with pytest.raises(ImportFileError):
            import_members(ctx, manager, write_csv(tmp_path, "card,phone,name\nM1,13600000001,x\n"))
        assert counts() == before

    def test_neither_utf8_nor_gbk(self, ctx, manager, tmp_path):
        path = tmp_path / "bin.csv"
        path.write_bytes(MEMBER_HEADER.encode() + b"\xff\xfe\xfd\x80\x80\n")
        with pytest.raises(ImportFileError) as err:
            import_members(ctx, manager, path)
        assert "UTF-8 or GBK" in err.value.message


class TestWhoMayImportMembers:
    PLAIN = (MEMBER_HEADER + "M000200,13900000200,王五,,,,\n").encode()
    MONEY = (MEMBER_HEADER + "M000201,13900000201,赵六,,0,99999.00,\n").encode()

    def test_a_supervisor_imports_members_without_points_or_stored_value(self, ctx, supervisor):
        assert import_members(ctx, supervisor, self.PLAIN).imported == 1

    def test_stored_value_or_points_need_a_manager(self, ctx, cashier, supervisor, manager):
        members = MemberRow.select().count()
        points = (MEMBER_HEADER + "M000202,13900000202,钱七,,99999,,\n").encode()
        for text in (self.MONEY, points):
            with pytest.raises(InsufficientPermission):
                import_members(ctx, supervisor, text)
        with pytest.raises(InsufficientPermission):
            import_members(ctx, cashier, self.PLAIN)
        assert MemberRow.select().count() == members
        assert import_members(ctx, manager, self.MONEY).imported == 1
        entry = AuditRow.select().where(AuditRow.action == "import_member").get()
        assert (entry.staff_code, entry.entity) == ("003", "member:M000201")
        assert json.loads(entry.detail) == {
            "before": None,
            "after": {"level": "regular", "points": 0, "balance": 9999900},
        }
