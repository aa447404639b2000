"""Questions to ranked functions: dense (HNSW), lexical (BM25F over FTS5 candidates), or both fused with RRF,
hybrid's files then ordered by fusing each list's own files by how far each stands above its list.

The query's text is read once (`Query.terms`, a QueryTerms) and those terms flow to lexical search,
symbol lookup and the ranking signals; only the embedder sees the raw text.
"""

from __future__ import annotations

import json
import math
import posixpath
import re
from collections import Counter
from dataclasses import replace
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Callable, Collection, Mapping, Sequence, TypeVar

import numpy as np
import pathspec

from codesearch.store.catalog import FunctionRow
from codesearch.embed.embedding import Embedder
from codesearch.languages import (BY_NAME, SPECS, aliases_a_method, declared_package, declares_package, defined_in,
                                  entry_files, is_entry_file, js_module_rank, module_path, reexports)
from codesearch.errors import UsageError
from codesearch.store.safefiles import read_ends
from codesearch.query import (DEFAULT_MODE, MAX_INDENT, MODES, STOP_WORDS, WORD, Hit, Query, QueryTerms,
                              abbreviations, bad_glob, decorator_of, factory_call, inner_call, member_set,
                              looks_like_identifier, model_guesses, stem, symbol_key, symbol_rank)
from codesearch.search import bm25
from codesearch.search.filerank import fuse_files, list_files, more_matches
from codesearch.search.ranking import (DECLARATIONS, GRAMMAR_SUFFIXES, SOURCE_MAP, RankingOptions, adjust, build_folder,
                                       asks_for_exports, entry_piece, exported_things, named_for_tests, tests_kept_apart,
                                       fixture_named, imported_as_its_own,
                                       QUOTED_POOL, collapse_duplicates, copies_elsewhere, declared_only, encloses, nested_short, factor_of,
                                       hands_on_to_namesake, held_down, helpers_folder, holds_the_line, holds_the_message, line_holding,
                                       non_main_kind, library_test_folder, lift_words, locale_folder, locale_folder_of,
                                       major_version_folder, parent_folder, says_subject, shipped_build, superseded,
                                       support_library, symbol_matches, the_library_itself, units_once, written_first,
                                       plumbing_only)
from codesearch.store.folder import Store
from codesearch.parse.documents import LICENCE_FROM, past_licence
from codesearch.parse.lexical import index_words
from codesearch.parse.units import CONTAINERS, ELIDED, doc_rows, is_plumbing, past_overloads, positioned
from codesearch.search.tiers import StaticTier

RRF_K = 60
__all__ = ["Searcher", "rrf", "Hit", "Query", "MODES", "DEFAULT_MODE"]
EXACT_BELOW = 4096  # filtered sets this small are searched exactly: fast and never short
EXACT_INDEX_BELOW = 1024  # whole indexes this small too (~6 ms): exact answers, whatever the graph's state
# a pool whose first candidates are all held down (a repository of mostly tests: yargs' 1,556 mocha blocks of 2,142
# units) widens while it holds fewer than k results of main code, up to this many times the pool (two widenings)
MAIN_POOL_WIDENING = 16
HEAD_BYTES = 2048
FILE_PLACE_SIGNALS = ("file_place", "file", "file_z")  # a file's place in a question's file fusion, on its first unit
COMPILED_SCRIPTS = (".js", ".mjs", ".cjs")  # what a compiler or bundler writes beside its source map
# read for a Go file's package clause, below its package's doc comment (httprouter's router.go says `package
# httprouter` at byte 2935: `httprouter.Router` met no name, probe 68)
PACKAGE_BYTES = 32768
TAIL_BYTES = 512
MAX_BOUND = 20  # units binding the name that lead the results (a field every class has must not pin them all)
MAX_ON_A_NAME = 2  # definitions of a member called on a name the code defines otherwise, at most (`fs.copy`)
# languages whose methods are declared outside their type, named `Type.method` (Go): a bare type's members there
RECEIVER_LANGUAGES = tuple(spec.name for spec in SPECS if spec.qualified.style == "receiver")
MAX_TOP_BOUND = 2  # module-level bindings of a plain word that still make it a name (Searcher._bound_at_top)
BARE_NAME = re.compile(r"[A-Za-z_$][\w$]*")  # one identifier, no member path: what a binding can be looked up by
MEMBER_NAME = re.compile(r"([A-Za-z_$][\w$.\\:]*?)(?:\.|::|->|#)\$?([A-Za-z_$][\w$]*)")  # `Type.FIELD`, `Cls::BAR`


MAX_PACKAGE_READS = 200  # files whose package clause one `pkg.Name` query may read (each once per catalog version)
MAX_EXPORTED_NAMESAKES = 20  # namesakes whose tie re-exports break (more: a common name, left to scores)
ENTRY_BYTES = 262144  # of a package's entry file, read for its re-exports


def _names_in(qualified_name: str) -> list[str]:
    """The names a qualified one is made of, outermost first (`Rack::App#call` -> Rack, App, call)."""
    return re.split(r"\.|::|\\|#", qualified_name)


def _variable_of(owner: str, enclosing: list[str]) -> bool:
    """Whether a lower-case owner typed is a variable named for one of the enclosing types (`client.timeout` pasted
    from a caller: Client's `attr_accessor :timeout`, `http_client` an HttpClient's), not the type itself."""
    return owner[:1].islower() and symbol_key(owner) in {symbol_key(e) for e in enclosing if e[:1].isupper()}


def _name_as_read(name: str, read: dict[str, str]) -> str:
    """A name typed with the words read otherwise put back in it (`awsome_inspect`, "awsome" read as "awesome":
    `awesome_inspect`), "" when none was."""
    if not read:
        return ""
    said = {typed.lower(): word for typed, word in read.items()}  # in one pass, the longest first: a word read
    typed = "|".join(re.escape(t) for t in sorted(read, key=len, reverse=True))  # inside another is not read twice
    fixed = re.sub(typed, lambda m: said.get(m.group(0).lower(), m.group(0)), name, flags=re.IGNORECASE)
    return fixed if fixed != name else ""


MAX_PACKAGE_FOLDERS = 20  # folders named as a pasted package is, whose package.json is read
_REQUIRED = re.compile(r"(?:\brequire\s*\(\s*|\bfrom\s+|^\s*import\s+)['\"]([^'\"]+)['\"]")  # a package asked for


_NAMESPACE_OPENS = re.compile(r"\s*(?:export\s+)?(?:module|namespace)\s")  # a Ruby module, a TypeScript namespace


def _reopened(row: FunctionRow) -> bool:
    """Whether a type unit may be one of several openings of one type: a Ruby module or class (the language reopens
    classes), a TypeScript namespace; not two Go structs or Java classes of one name in two packages (review)."""
    spec = BY_NAME.get(row.language)
    return bool(_NAMESPACE_OPENS.match(row.code)) or (spec is not None and spec.reopens_classes)


def _other_side(name: str) -> str:
    """A name with each word spelt as the other side of the Atlantic spells it where it may be (`treetop_camelise`:
    treetop_camelize, `normalizeColor`: normaliseColour), case kept."""
    def respelt(m: re.Match) -> str:
        word = m.group().lower()
        root = stem(word)
        other = bm25.other_spelling(root) if word.startswith(root) else None
        out = other + word[len(root):] if other else word
        return out[:1].upper() + out[1:] if m.group()[:1].isupper() else out
    return re.sub(r"[A-Za-z][a-z]+", respelt, name)


def _type_member(qualifier: str, qualified_name: str, name: str) -> bool:
    """Whether a unit is a member of a type (`Connection.connect`) where a lower-case module or package is typed
    before its name (`pymysql.connect`: the module's own `connect = Connection`, not the method in pymysql/
    connections.py: probe 243)."""
    owner = qualified_name[: -len(name)].rstrip(".#:\\") if qualified_name.endswith(name) else ""
    last = re.split(r"[.#:\\]+", owner)[-1] if owner else ""
    named_for = last.lower().endswith(qualifier.lower())  # a variable named for the type (`view.state.apply`: an
    return qualifier[:1].islower() and last[:1].isupper() and not named_for  # EditorState's, probe 225)


def _pasted_call(terms: QueryTerms) -> bool:
    """The name searched was read from a pasted call of it (`list.Join([]string{"1.2.3.4"})`), not typed alone."""
    last = terms.typed_last
    return terms.typed != terms.text and bool(last) and bool(re.search(rf"\b{re.escape(last)}\s*\(", terms.typed))


def _last_name(qualified_name: str) -> str:
    """The innermost name of a qualified one (`Twig\\Environment` -> Environment, `Rack::App` -> App)."""
    return _names_in(qualified_name)[-1]


def rrf(rankings: Sequence[Sequence[int]], k: int = RRF_K, weights: Sequence[float] | None = None,
        ranks: Sequence[Sequence[int] | None] | None = None) -> list[tuple[int, float]]:
    """Weighted reciprocal rank fusion: list i adds weights[i]/(k + rank) to its ids (ranks[i]: each id's rank, ties
    sharing one, else its place); best first."""
    scores: dict[int, float] = {}
    for i, ranking in enumerate(rankings):
        w = 1.0 if weights is None else weights[i]
        places = ranks[i] if ranks is not None and ranks[i] is not None else range(1, len(ranking) + 1)
        for rank, item in zip(places, ranking):
            scores[item] = scores.get(item, 0.0) + w / (k + rank)
    return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))


def shared_ranks(scores: Sequence[float]) -> list[int]:
    """Each place's rank, scores tied sharing the first of theirs (1, 2, 2, 4): the words' list ties units that match
    by their file's name alone (fast-xml-parser's 16 json2xml.js units for "xml to json": probe 155), and their order
    in the file is no reason to rank one above another."""
    out: list[int] = []
    for i, s in enumerate(scores):
        out.append(out[-1] if i and s == scores[i - 1] else i + 1)
    return out


QUERY_VECTORS_KEPT = 8  # question vectors a Searcher keeps (each a model's forward pass)
# a binding a module's import gives, a compiler's too (Babel's `var _x = _interopRequireDefault(require("./x"))`)
_IMPORTED = re.compile(r"=\s*(?:await\s+)?(?:[\w$]+\(\s*)?(?:require|import)\s*\(\s*['\"`]")


def _in_group(row: FunctionRow, group: tuple[FunctionRow, list[FunctionRow]]) -> bool:
    """Whether row leads a group of hits or is one of its copies (the same text elsewhere)."""
    shown, copies = group
    return any(r.id == row.id or r.text_hash == row.text_hash for r in (shown, *copies))


def _deeper(first: list[Hit], deeper: list[Hit], k: int) -> list[Hit]:
    """first, then deeper's hits that are none of first's (nor a copy one of them lists), scored no higher than the
    last of first: up to k."""
    seen = {f"{h.path}:{h.start_line}" for h in first} | {place for h in first for place in h.also_in}
    ids = {h.id for h in first}
    out = list(first)
    for hit in deeper:
        if len(out) >= k:
            break
        if hit.id in ids or f"{hit.path}:{hit.start_line}" in seen:
            continue
        if out:
            hit = replace(hit, score=min(hit.score, out[-1].score))
        out.append(hit)
    return out


_MEMBER_SEPARATOR = re.compile(r"#|::")  # a member named as Javadoc (`#`), a method reference or PHP (`::`) names it


def _ends_qualified(qualified: str, typed: str) -> bool:
    """Whether a qualified name ends with a qualified name typed (`Uuid::uuid4`), past a namespace's separator
    (`App\\Uuid::uuid4`, `pkg.Uuid.uuid4`); a bare name is no qualified name."""
    if not any(sep in typed for sep in (".", "::", "\\", "#")) or not qualified.endswith(typed) or qualified == typed:
        return False
    return qualified[-len(typed) - 1] in ".:\\#"


def fuse(sem: list[tuple[int, float]], lex: list[tuple[int, float]], terms: QueryTerms,
         opts: RankingOptions, meaning_weight: float = 1.0) -> list[tuple[int, float]]:
    """Meaning and words fused. A question: weighted RRF (meaning_weight: less while the static tier stands in
    for the model). A name (`Session`, `res.send`): the words lead, in their own order and scores, and what
    only meaning found follows, so fusion never loses what words had for a name."""
    if terms.name and lex:
        have = {f for f, _ in lex}
        return list(lex) + after(lex, [f for f, _ in sem if f not in have], opts.rrf_k)
    tied = shared_ranks([s for _, s in lex]) if opts.tied_words_share else None
    return rrf([[f for f, _ in sem], [f for f, _ in lex]], opts.rrf_k, (meaning_weight, opts.lexical_weight), (None, tied))


def after(fused: list[tuple[int, float]], tail: list[int], k: int) -> list[tuple[int, float]]:
    """The tail's units scored below every fused one, in the tail's order (what only a weaker list found)."""
    floor = min((s for _, s in fused), default=1.0) * 0.01
    return [(f, floor / (k + r)) for r, f in enumerate(tail, start=1)]


def file_evidence(ranked: list[FunctionRow], scores: dict[int, float], signals: dict[int, dict], weight: float,
                  named: set[int], unlifted: Collection[str] = ()) -> list[FunctionRow]:
    """Each file's best function lifted by weight x what the file's other matches add (as `--files` scores files),
    so results in function order list files in `--files` order; the rest keep their scores (a file with many
    weak matches never buries a file with one strong one under all of them) and named symbols stay first.
    Files in unlifted get no lift (code held down as outside the main code: a test file's many tests of one
    function are not more evidence that the user wants it)."""
    by_file: dict[str, list[FunctionRow]] = {}
    for row in ranked:
        if row.id not in named:
            by_file.setdefault(row.path, []).append(row)
    for path, rows in by_file.items():
        rows.sort(key=lambda r: -scores[r.id])
        lift = 0.0 if path in unlifted else weight * more_matches([scores[r.id] for r in rows])
        if lift:
            scores[rows[0].id] = round(scores[rows[0].id] + lift, 9)
            signals[rows[0].id]["file"] = round(lift, 6)
    first = [r for r in ranked if r.id in named]
    place = {r.id: i for i, r in enumerate(ranked)}
    rest = sorted((r for r in ranked if r.id not in named), key=lambda r: (-scores[r.id], place[r.id]))
    return first + rest


def held_below_main(fused: dict[str, float], unlifted: Collection[str], n: int) -> dict[str, float]:
    """fused with each held-down file (unlifted) scored below the n-th best main file, when there is one
    (RankingOptions.held_below_main); as it was for n 0."""
    main = sorted((v for p, v in fused.items() if p not in unlifted), reverse=True)
    if not n or not unlifted or len(main) < n:
        return fused
    cap = main[n - 1]
    return {p: (min(v, math.nextafter(cap, -math.inf)) if p in unlifted else v) for p, v in fused.items()}


def _agreed_first(rankings: list[tuple[str, float, list[tuple[int, float]]]],
                  factors: dict[int, tuple[float, dict]]) -> int | None:
    """The unit every weighed list puts first, when there are two lists or more and no rule lowers it (a test's, an
    example's): what both sides agree answers the question (RankingOptions.agreed_first)."""
    firsts = {ranking[0][0] for _, weight, ranking in rankings if weight > 0 and ranking}
    weighed = sum(1 for _, weight, _ in rankings if weight > 0)
    if weighed < 2 or len(firsts) != 1:
        return None
    (agreed,) = firsts
    return agreed if all(len(r) for _, w, r in rankings if w > 0) and factors.get(agreed, (1.0,))[0] >= 1.0 else None


