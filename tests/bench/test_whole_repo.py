"""The whole-repository benchmark's scoring arithmetic and the shape of its pinned corpus and questions.

Whether every target exists in the pinned sources needs the downloads: `python benchmarks/repos.py` checks it.
"""

from __future__ import annotations

import json
import math
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCH))

import repos  # noqa: E402
import whole_repo as wr  # noqa: E402


@dataclass
class H:
    path: str
    start_line: int
    end_line: int


def q(*targets, category="semantic"):
    return {"query": "x", "category": category, "targets": [{"path": p, "lines": [a, b]} for p, a, b in targets]}


def test_ndcg_binary_gains_with_ideal_cut_at_the_number_of_targets():
    # one target at rank 3: 1/log2(4) over an ideal of 1
    assert wr.ndcg([0, 0, 1], relevant=1) == pytest.approx(0.5)
    # two targets at ranks 1 and 3, ideal = ranks 1 and 2
    assert wr.ndcg([1, 0, 1], relevant=2) == pytest.approx((1 + 0.5) / (1 + 1 / math.log2(3)))
    # twelve targets: the ideal holds ten, so ten hits in the top ten is perfect
    assert wr.ndcg([1] * 10, relevant=12) == pytest.approx(1.0)
    # past the cut-off counts nothing
    assert wr.ndcg([0] * 10 + [1], relevant=1) == 0.0


def test_mrr_and_recall_at_ten():
    assert wr.mrr([0, 0, 0, 1]) == pytest.approx(0.25)
    assert wr.mrr([0] * 10 + [1]) == 0.0
    assert wr.recall([1, 0, 1], relevant=4) == pytest.approx(0.5)


def test_unit_hits_overlap_a_target_and_each_target_counts_once():
    spans = [("a.py", 10, 20)]
    hits = [H("a.py", 1, 9), H("a.py", 15, 40), H("a.py", 12, 13), H("b.py", 10, 20)]
    assert wr.unit_gains(hits, spans) == [0, 1, 0, 0]  # touching is not overlapping; the second overlap is a repeat


def test_score_question_file_and_unit_levels():
    question = q(("a.py", 10, 20), ("b.py", 5, 6))
    hits = [H("c.py", 1, 5), H("a.py", 30, 40), H("b.py", 1, 7), H("a.py", 10, 12)]
    s = wr.score_question(hits, question)
    # files in order: c, a, b -> relevant at ranks 2 and 3, ideal ranks 1 and 2
    ideal = 1 + 1 / math.log2(3)
    assert s["file"]["ndcg"] == pytest.approx((1 / math.log2(3) + 1 / math.log2(4)) / ideal)
    assert s["file"]["mrr"] == pytest.approx(0.5)
    assert s["file"]["recall"] == 1.0
    # units: b.py:1-7 (rank 3) and a.py:10-12 (rank 4) overlap the two targets
    assert s["unit"]["ndcg"] == pytest.approx((1 / math.log2(4) + 1 / math.log2(5)) / ideal)
    assert s["unit"]["mrr"] == pytest.approx(1 / 3)


def test_score_questions_takes_any_search_callable_and_means_weigh_repositories_equally():
    questions = [q(("a.py", 1, 2)), q(("b.py", 1, 2), category="symbol")]
    rows = wr.score_questions(lambda text: [H("a.py", 1, 2)], questions)
    assert [r["file"]["mrr"] for r in rows] == [1.0, 0.0]
    per_repo = {"requests": rows, "express": rows[:1]}
    by = {n: repos.BY_NAME[n] for n in per_repo}
    # requests: mean 0.5; express: 1.0 -> 0.75 over repositories (not 2/3 over questions)
    assert wr.group_means(per_repo, by)["file"]["mrr"] == pytest.approx(0.75)
    assert wr.group_means(per_repo, by, category="symbol")["repos"] == 1
    assert wr.group_means(per_repo, by, language="go") is None


def test_pinned_corpus_covers_seven_languages_in_two_balanced_splits():
    assert len(repos.PINNED) >= 20
    assert len(set(repos.BY_NAME)) == len(repos.PINNED)
    for lang in repos.LANGUAGES:
        splits = Counter(r.split for r in repos.PINNED if r.language == lang)
        assert splits["tune"] >= 1 and splits["report"] >= 1, lang
    for r in repos.PINNED:
        assert r.split in repos.SPLITS + repos.EXTRA_SPLITS and r.source in ("pypi", "npm", "deb", "debsrc")
        assert len(r.sha256) == 64 and int(r.sha256, 16) >= 0, r.name


def test_split_all_keeps_meaning_tune_and_report_and_fresh_is_chosen_by_name():
    fresh = {r.name for r in repos.PINNED if r.split == "fresh"}
    assert fresh, "the fresh split holds the repositories added as a newcomer meets them"
    assert not fresh & {r.name for r in repos.selected(None, "all")}  # earlier figures stay comparable
    assert {r.name for r in repos.selected(None, "fresh")} == fresh
    one = sorted(fresh)[0]
    assert [r.name for r in repos.selected(one, "all")] == [one]  # a named repository is taken whatever its split


@pytest.mark.parametrize("path", sorted((BENCH / "queries" / "repos").glob("*.json")), ids=lambda p: p.stem)
def test_question_files_are_well_formed(path):
    doc = json.loads(path.read_text(encoding="utf-8"))
    repo = repos.BY_NAME[doc["repo"]]
    assert (doc["language"], doc["split"], doc["version"]) == (repo.language, repo.split, repo.version)
    seen = set()
    for question in doc["questions"]:
        assert question["query"].strip() and question["query"] not in seen
        seen.add(question["query"])
        assert question["category"] in repos.CATEGORIES
        assert question["targets"]
        for t in question["targets"]:
            assert not Path(t["path"]).is_absolute() and ".." not in Path(t["path"]).parts
            first, last = t["lines"]
            assert isinstance(first, int) and 1 <= first <= last
    cats = Counter(q["category"] for q in doc["questions"])
    assert len(doc["questions"]) >= 20 and all(cats[c] >= 3 for c in repos.CATEGORIES), cats


def test_saved_parts_of_a_run_merge_and_different_models_refuse():
    row = {"query": "x", "category": "symbol", "file": {"ndcg": 1.0, "mrr": 1.0, "recall": 1.0},
           "unit": {"ndcg": 0.0, "mrr": 0.0, "recall": 0.0}}
    part = lambda name, model: {"model": model, "files": "hits", "date": "d", "machine": "m",  # noqa: E731
                                "repos": {name: {"language": "python", "split": "tune", "questions": 1, "units": 1}},
                                "scores": {"hybrid": {name: [row]}}}
    merged = wr.merge_runs([part("requests", "minilm"), part("flask", "minilm")])
    assert list(merged["repos"]) == ["requests", "flask"] and list(merged["scores"]["hybrid"]) == ["requests", "flask"]
    assert "| flask | python |" in wr.render(merged)
    with pytest.raises(SystemExit):
        wr.merge_runs([part("requests", "minilm"), part("flask", "udever-560m")])
