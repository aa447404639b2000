"""`codesearch mcp` end to end with the SDK's own client over stdio, against a real tiny-BLOOM index."""

from __future__ import annotations

import os
import anyio
import sys
from pathlib import Path

import pytest

pytest.importorskip("mcp")

from mcp.client.session import ClientSession  # noqa: E402
from mcp.client.stdio import StdioServerParameters, stdio_client  # noqa: E402

from mcp.client.client import Client  # noqa: E402

from codesearch.config import Config  # noqa: E402
from codesearch.engine import MODEL_LOADING_NOTE, Index  # noqa: E402
from codesearch.mcp.server import build_server, open_repository  # noqa: E402

from conftest import wait_for  # noqa: E402


@pytest.fixture
def built(sample_repo: Path, tiny_embedder) -> Path:
    with Index.create(sample_repo, Config(), embedder=tiny_embedder) as index:
        index.sync()
    return sample_repo


def _params(root: Path, model: Path, *extra: str) -> StdioServerParameters:
    env = {k: v for k, v in os.environ.items() if k.startswith(("HF_", "TRANSFORMERS_", "PATH", "HOME"))}
    return StdioServerParameters(command=sys.executable, args=["-m", "codesearch", "mcp", "--root", str(root),
                                                               "--model", str(model), *extra], env=env, cwd=str(root))


async def _until_ready(session) -> dict:
    """index_status once the model is loaded and the watcher started (or could not)."""
    for _ in range(600):
        status = (await session.call_tool("index_status", {})).structured_content
        if status["semantic"] != "model loading" and (status["watching"] or status["read_only"] or status["model_error"]):
            return status  # the model is loaded and the watcher started (or could not)
        await anyio.sleep(0.1)
    raise AssertionError("the server never became ready")


async def test_agent_searches_fetches_finds_similar_and_sees_freshness(built: Path, tiny_bloom: Path) -> None:
    async with stdio_client(_params(built, tiny_bloom)) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            tools = {t.name: t for t in (await session.list_tools()).tools}
            assert set(tools) == {"search_code", "find_similar", "get_function", "index_status", "reindex"}
            assert all(tools[n].annotations.read_only_hint for n in tools if n != "reindex")
            assert tools["reindex"].annotations.read_only_hint is False
            assert tools["search_code"].output_schema["properties"]["results"]

            status = await _until_ready(session)
            assert status["semantic"] == "ready" and status["functions"] == 14 and status["watching"]

            found = await session.call_tool("search_code", {"query": "retry request", "k": 3, "max_chars": 90})
            assert not found.is_error
            data = found.structured_content
            top = data["results"][0]
            assert data["note"] is None and data["mode"] == "hybrid" and top["qualified_name"] == "RetryRequest"
            cov = data["coverage"]
            assert cov == status["coverage"] and cov["model"] == status["model"]
            assert {k: cov[k] for k in ("embedded", "functions", "percent", "static", "static_percent")} == {
                "embedded": 8, "functions": 8, "percent": 100, "static": 8, "static_percent": 100}
            assert top["path"] == "api/server.go" and top["start_line"] == 6 and top["end_line"] == 16
            assert top["lexical_rank"] == 1 and top["semantic_rank"] is not None
            assert top["truncated"] and len(top["code"]) <= 30 and "api/server.go:6-16 RetryRequest" in found.content[0].text

            fn = await session.call_tool("get_function", {"path": "lib/config.py", "line": 12})
            assert fn.structured_content["qualified_name"] == "Mailer.send_email"
            assert "SMTP" in fn.structured_content["docstring"]
            byname = await session.call_tool("get_function", {"qualified_name": "load_config"})
            assert byname.structured_content["start_line"] == 4

            like = await session.call_tool("find_similar", {"path": "api/server.go", "line": 8, "k": 3})
            names = [r["qualified_name"] for r in like.structured_content["results"]]
            assert len(names) == 3 and "RetryRequest" not in names

            outside = await session.call_tool("find_similar", {"path": "lib/config.py", "line": 9})
            assert outside.is_error and "not inside any function" in outside.content[0].text
            bad = await session.call_tool("search_code", {"query": "x", "mode": "telepathy"})
            assert bad.is_error and "mode: Input should be 'hybrid', 'semantic' or 'lexical'" in bad.content[0].text
            assert "\n" not in bad.content[0].text
            types = await session.call_tool("search_code", {"query": "cart mailer", "mode": "lexical", "kinds": ["type"]})
            assert {r["kind"] for r in types.structured_content["results"]} == {"type"}
            bad_kind = await session.call_tool("search_code", {"query": "cart", "kinds": ["closure"]})
            assert bad_kind.is_error and "kinds" in bad_kind.content[0].text and "\n" not in bad_kind.content[0].text

            # the repository is being edited: the watcher picks it up, and reindex syncs on demand
            (built / "lib" / "late.py").write_text("def arrived_late_function(x):\n    return x\n")
            for _ in range(200):
                hits = (await session.call_tool("search_code", {"query": "arrived_late_function", "k": 1})).structured_content
                if hits["results"] and hits["results"][0]["name"] == "arrived_late_function":
                    break
                await anyio.sleep(0.1)
            else:
                raise AssertionError("the watcher never indexed the new file")
            (built / "lib" / "later.py").write_text("def even_later(y):\n    return y\n")
            seen = []

            async def progress(done, total, message):
                seen.append((done, total, message))

            done = await session.call_tool("reindex", {"paths": ["lib/later.py"]}, progress_callback=progress)
            assert not done.is_error, done.content
            assert done.structured_content["functions_total"] == 16
            assert seen and seen[-1][1] == 1


