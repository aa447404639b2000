"""Texts to unit-length float32 vectors: udever (BLOOM, last token) and mean-pooled encoders."""

from __future__ import annotations

import os
import sys
import warnings
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Callable, NamedTuple, Protocol, Sequence

import numpy as np

from codesearch.embed import compute
from codesearch.embed.compute import computed
from codesearch.embed.tokens import load_tokenizer
from codesearch.embed.weights import INT8_SCHEME, int8_spec, quiet_transformers
from codesearch.config import CHOICES, Config
from codesearch.errors import ModelError, UsageError
from codesearch.models.resolve import (ResolvedModel, TokenBudget, backend_of, local_config, model_id_of,
                                       resolve_model, token_budget)

Progress = Callable[[int, int], None]  # (texts done, texts total)
UDEVER_MARKERS = ("[BOQ]", "[EOQ]", "[BOD]", "[EOD]")
CHARS_PER_TOKEN_CAP = 32  # pre-cut huge texts before tokenizing; no token is longer than this
# Bump when a recipe's output changes for the same weights (markers, truncation, pooling):
# exported embedding bundles record it, so vectors of two recipes are never mixed.
UDEVER_RECIPE = "udever/1"  # [BOD]/[BOQ] prefix, [EOD]/[EOQ] after truncation, last token, L2
MEANPOOL_RECIPE = "meanpool/1"  # mean of token states under the attention mask, L2
CPU_PRECISION = "int8"  # the model's precision on the CPU unless asked: per-channel dynamic int8 lost at most 0.004
# NDCG@10 on the whole-repository benchmark (none on the tuning half) at 1.8x (MiniLM) to 2.3x (560m) the fp32
# forward (benchmarks/results/int8.md)


