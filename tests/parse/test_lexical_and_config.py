"""Identifier splitting and stemming for the lexical index, and the query parsed once."""

import pytest

from codesearch.parse.lexical import index_words, split_identifier, unit_fields
from codesearch.query import Query, QueryTerms, stem


def test_split_identifier() -> None:
    assert split_identifier("parseHTTPConfig_v2") == ["parse", "http", "config", "v", "2"]
    assert split_identifier("RetryRequest") == ["retry", "request"]
    assert split_identifier("load_config") == ["load", "config"]


@pytest.mark.parametrize("name,words", [("normalizeURLs", ["normalize", "urls"]), ("getIDsFor", ["get", "ids", "for"]),
                                        ("ParseIPv4Mask", ["parse", "ipv4", "mask"]), ("JSONv2", ["json", "v", "2"]),
                                        ("HTTPSettings", ["http", "settings"]), ("XMLHttpRequest", ["xml", "http", "request"]),
                                        ("café_Über", ["café", "über"]), ("$scope", ["$scope"])])
def test_an_acronyms_plural_and_ipv4_stay_whole(name: str, words: list[str]) -> None:
    """pflag's `normalizeURLs`, `lookupIDs`, `ParseIPv4Mask` split as ur/ls, i/ds, i/pv/4: "urls", "ids" and "ipv4"
    never met them."""
    assert split_identifier(name) == words


def test_index_words_add_parts_and_stems_of_compound_identifiers() -> None:
    words = index_words("def parseConfigs(x): pass").split()
    assert {"parseconfigs", "parse", "configs", "config", "pars"} <= set(words)
    assert words.count("def") == 1  # a word whose stem is itself is stored once: counts stay true


@pytest.mark.parametrize("text,joined", [("needs to be re-thrown", "rethrown"), ("a read-only view", stem("readonly")),
                                         ("a built-in type", "builtin"), ("non-blocking I/O", stem("nonblocking")),
                                         ("a multi-line string", stem("multiline")), ("your e-mail", "email"),
                                         ("the X-Forwarded-For header", "xforwardedfor"),
                                         ("`--no-cache` skips it", stem("nocache")), ("font-size: 12px", stem("fontsize")),
                                         ("une adresse e-mél", "emel")])
def test_a_hyphenated_word_is_stored_joined_too(text: str, joined: str) -> None:
    """commons-logging's "needs to be re-thrown" was stored as `re` and `thrown` only: "rethrown" met nothing (probe
    213). The word joined is stored too, stemmed as any word, its parts as before."""
    words = index_words(text).split()
    assert joined in words and set(index_words(text.replace("-", " ")).split()) <= set(words)


@pytest.mark.parametrize("text", ["x = count-1", "2024-01-02", "123e4567-e89b-12d3-a456-426614174000", "[a-zA-Z]",
                                  "sha-256 and utf-8", "a state-of-the-art-and-then-some thing", "well-known-"])
def test_what_is_no_hyphenated_word_is_not_joined(text: str) -> None:
    """Digits (arithmetic `count-1`, dates, UUIDs, `utf-8`), a character range's mixed case (`a-zA-Z`), a chain of more
    than lexical.JOINED_PIECES words (a slug, a phrase) and a chain running on into a hyphen are left as their parts."""
    assert sorted(index_words(text).split()) == sorted(index_words(text.replace("-", " ")).split())