def _led_by_all(files: list[tuple[str, float, list[tuple[str, float]]]], n: int) -> set[str]:
    """The files among the first n of every list (none for n 0 or a single list): what both sides agree leads. Not
    for tests not asked for (fatih/color's color_test.go, first by words and second by meaning of three files, came
    above `Color.Equals`: probe 116): in a package of two or three files, every file is among the first two."""
    if not n or len(files) < 2:
        return set()
    return set.intersection(*({path for path, _ in ranked[:n]} for _, _, ranked in files))


def _named_on_top(ranked: list[FunctionRow], scores: dict[int, float], named: set[int]) -> None:
    """Named symbols, listed first, score at least what any unit after them scores (file evidence lifts those past
    the best score there was): printed scores fall down the list."""
    best = max((scores[r.id] for r in ranked if r.id not in named), default=None)
    for fid in named:
        if best is not None and scores[fid] < best:
            scores[fid] = best


def held_down_files(rows: dict[int, FunctionRow], factors: dict[int, tuple[float, dict]]) -> set[str]:
    """Files whose every candidate the non-main factor lowers (a test file; not a main file with one test in it)."""
    down: dict[str, bool] = {}
    for fid, row in rows.items():
        down[row.path] = down.get(row.path, True) and held_down(factors[fid][1])
    return {path for path, d in down.items() if d}


def _kind_beside_main(row: FunctionRow) -> str | None:
    """A unit's kind of code beside the main code by its path, name and code alone (non_main_kind: tests, examples,
    build output; no file head read), None for the main code."""
    return non_main_kind(row.path, row.name, row.code, "", row.language)


def _leads_held_down(how: str, row: FunctionRow, signals: dict, defined_in_main: bool, identifier: bool) -> bool:
    """Whether a unit held down may lead as the name typed: a definition of it written as a name, or a generated file's
    binding of a name the main code defines nowhere (lib/pq's `T_int4` in the generated oid/types.go came under its
    users: probe 260), not a test's or a .d.ts' (a build's dist/index.d.cts declaring src/'s `FilterBuilder.in` came
    second: probe 263); a generated file's own name as one plain word too (phpseclib's `autoload`: probe 268)."""
    generated = signals.get("non_main") == "generated" and not row.path.endswith(DECLARATIONS)
    if how == "exact":
        return identifier or generated and row.kind == "module" and not defined_in_main
    return how == "bound" and identifier and generated and not defined_in_main


def _typed_as(bound: str, asked: str) -> bool:
    """True for a variable named after the type asked for (`cookieManager` for `CookieManager`, which the code only
    uses: Java's `CookieManager cookieManager = ...`): no name the query gives, so not put first; it competes by its
    words. A constant typed in another case (`default_redirect_limit`) still is one."""
    return asked[:1].isupper() and bound != asked and bound == asked[:1].lower() + asked[1:]


def _helpers_folder(path: str, roots: dict[str, str]) -> str | None:
    """The folder of test helpers holding path (ranking.helpers_folder), its library root noted in roots."""
    found = helpers_folder(path)
    if found is None:
        return None
    roots[found[0]] = found[1]
    return found[0]


def place_files(ranked: list[FunctionRow], scores: dict[int, float], signals: dict[int, dict],
                file_scores: dict[str, float], named: set[int], held: Collection[str] = ()) -> list[FunctionRow]:
    """Files put in file_scores' order, unit scores kept on their scale: the i-th file's first unit takes the
    i-th best first-unit score there was, a file's other units never rise above its first, named symbols stay
    first. So the hits list files in the fused order, and units within and between files keep their fusion. A
    held-down file's (held) other units come after every file's first (loguru's rotation tests took 8 of 10 hits,
    each at its file's place: probe 84)."""
    rest = [r for r in ranked if r.id not in named]
    first: dict[str, int] = {}
    for row in rest:
        first.setdefault(row.path, row.id)
    seen = {path: i for i, path in enumerate(first)}
    slots = sorted((scores[fid] for fid in first.values()), reverse=True)
    order = sorted(first, key=lambda p: (-file_scores.get(p, -math.inf), seen[p]))
    place = {path: i for i, path in enumerate(order)}
    for path, i in place.items():
        scores[first[path]] = slots[i]
        signals[first[path]]["file_place"] = i + 1
    below_every_first = math.nextafter(slots[-1], -math.inf) if slots else 0.0
    for row in rest:
        if first[row.path] != row.id:
            scores[row.id] = min(scores[row.id], below_every_first if row.path in held else scores[first[row.path]])
    position = {r.id: i for i, r in enumerate(rest)}
    rest.sort(key=lambda r: (-scores[r.id], place[r.path], first[r.path] != r.id, position[r.id]))
    return [r for r in ranked if r.id in named] + rest


def _path_spec(glob: str) -> pathspec.GitIgnoreSpec:
    """The compiled path filter; a glob that cannot match anything is refused, never an empty answer."""
    try:
        spec = pathspec.GitIgnoreSpec.from_lines(glob.split("\n"))  # several: --repo's folders (folder_filter)
    except Exception as exc:  # noqa: BLE001 - pathspec's own errors, and re.error for a range like [z-a]
        raise bad_glob(glob, str(exc).split(" at position ")[0]) from None
    if not spec.patterns or any(p.include is not True for p in spec.patterns):
        raise bad_glob(glob, "it matches no path")
    return spec


_T = TypeVar("_T")

_PATH_QUERY = re.compile(r"(?:\./)?[\w.@-]+(?:/[\w.@-]+)*\.[A-Za-z]{1,5}")  # a file's path or name as typed
MAX_PLACE_PARTS = 12  # an absolute path pasted (QueryTerms.place): its last parts tried as a repository path


_CODE_NAME = re.compile(r"[a-z0-9][A-Z]|\w_\w|\w(?:\.|::|#|->)\w")  # a name only code writes: parseConfig, max_age, a.b
# a binding that gives a definition another name: `stringify: encode,`, `exports.parse = decode;`, `const f = g;`
_ALIAS = re.compile(r"(?:(?:export\s+)?(?:const|let|var)\s+)?[\w$.]+\s*[:=]\s*([A-Za-z_$][\w$]*)\s*[,;]?")
_ARROW = re.compile(r"->")  # a member called with an arrow (`$validator->isValid`)
# kinds shown from the line holding the question's words: a piece of module code, a type, a long function's window and
# a callback's block (pluralize's 500-line `define()` block opened at its first line: probe 105)
CALLED_KINDS = ("function", "method", "constructor")  # what a pasted call's step names
REPEATED_LINE = 3  # times a line may be written in one unit and still be where the question's words are
MAX_CHAINED = 3  # definitions of one member a pasted chain calls on its way, at most, for them to be named
LAID_OUT = ("module", "type", "window", "block")
MEMBER_KINDS = ("method", "function", "constructor")  # what a type's line may lie in, shown for it (_members_for_types)


FOCUS_SPAN = 5  # lines read together for a focus: a list of constants says one of the question's words a line


Said = Mapping[str, str]  # a word a line may say -> the question's word it stands for (its search word, a stem)


def question_words(terms: QueryTerms, read: Mapping[str, str]) -> Said:
    """The words a focus looks for, each keyed by the question's word: its search words (stems, as they are: a stem
    stemmed again may change, "pars" to "par": review) and the code's words its slips were read as."""
    searched = set(terms.search_words)  # a word as typed and its stem ("parsing", pars) are one question word
    return {**{stem(w): stem(w) for w in read.values()}, **{w: stem(w) for w in read.values()},
            **{w: stem(w) if stem(w) in searched else w for w in searched}}


def said_on(line: str, words: Said) -> frozenset[str]:
    """The question's words a line says, each once: a line's words hold both a word and its stem (`Attribute`:
    attribute, attribut), and a word read as the code's is searched as both."""
    return frozenset(words[w] for w in words.keys() & set(index_words(line).split()))


def focus_line(code: str, start_line: int, words: Said) -> int | None:
    """The first of focus_lines, when that is not the unit's first line; else None."""
    at = focus_lines(code, start_line, words)[:1]
    return at[0] if at and at[0] != start_line else None


_CONDITIONED = re.compile(r"\s(?:if|unless)\s")  # a statement done on a condition written after it (Ruby's, Perl's)


def focus_lines(code: str, start_line: int, words: Said) -> list[int]:
    """The line a unit of a LAID_OUT kind is shown from: the first line of the FOCUS_SPAN lines that say the most of
    the question's search words, then the line itself the most, when that is not its first (toml's regex constants
    were shown as `package toml`, `import (` at line 1, and an editor opened there: probe 73; color's `Bold`,
    `Underline`, `BlinkSlow`, one a line, lost to a comment saying "Attribute" once: probe 116); an import or package
    line only when no other holds one (uuid's `"bytes"`: probe 91); none when no line holds one; every line that says
    as much, in order."""
    rows = code.split("\n")
    # a line written again and again (`@throws InvalidArgumentException` in 94 methods' docs) says nothing of one
    # place (webmozart's Assert was shown as its first method, `string`, by it: probe 146)
    seen = Counter(line.strip() for line in rows)
    said = [said_on(line, words) if line.strip() and line.strip() != ELIDED and seen[line.strip()] < REPEATED_LINE
            else frozenset() for line in rows]
    best, at = (False, 0, 0), []
    for i, line in enumerate(rows):
        if said[i]:
            # (a require on a condition is code: awesome_print's `require '.../mongoid' if defined?(Mongoid)` lost
            # to a comment saying "requires", probe 213; an import saying two words is still plumbing: review)
            plumbing = is_plumbing(line.strip()) and not _CONDITIONED.search(line)
            held = (not plumbing, len(frozenset().union(*said[i:i + FOCUS_SPAN])), len(said[i]))
            if held > best:
                best, at = held, [start_line + i]
            elif held == best:
                at.append(start_line + i)
    return at


