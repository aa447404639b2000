"""Does int8 change what users see? Top-10 overlap of search results, fp32 vs dynamic int8.

Corpus: real functions (default: this repository's own code); queries: the first paragraph of
their docstrings. Search is exact cosine over all documents (no HNSW), so the figure isolates the
model's precision. Prints, per model, the mean top-10 overlap with the fp32 results when only the
documents are int8 (queries fp32) and when both are, plus the per-text cosine of the vectors and
the document embedding time of each precision.
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

import numpy as np

from _corpus import bloom_folder
from codesearch.parse.documents import document_text
from codesearch.embed.embedding import load_embedder
from codesearch.config import Config
from codesearch.parse.sources import read_units
from codesearch.parse.walk import walk

REPO = Path(__file__).resolve().parent.parent


def corpus(roots: list[Path], limit: int, queries: int, seed: int = 0) -> tuple[list[str], list[str]]:
    """(document texts, query texts): queries are docstring first paragraphs of some of the units."""
    units = []
    for root in roots:
        for f in walk(root):
            try:
                units.extend(read_units(f.path, f.rel, f.language))
            except OSError:
                continue
    rng = random.Random(seed)
    units = rng.sample(units, min(limit, len(units)))
    docs = [document_text(u) for u in units]
    asked = [u.docstring.strip().split("\n\n")[0] for u in units if len(u.docstring.split()) >= 4]
    return docs, rng.sample(asked, min(queries, len(asked)))


def top10(q: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Indices of the ten nearest documents per query, best first."""
    return np.argsort(-(q @ d.T), axis=1)[:, :10]


def overlap(a: np.ndarray, b: np.ndarray) -> float:
    """Mean share of the fp32 top 10 that the other run also returns."""
    return float(np.mean([len(set(x) & set(y)) / 10 for x, y in zip(a, b)]))


def embed_both(name: str, docs: list[str], queries: list[str], quantize: str | None) -> tuple[np.ndarray, np.ndarray, float]:
    """(document vectors, query vectors, seconds for the documents) with a fresh model."""
    emb = load_embedder(name, Config(precision=quantize or "fp32"))
    emb.embed_documents(docs[:4])  # warm up
    t = time.perf_counter()
    d = emb.embed_documents(docs)
    secs = time.perf_counter() - t
    return d, emb.embed_queries(queries), secs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", action="append", type=Path, help="source tree (repeatable); default: this repo")
    parser.add_argument("--models", default="minilm,bloom-560m")
    parser.add_argument("--functions", type=int, default=2000)
    parser.add_argument("--bloom-functions", type=int, default=400, help="fewer for the (slow) 560m")
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()

    roots = args.root or [REPO / "codesearch", REPO / "tests", REPO / "benchmarks"]
    for model in args.models.split(","):
        n = args.bloom_functions if model.startswith("bloom") else args.functions
        docs, queries = corpus(roots, n, args.queries)
        name = str(bloom_folder(model.split("-")[1])) if model.startswith("bloom") else model
        d32, q32, s32 = embed_both(name, docs, queries, None)
        d8, q8, s8 = embed_both(name, docs, queries, "int8")
        base = top10(q32, d32)
        doc_cos, query_cos = (d32 * d8).sum(1), (q32 * q8).sum(1)
        print(f"{model}: {len(docs)} documents, {len(queries)} queries from {', '.join(str(r) for r in roots)}")
        print(f"  top-10 overlap with fp32: int8 documents {overlap(base, top10(q32, d8)):.3f}, "
              f"int8 documents and queries {overlap(base, top10(q8, d8)):.3f}")
        print(f"  cosine int8 vs fp32: documents min {doc_cos.min():.4f} mean {doc_cos.mean():.4f}, "
              f"queries min {query_cos.min():.4f} mean {query_cos.mean():.4f}")
        print(f"  documents: fp32 {len(docs) / s32:.1f} functions/s, int8 {len(docs) / s8:.1f} functions/s "
              f"({s32 / s8:.2f}x)", flush=True)


if __name__ == "__main__":
    main()