def test_stem_meets_a_words_common_forms() -> None:
    for forms in (("parse", "parses", "parsed", "parsing"), ("redirect", "redirects", "redirected"),
                  ("entry", "entries"), ("class", "classes"), ("stop", "stopping", "stopped"), ("cache", "caches", "cached"),
                  ("websocket", "websockets"), ("warn", "warning", "warnings"), ("setting", "settings"),
                  ("meeting", "meetings")):
        assert len({stem(f) for f in forms}) == 1, forms
    assert stem("process") == "process" and stem("status") == "status" and stem("is") == "is"
    # a verb's irregular past forms (pflag: "hide a flag" met `MarkHidden` 13th by its words); not `bit`, `found`
    for forms in (("hide", "hidden", "hid"), ("write", "written", "wrote"), ("build", "built"), ("choose", "chosen")):
        assert len({stem(f) for f in forms}) == 1, forms
    assert stem("bit") != stem("bite") and stem("found") != stem("find") and stem("bound") != stem("bind")
    # a noun's irregular plurals (sqlparse: "parentheses" never met `Parenthesis`, "children" no `add_child`: probe 71)
    for forms in (("child", "children"), ("parenthesis", "parentheses"), ("alias", "aliases"), ("index", "indices",
                  "indexes"), ("vertex", "vertices"), ("leaf", "leaves"), ("axis", "axes")):
        assert len({stem(f) for f in forms}) == 1, forms
    # a word whose e-less stem is another word keeps its e (joda-convert: "convert a Locale" met LOCAL_CLASS)
    for word, other in (("locale", "local"), ("state", "stat"), ("states", "stats"), ("stripe", "strip")):
        assert stem(word) != stem(other), word
    assert stem("locales") == stem("locale") and stem("states") == stem("state")
    for forms in (("scrape", "scraped", "scraping"), ("state", "stated"), ("stripe", "striped")):  # and its -ed, -ing
        assert len({stem(f) for f in forms}) == 1, forms
    # a stem is its own stem ("emit warnings" never met `Log.warn`: warnings stemmed to warning, not warn)
    for word in ("warnings", "strings", "things", "rings", "encodings", "mappings", "buildings"):
        assert stem(stem(word)) == stem(word), word


def test_a_four_letter_word_keeps_its_final_e_and_a_short_stem_gets_it_back() -> None:
    # "which mode" met every `mod` (modulo), "node" `nod`, "mine" `min`, "pose" `pos`, "bite" `bit`, "hope" `hop`
    for word, other in (("mode", "mod"), ("node", "nod"), ("mine", "min"), ("pose", "pos"), ("bite", "bit"),
                        ("hope", "hop"), ("note", "not"), ("cure", "cur"), ("pipe", "pip")):
        assert stem(word) != stem(other), word
    for forms in (("name", "names", "named", "naming"), ("type", "types", "typed"), ("mode", "modes"),
                  ("code", "codes", "coding", "coded"), ("save", "saved", "saving"), ("line", "lines"),
                  ("case", "cases"), ("size", "sizes"), ("base", "bases"), ("phase", "phases")):
        assert len({stem(f) for f in forms}) == 1, forms
    for word, root in (("fixed", "fix"), ("mapped", "map"), ("keyed", "key"), ("added", "add"), ("boxed", "box")):
        assert stem(word) == root, word


def test_stem_meets_an_adverb_with_its_adjective_and_keeps_doers_apart() -> None:
    # how a question says it and how code names it: "compare two values structurally" finds structuralComparer
    for forms in (("structural", "structurally"), ("deep", "deeply"), ("shallow", "shallowly"),
                  ("complete", "completely", "completed"), ("recursive", "recursively"), ("strict", "strictly")):
        assert len({stem(f) for f in forms}) == 1, forms
    # "-ied" as "-ies" (a question in the passive: "how are failed requests retried"); "-ically" and "-ical" as "-ic"
    # ("write a file atomically" finds atomic_save; logical and logic meet)
    for forms in (("retry", "retries", "retried"), ("copy", "copied"), ("apply", "applied"), ("atomic", "atomically"),
                  ("automatic", "automatically"), ("logic", "logical", "logically"), ("lexical", "lexically")):
        assert len({stem(f) for f in forms}) == 1, forms
    for word in ("only", "apply", "reply", "family", "lazily"):  # not adverbs of a longer word
        assert stem(word) == word, word
    # a doer stays apart from its verb: Subscriber is not subscribe, Observer is not observe
    # (merging them lost on the benchmark's tuning half, benchmarks/results/whole-repo-fresh.md)
    assert stem("subscriber") != stem("subscribe") and stem("observer") != stem("observe")


