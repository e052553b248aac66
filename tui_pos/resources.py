"""Where the shipped defaults (config, demo catalogue) live."""

from __future__ import annotations

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def data_file(name: str) -> Path:
    path = DATA_DIR / name
    if not path.exists():
        raise FileNotFoundError(f"shipped data file missing: {path} (install with pip install -e .)")
    return path
