"""Files ranked from their functions' hits (`codesearch query --files`): for "which files", not "which lines";
and hybrid search's file fusion: each ranking's own files, fused by how far each stands above its list.

Light (no numpy) so the socket client can aggregate a warm server's answer.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Collection, Iterable, Sequence

from codesearch.query import SYMBOL_ORDER, FileHit, Hit, symbol_rank

NOT_NAMED = len(SYMBOL_ORDER)  # symbol_rank of a hit no name found

# A file scores its best function plus a decaying share of its next ones: one strong match beats
# several weak ones, and of two files with equal best matches the one with more matches wins.
DECAY = (1.0, 0.5, 0.25)
FUNCTIONS_PER_FILE = 4  # how many functions per wanted file to ask the function ranking for


def more_matches(scores: list[float], decay: tuple[float, ...] = DECAY) -> float:
    """What a file's further matches add to its best one (scores best first): the decaying share of the next ones."""
    return sum(w * max(s, 0.0) for w, s in zip(decay[1:], scores[1:]))


def held_down(signals: dict) -> bool:
    """True for a candidate the non-main factor lowers (code outside the main code, the query not asking for it)."""
    kind = signals.get("non_main")
    return isinstance(kind, str) and not kind.endswith("(lifted)")


def list_files(units: Iterable[tuple[str, float]], weight: float, unlifted: Collection[str] = ()) -> list[tuple[str, float]]:
    """One ranking's files, best first: a file scores its best unit plus weight x what its further units add,
    as the search's file evidence lifts a file's best function (units: (path, score) with the signals applied);
    files in unlifted score their best unit alone (code held down as outside the main code)."""
    by_file: dict[str, list[float]] = {}
    for path, score in units:
        by_file.setdefault(path, []).append(score)
    scored = []
    for path, scores in by_file.items():
        scores.sort(reverse=True)
        scored.append((path, scores[0] + (0.0 if path in unlifted else weight * more_matches(scores))))
    order = {path: i for i, path in enumerate(by_file)}
    scored.sort(key=lambda t: (-t[1], order[t[0]]))
    return scored


@dataclass(frozen=True)
class ListTrust:
    """How one ranking weighs in a question's file fusion: its weight, and how sure it is of its best file."""

    name: str
    weight: float
    files: int  # how many files the ranking holds
    top: float  # its best file, in spreads (standard deviations) above the mean of its first `depth` files
    floor: float = 0.0  # what a file it does not hold (or holds below its first `depth`) scores in it

    def to_dict(self) -> dict:
        return {"weight": round(self.weight, 4), "top": round(self.top, 3), "files": self.files, "floor": round(self.floor, 3)}


SHORT_LIST = 2  # a list of at most this many files gets a spread floor (RankingOptions.file_spread_floor)


def standard_scores(files: Sequence[tuple[str, float]], depth: int, spread_floor: float = 0.0) -> dict[str, float]:
    """Each file's score in spreads above the mean of the list's first depth files (0 for all when they are equal,
    a list's only file among them); a short list's spread is at least spread_floor x its mean (two files scoring
    1.04 and 1.00 are not one spread apart)."""
    head = [s for _, s in files[:depth]]
    if not head:
        return {}
    mean = sum(head) / len(head)
    floor = spread_floor * abs(mean) if len(files) <= SHORT_LIST else 0.0
    spread = max(math.sqrt(sum((s - mean) ** 2 for s in head) / len(head)), floor)
    return {path: (s - mean) / spread if spread > 0 else 0.0 for path, s in files}


