"""CodeSearchNet MRR, the udever paper's protocol, for any model and for lexical and hybrid ranking.

Protocol `batch1000` (default; CodeSearchNet challenge / CodeBERT, used by the udever paper): the
test set of each language is shuffled with a fixed seed and cut into batches of 1000 (a remainder
is dropped, unless the whole set is smaller than one batch); each query (the docstring) is ranked
against the 1000 candidates (code) of its batch; the metric is the mean reciprocal rank.
Protocol `full` (GraphCodeBERT and later): each query against every candidate of the test set.

Query text: `docstring_tokens` joined with spaces. Candidate: the record's `code` (for Python without
its docstring, so the answer is not in the candidate), one file per candidate: each batch is a small
repository indexed through engine.Index and searched by the shipped Searcher (fusion and ranking
signals included), so these figures measure what `codesearch query` does.

Usage: python benchmarks/codesearchnet.py --data DIR [--languages go,ruby] [--model M]
       [--mode semantic|lexical|hybrid] [--protocol batch1000|full] [--limit N] [--out DIR] [--json]
       [--ray [ADDRESS]] [--ray-actors N]   (embed candidates and queries on Ray: local runtime or cluster)
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
import sys
import time
from pathlib import Path

import numpy as np

from codesearch.languages import BY_NAME

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

LANGUAGES = ("go", "ruby", "python", "java", "javascript", "php")  # the languages CodeSearchNet has
FUNCTION_KINDS = ("function", "method", "constructor")  # CodeSearchNet pairs questions with functions
# udever-bloom-560m, CodeSearchNet (batch of 1000) MRR from the paper's table.
PAPER_560M = {"go": 75.38, "ruby": 66.67, "python": 96.23, "java": 78.99, "javascript": 69.39, "php": 73.69, "avg": 76.73}
BATCH = 1000
SEED = 0


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


def lexical_rank(ranking: list, correct: object, n: int) -> float:
    """Rank of the correct candidate; candidates not returned share the ranks after the returned ones."""
    if correct in ranking:
        return ranking.index(correct) + 1
    return len(ranking) + (n - len(ranking) + 1) / 2


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

    from codesearch.parse.parsing import grammar

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
    from codesearch.parse.sources import read_units
    from codesearch.parse.walk import walk

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
                if len(query.split()) < 3 or u.kind not in FUNCTION_KINDS:
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


# -- running: each batch is a small repository, indexed and searched through the shipped engine ---------


class LexicalOnly:
    """The indexer's embedder for lexical-only runs: one constant dimension, no model to load."""

    model_id = "lexical-only"
    dim = 1
    max_length = legacy_length = 1  # its vectors read nothing of a unit
    vector_precision = "fp32"

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        return np.ones((len(texts), 1), dtype=np.float32)

    def embed_queries(self, texts: list[str]) -> np.ndarray:
        return np.ones((len(texts), 1), dtype=np.float32)


def candidate_source(rec: dict, language: str) -> str:
    """The candidate as a source file: the function's code without its doc (the doc is the query)."""
    code = rec.get("code") or candidate_text(rec)
    if language == "python":
        code = strip_python_docstring(code)
    if language == "php" and not code.lstrip().startswith("<?php"):
        code = "<?php\n" + code
    if language == "java" and "class " not in code.split("(", 1)[0]:
        code = "class Candidate {\n" + code + "\n}"
    return code


def batch_repository(records: list[dict], language: str, root: Path) -> list[str]:
    """Write one file per candidate under root (kept, so a re-run embeds nothing); their paths."""
    paths = []
    for i, rec in enumerate(records):
        rel = f"c{i:05d}{BY_NAME[language].extensions[0] if language in BY_NAME else '.txt'}"
        target = root / rel
        text = candidate_source(rec, language)
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        paths.append(rel)
    return paths


def engine_ranks(records: list[dict], language: str, mode: str, embedder, root: Path,
                 ray: dict | None = None) -> list[float]:
    """Rank of each query's own candidate among the batch, through engine.Index and the shipped Searcher.

    Candidates the ranking does not return (no shared word, in lexical mode) share the ranks after the returned ones.
    """
    from codesearch.config import Config
    from codesearch.engine import Index
    from codesearch.query import Query
    from codesearch.search.ranking import RankingOptions
    from codesearch.search.searcher import Searcher

    paths = batch_repository(records, language, root)
    n = len(records)
    if ray is not None:  # candidates embedded by the `index --ray` pipeline; the driver holds no weights
        with Index.create(root, ray["cfg"], embedder=embedder) as index:
            index.sync_on_ray(ray["address"], ray["actors"])
    with Index.create(root, Config(), embedder=embedder) as index:
        index.sync()
        # the shipped ranking (its default weights); asking for the whole batch makes the pool the whole batch,
        # so every candidate gets a rank
        searcher = Searcher(index.store, embedder, RankingOptions())
        ranks = []
        for rec, path in zip(records, paths):
            hits = searcher.search(Query(query_text(rec), k=min(n, 1000), mode=mode, kinds=FUNCTION_KINDS))
            # a copy collapsed into a better-ranked hit is found at that hit's rank
            ranked = [path if path in [p.rsplit(":", 1)[0] for p in h.also_in] else h.path for h in hits]
            ranks.append(lexical_rank(ranked, path, n))
    return ranks


