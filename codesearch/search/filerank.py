"""Files ranked from their functions' hits (`codesearch query --files`): for "which files", not "which lines".

Light (no numpy) so the socket client can aggregate a warm server's answer.
"""

from __future__ import annotations

from codesearch.query import FileHit, Hit

# A file scores its best function plus a decaying share of its next ones: one strong match beats
# several weak ones, and of two files with equal best matches the one with more matches wins.
DECAY = (1.0, 0.5, 0.25)
FUNCTIONS_PER_FILE = 4  # how many functions per wanted file to ask the function ranking for


def more_matches(scores: list[float], decay: tuple[float, ...] = DECAY) -> float:
    """What a file's further matches add to its best one (scores best first): the decaying share of the next ones."""
    return sum(w * max(s, 0.0) for w, s in zip(decay[1:], scores[1:]))


def _own(hit: Hit) -> float:
    """A hit's score without the file evidence the search added (files are scored from their hits here, once)."""
    lift = hit.signals.get("file") if isinstance(hit.signals, dict) else None
    return hit.score - lift if isinstance(lift, (int, float)) else hit.score


def rank_files(hits: list[Hit], k: int, decay: tuple[float, ...] = DECAY) -> list[FileHit]:
    """The k best files among hits (best first), each with its best function's line."""
    groups: dict[tuple[str | None, str], list[Hit]] = {}
    for h in hits:
        groups.setdefault((h.repo, h.path), []).append(h)
    files = []
    for (repo, path), group in groups.items():
        group.sort(key=lambda h: -_own(h))
        best = group[0]
        score = _own(best) + more_matches([_own(h) for h in group], decay)
        files.append(FileHit(path=path, score=round(score, 6), language=best.language, line=best.start_line,
                             col=best.start_col, best=best.qualified_name, functions=[h.qualified_name for h in group],
                             repo=repo))
    order = {key: i for i, key in enumerate(dict.fromkeys((h.repo, h.path) for h in hits))}
    files.sort(key=lambda f: (-f.score, order[(f.repo, f.path)]))
    return files[:k]


def function_budget(k: int) -> int:
    """How many function hits to rank k files from."""
    return min(1000, max(k * FUNCTIONS_PER_FILE, 50))
