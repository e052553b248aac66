"""The defaults shipped inside the package (config, demo catalogue), found wherever it is installed."""

from __future__ import annotations

from importlib.resources import files


def data_bytes(name: str) -> bytes:
    """A file of tui_pos/data/, read through importlib.resources so a wheel or a zip install finds it."""
    return (files("tui_pos") / "data" / name).read_bytes()
