"""How results look: human (coloured on a terminal), JSON, or vimgrep lines for editors."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from codesearch.query import (ELIDED, MAX_INDENT, SCORE_NAMES, FileHit, Hit, coverage_note, decorator_lines,
                              language_note, read_note, unmatched_note, vague_note)
from codesearch.safetext import printable

PREVIEW_LINES = 4
PREVIEW_WIDTH = 240  # characters of a previewed line


def display_name(h: Hit) -> str:
    """A hit's name as shown: its qualified name, and the name it binds when a binding found it."""
    binds = h.signals.get("binds") if isinstance(h.signals, dict) else None
    return f"{h.qualified_name} binds {binds}" if isinstance(binds, str) else h.qualified_name


ALSO_NAMED = 2  # copies named in a hit's line; more are counted ("also in index.mjs:1", not "also in 1 place")


def _places(also_in: list[str], root: Path) -> str:
    """Where a hit's copies are, as a person reads it: the first ALSO_NAMED by path (from the working directory, as
    the hit's own) and line, the rest counted (probe 127: "also in 1 place" did not say where)."""
    split = (place.rpartition(":") for place in also_in[:ALSO_NAMED])  # path:line, the path possibly holding ':'
    named = ", ".join(f"{display_path(root, path)}:{line}" for path, _, line in split)
    rest = len(also_in) - ALSO_NAMED
    return named + (f" and {rest} more" if rest > 0 else "")


def preview(hit: Hit, lines: int = PREVIEW_LINES) -> tuple[int, list[str]]:
    """(first line number, lines) a person sees of a unit: from its signature (decorators skipped; a module piece or
    type from the line that holds the question's words, signals["focus"]), the
    first line indented as in the file (the unit's text starts at its first byte, 1-based start_col)."""
    text = hit.code.split("\n")
    before = (hit.signals or {}).get("written_before")  # code before it on its line (`P.squareRoot = P.sqrt = ...`)
    if isinstance(before, str) and before:
        text[0] = before + text[0]
    elif hit.start_col - 1 <= MAX_INDENT:  # deeper: a unit inside a minified line, shown from its own first byte
        # a column per tab (immer: probe 113), where its lines are indented with tabs more than with spaces (jsap's
        # one tab-indented continuation line in a file of spaces: probe 178)
        tabs = sum(line.startswith("\t") for line in text[1:])
        pad = "\t" if tabs > sum(line.startswith(" ") for line in text[1:]) else " "
        text[0] = pad * max(0, hit.start_col - 1) + text[0]
    skip = decorator_lines(text)
    focus = (hit.signals or {}).get("focus")  # a module piece's or type's line that holds the question's words
    if isinstance(focus, int) and hit.start_line < focus <= hit.start_line + len(text) - 1:
        skip = focus - hit.start_line
    shown = text[skip:skip + lines]
    # a member left out of a type or module piece ends what is shown: the blank rows that keep its lines' numbers
    # are not the file's (lru-cache's class showed `*entries() {`, `…` and two empty numbered lines: probe 147)
    cut = next((i + 1 for i, line in enumerate(shown) if i and line.strip() == ELIDED), len(shown))
    return hit.start_line + skip, [_cut(line) for line in shown[:cut]]


def _cut(line: str) -> str:
    """A line as a preview shows it: at most PREVIEW_WIDTH characters (a bundle's line holds 100,000)."""
    return line if len(line) <= PREVIEW_WIDTH else line[: PREVIEW_WIDTH - 1] + "…"


def display_path(root: Path, rel: str) -> str:
    """A result's path relative to the working directory inside the repository, as editors expect; from outside it
    (`--repo /abs/path`), the whole path, not `../work/repos/x/lib/a.js` (probe 226). Escaped for a terminal."""
    where = root / rel
    try:
        near = os.path.relpath(where)
        if not near.startswith("..") or Path.cwd().resolve().is_relative_to(root.resolve()):
            return printable(near)
        return printable(where if where.is_absolute() else where.resolve())
    except (ValueError, OSError):
        return printable(where)


