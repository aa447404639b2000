"""Which files people worked on last, so a long first index embeds those first.

In a git work tree that is git's view: uncommitted (modified, staged, untracked) files first, then
files by the time of the last commit that touched them, then files git never saw, by mtime.
Anywhere else, and whenever git is missing, slow, broken or the repository looks hostile, it is
the files' mtimes. Nothing here ever fails an index.

git runs with every configurable program it could start on `status` or `log` switched off from
the command line (fsmonitor, hooks, signature checks, pagers, lazy fetches, submodules), without
inherited GIT_* variables, with a timeout, and not at all when the repository's own config
(.git/config, config.worktree, or a file they include) names a filter driver: filters are
programs `git status` may run on changed files, and their names cannot be switched off in bulk.
git's own safe.directory check still refuses repositories owned by another user.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path
from typing import Iterable

MAX_COMMITS = 2000  # history read for the order: enough for any file someone touched lately
TIMEOUT_SECONDS = 10.0  # for all git calls together; past it the order is by mtime

# Settings given on the command line win over the repository's config.
_SAFE_CONFIG = (
    "core.fsmonitor=false",  # a configured fsmonitor is a program git status would start
    f"core.hooksPath={os.devnull}",  # no hook (post-index-change, ...) can run
    "log.showSignature=false",  # git log would start gpg.program for signed commits
    "diff.external=",
    "core.pager=cat",
    "protocol.allow=never",  # a partial clone's lazy fetch must not reach the network
    "submodule.recurse=false",
    "status.submoduleSummary=false",
    "core.quotePath=false",
)
_UNTRUSTED_SCOPES = ("local", "worktree")  # written by whoever made the repository, not by this user


class Recency:
    """A sort key per file: the most recently worked-on files sort first."""

    def __init__(self, dirty: set[str] | None = None, committed: dict[str, int] | None = None) -> None:
        self.dirty = dirty or set()
        self.committed = committed or {}  # path -> unix time of the last commit that touched it
        self.source = "git" if dirty is not None else "mtime"

    @classmethod
    def of(cls, root: Path, timeout: float = TIMEOUT_SECONDS, max_commits: int = MAX_COMMITS) -> "Recency":
        """git's order for the files under root when root is in a usable work tree, else mtime order."""
        try:
            found = _from_git(Path(root), time.monotonic() + timeout, max_commits)
        except (OSError, subprocess.SubprocessError, UnicodeDecodeError, ValueError):
            found = None
        return cls(*found) if found is not None else cls()

    def key(self, rel: str, mtime_ns: int) -> tuple[int, int, str]:
        """Sort key for a path relative to the root: uncommitted, then by last commit, then by mtime."""
        if rel in self.dirty or self.source == "mtime":
            return 0, -mtime_ns, rel
        when = self.committed.get(rel)
        if when is not None:
            return 1, -when, rel
        return 2, -mtime_ns, rel

    def order(self, items: Iterable, path_of, mtime_of) -> list:
        """items sorted by key(path_of(item), mtime_of(item))."""
        return sorted(items, key=lambda it: self.key(path_of(it), mtime_of(it)))


def _git(root: Path, args: list[str], deadline: float) -> str | None:
    """stdout of one git command in root, or None when it fails or the time is up."""
    left = deadline - time.monotonic()
    if left <= 0:
        return None
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0", GIT_NO_LAZY_FETCH="1", GIT_PAGER="cat",
               PAGER="cat", LC_ALL="C")
    cmd = ["git", "--no-pager"]
    for setting in _SAFE_CONFIG:
        cmd += ["-c", setting]
    done = subprocess.run(cmd + args, cwd=root, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, timeout=left, check=False)
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", "surrogateescape")


def _from_git(root: Path, deadline: float, max_commits: int) -> tuple[set[str], dict[str, int]] | None:
    """(uncommitted paths, path -> last commit time), relative to root; None when git cannot say safely."""
    where = _git(root, ["rev-parse", "--is-inside-work-tree", "--show-prefix"], deadline)
    if where is None or not where.startswith("true\n"):
        return None
    prefix = where.split("\n")[1]
    config = _git(root, ["config", "--list", "--show-scope", "-z"], deadline)
    if config is None or _names_a_filter(config):
        return None
    status = _git(root, ["status", "--porcelain", "-z", "--untracked-files=all", "--ignore-submodules=all",
                         "--no-renames", "--", "."], deadline)
    log = _git(root, ["log", "--no-renames", "--no-ext-diff", "--no-textconv", "--name-only", "-z",
                      "--format=%x01%ct", f"-n{max_commits}", "--", "."], deadline)
    if status is None or log is None:
        return None
    return _parse_status(status, prefix), _parse_log(log, prefix)


def _names_a_filter(config: str) -> bool:
    """True when the repository's own config defines a filter driver (a program git status may run)."""
    fields = config.split("\0")
    for scope, item in zip(fields[0::2], fields[1::2]):
        if scope in _UNTRUSTED_SCOPES and item.split("\n", 1)[0].lower().startswith("filter."):
            return True
    return False


def _relative(path: str, prefix: str) -> str | None:
    """A path from git (relative to the top of the work tree) relative to root, or None if outside it."""
    if not path.startswith(prefix):
        return None
    return path[len(prefix):] or None


def _parse_status(out: str, prefix: str) -> set[str]:
    """Paths `git status --porcelain -z` lists (modified, staged, untracked, ...)."""
    dirty: set[str] = set()
    fields = iter(out.split("\0"))
    for entry in fields:
        if len(entry) < 4:
            continue
        if entry[0] in "RC":  # a rename or copy: its source path follows as a field of its own
            next(fields, None)
        rel = _relative(entry[3:], prefix)
        if rel:
            dirty.add(rel)
    return dirty


def _parse_log(out: str, prefix: str) -> dict[str, int]:
    """path -> time of the newest commit naming it, from `git log --name-only -z --format=%x01%ct`."""
    last: dict[str, int] = {}
    for record in out.split("\x01")[1:]:
        head, _, names = record.partition("\0")
        when = int(head.strip())
        for name in names.removeprefix("\n").split("\0"):
            rel = _relative(name, prefix)
            if rel and rel not in last:  # newest first: the first time a path shows is its last change
                last[rel] = when
    return last