async def test_missing_index_is_a_one_line_tool_error(tmp_path: Path, tiny_bloom: Path) -> None:
    empty = tmp_path / "nothing"
    empty.mkdir()
    async with stdio_client(_params(empty, tiny_bloom, "--no-watch")) as (read, write):
        async with ClientSession(read, write) as session:
            await session.initialize()
            result = await session.call_tool("search_code", {"query": "anything"})
            assert result.is_error
            text = result.content[0].text
            assert "no codesearch index covers" in text and "\n" not in text


async def test_results_say_how_much_is_embedded_while_a_first_index_embeds(tmp_path: Path, tiny_bloom: Path) -> None:
    """Lexical pass committed, embedding not done (another writer holds the index): results carry coverage."""
    from codesearch.embed.embedding import load_embedder
    from codesearch.sync.indexer import Indexer
    from codesearch.store.folder import Store

    from conftest import sync_until_embedded, write_modules

    tiny_embedder = load_embedder(str(tiny_bloom), Config(max_length=128))  # its own: warming up gives it an int8 query copy
    root = write_modules(tmp_path / "partial", 40, 4, "retry")
    store = Store.create(root, Config())
    indexer = Indexer(store, tiny_embedder)
    repo = None
    try:
        with store.lock:
            sync_until_embedded(indexer, 64)
            embedded = store.catalog.embedded_count(tiny_embedder.model_id)
            assert 64 <= embedded < 160
            repo = open_repository(root, Config(), embedder=tiny_embedder)
            wait_for(lambda: repo.index().live_state().model == "ready" and repo.index().live_state().read_only, 60)
            server = build_server(repo)
            found = (await server.call_tool("search_code", {"query": "retry 3 2", "k": 3})).structured_content
            want = {"embedded": embedded, "functions": 160, "percent": 100 * embedded // 160, "static": 160,
                    "static_percent": 100, "model": tiny_embedder.model_id,  # the static tier covers the rest
                    "static_interim": False}  # every token distilled: the exact tier
            assert found["coverage"] == want and found["mode"] == "hybrid" and found["results"]
            assert found["note"].startswith(f"semantic: static 100 %, tiny-udever {want['percent']} % ({embedded} of 160")
            lexical = (await server.call_tool("search_code", {"query": "retry", "mode": "lexical"})).structured_content
            assert lexical["note"] is None  # lexical answers are whole already
            status = await server.call_tool("index_status", {})
            assert status.structured_content["coverage"] == want
            assert status.structured_content["semantic"] == f"embedding {embedded} of 160"
            assert f"({want['percent']} % embedded)" in status.content[0].text
    finally:
        if repo is not None:
            repo.close()
        store.close()