def _root(repo: str | None, root: Path) -> Path:
    return Path(repo) if repo else root


def hit_json(hit: Hit | FileHit, root: Path) -> dict:
    d = hit.to_dict()
    d["abs_path"] = str(_root(hit.repo, root) / hit.path)
    if isinstance(hit, Hit):
        d["line"] = hit.focus()  # where an editor opens it: the line holding the words, in a piece, type or window
    return d


_NOT_EVIDENCE = ("fusion", "written_before")  # said once above the hits; the code before a unit on its line


def _signal(name: str, value: object) -> str:
    """One signal as `name value`; a per-list one (`file_z`) as `name list value list value`."""
    if isinstance(value, dict):
        return f"{name} " + " ".join(f"{k} {v}" for k, v in value.items())
    if name == "fused":  # the unit's own fusion, before its file's place set the shown score: not a second "fused"
        return f"unit rrf {value}"  # (commons-csv: `fused 0.325 [... fused 0.147849]` read as a bug: probe 74)
    return f"{name} {value}"


def explain_line(h: Hit) -> str:
    """The evidence behind a hit's rank: both rankings and every signal that moved it (the question's list
    weights, the same for every hit, are said once above them: fusion_line)."""
    sem = f"semantic {h.semantic_score:.3f} (#{h.semantic_rank})" if h.semantic_rank else "semantic -"
    lex = f"lexical #{h.lexical_rank}" if h.lexical_rank else "lexical -"
    signals = ", ".join(_signal(name, value) for name, value in h.signals.items() if name not in _NOT_EVIDENCE)
    return f"  [{h.kind}; {sem}, {lex}" + (f"; {signals}" if signals else "") + "]"


def fusion_line(hits: list[Hit]) -> str | None:
    """How a hybrid answer weighed its lists for this question (Searcher's file fusion), or None: each list's
    weight, how far its best file stands above its others (in spreads: the higher, the surer it is), what a file
    it lacks scores in it, whether it only re-ranks the files words found (the static tier's option), and whether
    words' first file was kept first (while the static tier stands in for the model)."""
    lists = next((h.signals["fusion"] for h in hits if isinstance(h.signals.get("fusion"), dict)), None)
    if not lists:
        return None
    parts = [f"{name} weight {d.get('weight')}, best file {d.get('top')} spreads above its mean ({d.get('files')} files"
             + (f", a file it lacks {d['floor']}" if "floor" in d else "") + ")"
             + (f", re-ranks {d['reranks']} only" if "reranks" in d else "")
             + (f", keeps its first file first ({d['keeps_first']}: the static tier stands in)" if "keeps_first" in d else "")
             for name, d in lists.items() if isinstance(d, dict)]
    return "files fused from " + "; ".join(parts)


def print_files(files: list[FileHit], root: Path, as_json: bool = False, vimgrep: bool = False,
                score_label: str = "score", jsonl: bool = False, explain: list[Hit] | None = None) -> None:
    """Write file results: path and the best function's line; jsonl one file a line; explain (the hits the files were
    ranked from) adds the question's fusion line and each file's best function's signals, as results show them."""
    out = sys.stdout
    if jsonl:
        for f in files:
            out.write(json.dumps(hit_json(f, root), ensure_ascii=False) + "\n")
            out.flush()
        return
    if as_json:
        out.write(json.dumps([hit_json(f, root) for f in files], ensure_ascii=False) + "\n")
        return
    if not files:
        print("no results", file=sys.stderr)
        return
    best_hits = {(h.repo, h.path, h.focus()): h for h in reversed(explain or [])}  # the first of each place
    fused = fusion_line(explain) if explain else None
    if fused:
        out.write(printable(fused) + "\n\n")
    for f in files:
        where, best = display_path(_root(f.repo, root), f.path), printable(f.best)
        if vimgrep:
            out.write(f"{where}:{f.line}:{f.col}:{best}  [{len(f.functions)} matching, {score_label} {f.score:.3f}]\n")
        else:
            more = f" (+{len(f.functions) - 1} more)" if len(f.functions) > 1 else ""
            hit = best_hits.get((f.repo, f.path, f.line))
            why = printable(explain_line(hit)) if hit is not None else ""
            out.write(f"{where}:{f.line}  {best}{more}  {score_label} {f.score:.3f}{why}\n")


