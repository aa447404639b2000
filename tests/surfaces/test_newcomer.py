"""What a newcomer hits first (issue 25): install line, model errors, quick-start, exit codes, options,
notes on stderr, empty and read-only repositories, progress words, snippets. Real CLI, real index."""

from __future__ import annotations

import dataclasses

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest

from codesearch.cli import cli
from codesearch.config import Config
from codesearch.engine import Index
from tests.conftest import cli_run, run_cli

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text()
CPU_INDEX = "--extra-index-url https://download.pytorch.org/whl/cpu"


def _setup_commands() -> list[str]:
    """The README's two set-up commands (the first two sh blocks of "Set up on a fresh machine")."""
    section = README.split("## Set up on a fresh machine", 1)[1]
    return re.findall(r"```sh\n(python3 -m venv [^\n]+)\n```", section)[:2]


def test_readme_install_line_takes_torch_from_the_cpu_index_and_ci_runs_it() -> None:
    commands = _setup_commands()
    assert len(commands) == 2
    for command in commands:
        torch_step = next(step for step in command.split(" && ") if "torch" in step)
        assert torch_step == f"pip install torch==2.13.0 {CPU_INDEX}"  # PyPI's Linux torch pulls CUDA wheels
    ci = (REPO / ".ci" / "run").read_text()
    assert f"pip install -q torch==2.13.0 {CPU_INDEX}" in ci  # CI runs the README's line, not an easier one
    tools = [line for line in README.splitlines() if line.startswith(("pipx install", "uv tool install"))]
    assert len(tools) == 2  # an isolated install, each pinning torch and taking it from the CPU index
    assert all("torch==2.13.0" in line and "https://download.pytorch.org/whl/cpu" in line for line in tools)


def test_readme_quick_start_question_is_not_a_string_in_the_sources() -> None:
    """The quick-start query's first hit was the TUI's placeholder: the question must not be quoted verbatim."""
    question = re.search(r'codesearch query "([^"]+)"', _setup_commands()[0]).group(1).lower()
    sources = [p for d in ("codesearch", "tui", "benchmarks", "editors") for p in (REPO / d).rglob("*")
               if p.suffix in (".py", ".lua") and p.is_file()]
    assert sources and not [p for p in sources if question in p.read_text(encoding="utf-8").lower()]


# -- options, help, exit codes ---------------------------------------------------------------------------
def _commands(group: click.Group, prefix: tuple[str, ...] = ()):
    for name, command in group.commands.items():
        yield prefix + (name,), command
        if isinstance(command, click.Group):
            yield from _commands(command, prefix + (name,))


def test_dash_h_works_for_every_command() -> None:
    for path, _ in [((), cli), *_commands(cli)]:
        done = cli_run(*path, "-h")
        assert done.returncode == 0 and "Usage:" in done.stdout, (path, done.stderr)


def test_the_repository_option_has_one_name_and_old_spellings_still_work(indexed: Path, tmp_path: Path) -> None:
    for path, command in _commands(cli):
        visible = {opt for p in command.params if isinstance(p, click.Option) and not p.hidden for opt in p.opts}
        assert not visible & {"--root", "--in"}, path  # the repository is --repo everywhere
        if path in (("cache", "export"), ("cache", "import")):
            assert "--path" not in visible  # --path is query's glob, nowhere a repository
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    for option in ("--repo", "--in"):
        done = cli_run("query", "--json", "--mode", "lexical", option, str(indexed), "load config", cwd=elsewhere)
        assert done.returncode == 0 and "load_config" in done.stdout, done.stderr
    status = cli_run("status", "--json", "--repo", str(indexed), cwd=elsewhere)
    assert status.returncode == 0 and json.loads(status.stdout)["root"] == str(indexed)
    bundle = tmp_path / "v.csbundle"
    assert cli_run("cache", "export", str(bundle), "--path", str(indexed), cwd=elsewhere).returncode == 0


def test_query_joins_unquoted_words_and_exits_1_when_nothing_matches(indexed: Path) -> None:
    from codesearch.cli.fast import parse

    done = cli_run("query", "--mode", "lexical", "--json", "load", "the", "configuration", cwd=indexed)
    assert done.returncode == 0 and json.loads(done.stdout)[0]["name"] == "load_config", done.stderr
    assert parse(["query", "where", "are", "redirects", "followed"])[1] == "where are redirects followed"
    nothing = cli_run("query", "--mode", "lexical", "zzqx", "wvvk", cwd=indexed)
    assert nothing.returncode == 1 and nothing.stdout == "" and "no results" in nothing.stderr
    assert cli_run("query", "--mode", "lexical", "--json", "zzqx", cwd=indexed).returncode == 1