class Searcher:
    """Answers queries against one Store; the embedder is only needed for dense modes."""

    def __init__(self, store: Store, embedder: Embedder | None, options: RankingOptions | None = None,
                 static: StaticTier | None = None) -> None:
        self.store = store
        self.embedder = embedder
        self.options = options or RankingOptions()
        self.static = static  # the static tier: meaning for functions the model has not embedded yet
        self._facts: tuple[object, dict] = (None, {})  # (catalog version, facts about its contents: _remembered)
        self._query_vectors: dict[tuple[int, str], np.ndarray] = {}  # the last questions' vectors, by model

    def _allowed(self, languages: list[str] | None, path_glob: str | None,
                 kinds: tuple[str, ...] = ()) -> set[int] | None:
        if not languages and not path_glob and not kinds:
            return None
        spec = _path_spec(path_glob) if path_glob else None
        langs = set(languages or [])
        return {fid for fid, path, lang, kind in self.store.catalog.function_paths()
                if (not langs or lang in langs) and (spec is None or spec.match_file(path))
                and (not kinds or kind in kinds)}

    def filter_note(self, q: Query) -> str | None:
        """When the query's filters leave no unit to search, one line naming the filter and what the index holds
        instead (`--lang php` on a Go repository, a `--path` glob matching no indexed file); None otherwise."""
        if not (q.languages or q.path_glob or q.kinds):
            return None
        units = list(self.store.catalog.function_paths())
        if not units:
            return None
        langs, kinds = set(q.languages), set(q.kinds)
        spec = _path_spec(q.path_glob) if q.path_glob else None
        if langs and not any(lang in langs for _, _, lang, _ in units):
            held = sorted({lang for _, _, lang, _ in units})
            return f"no indexed file is in {', '.join(sorted(langs))}: this index holds {', '.join(held)}"
        if spec is not None and not any(spec.match_file(path) for _, path, _, _ in units):
            return (f"no indexed file matches --path {q.path_glob!r} (matched from the repository's root, as in "
                    f"{units[len(units) // 2][1]!r})")
        if kinds and not any(kind in kinds for *_, kind in units):
            return f"no indexed unit is a {', '.join(sorted(kinds))} here"
        allowed = self._allowed(list(langs), q.path_glob, q.kinds)
        if allowed == set():
            return "no indexed unit passes all the filters at once (--lang, --path, --kind): loosen one"
        if q.mode == "semantic" and allowed and not self.store.catalog.embeddable_among(allowed):
            return (f"these filters leave only units too small for a vector ({len(allowed)}: short types or module "
                    "pieces), found by their words: search them with --mode hybrid or --mode lexical")
        return None

    def dense(self, terms: QueryTerms, n: int, allowed: set[int] | None) -> list[tuple[int, float]]:
        """Top n (id, cosine) by meaning, exact under filters: the model reads the whole text, as typed but for its
        typing slips (bm25.spelt_right)."""
        if self.embedder is None:
            raise UsageError("semantic search needs a model")
        text = bm25.spelt_right(self.store.catalog, terms) if terms.natural else terms.text
        key = (id(self.embedder), text)  # asked again at once when more than rank_depth are asked for (_deeper)
        qv = self._query_vectors.get(key)
        if qv is None:
            qv = self.embedder.embed_queries([text])[0]
            self._query_vectors = {**dict(list(self._query_vectors.items())[-(QUERY_VECTORS_KEPT - 1):]), key: qv}
        if allowed is not None and len(allowed) <= EXACT_BELOW:
            return self._exact(qv, sorted(allowed), n)
        if allowed is None and self.store.catalog.count("functions") <= EXACT_INDEX_BELOW:
            return self._exact(qv, None, n)
        vectors = self.store.vectors()
        hits = vectors.search(qv, n, allowed.__contains__ if allowed is not None else None)
        want = min(n, len(allowed) if allowed is not None else len(vectors))
        if len(hits) < want:  # HNSW under a selective filter can come back short: go exact
            hits = self._exact(qv, sorted(allowed) if allowed is not None else None, n)
        return hits

    def _bare_members(self, q: Query, allowed: set[int] | None) -> dict[int, int]:
        """Under a kind filter (`--kind class`), the members of the types or blocks it leaves that are too small for a
        vector of their own (a class that only holds its methods: commander's InvalidArgumentError; a Go struct, its
        methods outside it): member -> its type, which stands in meaning as its best member (_bare_by_members)."""
        kinds = tuple(k for k in q.kinds if k in CONTAINERS)
        if not kinds or allowed is None or q.mode == "lexical":
            return {}
        return self.store.catalog.members_of_bare(allowed, kinds, RECEIVER_LANGUAGES)

    def _bare_by_members(self, terms: QueryTerms, sem: list[tuple[int, float]], n: int,
                         inside: dict[int, int]) -> list[tuple[int, float]]:
        """sem with each bare type of inside (_bare_members) scored as its best member: it met no question by meaning,
        and a declaration file's class, every member's signature in it, came first."""
        if not inside:
            return sem
        best = dict(sem)
        for member, score in self.dense(terms, n, set(inside)):
            container = inside[member]
            best[container] = max(best.get(container, score), score)
        return sorted(best.items(), key=lambda t: (-t[1], t[0]))[:n]

    def static_ranking(self, terms: QueryTerms, n: int, allowed: set[int] | None,
                       opts: RankingOptions) -> list[tuple[int, float]]:
        """Top n (id, cosine) by the static tier, for the functions the model has not embedded yet."""
        if self.static is None:
            return []
        return self.static.ranking(self.store.catalog, terms.text, n, allowed, everywhere=opts.static_everywhere)

    def static_of_words(self, terms: QueryTerms, mode: str, stat: list[tuple[int, float]], lex: list[tuple[int, float]],
                        allowed: set[int] | None, opts: RankingOptions) -> list[tuple[int, float]] | None:
        """The static tier's ranking of the functions words found, where in hybrid search it re-ranks them
        (RankingOptions.static_reranks); None where it does not (no words, no static tier, a name, another mode)."""
        if mode != "hybrid" or not stat or not lex or not opts.static_reranks or terms.name:
            return None
        ids = {f for f, _ in lex} if allowed is None else {f for f, _ in lex if f in allowed}
        return self.static_ranking(terms, len(ids), ids, opts)

    def _exact(self, qv: np.ndarray, ids: list[int] | None, n: int) -> list[tuple[int, float]]:
        labels, matrix = self.store.catalog.vectors_for(self.store.model_id or "", ids, self.store.dim)
        if len(labels) == 0:
            return []
        sims = matrix @ qv.astype(np.float32)
        top = np.argsort(-sims, kind="stable")[:n]
        return [(int(labels[i]), float(sims[i])) for i in top]

    def lexical(self, terms: QueryTerms, n: int, languages: list[str] | None, allowed: set[int] | None) -> list[tuple[int, float]]:
        """Top n (id, BM25F score) by shared words: a question's stems, a name's words as typed."""
        return bm25.search(self.store.catalog, terms, n, languages, allowed, self.options.bm25)

    def search(self, q: Query) -> list[Hit]:
        """The k best functions for a query, filters applied exactly, ranking signals applied after fusion;
        every read from one committed state of the catalog (a sync committing meanwhile is not half seen)."""
        with self.store.catalog.snapshot():
            depth = self.options.rank_depth
            if q.k <= depth:
                return self._search(q)
            # more than rank_depth asked for: the first rank_depth as asked for alone, the rest from the deeper ranking
            # (a deeper pool moves file evidence and fusion: -k 60 put ruby.rb 3rd where -k 10 put it 4th: probe 165)
            return _deeper(self._search(replace(q, k=depth)), self._search(q), q.k)

    def _search(self, q: Query) -> list[Hit]:
        opts = self.options.with_(include_tests=True) if q.include_tests else self.options
        if q.kinds and set(q.kinds) <= {"type"}:  # types asked for: a package's declarations are where they are
            opts = opts.with_(lifted_kinds=frozenset({"declarations"}))
        languages = list(q.languages) or None
        allowed = self._allowed(languages, q.path_glob, q.kinds)
        if allowed is not None and not allowed:
            return []
        symbols = self._symbols(q.terms, allowed, opts) if q.mode != "semantic" else []
        if q.mode != "semantic" and opts.symbols and not symbols and _REQUIRED.search(q.terms.typed):
            symbols = [(f, "exact") for f in self._package_main(q.terms.typed) if allowed is None or f in allowed]
        if q.mode != "semantic" and opts.symbols and not symbols and asks_for_exports(q.terms):
            symbols = [(f, "bound") for f in self._entry_pieces_named(q.terms, allowed)]
        if q.mode != "semantic" and opts.symbols and not symbols and (things := exported_things(q.terms)):
            symbols = [(f, "bound") for f in self._entries_of_folders(things, allowed)]
        if q.mode != "semantic" and (instead := self._asked_instead(q, symbols, allowed, opts)) is not None:
            return self._search(instead)
        binding = self._bound(q.terms, allowed) if q.mode != "semantic" and opts.symbols else {}
        named = {f for f, _ in symbols}  # a unit named so that also binds it (settings/max_retries.py) is shown at the binding
        binding = self._not_exports_of(binding, symbols)
        if any(how == "exact" for _, how in symbols) or symbols and _pasted_call(q.terms):  # `KeyFactory` typed: the
            # class, not shown at its KEY_FACTORY, nor every class's (cglib: probe 226); `list.Join(...)` pasted calls
            # the method found, not a struct's `Join bool` field alike (memberlist: probe 232)
            binding = {f: v for f, v in binding.items() if v[0] != "fuzzy"}
        elif symbols and any(how == "fuzzy" for how, _ in binding.values()):  # a slip (`maximumWieght`) read as a
            # method's name: the method, not the fields alike that hold its value, tied with it (caffeine: probe 251)
            defined = {row.name for row in self.store.catalog.get_functions(list(named)).values()}
            binding = {f: v for f, v in binding.items() if v[0] != "fuzzy" or v[1][0] not in defined or f in named}
        symbols += [(f, how) for f, (how, b) in binding.items() if f not in named and not _typed_as(b[0], q.terms.text)]
        symbols += [(f, "fuzzy") for f in self._aliased(binding, allowed) if f not in named]
        bound = {f: b for f, (_, b) in binding.items()}
        want = max(q.k, opts.rank_depth)  # the first k ranked as when more are asked for (RankingOptions.rank_depth)
        pool = max(want, opts.pool)
        bare = self._bare_members(q, allowed)  # once: the pool widens below, the filter's members stay
        named_ids = {f for f, _ in symbols}
        while True:  # copies collapse before the cut, tests are held down after it: widen until `want` distinct results
            # (as many of main code, within MAIN_POOL_WIDENING) or none left
            sem = self.dense(q.terms, pool, allowed) if q.mode != "lexical" else []
            sem = self._bare_by_members(q.terms, sem, pool, bare)
            stat = self.static_ranking(q.terms, pool, allowed, opts) if q.mode != "lexical" else []
            lex = self.lexical(q.terms, pool, languages, allowed) if q.mode != "semantic" else []
            stat_words = self.static_of_words(q.terms, q.mode, stat, lex, allowed, opts)
            holders = [s for s in self._holding_the_line(q.terms, lex) if s[0] not in named_ids]
            named_first = symbols + holders  # ordered by how each was named (query.SYMBOL_ORDER)
            ranked, scores, signals = self.rank(q.terms, q.mode, sem, stat, lex, named_first, opts, stat_words)
            groups = (collapse_duplicates(ranked, self._written_in(ranked, signals), {f for f, _ in named_first})
                      if opts.dedupe else [(r, []) for r in ranked])
            if self._enough(q, groups, signals, sem, stat, lex, pool, want, opts):
                break
            pool *= 4
        return self._hits(q, groups, scores, signals, bound, (sem, stat, lex), opts)

    def _hits(self, q: Query, groups: list[tuple[FunctionRow, list[FunctionRow]]], scores: dict[int, float],
              signals: dict[int, dict], bound: dict[int, tuple], lists: tuple[list, list, list],
              opts: RankingOptions) -> list[Hit]:
        """The results as shown: each at its binding or laid out on its file's lines, with where it stood in each
        list, its copies elsewhere, and what the user is told once (slips read as the code's words, no word found)."""
        sem, stat, lex = lists
        file_lines = lru_cache(maxsize=None)(lambda path: self._file_text(path).splitlines())
        read = bm25.read_as(self.store.catalog, q.terms) if lex else {}
        words = question_words(q.terms, read)
        lay = lru_cache(maxsize=None)(lambda row: _laid_out(row, file_lines(row.path), words))
        groups = self._members_for_types(groups, q.k, q.kinds, scores, signals, lay, file_lines, words)
        places = self.store.catalog.places_of(sorted({r.text_hash for r, _ in groups})) if opts.dedupe else {}
        sem_rank = {fid: (i + 1, s) for i, (fid, s) in enumerate(sem)}
        lex_rank = {fid: i + 1 for i, (fid, _) in enumerate(lex)}
        static_rank = {fid: i + 1 for i, (fid, _) in enumerate(stat)}
        hits = []
        if read and groups:  # "durtion" searched as "duration": said to the user once (query.read_note)
            signals[groups[0][0].id]["read_as"] = self._as_spelt(read)
        if groups and not lex and q.mode == "hybrid" and q.terms.content:  # no word of it in the code searched: the
            signals[groups[0][0].id]["no_words"] = True  # hits are by meaning alone (query.unmatched_note)
        meant = {typed.lower(): said for typed, said in read.items()}.get(q.terms.typed_last.lower(), "")
        meant = meant or _name_as_read(q.terms.typed_last, read)  # `awsome_render` read as `awesome_render` (probe 213)
        if groups and q.terms.identifier and _CODE_NAME.search(q.terms.text) and not any(
                signals[r.id].get("symbol") for r, _ in groups) and not _used_in(q.terms.typed_last, groups) \
                and groups[0][0].name.lower() != meant.lower():  # a slip read as the first hit's name is no
            # name undefined (`LevelFromStirng`: LevelFromString, said as read: probe 206)
            signals[groups[0][0].id]["undefined"] = True  # `ErrNotAStructPtr`, defined and used nowhere (probe 151;
            # `json.dumps`, a library's, is used: review): said to the user (query.unmatched_note)
        placed = set(self._units_at(*q.terms.place)) if q.terms.place else set()
        for row, copies in groups:
            if row.id in bound:  # shown at the statement that binds the name
                name, first, last, col, text = bound[row.id]
                row = replace(row, start_line=first, end_line=last, start_col=col, code=text)
                signals[row.id]["binds"] = name
            elif row.kind in LAID_OUT:  # its lines where the file has them, so they are numbered right
                row, at = lay(row)
                if at:
                    signals[row.id].setdefault("focus", at)  # where a preview opens: past the package line and
                    # imports (or the type's own line that says as much as a member's: _members_for_types)
                elif row.start_col > 1 and (before := _written_before(row, file_lines(row.path))):
                    signals[row.id]["written_before"] = before  # `module.exports = class FSCache {` (probe 295)
            elif row.start_col > 1 and (before := _written_before(row, file_lines(row.path))):
                signals[row.id]["written_before"] = before  # `P.squareRoot = ` before `P.sqrt = function`: shown
            elif (skipped := _overloads_above(row)):  # redux's `compose` was shown as its four signatures (probe 135)
                signals[row.id]["focus"] = row.start_line + skipped
            inner = max((c for c in copies if nested_short(c, row)), key=lambda c: scores[c.id], default=None)
            if inner is not None and scores[inner.id] > scores[row.id]:  # shown for a short function inside it:
                signals[row.id].setdefault("focus", inner.start_line)  # opened there (probe 179), and said whose
                signals[row.id]["shown_for"] = _ranked_as(inner, sem_rank, lex_rank)  # ranks placed it (probe 277)
            if row.id in placed:  # `compiler.go:1583`: the unit there opened at the line pasted, no other (review)
                signals[row.id]["focus"] = q.terms.place[1]  # type: ignore[index]
            if (signals[row.id].get("symbol") == "quoted" and not _elided(row.code)  # its lines as in the file
                    and (held := line_holding(q.terms, row.code)) is not None):
                signals[row.id]["focus"] = row.start_line + held  # at the line pasted, whatever the unit's kind
            sr = sem_rank.get(row.id)
            seen = {row.id} | {c.id for c in copies}
            also = copies_elsewhere(row, copies)
            also += [f"{path}:{line}" for fid, path, line in places.get(row.text_hash, []) if fid not in seen]
            if row.id in static_rank:
                signals[row.id]["static_rank"] = static_rank[row.id]
            hits.append(Hit(
                id=row.id, path=row.path, start_line=row.start_line, end_line=row.end_line, start_col=row.start_col,
                name=row.name, qualified_name=row.qualified_name, language=row.language, kind=row.kind,
                score=round(float(max(scores[r.id] for r in (row, *copies))), 6), code=row.code, docstring=row.docstring,
                semantic_score=round(sr[1], 6) if sr else None, semantic_rank=sr[0] if sr else None,
                lexical_rank=lex_rank.get(row.id), signals=signals[row.id], also_in=also,
            ))
        return hits

    def _members_for_types(self, groups: list[tuple[FunctionRow, list[FunctionRow]]], k: int, kinds: tuple[str, ...],
                           scores: dict[int, float], signals: dict[int, dict],
                           lay: Callable[[FunctionRow], tuple[FunctionRow, int | None]],
                           file_lines: Callable[[str], list[str]], words: Said,
                           ) -> list[tuple[FunctionRow, list[FunctionRow]]]:
        """The first k of groups, a type that was not named, whose line holding the most of the question's words lies in
        a method of its own (its body or doc), shown as that method, at the type's place (chokidar's 669-line FSWatcher
        came first, its preview at `_throttle`'s doc, and `_throttle` fifth: probe 95), once: the type opened at that
        method again further down (probe 108); only a member of a kind asked for (`--kind type` keeps types: review),
        and only for a line that speaks for the type (_speaks_for); a type opening at a method listed above it is not
        listed again, whatever its line says."""
        out, i = list(groups), 0
        while i < min(k, len(out)):
            row = out[i][0]
            laid, at = lay(row) if row.kind == "type" and not signals[row.id].get("symbol") else (row, None)
            lines = file_lines(row.path) if at else []
            members = self._members_in(row, lines) if at else []
            member = self._member_at(row, at, lines, members) if at else None
            if member is not None:  # of the lines that say as much, the one in the member ranked best (JSONValue was
                # shown as `parse` for "json to text", its first such line, not toJSONString: probe 157); but the type's
                # own line first, when one says as much (tilt's `register_lazy ... 'markdown'` lines, not the forwarder
                # `register_lazy(class_name, file)` above them, which dropped module Tilt: probe 168)
                tied = [(self._member_at(row, line, lines, members), line)
                        for line in focus_lines(laid.code, laid.start_line, words)]
                own = next((line for m, line in tied if m is None), None)
                if own is not None:
                    member, signals[row.id]["focus"] = None, own
                else:
                    member, at = max(tied, key=lambda t: scores.get(t[0].id, float("-inf")), default=(member, at))
            if member is not None and not (kinds and member.kind not in kinds):
                if any(_in_group(member, g) for g in out[:i]):  # shown above already, or a copy of it: the type would
                    del out[i]  # open there again (pexpect's Spawner at read_nonblocking's line, fourth: probe 104;
                    continue  # pyjwt's ECAlgorithm.__init__ shown for its type, RSAAlgorithm's alike 2nd: probe 172)
                if not _speaks_for(row, at, lines, words):
                    i += 1
                    continue
                later = next((g for g in out[i + 1:] if _in_group(member, g)), None)  # it with its copies, it shown
                kept = (member, [r for r in (later[0], *later[1]) if r.id != member.id] if later else [])
                out = out[:i] + [kept] + [g for g in out[i + 1:] if g is not later]
                scores[member.id] = max(scores.get(member.id, scores[row.id]), scores[row.id])
                placed = {key: signals[row.id][key] for key in FILE_PLACE_SIGNALS if key in signals[row.id]}
                signals[member.id] = {**signals.get(member.id, signals[row.id]), "shown_for": row.qualified_name, **placed}
                # (its type's file place too: `--files` put php-font-lib's BinaryStream.php above the EOT/File.php the
                # units placed first, scoring that file again from its units: probe 302)
            i += 1
        return out[:k]

    def _member_at(self, owner: FunctionRow, line: int, lines: list[str],
                   members: list[tuple[FunctionRow, set[int]]] | None = None) -> FunctionRow | None:
        """The innermost method or function inside owner (lines: its file's) whose lines or doc comment hold line,
        else None; members: owner's (_members_in), when read already."""
        members = self._members_in(owner, lines) if members is None else members
        inside = [u for u, doc in members if u.start_line <= line <= u.end_line or line in doc]
        return min(inside, key=lambda u: u.end_line - u.start_line, default=None)

    def _members_in(self, owner: FunctionRow, lines: list[str]) -> list[tuple[FunctionRow, set[int]]]:
        """The methods and functions inside owner, each with its doc comment's rows: read once per type shown."""
        file_id = self.store.catalog.file_id(owner.path)
        units = self.store.catalog.functions_of(file_id) if file_id is not None else []
        return [(u, set(doc_rows(u, lines))) for u in units
                if u.kind in MEMBER_KINDS and owner.start_line <= u.start_line and u.end_line <= owner.end_line]

    def rank(self, terms: QueryTerms, mode: str, sem: list[tuple[int, float]], stat: list[tuple[int, float]],
             lex: list[tuple[int, float]], symbols: list[tuple[int, str]], opts: RankingOptions,
             stat_words: list[tuple[int, float]] | None = None,
             ) -> tuple[list[FunctionRow], dict[int, float], dict[int, dict]]:
        """A mode's candidate rankings (meaning, the static tier's, words; named symbols) to rows best first, with
        scores and signals: fusion, the location and name signals, file evidence, and for hybrid the file fusion.
        stat_words (Searcher.static_of_words): the static tier re-ranks what words found instead of adding to it."""
        by_meaning_alone = mode == "hybrid" and not lex and not symbols
        if by_meaning_alone:
            mode = "semantic"  # words found nothing (a question in German): meaning's own order, as its mode gives it
        tail: list[int] = []
        if stat_words is not None:  # the static tier re-ranks what words found; what only it found follows
            have = {f for f, _ in lex} | {f for f, _ in sem}
            tail = [f for f, _ in stat if f not in have]
            stat = stat_words
        meaning = rrf([[f for f, _ in sem], [f for f, _ in stat]]) if stat else sem
        meaning_weight = 1.0
        if mode == "semantic":
            fused = meaning
        elif mode == "lexical":
            fused = lex
        else:
            # the static tier's ranking joins the model's (they rank different functions) before lexical fusion
            stand_in = len(stat) / (len(sem) + len(stat)) if stat else 0.0  # how much of meaning is the static tier's
            meaning_weight = 1.0 - stand_in * (1.0 - opts.static_weight)
            fused = fuse(meaning, lex, terms, opts, meaning_weight=meaning_weight)
        fused = fused + after(fused, tail, opts.rrf_k)
        rows = self.store.catalog.get_functions([f for f, _ in symbols] + [f for f, _ in fused])
        factors = self._factors(terms, rows, opts)
        # a constant typed as it is spelt is a name written as one (`REASONS`, in a generated table: probe 196)
        written = terms.identifier or (terms.text.isupper() and BARE_NAME.fullmatch(terms.text) is not None)
        ranked, scores, signals, named = self._apply_signals(fused, symbols, rows, factors, written,
                                                             line_first=terms.pasted_message, head=terms.chain_head)
        for fid in tail:
            if fid in signals:
                signals[fid]["static_only"] = True
        unlifted = set() if opts.lift_non_main else held_down_files(rows, factors)
        if terms.name and mode != "semantic":  # named or not (a pasted call's definitions lead, then the rest: parsel's
            # tests of `sel.xpath(...)` came before has_class, probe 273)
            typed = named | {f for f, _ in symbols if "symbol_held_down" in signals.get(f, {})}  # and what names it
            ranked = _main_before_held(ranked, scores, signals, {f for f, _ in lex} - typed, kept=typed)  # held down
        elif by_meaning_alone and opts.held_below_main:  # held-down code stays below the best main code, as file fusion
            # keeps it when words count (a cosine under 0 is no lower for the factor: 计算属性装饰器 found three
            # dist-cjs build units first, probe 231)
            ranked = _main_before_held(ranked, scores, signals, {r.id for r in ranked}, opts.held_below_main)
        # meaning alone lifts a file by its further units as hybrid's meaning list does (file_meaning_weight)
        file_weight = opts.file_meaning_weight if mode == "semantic" else opts.file_weight
        if file_weight:
            ranked = file_evidence(ranked, scores, signals, file_weight, named, unlifted)
        if opts.file_fusion and mode == "hybrid" and not terms.name:
            rankings = [("semantic", meaning_weight, meaning),
                        ("lexical", opts.file_lexical_weight * self._coverage(terms, lex, opts), lex)]
            ranked = self._fuse_files(ranked, scores, signals, rankings, rows, factors, opts, named, stat_words is not None,
                                      keep_words_first=bool(stat) and opts.words_keep_first_file, unlifted=unlifted)
        _named_on_top(ranked, scores, named)
        return ranked, scores, signals

    def _enough(self, q: Query, groups: list[tuple[FunctionRow, list[FunctionRow]]], signals: dict[int, dict],
                sem: list, stat: list, lex: list, pool: int, want: int, opts: RankingOptions) -> bool:
        """Whether the pool holds `want` distinct results, as many of main code (within MAIN_POOL_WIDENING), or has
        nothing more to give. A name in hybrid counts the main code the words found: meaning's units trail theirs
        (fuse), and ajv's `KeywordCxt` filled the words' pool with 80 `dist/*.d.ts` imports, its uses in lib/ past it."""
        named = q.mode == "hybrid" and q.terms.name
        if (len(lex) < pool if named else (len(sem) < pool and len(lex) < pool and len(stat) < pool)):
            return True
        found = {f for f, _ in lex} if named else None
        main = sum(1 for row, copies in groups if not held_down(signals[row.id])
                   and (found is None or any(r.id in found for r in (row, *copies))))
        return len(groups) >= want and (main >= want or pool >= MAIN_POOL_WIDENING * opts.pool)

    def _symbols(self, terms: QueryTerms, allowed: set[int] | None, opts: RankingOptions) -> list[tuple[int, str]]:
        """(id, how: SYMBOL_ORDER) of units the query names: exact names, then units binding the name, then fuzzy."""
        if not opts.symbols or not terms.text:
            return []
        if (place := terms.place) is not None:  # `compiler.go:1583`: the unit there, in its file
            units = self._units_at(*place)
            if units:
                return [(f, "exact") for f in units if allowed is None or f in allowed]
        if _PATH_QUERY.fullmatch(terms.text):  # `lib/levels.js` typed: that file, first (probe 57)
            files = self.store.catalog.first_units_of(terms.text.removeprefix("./"))
            if files:
                return [(f, "exact") for f in files if allowed is None or f in allowed]
        found = [(f, "exact") for f in self.store.catalog.exact_names(terms.text)]
        as_member = _MEMBER_SEPARATOR.sub(".", terms.text)  # Javadoc's `Outer#describe`, a method reference's
        if not found and terms.identifier and as_member != terms.text:  # `Outer::x` are Java's Outer.describe, not
            found = [(f, "exact") for f in self.store.catalog.exact_names(as_member)]  # its nested class's (probe 209)
        if terms.identifier:
            found = self._named_by_identifier(terms, found, as_member)
        elif terms.word_key:  # `watchdog`: class Watchdog too, but for its case
            exact, typed = {f for f, _ in found}, terms.text.lower()
            found += [(fid, "fuzzy") for fid, name, _ in self.store.catalog.names_like(terms.word_key)
                      if fid not in exact and name.lower() == typed]
        elif not found and (member := terms.member) is not None:  # `ARCCache Get`: the member, when there is one
            return self._symbols(member, allowed, opts)
        elif not found and (typed := terms.type_named) and (types := self._types_named(typed)):
            found = types  # `Setter interface`: the type, when there is one; else the words joined ("middleware
            # interface": MiddlewareInterface, below: probe 292)
        elif not found and (listed := terms.names_listed):  # `BinaryNode UnaryNode`: each name's definitions (expr's
            # AST structs came after the checker's type switch and its visitor methods: probe 274)
            named = (f for name in listed for f in self.store.catalog.exact_names(name))
            found = [(f, "exact") for f in dict.fromkeys(named)]
        elif not found and terms.joined:  # "find dotenv": find_dotenv, when there is one; a doer spelt either way
            # ("default type convertor": DefaultTypeConverter, probe 254; "adaptor": an Adapter)
            found = [(fid, "fuzzy") for fid, *_ in self.store.catalog.names_like(terms.joined)
                     or self.store.catalog.names_like(bm25.doer_spelt_otherwise(terms.joined))]
        found = self._with_chained(terms, found)
        found = [(f, how) for f, how in self._of_the_type_calling_all(terms, self._of_the_variables_type(terms, found))
                 if allowed is None or f in allowed]
        return self._definitions_first(terms, found)

    def _named_by_identifier(self, terms: QueryTerms, found: list[tuple[int, str]], as_member: str
                             ) -> list[tuple[int, str]]:
        """found (the units named exactly as typed) and those an identifier names past its spelling: a qualified
        name's end, a package's member, names alike, a member on a variable or inherited, a slip read as written."""
        last = terms.symbol.rsplit(".", 1)[-1]
        exact = {f for f, _ in found}
        alike = self.store.catalog.names_like(last)
        if found and self._declared_only_in_declarations(exact):  # nock's `nock.enableNetConnect(...)`: the
            # qualified name of its .d.ts namespace's declaration; the code's one function of that name too (probe
            # 224), not each of several (`cache.get`: every `get`, review)
            same = self.store.catalog.get_functions(
                [fid for fid, name, _ in alike if name == terms.typed_last and fid not in exact])
            coded = [f for f, row in same.items() if not row.path.endswith(DECLARATIONS)]
            found += [(coded[0], "exact")] if len(coded) == 1 else []
        # `Uuid::uuid4` typed is `App\Uuid::uuid4`, the end of its qualified name past a namespace (probe 164)
        found += [(fid, "exact") for fid, _, qual in alike if fid not in exact and (
            _ends_qualified(qual, terms.text) or _ends_qualified(qual, as_member))]
        head, _, member_of = terms.text.partition(".")
        if not found and "." in member_of and head[:1].islower():  # Go's `lru.Cache.RemoveOldest`: package lru's
            found += [(f, "exact") for f in self._in_package(  # Cache.RemoveOldest (the type, other packages'
                symbol_key(head), self.store.catalog.exact_names(member_of))]  # RemoveOldest tied: probe 230)
        typed = terms.typed_last
        qualifier = terms.symbol.rsplit(".", 2)[-2] if "." in terms.symbol else ""  # `cli` of `cli.Run`
        if qualifier and not found:
            # `require.NoError` is func NoError of package require, as typed, though assert's is named the same
            # and require is generated (testify: probe 194; a protobuf `api.UserRequest`: probe 196)
            same = [fid for fid, name, qual in alike if name == typed and not _type_member(qualifier, qual, name)]
            packaged = self._in_package(qualifier, same) if same else []
            if self._bundle_named(qualifier, packaged):  # only the bundle named for the package (spacetime.cjs):
                kinds = self._kinds_beside_main(same)  # its sources are the package too (probe 246)
                packaged = [f for f in same if f in kinds and kinds[f] is None][:MAX_ON_A_NAME] or packaged
            found += [(f, "exact") for f in packaged]
        exact = {f for f, _ in found}
        fuzzy = [(fid, name) for fid, name, qual in alike if fid not in exact and symbol_matches(terms, name, qual)]
        if qualifier and (not found and not any(name == typed for _, name in fuzzy)):
            # Go's `cli.Run` is func Run in package cli, not the method run of a `type cli struct`, which differs
            # in case only (probe 151): the package's own, as typed, before names alike but for case
            named = {fid: name for fid, name, _ in alike}
            package = self._in_package(qualifier, [f for f, name, qual in alike
                                                   if not _type_member(qualifier, qual, name)])
            found += [(f, "fuzzy") for f in package if not fuzzy or named[f] == typed]
        have = {f for f, _ in found}
        found += [(fid, "fuzzy") for fid, _ in fuzzy if fid not in have]
        return found or self._named_loosely(terms, alike, as_member)

    def _named_loosely(self, terms: QueryTerms, alike: list[tuple[int, str, str]], as_member: str
                       ) -> list[tuple[int, str]]:
        """The units an identifier no unit is named for names all the same, the first way that finds any: a member
        attached to an object, called on a variable, inherited, the package's name for itself, a slip read as written,
        the other side's spelling."""
        found: list[tuple[int, str]] = []
        if "." in terms.text:
            found += [(f, "fuzzy") for f in self._attached([f for f, *_ in alike], terms.text)]
        dotted = _ARROW.sub(".", as_member)  # `$validator->isValid(...)` as `$validator.isValid` (probe 103), PHP's
        # `AMQPStreamConnection::create_connection` as `.` (inherited from AbstractConnection: probe 232)
        if not found and "." in dotted:  # a call on a local variable (`sig.connect(handler)`: probe 76)
            found += [(f, "fuzzy") for f in self._on_a_variable(dotted, alike)]
        if not found and "." in dotted:  # a member the type typed does not define (`Interceptor.on`, its base's)
            found += self._inherited(dotted, alike)
        if not found and "." in dotted:  # `fs.copy(...)`: fs-extra's README names the package `fs`, a name its
            found += [(f, "fuzzy") for f in self._on_a_variable(dotted, alike, named_too=True)]  # code has too
        if not found and (fixed := _name_as_read(terms.text, bm25.read_as(self.store.catalog, terms))):
            found = self._spelt_so(fixed)  # `infix_expresion`, its word read as "expression": the name so read
            # (parslet's Parslet.infix_expression came under infix.rb's unwrap: probe 233)
        if not found and (respelt := _other_side(terms.text)) != terms.text:  # `treetop_camelise`: the code's
            found = self._spelt_so(respelt)  # treetop_camelize (probe 243)
        return found

    def _with_chained(self, terms: QueryTerms, found: list[tuple[int, str]]) -> list[tuple[int, str]]:
        """found and, right after it, the units a pasted chain's other members and the calls among its arguments
        name (`Arg(...).Required().String()`, `IntegerField(..., [validators.NumberRange(...)])`); a chain's steps
        alone where the code defines none of the member it was read as (tiptap's `editor.chain().focus().mergeOrSplit()
        .run()`: `run` is the core's, the extension's mergeOrSplit is asked for; probe 253)."""
        if not (found and (terms.chained or terms.argument_calls) or terms.chained):
            return found
        seen, chained = {f for f, _ in found}, []  # right after the one the chain was read as (probe 138), and the calls
        steps = [(name, CALLED_KINDS, "chained") for name in terms.chained]  # among its arguments
        # (`validators.NumberRange(...)`: probe 244), after the one call found however it was (koanf's `k.Load(...)`
        # on a variable: probe 271), before several it might be (cssparser's `sheet.getCssText(...)`: probe 245)
        argument = "argument" if len(found) == 1 else "chained"
        alike_only = bool(found) and len(found) <= MAX_CHAINED and all(how == "fuzzy" for _, how in found)
        steps = [(name, kinds, "argument" if alike_only else how) for name, kinds, how in steps]  # the step read, found
        # alike only, leads the chain's others (`stylus(str).set(...).render(...)`: Renderer.render, not set: review)
        steps += [(name, (*CALLED_KINDS, "type"), argument) for name in terms.argument_calls]
        for name, kinds, how in steps:  # a name many units define (`get`, `map`) says no one of them; a step's call,
            called = self.store.catalog.get_functions(self._step_named(name))  # no type (go-ini's `.Key(`: 143)
            if terms.chain_package and name == terms.chained[0] and len(called) > MAX_CHAINED:
                called = self._packages_own(terms.chain_package, called) or called  # jsoniter's `Get` (probe 285)
            defined = [f for f, row in called.items() if f not in seen and row.kind in kinds
                       and (found or not _top_level(row))]  # with nothing found, only a member: not the
            # code's own `split` for a string's (`line.split(',').map(...).filter(Boolean)`: review)
            chained += [(f, how) for f in defined] if len(defined) <= MAX_CHAINED else []
            seen.update(defined)
        if chained and len(found) > MAX_CHAINED:  # so does the call read, every value's (`.String()` ending
            found = [(f, "fuzzy") for f, _ in found]  # kingpin's `Arg(...).Required().String()`, 19 of them,
        found += chained  # `Arg` 20th): the chain's own calls lead (probe 210)
        return found

    def _asked_instead(self, q: Query, symbols: list[tuple[int, str]], allowed: set[int] | None,
                       opts: RankingOptions) -> Query | None:
        """The query to search instead where what the pasted code was read as is not the code's, but a part of it is:
        the call given to one (`log.Fatal(ssh.ListenAndServe(...))`: probe 227), the decorator over a def only tests
        define (`@falcon.before(...)`: probe 238), the static factory an example makes its objects with
        (`$client = HttpClient::create();` ...: probe 240; not `JSON.parse`, whose `parse` methods are alike only:
        review), the type a member the code defines nowhere is called on (tiptap's `Table.configure({...})`, its
        core's: probe 253), a call among the arguments, the member an assignment sets; else None."""
        typed = q.terms.typed
        if symbols and (decorator := decorator_of(typed)) and self._beside_main([f for f, _ in symbols]):
            shown = replace(q, text=decorator)
            if not self._beside_main([f for f, _ in self._symbols(shown.terms, allowed, opts)]):
                return shown
        if symbols:
            return None
        if q.terms.identifier and typed != q.terms.text and (inner := inner_call(typed)) and \
                (inside := self._named_here(q, inner, allowed, opts)):
            return inside
        if (factory := factory_call(typed)) and any(
                how == "exact" for _, how in self._symbols(replace(q, text=factory).terms, allowed, opts)):
            return replace(q, text=factory)
        if owner := self._owner_of_a_foreign_member(q.terms, allowed):
            return replace(q, text=owner)
        for call in q.terms.argument_calls:  # Python's `field(metadata=config(...))`: the code's `config`
            if inside := self._named_here(q, call, allowed, opts):  # (dataclasses-json: probe 294)
                return inside
        if typed != q.terms.text and (member := member_set(typed)) and member != q.terms.text:
            return self._named_here(q, member, allowed, opts, bound=True)  # `fp.RSSTranslator = NewMyCustomTranslator()`,
            # a call of the user's own: the member set (gofeed: probe 294)
        return None

    def _named_here(self, q: Query, name: str, allowed: set[int] | None, opts: RankingOptions,
                    bound: bool = False) -> Query | None:
        """q asking for name instead, where the code names it (or binds it, with bound); else None."""
        instead = replace(q, text=name)
        named = self._symbols(instead.terms, allowed, opts) or bound and self._bound(instead.terms, allowed)
        return instead if named else None

    def _owner_of_a_foreign_member(self, terms: QueryTerms, allowed: set[int] | None) -> str:
        """The type a `Type.member` (pasted as a call or typed) names where no unit or binding of the code is named
        like the member (a base class's from a dependency: `Table.configure`) and the code defines or binds the type by
        that exact name; else ""."""
        member = MEMBER_NAME.fullmatch(terms.text) if terms.identifier else None
        owner, name = (_last_name(member.group(1)), member.group(2)) if member else ("", "")
        if not owner[:1].isupper() or not BARE_NAME.fullmatch(owner) or not BARE_NAME.fullmatch(name):
            return ""
        catalog = self.store.catalog
        if catalog.names_like(symbol_key(name)) or catalog.bound(name, allowed, 1):
            return ""
        defined = [f for f in catalog.exact_names(owner) if allowed is None or f in allowed]
        return owner if defined or any(b[1] == owner and not _IMPORTED.search(b[-1])  # not `const Promise =
                                       for b in catalog.bound(owner, allowed, MAX_BOUND)) else ""  # require(...)`

    def _packages_own(self, package: str, rows: dict[int, FunctionRow]) -> dict[int, FunctionRow]:
        """Of units named alike, the functions of the package typed before the name (`jsoniter.Get`: the package's
        `Get`, no type's method of that name), none where the package is no folder, file or package clause here."""
        own = set(self._in_package(symbol_key(package), list(rows)))
        return {f: row for f, row in rows.items() if f in own and _top_level(row)}

    def _step_named(self, name: str) -> list[int]:
        """The units a pasted call's step or argument call names: as typed, or by its last part where its qualifier
        names the unit's package or file (`validators.NumberRange` in validators.py; not `os.path.join` as a `join`
        of the code's own: review)."""
        found = self.store.catalog.exact_names(name)
        if found or "." not in name:
            return found
        qualifier, last = name.rsplit(".", 1)
        named = self.store.catalog.exact_names(last)
        found = self._in_package(symbol_key(qualifier.rsplit(".", 1)[-1]), named)
        if found or not (own := self._own_package()) or symbol_key(qualifier) != own:
            return found
        rows = self.store.catalog.get_functions(named)  # stylus' `stylus.middleware(...)`: the package's own top-level
        return [f for f in named if f in rows and _top_level(rows[f])]  # function (probe 295)

    def _own_package(self) -> str:
        """The key of this repository's package name (its root package.json's, without a scope), read once per catalog
        version: what a pasted call qualifies the package's own functions by, no folder's name."""
        def read() -> str:
            try:
                package = json.loads(self._file_text("package.json") or "{}")
            except ValueError:
                return ""
            name = package.get("name") if isinstance(package, dict) else None
            return symbol_key(name.rsplit("/", 1)[-1]) if isinstance(name, str) else ""
        return self._remembered(("own package",), read)

    def _spelt_so(self, name: str) -> list[tuple[int, str]]:
        """The units named name but for case and separators (its last part), as names alike."""
        key = symbol_key(name).rsplit(".", 1)[-1]
        return [(fid, "fuzzy") for fid, found, _ in self.store.catalog.names_like(key) if symbol_key(found) == key]

    def _of_the_variables_type(self, terms: QueryTerms, found: list[tuple[int, str]]) -> list[tuple[int, str]]:
        """Of several units named exactly for a member called on a lower-case variable, those of the type it is named
        for first, the others alike only (`view.state.apply(tr)`: EditorState.apply, not the four one-line `apply`s
        of state.ts's field list, named exactly as the module `state`: probe 225)."""
        parts = _ARROW.sub(".", terms.text).split(".")
        exact = [f for f, how in found if how == "exact"]
        if len(parts) < 2 or not parts[-2][:1].islower() or len(parts[-2]) < 4 or len(exact) < 2:
            return found
        rows = self.store.catalog.get_functions(exact)
        owners = {f: _names_in(rows[f].qualified_name)[:-1] for f in exact if f in rows}
        typed = {f for f, owner in owners.items()
                 if owner and owner[-1][:1].isupper() and owner[-1].lower().endswith(parts[-2].lower())}
        if not typed or len(typed) == len(exact):
            return found
        key = symbol_key(parts[-2])  # Go's `kong.Parse`: the package kong's own func Parse, not the method of its type
        declared = {f for f in exact if f in rows and not owners.get(f) and declares_package(rows[f].path)  # Kong
                    and self._package_of(rows[f].path) == key}  # (probe 242)
        typed = {f for f in exact if f in declared} or typed
        return [(f, "fuzzy" if how == "exact" and f not in typed else how) for f, how in found]

    def _types_named(self, name: str) -> list[tuple[int, str]]:
        """The types named exactly name, as found exactly."""
        rows = self.store.catalog.get_functions(self.store.catalog.exact_names(name))
        return [(f, "exact") for f, row in rows.items() if row.kind == "type" and row.name == name]

    def _of_the_type_calling_all(self, terms: QueryTerms, found: list[tuple[int, str]]) -> list[tuple[int, str]]:
        """Of several units found for a member called on a lower-case variable, those of the types that also define the
        other members the pasted code calls on that variable, named exactly, the others alike only (signalr's
        `connection.start().then(() => connection.invoke(...))`: HubConnection.start, whose type has invoke, not
        HttpConnection.start: probe 293)."""
        parts = _ARROW.sub(".", terms.text).split(".")
        if len(parts) < 2 or not parts[-2][:1].islower() or len(found) < 2 or terms.typed == terms.text:
            return found
        others = set(terms.members_called_on(parts[-2])) - {parts[-1]}
        if not others or len(others) > MAX_CHAINED:
            return found
        having: set[str] | None = None
        for member in others:  # the types defining every other member called
            defined = self.store.catalog.get_functions(self.store.catalog.exact_names(member)).values()
            owners = {_owner_of(row) for row in defined} - {""}
            having = owners if having is None else having & owners
        rows = self.store.catalog.get_functions([f for f, _ in found])
        named = {f for f, _ in found if f in rows and rows[f].name == parts[-1]}  # the member read, not names alike
        typed = {f for f in named if _owner_of(rows[f]) in (having or set())}
        if not typed or typed == named:
            return found
        return [(f, "exact" if f in typed else "fuzzy" if how == "exact" else how) for f, how in found]

    def _units_at(self, path: str, line: int) -> list[int]:
        """The innermost unit holding line in each file the path names (typed, or an absolute path's last parts, two at
        least: a traceback's library frame `.../requests/__init__.py` is no `pkg/__init__.py` here: review)."""
        parts = [p for p in path.replace("\\", "/").split("/") if p and p != "."]
        outside = path.startswith(("/", "~")) or re.match(r"[A-Za-z]:[\\/]", path) is not None
        for start in range(max(0, len(parts) - MAX_PLACE_PARTS), len(parts) - (1 if outside else 0)):
            units = self.store.catalog.units_at("/".join(parts[start:]), line)
            if units:
                return units
        return []

    def _definitions_first(self, terms: QueryTerms, found: list[tuple[int, str]]) -> list[tuple[int, str]]:
        """found with its module pieces after the definitions it holds, as names alike, and none in a file whose
        definition is found: a piece is named after its file (retry.go's package and imports:
        `retry`), and who types `retry` or `timer` asks for what the file defines (func Retry, type Timer), which
        only differ in case; so for a name the words join into ("html tree builder": HtmlTreeBuilder.java's licence
        and imports came second, probe 69)."""
        if not found:
            return found
        rows = self.store.catalog.get_functions([f for f, _ in found])
        modules = {f for f, _ in found if f in rows and rows[f].kind == "module"}
        if modules and terms.pasted_line is not None and terms.typed not in ("", terms.text):
            # a name read from a pasted line (`const index = -1 - type;`) is no file's name: index.ts' piece came
            # before the function holding the line (probe 167)
            return [s for s in found if s[0] not in modules]
        if modules and all(f in modules for f, _ in found):  # `SendmailTransport`: the file's own class,
            prefixed = self._prefixed_types([rows[f] for f in modules])  # Swift_Transport_SendmailTransport (PEAR)
            return [(f, "exact") for f in prefixed] + [(f, "fuzzy") for f, _ in found] if prefixed else found
        if not modules:
            return found
        defined_in = {rows[f].path for f, _ in found if f not in modules and f in rows}
        # a piece in a file whose definition is found adds a second hit for one file (commons-pool's
        # DefaultEvictionPolicy.java: its licence, package and imports came second, at the class's score)
        return [s for s in found if s[0] not in modules] + [
            (f, "fuzzy") for f, _ in found if f in modules and (f not in rows or rows[f].path not in defined_in)]

    def _bundle_named(self, package: str, ids: list[int]) -> bool:
        """Whether units are all in build output whose file is named for the package (dist/spacetime.cjs), not a
        package of their own held down (Go's mocks/ `package mocks`: review)."""
        rows = self.store.catalog.get_functions(ids)
        return bool(rows) and all(symbol_key(PurePosixPath(r.path).name.split(".", 1)[0]) == package
                                  and _kind_beside_main(r) in ("generated", "minified") for r in rows.values())

    def _kinds_beside_main(self, ids: list[int]) -> dict[int, str | None]:
        """Each unit's kind of code beside the main code (_kind_beside_main), None for the main code, all read at
        once."""
        return {f: _kind_beside_main(r) for f, r in self.store.catalog.get_functions(ids).items()}

    def _beside_main(self, ids: list[int]) -> bool:
        """Whether every one of some units is held down as beside the main code (tests, examples, build output); no
        units are none beside it."""
        kinds = self._kinds_beside_main(ids)
        return bool(kinds) and all(kind is not None for kind in kinds.values())

    def _prefixed_types(self, pieces: list[FunctionRow]) -> list[int]:
        """The types the files of module pieces define under the file's name with their folders as a prefix, PEAR's
        way (`Swift_Transport_SendmailTransport` in SendmailTransport.php: its licence came first, probe 237)."""
        out = []
        for piece in pieces[:MAX_ON_A_NAME]:
            file_id = self.store.catalog.file_id(piece.path)
            suffix = "_" + PurePosixPath(piece.path).name.split(".", 1)[0].lower()
            out += [row.id for row in (self.store.catalog.functions_of(file_id) if file_id is not None else [])
                    if row.kind == "type" and row.name.lower().endswith(suffix)]
        return out

    def _holding_the_line(self, terms: QueryTerms, lex: list[tuple[int, float]]) -> list[tuple[int, str]]:
        """The units among the words' first that hold a line of code typed as the question, as written: where it is,
        named after a definition of the name it calls and before a name alike (send(), for its `res.setHeader(
        'Content-Range', contentRange('bytes', len))`, not SendStream.setHeader: probe 77; `load_config(path)`'s
        definition before its callers, review); none for a line no unit holds (a usage example)."""
        if not lex or (terms.pasted_line is None and terms.message is None):
            return []
        written = terms.pasted_line or terms.message or ""  # and the units holding all its words: the words' first
        # are the outer call's (var-dumper's `$dumper->dump($cloner->cloneVar($var));`, 50 `dump` methods: probe 132)
        ids = list(dict.fromkeys([f for f, _ in lex[:QUOTED_POOL]] + self.store.catalog.holding_every(
            (w.lower() for w in WORD.findall(written)), QUOTED_POOL)))
        rows = self.store.catalog.get_functions(ids)
        holds = holds_the_line if terms.pasted_line is not None else holds_the_message  # a pasted message (probe 99)
        holders = [f for f in ids if f in rows and holds(terms, rows[f].code)
                   and _kind_beside_main(rows[f]) is None]
        # (in a test, the line is a use of what it calls: blinker's tests write `sig.connect(handler, ...)`: probe 76)
        inner = [rows[f] for f in holders if rows[f].kind != "window"]
        return [(f, "quoted") for f in holders if not any(encloses(rows[f], other) for other in inner)]
        # (an example in a doc comment is no place of the line, holds_the_line's code lines: pkg/errors' package doc
        # came before Wrap for `errors.Wrap(err, "read failed")` once a pasted message's line went first: review)

    def _package_main(self, typed: str) -> list[int]:
        """The first unit of the main file of the package a pasted `require('name')` or `import x from 'name'` names,
        where name is this repository's own package or one of its workspace packages (package.json's name and main):
        nodemon's `require('nodemon')` put lib/config/load.js before lib/nodemon.js (probe 232)."""
        wanted = _REQUIRED.search(typed).group(1)  # type: ignore[union-attr]
        last = wanted.rsplit("/", 1)[-1]  # `@scope/pkg` lives at the root or in a folder named pkg (packages/pkg)
        for folder in ["", *self.store.catalog.folders_named(last, MAX_PACKAGE_FOLDERS)]:
            try:
                package = json.loads(self._file_text(posixpath.join(folder, "package.json")) or "{}")
            except ValueError:
                continue
            if isinstance(package, dict) and package.get("name") == wanted:
                main = package.get("main") if isinstance(package.get("main"), str) else "index.js"
                return self._main_file_units(folder, posixpath.normpath(main).lstrip("/"))
        return []

    def _main_file_units(self, folder: str, main: str) -> list[int]:
        """The first unit of a package's main file, or of the source a built main is made from (`dist/index.js` from
        `src/index.ts`, which is what the repository holds)."""
        stem = posixpath.splitext(main)[0] if main.endswith((".js", ".cjs", ".mjs")) else main
        root, bar, built = module_path(stem).partition("|")  # past its run of build folders (dist/cjs/index: index)
        built = built if bar and not root else None
        tried = [main, *(f"{stem}{ext}" for ext in (".js", ".ts", ".tsx", ".mjs", ".cjs")),
                 f"{stem}/index.js", f"{stem}/index.ts"] + ([f"src/{built}.ts", f"src/{built}.js"] if built else [])
        for path in (posixpath.normpath(posixpath.join(folder, p)) for p in tried):
            if not path.startswith("..") and (found := self.store.catalog.first_units_of(path, 1)):
                return found
        return []

    def _entry_pieces_named(self, terms: QueryTerms, allowed: set[int] | None) -> list[int]:
        """The entry files' module pieces of the packages a question of what a package exports names ("which functions
        does the tinycss2 package export": its __init__.py came under `FunctionBlock`, probe 233), or of a file of
        re-exports it names (solid-router's ssr/server.ts: probe 269), a few at most."""
        named = [fid for word in dict.fromkeys(terms.tokens) if len(word) > 1 and word.lower() not in STOP_WORDS
                 for fid in self.store.catalog.exact_names(word) if allowed is None or fid in allowed]  # rq (probe 264)
        rows = self.store.catalog.get_functions(named)  # an entry file, or a file of re-exports the question names
        pieces = [f for f in named if f in rows and (entry_piece(rows[f]) or plumbing_only(rows[f]))]  # (probe 269)
        if not pieces:  # "which names does the package export": the one entry file nearest the root, if there is one
            entries = [path for path in self._main_entry_files() if path.count("/") <= 2]  # (requests-toolbelt's
            # __init__, under adapters/__init__.py: probe 234; not tests/__init__.py: 264)
            nearest = min((path.count("/") for path in entries), default=0)
            top = [path for path in entries if path.count("/") == nearest]
            pieces = self.store.catalog.first_units_of(top[0], 1) if len(top) == 1 else []
            pieces = [f for f in pieces if allowed is None or f in allowed]
        return pieces if len(pieces) <= MAX_ON_A_NAME else []

    def _entries_of_folders(self, things: frozenset[str], allowed: set[int] | None) -> list[int]:
        """The entry files' module pieces of the folders named for what a question says is exported (restify's
        lib/plugins/index.js for "the plugins exported": probe 279), main code only, a few at most."""
        files = [path for path in self._main_entry_files()
                 if "/" in path and stem(path.split("/")[-2].lower()) in things]
        pieces = [f for path in files for f in self.store.catalog.first_units_of(path, 1)
                  if allowed is None or f in allowed]
        return pieces if len(pieces) <= MAX_ON_A_NAME else []

    def _main_entry_files(self) -> list[str]:
        """The main code's package entry files (an `__init__.py`, an `index.js`), in the catalog's order: read once per
        catalog version, not on every question of what is exported."""
        return self._remembered(("main entry files",), lambda: [
            path for path, (language, _) in self.store.catalog.file_units().items()
            if is_entry_file(path, language) and non_main_kind(path, "", "", "", language) is None])

    def _as_spelt(self, read: dict[str, str]) -> dict[str, str]:
        """Each word a slip was read as, spelt as the code's name of it is where one is (`RegisterPeerPiker` read as
        `RegisterPeerPicker`, not the index's `registerpeerpicker`: probe 230)."""
        def spelt(said: str) -> str:
            names = {name for _, name, _ in self.store.catalog.names_like(symbol_key(said)) if name.lower() == said}
            return names.pop() if len(names) == 1 else said
        return {typed: spelt(said) if said.islower() and not typed.islower() else said  # a word typed stays a word
                for typed, said in read.items()}  # ("wrapp" as "wrap", not as `Wrap`)

    def _on_a_variable(self, dotted: str, alike: list[tuple[int, str, str]], named_too: bool = False) -> list[int]:
        """The definitions of a member called on a name the code defines nothing by (`sig.connect(...)`, `em.subscribe`
        pasted from a caller: blinker's tests that write `sig.connect` came first, Signal.connect 20th); named_too:
        on a name it does define but none of whose own members that is (fs-extra's `fs.copy`: probe 226), a few only
        (`cache.get` is not every `get`)."""
        qualifier, member = dotted.rsplit(".", 1)
        if not named_too and re.fullmatch(r"[A-Z][\w$]*", qualifier):
            return self._on_a_class(qualifier, member, alike)
        variable = r"[A-Za-z_$][\w$.]*" if named_too else r"[a-z_$][\w$]*"  # last of all, `UglifyJS.minify` too: a
        if not re.fullmatch(variable, qualifier) or (  # package's README name for itself, no type of it (probe 236),
            # `Types::String.enum` a constant no unit defines (dry-types: probe 234)
                not named_too and self.store.catalog.names_like(symbol_key(qualifier))):
            return []
        members = [fid for fid, name, _ in alike if name == member]
        if named_too:  # counted as definitions: no file's module code named for its file (server.js), nor a .d.ts
            rows = self.store.catalog.get_functions(members)  # declaring one (hapi's `Hapi.server(...)`: probe 259)
            members = [f for f in members if f in rows and rows[f].kind != "module"
                       and not rows[f].path.endswith(DECLARATIONS)] or members
        return members if not named_too or len(members) <= MAX_ON_A_NAME else []

    def _on_a_class(self, qualifier: str, member: str, alike: list[tuple[int, str, str]]) -> list[int]:
        """The class-level definitions of a member called on a capitalised name the code defines nowhere (BinData's
        README class `Rectangle.read(io)`: Base's `def self.read`, not the instance reads of every class; probe 272),
        where the language tells class-level (`Base.read`) from instance (`Base#read`) members, a few only."""
        if self.store.catalog.names_like(symbol_key(qualifier)):
            return []
        instance = any(qual.endswith("#" + member) for _, name, qual in alike if name == member)
        own = [fid for fid, name, qual in alike if name == member and qual.endswith("." + member)]
        return own if instance and len(own) <= MAX_ON_A_NAME else []

    def _inherited(self, dotted: str, alike: list[tuple[int, str, str]]) -> list[tuple[int, str]]:
        """For a member typed on a type that does not define it (`ClientRequestInterceptor.on`, an example's
        `interceptor.on(...)` on what `new ClientRequestInterceptor()` made: probe 197), the type, then the members of
        that name (what it inherits is among them), a few, alike only; none when no type has that name or no unit that
        member's. Of a namespace reopened in several files (octokit's `module Octokit`, 75 of them: probe 245), its one
        member of that name, mixed into it (defined inside the namespace: not VCR's `Cassette.new` as a Faraday
        extension's `new`: probe 252), is the name typed, before a few of its units."""
        qualifier, member = dotted.rsplit(".", 1)
        owner = _last_name(qualifier)
        named = [(fid, qual) for fid, name, qual in alike if name == member][:MAX_CHAINED]  # (a field is the type's
        members = [fid for fid, _ in named]  # binding)
        rows = self.store.catalog.get_functions(self.store.catalog.exact_names(owner)) if members else {}
        types = [f for f, row in rows.items() if row.kind == "type" and row.name == owner]
        if (len(types) > 1 and len(members) == 1 and owner in _names_in(named[0][1])
                and all(_reopened(rows[f]) for f in types)):
            return [(members[0], "exact")] + [(f, "fuzzy") for f in types[:MAX_ON_A_NAME]]
        return [(f, "fuzzy") for f in types + members] if types else []

    def _attached(self, ids: list[int], dotted: str) -> list[int]:
        """Of units named as asked, those whose file writes the dotted name (debug's `createDebug.coerce = coerce`
        inside its factory: `createDebug.coerce` found setup.coerce last, probe 67): a member set at run time."""
        rows = self.store.catalog.get_functions(ids)
        paths = sorted({r.path for r in rows.values()})[:MAX_PACKAGE_READS]  # each file read once, a bounded number
        setting = re.compile(rf"(?<![\w$.]){re.escape(dotted)}\s*=(?!=)")
        sets = {p for p in paths if setting.search(self._file_text(p))}
        return [f for f in ids if f in rows and rows[f].path in sets]

    def _in_package(self, package: str, ids: list[int], kind: str | None = None) -> list[int]:
        """Of units named as asked (of that kind only, where one is given), those whose folder or file the qualifier
        names: a Go package or a Python module written before the name (`unstable.Parser` in unstable/parser.go,
        `attr.evolve` in src/attr/_funcs.py, `transport.Transport` in transport.py), which qualified names leave out; or
        a Go file's package clause (sqlx's `sqlx.Named` in named.go at the repository's root)."""
        rows = {f: r for f, r in self.store.catalog.get_functions(ids).items() if kind is None or r.kind == kind}
        heads = {r.path for r in rows.values() if declares_package(r.path)}
        heads = set(sorted(heads)[:MAX_PACKAGE_READS])  # files read for their clause: a bounded number per query
        return [f for f in ids if f in rows and (
            package in {symbol_key(p) for p in PurePosixPath(rows[f].path).with_suffix("").parts}
            or (rows[f].path in heads and self._package_of(rows[f].path) == package))]

    def _package_of(self, path: str) -> str:
        """The package a file's clause declares, as a symbol key: read once per file and catalog version (a common
        name, `String`, has a unit in thousands of files)."""
        return self._remembered(("package", path),
                                lambda: symbol_key(declared_package(path, self._file_text(path, PACKAGE_BYTES)) or ""))

    def _bound(self, terms: QueryTerms, allowed: set[int] | None, reread: bool = True
               ) -> dict[int, tuple[str, tuple[str, int, int, int, str]]]:
        """Module pieces and types that bind the name the query is (a constant, a variable, a field:
        codesearch.parse.bindings): unit id -> ('bound' | 'fuzzy', (name, first line, last line, column, statement)),
        the exact name before names alike but for case and separators, at most MAX_BOUND. Only for a name that looks
        like one (a plain word such as `value` names too many fields to lead with them), or a member of a named type
        (`StringUtils.INDEX_NOT_FOUND`, `Color::Red`), which only its type's bindings answer."""
        owner, name = "", terms.text.lstrip("$")
        member = MEMBER_NAME.fullmatch(terms.text)
        if member and not BARE_NAME.fullmatch(name):
            owner, name = _last_name(member.group(1)), member.group(2)
        constant = name.isupper() and len(name) > 1  # `VERSION`: a constant by its spelling, not a word
        if terms.natural and not terms.identifier:
            if listed := terms.listed_terms:  # `parser.CommonExtensions | parser.AutoHeadingIDs`: each name's bindings
                each = [self._bound(name, allowed, reread) for name in listed]
                return {f: v for bound in reversed(each) for f, v in bound.items()}  # shown at the first name's
            if (bound := terms.bound_named) is not None and not self.store.catalog.names_like(terms.joined):
                return self._bound(bound, allowed, reread)  # `Message namedtuple`: the name's bindings, unless the
                # words name a unit joined ("JSON field": class JSONField, not `JSON = 'json'`: review)
            return self._binding_most(terms, allowed)
        if not BARE_NAME.fullmatch(name):
            return {}
        if not (owner or terms.identifier or constant or terms.text.startswith("$")):
            return self._bound_at_top(name, allowed)
        out: dict[int, tuple[str, tuple[str, int, int, int, str]]] = {}
        for spelling in dict.fromkeys((terms.text, name) if not owner else (name,)):  # `$el` in JavaScript, `el` in PHP
            found = self.store.catalog.bound(spelling, allowed, MAX_BOUND if not owner else 10 * MAX_BOUND)
            owners = self.store.catalog.qualified_names([f for f, *_ in found]) if owner else {}
            # a module piece of the package or module typed (ozzo-validation's `is.Digit`, bound in is/rules.go,
            # whose piece is named `rules`: unexported isDigit came first, probe 212), never a type's field of that name
            # (`getter.Decompressors` is the package's var, not `Client.Decompressors`: go-getter, probe 267)
            packaged = set(self._in_package(symbol_key(owner), [f for f, *_ in found], kind="module")
                           if owner[:1].islower() else [])
            for fid, *binding in found:
                enclosing = _names_in(owners.get(fid, ""))
                assigned = bool(owner) and binding[-1].lstrip().startswith(f"{owner}.{name}")  # `moment.utc = utc`
                assigned = assigned or fid in packaged
                if owner and owner not in enclosing and not assigned and not _variable_of(owner, enclosing):
                    continue
                if fid not in out and len(out) < MAX_BOUND:
                    # bound in the type named (or, fuzzy, in one inside it: i18n's `I18n.t` aliased in I18n::Base; or
                    # in the type a variable is named for)
                    exact = binding[0] in (terms.text, terms.text.lstrip("$"), name if owner else None)
                    named = not owner or assigned or enclosing[-1] == owner
                    out[fid] = ("bound" if exact and named else "fuzzy", tuple(binding))
            if (not out and owner[:1].islower() and member.group(1) == owner
                    and len(own := [f for f in found if f[1] == name]) <= MAX_ON_A_NAME):
                out = {fid: ("fuzzy", tuple(binding)) for fid, *binding in own}  # `fs.ensureSymlink`: fs-extra's
                # package (`fs` in its README) binds it in lib/index.js, `ensureSymlink: createSymlink` (probe 226); not
                # a value a chain reached (`reader.pages.map(&:text)` found pdf-reader's `attr_reader :map`: probe 298)
        if (not out and reread and terms.identifier
                and (fixed := _name_as_read(terms.text, bm25.read_as(self.store.catalog, terms)))):
            # a name typed with a slip, as its words were read (awesome_print's `alias :awesome_inspect :ai` typed
            # `awsome_inspect`: probe 213), a binding found alike but for it; read once (`HostKeyFil` read as
            # `hostkeyfile` holds what was typed: read again it grew a letter each time, till RecursionError: probe 227)
            out = {f: ("fuzzy", b) for f, (_, b) in self._bound(replace(terms, text=fixed), allowed, False).items()}
        return out

    def _binding_most(self, terms: QueryTerms, allowed: set[int] | None) -> dict[int, tuple[str, tuple]]:
        """The units that bind two or more of the names a question writes (feedparser's "module settings USER_AGENT
        RESOLVE_RELATIVE_URIS SANITIZE_HTML defaults": each alone finds its binding first, together a function reading
        all three came first and the module binding them fourth: probe 215), most first, shown at the first's binding;
        none for a question naming fewer than two."""
        names = list(dict.fromkeys(t for t in terms.tokens if BARE_NAME.fullmatch(t) and looks_like_identifier(t)))
        if len(names) < 2 or self._names_a_definition(terms, names):
            return {}
        counts: dict[int, list[tuple]] = {}
        for name in names[:MAX_BOUND]:
            for fid, *binding in self.store.catalog.bound(name, allowed, MAX_BOUND):
                if binding[0] == name and all(b[0] != name for b in counts.get(fid, [])):
                    counts.setdefault(fid, []).append(tuple(binding))
        rows = self.store.catalog.get_functions([f for f, b in counts.items() if len(b) >= 2])
        # a module's settings, or a type's constants; not a type's fields, which declare what code elsewhere does
        # (query-core's MutationOptions binds onMutate and onSuccess: "run a mutation with its onMutate, onSuccess
        # and onError callbacks" asks for the mutation's code: review)
        most = sorted((f for f, row in rows.items() if row.kind == "module"
                       or sum(b[0].isupper() for b in counts[f]) >= 2), key=lambda f: (-len(counts[f]), f))
        return {f: ("fuzzy", counts[f][0]) for f in most[:MAX_BOUND]}

    def _declared_only_in_declarations(self, ids: set[int]) -> bool:
        """Whether every one of these units is in a declaration file (a .d.ts, a .pyi): a name only declarations write
        is the code's name too, which the declarations describe."""
        rows = self.store.catalog.get_functions(list(ids))
        return bool(rows) and all(row.path.endswith(DECLARATIONS) for row in rows.values())

    def _names_a_definition(self, terms: QueryTerms, names: list[str]) -> bool:
        """Whether a question also writes the name of a function the index defines, past its first word: "when does
        Get return ErrNotFound and when ErrTimeout" asks about Get, not the block binding the errors (review)."""
        others = [t for t in terms.tokens[1:] if t not in names and t[:1].isupper() and BARE_NAME.fullmatch(t)]
        rows = self.store.catalog.get_functions([f for t in others for f in self.store.catalog.exact_names(t)])
        return any(row.kind in CALLED_KINDS for row in rows.values())

    def _aliased(self, binding: dict[int, tuple[str, tuple]], allowed: set[int] | None) -> list[int]:
        """The definitions in their own file that the bindings found give another name (ini's `stringify: encode,`
        and `parse: decode` in its exports: the name's binding came first, encode far below: probe 155)."""
        out: list[int] = []
        for fid, (_, binding) in binding.items():
            m = _ALIAS.fullmatch(binding[-1].strip())
            target = m.group(1) if m else None
            if not target or target == binding[0]:
                continue
            rows = self.store.catalog.get_functions([fid, *self.store.catalog.exact_names(target)])
            path = rows[fid].path if fid in rows else None
            out += [t for t, row in rows.items() if t != fid and row.path == path and row.name == target
                    and row.kind != "module" and (allowed is None or t in allowed) and t not in out]
        return out

    def _not_exports_of(self, binding: dict[int, tuple[str, tuple]], symbols: list[tuple[int, str]]
                        ) -> dict[int, tuple[str, tuple]]:
        """binding without the lines that export a definition found in their own file under its own name (qs'
        `maybeMap: maybeMap,` in `module.exports = {...}` tied with function maybeMap: probe 77), nor those that
        import a definition found (semver's index.js `const maxSatisfying = require('./ranges/max-satisfying')` tied
        with the function: probe 165)."""
        if not binding or not symbols:
            return binding
        rows = self.store.catalog.get_functions([f for f, _ in symbols] + list(binding))
        defined = {(rows[f].path, rows[f].name) for f, how in symbols if how == "exact" and f in rows}
        names = {name.lstrip("_") for _, name in defined}  # Babel imports `assertString` as `_assertString`
        return {f: (how, b) for f, (how, b) in binding.items()
                if not (f in rows and (rows[f].path, b[0]) in defined
                        and len(re.findall(rf"(?<![\w$]){re.escape(b[0])}(?![\w$])", b[-1])) >= 2)
                and not (b[0].lstrip("_") in names and _IMPORTED.search(b[-1]))}

    def _bound_at_top(self, word: str, allowed: set[int] | None) -> dict[int, tuple[str, tuple[str, int, int, int, str]]]:
        """A plain word bound as spelled at most MAX_TOP_BOUND times, each at a module's top (dateutil's `gettz =
        __get_gettz()`, toolz' `rest = partial(drop, 1)`) or as a class's method alias (rack-test's `alias authorize
        basic_authorize`): the public name it is, found as a definition is; a word bound more often (`logger`, `app`)
        or as a type's field (`value`) leads with nothing."""
        found = [b for b in self.store.catalog.bound(word, allowed, MAX_TOP_BOUND + 1) if b[1] == word]
        if not found or len(found) > MAX_TOP_BOUND:
            return {}
        rows = self.store.catalog.get_functions([fid for fid, *_ in found])
        if any(row.kind != "module" and not (row.kind == "type" and aliases_a_method(row.language, binding[-1]))
               for fid, *binding in found if (row := rows.get(fid)) is not None):
            return {}
        return {fid: ("bound", tuple(binding)) for fid, *binding in found}

    def _written_in(self, ranked: list[FunctionRow], signals: dict[int, dict]) -> Callable[[FunctionRow, FunctionRow], bool]:
        """Which of two copies of a function to show: the main code's over one held down (a build's, a vendored one);
        of two JavaScript-family copies standing alike (both main code or both held down), code over a declaration
        file's, the TypeScript source over JavaScript, else the one in the file with fewer units: the module it was
        written in rather than a bundle that repeats it (zod's lib/types.js, not lib/index.mjs)."""
        counts = units_once(self.store.catalog.units_per_file, ranked)

        def prefer(copy: FunctionRow, shown: FunctionRow) -> bool:
            down = held_down(signals.get(copy.id, {}))
            if down != held_down(signals.get(shown.id, {})):
                return not down  # the main code's copy, not the build's (table-core's build/lib/utils.js) or a vendored one
            if copy.kind == "module" and shown.kind == "module":  # a file's pieces in two formats differ: the one that
                # ranked stays (eventemitter3's index.mjs, a re-export, showed for index.js' code: probe 77), but for
                # the TypeScript source of what tsc made (btc-signer's src/net.ts, not net.js: probe 251)
                return js_module_rank(copy.language) > js_module_rank(shown.language) > 0 and copy.path != shown.path
            return written_first(copy, shown, counts)
        return prefer

    def _factors(self, terms: QueryTerms, rows: dict[int, FunctionRow], opts: RankingOptions) -> dict[int, tuple[float, dict]]:
        """Each candidate's location and name signals, worked out once: (factor, what each contributed)."""
        terms = self._as_read(terms)
        judged = opts.non_main_factor != 1.0
        paths = {row.path for row in rows.values()} if judged else set()
        catalog = self.store.catalog
        under = catalog.paths_under
        old = self._in_folders("superseded", paths, major_version_folder, lambda f: superseded(under(f), f, catalog.existing))
        support = self._in_folders("support", paths, library_test_folder, lambda f: support_library(under(f)))
        apart = self._in_folders("tests apart", paths, named_for_tests, lambda f: tests_kept_apart(under(f), f))
        packaged = self._in_folders("packaged", paths, fixture_named, lambda f: imported_as_its_own(f, catalog.existing))
        locales = self._in_folders("locale", paths, locale_folder_of,
                                   lambda f: locale_folder([p for p in under(f) if "/" not in p[len(f) + 1 :]]))
        roots: dict[str, str] = {}  # a helpers folder -> its library root
        itself = self._in_folders("itself", paths, lambda p: _helpers_folder(p, roots),
                                  lambda f: the_library_itself(under(f), under(roots[f])))
        shipped = self._in_folders("shipped", paths, build_folder,
                                   lambda f: shipped_build(f, under(parent_folder(f))))
        subject = self._subject(terms, opts) if judged else frozenset()
        grammar = {p for p in paths if self._remembered(("grammar", p), lambda p=p: self._from_grammar(p))}
        heads = {path: self._file_head(path) for path in paths}
        common = self._common_in_names(terms, opts)
        declared = judged and any(r.kind == "type" and r.path.endswith(DECLARATIONS) for r in rows.values()) and \
            self._remembered(("declared only",), lambda: declared_only(catalog.file_units()))  # (a scan: when asked)
        typed = set(_names_in(terms.text)) if judged and terms.name else set()  # `AppConfig.uploadDir`: AppConfig
        return {fid: factor_of(terms, row, heads.get(row.path, ""), opts, superseded=row.path in old, subject=subject,
                               support=row.path in support, locale=row.path in locales, itself=row.path in itself,
                               from_grammar=row.path in grammar, shipped=row.path in shipped, common=common,
                               declared_here=(declared or row.name in typed) and self._declared_here_only(row),
                               tests_apart=row.path in apart, packaged=row.path in packaged)
                for fid, row in rows.items()}

    def _declared_here_only(self, row: FunctionRow) -> bool:
        """True for a declaration file's type that no code file defines (kleur's `Kleur`, an app's hand-written
        types.d.ts `AppConfig`: probe 199; not webpack's generated types.d.ts `declare class Compiler` beside
        lib/Compiler.js: review). It is main code where the repository's typed files are all declarations, or where the
        query names it (`AppConfig.uploadDir`; not fastify's `forceCloseConnections`, bound in its .d.ts and read in
        fastify.js: review)."""
        if row.kind != "type" or not row.path.endswith(DECLARATIONS):
            return False
        catalog = self.store.catalog
        name = row.name.rstrip("_")  # postcss's `declare class Result_ {...}` then `declare class Result extends
        # Result_ {}`, the declarations of lib/result.js's class Result (probe 218)
        return self._remembered(("declared here only", name), lambda: all(
            other.path.endswith(DECLARATIONS) for other in catalog.get_functions(catalog.exact_names(name)).values()))

    def _as_read(self, terms: QueryTerms) -> QueryTerms:
        """terms with each word the words list reads as the code's word (a slip, the other spelling) counting as that
        word in names and paths too: "tunel" met `connection_requires_http_tunnel` in the words, not in its name
        (probe 84)."""
        if not terms.search_words:
            return terms
        meant = bm25.stand_ins(self.store.catalog, terms, dict(self.store.catalog.lexical_stats(terms.search_words)[1]))
        content = tuple(dict.fromkeys(meant.get(w, w) for w in terms.content))
        if content == terms.content:
            return terms  # the words read as they are; else their abbreviations too ("paramters": param, probe 109)
        return replace(terms, content=content, abbreviations=abbreviations(content))

    def _in_folders(self, fact: str, paths: set[str], folder_of: Callable[[str], str | None],
                    holds: Callable[[str], bool]) -> set[str]:
        """The paths whose folder (folder_of: a candidate folder or None) the fact holds for (holds: judged on the
        folder's files, once per folder and catalog version)."""
        out = set()
        for path in paths:
            folder = folder_of(path)
            if folder and self._remembered((fact, folder), lambda folder=folder: holds(folder)):
                out.add(path)
        return out

    def _subject(self, terms: QueryTerms, opts: RankingOptions) -> frozenset[str]:
        """The query's words that would ask for non-main code but that the main code is about (says_subject)."""
        catalog, share = self.store.catalog, opts.subject_share
        files = lambda: self._remembered(("files",), catalog.file_units)  # noqa: E731
        return frozenset(w for w in lift_words(terms) if self._remembered(
            ("subject", w, share), lambda w=w: says_subject(files(), catalog.units_saying(stem(w)), share)))

    def _common_in_names(self, terms: QueryTerms, opts: RankingOptions) -> frozenset[str]:
        """The query's words in at least common_name_share of all units' names (commons-pool's "pool" and "object"):
        a name holding one says no more than the others do; never a word that asks for tests or examples."""
        share = opts.common_name_share
        if not share or not terms.content:
            return frozenset()
        units = self.store.catalog.lexical_stats(())[0]  # counted once per catalog version
        asking = {stem(w) for w in lift_words(terms)}  # "tests for X": a test's name saying "test" is the point
        held = self.store.catalog.names_holding([w for w in terms.content if w not in asking])
        return frozenset(w for w, n in held.items() if n >= max(share * units, opts.common_name_min))

    def _remembered(self, key: tuple, compute: Callable[[], _T]) -> _T:
        """A fact about the catalog's contents (which folders are superseded, what the main code is about), worked
        out once per catalog version instead of on every search."""
        stamp = self.store.catalog.version()
        if self._facts[0] != stamp:
            self._facts = (stamp, {})
        facts = self._facts[1]
        if key not in facts:
            facts[key] = compute()
        return facts[key]

    def _apply_signals(self, fused: list[tuple[int, float]], symbols: list[tuple[int, str]],
                       rows: dict[int, FunctionRow], factors: dict[int, tuple[float, dict]], identifier: bool = True,
                       line_first: bool = False, head: str = "",
                       ) -> tuple[list[FunctionRow], dict[int, float], dict[int, dict], set[int]]:
        """Candidates re-scored by the location and name signals, named symbols first: (rows best first, scores, signals,
        the named ones put first). A unit that only binds the name (or one alike) outside the main code, not asked for,
        is not put first while main code is among the candidates: it keeps its place by score (fastify's option
        `forceCloseConnections`, bound only by a type in a test and one in a .d.ts, read in fastify.js). line_first:
        the units holding the line pasted go before the definitions of what it calls (a line with its message:
        QueryTerms.pasted_message)."""
        scores: dict[int, float] = {}
        signals_of: dict[int, dict] = {}
        scored: list[tuple[float, int]] = []
        base = dict(fused)
        for fid in dict.fromkeys([f for f, _ in fused] + [f for f, _ in symbols]):
            if fid not in rows:
                continue  # deleted between the vector search and now
            factor, signals = factors[fid]
            signals = {**signals, "fused": round(base.get(fid, 0.0), 6)}
            signals_of[fid] = signals
            scores[fid] = adjust(base.get(fid, 0.0), factor)
            scored.append((scores[fid], fid))
        scored.sort(key=lambda t: (-t[0], t[1]))
        top = scored[0][0] if scored else 1.0
        main = any(not held_down(s) for s in signals_of.values())

        exported = self._exported([rows[f] for f, how in symbols if how in ("exact", "fuzzy") and f in rows])
        # a line pasted word for word names its place first when what it calls has several definitions (docopt's
        # `matched, left, collected = pattern.fix().match(argv)` came after five `match` methods: probe 188)
        line_first = line_first or sum(how == "exact" for _, how in symbols) > 1

        def place(symbol: tuple[int, str]) -> tuple:
            """How it was named; main code before the rest; the definition in the file named for it (table-core's
            utils/getPaginationRowModel.ts, not the table method of that name); the one its package re-exports
            (anyio's `Lock`, not its backends'); a function of its own before methods of that name (sqlx's `Rebind`,
            not the one-line `DB.Rebind` and `Tx.Rebind` wrappers); a type before its constructor (jansi's nested
            `JansiOutputType`); then its score. The one holding the line pasted goes first among its like (bleach's
            `def linkify(self, text):` is Linker's, not the module's `linkify`: probe 123), and a member of the type a
            pasted chain starts from before its namesakes (`EscapeTool.getInstance().unescape(line)`: EscapeTool's, not
            Wini's, tied and ordered by score: probe 164)."""
            fid, how = symbol
            row = rows[fid]
            foreign = bool(head) and head not in _names_in(row.qualified_name)[:-1]
            in_own_file = row.kind != "module" and symbol_key(PurePosixPath(row.path).stem) == symbol_key(row.name)
            owned = not _top_level(row)
            first = -1 if line_first and how == "quoted" else symbol_rank(how)
            return (first, held_down(signals_of[fid]), not signals_of[fid].get("quoted"), foreign,  # the line
                    not in_own_file, fid not in exported,  # pasted is its own (bleach's `def linkify(self, text):`)
                    row.kind == "module", owned,  # a file named so after a definition of it (pexpect's expect.py: probe 104)
                    row.kind == "constructor",  # a nested type before its constructor (probe 83)
                    how == "exact" and hands_on_to_namesake(row),  # a wrapper after the namesake doing the work
                    -scores[fid])  # (casbin: probe 270)

        # held down and not asked for, a unit leads only as the exact name, written as one (`parseTimeout`, not the
        # word `timeout`: paramiko's test helper of that name came first), that nothing in the main code has (a
        # bundle's copy of qs' `maybeMap`, pinned beside lib/utils.js's at the same score, keeps its own)
        # (a binding in the main code counts: dateutil's `get_tz = ...` in tz.py, not a deprecated module's def)
        in_main = {rows[f].name for f, how in symbols if f in scores and not held_down(signals_of[f]) and how != "bound"}
        bound_in_main = any(how == "bound" and f in scores and not held_down(signals_of[f]) for f, how in symbols)
        named = [f for f, how in sorted((s for s in symbols if s[0] in scores), key=place)
                 if not (held_down(signals_of[f]) and main
                         and (not _leads_held_down(how, rows[f], signals_of[f], bool(in_main), identifier)
                              or rows[f].name in in_main or bound_in_main))]
        named_set = set(named)
        for fid, how in symbols:  # what leads is "symbol" (file results and other repositories put it first too)
            if fid in signals_of:
                signals_of[fid]["symbol" if fid in named_set else "symbol_held_down"] = how
        for fid in named:
            scores[fid] = top
        ordered = [rows[f] for f in named] + [rows[f] for _, f in scored if f not in named_set]
        return ordered, scores, signals_of, named_set

    def _exported(self, namesakes: list[FunctionRow]) -> set[int]:
        """Of namesakes defined in several files, the ids of those an entry file of their package re-exports
        (languages.reexports), each entry file read once per catalog version; none when only one file defines it."""
        if len({row.path for row in namesakes}) < 2 or len(namesakes) > MAX_EXPORTED_NAMESAKES:
            return set()
        out = set()
        for row in namesakes:
            for entry in entry_files(row.path, row.language):
                modules = self._remembered(("exports", entry, row.name), lambda entry=entry, name=row.name: reexports(
                    entry, self._remembered(("entry", entry), lambda entry=entry: self._file_text(entry)), name))
                if any(defined_in(row.path, module) for module in modules):
                    out.add(row.id)
                    break
        return out

    def _file_text(self, path: str, limit: int = ENTRY_BYTES) -> str:
        """A repository file's first limit bytes as text ("" when it is missing or not a regular file)."""
        try:
            return read_ends(self.store.root / path, limit, 0)[0].decode("utf-8", "replace")
        except OSError:
            return ""

    def _coverage(self, terms: QueryTerms, lex: list[tuple[int, float]], opts: RankingOptions) -> float:
        """The share of the words' list's file weight it earns: how much of the question's weight (idf) its first unit
        holds, up to coverage_full, never below coverage_floor (RankingOptions.coverage_full)."""
        if not opts.coverage_full or not lex:
            return 1.0
        words = [w for w in terms.content if w]
        if not words:
            return 1.0
        units, df, _ = self.store.catalog.lexical_stats(words)
        meant = bm25.stand_ins(self.store.catalog, terms, df)  # "pattren": what the words list searched for
        if meant:
            df.update(self.store.catalog.lexical_stats(meant.values())[1])
        if model_guesses(terms.typed or terms.text, self.store.model_id):  # the model guesses at a question in another
            words = [w for w in words if df[meant.get(w, w)]] or words  # language: words no code says weigh nothing
        idf = {w: bm25.idf(units, df[meant.get(w, w)]) for w in words}  # against the words' list (probe 185)
        total = sum(idf.values())
        if total <= 0:
            return 1.0
        fields = self.store.catalog.lexical_fields([lex[0][0]]).get(lex[0][0], ())
        held = set(" ".join(fields).split())
        share = sum(v for w, v in idf.items() if meant.get(w, w) in held) / total
        return max(opts.coverage_floor, min(1.0, share / opts.coverage_full))

    def _fuse_files(self, ranked: list[FunctionRow], scores: dict[int, float], signals: dict[int, dict],
                    rankings: list[tuple[str, float, list[tuple[int, float]]]], rows: dict[int, FunctionRow],
                    factors: dict[int, tuple[float, dict]], opts: RankingOptions, named: set[int],
                    static_reranks: bool = False, keep_words_first: bool = False,
                    unlifted: Collection[str] = ()) -> list[FunctionRow]:
        """Hybrid's files in the order their lists' own file rankings give them, fused by how sure each list is
        (filerank.fuse_files); each hit says the question's list weights and its file's standing in each list.
        keep_words_first: the words' first file stays first (RankingOptions.words_keep_first_file)."""
        files = [(name, weight, list_files([(rows[f].path, adjust(s, factors[f][0])) for f, s in ranking if f in rows],
                                           opts.file_meaning_weight if name == "semantic" else opts.file_weight, unlifted))
                 for name, weight, ranking in rankings if weight > 0]
        fused, per_file, trust = fuse_files(files, opts.file_fusion_depth, opts.file_floor_at_depth,
                                            opts.file_best_z_weight, opts.file_keep_first_at, opts.file_keep_first_margin,
                                            opts.file_floor_scale, opts.file_single_z, opts.file_spread_floor)
        weights = {t.name: t.to_dict() for t in trust}
        words = next((ranked_files for name, _, ranked_files in files if name == "lexical"), [])
        if keep_words_first and words:
            fused[words[0][0]] = math.inf
            weights["lexical"]["keeps_first"] = words[0][0]
        if opts.agreed_first and (agreed := _agreed_first(rankings, factors)) is not None and agreed in rows:
            fused[rows[agreed].path] = math.inf
            weights["lexical"]["agreed_first"] = rows[agreed].path
        tests = {rows[f].path for f in rows if str(signals.get(f, {}).get("non_main", "")).startswith("test")}
        leading = files if not opts.held_free_raw else [  # the lists before a rule lowered a file (held_free_raw)
            (name, weight, list_files([(rows[f].path, s) for f, s in ranking if f in rows],
                                      opts.file_meaning_weight if name == "semantic" else opts.file_weight, unlifted))
            for name, weight, ranking in rankings if weight > 0]
        held = set(unlifted) - (_led_by_all(leading, opts.held_free_within) - tests)
        fused = held_below_main(fused, held, opts.held_below_main)
        if static_reranks and "semantic" in weights:  # files only the static tier found: at both lists' floors, last
            weights["semantic"]["reranks"] = "words' files"
        ranked = place_files(ranked, scores, signals, fused, named, held)
        for row in ranked:
            signals[row.id]["fusion"] = weights
            if "file_place" in signals[row.id]:
                signals[row.id]["file_z"] = per_file.get(row.path, {})
        return ranked

    def _from_grammar(self, path: str) -> bool:
        """Whether a parser generator's grammar of the same name lies beside the file (GRAMMAR_SUFFIXES)."""
        here = self.store.root / path
        return any(here.with_suffix(suffix).is_file() for suffix in GRAMMAR_SUFFIXES)

    def _file_head(self, path: str) -> str:
        """The first bytes of a file, where generators write their "DO NOT EDIT" line, and a bundler's
        `//# sourceMappingURL=` line from its last bytes (nothing else there: a doc comment near the end that says
        "auto-generated method" marks nothing), or that line for the source map lying beside a script (Babel's
        lib/x.js and lib/x.js.map, no such line: @uppy/utils' copies came before its src/, probe 300)."""
        try:
            head, tail = read_ends(self.store.root / path, HEAD_BYTES, TAIL_BYTES)
        except OSError:
            return ""
        last = [line for line in tail.decode("utf-8", "replace").splitlines() if line.strip()][-1:]
        mapped = [m for m in last if SOURCE_MAP.match(m)]
        name = PurePosixPath(path).name
        if not mapped and name.endswith(COMPILED_SCRIPTS) and (self.store.root / f"{path}.map").is_file():
            mapped = [f"//# sourceMappingURL={name}.map"]
        return head.decode("utf-8", "replace") + "".join(f"\n{m}" for m in mapped)