def fuse_files(rankings: Sequence[tuple[str, float, Sequence[tuple[str, float]]]], depth: int, floor_at_depth: bool = True,
               best_z_weight: float = 0.0, keep_first_at: int = 0, keep_first_margin: float = 0.0, floor_scale: float = 1.0,
               single_z: float = 0.0, spread_floor: float = 0.0
               ) -> tuple[dict[str, float], dict[str, dict[str, float]], list[ListTrust]]:
    """Files fused from each ranking's own files ((name, weight, files best first)): the weighted sum of each
    file's standard scores, so a ranking whose best file stands far above its others outweighs one whose files
    are all alike. A file a ranking does not hold scores as its last; with floor_at_depth, as its depth-th file
    (and files it ranks below that score so too): a ranking says how far a file stands above the files it
    trusts, not how many more files it happened to hold (a long list would punish a file it lacks far more
    than a short one). floor_scale scales that floor toward the list's mean (0: a file a list lacks or ranks below
    its mean counts as its mean, so a list lifts the files it stands above its mean and pushes none down).
    best_z_weight adds that share of a file's best standard score over the rankings (a file
    one ranking is sure of is not averaged away); keep_first_at > 0 places each ranking's first file no lower
    than that place when it stands keep_first_margin spreads above the ranking's second (keep_first).
    Returns (path -> fused score, path -> {ranking: standard score}, each ranking's trust)."""
    fused: dict[str, float] = {}
    per_file: dict[str, dict[str, float]] = {}
    best: dict[str, float] = {}
    trust = []
    held = [(name, weight, standard_scores(files, depth, spread_floor), files)
            for name, weight, files in rankings]
    floors = {name: 0.0 if len(files) == 1 else floor_scale * (z[files[min(depth, len(files)) - 1][0]] if floor_at_depth
                                                               else min(z.values()))  # one file: the others at its mean
              for name, _, z, files in held if z}
    # a list's only file stands single_z times as far above the others as the other lists' best file stands above
    # its floor (a spread when no other list has two): rest-client's "interactive shell", said by one file only, was
    # pushed below five files by a model list that matched nothing (best cosine 0.26: probe 175)
    reach = max([1.0] + [z[files[0][0]] - floors[name] for name, _, z, files in held if len(files) > 1])  # a spread
    # at least: a flat list (every file alike) stands no file above another, and the only file still counts (review)
    paths = list(dict.fromkeys(p for *_, files in held for p, _ in files))
    for name, weight, z, files in held:
        if not z:
            continue
        floor = floors[name]
        z = {files[0][0]: single_z * reach} if len(files) == 1 else {path: max(v, floor) for path, v in z.items()}
        trust.append(ListTrust(name, weight, len(files), z[files[0][0]], floor))
        for path in paths:
            fused[path] = fused.get(path, 0.0) + weight * z.get(path, floor)
            best[path] = max(best.get(path, -math.inf), z.get(path, floor))
            if path in z:
                per_file.setdefault(path, {})[name] = round(z[path], 3)
    if best_z_weight:
        fused = {path: v + best_z_weight * best[path] for path, v in fused.items()}
    if keep_first_at > 0:
        sure = [files[0][0] for _, _, z, files in sorted(held, key=lambda h: -h[1])
                if z and (len(files) < 2 or z[files[0][0]] - z[files[1][0]] >= keep_first_margin)]
        fused = keep_first(fused, paths, sure, keep_first_at)
    return fused, per_file, trust


def keep_first(fused: dict[str, float], paths: list[str], firsts: Sequence[str], place: int) -> dict[str, float]:
    """Fused scores with each of firsts (a ranking's first file, the heaviest ranking's first) lifted just above
    the file at the given place (1-based) when it stands lower: a file one ranking is sure of keeps a high place."""
    seen = {path: i for i, path in enumerate(paths)}
    out = dict(fused)
    for path in dict.fromkeys(firsts):
        order = sorted(out, key=lambda p: (-out[p], seen[p]))
        i = order.index(path)
        if i < place:
            continue
        above = out[order[place - 2]] if place >= 2 else out[order[0]] + 2.0
        below = out[order[place - 1]]
        out[path] = (above + below) / 2 if above > below else math.nextafter(below, math.inf)
    return out


def _own(hit: Hit) -> float:
    """A hit's score without the file evidence the search added (files are scored from their hits here, once)."""
    lift = hit.signals.get("file") if isinstance(hit.signals, dict) else None
    return hit.score - lift if isinstance(lift, (int, float)) else hit.score


