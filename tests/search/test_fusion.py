"""Hybrid file fusion (issue 23: fusion that never loses to its parts): meaning and words each rank their own
files, each file read as how far it stands above its list (standard scores), so the list that is sure of its
best file decides; the hits list files in that order, `--files` agrees, and a name query keeps the words' order."""

from __future__ import annotations

from pathlib import Path

import pytest

from codesearch.cli.output import fusion_line
from codesearch.config import Config
from codesearch.engine import Index
from codesearch.query import Hit, Query, QueryTerms
from codesearch.search.filerank import fuse_files, list_files, rank_files, standard_scores
from codesearch.search.ranking import RankingOptions
from codesearch.search.searcher import Searcher, place_files

from conftest import indexed_files
from codesearch.store.catalog import FunctionRow

# one function per file, two in a.py: names share no word with the question, so no name or path signal moves them
FILES = {"a.py": "def alpha_one(x):\n    return x + 1\n\n\ndef alpha_two(x):\n    return x + 2\n",
         **{f"{c}.py": f"def {c}_fn(x):\n    return x * {i + 2}\n" for i, c in enumerate("bcdefgh")}}
QUESTION = QueryTerms.parse("how does the thing get done")


@pytest.fixture(scope="module")
def fused(tmp_path_factory, tiny_embedder):
    """(a Searcher over the files with the shipped options, unit id by name)."""
    root = tmp_path_factory.mktemp("fusion") / "repo"
    root.mkdir()
    for rel, text in FILES.items():
        (root / rel).write_text(text)
    with Index.create(root, Config(), embedder=tiny_embedder) as index:
        index.sync()
        rows = index.store.catalog.get_functions([fid for fid, *_ in index.store.catalog.function_paths()])
        # the lists below are made up: their units hold none of the question's words, which the words' coverage of the
        # question (RankingOptions.coverage_full, tested on its own) would read as a list to trust little
        yield (Searcher(index.store, tiny_embedder, RankingOptions(coverage_full=0.0)),
               {r.name: r.id for r in rows.values()})


def _files(searcher: Searcher, ids: dict[str, int], meaning: list[tuple[str, float]], words: list[tuple[str, float]],
           opts: RankingOptions | None = None) -> list[str]:
    """The files a hybrid ranking of these two lists (names, scores) shows, in order of first appearance."""
    ranked, _, _ = searcher.rank(QUESTION, "hybrid", [(ids[n], s) for n, s in meaning], [],
                                 [(ids[n], s) for n, s in words], [], opts or searcher.options)
    return list(dict.fromkeys(r.path for r in ranked))


def test_a_file_both_lists_put_first_comes_first(fused) -> None:
    """The issue's failure: meaning and words both had a.py first (through different functions), and both had
    b.py's one function second, so fusing functions put b.py first: hybrid lost what both its parts had."""
    searcher, ids = fused
    meaning = [("alpha_one", 0.80), ("b_fn", 0.79), ("c_fn", 0.50), ("d_fn", 0.49), ("e_fn", 0.48), ("f_fn", 0.47)]
    words = [("alpha_two", 9.0), ("b_fn", 8.9), ("c_fn", 3.0), ("d_fn", 2.9), ("e_fn", 2.8), ("g_fn", 2.7)]
    assert _files(searcher, ids, meaning, words)[:2] == ["a.py", "b.py"]
    before = _files(searcher, ids, meaning, words, searcher.options.with_(file_fusion=False))
    assert before[0] == "b.py"  # the fusion this replaced (functions fused, then files) loses it


def test_the_list_sure_of_its_best_file_decides(fused) -> None:
    searcher, ids = fused
    # meaning: a.py far above files that are all alike; words: a steady slope with b.py first and a.py fourth
    sure = [("alpha_one", 0.90), ("c_fn", 0.50), ("d_fn", 0.50), ("e_fn", 0.49), ("f_fn", 0.49), ("g_fn", 0.48),
            ("b_fn", 0.48), ("h_fn", 0.47)]
    slope = [("b_fn", 10.0), ("c_fn", 9.0), ("d_fn", 8.0), ("alpha_two", 7.0), ("e_fn", 6.0), ("f_fn", 5.0),
             ("g_fn", 4.0), ("h_fn", 3.0)]
    # words weigh 1.5 and rank b.py first: fusing the lists' file ranks (not how sure each is) would give b.py
    assert _files(searcher, ids, sure, slope)[0] == "a.py"
    # and the other way round, at equal weights: words sure of a.py, meaning a slope with b.py first, a.py third
    even = searcher.options.with_(file_lexical_weight=1.0)
    sure_words = [("alpha_two", 12.0), ("b_fn", 3.0), ("c_fn", 3.0), ("d_fn", 2.9), ("e_fn", 2.9), ("f_fn", 2.8)]
    slope_meaning = [("b_fn", 0.90), ("c_fn", 0.85), ("alpha_one", 0.80), ("d_fn", 0.75), ("e_fn", 0.70), ("f_fn", 0.65)]
    assert _files(searcher, ids, slope_meaning, sure_words, even)[0] == "a.py"
    assert _files(searcher, ids, slope_meaning, [], even)[:3] == ["b.py", "c.py", "a.py"]  # no words: meaning's order


def test_meanings_files_are_not_lifted_by_many_near_matches_as_words_files_are(fused) -> None:
    """A file's units lie close together in cosine: a.py's two middling matches do not outweigh b.py's one better
    match in meaning's own file ranking (file_meaning_weight 0.25, chosen on the tuning half); at the words'
    share (file_weight 0.5) they did."""
    searcher, ids = fused
    meaning = [("b_fn", 0.70), ("alpha_one", 0.60), ("alpha_two", 0.58), ("c_fn", 0.40), ("d_fn", 0.39), ("e_fn", 0.38)]
    words = [("e_fn", 2.0)]  # words that found another file (with none, hybrid ranks as meaning alone)
    order = _files(searcher, ids, meaning, words)
    assert order.index("b.py") < order.index("a.py")
    as_words = searcher.options.with_(file_meaning_weight=searcher.options.file_weight)
    order = _files(searcher, ids, meaning, words, as_words)
    assert order.index("a.py") < order.index("b.py")


