"""Widgets of the codesearch TUI, one per module."""
