"""Load BLOOM weights in the precision memory.py chose: fp32/bf16/fp16 via transformers, or int8
built block by block from the memory-mapped safetensors (peak: the int8 model plus one fp32 block)."""

from __future__ import annotations

import json
import warnings
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from codesearch.embed import compute
from codesearch.embed.memory import Precision
from codesearch.errors import ModelError

if TYPE_CHECKING:
    import torch

    from codesearch.embed.bloom_forward import LeanBloom

INT8_SCHEMES = ("tensor", "channel")  # one weight scale per Linear layer, or one per output row
INT8_SCHEME = "channel"  # what int8 means here: per channel lost <= 0.004 NDCG@10 where per tensor lost 0.014, at the
# same speed (benchmarks/results/int8.md)


def int8_spec(model, scheme: str = INT8_SCHEME, keep: Sequence[str] = ()) -> dict:
    """torch's quantize_dynamic spec for model's Linear layers in scheme (per tensor: torch's default weight
    scale; per channel: one per output row, so a row of small weights keeps its own scale), the layers whose
    names match a keep pattern (fnmatch) left in fp32."""
    import fnmatch

    import torch
    from torch.ao.quantization import default_dynamic_qconfig, per_channel_dynamic_qconfig

    if scheme not in INT8_SCHEMES:
        raise ModelError(f"unknown int8 scheme {scheme!r}: use one of {', '.join(INT8_SCHEMES)}")
    spec: dict = {torch.nn.Linear: per_channel_dynamic_qconfig if scheme == "channel" else default_dynamic_qconfig}
    spec.update({name: None for name, module in model.named_modules()
                 if isinstance(module, torch.nn.Linear) and any(fnmatch.fnmatchcase(name, k) for k in keep)})
    return spec


def quiet_transformers() -> None:
    """Our own progress and errors reach the user, not transformers' (called before it loads anything)."""
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()


def load_bloom(folder: Path, precision: Precision) -> "LeanBloom":
    """A BLOOM (bloom_forward.LeanBloom: no transformers import) from folder's safetensors, in precision
    (never from a pickle)."""
    import torch

    if precision.quantize == "int8":
        return load_bloom_int8(folder)
    return _read_bloom(folder, getattr(torch, precision.dtype))


def safetensors_files(folder: Path) -> list[Path]:
    """The safetensors weight files of folder: model.safetensors, or the shards of its index."""
    if (folder / "model.safetensors").is_file():
        return [folder / "model.safetensors"]
    index = json.loads((folder / "model.safetensors.index.json").read_text())
    return [folder / name for name in sorted(set(index["weight_map"].values()))]


def load_bloom_int8(folder: Path) -> "LeanBloom":
    """A BLOOM with dynamic int8 Linear layers, quantised one block at a time as it is read."""
    import torch

    def quantise(block) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.ao.quantization.quantize_dynamic(block, int8_spec(block), dtype=torch.qint8, inplace=True)

    return _read_bloom(folder, torch.float32, quantise)


def _read_bloom(folder: Path, dtype: "torch.dtype",
                after_block: Callable[["torch.nn.Module"], None] | None = None) -> "LeanBloom":
    """folder's BLOOM weights read into a LeanBloom one block at a time (after_block(block) as each is
    read); a missing or unexpected weight raises."""
    import torch
    from safetensors import safe_open

    from codesearch.embed.bloom_forward import LeanBloom

    try:
        config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read {folder / 'config.json'}: {exc}; download the model again") from exc
    with torch.device("meta"):
        model = LeanBloom(config)
    with ExitStack() as stack:
        handles = {}
        for path in safetensors_files(folder):
            fh = stack.enter_context(safe_open(str(path), framework="pt"))
            handles.update({key: fh for key in fh.keys()})
        prefix = "transformer." if any(k.startswith("transformer.") for k in handles) else ""

        def take(part: str) -> dict:
            start = prefix + part
            return {k[len(start):]: handles[k].get_tensor(k).to(dtype) for k in handles if k.startswith(start)}

        for name in ("word_embeddings", "word_embeddings_layernorm", "ln_f"):
            getattr(model, name).load_state_dict(take(name + "."), assign=True)
        for i, block in enumerate(model.h):
            if compute.stopping():  # Ctrl-C while loading: exit now, not after reading every block
                raise compute.Stopped("the process is exiting")
            block.load_state_dict(take(f"h.{i}."), assign=True)
            if after_block is not None:
                after_block(block)
    return model.eval()
