"""How much memory a BLOOM model needs in each precision, what the machine has, and what to load.

Decided before any weight is read, so a model that cannot fit is one clear line saying what would
work (another device, int8, a smaller model) instead of a swap storm or an out-of-memory kill.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from codesearch.errors import ModelError

GB = 1e9
RUNTIME_BYTES = 512 * 1024 * 1024  # torch, tokenizer and Python themselves, beyond weights and activations
UDEVER_SIZES = ("560m", "1b1", "3b", "7b1")  # aliases udever-<size>, smallest first


@dataclass(frozen=True)
class BloomSize:
    """A BLOOM model's shape and exact parameter counts, from its config.json."""

    vocab: int
    hidden: int
    layers: int
    heads: int

    @classmethod
    def from_config(cls, config: dict) -> "BloomSize":
        return cls(int(config["vocab_size"]), int(config.get("hidden_size") or config["n_embed"]),
                   int(config.get("n_layer") or config["num_hidden_layers"]),
                   int(config.get("n_head") or config["num_attention_heads"]))

    @property
    def linear_params(self) -> int:
        """Weights and biases of the Linear layers (what int8 quantises): qkv, dense, h→4h, 4h→h."""
        h = self.hidden
        return self.layers * (12 * h * h + 9 * h)

    @property
    def params(self) -> int:
        """Every parameter: embeddings and their LayerNorm, the blocks (2 LayerNorms each), the final LayerNorm."""
        h = self.hidden
        return self.vocab * h + 2 * h + self.linear_params + self.layers * 4 * h + 2 * h


def weight_bytes(size: BloomSize, dtype: str, quantize: str | None) -> int:
    """Bytes of the loaded weights: int8 Linear weights (their biases fp32), everything else in dtype."""
    width = 4 if dtype == "float32" else 2
    if quantize != "int8":
        return size.params * width
    h = size.hidden
    int8_weights = size.layers * 12 * h * h
    return int8_weights + (size.params - int8_weights) * 4


def working_bytes(size: BloomSize, width: int, batch_tokens: int, max_length: int) -> int:
    """Activations of one forward pass over a batch of batch_tokens tokens, plus the runtime."""
    hidden_states = batch_tokens * size.hidden * 13 * width  # residual, qkv, context, 4h and its GeLU
    scores = batch_tokens * max_length * size.heads * width * 2  # attention scores and their softmax
    return hidden_states + scores + RUNTIME_BYTES


@dataclass(frozen=True)
class Precision:
    """What to load: dtype, optional int8, the memory it needs and has; note says why if not the default."""

    dtype: str  # "float32", "bfloat16" or "float16"
    quantize: str | None
    need_bytes: int
    available_bytes: int | None
    note: str | None = None


def need(size: BloomSize, dtype: str, quantize: str | None, batch_tokens: int, max_length: int) -> int:
    """Peak bytes to load and run the model in that precision.

    int8 is built one block at a time from the memory-mapped safetensors, so its peak is the int8
    model plus one block in fp32, never the whole model in fp32.
    """
    width = 4 if dtype == "float32" or quantize == "int8" else 2
    weights = weight_bytes(size, dtype, quantize)
    if quantize == "int8":
        weights += (12 * size.hidden * size.hidden + 13 * size.hidden) * 4
    return weights + working_bytes(size, width, batch_tokens, max_length)


def choose_precision(size: BloomSize, device: str, available: int | None, *, quantize: str | None = None,
                     cpu_bf16: bool = False, cuda_bf16: bool = True, model: str = "the model",
                     batch_tokens: int = 2048, max_length: int = 300) -> Precision:
    """The precision to load on device given the memory available (None: unknown, assume it fits)."""

    def plan(dtype: str, q: str | None, note: str | None = None) -> Precision:
        return Precision(dtype, q, need(size, dtype, q, batch_tokens, max_length), available, note)

    def fits(p: Precision) -> bool:
        return available is None or p.need_bytes <= available

    if device.startswith("cuda") or device == "mps":
        half = plan("bfloat16" if device.startswith("cuda") and cuda_bf16 else "float16", None)
        if fits(half):
            return half
        raise ModelError(f"{model} needs ~{half.need_bytes / GB:.1f} GB in {half.dtype} on {device}, which has "
                         f"{available / GB:.1f} GB free: {_smaller(size, device, available, half.dtype, None, batch_tokens, max_length)}"
                         f"or run on the CPU with --device cpu")
    if quantize == "int8":
        int8 = plan("float32", "int8")
        if fits(int8):
            return int8
        raise ModelError(f"{model} needs ~{int8.need_bytes / GB:.1f} GB of memory even with --precision int8, and "
                         f"{available / GB:.1f} GB is available: "
                         f"{_smaller(size, device, available, 'float32', 'int8', batch_tokens, max_length)}or use --device cuda")
    fp32 = plan("float32", None)
    if fits(fp32):
        return fp32
    short = f"fp32 needs ~{fp32.need_bytes / GB:.1f} GB, {available / GB:.1f} GB is available"  # type: ignore[operator]
    if cpu_bf16:
        bf16 = plan("bfloat16", None, f"{model} runs in bfloat16 (this CPU has native bf16): {short}")
        if fits(bf16):
            return bf16
    int8 = plan("float32", "int8", f"{model} runs with int8 quantisation (cosine ~0.998 to fp32): {short}")
    if fits(int8):
        return int8
    raise ModelError(f"{model} does not fit in memory: {short}, int8 needs ~{int8.need_bytes / GB:.1f} GB; "
                     f"{_smaller(size, device, available, 'float32', 'int8', batch_tokens, max_length)}"
                     f"or use --device cuda (a GPU with ~{need(size, 'bfloat16', None, batch_tokens, max_length) / GB:.0f} GB)")


