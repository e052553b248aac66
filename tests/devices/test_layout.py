"""Column layout in display cells, CJK counted as two, at 58 mm (32) and 80 mm (48) widths."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui_pos.devices.layout import cells, char_cells, columns, fit, pad, wrap

WIDTHS = [32, 48]


def test_char_cells():
    assert char_cells("a") == 1
    assert char_cells(" ") == 1
    assert char_cells("中") == 2
    assert char_cells("￥") == 2  # full-width yen
    assert char_cells("，") == 2
    assert char_cells("\u0301") == 0  # combining accent
    assert cells("可口可乐 330ml") == 8 + 6
    assert cells("") == 0


@pytest.mark.parametrize("width", WIDTHS)
def test_wrap_mixed_text(width):
    text = "有机全麦面包 Organic Wholemeal Bread 500g 买二送一 limited offer 限时特价"
    lines = wrap(text, width)
    assert len(lines) > 1
    assert all(cells(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_wrap_never_splits_a_wide_character():
    # 5 cells: "a中中" is 5, so with width 4 the second 中 goes to the next line whole
    assert wrap("a中中", 4) == ["a中", "中"]
    assert wrap("中中中", 5) == ["中中", "中"]
    assert wrap("", 32) == [""]


mixed = st.text(alphabet=st.sampled_from(list("abcXYZ019 -.中文字￥，面包可乐")), max_size=200)


@settings(max_examples=200)
@given(mixed, st.sampled_from(WIDTHS))
def test_wrap_property(text, width):
    lines = wrap(text, width)
    assert lines
    assert all(cells(line) <= width for line in lines)
    assert all(line == line.rstrip() for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


@pytest.mark.parametrize("width", WIDTHS)
def test_columns_short_pair_is_one_line_right_aligned(width):
    lines = columns("合计 Total", "￥32.27", width)
    assert len(lines) == 1
    assert cells(lines[0]) == width
    assert lines[0].startswith("合计 Total")
    assert lines[0].endswith("￥32.27")


@pytest.mark.parametrize("width", WIDTHS)
def test_columns_long_left_wraps_amount_on_last_line(width):
    left = "  3 x 超级无敌好喝的可口可乐 Coca-Cola Zero Sugar 330ml 罐装 (冰镇)"
    right = "￥1234.50"
    lines = columns(left, right, width)
    assert len(lines) > 1
    assert all(cells(line) <= width for line in lines)
    assert lines[-1].endswith(right)
    assert cells(lines[-1]) == width
    assert all(not line.endswith(right) for line in lines[:-1])


@settings(max_examples=200)
@given(
    mixed, st.text(alphabet=st.sampled_from(list("0123456789.￥-+x")), min_size=1, max_size=14), st.sampled_from(WIDTHS)
)
def test_columns_property(left, right, width):
    lines = columns(left, right, width)
    assert all(cells(line) <= width for line in lines)
    assert lines[-1].endswith(right)
    assert cells(lines[-1]) == width
    body = "".join(lines)[: -len(right)]
    assert body.replace(" ", "") == left.replace(" ", "")


def test_fit():
    assert fit("Notebook", 32) == "Notebook"
    cut = fit("可口可乐可口可乐可口可乐", 9)
    assert cut.endswith("…")
    assert cells(cut) <= 9
    for width in WIDTHS:
        long = "中" * 40 + "abc"
        assert cells(fit(long, width)) <= width


def test_fit_with_another_ellipsis():
    assert fit("可口可乐可口可乐", 7, "..") == "可口.."  # a wide character never split
    assert fit("Notebook A5", 8, "..") == "Notebo.."
    assert fit("Notebook A5", 1, "..") == "."
    for width in WIDTHS:
        assert cells(fit("中" * 40 + "abc", width, "..")) <= width


def test_pad():
    assert pad("中a", 6) == "中a   "
    assert pad("中a", 6, "right") == "   中a"
    assert pad("中a", 7, "center") == "  中a  "
    assert pad("中文中文", 3) == "中文中文"  # never cut by pad