def test_hits_say_the_questions_list_weights_and_each_files_standing(fused) -> None:
    searcher, ids = fused
    meaning = [("alpha_one", 0.80), ("b_fn", 0.79), ("c_fn", 0.50), ("d_fn", 0.49)]
    words = [("alpha_two", 9.0), ("b_fn", 8.9), ("c_fn", 3.0)]
    ranked, _, signals = searcher.rank(QUESTION, "hybrid", [(ids[n], s) for n, s in meaning], [],
                                       [(ids[n], s) for n, s in words], [], searcher.options)
    first = signals[ranked[0].id]
    assert first["file_place"] == 1 and set(first["file_z"]) == {"semantic", "lexical"}
    assert {n: (d["weight"], d["files"]) for n, d in first["fusion"].items()} == {"semantic": (1.0, 4), "lexical": (1.5, 3)}
    assert all(signals[r.id]["fusion"] == first["fusion"] for r in ranked)
    for mode in ("lexical", "semantic"):  # each part alone is left as it was
        _, _, alone = searcher.rank(QUESTION, mode, [(ids[n], s) for n, s in meaning], [],
                                    [(ids[n], s) for n, s in words], [], searcher.options)
        assert not any("file_place" in s or "fusion" in s for s in alone.values())


def test_a_file_a_long_list_lacks_is_not_sunk_by_the_lists_length(fused) -> None:
    """The failure this floor fixed (jsoup "tag name lists used by the tree builder states"): words were sure of
    one file that the static tier's long list lacked; it scored as that list's last file, dozens of spreads down
    its tail, and fell out of the first ten. Now a file a list lacks scores as the list's depth-th file."""
    searcher, ids = fused
    opts = searcher.options.with_(file_fusion_depth=3)
    meaning = [("b_fn", 0.9), ("c_fn", 0.85), ("d_fn", 0.8), ("e_fn", 0.3), ("f_fn", 0.2), ("g_fn", 0.1), ("h_fn", 0.0)]
    words = [("alpha_two", 10.0), ("b_fn", 5.0), ("c_fn", 4.9)]
    assert _files(searcher, ids, meaning, words, opts)[0] == "a.py"
    before = _files(searcher, ids, meaning, words, opts.with_(file_floor_at_depth=False))
    assert before.index("a.py") > 3  # as the list's last: below every file both lists hold



def test_file_floor_scale_keeps_a_file_one_list_is_sure_of_from_being_sunk_by_the_list_that_lacks_it(fused) -> None:
    """fresh2's finding (jackson-core "write an int as decimal digits into a char array quickly"): meaning's first
    file stood far above its others, words lacked it and it scored as words' floor (x1.5), so it ended fifth.
    file_floor_scale 0 (a list lifts the files above its mean, pushes none down) keeps it first; the shipped 1
    does not (it lost on the held-out splits: benchmarks/results/fusion-onelist.md)."""
    searcher, ids = fused
    meaning = [("alpha_one", 0.9), ("b_fn", 0.5), ("c_fn", 0.5), ("d_fn", 0.5), ("e_fn", 0.5), ("f_fn", 0.5),
               ("g_fn", 0.5), ("h_fn", 0.5)]
    words = [("b_fn", 10.0), ("c_fn", 9.0), ("d_fn", 8.0), ("e_fn", 7.0), ("f_fn", 6.0), ("g_fn", 5.0), ("h_fn", 4.0)]
    assert searcher.options.file_floor_scale == 1.0
    assert _files(searcher, ids, meaning, words).index("a.py") == 2  # words' floor x1.5 holds it under their first two
    assert _files(searcher, ids, meaning, words, searcher.options.with_(file_floor_scale=0.0))[0] == "a.py"
    assert _files(searcher, ids, [], words, searcher.options.with_(file_floor_scale=0.0))[0] == "b.py"  # no meaning
    assert _files(searcher, ids, meaning, words, searcher.options.with_(file_keep_first_at=1))[0] == "a.py"
    assert _files(searcher, ids, meaning, words, searcher.options.with_(file_best_z_weight=1.0)).index("a.py") == 1

class _Given(Searcher):
    """A Searcher whose lists are given (a first index: no vector of the model yet, words and the static tier's
    rankings as set), over the real catalog, so only fusion and file ordering are under test."""

    words: list[tuple[int, float]] = []
    static_list: list[tuple[int, float]] = []

    def dense(self, terms, n, allowed):
        return []

    def lexical(self, terms, n, languages, allowed):
        return self.words[:n]

    def static_ranking(self, terms, n, allowed, opts):
        return [(f, s) for f, s in self.static_list if allowed is None or f in allowed][:n]


