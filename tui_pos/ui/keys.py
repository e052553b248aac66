"""Key bindings whose descriptions follow the cashier's language.

Textual reads `BINDINGS` when a class is created, long before the app has picked a
language, so the descriptions are written in English and translated per instance here.
"""

from __future__ import annotations

from dataclasses import replace

from textual.dom import DOMNode

from tui_pos.i18n import tr


def translate_bindings(node: DOMNode) -> None:
    """Swap each binding's English description (and group label) for the current language."""
    if node._merged_bindings is not None:
        node._bindings = node._merged_bindings.copy()  # start again from the English of the class
    key_map = node._bindings.key_to_bindings
    for key, bindings in key_map.items():
        key_map[key] = [
            replace(
                binding,
                description=tr(binding.description) if binding.description else "",
                group=replace(binding.group, description=tr(binding.group.description)) if binding.group else None,
            )
            for binding in bindings
        ]