def _ranked_as(row: FunctionRow, sem_rank: dict[int, tuple[int, float]], lex_rank: dict[int, int]) -> str:
    """A unit shown inside another's result, and where each list put it: what --explain says placed that result
    (react-day-picker's FocusProvider said "semantic -, lexical #62" for the member inside it, semantic #1)."""
    sem = f"semantic #{sem_rank[row.id][0]}" if row.id in sem_rank else "semantic -"
    lex = f"lexical #{lex_rank[row.id]}" if row.id in lex_rank else "lexical -"
    return f"{row.qualified_name} ({sem}, {lex})"


def _used_in(name: str, groups: list[tuple[FunctionRow, list[FunctionRow]]]) -> bool:
    """Whether a result's code or doc writes the name as a word (`json.dumps`, `os.environ`: used, no slip; an
    environment variable its doc names: rest-client's `RESTCLIENT_LOG`, probe 175)."""
    said = re.compile(rf"(?<![\w$]){re.escape(name)}(?![\w$])") if name else None
    return said is not None and any(said.search(row.code) or said.search(row.docstring)
                                    or name in _NAME_PARTS.split(row.qualified_name) for row, _ in groups)


_NAME_PARTS = re.compile(r"[_.$:#\\]+")  # a name's parts: `ExtendedTimestamp` of commons-compress's
# X5455_ExtendedTimestamp, which "nothing in the code searched is named ExtendedTimestamp" denied (probe 192)