def test_the_static_tier_can_rerank_words_files_and_add_its_own_after_them(fused) -> None:
    """RankingOptions.static_reranks: the static tier orders the units words found (here it puts c.py before
    b.py) and what only it found (h.py, its first) follows every file words found; off, h.py comes before d.py, a file words found."""
    plain, ids = fused
    searcher = _Given(plain.store, None)
    searcher.words = [(ids[n], s) for n, s in [("alpha_two", 9.0), ("b_fn", 8.0), ("c_fn", 7.9), ("d_fn", 3.0)]]
    searcher.static_list = [(ids[n], s) for n, s in [("h_fn", 0.9), ("c_fn", 0.8), ("g_fn", 0.7), ("b_fn", 0.2),
                                                      ("alpha_two", 0.1), ("d_fn", 0.05)]]
    q = Query("how does the thing get done", k=10, mode="hybrid")
    searcher.options = plain.options.with_(static_reranks=True)
    hits = searcher.search(q)
    files = list(dict.fromkeys(h.path for h in hits))
    assert set(files[:4]) == {"a.py", "b.py", "c.py", "d.py"} and set(files[4:]) == {"h.py", "g.py"}
    assert files.index("c.py") < files.index("b.py")  # re-ordered by the static tier (words had b.py first)
    assert files.index("h.py") < files.index("g.py")  # the static tier's own units keep its order
    assert all(bool(h.signals.get("static_only")) == (h.path in ("h.py", "g.py")) for h in hits)
    assert hits[0].signals["fusion"]["semantic"]["reranks"] == "words' files"
    searcher.options = plain.options.with_(static_reranks=False)
    hits = searcher.search(q)
    files = list(dict.fromkeys(h.path for h in hits))
    assert files.index("h.py") < files.index("d.py") and not any("static_only" in h.signals for h in hits)
    assert "reranks" not in hits[0].signals["fusion"]["semantic"]


def test_words_keep_their_first_file_while_the_static_tier_stands_in(fused) -> None:
    """RankingOptions.words_keep_first_file (issue 24: hybrid with the static tier alone must not lose to words):
    words are sure-ish of a.py, the static tier sure of b.py; fused, b.py would lead. While the static tier
    stands in for the model, words' first file stays first and the static tier orders the files below it;
    once the model ranks (no static list), fusion decides as before."""
    plain, ids = fused
    searcher = _Given(plain.store, None)
    searcher.words = [(ids[n], s) for n, s in [("alpha_two", 9.0), ("b_fn", 8.5), ("c_fn", 8.0), ("d_fn", 7.9),
                                                ("e_fn", 7.8)]]
    searcher.static_list = [(ids[n], s) for n, s in [("b_fn", 0.95), ("h_fn", 0.5), ("e_fn", 0.45), ("d_fn", 0.4),
                                                      ("alpha_two", 0.1), ("c_fn", 0.05)]]
    q = Query("how does the thing get done", k=10, mode="hybrid")
    searcher.options = plain.options.with_(words_keep_first_file=False)
    assert searcher.search(q)[0].path == "b.py"
    searcher.options = plain.options
    hits = searcher.search(q)
    files = list(dict.fromkeys(h.path for h in hits))
    assert files[:2] == ["a.py", "b.py"] and "h.py" in files  # below it the static tier still orders and adds
    assert hits[0].signals["fusion"]["lexical"]["keeps_first"] == "a.py"
    assert "lexical weight 1.5, " in fusion_line(hits) and "keeps its first file first (a.py" in fusion_line(hits)
    meaning = [("b_fn", 0.95), ("h_fn", 0.5), ("e_fn", 0.45), ("d_fn", 0.4), ("alpha_two", 0.1), ("c_fn", 0.05)]
    words = [("alpha_two", 9.0), ("b_fn", 8.5), ("c_fn", 8.0), ("d_fn", 7.9), ("e_fn", 7.8)]
    assert _files(plain, ids, meaning, words)[0] == "b.py"  # the same lists from the model: fusion decides


def test_a_name_keeps_the_words_order(fused) -> None:
    searcher, ids = fused
    hits = searcher.search(Query("alpha_two", k=5, mode="hybrid"))
    assert hits[0].name == "alpha_two" and not any("file_place" in h.signals for h in hits)


# -- the pieces ----------------------------------------------------------------------------------------------
def test_standard_scores_and_fuse_files() -> None:
    z = standard_scores([("a", 3.0), ("b", 1.0), ("c", 1.0), ("d", 1.0)], depth=4)
    assert z["a"] == pytest.approx(3 ** 0.5) and z["b"] == pytest.approx(-(3 ** 0.5) / 3)
    assert standard_scores([("a", 2.0), ("b", 2.0)], depth=10) == {"a": 0.0, "b": 0.0}  # all alike: no say
    assert standard_scores([("a", 9.0), ("b", 1.0), ("c", 0.0)], depth=2) == {"a": 1.0, "b": -1.0, "c": -1.25}
    fused, per_file, trust = fuse_files([("semantic", 1.0, [("a", 0.9), ("b", 0.5), ("c", 0.5), ("d", 0.5)]),
                                         ("lexical", 2.0, [("b", 5.0), ("c", 4.0), ("d", 3.0)])], depth=10)
    assert [(t.name, t.weight, t.files) for t in trust] == [("semantic", 1.0, 4), ("lexical", 2.0, 3)]
    assert trust[0].top == pytest.approx(3 ** 0.5) and trust[1].top == pytest.approx(1.5 ** 0.5)
    assert per_file["a"] == {"semantic": pytest.approx(3 ** 0.5, abs=1e-3)}  # words lack a.py: it scores as their last
    assert fused["a"] == pytest.approx(3 ** 0.5 + 2.0 * -(1.5 ** 0.5))
    assert max(fused, key=fused.get) == "b"
    # a long list: a file it lacks, and one it ranks below its first `depth`, count as its depth-th file
    long = [("a", 9.0), ("b", 8.0), ("c", 7.0), ("d", 1.0), ("e", 0.0)]
    fused, per_file, trust = fuse_files([("semantic", 1.0, long), ("lexical", 1.0, [("x", 2.0), ("a", 1.0)])], depth=3)
    assert trust[0].floor == pytest.approx(-(1.5 ** 0.5)) and per_file["e"]["semantic"] == pytest.approx(-(1.5 ** 0.5), abs=1e-3)
    assert fused["x"] == pytest.approx(-(1.5 ** 0.5) + 1.0)
    fused, _, trust = fuse_files([("semantic", 1.0, long), ("lexical", 1.0, [("x", 2.0), ("a", 1.0)])], depth=3,
                                 floor_at_depth=False)
    assert trust[0].floor == pytest.approx((0.0 - 8.0) / (2 / 3) ** 0.5)  # its last: 9.8 spreads down its tail
    assert fused["x"] == pytest.approx(trust[0].floor + 1.0)


