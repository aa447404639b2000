"""Torch checkpoints (`pytorch_model*.bin`) read without unpickling code, converted once to safetensors.

`torch.load(weights_only=True)` accepts tensors, dicts and plain values only; a checkpoint that would
need anything else (a pickled class, a function) is refused, never executed. The tensors are then
written as safetensors, so every later load is a pickle-free memory map.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

from codesearch.errors import ModelError

INDEX_BIN = "pytorch_model.bin.index.json"
INDEX_SAFE = "model.safetensors.index.json"


def load_state_dict(path: Path) -> dict:
    """The tensors of a torch checkpoint, memory-mapped where the format allows; never full unpickling."""
    import pickle  # only for the error type torch's weights_only loader raises; nothing is unpickled by it

    import torch

    try:
        try:
            state = torch.load(path, map_location="cpu", weights_only=True, mmap=True)
        except RuntimeError as exc:  # a legacy (non-zip) checkpoint cannot be memory-mapped
            if "mmap" not in str(exc):
                raise
            state = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as exc:
        raise ModelError(f"{path} holds more than tensors (it would need full unpickling, which can run code): "
                         f"refused; use a safetensors copy of the model") from exc
    except (OSError, RuntimeError, EOFError) as exc:
        raise ModelError(f"{path} is not a readable torch checkpoint ({str(exc).splitlines()[0][:120]}); "
                         f"delete it and download again") from exc
    if isinstance(state, dict) and isinstance(state.get("state_dict"), dict):
        state = state["state_dict"]
    if not isinstance(state, dict) or not all(isinstance(v, torch.Tensor) for v in state.values()):
        raise ModelError(f"{path} is not a state dict of tensors; codesearch cannot use it")
    return state


def _without_shared(state: dict) -> dict:
    """Drop tensors that share storage with an earlier one (tied weights): safetensors stores each once."""
    seen: set[tuple[int, int]] = set()
    out = {}
    for name, tensor in state.items():
        key = (tensor.untyped_storage().data_ptr(), tensor.storage_offset())
        if key in seen and tensor.numel():
            continue
        seen.add(key)
        out[name] = tensor.contiguous()
    return out


def bin_weight_files(folder: Path) -> list[str]:
    """The torch weight files of a folder: one, or the shards its index lists; [] if none."""
    if (folder / "pytorch_model.bin").is_file():
        return ["pytorch_model.bin"]
    index = folder / INDEX_BIN
    if index.is_file():
        return sorted(set(json.loads(index.read_text())["weight_map"].values()))
    return []


def convert_to_safetensors(src: Path, dest: Path, remove_source: bool = False) -> list[str]:
    """Write src's torch weights as safetensors in dest (one file per shard); return the new file names."""
    from safetensors import SafetensorError
    from safetensors.torch import save_file

    names = bin_weight_files(src)
    if not names:
        raise ModelError(f"{src} has no pytorch_model.bin to convert")
    dest.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    weight_map: dict[str, str] = {}
    for name in names:
        out_name = "model.safetensors" if len(names) == 1 else name.replace("pytorch_model", "model").replace(".bin", ".safetensors")
        state = _without_shared(load_state_dict(src / name))
        tmp = dest / (out_name + ".tmp")
        try:
            save_file(state, str(tmp), metadata={"format": "pt", "converted_from": name})
        except (OSError, SafetensorError) as exc:  # safetensors reports I/O errors as its own type
            tmp.unlink(missing_ok=True)
            if getattr(exc, "errno", None) in (errno.ENOSPC, errno.EDQUOT) or "No space left" in str(exc):
                raise ModelError(f"the disk is full while converting {src / name} to safetensors in {dest}: free "
                                 f"space or set XDG_CACHE_HOME (or CODESEARCH_CACHE_DIR) to a larger disk") from exc
            raise ModelError(f"cannot write {tmp}: {getattr(exc, 'strerror', None) or exc}") from exc
        del state
        os.replace(tmp, dest / out_name)
        written.append(out_name)
        weight_map.update({k: out_name for k in _keys(dest / out_name)})
        if remove_source:
            (src / name).unlink()
    if len(names) > 1:
        (dest / INDEX_SAFE).write_text(json.dumps({"metadata": {}, "weight_map": weight_map}, indent=1))
        written.insert(0, INDEX_SAFE)
    if remove_source:
        (src / INDEX_BIN).unlink(missing_ok=True)
    return written


def _keys(path: Path) -> list[str]:
    from safetensors import safe_open

    with safe_open(str(path), framework="pt") as fh:
        return list(fh.keys())


def copy_support_files(src: Path, dest: Path, names: tuple[str, ...]) -> None:
    """Copy the config and tokenizer files src has into dest."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in names:
        if (src / name).is_file():
            shutil.copyfile(src / name, dest / name)