def _placed(hit: Hit) -> bool:
    """True for the unit whose score is its file's place in a search that fused its files (Searcher's file fusion)."""
    return isinstance(hit.signals, dict) and "file_place" in hit.signals


QUOTED = symbol_rank("quoted")  # a line pasted is named as surely as an exact name: the hits' order decides between them


def _named_how(hit: Hit) -> int:
    """How the query named a hit's unit (query.symbol_rank; NOT_NAMED when it did not)."""
    return symbol_rank(hit.signals.get("symbol")) if isinstance(hit.signals, dict) else symbol_rank(None)


def rank_files(hits: list[Hit], k: int, decay: tuple[float, ...] = DECAY) -> list[FileHit]:
    """The k best files among hits (best first), each with its best function's line."""
    groups: dict[tuple[str | None, str], list[Hit]] = {}
    for h in hits:
        groups.setdefault((h.repo, h.path), []).append(h)
    files, named = [], {}
    for (repo, path), group in groups.items():
        group.sort(key=lambda h: (not _placed(h), -_own(h)))
        best = group[0]  # a hybrid search fused its files already: the file's place is its first unit's score
        # a file holding a unit the query names (exact, then binding it, then alike but for case) stays in that
        # order above the others, as its unit does among the hits: several `queryset` methods in one file must not
        # outweigh the one `class QuerySet`; it shows that unit, its score still the file's (args4j's Main.java came
        # above a better file for `Main.printUsage`, showing Main.run)
        shown = min(group, key=_named_how)
        named[(repo, path)] = _named_how(shown)
        if named[(repo, path)] == NOT_NAMED:
            shown = best
        held = all(isinstance(h.signals, dict) and held_down(h.signals) for h in group)  # no evidence for test files
        score = best.score if _placed(best) else _own(best) + (0.0 if held else more_matches([_own(h) for h in group], decay))
        line = shown.focus()  # where the unit's own result opens (past an `@Override`: probe 192)
        files.append(FileHit(path=path, score=round(score, 6), language=best.language, line=line,
                             col=shown.column(line), best=shown.qualified_name,
                             functions=[h.qualified_name for h in group], repo=repo, start_line=shown.start_line,
                             end_line=shown.end_line))
    order = {key: i for i, key in enumerate(dict.fromkeys((h.repo, h.path) for h in hits))}
    # files of named units keep the order their units were placed in (a function of its own before methods of that
    # name: go-cmp's `--files Equal` listed report_text.go's two `Equal` methods above compare.go's func Equal)
    # (and a file holding the line pasted, where the hits put it first, stays first: jsonpath-ng's `raise
    # JsonPathParserError('Parse error near the end of string!')` listed exceptions.py above parser.py: probe 229)
    level = {key: 0 if how <= QUOTED else how for key, how in named.items()}
    files.sort(key=lambda f: (level[(f.repo, f.path)], order[(f.repo, f.path)] if named[(f.repo, f.path)] < NOT_NAMED
                              else 0, -f.score, order[(f.repo, f.path)]))
    shown = files[:k]
    for i in range(len(shown) - 2, -1, -1):  # printed scores fall down the list: a named file above better-scored
        if shown[i].score < shown[i + 1].score:  # ones shows their score (yargs-parser's string-utils.js: probe 67)
            shown[i] = replace(shown[i], score=shown[i + 1].score)
    return shown


MAX_FUNCTIONS = 1000  # the most function hits k files are ranked from


def function_budget(k: int) -> int:
    """How many function hits to rank k files from."""
    return min(MAX_FUNCTIONS, max(k * FUNCTIONS_PER_FILE, 50))


def wider_budget(hits: list[Hit], k: int, budget: int) -> int:
    """The budget to ask again with when `budget` function hits held fewer than k files though more may exist (a
    file with 60 matching functions took all 50 places), else 0."""
    if len({(h.repo, h.path) for h in hits}) >= k or len(hits) < budget or budget >= MAX_FUNCTIONS:
        return 0
    return min(MAX_FUNCTIONS, budget * 4)