def test_a_short_list_of_files_scoring_alike_is_not_sure_of_its_first() -> None:
    """zeitwerk: "hot swap code without restarting": only "without" matched, in two files scoring 1.04 and 1.00; as
    standard scores those were +1 and -1, every other file at -1, and with the words' weight the first of the two
    beat meaning's clear first (Loader#reload). A short list's spread is at least a share of its mean."""
    meaning = ("semantic", 1.0, [("loader.rb", 0.24), ("cache.rb", 0.11), ("logger.rb", 0.10), ("urls.rb", 0.02)])
    words = ("lexical", 1.5, [("urls.rb", 1.043), ("paths.rb", 1.002)])
    spread_floor = RankingOptions().file_spread_floor
    fused, _, _ = fuse_files([meaning, words], depth=10, spread_floor=spread_floor)
    assert max(fused, key=fused.get) == "loader.rb"
    assert max(fuse_files([meaning, words], depth=10)[0].items(), key=lambda kv: kv[1])[0] == "urls.rb"  # no floor
    # a short list whose first file stands far above its second is as sure as ever; a long list is not touched
    apart = standard_scores([("a", 5.0), ("b", 1.0)], depth=10, spread_floor=spread_floor)
    assert apart == {"a": 1.0, "b": -1.0}
    long = [("a", 1.04), ("b", 1.0), ("c", 1.0), ("d", 1.0)]
    assert standard_scores(long, depth=10, spread_floor=spread_floor) == standard_scores(long, depth=10)


def test_list_files_scores_a_file_by_its_best_unit_and_what_the_others_add() -> None:
    files = list_files([("one.py", 1.0), ("many.py", 0.9), ("many.py", 0.8), ("many.py", 0.8)], weight=0.5)
    assert files == [("many.py", pytest.approx(0.9 + 0.5 * (0.4 + 0.2))), ("one.py", 1.0)]
    assert list_files([("one.py", 1.0), ("many.py", 0.9), ("many.py", 0.8)], weight=0.0)[0][0] == "one.py"


def _row(fid: int, path: str) -> FunctionRow:
    return FunctionRow(fid, path, "python", f"f{fid}", f"f{fid}", "function", fid, fid, 1, "", "", str(fid))


def test_place_files_orders_files_and_keeps_unit_scores_in_their_places() -> None:
    ranked = [_row(1, "n.py"), _row(2, "p.py"), _row(3, "q.py"), _row(4, "p.py"), _row(5, "r.py"), _row(6, "q.py")]
    scores = {1: 0.95, 2: 0.9, 3: 0.8, 4: 0.7, 5: 0.6, 6: 0.5}
    signals = {i: {} for i in scores}
    out = place_files(ranked, scores, signals, {"r.py": 3.0, "q.py": 2.0, "p.py": 1.0}, named={1})
    assert [r.id for r in out] == [1, 5, 3, 2, 4, 6]  # named first; then r, q, p as fused; p's second under p's first
    assert (scores[5], scores[3], scores[2], scores[4], scores[6]) == (0.9, 0.8, 0.6, 0.6, 0.5)
    assert {i: s.get("file_place") for i, s in signals.items()} == {1: None, 2: 3, 3: 2, 4: None, 5: 1, 6: None}


def _hit(fid: int, path: str, score: float, **signals) -> Hit:
    return Hit(id=fid, path=path, start_line=fid, end_line=fid, start_col=1, name=f"f{fid}", qualified_name=f"f{fid}",
               language="python", kind="function", score=score, code="", docstring="", signals=signals)


def test_files_of_a_fused_answer_keep_its_order() -> None:
    """`--files` on a hybrid answer lists files as the hits do, not re-scored from the functions' own scores."""
    hits = [_hit(5, "r.py", 0.9, file_place=1), _hit(3, "q.py", 0.8, file_place=2), _hit(2, "p.py", 0.6, file_place=3),
            _hit(4, "p.py", 0.6), _hit(6, "q.py", 0.5)]
    files = rank_files(hits, 3)
    assert [(f.path, f.best) for f in files] == [("r.py", "f5"), ("q.py", "f3"), ("p.py", "f2")]
    assert [f.score for f in files] == [0.9, 0.8, 0.6]
    # the best unit's lines, named as a unit result's JSON names them (`--files --json` had `line` only: probe 228)
    assert [(f.to_dict()["start_line"], f.to_dict()["end_line"]) for f in files] == [(5, 5), (3, 3), (2, 2)]


def _order(fused: dict[str, float]) -> list[str]:
    return sorted(fused, key=lambda p: -fused[p])


def test_a_lists_sure_first_file_keeps_a_high_place() -> None:
    """Meaning is sure of m.py (far above its second); words lack it and share their weight over four files."""
    meaning = ("semantic", 1.0, [("m.py", 9.0), ("a.py", 2.0), ("b.py", 1.9), ("c.py", 1.8), ("d.py", 1.7)])
    words = ("lexical", 1.5, [("a.py", 5.0), ("b.py", 4.9), ("c.py", 4.8), ("d.py", 4.7), ("e.py", 1.0)])
    fused, _, _ = fuse_files([meaning, words], depth=10)
    assert _order(fused).index("m.py") == 4  # averaged away: fifth, as jackson-core's NumberOutput
    kept, _, _ = fuse_files([meaning, words], depth=10, keep_first_at=2)
    assert _order(kept)[:3] == ["a.py", "m.py", "b.py"] and kept["a.py"] == fused["a.py"]
    assert _order(fuse_files([meaning, words], depth=10, keep_first_at=1)[0])[0] == "m.py"
    margin = standard_scores(meaning[2], 10)
    sure = margin["m.py"] - margin["a.py"]
    assert _order(fuse_files([meaning, words], depth=10, keep_first_at=2, keep_first_margin=sure + 0.01)[0]) == _order(fused)
    assert _order(fuse_files([meaning, words], depth=10, keep_first_at=2, keep_first_margin=sure - 0.01)[0])[1] == "m.py"
    best, _, _ = fuse_files([meaning, words], depth=10, best_z_weight=1.0)
    assert best["m.py"] == pytest.approx(fused["m.py"] + margin["m.py"])
    assert _order(best).index("m.py") < 4


