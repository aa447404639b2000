"""One query, answered by a warm server when one runs for this index, else in this process."""

from __future__ import annotations

from pathlib import Path

from .config import Config
from .embedding import Embedder, load_embedder
from .errors import CodesearchError, IndexMismatchError
from .models import check_recorded_model, model_id_of
from .safetext import safe_rel_path
from .search import Hit, Searcher
from .server import ask_server
from .store import Store, find_index


def open_embedder(store: Store, cfg: Config) -> Embedder:
    """The model an index was built with; --model may only name that same model."""
    model_id = store.model_id
    if model_id is None:
        raise CodesearchError(f"the index at {store.folder} has no model yet; run `codesearch index` first")
    if cfg.model and model_id_of(cfg.model) != model_id:
        raise IndexMismatchError(f"the index at {store.folder} was built with {model_id!r}, not {cfg.model!r}: "
                                 "drop --model, or re-index with `codesearch index --rebuild --model ...`")
    check_recorded_model(model_id, store.root, cfg.model)
    return load_embedder(model_id, cfg.device, cfg.batch_tokens, cfg.max_length, cfg.quantize)


def run_query(start: Path, cfg: Config, text: str, k: int, languages: list[str] | None, path_glob: str | None,
              mode: str, use_server: bool = True) -> tuple[Path, list[Hit]]:
    """(repository root, hits) for a query from anywhere inside an indexed repository."""
    found = find_index(start, cfg)
    if found and use_server and not cfg.model:
        answer = ask_server(found[1], {"query": text, "k": k, "languages": languages, "path": path_glob, "mode": mode})
        if answer is not None:
            hits = [Hit(**h) for h in answer["hits"] if safe_rel_path(h.get("path"))]
            return found[0], hits
    store = Store.open(start, cfg)
    try:
        embedder = None
        if mode != "lexical":
            embedder = open_embedder(store, cfg)
        return store.root, Searcher(store, embedder).search(text, k, languages, path_glob, mode)
    finally:
        store.close()
