"""A question in full words meets code written in the usual abbreviations ("configuration" finds `load_cfg`,
"javascript" finds `toJS`), through a real index; a name typed as is is never expanded."""

from __future__ import annotations

from pathlib import Path

import pytest

from codesearch.config import Config
from codesearch.engine import Index
from codesearch.query import ABBREVIATIONS, Query, QueryTerms, stem
from codesearch.search.bm25 import Bm25
from codesearch.search.ranking import PLAIN
from codesearch.search.searcher import Searcher

from conftest import indexed_files

FILES = {
    # the answers: their names and code hold only the abbreviation
    "store/db.py": "def open_db(path):\n    return connect(path)\n",
    "app/settings.py": "def load_cfg(path):\n    return parse(path)\n",
    "api/tojs.py": "def toJS(value):\n    return convert(value)\n",
    # distractors: the question's other word, said more often
    "io/files.py": 'def open_file(path):\n    """Open a file, open for reading."""\n    return open(path)\n',
    "app/text.py": 'def load_text(path):\n    """Load text: load it all."""\n    return load(path)\n',
    "api/convert.py": 'def convert_all(values):\n    """Convert each value."""\n    return [convert(v) for v in values]\n',
    # table-core's `memo(getDeps, fn)`: "memoize ... when dependencies change" (probe round four)
    "core/utils.py": "def memo(get_deps, fn):\n    return cached(get_deps, fn)\n",
    "core/compute.py": 'def compute_all(items):\n    """Compute each item: compute and change them."""\n    return [compute(i) for i in items]\n',
    # FastRoute's "fall back" to a GET route for HEAD: code writes the two words as one (`fallback`, `setUp`)
    "routing/dispatch.py": "def dispatch(method, routes):\n    fallback = routes.get('GET')\n    return fallback\n",
    "routing/history.py": 'def rewind(steps):\n    """Step back some steps."""\n    return steps\n',
    # and back: jcommander's "convert string to bool" found StringConverter, the code saying "Boolean"
    "convert/boolean.py": "class BooleanConverter:\n    def convert(self, text):\n        return parse_boolean(text)\n",
    "convert/strings.py": 'class StringConverter:\n    """Convert a value to a string."""\n    def convert(self, value):\n'
                          '        return str(value)\n',
    # viper's safeMul for "detect integer overflow when multiplying": GetInt's `int`s came first (probe 53)
    "cast/safe.py": "def safe_mul(a, b):\n    return guard(a * b)\n",
    "cast/ints.py": 'def get_int(key):\n    """Get an integer; no overflow check."""\n    return int(lookup(key))\n',
}
CASES = [("open the database", "store/db.py:open_db"),
         ("load the configuration", "app/settings.py:load_cfg"),
         ("convert to javascript", "api/tojs.py:toJS"),
         ("memoize a computation until its dependencies change", "core/utils.py:memo"),
         ("fall back to another method", "routing/dispatch.py:dispatch"),
         ("convert a string to bool", "convert/boolean.py:convert"),
         ("detect overflow when multiplying", "cast/safe.py:safe_mul")]


@pytest.fixture(scope="module")
def store(tmp_path_factory, tiny_embedder):
    root: Path = tmp_path_factory.mktemp("abbrev") / "repo"
    for rel, text in FILES.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    with Index.create(root, Config(), embedder=tiny_embedder) as index:
        index.sync()
        yield index.store


def _top(store, text: str, opts=PLAIN) -> list[str]:
    return [f"{h.path}:{h.name}" for h in Searcher(store, None, opts).search(Query(text, k=5, mode="lexical"))]


@pytest.mark.parametrize("question, answer", CASES)
def test_a_question_in_full_words_finds_the_abbreviated_code(store, question: str, answer: str) -> None:
    assert _top(store, question)[0] == answer
    assert _top(store, question, PLAIN.with_(bm25=Bm25(abbreviation_weight=0.0)))[0] != answer  # the expansion did it


def test_a_name_is_not_expanded(store) -> None:
    assert QueryTerms.parse("loadConfiguration").abbreviations == ()
    assert QueryTerms.parse("open_database").abbreviations == ()
    assert "store/db.py:open_db" not in _top(store, "open_database")[:1]


def test_a_question_gets_each_words_abbreviations_once() -> None:
    terms = QueryTerms.parse("read the config from the configuration database")
    # "configuration" is said already; cfg and conf, the other short forms of config, go with it, the first to say them
    assert dict(terms.abbreviations) == {"config": ("cfg", "conf", "configur", "configurabl"), "databas": ("db",)}
    assert dict(QueryTerms.parse("match regular expressions").abbreviations)["expression"][:2] == ("regex", "regexp")


def test_a_phrase_of_three_words_and_one_with_a_stop_word_meet_their_abbreviation() -> None:
    """pflag's readAsCSV: "parse comma separated values" never met `csv` (only one- and two-word phrases were read);
    "time to live" is `ttl`, its stop word left out as the question's is."""
    assert "csv" in dict(QueryTerms.parse("parse comma separated values into strings").abbreviations)[stem("values")]
    assert dict(QueryTerms.parse("time to live of an entry").abbreviations)[stem("live")] == ("ttl",)
    # xml2js' stripBOM never met "remove the byte order mark" (probe 145)
    assert dict(QueryTerms.parse("remove the byte order mark before parsing").abbreviations)[stem("mark")] == ("bom",)
    assert "csv" not in str(QueryTerms.parse("values separated by tabs").abbreviations)


def test_an_abbreviation_meets_the_others_of_the_same_word(tmp_path, tiny_embedder) -> None:
    """radash: "deep equality comparison of dates and regexes" put isEqual 4th: `regex` never met the code's `RegExp`,
    the two short forms of one phrase (probe 152); so `tmp` and `temp`, `res` and `resp`."""
    files = {"src/typed.ts": "export const isPattern = (value: any): boolean => {\n  return value instanceof RegExp\n}\n\n"
                             "export const isDate = (value: any): value is Date => {\n  return value instanceof Date\n}\n",
             "src/words.ts": "export const splitWords = (text: string) => {\n  const regex = /\\s+/\n"
                             "  return text.split(regex)\n}\n"}  # the code says "regex" too: no slip read
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        hits = index.search(Query("is the value a regex", k=2, mode="lexical"))
    assert hits[0].name == "isPattern", [h.name for h in hits]
    assert "temp" in dict(QueryTerms.parse("clean the tmp folder").abbreviations)["tmp"]