def _smaller(size: BloomSize, device: str, available: int | None, dtype: str, quantize: str | None,
             batch_tokens: int, max_length: int) -> str:
    """'use udever-1b1 (~5.1 GB), ' for the largest udever smaller than size that fits, else ''."""
    from codesearch.models.random_models import BLOOM_SHAPES, BLOOM_VOCAB

    best = ""
    for name in UDEVER_SIZES:
        s = BLOOM_SHAPES[name]
        other = BloomSize(BLOOM_VOCAB, s["hidden_size"], s["n_layer"], s["n_head"])
        n = need(other, dtype, quantize, batch_tokens, max_length)
        if other.params < size.params and (available is None or n <= available):
            best = f"use a smaller model, udever-{name} (~{n / GB:.1f} GB), "
    return best


def available_memory(device: str) -> int | None:
    """Bytes free for the model on device (CODESEARCH_MAX_MEMORY caps it); None when unknown."""
    from codesearch.config import machine_setting

    cap = _parse_bytes(machine_setting("max_memory") or "")
    found: int | None = None
    if device.startswith("cuda"):
        import torch

        index = torch.device(device).index
        found = int(torch.cuda.mem_get_info(index if index is not None else torch.cuda.current_device())[0])
    elif device == "cpu":
        found = _cpu_available()
    values = [v for v in (found, cap) if v is not None]
    return min(values) if values else None


def _cpu_available() -> int | None:
    try:
        import psutil

        free = int(psutil.virtual_memory().available)
    except ImportError:
        free = _meminfo_available()
    limit = _cgroup_headroom()
    values = [v for v in (free, limit) if v is not None]
    return min(values) if values else None


def _meminfo_available() -> int | None:
    try:
        text = Path("/proc/meminfo").read_text()
    except OSError:
        return None
    match = re.search(r"^MemAvailable:\s+(\d+) kB", text, re.M)
    return int(match.group(1)) * 1024 if match else None


def _cgroup_headroom() -> int | None:
    """A container's memory limit minus what it uses (cgroup v2), if it has one."""
    try:
        limit = Path("/sys/fs/cgroup/memory.max").read_text().strip()
        used = int(Path("/sys/fs/cgroup/memory.current").read_text())
    except (OSError, ValueError):
        return None
    return None if limit == "max" else max(int(limit) - used, 0)


def _parse_bytes(text: str) -> int | None:
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*", text.lower())
    if not match:
        if text.strip():
            raise ModelError(f"CODESEARCH_MAX_MEMORY={text!r} is not a size such as 8G or 512M")
        return None
    return int(float(match.group(1)) * 1024 ** "_kmgt".index(match.group(2) or "_"))


def cpu_has_native_bf16() -> bool:
    """Whether this CPU computes in bf16 natively (AVX512-BF16/AMX on x86, BF16 on Arm)."""
    try:
        info = Path("/proc/cpuinfo").read_text()
    except OSError:
        return False
    flags = set(re.findall(r"^(?:flags|Features)\s*:\s*(.*)$", info, re.M)[0].split()) if "flags" in info or "Features" in info else set()
    return bool(flags & {"avx512_bf16", "amx_bf16", "bf16"})


def plan_for(folder: Path, device: str, quantize: str | None, batch_tokens: int, max_length: int,
             model: str) -> Precision:
    """The precision for the BLOOM model in folder on device, from its config.json and free memory."""
    import json

    try:
        size = BloomSize.from_config(json.loads((folder / "config.json").read_text()))
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(f"model {model!r}: cannot read its size from {folder}/config.json ({exc})") from exc
    cuda_bf16 = True
    if device.startswith("cuda"):
        import torch

        cuda_bf16 = torch.cuda.is_bf16_supported()
    return choose_precision(size, device, available_memory(device), quantize=quantize, cpu_bf16=cpu_has_native_bf16(),
                            cuda_bf16=cuda_bf16, model=model, batch_tokens=batch_tokens, max_length=max_length)