async def test_while_the_model_loads_answers_and_status_say_so(sample_repo: Path, tiny_bloom: Path,
                                                               tiny_embedder) -> None:
    """Issue 25 #7: the first seconds said `semantic: building` next to `coverage: 100 %`; now index_status
    says the model is loading, and each answer (by words meanwhile) says so in its note."""
    from conftest import hold_compute

    with Index.create(sample_repo, Config(), embedder=tiny_embedder) as index:
        index.sync()  # everything embedded: only the model is missing in the server's first seconds
    release = hold_compute()
    repo = open_repository(sample_repo, Config(model=str(tiny_bloom), max_length=128))  # the budget it was built at
    try:
        async with Client(build_server(repo)) as client:
            status = (await client.call_tool("index_status", {})).structured_content
            assert status["semantic"] == "model loading" and status["coverage"]["percent"] == 100
            found = await client.call_tool("search_code", {"query": "retry request", "k": 3})
            data = found.structured_content
            assert data["note"] == MODEL_LOADING_NOTE and data["mode"] == "lexical"
            assert found.content[0].text.startswith(f"note: {MODEL_LOADING_NOTE}\n")
            assert data["results"][0]["qualified_name"] == "RetryRequest"
            assert all(r["semantic_rank"] is None for r in data["results"])
            lexical = (await client.call_tool("search_code", {"query": "retry", "mode": "lexical"})).structured_content
            assert lexical["note"] is None and lexical["mode"] == "lexical"  # words were asked: nothing to say
            release()
            status = await _until_ready(client)
            assert status["semantic"] == "ready" and status["watching"]
            data = (await client.call_tool("search_code", {"query": "retry request", "k": 3})).structured_content
            assert data["note"] is None and data["mode"] == "hybrid"
            assert data["results"][0]["semantic_rank"] is not None
    finally:
        release()
        repo.close()


@pytest.fixture
def two_sends(sample_repo: Path, tiny_embedder) -> Path:
    (sample_repo / "lib" / "notify.py").write_text("class Pager:\n    def send(self, message):\n        return message\n\n\n"
                                                   "class Outbox:\n    def send(self, message):\n        return [message]\n")
    with Index.create(sample_repo, Config(), embedder=tiny_embedder) as index:
        index.sync()
    return sample_repo


