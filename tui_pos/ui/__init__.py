"""The terminal user interface: screens gather input, services decide, widgets show results.

Import `tui_pos.ui.app.make_app` to build the application; this package itself imports
nothing heavy so that `tui_pos.cli` can start fast.
"""
