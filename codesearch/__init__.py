"""codesearch: local semantic code search; the public names (`Index`, `Query`, `Hit`, `Config`, `CodesearchError`).

The names load on first use, so the thin client (which imports `codesearch.serve` and
`codesearch.store` modules) never pulls in numpy or torch.
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["CodesearchError", "Config", "Hit", "Index", "Query", "__version__"]

_PUBLIC = {"Index": "codesearch.engine", "Query": "codesearch.query", "Hit": "codesearch.query",
           "Config": "codesearch.config", "CodesearchError": "codesearch.errors"}


def __getattr__(name: str):
    """Import a public name's module the first time the name is used."""
    if name in _PUBLIC:
        import importlib

        value = getattr(importlib.import_module(_PUBLIC[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