def test_unit_fields_put_file_name_and_folder_words_in_their_own_fields() -> None:
    name, file, path, doc, code = unit_fields("serve", "App.serve", "lib/net_io/websockets.py", "Serves it.", "x = 1")
    assert set(name.split()) == {"app", "serve", "serv"}
    assert "websocket" in file.split() and "py" not in file.split()  # "websocket" finds websockets.py; the suffix says nothing
    assert {"lib", "net_io", "net", "io"} <= set(path.split())


def test_query_terms_read_a_question_and_a_name_differently() -> None:
    q = QueryTerms.parse("How are redirects followed?")
    assert q.natural and not q.identifier and q.content == ("redirect", "follow") and q.search_words == q.content
    name = QueryTerms.parse(" parseConfig ")
    assert name.identifier and not name.natural and name.symbol == "parseconfig"
    assert name.search_words == ("parseconfig", "parse", "config")  # a name is matched as typed, not stemmed


def test_a_word_with_digits_stays_one_word_as_the_index_holds_it() -> None:
    """`base64`, `sha256`, `utf8`: the query kept only their letters ('base', 'sha'; the English-only check's letters
    pattern had taken the query splitter's name), so "base" names outranked `readStreamAsBase64` (capacitor)."""
    assert QueryTerms.parse("base64").words[:1] == ("base64",)
    assert {"base64", "utf8"} <= set(QueryTerms.parse("encode utf8 strings to base64").content)
    assert "base64" in index_words("readStreamAsBase64 base64").split()  # what the index holds for it
    # symfony-uid's `toBase58`, validator's `isBase64`: a name's letters with the digits after them are one word too (the
    # index held `base` and `58` only, so "base58" met no name: probe 177)
    assert {"base58", "utf8", "sha256", "base64"} <= set(index_words("toBase58 toUtf8 sha256Hash base64_encode").split())
    assert "int32" in index_words("Int32Array").split() and "v2" in index_words("parseConfig_v2").split()
    # in a question a snake_case name counts by its words only (whole, it won the words for the function over the
    # test asked for: "unit tests for get_encoding_from_headers"); typed alone it is matched as typed
    assert QueryTerms.parse("unit tests for get_encoding_from_headers").content == ("unit", "test", "encod", "header")
    assert QueryTerms.parse("get_encoding_from_headers").search_words[0] == "get_encoding_from_headers"
    assert QueryTerms.parse("Depends").search_words == ("depends",)
    assert QueryTerms.parse("the of").search_words == ("the", "of")  # nothing but stop words: search what was typed
    assert Query("where is x parsed").terms == QueryTerms.parse("where is x parsed")


def test_config_from_env_and_flags() -> None:
    import pytest

    from codesearch.config import Config
    from codesearch.errors import UsageError

    cfg = Config.resolve({"model": "udever-1b1"}, {"CODESEARCH_MODEL": "minilm", "CODESEARCH_MAX_FILE_BYTES": "2048"})
    assert (cfg.model, cfg.max_file_bytes) == ("udever-1b1", 2048)  # flags win over the environment
    with pytest.raises(UsageError, match="CODESEARCH_MAX_FILE_BYTES"):
        Config.resolve({}, {"CODESEARCH_MAX_FILE_BYTES": "lots"})


def test_like_and_such_say_how_a_question_is_asked() -> None:
    """jopt-simple: "how is a short option specification string like ab:c:: interpreted" put `looksLikeAnOption`
    first by its name's "like"; SQL's shouted LIKE stays a word."""
    assert "like" not in QueryTerms.parse("how is an option string like ab:c interpreted").content
    assert "such" not in QueryTerms.parse("names such as foo").content
    assert "like" in QueryTerms.parse("build a LIKE query").content
