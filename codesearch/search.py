"""Questions to ranked functions: dense (HNSW), lexical (FTS5 bm25), or both fused with RRF."""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pathspec

from .catalog import FunctionRow
from .embedding import Embedder
from .errors import UsageError
from .lexical import fts_query
from .query import DEFAULT_MODE, MODES, Hit, Query
from .store import Store

RRF_K = 60
__all__ = ["Searcher", "rrf", "Hit", "Query", "MODES", "DEFAULT_MODE"]
EXACT_BELOW = 4096  # filtered sets this small are searched exactly: fast and never short


def rrf(rankings: Sequence[Sequence[int]], k: int = RRF_K) -> list[tuple[int, float]]:
    """Reciprocal rank fusion: each list adds 1/(k + rank) to its ids; best first."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


class Searcher:
    """Answers queries against one Store; the embedder is only needed for dense modes."""

    def __init__(self, store: Store, embedder: Embedder | None) -> None:
        self.store = store
        self.embedder = embedder

    def _allowed(self, languages: list[str] | None, path_glob: str | None) -> set[int] | None:
        if not languages and not path_glob:
            return None
        spec = pathspec.GitIgnoreSpec.from_lines([path_glob]) if path_glob else None
        langs = set(languages or [])
        return {fid for fid, path, lang in self.store.catalog.function_paths()
                if (not langs or lang in langs) and (spec is None or spec.match_file(path))}

    def dense(self, query: str, n: int, allowed: set[int] | None) -> list[tuple[int, float]]:
        """Top n (id, cosine) by meaning, exact under filters."""
        if self.embedder is None:
            raise UsageError("semantic search needs a model")
        qv = self.embedder.embed_queries([query])[0]
        if allowed is not None and len(allowed) <= EXACT_BELOW:
            return self._exact(qv, sorted(allowed), n)
        vectors = self.store.vectors()
        hits = vectors.search(qv, n, allowed.__contains__ if allowed is not None else None)
        want = min(n, len(allowed) if allowed is not None else len(vectors))
        if len(hits) < want:  # HNSW under a selective filter can come back short: go exact
            hits = self._exact(qv, sorted(allowed) if allowed is not None else None, n)
        return hits

    def _exact(self, qv: np.ndarray, ids: list[int] | None, n: int) -> list[tuple[int, float]]:
        labels, matrix = self.store.catalog.vectors_for(self.store.model_id or "", ids, self.store.dim)
        if len(labels) == 0:
            return []
        sims = matrix @ qv.astype(np.float32)
        top = np.argsort(-sims, kind="stable")[:n]
        return [(int(labels[i]), float(sims[i])) for i in top]

    def lexical(self, query: str, n: int, languages: list[str] | None, allowed: set[int] | None) -> list[tuple[int, float]]:
        """Top n (id, bm25) by shared words, identifiers split."""
        match = fts_query(query)
        if match is None:
            return []
        limit = n
        while True:
            rows = self.store.catalog.lexical(match, limit, languages)
            kept = [r for r in rows if allowed is None or r[0] in allowed]
            if len(kept) >= n or len(rows) < limit:
                return kept[:n]
            limit *= 4

    def search(self, q: Query) -> list[Hit]:
        """The k best functions for a query, filters applied exactly."""
        query, k, languages, path_glob, mode = q.text, q.k, list(q.languages) or None, q.path_glob, q.mode
        allowed = self._allowed(languages, path_glob)
        if allowed is not None and not allowed:
            return []
        pool = max(k, 50) if mode == "hybrid" else k
        sem = self.dense(query, pool, allowed) if mode != "lexical" else []
        lex = self.lexical(query, pool, languages, allowed) if mode != "semantic" else []
        sem_rank = {fid: (i + 1, s) for i, (fid, s) in enumerate(sem)}
        lex_rank = {fid: i + 1 for i, (fid, _) in enumerate(lex)}
        if mode == "semantic":
            ranked = sem[:k]
        elif mode == "lexical":
            ranked = lex[:k]
        else:
            ranked = rrf([[f for f, _ in sem], [f for f, _ in lex]])
        if mode != "semantic":  # a query that is exactly an identifier finds it first
            exact = [f for f in self.store.catalog.exact_names(query.strip()) if allowed is None or f in allowed]
            if exact:
                top = ranked[0][1] if ranked else 1.0
                ranked = [(f, top) for f in exact] + [r for r in ranked if r[0] not in exact]
        ranked = ranked[:k]
        rows = self.store.catalog.get_functions([fid for fid, _ in ranked])
        hits = []
        for fid, score in ranked:
            row: FunctionRow | None = rows.get(fid)
            if row is None:
                continue  # deleted between the vector search and now
            sr = sem_rank.get(fid)
            hits.append(Hit(
                id=fid, path=row.path, start_line=row.start_line, end_line=row.end_line, start_col=row.start_col,
                name=row.name, qualified_name=row.qualified_name, language=row.language, kind=row.kind,
                score=round(float(score), 6), code=row.code, docstring=row.docstring,
                semantic_score=round(sr[1], 6) if sr else None, semantic_rank=sr[0] if sr else None,
                lexical_rank=lex_rank.get(fid),
            ))
        return hits