def test_a_question_starting_with_a_dash_is_searched_and_an_unknown_option_says_how(indexed: Path) -> None:
    """probe 189: a PHP chain pasted, `->setCode(Uuid::INVALID_VARIANT_ERROR)`, was "No such option: ->" (exit 2), and
    a flag searched for, "--force flag", too; a word shaped like no option is text. A mistyped option still fails,
    and says how to search for it."""
    pasted = cli_run("query", "--mode", "lexical", "--json", "->load_config(path)", cwd=indexed)
    assert pasted.returncode == 0 and json.loads(pasted.stdout)[0]["name"] == "load_config", pasted.stderr
    flag = cli_run("query", "-k", "2", "--config file", "--mode", "lexical", "--json", cwd=indexed)
    assert flag.returncode == 0 and len(json.loads(flag.stdout)) <= 2, flag.stderr
    typo = cli_run("query", "--jsno", "load", cwd=indexed)
    assert typo.returncode == 2 and "No such option '--jsno'" in typo.stderr and "codesearch query -- " not in typo.stderr
    # the hint puts the options first and shows the word as typed: followed with `--repo` after the text, the
    # options were searched for (probe 289)
    assert "codesearch query [OPTIONS] -- '--jsno'" in typo.stderr, typo.stderr
    valued = cli_run("query", "--workers=2", "--mode", "lexical", cwd=indexed)
    assert valued.returncode == 2 and "codesearch query [OPTIONS] -- '--workers=2'" in valued.stderr, valued.stderr


def test_model_list_shows_every_alias_with_its_state() -> None:
    out = cli_run("model", "list").stdout
    for alias in ("udever-560m", "udever-1b1", "udever-3b", "udever-7b1", "minilm"):
        assert re.search(rf"^{alias}\s", out, re.M), out
    assert "not downloaded: `codesearch model download udever-1b1`" in out
    assert re.search(r"^minilm .*ready .*works offline", out, re.M)


# -- the recorded model, and what works offline --------------------------------------------------------
@pytest.fixture
def indexed(sample_repo: Path, tiny_bloom: Path) -> Path:
    """The sample repository indexed with the tiny BLOOM (recorded as a folder outside the repository)."""
    done = cli_run("index", "-q", "--model", str(tiny_bloom), cwd=sample_repo)
    assert done.returncode == 0, done.stderr
    return sample_repo


def test_embed_model_show_and_cache_import_read_the_recorded_model(indexed: Path, tiny_bloom: Path, tmp_path: Path) -> None:
    embed = cli_run("embed", "--json", "hello", cwd=indexed)  # offline: the default udever is not here
    assert embed.returncode == 0 and f"model: {tiny_bloom}" in embed.stderr, embed.stderr
    show = cli_run("model", "show", cwd=indexed)
    assert show.returncode == 0 and f"path: {tiny_bloom}" in show.stdout, show.stderr
    bundle = tmp_path / "vectors.csbundle"
    assert cli_run("cache", "export", str(bundle), cwd=indexed).returncode == 0
    fresh = tmp_path / "fresh-clone"
    fresh.mkdir()
    moved = tmp_path / "model-elsewhere"  # the model is not on the importing machine: nothing resolves it
    shutil.move(str(tiny_bloom), moved)
    try:
        done = cli_run("cache", "import", str(bundle), cwd=fresh)
    finally:
        shutil.move(str(moved), tiny_bloom)
    assert done.returncode == 0 and "(8 in the bundle)" in done.stdout, done.stderr


def test_cache_import_refuses_an_untrusted_index_folder(indexed: Path, tmp_path: Path) -> None:
    """A cloned repository's .codesearch is never read, not even for its model name (issue 22 step 7)."""
    bundle = tmp_path / "vectors.csbundle"
    assert cli_run("cache", "export", str(bundle), cwd=indexed).returncode == 0
    stranger = tmp_path / "cloned"
    shutil.copytree(indexed, stranger)
    record = stranger / ".codesearch" / "trust.json"  # another user's record: its MAC is not under our secret
    data = json.loads(record.read_text())
    record.write_text(json.dumps({**data, "mac": "0" * len(data["mac"])}))
    done = cli_run("cache", "import", str(bundle), cwd=stranger)
    assert done.returncode != 0 and "codesearch index" in done.stderr and "imported" not in done.stdout