async def test_schemas_bound_and_describe_every_parameter_and_bad_arguments_are_one_line_errors(two_sends: Path,
                                                                                                 tiny_embedder) -> None:
    """Issue 25 #7: no bounds on k, no enum for mode, no parameter descriptions; `cobol` and `[[[` answered
    with empty successes; `send` silently picked one of several functions."""
    from codesearch.languages import LANGUAGE_ALIASES, LANGUAGES
    from codesearch.query import MAX_K, MODES

    repo = open_repository(two_sends, Config(), watch=False, embedder=tiny_embedder)
    try:
        async with Client(build_server(repo)) as client:
            tools = {t.name: t.input_schema for t in (await client.list_tools()).tools}
            for name, schema in tools.items():
                for param, spec in schema["properties"].items():
                    assert spec.get("description"), f"{name}.{param} has no description"
            search = tools["search_code"]["properties"]
            assert (search["k"]["minimum"], search["k"]["maximum"]) == (1, MAX_K)
            assert search["mode"]["enum"] == list(MODES)
            assert search["languages"]["anyOf"][0]["items"]["enum"] == list(LANGUAGES) + list(LANGUAGE_ALIASES)
            # the CLI's names are MCP's too (`--lang js`; MCP refused "js": fault sweep 2)
            short = await client.call_tool("search_code", {"query": "send", "mode": "lexical", "languages": ["py"],
                                                           "kinds": ["methods"]})
            assert not short.is_error and short.structured_content["results"], short.content
            assert tools["find_similar"]["properties"]["line"]["minimum"] == 1

            for args, says in [({"languages": ["cobol"]}, f"languages.0: Input should be '{LANGUAGES[0]}'"),
                               ({"path_glob": "[[["}, "bad path glob '[[['"),
                               ({"path_glob": "[z-a]"}, "bad path glob '[z-a]'"),
                               ({"k": 0}, "k: Input should be greater than or equal to 1"),
                               ({"k": MAX_K + 1}, f"k: Input should be less than or equal to {MAX_K}"),
                               ({"query": ""}, "query: String should have at least 1 character")]:
                result = await client.call_tool("search_code", {"query": "send", **args})
                text = result.content[0].text
                assert result.is_error and says in text and "\n" not in text, (args, text)

            ambiguous = await client.call_tool("get_function", {"qualified_name": "send"})
            text = ambiguous.content[0].text
            assert ambiguous.is_error and "\n" not in text
            assert "'send' names 2 functions: Pager.send (lib/notify.py:2), Outbox.send (lib/notify.py:7)" in text
            assert [c["qualified_name"] for c in ambiguous.structured_content["candidates"]] == ["Pager.send", "Outbox.send"]
            chosen = await client.call_tool("get_function", {"qualified_name": "Pager.send"})
            assert not chosen.is_error and chosen.structured_content["start_line"] == 2
            in_file = await client.call_tool("get_function", {"path": "lib/config.py", "qualified_name": "send_email"})
            assert in_file.structured_content["qualified_name"] == "Mailer.send_email"
    finally:
        repo.close()


async def test_a_non_english_question_to_an_english_only_model_says_so(sample_repo: Path) -> None:
    """Issue 25 #3: `如何处理重定向` put to MiniLM returned junk silently; the answer's note now says why."""
    from codesearch.query import ENGLISH_ONLY_MODELS

    with Index.create(sample_repo, Config(model="minilm")) as index:
        index.sync()
        assert index.store.model_id in ENGLISH_ONLY_MODELS
    repo = open_repository(sample_repo, Config(), watch=False)
    try:
        async with Client(build_server(repo)) as client:
            wait_for(lambda: repo.index().semantic_state() == "ready", 120)
            found = (await client.call_tool("search_code", {"query": "如何处理重定向", "k": 3})).structured_content
            assert "understands English only" in (found["note"] or "") and "udever" in found["note"]
            english = (await client.call_tool("search_code", {"query": "retry a failed request", "k": 3})).structured_content
            assert english["note"] is None or "English only" not in english["note"]
    finally:
        repo.close()


async def test_a_re_embed_says_why_in_index_status(sample_repo: Path, tiny_bloom: Path, tiny_embedder) -> None:
    """A server started at another token budget than the index was built with embeds every unit again; the
    agent hears why in index_status (the sync's one line never reached MCP before: red without `heard`)."""
    with Index.create(sample_repo, Config(), embedder=tiny_embedder) as index:
        index.sync()
    repo = open_repository(sample_repo, Config(model=str(tiny_bloom), max_length=64))
    try:
        async with Client(build_server(repo)) as client:
            status = await _until_ready(client)
            for _ in range(600):
                if status["notes"]:
                    break
                await anyio.sleep(0.05)
                status = (await client.call_tool("index_status", {})).structured_content
            assert any(n.startswith("re-embedding: token budget changed 128 -> 64") for n in status["notes"]), status
    finally:
        repo.close()