def _main_before_held(ranked: list[FunctionRow], scores: dict[int, float], signals: dict[int, dict],
                      found: set[int], below: int = 0, kept: Collection[int] = ()) -> list[FunctionRow]:
    """A name that names no unit (`parsing`), its words leading: code held down (tests, examples) scored below the main
    code its words found, so godotenv's TestParsing and TestErrorParsing, which say "parsing" as typed, no longer come
    before Parse (probe 102); as it was when the words found no main code. below: under the best `below` main units
    only (RankingOptions.held_below_main), not under all of them; kept: the named, which lead where they are."""
    main = sorted((scores[r.id] for r in ranked if r.id in found and not held_down(signals[r.id])), reverse=True)
    if not main:
        return ranked
    cap = math.nextafter(main[min(below, len(main)) - 1] if below else main[-1], -math.inf)
    for row in ranked:
        if held_down(signals[row.id]) and scores[row.id] > cap and row.id not in kept:
            scores[row.id] = cap
    place = {r.id: i for i, r in enumerate(ranked)}
    return sorted(ranked, key=lambda r: (-scores[r.id], place[r.id]))


def _said_past_doc(row: FunctionRow, at: int, lines: list[str], words: Said) -> bool:
    """Whether a type's line at (its file's lines) says more of the question than every line of the type's own doc
    comment above it: else the doc is what answered, and the type is shown from its declaration."""
    def held(row_number: int) -> int:
        return len(said_on(lines[row_number - 1], words)) if 0 < row_number <= len(lines) else 0
    return held(at) > max(map(held, doc_rows(row, lines)), default=0)


