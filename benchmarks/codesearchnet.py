"""CodeSearchNet MRR, the udever paper's protocol, for any model and for lexical and hybrid ranking.

Protocol `batch1000` (default; CodeSearchNet challenge / CodeBERT, used by the udever paper): the
test set of each language is shuffled with a fixed seed and cut into batches of 1000 (a remainder
is dropped, unless the whole set is smaller than one batch); each query (the docstring) is ranked
against the 1000 candidates (code) of its batch; the metric is the mean reciprocal rank.
Protocol `full` (GraphCodeBERT and later): each query against every candidate of the test set.

Query text: `docstring_tokens` joined with spaces. Candidate text: `code_tokens` joined with
spaces, which in the official data excludes the docstring (so the answer is not in the candidate).

Usage: python benchmarks/codesearchnet.py --data DIR [--languages go,ruby] [--model M]
       [--mode semantic|lexical|hybrid] [--protocol batch1000|full] [--limit N] [--out DIR] [--json]
       [--ray [ADDRESS]] [--ray-actors N]   (embed candidates and queries on a Ray cluster)
       python benchmarks/codesearchnet.py --from-source python=/usr/lib/python3.11 ... --out DIR
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import random
import re
import sqlite3
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

LANGUAGES = ("go", "ruby", "python", "java", "javascript", "php")
# udever-bloom-560m, CodeSearchNet (batch of 1000) MRR from the paper's table.
PAPER_560M = {"go": 75.38, "ruby": 66.67, "python": 96.23, "java": 78.99, "javascript": 69.39, "php": 73.69, "avg": 76.73}
BATCH = 1000
SEED = 0
RRF_K = 60


# -- reading ---------------------------------------------------------------------------------------
def _jsonl_files(data: Path, language: str) -> list[Path]:
    official = sorted((data / language / "final" / "jsonl" / "test").glob("*.jsonl*"))
    if official:
        return official
    for pattern in (f"{language}/*test*.jsonl*", f"{language}_test*.jsonl*", f"{language}*.jsonl*", f"{language}/*.jsonl*"):
        found = sorted(data.glob(pattern))
        if found:
            return found
    return []


def read_examples(data: Path, language: str, limit: int | None = None) -> list[dict]:
    """Test records of one language, in file order, from the official or a plain layout."""
    records: list[dict] = []
    for path in _jsonl_files(data, language):
        opener = gzip.open if path.suffix == ".gz" else open
        with opener(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    rec = json.loads(line)
                    if rec.get("docstring_tokens") and rec.get("code_tokens"):
                        records.append(rec)
    if limit and len(records) > limit:  # a seeded sample, so a quick run still spans the whole corpus
        records = random.Random(SEED).sample(records, limit)
    return records


def query_text(rec: dict) -> str:
    return " ".join(rec["docstring_tokens"])


def candidate_text(rec: dict) -> str:
    return " ".join(rec["code_tokens"])


# -- protocol ----------------------------------------------------------------------------------------
def batches(n: int, protocol: str, seed: int = SEED) -> list[list[int]]:
    """Index groups the protocol ranks within."""
    order = list(range(n))
    random.Random(seed).shuffle(order)
    if protocol == "full":
        return [order]
    if n < BATCH:
        return [order]
    return [order[i : i + BATCH] for i in range(0, n - n % BATCH, BATCH)]


def mrr(ranks: list[float] | np.ndarray) -> float:
    """Mean reciprocal rank of the correct answers (rank 1 is best)."""
    ranks = np.asarray(ranks, dtype=np.float64)
    return float(np.mean(1.0 / ranks)) if len(ranks) else 0.0


def dense_ranks(q: np.ndarray, c: np.ndarray) -> np.ndarray:
    """Rank of candidate i for query i (ties counted pessimistically), by cosine."""
    sims = q @ c.T
    correct = np.diag(sims)
    return 1 + (sims > correct[:, None]).sum(axis=1)


def lexical_rankings(queries: list[str], candidates: list[str]) -> list[list[int]]:
    """For each query, candidate indices that match, best first, by the catalog's FTS5 bm25."""
    from codesearch.lexical import expand, fts_query

    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(code, tokenize = 'unicode61')")
    db.executemany("INSERT INTO t(rowid, code) VALUES (?, ?)", [(i, expand(c)) for i, c in enumerate(candidates)])
    out = []
    for q in queries:
        match = fts_query(q)
        rows = db.execute("SELECT rowid FROM t WHERE t MATCH ? ORDER BY bm25(t)", (match,)).fetchall() if match else []
        out.append([r[0] for r in rows])
    return out