def evaluate(records: list[dict], mode: str, protocol: str, embedder, cache_dir: Path, label: str,
             ray: dict | None = None) -> float:
    """MRR of one language's records under the protocol, every batch searched through the engine.

    ray: {"address", "actors", "cfg"} to embed queries and candidates through codesearch.embed.distributed.
    """
    from repo_search import CachedQueries

    queries = CachedQueries(embedder) if mode != "lexical" else LexicalOnly()
    if mode != "lexical":
        texts = sorted({query_text(r) for r in records})
        if ray is not None:  # one pipeline run for every query of the language
            from codesearch.embed.distributed import embed_all_on_ray

            queries.cache.update(zip(texts, embed_all_on_ray(texts, ray["cfg"].model, ray["cfg"], "query", ray["actors"])))
        queries.embed_queries(texts)  # one batched pass
    ranks: list[float] = []
    for number, group in enumerate(batches(len(records), protocol)):
        batch = [records[i] for i in group]
        key = hashlib.blake2b(json.dumps([r.get("url") or r.get("code") for r in batch]).encode(), digest_size=8).hexdigest()
        root = cache_dir / f"{label}-{number}-{key}"
        t0 = time.time()
        ranks += engine_ranks(batch, label, mode, queries, root, ray if mode != "lexical" else None)
        print(f"  {label}: batch {number + 1} ({len(batch)} candidates) in {time.time() - t0:.1f}s", file=sys.stderr)
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
    parser.add_argument("--precision", default=None, choices=["fp32", "int8"], help="the model's (default: the CPU default)")
    parser.add_argument("--threads", type=int, default=None, help="torch threads (1 on a crowded machine)")
    parser.add_argument("--cache", type=Path, default=HERE / ".cache" / "csn-repos",
                        help="where each batch's small repository and its index are kept between runs")
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
    embedder = LexicalOnly()
    model_label = "lexical (FTS5 bm25)" if args.mode == "lexical" else args.model
    if args.mode != "lexical":
        from codesearch.config import Config
        from codesearch.embed.embedding import load_embedder

        embedder = load_embedder(args.model, Config(device=args.device, threads=args.threads, precision=args.precision),
                                 weights=not args.ray)  # on Ray, actors hold the weights
        model_label = embedder.model_id
    ray = None
    if args.ray and args.mode != "lexical":
        from codesearch.config import Config
        from codesearch.embed.distributed import connect

        connect(args.ray)
        ray = {"address": args.ray, "actors": args.ray_actors,
               "cfg": Config(model=args.model, device=args.device, precision=args.precision)}
    cache_dir = args.cache / re.sub(r"[^A-Za-z0-9_.-]+", "_", embedder.model_id)[-80:]
    results: dict[str, float] = {}
    sizes: dict[str, int] = {}
    for lang in languages:
        records = read_examples(args.data, lang, args.limit)
        if not records:
            print(f"{lang}: no test data under {args.data}", file=sys.stderr)
            continue
        sizes[lang] = len(records)
        results[lang] = evaluate(records, args.mode, args.protocol, embedder, cache_dir, lang, ray) * 100
    args.out.mkdir(parents=True, exist_ok=True)
    tag = re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{model_label}-{args.mode}-{args.protocol}")
    for lang, (count, value) in earlier_rows(args.out / f"csn-{tag}.csv").items():
        if lang not in results:  # a run of some languages keeps the others' figures (one language per run fits a time limit)
            results[lang], sizes[lang] = value, count
    measured = [lang for lang in LANGUAGES if lang in results] + [lang for lang in results if lang not in LANGUAGES]
    results = {lang: results[lang] for lang in measured}
    if results:
        results["avg"] = float(np.mean(list(results.values())))
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


def earlier_rows(path: Path) -> dict[str, tuple[int, float]]:
    """language -> (examples, MRR) of an earlier run's CSV (the average row left out: it is recomputed)."""
    if not path.exists():
        return {}
    with open(path, newline="") as fh:
        return {r["language"]: (int(r["examples"]), float(r["mrr"])) for r in csv.DictReader(fh)
                if r["language"] != "avg" and r["examples"]}


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
