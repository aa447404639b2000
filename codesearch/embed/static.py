"""The static tier: per-token vectors distilled from the index's own model, pooled per text in microseconds.

Recipe (``static/3``), after model2vec's distillation, changed where codesearch differs:

* a token's vector is what the model itself makes of that token alone, through the model's own
  document recipe: udever embeds ``[BOD] token [EOD]`` and keeps the last state, a mean-pooled
  encoder embeds ``[CLS] token [SEP]`` and averages; each vector is L2-normalised (``embed_ids``);
* only the tokens a repository (or a query) uses are distilled, once per (model, recipe, token),
  and kept in the user's shared token cache (codesearch.store.embedcache.TokenCache), so every
  repository reuses them; nothing about one repository changes another's vectors;
* no PCA: model2vec fits PCA on the whole vocabulary, which for udever's 250k tokens would cost
  250k forward passes of a 560m model; fitted on one repository's tokens it would tie every
  vector to whichever repository came first. The vectors keep the model's width;
* Zipf-estimated SIF weights, as model2vec: tokenizers number tokens roughly by frequency, so a
  token's probability is estimated from its id's rank, p(id) = (1/(id+2)) / sum, and its weight is
  sif / (sif + p(id)): frequent tokens (punctuation, ``self``, spaces) count little;
* times the token's IDF over the index's functions, log((n+1)/(df+1)) + 1, and every token vector
  centred on the mean of the index's distinct token vectors (what PCA's centring does for model2vec:
  the common direction every transformer output shares drowns the rest). Both come from TokenStats,
  computed by the index's first static pass and kept in its catalog (refreshed when the index doubles),
  so a function's vector and a query's use the same statistics. On the tuning corpus (benchmarks/
  results/static-tier.md) Zipf alone gave NDCG@10 11.6, Zipf x IDF 37.7, and centred 41.8;
* the pooled vector is then partly whitened (``whitening``: each principal direction of the index's
  distinct token vectors scaled by its spread ** -0.6), the rest of what PCA does for model2vec: the
  few directions every token shares stop drowning the ones that tell them apart. Static alone on the
  whole-repo benchmark's tuning half, raw cosine, file NDCG@10: 0.662 unwhitened; power 0.25 0.690,
  0.4 0.702, 0.5 0.704, 0.6 0.715, 0.75 0.715, 1 (full whitening) 0.645; PCA to 256 dims without
  scaling 0.658. The matrix is kept with the index's statistics;
* on the CPU the tokens go through the model's int8 copy, or the model itself when it runs in int8
  (``+int8-channel`` in the key: per-channel int8, embed.weights.INT8_SCHEME): 2x faster to distil,
  with static NDCG@10 0.753 vs 0.752 for fp32 on the tuning half (measured with per-tensor int8, keyed
  ``+int8``; CODESEARCH_STATIC_PRECISION=fp32 for the exact fp32 numbers);
* a text's vector is the weighted sum of its tokens' vectors (repeats counted), L2-normalised;
  markers and special tokens are left out; at most STATIC_MAX_TOKENS tokens of a text are pooled.

The result is one more Embedder: its vectors are exact functions of the model's weights and
tokenizer, and its model_id names the model and the recipe, so vectors of two recipes never mix.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Protocol, Sequence

import numpy as np

from codesearch.config import CHOICES
from codesearch.embed import compute
from codesearch.embed.embedding import CHARS_PER_TOKEN_CAP, Progress
from codesearch.embed.weights import INT8_SCHEME

STATIC_RECIPE = "static/3"  # bump when the token framing, weighting or pooling changes
WHITENING_POWER = 0.6  # chosen on the whole-repo benchmark's tuning half (benchmarks/results/static-tier.md)
EIGEN_FLOOR = 1e-6  # directions with less spread than this share of the largest are scaled as if they had it
SIF_COEFFICIENT = 1e-4  # model2vec's default
STATIC_MAX_TOKENS = 2048  # tokens pooled per text at most (cheap: the cap only bounds pathological units)
DISTILL_BATCH = 512  # one-token documents per forward pass
INTERIM_MASS = 0.8  # share of a first index's pooling weight distilled before an interim static tier is published
STATIC_CPU_PRECISION = "int8"  # distil through the int8 copy on the CPU (benchmarks/results/static-tier.md)
INT8_TAG = "+int8" if INT8_SCHEME == "tensor" else f"+int8-{INT8_SCHEME}"  # in the key of tokens distilled in int8


class TokenStore(Protocol):
    """Where distilled token vectors are kept (the user's cache; see codesearch.store.embedcache)."""

    def get(self, model: str, recipe: str, tokens: Sequence[int], dim: int) -> dict[int, np.ndarray]: ...

    def put(self, model: str, recipe: str, tokens: Sequence[int], vectors: np.ndarray) -> None: ...


@dataclass
class TokenStats:
    """An index's token statistics for the static tier: document frequencies (IDF) and the mean token vector."""

    functions: int  # how many function texts the frequencies were counted over
    tokens: np.ndarray  # int64 token ids, sorted
    counts: np.ndarray  # int64 document frequency of each
    mean: np.ndarray  # float32 mean of the distinct tokens' vectors
    whitening: np.ndarray  # float32 [dim, dim]: see whitening()

    def idf(self, ids: np.ndarray) -> np.ndarray:
        """log((n+1)/(df+1)) + 1 of each id (df 0 for a token the index never used)."""
        df = np.zeros(len(ids), dtype=np.int64)
        if len(self.tokens):
            at = np.minimum(np.searchsorted(self.tokens, ids), len(self.tokens) - 1)
            hit = self.tokens[at] == ids
            df[hit] = self.counts[at[hit]]
        return (np.log((self.functions + 1) / (df + 1)) + 1).astype(np.float32)


def whitening(vectors: np.ndarray, mean: np.ndarray, power: float = WHITENING_POWER) -> np.ndarray:
    """[dim, dim] symmetric map V diag(eigenvalue ** -power / 2) V^T of the centred vectors' scatter matrix:
    each direction is scaled by its spread to the -power (power 1: full whitening, 0: none). A transformer's
    token vectors spend most of their length on a few directions every token shares; scaling those down
    lets the rest (what tells tokens apart) count. Symmetric (ZCA) rather than a PCA basis: unique, so the
    pooled vectors are too, whatever signs an eigen-solver picks."""
    if not len(vectors):
        return np.eye(vectors.shape[1], dtype=np.float32)
    centred = np.asarray(vectors, dtype=np.float64) - mean
    values, basis = np.linalg.eigh(centred.T @ centred)
    values = np.maximum(values, max(float(values.max()), 1e-12) * EIGEN_FLOOR)  # no blow-up of empty directions
    return ((basis * values ** (-power / 2)) @ basis.T).astype(np.float32)


def zipf_weights(vocab_size: int, sif: float = SIF_COEFFICIENT) -> np.ndarray:
    """SIF weight of every token id, its probability estimated from its rank by Zipf's law."""
    inv_rank = 1.0 / np.arange(2, vocab_size + 2, dtype=np.float64)
    proba = inv_rank / inv_rank.sum()
    return (sif / (sif + proba)).astype(np.float32)


class StaticEmbedder:
    """Texts to vectors by pooling distilled token vectors of a loaded transformer (see the module docstring)."""

    fast = True

    def __init__(self, model, tokens: TokenStore, sif: float = SIF_COEFFICIENT, stats: TokenStats | None = None,
                 precision: str | None = None) -> None:
        if getattr(model, "model", None) is None:
            from codesearch.errors import ModelError

            raise ModelError(f"the static tier of {model.model_id!r} needs the model's weights (loaded without them)")
        self.base = model
        self.tokens = tokens
        self.precision = distill_precision(model, precision)
        self.recipe = recipe_of(model.recipe, self.precision)
        self.model_id = static_key(model.model_id, model.recipe, self.precision)
        self.dim = model.dim
        self.max_length = STATIC_MAX_TOKENS
        tokenizer = model.tokenizer
        self._tokenizer = tokenizer
        markers = [getattr(model, m) for m in ("boq", "eoq", "bod", "eod") if hasattr(model, m)]
        self._special = set(tokenizer.all_special_ids) | set(markers)
        self._weights = zipf_weights(len(tokenizer), sif)
        self._held: dict[int, np.ndarray] = {}
        self._lock = threading.Lock()
        self.stats = stats  # the index's IDF and centre; None: Zipf weights alone, uncentred  # one distillation at a time (the index's sync, a query)

    # -- tokens ------------------------------------------------------------------------------
    def token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        """The ids pooled for each text: the model's tokens, no markers or special tokens, at most STATIC_MAX_TOKENS."""
        if not texts:
            return []
        cap = STATIC_MAX_TOKENS * CHARS_PER_TOKEN_CAP
        enc = self._tokenizer([t[:cap] for t in texts], add_special_tokens=False)["input_ids"]
        return [[i for i in ids if i not in self._special][:STATIC_MAX_TOKENS] for ids in enc]

    def framed(self, token: int) -> list[int]:
        """A token as a one-token document of the model's own recipe."""
        base = self.base
        if hasattr(base, "bod"):  # udever: [BOD] token [EOD], last token
            return [base.bod, token, base.eod]
        tok = self._tokenizer
        if tok.cls_token_id is not None and tok.sep_token_id is not None:  # BERT-style encoders: [CLS] token [SEP]
            return [tok.cls_token_id, token, tok.sep_token_id]
        return [i for i in (tok.bos_token_id, token, tok.eos_token_id) if i is not None]

    def distill(self, tokens: Sequence[int], progress: Progress | None = None) -> np.ndarray:
        """Vectors of these tokens straight from the model (no cache): one forward pass per token batch,
        through the int8 copy when the recipe says int8."""
        base = self.base
        model = base.int8_model() if self.precision == "int8" else base.model
        framed = getattr(base, "embed_framed_tokens", None) if getattr(base, "lean_forward", False) else None
        out = np.zeros((len(tokens), self.dim), dtype=np.float32)
        for start in range(0, len(tokens), DISTILL_BATCH):
            chunk = list(tokens[start : start + DISTILL_BATCH])
            out[start : start + len(chunk)] = (framed(chunk, model) if framed is not None else
                                               base.embed_ids([self.framed(t) for t in chunk], "document", model=model))
            if progress:
                progress(start + len(chunk), len(tokens))
        return out

    def vectors_of(self, tokens: Sequence[int], progress: Progress | None = None) -> dict[int, np.ndarray]:
        """Token -> vector for these tokens: held in memory, else from the token cache, else distilled and kept."""
        wanted = sorted(set(int(t) for t in tokens))
        with self._lock:
            missing = self._read_cached(wanted)
            if missing:
                made = self.distill(missing, progress)
                self.tokens.put(self.base.model_id, self.recipe, missing, made)
                self._held.update(zip(missing, made))
            return {t: self._held[t] for t in wanted}

    def _read_cached(self, wanted: Sequence[int]) -> list[int]:
        """(with the lock held) Read into memory what the token cache holds of wanted; the ones neither holds."""
        todo = [t for t in wanted if t not in self._held]
        if not todo:
            return []
        self._held.update(self.tokens.get(self.base.model_id, self.recipe, todo, self.dim))
        return [t for t in todo if t not in self._held]

    def missing_tokens(self, texts: Sequence[str]) -> int:
        """How many distinct tokens of texts would have to be distilled now (neither held nor cached)."""
        wanted = sorted({t for ids in self.token_ids(texts) for t in ids} - set(self._held))
        return len(wanted) - len(self.tokens.get(self.base.model_id, self.recipe, wanted, self.dim))

    # -- texts -------------------------------------------------------------------------------
    def stats_for(self, texts: Sequence[str], progress: Progress | None = None) -> TokenStats:
        """An index's TokenStats from its function texts (distilling the tokens no cache holds)."""
        return self.stats_of_ids(self.token_ids(texts), progress)

    def stats_of_ids(self, ids: Sequence[Sequence[int]], progress: Progress | None = None,
                     held_only: bool = False) -> TokenStats:
        """stats_for from the texts' token_ids, when the caller keeps them to pool the same texts next; with
        held_only, the centre and whitening come from the tokens held now (an interim tier: nothing distilled)."""
        df = document_frequencies(ids)
        tokens = np.array(sorted(df), dtype=np.int64)
        table = self.held(tokens.tolist()) if held_only else self.vectors_of(tokens.tolist(), progress)
        known = [int(t) for t in tokens if int(t) in table]
        matrix = np.stack([table[t] for t in known]) if known else np.zeros((0, self.dim), np.float32)
        mean = matrix.mean(axis=0) if known else np.zeros(self.dim)
        return TokenStats(len(ids), tokens, np.array([df[int(t)] for t in tokens], dtype=np.int64),
                          np.asarray(mean, dtype=np.float32), whitening(matrix, mean))

    def held(self, tokens: Sequence[int]) -> dict[int, np.ndarray]:
        """Token -> vector for those of tokens held in memory now (nothing read or distilled)."""
        with self._lock:
            return {int(t): self._held[int(t)] for t in tokens if int(t) in self._held}

    def interim_split(self, ids: Sequence[Sequence[int]]) -> tuple[list[int], list[int]]:
        """(first, later): the texts' tokens that neither memory nor the token cache holds (the cached ones are
        read into memory here), split so that the held ones and first carry INTERIM_MASS of the texts'
        pooling weight (occurrences x SIF x IDF), first taking the heaviest; later is empty when distilling
        every token is no more than that. A first index publishes an interim tier pooled from the held tokens
        once first is distilled, then distils later and pools again: the words that carry most of the meaning
        answer long before the rare ones (benchmarks/results/static-tier.md)."""
        df = document_frequencies(ids)
        wanted = sorted(df)
        with self._lock:
            missing = self._read_cached(wanted)
        if not missing:
            return [], []
        occurrences: dict[int, int] = {}
        for row in ids:
            for t in row:
                occurrences[t] = occurrences.get(t, 0) + 1
        n = len(ids)
        mass = {t: occurrences[t] * float(self._weights[min(t, len(self._weights) - 1)])
                * (np.log((n + 1) / (df[t] + 1)) + 1) for t in wanted}
        total = sum(mass.values())
        have = total - sum(mass[t] for t in missing)
        first: list[int] = []
        for t in sorted(missing, key=lambda t: (-mass[t], t)):
            if have >= INTERIM_MASS * total:
                break
            first.append(t)
            have += mass[t]
        chosen = set(first)
        return first, [t for t in missing if t not in chosen]

    def pool(self, ids: Sequence[Sequence[int]], matrix: np.ndarray, where: dict[int, int]) -> np.ndarray:
        """The recipe's pooling of each text's ids: the weighted sum of its centred token vectors, whitened,
        L2-normalised (zeros for no tokens); matrix[where[t]] is token t's vector. Every text at once:
        the sums are one sparse product (no gathering of token vectors per text), and centring and
        whitening are linear, so they run once over all the sums."""
        lengths = np.fromiter((len(row) for row in ids), dtype=np.int64, count=len(ids))
        flat = np.fromiter((t for row in ids for t in row), dtype=np.int64, count=int(lengths.sum()))
        rows = np.repeat(np.arange(len(ids), dtype=np.int64), lengths)
        cols = np.fromiter((where.get(t, -1) for t in flat.tolist()), dtype=np.int64, count=len(flat))
        if (cols < 0).any():  # an interim tier (interim_split): the tokens not distilled yet count nothing
            kept = cols >= 0
            flat, rows, cols = flat[kept], rows[kept], cols[kept]
        weights = self._weights[np.minimum(flat, len(self._weights) - 1)]
        if self.stats is not None:
            weights = weights * self.stats.idf(flat)
        sums = weighted_sums(rows, cols, weights, matrix, len(ids))
        if self.stats is not None:
            totals = np.bincount(rows, weights=weights, minlength=len(ids)).astype(np.float32)
            sums = (sums - totals[:, None] * self.stats.mean) @ self.stats.whitening
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        return np.where(norms > 0, sums / np.where(norms > 0, norms, 1), 0).astype(np.float32)

    def _embed(self, texts: Sequence[str], progress: Progress | None) -> np.ndarray:
        return self.embed_token_ids(self.token_ids(texts), progress)

    def embed_token_ids(self, ids: Sequence[Sequence[int]], progress: Progress | None = None,
                        held_only: bool = False) -> np.ndarray:
        """embed_documents of texts already tokenized by token_ids (a first index tokenizes each unit once);
        held_only pools the tokens held now and leaves out the rest (an interim tier, see interim_split)."""
        flat = [t for row in ids for t in row]
        table = self.held(flat) if held_only else self.vectors_of(flat, progress)
        order = sorted(table)
        matrix = np.stack([table[t] for t in order]) if order else np.zeros((0, self.dim), dtype=np.float32)
        return self.pool(ids, matrix, {t: i for i, t in enumerate(order)})

    def embed_queries(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """Vectors for questions (the same pooling as documents: a static model is symmetric)."""
        return self._embed(texts, progress)

    def embed_documents(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """Vectors for code; progress reports tokens distilled (the only slow part, once per token)."""
        return self._embed(texts, progress)

    def fast_queries(self) -> bool:
        """Queries are already fast: nothing to prepare."""
        return False


def document_frequencies(ids: Sequence[Sequence[int]]) -> dict[int, int]:
    """Token -> how many of the texts hold it."""
    df: dict[int, int] = {}
    for row in ids:
        for t in set(row):
            df[t] = df.get(t, 0) + 1
    return df


def weighted_sums(rows: np.ndarray, cols: np.ndarray, weights: np.ndarray, matrix: np.ndarray, n: int) -> np.ndarray:
    """[n, dim]: sums[i] = sum of weights[k] * matrix[cols[k]] over the k with rows[k] == i, as one sparse
    product on the compute thread (a query's few texts: at once, even when the thread is busy)."""
    if not len(rows) or not len(matrix):
        return np.zeros((n, matrix.shape[1]), dtype=np.float32)
    import torch

    def job() -> np.ndarray:
        sparse = torch.sparse_coo_tensor(torch.from_numpy(np.stack([rows, cols])),
                                         torch.from_numpy(np.asarray(weights, dtype=np.float32)), (n, len(matrix)),
                                         check_invariants=False)  # in range by construction: rows < n, cols index matrix
        return torch.sparse.mm(sparse, torch.from_numpy(np.ascontiguousarray(matrix, dtype=np.float32))).numpy()

    return compute.run(job, unless_busy=n <= 8)


def distill_precision(model, asked: str | None = None) -> str:
    """How token vectors are distilled: int8 on the CPU (STATIC_CPU_PRECISION; see the module docstring),
    else the model's own precision ("native"); asked ("int8", "fp32") overrides where it can run."""
    cpu = getattr(model, "device", "cpu") == "cpu"
    if getattr(model, "quantize", None) == "int8":
        return "int8"  # the model itself is int8: so is every token vector it makes
    choice = asked or (STATIC_CPU_PRECISION if cpu else "native")
    if choice not in (*CHOICES["static_precision"], "native"):
        from codesearch.errors import UsageError

        raise UsageError(f"unknown static-tier precision {choice!r} (CODESEARCH_STATIC_PRECISION): use int8 or fp32")
    return "int8" if choice == "int8" and cpu else "native"


def recipe_of(model_recipe: str, precision: str) -> str:
    """The static recipe's full name: ours, the model's, and int8 with its scheme when the tokens were distilled
    through it (per-tensor int8's tokens were kept under '+int8': never read as per-channel ones)."""
    return f"{STATIC_RECIPE}+{model_recipe}" + (INT8_TAG if precision == "int8" else "")


def tier_prefix(model_id: str) -> str:
    """What every static-tier key of a model starts with, whatever the recipe's version or precision."""
    return f"{model_id}#static/"


def static_key(model_id: str, recipe: str, precision: str = "native") -> str:
    """The name a static tier's vectors are kept under: the model, both recipes and the distilling precision."""
    return f"{model_id}#{recipe_of(recipe, precision)}"


def supports_static(model) -> bool:
    """True when a model can be distilled here (a loaded torch model with a tokenizer; not a Ray driver)."""
    return getattr(model, "model", None) is not None and hasattr(model, "embed_ids") and hasattr(model, "tokenizer")


__all__ = ["StaticEmbedder", "TokenStore", "TokenStats", "STATIC_RECIPE", "zipf_weights", "static_key",
           "supports_static", "distill_precision", "recipe_of", "tier_prefix", "weighted_sums"]
