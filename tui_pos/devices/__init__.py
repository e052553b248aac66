"""Printers and the tickets they print. The ESC/POS stack is imported only when printing."""