def test_a_words_list_holding_one_file_counts_for_it() -> None:
    """chalk: "colour depth detection on CI servers" matched one file's words only (`'CI' in env`); that list's spread
    is none, so its file stood at 0 like every other and the list had no say (the file ended fourth)."""
    meaning = [("convert.js", 0.50), ("env.js", 0.48), ("index.js", 0.30), ("util.js", 0.28)]
    fused, _, trust = fuse_files([("semantic", 1.0, meaning), ("lexical", 1.5, [("env.js", 4.2)])], 10, single_z=1.0)
    assert max(fused, key=fused.get) == "env.js" and trust[1].top == trust[0].top - trust[0].floor and trust[1].floor == 0.0
    fused, _, _ = fuse_files([("semantic", 1.0, meaning), ("lexical", 1.5, [("env.js", 4.2)])], 10, single_z=0.0)
    assert max(fused, key=fused.get) == "convert.js"  # off: the list says nothing


def test_the_only_file_holding_the_words_is_not_buried_by_a_list_that_matched_nothing() -> None:
    """rest-client: "interactive shell" is said by bin/restclient's usage line only; the model's list, every cosine
    weak (0.26 down), put that file 15th, at its floor, and 14 files it ranked above their mean came first (the only
    file stood one spread up: probe 175). It stands as far above the others as the model's best file does."""
    meaning = [(f"lib/f{i}.rb", 0.256 - 0.008 * i) for i in range(14)] + [("bin/restclient", 0.136)]
    fused, _, trust = fuse_files([("semantic", 1.0, meaning), ("lexical", 1.5, [("bin/restclient", 5.3)])], 10,
                                 single_z=1.0, spread_floor=0.5)
    assert _order(fused)[0] == "bin/restclient", trust
    # the words' weight falls with how few of the question's words the file holds: a third of them, it is not first
    fused, _, _ = fuse_files([("semantic", 1.0, meaning), ("lexical", 0.5, [("bin/restclient", 5.3)])], 10,
                             single_z=1.0, spread_floor=0.5)
    assert _order(fused)[0] == "lib/f0.rb"
    # a model list whose files all score alike stands none above another: the only file still counts one spread (review)
    flat = [(f"lib/f{i}.rb", 0.5) for i in range(12)]
    fused, _, trust = fuse_files([("semantic", 1.0, flat), ("lexical", 1.5, [("shell.rb", 3.1)])], 10, single_z=1.0)
    assert _order(fused)[0] == "shell.rb" and trust[1].top == 1.0


def test_a_question_whose_words_find_nothing_ranks_as_meaning_alone(tmp_path, tiny_embedder) -> None:
    """jsonschema: "Prüfe ob ein Datum gültig ist" found no words, semantic mode put _format.py first, and hybrid a
    test file: a file's further meaning matches counted less in hybrid's file fusion than in meaning's own order."""
    from conftest import indexed_files, write_modules

    root = write_modules(tmp_path / "repo", files=6, per_file=5)
    (root / "tests").mkdir()
    (root / "tests" / "test_suite.py").write_text("def test_bench(x):\n    return x\n")
    with indexed_files(root, {}, tiny_embedder) as idx:
        question = "Prüfe ob ein Datum gültig ist"
        assert idx.search(Query(question, k=10, mode="lexical")) == []
        hybrid = [(h.path, h.qualified_name) for h in idx.search(Query(question, k=10, mode="hybrid"))]
        meaning = [(h.path, h.qualified_name) for h in idx.search(Query(question, k=10, mode="semantic"))]
    assert hybrid == meaning


def test_a_test_file_never_leads_hybrid_above_the_main_file_meaning_is_sure_of(tmp_path, tiny_embedder) -> None:
    """pino: "redact sensitive fields from log output" put test/basic.test.js (`{ test: 'sensitive info' }`) first,
    above lib/redaction.js, meaning's first (probes 56, 57, 60): held down x0.7, the test still led the words' list.
    (The code here says none of the question's words: "redact" would now meet a `redaction` it said, as its noun.)"""
    from dataclasses import replace

    from codesearch.search.ranking import RankingOptions

    files = {"lib/censor.js": "function censorPaths(opts) {\n  const paths = opts.paths\n  return mask(paths)\n}\n",
             "lib/levels.js": "function levels(mapping) {\n  return log(Object.keys(mapping))\n}\n",
             "lib/time.js": "function epochTime() {\n  return log.time(Date.now())\n}\n",
             "lib/caller.js": "function caller(output) {\n  return output.stack\n}\n",
             "lib/fields.js": "function pick(fields) {\n  return fields.slice(1)\n}\n",
             "test/basic.test.js": "test('strip a field', () => {\n  instance.info({ test: 'sensitive info' })\n"
                                   "  check(sensitive.fields, log.output)\n})\n"}

    class SureMeaning(Searcher):  # the model's list, as MiniLM ranks it: the redaction code first
        def dense(self, terms, n, allowed):
            ids = dict(self.store.catalog.db.execute("SELECT path, id FROM functions WHERE kind != 'module'"))
            return [(ids["lib/censor.js"], 0.9), (ids["test/basic.test.js"], 0.5), (ids["lib/levels.js"], 0.45),
                    (ids["lib/time.js"], 0.4), (ids["lib/caller.js"], 0.35), (ids["lib/fields.js"], 0.3)]

    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        def first(held_below_main: int) -> str:
            opts = replace(RankingOptions(), held_below_main=held_below_main)
            return SureMeaning(idx.store, tiny_embedder, opts).search(Query("redact sensitive fields from log output", k=5))[0].path

        assert first(RankingOptions().held_below_main) == "lib/censor.js"
        assert first(0) == "test/basic.test.js"  # the fixture bites: without the rule the test leads


