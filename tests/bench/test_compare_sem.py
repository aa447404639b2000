"""The side by side with sem: reading sem's output and index file, its environment's path file, the corpus copy,
the pseudo-terminal timing of a full-screen answer, and the run's arithmetic. No sem install, no network."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCH))

import compare_sem as cs  # noqa: E402
from compare_sem import Run  # noqa: E402

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "sem" / "tiny.embeddings"

SEM_STDOUT = """Extracting functions from /tmp/sem-compare-x/flask
Embedding 1406 functions in 44 batches. This is done once and cached in .embeddings
"""


def test_sem_count_is_read_from_what_sem_prints():
    assert cs.parse_sem_count(SEM_STDOUT) == 1406
    with pytest.raises(ValueError, match="no 'Embedding N functions' line"):
        cs.parse_sem_count("No supported languages found in /tmp/x. Exiting\n")


def test_sem_index_file_is_counted_without_unpickling():
    """4 records (the key strings are fetched from the memo after the first) and a 4 x 384 tensor."""
    assert cs.count_sem_embeddings(FIXTURE) == (4, 4, 384)


def test_sem_index_file_without_a_tensor_is_an_error(tmp_path):
    import gzip
    import pickletools

    stripped = gzip.decompress(FIXTURE.read_bytes())
    cut = next(pos for op, arg, pos in pickletools.genops(stripped) if arg == "embeddings")
    (tmp_path / "e").write_bytes(gzip.compress(stripped[:cut] + b"."))  # the records, then STOP
    with pytest.raises(ValueError, match="no 2-d tensor"):
        cs.count_sem_embeddings(tmp_path / "e")


def test_host_dirs_are_where_modules_are_imported_from(tmp_path, monkeypatch):
    (tmp_path / "pkg_a").mkdir()
    (tmp_path / "pkg_a" / "__init__.py").write_text("")
    (tmp_path / "mod_b.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    dirs = cs.host_site_dirs(("pkg_a", "mod_b"))
    assert dirs == [tmp_path]  # a package's folder's parent, a module's folder, once
    assert cs.pth_text(dirs + [Path("/x/y")]) == f"{tmp_path}\n/x/y\n"
    with pytest.raises(SystemExit, match="not importable"):
        cs.host_site_dirs(("no_such_module_here_at_all",))


def test_corpus_copy_is_a_git_repository_of_the_sources_only(tmp_path):
    src = tmp_path / "src"
    (src / "pkg").mkdir(parents=True)
    (src / "pkg" / "a.py").write_text("def f():\n    return 1\n")
    (src / "b.go").write_text("func G() int { return 1 }\n")
    (src / ".codesearch").mkdir()
    (src / ".codesearch" / "catalog.sqlite").write_text("old index")
    (src / ".embeddings").write_text("old sem index")
    repo = cs.git_copy(src, tmp_path / "copy")
    assert sorted(cs._git_files(repo)) == ["b.go", "pkg/a.py"]
    assert not (repo / ".codesearch").exists() and not (repo / ".embeddings").exists()
    dirty = subprocess.run(["git", "-C", str(repo), "status", "--porcelain"], capture_output=True, text=True).stdout
    assert dirty == ""  # committed: `git ls-files` lists it all


FAKE_SEM = """
import sys, time, tty
tty.setraw(0)  # as prompt-toolkit does before it draws
time.sleep(0.3)
sys.stdout.write("Results for query 'q':\\r\\n   0.512 a.py:3\\r\\n"); sys.stdout.flush()
while sys.stdin.read(1) != "q":  # sem's list ignores other keys
    pass
"""


def _fake(tmp_path: Path, body: str) -> Path:
    exe = tmp_path / "sem"
    exe.write_text(f"#!{sys.executable}\n" + textwrap.dedent(body))
    exe.chmod(0o755)
    return exe


def test_sem_query_is_timed_until_its_list_is_drawn_then_left_with_q(tmp_path):
    exe = _fake(tmp_path, FAKE_SEM)
    seconds = cs.sem_query(exe, tmp_path, tmp_path, "q", {"PATH": "/usr/bin:/bin"}, timeout=20)
    assert 0.3 <= seconds < 20


def test_sem_query_that_will_not_leave_its_list_is_an_error(tmp_path):
    exe = _fake(tmp_path, FAKE_SEM.replace('!= "q"', '!= "never"'))
    with pytest.raises(SystemExit, match="did not leave"):
        cs.sem_query(exe, tmp_path, tmp_path, "q", {"PATH": "/usr/bin:/bin"}, timeout=20, leave_s=0.2)


def test_sem_query_that_draws_nothing_is_an_error_with_its_output(tmp_path):
    exe = _fake(tmp_path, "print('provide a query')\nraise SystemExit(1)\n")
    with pytest.raises(SystemExit, match="sem drew no results.*provide a query"):
        cs.sem_query(exe, tmp_path, tmp_path, "q", {"PATH": "/usr/bin:/bin"}, timeout=20)


def test_rounds_alternate_and_the_summary_is_medians_and_ratios():
    assert [cs.order_of(n)[0] for n in (1, 2, 3, 4)] == ["sem", "codesearch", "sem", "codesearch"]
    runs = {"sem": [Run(20, 10, 900), Run(30, 12, 900), Run(25, 11, 900)],
            "codesearch": [Run(10, 3, 950), Run(16, 5, 950), Run(11, 4, 950)]}
    med = cs.summary(runs)
    assert (med["sem_index"], med["codesearch_index"], med["sem_query"], med["codesearch_query"]) == (25, 11, 11, 4)
    assert med["index_ratio"] == pytest.approx(11 / 25) and med["query_ratio"] == pytest.approx(4 / 11)


def test_a_busy_machine_is_called_noisy():
    assert cs.load_note([0.4, 1.2]).startswith("quiet")
    assert cs.load_note([0.4, 1.6]).startswith("NOISY") and "1.60" in cs.load_note([0.4, 1.6])


def test_a_run_is_timed_with_its_own_and_its_childrens_cpu_seconds():
    spin = "import subprocess, sys, time\nt = time.process_time()\nwhile time.process_time() - t < 0.3: pass\n"
    child = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {spin!r}])\n" + spin
    done, wall, cpu = cs.timed_run([sys.executable, "-c", child])
    assert done.returncode == 0
    assert cpu >= 0.6  # the process's 0.3 s and its child's 0.3 s of CPU, both counted
