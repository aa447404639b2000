"""Identifier splitting for the lexical index."""

from codesearch.parse.lexical import expand, fts_query, query_terms, split_identifier


def test_split_identifier() -> None:
    assert split_identifier("parseHTTPConfig_v2") == ["parse", "http", "config", "v", "2"]
    assert split_identifier("RetryRequest") == ["retry", "request"]
    assert split_identifier("load_config") == ["load", "config"]


def test_expand_adds_parts_of_compound_identifiers() -> None:
    text = expand("def parseConfig(x): pass")
    assert "parse" in text.split() and "config" in text.split()


def test_query_terms_and_fts_query() -> None:
    assert query_terms("parseConfig file") == ["parseconfig", "parse", "config", "file"]
    assert fts_query('say "hi"') == '"say" OR "hi"'
    assert fts_query("?!") is None


def test_config_from_env_and_flags() -> None:
    import pytest

    from codesearch.config import Config
    from codesearch.errors import UsageError

    cfg = Config.resolve({"model": "udever-1b1"}, {"CODESEARCH_MODEL": "minilm", "CODESEARCH_MAX_FILE_BYTES": "2048"})
    assert (cfg.model, cfg.max_file_bytes) == ("udever-1b1", 2048)  # flags win over the environment
    with pytest.raises(UsageError, match="CODESEARCH_MAX_FILE_BYTES"):
        Config.resolve({}, {"CODESEARCH_MAX_FILE_BYTES": "lots"})