def lexical_rank(ranking: list[int], correct: int, n: int) -> float:
    """Rank of the correct candidate; unmatched candidates share the ranks after the matches."""
    if correct in ranking:
        return ranking.index(correct) + 1
    return len(ranking) + (n - len(ranking) + 1) / 2


def hybrid_ranks(q: np.ndarray, c: np.ndarray, lex: list[list[int]]) -> np.ndarray:
    """Rank of the correct candidate under reciprocal rank fusion of dense and lexical rankings."""
    sims = q @ c.T
    n = c.shape[0]
    ranks = np.zeros(len(q))
    for i in range(len(q)):
        order = np.argsort(-sims[i], kind="stable")
        fused = np.zeros(n)
        fused[order] = 1.0 / (RRF_K + np.arange(1, n + 1))
        for r, j in enumerate(lex[i], start=1):
            fused[j] += 1.0 / (RRF_K + r)
        ranks[i] = 1 + (fused > fused[i]).sum()
    return ranks


# -- embedding cache ---------------------------------------------------------------------------------
class VectorCache:
    """Embeddings on disk per model (SQLite, float32 blobs), so re-runs are cheap."""

    def __init__(self, folder: Path, model_id: str, ray: dict | None = None) -> None:
        """ray: {"name", "cfg", "actors"} to embed what is missing on Ray (codesearch.distributed)."""
        self.ray = ray
        folder.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^A-Za-z0-9_.-]+", "_", model_id)[-80:]
        self.db = sqlite3.connect(str(folder / f"{slug}.sqlite"))
        self.db.execute("CREATE TABLE IF NOT EXISTS v (kind TEXT, h TEXT, vec BLOB, PRIMARY KEY (kind, h))")

    def embed(self, embedder, texts: list[str], kind: str, label: str) -> np.ndarray:
        keys = [hashlib.blake2b(t.encode(), digest_size=16).hexdigest() for t in texts]
        have = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            rows = self.db.execute(f"SELECT h, vec FROM v WHERE kind = ? AND h IN ({','.join('?' * len(chunk))})", [kind, *chunk])
            have.update({h: np.frombuffer(b, dtype="<f4") for h, b in rows})
        todo = sorted({k: t for k, t in zip(keys, texts) if k not in have}.items())
        if self.ray is not None:
            self._embed_on_ray(todo, kind, label, have)
            todo = []
        step = 256
        t0 = time.time()
        for start in range(0, len(todo), step):
            part = todo[start : start + step]
            fn = embedder.embed_queries if kind == "query" else embedder.embed_documents
            vecs = fn([t for _, t in part])
            self.db.executemany("INSERT OR REPLACE INTO v VALUES (?, ?, ?)", [(kind, k, v.astype("<f4").tobytes()) for (k, _), v in zip(part, vecs)])
            self.db.commit()
            have.update({k: v for (k, _), v in zip(part, vecs)})
            done = min(start + step, len(todo))
            print(f"  {label}: embedded {done}/{len(todo)} {kind} texts ({done / max(time.time() - t0, 1e-9):.1f}/s)", file=sys.stderr)
        return np.stack([have[k] for k in keys]).astype(np.float32)


    def _embed_on_ray(self, todo: list[tuple[str, str]], kind: str, label: str, have: dict) -> None:
        """The same pipeline as `codesearch index --ray`; each chunk is stored as it streams back."""
        from codesearch.distributed import embed_on_ray

        def keep(hashes: list[str], vecs: np.ndarray) -> None:
            self.db.executemany("INSERT OR REPLACE INTO v VALUES (?, ?, ?)",
                                [(kind, k, v.astype("<f4").tobytes()) for k, v in zip(hashes, vecs)])
            self.db.commit()
            have.update(zip(hashes, vecs))

        def report(done: int, total: int, secs: float) -> None:
            if done and (done % 1024 < 64 or done == total):
                print(f"  {label}: embedded {done}/{total} {kind} texts on Ray ({done / max(secs, 1e-9):.1f}/s)", file=sys.stderr)

        embed_on_ray(todo, self.ray["name"], self.ray["cfg"], keep, kind, self.ray["actors"], report)


