"""Every setting in one place: flags, then environment, then the index's record, then defaults.

`Config.resolve` is the only code that reads `CODESEARCH_*` variables.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields
from pathlib import Path
from collections.abc import Mapping  # not typing: the fast client imports this module

from codesearch.errors import UsageError

INDEX_DIR_NAME = ".codesearch"
DEFAULT_MODEL = "udever-560m"
_TRUE = ("1", "true", "yes", "on")

# Environment variables that fill Config fields; flags given on the command line win over them.
ENV_VARS = {
    "model": "CODESEARCH_MODEL",
    "index_dir": "CODESEARCH_INDEX_DIR",
    "device": "CODESEARCH_DEVICE",
    "max_file_bytes": "CODESEARCH_MAX_FILE_BYTES",
    "precision": "CODESEARCH_PRECISION",
    "batch_tokens": "CODESEARCH_BATCH_TOKENS",
    "max_length": "CODESEARCH_MAX_LENGTH",
    "exact_queries": "CODESEARCH_EXACT_QUERIES",
    "threads": "CODESEARCH_THREADS",
    "include_tests": "CODESEARCH_INCLUDE_TESTS",
    "auto_serve": "CODESEARCH_AUTO_SERVE",
    "shared_cache": "CODESEARCH_SHARED_CACHE",
    "static_tier": "CODESEARCH_STATIC_TIER",
    "static_precision": "CODESEARCH_STATIC_PRECISION",
}


# Machine-wide settings, read when needed (the model cache, the memory planner), not per index.
MACHINE_ENV_VARS = {"cache_dir": "CODESEARCH_CACHE_DIR", "max_memory": "CODESEARCH_MAX_MEMORY"}


def machine_setting(name: str, environ: Mapping[str, str] | None = None) -> str | None:
    """A machine-wide setting (see MACHINE_ENV_VARS) from the environment as it is now, or None."""
    env = os.environ if environ is None else environ
    return env.get(MACHINE_ENV_VARS[name]) or None


def cache_root() -> Path:
    """codesearch's own user cache (models, shared embeddings): $CODESEARCH_CACHE_DIR, else
    $XDG_CACHE_HOME/codesearch, else ~/.cache/codesearch. The one resolver every module uses."""
    explicit = machine_setting("cache_dir")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "codesearch"


CHOICES = {"static_precision": ("int8", "fp32"), "precision": ("fp32", "int8")}  # settings with a fixed set of values
ENV_ALIASES = {"CODESEARCH_QUANTIZE": "precision"}  # older names, read when the current one is unset


def _parse(name: str, var: str, raw: str, kind: str) -> object:
    """One environment value as the field's type, or a clear error naming the variable."""
    if name in CHOICES and raw.strip().lower() not in CHOICES[name]:
        raise UsageError(f"{var}={raw!r} is not one of {', '.join(CHOICES[name])}")
    if name in CHOICES:
        return raw.strip().lower()
    if kind == "bool":
        return raw.strip().lower() in _TRUE
    if kind.startswith("int"):
        if not raw.strip().isdigit():
            raise UsageError(f"{var}={raw!r} is not a whole number")
        return int(raw)
    return raw.strip()


@dataclass(frozen=True)
class Config:
    """Settings shared by the library and every surface."""

    model: str | None = None  # what the user asked for; None: the index's model, else DEFAULT_MODEL
    index_dir: str | None = None  # None: <root>/.codesearch; relative: against the repository root
    device: str | None = None  # None: cuda, then mps, then cpu
    max_file_bytes: int = 1024 * 1024
    precision: str | None = None  # the model's vectors: fp32 or int8 (CPU only); None: embed.embedding.precision_for
    batch_tokens: int = 2048  # token budget per forward pass
    max_length: int | None = None  # tokens of a unit embedded; None: the length the model was trained with
    # (udever 300, MiniLM 128; models.resolve.token_budget); a number is capped at the model's own limit
    exact_queries: bool = False  # long-lived processes embed queries with an int8 copy unless set
    threads: int | None = None  # torch threads; None: the physical cores (embedding.physical_cores)
    include_tests: bool = False  # True: tests, examples, vendored and generated code are not ranked down
    auto_serve: bool = False  # a query with no server running starts one in the background for next time
    shared_cache: bool = True  # look up and keep vectors in the user-level cache shared by every index
    static_tier: bool = True  # distilled per-token vectors answer by meaning until the model covers a function
    static_precision: str | None = None  # how tokens are distilled: None = int8 on the CPU (embed.static), or fp32
    ef_search: int = 512  # recall@10 0.995 on hard clustered 100k data (benchmarks/results)
    hnsw_m: int = 16
    ef_construction: int = 200

    @classmethod
    def resolve(cls, flags: Mapping[str, object] | None = None, environ: Mapping[str, str] | None = None) -> "Config":
        """Flags (non-None) over environment over defaults; the index's model is applied by model_name()."""
        env = os.environ if environ is None else environ
        kinds = {f.name: str(f.type) for f in fields(cls)}
        values: dict[str, object] = {}
        for var, name in ENV_ALIASES.items():
            if not (env.get(ENV_VARS[name]) or "").strip() and (env.get(var) or "").strip():
                values[name] = _parse(name, var, env[var], kinds[name])
        for name, var in ENV_VARS.items():
            raw = env.get(var)
            if raw and raw.strip():
                values[name] = _parse(name, var, raw, kinds[name])
        values.update({k: v for k, v in (flags or {}).items() if v is not None})
        unknown = set(values) - set(kinds)
        if unknown:
            raise UsageError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        for name, allowed in CHOICES.items():  # a flag or a caller's value is held to the same choices
            if values.get(name) is not None and values[name] not in allowed:
                raise UsageError(f"{name} {values[name]!r} is not one of {', '.join(allowed)}")
        return cls(**values)  # type: ignore[arg-type]

    def model_name(self, recorded: str | None = None) -> str:
        """The model to use: the one asked for, else the index's recorded one, else the default."""
        return self.model or recorded or DEFAULT_MODEL

    def index_path(self, root: Path) -> Path:
        """Where the index of the repository at root lives (a relative index_dir is under root)."""
        if self.index_dir:
            p = Path(self.index_dir).expanduser()
            return p if p.is_absolute() else (root / p)
        return root / INDEX_DIR_NAME