def test_one_cache_root_for_models_and_shared_embeddings(monkeypatch, tmp_path: Path) -> None:
    from codesearch.models.cache import models_dir
    from codesearch.store.embedcache import SharedCache

    monkeypatch.setenv("CODESEARCH_CACHE_DIR", str(tmp_path / "mine"))
    shared = SharedCache.for_config(Config())
    try:
        assert shared.path.parent == tmp_path / "mine" == models_dir().parent
    finally:
        shared.close()


def test_a_bad_model_in_a_new_folder_says_what_works_offline_and_leaves_nothing(tmp_path: Path) -> None:
    repo = tmp_path / "new"
    repo.mkdir()
    (repo / "a.py").write_text("def f():\n    return 1\n")
    for model in ("nobody/nothing", "./no-such-folder"):
        done = cli_run("index", "--model", model, cwd=repo)
        assert done.returncode == 2 and "--model minilm" in done.stderr and "codesearch model download" in done.stderr
        assert not (repo / ".codesearch").exists(), model


# -- notes on stderr -------------------------------------------------------------------------------------
def test_non_english_questions_are_detected() -> None:
    from codesearch.query import language_note, looks_non_english

    for text in ("如何处理重定向", "Как обрабатываются редиректы", "¿dónde se siguen las redirecciones?",
                 "wo werden die Weiterleitungen verfolgt", "comment sont suivies les redirections",
                 "Cache aus Datei laden", "Wiederholung bei Fehlern",  # short: one function word, no accent
                 # "in" is German too, "die" English; words and noun endings of the language say it (probe 55)
                 "Wort in die Mehrzahl umwandeln", "Passwort in der Datenbank speichern", "convertir palabra en plural",
                 "Wiederholung fehlgeschlagener Anfragen mit Wartezeit",
                 "comprobar si un valor corresponde a un tipo de token",  # no warning, "si" and "un" searched (probe 79)
                 "Alle Dokumente zählen, die einer Abfrage entsprechen",  # no warning either (probe 99)
                 "Kommentare am Zeilenende entfernen", "Werte in Anführungszeichen einlesen",  # probe 155
                 # two words, or no accent and no function word; ideographs beside names (probes 166, 167)
                 "Cache komplett leeren", "Zeitzone setzen", "Auftrag löschen", "cancelar un trabajo programado",
                 "把 HTML 字符串解析成 DOMDocument", "HTML 文字列を DOMDocument に変換する",
                 "Kante zwischen zwei Knoten neu verbinden"):  # no accent, no noun ending (probe 255)
        assert looks_non_english(text), text
    for text in ("where are redirects followed", "parseConfig", "retry failed http calls", "def café()", "el paso lookup",
                 "des encryption key", "sin cos tan", "es module build", "MIT license header check",
                 "los angeles timezone lookup", "die with an error", "in the database", "text encoding detection",
                 "heading levels", "binding update hooks", "der encoding in certificates", "ist timezone in dates",
                 "hamstrung worker restart", "strung together middleware", "si units conversion", "un marshal a value",
                 "let all workers die when the parent exits", "ob file layout", "kill process die",
                 "worker die restart", "php die exit", "remove trailing comments", "replace a comment line",
                 "sort the lines of a file", "how to handle 中文 encoding in the parser", "café menu parsing",
                 "naïve datetime to aware", "clear the cache completely", "strip html comment",
                 "magic comment encoding", "new node between two edges", "durch the docs"):  # "die" is English too (review); "comment" too (probe 216)
        assert not looks_non_english(text), text
    minilm = "sentence-transformers/all-MiniLM-L6-v2"
    assert "udever-560m" in language_note("如何处理重定向", minilm)
    assert language_note("如何处理重定向", "izhx/udever-bloom-560m") is None


@pytest.fixture(scope="module")
def minilm_repo(tmp_path_factory) -> Path:
    """The sample repository indexed with MiniLM (the English-only model)."""
    root = tmp_path_factory.mktemp("minilm") / "repo"
    shutil.copytree(Path(__file__).resolve().parents[1] / "fixtures" / "sample_repo", root)
    done = cli_run("index", "-q", "--model", "minilm", "--no-shared-cache", cwd=root)
    assert done.returncode == 0, done.stderr
    return root


def test_english_only_model_warns_once_on_a_non_english_question(minilm_repo: Path) -> None:
    done = cli_run("query", "--no-server", "如何处理重定向", cwd=minilm_repo)
    assert done.stderr.count("understands English only") == 1 and "udever-560m" in done.stderr
    english = cli_run("query", "--no-server", "load the configuration file", cwd=minilm_repo)
    assert "English only" not in english.stderr