# -- building test sets from source ---------------------------------------------------------------------
_TOKEN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?|\S")
_TAG_ONLY = re.compile(r"^\s*[@:]\w+")


def first_paragraph(doc: str) -> str:
    para = re.split(r"\n\s*\n", doc.strip(), maxsplit=1)[0]
    lines = [line for line in para.split("\n") if not _TAG_ONLY.match(line)]
    return " ".join(" ".join(lines).split())


def strip_python_docstring(code: str) -> str:
    """The function without its docstring statement (the docstring is the query)."""
    import tree_sitter as ts

    from codesearch.parsing import grammar

    src = code.encode("utf-8")
    tree = ts.Parser(grammar("python").language).parse(src)
    node = tree.root_node
    while node is not None and node.type not in ("function_definition",):
        node = next((c for c in node.named_children if c.type in ("function_definition", "decorated_definition")), None)
        if node is not None and node.type == "decorated_definition":
            node = node.child_by_field_name("definition")
    body = node.child_by_field_name("body") if node is not None else None
    if body is None or not body.named_children:
        return code
    first = body.named_children[0]
    if first.type != "expression_statement" or first.named_children[0].type != "string":
        return code
    end = first.end_byte
    while end < len(src) and src[end : end + 1] in (b" ", b"\t", b"\r"):
        end += 1
    end += 1 if src[end : end + 1] == b"\n" else 0
    line_start = src.rfind(b"\n", 0, first.start_byte) + 1
    return (src[:line_start] + src[end:]).decode("utf-8")


def build_from_source(specs: list[str], out: Path, doc_style: str = "code") -> dict[str, int]:
    """Write CodeSearchNet-format test sets (official layout) from source trees; return counts."""
    from codesearch.sources import read_units
    from codesearch.walk import walk

    counts: dict[str, int] = {}
    for spec in specs:
        language, _, root = spec.partition("=")
        seen: set[str] = set()
        records = []
        for f in walk(Path(root)):
            if f.language != language:
                continue
            try:
                units = read_units(f.path, f.rel, f.language)
            except OSError:
                continue
            for u in units:
                query = first_paragraph(u.docstring)
                if len(query.split()) < 3:
                    continue
                code = strip_python_docstring(u.code) if language == "python" else u.code
                if doc_style == "name+code":
                    code = f"{u.path} {u.qualified_name}\n{code}"
                key = hashlib.blake2b((query + "\0" + code).encode(), digest_size=16).hexdigest()
                if key in seen or len(code.split("\n")) < 2:
                    continue
                seen.add(key)
                records.append({
                    "repo": root, "path": f.rel, "func_name": u.qualified_name, "language": language,
                    "original_string": u.code, "code": code, "code_tokens": _TOKEN.findall(code),
                    "docstring": u.docstring, "docstring_tokens": _TOKEN.findall(query),
                    "url": f"file://{Path(root).resolve() / f.rel}#L{u.start_line}-L{u.end_line}", "partition": "test",
                })
        target = out / language / "final" / "jsonl" / "test"
        target.mkdir(parents=True, exist_ok=True)
        with gzip.open(target / f"{language}_test_0.jsonl.gz", "wt", encoding="utf-8") as fh:
            for rec in records:
                fh.write(json.dumps(rec) + "\n")
        counts[language] = len(records)
        print(f"{language}: {len(records)} examples from {root}", file=sys.stderr)
    return counts