def test_a_held_down_file_both_lists_lead_stays_first(tmp_path, tiny_embedder) -> None:
    """gorilla/websocket: "broadcast a message to every connected client" put conn.go's Dial (no word of it) above
    examples/chat/hub.go, first by meaning and second by words; chalk's source/vendor/ converters came below index.js
    alike (probes 62, 63): a held-down file among both lists' first two (held_free_within) is not capped."""
    from dataclasses import replace

    from codesearch.search.ranking import RankingOptions

    files = {"conn.go": "package wire\n\n// Dial opens a framed connection to addr.\nfunc Dial(addr string) (*Conn, error) {\n"
                        "\treturn open(addr)\n}\n",
             "frame.go": "package wire\n\n// WriteFrame writes a message to a client.\nfunc WriteFrame(client *Conn, "
                         "message []byte) error {\n\treturn client.write(message)\n}\n",
             "examples/chat/hub.go": "package main\n\n// run fans every message out to the connected clients.\n"
                                     "func (h *Hub) run() {\n\tfor message := range h.broadcast {\n"
                                     "\t\tfor client := range h.clients {\n\t\t\tclient.send <- message\n\t\t}\n\t}\n}\n"}

    class SureMeaning(Searcher):  # the model's list, as MiniLM ranks it: the hub first
        def dense(self, terms, n, allowed):
            ids = dict(self.store.catalog.db.execute("SELECT path, id FROM functions WHERE kind != 'module'"))
            return [(ids["examples/chat/hub.go"], 0.6), (ids["conn.go"], 0.5), (ids["frame.go"], 0.2)]

    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        def first(within: int) -> str:
            opts = replace(RankingOptions(), held_free_within=within)
            question = Query("broadcast a message to every connected client", k=5)
            return SureMeaning(idx.store, tiny_embedder, opts).search(question)[0].path

        assert first(RankingOptions().held_free_within) == "examples/chat/hub.go"
        assert first(0) != "examples/chat/hub.go"  # the fixture bites: held below the best main file


def test_a_held_down_files_further_units_come_after_every_other_files_first(tmp_path, tiny_embedder) -> None:
    """loguru: "rotate the log file at a given time of day" listed 8 of tests/test_filesink_rotation.py's tests at
    one score (each capped at its file's place) above the main files' further units; parse_daytime came 11th
    (probe 84). A held-down file shows its best unit in its place, its others once every file has shown its best."""
    tests = "".join(f"def test_rotate_log_file_at_time_of_day_{n}(tmp_path):\n    logger.add(tmp_path, rotation='{n}')\n"
                    f"    assert rotated(tmp_path, 'the log file is rotated at the given time of day')\n\n"
                    for n in ("midnight", "noon", "evening", "morning", "dawn", "dusk"))
    files = {"mylog/rotation.py": "class TimeRotation:\n    def __call__(self, message, file):\n"
                                  "        return message.time >= self.limit\n",
             "mylog/daytime.py": "def parse_daytime(text):\n    # Parse a time of day: monday at 12:00.\n"
                                 "    return text.partition(' at ')\n",
             "mylog/files.py": "def rename_with_date(path, when):\n    # Rename the old log file with its date.\n"
                               "    return path, when\n",
             "tests/test_rotation.py": tests}

    class SureMeaning(Searcher):  # the model's list, as MiniLM ranks it: the rotation first, its tests next
        def dense(self, terms, n, allowed):
            rows = list(self.store.catalog.db.execute("SELECT path, id FROM functions WHERE kind != 'module' ORDER BY id"))
            order = {"mylog/rotation.py": 0, "tests/test_rotation.py": 1, "mylog/daytime.py": 2, "mylog/files.py": 3}
            rows.sort(key=lambda r: order.get(r[0], 9))
            return [(fid, 0.9 - i / 50) for i, (_, fid) in enumerate(rows)]

    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hits = SureMeaning(idx.store, tiny_embedder).search(Query("rotate the log file at a given time of day", k=10))
    paths = [h.path for h in hits]
    seconds = [i for i, p in enumerate(paths) if p == "tests/test_rotation.py"][1:]
    firsts = [paths.index(p) for p in set(paths) if not p.startswith("tests/")]
    assert seconds and max(firsts) < min(seconds), paths


def test_a_words_list_holding_only_a_common_word_weighs_little(tmp_path, tiny_embedder) -> None:
    """json-simple: "deserialze a json strng" matched only "json", in nearly every unit; that flat words list still
    outweighed meaning's first file (Jsoner.java) at full weight (probes 58, 59). A words list whose first unit holds
    little of the question's weight (idf) weighs less (coverage_full). (The question here says words the code never
    says: a typing slip of its words would now be read as them.)"""
    from dataclasses import replace

    from codesearch.search.ranking import RankingOptions

    files = {f"lib/json_{name}.js": f"function {name}Json(value) {{\n  return json.{name}(value)\n}}\n"
             for name in ("write", "escape", "quote", "pretty", "format")}
    files["lib/jsoner.js"] = "function deserialize(text) {\n  return readValue(text)\n}\n"

    class SureMeaning(Searcher):  # the model's list, as MiniLM ranks it: the deserializer first
        def dense(self, terms, n, allowed):
            ids = dict(self.store.catalog.db.execute("SELECT path, id FROM functions WHERE kind != 'module'"))
            return [(ids["lib/jsoner.js"], 0.9)] + [(ids[p], 0.5 - i / 100) for i, p in enumerate(sorted(files))
                                                   if p != "lib/jsoner.js"]

    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        def first(coverage_full: float) -> str:
            opts = replace(RankingOptions(), coverage_full=coverage_full)
            return SureMeaning(idx.store, tiny_embedder, opts).search(Query("unmarshal a json document", k=5))[0].path

        assert first(RankingOptions().coverage_full) == "lib/jsoner.js"
        assert first(0.0) != "lib/jsoner.js"  # the fixture bites: at full weight the words' flat list leads


