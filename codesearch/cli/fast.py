"""The console script's first step: `query` and `similar` with simple flags answered by a warm
server using only the standard library (no numpy, torch, transformers, pathspec or click), printed by
the same output code as the full CLI; anything else, or no server, goes on to the click CLI.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from codesearch.config import Config
from codesearch.errors import CodesearchError
from codesearch.query import MAX_K, MODES, Query

FLAGS = {"--json": "as_json", "--vimgrep": "vimgrep", "--jsonl": "jsonl", "--explain": "explain",
         "--auto-serve": "auto_serve"}
VALUES = {"-k": "k", "--limit": "k", "--lang": "langs", "--path": "path_glob", "--kind": "kinds", "--mode": "mode",
          "--index-dir": "index_dir", "--repo": "repo", "--in": "repo"}
REPEATED = {"repo"}  # every value kept, in a list, as click's multiple=True keeps them
ALLOWED = {"query": set(FLAGS.values()) | set(VALUES.values()),
           "similar": {"as_json", "vimgrep", "jsonl", "auto_serve", "k", "index_dir"}}


def parse(argv: list[str]) -> tuple[str, str, dict] | None:
    """(command, argument, options) when the fast path understands argv exactly; None otherwise."""
    if not argv or argv[0] not in ALLOWED:
        return None
    command, rest, opts, positional = argv[0], argv[1:], {}, []
    while rest:
        arg = rest.pop(0)
        name, eq, value = arg.partition("=")
        if arg == "--":
            positional += rest
            break
        if arg in FLAGS:
            opts[FLAGS[arg]] = True
        elif name in VALUES and VALUES[name] in REPEATED and (eq or rest):
            opts.setdefault(VALUES[name], []).append(value if eq else rest.pop(0))
        elif name in VALUES and (eq or rest):
            opts[VALUES[name]] = value if eq else rest.pop(0)
        elif arg.startswith("-") and arg != "-":
            return None  # a flag only the full CLI knows (or a mistake it explains)
        else:
            positional.append(arg)
    if not positional or (command == "similar" and len(positional) != 1) or not set(opts) <= ALLOWED[command]:
        return None
    return command, " ".join(positional), opts  # a query's unquoted words are one question


def _request(command: str, argument: str, opts: dict) -> dict | None:
    """The socket request for a parsed command line; None when a value needs the full CLI's message."""
    k = opts.get("k", "10")
    if not str(k).isdigit() or not 1 <= int(k) <= MAX_K:
        return None
    if command == "similar":
        path, sep, line = argument.rpartition(":")
        if not sep or not path or not line.isdigit() or int(line) < 1:
            return None
        from codesearch.serve.client import similar_request

        return similar_request(Path(path), int(line), int(k))
    langs = [x.strip().lower() for x in (opts.get("langs") or "").split(",") if x.strip()]
    if opts.get("mode", "hybrid") not in MODES:
        return None
    try:
        include_tests = Config.resolve({}).include_tests  # CODESEARCH_INCLUDE_TESTS, as the full CLI reads it
        query = Query(argument, int(k), tuple(langs), opts.get("path_glob"), opts.get("mode", "hybrid"),
                      include_tests=include_tests, kinds=tuple((opts.get("kinds") or "").split(",")))
    except CodesearchError:
        return None
    return query.to_request()


def answer_warm(argv: list[str]) -> int | None:
    """Print the answer of a running server and return the exit status; None to run the full CLI."""
    parsed = parse(argv)
    if parsed is None:
        return None
    from codesearch.workspace import find_workspace, folder_filter, one_repository

    command, argument, opts = parsed
    repos = [Path(p) for p in opts.get("repo", [])]
    if command == "query" and not repos and find_workspace(Path.cwd()) is not None:
        return None  # a workspace searches several indexes: the full CLI merges them
    if not all(p.is_dir() for p in repos):
        return None  # the full CLI says which --repo is no folder
    request = _request(command, argument, opts)
    if request is None:
        return None
    from codesearch.serve.client import warm_answer

    try:
        cfg = Config.resolve({"index_dir": opts.get("index_dir"), "auto_serve": opts.get("auto_serve")})
        start = (Path(request["similar"]["path"]).parent if "similar" in request
                 else one_repository(repos, cfg) if repos else Path.cwd())
        if command == "query" and not opts.get("path_glob") and folder_filter(repos, start):
            return None  # a folder inside the repository: the full CLI filters to it and says so
        warm = warm_answer(start, cfg, request) if start is not None else None  # None: several, merged by the full CLI
    except CodesearchError as exc:
        print(f"codesearch: error: {exc}", file=sys.stderr)
        return exc.exit_code
    if warm is None or (command == "query" and not warm.hits):
        return None  # nothing found: the full CLI says why (a filter that leaves nothing, an empty index: probe 153)
    warm = warm.of_repository() if repos else warm
    from codesearch.cli.output import answer_notes, print_hits, score_label

    mode = request.get("mode") if command == "query" else "similar"
    if warm.note:
        print(warm.note, file=sys.stderr)
    for note in answer_notes(warm, argument if command == "query" else None, mode):
        print(note, file=sys.stderr)
    print_hits(warm.hits, warm.root, as_json=bool(opts.get("as_json")), vimgrep=bool(opts.get("vimgrep")),
               explain=bool(opts.get("explain")), jsonl=bool(opts.get("jsonl")), score_label=score_label(mode))
    return 0 if warm.hits else 1  # like grep: nothing found is status 1


def main() -> None:
    """Entry point of the `codesearch` console script."""
    try:
        status = answer_warm(sys.argv[1:])
        if status is not None:
            sys.stdout.flush()
            sys.exit(status)
    except BrokenPipeError:  # `codesearch query ... | head`: the reader left, which is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(0)
    from codesearch.cli.commands import main as full_cli

    full_cli()