def test_a_printf_style_name_says_its_verb_and_format(tmp_path, tiny_embedder) -> None:
    """pkg/errors: "wrap an error with a formatted message" put Wrapf fourth, under Wrap: `wrapf` is one word (probe
    156). A printf-style name says its verb and "format" among its name's words; a body calling fmt.Errorf does not."""
    from codesearch.query import formatted_words
    files = {"errors.go": "package errors\n\nfunc Wrap(err error, message string) error {\n\treturn err\n}\n\n"
                          "func Wrapf(err error, f string, args ...any) error {\n\treturn err\n}\n\n"
                          "func Check(err error) error {\n\treturn fmt.Errorf(\"check: %w\", err)\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        hits = index.search(Query("wrap an error with a formatted message", k=3, mode="lexical"))
    assert hits[0].name == "Wrapf", [h.name for h in hits]
    assert formatted_words("WithMessagef") == ("message", "format") and formatted_words("Errorf") == ("error", "format")
    assert formatted_words("Leaf") == formatted_words("conf") == formatted_words("Buf") == ()
    from codesearch.search.ranking import name_match
    assert name_match(QueryTerms.parse("wrap with a format"), "Wrapf", "Wrapf", "errors.go")[0] == 1.0  # its name's


def test_a_special_method_is_found_by_what_it_means_and_an_import_is_no_noun(tmp_path, tiny_embedder) -> None:
    """yarl: "url equality" put URL.__eq__ 11th, its name's one word `eq`; environs: "collect all validation errors"
    read "collect" as `collections`, which the code says only to import it (probe 154)."""
    files = {"yarl/_url.py": "class URL:\n    def __eq__(self, other):\n        return self._val == other._val\n\n"
                             "    def join(self, url):\n        return URL(url)\n",
             "env.py": "import collections\n\n\ndef tally(items):\n    return collections.Counter(items)\n\n\n"
                       "def seal(self):\n    errors = self._errors\n    if errors:\n        raise EnvError(errors)\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        equal = index.search(Query("url equality", k=3, mode="lexical"))
        words = Searcher(index.store, None, PLAIN).search(Query("url equality", k=1, mode="lexical"))  # its words
        collect = index.search(Query("collect all the errors and raise them together", k=3, mode="lexical"))
    assert words[0].name == "__eq__", [h.name for h in words]
    assert equal[0].name == "__eq__", [h.name for h in equal]
    assert collect[0].name == "seal" and not any(h.name == "tally" for h in collect), [h.name for h in collect]
    assert "idna" in dict(QueryTerms.parse("encode an internationalized domain name").abbreviations)["name"]
    assert "en" not in QueryTerms.parse("convertir guiones bajos en guiones medios").content  # probe 154


def test_a_lookup_of_a_cache_is_no_attribute_lookup(tmp_path, tiny_embedder) -> None:
    """aiocache: "count how often lookups hit the cache" put `_Conn.__getattr__`, two lines handing an attribute on to
    its cache, first by its gloss "attribute lookup", over HitMissRatioPlugin (probe 282): `__getattr__` is said as
    "attribute" only; an attribute lookup is still it."""
    files = {"conn.py": ("class _Conn:\n    def __init__(self, cache):\n        self._cache = cache\n\n"
                         "    def __getattr__(self, name):\n        return self._cache.__getattribute__(name)\n"),
             "plugins.py": ("class HitMissRatioPlugin:\n    \"\"\"Calculates the ratio of hits the cache has.\"\"\"\n\n"
                            "    async def post_get(self, client, key, ret=None):\n"
                            "        client.hit_miss_ratio[\"total\"] += 1\n        if ret is not None:\n"
                            "            client.hit_miss_ratio[\"hits\"] += 1\n")}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        hits = index.search(Query("count how often lookups hit the cache", k=3, mode="lexical"))
        attribute = index.search(Query("attribute lookup on the connection", k=3, mode="lexical"))
    assert hits[0].path == "plugins.py", [h.qualified_name for h in hits]
    assert attribute[0].name == "__getattr__", [h.qualified_name for h in attribute]


def test_a_document_phrase_meets_its_initialism_in_a_name(tmp_path, tiny_embedder) -> None:
    """blackfriday: "where is the table of contents generated" put writeTOC 18th below every unit saying "table"
    (probe 151); the usual phrases of code meet their initialisms as "time to live" meets `ttl`."""
    files = {"html.go": "package md\n\nfunc (r *Renderer) writeTOC(doc *Node) {\n\tr.out(doc)\n}\n\n"
                        "func (r *Renderer) tableCell(n *Node) {\n\tr.out(n)\n}\n\n"
                        "func (r *Renderer) tableRow(n *Node) {\n\tr.out(n)\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        hits = index.search(Query("where is the table of contents generated", k=3, mode="lexical"))
    assert hits[0].name.endswith("writeTOC"), [h.name for h in hits]
    assert dict(QueryTerms.parse("walk the abstract syntax tree").abbreviations)[stem("tree")][0] == "ast"
    assert "csrf" in dict(QueryTerms.parse("check the cross site request forgery token").abbreviations)[stem("forgery")]


def test_a_word_code_writes_joined_meets_its_words_spelled_apart() -> None:
    """mime-types' `type_for(filename)` never met "file name" (probe 60): filename, username, hostname, timestamp."""
    assert stem("filename") in dict(QueryTerms.parse("return the file name of an upload").abbreviations)[stem("name")]
    assert stem("hostname") in dict(QueryTerms.parse("resolve the host name").abbreviations)[stem("name")]
    assert QueryTerms.parse("filename").abbreviations == ()


def test_the_table_holds_stems() -> None:
    assert ABBREVIATIONS[(stem("configuration"),)] == ("config", "cfg", "conf")
    assert all(a == stem(a) for short in ABBREVIATIONS.values() for a in short)


def test_an_abbreviation_two_words_share_is_counted_once() -> None:
    """"documentation and documents" both abbreviate to `doc`: one group gets it, or code saying `doc` would score
    twice for it."""
    from codesearch.query import QueryTerms

    terms = QueryTerms.parse("where are documentation and documents initialized")
    given = [a for _, short in terms.abbreviations for a in short]
    assert len(given) == len(set(given)) and "doc" in given



def test_standard_output_and_standard_error_meet_stdout_and_stderr(tmp_path, tiny_embedder) -> None:
    """commons-exec: "where are standard output and standard error copied" met Executor, not PumpStreamHandler, which
    says `stdout` and `stderr` (probe 64); the second phrase's "standard" is a repeat the question's words drop, so
    phrases are read in the question's order."""
    files = {"pump.py": "def pump_streams(stdout, stderr):\n    return start(stdout, stderr)\n",
             "executor.py": 'def execute(cmd):\n    """Execute a command; its output is copied."""\n    return run(cmd)\n',
             "errors.py": 'def fail(msg):\n    """Raise an error."""\n    raise ValueError(msg)\n'}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        hits = index.search(Query("where are standard output and standard error copied", k=3, mode="lexical"))
    assert hits[0].name == "pump_streams"
    assert dict(QueryTerms.parse("standard output and standard error").abbreviations)["error"][0] == "stderr"


def test_a_british_spelling_meets_the_codes_american_one(tmp_path, tiny_embedder) -> None:
    """dry-inflector: "singularise a word" met `singularize` only by "word" (lexical rank 4); "normalise path" likewise.
    The code's spelling stands in only when the code holds it and not the question's (raise, promise stay)."""
    files = {"inflector.py": "def singularize(word):\n    return word\n",
             "paths.py": 'def join_path(word, path):\n    """Join a word to a path."""\n    return path + word\n',
             "errors.py": "def fail(msg):\n    raise ValueError(msg)\n",
             # structlog: "colour output" found no `color` (dev.py's renderer came third)
             "dev.py": "def paint_level(level):\n    return color_of(level)\n",
             "render.py": 'def render(output):\n    """Write the output."""\n    return output\n',
             # and back: jsoup's `Tokeniser` was not found by "tokenizer" (no result at all by words)
             "tokens.py": "class Tokeniser:\n    def read(self, text):\n        return text\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        british = index.search(Query("singularise a word", k=3, mode="lexical"))
        raised = index.search(Query("raise an error", k=3, mode="lexical"))
        colour = index.search(Query("pick the colour", k=3, mode="lexical"))
        american = index.search(Query("the html tokenizer", k=3, mode="lexical"))
    assert british[0].name == "singularize" and raised[0].name == "fail" and colour[0].name == "paint_level"
    assert american and american[0].name == "Tokeniser"


def test_a_spelling_meets_the_other_where_the_code_writes_both(tmp_path, tiny_embedder) -> None:
    """jsoup writes both `normalize` and `normaliseWhitespace`: "normalize whitespace" met normalizeTag and
    appendWhitespace first, normaliseWhitespace third; "tokenizer" gave TokeniserState no name match (probe 69)."""
    from codesearch.search.ranking import name_match

    files = {"StringUtil.java": "class StringUtil {\n    static String normaliseWhitespace(String s) {\n"
                                "        return s.trim();\n    }\n}\n",
             "Tag.java": "class Tag {\n    static String normalizeTag(String name) {\n        return name.toLowerCase();\n"
                         "    }\n    static void appendWhitespace(StringBuilder b) {\n        b.append(' ');\n    }\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        hits = index.search(Query("normalize whitespace", k=3, mode="lexical"))
    assert hits[0].name == "normaliseWhitespace"
    assert name_match(QueryTerms.parse("html tokenizer state"), "TokeniserState", "TokeniserState", "T.java")[0] == 2 / 3


def test_british_spellings_combine_into_the_american_one() -> None:
    """colourise is colorize (the -our and the -ise rules together); four, hour and your are no British spellings."""
    from codesearch.search.bm25 import american

    assert [american(stem(w)) for w in ("colourise", "colourisation", "behavioural", "odour")] == [
        stem("colorize"), stem("colorization"), stem("behavioral"), stem("odor")]
    assert [american(stem(w)) for w in ("four", "hour", "your", "raise")] == [None] * 4


def test_a_misspelt_word_meets_the_word_the_code_says(tmp_path, tiny_embedder) -> None:
    """Probes' typing slips: pflag's "durtion flag parsing" found duration.go in no mode (the words list searched for
    "durtion" only), mustermann's "pattren cashe" none; a letter left out, added or two swapped is read as the code's
    word. An English word the code never says is meant as typed ("refuse" is no slip of `reuse`), and a changed letter
    is no slip ("decide" is not `decode`)."""
    files = {"duration.go": "package flag\n\nfunc durationConv(sval string) (Duration, error) {\n\treturn parse(sval)\n}\n",
             "flag.go": "package flag\n\nfunc (f *FlagSet) Parsed() bool {\n\treturn f.parsed\n}\n",
             "pattern.go": "package flag\n\nfunc compilePattern(text string) string {\n\treturn text\n}\n",
             "reuse.go": "package flag\n\nfunc reuseBuffer(b []byte) []byte {\n\treturn b[:0]\n}\n",
             "decode.go": "package flag\n\nfunc decodeValue(b []byte) []byte {\n\treturn b\n}\n",
             # httprouter: "normalise a messy url" read as `normal` ("does a normal lookup"): probe 68
             "lookup.go": "package flag\n\n// lookup does a normal lookup.\nfunc lookup(k string) string {\n\treturn k\n}\n",
             # rake: "where are tempory build files clened up" ("clened" stems to four letters: probe 75)
             "clean.go": "package flag\n\nfunc cleanFiles(paths []string) {\n\tremove(paths)\n}\n",
             # toml: "unmarshall toml into strcut" (a last letter doubled; "marshall" an English word too: probe 73)
             "codec.go": "package flag\n\nfunc Marshal(v any) []byte {\n\treturn nil\n}\n\n"
                         "func Unmarshal(data []byte, v any) error {\n\treturn nil\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        slipped = index.search(Query("durtion flag", k=3, mode="lexical"))
        spelt = index.search(Query("duration flag", k=3, mode="hybrid"))
        swapped = index.search(Query("compile a pattren", k=3, mode="lexical"))
        meant = index.search(Query("refuse the request", k=3, mode="lexical"))
        changed = index.search(Query("decide quickly", k=3, mode="lexical"))
        derived = index.search(Query("normalise a messy url", k=3, mode="lexical"))
        short_stem = index.search(Query("clened up", k=3, mode="lexical"))
        doubled = index.search(Query("unmarshall bytes", k=3, mode="lexical"))
        doubled_word = index.search(Query("marshall", k=3, mode="lexical"))
    assert slipped[0].name == "durationConv" and swapped[0].name == "compilePattern"
    from codesearch.query import read_note  # and the user is told what was searched for
    assert slipped[0].signals["read_as"] == {"durtion": "duration"} and '"durtion" as "duration"' in read_note(slipped)
    assert read_note(spelt) is None and all("read_as" not in h.signals for h in spelt)
    assert all("read_as" not in h.signals for h in slipped[1:])  # said once (review: on every line of --explain)
    assert not any(h.name == "reuseBuffer" for h in meant)
    assert not any(h.name == "decodeValue" for h in changed)
    assert not any(h.name == "lookup" for h in derived)  # a word made from the code's, not a slip of it
    assert short_stem and short_stem[0].name == "cleanFiles"
    assert doubled[0].name == "Unmarshal" and doubled_word[0].name == "Marshal"


def test_an_english_word_is_no_slip_of_a_much_shorter_one(tmp_path, tiny_embedder) -> None:
    """webmock: "parse nested query string keys" said `read "nested" as "net"`, jsonp's "reuse char buffers" `as
    "res"` (probe 137): the word list lacks "nested", and its stem "nest" is one slip from `net`, but the word typed is
    three. A slip read as a word is as long as the word typed, one letter either way."""
    files = {"tree.py": 'def flatten_dict(d, prefix=""):\n    """Turn a dict of dicts into one level."""\n    return d\n',
             "net.py": "def net_connect(host):\n    return host\n\n\ndef net_send(sock):\n    return sock\n\n\n"
                       "def net_flatten_headers(headers):\n    return headers\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        hits = index.search(Query("flatten nested dictionaries", k=3, mode="lexical"))
        slipped = index.search(Query("flaten dictionaries", k=3, mode="lexical"))
    assert "read_as" not in hits[0].signals and not any(h.name == "net_connect" for h in hits), [
        (h.name, h.signals.get("read_as")) for h in hits]
    assert slipped[0].signals.get("read_as") == {"flaten": "flatten"}


def test_a_past_tense_without_its_e_is_a_slip(tmp_path, tiny_embedder) -> None:
    """nanostores: "keep store mountd forevr" read "mountd" as the English "mount" with a `d` ending and matched no word
    (probe 195): a `d` ends a word after an `e` only ("decided"), and "mountd" is a slip of `mounted`."""
    files = {"disk.py": "def attach_disk(disk):\n    disk.mounted = True\n    return disk\n",
             "detach.py": "def detach_disk(disk):\n    return disk.eject()\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        hits = index.search(Query("where is a disk mountd", k=2, mode="lexical"))
    assert hits[0].name == "attach_disk" and hits[0].signals.get("read_as") == {"mountd": "mounted"}, [
        (h.name, h.signals.get("read_as")) for h in hits]


def test_https_is_no_plural_of_http(tmp_path, tiny_embedder) -> None:
    """starlette: "force https" met every unit saying http, HTTPSRedirectMiddleware 23rd (probe 202): a secure
    protocol's name stems as itself."""
    files = {"middleware/httpsredirect.py": "class HTTPSRedirectMiddleware:\n    def __call__(self, scope):\n"
                                            "        if scope['scheme'] == 'http':\n            return redirect('https')\n",
             "client.py": "def send_http_request(url):\n    return http_get(url, http_version='1.1')\n\n\n"
                          "def http_get(url, http_version):\n    return url\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        hits = index.search(Query("force https", k=2, mode="lexical"))
    assert hits[0].path == "middleware/httpsredirect.py", [(h.path, h.name) for h in hits]
    from codesearch.query import stem
    assert stem("https") == "https" and stem("https") != stem("http") and stem("protocols") == "protocol"


def test_a_verb_the_code_never_says_meets_its_noun(tmp_path, tiny_embedder) -> None:
    """go-toml: "coerce Go values into supported toml types" never reached simpleValueCoercion (probe 68): the code
    says the noun only, and nouns of action stay apart from their verbs; where the verb is never said, its noun stands
    in. Where the code says the verb, it is searched as said."""
    files = {"create.go": "package toml\n\nfunc simpleValueCoercion(v any) any {\n\treturn v\n}\n",
             "tree.go": "package toml\n\nfunc treeValues(t *Tree) []any {\n\treturn t.values\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        hits = index.search(Query("coerce values", k=3, mode="lexical"))
    assert hits[0].name == "simpleValueCoercion"
    from codesearch.search.bm25 import _NOUN_ENDINGS
    # an adjective is no verb: "positive" is no `position`, "relative" no `relation` (review)
    assert "on" not in _NOUN_ENDINGS and {"ion", "tion", "sion", "cion"} <= _NOUN_ENDINGS


def test_a_doer_the_code_never_says_meets_its_verb(tmp_path, tiny_embedder) -> None:
    """symfony: "autoloader class map" never reached autoload.php (probe 146): the code says the verb only. Where the
    doer is never said, its verb stands in ("serializer" for `serialize`); a short root is none ("user" is no `us`)."""
    files = {"src/autoload.php": "<?php\nfunction autoload_register(array $classMap) {\n    return $classMap;\n}\n",
             "src/loader.php": "<?php\nfunction class_names(array $map) {\n    return array_keys($map);\n}\n",
             "src/out.py": "def serialize(value):\n    return str(value)\n\n\ndef us_states():\n    return []\n\n\n"
                           "def count(items):\n    return len(items)\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        hits = index.search(Query("autoloader class map", k=3, mode="lexical"))
        doer = index.search(Query("serializer", k=3, mode="lexical"))
        user = index.search(Query("user states", k=3, mode="lexical"))
        counter = index.search(Query("serialize the program counter", k=3, mode="lexical"))  # probe 156
    assert hits[0].path == "src/autoload.php" and hits[0].signals.get("read_as") == {"autoloader": "autoload"}
    assert doer[0].name == "serialize"
    assert all("read_as" not in h.signals for h in user)
    assert all("counter" not in h.signals.get("read_as", {}) for h in counter)


def test_an_adjective_the_code_never_says_meets_no_noun(tmp_path, tiny_embedder) -> None:
    """Review: "keep positive numbers" read "positive" as `position` and pulled cursor_position in."""
    files = {"m.py": "def cursor_position(view):\n    return view.cursor\n\n\ndef keep_above_zero(numbers):\n"
                     "    return [n for n in numbers if n > 0]\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        hits = index.search(Query("keep positive numbers", k=3, mode="lexical"))
        one = index.search(Query("durtion", k=3, mode="lexical"))
    from codesearch.query import read_note
    assert hits[0].name == "keep_above_zero" and "read_as" not in hits[0].signals
    assert not any(h.name == "cursor_position" for h in hits)
    assert read_note(one) is None or "durtion" in read_note(one)  # a one-word query is said to as well, when read


def test_a_slip_is_read_again_once_the_code_changes(tmp_path, tiny_embedder) -> None:
    """The near words are remembered per catalog version: a word the code comes to say is met on the next search."""
    with indexed_files(tmp_path, {"flag.go": "package flag\n\nfunc Parsed() bool {\n\treturn true\n}\n"},
                       tiny_embedder) as index:
        before = index.search(Query("durtion values", k=3, mode="lexical"))
        (tmp_path / "duration.go").write_text("package flag\n\nfunc durationConv(s string) int {\n\treturn len(s)\n}\n")
        index.sync()
        after = index.search(Query("durtion values", k=3, mode="lexical"))
    assert not before and after[0].name == "durationConv"


def test_slips_count_left_out_added_and_swapped_letters_once_and_a_changed_one_twice() -> None:
    """The distance misspelt reads: `pattren` one swap from pattern, `durtion` one letter short of duration."""
    from codesearch.search.bm25 import slips

    assert [slips("pattren", "pattern", 2), slips("durtion", "duration", 2), slips("upgrd", "upgrad", 2)] == [1, 1, 1]
    assert [slips("decid", "decod", 2), slips("abc", "abc", 2), slips("recent", "reset", 1)] == [2, 0, 2]


def test_a_number_in_a_question_is_one_of_its_words(tmp_path, tiny_embedder) -> None:
    """bottle: "answer 405 when the method is wrong" put Router.match 11th, the 405 dropped from the question's words
    and "wrong" deciding (probe 71). A status code, a port, a year is searched for; a single digit ("utf 8") is not."""
    code = ("def lookup_static(routes, path):\n    if path not in routes:\n        raise HTTPError(404, 'Not found')\n"
            "    return routes[path]\n\n\ndef dispatch(routes, verb, path):\n    handlers = routes.get(path, {})\n"
            "    if verb not in handlers:\n        raise HTTPError(405, 'Method not allowed')\n    return handlers[verb]\n\n\n"
            "def guard(handler, request):\n    try:\n        return handler(request)\n    except Exception:\n"
            "        raise HTTPError(500, 'Internal error')\n")
    with indexed_files(tmp_path, {"router.py": code}, tiny_embedder) as index:
        hits = index.search(Query("where do we answer with a 405 error", k=3, mode="lexical"))
    assert hits and hits[0].name == "dispatch"
    assert QueryTerms.parse("utf 8 encoding").search_words == ("utf", "encod")


def test_a_slip_the_tests_repeat_is_still_read_as_the_codes_word(tmp_path, tiny_embedder) -> None:
    """commons-csv: "where is the delimeter checked" found only LexerTest.testDelimeterQuoted, the slip being in a
    test's name, and isDelimiter nowhere (probe 74): a word said in a unit or two, one slip from a word said in many
    times as many, is searched with it."""
    lexer = "".join(f"def read_{n}(delimiter, text):\n    return text.split(delimiter)\n\n\n" for n in range(5))
    lexer += "def is_delimiter(ch, delimiter):\n    return ch == delimiter\n"
    files = {"csv/lexer.py": lexer,
             "tests/test_lexer.py": "def test_delimeter_quoted():\n    assert parse('a;b') == ['a', 'b']\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        hits = index.search(Query("where is the delimeter checked", k=5, mode="lexical"))
    from codesearch.query import read_note
    assert any(h.name == "is_delimiter" for h in hits) and read_note(hits) == "note: read \"delimeter\" as \"delimiter\" (the code's word)"


def test_the_note_shows_a_stem_as_the_code_writes_its_word(tmp_path, tiny_embedder) -> None:
    """The note said "upgrad…", "reindent…", "delimiter…": a stem shown with a mark, also for words the code writes
    just so (probes 71, 73, 74); a stem is shown as the code's word it was cut from."""
    files = {"up.py": "def upgrade_schema(db):\n    return migrate(db)\n", "ind.py": "def reindent(text):\n    return text\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        from codesearch.search.bm25 import read_as
        from codesearch.query import QueryTerms

        read = read_as(index.store.catalog, QueryTerms.parse("upgrde and reindnet the schema"))
    assert read == {"upgrde": "upgrade", "reindnet": "reindent"}


def test_a_name_typed_in_snake_case_is_no_misspelling_of_a_word(tmp_path, tiny_embedder) -> None:
    """`parse_url` said 'read "parseurl" as "parser"', `processor_count` 'read "processorcount" as
    "processorcounter"': the name's words joined (searched as code writes them) are no word the user typed, and
    no slip of one (probes 84, 87); a slip the user typed is still read."""
    files = {"url.py": "class Parser:\n    def parse(self):\n        return {}\n\n\ndef parse_url(url):\n"
                       "    return url.partition('://')\n",
             "counter.py": "class ProcessorCounter:\n    pass\n\n\ndef processor_count():\n    return 2\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        from codesearch.search.bm25 import read_as
        from codesearch.query import QueryTerms

        for typed in ("parse_url", "Concurrent.processor_count", "where is parse_url"):
            assert read_as(index.store.catalog, QueryTerms.parse(typed)) == {}, typed
        assert read_as(index.store.catalog, QueryTerms.parse("prase the url")) == {"prase": "parse"}
        assert index.search(Query("parse_url", k=1))[0].name == "parse_url"


def test_a_slip_is_measured_from_the_word_as_typed_before_its_stem(tmp_path, tiny_embedder) -> None:
    """loguru: "compres rotated log files" was read as "compare": the stem `compr` is one slip from `compar`, three
    from `compress`; as typed, "compres" is one letter short of `compress` (probe 84)."""
    files = {"compress.py": "def compress_file(path):\n    return gzip(path)\n",
             "compare.py": "def compare_files(a, b):\n    return a == b\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        from codesearch.search.bm25 import read_as
        from codesearch.query import QueryTerms

        assert read_as(index.store.catalog, QueryTerms.parse("compres the file")) == {"compres": "compress"}
        assert read_as(index.store.catalog, QueryTerms.parse("comapre the files")) == {"comapre": "compare"}
        assert index.search(Query("compres the file", k=1, mode="lexical"))[0].name == "compress_file"


def test_a_slip_read_as_the_codes_word_counts_in_names_as_that_word(tmp_path, tiny_embedder) -> None:
    """urllib3: "does the proxy need a CONNECT tunel" was read as "tunnel" in the words list, yet
    connection_requires_http_tunnel's name matched nothing of it (0.0; 0.2 spelt right) and connect_via_proxy came
    first (probe 84): the name and path signals take the word the question was read as."""
    files = {"proxy.py": "def connection_requires_http_tunnel(proxy_url, scheme):\n    return scheme != 'http'\n\n\n"
                         "def connect_via_proxy(sock, host):\n    # Open the connection through the proxy socket.\n"
                         "    return sock.sendall(host)\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        slipped = index.search(Query("does the proxy need a CONNECT tunel", k=2, mode="lexical"))
        spelt = index.search(Query("does the proxy need a CONNECT tunnel", k=2, mode="lexical"))
    signals = lambda hits: [(h.name, h.signals.get("name_match")) for h in hits]  # noqa: E731
    assert signals(slipped) == signals(spelt) and dict(signals(slipped))["connection_requires_http_tunnel"] > 0


def test_a_loops_keyword_in_a_question_is_no_word_of_it(tmp_path, tiny_embedder) -> None:
    """psr7: "decompress a gzip stream while reading" put Utils::copyToString and two more `while` loops above
    InflateStream (probe 83): while, until, unless and else say how, as when and if do."""
    files = {"src/Inflate.php": "<?php\nclass InflateStream\n{\n    public function __construct($stream)\n    {\n"
                                "        // a gzip stream, inflated\n"
                                "        $this->stream = new Decompressed($stream);\n    }\n}\n",
             "src/Utils.php": "<?php\nclass Utils\n{\n    public static function copyToString($stream)\n    {\n"
                              "        while (!$stream->eof()) {\n            $buf .= $stream->read(1);\n        }\n"
                              "        while (true) {\n            break;\n        }\n        return $buf;\n    }\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        hits = index.search(Query("decompress a gzip stream while reading", k=3, mode="lexical"))
    assert hits[0].path == "src/Inflate.php", [(h.path, h.name) for h in hits]
    assert stem("while") not in QueryTerms.parse("decompress a gzip stream while reading").search_words


def test_a_slip_is_searched_as_its_stem_so_every_form_is_met(tmp_path, tiny_embedder) -> None:
    """js-yaml: "where are aliasses resolved" searched `aliases`, the commoner of the near words, and missed the units
    that say `alias` (readAlias fell from 1st to 4th: probe 81); the note says the code's word."""
    files = {"loader.js": "function readAlias(state) {\n  return state.anchorMap[alias];\n}\n",
             "dumper.js": "".join(f"function dump{i}(aliases) {{\n  return aliases[{i}];\n}}\n\n" for i in range(3)),
             "other.js": "function listAliases(aliases) {\n  return Object.keys(aliases);\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        hits = index.search(Query("how are aliasses resolved", k=6, mode="lexical"))
    from codesearch.query import read_note
    assert any(h.name == "readAlias" for h in hits), [h.name for h in hits]
    # the code's form nearest the word typed (probe 166: "oldst" was said as "older", the code's `oldest` 14 times)
    assert read_note(hits) == "note: read \"aliasses\" as \"aliases\" (the code's word)"


def test_the_model_reads_a_question_with_its_typing_slips_put_right(tmp_path, tiny_embedder) -> None:
    """uuid: "genrate a random uuid strng" was read as "generate" and "string" by the words list only; the model read
    the slips and put NewString 16th, 2nd spelt right (probe 91). A word meant as typed stays as typed."""
    from codesearch.search.searcher import Searcher

    files = {"uuid.go": "package uuid\n\n// NewString generates a random UUID and returns it as a string.\n"
                        "func NewString() string {\n\treturn New().String()\n}\n"}

    class Reading:  # the real model, and what it was asked to read
        def __init__(self, model):
            self.model, self.read = model, []

        def __getattr__(self, name):
            return getattr(self.model, name)

        def embed_queries(self, texts):
            self.read += texts
            return self.model.embed_queries(texts)

    with indexed_files(tmp_path, files, tiny_embedder) as index:
        model = Reading(tiny_embedder)
        Searcher(index.store, model).search(Query("genrate a random uuid strng", k=1, mode="semantic"))
        Searcher(index.store, model).search(Query("tokenize a random uuid", k=1, mode="semantic"))
    assert model.read == ["generates a random uuid string", "tokenize a random uuid"]  # as the code writes it


def test_a_word_typed_without_its_last_e_is_read_as_the_codes_word(tmp_path, tiny_embedder) -> None:
    """ky: "runing the befor request hooks": "befor" is the stem of `before`, so the words list found it and no slip
    was read; the model read "befor" and put Ky._fetch 7th, 1st spelt right (probe 163). The model reads the word the
    code writes and the note says so; a word the code writes with an -s ("user": `users`) stays as typed."""
    from codesearch.search.searcher import Searcher

    files = {"store.py": "def update_user_email(db, user_id, email):\n    \"\"\"Update a user's email.\"\"\"\n"
                         "    db.users[user_id] = email\n\n\ndef run_before_hooks(hooks):\n    for h in hooks:\n"
                         "        h()\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        read = []

        class Reading:
            def __getattr__(self, name):
                return getattr(tiny_embedder, name)

            def embed_queries(self, texts):
                read.extend(texts)
                return tiny_embedder.embed_queries(texts)

        answer = Searcher(index.store, Reading()).search(Query("updat the user email befor hooks", k=1, mode="hybrid"))
    from codesearch.query import read_note

    assert read == ["update the user email before hooks"]
    assert answer[0].signals["read_as"] == {"updat": "update", "befor": "before"}
    assert '"updat" as "update"' in read_note(answer)
    # a slip the code never writes whose stem it does, inside a question: "recursivly" (fsnotify: probe 172); an
    # inflection of the code's word is no slip ("callbacks": `callback`)
    files = {"walk.py": "def walk(root, callback):\n    \"\"\"Walk a tree recursively, calling back.\"\"\"\n"
                        "    for child in root.children:\n        walk(child, callback)\n"}
    with indexed_files(tmp_path / "more", files, tiny_embedder) as index:
        read.clear()
        Searcher(index.store, Reading()).search(Query("walk a tree recursivly with callbacks", k=1, mode="semantic"))
    assert read == ["walk a tree recursively with callbacks"], read


def test_a_word_the_code_writes_joined_in_a_name_is_no_slip(tmp_path, tiny_embedder) -> None:
    """go-difflib: "opcode tag byte" searched the stem `opcod`, which no unit holds (`OpCode` is kept whole as
    `opcode`), so it was read as a slip of `opCodes` and said so, `OpCode` 6th; "servername" was said as "servername"
    (probe 170). The word as typed is searched when the code writes it so, and nothing is said."""
    from codesearch.query import read_note

    files = {"ops.go": "package ops\n\ntype OpCode struct {\n\tTag byte\n\tI1  int\n}\n\ntype Matcher struct {\n"
                       "\topCodes []OpCodes\n}\n\nfunc (m *Matcher) Reset() {\n\tm.opCodes = nil\n}\n",
             "net.js": "function checkServer(serverName) {\n  return serverName.length > 0\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        opcode = index.search(Query("opcode tag byte", k=3, mode="lexical"))
        server = index.search(Query("servername", k=3, mode="lexical"))
    assert opcode[0].qualified_name == "OpCode" and read_note(opcode) is None, (opcode[0].qualified_name, read_note(opcode))
    assert server[0].name == "checkServer" and read_note(server) is None, read_note(server)


def test_a_slip_is_said_as_the_word_the_code_writes_not_an_inflection(tmp_path, tiny_embedder) -> None:
    """goquery: "wrapp each elemnt inside a new parnt element" was read as "wraps", lumberjack's "comprress" as
    "compressed", where the code writes `Wrap` and `Compress` (probe 97): the stem itself is said when units write it
    beyond those that write its other forms."""
    files = {"manipulation.go": "package goquery\n\n// Wrap wraps each element in a copy of the parent given.\n"
                                "func Wrap(s *Selection, parent string) *Selection {\n\treturn wrap(s, parent)\n}\n\n"
                                "func wrapAll(s *Selection) *Selection {\n\treturn s\n}\n\n"
                                "func wrapInner(s *Selection) *Selection {\n\treturn s\n}\n",
             "parse.go": "package goquery\n\nfunc parseHTML(text string) *Node {\n\treturn parse(text)\n}\n\n"
                         "func parsed(n *Node) bool {\n\treturn n != nil\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        wrapped = index.search(Query("wrapp a node in a parent", k=5, mode="lexical"))
        parsed = index.search(Query("where is html parsd", k=5, mode="lexical"))
    from codesearch.query import read_note
    assert read_note(wrapped) == "note: read \"wrapp\" as \"wrap\" (the code's word)", read_note(wrapped)
    assert read_note(parsed) == "note: read \"parsd\" as \"parsed\" (the code's word)", read_note(parsed)


def test_a_question_in_another_language_is_not_read_as_slips_of_the_codes_words(tmp_path, tiny_embedder) -> None:
    """chokidar: "cerrar todos los observadores y liberar los recursos" read "recursos" as `recursion`, in the words
    searched and in the text the model read, and `_remove` ("Recursively remove...") beat `close` (probe 95). The word
    list that tells a slip from a word is English: a question plainly in another language is searched as typed."""
    files = {"watcher.js": "/** Recursively remove a watched directory. */\nfunction removeRecursion(dir) {\n"
                           "  return recursion(dir);\n}\n\nfunction closeAll(watchers) {\n"
                           "  watchers.forEach(w => w.close());\n}\n"}
    text = "cerrar todos los observadores y liberar los recursos"
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        hits = index.search(Query(text, k=3, mode="lexical"))
        english = index.search(Query("remove a directory by recursoin", k=3, mode="lexical"))
    from codesearch.query import read_note
    assert read_note(hits) is None, read_note(hits)
    assert read_note(english) == "note: read \"recursoin\" as \"recursion\" (the code's word)", read_note(english)


def test_a_word_the_code_says_is_not_read_as_a_longer_word_of_it(tmp_path, tiny_embedder) -> None:
    """busboy: "decode" was said as read `decoder` ("read "decode" as "decoder" (the code's word)"), though the code
    says `decode` (probe 100): a word said in a unit or two beside a longer word of it said in many is no slip."""
    code = ("function getDecoder(charset) {\n  const decoder = new TextDecoder(charset);\n  return decoder;\n}\n"
            "function makeDecoder(name) { return getDecoder(name); }\nfunction defaultDecoder() { return getDecoder('utf8'); }\n"
            "function latinDecoder() { return getDecoder('latin1'); }\n"
            "function cachedDecoder(cache, name) { return cache[name] || (cache[name] = getDecoder(name)); }\n"
            "function convert(data, charset) {\n  const decode = getDecoder(charset);\n  return decode(data);\n}\n")
    with indexed_files(tmp_path, {"codec.js": code}, tiny_embedder) as index:
        hits = index.search(Query("decode bytes in a charset", k=3, mode="lexical"))
    from codesearch.query import read_note
    assert hits and read_note(hits) is None, read_note(hits)


def test_a_short_names_plural_and_an_adjectives_comparative_meet_the_word(tmp_path, tiny_embedder) -> None:
    """tinydb: "how are new document ids generated" met no `_get_next_id` (`ids` is too short for the plural rule:
    probe 99); EmailValidator: "warn when the address is longer than 254 characters" met no `addLongEmailWarning`
    (probe 103). Both are stemmed as the word; "parser" stays apart from "parse"."""
    files = {"table.py": "def _get_next_id(self):\n    \"\"\"The next free document id.\"\"\"\n    return self._next_id + 1\n",
             "parser.py": "def add_long_address_warning(self, address):\n    return Warning(address)\n",
             "other.py": "def render(docs):\n    return [d.title for d in docs]\n",
             "address.py": "def format_address(address):\n    return address.strip()\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        ids = index.search(Query("how are new document ids generated", k=3, mode="lexical"))
        longer = index.search(Query("when is an address longer than allowed", k=3, mode="lexical"))
    assert ids[0].name == "_get_next_id" and longer[0].name == "add_long_address_warning", (
        [h.name for h in ids], [h.name for h in longer])
    assert (stem("ids"), stem("longest"), stem("parser")) == ("id", "long", "parser")


def test_a_slip_read_as_a_word_meets_that_words_abbreviations(tmp_path, tiny_embedder) -> None:
    """remix router: "fill in the :paramters in a path with their valuse" was read as "parameter" but never met
    `params`, and generatePath fell from lexical 10th to 40th (probe 109): a slip read as a word takes that word's
    abbreviations too, in the words list and in names, as the word spelt right does."""
    files = {"settings.py": 'def read_cfg(path):\n    """Read the cfg file at path and return its values."""\n'
                            "    return json.load(open(path))\n\n\n"
                            'def read_rows(path):\n    """Read the file of rows at path, one row a line."""\n'
                            "    return open(path).readlines()\n\n\n"
                            'def read_bytes(path):\n    """Read the whole file at path as bytes."""\n'
                            "    return open(path, 'rb').read()\n",
             "notes.py": "# The configuration lives in one JSON file next to the program.\nDEFAULT_PATH = 'app.json'\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        slipped = index.search(Query("read the configuraton file", k=3, mode="lexical"))
        spelt = index.search(Query("read the configuration file", k=3, mode="lexical"))
    signals = lambda hits: [(h.name, h.signals.get("name_match")) for h in hits]  # noqa: E731
    assert slipped[0].name == "read_cfg", signals(slipped)
    assert signals(slipped) == signals(spelt)


def test_a_slip_is_said_as_the_codes_word_when_its_stem_is_english_but_never_written(tmp_path, tiny_embedder) -> None:
    """commons-csv: "trim trailling whitespace" was read as "trail", an English word the code never writes, and the
    model was given "trim trail whitespace" (probe 113): a stem the code never writes alone is said as the code's
    word of it (`trailing`)."""
    files = {"Lexer.java": "final class Lexer {\n    private final boolean trailingDelimiter;\n\n"
                           "    void trimTrailingSpaces(final StringBuilder buffer) {\n        buffer.setLength(0);\n    }\n\n"
                           "    boolean isTrailingDelimiter() {\n        return trailingDelimiter;\n    }\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        hits = index.search(Query("trim trailling whitespace", k=3, mode="lexical"))
    from codesearch.query import read_note
    assert read_note(hits) == "note: read \"trailling\" as \"trailing\" (the code's word)", read_note(hits)


def test_a_syntax_tree_is_an_ast() -> None:
    """hcl: "traverse the syntax tree" never met `ast.Walk`; only "abstract syntax tree" was the table's (probe 119)."""
    assert ("tree", ("ast",)) in QueryTerms.parse("walk every node of the syntax tree").abbreviations


def test_other_endings_meet_the_other_sides_spelling(tmp_path, tiny_embedder) -> None:
    """tablewriter: "centre a string inside a fixed width" met no `Center` (Pad came fifth); symfony's "dump catalog
    to xliff" met `$catalog` only, not the code's `catalogue`; -re/-er, -ogue/-og, -ence/-ense, -yse/-yze, a doubled
    l, grey/gray are read both ways, and an American word no British stem shadows stays itself (probe 185)."""
    from codesearch.search.bm25 import american, british

    files = {"align.go": "package table\n\nfunc Center(s string, width int) string {\n\treturn pad(s, width)\n}\n",
             "strings.go": "package table\n\nfunc Trim(s string) string {\n\treturn s\n}\n",
             "dump.php": "<?php\nclass XliffDumper {\n    public function formatCatalogue($messages) {\n"
                         "        return $messages;\n    }\n}\n",
             "fetch.php": "<?php\nclass Fetcher {\n    public function fetch($catalog, $url) {\n        return $url;\n"
                          "    }\n    public function store($catalog) {\n        return $catalog;\n    }\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        centre = index.search(Query("centre a string", k=3, mode="lexical"))
        catalog = index.search(Query("dump catalog to xliff file", k=3, mode="lexical"))
    assert centre[0].name == "Center"
    assert catalog[0].name == "formatCatalogue", [h.name for h in catalog]
    assert [american(stem(w)) for w in ("centre", "licence", "analyse", "travelling", "grey")] == [
        stem(w) for w in ("center", "license", "analyze", "traveling", "gray")]
    assert [british(stem(w)) for w in ("meter", "dialog", "defense", "canceled")] == [
        stem(w) for w in ("metre", "dialogue", "defence", "cancelled")]
    assert [british(stem(w)) for w in ("integer", "filter", "logger")] == [None] * 3


def test_not_in_a_question_meets_the_codes_negated_word(tmp_path, tiny_embedder) -> None:
    """"where are errors not handled" never met `unhandledRejection` ("not" and "handled" are stop words: named in the
    twenty-sixth session); "not safe" meets `unsafe`, "not valid" `invalid`, beside the word itself."""
    files = {"process.js": "function onUnhandledRejection(reason) {\n  log(reason);\n}\n",
             "errors.js": "function errorMessage(error) {\n  return error.message;\n}\n\n"
                          "function errorCode(error) {\n  return error.code;\n}\n\n"
                          "function errorName(error) {\n  return error.name;\n}\n\n"
                          "function errorStack(error) {\n  return error.stack;\n}\n\n"
                          "function wrapError(error) {\n  return new Error(error);\n}\n",
             "url.py": "UNSAFE = set(' <>')\n\n\ndef quote_unsafe_bytes(data):\n    return bytes(b for b in data if b in UNSAFE)\n"
                       "\n\ndef safe_bytes_length(data):\n    return len(data)\n",
             "check.py": "def reject_invalid(token):\n    raise ValueError(token)\n\n\ndef check_token(token):\n"
                         "    return token\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        handled = index.search(Query("where are errors not handled", k=3, mode="lexical"))
        unsafe = index.search(Query("quote bytes that are not safe", k=3, mode="lexical"))
        valid = index.search(Query("check a token that is not valid", k=3, mode="lexical"))
        said = index.search(Query("errors handled", k=3, mode="lexical"))
    assert [handled[0].name, unsafe[0].name, valid[0].name] == ["onUnhandledRejection", "quote_unsafe_bytes",
                                                                "reject_invalid"]
    assert said[0].name != "onUnhandledRejection"  # no "not": no negation searched
    # a verb or any word is no negatable one: "not wrap" is no `Unwrap`, "not even" no `uneven` (review)
    from codesearch.query import QueryTerms
    assert QueryTerms.parse("why do long lines not wrap").negated == {}
    assert QueryTerms.parse("the schema is not even validated").negated == {}
    assert QueryTerms.parse("why is the request not signed").negated == {}
    for verb in ("why is the text not wrapping", "why is the page not loading", "we do not need it"):
        assert QueryTerms.parse(verb).negated == {}, verb


def test_a_verb_whose_noun_the_code_says_is_no_slip(tmp_path, tiny_embedder) -> None:
    """Kryo: "compress the serialized bytes" read "compress" as a slip of `compares` (probe 204): the code says the
    noun of action (`compressionLevel`), and a word's own noun comes before a word two slips away."""
    files = {"Deflate.java": "class DeflateCodec {\n  int compressionLevel;\n  void setCompressionLevel(int level) {\n"
                             "    compressionLevel = level;\n  }\n  byte[] encode(byte[] data) {\n    return data;\n  }\n}\n",
             "Order.java": "class Order {\n  int compares;\n  int compare(Object a, Object b) {\n    compares++;\n"
                           "    return 0;\n  }\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        hits = index.search(Query("compress the data", k=3, mode="lexical"))
    assert hits[0].path == "Deflate.java" and hits[0].signals.get("read_as") == {"compress": "compression"}, \
        [(h.name, h.signals.get("read_as")) for h in hits]


def test_a_word_of_another_language_meets_the_codes_english_word_spelt_alike(tmp_path, tiny_embedder) -> None:
    """@tanstack/db: "Wie wird eine Transaktion festgeschrieben" met nothing, transactions.ts not in the first ten
    (probe 205): German's k for c, Spanish's -ción and -ar are the code's English word; an English question's word
    is no such cognate ("parse" is no `pars`-anything), and a word alike in no form stays unread."""
    files = {"transactions.ts": "export function commitTransaction(tx: Transaction) {\n  return tx.commit()\n}\n",
             "validate.py": "def validate_token(token):\n    return bool(token)\n",
             "config.py": "def load_configuration(path):\n    return open(path).read()\n",
             "other.py": "def commit_changes(repo):\n    return repo.commit()\n\n\ndef token_count(tokens):\n"
                         "    return len(tokens)\n\n\ndef load_path(path):\n    return path\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        german = index.search(Query("Wie wird eine Transaktion festgeschrieben", k=3, mode="lexical"))
        spanish = index.search(Query("validar el token", k=3, mode="lexical"))
        noun = index.search(Query("cargar la configuración", k=3, mode="lexical"))
    assert german and german[0].name == "commitTransaction", [h.name for h in german]
    assert german[0].signals.get("read_as", {}).get("Transaktion", "").startswith("transaction")
    assert spanish[0].name == "validate_token" and noun[0].name == "load_configuration", (spanish, noun)
    # a false friend is not read so ("guardar" is save, not guard; "Zeilen" lines, not `ceil`); German's z is c
    # opening a word too, and a word short once stemmed is read as typed ("Zertifikat", "Zelle": `zell`)
    files = {"guard.py": "def guard_access(user):\n    return user.allowed\n", "files.py": "def save_file(data):\n"
             "    return data\n\n\ndef ceil_div(a, b):\n    return -(-a // b)\n",
             "cert.py": "def load_certificate(path):\n    return path\n\n\ndef cell_value(c):\n    return c\n",
             "headers.py": "def set_request_headers(h):\n    h['Cache-Control'] = 'must-revalidate'\n    return h\n"}
    with indexed_files(tmp_path / "friends", files, tiny_embedder) as index:
        save = index.search(Query("guardar el archivo", k=3, mode="lexical"))
        line = index.search(Query("Zeilen der Datei lesen", k=3, mode="lexical"))
        pattern = index.search(Query("Wo wird die Ablaufzeit für eine URL anhand eines Musters bestimmt", k=3,
                                     mode="lexical"))  # "Muster" is a pattern, no `must` (requests-cache: probe 284)
        certificate = index.search(Query("Wie wird das Zertifikat geladen", k=3, mode="lexical"))
        cell = index.search(Query("Wert der Zelle", k=3, mode="lexical"))
    assert not any(h.name == "guard_access" for h in save) and not any(h.name == "ceil_div" for h in line)
    assert certificate and certificate[0].name == "load_certificate", certificate
    assert cell and cell[0].name == "cell_value", cell
    from codesearch.query import read_note
    assert "Musters" not in (read_note(pattern) or ""), read_note(pattern)


def test_a_name_read_from_a_slip_is_said_as_the_code_spells_it(tmp_path, tiny_embedder) -> None:
    """groupcache: `read "RegisterPeerPiker" as "registerpeerpicker"`, the index's key, not the name (probe 230)."""
    from codesearch.query import read_note

    files = {"peers.go": "package groupcache\n\n// RegisterPeerPicker registers the peer initialization function.\n"
                         "func RegisterPeerPicker(fn func() PeerPicker) {\n\tportPicker = fn\n}\n",
             "other.go": "package groupcache\n\nfunc removeOldest(n int) int {\n\treturn n\n}\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        name = index.search(Query("RegisterPeerPiker", k=3, mode="lexical"))
        words = index.search(Query("remove the oldst entry", k=3, mode="lexical"))
    assert name[0].name == "RegisterPeerPicker"
    assert 'read "RegisterPeerPiker" as "RegisterPeerPicker"' in read_note(name), read_note(name)
    assert read_note(words) == 'note: read "oldst" as "oldest" (the code\'s word)'  # a word stays a word


@pytest.mark.parametrize("question", ["multiply a field by a number", "flatten the nested lists", "sum is recursive"])
def test_an_english_word_the_bert_list_lacks_is_meant_as_typed(tmp_path, tiny_embedder, question) -> None:
    """"multiply a field by a number" said `read "multiply" as "multiple"`, and meaning read "multiple" too: BERT's
    whole-word list lacks multiply, flatten, nested, recursive (probe 229; a doer, "separator", has its verb stand in:
    `separate`)."""
    from codesearch.query import read_note

    files = {"ops.py": "def multiple_fields(a, b):\n    return [a, b]\n\n\ndef flattery(n):\n    return n\n\n\n"
                       "def nestle(x):\n    return x\n\n\ndef recursion_limit():\n    return 10\n\n\n"
                       "def separate(s):\n    return s.split()\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        hits = index.search(Query(question, k=3, mode="lexical"))
    assert read_note(hits) is None, read_note(hits)


def test_a_name_run_together_stays_read_as_its_parts_beside_the_added_words() -> None:
    """rxjs' "error out when no value arrives in time": `timeout` is "time" and "out" run together, which put
    timeout.ts first; taken as an English word of its own (added with the words BERT's list lacks), it lost that."""
    from codesearch.search.bm25 import english
    from codesearch.search.ranking import _run_together

    stems = frozenset(QueryTerms.parse("error out when no value arrives in time").content)
    assert {"time", "out"} <= _run_together(("timeout",), stems)
    assert "multiply" in english() and "timeout" not in english() and "serializer" not in english()


def test_a_snake_case_name_with_a_slip_finds_the_name_read(tmp_path, tiny_embedder) -> None:
    """parslet: `infix_expresion` was read as "expression" and still told "nothing is named", and infix.rb's `unwrap`
    (a file of many "infix" units) came before Parslet.infix_expression (probe 233): the name as read is named."""
    from codesearch.query import unmatched_note

    files = {"lib/parslet.rb": "module Parslet\n  # Builds an infix expression parser.\n  def infix_expression(element, "
                               "*operations)\n    Parslet::Atoms::Infix.new(element, operations)\n  end\n"
                               "  module_function :infix_expression\nend\n",
             "lib/infix.rb": "class Infix\n  # infix operators\n  def initialize(element, operations)\n    @element = "
                             "element\n  end\n\n  # unwrap an infix expression\n  def unwrap(expr)\n    expr\n  end\n\n"
                             "  # infix precedence climbing\n  def precedence_climb(source)\n    source\n  end\n\n"
                             "  # infix match\n  def match(source)\n    source\n  end\nend\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        hits = index.search(Query("infix_expresion", k=3, mode="hybrid"))
    assert hits[0].name == "infix_expression" and hits[0].signals.get("symbol"), [(h.name, h.signals) for h in hits]
    assert unmatched_note("infix_expresion", hits) is None


def test_a_slip_in_a_name_with_digits_is_read_as_the_codes_name(tmp_path, tiny_embedder) -> None:
    """@noble/ciphers: "xchacha20poly1350 authenticated encryption" found xsalsa20poly1305 first with no note: a word
    holding digits was never read as a slip (probe 235). Its digits swapped or a letter slipped, it is; a word of other
    digits is not (`chacha8` is no slip of `chacha20`)."""
    from codesearch.query import read_note

    files = {"chacha.ts": "/** XChaCha20-Poly1305 extended-nonce chacha. */\nexport const xchacha20poly1305 = (key) => "
                          "wrap(key);\n\nexport const chacha8 = (key) => rounds(key, 8);\n",
             "salsa.ts": "/** Authenticated encryption with xsalsa20poly1305. */\nexport const xsalsa20poly1305 = (key) => "
                         "seal(key);\n"}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        swapped = index.search(Query("xchacha20poly1350 authenticated encryption", k=2, mode="lexical"))
        letter = index.search(Query("xchacha20polly1305 authenticated encryption", k=2, mode="lexical"))
        other = index.search(Query("chacha20 rounds", k=2, mode="lexical"))
    assert swapped[0].path == "chacha.ts" and '"xchacha20poly1350" as "xchacha20poly1305"' in read_note(swapped)
    assert letter[0].path == "chacha.ts" and read_note(letter) is not None
    assert read_note(other) is None or "chacha8" not in read_note(other)


def test_a_slip_of_a_plural_in_ies_is_read_as_that_plural_not_its_singular(tmp_path, tiny_embedder) -> None:
    """age: `ParseIdentites` (one letter short of ParseIdentities) was read as `ParseIdentity`, two slips away, and
    put that function first (probe 276): the -ies plural does not begin with its stem's -y, so the code's nearer form
    was never weighed."""
    from codesearch.query import read_note

    files = {"parse.go": ("package age\n\n// ParseIdentities parses a file with one private key per line.\n"
                          "func ParseIdentities(f io.Reader) ([]Identity, error) {\n\tvar ids []Identity\n"
                          "\treturn ids, nil\n}\n"),
             "ssh.go": ("package age\n\n// ParseIdentity returns an identity from a PEM-encoded private key.\n"
                        "func ParseIdentity(pemBytes []byte) (Identity, error) {\n\treturn NewIdentity(pemBytes)\n}\n")}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        hits = index.search(Query("ParseIdentites", k=2, mode="lexical"))
    assert hits[0].name == "ParseIdentities", [h.name for h in hits]
    assert 'read "ParseIdentites" as "ParseIdentities"' in read_note(hits), read_note(hits)


def test_a_slip_is_read_as_the_word_it_misspells_before_a_noun_of_its_stem(tmp_path, tiny_embedder) -> None:
    """http-cookie: "expird cookie" was read as "expiration" (a noun of its stem `expir`), and `expires=` came before
    `expired?` (probe 281): a word that is no English word is a slip first; an English verb the code says only as a
    noun is still that noun ("compress": compression)."""
    from codesearch.query import read_note

    files = {"cookie.rb": ("class Cookie\n  # Tests if this cookie is expired by now, or by a given time.\n"
                           "  def expired?(time = Time.now)\n    return false unless @expires\n    time > @expires\n"
                           "  end\n\n  # Sets the expiration date of the cookie.\n  def expires=(t)\n    @expires = t\n"
                           "  end\n\n  # Builds the value of a Cookie header.\n  def cookie_value\n"
                           "    \"#{@name}=#{@value}\"\n  end\nend\n"),
             "zip.py": ("def compression_level(options):\n    \"\"\"The compression level the options ask for.\"\"\"\n"
                        "    return options.get('level', 6)\n\n\ndef compares(a, b):\n    return a == b\n")}
    with indexed_files(tmp_path, files, tiny_embedder) as index:
        slip = index.search(Query("expird cookie", k=3, mode="lexical"))
        noun = index.search(Query("compress level", k=3, mode="lexical"))
    assert 'read "expird" as "expired"' in read_note(slip), read_note(slip)
    assert slip[0].name == "expired?", [h.name for h in slip]
    assert noun[0].name == "compression_level", [h.name for h in noun]