def test_a_name_in_hybrid_widens_past_held_down_files_as_lexical_does(tmp_path, tiny_embedder) -> None:
    """ajv's `KeywordCxt`: 80 `dist/*.d.ts` imports filled the words' pool, so hybrid showed nine declaration files
    after the class while lexical mode (and hybrid with -k 100) showed its uses in lib/ (probe 57): meaning's units
    trail the words' for a name, and counting them as main code stopped the pool from widening."""
    files = {"lib/context.ts": "export class KeywordCxt {\n  readonly keyword: string\n  constructor(keyword: string) {\n"
                               "    this.keyword = keyword\n  }\n  fail(message: string): void {\n"
                               "    throw new Error(this.keyword + message)\n  }\n}\n"}
    for i in range(1, 9):
        files[f"lib/rule{i}.ts"] = (
            f'import {{KeywordCxt}} from "./context"\nexport function checkRule{i}(cxt: KeywordCxt, value: number, '
            f"limit: number): void {{\n  const scaled = value * {i} + limit\n  if (scaled > limit * 2) {{\n"
            f'    cxt.fail("value too large for rule {i}, got " + String(scaled))\n  }}\n  const again = scaled - limit\n'
            f"  if (again < 0) {{\n    cxt.fail('negative')\n  }}\n}}\n")
    for i in range(1, 81):
        files[f"dist/mod{i}.d.ts"] = (f'import type {{ KeywordCxt }} from "../lib/context";\n'
                                      f"export declare function handler{i}(cxt: KeywordCxt): void;\n")
    for i in range(1, 61):
        files[f"lib/util{i}.ts"] = (f"export function helper{i}(items: string[], sep: string): string {{\n"
                                    f"  return items.map((x) => x.trim() + '{i}').join(sep)\n}}\n")
    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        hybrid = idx.search(Query("KeywordCxt", k=10, mode="hybrid"))
        lexical = idx.search(Query("KeywordCxt", k=10, mode="lexical"))
    uses = lambda hits: sum(h.path.startswith("lib/rule") for h in hits)  # noqa: E731
    assert hybrid[0].path == "lib/context.ts" and uses(lexical) >= 5
    assert uses(hybrid) >= uses(lexical) - 1


def test_a_rare_name_in_hybrid_asks_each_list_once(tmp_path, tiny_embedder) -> None:
    """The widening above stops when the words' list has nothing more to give: a name with a few word hits once
    asked meaning three times (pools 50, 200, 800: review of the widening)."""
    files = {f"lib/m{i}.py": f"def helper_{i}(x):\n    return x + {i}\n" for i in range(120)}
    files["lib/rare.py"] = "def zorblax_quux(x):\n    return x\n"

    class Counted(Searcher):
        pools: list[int] = []

        def dense(self, terms, n, allowed):
            self.pools.append(n)
            return super().dense(terms, n, allowed)

    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        searcher = Counted(idx.store, tiny_embedder)
        assert searcher.search(Query("zorblax_quux", k=10, mode="hybrid"))[0].name == "zorblax_quux"
    assert len(searcher.pools) == 1


def test_a_test_both_lists_lead_is_still_held_below_the_main_code(tmp_path, tiny_embedder) -> None:
    """fatih/color: "compare two colors for equality" put color_test.go's TestColor first, first by words and second
    by meaning of the package's three files, above `Color.Equals`, meaning's first (probe 116): the files both lists
    lead are freed from being held down when they are examples or vendored code, not tests nobody asked for."""
    files = {"color.go": "package color\n\n// Equals reports whether two colors hold the same attributes.\n"
                         "func (c *Color) Equals(c2 *Color) bool {\n\treturn same(c.params, c2.params)\n}\n",
             "doc.go": "package color\n\n// New returns a color with the given attributes.\nfunc New(p ...int) *Color {\n"
                       "\treturn &Color{params: p}\n}\n",
             "color_test.go": "package color\n\nimport \"testing\"\n\n// Each test compares colors for equality with "
                              "the expected colors.\nfunc TestColor(t *testing.T) {\n\tif !New(1).Equals(New(1)) {\n"
                              "\t\tt.Error(\"colors differ: compare equality\")\n\t}\n}\n"}

    class SureMeaning(Searcher):  # the model's list, as MiniLM ranks it: Equals first, the test second
        def dense(self, terms, n, allowed):
            ids = dict(self.store.catalog.db.execute("SELECT path, id FROM functions WHERE kind != 'module'"))
            return [(ids["color.go"], 0.69), (ids["color_test.go"], 0.5), (ids["doc.go"], 0.2)]

    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        lexical = idx.search(Query("compare two colors for equality", k=3, mode="lexical"))
        hits = SureMeaning(idx.store, tiny_embedder, RankingOptions()).search(Query("compare two colors for equality", k=3))
    assert lexical[0].path == "color_test.go"  # the fixture bites: words lead with the test
    assert hits[0].path == "color.go", [(h.path, h.name) for h in hits]


