"""Several indexed repositories searched as one: a workspace file or explicit paths, one model, one merged ranking.

Scores are made comparable by fusing again over all repositories: dense candidates are ordered by
their cosine (the same model embeds every index, so cosines compare), lexical candidates by their
rank within their own index (bm25 depends on each index's word statistics, so only ranks compare);
reciprocal rank fusion of those two global orders, times each hit's own signal factor, gives the
merged order. Named symbols (an identifier query) stay first.
"""

from __future__ import annotations

import re
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path

from codesearch.config import Config
from codesearch.errors import IndexMismatchError, UsageError
from codesearch.query import Hit, Query, symbol_rank

WORKSPACE_FILE = ".codesearch-workspace"
RRF_K = 60


def find_workspace(start: Path) -> tuple[Path, list[Path]] | None:
    """(workspace file, its repositories) from the nearest `.codesearch-workspace` at or above start."""
    here = Path(start).resolve()
    for folder in (here, *here.parents):
        spec = folder / WORKSPACE_FILE
        if spec.is_file():
            return spec, read_workspace(spec)
    return None


def read_workspace(spec: Path) -> list[Path]:
    """The repositories a workspace file lists: one path a line, relative to the file; '#' starts a comment."""
    paths = []
    for number, line in enumerate(spec.read_text(encoding="utf-8").splitlines(), start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        path = (spec.parent / Path(text).expanduser()).resolve()
        if not path.is_dir():
            raise UsageError(f"{spec}:{number}: {text!r} is not a folder; fix or remove that line")
        paths.append(path)
    if not paths:
        raise UsageError(f"{spec} lists no repositories; write one path a line")
    return paths


def one_repository(paths: list[Path], cfg: Config) -> Path | None:
    """The root of the one index paths name, however spelled (`.`, relative, absolute, a folder inside it), so a query
    is asked as from inside it and its warm server answers (`--repo` loaded the model in every query); None when they
    name several, or a folder no index covers (search_many says which)."""
    from codesearch.store.locate import find_index  # the filesystem only: the fast client asks this too

    found = {find_index(Path(p), cfg) for p in paths}
    return found.pop()[0] if len(found) == 1 and None not in found else None


def folder_filter(paths: list[Path], root: Path | None) -> str | None:
    """The `--path` filter for --repo folders inside one repository (`--repo lib/Wire` searched all of the
    repository: probe 232): their files only, as gitignore lines from the root; None when one is the root or the
    working directory (`--repo .` from a subfolder is the repository, as no --repo is: review)."""
    if root is None or not paths:
        return None
    here, lines = Path.cwd().resolve(), []
    for path in paths:
        folder = Path(path).resolve()
        try:
            inside = folder.relative_to(root.resolve())
        except ValueError:
            return None
        if not inside.parts or folder == here:
            return None
        lines.append("/" + re.sub(r"([\[\]*?!#\\])", r"\\\1", inside.as_posix()) + "/")
    return "\n".join(dict.fromkeys(lines))


def search_many(paths: list[Path], cfg: Config, query: Query) -> tuple[list[Hit], str]:
    """The best hits over several indexed repositories, merged fairly, each carrying its repository; and their model's
    id, which the notes need (an English-only model's note was never said for several repositories: probe 216)."""
    from codesearch.engine import Index  # numpy, the catalog, perhaps the model

    with ExitStack() as stack:
        opened = [stack.enter_context(Index.open(p, cfg)) for p in dict.fromkeys(Path(p).resolve() for p in paths)]
        check_same_model(opened)
        embedder = opened[0].embedder() if query.mode != "lexical" else None
        per_repo = []
        for i, idx in enumerate(opened):
            if i and embedder is not None:  # one model in memory, checked against every index
                idx = stack.enter_context(Index.open(idx.root, cfg, embedder=embedder))
            per_repo.append((str(idx.root), idx.search(query)))
        model = opened[0].model_id
    return merge(per_repo, query.k, query.mode), model


def check_same_model(indexes: list) -> None:
    """Refuse indexes built with different models: their scores cannot be compared."""
    first = indexes[0]
    for other in indexes[1:]:
        if other.model_id != first.model_id:
            raise IndexMismatchError(
                f"{first.root} was indexed with {first.model_id!r} but {other.root} with "
                f"{other.model_id!r}: scores from different models cannot be merged; "
                "re-index one with `codesearch index --rebuild --model ...`")


def merge(per_repo: list[tuple[str, list[Hit]]], k: int, mode: str) -> list[Hit]:
    """One ranking from each repository's hits (see the module's docstring for why it is fair)."""
    tagged = [replace(h, repo=repo) for repo, hits in per_repo for h in hits]
    if len(per_repo) == 1:
        return tagged[:k]
    key = {id(h): i for i, h in enumerate(tagged)}
    scores: dict[int, float] = {}
    if mode == "semantic":
        scores = {key[id(h)]: h.score for h in tagged}
    else:
        dense = sorted((h for h in tagged if h.semantic_score is not None), key=lambda h: -h.semantic_score)
        lexical = sorted((h for h in tagged if h.lexical_rank is not None), key=lambda h: h.lexical_rank)
        for ranking in (dense, lexical):
            for rank, h in enumerate(ranking, start=1):
                scores[key[id(h)]] = scores.get(key[id(h)], 0.0) + 1.0 / (RRF_K + rank)
        for h in tagged:
            i = key[id(h)]
            base = scores.get(i, 0.0)
            factor = float(h.signals.get("factor", 1.0))
            scores[i] = base * factor if base >= 0 else base / factor
    named = [h for h in tagged if h.signals.get("symbol")]
    seen: dict[str | None, int] = {}
    place = {}  # each repository's own order of its named hits (its tie-breaks) is kept
    for h in named:
        place[id(h)] = seen[h.repo] = seen.get(h.repo, -1) + 1
    named.sort(key=lambda h: (symbol_rank(h.signals["symbol"]), place[id(h)], -scores[key[id(h)]]))
    rest = sorted((h for h in tagged if not h.signals.get("symbol")), key=lambda h: (-scores[key[id(h)]], key[id(h)]))
    top = max(scores.values(), default=1.0)
    out = [replace(h, score=round(top if h.signals.get("symbol") else scores[key[id(h)]], 6)) for h in named + rest]
    return out[:k]