def _speaks_for(row: FunctionRow, at: int, lines: list[str], words: Said) -> bool:
    """Whether a type's line at (its file's lines) says enough of the question to show the type as the method there:
    two of its words (one for a one-word question), and more than any line of the type's own doc comment (args4j's
    XmlParser, found by its class doc, was shown as a method whose `@param` line says "must": probe 112; the 540-line
    CronExpression as `supportsAlias`, whose doc says "whether": probe 113)."""
    return (0 < at <= len(lines) and len(said_on(lines[at - 1], words)) >= min(2, len(set(words.values())))
            and _said_past_doc(row, at, lines, words))


def _top_level(row: FunctionRow) -> bool:
    """A unit no type or function holds (a package's own function, not a method of the same name)."""
    return row.qualified_name == row.name


def _owner_of(row: FunctionRow) -> str:
    """The name of the type or function that holds a unit (`HubConnection` of HubConnection.start), "" for none."""
    names = _names_in(row.qualified_name)
    return names[-2] if len(names) > 1 else ""


_ASSIGNS_IT = re.compile(r"[=:]\s*$")  # code before a unit that names it: an assignment's `=`, a key's `:`


def _written_before(row: FunctionRow, lines: list[str]) -> str:
    """What the file writes before a unit on its first line when it is code, not indent (decimal.js' `P.squareRoot =
    P.sqrt = function`, the unit `P.sqrt = ...`: its preview blanked the name the docs use, probe 143), else ""."""
    if not 0 < row.start_line <= len(lines) or row.start_col - 1 > MAX_INDENT:
        return ""
    line = lines[row.start_line - 1].encode()  # start_col counts bytes (an accented name before it: review)
    before = line[: row.start_col - 1].decode("utf-8", "replace")
    opens = line[row.start_col - 1 :].decode("utf-8", "replace").startswith(row.code.split("\n", 1)[0])
    # only what assigns or keys it (`P.squareRoot = `, `sqrt: `), and on the line the unit opens (not a file changed
    # since); another unit before it on a line (`def x; 1; end; def y`) is not shown with it
    return before if opens and _ASSIGNS_IT.search(before) else ""