def test_the_unit_both_lists_put_first_has_its_file_first(tmp_path, tiny_embedder) -> None:
    """diff-lcs: "how is the longest common subsequence computed" put lcs.rb, many small wrappers that say it, above
    internals.rb, whose Internals.lcs both lists put first (probe 131; css-selector's converter, probe 134): file
    fusion summed the wrappers. The unit first by meaning and by words has its file first (agreed_first)."""
    from dataclasses import replace

    from codesearch.search.ranking import RankingOptions
    from codesearch.search.searcher import _agreed_first

    wrappers = "".join(f"def {name}(a, b):\n    \"\"\"The longest common subsequence of a and b computed, {what}.\"\"\"\n"
                       f"    return internals.lcs(a, b)\n\n\n" for name, what in (
                           ("lcs", "as a list"), ("diff", "as changes"), ("sdiff", "side by side"),
                           ("traverse", "walked"), ("patch", "applied"), ("unpatch", "undone"), ("balanced", "balanced"),
                           ("hunks", "as hunks"), ("changes", "as a change list"), ("matches", "as matches")))
    files = {"lcs/api.py": "from . import internals\n\n\n" + wrappers,
             "lcs/internals.py": "def walk_table(a, b):\n    \"\"\"How the longest common subsequence is computed: the "
                                 "longest common subsequence of two sequences, computed from a table.\"\"\"\n    table = {}\n    for i, x in "
                                 "enumerate(a):\n        table[i] = x\n    return table\n",
             **{f"lcs/other{i}.py": f"def helper{i}(x):\n    \"\"\"A value computed for the common case {i}.\"\"\"\n"
                                    f"    return x\n" for i in range(4)}}

    class SureMeaning(Searcher):  # the model's list: the computation first, then the wrappers
        def dense(self, terms, n, allowed):
            rows = list(self.store.catalog.db.execute("SELECT id, path, name FROM functions WHERE kind != 'module'"))
            first = [fid for fid, path, _ in rows if path == "lcs/internals.py"]
            return [(fid, 0.7) for fid in first] + [(fid, 0.699 - i / 10000) for i, (fid, path, _) in enumerate(rows)
                                                     if path == "lcs/api.py"]

    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        def first(agreed: bool) -> tuple[str, int | None]:
            opts = replace(RankingOptions(), agreed_first=agreed)
            hit = SureMeaning(idx.store, tiny_embedder, opts).search(
                Query("how is the longest common subsequence computed", k=5))[0]
            return hit.path, hit.lexical_rank

        assert first(True) == ("lcs/internals.py", 1)
        assert first(False)[0] == "lcs/api.py"  # the fixture bites: the wrappers' file leads without the rule
    assert _agreed_first([("semantic", 1.0, [(7, 0.9)]), ("lexical", 1.0, [(7, 3.0)])], {7: (0.7, {})}) is None  # a test's
    assert _agreed_first([("semantic", 1.0, [(7, 0.9)]), ("lexical", 0.0, [(7, 3.0)])], {}) is None  # one list weighed


def test_a_held_file_leading_every_list_before_its_rule_lowers_it_is_freed(tmp_path, tiny_embedder) -> None:
    """multi_json: "decode unicode escape sequences and surrogate pairs in a string literal" put the adapter's `load`
    above the bundled okjson.rb's `unquote`, first by meaning and by words (probe 129): the vendored factor lowered it
    below two main files in a list before the rule that frees what both lists lead looked (held_free_raw)."""
    from dataclasses import replace

    from codesearch.search.ranking import RankingOptions

    files = {"lib/multi_json/vendor/okjson.rb": "module OkJson\n  # Decodes unicode escape sequences and surrogate pairs "
                                               "in a string literal.\n  def unquote(q)\n    q.gsub(/\\\\u/) { |m| m }\n"
                                               "  end\nend\n",
             "lib/multi_json/adapters/ok_json.rb": "class OkJsonAdapter\n  # Loads a string literal with the bundled "
                                                   "parser.\n  def load(string)\n    OkJson.decode(string)\n  end\nend\n",
             "lib/multi_json/convertible.rb": "module Convertible\n  # Converts unicode keys in a string.\n"
                                              "  def convert(string)\n    string.to_s\n  end\nend\n"}

    class SureMeaning(Searcher):  # the model's list: unquote first, the main files just below it
        def dense(self, terms, n, allowed):
            ids = dict(self.store.catalog.db.execute("SELECT path, id FROM functions WHERE kind = 'method'"))
            return [(ids["lib/multi_json/vendor/okjson.rb"], 0.7), (ids["lib/multi_json/adapters/ok_json.rb"], 0.6),
                    (ids["lib/multi_json/convertible.rb"], 0.58)]

    with indexed_files(tmp_path, files, tiny_embedder) as idx:
        def first(raw: bool) -> str:
            opts = replace(RankingOptions(), held_free_raw=raw)
            question = Query("decode unicode escape sequences and surrogate pairs in a string literal", k=5)
            return SureMeaning(idx.store, tiny_embedder, opts).search(question)[0].path

        assert first(True) == "lib/multi_json/vendor/okjson.rb"
        assert first(False) != "lib/multi_json/vendor/okjson.rb"  # the fixture bites: held below the main files


def test_files_of_named_units_keep_the_order_the_hits_put_them_in() -> None:
    """jsonpath-ng: `raise JsonPathParserError('Parse error near the end of string!')` put parser.py (the line pasted)
    first and exceptions.py (the class it names) second; `--files` swapped them, ordering by how each was named
    before where the hits put it (probe 229)."""
    hits = [_hit(1, "parser.py", 1.467, symbol="quoted"), _hit(2, "exceptions.py", 1.467, symbol="exact"),
            _hit(3, "other.py", 0.9)]
    assert [f.path for f in rank_files(hits, 3)] == ["parser.py", "exceptions.py", "other.py"]
    named_later = [_hit(3, "other.py", 2.0), _hit(2, "exceptions.py", 1.0, symbol="exact")]
    assert [f.path for f in rank_files(named_later, 2)] == ["exceptions.py", "other.py"]  # named still first
