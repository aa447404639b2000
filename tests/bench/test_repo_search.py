"""The whole-repository benchmark's corpus surgery and arithmetic (its figures are only as good as these)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCH))

import repo_search as rs  # noqa: E402

from codesearch.query import Hit  # noqa: E402
from codesearch.parse.sources import read_units  # noqa: E402

PY = '''import os


def load_settings(path, default=None):
    """Load the settings file from disk and merge the defaults.

    More text here.
    """
    return open(path).read()


def tiny():
    """Too short."""
    return 1
'''
GO = '''package cfg

// ParseConfig reads the configuration bytes into a settings map.
// It never fails.
func ParseConfig(b []byte) map[string]string {
	return nil
}
'''
JAVA = '''package a;

class Store {
    /**
     * Returns the value stored under the given key.
     * @param key the key
     */
    @Override
    public String get(String key) { return key; }
}
'''


@pytest.mark.parametrize("rel,language,text,name", [
    ("m.py", "python", PY, "load_settings"), ("cfg/c.go", "go", GO, "ParseConfig"), ("a/Store.java", "java", JAVA, "Store.get"),
])
def test_copy_blanks_docs_without_moving_lines(tmp_path: Path, rel: str, language: str, text: str, name: str) -> None:
    src = tmp_path / "src"
    (src / rel).parent.mkdir(parents=True)
    (src / rel).write_text(text)
    targets, hand, n = rs.build_copy(src, language, tmp_path / "copy", 10, 100, [])
    assert [t.name for t in targets] == [name] and n >= 1
    copied = (tmp_path / "copy" / rel).read_text()
    assert len(copied.split("\n")) == len(text.split("\n"))
    assert all(len(a) == len(b) for a, b in zip(copied.split("\n"), text.split("\n")))
    first = rs.first_sentence(next(u for u in read_units(src / rel, rel, language) if u.qualified_name == name).docstring)
    assert targets[0].query == first and len(first.split()) >= rs.MIN_WORDS
    assert first.split()[1] not in copied  # the query's words are gone from the copy
    before = {u.qualified_name: u.start_line for u in read_units(src / rel, rel, language)}
    after = {u.qualified_name: u.start_line for u in read_units(tmp_path / "copy" / rel, rel, language)}
    assert before == after and targets[0].spans == ((before[name], targets[0].spans[0][1]),)


def test_first_sentence_drops_tags_and_later_sentences() -> None:
    assert rs.first_sentence("Reads the file. Then more.") == "Reads the file."
    assert rs.first_sentence("Reads the\nwhole file\n@param x the x") == "Reads the whole file"


def test_hand_queries_name_functions_in_their_files(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "m.py").write_text(PY)
    _, hand, _ = rs.build_copy(src, "python", tmp_path / "copy", 0, 1, [{"query": "q", "path": "m.py", "name": "tiny"}])
    assert hand[0].spans == ((12, 14),)
    with pytest.raises(SystemExit, match="no nothing"):
        rs.build_copy(src, "python", tmp_path / "c2", 0, 1, [{"query": "q", "path": "m.py", "name": "nothing"}])


def test_hand_query_files_are_valid_json_with_20_questions() -> None:
    for path in sorted((BENCH / "queries").glob("*.json")):
        queries = json.loads(path.read_text())
        assert len(queries) >= 20, path
        assert all({"query", "path", "name"} <= set(q) for q in queries)


def _hit(path: str, start: int, end: int) -> Hit:
    return Hit(id=start, path=path, start_line=start, end_line=end, start_col=1, name="f", qualified_name="f",
               language="python", kind="function", score=1.0, code="", docstring="")


def test_ranks_by_line_overlap_and_scores() -> None:
    t = rs.Target("q", "a.py", ((10, 20),), "f")
    assert rs.function_rank([_hit("a.py", 1, 5), _hit("b.py", 10, 20), _hit("a.py", 12, 20)], t) == 3
    assert rs.function_rank([_hit("a.py", 21, 30)], t) is None
    assert rs.function_rank([_hit("a.py", 1, 100), _hit("a.py", 12, 22)], t) == 2  # an enclosing function is not it
    s = rs.scores([1, 2, None, 11])
    assert s["mrr"] == pytest.approx(100 * 1.5 / 4) and s["recall"] == 50.0
    assert s["ndcg"] == pytest.approx(100 * (1 + 1 / 1.5849625) / 4, rel=1e-5)


def test_names_are_respelled_for_the_identifier_set() -> None:
    assert rs.respelled("Store.parseConfig") == "parse_config"
    assert rs.respelled("retry_request") == "retryRequest"
    assert rs.respelled("Cart#total_price") == "totalPrice"
    assert rs.respelled("load") is None
    (t,) = rs.name_targets([rs.Target("q", "a.go", ((1, 2),), "ParseConfig"), rs.Target("q", "b.go", ((1, 2),), "Get")])
    assert (t.query, t.path) == ("parse_config", "a.go")


def test_minified_files_give_no_targets(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.js").write_text("/** Returns the sum of the two given numbers. */\nfunction add(a, b) { return a + b; }\n")
    (src / "b.min.js").write_text("/** Returns the product of the two given numbers. */\nfunction mul(a,b){return a*b}" + ";" * 600 + "\n")
    targets, _, _ = rs.build_copy(src, "javascript", tmp_path / "copy", 10, 100, [])
    assert [t.path for t in targets] == ["a.js"]


def _tuning(scores: dict[str, float]) -> dict:
    """A fake tuning run: every grid setting at 50 on every query set, except those given."""
    row = lambda v: {qs: {"function": {"mrr": v}} for qs in ("sentences", "hand", "names")}  # noqa: E731
    return {"ruby": {"configs": {name: row(scores.get(name, 50.0)) for name, _, _ in rs.configs("tune", rs.RankingOptions())}}}


def test_tuning_grid_holds_the_current_default() -> None:
    d = rs.RankingOptions()
    assert rs.grid_name(d.non_main_factor, d.name_weight, d.pool) in {n for n, _, _ in rs.configs("tune", d)}


def test_a_default_moves_only_for_a_gain_above_noise() -> None:
    d = rs.RankingOptions()
    default = rs.grid_name(d.non_main_factor, d.name_weight, d.pool)
    other = rs.grid_name(1.0, 0.1, 50)
    small = rs.selection(_tuning({default: 60.0, other: 60.0 + rs.MIN_GAIN / 2}))
    assert small["best"] == other and small["chosen"]["non_main_factor"] == d.non_main_factor
    big = rs.selection(_tuning({default: 60.0, other: 60.0 + 2 * rs.MIN_GAIN}))
    assert big["chosen"] == {"pool": 50, "non_main_factor": 1.0, "name_weight": 0.1, "path_weight": 0.05}


def test_selection_counts_each_query_set_once() -> None:
    row = {"sentences": {"function": {"mrr": 30.0}}, "hand": {"function": {"mrr": 60.0}}, "names": {"function": {"mrr": 90.0}}}
    assert rs.selection_score(row) == 60.0
    assert rs.selection_score({"sentences": {"function": {"mrr": 30.0}}}) == 30.0