def test_english_only_model_warns_where_repositories_are_named(minilm_repo: Path, tmp_path: Path) -> None:
    """Probe 216: `--repo` dropped the note (the answer of the repositories named carried no model)."""
    second = tmp_path / "second"
    shutil.copytree(Path(__file__).resolve().parents[1] / "fixtures" / "sample_repo", second)
    assert cli_run("index", "-q", "--model", "minilm", "--no-shared-cache", cwd=second).returncode == 0
    for repos in ([minilm_repo], [minilm_repo, second]):
        named = [arg for repo in repos for arg in ("--repo", str(repo))]
        done = cli_run("query", "--no-server", *named, "Kommentare aus dem HTML entfernen", cwd=tmp_path)
        assert done.stderr.count("understands English only") == 1, (repos, done.stderr)


def test_a_question_of_common_words_only_says_its_results_are_guesses(minilm_repo: Path) -> None:
    """"how does it work" (two probes' users): every word a stop word, the results near arbitrary and nothing said."""
    from codesearch.query import vague_note

    done = cli_run("query", "--no-server", "how does it work", cwd=minilm_repo)
    assert done.stderr.count("is a common one") == 1 and '"how does it work"' in done.stderr
    assert vague_note("how are retries scheduled") is None and vague_note("value") is None and vague_note("it") is None
    named = cli_run("query", "--no-server", "load the configuration file", cwd=minilm_repo)
    assert "common one" not in named.stderr
    marks = cli_run("query", "--no-server", "???", cwd=minilm_repo)  # probe 61: no word at all, and nothing said
    assert marks.returncode == 0 and marks.stderr.count("holds no word or name") == 1


def test_a_question_no_word_of_which_the_code_says_is_told_its_results_are_by_meaning_alone(minilm_repo: Path) -> None:
    """urllib3: `xyzzyqq` printed ten results as confidently as any question, exit 0 and nothing said (probe 84):
    no word of it (nor a slip of one) is in the code, so every hit is meaning's nearest."""
    done = cli_run("query", "--no-server", "xyzzyqq frobnicate", cwd=minilm_repo)
    assert done.returncode == 0 and done.stderr.count("no word of") == 1 and "by meaning alone" in done.stderr, done.stderr
    said = cli_run("query", "--no-server", "load the configuration file", cwd=minilm_repo)
    assert "by meaning alone" not in said.stderr
    first = cli_run("query", "--no-server", "-k", "1", "where is the configuration loaded from", cwd=minilm_repo)
    assert "by meaning alone" not in first.stderr  # the words matched, whichever list the first hit came from (review)
    semantic = cli_run("query", "--no-server", "--mode", "semantic", "load the configuration file", cwd=minilm_repo)
    assert "by meaning alone" not in semantic.stderr  # meaning alone was asked for


def test_a_name_defined_nowhere_is_told_so(minilm_repo: Path) -> None:
    """gojq: `ErrNotAStructPtr`, a name the repository never defines, printed units that share a word with it and said
    nothing (probe 151); a name it defines, or one alike but for case, says nothing."""
    done = cli_run("query", "--no-server", "RetryRequestWithBackoff", cwd=minilm_repo)
    assert done.returncode == 0 and done.stderr.count("nothing in the code searched is named RetryRequestWithBackoff") == 1
    # a library's name the code uses is no slip (`json.load`, `w.WriteHeader`: review)
    for name in ("RetryRequest", "retry_request", "load_config", "Mailer.send_email", "json.load", "w.WriteHeader"):
        said = cli_run("query", "--no-server", name, cwd=minilm_repo)
        assert "is named" not in said.stderr, (name, said.stderr)
    assert "is named" not in cli_run("query", "--no-server", "Mailer", cwd=minilm_repo).stderr  # a word, not only a name
    # a slip read as the name the first result has is said as read, not as a name defined nowhere (probe 206)
    slip = cli_run("query", "--no-server", "--json", "RetryRequets", cwd=minilm_repo)
    assert json.loads(slip.stdout)[0]["name"] == "RetryRequest" and "is named" not in slip.stderr, slip.stderr


def test_a_cold_query_says_once_how_to_make_the_next_ones_fast(indexed: Path) -> None:
    first = cli_run("query", "load the configuration", cwd=indexed)
    assert first.returncode == 0 and "codesearch serve" in first.stderr and "--auto-serve" in first.stderr
    again = cli_run("query", "send an email", cwd=indexed)
    assert again.returncode == 0 and "codesearch serve" not in again.stderr


