"""The CodeSearchNet benchmark's arithmetic and reader (its figures are only as good as these)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCH))

import codesearchnet as csn  # noqa: E402

DATA = Path(__file__).parents[1] / "fixtures" / "csn"


def test_mrr_of_known_ranks() -> None:
    assert csn.mrr([1, 1, 1]) == 1.0
    assert csn.mrr([1, 2, 4]) == pytest.approx((1 + 0.5 + 0.25) / 3)


def test_batches_are_searched_through_the_engine(tmp_path: Path) -> None:
    records = csn.read_examples(DATA, "python")
    ranks = csn.engine_ranks(records, "python", "lexical", csn.LexicalOnly(), tmp_path / "batch")
    assert ranks == [2.0, 1, 1]  # the first query shares no word with its code: it shares the tail
    assert sorted(p.name for p in (tmp_path / "batch").glob("c*.py")) == ["c00000.py", "c00001.py", "c00002.py"]
    copy = [*records, dict(records[1], url="copy")]  # a copy collapses into its twin: found at the twin's rank
    assert csn.engine_ranks(copy, "python", "lexical", csn.LexicalOnly(), tmp_path / "copies")[1:] == [1, 1, 1]


def test_candidates_become_parseable_files() -> None:
    from codesearch.parse.parsing import parse_source

    java = csn.candidate_source({"code": "public int size() { return n; }"}, "java")
    assert [u.name for u in parse_source(java.encode(), "java") if u.kind in csn.FUNCTION_KINDS] == ["size"]
    php = csn.candidate_source({"code": "function size($a) { return count($a); }"}, "php")
    assert [u.name for u in parse_source(php.encode(), "php") if u.kind in csn.FUNCTION_KINDS] == ["size"]


def test_batches_of_1000_with_a_fixed_seed() -> None:
    groups = csn.batches(2500, "batch1000")
    assert [len(g) for g in groups] == [1000, 1000]  # the remainder is dropped
    assert groups == csn.batches(2500, "batch1000")  # same seed, same batches
    assert len(set(groups[0]) | set(groups[1])) == 2000
    assert [len(g) for g in csn.batches(300, "batch1000")] == [300]
    assert [len(g) for g in csn.batches(2500, "full")] == [2500]


def test_lexical_rank_shares_the_tail() -> None:
    assert csn.lexical_rank([3, 1], 1, 10) == 2
    assert csn.lexical_rank([3, 1], 5, 10) == 2 + (10 - 2 + 1) / 2


def test_reader_and_lexical_run_on_an_official_layout_sample(tmp_path: Path) -> None:
    records = csn.read_examples(DATA, "python")
    assert len(records) == 3 and csn.query_text(records[0]) == "Read the settings file"
    cmd = [sys.executable, str(BENCH / "codesearchnet.py"), "--data", str(DATA), "--languages", "python",
           "--mode", "lexical", "--out", str(tmp_path), "--json"]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    scores = json.loads(result.stdout)
    # "Read the settings file" shares no word with its code, nor an abbreviation of one (it said "configuration"
    # until questions met `config`): it matches nothing, so its answer shares the ranks after the (zero)
    # matches: (3 + 1) / 2 = 2; the other two are found first.
    assert scores["python"] == pytest.approx(100 * (1 + 1 + 0.5) / 3, abs=0.01)
    assert list(tmp_path.glob("csn-*.csv"))


def test_from_source_strips_the_doc_from_the_candidate(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    (src / "m.py").write_text('def load(path):\n    """Load the settings file from disk.\n\n    More.\n    """\n    return open(path).read()\n\n'
                              'def tiny():\n    """Too short."""\n    return 1\n')
    counts = csn.build_from_source([f"python={src}"], tmp_path / "out")
    assert counts == {"python": 1}
    (rec,) = csn.read_examples(tmp_path / "out", "python")
    assert csn.query_text(rec) == "Load the settings file from disk ."
    assert "settings" not in rec["code"] and "return open(path).read()" in rec["code"]


def test_a_run_of_one_language_keeps_the_other_languages_rows(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    out.mkdir()
    csv_path = out / "csn-lexical_FTS5_bm25_-lexical-batch1000.csv"
    csv_path.write_text("language,examples,mrr,paper_udever_560m\ngo,2000,80.00,75.38\npython,5,1.00,96.23\navg,,40.50,76.73\n")
    assert csn.earlier_rows(csv_path) == {"go": (2000, 80.0), "python": (5, 1.0)}
    monkeypatch.setattr(sys, "argv", ["codesearchnet.py", "--data", str(DATA), "--languages", "python", "--mode", "lexical",
                                      "--out", str(out), "--cache", str(tmp_path / "cache"), "--json"])
    csn.main()
    rows = {k: v for k, v in csn.earlier_rows(csv_path).items()}
    python = 100 * (1 + 1 + 0.5) / 3
    assert rows["go"] == (2000, 80.0) and rows["python"][0] == 3 and rows["python"][1] == pytest.approx(python, abs=0.01)
    avg = next(line for line in csv_path.read_text().splitlines() if line.startswith("avg"))
    assert float(avg.split(",")[2]) == pytest.approx((80.0 + python) / 2, abs=0.01)
