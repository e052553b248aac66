"""tui-pos: a keyboard-only terminal cashier for small shops."""

__version__ = "0.1.0"