def test_unsupported_only_repository_says_what_it_found_and_what_is_supported(tmp_path: Path, tiny_bloom: Path) -> None:
    repo = tmp_path / "rusty"
    (repo / "src").mkdir(parents=True)
    for name in ("main.rs", "lib.rs"):
        (repo / "src" / name).write_text("fn main() {}\n")
    (repo / "Cargo.toml").write_text("[package]\n")
    done = cli_run("index", "-q", "--model", str(tiny_bloom), cwd=repo)
    assert "2 .rs" in done.stderr and "1 .toml" in done.stderr and "python (.py" in done.stderr, done.stderr
    query = cli_run("query", "main", cwd=repo)
    assert query.returncode == 1 and "2 .rs" in query.stderr and "go (.go)" in query.stderr
    empty = tmp_path / "empty"
    empty.mkdir()
    done = cli_run("index", "-q", "--model", str(tiny_bloom), cwd=empty)
    assert "no source file and no other files" in done.stderr and "ruby (.rb .rake" in done.stderr


# -- progress and status ---------------------------------------------------------------------------------
def test_progress_bar_counts_files_or_functions_and_says_which() -> None:
    from codesearch.cli.progress import bar_fields
    from codesearch.sync.indexer import SyncProgress

    bulk = bar_fields(SyncProgress("embedding", files_done=3, files_total=5, functions_done=0, functions_embedded=64,
                                   embed_total=667, elapsed=2.0))
    assert (bulk["completed"], bulk["total"], bulk["unit"]) == (64, 667, "units embedded")
    assert bulk["found"] == 667
    parsing = bar_fields(SyncProgress("indexing", files_done=3, files_total=5, functions_done=60))
    assert (parsing["completed"], parsing["total"], parsing["unit"], parsing["found"]) == (3, 5, "files scanned", 60)


def test_a_time_to_go_under_a_second_is_still_a_time_to_go() -> None:
    # a fast model's rate makes the rest take 0.02 s, rounded to 0.0: known, not "known after its first batch"
    from codesearch.cli.commands import _coverage_line

    line = _coverage_line({"embedded": 128, "functions": 400, "embed_eta_seconds": 0.0, "writer_pid": 7})
    assert line.endswith("embedding now (pid 7): about 1 s to go"), line
    unknown = _coverage_line({"embedded": 128, "functions": 400, "embed_eta_seconds": None, "writer_pid": 7})
    assert unknown.endswith("time to go known after its first batch"), unknown


def test_status_during_a_running_index_says_so_with_the_time_to_go(tmp_path: Path, tiny_embedder) -> None:
    from tests.conftest import write_modules

    repo = write_modules(tmp_path / "many", 10, 40)
    seen: list[str] = []

    def progress(p) -> None:
        if p.phase == "embedding" and 128 <= p.functions_embedded < 400 and not seen:
            seen.append(cli_run("status", cwd=repo).stdout)

    with Index.create(repo, Config(), embedder=tiny_embedder) as idx:
        idx.sync(on_progress=progress)
    line = next(x for x in seen[0].splitlines() if x.startswith("embedded:"))
    assert f"embedding now (pid {os.getpid()})" in line and re.search(r"about \d+ (s|min) to go", line), line


# -- a read-only checkout --------------------------------------------------------------------------------
def test_read_only_checkout_says_to_use_index_dir_and_that_works(sample_repo: Path, tiny_bloom: Path, tmp_path: Path) -> None:
    if shutil.which("unshare") is None or subprocess.run(["unshare", "-m", "true"]).returncode != 0:
        pytest.skip("needs a mount namespace (unshare -m) to make a real read-only file system")
    code = f"{shlex.quote(sys.executable)} -c 'from codesearch.cli import main; main()'"
    elsewhere = tmp_path / "index-elsewhere"
    repo = shlex.quote(str(sample_repo))
    script = (f"mount --bind {repo} {repo} && mount -o remount,bind,ro {repo} {repo} && cd {repo} && "
              f"{{ {code} index -q --model {shlex.quote(str(tiny_bloom))}; echo rc=$?; }} && "
              f"{code} index -q --index-dir {elsewhere} --model {shlex.quote(str(tiny_bloom))} >/dev/null && "
              f"{code} query --json --mode lexical --index-dir {elsewhere} load config")
    done = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    first = done.stderr.splitlines()[0]
    assert "read-only" in first.lower() and "--index-dir" in first and "unexpected" not in done.stderr
    assert "rc=2" in done.stdout
    hits = json.loads(done.stdout.split("rc=2", 1)[1])
    assert hits[0]["name"] == "load_config" and (elsewhere / "catalog.sqlite").is_file()


