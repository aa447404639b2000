"""Textual app for codesearch, installed as codesearch.tui."""
