"""The static tier: per-token vectors distilled from the index's own model, pooled per text in microseconds.

Recipe (``static/2``), after model2vec's distillation, changed where codesearch differs:

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

from codesearch.embed.embedding import CHARS_PER_TOKEN_CAP, Progress

STATIC_RECIPE = "static/2"  # bump when the token framing, weighting or pooling changes
SIF_COEFFICIENT = 1e-4  # model2vec's default
STATIC_MAX_TOKENS = 2048  # tokens pooled per text at most (cheap: the cap only bounds pathological units)
DISTILL_BATCH = 256  # one-token documents per forward pass


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

    def idf(self, ids: np.ndarray) -> np.ndarray:
        """log((n+1)/(df+1)) + 1 of each id (df 0 for a token the index never used)."""
        df = np.zeros(len(ids), dtype=np.int64)
        if len(self.tokens):
            at = np.minimum(np.searchsorted(self.tokens, ids), len(self.tokens) - 1)
            hit = self.tokens[at] == ids
            df[hit] = self.counts[at[hit]]
        return (np.log((self.functions + 1) / (df + 1)) + 1).astype(np.float32)


def zipf_weights(vocab_size: int, sif: float = SIF_COEFFICIENT) -> np.ndarray:
    """SIF weight of every token id, its probability estimated from its rank by Zipf's law."""
    inv_rank = 1.0 / np.arange(2, vocab_size + 2, dtype=np.float64)
    proba = inv_rank / inv_rank.sum()
    return (sif / (sif + proba)).astype(np.float32)


class StaticEmbedder:
    """Texts to vectors by pooling distilled token vectors of a loaded transformer (see the module docstring)."""

    fast = True

    def __init__(self, model, tokens: TokenStore, sif: float = SIF_COEFFICIENT, stats: TokenStats | None = None) -> None:
        if getattr(model, "model", None) is None:
            from codesearch.errors import ModelError

            raise ModelError(f"the static tier of {model.model_id!r} needs the model's weights (loaded without them)")
        self.base = model
        self.tokens = tokens
        self.recipe = f"{STATIC_RECIPE}+{model.recipe}"
        self.model_id = static_key(model.model_id, model.recipe)
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
        """Vectors of these tokens straight from the model (no cache): one forward pass per token batch."""
        out = np.zeros((len(tokens), self.dim), dtype=np.float32)
        for start in range(0, len(tokens), DISTILL_BATCH):
            chunk = tokens[start : start + DISTILL_BATCH]
            out[start : start + len(chunk)] = self.base.embed_ids([self.framed(t) for t in chunk], "document")
            if progress:
                progress(start + len(chunk), len(tokens))
        return out

    def vectors_of(self, tokens: Sequence[int], progress: Progress | None = None) -> dict[int, np.ndarray]:
        """Token -> vector for these tokens: held in memory, else from the token cache, else distilled and kept."""
        wanted = sorted(set(int(t) for t in tokens))
        with self._lock:
            todo = [t for t in wanted if t not in self._held]
            if todo:
                found = self.tokens.get(self.base.model_id, self.recipe, todo, self.dim)
                self._held.update(found)
                missing = [t for t in todo if t not in found]
                if missing:
                    made = self.distill(missing, progress)
                    self.tokens.put(self.base.model_id, self.recipe, missing, made)
                    self._held.update(zip(missing, made))
            return {t: self._held[t] for t in wanted}

    def missing_tokens(self, texts: Sequence[str]) -> int:
        """How many distinct tokens of texts would have to be distilled now (neither held nor cached)."""
        wanted = sorted({t for ids in self.token_ids(texts) for t in ids} - set(self._held))
        return len(wanted) - len(self.tokens.get(self.base.model_id, self.recipe, wanted, self.dim))

    # -- texts -------------------------------------------------------------------------------
    def stats_for(self, texts: Sequence[str], progress: Progress | None = None) -> TokenStats:
        """An index's TokenStats from its function texts (distilling the tokens no cache holds)."""
        ids = self.token_ids(texts)
        df: dict[int, int] = {}
        for row in ids:
            for t in set(row):
                df[t] = df.get(t, 0) + 1
        tokens = np.array(sorted(df), dtype=np.int64)
        table = self.vectors_of(tokens.tolist(), progress)
        mean = np.mean([table[int(t)] for t in tokens], axis=0) if len(tokens) else np.zeros(self.dim)
        return TokenStats(len(texts), tokens, np.array([df[int(t)] for t in tokens], dtype=np.int64),
                          np.asarray(mean, dtype=np.float32))

    def pool(self, ids: Sequence[int], matrix: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """The recipe's pooling of one text: weighted sum of its (centred) token vectors, L2-normalised
        (zeros for no tokens); matrix[rows[i]] is the vector of ids[i]."""
        if not len(ids):
            return np.zeros(self.dim, dtype=np.float32)
        index = np.asarray(ids, dtype=np.int64)
        weights = self._weights[np.minimum(index, len(self._weights) - 1)]
        if self.stats is not None:
            weights = weights * self.stats.idf(index)
        vec = weights @ matrix[rows]
        if self.stats is not None:
            vec = vec - weights.sum() * self.stats.mean
        norm = float(np.linalg.norm(vec))
        return (vec / norm).astype(np.float32) if norm > 0 else vec.astype(np.float32)

    def _embed(self, texts: Sequence[str], progress: Progress | None) -> np.ndarray:
        ids = self.token_ids(texts)
        table = self.vectors_of([t for row in ids for t in row], progress)
        order = sorted(table)
        matrix = np.stack([table[t] for t in order]) if order else np.zeros((0, self.dim), dtype=np.float32)
        where = {t: i for i, t in enumerate(order)}
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, row in enumerate(ids):
            out[i] = self.pool(row, matrix, np.fromiter((where[t] for t in row), dtype=np.int64, count=len(row)))
        return out

    def embed_queries(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """Vectors for questions (the same pooling as documents: a static model is symmetric)."""
        return self._embed(texts, progress)

    def embed_documents(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """Vectors for code; progress reports tokens distilled (the only slow part, once per token)."""
        return self._embed(texts, progress)

    def fast_queries(self) -> bool:
        """Queries are already fast: nothing to prepare."""
        return False


def static_key(model_id: str, recipe: str) -> str:
    """The name a static tier's vectors are kept under: the model and both recipes."""
    return f"{model_id}#{STATIC_RECIPE}+{recipe}"


def supports_static(model) -> bool:
    """True when a model can be distilled here (a loaded torch model with a tokenizer; not a Ray driver)."""
    return getattr(model, "model", None) is not None and hasattr(model, "embed_ids") and hasattr(model, "tokenizer")


__all__ = ["StaticEmbedder", "TokenStore", "TokenStats", "STATIC_RECIPE", "zipf_weights", "static_key",
           "supports_static"]