# -- output ----------------------------------------------------------------------------------------------
def _hit(code: str, start_line: int = 10, start_col: int = 5):
    from codesearch.query import Hit

    return Hit(id=1, path="lib/user.py", start_line=start_line, end_line=start_line + 3, start_col=start_col,
               name="name", qualified_name="User.name", language="python", kind="method", score=0.0321,
               code=code, docstring="")


def test_snippets_keep_indentation_skip_decorators_and_label_scores(capsys) -> None:
    from codesearch.cli.output import print_hits

    code = "@property\n    @cached(\n        ttl=3,\n    )\n    def name(self):\n        return self._name"
    print_hits([_hit(code)], Path("/r"), score_label="fused")
    out = capsys.readouterr().out
    assert "lib/user.py:14  User.name  fused 0.032" in out
    assert "       14 |     def name(self):\n" in out and "@property" not in out and "ttl" not in out
    print_hits([_hit("def name(self):\n        return 1")], Path("/r"), vimgrep=True, score_label="fused")
    assert capsys.readouterr().out.endswith(":10:5:def name(self):  [User.name fused 0.032]\n")
    print_hits([_hit(code)], Path("/r"), vimgrep=True, score_label="cosine")
    assert ":14:5:def name(self):  [User.name cosine 0.032]" in capsys.readouterr().out


def test_an_annotation_on_its_declarations_line_is_no_line_to_skip(capsys) -> None:
    """ini4j: `@Override public Profile.Section getParent()` (460 such lines) opened one line late, its preview at the
    `{` below (probe 164): a line is skipped as a decorator only when it holds annotations and nothing else."""
    from codesearch.cli.output import print_hits
    from codesearch.query import decorator_lines

    java = "@Override public Section getParent()\n    {\n        return parent;\n    }"
    assert _hit(java).focus() == 10
    print_hits([_hit(java)], Path("/r"), vimgrep=True, score_label="fused")
    assert ":10:5:@Override public Section getParent()" in capsys.readouterr().out
    assert decorator_lines(["@Override", "public X f() {", "}"]) == 1
    assert decorator_lines(['@app.route("/x", methods=["GET"])  # the index', "def f():", "    pass"]) == 1
    assert decorator_lines(["@Component({", "  selector: 'x',", "})", "class A {}"]) == 3
    assert decorator_lines(["@Input() name: string;", "x"]) == 0  # a decorated field is its own line
    assert decorator_lines(["#[Route('/x',", "  name: 'x')]", "public function f() {}"]) == 2


def test_explain_names_the_units_own_fusion_apart_from_its_shown_score() -> None:
    """commons-csv: `fused 0.325  [... fused 0.147849 ...]`, two numbers under one name, read as a bug (probe 74)."""
    from dataclasses import replace

    from codesearch.cli.output import explain_line

    line = explain_line(replace(_hit("def name(self):\n        return 1"), signals={"fused": 0.147849, "factor": 1.2}))
    assert "unit rrf 0.147849" in line and "fused" not in line


def test_a_unit_inside_a_minified_line_previews_short_lines(capsys) -> None:
    """joi: a query printed 202,725 bytes: a unit in dist/joi-browser.min.js starts at column 100,430 of its line, and
    the preview padded it with as many spaces, then printed the line whole."""
    from codesearch.cli.output import PREVIEW_WIDTH, print_hits

    hit = dataclasses.replace(_hit("method(){return this.$_addRule(" + "x" * 30_000 + ")}"), start_col=100_430)
    print_hits([hit], Path("/r"), score_label="fused")
    out = capsys.readouterr().out
    assert "method(){return this.$_addRule(" in out and max(map(len, out.splitlines())) <= PREVIEW_WIDTH + 20
    print_hits([hit], Path("/r"), vimgrep=True, score_label="fused")
    assert ":10:100430:method(){" in capsys.readouterr().out  # the editor jumps to the unit's own column


def test_similar_names_the_function_it_started_from(indexed: Path) -> None:
    done = cli_run("similar", "lib/config.py:12", cwd=indexed)
    assert done.returncode == 0 and "like Mailer.send_email (lib/config.py:11-" in done.stderr, done.stderr
    assert "cosine" in done.stdout


