"""Reusable pieces of the till screens, one widget per module."""
