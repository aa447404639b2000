"""`codesearch chunks` end to end through the real console script, and the golden repository."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

GOLDEN = Path(__file__).parents[1] / "fixtures" / "sample_repo.golden.json"


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-c", "from codesearch.cli import main; main()", *args]
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=120)


def _summary(units: list[dict]) -> list[str]:
    return [f"{u['path']}:{u['start_line']}-{u['end_line']} {u['kind']} {u['qualified_name']} | {u['docstring']}" for u in units]


def test_golden_sample_repository(sample_repo: Path) -> None:
    result = _run("chunks", "--json", ".", cwd=sample_repo)
    assert result.returncode == 0, result.stderr
    units = json.loads(result.stdout)
    for u in units:
        assert {"path", "language", "name", "qualified_name", "kind", "start_line", "end_line", "docstring", "code"} <= set(u)
    expected = json.loads(GOLDEN.read_text())
    got = _summary(units)
    assert got == expected, "\n".join(["golden diff (expected -> got):", *sorted(set(expected) ^ set(got))])
    assert "ignored" in result.stderr  # vendor/ and *.min.js were skipped and counted


def test_bad_path_is_one_line_and_exit_2(tmp_path: Path) -> None:
    result = _run("chunks", str(tmp_path / "missing"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "no such file" in result.stderr and "Traceback" not in result.stderr


def test_of_several_paths_the_readable_ones_are_shown_and_the_others_said(tmp_path: Path) -> None:
    """`chunks lib/mash.rb notes.txt` printed only notes.txt's error: a path it cannot show hid the ones it can."""
    (tmp_path / "m.py").write_text("def hello():\n    return 1\n")
    (tmp_path / "notes.txt").write_text("hello\n")
    result = _run("chunks", str(tmp_path / "m.py"), str(tmp_path / "notes.txt"), str(tmp_path / "gone.py"))
    assert result.returncode == 2 and "function    hello" in result.stdout
    assert result.stderr.count("\n") == 1 and "notes.txt: not a" in result.stderr and "gone.py" in result.stderr
    assert "a `#!` line naming one" in result.stderr  # an extensionless file given is read by its `#!` line


def test_single_file_human_output(tmp_path: Path) -> None:
    f = tmp_path / "m.py"
    f.write_text('def hello():\n    """Say hello."""\n    return 1\n')
    result = _run("chunks", str(f))
    assert result.returncode == 0
    assert result.stdout.strip().endswith("function    hello  — Say hello.")


def test_the_human_output_says_what_a_module_piece_or_type_binds(tmp_path: Path) -> None:
    f = tmp_path / "m.py"
    f.write_text('TIMEOUT = 5\nRETRIES = 3\n\n\nclass Retry:\n    BACKOFF = 2\n\n    def wait(self):\n        return 1\n')
    result = _run("chunks", str(f))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].endswith("module      m  binds TIMEOUT, RETRIES")
    assert lines[1].endswith("type        Retry  binds BACKOFF")
    data = json.loads(_run("chunks", "--json", str(f)).stdout)
    assert data[0]["binds"][0] == {"name": "TIMEOUT", "first_line": 1, "last_line": 1, "col": 1, "text": "TIMEOUT = 5"}
    assert [b["name"] for b in data[0]["binds"]] == ["TIMEOUT", "RETRIES"]


def test_the_human_output_shows_a_docs_first_line_that_says_something(tmp_path: Path) -> None:
    """FastRoute's `simpleDispatcher` was summarised as "@param callable $routeDefinitionCallback"."""
    f = tmp_path / "d.php"
    f.write_text("<?php\n/**\n * @param callable $routeDefinitionCallback\n */\nfunction simpleDispatcher($cb) {\n"
                 "    return $cb;\n}\n/**\n * {@inheritDoc}\n *\n * Builds a dispatcher.\n */\nfunction cached($o) {\n"
                 "    return $o;\n}\n/**\n * @see #run(CommandLine, java.util.Map,\n *      ResultHandler)\n */\n"
                 "function run($o) {\n    return $o;\n}\n")
    lines = _run("chunks", str(f)).stdout.splitlines()
    assert lines[1].endswith("function    simpleDispatcher") and lines[2].endswith("cached  — Builds a dispatcher.")
    assert lines[3].endswith("function    run")  # commons-exec: a tag's second line was the summary


def test_a_folder_without_source_files_is_said(tmp_path: Path) -> None:
    """`chunks docs/` on a folder of text printed nothing and exited 0."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("hello\n")
    result = _run("chunks", str(tmp_path / "docs"))
    assert result.returncode == 2 and "no Go, Ruby" in result.stderr and result.stdout == ""


def test_a_javadoc_that_opens_with_a_tag_is_summed_up_by_its_words(tmp_path: Path) -> None:
    """XOM's Serializer.java: nearly every unit was shown as "— <p>", its javadoc's first line (probe 103)."""
    f = tmp_path / "Serializer.java"
    f.write_text("public class Serializer {\n    /**\n     * <p>\n     * Writes the <code>Document</code> out as XML.\n"
                 "     * </p>\n     */\n    public void write(Document doc) {\n        flush();\n    }\n}\n")
    result = _run("chunks", str(f))
    assert result.returncode == 0, result.stderr
    assert "write  — Writes the Document out as XML." in result.stdout, result.stdout
    from codesearch.cli.commands import doc_summary  # a generic type is no tag (review)
    assert doc_summary("Returns a Map<String, Integer> of counts.") == "Returns a Map<String, Integer> of counts."
    assert doc_summary("Compares a<b and c>d.") == "Compares a<b and c>d."
    # an RDoc heading names the unit again: its words follow (coderay's `= FileType`: probe 198)
    assert doc_summary("= FileType\n\nA simple filetype recognizer.") == "A simple filetype recognizer."
    assert doc_summary("== x compared") == ""
    assert doc_summary("==x is kept") == "==x is kept"


def test_repo_option_names_the_repository_and_its_relative_paths(sample_repo: Path, tmp_path: Path) -> None:
    """`chunks --repo R` as every other command takes it; PATHS after it are R's (no such option: probe 224)."""
    whole = _run("chunks", "--json", ".", cwd=sample_repo)
    by_repo = _run("chunks", "--json", "--repo", str(sample_repo), cwd=tmp_path)
    assert by_repo.returncode == 0, by_repo.stderr
    assert _summary(json.loads(by_repo.stdout)) == _summary(json.loads(whole.stdout))
    one = next(u["path"] for u in json.loads(whole.stdout))
    part = _run("chunks", "--json", "--repo", str(sample_repo), one, cwd=tmp_path)
    assert part.returncode == 0, part.stderr
    assert {u["path"] for u in json.loads(part.stdout)} and all(one in u["path"] for u in json.loads(part.stdout))
    # a path typed from here (`chunks --repo min/gen min/gen/dist/x.js` read min/gen/min/gen/...: probe 231)
    here = _run("chunks", "--json", "--repo", sample_repo.name, f"{sample_repo.name}/{one}", cwd=sample_repo.parent)
    assert here.returncode == 0, here.stderr
    assert [u["path"] for u in json.loads(here.stdout)] == [u["path"] for u in json.loads(part.stdout)]