def print_hits(hits: list[Hit], root: Path, as_json: bool = False, vimgrep: bool = False, explain: bool = False,
               jsonl: bool = False, score_label: str = "score") -> None:
    """Write results to stdout in the chosen format (this module stays light: the fast client prints with it).

    score_label names what the score column is (query.SCORE_NAMES), since each mode has its own scale."""
    out = sys.stdout
    if jsonl:  # one hit per line, each flushed, for readers that act on the first lines
        for h in hits:
            out.write(json.dumps(hit_json(h, root), ensure_ascii=False) + "\n")
            out.flush()
        return
    if as_json:
        out.write(json.dumps([hit_json(h, root) for h in hits], ensure_ascii=False) + "\n")
        return
    if vimgrep:
        for h in hits:
            line, (first, *_) = preview(h, lines=1)
            col = h.column(line)  # past decorators: theirs
            out.write(f"{display_path(_root(h.repo, root), h.path)}:{line}:{col}:{printable(first.strip())}  "
                      f"[{printable(display_name(h))} {score_label} {h.score:.3f}]\n")
        return
    if not hits:
        print("no results", file=sys.stderr)
        return
    tty = out.isatty()
    fused = fusion_line(hits) if explain else None
    if fused:
        out.write(printable(fused) + "\n\n")
    console = None
    if tty:
        from rich.console import Console

        console = Console(highlight=False)
    for h in hits:
        first, shown = preview(h)  # from the signature: the line an editor should open at
        where = f"{display_path(_root(h.repo, root), h.path)}:{first}"
        why = printable(explain_line(h)) if explain else ""
        if h.also_in:
            why += f"  (also in {_places(h.also_in, _root(h.repo, root))})"
        text = printable("\n".join(shown), multiline=True)
        name = printable(display_name(h))
        if console is not None:
            from rich.markup import escape
            from rich.syntax import Syntax

            console.print(f"[bold cyan]{escape(where)}[/]  [bold]{escape(name)}[/]  "
                          f"[green]{escape(score_label)} {h.score:.3f}[/]{escape(why)}")
            console.print(Syntax(text, printable(h.language), line_numbers=True, start_line=first, word_wrap=False,
                                 background_color="default"))
        else:
            out.write(f"{where}  {name}  {score_label} {h.score:.3f}{why}\n")
            for i, line in enumerate(text.split("\n")):
                out.write(f"    {first + i:>5} | {line}\n")
            out.write("\n")


def answer_notes(answer, text: str | None = None, mode: str | None = None) -> list[str]:
    """The stderr lines that go with an answer (serve.client.Answer): the function a "similar" started
    from, how much semantic search covers yet, a non-English question to an English-only model, and a question of
    common words only."""
    notes = []
    origin = answer.origin
    if origin is not None:
        where = display_path(_root(origin.repo, answer.root), origin.path)
        notes.append(f"like {printable(origin.qualified_name)} ({where}:{origin.start_line}-{origin.end_line}):")
    if text is not None:
        notes += [note for note in (coverage_note(answer.coverage) if mode != "lexical" else None,
                                    language_note(text, answer.model) if mode != "lexical" else None,
                                    vague_note(text), read_note(answer.hits),
                                    unmatched_note(text, answer.hits)) if note]
    return notes


def score_label(mode: str) -> str:
    """What the score column is for a mode ("similar" for find-code-like-this)."""
    return SCORE_NAMES.get(mode, "score")
