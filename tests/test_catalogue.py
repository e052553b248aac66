"""Every word a cashier reads has its Chinese: found by reading the source, not by hoping.

The source of tui_pos is parsed (ast) for what reaches `tr()`: literal templates, the messages
of the errors the rules raise (shown through `tr`), key labels in BINDINGS, HELP notes and step
titles, and the label tables (tui_pos/labels.py, view titles and column heads). Each must be a
key of the zh-CN catalogue with the same {placeholders}; and no key may be given two different
translations (the later one silently wins everywhere).
"""

from __future__ import annotations

import ast
import re
import string
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest

import tui_pos
from tui_pos import labels
from tui_pos.domain import errors
from tui_pos.i18n import ZH

PACKAGE = Path(tui_pos.__file__).resolve().parent
CATALOGUE = PACKAGE / "i18n.py"
ERRORS = {cls.__name__ for cls in vars(errors).values() if isinstance(cls, type) and issubclass(cls, errors.PosError)}
TABLE_NAME = re.compile(r"(^|_)(TITLES|HEADS|HEADERS|LABELS)$|^COUNT_HINT$")
WORDED_ATTRS = {"HELP", "TITLE_TEXT"}


def sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p != CATALOGUE)


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


class Words(ast.NodeVisitor):
    """Collects (line, text) of every string the module hands to the catalogue."""

    def __init__(self, tree: ast.Module) -> None:
        self.found: list[tuple[int, str]] = []
        self.problems: list[str] = []
        self.constants = self._constants(tree)
        self.loops: dict[str, list[str]] = {}  # comprehension/loop targets over literal tuples

    @staticmethod
    def _constants(tree: ast.Module) -> dict[str, ast.expr]:
        out: dict[str, ast.expr] = {}
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                out[node.targets[0].id] = node.value
        return out

    def text(self, node: ast.expr | None) -> str | None:
        """A string the expression always has: a literal, a module constant, or a sum of them."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Name) and node.id in self.constants:
            return self.text(self.constants[node.id])
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left, right = self.text(node.left), self.text(node.right)
            return None if left is None or right is None else left + right
        return None

    def strings(self, node: ast.expr) -> Iterator[str]:
        """Every string literal inside a table (dict values, tuple items), or a name it builds on."""
        for sub in ast.walk(node):
            if isinstance(sub, ast.Dict):
                for value in sub.values:
                    if (text := self.text(value)) is not None:
                        yield text
            elif isinstance(sub, (ast.Tuple, ast.List)):
                for item in sub.elts:
                    if (text := self.text(item)) is not None:
                        yield text

    def add(self, line: int, text: str) -> None:
        self.found.append((line, text))

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            name = target.id if isinstance(target, ast.Name) else ""
            if name in WORDED_ATTRS and (text := self.text(node.value)) is not None:
                self.add(node.lineno, text)
            elif TABLE_NAME.search(name):
                for text in self.strings(node.value):
                    self.add(node.lineno, text)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        name = node.target.id if isinstance(node.target, ast.Name) else ""
        if node.value is not None and TABLE_NAME.search(name):
            for text in self.strings(node.value):
                self.add(node.lineno, text)
        self.generic_visit(node)

    def visit_comprehension(self, node: ast.comprehension) -> None:
        if isinstance(node.target, ast.Name):
            items = list(self.strings(node.iter)) if isinstance(node.iter, (ast.Tuple, ast.List)) else []
            if items:
                self.loops[node.target.id] = items
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        name = _name(node.func)
        first = node.args[0] if node.args else None
        if name == "tr" and first is not None:
            if isinstance(first, ast.JoinedStr):
                self.problems.append(f"line {node.lineno}: an f-string passed to tr() cannot be in the catalogue")
            elif (text := self.text(first)) is not None:
                self.add(node.lineno, text)
            elif isinstance(first, ast.Name) and first.id in self.loops:
                for text in self.loops[first.id]:
                    self.add(node.lineno, text)
        elif name in ERRORS and (text := self.text(first)) is not None:
            self.add(node.lineno, text)
        elif name == "Binding":
            description = node.args[2] if len(node.args) > 2 else None
            for kw in node.keywords:
                if kw.arg == "description":
                    description = kw.value
            if (text := self.text(description)) is not None:
                self.add(node.lineno, text)
            elif description is not None and not isinstance(description, ast.Subscript):
                self.problems.append(f"line {node.lineno}: a key label the catalogue cannot see")
        self.generic_visit(node)


def words_of(path: Path) -> Words:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    words = Words(tree)
    # comprehensions first, so that tr(h) inside one knows what h runs over
    for node in ast.walk(tree):
        if isinstance(node, ast.comprehension):
            words.visit_comprehension(node)
    words.visit(tree)
    return words


def every_word() -> dict[str, list[str]]:
    """text -> where it is used ('path:line')."""
    used: dict[str, list[str]] = defaultdict(list)
    for path in sources():
        for line, text in words_of(path).found:
            used[text].append(f"{path.relative_to(PACKAGE.parent)}:{line}")
    for kind, table in labels.TABLES.items():
        for code, text in table.items():
            used[text].append(f"tui_pos/labels.py ({kind} {code})")
    return used


def needs_words(text: str) -> bool:
    """'+1' or '{a} / {b}' need no translation; anything with a letter does."""
    plain = re.sub(r"\{[^}]*\}", "", text)
    return any(ch.isalpha() for ch in plain)


def placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def test_the_source_reading_finds_what_it_must():
    """If the parser stopped finding things, the tests below would pass on nothing."""
    used = every_word()
    for text in (
        "Enter an amount",  # tr() in the domain
        "Your role may not {action}",  # an error's message
        "Void line",  # a key label in BINDINGS
        "Find the order",  # a refund step's title
        "A total like 500, or notes and coins like 100x3 50x2 1x12",  # a module constant through tr()
        "Expected cash",  # a column head of the day summary, translated in a comprehension
        "By member level",  # a view title
        "Awaiting approval".lower(),  # a status label
        "see the reports",  # a permission
    ):
        assert text in used, text
    assert len(used) > 500


def test_every_word_has_its_chinese():
    missing = [
        f"{text!r} ({', '.join(where[:2])})"
        for text, where in every_word().items()
        if needs_words(text) and text not in ZH
    ]
    assert not missing, "no zh-CN entry for:\n" + "\n".join(sorted(missing))


def test_translations_keep_their_placeholders():
    wrong = [
        f"{key!r}: {sorted(placeholders(key))} vs {sorted(placeholders(value))}"
        for key, value in ZH.items()
        if placeholders(key) != placeholders(value)
    ]
    assert not wrong, "\n".join(wrong)


def test_nothing_the_catalogue_cannot_see_reaches_tr():
    problems = [f"{path.relative_to(PACKAGE.parent)} {p}" for path in sources() for p in words_of(path).problems]
    assert not problems, "\n".join(problems)


def test_no_word_is_translated_twice_differently():
    """ZH is built from several blocks; a key repeated with another translation overrides the first
    everywhere (a basket column headed like a report line, a refund amount headed like a list)."""
    given: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for node in ast.walk(ast.parse(CATALOGUE.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and isinstance(value, ast.Constant):
                    given[key.value].append((key.lineno, value.value))
    clashes = [f"{k!r}: {v}" for k, v in given.items() if len({text for _, text in v}) > 1]
    assert not clashes, "\n".join(clashes)


@pytest.mark.parametrize("kind", sorted(labels.TABLES))
def test_every_label_table_is_worded(kind):
    """A label table maps codes to words; a code used as its own key must still translate."""
    for code, text in labels.TABLES[kind].items():
        assert text in ZH, f"{kind} {code}: {text!r}"