# -- running ----------------------------------------------------------------------------------------
def evaluate(records: list[dict], mode: str, protocol: str, embedder, cache: VectorCache | None, label: str) -> float:
    queries = [query_text(r) for r in records]
    candidates = [candidate_text(r) for r in records]
    if mode != "lexical":
        qv = cache.embed(embedder, queries, "query", label)
        cv = cache.embed(embedder, candidates, "document", label)
    ranks: list[float] = []
    for group in batches(len(records), protocol):
        if mode == "semantic":
            ranks += list(dense_ranks(qv[group], cv[group]))
            continue
        lex = lexical_rankings([queries[i] for i in group], [candidates[i] for i in group])
        if mode == "lexical":
            ranks += [lexical_rank(lex[i], i, len(group)) for i in range(len(group))]
        else:
            ranks += list(hybrid_ranks(qv[group], cv[group], lex))
    return mrr(ranks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, help="CodeSearchNet folder (official layout or plain jsonl[.gz])")
    parser.add_argument("--from-source", nargs="+", metavar="LANG=DIR", help="build test sets from source trees into --out")
    parser.add_argument("--doc-style", default="code", choices=["code", "name+code"], help="candidate text for --from-source")
    parser.add_argument("--languages", default=",".join(LANGUAGES))
    parser.add_argument("--model", default="udever-560m")
    parser.add_argument("--mode", default="semantic", choices=["semantic", "lexical", "hybrid"])
    parser.add_argument("--protocol", default="batch1000", choices=["batch1000", "full"])
    parser.add_argument("--limit", type=int, default=None, help="at most N examples per language")
    parser.add_argument("--out", type=Path, default=HERE / "results")
    parser.add_argument("--device", default=None)
    parser.add_argument("--json", action="store_true", help="print one JSON object: language -> MRR, plus avg")
    parser.add_argument("--ray", nargs="?", const="local", default=None, metavar="ADDRESS",
                        help="embed on Ray: alone, a local runtime; auto or HOST:PORT joins a cluster")
    parser.add_argument("--ray-actors", type=int, default=None, help="model actors on Ray (default: one per GPU)")
    args = parser.parse_args()

    if args.from_source:
        build_from_source(args.from_source, args.out, args.doc_style)
        if not args.data:
            args.data = args.out
    if not args.data:
        parser.error("--data DIR (or --from-source) is required")
    languages = [x.strip() for x in args.languages.split(",") if x.strip()]
    embedder = cache = None
    model_label = "lexical (FTS5 bm25)" if args.mode == "lexical" else args.model
    if args.mode != "lexical":
        from codesearch.embedding import load_embedder

        ray = None
        if args.ray:  # the driver needs only the tokenizer and shape; the actors load the weights
            from codesearch.config import Config
            from codesearch.distributed import connect

            connect(args.ray)
            ray = {"name": args.model, "cfg": Config(device=args.device), "actors": args.ray_actors}
        embedder = load_embedder(args.model, args.device, weights=not args.ray)
        cache = VectorCache(HERE / ".cache" / "csn-embeddings", embedder.model_id, ray)
        model_label = embedder.model_id
    results: dict[str, float] = {}
    sizes: dict[str, int] = {}
    for lang in languages:
        records = read_examples(args.data, lang, args.limit)
        if not records:
            print(f"{lang}: no test data under {args.data}", file=sys.stderr)
            continue
        sizes[lang] = len(records)
        results[lang] = evaluate(records, args.mode, args.protocol, embedder, cache, lang) * 100
    if results:
        results["avg"] = float(np.mean([results[lang] for lang in languages if lang in results]))
    args.out.mkdir(parents=True, exist_ok=True)
    tag = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{model_label}-{args.mode}-{args.protocol}")
    with open(args.out / f"csn-{tag}.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["language", "examples", "mrr", "paper_udever_560m"])
        for lang, value in results.items():
            w.writerow([lang, sizes.get(lang, ""), f"{value:.2f}", PAPER_560M.get(lang, "")])
    _chart(results, args.out / f"csn-{tag}.png", f"{model_label} · {args.mode} · {args.protocol}")
    if args.json:
        print(json.dumps({k: round(v, 2) for k, v in results.items()}))
        return
    print(f"CodeSearchNet MRR · model {model_label} · mode {args.mode} · protocol {args.protocol} · data {args.data}")
    print(f"{'language':<11} {'examples':>8} {'MRR':>7} {'paper 560m':>11}")
    for lang, value in results.items():
        print(f"{lang:<11} {sizes.get(lang, ''):>8} {value:7.2f} {PAPER_560M.get(lang, float('nan')):11.2f}")


def _chart(results: dict[str, float], path: Path, title: str) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib not installed: no chart (pip install matplotlib)", file=sys.stderr)
        return
    labels = list(results)
    x = np.arange(len(labels))
    fig, ax = plt.subplots(figsize=(8, 4))
    ax.bar(x - 0.2, [results[k] for k in labels], 0.4, label="measured")
    ax.bar(x + 0.2, [PAPER_560M.get(k, 0) for k in labels], 0.4, label="paper (udever-560m)")
    ax.set_xticks(x, labels)
    ax.set_ylabel("MRR")
    ax.set_title(title, fontsize=9)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


if __name__ == "__main__":
    main()