def _elided(code: str) -> bool:
    """Whether code leaves lines out (a type's or module piece's text not laid on its file's lines: the file changed)."""
    return any(line.strip() == ELIDED for line in code.split("\n"))


def _overloads_above(row: FunctionRow) -> int:
    """The lines of overload signatures above a function's implementation, which its preview and `line` pass over as
    its vector does (units.past_overloads); 0 for any other unit."""
    implementation = past_overloads(row)  # type: ignore[arg-type]  # reads a unit's name, language, kind and code
    return row.code.count("\n") - implementation.count("\n") if implementation is not row.code else 0


def _laid_out(row: FunctionRow, lines: list[str], words: Said) -> tuple[FunctionRow, int | None]:
    """A unit of a LAID_OUT kind with its lines where the file has them (numbered right), and the line its preview
    opens at (focus_line; past a licence at a file's top: afero.go, probe 78), None for its first."""
    laid = positioned(row.code, lines, row.start_line, row.start_col, row.end_line)
    row = replace(row, code=laid) if laid is not None else row
    at = focus_line(row.code, row.start_line, words)
    if at is not None and row.kind == "type" and not _said_past_doc(row, at, lines, words):
        at = None  # its doc above says as much: shown from its declaration (collections4's Flat3Map: probe 117)
    if at is None and row.kind == "module" and row.start_line <= LICENCE_FROM:
        licence = past_licence(row.code)  # and past a directive after it (restify's `'use strict';`: probe 279)
        licence += next((i for i, line in enumerate(row.code.split("\n")[licence:]) if not _PREAMBLE.fullmatch(line)), 0)
        at = row.start_line + licence if licence else None
    return row, at


_PREAMBLE = re.compile(r"""\s*(?:(['"])use (?:strict|client|server)\1;?\s*)?""")  # a JS directive, a blank line
