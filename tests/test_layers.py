"""The layer rule, enforced: the core is importable without the TUI, the rules without the database,
and screens never reach past the services into the store.

Imports are checked in a fresh interpreter (`sys.modules`), because this test process has
already imported everything.
"""

from __future__ import annotations

import importlib.util
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import tui_pos

PACKAGE_DIR = Path(tui_pos.__file__).resolve().parent
REPO = PACKAGE_DIR.parent


def submodules(package: str) -> list[str]:
    path = PACKAGE_DIR / package.split(".", 1)[1].replace(".", "/")
    names = [package]
    for info in pkgutil.walk_packages([str(path)], prefix=package + "."):
        names.append(info.name)
    return sorted(names)


def loaded_after_import(modules: list[str], watch: list[str]) -> dict[str, bool]:
    script = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(json.dumps({{w: any(m == w or m.startswith(w + '.') for m in sys.modules) for w in {watch!r}}}))\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_submodule_discovery_finds_the_core():
    assert "tui_pos.domain.money" in submodules("tui_pos.domain")
    assert "tui_pos.services.checkout" in submodules("tui_pos.services")


def test_domain_imports_neither_peewee_nor_textual_nor_escpos():
    loaded = loaded_after_import(submodules("tui_pos.domain"), ["peewee", "textual", "escpos"])
    assert loaded == {"peewee": False, "textual": False, "escpos": False}


def test_core_is_reachable_without_the_tui():
    modules = submodules("tui_pos.domain") + submodules("tui_pos.services") + ["tui_pos.devices.tickets"]
    loaded = loaded_after_import(modules, ["textual", "peewee"])
    assert loaded["textual"] is False
    assert loaded["peewee"] is True  # sanity: the services really were imported


def test_escpos_is_imported_only_when_printing():
    modules = submodules("tui_pos.services") + ["tui_pos.devices.printer", "tui_pos.devices.tickets"]
    assert loaded_after_import(modules, ["escpos"]) == {"escpos": False}


def test_pinyin_is_imported_only_to_write_a_product():
    """pypinyin and its dictionaries (about 55 MB) wait for a product's name to be written."""
    modules = submodules("tui_pos.services") + submodules("tui_pos.store") + submodules("tui_pos.domain")
    if (PACKAGE_DIR / "ui" / "app.py").exists():
        modules.append("tui_pos.ui.app")
    assert loaded_after_import(modules, ["pypinyin"]) == {"pypinyin": False}


def test_ui_app_does_not_import_escpos():
    if importlib.util.find_spec("tui_pos.ui") is None or not (PACKAGE_DIR / "ui" / "app.py").exists():
        pytest.skip("tui_pos.ui.app does not exist yet")
    assert loaded_after_import(["tui_pos.ui.app"], ["escpos"]) == {"escpos": False}


FORBIDDEN_IN_UI = ["tui_pos.store", "import peewee", "from peewee", ".select(", ".atomic("]


def test_ui_never_touches_the_store():
    offenders = []
    for path in sorted((PACKAGE_DIR / "ui").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for needle in FORBIDDEN_IN_UI:
            if needle in text:
                offenders.append(f"{path.relative_to(REPO)}: {needle}")
    assert offenders == []


@pytest.mark.parametrize("layer", ["domain"])
def test_domain_source_names_no_outer_layer(layer):
    offenders = []
    for path in sorted((PACKAGE_DIR / layer).rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for needle in (
            "peewee",
            "textual",
            "escpos",
            "tui_pos.store",
            "tui_pos.services",
            "tui_pos.ui",
            "tui_pos.devices",
            "tui_pos.central",
        ):
            for line in text.splitlines():
                stripped = line.strip()
                if stripped.startswith(("import ", "from ")) and needle in stripped:
                    offenders.append(f"{path.relative_to(REPO)}: {stripped}")
    assert offenders == []


def test_head_office_code_stays_below_the_screens_and_printers():
    """tui_pos.central may use the store's models and the rules, never the TUI, printers or services."""
    watch = ["textual", "escpos", "tui_pos.ui", "tui_pos.devices", "tui_pos.services"]
    loaded = loaded_after_import(submodules("tui_pos.central"), watch)
    assert loaded == dict.fromkeys(watch, False)
    offenders = []
    for path in sorted((PACKAGE_DIR / "central").rglob("*.py")):
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            if stripped.startswith(("import ", "from ")) and any(n in stripped for n in watch):
                offenders.append(f"{path.relative_to(REPO)}: {stripped}")
    assert offenders == []
