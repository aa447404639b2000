"""`codesearch mcp` end to end with the SDK's own client over stdio, against a real tiny-BLOOM index."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

pytest.importorskip("mcp")

from mcp.client.session import ClientSession  # noqa: E402
from mcp.client.stdio import StdioServerParameters, stdio_client  # noqa: E402

from codesearch.config import Config  # noqa: E402
from codesearch.engine import Index  # noqa: E402
from codesearch.mcp.repository import LEXICAL_NOTE, Repository  # noqa: E402
from codesearch.query import Query  # noqa: E402

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


async def _until_ready(session: ClientSession) -> dict:
    """index_status once the model is loaded and the watcher started (or could not)."""
    for _ in range(600):
        status = (await session.call_tool("index_status", {})).structured_content
        if status["semantic"] != "building" and (status["watching"] or status["read_only"] or status["model_error"]):
            return status  # the model is loaded and the watcher started (or could not)
        await __import__("anyio").sleep(0.1)
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
            assert status["semantic"] == "ready" and status["functions"] == 8 and status["watching"]

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
            assert bad.is_error and "unknown mode" in bad.content[0].text and "\n" not in bad.content[0].text

            # the repository is being edited: the watcher picks it up, and reindex syncs on demand
            (built / "lib" / "late.py").write_text("def arrived_late_function(x):\n    return x\n")
            for _ in range(200):
                hits = (await session.call_tool("search_code", {"query": "arrived_late_function", "k": 1})).structured_content
                if hits["results"] and hits["results"][0]["name"] == "arrived_late_function":
                    break
                await __import__("anyio").sleep(0.1)
            else:
                raise AssertionError("the watcher never indexed the new file")
            (built / "lib" / "later.py").write_text("def even_later(y):\n    return y\n")
            seen = []

            async def progress(done, total, message):
                seen.append((done, total, message))

            done = await session.call_tool("reindex", {"paths": ["lib/later.py"]}, progress_callback=progress)
            assert not done.is_error, done.content
            assert done.structured_content["functions_total"] == 10
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


def test_lexical_results_while_the_first_index_builds(sample_repo: Path, tiny_bloom: Path, tiny_embedder) -> None:
    with Index.create(sample_repo, Config(), embedder=tiny_embedder) as index:
        index.sync()
    from codesearch.embed.embedding import load_embedder

    tiny_embedder = load_embedder(str(tiny_bloom), Config(max_length=128))  # its own: warming up gives it an int8 query copy
    repo = Repository(sample_repo, Config(), embedder=tiny_embedder)
    repo.index = Index.open(sample_repo, Config(), embedder=tiny_embedder)  # open, model not loaded yet
    repo.first_build = True  # as start() finds a repository with nothing indexed by meaning
    try:
        hits, note = repo.search(Query("retry request", k=3))
        assert note == LEXICAL_NOTE and not repo.index.model_loaded  # answered at once, flagged, not blocked
        assert hits[0].name == "RetryRequest" and all(h.semantic_rank is None for h in hits)
        assert repo.status()["semantic"] == "building"
        repo._prepare()  # what start() runs in the background: load the model, first sync, watch
        assert repo.semantic_ready
        hits, note = repo.search(Query("retry request", k=3))
        assert note is None and hits[0].name == "RetryRequest" and hits[0].semantic_rank is not None
        wait_for(lambda: repo.status()["watching"])
    finally:
        repo.close()


async def test_results_say_how_much_is_embedded_while_a_first_index_embeds(tmp_path: Path, tiny_bloom: Path) -> None:
    """Lexical pass committed, embedding not done (another writer holds the index): results carry coverage."""
    from codesearch.embed.embedding import load_embedder
    from codesearch.sync.indexer import Indexer
    from codesearch.mcp.server import build_server
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
            repo = Repository(root, Config(), embedder=tiny_embedder).start()
            assert repo.built.wait(60) and repo.read_only and repo.semantic_ready
            server = build_server(repo)
            found = (await server.call_tool("search_code", {"query": "retry 3 2", "k": 3})).structured_content
            want = {"embedded": embedded, "functions": 160, "percent": 100 * embedded // 160, "static": 160,
                    "static_percent": 100, "model": tiny_embedder.model_id}  # the static tier covers the rest
            assert found["coverage"] == want and found["mode"] == "hybrid" and found["results"]
            assert found["note"].startswith(f"semantic: static 100 %, tiny-udever {want['percent']} % ({embedded} of 160")
            lexical = (await server.call_tool("search_code", {"query": "retry", "mode": "lexical"})).structured_content
            assert lexical["note"] is None  # lexical answers are whole already
            status = await server.call_tool("index_status", {})
            assert status.structured_content["coverage"] == want
            assert f"({want['percent']} % embedded)" in status.content[0].text
    finally:
        if repo is not None:
            repo.close()
        store.close()
