"""A sync's embedding pass: vectors for the functions that have none, pipelined, committed chunk by chunk.

Functions come in the order given (most recently worked on first). A producer thread reads and
tokenizes pieces of EMBED_CHUNK texts ahead (codesearch.embed.pipeline); the model embeds one piece while
this thread writes the previous one's vectors to the caches; every PENDING_CHUNK functions the
catalog generation moves and the vectors join the in-memory index, so searches see them.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Callable, Iterator

import numpy as np

from codesearch.store.catalog import Catalog
from codesearch.parse.documents import document_text
from codesearch.store.embedcache import Embeddings
from codesearch.embed.pipeline import EMBED_CHUNK, ModelStage, Prefetch, document_stages
from codesearch.store.folder import Store

PENDING_CHUNK = 256  # functions whose vectors are committed (made searchable) together
PREFETCH_PIECES = 2  # tokenized pieces waiting for the model at most


@dataclass
class _Piece:
    chunk: dict[int, str]  # function id -> text hash, for the whole chunk this piece is part of
    hashes: list[str]  # the texts of this piece, of similar lengths
    prepared: list  # token ids (or texts) aligned with hashes
    last: bool  # the chunk's last piece: the chunk is committed after it


class EmbedPass:
    """Embeds pending functions for one sync, holding the catalog's writes on the calling thread."""

    def __init__(self, store: Store, embedder, embeddings: Embeddings, vectors, cancelled: threading.Event,
                 on_embedded: Callable[[int], None]) -> None:
        self.store, self.embedder, self.embeddings, self.vectors = store, embedder, embeddings, vectors
        self.cancelled, self.on_embedded = cancelled, on_embedded
        self.done = 0
        self._began = time.monotonic()
        self._open: dict[int, str] = {}  # the chunk being stored, not committed yet
        self._in_flight: set[str] = set()  # hashes the model holds: never asked for twice

    def run(self, pending: list[int]) -> int:
        """Embed and commit pending (function ids, in order); returns how many texts the model embedded.

        Cancellation stops after the piece being written (what is stored is committed); an error or
        KeyboardInterrupt stops both threads and propagates as it was raised.
        """
        prepare, compute = document_stages(self.embedder)
        in_flight = None
        with Prefetch(lambda: self._pieces(pending, prepare), PREFETCH_PIECES) as pieces, ModelStage(compute) as model:
            for piece in pieces:
                if self.cancelled.is_set():
                    in_flight = None  # dropped: the next sync embeds it again
                    break
                job = self._submit(piece, model)
                if in_flight is not None:
                    self._store(*in_flight)
                in_flight = job
            if in_flight is not None:
                self._store(*in_flight)
        self._commit()
        return self.done

    def _pieces(self, pending: list[int], prepare) -> Iterator[_Piece]:
        """(producer thread) chunks of pending read through a connection of its own, cut into
        pieces of similar length (little padding), shortest first, each prepared for the model."""
        reader = Catalog(self.store.catalog.folder, readonly=True)
        try:
            for start in range(0, len(pending), PENDING_CHUNK):
                rows = reader.get_functions(pending[start : start + PENDING_CHUNK])
                texts = {row.text_hash: document_text(row) for row in rows.values()}
                chunk = {fid: row.text_hash for fid, row in rows.items()}
                order = sorted(texts, key=lambda h: len(texts[h]))  # short first: the first vectors come soonest
                if not order:
                    yield _Piece(chunk, [], [], True)
                for i in range(0, len(order), EMBED_CHUNK):
                    hashes = order[i : i + EMBED_CHUNK]
                    yield _Piece(chunk, hashes, prepare([texts[h] for h in hashes]), i + EMBED_CHUNK >= len(order))
        finally:
            reader.close()

    def _submit(self, piece: _Piece, model: ModelStage) -> tuple[_Piece, list[str], Future | None]:
        """Hand the model what no cache holds (and no earlier piece is embedding) of piece."""
        todo = set(self.embeddings.missing([h for h in piece.hashes if h not in self._in_flight]))
        keep = [i for i, h in enumerate(piece.hashes) if h in todo]
        hashes = [piece.hashes[i] for i in keep]
        self._in_flight.update(hashes)
        return piece, hashes, (model.submit([piece.prepared[i] for i in keep]) if keep else None)

    def _store(self, piece: _Piece, hashes: list[str], future: Future | None) -> None:
        """Wait for a piece's vectors, keep them in both caches, and commit its chunk when it was the last."""
        if future is not None:
            self.embeddings.keep(hashes, future.result())
            self._in_flight.difference_update(hashes)
            self.done += len(hashes)
            with self.store.catalog.transaction():  # what `status` divides the rest by for its ETA, as it goes
                self.store.catalog.set_meta("embed_rate", f"{self.done / max(time.monotonic() - self._began, 1e-6):.3f}")
            self.on_embedded(len(hashes))
        self._open = piece.chunk
        if piece.last:
            self._commit()

    def _commit(self) -> None:
        """Make the open chunk's stored vectors searchable: a new catalog generation, the vector index."""
        rows, self._open = self._open, {}
        if not rows:
            return
        catalog = self.store.catalog
        by_hash = catalog.cached_vectors(self.embedder.model_id, list(set(rows.values())))
        ids = [fid for fid, h in rows.items() if h in by_hash]
        if not ids:
            return
        with catalog.transaction():
            generation = catalog.bump_generation()
        self.vectors.add(np.array(ids, dtype=np.int64), np.stack([by_hash[rows[i]] for i in ids]))
        self.store.adopt_vectors(self.vectors, generation, len(ids))
