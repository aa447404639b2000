"""A word in most of a repository's names (commons-pool's "pool" and "object": in 76 % of its units' names) says
nothing about which unit a question asks for: holding it gives no name or path boost, so the unit the question's
other words point at comes first (probe 54: "pre-populate the pool with a number of objects" found
BaseGenericObjectPool.getCreatedCount, and every *ObjectPool* unit, above PoolUtils.prefill)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from codesearch.config import Config
from codesearch.engine import Index
from codesearch.query import Query
from codesearch.search.ranking import RankingOptions
from codesearch.search.searcher import Searcher

# a pool library: "pool" and "widget" in the names of most of its units, more than common_name_min of them
STATS = ("created", "active", "idle", "borrowed", "returned", "destroyed", "max_total", "min_idle", "wait", "evicted",
         "tested", "invalid", "leased", "waiters", "keys", "size", "capacity", "mean_wait", "peak", "timeouts")
POOL = "class WidgetPool:\n" + "".join(f"    def pool_{s}_count(self):\n        return self.{s}\n\n" for s in STATS) + (
    "\nclass KeyedWidgetPool(WidgetPool):\n    def pool_keys(self):\n        return list(self.keys)\n")
UTILS = '''def prefill(target, count):
    """Create count widgets up front and add them."""
    for _ in range(count):
        target.add_object()


def describe(target):
    return repr(target)
'''


@pytest.fixture(scope="module")
def store(tmp_path_factory, tiny_embedder):
    root: Path = tmp_path_factory.mktemp("common") / "repo"
    (root / "pool").mkdir(parents=True)
    (root / "pool" / "widget_pool.py").write_text(POOL)
    (root / "pool" / "utils.py").write_text(UTILS)
    (root / "tests").mkdir()  # "test" in the names of as many units as "pool"
    (root / "tests" / "test_stats.py").write_text("".join(f"def test_{s}():\n    assert stat('{s}') >= 0\n\n\n" for s in STATS))
    with Index.create(root, Config(), embedder=tiny_embedder) as index:
        index.sync()
        yield index.store


def _signals(store, question: str, share: float) -> dict[str, dict]:
    opts = replace(RankingOptions(), common_name_share=share)
    return {h.qualified_name: h.signals for h in Searcher(store, None, opts).search(Query(question, k=50, mode="lexical"))}


def test_a_word_in_most_names_lifts_none_of_them(store) -> None:
    signals = _signals(store, "add widgets to the pool and count them", RankingOptions().common_name_share)
    assert "prefill" in signals
    for name in ("WidgetPool", "WidgetPool.pool_created_count", "WidgetPool.pool_peak_count"):
        assert signals[name].get("name_match", 0.0) == 0.0 and signals[name].get("path_match", 0.0) == 0.0, name


def test_a_word_few_names_hold_still_lifts_them(store) -> None:
    assert _signals(store, "prefill pool", RankingOptions().common_name_share)["prefill"]["name_match"] == 0.5


def test_with_the_rule_off_the_common_words_lift(store) -> None:
    """The fixture bites: "widget" and "pool" are in the pool classes' names."""
    assert _signals(store, "add widgets to the pool and count them", 0.0)["WidgetPool.pool_created_count"]["name_match"] > 0.6


def test_a_word_asking_for_tests_lifts_their_names_however_common(store) -> None:
    """"test" is in a test suite's every name, and what a question asking for tests wants (tests.json: 0.7608 ->
    0.7460 when it counted as common)."""
    signals = _signals(store, "tests of the peak count", RankingOptions().common_name_share)
    assert signals["test_peak"]["name_match"] > 0.6