def test_python_dash_m_in_a_repository_with_a_standard_librarys_module_name(tmp_path: Path) -> None:
    """bottle's repository has no http.py, but many do (or json.py, email.py): `python -m codesearch index .` there
    failed with "No module named 'http.client'; 'http' is not a package" (probe 71), `python -m` putting the working
    folder first on sys.path."""
    (tmp_path / "http.py").write_text("def get(url):\n    return fetch(url)\n")
    (tmp_path / "json.py").write_text("def dumps(value):\n    return str(value)\n")
    done = subprocess.run([sys.executable, "-m", "codesearch", "index", "-q", "--model", "minilm", "."], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "not a package" not in done.stderr, done.stderr
    found = subprocess.run([sys.executable, "-m", "codesearch", "query", "--json", "--mode", "lexical", "dumps"],
                           cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert json.loads(found.stdout)[0]["path"] == "json.py"


def test_an_index_piped_to_a_log_says_where_it_stands_now_and_then(capsys) -> None:
    """`codesearch index ... 2>log` wrote nothing for minutes: the bar is drawn on a terminal only (probe 87). Where
    stderr is no terminal, a plain line says where the sync stands as each phase starts (the first came after 30 s:
    probe 102) and every PLAIN_EVERY seconds; -q says nothing."""
    from codesearch.cli.progress import sync_progress
    from codesearch.sync.indexer import SyncProgress

    step = SyncProgress("embedding", files_done=3, files_total=3, functions_done=40, functions_embedded=12,
                        embed_total=40, elapsed=6.0)
    with sync_progress(enabled=True, terminal=False, every=0.0) as progress:
        progress(step)
        progress(SyncProgress("done"))
    lines = capsys.readouterr().err.splitlines()
    assert lines == ["embedding: 12/40 units embedded; 40 units found, 12 embedded (2.0/s), 6s"]
    with sync_progress(enabled=True, terminal=False) as progress:  # a phase's first line at once (probe 102), the
        progress(step)  # next after PLAIN_EVERY seconds
        progress(step)
        progress(SyncProgress("done"))
    assert capsys.readouterr().err.splitlines() == lines
    with sync_progress(enabled=False, terminal=False, every=0.0) as progress:
        progress(step)
    assert capsys.readouterr().err == ""


def test_a_tab_indented_units_preview_is_indented_with_tabs(capsys) -> None:
    """immer: a tab-indented method's first line was padded with one space per tab, its body kept its tabs, and the
    preview was askew (probe 113): the first line is indented as its body is, with tabs where the body has them."""
    from codesearch.cli.output import preview

    hit = dataclasses.replace(_hit("read(key: string) {\n\t\tconst value = this.items[key]\n\t\treturn value\n\t}"),
                              start_col=2)
    assert preview(hit)[1][:2] == ["\tread(key: string) {", "\t\tconst value = this.items[key]"]
    spaced = dataclasses.replace(_hit("def name(self):\n        return 1"), start_col=5)
    assert preview(spaced)[1][0] == "    def name(self):"
    # jsap: one continuation line indented with tabs in a file of spaces padded the first line with four tabs (probe 178)
    mixed = dataclasses.replace(_hit("private int parseShort(\n\t\t\t\tString[] args) {\n        int i = 0;\n"
                                     "        return i;\n    }"), start_col=5)
    assert preview(mixed)[1][0] == "    private int parseShort("


def test_a_types_preview_ends_at_a_member_left_out() -> None:
    """lru-cache: the class opened at `*entries() {` showed `…` and two empty numbered lines where the file has the
    method's code (probe 147): a member left out ends what a preview shows."""
    from codesearch.cli.output import preview

    laid = "class Cache {\n  *entries() {\n      …\n\n\n  }\n  get size() {\n      …\n\n  }\n}"
    hit = dataclasses.replace(_hit(laid, start_line=25, start_col=1), kind="type", end_line=35,
                              signals={"focus": 26})
    first, shown = preview(hit)
    assert first == 26 and shown == ["  *entries() {", "      …"], shown


def test_json_says_the_line_its_text_shows() -> None:
    """arrow: the text said `arrow.py:243 Arrow.fromtimestamp`, its `def` line, JSON said 242, the `@classmethod`
    line (probe 117): a hit's `line` is the first line its preview shows, past its decorators."""
    from codesearch.cli.output import hit_json, preview

    hit = _hit("@classmethod\n    @cached(\n        ttl=3,\n    )\n    def name(self):\n        return self._name")
    assert hit_json(hit, Path("/r"))["line"] == preview(hit)[0] == 14 == hit.focus()


def test_a_hits_copies_are_named_from_the_working_directory(tmp_path, monkeypatch) -> None:
    """Copies were named by their stored paths while the hit's own was relative to the working directory (review)."""
    from codesearch.cli.output import _places

    (tmp_path / "pkg" / "sub").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "pkg" / "sub")
    said = _places(["dist/index.mjs:1", "dist/index.cjs:4", "lib/index.js:9"], tmp_path)
    assert said == "../../dist/index.mjs:1, ../../dist/index.cjs:4 and 1 more", said


def test_a_reader_that_leaves_early_is_no_failure(tmp_path: Path, tiny_bloom: Path) -> None:
    """`codesearch query X | head` in this process exited 1, grep's "nothing matched", while through a server it
    exited 0 (fault probe): click's own broken-pipe handler exited first. The reader leaving is fine: status 0."""
    import os
    import subprocess
    import sys

    body = "".join(f"    total += step_{i}(config, value)\n" for i in range(60))
    for n in range(30):
        (tmp_path / f"loader_{n}.py").write_text(f"def load_config_{n}(config, value):\n    total = 0\n{body}    return total\n")
    assert cli_run("index", "-q", "--model", str(tiny_bloom), cwd=tmp_path).returncode == 0
    for args in (["query", "--no-server", "-k", "30", "--json", "load the config"], ["chunks", "."]):
        proc = subprocess.Popen([sys.executable, "-c", "from codesearch.cli import main; main()", *args], cwd=tmp_path,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ.copy())
        proc.stdout.read(1)
        proc.stdout.close()  # the reader leaves after one byte of 100 KB, as `head -c 1` does
        err = proc.stderr.read().decode()
        assert proc.wait(timeout=120) == 0 and "Traceback" not in err, (args, proc.returncode, err)


def test_a_note_repeats_a_long_question_cut_short() -> None:
    """A 100 KB question was echoed whole in the note saying no word of it is in the code (fault probe)."""
    from codesearch.query import vague_note

    note = vague_note("?! " * 30000)
    assert note is not None and len(note) < 400 and "…" in note


def test_source_files_an_ignore_file_leaves_out_are_named_with_the_way_back(tmp_path: Path, tiny_bloom: Path) -> None:
    """A `.gitignore` of `*` beside a.py was told "it holds no source file and no other files" (fault probe): the
    files left out are counted, with the `.codesearchignore` line that brings them back."""
    (tmp_path / ".gitignore").write_text("*\n")
    (tmp_path / "a.py").write_text("def add(a, b):\n    return a + b\n")
    done = cli_run("index", "--model", str(tiny_bloom), cwd=tmp_path)
    assert "1 source file(s) are left out by its ignore files" in done.stderr and "!pattern" in done.stderr, done.stderr
    (tmp_path / ".codesearchignore").write_text("!a.py\n")
    again = cli_run("index", "--model", str(tiny_bloom), cwd=tmp_path)
    assert again.returncode == 0 and "1 units found" in again.stderr + again.stdout, again.stderr


def test_words_no_code_says_of_a_question_the_model_guesses_at_weigh_nothing_against_the_words(minilm_repo: Path) -> None:
    """symfony-translation: "¿Dónde se cargan los mensajes desde un archivo JSON?" (MiniLM, English only) put the words'
    first file, JsonFileLoader, fourth: its Spanish words, which no code says, cut the words' list to 0.72 of its weight
    while the model, which guesses at the question, kept all of its (probe 185)."""
    from codesearch.search.ranking import RankingOptions

    done = cli_run("query", "--no-server", "--json", "¿Dónde se cargan y validan los ajustes guardados en un archivo JSON?", cwd=minilm_repo)
    assert done.returncode == 0, done.stderr
    first = json.loads(done.stdout)[0]
    assert first["name"] == "load_config"
    assert first["signals"]["fusion"]["lexical"]["weight"] == RankingOptions().file_lexical_weight, first["signals"]


def test_path_given_a_repository_says_to_give_it_with_repo(indexed: Path, tmp_path: Path) -> None:
    """probe 205: `codesearch query X --path repos/pg` from a folder with no index said only "no codesearch index
    covers ...": --path filters files inside an index; the error names --repo and the folder."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = cli_run("query", "--mode", "lexical", "load config", "--path", str(indexed), cwd=elsewhere)
    assert done.returncode == 2 and f"--repo {indexed}" in done.stderr and done.stderr.count("\n") == 1, done.stderr
    plain = cli_run("query", "--mode", "lexical", "load config", "--path", "*.py", cwd=elsewhere)
    assert plain.returncode == 2 and "--repo" not in plain.stderr and "no codesearch index covers" in plain.stderr