async def _search_settings(root: Path, embedder, source: str, args: dict):
    """settings.py holding source, indexed; what the MCP client gets from search_code(args)."""
    (root / "settings.py").write_text(source)
    with Index.create(root, Config(), embedder=embedder) as index:
        index.sync()
    repo = open_repository(root, Config(), watch=False, embedder=embedder)
    try:
        async with Client(build_server(repo)) as client:
            return await client.call_tool("search_code", args)
    finally:
        repo.close()


async def test_a_result_found_by_a_constant_says_which_name_it_binds(tmp_path: Path, tiny_embedder) -> None:
    found = await _search_settings(tmp_path, tiny_embedder, "import os\n\nDEFAULT_TIMEOUT = 30\n\n\ndef timeout():\n"
                                   "    return DEFAULT_TIMEOUT\n", {"query": "DEFAULT_TIMEOUT", "k": 2, "mode": "lexical"})
    top = found.structured_content["results"][0]
    assert (top["binds"], top["start_line"], top["code"]) == ("DEFAULT_TIMEOUT", 3, "DEFAULT_TIMEOUT = 30")
    assert "settings.py:3-3 settings binds DEFAULT_TIMEOUT" in found.content[0].text
    assert found.structured_content["results"][1]["binds"] is None


async def test_filters_that_leave_nothing_to_search_say_so_in_the_note(tmp_path: Path, tiny_embedder) -> None:
    """An agent asking for PHP in a Python repository got an empty list and no reason."""
    args = {"query": "timeout", "k": 2, "mode": "lexical", "languages": ["php"]}
    found = (await _search_settings(tmp_path, tiny_embedder, "def timeout():\n    return 30\n", args)).structured_content
    assert found["results"] == [] and "no indexed file is in php: this index holds python" in found["note"]


async def test_index_status_counts_source_files_in_languages_it_does_not_read(tmp_path: Path, tiny_embedder) -> None:
    """An agent asking index_status of wrapt (its 3,240-line _wrappers.c never indexed) heard only the Python files'
    counts and took the search for one over all the code (probe 94): the status says what is not read."""
    (tmp_path / "wrappers.py").write_text("def wrap(f):\n    return f\n")
    (tmp_path / "_wrappers.c").write_text("int wrap(void) { return 0; }\n")
    (tmp_path / "README.md").write_text("# wrapt\n")
    with Index.create(tmp_path, Config(), embedder=tiny_embedder) as index:
        index.sync()
    repo = open_repository(tmp_path, Config(), watch=False, embedder=tiny_embedder)
    try:
        async with Client(build_server(repo)) as client:
            status = await client.call_tool("index_status", {})
    finally:
        repo.close()
    assert status.structured_content["not_read"] == {".c": 1}
    assert "; not read: 1 .c (codesearch reads " in status.content[0].text


def test_code_cut_to_the_budget_starts_at_the_line_to_open(tmp_path) -> None:
    """A 300-line class whose question's words are at its line 200, or a module piece laid on its file's lines, kept
    its head (or blank rows) within an agent's budget, not the lines that answer (probes 133, 138, 139, 141): over
    budget, code begins at `line`, and code_line says where."""
    from codesearch.mcp.server import functions
    from codesearch.query import Hit

    code = "\n".join(f"    field_{i} = {i}" for i in range(300))
    hit = Hit(id=1, path="big.py", start_line=10, end_line=309, start_col=1, name="Big", qualified_name="Big",
              language="python", kind="type", score=1.0, code=code, docstring="", signals={"focus": 210})
    (cut,) = functions([hit], tmp_path, 200)
    assert cut.code.startswith("    field_200 = 200") and cut.code_line == 210 and cut.line == 210 and cut.truncated
    (whole,) = functions([hit], tmp_path, 100_000)  # within budget: all of it, from its first line
    assert whole.code == code and whole.code_line == 10 and not whole.truncated
