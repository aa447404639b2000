"""The names module pieces and types bind at their own level (codesearch.parse.bindings), per language."""

from __future__ import annotations

import pytest

from codesearch.languages import SPECS
from codesearch.parse.bindings import bound_names

CASES = [
    ("python", "module",
     "DEFAULT_REDIRECT_LIMIT = 30\ntimeout: float = 5.0\nsession = Session(\n    timeout=5,\n    retries=3,\n)\n"
     "if DEBUG == 1:\n    pass\nx += 1\n__all__ = ['a']\n# NOT_A = 1\n",
     ["DEFAULT_REDIRECT_LIMIT", "timeout", "session", "__all__"]),
    ("python", "type", "class Retry:\n    DEFAULT_BACKOFF = 2\n    def wait(self, n=3):\n        …\n",
     ["DEFAULT_BACKOFF"]),
    ("go", "module",
     "package logrus\n\nimport (\n\t\"fmt\"\n)\n\nvar AllLevels = []Level{\n\tPanicLevel,\n}\n\nconst (\n"
     "\tPanicLevel Level = iota\n\tFatalLevel\n\tmaxLevel = 9\n)\nconst Version = \"1\"\n",
     ["AllLevels", "PanicLevel", "FatalLevel", "maxLevel", "Version"]),
    ("go", "type", "type Logger struct {\n\tOut io.Writer\n\tHooks LevelHooks `json:\"hooks\"`\n\tio.Closer\n}\n",
     ["Out", "Hooks"]),
    ("java", "type",
     "public class StringUtils {\n    public static final int INDEX_NOT_FOUND = -1;\n"
     "    private static final Map<String, List<Integer>> CACHE = new HashMap<>();\n    /** NOT_THIS = 1; */\n"
     "    public static int indexOf(final CharSequence seq, int start) {\n    …\n}\n",
     ["INDEX_NOT_FOUND", "CACHE"]),
    ("java", "type", "public enum JsonToken\n{\n    START_OBJECT(\"{\", 1),\n    VALUE_NULL(\"null\", 2);\n"
     "    final String _serialized;\n    JsonToken(String token, int id)\n    …\n}\n",
     ["START_OBJECT", "VALUE_NULL", "_serialized"]),
    ("typescript", "module",
     "import { A } from './a';\n\nexport const asyncScheduler = new AsyncScheduler(AsyncAction);\n"
     "const options = {\n  timeout: 5,\n  retries: 3,\n};\nfoo({ limit: 3 });\n",
     ["asyncScheduler", "options"]),
    ("typescript", "type", "export interface Options {\n  timeout?: number;\n  retry: boolean\n  onError(e: Error): void;\n}\n",
     ["timeout", "retry"]),
    ("typescript", "type", "export enum Color {\n  Red = 'RED',\n  Green = 'GREEN',\n}\n", ["Red", "Green"]),
    ("javascript", "module", "const config = require('./c');\nexports.handler = run;\nmodule.exports.limit = 3;\n",
     ["config", "handler", "limit"]),
    ("javascript", "type", "class Router {\n  static defaults = { strict: false };\n  #routes = [];\n  route(p) {\n  …\n}\n",
     ["defaults", "routes"]),
    ("php", "type", "class Environment {\n    public const VERSION = '3.5.1';\n    private $cache;\n"
     "    protected ?array $options = [];\n    public function render($name, array $context = [])\n    …\n}\n",
     ["VERSION", "cache", "options"]),
    ("php", "module", "<?php\ndefine('TWIG_ROOT', __DIR__);\n$loader = require 'x.php';\n", ["TWIG_ROOT"]),
    ("ruby", "type", "class Rack\n  VERSION = [1, 3]\n  attr_accessor :app\n  def call(env)\n  …\nend\n", ["VERSION", "app"]),
]


@pytest.mark.parametrize("language,kind,code,expected", CASES, ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(CASES)])
def test_a_unit_binds_its_constants_variables_and_fields_and_not_its_arguments_or_keys(language, kind, code, expected) -> None:
    assert bound_names(language, kind, code) == expected


def test_functions_and_blocks_bind_nothing_of_their_own() -> None:
    # a function's locals are not what a user looks up by name: the function is found by its own name
    assert bound_names("python", "function", "def f():\n    LIMIT = 3\n    return LIMIT\n") == []
    assert bound_names("javascript", "block", "app.get('/', (req, res) => {\n  const user = 1;\n})") == []


def test_near_reads_only_the_lines_that_hold_the_name() -> None:
    code = "A_B = 1\nC = 2\n"
    assert bound_names("python", "module", code, near="ab") == ["A_B"]
    assert bound_names("python", "module", code, near="zz") == []


def test_every_language_says_how_it_binds_names() -> None:
    assert all(spec.bind_lines for spec in SPECS)
