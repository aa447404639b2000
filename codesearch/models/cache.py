"""Where codesearch keeps model folders of its own (downloaded or converted), and what each holds.

A folder is complete once its manifest (`codesearch-model.json`) exists: it is written last, after
every weight file is in place, so an interrupted download or conversion is never mistaken for a model.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from codesearch.config import cache_root  # the one cache root (models, shared embeddings, hints)

MANIFEST = "codesearch-model.json"
# Files a model folder needs besides its weights (whichever of them the repository has).
SUPPORT_FILES = ("config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
                 "added_tokens.json", "vocab.json", "vocab.txt", "merges.txt", "tokenizer.model",
                 "sentencepiece.bpe.model", "sentence_bert_config.json", "generation_config.json")
UDEVER_ALIASES = {  # the names users type for the udever models
    "udever-560m": "izhx/udever-bloom-560m",
    "udever-1b1": "izhx/udever-bloom-1b1",
    "udever-3b": "izhx/udever-bloom-3b",
    "udever-7b1": "izhx/udever-bloom-7b1",
}
KNOWN_LICENCES = {  # from the model cards, for folders whose card was not fetched
    "izhx/udever-bloom-560m": "bigscience-bloom-rail-1.0",
    "izhx/udever-bloom-1b1": "bigscience-bloom-rail-1.0",
    "izhx/udever-bloom-3b": "bigscience-bloom-rail-1.0",
    "izhx/udever-bloom-7b1": "bigscience-bloom-rail-1.0",
}


def obtain_hint(repo_id: str = "izhx/udever-bloom-560m") -> str:
    """What every error about getting a model ends with: what works offline, and how to get udever."""
    alias = next((a for a, r in UDEVER_ALIASES.items() if r == repo_id), "udever-560m")
    return (f"`--model minilm` works offline (English only); to get {alias}, run `codesearch model download {alias}` "
            f"(or `huggingface-cli download {UDEVER_ALIASES.get(alias, repo_id)}`) where the hub is reachable "
            f"(HF_TOKEN for a gated or private model), or copy "
            f"{folder_for(UDEVER_ALIASES.get(alias, repo_id))} from a machine that has it")


def models_dir() -> Path:
    """The folder holding one sub-folder per model."""
    return cache_root() / "models"


def folder_for(key: str) -> Path:
    """The folder for a hub id ("owner/name" → owner--name) or any other key, safe as one path part."""
    return models_dir() / re.sub(r"[^A-Za-z0-9._-]+", "--", key.strip("/"))


def hf_cache_dir() -> Path:
    """The Hugging Face hub cache, read from the environment now (not when huggingface_hub was imported)."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"]).expanduser()
    home = os.environ.get("HF_HOME") or os.path.join(os.environ.get("XDG_CACHE_HOME") or "~/.cache", "huggingface")
    return Path(home).expanduser() / "hub"


@dataclass
class Manifest:
    """What a cached model folder is: where it came from, its licence, and its weight files."""

    model_id: str
    source: str  # "hub", "hf-cache" or "local"
    revision: str | None = None
    licence: str | None = None
    weights: list[str] = field(default_factory=list)
    converted_from: str | None = None  # "pytorch_model.bin" when we made the safetensors ourselves
    source_stamp: str | None = None  # a local source's size+mtime, to notice it changed

    def write(self, folder: Path) -> None:
        """Mark folder complete (atomically: a reader sees the whole manifest or none)."""
        tmp = folder / (MANIFEST + ".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=1))
        os.replace(tmp, folder / MANIFEST)


def read_manifest(folder: Path) -> Manifest | None:
    """The manifest of a complete folder, or None."""
    try:
        data = json.loads((folder / MANIFEST).read_text())
        return Manifest(**data)
    except (OSError, ValueError, TypeError):
        return None


def folder_bytes(folder: Path) -> int:
    """Bytes the files in folder take (symlinks followed)."""
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def cached_models() -> list[tuple[Path, Manifest]]:
    """Every complete model folder in codesearch's cache."""
    root = models_dir()
    found = [(p, read_manifest(p)) for p in sorted(root.iterdir())] if root.is_dir() else []
    return [(p, m) for p, m in found if m is not None]