class Embedder(Protocol):
    """What the index and search need from a model."""

    model_id: str
    dim: int
    max_length: int  # the token budget per unit: what of a unit its vector reads (models.resolve.token_budget)
    legacy_length: int  # the budget codesearch used for this model before budgets were recorded
    recipe: str
    vector_precision: str  # "fp32" or "int8": vectors of two precisions are never mixed (store.embedcache.vectors_key)

    def embed_queries(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray: ...

    def embed_documents(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray: ...

    def fast_queries(self) -> bool: ...


def choose_device(preferred: str | None = None) -> str:
    """cuda, then mps, then cpu, unless the caller names one."""
    if preferred == "cpu" or (not preferred and _surely_cpu_only()):
        return "cpu"
    import torch

    if preferred:
        if preferred.startswith("cuda") and not torch.cuda.is_available():
            raise ModelError(f"device {preferred!r} asked for, but CUDA is not available here; use --device cpu")
        return preferred
    if torch.cuda.is_available():
        return "cuda"
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        return "mps"
    return "cpu"


def _surely_cpu_only() -> bool:
    """True where no GPU can be reached, known without importing torch (Linux with no NVIDIA, Tegra, ROCm or WSL GPU
    device node): a first index then imports torch on the model's loading thread, beside the parse, not before it."""
    if sys.platform != "linux" or "torch" in sys.modules:
        return False
    dev = Path("/dev")
    gpu_nodes = ("kfd", "dxg", "nvhost-gpu", "nvgpu", "nvmap")  # ROCm, WSL, NVIDIA Jetson/Tegra
    return not (any(dev.glob("nvidia[0-9]*")) or any((dev / name).exists() for name in gpu_nodes))


def precision_for(asked: str | None, device: str) -> str:
    """The precision of the model's vectors on device: the one asked for (config.CHOICES), else int8 or fp32 on
    the CPU as measured by retrieval quality (CPU_PRECISION), else fp32 (GPUs compute in half precision, whose
    vectors stay within rounding of fp32's and share their key)."""
    if asked is not None and asked not in CHOICES["precision"]:
        raise UsageError(f"unknown precision {asked!r}: use one of {', '.join(CHOICES['precision'])}")
    if asked == "int8" and device != "cpu":
        raise UsageError(f"--precision int8 is for the CPU only, not {device}; drop it or use --device cpu")
    return asked or (CPU_PRECISION if device == "cpu" else "fp32")


def _quantize(quantize: str | None, device: str) -> str | None:
    """A constructor's quantize (None: the model as loaded, "int8"), checked: int8 runs on the CPU only."""
    if quantize not in (None, "int8"):
        raise ModelError(f"unknown quantization {quantize!r}: the only choice is int8")
    return quantize and precision_for(quantize, device)


def physical_cores() -> int:
    """Cores this process may run on, counting SMT siblings once: GEMMs gain nothing from a sibling."""
    try:
        cpus = sorted(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return max(1, (os.cpu_count() or 2) // 2)
    cores = set()
    for cpu in cpus:
        try:
            with open(f"/sys/devices/system/cpu/cpu{cpu}/topology/thread_siblings_list") as fh:
                cores.add(fh.read().strip())
        except OSError:
            cores.add(str(cpu))
    return max(1, len(cores))


def token_budget_batches(lengths: Sequence[int], budget: int, min_fill: float = 0.85) -> list[list[int]]:
    """Group indices, longest first, so each padded batch holds at most `budget` tokens.

    A batch also closes early when the next text is much shorter than the batch's longest (under
    `min_fill` of it) and the batch already holds a quarter of the budget: little padding, and
    batches stay in the 1-2k token range that runs fastest on CPU.
    """
    order = sorted(range(len(lengths)), key=lambda i: -lengths[i])
    batches: list[list[int]] = []
    current: list[int] = []
    for i in order:
        width = lengths[current[0]] if current else lengths[i]
        full = width * (len(current) + 1) > budget
        ragged = lengths[i] < min_fill * width and width * len(current) >= budget / 4
        if current and (full or ragged):
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    return batches


def padding_waste(lengths: Sequence[int], batches: list[list[int]]) -> float:
    """Fraction of the processed tokens that are padding."""
    padded = sum(max(lengths[i] for i in b) * len(b) for b in batches)
    return 1 - sum(lengths) / padded if padded else 0.0


class _TorchEmbedder(ABC):
    """Shared batching loop: sort by length, batch by token budget, restore the caller's order."""

    model_id: str
    dim: int
    max_length: int
    legacy_length: int

    def __init__(self, resolved: ResolvedModel, device: str | None, batch_tokens: int, max_length: int | None,
                 threads: int | None = None) -> None:
        import torch

        self.torch = torch
        self.resolved = resolved
        self.model_id = resolved.model_id
        self.device = choose_device(device)
        budget = token_budget(resolved)
        self.max_length = budget.tokens(max_length)  # max_length None: the length the model was trained with
        self.legacy_length = budget.legacy
        self.batch_tokens = max(batch_tokens, self.max_length)
        if self.device == "cpu" or threads:
            torch.set_num_threads(threads or physical_cores())

    def _dtype(self):
        torch = self.torch
        if self.device.startswith("cuda"):
            return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
        if self.device == "mps":
            return torch.float16
        return torch.float32

    @abstractmethod
    def _tokenize(self, texts: Sequence[str], kind: str) -> list[list[int]]:
        """Token ids per text, markers included (each backend has its own recipe)."""

    @abstractmethod
    def _forward(self, ids: list[list[int]], model) -> np.ndarray:
        """One pooled vector per id list (each backend has its own pooling)."""

    model = None  # None: loaded with weights=False, for tokenizing only
    recipe: str
    quantize: str | None = None  # "int8" when the model's Linear layers are int8

    @property
    def vector_precision(self) -> str:
        """What precision this model's vectors are of: "int8" when its Linear layers are, else "fp32"."""
        return "int8" if self.quantize == "int8" else "fp32"
    query_model = None  # an int8 copy for queries, made by fast_queries() in long-lived processes

    @computed
    def fast_queries(self) -> bool:
        """Embed queries with an int8 copy of the model (CPU): a one-off cost of a few seconds
        that makes each query several times faster (560m: ~200 ms to ~30 ms, cosine >= 0.998 to fp32),
        since a short query only streams the weights once. Documents keep the exact fp32 recipe."""
        if self.device != "cpu" or self.query_model is not None or self.quantize:
            return False
        self.query_model = self.int8_model()
        return True

    int8_copy = None  # the model's int8 copy, made once for whoever needs it (fast queries, the static tier)

    @computed
    def int8_model(self):
        """The model with int8 Linear layers on the CPU (this model when loaded as int8, else one int8 copy
        sharing its embedding table, made once); None off the CPU, where int8 is not faster."""
        if self.quantize == "int8":
            return self.model
        if self.device != "cpu" or self.model is None:
            return None
        if self.int8_copy is None:
            self.int8_copy = quantize_int8(self.model, share_embeddings=True)
        return self.int8_copy

    def tokenize(self, texts: Sequence[str], kind: str) -> list[list[int]]:
        """Token ids per text, as this recipe builds them ("query" or "document"); no weights needed."""
        return self._tokenize(texts, kind)

    def embed_ids(self, ids: Sequence[Sequence[int]], kind: str, progress: Progress | None = None,
                  model=None) -> np.ndarray:
        """Unit vectors for token ids made by tokenize(), batched by token budget, in the caller's order
        (through model when given: the static tier distils through the int8 copy)."""
        if self.model is None:
            raise ModelError(f"model {self.model_id!r} was loaded without weights (tokenizer only)")
        out = np.zeros((len(ids), self.dim), dtype=np.float32)
        done = 0
        if model is None:
            model = self.query_model if kind == "query" and self.query_model is not None else self.model
        for batch in token_budget_batches([len(x) for x in ids], self.batch_tokens):
            vecs = self.forward_batch([list(ids[i]) for i in batch], model, urgent=kind == "query")
            out[batch] = unit_rows(vecs)
            done += len(batch)
            if progress:
                progress(done, len(ids))
        return out

    def forward_batch(self, ids: list[list[int]], model, urgent: bool = False) -> np.ndarray:
        """One batch through the model, without autograd, on the compute thread (see codesearch.embed.compute);
        urgent (a query): on this thread instead whenever the compute thread is busy with other work."""
        def job() -> np.ndarray:
            with self.torch.inference_mode():
                return self._forward(ids, model)

        return compute.run(job, unless_busy=urgent)

    def _embed(self, texts: Sequence[str], kind: str, progress: Progress | None) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self.embed_ids(self.tokenize(texts, kind), kind, progress)

    def embed_queries(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """Vectors for questions."""
        return self._embed(texts, "query", progress)

    def embed_documents(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """Vectors for code."""
        return self._embed(texts, "document", progress)


class UdeverEmbedder(_TorchEmbedder):
    """udever recipe from the model card: [BOQ]/[BOD] prefix, [EOQ]/[EOD] after truncation, last token."""

    recipe = UDEVER_RECIPE

    @computed  # loading runs torch work too: on the thread that will run every forward
    def __init__(self, resolved: ResolvedModel, device: str | None = None, batch_tokens: int = 2048,
                 max_length: int | None = None, quantize: str | None = None, fast_gelu: bool = True,
                 threads: int | None = None, weights: bool = True) -> None:
        super().__init__(resolved, device, batch_tokens, max_length, threads)
        from codesearch.embed.memory import plan_for
        from codesearch.embed.weights import load_bloom

        self.tokenizer = load_tokenizer(resolved.path, resolved.model_id)
        ids = self.tokenizer.convert_tokens_to_ids(list(UDEVER_MARKERS))
        unk = self.tokenizer.unk_token_id
        missing = [m for m, i in zip(UDEVER_MARKERS, ids) if i is None or i == unk]
        if missing:
            raise ModelError(f"model {resolved.model_id!r} is not a udever model: its tokenizer lacks {' '.join(missing)}")
        self.boq, self.eoq, self.bod, self.eod = ids
        self.pad_id = self.tokenizer.pad_token_id if self.tokenizer.pad_token_id is not None else 0
        self.quantize = _quantize(quantize, self.device)
        if not weights:
            self.dim = _hidden_size(resolved)
            return
        self.precision = plan_for(resolved.path, self.device, self.quantize, self.batch_tokens, self.max_length,
                                  resolved.model_id)
        try:
            model = load_bloom(resolved.path, self.precision)
        except Exception as exc:  # noqa: BLE001 - transformers and safetensors raise many kinds
            raise ModelError(f"model {resolved.model_id!r}: cannot load BLOOM weights from {resolved.path}: {exc}") from exc
        model.eval()
        if fast_gelu:
            use_tanh_gelu(model)
        self.model = model.to(self.device)
        self.dim = model.config.hidden_size
        self.quantize = self.precision.quantize

    def _tokenize(self, texts: Sequence[str], kind: str) -> list[list[int]]:
        prefix, end = ("[BOQ]", self.eoq) if kind == "query" else ("[BOD]", self.eod)
        cap = self.max_length * CHARS_PER_TOKEN_CAP
        enc = self.tokenizer([prefix + t[:cap] for t in texts], truncation=True, max_length=self.max_length - 1)
        return [list(ids) + [end] for ids in enc["input_ids"]]

    lean_forward = True  # False: the model's own forward (a transformers BloomModel a benchmark sets as the reference)

    def embed_framed_tokens(self, tokens: Sequence[int], model=None) -> np.ndarray:
        """Unit vectors of the one-token documents ``[BOD] t [EOD]`` (the static tier's distillation),
        the shared [BOD] computed once per batch: a third less work than embed_ids on the framed ids."""
        from codesearch.embed.bloom_forward import framed_token_states

        model = self.model if model is None else model

        def job() -> np.ndarray:
            with self.torch.inference_mode():
                return framed_token_states(model, [self.bod], list(tokens), [self.eod]).float().cpu().numpy()

        return unit_rows(compute.run(job))

    def _forward(self, ids: list[list[int]], model) -> np.ndarray:
        if self.lean_forward:
            from codesearch.embed.bloom_forward import last_token_states

            return last_token_states(model, ids).float().cpu().numpy()
        torch = self.torch
        width = max(len(x) for x in ids)
        input_ids = torch.full((len(ids), width), self.pad_id, dtype=torch.long)
        mask = torch.zeros((len(ids), width), dtype=torch.long)
        for row, x in enumerate(ids):  # left padding: the last token sits at -1 in every row
            input_ids[row, width - len(x):] = torch.tensor(x)
            mask[row, width - len(x):] = 1
        hidden = model(input_ids=input_ids.to(self.device), attention_mask=mask.to(self.device)).last_hidden_state
        return hidden[:, -1].float().cpu().numpy()


class MeanPoolEmbedder(_TorchEmbedder):
    """Encoder models in the sentence-transformers layout: mean of token states, L2-normalised."""

    recipe = MEANPOOL_RECIPE

    @computed
    def __init__(self, resolved: ResolvedModel, device: str | None = None, batch_tokens: int = 2048,
                 max_length: int | None = None, quantize: str | None = None, threads: int | None = None,
                 weights: bool = True) -> None:
        folder = resolved.path
        super().__init__(resolved, device, batch_tokens, max_length, threads)
        self.quantize = _quantize(quantize, self.device)
        self.tokenizer = load_tokenizer(folder, resolved.model_id)
        self.pad_id = self.tokenizer.pad_token_id or 0
        if not weights:
            self.dim = _hidden_size(resolved)
            return
        model = _load_encoder(resolved, self._dtype())
        if self.quantize == "int8":
            model = quantize_int8(model)
        self.model = model.to(self.device)
        self.dim = _hidden_size(resolved)

    def _tokenize(self, texts: Sequence[str], kind: str) -> list[list[int]]:
        cap = self.max_length * CHARS_PER_TOKEN_CAP
        enc = self.tokenizer([t[:cap] for t in texts], truncation=True, max_length=self.max_length)
        return [list(x) for x in enc["input_ids"]]

    def _forward(self, ids: list[list[int]], model) -> np.ndarray:
        torch = self.torch
        width = max(len(x) for x in ids)
        input_ids = torch.full((len(ids), width), self.pad_id, dtype=torch.long)
        mask = torch.zeros((len(ids), width), dtype=torch.long)
        for row, x in enumerate(ids):
            input_ids[row, : len(x)] = torch.tensor(x)
            mask[row, : len(x)] = 1
        input_ids, mask = input_ids.to(self.device), mask.to(self.device)
        out = model(input_ids=input_ids, attention_mask=mask)
        hidden = getattr(out, "last_hidden_state", out).float()  # transformers' output, or bert_forward's tensor
        m = mask.unsqueeze(-1).float()
        return ((hidden * m).sum(1) / m.sum(1).clamp(min=1e-9)).cpu().numpy()


def _load_encoder(resolved: ResolvedModel, dtype: "torch.dtype") -> "torch.nn.Module":
    """The encoder's weights in eval mode: plain torch for a BERT whose checkpoint it reads exactly
    (embed.bert_forward: no transformers import), else transformers' AutoModel."""
    from codesearch.embed.bert_forward import bert_config, load_bert

    config = bert_config(resolved.path)
    try:
        lean = load_bert(resolved.path, config, dtype) if config is not None else None
        if lean is not None:
            return lean
        quiet_transformers()
        from transformers import AutoModel

        return AutoModel.from_pretrained(str(resolved.path), dtype=dtype).eval()
    except Exception as exc:  # noqa: BLE001 - safetensors, torch and transformers raise many kinds
        detail = " ".join(str(exc).split())  # one line, however many the library wrote
        raise ModelError(f"model {resolved.model_id!r}: cannot load it from {resolved.path}: "
                         f"{detail[:300]}{'...' if len(detail) > 300 else ''}") from exc


def use_tanh_gelu(model) -> int:
    """Swap BLOOM's unfused GeLU for torch's fused tanh GeLU (same function, max error < 1e-5)."""
    import torch
    import torch.nn.functional as F

    class TanhGelu(torch.nn.Module):
        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return F.gelu(x, approximate="tanh")

    swapped = 0
    for block in getattr(model, "h", []):
        if hasattr(block.mlp, "gelu_impl"):
            block.mlp.gelu_impl = TanhGelu()
            swapped += 1
    return swapped


def quantize_int8(model, share_embeddings: bool = False, scheme: str = INT8_SCHEME, keep: Sequence[str] = ()):
    """Dynamic int8 quantisation of the Linear layers (CPU), in scheme, those matching keep left in fp32
    (see embed.weights.int8_spec).

    share_embeddings: quantise a copy that shares the (large, unquantised) token embedding table
    with the original, so both can live in one process without doubling it.
    """
    import torch

    spec = int8_spec(model, scheme, keep)
    table = getattr(model, "word_embeddings", None) if share_embeddings else None
    if table is not None:
        model.word_embeddings = torch.nn.Identity()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            quantized = torch.ao.quantization.quantize_dynamic(model, spec, dtype=torch.qint8,
                                                               inplace=not share_embeddings)
    finally:
        if table is not None:
            model.word_embeddings = table
    if table is not None:
        quantized.word_embeddings = table
    return quantized


def _hidden_size(resolved: ResolvedModel) -> int:
    """The model's vector width from its config.json, without loading weights."""
    import json

    try:
        return int(json.loads((resolved.path / "config.json").read_text())["hidden_size"])
    except (OSError, ValueError, KeyError) as exc:
        raise ModelError(f"model {resolved.model_id!r}: no hidden_size in {resolved.path}/config.json") from exc


class ModelShape(NamedTuple):
    """What an index records of a model before its weights load: its vectors' identity."""

    model_id: str
    dim: int
    recipe: str
    max_length: int  # the token budget per unit it will embed with
    legacy_length: int  # the budget of vectors kept before budgets were recorded
    vector_precision: str  # "fp32" or "int8", as the loaded model's will be


def model_shape(name: str, cfg: Config | None = None, on_download=None) -> ModelShape:
    """A model name's shape with cfg's token budget, without loading weights (downloading them if needed,
    reporting to on_download)."""
    cfg = cfg or Config()
    resolved = resolve_model(name, on_download)
    recipe = UDEVER_RECIPE if resolved.backend == "udever" else MEANPOOL_RECIPE
    budget: TokenBudget = token_budget(resolved)
    tokens = budget.tokens(cfg.max_length)
    return ModelShape(resolved.model_id, _hidden_size(resolved), recipe, tokens, budget.legacy,
                      _planned_precision(resolved, cfg, tokens))


def _planned_precision(resolved: ResolvedModel, cfg: Config, tokens: int) -> str:
    """The precision the model will load in, without loading it: cfg's (precision_for), or int8 where a BLOOM
    in fp32 does not fit the memory there is (embed.memory.plan_for decides it the same way at load)."""
    from codesearch.embed.memory import plan_for

    device = choose_device(cfg.device)
    precision = precision_for(cfg.precision, device)
    if precision == "int8" or resolved.backend != "udever":
        return precision
    plan = plan_for(resolved.path, device, None, max(cfg.batch_tokens, tokens), tokens, resolved.model_id)
    return "int8" if plan.quantize == "int8" else precision


def shape_here(name: str) -> tuple[str, int | None, str | None]:
    """(model id, dimension, recipe version) of a model name as far as this machine knows them without a
    download or any weights (None where it cannot tell): what reading an embedding bundle needs."""
    config, backend = local_config(name) or {}, backend_of(name)
    dim = config.get("hidden_size") if isinstance(config.get("hidden_size"), int) else None
    recipe = UDEVER_RECIPE if backend == "udever" else MEANPOOL_RECIPE if backend == "meanpool" else None
    return model_id_of(name), dim, recipe


def load_embedder(name: str, cfg: Config | None = None, weights: bool = True, on_download=None) -> Embedder:
    """The one model loader: resolve a name (downloading it if needed, reporting hub.DownloadEvent values to
    on_download) and load its backend with cfg's device, batching, truncation, quantisation and threads
    (weights=False: tokenizer and shape only, for drivers that embed elsewhere)."""
    cfg = cfg or Config()
    resolved = resolve_model(name, on_download)
    device = choose_device(cfg.device)
    quantize = "int8" if precision_for(cfg.precision, device) == "int8" else None
    if resolved.backend == "udever":
        return UdeverEmbedder(resolved, device, cfg.batch_tokens, cfg.max_length, quantize,
                              threads=cfg.threads, weights=weights)
    return MeanPoolEmbedder(resolved, device, cfg.batch_tokens, cfg.max_length, quantize, threads=cfg.threads,
                            weights=weights)


def unit_rows(vecs: np.ndarray) -> np.ndarray:
    """Each row L2-normalised (a zero row stays zero): every embedding is compared by cosine."""
    return vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    """Cosine similarity of two vectors."""
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-12))


__all__ = ["Embedder", "UdeverEmbedder", "MeanPoolEmbedder", "load_embedder", "model_shape", "ModelShape", "precision_for", "CPU_PRECISION",
           "UDEVER_RECIPE", "MEANPOOL_RECIPE", "choose_device", "physical_cores",
           "token_budget_batches", "padding_waste", "use_tanh_gelu", "quantize_int8", "cosine", "unit_rows"]
